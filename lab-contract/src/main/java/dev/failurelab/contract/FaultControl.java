package dev.failurelab.contract;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * A lab's hand on the fault injector's control API: install a fault with a TTL, clear them all.
 * Every fault a lab sets has a TTL just past the phase that needs it, so even a lab killed
 * mid-run leaves no fault behind for long; a clean stop clears them at once.
 *
 * <p>Thread-safe.
 */
public final class FaultControl {

    private final AdminHttp http = new AdminHttp();
    private final URI control;
    private final java.util.function.BooleanSupplier mayInject;

    /** @param control the control API's base URL, e.g. {@code http://127.0.0.1:8474} */
    public FaultControl(URI control) {
        this(control, () -> true);
    }

    /**
     * @param control   the control API's base URL
     * @param mayInject false once the run that owns this is stopping: an injection then fails, so
     *                  no fault is installed after the run's clean-up (clearing is always allowed)
     */
    public FaultControl(URI control, java.util.function.BooleanSupplier mayInject) {
        this.control = control;
        this.mayInject = mayInject;
    }

    private void checkMayInject() {
        if (!mayInject.getAsBoolean()) {
            throw new IllegalStateException("the run is stopping: no more faults");
        }
    }

    /** Errors on {@code share} (0..1) of the requests to {@code proxy}, forwarded first (the upstream works). */
    public String injectErrors(String proxy, double share, int status, Duration ttl) {
        checkMayInject();
        return http.send("POST", control.resolve(AdminPaths.proxyFaults(proxy)), String.format(Locale.ROOT,
                "{\"type\":\"error\",\"probability\":%s,\"status\":%d,\"mode\":\"forwarded\",\"ttl\":\"%dms\"}",
                share, status, ttl.toMillis()));
    }

    /** Every request to {@code proxy} answered {@code status} at the proxy: the upstream sees nothing (an outage). */
    public String injectOutage(String proxy, int status, Duration ttl) {
        checkMayInject();
        return http.send("POST", control.resolve(AdminPaths.proxyFaults(proxy)), String.format(Locale.ROOT,
                "{\"type\":\"error\",\"probability\":1,\"status\":%d,\"mode\":\"proxy\",\"ttl\":\"%dms\"}", status,
                ttl.toMillis()));
    }

    /**
     * The requests to {@code proxy} whose path starts with {@code path} and whose method is
     * {@code method} held with no answer until their client gives up (a blackhole), the others untouched.
     */
    public String injectBlackhole(String proxy, String path, String method, Duration ttl) {
        checkMayInject();
        return http.send("POST", control.resolve(AdminPaths.proxyFaults(proxy)), String.format(Locale.ROOT,
                "{\"type\":\"blackhole\",\"path\":\"%s\",\"method\":\"%s\",\"ttl\":\"%dms\"}", path, method,
                ttl.toMillis()));
    }

    /** {@code latency} added (± {@code jitter}) to every request through {@code proxy}. */
    public String injectLatency(String proxy, Duration latency, Duration jitter, Duration ttl) {
        checkMayInject();
        return http.send("POST", control.resolve(AdminPaths.proxyFaults(proxy)), String.format(Locale.ROOT,
                "{\"type\":\"latency\",\"latencyMs\":%d,\"jitterMs\":%d,\"ttl\":\"%dms\"}", latency.toMillis(),
                jitter.toMillis(), ttl.toMillis()));
    }

    /**
     * A DNS fault on the injector's DNS servers: {@code type} (servfail, nxdomain, drop, slow,
     * wrong-address, ttl0) on {@code server} (primary, fallback, all), for every name.
     *
     * @param delay slow: the delay of each answer (ignored by the other types)
     */
    public String injectDns(String type, String server, Duration delay, Duration ttl) {
        checkMayInject();
        String delayField = "slow".equals(type) ? String.format(Locale.ROOT, ",\"delayMs\":%d", delay.toMillis()) : "";
        return http.send("POST", control.resolve(AdminPaths.DNS_FAULTS), String.format(Locale.ROOT,
                "{\"type\":\"%s\",\"server\":\"%s\"%s,\"ttl\":\"%dms\"}", type, server, delayField,
                ttl.toMillis()));
    }

    /** Every active fault, as the control API's JSON array. */
    public String active() {
        return http.send("GET", control.resolve(AdminPaths.FAULTS), null);
    }

    /** Clears every fault of every proxy, and of the DNS servers. */
    public void clearAll() {
        http.send("POST", control.resolve(AdminPaths.FAULTS_RESET), null);
    }

    /** {@link #clearAll()}, best effort: an injector that is gone took its faults with it. */
    public void clearAllQuietly() {
        try {
            clearAll();
        } catch (RuntimeException ignored) {
            // the injector is gone: so are its faults
        }
    }
}
