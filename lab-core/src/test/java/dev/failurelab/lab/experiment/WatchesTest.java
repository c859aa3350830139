package dev.failurelab.lab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchesTest {

    private final LabDefaults settings = LabDefaults.load("/test-lab.properties");

    @Test
    void from_watchesEveryWatchKey_andRecordsCrossingAndClearing() {
        EventTimeline timeline = new EventTimeline();
        Watches watches = Watches.from(settings, timeline);
        assertThat(watches.figures()).containsExactlyInAnyOrder("amplification", "tokens");

        watches.observe(Map.of("amplification", 1.5, "tokens", 5.0), Map.of("policy", "naive"), f -> true);
        watches.observe(Map.of("amplification", 3.0, "tokens", 0.5), Map.of("policy", "naive"), f -> true);
        watches.observe(Map.of("amplification", 3.5), Map.of(), f -> true);
        watches.observe(Map.of("amplification", 1.0, "tokens", Double.NaN), Map.of(), f -> true);

        assertThat(timeline.events()).extracting(e -> e.type().id() + " " + e.values().get("threshold"))
                .containsExactly("threshold_crossed amplification", "threshold_crossed tokens",
                        "threshold_cleared amplification");
        assertThat(timeline.events().get(0).message()).isEqualTo("crossed: amplification above 2");
        assertThat(timeline.events().get(0).values()).containsEntry("policy", "naive").containsEntry("value", 3.0);
    }

    @Test
    void observe_skipsFiguresThatDoNotApply_andResetForgetsTheState() {
        EventTimeline timeline = new EventTimeline();
        Watches watches = Watches.from(settings, timeline);
        watches.observe(Map.of("tokens", 0.0), Map.of(), f -> !f.equals("tokens"));
        assertThat(timeline.events()).isEmpty();
        watches.observe("amplification", 5, Map.of());
        watches.reset();
        watches.observe("amplification", 5, Map.of());
        assertThat(timeline.events()).hasSize(2);
    }

    @Test
    void from_refusesAWatchWithoutADirection() {
        LabDefaults bad = LabDefaults.load("/bad-watch.properties");
        assertThatThrownBy(() -> Watches.from(bad, new EventTimeline()))
                .hasMessageContaining("must be watch.<figure>.above or watch.<figure>.below");
    }
}
