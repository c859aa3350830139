package dev.failurelab.bench;

import static dev.failurelab.bench.MarkdownTable.num;

import dev.failurelab.cli.DurationConverter;
import dev.failurelab.lab.LabRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bench stack-cost}: what one participant's stack costs, as the chart's embedded mode runs
 * it ({@code ./lab up}: the chain and the fault injector in one JVM, with its Redis and PostgreSQL),
 * idle, under compose's steady loads, and while each lab runs against it ({@code ./lab run LAB
 * --target 127.0.0.1}, the lab's own load, faults and defences). CPU is the stack's processes' user
 * and system time from {@code /proc/<pid>/stat}, per second and over the phase; memory their
 * resident sets, sampled each second. The load generators and the labs' JVMs are not the stack and
 * are not counted (they run on the same machine, so the stack shares its cores with them).
 *
 * <p>Run: {@code ./bench stack-cost} (about 6 minutes; Linux, for {@code /proc}).
 */
@Command(name = "stack-cost", mixinStandardHelpOptions = true,
        description = "CPU and memory of one participant's stack (./lab up) idle, under steady load and under each lab")
final class StackCostBench implements Callable<Integer> {

    @Option(names = "--lab", split = ",", paramLabel = "LAB,...", defaultValue = "retry-storm,stampede",
            description = "labs to run against the stack, one after the other (default: ${DEFAULT-VALUE})")
    List<String> labs;

    @Option(names = "--idle", defaultValue = "60s", converter = DurationConverter.class,
            description = "the idle phase (0 skips it; default ${DEFAULT-VALUE})")
    Duration idle;

    @Option(names = "--steady", defaultValue = "60s", converter = DurationConverter.class,
            description = "compose's steady loads: 20 requests/s at the edge, 10/s on the hot key (0 skips; default"
                    + " ${DEFAULT-VALUE})")
    Duration steady;

    @Option(names = "--stack-java-opts", defaultValue = "", paramLabel = "OPTIONS",
            description = "JVM options for ./lab up alone (LAB_JAVA_OPTS), e.g. the embedded pod's heap: -Xmx806m"
                    + " (70% of its 1152 MiB limit; default: the JVM's own, a quarter of this machine's memory)")
    String stackJavaOpts;

    @Option(names = "--lab-script", defaultValue = "./lab", description = "the lab command (default: ${DEFAULT-VALUE})")
    Path labScript;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One phase's cost: mean and peak (one second) cores, mean and peak resident memory of the stack. */
    record Phase(String name, double seconds, double meanCores, double peakCores, long meanKb, long peakKb,
            long jvmPeakKb, String outcome) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() throws Exception {
        List<String> known = LabRegistry.load().names();
        BenchCommand.require(spec, known.containsAll(labs), "--lab: each must be one of " + known);
        BenchCommand.requireSeconds(spec, "--idle", idle, true);
        BenchCommand.requireSeconds(spec, "--steady", steady, true);
        BenchCommand.require(spec, Files.isExecutable(labScript), "--lab-script: " + labScript + " is not an executable");
        BenchCommand.require(spec, Files.isReadable(Path.of("/proc/self/stat")),
                "stack-cost reads /proc: it runs on Linux only");
        long ticks = clockTicks();
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("bench-stack-cost-");
        out.println("# Stack cost (one participant, the embedded mode's stack: ./lab up)");
        out.println("machine: " + BenchCommand.machine());
        out.println("stack JVM options: " + (stackJavaOpts.isBlank() ? "(the JVM's defaults)" : stackJavaOpts));
        BenchCommand.buildLab(labScript, work, "not measured");
        Set<Long> before = ProcessHandle.allProcesses().map(ProcessHandle::pid).collect(Collectors.toSet());
        BenchCommand.progress("./lab up ...");
        ProcessBuilder upBuilder = new ProcessBuilder(labScript.toString(), "up").redirectErrorStream(true)
                .redirectOutput(work.resolve("up.log").toFile());
        if (!stackJavaOpts.isBlank()) {
            upBuilder.environment().put("LAB_JAVA_OPTS", stackJavaOpts);
        }
        Process up = upBuilder.start();
        Set<Long> drivers = new HashSet<>();
        List<Phase> phases = new ArrayList<>();
        try {
            awaitReady(up, work.resolve("up.log"));
            Stack stack = new Stack(up.pid(), before, drivers, ticks);
            if (!idle.isZero()) {
                BenchCommand.progress("idle, " + BenchCommand.format(idle) + " ...");
                long end = System.nanoTime() + idle.toNanos();
                phases.add(stack.measure("idle", () -> System.nanoTime() < end, "-"));
            }
            if (!steady.isZero()) {
                BenchCommand.progress("steady loads, " + BenchCommand.format(steady) + " ...");
                String length = steady.toSeconds() + "s";
                List<Process> loads = List.of(
                        start(List.of(labScript.toString(), "load", "--url", "http://127.0.0.1:8080/api/chain", "--rate",
                                "20", "--duration", length, "--timeout", "10s", "--quiet"), work.resolve("load.log"), drivers),
                        start(List.of(labScript.toString(), "load", "--url", "http://127.0.0.1:8084/api/top-products",
                                "--rate", "10", "--duration", length, "--timeout", "10s", "--quiet"),
                                work.resolve("load-hot-key.log"), drivers));
                phases.add(stack.measure("steady loads (20/s edge, 10/s hot key)",
                        () -> loads.stream().anyMatch(Process::isAlive), "-"));
            }
            for (String lab : labs) {
                BenchCommand.progress("./lab run " + lab + " --target 127.0.0.1 ...");
                Process run = start(List.of(labScript.toString(), "run", lab, "--target", "127.0.0.1", "--quiet",
                        "--out", work.resolve("runs").toString()), work.resolve(lab + ".log"), drivers);
                Phase phase = stack.measure("./lab run " + lab + " --target", run::isAlive, null);
                phases.add(new Phase(phase.name(), phase.seconds(), phase.meanCores(), phase.peakCores(),
                        phase.meanKb(), phase.peakKb(), phase.jvmPeakKb(), run.exitValue() == 0 ? "passed"
                                : "exit " + run.exitValue() + " (" + work.resolve(lab + ".log") + ")"));
            }
        } finally {
            up.destroy();
            if (!up.waitFor(30, TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
        }
        MarkdownTable table = new MarkdownTable("phase", "length", "CPU, mean", "CPU, peak second", "memory, mean",
                "memory, peak", "the JVM, peak", "lab");
        for (Phase phase : phases) {
            table.row(phase.name(), num(phase.seconds(), 0) + " s", num(phase.meanCores(), 2) + " cores",
                    num(phase.peakCores(), 2) + " cores", num(phase.meanKb() / 1024.0, 0) + " MB",
                    num(phase.peakKb() / 1024.0, 0) + " MB", num(phase.jvmPeakKb() / 1024.0, 0) + " MB", phase.outcome());
        }
        out.println();
        out.print(table);
        out.println();
        out.println("reproduce: ./bench stack-cost --lab " + String.join(",", labs) + " --idle "
                + BenchCommand.format(idle) + " --steady " + BenchCommand.format(steady)
                + (stackJavaOpts.isBlank() ? "" : " --stack-java-opts='" + stackJavaOpts + "'"));
        return 0;
    }

    /**
     * The stack's processes: {@code ./lab up}'s and every process that appeared with it (PostgreSQL's
     * server detaches from its parent), but not the benchmark's drivers (loads, lab runs) nor theirs.
     */
    private record Stack(long up, Set<Long> before, Set<Long> drivers, long ticksPerSecond) {

        Set<Long> pids() {
            return ProcessHandle.allProcesses().filter(p -> !before.contains(p.pid()) && !drivenBy(p))
                    .map(ProcessHandle::pid).collect(Collectors.toSet());
        }

        private boolean drivenBy(ProcessHandle process) {
            for (ProcessHandle p = process; p != null; p = p.parent().orElse(null)) {
                if (drivers.contains(p.pid())) {
                    return true;
                }
                if (p.pid() == up) {
                    return false;
                }
            }
            return false;
        }

        /** Samples the stack each second while {@code running} says so. */
        Phase measure(String name, BooleanSupplier running, String outcome) throws InterruptedException {
            long start = System.nanoTime();
            Map<Long, Long> last = cpuTicks(pids());
            long previousTime = start;
            long totalTicks = 0;
            double peakCores = 0;
            long rssSum = 0;
            long rssPeak = 0;
            long jvmPeak = 0;
            int samples = 0;
            while (running.getAsBoolean()) {
                Thread.sleep(1000);
                Set<Long> pids = pids();
                Map<Long, Long> now = cpuTicks(pids);
                long time = System.nanoTime();
                // a process that appeared within the second counts from its start
                long ticks = 0;
                for (Map.Entry<Long, Long> process : now.entrySet()) {
                    ticks += process.getValue() - last.getOrDefault(process.getKey(), 0L);
                }
                totalTicks += ticks;
                peakCores = Math.max(peakCores, ticks / (double) ticksPerSecond / ((time - previousTime) / 1e9));
                long rss = pids.stream().mapToLong(pid -> LabCostBench.kb(pid, "VmRSS:")).sum();
                rssSum += rss;
                rssPeak = Math.max(rssPeak, rss);
                jvmPeak = Math.max(jvmPeak, LabCostBench.kb(up, "VmRSS:"));
                samples++;
                last = now;
                previousTime = time;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Phase(name, seconds, totalTicks / (double) ticksPerSecond / seconds, peakCores,
                    samples == 0 ? 0 : rssSum / samples, rssPeak, jvmPeak, outcome);
        }

        private static Map<Long, Long> cpuTicks(Set<Long> pids) {
            Map<Long, Long> ticks = new HashMap<>();
            for (long pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                    // after the command's closing parenthesis: state is field 3, utime 14 and stime 15
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException | RuntimeException gone) {
                    // ended between the listing and the read
                }
            }
            return ticks;
        }
    }

    private static Process start(List<String> command, Path log, Set<Long> drivers) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        drivers.add(process.pid());
        return process;
    }

    /** Waits until the edge answers its readiness probe (the last app the topology starts). */
    private static void awaitReady(Process up, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9080/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline && up.isAlive()) {
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("./lab up did not become ready (its output: " + log + ")\n"
                + Files.readString(log));
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}; 100 on Linux's usual builds). */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String value = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(value) : 100;
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }
}
