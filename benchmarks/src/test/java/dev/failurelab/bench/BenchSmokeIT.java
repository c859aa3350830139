package dev.failurelab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks start and print their figures: each runs for real (nginx, wrk, the servers in
 * their own JVMs, a lab through ./lab) with the smallest settings. The full runs are not part of
 * the test run; README.md's Performance section gives their commands.
 */
class BenchSmokeIT {

    /** Runs {@code ./bench args}, in this JVM, and returns what it printed. */
    private static String bench(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = BenchCommand.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(exit).as("exit code of bench " + String.join(" ", args)).isZero();
        return output;
    }

    /** A {@code ./lab} that runs the CLI on this test classpath (with lab-core's test labs). */
    private static Path labScriptOnThisClasspath() throws java.io.IOException {
        Path script = Files.createTempFile("lab-on-test-classpath-", ".sh");
        Files.writeString(script, "#!/usr/bin/env bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' dev.failurelab.cli.LabCommand \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    /** The cells of the table row that starts with {@code first}. */
    private static List<String> row(String output, String first) {
        return output.lines().filter(l -> l.startsWith("| " + first + " ")).findFirst()
                .map(l -> List.of(l.substring(1, l.length() - 1).split("\\|")).stream().map(String::trim).toList())
                .orElseThrow(() -> new AssertionError("no row '" + first + "' in:\n" + output));
    }

    @Test
    void proxy_measuresAllThreePaths_andPrintsRatiosAndTheReproduceLine() {
        String output = bench("proxy", "--rates", "200", "--duration", "1s", "--saturation", "1s", "--rounds", "1",
                "--warmup", "0", "--connections", "8");
        for (String path : List.of("direct", "fault proxy", "nginx")) {
            List<String> fixed = row(output, path);
            assertThat(fixed.get(1)).as(path + ": sent at 200 req/s for 1s").isEqualTo("200");
            assertThat(fixed.get(3)).as(path + ": errors").isEqualTo("0");
            assertThat(Double.parseDouble(fixed.get(4))).as(path + ": p50 ms").isPositive();
        }
        assertThat(row(output, "fault proxy").get(10)).endsWith("×");
        assertThat(output).contains("## Saturation (wrk -t2 -c8 -d1s", "throughput, fault proxy vs nginx: ",
                "added latency, fault proxy vs nginx: p50 ", "machine: ")
                .containsPattern("goal (met|MISSED)")
                .contains("reproduce: ./bench proxy --rates 200 --duration 1s --saturation 1s --connections 8 "
                        + "--wrk-threads 2 --rounds 1 --warmup 0s --nginx-workers auto");
        Matcher saturated = Pattern.compile("\\| fault proxy \\| (\\d+) ").matcher(output.substring(output.indexOf("## Saturation")));
        assertThat(saturated.find()).isTrue();
        assertThat(Long.parseLong(saturated.group(1))).as("fault proxy req/s at saturation").isPositive();
    }

    @Test
    void loadgen_reportsAchievedRateAndSendError_andComparesWithWrk() {
        String output = bench("loadgen", "--rates", "300", "--duration", "2s", "--search-from", "25000",
                "--search-duration", "1s", "--connections", "8", "--warmup", "0");
        List<String> fixed = row(output, "fixed");
        assertThat(fixed.get(1)).isEqualTo("300");
        assertThat(Double.parseDouble(fixed.get(3))).as("achieved / target at 300 req/s").isBetween(0.97, 1.03);
        assertThat(Double.parseDouble(fixed.get(4))).as("send error p50 µs").isGreaterThanOrEqualTo(0);
        assertThat(output).contains("## Highest sustained rate", "| search ", "| wrk -t2 -c8 -d2s", "highest sustained open-loop rate: ",
                "reproduce: ./bench loadgen --rates 300 --duration 2s --search-from 25000 --search-duration 1s --connections 8 --warmup 0s");
    }

    /**
     * lab-cost finds labs through the registry: the test lab {@code hop-latency} (lab-core's test
     * jar, on this classpath) is measured with no change to the benchmark, through a lab script
     * that runs the CLI on this test classpath.
     */
    @Test
    void labCost_runsALabFromTheRegistryThroughTheLabScript_andMeasuresItsMemory() throws Exception {
        Path script = labScriptOnThisClasspath();
        try {
            String output = bench("lab-cost", "--lab", "hop-latency", "--lab-script", script.toString(),
                    "--set", "phase.baseline=2s");
            List<String> cost = row(output, "hop-latency");
            assertThat(cost.get(1)).matches("\\d+ min \\d\\d s");
            long treeMb = Long.parseLong(cost.get(2).replace(" MB", ""));
            long jvmMb = Long.parseLong(cost.get(3).replace(" MB", ""));
            assertThat(cost.get(4)).as("the lab's exit code").isEqualTo("0");
            assertThat(jvmMb).as("the lab JVM's peak RSS, MB").isGreaterThan(100);
            assertThat(treeMb).as("all processes' peak RSS, MB").isGreaterThanOrEqualTo(jvmMb);
            assertThat(output).contains("reproduce: ./bench lab-cost --lab hop-latency --set phase.baseline=2s");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * stack-cost starts the participant's stack ({@code ./lab up}, through a lab script that runs the
     * CLI on this test classpath), measures it idle and under the steady loads, runs a lab against it,
     * and stops it: each phase a row, the stack's memory counted beside its JVM's, its CPU measured.
     */
    @Test
    void stackCost_measuresTheStackIdle_underTheSteadyLoads_andUnderALab_thenStopsIt() throws Exception {
        Path script = labScriptOnThisClasspath();
        try {
            String output = bench("stack-cost", "--idle", "3s", "--steady", "5s", "--lab", "hop-latency",
                    "--stack-java-opts=-Xmx512m", "--lab-script", script.toString());
            List<String> idle = row(output, "idle");
            List<String> steady = row(output, "steady loads (20/s edge, 10/s hot key)");
            for (List<String> phase : List.of(idle, steady)) {
                long stackMb = Long.parseLong(phase.get(5).replace(" MB", ""));
                long jvmMb = Long.parseLong(phase.get(6).replace(" MB", ""));
                assertThat(jvmMb).as(phase.get(0) + ": the stack JVM's peak RSS, MB").isGreaterThan(100);
                assertThat(stackMb).as(phase.get(0) + ": with Redis and PostgreSQL, MB").isGreaterThan(jvmMb);
            }
            double idleCores = Double.parseDouble(idle.get(2).replace(" cores", ""));
            double steadyCores = Double.parseDouble(steady.get(2).replace(" cores", ""));
            assertThat(steadyCores).as("30 requests/s cost more CPU than none").isGreaterThan(idleCores);
            assertThat(row(output, "./lab run hop-latency --target").get(7)).as("the lab's outcome")
                    .matches("passed|exit \\d+ .*");
            assertThat(output).contains("stack JVM options: -Xmx512m",
                    "reproduce: ./bench stack-cost --lab hop-latency --idle 3s --steady 5s --stack-java-opts='-Xmx512m'");
            assertThat(AdminPortOpen.at(9080)).as("the stack stopped with the benchmark").isFalse();
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void labCost_anUnknownLab_isAUsageError_namingTheRegisteredOnes() {
        int exit = BenchCommand.commandLine().execute("lab-cost", "--lab", "chaos");
        assertThat(exit).isEqualTo(2);
    }

    /** Whether something listens on a loopback port. */
    private static final class AdminPortOpen {
        static boolean at(int port) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (java.io.IOException closed) {
                return false;
            }
        }
    }
}
