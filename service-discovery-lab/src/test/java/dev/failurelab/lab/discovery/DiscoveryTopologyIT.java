package dev.failurelab.lab.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiscoveryTopologyIT {

    @Test
    void theMiddleFindsTheFiveBottomsThroughTheRegistry() throws Exception {
        try (EmbeddedTopology topology = EmbeddedTopology.builder(Topology.load("service-discovery").withFreePorts())
                .forTests().start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI apps = topology.url("registry").resolve("/eureka/apps/BOTTOM");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(apps).header("Accept", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.body()).contains("bottom-1", "bottom-5");
            });
            URI chain = topology.url("middle").resolve("/api/chain");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.send(
                    HttpRequest.newBuilder(chain).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200));
            String metrics = new AdminHttp().send("GET", topology.management("middle").resolve("/actuator/prometheus"),
                    null);
            System.out.println(metrics.lines().filter(l -> l.startsWith("chain_discovery")).toList());
            System.out.println(new AdminHttp().send("GET", topology.management("registry").resolve("/actuator/prometheus"),
                    null).lines().filter(l -> l.startsWith("chain_registry")).toList());
        }
    }
}
