package dev.failurelab.lab.partition;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.Incident;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.EventType;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.experiment.Phase;
import dev.failurelab.lab.experiment.PhaseRunner;
import dev.failurelab.lab.experiment.SecondRecord;
import dev.failurelab.lab.load.KeyedRequests;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hot-partition lab. Eight shards, each a fixed-capacity pool that answers 429 past it, behind
 * a router; an open-loop load of Zipf-distributed keys (YCSB's 0.99). For each row (the router's
 * defences, switched live), a baseline, then a "celebrity" trigger that sends 30% of all requests
 * to one key: plain hashing melts that key's shard; bounded-load hashing spreads it within
 * (1 + ε) of the average; coalescing and a local cache take the hot key's calls off the shards;
 * write sharding spreads its writes.
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. The platform puts the
 * router's defences back to their defaults however a run ends.
 */
public final class HotPartitionLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/hot-partition.properties";
    /**
     * The run shortened for its IT: every row a hypothesis reads, a shorter warm-up, a 1 s baseline
     * and the load and the shards' capacity both at three quarters (300 requests/s; 21 slots of 333 ms,
     * 63 req/s a shard: each shard's offered load against its capacity as in the full run, a quarter
     * less CPU for the one JVM that runs the load, the router and eight shards: at 400 requests/s it
     * stalled on a slower day, p99 2 s on every shard, and 3 runs of 4 failed; at 300, p99 0.5 s,
     * consistent hashing 15.7% throttled, bounded-load 0.0%),
     * and a 5 s trigger (four judged seconds; at least three whole wall-clock seconds of the router's
     * exact placements: the trigger starts after a second's scrape, not on a second's boundary);
     * every hypothesis and threshold as in the defaults file.
     */
    public static final Map<String, String> SHORT_RUN = Map.of(
            "phase.warm-up-step", "3s",
            "load.rate", "300",
            "topology.shard.chain.capacity.service-time", "333ms",
            "phase.baseline", "1s",
            "phase.celebrity", "5s");
    /** The event of the celebrity trigger firing. */
    public static final EventType CELEBRITY = EventType.of("celebrity_trigger");

    static final List<String> ROUTER = List.of("router");
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    @Override
    public String name() {
        return "hot-partition";
    }

    @Override
    public String title() {
        return "Hot partitions";
    }

    @Override
    public String description() {
        return "a celebrity key melts one of eight shards under plain hashing; bounded-load hashing, coalescing, a"
                + " hot-key cache and write sharding spread it";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Topology topology() {
        return Topology.load("hot-partition");
    }

    @Override
    public Map<Defence, List<String>> defences() {
        return Map.of(Defences.PARTITION_ROUTING, ROUTER, Defences.HOT_KEYS, ROUTER, Defences.WRITE_SHARDING, ROUTER);
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new HotPartitionDrill());
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        rows(settings);
        for (String key : List.of("load.celebrity-share", "load.write-share", "load.write-heavy-share")) {
            double share = settings.number(key);
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(key + " must be between 0 and 1, got " + share);
            }
        }
        new KeyedRequests.Keys(settings.integer("load.keys"), settings.number("load.zipf-exponent"));
        if (!settings.string("load.celebrity-key").matches("[A-Za-z0-9._:~-]{1,200}")) {
            throw new IllegalArgumentException("load.celebrity-key must be 1 to 200 letters, digits or . _ : ~ -, got '"
                    + settings.string("load.celebrity-key") + "'");
        }
        if (settings.integer("judge.from") >= settings.duration("phase.celebrity").toSeconds()) {
            throw new IllegalArgumentException("judge.from must be under phase.celebrity's seconds, got "
                    + settings.integer("judge.from"));
        }
    }

    static List<Row> rows(LabDefaults settings) {
        return settings.names("rows", "row", Row.ids()).stream().map(id -> Row.of(id).orElseThrow()).toList();
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        return new Experiment(run).run();
    }

    /** One run's state. */
    private final class Experiment {
        private final LabRun run;
        private final LabDefaults settings;
        private final EventTimeline timeline;
        private final URI router;
        private final List<URI> shardMetrics;
        private final int shards;
        private final KeyedRequests keys;
        private final PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(2));

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.router = run.endpoints().url("router");
            this.shardMetrics = run.managements(List.of("shard")).stream().map(m -> m.resolve(AdminPaths.PROMETHEUS))
                    .toList();
            this.shards = shardMetrics.size();
            this.keys = new KeyedRequests(new KeyedRequests.Keys(settings.integer("load.keys"),
                    settings.number("load.zipf-exponent")), settings.string("load.celebrity-key"), 0,
                    settings.number("load.write-share"), settings.integer("load.seed"));
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            List<Row> rows = rows(settings);
            timeline.record(EventTimeline.RUN_STARTED, "hot-partition lab started", Map.of("rows",
                    String.join(",", rows.stream().map(r -> r.id).toList())));
            List<RowResult> results = new ArrayList<>();
            reset();
            int hotShard = homeOf(keys.celebrity());
            run.progress(String.format(Locale.ROOT, "the celebrity '%s' lives on shard %d of %d", keys.celebrity(),
                    hotShard, shards));
            try (PhaseRunner runner = new PhaseRunner(Map.of(PartitionFigures.ROUTER,
                    run.endpoints().management("router").resolve(AdminPaths.PROMETHEUS)))) {
                warmUp(runner, hotShard);
                for (Row row : rows) {
                    results.add(row(runner, row, hotShard));
                }
                reset();
            }
            PartitionResult data = new PartitionResult(hotShard, shards, keys.celebrity(),
                    settings.number("load.celebrity-share"), results);
            String subtitle = String.format(Locale.ROOT, "Started %s. %d shards behind a router; open-loop load of %s"
                    + " req/s, keys k1..k%d Zipf(%s); the trigger (shaded) sends %.0f%% of all requests to '%s' (home:"
                    + " shard %d).", startedAt, shards, settings.string("load.rate"), settings.integer("load.keys"),
                    settings.string("load.zipf-exponent"), settings.number("load.celebrity-share") * 100,
                    keys.celebrity(), hotShard);
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        /**
         * A ramp to the load's rate, not judged: a fresh JVM's request paths are interpreted at first,
         * and the full rate at once would queue on the router faster than its threads drain.
         */
        private void warmUp(PhaseRunner runner, int hotShard) throws InterruptedException {
            Duration step = settings.duration("phase.warm-up-step");
            double rate = settings.number("load.rate");
            keys.celebrityShare(0);
            runner.run(new PhaseRunner.SteadyLoad(router, rate, settings.duration("load.timeout")).with(keys),
                    new PartitionFigures(shards, hotShard), List.of(new Phase("warm-up", step, () -> { }, rate / 4),
                            new Phase("warm-up", step, () -> { }, rate / 2), new Phase("warm-up", step, () -> { }, rate),
                            new Phase("warm-up", step, () -> { }, rate)),
                    s -> run.progress(line("warm-up", s)));
        }

        /** The shard the router names as a key's home (a read of its counter, before any load). */
        private int homeOf(String key) {
            String body = new AdminHttp().send("GET", router.resolve("/api/counter/" + key), null);
            tools.jackson.databind.JsonNode shard = JSON.readTree(body).get("shard");
            if (shard == null || !shard.isNumber()) {
                throw new IllegalStateException("the router did not name the home of " + key + ": " + body);
            }
            return shard.asInt();
        }

        private RowResult row(PhaseRunner runner, Row row, int hotShard) throws InterruptedException {
            reset();
            run.switchDefence(Defences.PARTITION_ROUTING, ROUTER, row.routing);
            run.switchDefence(Defences.HOT_KEYS, ROUTER, row.hotKeys);
            run.switchDefence(Defences.WRITE_SHARDING, ROUTER, row.writeSharding);
            keys.writeShare(settings.number(row.writeHeavy ? "load.write-heavy-share" : "load.write-share"));
            keys.celebrityShare(0);
            Map<String, MetricSnapshot> before = scrapeShards();
            double share = settings.number("load.celebrity-share");
            long[] triggerStart = {0};
            List<Phase> phases = List.of(
                    new Phase(RowResult.BASELINE, settings.duration("phase.baseline"), () -> timeline.record(
                            EventTimeline.PHASE_STARTED, row.id + ": baseline", Map.of("row", row.id))),
                    new Phase(RowResult.CELEBRITY, settings.duration("phase.celebrity"), () -> {
                        keys.celebrityShare(share);
                        triggerStart[0] = System.currentTimeMillis();
                        timeline.record(CELEBRITY, row.id + ": " + Math.round(share * 100) + "% of requests to '"
                                + keys.celebrity() + "'", Map.of("row", row.id, "shard", hotShard));
                    }));
            PhaseRunner.Run measured = runner.run(new PhaseRunner.SteadyLoad(router, settings.number("load.rate"),
                    settings.duration("load.timeout")).with(keys), new PartitionFigures(shards, hotShard), phases,
                    s -> run.progress(line(row.id, s)));
            keys.celebrityShare(0);
            long triggerEnd = System.currentTimeMillis();
            Map<String, MetricSnapshot> after = scrapeShards();
            String reads = PrometheusNames.counter(ChainMetricNames.SHARD_LOCAL_READS);
            double hits = MetricSnapshot.increase(before, after, reads, Map.of(ChainMetricNames.RESULT, "hit"));
            double all = MetricSnapshot.increase(before, after, reads, Map.of());
            RowResult result = new RowResult(row.id, shards, settings.integer("judge.from"),
                    all > 0 ? hits / all : Double.NaN, measured.seconds(), placements(triggerStart[0], triggerEnd));
            run.progress(String.format(Locale.ROOT, "%-14s max/mean %.2f (worst second %.2f), writes %.2f; throttled"
                    + " %.1f%%; off home %.1f%%; hot-key calls %.0f/s; p99 hot shard %.0f ms, others %.0f ms",
                    row.id, result.maxMean(), result.worstSecondMaxMean(), result.writeMaxMean(),
                    result.throttledShare() * 100, result.offHomeShare() * 100, result.hotCallsPerSecond(),
                    result.p99(PartitionFigures.P99_HOT_SHARD_MS), result.p99(PartitionFigures.P99_OTHERS_MS)));
            timeline.record(EventTimeline.PHASE_STARTED, row.id + ": max/mean " + result.maxMean(), Map.of("row", row.id,
                    "max_mean", result.maxMean(), "throttled_share", result.throttledShare()));
            return result;
        }

        /** The router's exact placements in each whole second between {@code from} and {@code to} (epoch ms). */
        private List<RowResult.Placements> placements(long from, long to) {
            String body = new AdminHttp().send("GET", run.endpoints().management("router").resolve(AdminPaths.PARTITION),
                    null);
            long first = (from + 999) / 1000;
            List<RowResult.Placements> seconds = new ArrayList<>();
            for (tools.jackson.databind.JsonNode second : JSON.readTree(body).get("seconds")) {
                long epochSecond = second.get("epochSecond").asLong();
                if (epochSecond >= first && (epochSecond + 1) * 1000 <= to) {
                    seconds.add(new RowResult.Placements((int) (epochSecond - first + 1), longs(second.get("placed")),
                            longs(second.get("writes"))));
                }
            }
            return seconds;
        }

        private static long[] longs(tools.jackson.databind.JsonNode array) {
            long[] values = new long[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).asLong();
            }
            return values;
        }

        private Map<String, MetricSnapshot> scrapeShards() {
            Map<String, MetricSnapshot> scrapes = new java.util.LinkedHashMap<>();
            for (int i = 0; i < shardMetrics.size(); i++) {
                scrapes.put("shard-" + (i + 1), scraper.scrape(shardMetrics.get(i)));
            }
            return scrapes;
        }

        /** The defences back to their defaults, no load for a while, then the router answering promptly. */
        private void reset() throws InterruptedException {
            run.settle(() -> {
                run.switchDefence(Defences.PARTITION_ROUTING, ROUTER, Defences.PARTITION_ROUTING.defaultOption());
                run.switchDefence(Defences.HOT_KEYS, ROUTER, Defences.HOT_KEYS.defaultOption());
                run.switchDefence(Defences.WRITE_SHARDING, ROUTER, Defences.WRITE_SHARDING.defaultOption());
            }, settings.duration("phase.settle"), router.resolve("/api/kv/probe"));
        }

        private List<Check> checks(PartitionResult data) {
            List<Check> checks = new ArrayList<>();
            for (String plain : List.of("consistent", "modulo")) {
                data.row(plain).ifPresent(r -> {
                    checks.add(Check.atLeast(plain + ".max-mean", plain + " hashing under the celebrity: requests per"
                            + " shard, max / mean", r.maxMean(), settings.number("hypothesis.plain.min-max-mean")));
                    checks.add(Check.atLeast(plain + ".throttled", plain + " hashing under the celebrity: requests"
                            + " throttled (429), share", r.throttledShare(),
                            settings.number("hypothesis.plain.min-throttled")));
                });
            }
            data.row("bounded-load").ifPresent(r -> {
                checks.add(Check.atMost("bounded-load.max-mean", "bounded-load hashing: requests per shard, max / mean,"
                        + " worst second of the trigger", r.worstSecondMaxMean(),
                        settings.number("hypothesis.bounded-load.max-max-mean")));
                checks.add(Check.atMost("bounded-load.throttled", "bounded-load hashing: requests throttled (429),"
                        + " share", r.throttledShare(), settings.number("hypothesis.bounded-load.max-throttled")));
            });
            data.row("consistent").ifPresent(plain -> {
                for (String defended : List.of("coalesce", "cache")) {
                    data.row(defended).ifPresent(r -> checks.add(Check.atLeast(defended + ".hot-call-reduction",
                            String.format(Locale.ROOT, "%s: shard calls for hot keys, consistent over %s (%.0f/s over"
                                    + " %.1f/s)", defended, defended, plain.hotCallsPerSecond(), r.hotCallsPerSecond()),
                            plain.hotCallsPerSecond() / r.hotCallsPerSecond(),
                            settings.number("hypothesis." + defended + ".min-call-reduction"))));
                }
            });
            data.row("write-sharding").ifPresent(r -> checks.add(Check.atMost("write-sharding.write-max-mean",
                    "write sharding: writes per shard, max / mean", r.writeMaxMean(),
                    settings.number("hypothesis.write-sharding.max-write-max-mean"))));
            return checks;
        }

        /** The incident: the plain row (consistent, else the first), from its trigger to its end. */
        private Incident incident(PartitionResult data) {
            RowResult worst = data.row("consistent").orElse(data.rows().get(0));
            Instant start = timeline.events().stream().filter(e -> e.type().equals(CELEBRITY)
                    && worst.row().equals(e.values().get("row"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(timeline.events().get(0).at());
            List<SecondRecord> trigger = worst.seconds().stream().filter(s -> s.phase().equals(RowResult.CELEBRITY))
                    .toList();
            double requests = trigger.stream().mapToDouble(s -> s.figure(PartitionFigures.REQUESTS))
                    .filter(v -> !Double.isNaN(v)).sum();
            double throttled = trigger.stream().mapToDouble(s -> s.figure(PartitionFigures.THROTTLED))
                    .filter(v -> !Double.isNaN(v)).sum();
            return new Incident("hot partition: shard " + data.hotShard() + " saturated by '" + data.celebrity()
                    + "' (" + worst.row() + " hashing)", throttled, requests, start, start.plusSeconds(trigger.size()),
                    "the trigger ended with the run's row", String.format(Locale.ROOT, "max/mean %.2f across %d shards;"
                            + " %.0f%% of requests throttled; p99 %.0f ms for the hot shard's keys against %.0f ms",
                            worst.maxMean(), data.shards(), worst.throttledShare() * 100,
                            worst.p99(PartitionFigures.P99_HOT_SHARD_MS), worst.p99(PartitionFigures.P99_OTHERS_MS)),
                    start, "runbooks/hot-partition.md", List.of("Hot partitions"));
        }
    }

    private static String line(String row, SecondRecord s) {
        return String.format(Locale.ROOT, "[%-14s] %-9s %2ds  offered %4.0f/s  throttled %4.0f  max/mean %4.2f  writes"
                        + " %4.2f  off-home %4.0f  hot calls %4.0f/s  coalesced %4.0f  cache hits %4.0f  p99 hot/other"
                        + " %4.0f/%4.0f ms",
                row, s.phase(), s.phaseSecond(), s.figure(PartitionFigures.OFFERED), s.figure(PartitionFigures.THROTTLED),
                s.figure(PartitionFigures.MAX_MEAN), s.figure(PartitionFigures.WRITE_MAX_MEAN),
                s.figure(PartitionFigures.OFF_HOME), s.figure(PartitionFigures.HOT_CALLS),
                s.figure(PartitionFigures.COALESCED), s.figure(PartitionFigures.CACHE_HITS),
                s.figure(PartitionFigures.P99_HOT_SHARD_MS), s.figure(PartitionFigures.P99_OTHERS_MS));
    }
}
