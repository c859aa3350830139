package dev.failurelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.experiment.LabDefaults;
import org.junit.jupiter.api.Test;

class LabRegistryTest {

    @Test
    void load_findsTheLabsListedInMetaInfServices() {
        LabRegistry registry = LabRegistry.load();
        assertThat(registry.names()).contains("hop-latency");
        Lab lab = registry.get("hop-latency");
        assertThat(lab.title()).isEqualTo("Hop latency (test lab)");
        assertThat(LabDefaults.load(lab.defaults()).number("load.rate")).isPositive();
        assertThat(lab.topology().has("edge")).isTrue();
    }

    @Test
    void get_anUnknownLab_namesTheLabsThereAre() {
        assertThatThrownBy(() -> LabRegistry.load().get("chaos"))
                .hasMessageContaining("unknown lab 'chaos'; available: ").hasMessageContaining("hop-latency");
    }
}
