package dev.failurelab.chain.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A DNS server's address: host:port, or a start-up error naming the property. */
class DnsPropertiesTest {

    @Test
    void hostAndPort_areParsed() {
        assertThat(DnsProperties.address("127.0.0.1:8053", "chain.dns.server").getPort()).isEqualTo(8053);
    }

    @Test
    void aMissingOrBadPort_isRefused_namingTheProperty() {
        assertThatThrownBy(() -> DnsProperties.address("127.0.0.1", "chain.dns.server"))
                .hasMessageContaining("chain.dns.server must be host:port");
        assertThatThrownBy(() -> DnsProperties.address("127.0.0.1:99999", "chain.dns.fallback-server"))
                .hasMessageContaining("chain.dns.fallback-server must end with a port");
    }

    @Test
    void aStalePolicyThatIsNoPolicy_isRefused_namingTheProperty() {
        assertThat(StalePolicy.of("reference")).isInstanceOf(RefreshingStalePolicy.class);
        assertThatThrownBy(() -> StalePolicy.of("java.lang.String")).hasMessageContaining("chain.dns.stale-policy")
                .hasMessageContaining("does not implement");
        assertThatThrownBy(() -> StalePolicy.of("no.such.Policy")).hasMessageContaining("no class no.such.Policy");
    }
}
