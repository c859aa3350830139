package dev.failurelab.cli;

import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() throws InterruptedException {
        TopologyPorts ports = new TopologyPorts(edge, middleProxy, middle, bottomProxy, bottom, control);
        EmbeddedTopology topology = EmbeddedTopology.builder().ports(ports).start();
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
}
