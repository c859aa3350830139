package dev.failurelab.cli;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.stampede.Shot;
import dev.failurelab.lab.stampede.StampedeLab;
import dev.failurelab.lab.topology.Topology;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lab stampede} ({@code ./stampede.sh}): with the strategy in force, warm the hot key,
 * wait for its expiry and fire a burst at that instant; report what it cost.
 */
@Command(name = "stampede", mixinStandardHelpOptions = true,
        description = "Warm the hot key, wait for it to expire, fire N requests that reach the replicas at that"
                + " instant, and report origin queries, errors and p50/p99 (the course's ./stampede.sh).")
final class StampedeCommand implements Callable<Integer> {

    @Option(names = "--requests", defaultValue = "1000", description = "requests in the burst (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "where the replicas run (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--ports", paramLabel = "BOTTOM,REPLICA", split = ",", defaultValue = "8084,8085",
            description = "the replicas serving the hot key (default: ${DEFAULT-VALUE})")
    List<Integer> ports;

    @Option(names = "--admin-ports", paramLabel = "BOTTOM,REPLICA", split = ",", defaultValue = "9084,9085",
            description = "the replicas' management ports, their admin API (default: ${DEFAULT-VALUE})")
    List<Integer> adminPorts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine commandLine = spec.commandLine();
        if (requests < 1 || requests > 20_000) {
            throw new CommandLine.ParameterException(commandLine, "--requests must be between 1 and 20000");
        }
        if (ports.size() != StampedeLab.OWNERS.size() || adminPorts.size() != StampedeLab.OWNERS.size()) {
            throw new CommandLine.ParameterException(commandLine, "--ports and --admin-ports take "
                    + StampedeLab.OWNERS.size() + " ports each: " + String.join(",", StampedeLab.OWNERS));
        }
        StampedeLab lab = (StampedeLab) LabRegistry.load().get("stampede");
        Topology topology;
        try {
            Map<String, Integer> moved = new java.util.LinkedHashMap<>();
            for (int i = 0; i < StampedeLab.OWNERS.size(); i++) {
                moved.put(StampedeLab.OWNERS.get(i), ports.get(i));
                moved.put(StampedeLab.OWNERS.get(i) + Topology.MANAGEMENT_SUFFIX, adminPorts.get(i));
            }
            topology = lab.topology().withPorts(moved);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--ports: " + e.getMessage());
        }
        LabDefaults settings = LabDefaults.load(lab.defaults())
                .with(Map.of("burst.requests", Integer.toString(requests)));
        PrintWriter console = commandLine.getOut();
        try {
            Shot shot = StampedeLab.fireAtExpiry(new LabRun(lab, settings, topology.endpoints(host), line -> {
                console.println(line.strip());
                console.flush();
            }));
            console.printf(Locale.ROOT, "strategy %s: %d requests at the expiry -> %.0f origin queries, %d errors,"
                            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms; answers by source %s%n", shot.strategy(),
                    shot.requests(), shot.originQueries(), shot.errors(), shot.p50Ms(), shot.p99Ms(), shot.maxMs(),
                    shot.sources());
            console.flush();
            return 0;
        } catch (IllegalStateException e) {
            commandLine.getErr().println("lab stampede: " + e.getMessage()
                    + "\n(are the replicas up with the cache? ./lab up starts them)");
            return 1;
        }
    }
}
