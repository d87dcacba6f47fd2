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
        if (!redact(location).equals(location)) {
            throw new RegistryException(RegistryException.Reason.INVALID_URI, "store location "
                    + ModelNames.quote(redact(location), 300) + " carries credentials (user info); " + NO_CREDENTIALS);
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

    static final String NO_CREDENTIALS = "credentials are never read from a URI (use the AWS credential chain: "
            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from a Secret, a profile, a pod role)";

    /**
     * {@code text} with the user info of every URI in it replaced by {@code ***}: {@code s3://AKIA...:secret@bucket/x}
     * becomes {@code s3://***@bucket/x}. The one place a URI (or a message holding one) is made fit for a log, an HTTP
     * problem or a label; apply it before quoting or cutting, which could cut the '@' off. User info is what stands
     * before the last '@' of the authority. A secret with a '/' or a space in it (AWS secret keys may hold '/') ends
     * the authority early: so an authority with a ':' that is not a port ({@code user:pass}; in an s3 URI any ':', a
     * bucket has none) is masked up to the next '@', or to the end of the word when there is none. Over-masks
     * rather than leaks.
     */
    public static String redact(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (int scheme = text.indexOf("://"); scheme >= 0; scheme = text.indexOf("://", from)) {
            int start = scheme + 3;
            out.append(text, from, start);
            int end = start;
            while (end < text.length() && "/?#'\"<> \t\r\n".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            String authority = text.substring(start, end);
            int at = authority.lastIndexOf('@');
            int colon = authority.indexOf(':');
            boolean s3 = scheme >= 2 && text.regionMatches(true, scheme - 2, "s3", 0, 2);
            if (at >= 0) { // user info inside the authority
                out.append("***");
                from = start + at;
            } else if (colon >= 0 && (s3 || !authority.substring(colon + 1).matches("[0-9]{1,5}"))) {
                int later = text.indexOf('@', end); // user:pass/with/slash@host: the '/' ended the authority early
                int word = end;
                while (word < text.length() && "'\"<> \t\r\n".indexOf(text.charAt(word)) < 0) {
                    word++;
                }
                out.append("***");
                from = later >= 0 ? later : word; // no '@' at all: the whole word, a secret's tail cannot be told from a path

            } else {
                from = start;
            }
        }
        return out.append(text, from, text.length()).toString();
    }
}
