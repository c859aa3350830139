package dev.failurelab.lab.experiment;

import dev.failurelab.lab.load.BurstSpec;
import dev.failurelab.lab.load.LoadResult;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.load.ClosedLoopLoadGenerator;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import dev.failurelab.lab.load.RequestHeaders;
import dev.failurelab.lab.load.RequestPlan;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs an experiment's load — phases under a constant open-loop load, or a burst — and samples
 * the services' meters meanwhile: the one experiment loop every lab uses.
 *
 * <p>Concurrency: the load runs on its own thread; this runner's thread starts each phase on
 * time, scrapes every target once a second (around a burst: before and after) and reports each second
 * to the listener as it closes. One run at a time per instance; close it when the lab is done.
 */
public final class PhaseRunner implements AutoCloseable {

    /**
     * The load through every phase: open loop (at a phase's own rate where it sets one), or closed
     * loop to show what that hides.
     *
     * @param target      where the load goes (the edge)
     * @param rate        requests per second (closed loop: at most, in all)
     * @param timeout     the per-request timeout
     * @param concurrency 0 for open loop; else the workers of a closed loop ({@link ClosedLoopLoadGenerator})
     */
    public record SteadyLoad(URI target, double rate, Duration timeout, int concurrency, RequestHeaders headers,
            RequestPlan plan) {

        /** Open-loop load. */
        public SteadyLoad(URI target, double rate, Duration timeout) {
            this(target, rate, timeout, 0);
        }

        /** Load with no headers. */
        public SteadyLoad(URI target, double rate, Duration timeout, int concurrency) {
            this(target, rate, timeout, concurrency, RequestHeaders.NONE, RequestPlan.TARGET);
        }

        /** This load with each request's {@code headers}. */
        public SteadyLoad with(RequestHeaders headers) {
            return new SteadyLoad(target, rate, timeout, concurrency, headers, plan);
        }

        /** This load with each request as {@code plan} says (a keyed load). */
        public SteadyLoad with(RequestPlan plan) {
            return new SteadyLoad(target, rate, timeout, concurrency, headers, plan);
        }
    }

    private final Map<String, URI> scrapeTargets;
    private final PrometheusScraper scraper = new PrometheusScraper(Duration.ofMillis(800));
    // One generator for every run: its pooled connections are reused, not left idle on the
    // target between runs (where they would count against the target's connection limit).
    private final OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();

    /** @param scrapeTargets Prometheus endpoints by name (e.g. edge, middle, bottom) */
    public PhaseRunner(Map<String, URI> scrapeTargets) {
        this.scrapeTargets = Map.copyOf(scrapeTargets);
    }

    /**
     * Runs {@code phases} in order under {@code load}, telling {@code onSecond} of each second as it
     * closes, its figures computed by {@code calculator}.
     *
     * @return every second's figures
     */
    public Run run(SteadyLoad load, FigureCalculator calculator, List<Phase> phases, Consumer<SecondRecord> onSecond)
            throws InterruptedException {
        return run(load, calculator, phases, onSecond, second -> false);
    }

    /**
     * As {@link #run(SteadyLoad, FigureCalculator, List, Consumer)}, ending early after the first
     * second for which {@code stop} holds (e.g. once an observation has seen what it waited for):
     * the phases after it do not start, and the load stops.
     */
    public Run run(SteadyLoad load, FigureCalculator calculator, List<Phase> phases, Consumer<SecondRecord> onSecond,
            java.util.function.Predicate<SecondRecord> stop) throws InterruptedException {
        Duration total = phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
        long origin = System.nanoTime();
        LoadTimeline timeline = new LoadTimeline(origin);
        ExecutorService loadThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "phase-load"));
        List<SecondRecord> seconds = new ArrayList<>();
        try {
            boolean stepped = phases.stream().anyMatch(p -> !Double.isNaN(p.rate()));
            if (stepped && load.concurrency() > 0) {
                throw new IllegalArgumentException("a closed loop has no rate of its own per phase");
            }
            if (load.concurrency() > 0 && load.plan() != RequestPlan.TARGET) {
                throw new IllegalArgumentException("a closed loop sends the target only, not a keyed plan");
            }
            LoadSpec spec = (stepped ? LoadSpec.stepped(load.target(), phases.stream().map(p -> new LoadSpec.Step(
                    Double.isNaN(p.rate()) ? load.rate() : p.rate(), p.duration())).toList())
                    : LoadSpec.of(load.target(), load.rate(), total)).withTimeout(load.timeout())
                    .withHeaders(load.headers()).withPlan(load.plan());
            Future<?> running = loadThread.submit(() -> load.concurrency() > 0
                    ? new ClosedLoopLoadGenerator().run(spec, load.concurrency(), timeline)
                    : generator.run(spec, timeline));
            Map<String, MetricSnapshot> previous = scrapeAll();
            long phaseStart = 0;
            int second = 0;
            phases:
            for (Phase phase : phases) {
                phase.onStart().run();
                long phaseSeconds = phase.duration().toSeconds();
                for (int s = 1; s <= phaseSeconds; s++) {
                    second++;
                    sleepUntil(origin + TimeUnit.SECONDS.toNanos(phaseStart + s));
                    Map<String, MetricSnapshot> current = scrapeAll();
                    Map<String, Double> figures = calculator.figures(previous, current, timeline.sample(second - 1));
                    SecondRecord record = new SecondRecord(second, phase.name(), s, figures);
                    seconds.add(record);
                    onSecond.accept(record);
                    previous = current;
                    if (stop.test(record)) {
                        break phases;
                    }
                }
                phaseStart += phaseSeconds;
            }
            if (running.isDone() && !running.isCancelled()) {
                running.get(); // surfaces a generator failure
            }
            // Requests still in flight belong to the next phase's past: they are not waited for.
            return new Run(List.copyOf(seconds));
        } catch (ExecutionException e) {
            throw new IllegalStateException("the load generator failed: " + e.getCause(), e);
        } finally {
            loadThread.shutdownNow();
        }
    }

    /**
     * Fires {@code burst} (see {@link OpenLoopLoadGenerator#burst}) with a scrape of every target
     * just before it and once every answer is in.
     */
    public Burst burst(BurstSpec burst) throws InterruptedException {
        Map<String, MetricSnapshot> before = scrape();
        LoadResult result = generator.burst(burst);
        return new Burst(result, before, scrape());
    }

    /** One scrape of every target now, by name; a target that cannot be scraped is empty. */
    public Map<String, MetricSnapshot> scrape() {
        return scrapeAll();
    }

    /** Releases the load generator's threads and connections. */
    @Override
    public void close() {
        generator.close();
    }

    private Map<String, MetricSnapshot> scrapeAll() {
        Map<String, MetricSnapshot> snapshots = new LinkedHashMap<>();
        scrapeTargets.forEach((name, url) -> snapshots.put(name, scraper.scrape(url)));
        return snapshots;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("experiment interrupted");
            }
        }
    }

    /**
     * A finished burst.
     *
     * @param result what the load generator saw
     * @param before the meters just before it
     * @param after  the meters once every answer was in
     */
    public record Burst(LoadResult result, Map<String, MetricSnapshot> before, Map<String, MetricSnapshot> after) {
    }

    /**
     * A finished run.
     *
     * @param seconds every second's figures, in order
     */
    public record Run(List<SecondRecord> seconds) {

        /** The seconds of one phase. */
        public List<SecondRecord> phase(String name) {
            return seconds.stream().filter(s -> s.phase().equals(name)).toList();
        }
    }
}
