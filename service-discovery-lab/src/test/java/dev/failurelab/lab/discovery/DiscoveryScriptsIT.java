package dev.failurelab.lab.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import dev.failurelab.contract.FaultControl;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab sheet's scripts against the running service-discovery topology: each defence switched
 * and shown, a bottom killed (its port refuses connections, its admin API says so) and brought
 * back, its health flapped, the registry's faults installed with their path and method (fault.sh
 * --path/--method) and cleared, and bad arguments answered with the usage and exit code 2.
 */
class DiscoveryScriptsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static EmbeddedTopology topology;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.load("service-discovery").withFreePorts()).forTests().start();
        String bottoms = String.join(" ", topology.endpoints().managements("bottom").stream().map(DiscoveryScriptsIT::base)
                .toList());
        env = Map.of("MIDDLE_ADMIN", base(topology.management("middle")), "REGISTRY_ADMIN",
                base(topology.management("registry")), "BOTTOMS_ADMIN", bottoms, "FAULT_INJECTOR_URL",
                base(topology.controlUrl()));
    }

    private static String base(URI uri) {
        String url = uri.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    private static ExternalTool.Result script(String name, String... args) throws Exception {
        return ExternalTool.script(ROOT, env, Duration.ofMinutes(1), "service-discovery-lab/scripts/" + name, args);
    }

    private static String admin(URI base, String path) {
        return new AdminHttp().send("GET", base.resolve(path), null);
    }

    @Test
    void theTopologysUrls_nameTheRegistry_whichListsTheFiveBottoms() {
        URI apps = topology.urls().get("registry (Eureka registry)  GET /eureka/apps, dashboard /");
        assertThat(apps).as("./lab up lists the registry").isNotNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                new AdminHttp().send("GET", apps.resolve("/eureka/apps/BOTTOM"), null, "application/json"))
                .contains("\"instanceId\":\"bottom-1\"", "\"instanceId\":\"bottom-5\""));
    }

    @Test
    void eachApplyScript_switchesItsDefence_andEachSwitchScriptShowsIt() throws Exception {
        URI middle = topology.management("middle");
        for (String[] step : new String[][] {{"apply-instance-retry.sh", "/admin/instance-retry", "\"retry\":\"on\""},
                {"apply-outlier-ejection.sh", "/admin/outlier-ejection", "\"ejection\":\"on\""},
                {"apply-hysteresis.sh", "/admin/health-checks", "\"mode\":\"hysteresis\""},
                {"apply-registry-cache.sh", "/admin/registry-cache", "\"mode\":\"keep\""}}) {
            ExternalTool.Result result = script(step[0]);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(admin(middle, step[1])).as(step[0]).contains(step[2]);
        }
        assertThat(script("apply-no-self-preservation.sh").exitCode()).isZero();
        assertThat(admin(topology.management("registry"), "/admin/self-preservation")).contains("\"mode\":\"off\"");
        assertThat(script("self-preservation.sh", "status").output()).contains("\"mode\":\"off\"");
        assertThat(script("apply-self-preservation.sh").exitCode()).isZero();
        assertThat(script("health-checks.sh", "off").exitCode()).isZero();
        assertThat(script("instance-retry.sh", "off").exitCode()).isZero();
        assertThat(script("outlier-ejection.sh", "status").output()).contains("\"ejection\":\"on\"");
        assertThat(script("outlier-ejection.sh", "off").exitCode()).isZero();
        assertThat(script("registry-cache.sh", "drop").output()).contains("\"mode\":\"drop\"");
        assertThat(script("registry-cache.sh", "keep").exitCode()).isZero();
    }

    @Test
    void instanceFault_killsABottom_whosePortRefusesConnections_thenBringsItBack_andFlapsItsHealth()
            throws Exception {
        URI bottom3 = topology.endpoints().instanceManagements().get("bottom-3");
        URI served = topology.endpoints().instances().get("bottom-3").resolve("/api/chain");
        ExternalTool.Result kill = script("instance-fault.sh", "--ttl", "30s", "kill", "3");
        assertThat(kill.exitCode()).as(kill.output()).isZero();
        assertThat(admin(bottom3, "/admin/kill")).contains("\"killed\":true", "\"health\":\"DOWN\"");
        assertThat(new AdminHttp().status(served, Duration.ofSeconds(2))).as("a dead port: no answer").isZero();
        ExternalTool.Result clear = script("instance-fault.sh", "clear");
        assertThat(clear.exitCode()).as(clear.output()).isZero();
        assertThat(admin(bottom3, "/admin/kill")).contains("\"killed\":false");
        assertThat(new AdminHttp().status(served, Duration.ofSeconds(2))).as("its port back").isEqualTo(200);

        ExternalTool.Result flap = script("instance-fault.sh", "--period", "5s", "--ttl", "20s", "flap", "3");
        assertThat(flap.exitCode()).as(flap.output()).isZero();
        assertThat(flap.output()).contains("\"flapPeriodMs\":5000");
        assertThat(script("instance-fault.sh", "status").output()).contains("\"flapRemainingMs\"");
        assertThat(script("instance-fault.sh", "clear").exitCode()).isZero();
        assertThat(admin(bottom3, "/admin/health-flap")).contains("\"flapRemainingMs\":0");
    }

    @Test
    void registryFault_installsTheOutageAndTheBlackholedHeartbeats_onTheRegistrysProxy_andClearsThem()
            throws Exception {
        ExternalTool.Result heartbeats = script("registry-fault.sh", "--ttl", "20s", "heartbeats", "2");
        assertThat(heartbeats.exitCode()).as(heartbeats.output()).isZero();
        String active = new FaultControl(topology.controlUrl()).active();
        assertThat(active).contains("/eureka/apps/BOTTOM/bottom-1", "/eureka/apps/BOTTOM/bottom-2", "\"PUT\"",
                "blackhole").doesNotContain("bottom-3");
        ExternalTool.Result outage = script("registry-fault.sh", "--ttl", "20s", "outage");
        assertThat(outage.exitCode()).as(outage.output()).isZero();
        assertThat(new AdminHttp().status(topology.endpoints().proxy("registry").resolve("/eureka/apps"),
                Duration.ofSeconds(2))).as("the registry down at its proxy").isEqualTo(503);
        assertThat(script("registry-fault.sh", "clear").exitCode()).isZero();
        assertThat(new FaultControl(topology.controlUrl()).active()).doesNotContain("registry");
    }

    @Test
    void badArguments_printTheUsage_andExit2_andTheServiceNamesABadField() throws Exception {
        for (String[] bad : new String[][] {{"registry-fault.sh"}, {"registry-fault.sh", "heartbeats", "9"},
                {"registry-fault.sh", "flood"}, {"instance-fault.sh", "kill"}, {"instance-fault.sh", "kill", "7"},
                {"instance-fault.sh", "--ttl", "soon", "kill", "1"}, {"health-checks.sh", "sometimes"},
                {"self-preservation.sh"}}) {
            ExternalTool.Result result = script(bad[0], java.util.Arrays.copyOfRange(bad, 1, bad.length));
            assertThat(result.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(result.output()).as(String.join(" ", bad)).contains("usage:");
        }
        URI bottom1 = topology.endpoints().instanceManagements().get("bottom-1");
        for (String[] body : new String[][] {{"{\"ttl\":\"forever\"}", "ttl"}, {"{\"ttl\":\"30s\",\"why\":1}", "why"},
                {"{\"ttl\":\"2h\"}", "ttl"}}) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bottom1.resolve(
                    "/admin/kill")).PUT(HttpRequest.BodyPublishers.ofString(body[0])).header("Content-Type",
                    "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(body[0]).isEqualTo(400);
            assertThat(answer.body()).as(body[0]).contains("\"field\":\"" + body[1] + "\"");
        }
        assertThat(admin(bottom1, "/admin/kill")).as("nothing killed by a refused request").contains("\"killed\":false");
        HttpResponse<String> notOffered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                topology.management("middle").resolve("/admin/kill")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notOffered.statusCode()).as("the middle is no registered instance").isEqualTo(404);
    }
}
