package dev.failurelab.lab.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.control.LabHttp;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retry-storm experiment, shortened, on the real embedded topology: naive retries amplify the
 * load and keep the storm going after the fault is gone; backoff cuts the bottom's load by 40% or more; the
 * budget keeps amplification near 1.1 and recovers at once. The thresholds are the lab's own
 * ({@code retry-storm.properties}); only the phases are shorter.
 */
class RetryStormLabIT {

    private static final Map<String, String> SHORTENED = Map.of(
            "phase.warmup", "5s",
            "phase.baseline", "5s",
            "phase.brownout", "15s",
            "phase.observe.backoff", "8s",
            "phase.observe.budget", "8s");

    @Test
    void naiveStormsAndStaysStormy_backoffCutsTheLoad_budgetHoldsAndRecovers() throws Exception {
        LabDefaults settings = LabDefaults.load(RetryStormLab.DEFAULTS).with(SHORTENED);
        try (EmbeddedTopology topology = EmbeddedTopology.builder().ports(TopologyPorts.free())
                .labSettings(settings).start()) {
            RetryStormTargets targets = new RetryStormTargets(topology.url(EmbeddedTopology.App.EDGE),
                    topology.url(EmbeddedTopology.App.MIDDLE), topology.url(EmbeddedTopology.App.BOTTOM),
                    topology.controlUrl());

            RetryStormResult result = new RetryStormLab(settings, targets, System.out::println).run();

            System.out.println(result.table());
            result.checks().forEach(check -> System.out.println(check.line()));
            for (Check check : result.checks()) {
                assertThat(check.passed()).as(check.line()).isTrue();
            }
            assertThat(result.policies()).extracting(PolicyResult::policy).containsExactly("naive", "backoff", "budget");
            LabHttp http = new LabHttp();
            assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null))
                    .as("no fault left behind").isEqualTo("[]");
            assertThat(http.send("GET", topology.edgeUrl().resolve("/admin/retry-policy"), null))
                    .as("policy restored").contains("\"policy\":\"none\"");
            assertThat(http.status(topology.edgeUrl().resolve("/api/chain"), Duration.ofSeconds(5))).isEqualTo(200);
        }
    }
}
