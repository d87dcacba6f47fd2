package com.orderintel.registry;

/**
 * A registry failure whose message is fit to show an operator as is: it names the model, the URI or the
 * field at fault (missing object, checksum mismatch, access denied, invalid manifest, conflicting publish).
 */
public class RegistryException extends RuntimeException {

    /**
     * {@code CORRUPT_ARTIFACT}: the artifact's bytes match its manifest but do not describe a servable model
     * (truncated, counts that disagree with the bytes present, cyclic or too deep trees, indices out of range,
     * non-finite values). {@code TOO_LARGE}: a manifest or artifact exceeds the configured {@link RegistryLimits}.
     * {@code VALIDATION}: the model decoded but failed the checks a server makes before serving it (manifest,
     * canary rows). {@code APPROVAL_REQUIRED}: the alias is guarded ({@link AliasPolicy}) and the move needs an approved
     * request; {@code NOT_PERMITTED}: an approval the rules refuse (the requester approving their own request).
     */
    public enum Reason {
        NOT_FOUND, CHECKSUM_MISMATCH, ACCESS_DENIED, INVALID_MANIFEST, CORRUPT_ARTIFACT, TOO_LARGE, CONFLICT, INVALID_URI,
        IO, VALIDATION, APPROVAL_REQUIRED, NOT_PERMITTED
    }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
