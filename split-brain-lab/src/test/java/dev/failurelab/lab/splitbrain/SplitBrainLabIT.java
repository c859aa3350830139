package dev.failurelab.lab.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.LabSession;
import org.junit.jupiter.api.Test;

/**
 * The split-brain lab, shortened ({@link SplitBrainLab#SHORT_RUN}): naive HA elects two leaders under
 * a partition and loses acknowledged writes; ZooKeeper election with majority writes and fencing loses
 * none, stays linearizable, commits nothing on the minority side and commits again on the majority
 * side in time; the zombie leader's stale write is accepted without fencing and refused with it. Each
 * hypothesis checked with its threshold in {@code split-brain.properties}.
 */
class SplitBrainLabIT {

    @Test
    void naiveHaLosesAcknowledgedWrites_consensusAndFencingLoseNone() throws Exception {
        SplitBrainLab lab = (SplitBrainLab) LabRegistry.load().get("split-brain");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(SplitBrainLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println);
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("naive-partition.leaders",
                "naive-partition.lost", "consensus-partition.lost", "consensus-partition.violations",
                "consensus-partition.minority-commits", "consensus-partition.recovery-s", "zombie.stale",
                "zombie-fencing.stale");
        SplitBrainResult data = (SplitBrainResult) result.data();
        RowResult naive = data.row("naive-partition").orElseThrow();
        assertThat(naive.conflicting()).as("the deposed leader held writes the new one had not").isPositive();
        assertThat(naive.discarded()).as("and dropped them when it took the new leader's copy").isPositive();
        assertThat(data.row("zombie-fencing").orElseThrow().fenced()).as("PostgreSQL refused the zombie's write")
                .isPositive();
        for (String fenced : java.util.List.of("consensus-partition", "zombie-fencing")) {
            assertThat(data.row(fenced).orElseThrow().divergent()).as(fenced + ": the replicas converge once the fault"
                    + " is over").isZero();
        }
    }
}
