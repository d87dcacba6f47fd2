package com.orderintel.registryserver.evidence;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code registry.capture}: JDBC URL (REGISTRY_CAPTURE_URL), user and password of the capture database; unset: no evidence. */
@ConfigurationProperties("registry.capture")
public record CaptureProperties(String url, String username, String password) {

    @Override
    public String toString() {
        return "CaptureProperties[url=" + url + ", username=" + username + ", password=" + (password == null ? "(unset)" : "******") + "]";
    }
}
