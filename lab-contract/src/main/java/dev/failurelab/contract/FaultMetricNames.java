package dev.failurelab.contract;

/**
 * Every meter name and tag key the fault injector exports, in dotted (Micrometer) form;
 * {@link PrometheusNames} gives their Prometheus form.
 */
public final class FaultMetricNames {

    /** Counter of requests through a proxy; tags {@link #PROXY}, {@link #OUTCOME}. */
    public static final String PROXY_REQUESTS = "fault.proxy.requests";
    /** Counter of faults that fired on a request; tags {@link #PROXY}, {@link #TYPE}. */
    public static final String INJECTED = "fault.injected";
    /** Gauge of installed, unexpired faults; tags {@link #PROXY}, {@link #TYPE}. */
    public static final String ACTIVE = "fault.active";
    /** Timer of upstream round trips; tag {@link #PROXY}. */
    public static final String UPSTREAM_LATENCY = "fault.upstream.latency";
    /**
     * Counter of queries to the lab's DNS servers; tags {@link #SERVER} (primary, fallback),
     * {@link #OUTCOME} (answered, nodata, nxdomain, servfail, dropped, refused, formerr).
     */
    public static final String DNS_QUERIES = "fault.dns.queries";
    /** Gauge of installed, unexpired DNS faults; tag {@link #TYPE}. */
    public static final String DNS_ACTIVE = "fault.dns.active";

    public static final String PROXY = "proxy";
    /** Tag: forwarded, error, reset, blackhole, upstream_error, upstream_timeout. */
    public static final String OUTCOME = "outcome";
    public static final String TYPE = "type";
    /** Tag: the DNS server, primary or fallback. */
    public static final String SERVER = "server";

    private FaultMetricNames() {
    }
}
