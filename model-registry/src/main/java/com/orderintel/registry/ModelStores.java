package com.orderintel.registry;

/**
 * Opens the store for a location by URI scheme: {@code file:///...} is the embedded filesystem store,
 * {@code s3://bucket/prefix} the S3 store.
 */
public final class ModelStores {

    private ModelStores() {
    }

    public static ModelStore open(String location) {
        String scheme = location.contains(":") ? location.substring(0, location.indexOf(':')) : "";
        return switch (scheme) {
            case "file" -> FileSystemModelStore.at(location);
            case "s3" -> S3ModelStore.at(location);
            default -> throw new RegistryException(RegistryException.Reason.INVALID_URI,
                    "no model store for location '" + location + "' (supported: file://, s3://)");
        };
    }
}
