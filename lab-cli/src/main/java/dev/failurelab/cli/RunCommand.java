package dev.failurelab.cli;

import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.lab.retrystorm.RetryStormLab;
import dev.failurelab.lab.retrystorm.RetryStormResult;
import dev.failurelab.lab.retrystorm.RetryStormTargets;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab run <lab>}: run a whole experiment, print the comparison, write the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a lab's experiment end to end and judge its hypotheses (exit 0 only if all held).")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab: retry-storm")
    String lab;

    @Option(names = "--target", paramLabel = "HOST",
            description = "run against services already running on HOST's documented ports (compose, ./lab up);"
                    + " default: start the embedded topology with the lab's settings")
    String target;

    @Option(names = "--ports", paramLabel = "EDGE,MIDDLE,BOTTOM,CONTROL", split = ",",
            description = "with --target: the ports, if not the documented 8080,8082,8084,8474")
    List<Integer> ports;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of the lab's defaults file; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "lab-runs", description = "folder for reports (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quiet", description = "no per-second progress, only the result")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!lab.equals("retry-storm")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown lab '" + lab + "'; available: retry-storm");
        }
        LabDefaults settings;
        try {
            settings = LabDefaults.load(RetryStormLab.DEFAULTS).with(parse(overrides));
            settings.duration("phase.brownout");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter console = spec.commandLine().getOut();
        EmbeddedTopology topology = null;
        RetryStormTargets targets;
        if (target == null) {
            EmbeddedTopology.Builder builder = EmbeddedTopology.builder().ports(TopologyPorts.defaults())
                    .labSettings(settings);
            console.println("starting the embedded topology (edge :8080, middle :8082, bottom :8084, faults :8474)");
            console.flush();
            try {
                topology = builder.start();
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("lab run: cannot start the embedded topology: " + e.getMessage()
                        + "\n(is ./lab up running? stop it, or use --target 127.0.0.1 to run against it)");
                return 1;
            }
            targets = RetryStormTargets.onHost("127.0.0.1");
        } else {
            console.println("running against " + target + " (its capacity and timeouts must match the lab's"
                    + " topology.* settings)");
            if (ports == null) {
                targets = RetryStormTargets.onHost(target);
            } else if (ports.size() == 4) {
                targets = RetryStormTargets.onHost(target, ports.get(0), ports.get(1), ports.get(2), ports.get(3));
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "--ports takes four ports: EDGE,MIDDLE,BOTTOM,CONTROL");
            }
        }
        EmbeddedTopology started = topology;
        Thread cleanup = new Thread(() -> {
            // Ctrl-C mid-run: no fault may outlive the lab that set it, nor a storm-prone policy.
            try {
                new dev.failurelab.lab.control.FaultControl(targets.control()).clearAll();
            } catch (RuntimeException ignored) {
                // the injector is already gone: so are its faults
            }
            RetryStormLab.restoreNonePolicy(targets);
            if (started != null) {
                started.close();
            }
        }, "lab-run-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            RetryStormResult result = new RetryStormLab(settings, targets, line -> {
                if (!quiet) {
                    console.println(line);
                    console.flush();
                }
            }).run();
            Path report = new ReportWriter(out).write("retry-storm", result, result.markdown());
            console.println();
            console.print(result.table());
            console.println();
            result.checks().forEach(check -> console.println(check.line()));
            console.println();
            console.println((result.passed() ? "PASSED" : "FAILED") + " — report: " + report.resolve("summary.md")
                    + " and " + report.resolve("result.json"));
            console.flush();
            return result.passed() ? 0 : 1;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("lab run: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
                cleanup.run();
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
