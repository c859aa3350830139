package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.experiment.LabDefaults;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillScoreTest {

    private final LabDefaults settings = Drill.settings(Map.of());

    @Test
    void aPerfectDrill_scores100_andNothingBurned() {
        assertThat(DrillScore.of(settings, true, Duration.ZERO, Duration.ZERO, 0, 0, 0).total()).isEqualTo(100);
    }

    @Test
    void theScore_fallsWithTime_budget_andPenalties() {
        // stop.after 15 min: detection at 3 min keeps 80% of 20, mitigation at 6 min 60% of 30;
        // budget cap 10x for 15 min = 150 min at 1x: 75 burned keeps half of 20.
        DrillScore score = DrillScore.of(settings, true, Duration.ofMinutes(3), Duration.ofMinutes(6), 75, 1, 2);
        assertThat(score.diagnosis()).isEqualTo(30);
        assertThat(score.detect()).isEqualTo(16);
        assertThat(score.mitigate()).isEqualTo(18);
        assertThat(score.budget()).isEqualTo(10);
        assertThat(score.penalties()).isEqualTo(15);
        assertThat(score.total()).isEqualTo(59);
    }

    @Test
    void aWrongOrMissingDiagnosis_andNoMitigation_scoreLittle_neverBelowZero() {
        assertThat(DrillScore.of(settings, false, null, null, 150, 0, 0).total()).isZero();
        assertThat(DrillScore.of(settings, false, null, null, 100, 5, 5).total()).isZero();
    }

    @Test
    void badSettings_areRefusedNamingTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Drill.settings(Map.of("slo.objective", "1.5")))
                .hasMessageContaining("slo.objective");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Drill.settings(Map.of("mitigated.for", "0s")))
                .hasMessageContaining("mitigated.for");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Drill.settings(Map.of("stop.burm", "3")))
                .hasMessageContaining("stop.burm");
    }
}
