package dev.failurelab.cli;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabProfile;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab use <lab|default>}: switch a running topology ({@code ./lab up} or compose) to a
 * lab's profile, live, through each service's admin API: no restart.
 */
@Command(name = "use", mixinStandardHelpOptions = true,
        description = "Switch running services (./lab up, docker compose up) to a lab's settings, live: capacity,"
                + " queue, timeouts, bulkhead, backoff, TTLs. 'default' puts back the start-up settings.")
final class UseCommand implements Callable<Integer> {

    /** The name that puts back every service's start-up settings. */
    static final String DEFAULT = "default";

    @Parameters(index = "0", paramLabel = "LAB", description = "a lab (./lab list), or 'default'")
    String lab;

    @CommandLine.Mixin
    TargetOptions where;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a topology.* setting of the lab's defaults file; repeatable")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        LabProfile profile;
        Topology topology;
        if (DEFAULT.equals(lab)) {
            if (!overrides.isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, "--set needs a lab, not 'default'");
            }
            topology = CliArgs.ports(commandLine, Topology.chain(), where.ports);
            profile = LabProfile.startUp(topology);
        } else {
            Lab chosen = CliArgs.lab(commandLine, LabRegistry.load(), lab);
            LabDefaults settings = CliArgs.settings(commandLine, chosen, overrides);
            topology = CliArgs.ports(commandLine, chosen.topology(), where.ports);
            try {
                profile = LabProfile.of(settings, topology);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
        PrintWriter out = commandLine.getOut();
        try {
            List<String> lines = profile.apply(topology.endpoints(where.target));
            out.println("lab use " + lab + ": applied live on " + where.target);
            lines.forEach(line -> out.println("  " + line));
            out.flush();
            return 0;
        } catch (IllegalStateException e) {
            commandLine.getErr().println("lab use: " + e.getMessage()
                    + "\n(is the topology up on " + where.target + "? ./lab up or docker compose up starts it)");
            return 1;
        }
    }
}
