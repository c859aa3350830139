package dev.failurelab.lab.partition;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.experiment.FigureCalculator;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.BucketQuantile;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The partition figures of one second, from the router's meters: the requests it placed on each
 * shard (all operations, and writes alone), their max/mean ratio, the share throttled, the reads
 * placed off their key's home, the shard calls to read hot keys' content, the coalesced requests and the hot-key
 * cache's hits, and the p99 of the keys whose home is the hot shard against the others'.
 */
final class PartitionFigures implements FigureCalculator {

    static final String OFFERED = "offered_rps";
    static final String REQUESTS = "requests";
    static final String THROTTLED = "throttled";
    static final String MAX_MEAN = "max_mean";
    static final String WRITES = "writes";
    static final String WRITE_MAX_MEAN = "write_max_mean";
    static final String OFF_HOME = "off_home";
    static final String HOT_CALLS = "hot_calls";
    static final String COALESCED = "coalesced";
    static final String CACHE_HITS = "cache_hits";
    static final String P99_HOT_SHARD_MS = "p99_hot_shard_ms";
    static final String P99_OTHERS_MS = "p99_others_ms";

    static final String ROUTER = "router";
    private static final String PLACEMENTS = PrometheusNames.counter(ChainMetricNames.PARTITION_PLACEMENTS);
    private static final String ANSWERED = PrometheusNames.timerCount(ChainMetricNames.PARTITION_REQUESTS);
    private static final String BUCKETS = PrometheusNames.timerBucket(ChainMetricNames.PARTITION_REQUESTS);

    private final int shards;
    private final int hotShard;

    /**
     * @param shards   the number of shards
     * @param hotShard the celebrity's home shard (1 to N)
     */
    PartitionFigures(int shards, int hotShard) {
        this.shards = shards;
        this.hotShard = hotShard;
    }

    /** The figure of shard {@code n}'s placements (1 to N). */
    static String shard(int n) {
        return "shard_" + n;
    }

    /** The figure of shard {@code n}'s write placements. */
    static String shardWrites(int n) {
        return "write_" + n;
    }

    @Override
    public Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load) {
        MetricSnapshot before = previous.get(ROUTER);
        MetricSnapshot after = current.get(ROUTER);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(OFFERED, (double) load.sent());
        figures.put(REQUESTS, MetricSnapshot.increase(before, after, ANSWERED, Map.of()));
        figures.put(THROTTLED, MetricSnapshot.increase(before, after, ANSWERED,
                Map.of(ChainMetricNames.OUTCOME, "throttled")));
        double[] all = new double[shards];
        double[] writes = new double[shards];
        for (int n = 1; n <= shards; n++) {
            Map<String, String> shard = Map.of(ChainMetricNames.SHARD, Integer.toString(n));
            all[n - 1] = MetricSnapshot.increase(before, after, PLACEMENTS, shard);
            writes[n - 1] = MetricSnapshot.increase(before, after, PLACEMENTS, Map.of(ChainMetricNames.SHARD,
                    Integer.toString(n), ChainMetricNames.OP, "write"));
            figures.put(shard(n), all[n - 1]);
            figures.put(shardWrites(n), writes[n - 1]);
        }
        figures.put(MAX_MEAN, maxOverMean(all));
        figures.put(WRITES, sum(writes));
        figures.put(WRITE_MAX_MEAN, maxOverMean(writes));
        figures.put(OFF_HOME, MetricSnapshot.increase(before, after, PLACEMENTS, Map.of(ChainMetricNames.HOME, "false")));
        figures.put(HOT_CALLS, MetricSnapshot.increase(before, after,
                PrometheusNames.counter(ChainMetricNames.PARTITION_BACKEND_CALLS), Map.of(ChainMetricNames.HOT, "true",
                        ChainMetricNames.OP, "read")));
        figures.put(COALESCED, MetricSnapshot.increase(before, after,
                PrometheusNames.counter(ChainMetricNames.PARTITION_COALESCED), Map.of()));
        figures.put(CACHE_HITS, MetricSnapshot.increase(before, after,
                PrometheusNames.counter(ChainMetricNames.PARTITION_HOT_CACHE), Map.of(ChainMetricNames.RESULT, "hit")));
        figures.put(P99_HOT_SHARD_MS, 1000 * BucketQuantile.of(previous, current, BUCKETS,
                Map.of(ChainMetricNames.SHARD, Integer.toString(hotShard)), 0.99));
        figures.put(P99_OTHERS_MS, 1000 * othersP99(previous, current));
        return figures;
    }

    /** p99 of the requests whose key's home is any shard but the hot one. */
    private double othersP99(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current) {
        // Merge the other shards' buckets: one histogram per shard, summed bucket by bucket.
        Map<String, MetricSnapshot> before = Map.of(ROUTER, without(previous.get(ROUTER)));
        Map<String, MetricSnapshot> after = Map.of(ROUTER, without(current.get(ROUTER)));
        return BucketQuantile.of(before, after, BUCKETS, Map.of(), 0.99);
    }

    /** The router's request buckets of every shard but the hot one, summed bucket by bucket (one sample per le). */
    private MetricSnapshot without(MetricSnapshot snapshot) {
        if (snapshot == null) {
            return MetricSnapshot.EMPTY;
        }
        Map<String, Double> byLe = new LinkedHashMap<>();
        for (MetricSnapshot.Sample sample : snapshot.samples().getOrDefault(BUCKETS, java.util.List.of())) {
            if (!Integer.toString(hotShard).equals(sample.labels().get(ChainMetricNames.SHARD))) {
                byLe.merge(sample.labels().get("le"), sample.value(), Double::sum);
            }
        }
        java.util.List<MetricSnapshot.Sample> merged = byLe.entrySet().stream()
                .map(e -> new MetricSnapshot.Sample(Map.of("le", e.getKey()), e.getValue())).toList();
        return new MetricSnapshot(Map.of(BUCKETS, merged));
    }

    /** The largest over the mean; NaN when nothing was placed. */
    static double maxOverMean(double[] values) {
        double total = sum(values);
        if (!(total > 0)) {
            return Double.NaN;
        }
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max / (total / values.length);
    }

    static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
