package dev.failurelab.lab.queue;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.Incident;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.experiment.Phase;
import dev.failurelab.lab.experiment.PhaseRunner;
import dev.failurelab.lab.experiment.SecondRecord;
import dev.failurelab.lab.load.RequestHeaders;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queue-overload lab. The bottom's capacity C is measured first; then, for each queue
 * discipline in turn (switched live on the bottom), an open-loop load straight at the bottom ramps
 * from 0.5 C to C and 1.5 C, holds 2 C, and returns to 0.5 C until the queue has drained. Each
 * request carries its caller's deadline; goodput is the answers that arrive within it.
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. The platform puts the
 * discipline back to its default however a run ends.
 */
public final class QueueOverloadLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/queue-overload.properties";
    /**
     * The run shortened for its IT: every row a hypothesis reads, with shorter steps before the
     * hold (which stays 4 s: with 1 s steps, the unbounded queue reaches a second's wait only in the
     * hold's second second, and its answers stop arriving in time only in its third); every
     * hypothesis and threshold as in the defaults file.
     */
    public static final Map<String, String> SHORT_RUN = Map.of(
            "rows", "unbounded-fifo,codel,adaptive-lifo,priority,deadline",
            "capacity.probe", "3s",
            "phase.baseline", "2s",
            "phase.ramp-step", "1s",
            "drain.stable-seconds", "1",
            "phase.settle", "500ms");
    /** The event of a row's overload starting. */
    public static final dev.failurelab.lab.experiment.EventType OVERLOAD =
            dev.failurelab.lab.experiment.EventType.of("overload_started");

    static final List<String> BOTTOM = List.of("bottom");

    @Override
    public String name() {
        return "queue-overload";
    }

    @Override
    public String title() {
        return "Queue overload";
    }

    @Override
    public String description() {
        return "the bottom under twice its capacity: an unbounded FIFO queue serves callers that left; CoDel, adaptive"
                + " LIFO, adaptive limits, priority and deadlines hold goodput near capacity";
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
        return Map.of(Defences.QUEUE_DISCIPLINE, BOTTOM);
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        rows(settings);
        for (String key : List.of("phase.baseline-load", "phase.hold-load")) {
            double load = settings.number(key);
            if (!(load > 0 && load <= 10)) {
                throw new IllegalArgumentException(key + " must be a multiple of the capacity in (0, 10], got " + load);
            }
        }
        if (settings.number("phase.baseline-load") >= 1) {
            throw new IllegalArgumentException("phase.baseline-load must be under 1 (the queue must drain after the"
                    + " hold), got " + settings.number("phase.baseline-load"));
        }
        double share = settings.number("load.batch-share");
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("load.batch-share must be between 0 and 1, got " + share);
        }
    }

    static List<String> rows(LabDefaults settings) {
        return settings.names("rows", "queue discipline", Defences.QUEUE_DISCIPLINE.options());
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new QueueOverloadDrill());
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
        private final URI bottom;
        private final Duration timeout;

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.bottom = run.endpoints().url("bottom").resolve(AdminPaths.CHAIN);
            this.timeout = settings.duration("load.timeout");
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            List<RowResult> rows = new ArrayList<>();
            double capacity;
            timeline.record(EventTimeline.RUN_STARTED, "queue-overload lab started", Map.of("rows",
                    String.join(",", rows(settings))));
            try (PhaseRunner runner = new PhaseRunner(Map.of("bottom",
                    run.endpoints().management("bottom").resolve(AdminPaths.PROMETHEUS)))) {
                reset();
                capacity = capacity(runner);
                for (String discipline : rows(settings)) {
                    rows.add(row(runner, discipline, capacity));
                }
                reset();
            }
            QueueResult data = new QueueResult(capacity, rows);
            String subtitle = String.format(Locale.ROOT, "Started %s. Measured capacity C = %.0f req/s; open-loop load"
                    + " straight at the bottom: %s C, a ramp to %s C (shaded), back to %s C; each request carries"
                    + " its %s deadline.", startedAt, capacity, settings.string("phase.baseline-load"),
                    settings.string("phase.hold-load"), settings.string("phase.baseline-load"),
                    settings.string("load.timeout"));
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        /** C: what the bottom serves per second under a load well past it (its first second left out). */
        private double capacity(PhaseRunner runner) throws InterruptedException {
            run.progress("capacity: " + settings.string("capacity.probe-rate") + " req/s for "
                    + settings.string("capacity.probe") + " under the bounded fifo");
            PhaseRunner.Run probe = runner.run(new PhaseRunner.SteadyLoad(bottom, settings.number("capacity.probe-rate"),
                    timeout), new QueueFigures(), List.of(Phase.of("capacity", settings.duration("capacity.probe"))),
                    s -> run.progress(line("capacity", s)));
            double capacity = probe.seconds().stream().filter(s -> s.second() > 1)
                    .mapToDouble(s -> s.figure(QueueFigures.SERVED)).filter(v -> !Double.isNaN(v)).average()
                    .orElse(Double.NaN);
            if (!(capacity >= 1)) {
                throw new IllegalStateException("the bottom served nothing measurable under the capacity probe");
            }
            run.progress(String.format(Locale.ROOT, "capacity C = %.0f req/s", capacity));
            timeline.record(EventTimeline.PHASE_STARTED, String.format(Locale.ROOT, "capacity measured: %.0f req/s",
                    capacity), Map.of("capacity", capacity));
            return capacity;
        }

        private RowResult row(PhaseRunner runner, String discipline, double capacity) throws InterruptedException {
            reset();
            run.switchDefence(Defences.QUEUE_DISCIPLINE, BOTTOM, discipline);
            double base = settings.number("phase.baseline-load");
            double hold = settings.number("phase.hold-load");
            Duration step = settings.duration("phase.ramp-step");
            int emptyDepth = settings.integer("drain.empty-depth");
            int stable = settings.integer("drain.stable-seconds");
            List<Phase> phases = List.of(
                    phase(discipline, "baseline", settings.duration("phase.baseline"), base * capacity),
                    phase(discipline, "ramp-1", step, (base + (hold - base) / 3) * capacity),
                    phase(discipline, "ramp-2", step, (base + 2 * (hold - base) / 3) * capacity),
                    new Phase("hold", settings.duration("phase.hold"), () -> {
                        timeline.record(OVERLOAD, discipline + ": " + hold + " C held", Map.of("discipline",
                                discipline));
                    }, hold * capacity),
                    phase(discipline, "return", settings.duration("phase.return"), base * capacity));
            RequestHeaders headers = RequestHeaders.deadline(timeout);
            if (discipline.equals("priority")) {
                headers = headers.and(RequestHeaders.priorities(settings.number("load.batch-share")));
            }
            int[] drainedRun = {0};
            PhaseRunner.Run measured = runner.run(new PhaseRunner.SteadyLoad(bottom, base * capacity, timeout)
                    .with(headers), new QueueFigures(), phases, s -> run.progress(line(discipline, s)), s -> {
                        if (!s.phase().equals("return")) {
                            return false;
                        }
                        drainedRun[0] = s.figure(QueueFigures.QUEUE) <= emptyDepth ? drainedRun[0] + 1 : 0;
                        return drainedRun[0] >= stable;
                    });
            RowResult result = new RowResult(discipline, capacity, base, emptyDepth, measured.seconds());
            run.progress(String.format(Locale.ROOT, "%-14s goodput at 2C %.0f%% of C; p99 ok %.0f -> %.0f ms; backlog %.0f,"
                    + " drained after %s; wasted %.1f%%", discipline, result.holdGoodputShare() * 100,
                    result.p99("baseline"), result.p99("hold"), result.backlog(), Double.isInfinite(result.drainSeconds())
                    ? "-" : String.format(Locale.ROOT, "%.0f s", result.drainSeconds()), result.wastedShare() * 100));
            timeline.record(Double.isInfinite(result.drainSeconds()) ? EventTimeline.THRESHOLD_CROSSED
                    : EventTimeline.RECOVERED, discipline + ": drained after " + result.drainSeconds() + " s",
                    Map.of("discipline", discipline, "goodput_share", result.holdGoodputShare()));
            return result;
        }

        private Phase phase(String discipline, String name, Duration duration, double rate) {
            return new Phase(name, duration, () -> timeline.record(EventTimeline.PHASE_STARTED, discipline + ": " + name,
                    Map.of("discipline", discipline, "phase", name)), rate);
        }

        /** The discipline back to its default, no load for a while, then the bottom answering promptly. */
        private void reset() throws InterruptedException {
            run.settle(() -> run.switchDefence(Defences.QUEUE_DISCIPLINE, BOTTOM,
                    Defences.QUEUE_DISCIPLINE.defaultOption()), settings.duration("phase.settle"), bottom);
        }

        private List<Check> checks(QueueResult data) {
            List<Check> checks = new ArrayList<>();
            data.row("unbounded-fifo").ifPresent(r -> {
                checks.add(Check.atMost("unbounded-fifo.goodput-share", "unbounded FIFO: goodput at 2 C, share of C",
                        r.holdGoodputShare(), settings.number("hypothesis.unbounded-fifo.max-goodput-share")));
                checks.add(Check.atLeast("unbounded-fifo.drain-ratio", String.format(Locale.ROOT, "unbounded FIFO: drain"
                        + " time over backlog / (C - load) (%.0f requests, predicted %.1f s)", r.backlog(),
                        r.predictedDrainSeconds()), r.drainSeconds() / r.predictedDrainSeconds(),
                        settings.number("hypothesis.unbounded-fifo.min-drain-ratio")));
                checks.add(Check.atLeast("unbounded-fifo.wasted", "unbounded FIFO: served after the caller's deadline,"
                        + " share of all served", r.wastedShare(), settings.number("hypothesis.unbounded-fifo.min-wasted")));
            });
            for (String discipline : List.of("codel", "adaptive-lifo")) {
                data.row(discipline).ifPresent(r -> {
                    checks.add(Check.atLeast(discipline + ".goodput-share", discipline + ": goodput at 2 C, share of C",
                            r.holdGoodputShare(), settings.number("hypothesis.codel.min-goodput-share")));
                    checks.add(Check.atMost(discipline + ".p99-ratio", String.format(Locale.ROOT, "%s: p99 of the"
                            + " successful answers at 2 C over the baseline's (%.0f ms / %.0f ms)", discipline,
                            r.p99("hold"), r.p99("baseline")), r.p99Ratio(),
                            settings.number("hypothesis.codel.max-p99-ratio")));
                    checks.add(Check.atMost(discipline + ".drain-s", discipline + ": seconds after 2 C until the queue"
                            + " is empty", r.drainSeconds(), settings.duration("hypothesis.codel.max-drain").toSeconds()));
                });
            }
            data.row("priority").ifPresent(r -> {
                checks.add(Check.atLeast("priority.live-success", "priority: live requests served within their"
                        + " deadline, share", r.liveSuccess(), settings.number("hypothesis.priority.min-live-success")));
                checks.add(Check.atLeast("priority.batch-shed-share", "priority: batch requests among the shed ones",
                        r.batchShedShare(), settings.number("hypothesis.priority.min-batch-shed-share")));
            });
            data.row("deadline").ifPresent(r -> checks.add(Check.atMost("deadline.wasted", "deadline: served after"
                    + " the caller's deadline, share of all served", r.wastedShare(),
                    settings.number("hypothesis.deadline.max-wasted"))));
            return checks;
        }

        /** The incident: the unbounded FIFO row (else the first), from its overload to its drain. */
        private Incident incident(QueueResult data) {
            RowResult worst = data.row("unbounded-fifo").orElse(data.rows().get(0));
            Instant start = timeline.events().stream().filter(e -> e.type().equals(OVERLOAD)
                    && worst.discipline().equals(e.values().get("discipline"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(timeline.events().get(0).at());
            double offered = 0;
            double good = 0;
            int after = 0;
            for (SecondRecord s : worst.seconds()) {
                if (s.phase().equals("hold") || s.phase().equals("return")) {
                    offered += s.figure(QueueFigures.OFFERED);
                    good += s.figure(QueueFigures.GOODPUT);
                    after++;
                }
            }
            return new Incident("queue overload at the bottom under " + settings.string("phase.hold-load") + " C ("
                    + worst.discipline() + ")", Math.max(0, offered - good), offered, start, start.plusSeconds(after),
                    Double.isInfinite(worst.drainSeconds()) ? "the backlog had not drained when the run moved on"
                    : "the backlog drained " + (long) worst.drainSeconds() + " s after the overload ended",
                    String.format(Locale.ROOT, "goodput %.0f%% of capacity at 2 C; backlog %.0f; %.0f%% of the work"
                            + " served was wasted", worst.holdGoodputShare() * 100, worst.backlog(),
                            worst.wastedShare() * 100), start, "runbooks/queue-overload.md",
                    List.of("Chain overview", "Queue overload"));
        }
    }

    private static String line(String row, SecondRecord s) {
        return String.format(Locale.ROOT, "[%-14s] %-8s %3ds  offered %4.0f/s  goodput %4.0f/s  p99ok %5.0f ms  queue %4.0f"
                        + "  served %4.0f/s  wasted %4.0f/s  shed %4.0f/s (batch %4.0f)",
                row, s.phase(), s.phaseSecond(), s.figure(QueueFigures.OFFERED), s.figure(QueueFigures.GOODPUT),
                s.figure(QueueFigures.P99_OK_MS), s.figure(QueueFigures.QUEUE), s.figure(QueueFigures.SERVED),
                s.figure(QueueFigures.WASTED), s.figure(QueueFigures.SHED), s.figure(QueueFigures.SHED_BATCH));
    }
}
