package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.fault.proxy.HttpFaultProxy;
import dev.failurelab.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole chain in one JVM, driven the way a workshop drives it: requests to the edge and the
 * course's {@code ./fault.sh} against the control API.
 */
class EmbeddedTopologyIT {

    private static final Path FAULT_SH = Path.of("..", "fault.sh").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static EmbeddedTopology topology;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts()).start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @BeforeEach
    void clearFaults() throws Exception {
        ScriptResult cleared = faultSh("clear");
        assertThat(cleared.exitCode()).as(cleared.output()).isZero();
    }

    @Test
    void aRequestToTheEdge_flowsThroughAllThreeHopsAndBothProxies() throws Exception {
        HttpResponse<String> response = get(topology.url("edge").resolve("/api/chain"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("{\"role\":\"edge\",\"attempts\":1}",
                "{\"role\":\"middle\",\"attempts\":1}", "{\"role\":\"bottom\",\"attempts\":0}");
        String injector = get(topology.controlUrl().resolve("/actuator/prometheus")).body();
        assertThat(injector).containsPattern("fault_proxy_requests_total\\{[^}]*outcome=\"forwarded\",proxy=\"middle\"[^}]*} [1-9]");
        assertThat(injector).containsPattern("fault_proxy_requests_total\\{[^}]*outcome=\"forwarded\",proxy=\"bottom\"[^}]*} [1-9]");
    }

    @Test
    void faultShInject50_failsHalfTheEdgeRequests_andClearRestoresThemAll() throws Exception {
        ScriptResult inject = faultSh("inject", "50%");
        assertThat(inject.exitCode()).as(inject.output()).isZero();
        // jq pretty-prints when installed; match with or without the space.
        assertThat(inject.output()).containsPattern("\"type\": ?\"error\"").containsPattern("\"mode\": ?\"forwarded\"");

        int failed = 0;
        for (int i = 0; i < 400; i++) {
            failed += get(topology.url("edge").resolve("/api/chain")).statusCode() == 200 ? 0 : 1;
        }
        assertThat(failed / 400.0).as("edge failure ratio with 50% errors on the bottom, retries off")
                .isBetween(0.42, 0.58);

        ScriptResult cleared = faultSh("clear");
        assertThat(cleared.exitCode()).as(cleared.output()).isZero();
        int failedAfterClear = 0;
        for (int i = 0; i < 100; i++) {
            failedAfterClear += get(topology.url("edge").resolve("/api/chain")).statusCode() == 200 ? 0 : 1;
        }
        assertThat(failedAfterClear).as("failures after ./fault.sh clear").isZero();
    }

    @Test
    void faultShLatencyAndStatus_showTheFaultWithItsRemainingTtl() throws Exception {
        assertThat(faultSh("latency", "300ms", "--proxy", "middle", "--ttl", "30s").exitCode()).isZero();

        ScriptResult status = faultSh("status");

        assertThat(status.exitCode()).isZero();
        assertThat(status.output()).containsPattern("\"latencyMs\": ?300").containsPattern("\"name\": ?\"middle\"")
                .contains("\"remainingMs\"");
    }

    @Test
    void faultSh_badArguments_printUsageAndExit2_withoutInstallingAnything() throws Exception {
        for (List<String> args : List.of(List.of("inject", "150%"), List.of("inject"), List.of("explode"),
                List.of("latency", "soon"), List.of("--ttl"))) {
            ScriptResult result = faultSh(args.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.output()).as(String.join(" ", args)).contains("usage: ./fault.sh");
        }
        assertThat(get(topology.controlUrl().resolve("/faults")).body()).isEqualTo("[]");
    }

    @Test
    void faultSh_reportsTheInjectorsRefusal_namingTheField() throws Exception {
        ScriptResult result = faultSh("inject", "50%", "--ttl", "9h");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("\"field\":\"ttl\"");
    }

    @Test
    void aRestart_bringsTheInstanceBackOnItsPorts_withItsStartUpSettings_andNeverTouchesTheInjector() throws Exception {
        URI bottomAdmin = topology.management("bottom");
        new dev.failurelab.contract.AdminHttp().send("PUT", bottomAdmin.resolve("/admin/settings"),
                "{\"chain.capacity.max-concurrency\":7}");
        java.util.Map<String, URI> bottom = dev.failurelab.lab.topology.Restarts.instances(topology.endpoints(),
                List.of("bottom"));
        java.util.Map<String, Double> before = dev.failurelab.lab.topology.Restarts.startTimes(bottom);
        assertThat(before.get("bottom")).as("the bottom's start time").isPositive();

        assertThat(dev.failurelab.lab.topology.Restarts.request(bottom)).containsExactly("bottom: restarting");
        List<String> back = dev.failurelab.lab.topology.Restarts.await(bottom, before, Duration.ofSeconds(60));

        assertThat(back).singleElement().asString().startsWith("bottom: up again after");
        assertThat(dev.failurelab.lab.topology.Restarts.startTimes(bottom).get("bottom"))
                .isGreaterThan(before.get("bottom"));
        assertThat(get(bottomAdmin.resolve("/admin/settings")).body()).as("the live change is lost")
                .doesNotContain("\"chain.capacity.max-concurrency\":7");
        assertThat(get(topology.url("edge").resolve("/api/chain")).statusCode()).isEqualTo(200);
        assertThat(dev.failurelab.lab.topology.Restarts.instances(topology.endpoints(), List.of("all")).keySet())
                .containsExactly("edge", "middle", "bottom");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.failurelab.lab.topology.Restarts.instances(
                topology.endpoints(), List.of("injector"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no app 'injector' to restart: all, or one of [edge, middle, bottom]");
    }

    @Test
    void closingATopology_clearsItsFaultsFirst_andLeavesAnotherInTheJvmServing() throws Exception {
        EmbeddedTopology second = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts()).start();
        HttpFaultProxy bottom = second.proxies().find("bottom").orElseThrow();
        second.proxies().install(bottom, new dev.failurelab.fault.rule.FaultSpec(
                dev.failurelab.fault.rule.FaultType.RESET, 1, null, null, 0, null, 0, 0, 0, 0, Duration.ofMinutes(5)));
        assertThat(bottom.faults().active()).hasSize(1);

        second.close();

        assertThat(bottom.faults().active()).as("faults left after close").isEmpty();
        // This class's topology, in the same JVM, is untouched: its control API (a reactive server)
        // and its chain still answer.
        assertThat(get(topology.controlUrl().resolve(AdminPaths.FAULTS)).statusCode())
                .as("the other topology's control API").isEqualTo(200);
        assertThat(get(topology.endpoints().url("edge").resolve(AdminPaths.CHAIN)).statusCode())
                .as("the other topology's chain").isEqualTo(200);
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ScriptResult faultSh(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", FAULT_SH.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FAULT_INJECTOR_URL", topology.controlUrl().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ScriptResult(process.waitFor(), output);
    }

    private record ScriptResult(int exitCode, String output) {
    }
}
