package dev.failurelab.lab.stampede;

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
 * The stampede experiment on the real embedded topology, run as the platform runs it: two
 * replicas of the bottom sharing one real Redis and one real PostgreSQL, 1000 requests fired at
 * the hot key's expiry under each strategy. The thresholds are the lab's own
 * ({@code stampede.properties}), unshortened.
 */
class StampedeLabIT {

    @Test
    void noneStampedes_lockRecomputesOnce_swrServesStale_xfetchOnlyHelpsSteadyTraffic() throws Exception {
        StampedeLab lab = (StampedeLab) LabRegistry.load().get("stampede");
        LabDefaults settings = LabDefaults.load(lab.defaults());
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        StampedeResult data = (StampedeResult) result.data();
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(data.strategies()).extracting(StrategyResult::strategy)
                .containsExactlyElementsOf(StampedeLab.STRATEGIES);
        assertThat(data.strategies()).allSatisfy(r ->
                assertThat(r.expiry().requests()).as("every burst sent all of its requests").isEqualTo(1000));
        assertThat(ReportWriter.markdown(result)).contains("| lock ", "XFetch", "## Hypotheses", "## Settings");

        String html = ReportWriter.html(result);
        for (StrategyResult r : data.strategies()) {
            assertThat(html).contains("<h2>Strategy " + r.strategy() + "</h2>",
                    "data-label=\"" + r.strategy() + "\" data-value=\""
                            + dev.failurelab.lab.report.SvgChart.number(r.expiry().originQueries()) + "\"");
            assertThat(r.expiry().recomputesMs()).as(r.strategy() + " recomputes timed around the expiry")
                    .hasSizeGreaterThanOrEqualTo(1);
        }
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"" + check.passed() + "\"");
        }
        assertThat(result.incident().runbook()).isEqualTo("runbooks/cache-stampede.md");
        assertThat(result.incident().totalRequests()).isEqualTo(1000);

        List<EventTimeline.Event> events = session.timeline().events();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
        }
        assertThat(events).extracting(e -> e.type() + ":" + e.values().getOrDefault("strategy", ""))
                .containsSubsequence("run_started:", "defence_switched:none", "burst_fired:none",
                        "threshold_crossed:none", "defence_switched:lock", "burst_fired:lock",
                        "defence_switched:lock+swr", "burst_fired:lock+swr", "defence_switched:none",
                        "run_finished:");
        assertThat(events.get(events.size() - 2).message()).as("the platform restored the strategy on both replicas")
                .isEqualTo("strategy restored to none on bottom, replica");
        assertThat(events).filteredOn(e -> e.type().equals(StampedeLab.BURST_FIRED)
                && "lock".equals(e.values().get("strategy")))
                .singleElement().satisfies(e -> assertThat(e.values()).containsEntry("origin_queries", 1.0));
    }
}
