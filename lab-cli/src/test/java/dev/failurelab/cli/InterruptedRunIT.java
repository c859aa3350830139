package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.lab.topology.Topology;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping {@code ./lab run} mid-brownout (Ctrl-C, SIGTERM) leaves no fault and no retry policy behind. */
class InterruptedRunIT {

    @Test
    void stoppingTheLabMidBrownout_clearsTheFault_andRestoresThePolicy_beforeTheFaultsTtl() throws Exception {
        Topology shape = Topology.chain().without("cache").withFreePorts();
        try (EmbeddedTopology topology = EmbeddedTopology.builder(shape).start()) {
            List<String> ports = new ArrayList<>();
            shape.ports().forEach((name, port) -> ports.addAll(List.of("--port", name + "=" + port)));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "dev.failurelab.cli.LabCommand", "run", "retry-storm", "--quiet", "--out",
                    Path.of("target", "interrupted-run").toString(), "--target", "127.0.0.1",
                    "--set", "phase.warmup=1s", "--set", "phase.baseline=1s", "--set", "phase.brownout=60s"));
            command.addAll(ports);
            Process lab = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "interrupted-run.log").toFile())
                    .start();
            AdminHttp http = new AdminHttp();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (http.send("GET", topology.controlUrl().resolve("/faults"), null).equals("[]")) {
                    assertThat(lab.isAlive()).as("the lab is running (see target/interrupted-run.log)").isTrue();
                    assertThat(System.nanoTime()).as("the brownout started within 60 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(http.send("GET", topology.management("edge").resolve("/admin/retry-policy"), null))
                        .contains("\"policy\":\"naive\"");

                lab.destroy(); // SIGTERM: what Ctrl-C and a stopping container do
                assertThat(lab.waitFor(30, TimeUnit.SECONDS)).as("the lab stopped").isTrue();
            } finally {
                lab.destroyForcibly();
            }

            assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null))
                    .as("no fault left, long before its 65 s TTL").isEqualTo("[]");
            for (String hop : List.of("edge", "middle")) {
                assertThat(http.send("GET", topology.management(hop).resolve("/admin/retry-policy"), null))
                        .as(hop + " policy restored").contains("\"policy\":\"none\"");
            }
            // The requests the storm left queued drain within seconds once the fault and retries are gone.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> http.status(topology.url("edge").resolve("/api/chain"), Duration.ofSeconds(5)) == 200);
        }
    }
}
