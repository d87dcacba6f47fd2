package com.orderintel.registry;

/**
 * A parsed {@code MODEL_URI}: the store location, the model name and either an exact version or an alias.
 * <ul>
 *   <li>{@code file:///var/registry/<version>/<name>} and {@code s3://bucket/prefix/<version>/<name>}: an exact version
 *   (the platform's {@code commit_sha/model-name} layout);</li>
 *   <li>{@code file:///var/registry/<name>@production}, {@code s3://bucket/prefix/<name>@staging}: an alias.</li>
 * </ul>
 * Parsing is in {@link #parse(String)}; it is strict and its errors name the offending part.
 *
 * @param location store location without the version/name part, e.g. {@code s3://bucket/prefix}
 * @param name     model name
 * @param version  exact version, or null when {@code alias} is set
 * @param alias    alias name, or null when {@code version} is set
 */
public record ModelUri(String location, String name, String version, String alias) {

    /** Every instance names a valid model and exactly one of version / alias, however it was built. */
    public ModelUri {
        if (location == null || location.isBlank()) {
            throw new RegistryException(RegistryException.Reason.INVALID_URI, "model URI has no store location");
        }
        ModelNames.check("model name", name);
        if ((version == null) == (alias == null)) {
            throw new RegistryException(RegistryException.Reason.INVALID_URI, "model URI of " + ModelNames.quote(name)
                    + " needs exactly one of a version and an alias");
        }
        if (version != null) {
            ModelNames.check("version", version);
        } else {
            ModelNames.check("alias", alias);
        }
    }

    public boolean isAlias() {
        return alias != null;
    }

    /** The URI string form, which {@link #parse(String)} reads back to an equal value. */
    @Override
    public String toString() {
        return isAlias() ? location + "/" + name + "@" + alias : location + "/" + version + "/" + name;
    }

    /** This URI with the alias replaced by the version it resolved to. */
    public ModelUri withVersion(String resolvedVersion) {
        return new ModelUri(location, name, resolvedVersion, null);
    }

    public static ModelUri parse(String uri) {
        return ModelUriParser.parse(uri);
    }
}
