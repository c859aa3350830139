package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probes the chart gives the Java services answer on the real services: each chain hop and the
 * fault injector, with the chart's setting (Spring Boot's liveness and readiness groups), answer 200
 * on their management port. What the chart's offline checks cannot see, short of a cluster.
 */
class ChartProbesIT {

    @Test
    void theChartsProbePaths_answer200_onEveryJavaServicesManagementPort() {
        Topology chain = Topology.chain().without("cache").withFreePorts();
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(chain).forTests();
        for (String app : List.of("edge", "middle", "bottom", "injector")) {
            builder.property(app, "management.endpoint.health.probes.enabled", "true");
        }
        try (EmbeddedTopology topology = builder.start()) {
            AdminHttp http = new AdminHttp();
            for (String app : List.of("edge", "middle", "bottom", "injector")) {
                URI management = topology.management(app);
                for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
                    assertThat(http.status(management.resolve(probe), Duration.ofSeconds(5)))
                            .as(app + " " + probe).isEqualTo(200);
                }
            }
        }
    }
}
