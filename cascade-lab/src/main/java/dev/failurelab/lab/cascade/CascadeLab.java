package dev.failurelab.lab.cascade;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
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
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cascade lab: cascading failure and metastability. Under a constant open-loop load, a trigger
 * takes a share of the bottom's capacity away for a while ({@code /admin/capacity-cut}: no CPU is
 * spent) and the lab watches whether the chain comes back once the trigger ends. It sweeps the
 * trigger's size × duration (the phase map of "Metastable Failures in the Wild"), under naive
 * retries at every hop and under all the defences; then each defence alone on the cells naive
 * retries did not recover, to show which cells it rescues.
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. Every cut has a
 * duration and ends by itself; the platform restores every defence however a run ends, and
 * {@link #restore} ends a cut still in force.
 */
public final class CascadeLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/cascade.properties";
    /**
     * The run shortened for its IT (under 90 s with the topology's start): one cell, 90% of the
     * capacity cut for 4 s, under naive retries, all defences, and shedding alone; every hypothesis
     * and threshold as in the defaults file.
     */
    public static final Map<String, String> SHORT_RUN = Map.of(
            "grid.magnitudes", "0.9",
            "grid.durations", "4s",
            "map.single-defences", "shedding",
            "map.single-defence-cells", "1",
            "phase.warmup", "2s",
            "phase.baseline", "2s");
    /** The event of a trigger starting. */
    public static final EventType TRIGGER = EventType.of("trigger_started");
    /** The path of the bottom's capacity cut, on its management port. */
    public static final String CAPACITY_CUT = "/admin/capacity-cut";

    static final List<String> CALLERS = List.of("edge", "middle");
    static final List<String> BOTTOM = List.of("bottom");
    static final List<String> MIDDLE = List.of("middle");
    static final List<String> EDGE = List.of("edge");

    /** The defences a row may switch on, by row name, each with the apps it is switched on. */
    static final Map<String, Map<Defence, List<String>>> DEFENCES = rowDefences();
    /** Every row: naive retries, each defence alone (on naive retries), and all of them. */
    public static final List<String> ROWS = List.of("naive", "budget", "deadlines", "breaker", "throttle", "shedding",
            "degradation", "all");

    private static final CascadeFigures FIGURES = new CascadeFigures();

    private static Map<String, Map<Defence, List<String>>> rowDefences() {
        Map<String, Map<Defence, List<String>>> rows = new LinkedHashMap<>();
        rows.put("deadlines", Map.of(Defences.DEADLINES, CALLERS));
        rows.put("breaker", Map.of(Defences.CIRCUIT_BREAKER, CALLERS));
        // The client of the bottleneck only: an edge throttle would count the middle's fast refusals as
        // rejections and shut itself (p = requests / (requests + 1)), long after the bottom is back.
        rows.put("throttle", Map.of(Defences.ADAPTIVE_THROTTLE, MIDDLE));
        rows.put("shedding", Map.of(Defences.LOAD_SHEDDING, BOTTOM));
        rows.put("degradation", Map.of(Defences.DEGRADATION, EDGE));
        return rows;
    }

    @Override
    public String name() {
        return "cascade";
    }

    @Override
    public String title() {
        return "Cascading failure and metastability";
    }

    @Override
    public String description() {
        return "a capacity cut on the bottom swept over size x duration: naive retries stay down after it ends;"
                + " deadlines, breakers, throttling, shedding and degradation together recover";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Topology topology() {
        return Topology.chain().without("cache");
    }

    @Override
    public Map<Defence, List<String>> defences() {
        Map<Defence, List<String>> all = new LinkedHashMap<>();
        all.put(Defences.RETRY_POLICY, CALLERS);
        DEFENCES.values().forEach(all::putAll);
        return all;
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        Grid.of(settings);
        rows(settings, "map.rows");
        rows(settings, "map.single-defences");
        if (settings.integer("map.single-defence-cells") < 1) {
            throw new IllegalArgumentException("map.single-defence-cells must be at least 1");
        }
    }

    /** A list of row names from {@code key}. */
    static List<String> rows(LabDefaults settings, String key) {
        return settings.names(key, "row", ROWS);
    }

    /** The trigger's sizes and durations. */
    record Grid(List<Double> magnitudes, List<Duration> durations) {

        static Grid of(LabDefaults settings) {
            List<Double> magnitudes = new ArrayList<>();
            for (String text : settings.string("grid.magnitudes").split(",")) {
                double m;
                try {
                    m = Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("grid.magnitudes: '" + text.trim() + "' is not a number");
                }
                if (!(m > 0 && m <= 0.99)) {
                    throw new IllegalArgumentException("grid.magnitudes: each share must be in (0, 0.99], got " + m);
                }
                magnitudes.add(m);
            }
            List<Duration> durations = new ArrayList<>();
            for (String text : settings.string("grid.durations").split(",")) {
                Duration d = dev.failurelab.contract.Durations.parse(text.trim()).orElseThrow(() ->
                        new IllegalArgumentException("grid.durations: '" + text.trim() + "' is not a duration ("
                                + dev.failurelab.contract.Durations.EXAMPLES + ")"));
                if (d.toSeconds() < 1 || d.toSeconds() > 60) {
                    throw new IllegalArgumentException("grid.durations: each must be 1s..60s, got " + text.trim());
                }
                durations.add(Duration.ofSeconds(d.toSeconds()));
            }
            return new Grid(List.copyOf(magnitudes), List.copyOf(durations));
        }
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new CascadeDrill(List.copyOf(defences().keySet())));
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        return new Experiment(run).run();
    }

    @Override
    public void restore(LabRun run) {
        try {
            new AdminHttp().send("DELETE", run.endpoints().management("bottom").resolve(CAPACITY_CUT), null);
        } catch (RuntimeException gone) {
            // best effort: the cut ends by itself anyway
        }
    }

    /** One run's state. */
    private final class Experiment {
        private final LabRun run;
        private final LabDefaults settings;
        private final EventTimeline timeline;
        private final URI edge;
        private final URI cut;
        private final AdminHttp http = new AdminHttp();

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.edge = run.endpoints().url("edge");
            this.cut = run.endpoints().management("bottom").resolve(CAPACITY_CUT);
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            Grid grid = Grid.of(settings);
            Map<String, URI> scrape = new LinkedHashMap<>();
            for (String app : List.of("edge", "middle", "bottom")) {
                scrape.put(app, run.endpoints().management(app).resolve(AdminPaths.PROMETHEUS));
            }
            timeline.record(EventTimeline.RUN_STARTED, "cascade lab started", Map.of("load_rate",
                    settings.number("load.rate"), "cells", grid.magnitudes().size() * grid.durations().size()));
            List<CellResult> cells = new ArrayList<>();
            try (PhaseRunner runner = new PhaseRunner(scrape)) {
                reset();
                run.progress("warm-up: " + settings.string("phase.warmup") + " at " + settings.string("load.rate")
                        + " req/s (not measured)");
                runner.run(load(), FIGURES, List.of(Phase.of("warmup", settings.duration("phase.warmup"))), s -> {
                });
                for (String row : rows(settings, "map.rows")) {
                    for (double magnitude : grid.magnitudes()) {
                        for (Duration duration : grid.durations()) {
                            cells.add(cell(runner, row, magnitude, duration));
                        }
                    }
                }
                List<CellResult> down = singleDefenceCells(cells);
                for (String row : rows(settings, "map.single-defences")) {
                    for (CellResult naive : down) {
                        cells.add(cell(runner, row, naive.magnitude(), Duration.ofSeconds(naive.triggerSeconds())));
                    }
                }
                reset();
            }
            CascadeResult data = new CascadeResult(grid, List.copyOf(cells));
            String subtitle = "Started " + startedAt + ". Load " + settings.string("load.rate") + " req/s at the edge,"
                    + " deadline " + settings.string("load.timeout") + "; the trigger cuts " + grid.magnitudes().stream()
                    .map(m -> String.format(Locale.ROOT, "%.0f%%", m * 100)).collect(java.util.stream.Collectors
                            .joining(", ")) + " of the bottom's capacity for " + grid.durations().stream()
                    .map(d -> d.toSeconds() + " s").collect(java.util.stream.Collectors.joining(", "))
                    + " (shaded).";
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        /**
         * The cells each defence alone is tried on: of the cells naive retries did not recover, the
         * largest (by size, then duration) first, then spread down to the smallest, up to
         * {@code map.single-defence-cells}.
         */
        private List<CellResult> singleDefenceCells(List<CellResult> cells) {
            List<CellResult> down = cells.stream().filter(c -> c.row().equals("naive")
                    && !c.outcome().equals(CellResult.RECOVERED)).sorted(java.util.Comparator
                    .comparingDouble(CellResult::magnitude).thenComparingInt(CellResult::triggerSeconds).reversed())
                    .toList();
            int wanted = settings.integer("map.single-defence-cells");
            if (down.size() <= wanted) {
                return down;
            }
            List<CellResult> chosen = new ArrayList<>();
            for (int i = 0; i < wanted; i++) {
                chosen.add(down.get(wanted == 1 ? 0 : i * (down.size() - 1) / (wanted - 1)));
            }
            return chosen;
        }

        private PhaseRunner.SteadyLoad load() {
            return new PhaseRunner.SteadyLoad(edge.resolve(AdminPaths.CHAIN), settings.number("load.rate"),
                    settings.duration("load.timeout"));
        }

        /** One cell: the row's defences, a baseline, the trigger, and the observation until it is classified. */
        private CellResult cell(PhaseRunner runner, String row, double magnitude, Duration duration)
                throws InterruptedException {
            reset();
            applyRow(row);
            String name = String.format(Locale.ROOT, "%s %.0f%%x%ds", row, magnitude * 100, duration.toSeconds());
            Duration observe = settings.duration("classify.observe");
            Classifier classifier = new Classifier();
            List<Phase> phases = List.of(
                    new Phase("baseline", settings.duration("phase.baseline"), () -> phase(row, name, "baseline")),
                    new Phase("trigger", duration, () -> {
                        phase(row, name, "trigger");
                        http.send("PUT", cut, "{\"fraction\":" + magnitude + ",\"duration\":\"" + duration.toMillis()
                                + "ms\"}");
                        Map<String, Object> values = new LinkedHashMap<>();
                        values.put("row", row);
                        values.put("fraction", magnitude);
                        values.put("duration_s", duration.toSeconds());
                        timeline.record(TRIGGER, String.format(Locale.ROOT, "%s: %.0f%% of the bottom's capacity cut"
                                + " for %d s", row, magnitude * 100, duration.toSeconds()), values);
                    }),
                    new Phase("observe", observe, () -> phase(row, name, "observe")));
            PhaseRunner.Run measured = runner.run(load(), FIGURES, phases, second -> {
                classifier.observe(second);
                run.progress(line(name, second));
            }, classifier::decided);
            CellResult result = classifier.result(row, magnitude, (int) duration.toSeconds(), measured);
            run.progress(String.format(Locale.ROOT, "%-24s %s; amplification %.2fx, answered %.1f%% during the trigger",
                    name, result.label(), result.triggerAmplification(), result.triggerAnswered() * 100));
            if (!result.outcome().equals(CellResult.RECOVERED)) {
                timeline.record(EventTimeline.THRESHOLD_CROSSED, name + ": " + result.label(), Map.of("row", row,
                        "cell", result.cell(), "outcome", result.outcome()));
            } else {
                timeline.record(EventTimeline.RECOVERED, name + ": " + result.label(), Map.of("row", row, "cell",
                        result.cell(), "recovery_s", result.recoverySeconds()));
            }
            return result;
        }

        private void phase(String row, String cell, String phase) {
            timeline.record(EventTimeline.PHASE_STARTED, cell + ": " + phase, Map.of("row", row, "phase", phase));
        }

        /** Switches on the row's defences (the platform's switches, recorded on the timeline). */
        private void applyRow(String row) {
            run.switchDefence(Defences.RETRY_POLICY, CALLERS, row.equals("budget") || row.equals("all") ? "budget"
                    : "naive");
            DEFENCES.forEach((defence, switches) -> {
                if (row.equals("all") || row.equals(defence)) {
                    switches.forEach((d, apps) -> run.switchDefence(d, apps, "on"));
                }
            });
        }

        /**
         * Ends any cut, switches every defence back to its default (one attempt per call, the rest off),
         * lets the queues drain with no load, and waits until the chain answers promptly again.
         */
        private void reset() throws InterruptedException {
            run.settle(() -> {
                http.send("DELETE", cut, null);
                defences().forEach((defence, apps) -> run.switchDefence(defence, apps, defence.defaultOption()));
            }, settings.duration("phase.settle"), edge.resolve(AdminPaths.CHAIN));
        }

        /**
         * Classifies a cell as its seconds come: recovered once goodput holds at the recovery share of
         * baseline for the stable seconds after the trigger; metastable if it stayed under the
         * metastable share for the whole observation; slow otherwise.
         */
        private final class Classifier {
            private final double recoveryShare = settings.number("classify.recovery-share");
            private final int stable = settings.integer("classify.recovery-stable-seconds");
            private final double metastableShare = settings.number("classify.metastable-share");
            private final List<Double> baseline = new ArrayList<>();
            private int healthyRun;
            private Integer recoveredAt;
            private boolean everAboveMetastable;
            private int observed;

            void observe(SecondRecord second) {
                double goodput = second.figure(CascadeFigures.GOODPUT);
                if (second.phase().equals("baseline")) {
                    baseline.add(goodput);
                } else if (second.phase().equals("observe") && recoveredAt == null) {
                    observed = second.phaseSecond();
                    double base = baseline();
                    everAboveMetastable |= goodput >= metastableShare * base;
                    healthyRun = goodput >= recoveryShare * base ? healthyRun + 1 : 0;
                    if (healthyRun == stable) {
                        recoveredAt = second.phaseSecond() - stable;
                    }
                }
            }

            boolean decided(SecondRecord second) {
                return recoveredAt != null;
            }

            double baseline() {
                return baseline.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            }

            CellResult result(String row, double magnitude, int triggerSeconds, PhaseRunner.Run measured) {
                List<SecondRecord> trigger = measured.phase("trigger");
                double edgeSum = 0;
                double bottomSum = 0;
                double answered = 0;
                for (SecondRecord s : trigger) {
                    double edgeRps = s.figure(CascadeFigures.EDGE_RPS);
                    double bottomRps = s.figure(CascadeFigures.BOTTOM_RPS);
                    if (!Double.isNaN(bottomRps)) {
                        edgeSum += edgeRps;
                        bottomSum += bottomRps;
                    }
                    answered += s.figure(CascadeFigures.ANSWERED) * edgeRps;
                }
                double totalEdge = trigger.stream().mapToDouble(s -> s.figure(CascadeFigures.EDGE_RPS)).sum();
                double breakerOpen = Double.NaN;
                int elapsed = 0;
                for (SecondRecord s : measured.seconds()) {
                    if (s.phase().equals("baseline")) {
                        continue;
                    }
                    elapsed++;
                    if (s.figure(CascadeFigures.BREAKERS_OPEN) > 0) {
                        breakerOpen = elapsed;
                        break;
                    }
                }
                String outcome = recoveredAt != null ? CellResult.RECOVERED
                        : !everAboveMetastable ? CellResult.METASTABLE : CellResult.SLOW;
                return new CellResult(row, magnitude, triggerSeconds, outcome, recoveredAt, baseline(),
                        edgeSum == 0 ? 0 : bottomSum / edgeSum, totalEdge == 0 ? 1 : answered / totalEdge, breakerOpen,
                        observed, measured.seconds());
            }
        }

        private List<Check> checks(CascadeResult data) {
            List<Check> checks = new ArrayList<>();
            List<CellResult> naive = data.row("naive");
            if (!naive.isEmpty()) {
                checks.add(Check.atLeast("naive.metastable-cells", "naive: cells still down when the observation ended",
                        naive.stream().filter(c -> c.outcome().equals(CellResult.METASTABLE)).count(),
                        settings.number("hypothesis.naive.min-metastable-cells")));
                checks.add(Check.atLeast("naive.amplification", "naive: bottom arrivals per edge request in the trigger"
                        + " (the largest cell's)", naive.stream().mapToDouble(CellResult::triggerAmplification).max()
                        .orElse(0), settings.number("hypothesis.naive.min-amplification")));
            }
            for (String row : data.rows()) {
                List<CellResult> alone = data.row(row);
                if (row.equals("degradation")) {
                    checks.add(Check.atLeast("degradation.unrecovered-cells", "degradation alone: cells still down (it"
                            + " serves the users, it ends nothing)", alone.stream().filter(c -> !c.outcome()
                            .equals(CellResult.RECOVERED)).count(),
                            settings.number("hypothesis.degradation.min-unrecovered-cells")));
                } else if (DEFENCES.containsKey(row)) {
                    checks.add(Check.atMost(row + ".unrecovered-cells", row + " alone: cells not recovered within the"
                            + " observation (slowest recovery: " + (Double.isInfinite(slowest(alone)) ? "none"
                            : Math.round(slowest(alone)) + " s") + ")", alone.stream().filter(c -> !c.outcome()
                            .equals(CellResult.RECOVERED)).count(),
                            settings.number("hypothesis.single.max-unrecovered-cells")));
                }
            }
            List<CellResult> all = data.row("all");
            if (!all.isEmpty()) {
                checks.add(Check.atMost("all.recovery-s", "all defences: seconds to recover after the trigger (the"
                        + " slowest cell)", slowest(all), settings.duration("hypothesis.all.max-recovery").toSeconds()));
                checks.add(Check.atMost("all.amplification", "all defences: bottom arrivals per edge request in the"
                        + " trigger (the largest cell's)", all.stream().mapToDouble(CellResult::triggerAmplification)
                        .max().orElse(0), settings.number("hypothesis.all.max-amplification")));
                CellResult largest = all.stream().max(java.util.Comparator.comparingDouble(CellResult::magnitude)
                        .thenComparingInt(CellResult::triggerSeconds)).orElseThrow();
                checks.add(Check.atMost("all.breaker-open-s", "all defences: seconds from the trigger to a breaker open"
                        + " (the largest cell, " + largest.cell() + ")", Double.isNaN(largest.breakerOpenSeconds())
                        ? Double.POSITIVE_INFINITY : largest.breakerOpenSeconds(),
                        settings.duration("hypothesis.all.max-breaker-open").toSeconds()));
                checks.add(Check.atLeast("all.answered", "all defences: edge requests answered (full or degraded)"
                        + " within the deadline during the trigger (the worst cell)", all.stream()
                        .mapToDouble(CellResult::triggerAnswered).min().orElse(0),
                        settings.number("hypothesis.all.min-answered")));
            }
            return checks;
        }

        /** The slowest recovery of {@code cells}, in seconds; infinite if one did not recover. */
        private static double slowest(List<CellResult> cells) {
            return cells.stream().mapToDouble(c -> c.recoverySeconds() == null ? Double.POSITIVE_INFINITY
                    : c.recoverySeconds()).max().orElse(0);
        }

        /** The incident: the naive row's first cell that did not recover (else its largest). */
        private Incident incident(CascadeResult data) {
            List<CellResult> naive = data.row("naive");
            List<CellResult> candidates = naive.isEmpty() ? data.cells() : naive;
            CellResult worst = candidates.stream().filter(c -> !c.outcome().equals(CellResult.RECOVERED)).findFirst()
                    .orElse(candidates.get(candidates.size() - 1));
            List<EventTimeline.Event> events = timeline.events();
            Instant trigger = events.stream().filter(e -> e.type().equals(TRIGGER) && worst.row().equals(
                    e.values().get("row")) && Double.valueOf(worst.magnitude()).equals(e.values().get("fraction"))
                    && Long.valueOf(worst.triggerSeconds()).equals(e.values().get("duration_s")))
                    .map(EventTimeline.Event::at).findFirst().orElse(events.get(0).at());
            double failed = 0;
            double total = 0;
            for (SecondRecord s : worst.seconds()) {
                if (!s.phase().equals("baseline")) {
                    total += s.figure(CascadeFigures.EDGE_RPS);
                    failed += Math.max(0, s.figure(CascadeFigures.EDGE_RPS) - s.figure(CascadeFigures.GOODPUT));
                }
            }
            Instant end = trigger.plusSeconds(worst.triggerSeconds() + worst.observedSeconds());
            String peak = String.format(Locale.ROOT, "%s: amplification %.2fx at the bottom during the trigger;"
                    + " goodput %s after it", worst.cell(), worst.triggerAmplification(), worst.label());
            return new Incident("cascade after a " + worst.cell() + " capacity cut on the bottom", failed, total, trigger,
                    end, worst.outcome().equals(CellResult.RECOVERED) ? "recovered by itself"
                    : "not recovered when the observation ended", peak, trigger, "runbooks/cascading-failure.md",
                    List.of("Chain overview", "Cascading failure"));
        }
    }

    private static String line(String cell, SecondRecord s) {
        return String.format(Locale.ROOT,
                "[%-18s] %-8s %3ds  edge %4.0f/s  goodput %4.0f/s  answered %5.1f%%  degraded %3.0f/s  bottom %4.0f/s"
                        + "  amp %5.2fx  breakers %1.0f  throttle %4.2f  shed %3.0f/s  queue %3.0f  cut %3.0f%%",
                cell, s.phase(), s.phaseSecond(), s.figure(CascadeFigures.EDGE_RPS), s.figure(CascadeFigures.GOODPUT),
                s.figure(CascadeFigures.ANSWERED) * 100, s.figure(CascadeFigures.DEGRADED),
                s.figure(CascadeFigures.BOTTOM_RPS), s.figure(CascadeFigures.AMPLIFICATION),
                s.figure(CascadeFigures.BREAKERS_OPEN), s.figure(CascadeFigures.THROTTLE_P),
                s.figure(CascadeFigures.SHED_RPS), s.figure(CascadeFigures.BOTTOM_QUEUE), s.figure(CascadeFigures.CUT) * 100);
    }
}
