package com.orderintel.advisor.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code advisor.security}: static bearer tokens for simple installs (each from a Secret or Vault, never logged:
 * {@link #toString()} masks them), the JWT claim carrying roles, and which routes stay open.
 *
 * @param adminToken     ADVISOR_SECURITY_ADMIN_TOKEN: role admin (reload, feedback, read)
 * @param readToken      ADVISOR_SECURITY_READ_TOKEN: role read (model manifests, run history, health details)
 * @param feedbackToken  ADVISOR_SECURITY_FEEDBACK_TOKEN: role feedback (POST /api/v1/feedback only)
 * @param rolesClaim     JWT claim with the caller's roles (a list or a space-separated string); dots walk into
 *                       nested objects, e.g. {@code realm_access.roles}
 * @param publicScoring  scoring (/api/v1/anomaly|forecast|enrich, /v2 inference) without credentials; false = role read
 * @param publicFeedback feedback without credentials (not recommended: feedback labels become training data)
 */
@ConfigurationProperties("advisor.security")
public record SecurityProperties(String adminToken, String readToken, String feedbackToken,
                                 @DefaultValue("roles") String rolesClaim,
                                 @DefaultValue("true") boolean publicScoring,
                                 @DefaultValue("false") boolean publicFeedback) {

    public SecurityProperties {
        checkToken("admin-token", adminToken);
        checkToken("read-token", readToken);
        checkToken("feedback-token", feedbackToken);
    }

    private static void checkToken(String name, String token) {
        if (token != null && !token.isEmpty() && token.length() < 16) {
            throw new IllegalArgumentException("advisor.security." + name + " must be at least 16 characters (got "
                    + token.length() + "); generate one with: openssl rand -hex 32");
        }
    }

    @Override
    public String toString() {
        return "SecurityProperties[adminToken=" + mask(adminToken) + ", readToken=" + mask(readToken) + ", feedbackToken="
                + mask(feedbackToken) + ", rolesClaim=" + rolesClaim + ", publicScoring=" + publicScoring
                + ", publicFeedback=" + publicFeedback + "]";
    }

    private static String mask(String token) {
        return token == null || token.isEmpty() ? "(unset)" : "******";
    }
}
