package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No web page can drive the lab: the fault injector's control API and every service's
 * {@code /admin/*} refuse cross-site requests, DNS rebinding and browsers that change state (403
 * naming the reason), and install nothing; curl, the scripts and the lab still get through, and
 * Prometheus still scrapes under a service name.
 */
class ControlGuardIT {

    private static EmbeddedTopology topology;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts()).start();
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    private static String raw(URI base, String method, String path, String host, List<String> headers, String body)
            throws IOException {
        return RawHttp.exchange(base, method, path, host, headers, body);
    }

    private static String fault(URI control, String host, List<String> headers) throws IOException {
        return raw(control, "POST", "/faults", host, headers,
                "{\"proxy\":\"bottom\",\"type\":\"error\",\"probability\":1,\"ttl\":\"60s\"}");
    }

    @Test
    void aWebPage_cannotInstallAFault_norSwitchAPolicy() throws IOException {
        URI control = topology.controlUrl();
        String local = "127.0.0.1:" + control.getPort();
        List<List<String>> hostile = List.of(
                List.of("Content-Type: text/plain", "Origin: https://evil.example",
                        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/130"),
                List.of("Content-Type: application/json", "Sec-Fetch-Site: cross-site"),
                List.of("Content-Type: application/json", "User-Agent: Mozilla/5.0 (Macintosh) Safari/605"),
                List.of("Content-Type: application/json", "Origin: null"));
        for (List<String> headers : hostile) {
            assertThat(fault(control, local, headers)).as(headers.toString()).startsWith("HTTP/1.1 403")
                    .contains("\"error\":\"forbidden\"");
        }
        assertThat(fault(control, "rebind.evil.example:" + control.getPort(), List.of("Content-Type: application/json")))
                .as("DNS rebinding").startsWith("HTTP/1.1 403").contains("DNS rebinding");
        assertThat(raw(control, "GET", "/faults", "rebind.evil.example", List.of(), ""))
                .as("not even readable from a rebound page").startsWith("HTTP/1.1 403");
        assertThat(new AdminHttp().send("GET", control.resolve("/faults"), null)).as("nothing installed").isEqualTo("[]");

        URI edge = topology.management("edge");
        String edgeHost = "127.0.0.1:" + edge.getPort();
        assertThat(raw(edge, "PUT", "/admin/retry-policy", edgeHost, List.of("Content-Type: text/plain",
                "Origin: https://evil.example", "User-Agent: Mozilla/5.0"), "{\"policy\":\"naive\"}"))
                .startsWith("HTTP/1.1 403");
        assertThat(raw(edge, "PUT", "/admin/retry-policy", "rebind.evil.example", List.of("Content-Type: application/json"),
                "{\"policy\":\"naive\"}")).startsWith("HTTP/1.1 403");
        assertThat(new AdminHttp().send("GET", edge.resolve("/admin/retry-policy"), null))
                .contains("\"policy\":\"none\"");
    }

    @Test
    void curlTheScriptsAndPrometheus_stillGetThrough() throws IOException {
        URI control = topology.controlUrl();
        assertThat(fault(control, "localhost:" + control.getPort(), List.of("Content-Type: application/json",
                "User-Agent: curl/7.88.1"))).startsWith("HTTP/1.1 201");
        assertThat(raw(control, "POST", "/reset", "127.0.0.1:" + control.getPort(), List.of(), ""))
                .startsWith("HTTP/1.1 200");
        URI edge = topology.url("edge");
        assertThat(raw(topology.management("edge"), "GET", "/actuator/prometheus", "edge:9080", List.of(), ""))
                .as("Prometheus scrapes by service name").startsWith("HTTP/1.1 200");
        assertThat(raw(control, "GET", "/actuator/prometheus", "fault-injector:8474", List.of(), ""))
                .startsWith("HTTP/1.1 200");
        assertThat(raw(edge, "GET", "/api/chain", "edge:8080", List.of(), ""))
                .as("the data path is for everyone").startsWith("HTTP/1.1 200");
    }
}
