package dev.failurelab.lab.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.topology.LabSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queue-overload experiment on the real embedded topology, shortened
 * ({@link QueueOverloadLab#SHORT_RUN}): every discipline a hypothesis reads, each under the ramp to
 * twice the measured capacity; every hypothesis of {@code queue-overload.properties} checked with its
 * own threshold.
 */
class QueueOverloadLabIT {

    @Test
    void theUnboundedQueueCollapses_theDisciplinesHoldGoodput_theReportDrawsTheCurve() throws Exception {
        QueueOverloadLab lab = (QueueOverloadLab) LabRegistry.load().get("queue-overload");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(QueueOverloadLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("unbounded-fifo.goodput-share",
                "unbounded-fifo.drain-ratio", "unbounded-fifo.wasted", "codel.goodput-share", "codel.p99-ratio",
                "codel.drain-s", "adaptive-lifo.goodput-share", "adaptive-lifo.p99-ratio", "adaptive-lifo.drain-s",
                "priority.live-success", "priority.batch-shed-share", "deadline.wasted");

        QueueResult data = (QueueResult) result.data();
        assertThat(data.capacity()).as("4 slots x 40 ms: about 100 req/s").isBetween(70.0, 110.0);
        assertThat(data.rows()).extracting(RowResult::discipline)
                .containsExactly("unbounded-fifo", "codel", "adaptive-lifo", "priority", "deadline");
        RowResult unbounded = data.row("unbounded-fifo").orElseThrow();
        assertThat(unbounded.seconds()).extracting(s -> s.phase()).containsSubsequence(RowResult.PHASES);
        assertThat(unbounded.backlog()).as("a backlog the discipline-less queue had to drain").isGreaterThan(100);

        String html = ReportWriter.html(result);
        assertThat(html).contains("Goodput against offered load", "Signature: unbounded-fifo", "Signature: deadline");
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"true\"");
        }
        assertThat(ReportWriter.markdown(result)).contains("| unbounded-fifo ", "## Hypotheses", "### codel");
        assertThat(result.incident().runbook()).isEqualTo("runbooks/queue-overload.md");

        List<EventTimeline.Event> events = session.timeline().events();
        assertThat(events).extracting(e -> e.type().id()).containsSubsequence("run_started", "defence_switched",
                "overload_started", "run_finished");
        assertThat(events).filteredOn(e -> e.type().equals(QueueOverloadLab.OVERLOAD)).hasSize(5);
    }
}
