package com.orderintel.registry;

import com.orderintel.testkit.S3ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How S3Settings resolves endpoint, region and addressing from an injected environment and the SDK's own
 * region providers (a real profile file in a temp dir; instance metadata switched off), and that the result
 * talks to a real S3-compatible server (S3Proxy on loopback). No AWS account involved.
 */
class S3SettingsTest {

    @TempDir
    Path tmp;

    /** System properties a test set, restored afterwards (the module's tests share one JVM). */
    private final Map<String, String> savedProperties = new HashMap<>();

    private void setProperty(String name, String value) {
        savedProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    private void clearProperty(String name) {
        savedProperties.putIfAbsent(name, System.getProperty(name));
        System.clearProperty(name);
    }

    @AfterEach
    void restoreProperties() {
        savedProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    /** The SDK's profile region provider over a config file holding {@code profileBody} under profile "ci". */
    private AwsRegionProvider profileChain(String profileBody) throws IOException {
        Path config = Files.writeString(tmp.resolve("config"), "[profile ci]\n" + profileBody);
        ProfileFile file = ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build();
        return new AwsProfileRegionProvider(() -> file, "ci");
    }

    private AwsRegionProvider noRegionAnywhere() throws IOException {
        return profileChain("output = json\n");
    }

    /** The same chain with and without an endpoint override. */
    private static S3Settings resolve(Map<String, String> env, AwsRegionProvider chain) {
        return S3Settings.fromLookup(env::get, chain, chain);
    }

    @Test
    void endpointPrecedenceIsServiceSpecificThenAliasThenGlobal() throws IOException {
        AwsRegionProvider chain = noRegionAnywhere();
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_ENDPOINT_URL_S3", "http://s3-specific:8333",
                "S3_ENDPOINT_URL", "http://alias:9000",
                "AWS_ENDPOINT_URL", "http://global:4566"));
        assertThat(resolve(env, chain).endpoint()).isEqualTo("http://s3-specific:8333");
        env.put("AWS_ENDPOINT_URL_S3", "  ");   // blank counts as unset
        assertThat(resolve(env, chain).endpoint()).isEqualTo("http://alias:9000");
        env.remove("S3_ENDPOINT_URL");
        S3Settings global = resolve(env, chain);
        assertThat(global.endpoint()).isEqualTo("http://global:4566");
        assertThat(global.pathStyle()).as("path style by default with an endpoint override").isTrue();
        env.put("S3_PATH_STYLE", "false");
        assertThat(resolve(env, chain).pathStyle()).isFalse();
    }

    @Test
    void regionComesFromAwsRegionThenTheSdkChainNeverForcedToUsEast1() throws IOException {
        AwsRegionProvider profile = profileChain("region = eu-central-1\n");
        assertThat(resolve(Map.of(), profile)).isEqualTo(new S3Settings(null, "eu-central-1", false));
        assertThat(resolve(Map.of("AWS_REGION", "ap-southeast-2"), profile).region()).isEqualTo("ap-southeast-2");
        // an endpoint override does not override a region that is configured
        assertThat(resolve(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:8333"), profile).region()).isEqualTo("eu-central-1");
    }

    @Test
    void usEast1OnlyWhenAnEndpointIsSetAndNoRegionIsFound() throws IOException {
        AwsRegionProvider none = noRegionAnywhere();
        assertThat(resolve(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:8333"), none).region()).isEqualTo("us-east-1");
        assertThatThrownBy(() -> resolve(Map.of(), none))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("no AWS region found").hasMessageContaining("AWS_REGION");
    }

    @Test
    void aMalformedEndpointIsRefusedWithTheVariableNamed() throws IOException {
        AwsRegionProvider none = noRegionAnywhere();
        for (String bad : List.of("s3proxy:80", "ftp://host/", "http://", "http://bad host")) {
            assertThatThrownBy(() -> resolve(Map.of("AWS_ENDPOINT_URL_S3", bad), none)).as(bad)
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("AWS_ENDPOINT_URL_S3 '" + bad + "'");
        }
    }

    @Test
    void theSdkDefaultChainReadsTheAwsRegionSystemProperty() {
        setProperty("aws.disableEc2Metadata", "true");   // no instance-metadata lookups from a test
        setProperty("aws.region", "eu-west-3");
        setProperty("aws.profile", "no-such-profile-" + System.nanoTime());
        assertThat(S3Settings.fromLookup(name -> null, DefaultAwsRegionProviderChain.builder().build(), null).region())
                .isEqualTo("eu-west-3");
    }

    @Test
    void withAnEndpointOverrideTheChainWithoutInstanceMetadataIsAsked() throws IOException {
        AwsRegionProvider awsChain = () -> {
            throw new AssertionError("the AWS chain (instance metadata) must not be asked when an endpoint is set");
        };
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:8333");
        assertThat(S3Settings.fromLookup(env::get, awsChain, profileChain("region = eu-north-1\n")).region())
                .isEqualTo("eu-north-1");
        assertThat(S3Settings.fromLookup(env::get, awsChain, noRegionAnywhere()).region()).isEqualTo("us-east-1");
        // and without an endpoint, the AWS chain is the one asked
        assertThat(S3Settings.fromLookup(name -> null, profileChain("region = sa-east-1\n"), awsChain).region())
                .isEqualTo("sa-east-1");
    }

    @Test
    void settingsFromSystemPropertiesReachARealS3CompatibleServer() throws Exception {
        assumeTrue(System.getenv("AWS_REGION") == null, "AWS_REGION is set in this environment: the fallback cannot show");
        try (S3ProxyFixture s3 = new S3ProxyFixture()) {
            String bucket = s3.newBucket();
            setProperty("aws.disableEc2Metadata", "true");
            setProperty("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            setProperty("AWS_REGION", " ");   // blank: falls through to the chain, then to us-east-1
            clearProperty("aws.region");
            setProperty("aws.profile", "no-such-profile-" + System.nanoTime());
            setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
            setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
            S3Settings settings = S3Settings.fromEnvironment();
            assertThat(settings).isEqualTo(new S3Settings(s3.endpoint().toString(), "us-east-1", true));
            try (S3Client client = settings.newClient()) {
                client.putObject(b -> b.bucket(bucket).key("probe.txt"), RequestBody.fromString("ok"));
                assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("probe.txt")).asUtf8String()).isEqualTo("ok");
            }
        }
    }
}
