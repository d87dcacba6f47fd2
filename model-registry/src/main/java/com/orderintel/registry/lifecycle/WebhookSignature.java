package com.orderintel.registry.lifecycle;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * How a webhook request is signed and how a receiver checks it (docs/registry.md, "Lifecycle events and webhooks"):
 * {@value #SIGNATURE}: {@code sha256=<hex of HMAC-SHA256(secret, raw request body)>}; beside it
 * {@value #EVENT_ID} (de-duplicate on it: delivery is at least once), {@value #EVENT_TYPE}, {@value #TIMESTAMP} (when
 * this attempt was sent, epoch seconds) and {@value #ATTEMPT}. A receiver computes the HMAC over the bytes it received
 * (before any JSON parsing) and compares in constant time, as {@link #verify} does.
 */
public final class WebhookSignature {

    public static final String SIGNATURE = "X-Registry-Signature";
    public static final String EVENT_ID = "X-Registry-Event-Id";
    public static final String EVENT_TYPE = "X-Registry-Event-Type";
    public static final String TIMESTAMP = "X-Registry-Timestamp";
    public static final String ATTEMPT = "X-Registry-Delivery-Attempt";
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=<hex>} of {@code body} under {@code secret}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, body));
    }

    /** True when {@code header} is the signature of {@code body} under {@code secret} (constant-time comparison). */
    public static boolean verify(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX) || header.length() != PREFIX.length() + 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), given);
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
