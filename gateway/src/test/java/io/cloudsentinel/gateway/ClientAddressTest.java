package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.5", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheConnectionsPeerIsTheClientWhateverTheHeaderSays() {
        assertThat(new ClientAddress(List.of()).of("198.51.100.9", "203.0.113.1")).isEqualTo("198.51.100.9");
    }

    @Test
    void aPeerThatIsNoTrustedProxyCannotNameAnotherClient() {
        assertThat(behindProxies.of("198.51.100.9", "203.0.113.1")).isEqualTo("198.51.100.9");
    }

    @Test
    void fromATrustedProxyTheRightmostUntrustedHopIsTheClient() {
        // the client wrote 1.2.3.4 itself; the proxies appended what they saw
        assertThat(behindProxies.of("10.1.2.3", "1.2.3.4, 203.0.113.7, 192.168.1.5")).isEqualTo("203.0.113.7");
        assertThat(behindProxies.of("fd00::1", "2001:db8::42")).isEqualTo("2001:db8::42");
    }

    @Test
    void aHopThatIsNoAddressEndsTheWalk() {
        assertThat(behindProxies.of("10.1.2.3", "203.0.113.7, unknown")).isEqualTo("10.1.2.3");
    }

    @Test
    void aMalformedRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example"))).hasMessageContaining(
                "cs.gateway.trusted-proxies");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
    }
}
