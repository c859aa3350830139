package dev.failurelab.lab.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab sheet's scripts against a running chain: every defence switched on and off on the hops
 * that carry it, the capacity cut set, shown and ended, and bad arguments answered with the usage
 * and exit code 2.
 */
class CascadeScriptsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static EmbeddedTopology topology;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts()).forTests().start();
        env = Map.of("EDGE_ADMIN", base("edge"), "MIDDLE_ADMIN", base("middle"), "BOTTOM_ADMIN", base("bottom"),
                "CHAIN_HOPS", base("edge") + " " + base("middle"));
    }

    private static String base(String app) {
        String url = topology.management(app).toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    private static ExternalTool.Result script(String name, String... args) throws Exception {
        return ExternalTool.script(ROOT, env, Duration.ofMinutes(1), "cascade-lab/scripts/" + name, args);
    }

    private static String admin(String app, String path) {
        return new AdminHttp().send("GET", URI.create(base(app) + path), null);
    }

    @Test
    void applyAllDefences_switchesEachLayer_andApplyNoDefences_putsThemBack() throws Exception {
        ExternalTool.Result all = script("apply-all-defences.sh");
        assertThat(all.exitCode()).as(all.output()).isZero();
        assertThat(admin("edge", "/admin/retry-policy")).contains("\"policy\":\"budget\"");
        assertThat(admin("middle", "/admin/circuit-breaker")).contains("\"breaker\":\"on\"");
        assertThat(admin("edge", "/admin/circuit-breaker")).contains("\"breaker\":\"on\"");
        assertThat(admin("middle", "/admin/adaptive-throttle")).contains("\"throttle\":\"on\"");
        assertThat(admin("edge", "/admin/adaptive-throttle")).as("the bottleneck's client only")
                .contains("\"throttle\":\"off\"");
        assertThat(admin("edge", "/admin/deadlines")).contains("\"deadlines\":\"on\"");
        assertThat(admin("bottom", "/admin/load-shedding")).contains("\"shedding\":\"on\"");
        assertThat(admin("edge", "/admin/degradation")).contains("\"degradation\":\"on\"");

        ExternalTool.Result none = script("apply-no-defences.sh");
        assertThat(none.exitCode()).as(none.output()).isZero();
        assertThat(admin("middle", "/admin/retry-policy")).contains("\"policy\":\"naive\"");
        assertThat(admin("middle", "/admin/circuit-breaker")).contains("\"breaker\":\"off\"");
        assertThat(admin("bottom", "/admin/load-shedding")).contains("\"shedding\":\"off\"");
        assertThat(admin("edge", "/admin/degradation")).contains("\"degradation\":\"off\"");
        assertThat(script("apply-breaker.sh").exitCode()).isZero();
        assertThat(script("cascade-defence.sh", "breaker", "status").output()).contains("\"breaker\":\"on\"");
        assertThat(script("cascade-defence.sh", "breaker", "off").exitCode()).isZero();
    }

    @Test
    void capacityCut_setsShowsAndEnds() throws Exception {
        ExternalTool.Result cut = script("capacity-cut.sh", "0.8", "20s");
        assertThat(cut.exitCode()).as(cut.output()).isZero();
        assertThat(cut.output()).contains("\"fraction\":0.8");
        assertThat(script("capacity-cut.sh", "status").output()).contains("\"fraction\":0.8", "\"remainingMs\":");
        assertThat(script("capacity-cut.sh", "end").output()).contains("\"fraction\":0.0");
    }

    @Test
    void badArguments_printTheUsage_andExit2() throws Exception {
        for (String[] bad : new String[][] {{"cascade-defence.sh", "breaker"}, {"cascade-defence.sh", "wall", "on"},
                {"cascade-defence.sh", "breaker", "maybe"}, {"capacity-cut.sh", "lots", "10s"}, {"capacity-cut.sh"}}) {
            ExternalTool.Result result = script(bad[0], java.util.Arrays.copyOfRange(bad, 1, bad.length));
            assertThat(result.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(result.output()).as(String.join(" ", bad)).contains("usage:");
        }
        ExternalTool.Result refused = script("capacity-cut.sh", "0.5", "forever");
        assertThat(refused.exitCode()).as("the service refuses it, naming the field").isNotZero();
        assertThat(refused.output()).contains("\"field\":\"duration\"");
    }
}
