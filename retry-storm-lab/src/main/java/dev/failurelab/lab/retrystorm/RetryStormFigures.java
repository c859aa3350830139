package dev.failurelab.lab.retrystorm;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The retry-storm figures of one second, from the services' own meters and the load generator:
 * edge requests (the load), bottom arrivals, their ratio (the amplification), edge success and
 * p99 (from each request's intended start), retries per second and the middle's budget tokens.
 */
public final class RetryStormFigures implements FigureCalculator {

    public static final String EDGE_RPS = "edge_rps";
    public static final String SUCCESS = "success";
    /** 1 - success: what the error-ratio watch reads. */
    public static final String ERROR_RATIO = "error_ratio";
    public static final String P99_MS = "p99_ms";
    public static final String BOTTOM_RPS = "bottom_rps";
    public static final String AMPLIFICATION = "amplification";
    public static final String RETRIES_RPS = "retries_rps";
    public static final String BUDGET_TOKENS = "budget_tokens";
    public static final String BOTTOM_QUEUE = "bottom_queue";

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        double edge = load.sent();
        double bottom = delta(previous, current, "bottom", PrometheusNames.timerCount(ChainMetricNames.REQUESTS), Map.of());
        double retries = delta(previous, current, "edge", PrometheusNames.counter(ChainMetricNames.CLIENT_ATTEMPTS), Map.of(ChainMetricNames.KIND, "retry"))
                + delta(previous, current, "middle", PrometheusNames.counter(ChainMetricNames.CLIENT_ATTEMPTS), Map.of(ChainMetricNames.KIND, "retry"));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(EDGE_RPS, edge);
        figures.put(SUCCESS, load.successRatio());
        figures.put(ERROR_RATIO, 1 - load.successRatio());
        figures.put(P99_MS, load.p99Millis());
        figures.put(BOTTOM_RPS, bottom);
        figures.put(AMPLIFICATION, edge == 0 ? 0 : bottom / edge);
        figures.put(RETRIES_RPS, retries);
        figures.put(BUDGET_TOKENS, gauge(current, "middle", PrometheusNames.gauge(ChainMetricNames.RETRY_BUDGET_TOKENS)));
        figures.put(BOTTOM_QUEUE, gauge(current, "bottom", PrometheusNames.gauge(ChainMetricNames.CAPACITY_QUEUE_DEPTH)));
        return figures;
    }

    private static double gauge(Map<String, MetricSnapshot> current, String target, String name) {
        return MetricSnapshot.now(current, target, name, Map.of());
    }

    private static double delta(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            String target, String name, Map<String, String> labels) {
        return MetricSnapshot.increase(previous.get(target), current.get(target), name, labels);
    }
}
