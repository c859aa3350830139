package dev.failurelab.lab.discovery;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.experiment.LoadFigures;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one second: what the load saw (offered, answered, failed, p99); the middle's view
 * (instances known and called, the age of its registry data, membership changes, calls to the
 * instance under a fault, retries on another instance, ejections); the registry's (instances
 * registered, evictions, whether self-preservation holds them, renewals).
 */
final class DiscoveryFigures implements FigureCalculator {

    static final String OFFERED = LoadFigures.OFFERED;
    static final String OK = LoadFigures.OK;
    static final String ERRORS = LoadFigures.ERRORS;
    static final String ERROR_SHARE = LoadFigures.ERROR_SHARE;
    static final String P99_MS = LoadFigures.P99_MS;
    static final String KNOWN = "known";
    static final String ELIGIBLE = "eligible";
    static final String REGISTRY_AGE = "registry_age_s";
    static final String MEMBERSHIP_CHANGES = "membership_changes";
    static final String TARGET_CALLS = "target_calls";
    static final String RETRIES = "instance_retries";
    static final String EJECTIONS = "ejections";
    static final String FETCH_ERRORS = "fetch_errors";
    static final String REGISTERED = "registered";
    static final String EVICTIONS = "evictions";
    static final String SELF_PRESERVING = "self_preserving";
    static final String RENEWALS = "renewals";

    /** The scrape targets' names. */
    static final String MIDDLE = "middle";
    static final String REGISTRY = "registry";

    private static final String CALLS = PrometheusNames.counter(ChainMetricNames.DISCOVERY_CALLS);
    private static final String CHANGES = PrometheusNames.counter(ChainMetricNames.DISCOVERY_MEMBERSHIP_CHANGES);
    private static final String REQUESTS = PrometheusNames.counter(ChainMetricNames.DISCOVERY_REGISTRY_REQUESTS);

    private final String target;

    /** @param target the instance under the row's fault (its calls are counted apart), or null */
    DiscoveryFigures(String target) {
        this.target = target;
    }

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        Map<String, Double> figures = new LinkedHashMap<>();
        LoadFigures.put(figures, load);
        MetricSnapshot before = previous.get(MIDDLE);
        MetricSnapshot after = current.get(MIDDLE);
        figures.put(KNOWN, MetricSnapshot.now(current, MIDDLE, PrometheusNames.gauge(ChainMetricNames.DISCOVERY_INSTANCES),
                Map.of(ChainMetricNames.STATE, "known")));
        figures.put(ELIGIBLE, MetricSnapshot.now(current, MIDDLE,
                PrometheusNames.gauge(ChainMetricNames.DISCOVERY_INSTANCES), Map.of(ChainMetricNames.STATE, "eligible")));
        figures.put(REGISTRY_AGE, MetricSnapshot.now(current, MIDDLE,
                PrometheusNames.gauge(ChainMetricNames.DISCOVERY_REGISTRY_AGE) + "_seconds", Map.of()));
        figures.put(MEMBERSHIP_CHANGES, MetricSnapshot.increase(before, after, CHANGES, Map.of()));
        figures.put(TARGET_CALLS, target == null ? 0.0 : MetricSnapshot.increase(before, after, CALLS,
                Map.of(ChainMetricNames.INSTANCE, target)));
        figures.put(RETRIES, MetricSnapshot.increase(before, after,
                PrometheusNames.counter(ChainMetricNames.DISCOVERY_INSTANCE_RETRIES), Map.of()));
        figures.put(EJECTIONS, MetricSnapshot.increase(before, after,
                PrometheusNames.counter(ChainMetricNames.DISCOVERY_EJECTIONS), Map.of()));
        figures.put(FETCH_ERRORS, MetricSnapshot.increase(before, after, REQUESTS,
                Map.of(ChainMetricNames.OPERATION, "fetch", ChainMetricNames.OUTCOME, "error")));
        MetricSnapshot registryBefore = previous.get(REGISTRY);
        MetricSnapshot registryAfter = current.get(REGISTRY);
        figures.put(REGISTERED, MetricSnapshot.now(current, REGISTRY,
                PrometheusNames.gauge(ChainMetricNames.REGISTRY_INSTANCES), Map.of()));
        figures.put(EVICTIONS, MetricSnapshot.increase(registryBefore, registryAfter,
                PrometheusNames.counter(ChainMetricNames.REGISTRY_EVICTIONS), Map.of()));
        figures.put(SELF_PRESERVING, MetricSnapshot.now(current, REGISTRY,
                PrometheusNames.gauge(ChainMetricNames.REGISTRY_SELF_PRESERVING), Map.of()));
        figures.put(RENEWALS, MetricSnapshot.increase(registryBefore, registryAfter,
                PrometheusNames.counter(ChainMetricNames.REGISTRY_RENEWALS), Map.of()));
        return figures;
    }
}
