package dev.failurelab.lab.cascade;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cascade figures of one second: the load (edge requests), the goodput (full answers within
 * the edge's deadline: the load's timeout), the share answered at all (full or degraded), the
 * bottom's arrivals and the amplification, and each defence's signal: breakers open, the
 * throttle's probability, requests shed, answers degraded, the cut in force.
 */
public final class CascadeFigures implements FigureCalculator {

    public static final String EDGE_RPS = "edge_rps";
    public static final String GOODPUT = "goodput";
    public static final String ANSWERED = "answered";
    public static final String DEGRADED = "degraded";
    public static final String P99_MS = "p99_ms";
    public static final String BOTTOM_RPS = "bottom_rps";
    public static final String AMPLIFICATION = "amplification";
    public static final String BREAKERS_OPEN = "breakers_open";
    public static final String THROTTLE_P = "throttle_p";
    public static final String SHED_RPS = "shed_rps";
    public static final String BOTTOM_QUEUE = "bottom_queue";
    public static final String CUT = "cut";

    private static final String BREAKER_STATE = "resilience4j_circuitbreaker_state";

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        double edge = load.sent();
        double bottom = MetricSnapshot.increase(previous.get("bottom"), current.get("bottom"),
                PrometheusNames.timerCount(ChainMetricNames.REQUESTS), Map.of());
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(EDGE_RPS, edge);
        figures.put(GOODPUT, (double) load.full());
        figures.put(ANSWERED, load.successRatio());
        figures.put(DEGRADED, (double) load.degraded());
        figures.put(P99_MS, load.p99Millis());
        figures.put(BOTTOM_RPS, bottom);
        figures.put(AMPLIFICATION, edge == 0 ? 0 : bottom / edge);
        double open = 0;
        for (String caller : List.of("edge", "middle")) {
            double state = MetricSnapshot.now(current, caller, BREAKER_STATE, Map.of("state", "open"));
            open += Double.isNaN(state) ? 0 : state;
        }
        figures.put(BREAKERS_OPEN, open);
        figures.put(THROTTLE_P, gauge(current, "middle", ChainMetricNames.THROTTLE_PROBABILITY));
        figures.put(SHED_RPS, MetricSnapshot.increase(previous.get("bottom"), current.get("bottom"),
                PrometheusNames.counter(ChainMetricNames.CAPACITY_REJECTIONS),
                Map.of(ChainMetricNames.REASON, "adaptive_limit")));
        figures.put(BOTTOM_QUEUE, gauge(current, "bottom", ChainMetricNames.CAPACITY_QUEUE_DEPTH));
        figures.put(CUT, gauge(current, "bottom", ChainMetricNames.CAPACITY_CUT));
        return figures;
    }

    private static double gauge(Map<String, MetricSnapshot> current, String target, String meter) {
        return MetricSnapshot.now(current, target, PrometheusNames.gauge(meter), Map.of());
    }
}
