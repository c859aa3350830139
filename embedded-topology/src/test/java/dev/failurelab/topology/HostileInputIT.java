package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of generated malformed or hostile requests (a fixed seed, so a failure replays) across
 * the fault injector's control API, the services' admin endpoints and the proxies' data path:
 * none gets a 5xx, none that is hostile (cross-site, rebinding, oversized, out of range) is
 * accepted, the JVM's heap and threads stay stable, and nothing is left installed or switched.
 */
class HostileInputIT {

    private static final long SEED = 20261202L;
    private static final int ROUNDS = 60;

    /** One generated request and what it may get. */
    private record Case(String what, URI base, String method, String target, String host, List<String> headers,
            byte[] body, boolean mayBeAccepted) {
    }

    @Test
    void fiveHundredHostileRequests_noneIsA5xx_noneHostileIsAccepted_andNothingIsLeft() throws Exception {
        try (EmbeddedTopology topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .start()) {
            URI control = topology.controlUrl();
            URI edge = topology.url("edge");
            URI proxy = topology.endpoints().proxy("bottom");
            Random random = new Random(SEED);
            List<Case> cases = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                cases.addAll(controlCases(control, random));
                cases.addAll(adminCases(edge, random));
                cases.addAll(dataPathCases(proxy, random));
            }
            assertThat(cases).hasSizeGreaterThanOrEqualTo(500);

            // A warm-up round first, so that heap and threads are measured after the JIT and pools settle.
            for (Case c : cases.subList(0, 40)) {
                send(c);
            }
            long heapBefore = usedHeapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                String answer = send(c);
                int status = RawHttp.status(answer);
                if (status >= 500) {
                    failures.add(c.what() + " -> " + answer.lines().findFirst().orElse(""));
                } else if (!c.mayBeAccepted() && status >= 200 && status < 300) {
                    failures.add(c.what() + " was accepted: " + answer.lines().findFirst().orElse(""));
                }
            }
            assertThat(failures).as("5xx answers or hostile requests accepted").isEmpty();

            long heapAfter = usedHeapAfterGc();
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(heapAfter - heapBefore).as("heap growth, bytes, after %d requests", cases.size())
                    .isLessThan(64L * 1024 * 1024);
            assertThat(threadsAfter - threadsBefore).as("thread growth").isLessThanOrEqualTo(8);

            AdminHttp http = new AdminHttp();
            assertThat(http.send("GET", control.resolve("/faults"), null)).as("no fault left installed").isEqualTo("[]");
            assertThat(http.send("GET", control.resolve("/proxies"), null)).contains("\"name\":\"bottom\"")
                    .contains("\"name\":\"middle\"").doesNotContain("fuzz");
            for (String hop : List.of("edge", "middle")) {
                assertThat(http.send("GET", topology.management(hop).resolve("/admin/retry-policy"), null)).as(hop)
                        .contains("\"policy\":\"none\"");
            }
            assertThat(http.status(edge.resolve("/api/chain"), java.time.Duration.ofSeconds(5))).isEqualTo(200);
        }
    }

    private static String send(Case c) {
        try {
            return RawHttp.exchange(c.base(), c.method(), c.target(), c.host(), c.headers(), c.body());
        } catch (java.io.IOException e) {
            return "(closed: " + e.getMessage() + ")"; // a connection closed on bad input is not a 5xx
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String local(URI base) {
        return "127.0.0.1:" + base.getPort();
    }

    private static final List<String> JSON = List.of("Content-Type: application/json", "User-Agent: curl/8.0");

    /** Malformed, out-of-range, oversized and cross-site requests to the control API. */
    private static List<Case> controlCases(URI control, Random random) {
        List<Case> cases = new ArrayList<>();
        String validFault = "{\"proxy\":\"bottom\",\"type\":\"latency\",\"latencyMs\":1,\"ttl\":\"2s\"}";
        List<Supplier<String>> badFaults = List.of(
                () -> "{\"proxy\":\"bottom\",\"type\":\"error\",\"status\":" + (4_294_967_296L + random.nextInt(1000)) + "}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"error\",\"probability\":" + (1.5 + random.nextDouble()) + "}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\",\"ttl\":\"" + (2 + random.nextInt(50)) + "h\"}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"latency\",\"latencyMs\":-" + random.nextInt(1000) + "}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"bandwidth\",\"bytesPerSecond\":" + Long.MAX_VALUE + "}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\",\"path\":\"/" + "p".repeat(1100 + random.nextInt(5000))
                        + "\"}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\",\"type\":\"error\"}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"" + randomText(random, 8) + "\"}",
                () -> "{\"proxy\":\"" + randomText(random, 6) + "\",\"type\":\"reset\"}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\",\"" + randomText(random, 5) + "\":1}",
                () -> "{\"proxy\":[1,2,{\"a\":" + random.nextInt() + "}],\"type\":null}",
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\"" + "]".repeat(random.nextInt(5)),
                () -> randomText(random, 1 + random.nextInt(200)),
                () -> "{\"proxy\":\"bottom\",\"type\":\"reset\",\"pad\":\"" + "x".repeat(20_000) + "\"}",
                () -> "[" + "[".repeat(random.nextInt(2000)),
                () -> "");
        Supplier<String> bad = badFaults.get(random.nextInt(badFaults.size()));
        cases.add(new Case("control: bad fault", control, "POST", "/faults", local(control), JSON,
                bad.get().getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("control: bad proxy", control, "POST", "/proxies", local(control), JSON,
                ("{\"name\":\"fuzz-" + random.nextInt(1000) + "\",\"listen\":" + (random.nextBoolean() ? 70_000 : -1)
                        + ",\"upstream\":\"http://" + randomText(random, 6) + ".example:80\"}").getBytes(StandardCharsets.UTF_8),
                false));
        cases.add(new Case("control: cross-site", control, "POST", "/faults", local(control), List.of(
                "Content-Type: text/plain", "Origin: https://" + randomText(random, 6) + ".example",
                "User-Agent: Mozilla/5.0"), validFault.getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("control: rebinding", control, random.nextBoolean() ? "POST" : "GET",
                random.nextBoolean() ? "/faults" : "/reset", randomText(random, 7) + ".example:" + control.getPort(),
                JSON, validFault.getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("control: unknown path", control, "DELETE", "/faults/" + randomText(random, 4),
                local(control), JSON, new byte[0], false));
        return cases;
    }

    /** Junk, hostile and unknown-defence requests to an admin endpoint. */
    private static List<Case> adminCases(URI edge, Random random) {
        List<Case> cases = new ArrayList<>();
        List<String> bodies = List.of("{\"policy\":\"" + randomText(random, 5) + "\"}", "{\"policy\":1}",
                "{\"policy\":\"naive\",\"policy\":\"budget\"}", "{\"policy\":\"naive\",\"lease\":\"99h\"}",
                "{\"policy\":\"naive\",\"extra\":true}", randomText(random, 30), "", "{\"policy\":null}");
        cases.add(new Case("admin: junk body", edge, "PUT", "/admin/retry-policy", local(edge), JSON,
                bodies.get(random.nextInt(bodies.size())).getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("admin: cross-site", edge, "PUT", "/admin/retry-policy", local(edge), List.of(
                "Content-Type: text/plain", "Origin: https://evil.example", "User-Agent: Mozilla/5.0"),
                "{\"policy\":\"naive\"}".getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("admin: rebinding", edge, "PUT", "/admin/retry-policy", "rebind.example", JSON,
                "{\"policy\":\"naive\"}".getBytes(StandardCharsets.UTF_8), false));
        cases.add(new Case("admin: unknown defence", edge, "PUT", "/admin/" + randomText(random, 6), local(edge),
                JSON, "{\"x\":\"y\"}".getBytes(StandardCharsets.UTF_8), false));
        return cases;
    }

    /** Odd paths, methods and bodies through a fault proxy (the data path: they may be answered). */
    private static List<Case> dataPathCases(URI proxy, Random random) {
        List<Case> cases = new ArrayList<>();
        List<String> targets = List.of("/api/chain", "/%61pi/chain", "/api/../api/chain", "/" + "a/".repeat(300),
                "/api/chain?" + "q=" + "x".repeat(2000), "http://127.0.0.1:" + proxy.getPort() + "/api/chain",
                "/%ZZ", "/\u00e9t\u00e9");
        String target = targets.get(random.nextInt(targets.size()));
        String method = List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH").get(random.nextInt(6));
        byte[] body = random.nextInt(5) == 0 ? new byte[1024 * 1024 + 1 + random.nextInt(1000)]
                : randomText(random, random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
        cases.add(new Case("data: " + method + " " + (target.length() > 40 ? target.substring(0, 40) + "…" : target)
                + " with " + body.length + " bytes", proxy, method, target, local(proxy), List.of(), body, true));
        return cases;
    }

    private static String randomText(Random random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz{}[]\":,0123456789\\ -_";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
