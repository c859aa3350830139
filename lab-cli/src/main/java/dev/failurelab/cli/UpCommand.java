package dev.failurelab.cli;

import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.retrystorm.RetryStormLab;
import dev.failurelab.lab.stampede.StampedeLab;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab up}: the whole chain in this JVM until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start edge, middle, bottom (and, with the hot key's cache, a replica of the bottom, Redis and"
                + " PostgreSQL) and the fault injector in one JVM (no Docker); Ctrl-C stops them and clears every fault.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--edge-port", defaultValue = "8080", description = "edge service (default: ${DEFAULT-VALUE})")
    int edge;
    @Option(names = "--middle-proxy-port", defaultValue = "8081", description = "fault proxy to the middle (default: ${DEFAULT-VALUE})")
    int middleProxy;
    @Option(names = "--middle-port", defaultValue = "8082", description = "middle service (default: ${DEFAULT-VALUE})")
    int middle;
    @Option(names = "--bottom-proxy-port", defaultValue = "8083", description = "fault proxy to the bottom (default: ${DEFAULT-VALUE})")
    int bottomProxy;
    @Option(names = "--bottom-port", defaultValue = "8084", description = "bottom service (default: ${DEFAULT-VALUE})")
    int bottom;
    @Option(names = "--replica-port", defaultValue = "8085", description = "the bottom's second replica, serving the hot key (default: ${DEFAULT-VALUE})")
    int replica;
    @Option(names = "--control-port", defaultValue = "8474", description = "fault injector control API (default: ${DEFAULT-VALUE})")
    int control;

    @Option(names = "--set", paramLabel = "APP:KEY=VALUE",
            description = "override a property of one app (edge, middle, bottom, replica, injector), e.g."
                    + " --set bottom:chain.capacity.queue-capacity=64; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--lab", paramLabel = "LAB",
            description = "configure the chain as LAB's experiment does (its topology.* settings), for the"
                    + " manual course steps: retry-storm or stampede")
    String lab;

    @Option(names = "--no-cache",
            description = "do not start the hot key's cache (no Redis, PostgreSQL or replica on the replica port)")
    boolean noCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("--edge-port", edge);
        options.put("--middle-proxy-port", middleProxy);
        options.put("--middle-port", middle);
        options.put("--bottom-proxy-port", bottomProxy);
        options.put("--bottom-port", bottom);
        options.put("--replica-port", replica);
        options.put("--control-port", control);
        options.forEach((option, port) -> {
            if (port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + " must be a port between 1 and 65535, got " + port);
            }
        });
        if (new HashSet<>(options.values()).size() != options.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "every port must be different: " + options);
        }
        TopologyPorts ports = new TopologyPorts(edge, middleProxy, middle, bottomProxy, bottom, replica, control);
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder().ports(ports);
        if (lab != null) {
            String defaults = LABS.get(lab);
            if (defaults == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown lab '" + lab + "'; available: " + String.join(", ", LABS.keySet()));
            }
            builder.labSettings(LabDefaults.load(defaults));
        }
        for (String override : overrides) {
            int colon = override.indexOf(':');
            int equals = override.indexOf('=');
            EmbeddedTopology.App app = colon < 1 ? null : parseApp(override.substring(0, colon));
            if (app == null || equals < colon + 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set takes APP:KEY=VALUE with APP one of"
                        + " edge, middle, bottom, replica, injector; got '" + override + "'");
            }
            builder.property(app, override.substring(colon + 1, equals), override.substring(equals + 1));
        }
        EmbeddedTopology topology;
        try {
            if (!noCache) {
                builder.cache(Infrastructure.redis(System.getenv()), Infrastructure.postgres(System.getenv()));
            }
            topology = builder.start();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("lab up: cannot start the topology: " + rootMessage(e)
                    + "\n(is another ./lab up or docker compose already using these ports? see --help to move them)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: clearing faults, stopping services");
            topology.close();
            stopped.countDown();
        }, "lab-up-shutdown"));
        System.out.println("Failure Lab is up (embedded topology, one JVM):");
        topology.urls().forEach((what, url) -> System.out.printf("  %-30s %s%n", what, url));
        topology.servers().forEach(server -> System.out.printf("  %-30s %s%n", "cache server", server));
        System.out.println("Try: curl " + topology.edgeUrl().resolve("/api/chain") + "   |   ./fault.sh inject 50%");
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** The labs whose topology settings {@code --lab} applies, with their defaults files. */
    static final Map<String, String> LABS = Map.of("retry-storm", RetryStormLab.DEFAULTS, "stampede", StampedeLab.DEFAULTS);

    private static EmbeddedTopology.App parseApp(String name) {
        for (EmbeddedTopology.App app : EmbeddedTopology.App.values()) {
            if (app.name().equalsIgnoreCase(name)) {
                return app;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
