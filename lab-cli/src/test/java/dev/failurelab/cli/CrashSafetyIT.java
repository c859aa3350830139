package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab JVM killed outright (kill -9: a crash, an out-of-memory kill) leaves nothing behind: its
 * watchdog ends the embedded servers and removes their data; the next start cleans what a
 * watchdog could not; and with {@code --target}, its fault and its policy switch end with their
 * TTL and lease.
 */
class CrashSafetyIT {

    @TempDir
    Path tmp;

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** {@code ./lab ARGS} in a child JVM whose temporary folder is {@code tmp}. */
    private Process lab(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), "dev.failurelab.cli.LabCommand"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void killingLabUp_endsItsServers_freesTheirPorts_andRemovesTheirData_within5s() throws Exception {
        // A leftover from an earlier run whose JVM is gone: the next start must clean it, and say so.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process orphan = new ProcessBuilder("sleep", "300").start();
        Path leftover = tmp.resolve("failure-lab-runs").resolve(Long.toString(gone.pid()));
        Files.createDirectories(leftover.resolve("servers"));
        Files.createDirectories(leftover.resolve("postgres-1").resolve("base"));
        Files.writeString(leftover.resolve("servers").resolve("postgres-1.txt"),
                "pid " + orphan.pid() + "\ndir " + leftover.resolve("postgres-1") + "\n");

        List<String> args = new ArrayList<>(List.of("up"));
        Topology.chain().withFreePorts().ports().forEach((name, port) -> args.addAll(List.of("--port", name + "=" + port)));
        Path log = tmp.resolve("up.log");
        Process up = lab(log, args);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(log).contains("Ctrl-C to stop") || !up.isAlive());
            String output = Files.readString(log);
            assertThat(up.isAlive()).as(output).isTrue();
            assertThat(output).as("the next start says what it cleaned").contains(
                    "cleaned up after runs that did not stop: stopped postgres-1 (pids " + orphan.pid() + ") left by pid "
                            + gone.pid());
            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the leftover's process ended").isTrue();
            assertThat(leftover).as("the leftover's folder").doesNotExist();

            Path run = tmp.resolve("failure-lab-runs").resolve(Long.toString(up.pid()));
            List<Long> pids = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            List<Path> folders = new ArrayList<>();
            for (Path record : list(run.resolve("servers"))) {
                for (String line : Files.readAllLines(record)) {
                    String[] parts = line.split(" ", 2);
                    switch (parts[0]) {
                        case "pid" -> pids.add(Long.parseLong(parts[1]));
                        case "pidfile" -> pids.add(Long.parseLong(Files.readAllLines(Path.of(parts[1])).get(0).trim()));
                        case "port" -> ports.add(Integer.parseInt(parts[1]));
                        case "dir" -> folders.add(Path.of(parts[1]));
                        default -> throw new AssertionError("unknown record line " + line);
                    }
                }
            }
            assertThat(pids).as("redis-server and postgres recorded").hasSize(2);
            assertThat(ports).hasSize(2);
            assertThat(folders).as("PostgreSQL's data and redis-server's binary").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(folder -> assertThat(folder).exists());
            List<ProcessHandle> started = new ArrayList<>();
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(started::add));
            started.addAll(started.stream().flatMap(ProcessHandle::descendants).toList());

            up.destroyForcibly(); // kill -9
            assertThat(up.waitFor(10, TimeUnit.SECONDS)).isTrue();

            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(started).as("every process the JVM started has ended").noneMatch(ProcessHandle::isAlive);
                assertThat(ports).as("their ports are free").allMatch(CrashSafetyIT::free);
                assertThat(folders).as("their data is gone").noneMatch(Files::exists);
                assertThat(run).as("the run's record is gone").doesNotExist();
            });
        } finally {
            up.destroyForcibly();
            orphan.destroyForcibly();
        }
    }

    @Test
    void killingARunWithTarget_midBrownout_leavesItsFaultAndItsPolicyOnlyUntilTheirTtlAndLease() throws Exception {
        Topology shape = Topology.chain().without("cache").withFreePorts();
        try (EmbeddedTopology topology = EmbeddedTopology.builder(shape).start()) {
            List<String> args = new ArrayList<>(List.of("run", "retry-storm", "--quiet", "--out",
                    tmp.resolve("runs").toString(), "--target", "127.0.0.1", "--set", "phase.warmup=1s",
                    "--set", "phase.baseline=1s", "--set", "phase.brownout=8s"));
            shape.ports().forEach((name, port) -> args.addAll(List.of("--port", name + "=" + port)));
            Path log = tmp.resolve("run.log");
            Process run = lab(log, args);
            AdminHttp http = new AdminHttp();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        !http.send("GET", topology.controlUrl().resolve("/faults"), null).equals("[]") || !run.isAlive());
                assertThat(run.isAlive()).as(Files.readString(log, StandardCharsets.UTF_8)).isTrue();
                assertThat(http.send("GET", topology.management("edge").resolve("/admin/retry-policy"), null))
                        .contains("\"policy\":\"naive\"", "\"leaseRemainingMs\"");

                run.destroyForcibly(); // kill -9: no shutdown hook runs
                assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                run.destroyForcibly();
            }
            long killedAt = System.nanoTime();
            // The fault's TTL is the brownout plus 5 s; the switch's lease is 10 s.
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null)).isEqualTo("[]");
                for (String hop : List.of("edge", "middle")) {
                    assertThat(http.send("GET", topology.management(hop).resolve("/admin/retry-policy"), null))
                            .as(hop).contains("\"policy\":\"none\"");
                }
            });
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt))
                    .as("gone with the TTL and the lease, not left for the operator").isLessThanOrEqualTo(15);
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
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
