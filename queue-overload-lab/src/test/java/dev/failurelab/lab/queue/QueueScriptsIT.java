package dev.failurelab.lab.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab sheet's scripts against a running chain: each apply-*.sh puts its discipline in force on
 * the bottom, queue-discipline.sh shows it, and a bad argument gets the usage and exit code 2.
 */
class QueueScriptsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static EmbeddedTopology topology;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts()).forTests().start();
        String bottom = topology.management("bottom").toString();
        env = Map.of("BOTTOM_ADMIN", bottom.endsWith("/") ? bottom.substring(0, bottom.length() - 1) : bottom);
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    private static ExternalTool.Result script(String name, String... args) throws Exception {
        return ExternalTool.script(ROOT, env, Duration.ofMinutes(1), "queue-overload-lab/scripts/" + name, args);
    }

    private static String discipline() {
        return new AdminHttp().send("GET", URI.create(env.get("BOTTOM_ADMIN") + "/admin/queue-discipline"), null);
    }

    @Test
    void eachApplyScript_putsItsDisciplineInForce_andApplyFifo_putsTheDefaultBack() throws Exception {
        for (String option : List.of("unbounded-fifo", "codel", "adaptive-lifo", "adaptive-limit", "priority",
                "deadline", "fifo")) {
            ExternalTool.Result applied = script("apply-" + option + ".sh");
            assertThat(applied.exitCode()).as(applied.output()).isZero();
            assertThat(discipline()).as(option).contains("\"discipline\":\"" + option + "\"");
        }
        assertThat(script("queue-discipline.sh", "status").output()).contains("\"discipline\":\"fifo\"",
                "\"codelTargetMs\"");
    }

    @Test
    void aBadDiscipline_getsTheUsage_andExit2_changingNothing() throws Exception {
        ExternalTool.Result bad = script("queue-discipline.sh", "lifo");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("unknown discipline 'lifo'", "usage: queue-overload-lab/scripts/queue-discipline.sh");
        assertThat(script("queue-discipline.sh").exitCode()).isEqualTo(2);
        assertThat(discipline()).contains("\"discipline\":\"fifo\"");
    }
}
