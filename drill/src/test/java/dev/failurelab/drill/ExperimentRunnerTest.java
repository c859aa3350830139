package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runner's semantics, Chaos Toolkit's: a real HTTP server on loopback answers the steady-state
 * probe as Prometheus does (no series while the steady state holds), real processes are the actions.
 */
class ExperimentRunnerTest {

    @TempDir
    Path root;
    private HttpServer server;
    /** What the fake Prometheus answers each query with, in turn (the last one repeats). */
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            queries.add(exchange.getRequestURI().getQuery());
            String body = answers.size() > 1 ? answers.remove(0) : answers.get(0);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static final String STEADY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    private static final String BURNING = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1,\"42\"]}]}}";

    private ObjectNode experiment() {
        String text = """
                {"title": "t", "description": "d", "tags": ["failure-lab"],
                 "configuration": {"prometheus_url": "http://127.0.0.1:%d", "fault_ttl": "30s", "observe_seconds": 0},
                 "steady-state-hypothesis": {"title": "burn under 1x", "probes": [{"type": "probe", "name": "burn",
                   "tolerance": {"type": "jsonpath", "path": "$.data.result[*]", "count": 0, "target": "body"},
                   "provider": {"type": "http", "url": "${prometheus_url}/api/v1/query",
                                "arguments": {"query": "burn > 1"}}}]},
                 "method": [
                   {"type": "action", "name": "slow-in-background", "background": true,
                    "provider": {"type": "process", "path": "sh", "arguments": "-c 'sleep 0.5; echo bg > bg.txt'"}},
                   {"type": "action", "name": "fault", "provider": {"type": "process", "path": "echo",
                    "arguments": "--ttl ${fault_ttl} > fault.txt"}, "pauses": {"after": "${observe_seconds}"}}],
                 "rollbacks": [{"type": "action", "name": "clear", "provider": {"type": "process", "path": "touch",
                    "arguments": ["cleared.txt"]}}]}
                """.formatted(server.getAddress().getPort());
        return (ObjectNode) ChaosExperiment.JSON.readTree(text);
    }

    private ObjectNode run(ObjectNode experiment, Map<String, String> vars) throws InterruptedException {
        List<String> console = new ArrayList<>();
        return new ExperimentRunner(root, console::add).run(experiment, vars);
    }

    @Test
    void theSteadyStateHolds_theMethodAndRollbacksRun_completed() throws Exception {
        answers.add(STEADY);
        ObjectNode journal = run(experiment(), Map.of("fault_ttl", "5s"));
        assertThat(journal.path("status").asString()).isEqualTo("completed");
        assertThat(journal.path("deviated").asBoolean()).isFalse();
        assertThat(journal.path("steady_states").path("before").path("steady_state_met").asBoolean()).isTrue();
        assertThat(journal.path("steady_states").path("after").path("steady_state_met").asBoolean()).isTrue();
        assertThat(Files.readString(root.resolve("fault.txt")).strip()).as("--var replaced the configuration")
                .isEqualTo("--ttl 5s");
        assertThat(Files.readString(root.resolve("bg.txt")).strip()).as("the background action was awaited")
                .isEqualTo("bg");
        assertThat(root.resolve("cleared.txt")).exists();
        assertThat(journal.path("run").size()).isEqualTo(2);
        for (JsonNode run : journal.path("run")) {
            assertThat(run.path("status").asString()).isEqualTo("succeeded");
            assertThat(run.path("output").path("status").asInt()).isZero();
        }
        assertThat(journal.path("rollbacks").get(0).path("activity").path("name").asString()).isEqualTo("clear");
        assertThat(queries).hasSize(2).allSatisfy(q -> assertThat(q).isEqualTo("query=burn+>+1"));
    }

    @Test
    void theSteadyStateBreaksAfterTheMethod_deviated() throws Exception {
        answers.addAll(List.of(STEADY, BURNING));
        ObjectNode journal = run(experiment(), Map.of());
        assertThat(journal.path("status").asString()).isEqualTo("completed");
        assertThat(journal.path("deviated").asBoolean()).isTrue();
        JsonNode probe = journal.path("steady_states").path("after").path("probes").get(0);
        assertThat(probe.path("tolerance_met").asBoolean()).isFalse();
        assertThat(probe.path("output").path("body").path("data").path("result").get(0).path("value").get(1)
                .asString()).isEqualTo("42");
    }

    @Test
    void noSteadyStateBefore_theMethodIsNotRun_butTheRollbacksAre() throws Exception {
        answers.add(BURNING);
        ObjectNode journal = run(experiment(), Map.of());
        assertThat(journal.path("status").asString()).isEqualTo("failed");
        assertThat(journal.path("run").size()).isZero();
        assertThat(root.resolve("fault.txt")).doesNotExist();
        assertThat(root.resolve("cleared.txt")).exists();
    }

    @Test
    void aProbeThatCannotRun_missesItsTolerance() throws Exception {
        ObjectNode experiment = experiment();
        server.stop(0);
        ObjectNode journal = run(experiment, Map.of());
        JsonNode probe = journal.path("steady_states").path("before").path("probes").get(0);
        assertThat(probe.path("status").asString()).isEqualTo("failed");
        assertThat(probe.path("exception").asString()).isNotBlank();
        assertThat(journal.path("status").asString()).isEqualTo("failed");
        start(); // for @AfterEach
    }

    @Test
    void anInvalidExperiment_isRefusedBeforeAnythingRuns() {
        ObjectNode experiment = experiment();
        experiment.remove("description");
        ((ObjectNode) experiment.path("rollbacks").get(0).path("provider")).put("type", "python");
        assertThatThrownBy(() -> run(experiment, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("experiment requires a description")
                .hasMessageContaining("python providers need Chaos Toolkit");
        assertThat(root.resolve("cleared.txt")).doesNotExist();
    }

    @Test
    void tolerances_asChaosToolkitJudgesThem() {
        JsonNode process = json("{\"status\": 0, \"stdout\": \"0.42\\n\", \"stderr\": \"\"}");
        assertThat(ExperimentRunner.withinTolerance(json("0"), process)).as("an int: the exit status").isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("[0, 2]"), process)).as("a list: one of the statuses").isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("[1, 2]"), process)).isFalse();
        assertThat(ExperimentRunner.withinTolerance(json("[1, 5]"), json("3"))).as("a pair: a range").isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("true"), json("true"))).isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("\"up\""), json("\"down\""))).isFalse();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"range\", \"range\": [0, 0.5], \"target\": \"stdout\"}"),
                process)).as("a range of the output").isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"range\", \"range\": [0, 0.4], \"target\": \"stdout\"}"),
                process)).isFalse();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"regex\", \"pattern\": \"^0\\\\.4\", \"target\": \"stdout\"}"),
                process)).isTrue();
        JsonNode http = json("{\"status\": 200, \"body\": {\"data\": {\"result\": [{\"v\": 1}, {\"v\": 2}]}}}");
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"jsonpath\", \"path\": \"$.data.result[*].v\","
                + " \"target\": \"body\", \"expect\": [1, 2]}"), http)).isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"jsonpath\", \"path\": \"$.data.result[*]\","
                + " \"target\": \"body\", \"count\": 0}"), http)).isFalse();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"jsonpath\", \"path\": \"$.data.result[1]['v']\","
                + " \"target\": \"body\", \"expect\": 2}"), http)).isTrue();
        assertThat(ExperimentRunner.withinTolerance(json("{\"type\": \"jsonpath\", \"path\": \"$.data.missing\","
                + " \"target\": \"body\"}"), http)).as("nothing found").isFalse();
    }

    @Test
    void configuration_literalEnvDefaultAndVars() {
        Map<String, JsonNode> configuration = ExperimentRunner.configuration(json("{\"a\": 5, \"b\": {\"type\": \"env\","
                + " \"key\": \"FAILURE_LAB_SURELY_UNSET\", \"default\": \"x\"}}"), Map.of("a", "7"));
        assertThat(configuration.get("a").isNumber()).as("a number stays a number").isTrue();
        assertThat(configuration.get("a").asInt()).isEqualTo(7);
        assertThat(configuration.get("b").asString()).isEqualTo("x");
        assertThat(ExperimentRunner.substitute(json("{\"p\": \"${a}\", \"q\": \"--ttl ${a}s ${zz}\"}"), configuration)
                .toString()).isEqualTo("{\"p\":7,\"q\":\"--ttl 7s ${zz}\"}");
        assertThatThrownBy(() -> ExperimentRunner.configuration(json("{\"c\": {\"type\": \"env\", \"key\":"
                + " \"FAILURE_LAB_SURELY_UNSET\"}}"), Map.of())).hasMessageContaining("configuration c");
    }

    @Test
    void theJsonPathSubset_refusesWhatItDoesNotKnow() {
        assertThat(JsonPathLite.isValid("$.data.result[*]")).isTrue();
        assertThat(JsonPathLite.isValid("$['data'].result[0].value")).isTrue();
        assertThat(JsonPathLite.isValid("$..value")).isFalse();
        assertThat(JsonPathLite.isValid("data.result")).isFalse();
        assertThat(JsonPathLite.match("$.*", json("{\"a\": 1, \"b\": 2}"))).hasSize(2);
    }

    private static JsonNode json(String text) {
        return ChaosExperiment.JSON.readTree(text);
    }
}
