package dev.failurelab.lab.stampede;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stampede experiment on the real embedded topology — two replicas of the bottom sharing one
 * real Redis and one real PostgreSQL — with 1000 requests fired at the hot key's expiry under each
 * strategy. The thresholds are the lab's own ({@code stampede.properties}), unshortened.
 */
class StampedeLabIT {

    @Test
    void noneStampedes_lockRecomputesOnce_swrServesStale_xfetchOnlyHelpsSteadyTraffic() throws Exception {
        LabDefaults settings = LabDefaults.load(StampedeLab.DEFAULTS);
        try (EmbeddedTopology topology = EmbeddedTopology.builder().ports(TopologyPorts.free())
                .labSettings(settings)
                .cache(Infrastructure.redisForTests(System.getenv()), Infrastructure.postgresForTests(System.getenv()))
                .start()) {
            StampedeTargets targets = new StampedeTargets(topology.cacheOwners());

            StampedeLab lab = new StampedeLab(settings, targets, System.out::println);
            StampedeResult result = lab.run();

            System.out.println(result.table());
            result.checks().forEach(check -> System.out.println(check.line()));
            for (Check check : result.checks()) {
                assertThat(check.passed()).as(check.line()).isTrue();
            }
            assertThat(result.strategies()).extracting(StrategyResult::strategy)
                    .containsExactlyElementsOf(StampedeLab.STRATEGIES);
            assertThat(result.strategies()).allSatisfy(r ->
                    assertThat(r.expiry().requests()).as("every burst sent all of its requests").isEqualTo(1000));
            AdminHttp http = new AdminHttp();
            for (var replica : topology.cacheOwners()) {
                assertThat(http.send("GET", replica.resolve("/admin/cache-strategy"), null))
                        .as("strategy restored").contains("\"strategy\":\"none\"");
            }
            assertThat(List.of(result.markdown())).allSatisfy(md -> assertThat(md).contains("| lock ", "XFetch"));

            String html = result.html();
            for (StrategyResult r : result.strategies()) {
                assertThat(html).contains("<h2>Strategy " + r.strategy() + "</h2>",
                        "data-label=\"" + r.strategy() + "\" data-value=\""
                                + dev.failurelab.lab.report.SvgChart.number(r.expiry().originQueries()) + "\"");
                assertThat(r.expiry().recomputesMs()).as(r.strategy() + " recomputes timed around the expiry")
                        .hasSizeGreaterThanOrEqualTo(1);
            }
            for (Check check : result.checks()) {
                assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"" + check.passed() + "\"");
            }

            List<EventTimeline.Event> events = lab.timeline().events();
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
            }
            assertThat(events).extracting(e -> e.type() + ":" + e.values().getOrDefault("strategy", ""))
                    .containsSubsequence("run_started:", "strategy_switched:none", "burst_fired:none",
                            "threshold_crossed:none", "strategy_switched:lock", "burst_fired:lock",
                            "strategy_switched:lock+swr", "burst_fired:lock+swr", "strategy_switched:none",
                            "run_finished:");
            assertThat(events).filteredOn(e -> e.type().equals(EventTimeline.BURST_FIRED)
                    && "lock".equals(e.values().get("strategy")))
                    .singleElement().satisfies(e -> assertThat(e.values()).containsEntry("origin_queries", 1.0));
        }
    }
}
