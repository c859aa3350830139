package dev.failurelab.contract;

/** The services' paths that labs, scripts and tests call (defences: {@link Defence#path()}). */
public final class AdminPaths {

    /** The chain's user request: edge to bottom. */
    public static final String CHAIN = "/api/chain";
    /** The hot key, cache-aside (bottom and its replica). */
    public static final String HOT_KEY = "/api/top-products";
    /** The hot key's entry, lock and recent recomputes ({@code GET}); eviction ({@code DELETE}). */
    public static final String CACHE_ENTRY = "/admin/cache";
    /** A chain service's live settings (on its management port): {@code GET}, {@code PUT}, {@code DELETE} to reset. */
    public static final String SETTINGS = "/admin/settings";
    /** The partition router's view: its defences, hot keys, and placements per shard per second. */
    public static final String PARTITION = "/admin/partition";
    /**
     * A chain service's restart (on its management port): {@code POST} stops it and starts it again
     * with its start-up settings, where it shares a JVM with its topology ({@code ./lab up}, a lab, a
     * drill); a 409 where it is a process of its own (restart that process).
     */
    public static final String RESTART = "/admin/restart";
    /** Every service's Prometheus endpoint (on its management port). */
    public static final String PROMETHEUS = "/actuator/prometheus";
    /** Every service's health. */
    public static final String HEALTH = "/actuator/health";
    /** The fault injector: clear every fault of every proxy. */
    public static final String FAULTS_RESET = "/reset";
    /** The fault injector: every active fault. */
    public static final String FAULTS = "/faults";
    /** The fault injector's DNS faults (its DNS servers: {@code GET /dns}). */
    public static final String DNS_FAULTS = "/dns/faults";

    private AdminPaths() {
    }

    /** The fault injector: one proxy's faults. */
    public static String proxyFaults(String proxy) {
        return "/proxies/" + proxy + "/faults";
    }
}
