package dev.failurelab.lab.partition;

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
 * The hot-partition experiment on the real embedded topology (eight shards and the router, each a
 * server of its own), shortened ({@link HotPartitionLab#SHORT_RUN}): every row, every hypothesis of
 * {@code hot-partition.properties} checked with its own threshold.
 */
class HotPartitionLabIT {

    @Test
    void plainHashingMeltsOneShard_theDefencesSpreadIt_theReportShowsEachRow() throws Exception {
        HotPartitionLab lab = (HotPartitionLab) LabRegistry.load().get("hot-partition");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(HotPartitionLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("consistent.max-mean",
                "consistent.throttled", "bounded-load.max-mean", "bounded-load.throttled",
                "coalesce.hot-call-reduction", "cache.hot-call-reduction", "write-sharding.write-max-mean");

        PartitionResult data = (PartitionResult) result.data();
        assertThat(data.shards()).isEqualTo(8);
        assertThat(data.hotShard()).isBetween(1, 8);
        assertThat(data.rows()).extracting(RowResult::row)
                .containsExactly("consistent", "bounded-load", "coalesce", "cache", "writes", "write-sharding");
        RowResult bounded = data.row("bounded-load").orElseThrow();
        assertThat(bounded.placements()).as("the router's exact seconds of the trigger").hasSizeGreaterThanOrEqualTo(3);
        assertThat(bounded.offHomeShare()).as("bounded loads move reads off their home: its cost in locality")
                .isGreaterThan(data.row("consistent").orElseThrow().offHomeShare());
        RowResult writes = data.row("writes").orElseThrow();
        assertThat(writes.writeMaxMean()).as("plain hashing under a write-heavy celebrity").isGreaterThan(2.0);

        String html = ReportWriter.html(result);
        assertThat(html).contains("Max/mean across the shards", "Signature: consistent", "Signature: write-sharding",
                "Requests placed on each shard per second");
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"true\"");
        }
        assertThat(ReportWriter.markdown(result)).contains("| bounded-load ", "## Hypotheses", "### cache");
        assertThat(result.incident().runbook()).isEqualTo("runbooks/hot-partition.md");

        List<EventTimeline.Event> events = session.timeline().events();
        assertThat(events).extracting(e -> e.type().id()).containsSubsequence("run_started", "defence_switched",
                "celebrity_trigger", "run_finished");
        assertThat(events).filteredOn(e -> e.type().equals(HotPartitionLab.CELEBRITY)).hasSize(6);
    }
}
