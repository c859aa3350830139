package dev.failurelab.cli;

import dev.failurelab.lab.topology.Restarts;
import dev.failurelab.lab.topology.Topology;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab restart APP...|all}: restart running services ({@code ./lab up}) through their admin
 * API, all at once, and wait until each is up again: the blunt action of an incident. Each comes back
 * with its start-up settings (a live change is lost), its queues and caches empty.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart running services (./lab up) through their admin API, all at once, and wait until each"
                + " is up again: in-flight requests are cut, live changes lost (the fault injector is never"
                + " restarted). Under compose, restart the containers: docker compose restart.")
final class RestartCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "APP", description = "all, or apps of the topology (e.g. bottom middle)")
    List<String> apps = new ArrayList<>();

    @Option(names = "--lab", paramLabel = "LAB",
            description = "the topology ./lab up --lab LAB started (default: the chain's)")
    String lab;

    @CommandLine.Mixin
    TargetOptions where;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long to wait for each to be up again (default: ${DEFAULT-VALUE})")
    Duration wait;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine commandLine = spec.commandLine();
        Topology topology = CliArgs.ports(commandLine, CliArgs.topology(commandLine, lab), where.ports);
        Map<String, URI> instances;
        try {
            instances = Restarts.instances(topology.endpoints(where.target), apps);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        Map<String, Double> before = Restarts.startTimes(instances);
        PrintWriter out = commandLine.getOut();
        try {
            Restarts.request(instances).forEach(line -> out.println("  " + line));
        } catch (IllegalStateException e) {
            commandLine.getErr().println("lab restart: " + e.getMessage()
                    + "\n(is the topology up on " + where.target + "? ./lab up starts it; under compose: docker compose restart)");
            return 1;
        }
        out.flush();
        List<String> lines = Restarts.await(instances, before, wait);
        lines.forEach(line -> out.println("  " + line));
        out.flush();
        return lines.stream().allMatch(line -> line.contains("up again after")) ? 0 : 1;
    }
}
