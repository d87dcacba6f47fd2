package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;

import static com.orderintel.registry.RegistryException.Reason.INVALID_MANIFEST;

/**
 * Which aliases move only through an approved promotion ({@code <root>/policy/aliases.yaml} in the store, so the CLI
 * working straight on the store obeys the same rule as the registry server): a promotion of a guarded alias is
 * requested with a reason and applied when a different principal approves it. {@code requestAt} is where requests are
 * made (the registry server's base URL), named in the refusal a direct promote gets. No file: nothing is guarded.
 *
 * <pre>
 * approval: [production]
 * requestAt: http://registry.example:8085
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasPolicy(List<String> approval, String requestAt) {

    /** The key of the policy file under the registry root. */
    public static final String KEY = "policy/aliases.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(ManifestCodec.boundedYamlFactory().build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AliasPolicy {
        approval = approval == null ? List.of() : List.copyOf(approval);
        approval.forEach(a -> ModelNames.check("guarded alias", a));
    }

    public static AliasPolicy open() {
        return new AliasPolicy(List.of(), null);
    }

    /** True when moving {@code alias} needs an approved request. */
    public boolean guards(String alias) {
        return approval.contains(alias);
    }

    /** The refusal a direct promote of a guarded alias gets, saying how to request it instead. */
    RegistryException refusal(String modelName, String alias, String version, String location) {
        String where = requestAt == null || requestAt.isBlank()
                ? "the registry server (training-runner has no approval flow)"
                : stripSlash(requestAt) + "/console/models/" + modelName + " or POST " + stripSlash(requestAt)
                        + "/api/v1/models/" + modelName + "/aliases/" + alias + "/requests {\"version\": \"" + version
                        + "\", \"reason\": \"...\"}";
        return new RegistryException(RegistryException.Reason.APPROVAL_REQUIRED, "alias '" + alias + "' of model '" + modelName
                + "' is guarded in registry " + ModelUri.redact(location) + " (" + KEY + "): moving it needs a promotion"
                + " request with a reason, approved by a second person; request " + version + " at " + where);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public byte[] toYaml() {
        try {
            return YAML.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("alias policy is always serialisable", e);
        }
    }

    public static AliasPolicy fromYaml(byte[] yaml, String origin) {
        ManifestCodec.checkLines(yaml, "alias policy " + origin);
        try {
            AliasPolicy p = YAML.readValue(yaml, AliasPolicy.class);
            return p == null ? open() : p;
        } catch (IOException e) {
            throw new RegistryException(INVALID_MANIFEST, "alias policy " + origin + " is unreadable: " + ManifestCodec.parseProblem(e), e);
        } catch (RegistryException e) {
            throw new RegistryException(INVALID_MANIFEST, "alias policy " + origin + ": " + e.getMessage(), e);
        }
    }
}
