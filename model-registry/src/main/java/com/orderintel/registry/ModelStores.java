package com.orderintel.registry;

/**
 * Opens the store for a location by URI scheme: {@code file:///...} is the embedded filesystem store,
 * {@code s3://bucket/prefix} the S3 store. The caller owns the store and closes it (try-with-resources).
 */
public final class ModelStores {

    private ModelStores() {
    }

    /** The store at {@code location} with {@link RegistryLimits#fromEnvironment()}. */
    public static ModelStore open(String location) {
        return open(location, RegistryLimits.fromEnvironment());
    }

    public static ModelStore open(String location, RegistryLimits limits) {
        String scheme = location.contains(":") ? location.substring(0, location.indexOf(':')) : "";
        return switch (scheme) {
            case "file" -> FileSystemModelStore.at(location, limits);
            case "s3" -> S3ModelStore.at(location, limits);
            default -> throw new RegistryException(RegistryException.Reason.INVALID_URI,
                    "no model store for location " + ModelNames.quote(ModelUri.redact(location), 300) + " (supported: file://, s3://)");
        };
    }
}
