package dev.failurelab.bench;

import dev.failurelab.lab.load.LoadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./bench}: the project's benchmarks, one subcommand each. Every benchmark prints its
 * figures, the machine they come from, and the command line that reproduces them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "Failure Lab benchmarks 0.1.0",
        description = "Failure Lab benchmarks: each prints its figures and the command that reproduces them.",
        subcommands = {ProxyBench.class, LoadGenBench.class, LabCostBench.class, StackCostBench.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: proxy, loadgen, lab-cost or stack-cost");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A benchmark that cannot run says why in one line (a missing tool, a server that did not start).
            commandLine.getErr().println("bench " + commandLine.getCommandName() + ": " + e.getMessage());
            return 1;
        });
    }

    /** A duration as the options take it: "20s", "500ms", "2m". */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** One line naming the machine: cores, CPU model, memory, OS and JVM. */
    static String machine() {
        String cpu = read("/proc/cpuinfo").flatMap(text -> text.lines().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())).orElse("unknown CPU");
        String memory = read("/proc/meminfo").flatMap(text -> text.lines().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> String.format(Locale.ROOT, "%.0f GiB",
                        Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))).orElse("? GiB");
        return String.format(Locale.ROOT, "%d cores (%s), %s, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                cpu, memory, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"));
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Checks an option, failing with picocli's usage error naming it. */
    static void require(CommandLine.Model.CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** The rates options: each above 0 and at most what the generator takes. */
    static void requireRates(CommandLine.Model.CommandSpec spec, String option, List<Double> rates) {
        require(spec, !rates.isEmpty() && rates.stream().allMatch(r -> r > 0 && r <= LoadSpec.MAX_RATE),
                option + ": each rate must be greater than 0 and at most " + (long) LoadSpec.MAX_RATE);
    }

    /** A run's length: at least a second, or (when {@code zeroSkips}) 0 to skip that part. */
    static void requireSeconds(CommandLine.Model.CommandSpec spec, String option, Duration value, boolean zeroSkips) {
        require(spec, value.toMillis() >= 1000 || (zeroSkips && value.isZero()),
                option + (zeroSkips ? " must be 0 (skip) or at least 1s" : " must be at least 1s"));
    }

    /** wrk's connections. */
    static void requireConnections(CommandLine.Model.CommandSpec spec, int connections) {
        require(spec, connections >= 1 && connections <= 4096, "--connections must be 1..4096");
    }

    /** Builds the lab CLI if it needs to be ({@code ./lab --version}), before any clock starts. */
    static void buildLab(Path labScript, Path work, String note) throws IOException, InterruptedException {
        progress("building the lab CLI if needed (" + note + ") ...");
        Path log = work.resolve("build.log");
        Process build = new ProcessBuilder(labScript.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!build.waitFor(15, java.util.concurrent.TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IllegalStateException(labScript + " --version failed:\n" + Files.readString(log));
        }
    }

    /** Progress on standard error, so that standard output holds only the figures. */
    static void progress(String line) {
        System.err.println("  .. " + line);
    }

    /** {@code items} rotated left by {@code by}: each round starts with the next path, so none is always first. */
    static <T> List<T> rotated(List<T> items, int by) {
        int shift = by % items.size();
        return java.util.stream.Stream.concat(items.subList(shift, items.size()).stream(),
                items.subList(0, shift).stream()).toList();
    }
}
