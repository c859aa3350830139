package dev.failurelab.cli;

import dev.failurelab.contract.Errors;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.LabSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab run <lab>}: run a whole experiment, print the comparison, write the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a lab's experiment end to end and judge its hypotheses (exit 0 only if all held)."
                + " ./lab list names the labs.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab (./lab list)")
    String lab;

    @Option(names = "--target", paramLabel = "HOST",
            description = "run against services already running on HOST's documented ports (compose, ./lab up);"
                    + " default: start the embedded topology with the lab's settings")
    String target;

    @Option(names = "--port", paramLabel = "NAME=PORT",
            description = "move one endpoint of the lab's topology (e.g. edge=9080, bottom-proxy=9083); repeatable")
    List<String> ports = new ArrayList<>();

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
        CommandLine commandLine = spec.commandLine();
        Lab chosen = CliArgs.lab(commandLine, LabRegistry.load(), lab);
        LabDefaults settings = CliArgs.settings(commandLine, chosen, overrides);
        Topology topology = CliArgs.ports(commandLine, chosen.topology(), ports);
        try {
            LabSession.checkTopologySettings(settings, topology);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        PrintWriter console = json ? new PrintWriter(java.io.Writer.nullWriter()) : commandLine.getOut();
        PrintWriter stdout = commandLine.getOut();
        LabSession session;
        if (target == null) {
            console.println("starting the embedded topology: " + topology.ports());
            console.flush();
            try {
                session = LabSession.start(chosen, settings, topology, false);
            } catch (RuntimeException e) {
                commandLine.getErr().println("lab run: cannot start the embedded topology: " + Errors.rootMessage(e)
                        + "\n(is ./lab up running? stop it, or use --target 127.0.0.1 to run against it)");
                return 1;
            }
            session.servers().forEach(server -> console.println("  " + server));
        } else {
            console.println("running against " + target + " " + topology.ports() + "; the lab's profile, live:");
            try {
                session = LabSession.attach(chosen, settings, topology.endpoints(target), line -> console.println("  " + line));
            } catch (IllegalStateException e) {
                commandLine.getErr().println("lab run: cannot apply the lab's profile: " + e.getMessage()
                        + "\n(is the topology up on " + target + "? ./lab up or docker compose up starts it)");
                return 1;
            }
        }
        // Ctrl-C mid-run: the experiment stops first, then the session's one clean-up (faults,
        // defences, topology) runs, so the experiment cannot inject or switch after it.
        Thread hook = new Thread(() -> session.stop(java.time.Duration.ofSeconds(5)), "lab-run-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LabResult result = session.run(line -> {
                if (!quiet && !json) {
                    console.println(line);
                    console.flush();
                }
            });
            Path report = new ReportWriter(out).write(result, session.timeline());
            if (json) {
                stdout.println(ReportWriter.json(result));
                stdout.flush();
                return result.passed() ? 0 : 1;
            }
            console.println();
            console.print(result.table());
            console.println();
            result.checks().forEach(check -> console.println(check.line()));
            console.println();
            console.println((result.passed() ? "PASSED" : "FAILED") + " — open the report: "
                    + report.resolve("report.html").toAbsolutePath().toUri());
            console.println("also: " + report.resolve("summary.md") + ", " + report.resolve("result.json") + ", "
                    + report.resolve("timeline.jsonl") + " (draft a post-mortem: ./lab postmortem " + report + ")");
            console.flush();
            return result.passed() ? 0 : 1;
        } catch (IllegalStateException e) {
            commandLine.getErr().println("lab run: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running the clean-up
            }
        }
    }
}
