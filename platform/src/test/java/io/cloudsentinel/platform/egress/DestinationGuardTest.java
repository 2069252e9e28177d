package io.cloudsentinel.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationGuardTest {

    private static final DestinationPolicy PUBLIC_ONLY = DestinationPolicy.publicOnly();
    private static final DestinationPolicy ALLOW_PRIVATE = new DestinationPolicy(true, List.of());

    private static DestinationRefusedException refusal(DestinationPolicy policy, HostResolver resolver, String url) {
        return catchThrowableOfType(() -> new DestinationGuard(policy, resolver).check(URI.create(url)),
                DestinationRefusedException.class);
    }

    @Test
    void aPublicHttpsHostPassesPinnedToItsFirstAddress() {
        CheckedDestination checked = new DestinationGuard(PUBLIC_ONLY, Addresses.answering("93.184.216.34",
                "2606:2800:220:1:248:1893:25c8:1946")).check(URI.create("https://Hooks.Example.COM./in?x=1"));

        assertThat(checked.host()).isEqualTo("hooks.example.com");
        assertThat(checked.port()).isEqualTo(443);
        assertThat(checked.tls()).isTrue();
        assertThat(checked.address()).isEqualTo(Addresses.of("93.184.216.34"));
        assertThat(checked.url()).isEqualTo(URI.create("https://Hooks.Example.COM./in?x=1"));
    }

    @Test
    void aGivenPortIsKept() {
        CheckedDestination checked = new DestinationGuard(PUBLIC_ONLY, Addresses.answering("93.184.216.34"))
                .check(URI.create("https://hooks.example.com:8443/in"));

        assertThat(checked.port()).isEqualTo(8443);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback", "127.45.0.9, loopback", "::1, loopback",
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified",
            "10.1.2.3, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private",
            "100.64.0.1, private", "100.127.255.254, private", "198.18.0.1, private", "198.19.255.255, private",
            "fc00::1, private", "fd12:3456::1, private",
            "169.254.1.1, link-local", "fe80::1, link-local", "febf::1, link-local",
            "169.254.169.254, metadata", "fd00:ec2::254, metadata", "100.100.100.200, metadata",
            "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast",
            "255.255.255.255, broadcast", "240.0.0.1, reserved" })
    void aSpecialAddressIsRefusedWithItsReason(String address, String reason) {
        DestinationRefusedException refused = refusal(PUBLIC_ONLY, Addresses.answering(address),
                "https://hooks.example.com/in");

        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.getMessage()).contains("hooks.example.com", reason);
    }

    @ParameterizedTest
    @ValueSource(strings = { "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "198.17.255.255",
            "198.20.0.1", "11.0.0.1", "169.253.255.255", "2606:4700::1", "fbff::1", "64:ff9b::808:808",
            "::ffff:8.8.8.8" })
    void addressesNextToTheBlocksPass(String address) {
        assertThat(new DestinationGuard(PUBLIC_ONLY, Addresses.answering(address))
                .check(URI.create("https://hooks.example.com/")).address()).isEqualTo(Addresses.of(address));
    }

    @ParameterizedTest
    @CsvSource({
            "::ffff:127.0.0.1, loopback", "::ffff:10.0.0.1, private", "::ffff:169.254.169.254, metadata",
            "::ffff:0:127.0.0.1, loopback", "::127.0.0.1, loopback", "::a9fe:a9fe, metadata",
            "64:ff9b::127.0.0.1, loopback", "64:ff9b::a9fe:a9fe, metadata", "64:ff9b::c0a8:101, private",
            "2002:7f00:1::, loopback", "2002:a9fe:a9fe::1, metadata" })
    void ipv6FormsOfRefusedIpv4AddressesAreRefusedToo(String address, String reason) {
        assertThat(refusal(PUBLIC_ONLY, Addresses.answering(address), "https://hooks.example.com/").reason())
                .isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({ "https://127.0.0.1/in, loopback", "https://[::1]:8443/in, loopback",
            "https://[::ffff:127.0.0.1]/in, loopback", "https://169.254.169.254/latest/meta-data, metadata",
            "https://[fd00:ec2::254]/, metadata", "https://10.0.0.1/, private" })
    void literalAddressesAreCheckedLikeResolvedOnes(String url, String reason) {
        assertThat(refusal(PUBLIC_ONLY, HostResolver.SYSTEM, url).reason()).isEqualTo(reason);
    }

    @Test
    void oneRefusedAddressAmongTheAnswersRefusesTheDestination() {
        DestinationRefusedException refused = refusal(PUBLIC_ONLY,
                Addresses.answering("93.184.216.34", "8.8.8.8", "10.0.0.7"), "https://hooks.example.com/in");

        assertThat(refused.reason()).isEqualTo("private");
        assertThat(refused.getMessage()).contains("10.0.0.7");
    }

    @Test
    void theNameIsLookedUpOnceSoARebindingAnswerIsNeverUsed() {
        Addresses.Rebinding resolver = new Addresses.Rebinding("93.184.216.34", "127.0.0.1");

        CheckedDestination checked = new DestinationGuard(PUBLIC_ONLY, resolver)
                .check(URI.create("https://rebind.example.com/in"));

        assertThat(checked.address()).isEqualTo(Addresses.of("93.184.216.34"));
        assertThat(resolver.asked).hasValue(1);
        // asked again, the same name is refused: it resolves to loopback now
        assertThat(refusal(PUBLIC_ONLY, resolver, "https://rebind.example.com/in").reason()).isEqualTo("loopback");
    }

    @Test
    void allowPrivateLetsLoopbackPrivateAndLinkLocalAndPlainHttpPass() {
        assertThat(new DestinationGuard(ALLOW_PRIVATE, Addresses.answering("127.0.0.1", "10.0.0.1", "169.254.3.4"))
                .check(URI.create("http://localhost:8080/hook")).port()).isEqualTo(8080);
    }

    @ParameterizedTest
    @CsvSource({ "169.254.169.254, metadata", "::ffff:169.254.169.254, metadata", "224.0.0.1, multicast",
            "0.0.0.0, unspecified" })
    void allowPrivateNeverLetsMetadataMulticastOrUnspecifiedPass(String address, String reason) {
        assertThat(refusal(ALLOW_PRIVATE, Addresses.answering(address), "http://hooks.example.com/").reason())
                .isEqualTo(reason);
    }

    @Test
    void anAllowedHostNamePassesAlthoughPrivateAndOnlyThatName() {
        DestinationPolicy policy = new DestinationPolicy(false, List.of("Models.Internal"));
        HostResolver resolver = Addresses.answering("10.20.30.40");

        assertThat(new DestinationGuard(policy, resolver).check(URI.create("https://models.internal/v1"))
                .address()).isEqualTo(Addresses.of("10.20.30.40"));
        assertThat(refusal(policy, resolver, "https://other.internal/v1").reason()).isEqualTo("private");
    }

    @Test
    void anAllowedBlockPassesItsAddressesOnly() {
        DestinationPolicy policy = new DestinationPolicy(false, List.of("10.20.0.0/16", "fd00:1::/32"));

        assertThat(new DestinationGuard(policy, Addresses.answering("10.20.30.40", "fd00:1::5"))
                .check(URI.create("https://models.internal/")).address()).isEqualTo(Addresses.of("10.20.30.40"));
        assertThat(refusal(policy, Addresses.answering("10.20.30.40", "10.21.0.1"), "https://models.internal/")
                .getMessage()).contains("10.21.0.1");
    }

    @Test
    void noAllowedHostOrBlockLetsAMetadataAddressPass() {
        DestinationPolicy policy = new DestinationPolicy(false, List.of("169.254.0.0/16", "metadata.internal"));

        assertThat(refusal(policy, Addresses.answering("169.254.169.254"), "https://metadata.internal/").reason())
                .isEqualTo("metadata");
        assertThat(new DestinationGuard(policy, Addresses.answering("169.254.10.10"))
                .check(URI.create("https://link.example/")).address()).isEqualTo(Addresses.of("169.254.10.10"));
    }

    @Test
    void metadataNamesAreRefusedWithoutALookup() {
        HostResolver never = host -> {
            throw new AssertionError("looked up " + host);
        };

        assertThat(refusal(ALLOW_PRIVATE, never, "http://metadata.google.internal/computeMetadata/v1").reason())
                .isEqualTo("metadata");
        assertThat(refusal(ALLOW_PRIVATE, never, "http://METADATA.google.internal./").reason())
                .isEqualTo("metadata");
    }

    @Test
    void plainHttpIsRefusedUnlessPrivateIsAllowed() {
        assertThat(refusal(PUBLIC_ONLY, Addresses.answering("93.184.216.34"), "http://hooks.example.com/").reason())
                .isEqualTo("scheme-not-allowed");
    }

    @Test
    void plainHttpPassesForAnOperatorsAllowedHostOrBlockOnly() {
        DestinationPolicy policy = new DestinationPolicy(false, List.of("vllm.models.svc", "10.20.0.0/16"));

        assertThat(new DestinationGuard(policy, Addresses.answering("10.30.0.5"))
                .check(URI.create("http://vllm.models.svc:8000/v1")).port()).isEqualTo(8000);
        assertThat(new DestinationGuard(policy, Addresses.answering("10.20.0.9"))
                .check(URI.create("http://ollama.internal:11434/")).address()).isEqualTo(Addresses.of("10.20.0.9"));
        assertThat(refusal(policy, Addresses.answering("93.184.216.34"), "http://hooks.example.com/").reason())
                .isEqualTo("scheme-not-allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/" })
    void otherSchemesAreRefusedAlways(String url) {
        DestinationRefusedException refused = refusal(ALLOW_PRIVATE, Addresses.answering("93.184.216.34"), url);

        assertThat(refused.reason()).isIn("scheme-not-allowed", "malformed-url");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutRepeatingThem() {
        DestinationRefusedException refused = refusal(PUBLIC_ONLY, Addresses.answering("93.184.216.34"),
                "https://alice:s3cret-pass@hooks.example.com/in");

        assertThat(refused.reason()).isEqualTo("userinfo-not-allowed");
        assertThat(refused.getMessage()).doesNotContain("s3cret-pass").doesNotContain("alice");
    }

    @Test
    void theMessageNamesHostAndAddressButNeverThePathOrQuery() {
        DestinationRefusedException refused = refusal(PUBLIC_ONLY, Addresses.answering("10.0.0.1"),
                "https://hooks.example.com/secret-path?token=s3cret");

        assertThat(refused.getMessage()).contains("hooks.example.com", "10.0.0.1")
                .doesNotContain("secret-path").doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/relative/path", "https:///no-host", "https://under_score.example.com/",
            "mailto:someone@example.com", "https://hooks.example.com:70000/" })
    void malformedUrlsAreRefused(String url) {
        assertThat(refusal(ALLOW_PRIVATE, Addresses.answering("93.184.216.34"), url).reason())
                .isEqualTo("malformed-url");
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        HostResolver unknown = host -> {
            throw new UnknownHostException(host);
        };

        assertThat(refusal(PUBLIC_ONLY, unknown, "https://nowhere.example/").reason()).isEqualTo("unresolvable");
        assertThat(refusal(PUBLIC_ONLY, host -> List.of(), "https://nowhere.example/").reason())
                .isEqualTo("unresolvable");
    }

    @Test
    void anAllowedHostsEntryThatIsNeitherNameNorBlockIsRefusedAtStart() {
        assertThatThrownBy(() -> new DestinationGuard(new DestinationPolicy(false, List.of("10.0.0.0/33")),
                HostResolver.SYSTEM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DestinationGuard(new DestinationPolicy(false, List.of("models/internal")),
                HostResolver.SYSTEM)).isInstanceOf(IllegalArgumentException.class);
    }
}
