package com.orderintel.registry;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;

/**
 * S3 client settings from the environment (or same-named system properties, which win).
 * <ul>
 *   <li>Endpoint override for S3-compatible stores (S3Proxy, SeaweedFS, Ceph...), first set of
 *       {@code AWS_ENDPOINT_URL_S3}, {@code S3_ENDPOINT_URL} (our older name, kept as an alias) and
 *       {@code AWS_ENDPOINT_URL} - the AWS SDKs' own service-specific-then-global order.</li>
 *   <li>Region: {@code AWS_REGION}, then the SDK's default region provider chain (system property
 *       {@code aws.region}, env {@code AWS_REGION}, the profile's {@code region} in {@code ~/.aws/config} /
 *       {@code AWS_PROFILE}, EC2/EKS instance metadata). When none is found: {@code us-east-1} if an endpoint
 *       override is set (S3-compatible stores ignore the region but the signature needs one), otherwise an
 *       error naming the settings, as real AWS S3 needs the bucket's region. With an endpoint override the
 *       chain stops before instance metadata: off EC2 that lookup costs seconds of timeouts on every start,
 *       for a region the store does not use.</li>
 *   <li>{@code S3_PATH_STYLE}: path-style addressing; defaults to true when an endpoint override is set.</li>
 * </ul>
 * Credentials come from the AWS default provider chain (env {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY}, profiles, web identity, instance/pod roles).
 */
public record S3Settings(String endpoint, String region, boolean pathStyle) {

    /** Endpoint variables, highest precedence first. */
    static final List<String> ENDPOINT_VARIABLES = List.of("AWS_ENDPOINT_URL_S3", "S3_ENDPOINT_URL", "AWS_ENDPOINT_URL");
    /** The region when an endpoint override is set and no region is configured anywhere. */
    static final String FALLBACK_REGION = "us-east-1";

    public static S3Settings fromEnvironment() {
        return fromLookup(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        }, DefaultAwsRegionProviderChain.builder().build(),
                new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()));
    }

    /**
     * @param awsChain the region chain for AWS S3 (the SDK's default, instance metadata included)
     * @param endpointChain the region chain when an endpoint override is set (the same without instance metadata)
     */
    static S3Settings fromLookup(UnaryOperator<String> lookup, AwsRegionProvider awsChain, AwsRegionProvider endpointChain) {
        String endpoint = endpointFrom(lookup);
        String region = Optional.ofNullable(blankToNull(lookup.apply("AWS_REGION")))
                .or(() -> regionFrom(endpoint != null ? endpointChain : awsChain))
                .orElse(endpoint != null ? FALLBACK_REGION : null);
        if (region == null) {
            throw new RegistryException(INVALID_URI, "S3: no AWS region found: set AWS_REGION (or aws.region, or a"
                    + " region in the AWS profile), or set AWS_ENDPOINT_URL_S3 for an S3-compatible store");
        }
        String pathStyle = blankToNull(lookup.apply("S3_PATH_STYLE"));
        return new S3Settings(endpoint, region, pathStyle != null ? Boolean.parseBoolean(pathStyle) : endpoint != null);
    }

    /** The first endpoint variable set, checked; null when none is. */
    private static String endpointFrom(UnaryOperator<String> lookup) {
        for (String variable : ENDPOINT_VARIABLES) {
            String endpoint = blankToNull(lookup.apply(variable));
            if (endpoint != null) {
                checkEndpoint(variable, endpoint);
                return endpoint;
            }
        }
        return null;
    }

    /** The chain's region, or empty when no provider in it has one (the SDK signals that with an exception). */
    private static Optional<String> regionFrom(AwsRegionProvider chain) {
        try {
            return Optional.ofNullable(chain.getRegion()).map(Region::id).map(S3Settings::blankToNull);
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }

    private static void checkEndpoint(String variable, String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new RegistryException(INVALID_URI, variable + " '" + endpoint
                    + "' is not an http(s) URL with a host (e.g. http://s3proxy:80)");
        }
    }

    public S3Client newClient() {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(pathStyle)
                // standard mode: bounded retries with jittered exponential back-off for throttling and 5xx
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
