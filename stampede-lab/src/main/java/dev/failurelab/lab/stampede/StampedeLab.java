package dev.failurelab.lab.stampede;

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
import dev.failurelab.lab.experiment.Watches;
import dev.failurelab.lab.load.BurstSpec;
import dev.failurelab.lab.load.LoadResult;
import dev.failurelab.lab.metrics.BucketQuantile;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lab 11.2, the cache stampede: for each recompute strategy in turn, the hot key is warmed, hit
 * by a burst while fresh (the baseline), then hit by a burst of {@code burst.requests} at the
 * instant it expires, split over the replicas that share one Redis and one PostgreSQL. The
 * origin's load, errors and latency come from the services' meters and the load generator; the
 * hypotheses from {@code stampede.properties}. For XFetch the lab also runs steady reads through
 * an expiry, where it does help, and shows that the burst after an expiry is not protected.
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}; the platform restores
 * the {@code none} strategy however a run ends.
 */
public final class StampedeLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/stampede.properties";
    /** The strategies it can compare, in run order ({@code strategies} picks which). */
    public static final List<String> STRATEGIES = List.of("none", "lock", "xfetch", "swr", "lock+swr");
    /** The apps serving the hot key: the bottom and its replica. */
    public static final List<String> OWNERS = List.of("bottom", "replica");
    /** A burst fired at the hot key, with what it cost (the lab's own event type). */
    public static final EventType BURST_FIRED = EventType.of("burst_fired");

    static final String ORIGIN_QUERIES = PrometheusNames.timerCount(ChainMetricNames.CACHE_ORIGIN_QUERIES);
    static final String READS = PrometheusNames.timerCount(ChainMetricNames.CACHE_REQUESTS);
    static final String POOL_ACQUIRE_SUM = PrometheusNames.timerSum(ChainMetricNames.POOL_ACQUIRE);
    static final String LOCK_WAIT_BUCKETS = PrometheusNames.timerBucket(ChainMetricNames.CACHE_LOCK_WAIT);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String name() {
        return "stampede";
    }

    @Override
    public String title() {
        return "Cache stampede (lab 11.2)";
    }

    @Override
    public String description() {
        return "a burst at the hot key's expiry under none, lock, xfetch, swr and lock+swr; PostgreSQL melts under none";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Map<Defence, List<String>> defences() {
        return Map.of(Defences.CACHE_STRATEGY, OWNERS);
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new StampedeDrill());
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        strategies(settings);
    }

    /**
     * The {@code strategies} setting: some of {@link #STRATEGIES}, run in that order.
     *
     * @throws IllegalArgumentException naming the setting and the unknown strategy
     */
    static List<String> strategies(LabDefaults settings) {
        List<String> chosen = settings.names("strategies", "strategy", STRATEGIES);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("strategies: name at least one of " + String.join(",", STRATEGIES));
        }
        return STRATEGIES.stream().filter(chosen::contains).toList();
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        return new Experiment(run).run(this);
    }

    /**
     * {@code ./stampede.sh}: with the strategy in force, warm the key, wait for its expiry and
     * fire one burst at that instant.
     */
    public static Shot fireAtExpiry(LabRun run) throws InterruptedException {
        Experiment experiment = new Experiment(run);
        try (PhaseRunner runner = new PhaseRunner(experiment.scrapeTargets())) {
            String strategy = run.currentDefence(Defences.CACHE_STRATEGY, OWNERS);
            experiment.evict();
            experiment.warm();
            return experiment.fireAtExpiry(runner, strategy);
        }
    }

    static String line(Shot shot) {
        return String.format(Locale.ROOT, "%4d requests, %5.0f origin queries, %4d errors, p50 %6.1f ms, p99 %6.1f ms,"
                        + " recompute %4.0f ms, waiters' p99 wait %4.0f ms, pool wait %5.0f ms, sources %s",
                shot.requests(), shot.originQueries(), shot.errors(), shot.p50Ms(), shot.p99Ms(), shot.recomputeMs(),
                shot.waitP99Ms(), shot.poolWaitMs(), shot.sources());
    }

    private static Optional<StrategyResult> find(List<StrategyResult> results, String strategy) {
        return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst();
    }

    /** One run's state. */
    private static final class Experiment {
        private final LabRun run;
        private final LabDefaults settings;
        private final EventTimeline timeline;
        private final List<URI> replicas;
        /** Each replica's actuator and admin API, in the order of {@link #replicas}. */
        private final List<URI> admins;
        private final AdminHttp http = new AdminHttp();

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.replicas = run.urls(OWNERS);
            this.admins = run.managements(OWNERS);
        }

        /** Every strategy in turn, then the hypotheses. */
        LabResult run(Lab lab) throws InterruptedException {
            Instant startedAt = Instant.now();
            List<StrategyResult> results = new ArrayList<>();
            timeline.record(EventTimeline.RUN_STARTED, "stampede lab started", Map.of("burst_requests",
                    settings.integer("burst.requests"), "replicas", replicas.size()));
            try (PhaseRunner runner = new PhaseRunner(scrapeTargets())) {
                // Not measured: JIT, connection pools and the load generator's connections warm up.
                run.progress("warm-up: two bursts of " + settings.integer("burst.requests") + " on a fresh key");
                run.switchDefence(Defences.CACHE_STRATEGY, OWNERS, "none");
                evict();
                warm();
                runner.burst(burst());
                runner.burst(burst());
                for (String strategy : strategies(settings)) {
                    results.add(runStrategy(runner, strategy));
                }
            }
            StampedeResult data = new StampedeResult(List.copyOf(results));
            String subtitle = "Started " + startedAt + ". " + settings.string("burst.requests") + " requests fired at"
                    + " the hot key's expiry, split over the replicas; TTL "
                    + settings.string("topology.bottom.chain.cache.ttl") + ".";
            return new LabResult(lab.name(), lab.title(), subtitle, startedAt, settings.all(), checks(results),
                    data.table(), data.markdown(), data.htmlSections(), incident(results), data);
        }

        /**
         * The incident is the burst at the expiry under {@code none} (or the first strategy run), until
         * its last answer.
         */
        private Incident incident(List<StrategyResult> results) {
            StrategyResult none = find(results, "none").orElse(results.get(0));
            List<EventTimeline.Event> events = timeline.events();
            EventTimeline.Event trigger = events.stream().filter(e -> e.type().equals(BURST_FIRED)
                    && none.strategy().equals(e.values().get("strategy"))).findFirst().orElse(events.get(0));
            Instant start = trigger.values().containsKey("fired_at")
                    ? Instant.parse(String.valueOf(trigger.values().get("fired_at"))) : trigger.at();
            Shot shot = none.expiry();
            String peak = String.format(Locale.ROOT, "%s: %.0f origin queries for one expiry (1 expected); p99 %.0f ms"
                            + " against %.0f ms on the fresh key; %.0f ms spent waiting for pooled connections",
                    none.strategy(), shot.originQueries(), shot.p99Ms(), none.hit().p99Ms(), shot.poolWaitMs());
            return new Incident("cache stampede at the hot key's expiry", shot.errors(), shot.requests(), start,
                    start.plusMillis(Math.round(shot.maxMs())), "over when the burst's last answer came", peak,
                    trigger.at(), "runbooks/cache-stampede.md", List.of("Chain overview", "Cache stampede"));
        }

        private List<URI> hotKeyUrls() {
            return replicas.stream().map(r -> r.resolve(AdminPaths.HOT_KEY)).toList();
        }

        Map<String, URI> scrapeTargets() {
            Map<String, URI> scrape = new LinkedHashMap<>();
            for (int i = 0; i < replicas.size(); i++) {
                scrape.put("replica-" + (i + 1), admins.get(i).resolve(AdminPaths.PROMETHEUS));
            }
            return scrape;
        }

        void evict() {
            http.send("DELETE", admins.get(0).resolve(AdminPaths.CACHE_ENTRY), null);
        }

        void warm() {
            http.send("GET", hotKeyUrls().get(0), null);
        }

        private StrategyResult runStrategy(PhaseRunner runner, String strategy) throws InterruptedException {
            run.switchDefence(Defences.CACHE_STRATEGY, OWNERS, strategy);
            evict();
            warm();
            timeline.record(EventTimeline.PHASE_STARTED, strategy + ": burst on the fresh key",
                    Map.of("strategy", strategy, "phase", "fresh-key"));
            PhaseRunner.Burst fresh = runner.burst(burst());
            Shot hit = shot(strategy, fresh, fresh.after(), 0);
            run.progress(String.format(Locale.ROOT, "%-8s fresh key:  %s", strategy, line(hit)));
            Shot expiry = fireAtExpiry(runner, strategy);
            run.progress(String.format(Locale.ROOT, "%-8s at expiry:  %s", strategy, line(expiry)));
            StrategyResult.Steady steady = null;
            if (strategy.equals("xfetch")) {
                // A value recomputed at leisure: the one the meltdown stored took seconds in the pool's queue,
                // and XFetch, which recomputes earlier the longer a recompute took, would recompute on every read.
                evict();
                warm();
                steady = steadyThroughExpiry(runner);
                run.progress(String.format(Locale.ROOT, "%-8s steady %.0f req/s for %d s through an expiry: %d early "
                        + "recomputes %s ms before it, %d misses", strategy, steady.rate(), steady.seconds(),
                        steady.earlyRecomputes(), steady.leadMs(), steady.misses()));
            }
            return new StrategyResult(strategy, hit, expiry, steady);
        }

        Shot fireAtExpiry(PhaseRunner runner, String strategy) throws InterruptedException {
            long expiresAt = entry().path("expiresAtEpochMs").asLong();
            long fireAt = expiresAt + settings.duration("burst.after-expiry").toMillis();
            run.progress(String.format(Locale.ROOT, "%-8s waiting %.1f s for the key to expire, then %d requests at once",
                    strategy, Math.max(0, fireAt - System.currentTimeMillis()) / 1000.0, settings.integer("burst.requests")));
            // The burst opens its connections now and completes every request at the instant.
            timeline.record(EventTimeline.PHASE_STARTED, strategy + ": waiting for the expiry", Map.of("strategy", strategy,
                    "phase", "expiry", "expires_at", Instant.ofEpochMilli(expiresAt).toString()));
            PhaseRunner.Burst burst = runner.burst(burst().at(Instant.ofEpochMilli(fireAt)));
            long firedAt = fireAt;
            // Background refreshes (swr) land after the answers: count them too.
            Thread.sleep(settings.duration("burst.settle").toMillis());
            Map<String, MetricSnapshot> after = runner.scrape();
            Shot shot = shot(strategy, burst, after, firedAt);
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("strategy", strategy);
            values.put("fired_at", Instant.ofEpochMilli(fireAt).toString());
            values.put("requests", shot.requests());
            values.put("origin_queries", shot.originQueries());
            values.put("errors", shot.errors());
            values.put("p50_ms", Math.round(shot.p50Ms()));
            values.put("p99_ms", Math.round(shot.p99Ms()));
            values.put("pool_wait_ms", Math.round(shot.poolWaitMs()));
            timeline.record(BURST_FIRED, strategy + ": " + shot.requests() + " requests at the expiry", values);
            // One burst, one reading of each watched figure (watch.* in stampede.properties).
            Watches watches = run.watches();
            watches.observe("origin_queries", shot.originQueries(), values);
            watches.observe("pool_wait_ms", shot.poolWaitMs(), values);
            return shot;
        }

        private StrategyResult.Steady steadyThroughExpiry(PhaseRunner runner) throws InterruptedException {
            long expiresAt = entry().path("expiresAtEpochMs").asLong();
            long startedAt = System.currentTimeMillis();
            long seconds = Math.max(1, (expiresAt - startedAt) / 1000 + settings.duration("xfetch.steady.past-expiry").toSeconds());
            double rate = settings.number("xfetch.steady.rate");
            Map<String, MetricSnapshot> before = runner.scrape();
            runner.run(new PhaseRunner.SteadyLoad(hotKeyUrls().get(0), rate, settings.duration("burst.timeout")),
                    (previous, current, load) -> Map.of(), List.of(Phase.of("steady", Duration.ofSeconds(seconds))), s -> {
                    });
            Map<String, MetricSnapshot> after = runner.scrape();
            long misses = Math.round(MetricSnapshot.increase(before, after, READS, Map.of("source", "miss")));
            List<Long> leads = new ArrayList<>();
            for (JsonNode recompute : recomputesSince(startedAt)) {
                if (recompute.path("trigger").asString().equals("early") && recompute.has("sinceExpiryMs")) {
                    leads.add(-recompute.path("sinceExpiryMs").asLong());
                }
            }
            return new StrategyResult.Steady(rate, seconds, leads.size(), misses, List.copyOf(leads));
        }

        private Shot shot(String strategy, PhaseRunner.Burst burst, Map<String, MetricSnapshot> after, long firedAt) {
            LoadResult result = burst.result();
            Map<String, Long> sources = new TreeMap<>();
            for (MetricSnapshot snapshot : after.values()) {
                for (MetricSnapshot.Sample sample : snapshot.samples().getOrDefault(READS, List.of())) {
                    sources.putIfAbsent(sample.labels().get("source"), 0L);
                }
            }
            sources.replaceAll((source, zero) -> Math.round(MetricSnapshot.increase(burst.before(), after, READS,
                    Map.of("source", source))));
            sources.values().removeIf(count -> count == 0);
            double recomputeMs = 0;
            List<Long> recomputesMs = new ArrayList<>();
            if (firedAt > 0) {
                long expiry = firedAt - settings.duration("burst.after-expiry").toMillis();
                for (JsonNode recompute : recomputesSince(firedAt - 1000)) {
                    recomputesMs.add(recompute.path("atEpochMs").asLong() - expiry);
                    if (recompute.path("succeeded").asBoolean() && recompute.path("atEpochMs").asLong() >= firedAt) {
                        recomputeMs = Math.max(recomputeMs, recompute.path("durationMs").asDouble());
                    }
                }
                java.util.Collections.sort(recomputesMs);
            }
            Map<String, Double> latency = new java.util.LinkedHashMap<>();
            latency.put("p50", result.latencyMillis(50));
            latency.put("p90", result.latencyMillis(90));
            latency.put("p99", result.latencyMillis(99));
            latency.put("p99.9", result.latencyMillis(99.9));
            latency.put("max", result.latency().getMaxValue() / 1000.0);
            return new Shot(strategy, result.sent(), MetricSnapshot.increase(burst.before(), after, ORIGIN_QUERIES, Map.of()),
                    result.sent() - result.succeeded() + result.dropped(), result.latencyMillis(50),
                    result.latencyMillis(99), result.latency().getMaxValue() / 1000.0, result.sendSeconds() * 1000,
                    recomputeMs, 1000 * BucketQuantile.of(burst.before(), after, LOCK_WAIT_BUCKETS,
                            Map.of("outcome", "value"), 0.99),
                    1000 * MetricSnapshot.increase(burst.before(), after, POOL_ACQUIRE_SUM, Map.of()), sources, latency,
                    List.copyOf(recomputesMs));
        }

        /** The hypotheses of the strategies run. */
        private List<Check> checks(List<StrategyResult> results) {
            List<Check> checks = new ArrayList<>();
            find(results, "none").map(StrategyResult::expiry).ifPresent(none -> {
                checks.add(Check.atLeast("none.origin-queries", "none: queries PostgreSQL got for the burst at expiry",
                        none.originQueries(), settings.number("hypothesis.none.min-origin-queries")));
                checks.add(Check.atLeast("none.pool-wait-ms", "none: time spent waiting for pooled connections (saturated)",
                        none.poolWaitMs(), settings.duration("hypothesis.none.min-pool-wait").toMillis()));
                checks.add(Check.atLeast("none.p99-ms", "none: the burst's p99 (the pool's meltdown: queueing, timeouts)",
                        none.p99Ms(), settings.duration("hypothesis.none.min-p99").toMillis()));
            });
            find(results, "lock").map(StrategyResult::expiry).ifPresent(lock -> {
                checks.add(Check.equalTo("lock.origin-queries", "lock: queries across both replicas", lock.originQueries(),
                        settings.number("hypothesis.lock.origin-queries")));
                checks.add(Check.atMost("lock.errors", "lock: requests without a 2xx answer", lock.errors(),
                        settings.number("hypothesis.lock.max-errors")));
                checks.add(Check.atMost("lock.wait-p99-over-recompute-ms",
                        "lock: waiters' p99 wait minus the recompute time (ms)",
                        Double.isNaN(lock.waitP99Ms()) ? 0 : lock.waitP99Ms() - lock.recomputeMs(),
                        settings.duration("hypothesis.lock.max-p99-over-recompute").toMillis()));
            });
            for (String strategy : List.of("swr", "lock+swr")) {
                find(results, strategy).ifPresent(r -> {
                    checks.add(Check.equalTo(strategy + ".recomputes", strategy + ": queries for the burst (one background"
                            + " refresh)", r.expiry().originQueries(), settings.number("hypothesis.swr.recomputes")));
                    checks.add(Check.atMost(strategy + ".p99-vs-hit", strategy + ": burst p99 / the fresh key's p99",
                            r.expiry().p99Ms() / Math.max(0.001, r.hit().p99Ms()),
                            settings.number("hypothesis.swr.max-p99-vs-hit")));
                    checks.add(Check.atMost(strategy + ".errors", strategy + ": requests without a 2xx answer",
                            r.expiry().errors(), settings.number("hypothesis.swr.max-errors")));
                });
            }
            find(results, "xfetch").ifPresent(xfetch -> {
                checks.add(Check.atLeast("xfetch.burst-origin-queries",
                        "xfetch: a burst after the expiry is NOT protected (queries, as none)",
                        xfetch.expiry().originQueries(), settings.number("hypothesis.xfetch.min-burst-origin-queries")));
                checks.add(Check.atLeast("xfetch.steady-early", "xfetch: steady reads recompute before the expiry",
                        xfetch.steady().earlyRecomputes(), settings.number("hypothesis.xfetch.min-steady-early")));
                checks.add(Check.atMost("xfetch.steady-misses", "xfetch: steady reads that found the key expired",
                        xfetch.steady().misses(), settings.number("hypothesis.xfetch.max-steady-misses")));
            });
            return checks;
        }

        private BurstSpec burst() {
            return BurstSpec.now(hotKeyUrls(), settings.integer("burst.requests"), settings.duration("burst.timeout"));
        }

        private JsonNode entry() {
            JsonNode entry = JSON.readTree(http.send("GET", admins.get(0).resolve(AdminPaths.CACHE_ENTRY), null));
            if (!entry.has("expiresAtEpochMs")) {
                throw new IllegalStateException("the hot key is not cached (state " + entry.path("state").asString() + ")");
            }
            return entry;
        }

        private List<JsonNode> recomputesSince(long sinceEpochMs) {
            List<JsonNode> recomputes = new ArrayList<>();
            for (URI admin : admins) {
                for (JsonNode recompute : JSON.readTree(http.send("GET", admin.resolve(AdminPaths.CACHE_ENTRY), null))
                        .path("recentRecomputes")) {
                    if (recompute.path("atEpochMs").asLong() >= sinceEpochMs) {
                        recomputes.add(recompute);
                    }
                }
            }
            return recomputes;
        }
    }
}
