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
    void overrides_ofAnotherKindThanTheDefault_failAtOnce_namingTheKey() {
        assertThatThrownBy(() -> defaults.with(Map.of("load.rate", "fast")))
                .hasMessageContaining("setting 'load.rate' must be a number like 60, got 'fast'");
        assertThatThrownBy(() -> defaults.with(Map.of("phase.brownout", "soon")))
                .hasMessageContaining("setting 'phase.brownout' must be a duration like 15s, got 'soon'");
        assertThat(defaults.with(Map.of("phase.brownout", "2m")).duration("phase.brownout")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> defaults.string("missing")).hasMessageContaining("missing");
    }
}
