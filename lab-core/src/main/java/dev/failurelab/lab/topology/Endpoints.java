package dev.failurelab.lab.topology;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link Topology}'s apps answer on one host: the embedded topology on loopback, or
 * services already running ({@code --target HOST}, compose).
 *
 * <p>Immutable and thread-safe.
 *
 * @param host     the host name or address
 * @param topology the shape, with its ports
 */
public record Endpoints(String host, Topology topology) {

    /** The base URL of {@code app} (its first instance). */
    public URI url(String app) {
        return urls(app).get(0);
    }

    /** The base URLs of every instance of {@code app}. */
    public List<URI> urls(String app) {
        return spec(app).ports().stream().map(this::url).toList();
    }

    /** The base URL of {@code app}'s actuator and admin API (its first instance). */
    public URI management(String app) {
        return managements(app).get(0);
    }

    /**
     * The base URLs of the actuator and admin API of every instance of {@code app}: their
     * management ports, or their own ports for an app without one.
     */
    public List<URI> managements(String app) {
        AppSpec spec = spec(app);
        return java.util.stream.IntStream.range(0, spec.replicas()).mapToObj(i -> url(spec.managementPort(i))).toList();
    }

    /** The base URL of the fault proxy in front of {@code app}. */
    public URI proxy(String app) {
        AppSpec spec = spec(app);
        if (spec.proxyPort() == null) {
            throw new IllegalArgumentException("app " + app + " has no fault proxy in front of it");
        }
        return url(spec.proxyPort());
    }

    /** The fault injector's control API. */
    public URI control() {
        return url(topology.injector().orElseThrow(() -> new IllegalArgumentException(
                "the topology " + topology.name() + " has no fault injector")).ports().get(0));
    }

    /** Every instance's base URL by instance name, in the topology's order. */
    public Map<String, URI> instances() {
        return byInstance((app, i) -> app.ports().get(i));
    }

    /** Every instance's actuator and admin API base URL by instance name, in the topology's order. */
    public Map<String, URI> instanceManagements() {
        return byInstance(AppSpec::managementPort);
    }

    private Map<String, URI> byInstance(java.util.function.ToIntBiFunction<AppSpec, Integer> port) {
        Map<String, URI> instances = new LinkedHashMap<>();
        for (AppSpec app : topology.apps()) {
            List<String> names = app.instanceNames();
            for (int i = 0; i < names.size(); i++) {
                instances.put(names.get(i), url(port.applyAsInt(app, i)));
            }
        }
        return instances;
    }

    private AppSpec spec(String app) {
        return topology.app(app).orElseThrow(() -> new IllegalArgumentException("the topology " + topology.name()
                + " has no app '" + app + "'"));
    }

    private URI url(int port) {
        return URI.create("http://" + host + ":" + port);
    }
}
