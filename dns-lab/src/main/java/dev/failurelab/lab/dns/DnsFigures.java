package dev.failurelab.lab.dns;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.FaultMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.experiment.LoadFigures;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DNS figures of one second: what the load saw (offered, answered, failed, p99), the calling
 * hops' unknown-host attempts and their lookups (stale answers served, failures), the requests the
 * proxy in front of the bottom forwarded (zero while the names do not resolve: the failure is
 * before the network), and the queries the lab's DNS servers answered.
 */
final class DnsFigures implements FigureCalculator {

    static final String OFFERED = LoadFigures.OFFERED;
    static final String OK = LoadFigures.OK;
    static final String ERRORS = LoadFigures.ERRORS;
    static final String ERROR_SHARE = LoadFigures.ERROR_SHARE;
    static final String P99_MS = LoadFigures.P99_MS;
    static final String UNKNOWN_HOST = "unknown_host";
    static final String STALE = "stale";
    static final String LOOKUP_FAILURES = "lookup_failures";
    static final String PROXY_BOTTOM = "proxy_bottom";
    static final String DNS_QUERIES = "dns_queries";

    /** The scrape targets' names. */
    static final String EDGE = "edge";
    static final String MIDDLE = "middle";
    static final String INJECTOR = "injector";
    static final List<String> CALLERS = List.of(EDGE, MIDDLE);

    private static final String ATTEMPTS = PrometheusNames.counter(ChainMetricNames.CLIENT_ATTEMPTS);
    private static final String LOOKUPS = PrometheusNames.counter(ChainMetricNames.DNS_LOOKUPS);
    private static final String PROXY = PrometheusNames.counter(FaultMetricNames.PROXY_REQUESTS);
    private static final String QUERIES = PrometheusNames.counter(FaultMetricNames.DNS_QUERIES);

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        Map<String, Double> figures = new LinkedHashMap<>();
        LoadFigures.put(figures, load);
        double unknown = 0;
        double stale = 0;
        double failures = 0;
        for (String caller : CALLERS) {
            MetricSnapshot before = previous.get(caller);
            MetricSnapshot after = current.get(caller);
            unknown += MetricSnapshot.increase(before, after, ATTEMPTS, Map.of(ChainMetricNames.OUTCOME, "unknown_host"));
            stale += MetricSnapshot.increase(before, after, LOOKUPS, Map.of(ChainMetricNames.OUTCOME, "stale"));
            for (String failure : List.of("negative", "nxdomain", "servfail", "timeout", "error")) {
                failures += MetricSnapshot.increase(before, after, LOOKUPS, Map.of(ChainMetricNames.OUTCOME, failure));
            }
        }
        figures.put(UNKNOWN_HOST, unknown);
        figures.put(STALE, stale);
        figures.put(LOOKUP_FAILURES, failures);
        figures.put(PROXY_BOTTOM, MetricSnapshot.increase(previous.get(INJECTOR), current.get(INJECTOR), PROXY,
                Map.of(FaultMetricNames.PROXY, "bottom")));
        figures.put(DNS_QUERIES, MetricSnapshot.increase(previous.get(INJECTOR), current.get(INJECTOR), QUERIES,
                Map.of()));
        return figures;
    }
}
