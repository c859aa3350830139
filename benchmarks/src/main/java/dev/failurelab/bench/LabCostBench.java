package dev.failurelab.bench;

import static dev.failurelab.bench.MarkdownTable.num;

import dev.failurelab.lab.LabRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bench lab-cost}: what a lab run costs a laptop — wall time and peak memory of
 * {@code ./lab run <lab>} as a participant runs it, for every lab in the registry. Memory is the JVM's high-water mark plus the
 * resident set of every other process that started with the run (the embedded Redis, and
 * PostgreSQL's server, which detaches from its parent), sampled every 100 ms from {@code /proc}:
 * run it on an otherwise quiet machine. The JVM's own high-water mark is reported beside it. The
 * CLI is built (if it needs to be) before the clock starts.
 *
 * <p>Run: {@code ./bench lab-cost} (about 4 minutes; Linux, for {@code /proc}).
 */
@Command(name = "lab-cost", mixinStandardHelpOptions = true,
        description = "wall time and peak memory of ./lab run <lab>")
final class LabCostBench implements Callable<Integer> {

    @Option(names = "--lab", split = ",", paramLabel = "LAB,...",
            description = "labs to run (default: every lab ./lab list names)")
    List<String> labs;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "passed to ./lab run (one lab only), e.g. a shorter phase; repeatable")
    List<String> settings = new ArrayList<>();

    @Option(names = "--lab-script", defaultValue = "./lab", description = "the lab command (default: ${DEFAULT-VALUE})")
    Path labScript;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One run's cost. */
    record Cost(String lab, double wallSeconds, long peakAllKb, long jvmPeakKb, int exitCode, Path output) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> known = LabRegistry.load().names();
        if (labs == null || labs.isEmpty()) {
            labs = known;
        }
        BenchCommand.require(spec, known.containsAll(labs), "--lab: each must be one of " + known);
        BenchCommand.require(spec, settings.isEmpty() || labs.size() == 1, "--set needs exactly one --lab");
        BenchCommand.require(spec, Files.isExecutable(labScript), "--lab-script: " + labScript + " is not an executable");
        BenchCommand.require(spec, Files.isReadable(Path.of("/proc/self/status")),
                "lab-cost reads memory from /proc: it runs on Linux only");
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("bench-lab-cost-");
        out.println("# Lab cost");
        out.println("machine: " + BenchCommand.machine());
        BenchCommand.buildLab(labScript, work, "not timed");
        List<Cost> costs = new ArrayList<>();
        for (String lab : labs) {
            BenchCommand.progress("./lab run " + lab + " ...");
            costs.add(measure(lab, work));
        }
        MarkdownTable table = new MarkdownTable("lab", "wall time", "peak RSS, all processes", "peak RSS, the JVM",
                "exit");
        for (Cost cost : costs) {
            table.row(cost.lab(), String.format(Locale.ROOT, "%d min %02d s", (long) cost.wallSeconds() / 60,
                            Math.round(cost.wallSeconds()) % 60), num(cost.peakAllKb() / 1024.0, 0) + " MB",
                    num(cost.jvmPeakKb() / 1024.0, 0) + " MB", cost.exitCode());
        }
        out.println();
        out.print(table);
        for (Cost cost : costs) {
            if (cost.exitCode() != 0) {
                out.println();
                out.println(cost.lab() + " exited " + cost.exitCode() + "; its output: " + cost.output());
            }
        }
        out.println();
        StringBuilder reproduce = new StringBuilder("./bench lab-cost --lab ").append(String.join(",", labs));
        settings.forEach(s -> reproduce.append(" --set ").append(s));
        out.println("reproduce: " + reproduce);
        return 0;
    }

    private Cost measure(String lab, Path work) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(labScript.toString(), "run", lab, "--quiet", "--out",
                work.resolve("runs").toString()));
        settings.forEach(s -> command.addAll(List.of("--set", s)));
        Path output = work.resolve(lab + ".log");
        // The lab's processes are every process that was not there before it started: its JVM,
        // their children, and daemons that left their parent (PostgreSQL's server detaches).
        Set<Long> before = ProcessHandle.allProcesses().map(ProcessHandle::pid).collect(Collectors.toSet());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long peakAll = 0;
        long jvmPeak = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            // The JVM's peak is its kernel high-water mark (exact); the others are sampled.
            jvmPeak = Math.max(jvmPeak, kb(process.pid(), "VmHWM:"));
            long others = ProcessHandle.allProcesses().filter(p -> !before.contains(p.pid()) && p.pid() != process.pid())
                    .mapToLong(p -> kb(p.pid(), "VmRSS:")).sum();
            peakAll = Math.max(peakAll, jvmPeak + others);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Cost(lab, wall, peakAll, jvmPeak, process.exitValue(), output);
    }

    /** A {@code /proc/<pid>/status} field in kB, or 0 once the process is gone. */
    static long kb(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
            Optional<String> line = lines.filter(l -> l.startsWith(field)).findFirst();
            return line.map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
