package dev.failurelab.cli;

import dev.failurelab.contract.Errors;
import dev.failurelab.exercise.Exercises;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.LabSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ./lab up}: a lab's topology (the chain by default) in this JVM until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the topology in one JVM (no Docker): by default the chain (edge, middle, bottom, the"
                + " bottom's replica, Redis, PostgreSQL and the fault injector); with --lab, that lab's topology and"
                + " settings. Ctrl-C stops it and clears every fault.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "NAME=PORT",
            description = "move one endpoint (defaults: edge=8080, edge-management=9080, middle-proxy=8081, middle=8082,"
                    + " middle-management=9082, bottom-proxy=8083, bottom=8084, bottom-management=9084, replica=8085,"
                    + " replica-management=9085, injector=8474); repeatable")
    List<String> ports = new ArrayList<>();

    @Option(names = "--set", paramLabel = "APP:KEY=VALUE",
            description = "override a property of one app (edge, middle, bottom, replica, injector, or the lab's own),"
                    + " e.g. --set bottom:chain.capacity.queue-capacity=64; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--lab", paramLabel = "LAB",
            description = "start LAB's topology, configured as its experiment does (its topology.* settings), for the"
                    + " manual course steps (./lab list names the labs)")
    String lab;

    @Option(names = "--exercise", paramLabel = "LAB",
            description = "run your own defence from the exercises module where LAB's exercise puts it (retry-storm:"
                    + " your MyRetryBudget on the edge and the middle; stampede: your MyRecomputeLock on both cache"
                    + " replicas; cascade: your MyAdaptiveThrottle on the middle; queue-overload: your MyWaitLimit on"
                    + " the bottom; hot-partition, with --lab hot-partition: your MyLoadBound in the router; dns, with"
                    + " --lab dns: your MyStalePolicy in the edge's and the middle's resolvers; service-discovery, with"
                    + " --lab service-discovery: your MyHealthPolicy in the middle's health checks; split-brain, with"
                    + " --lab split-brain: your MyWriteQuorum in every store node)")
    String exercise;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = EmbeddedTopology.LOOPBACK,
            description = "the address every port listens on (default: ${DEFAULT-VALUE}); 0.0.0.0 in a container"
                    + " others reach, such as a Kubernetes pod: the control API and the admin APIs too")
    String bind;

    @Option(names = "--no-cache",
            description = "leave out the hot key's cache (no Redis, PostgreSQL or replica)")
    boolean noCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine commandLine = spec.commandLine();
        Lab chosen = lab == null ? null : CliArgs.lab(commandLine, LabRegistry.load(), lab);
        Topology topology = CliArgs.topology(commandLine, lab);
        if (noCache) {
            topology = topology.without("cache");
        }
        topology = CliArgs.ports(commandLine, topology, ports);
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(topology).bind(address(commandLine, bind));
        if (chosen != null) {
            LabDefaults settings = CliArgs.settings(commandLine, chosen, List.of());
            try {
                LabSession.checkTopologySettings(settings, topology);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
            builder.labSettings(settings);
        }
        if (exercise != null) {
            try {
                Exercises.properties(exercise).forEach((app, values) -> values.forEach((key, value) ->
                        builder.property(app, key, value)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--exercise: " + e.getMessage());
            }
        }
        for (String override : overrides) {
            int colon = override.indexOf(':');
            int equals = override.indexOf('=');
            if (colon < 1 || equals < colon + 2) {
                throw new CommandLine.ParameterException(commandLine, "--set takes APP:KEY=VALUE, got '" + override + "'");
            }
            try {
                builder.property(override.substring(0, colon), override.substring(colon + 1, equals),
                        override.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--set: " + e.getMessage());
            }
        }
        EmbeddedTopology started;
        try {
            started = builder.start();
        } catch (RuntimeException e) {
            commandLine.getErr().println("lab up: cannot start the topology: " + Errors.rootMessage(e)
                    + "\n(is another ./lab up or docker compose already using these ports? --port NAME=PORT moves one)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: clearing faults, stopping services");
            started.close();
            stopped.countDown();
        }, "lab-up-shutdown"));
        System.out.println("Failure Lab is up (topology " + topology.name() + (chosen == null ? "" : ", lab " + lab)
                + (exercise == null ? "" : ", your code from exercise " + exercise) + ", one JVM):");
        started.urls().forEach((what, url) -> System.out.printf("  %-36s %s%n", what, url));
        started.servers().forEach(server -> System.out.printf("  %-36s %s%n", "server", server));
        if (topology.has("edge")) {
            System.out.println("Try: curl " + started.url("edge").resolve("/api/chain") + "   |   ./fault.sh inject 50%");
        }
        if (!EmbeddedTopology.LOOPBACK.equals(bind)) {
            System.out.println("Every port listens on " + bind + ", the fault injector's control API and the admin APIs"
                    + " too: anyone who reaches this machine can break the system (see the README's Security section).");
        }
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** An IP address to listen on, or a usage error naming the option. */
    private static String address(CommandLine commandLine, String bind) {
        if (!bind.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]+")) {
            throw new CommandLine.ParameterException(commandLine, "--bind takes an IP address (127.0.0.1, 0.0.0.0),"
                    + " got '" + bind + "'");
        }
        return bind;
    }
}
