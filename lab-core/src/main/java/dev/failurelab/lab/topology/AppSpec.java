package dev.failurelab.lab.topology;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One app of a {@link Topology}: a service the embedded topology starts (compose runs the same
 * shape), in one or more instances.
 *
 * @param name       its name, e.g. {@code bottom}; instances of a replicated app are {@code bottom-1}, …
 * @param kind       what runs: {@code chain} (chain-service), {@code fault-injector}, or a lab's own kind
 * @param role       the kind's role, e.g. {@code edge}, {@code middle}, {@code bottom} for {@code chain}
 * @param ports      one port per instance
 * @param managementPorts one management port per instance (its actuator and admin API), or none
 *                   when the app serves them on its own port
 * @param proxyPort  the port of the fault proxy in front of it (named after the app), or null
 * @param downstream the app it calls (through that app's proxy, if it has one), or null
 * @param registry   the registry app it registers with, or finds its downstream through (through
 *                   the registry's proxy, if it has one), or null
 * @param uses       the servers it uses (names of {@link ServerSpec}s)
 * @param group      an optional group, so that a lab or {@code --no-cache} can leave a part out
 * @param like       an app whose lab settings ({@code topology.<like>.*}) it takes before its own, or null
 * @param properties fixed properties of the app, set before any lab's
 */
public record AppSpec(String name, String kind, String role, List<Integer> ports, List<Integer> managementPorts,
        Integer proxyPort, String downstream, String registry, Set<String> uses, String group, String like,
        Map<String, String> properties) {

    public AppSpec {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("app " + name + " needs at least one port");
        }
        ports = List.copyOf(ports);
        managementPorts = List.copyOf(managementPorts);
        if (!managementPorts.isEmpty() && managementPorts.size() != ports.size()) {
            throw new IllegalArgumentException("app " + name + " needs one management port per instance");
        }
        uses = Set.copyOf(uses);
        properties = Map.copyOf(properties);
    }

    /** How many instances run. */
    public int replicas() {
        return ports.size();
    }

    /** The instance names: the app's own name, or {@code name-1 … name-N} when replicated. */
    public List<String> instanceNames() {
        if (ports.size() == 1) {
            return List.of(name);
        }
        return java.util.stream.IntStream.rangeClosed(1, ports.size()).mapToObj(i -> name + "-" + i).toList();
    }

    /** The port of instance {@code i}'s actuator and admin API: its management port, or its own port. */
    public int managementPort(int i) {
        return managementPorts.isEmpty() ? ports.get(i) : managementPorts.get(i);
    }

    /** This app with other ports (for {@link Topology#withPorts}). */
    AppSpec withPorts(List<Integer> ports, List<Integer> managementPorts, Integer proxyPort) {
        return new AppSpec(name, kind, role, ports, managementPorts, proxyPort, downstream, registry, uses, group, like, properties);
    }

    /** The fault proxy's name (the app's own name) if it has one. */
    public String proxyName() {
        return proxyPort == null ? null : name;
    }
}
