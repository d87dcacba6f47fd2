package com.orderintel.registry.lifecycle;

import com.orderintel.registry.ModelNames;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP receiver of lifecycle events: a name (for status and metrics), its URL ({@code http} or {@code https}, no
 * user info: credentials go in the secret, never in a URL that ends up in logs) and the shared secret the body is
 * signed with ({@link WebhookSignature}), at least {@value #MIN_SECRET} characters.
 */
public record Webhook(String name, URI url, String secret) {

    public static final int MIN_SECRET = 16;

    public Webhook {
        String problem = ModelNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("webhook name " + ModelNames.quote(name) + " is not allowed: " + problem);
        }
        if (url == null || url.getScheme() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("webhook " + name + ": url " + ModelNames.quote(String.valueOf(url), 200)
                    + " must be an absolute http:// or https:// URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook " + name + ": the url carries credentials (user info); "
                    + "receivers authenticate the sender by the signature");
        }
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET) {
            throw new IllegalArgumentException("webhook " + name + ": the secret must have at least " + MIN_SECRET
                    + " characters (it signs every body; receivers verify it)");
        }
    }

    /** The URL without query or fragment (which may carry tokens): what status pages and logs show. */
    public String displayUrl() {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override
    public String toString() {
        return "Webhook[" + name + " " + displayUrl() + "]"; // never the secret
    }
}
