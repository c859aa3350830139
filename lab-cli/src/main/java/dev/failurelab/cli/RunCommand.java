package dev.failurelab.cli;

import dev.failurelab.contract.FaultControl;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.lab.retrystorm.RetryStormLab;
import dev.failurelab.lab.retrystorm.RetryStormResult;
import dev.failurelab.lab.retrystorm.RetryStormTargets;
import dev.failurelab.lab.stampede.StampedeLab;
import dev.failurelab.lab.stampede.StampedeResult;
import dev.failurelab.lab.stampede.StampedeTargets;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab run <lab>}: run a whole experiment, print the comparison, write the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a lab's experiment end to end and judge its hypotheses (exit 0 only if all held).")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab: retry-storm or stampede")
    String lab;

    @Option(names = "--target", paramLabel = "HOST",
            description = "run against services already running on HOST's documented ports (compose, ./lab up);"
                    + " default: start the embedded topology with the lab's settings")
    String target;

    @Option(names = "--ports", paramLabel = "PORT,...", split = ",",
            description = "with --target: the ports, if not the documented ones: retry-storm EDGE,MIDDLE,BOTTOM,CONTROL"
                    + " (8080,8082,8084,8474); stampede BOTTOM,REPLICA (8084,8085)")
    List<Integer> ports;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of the lab's defaults file; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "lab-runs", description = "folder for reports (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quiet", description = "no per-second progress, only the result")
    boolean quiet;

    @Option(names = "--json", description = "print only the result, as the JSON of result.json (for scripts)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        String defaults = UpCommand.LABS.get(lab);
        if (defaults == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown lab '" + lab + "'; available: " + String.join(", ", UpCommand.LABS.keySet()));
        }
        LabDefaults settings;
        try {
            settings = LabDefaults.load(defaults).with(parse(overrides));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return lab.equals("stampede") ? runStampede(settings) : runRetryStorm(settings);
    }

    private Integer runRetryStorm(LabDefaults settings) throws InterruptedException {
        RetryStormTargets targets;
        if (target == null) {
            targets = RetryStormTargets.onHost("127.0.0.1");
        } else if (ports == null) {
            targets = RetryStormTargets.onHost(target);
        } else if (ports.size() == 4) {
            targets = RetryStormTargets.onHost(target, ports.get(0), ports.get(1), ports.get(2), ports.get(3));
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ports takes four ports for retry-storm: EDGE,MIDDLE,BOTTOM,CONTROL");
        }
        return run("retry-storm", settings, false, "edge :8080, middle :8082, bottom :8084, faults :8474", () -> {
            // Ctrl-C mid-run: no fault may outlive the lab that set it, nor a storm-prone policy.
            try {
                new FaultControl(targets.control()).clearAll();
            } catch (RuntimeException ignored) {
                // the injector is already gone: so are its faults
            }
            RetryStormLab.restoreNonePolicy(targets);
        }, progress -> {
            RetryStormLab experiment = new RetryStormLab(settings, targets, progress);
            RetryStormResult result = experiment.run();
            return new Outcome(result, result.table(), result.checks(), result.passed(), result.markdown(),
                    experiment.timeline(), result.html());
        });
    }

    private Integer runStampede(LabDefaults settings) throws InterruptedException {
        StampedeTargets targets;
        if (target == null) {
            targets = StampedeTargets.onHost("127.0.0.1");
        } else if (ports == null) {
            targets = StampedeTargets.onHost(target);
        } else if (!ports.isEmpty()) {
            targets = StampedeTargets.onHost(target, ports.stream().mapToInt(Integer::intValue).toArray());
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ports takes the replicas' ports for stampede: BOTTOM,REPLICA");
        }
        return run("stampede", settings, true, "bottom :8084 and its replica :8085 on Redis and PostgreSQL",
                () -> StampedeLab.restoreNoneStrategy(targets), progress -> {
                    StampedeLab experiment = new StampedeLab(settings, targets, progress);
                    StampedeResult result = experiment.run();
                    return new Outcome(result, result.table(), result.checks(), result.passed(), result.markdown(),
                            experiment.timeline(), result.html());
                });
    }

    /** What a lab produced, for printing and the report. */
    private record Outcome(Object result, String table, List<Check> checks, boolean passed, String markdown,
            EventTimeline timeline, String html) {
    }

    /** A lab's run from a progress printer to its outcome. */
    @FunctionalInterface
    private interface Experiment {
        Outcome run(Consumer<String> progress) throws InterruptedException;
    }

    /**
     * Starts the embedded topology unless {@code --target}, runs {@code experiment}, prints the
     * table and checks, writes the report; {@code cleanup} runs however the run ends (Ctrl-C too).
     */
    private Integer run(String name, LabDefaults settings, boolean cache, String what, Runnable cleanup,
            Experiment experiment) throws InterruptedException {
        PrintWriter console = json ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        PrintWriter stdout = spec.commandLine().getOut();
        EmbeddedTopology topology = null;
        if (target == null) {
            EmbeddedTopology.Builder builder = EmbeddedTopology.builder().ports(TopologyPorts.defaults())
                    .labSettings(settings);
            console.println("starting the embedded topology (" + what + ")");
            console.flush();
            try {
                if (cache) {
                    builder.cache(Infrastructure.redis(System.getenv()), Infrastructure.postgres(System.getenv()));
                }
                topology = builder.start();
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("lab run: cannot start the embedded topology: " + e.getMessage()
                        + "\n(is ./lab up running? stop it, or use --target 127.0.0.1 to run against it)");
                return 1;
            }
            topology.servers().forEach(server -> console.println("  " + server));
        } else {
            console.println("running against " + target + " (its settings must match the lab's topology.* settings)");
        }
        EmbeddedTopology started = topology;
        Thread hook = new Thread(() -> {
            cleanup.run();
            if (started != null) {
                started.close();
            }
        }, "lab-run-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Outcome outcome = experiment.run(line -> {
                if (!quiet && !json) {
                    console.println(line);
                    console.flush();
                }
            });
            Path report = new ReportWriter(out).write(name, outcome.result(), outcome.markdown(), outcome.timeline(),
                    outcome.html());
            if (json) {
                stdout.println(ReportWriter.json(outcome.result()));
                stdout.flush();
                return outcome.passed() ? 0 : 1;
            }
            console.println();
            console.print(outcome.table());
            console.println();
            outcome.checks().forEach(check -> console.println(check.line()));
            console.println();
            console.println((outcome.passed() ? "PASSED" : "FAILED") + " — open the report: "
                    + report.resolve("report.html").toAbsolutePath().toUri());
            console.println("also: " + report.resolve("summary.md") + ", " + report.resolve("result.json") + ", "
                    + report.resolve("timeline.jsonl") + " (draft a post-mortem: ./lab postmortem " + report + ")");
            console.flush();
            return outcome.passed() ? 0 : 1;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("lab run: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                hook.run();
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running the cleanup already
            }
        }
    }

    private Map<String, String> parse(List<String> pairs) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, got '" + pair + "'");
            }
            parsed.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return parsed;
    }
}
