package dev.failurelab.fault.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zone's names and records, and the start-up errors that name the property at fault. */
class DnsZoneTest {

    @Test
    void recordsAreFullyQualified_caseInsensitive_andTheZoneAnswersForItsOwnNamesOnly() {
        DnsZone zone = new DnsZone("Failure-Lab.test.", Duration.ofSeconds(5), Map.of("bottom", "127.0.0.1"));
        assertThat(zone.name()).isEqualTo("failure-lab.test");
        assertThat(zone.records()).containsExactly(Map.entry("bottom.failure-lab.test.", "127.0.0.1"));
        assertThat(zone.lookup(DnsZone.normalise("BOTTOM.failure-lab.test"))).isPresent();
        assertThat(zone.contains("nope.failure-lab.test.")).isTrue();
        assertThat(zone.contains("failure-lab.test.example.")).isFalse();
        assertThat(zone.ttlSeconds()).isEqualTo(5);
    }

    @Test
    void badZonesAndRecords_areRefused_namingTheProperty() {
        assertThatThrownBy(() -> new DnsZone("bad zone", Duration.ofSeconds(5), Map.of()))
                .hasMessageContaining("fault-injector.dns.zone");
        assertThatThrownBy(() -> new DnsZone("failure-lab.test", Duration.ofSeconds(5), Map.of("a.b", "127.0.0.1")))
                .hasMessageContaining("fault-injector.dns.records").hasMessageContaining("one label");
        assertThatThrownBy(() -> new DnsZone("failure-lab.test", Duration.ofSeconds(5), Map.of("bottom", "::1")))
                .hasMessageContaining("fault-injector.dns.records.bottom must be an IPv4 address");
        assertThatThrownBy(() -> new DnsZone("failure-lab.test", Duration.ofSeconds(-1), Map.of()))
                .hasMessageContaining("fault-injector.dns.ttl");
    }
}
