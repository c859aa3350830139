package dev.failurelab.lab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabDefaultsTest {

    private final LabDefaults defaults = LabDefaults.load("/test-lab.properties");

    @Test
    void readsTypedValues_andPrefixes() {
        assertThat(defaults.number("load.rate")).isEqualTo(60.0);
        assertThat(defaults.duration("phase.brownout")).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.duration("fault.margin")).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.withPrefix("topology.bottom.")).containsEntry("chain.capacity.max-concurrency", "4");
    }

    @Test
    void overrides_mustNameAnExistingKey() {
        assertThat(defaults.with(Map.of("load.rate", "80")).number("load.rate")).isEqualTo(80.0);
        assertThatThrownBy(() -> defaults.with(Map.of("load.rat", "80"))).hasMessageContaining("unknown setting 'load.rat'");
    }

    @Test
    void badValues_failNamingTheKey() {
        LabDefaults bad = defaults.with(Map.of("load.rate", "fast", "phase.brownout", "soon"));
        assertThatThrownBy(() -> bad.number("load.rate")).hasMessageContaining("load.rate");
        assertThatThrownBy(() -> bad.duration("phase.brownout")).hasMessageContaining("phase.brownout");
        assertThatThrownBy(() -> defaults.string("missing")).hasMessageContaining("missing");
    }
}
