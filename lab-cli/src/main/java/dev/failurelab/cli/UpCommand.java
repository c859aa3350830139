package dev.failurelab.cli;

import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab up}: the whole chain in this JVM until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start edge, middle, bottom and the fault injector in one JVM (no Docker); Ctrl-C stops"
                + " them and clears every fault.")
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
    @Option(names = "--control-port", defaultValue = "8474", description = "fault injector control API (default: ${DEFAULT-VALUE})")
    int control;

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
        TopologyPorts ports = new TopologyPorts(edge, middleProxy, middle, bottomProxy, bottom, control);
        EmbeddedTopology topology;
        try {
            topology = EmbeddedTopology.builder().ports(ports).start();
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
        System.out.println("Try: curl " + topology.edgeUrl().resolve("/api/chain") + "   |   ./fault.sh inject 50%");
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
