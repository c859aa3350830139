package dev.failurelab.lab.queue;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.contract.Priority;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue figures of one second: the offered load, the goodput (answers within the caller's
 * deadline), p99 of those answers, the bottom's queue depth, what it served (and of that, what
 * missed its caller's deadline: wasted work), what it shed (by priority), and live requests'
 * outcomes for the priority row.
 */
public final class QueueFigures implements FigureCalculator {

    public static final String OFFERED = "offered_rps";
    public static final String GOODPUT = "goodput";
    public static final String TIMEOUTS = "timeouts";
    public static final String P99_OK_MS = "p99_ok_ms";
    public static final String QUEUE = "queue";
    public static final String SERVED = "served";
    public static final String WASTED = "wasted";
    public static final String SHED = "shed";
    public static final String SHED_BATCH = "shed_batch";
    public static final String LIVE_MET = "live_met";
    public static final String LIVE_ARRIVED = "live_arrived";

    private static final String COMPLETED = PrometheusNames.counter(ChainMetricNames.QUEUE_COMPLETED);
    private static final String REJECTIONS = PrometheusNames.counter(ChainMetricNames.CAPACITY_REJECTIONS);
    private static final Map<String, String> LIVE = Map.of(ChainMetricNames.PRIORITY, Priority.LIVE.tag());

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        MetricSnapshot before = previous.get("bottom");
        MetricSnapshot after = current.get("bottom");
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(OFFERED, (double) load.sent());
        figures.put(GOODPUT, (double) load.full());
        figures.put(TIMEOUTS, (double) load.timeouts());
        figures.put(P99_OK_MS, load.p99SuccessMillis());
        figures.put(QUEUE, MetricSnapshot.now(current, "bottom", PrometheusNames.gauge(ChainMetricNames.CAPACITY_QUEUE_DEPTH),
                Map.of()));
        figures.put(SERVED, MetricSnapshot.increase(before, after, COMPLETED, Map.of()));
        figures.put(WASTED, MetricSnapshot.increase(before, after, COMPLETED, Map.of(ChainMetricNames.DEADLINE, "missed")));
        double shed = MetricSnapshot.increase(before, after, REJECTIONS, Map.of());
        figures.put(SHED, shed);
        figures.put(SHED_BATCH, MetricSnapshot.increase(before, after, REJECTIONS,
                Map.of(ChainMetricNames.PRIORITY, Priority.BATCH.tag())));
        figures.put(LIVE_MET, MetricSnapshot.increase(before, after, COMPLETED,
                Map.of(ChainMetricNames.PRIORITY, Priority.LIVE.tag(), ChainMetricNames.DEADLINE, "met")));
        figures.put(LIVE_ARRIVED, MetricSnapshot.increase(before, after, COMPLETED, LIVE)
                + MetricSnapshot.increase(before, after, REJECTIONS, LIVE));
        return figures;
    }
}
