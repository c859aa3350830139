package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A topology of another shape, started from data alone ({@code topologies/deep-chain.properties}
 * in the test resources): no line of {@link EmbeddedTopology} knows it.
 */
class TopologyShapesIT {

    @Test
    void aFourHopChainAndAPoolOfThree_startFromData_andStopCompletely() throws Exception {
        Topology shape = Topology.load("deep-chain").withFreePorts();
        AdminHttp http = new AdminHttp();
        List<URI> pool;
        try (EmbeddedTopology topology = EmbeddedTopology.builder(shape).start()) {
            String chain = http.send("GET", topology.url("edge").resolve("/api/chain"), null);
            assertThat(chain).as("four hops, in order").containsSubsequence("\"role\":\"edge\"", "\"role\":\"middle\"",
                    "\"role\":\"middle\"", "\"role\":\"bottom\"");
            assertThat(chain.split("\"role\":\"middle\"", -1)).as("two middles").hasSize(3);

            assertThat(topology.proxies().all()).extracting(p -> p.name())
                    .containsExactlyInAnyOrder("middle-a", "middle-b", "bottom");
            double forwarded = new PrometheusScraper(Duration.ofSeconds(5))
                    .scrape(topology.controlUrl().resolve("/actuator/prometheus"))
                    .sum("fault_proxy_requests_total", java.util.Map.of("proxy", "middle-b"));
            assertThat(forwarded).as("the request went through the second middle's proxy").isPositive();

            pool = topology.endpoints().urls("pool");
            assertThat(pool).hasSize(3);
            assertThat(pool.stream().map(URI::getPort).distinct()).hasSize(3);
            for (URI instance : pool) {
                assertThat(http.send("GET", instance.resolve("/api/chain"), null)).contains("\"role\":\"bottom\"");
                assertThat(new PrometheusScraper(Duration.ofSeconds(5)).scrape(instance.resolve("/actuator/prometheus"))
                        .sum("chain_capacity_limit")).as("the pool's fixed property").isEqualTo(2);
            }
            assertThat(topology.endpoints().instances()).containsKeys("pool-1", "pool-2", "pool-3");
            assertThat(topology.urls()).as("what ./lab up prints").containsKeys("edge (edge)  GET /api/chain",
                    "proxy middle-b (fault proxy)", "pool-3 (bottom)  GET /api/chain", "pool-3 metrics",
                    "injector control API");
        }
        for (int port : shape.ports().values()) {
            assertThat(free(port)).as("port " + port + " is free once the topology is closed").isTrue();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
