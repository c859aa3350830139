package dev.failurelab.lab.retrystorm;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.FaultControl;
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
import dev.failurelab.lab.experiment.Watches;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 11.1, the retry storm: under a constant open-loop load, each retry policy in turn (naive,
 * backoff, budget) goes through baseline → 50% errors on the bottom → fault cleared → observe.
 * The per-second figures come from the services' own meters; the hypotheses and the watched
 * thresholds from {@code retry-storm.properties}.
 *
 * <p>Stateless: each {@link #run} keeps its state in a {@link Experiment}. Every fault it sets has
 * a TTL just past its brownout; the platform clears faults and restores the {@code none} policy
 * however a run ends.
 */
public final class RetryStormLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/retry-storm.properties";
    /** The policies compared, in run order. */
    public static final List<String> POLICIES = List.of("naive", "backoff", "budget");

    /**
     * The lab's phases shortened for a run that proves every hypothesis in under 90 s with the
     * topology's start (its IT, and the exercise's lab-level check): 2 + 3 × (2 + 8) + 21 + 5 + 5 +
     * 3 × 1 s. Naive's observation is cut to 21 s, and its hypothesis with it to 20 s without
     * recovery (the storm still outlives its trigger by more than twice the brownout): with 31 s the
     * IT took about 100 s in CI.
     */
    public static final Map<String, String> SHORT_RUN = Map.of(
            "phase.warmup", "2s",
            "phase.baseline", "2s",
            "phase.brownout", "8s",
            "phase.observe.naive", "21s",
            "hypothesis.naive.min-unrecovered", "20s",
            "phase.observe.backoff", "5s",
            "phase.observe.budget", "5s",
            "phase.settle", "1s");
    /** The hops whose retry policy the lab switches. */
    static final List<String> CALLERS = List.of("edge", "middle");

    private static final RetryStormFigures FIGURES = new RetryStormFigures();

    @Override
    public String name() {
        return "retry-storm";
    }

    @Override
    public String title() {
        return "Retry storm (lab 11.1)";
    }

    @Override
    public String description() {
        return "50% errors on the bottom under naive retries, backoff and a retry budget; the storm outlives its trigger";
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
        return Map.of(Defences.RETRY_POLICY, CALLERS);
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new RetryStormDrill());
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
        private final FaultControl faults;
        private final URI edge;

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.faults = run.faults();
            this.edge = run.endpoints().url("edge");
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            Map<String, URI> scrape = new LinkedHashMap<>();
            for (String app : List.of("edge", "middle", "bottom")) {
                scrape.put(app, run.endpoints().management(app).resolve(AdminPaths.PROMETHEUS));
            }
            List<PolicyResult> results = new ArrayList<>();
            timeline.record(EventTimeline.RUN_STARTED, "retry-storm lab started", Map.of("load_rate",
                    settings.number("load.rate"), "fault_share", settings.number("fault.share")));
            try (PhaseRunner runner = new PhaseRunner(scrape)) {
                faults.clearAll();
                run.switchDefence(Defences.RETRY_POLICY, CALLERS, "none");
                run.progress("warm-up: " + settings.string("phase.warmup") + " at " + settings.string("load.rate")
                        + " req/s (not measured)");
                runner.run(load(), FIGURES, List.of(Phase.of("warmup", settings.duration("phase.warmup"))), s -> {
                });
                for (String policy : POLICIES) {
                    settle();
                    results.add(runPolicy(runner, policy));
                }
            }
            RetryStormResult data = new RetryStormResult(List.copyOf(results));
            String subtitle = "Started " + startedAt + ". Load " + settings.string("load.rate") + " req/s at the edge; "
                    + Math.round(settings.number("fault.share") * 100) + "% errors on the bottom for "
                    + settings.string("phase.brownout") + " (shaded).";
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(results), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        private PhaseRunner.SteadyLoad load() {
            return new PhaseRunner.SteadyLoad(edge.resolve(AdminPaths.CHAIN), settings.number("load.rate"),
                    settings.duration("load.timeout"), settings.integer("load.closed-loop-workers"));
        }

        private PolicyResult runPolicy(PhaseRunner runner, String policy) throws InterruptedException {
            Duration brownout = settings.duration("phase.brownout");
            Duration ttl = brownout.plus(settings.duration("fault.ttl-margin"));
            List<Phase> phases = List.of(
                    new Phase("baseline", settings.duration("phase.baseline"), () -> {
                        phaseStarted(policy, "baseline");
                        run.switchDefence(Defences.RETRY_POLICY, CALLERS, policy);
                    }),
                    new Phase("brownout", brownout, () -> {
                        phaseStarted(policy, "brownout");
                        faults.injectErrors("bottom", settings.number("fault.share"), settings.integer("fault.status"),
                                ttl);
                        timeline.record(EventTimeline.FAULT_INJECTED, "fault injected: " + Math.round(
                                settings.number("fault.share") * 100) + "% errors on the bottom", Map.of("proxy",
                                "bottom", "share", settings.number("fault.share"), "status",
                                settings.integer("fault.status"), "ttl_s", ttl.toSeconds()));
                    }),
                    new Phase("observe", settings.duration("phase.observe." + policy), () -> {
                        phaseStarted(policy, "observe");
                        faults.clearAll();
                        timeline.record(EventTimeline.FAULTS_CLEARED, "faults cleared", Map.of("policy", policy));
                    }));
            Watches watches = run.watches();
            Recovery recovery = new Recovery(policy);
            run.progress("policy " + policy + ": baseline " + settings.string("phase.baseline") + ", brownout "
                    + settings.string("phase.brownout") + " (" + Math.round(settings.number("fault.share") * 100)
                    + "% errors on the bottom), observe " + settings.string("phase.observe." + policy));
            Map<String, Long> lengths = new HashMap<>();
            phases.forEach(phase -> lengths.put(phase.name(), phase.duration().toSeconds()));
            PhaseRunner.Run measured = runner.run(load(), FIGURES, phases, second -> {
                run.progress(line(policy, second, lengths.getOrDefault(second.phase(), 0L)));
                Map<String, Object> values = values(policy, second);
                // The budget's tokens mean something only when the budget is in force.
                watches.observe(second.figures(), values, figure -> !figure.equals(RetryStormFigures.BUDGET_TOKENS)
                        || policy.equals("budget"));
                recovery.observe(second, values);
            });
            return summarize(policy, measured);
        }

        private void phaseStarted(String policy, String phase) {
            timeline.record(EventTimeline.PHASE_STARTED, policy + ": " + phase, Map.of("policy", policy, "phase", phase));
        }

        /** Records the moment edge success holds at {@code recovery.success} for the stable window. */
        private final class Recovery {
            private final String policy;
            private final double recoveredAt = settings.number("recovery.success");
            private final int stable = settings.integer("recovery.stable-seconds");
            private int healthyRun;
            private boolean recovered;

            Recovery(String policy) {
                this.policy = policy;
            }

            void observe(SecondRecord second, Map<String, Object> values) {
                if (second.phase().equals("observe") && !recovered) {
                    healthyRun = second.figure(RetryStormFigures.SUCCESS) >= recoveredAt ? healthyRun + 1 : 0;
                    if (healthyRun == stable) {
                        recovered = true;
                        timeline.record(EventTimeline.RECOVERED, policy + ": edge success back at or above "
                                + recoveredAt + " for " + stable + " s", values);
                    }
                }
            }
        }

        private PolicyResult summarize(String policy, PhaseRunner.Run measured) {
            List<SecondRecord> baseline = measured.phase("baseline");
            List<SecondRecord> brownout = measured.phase("brownout");
            List<SecondRecord> observe = measured.phase("observe");
            // Seconds whose bottom scrape failed (NaN) are left out of both sums alike.
            List<SecondRecord> known = brownout.stream()
                    .filter(s -> !Double.isNaN(s.figure(RetryStormFigures.BOTTOM_RPS))).toList();
            double edgeSum = sum(known, RetryStormFigures.EDGE_RPS);
            double bottomSum = sum(known, RetryStormFigures.BOTTOM_RPS);
            double peak = known.stream().mapToDouble(s -> s.figure(RetryStormFigures.AMPLIFICATION)).max().orElse(0);
            return new PolicyResult(policy, mean(baseline, RetryStormFigures.SUCCESS),
                    edgeSum == 0 ? 0 : bottomSum / edgeSum, peak, bottomSum / Math.max(1, known.size()),
                    mean(brownout, RetryStormFigures.SUCCESS), recovery(observe), observe.size(), measured.seconds());
        }

        /** Seconds after the brownout until success held for the stable window; null if it never did. */
        private Integer recovery(List<SecondRecord> observe) {
            double target = settings.number("recovery.success");
            int stable = settings.integer("recovery.stable-seconds");
            int healthy = 0;
            for (int i = 0; i < observe.size(); i++) {
                healthy = observe.get(i).figure(RetryStormFigures.SUCCESS) >= target ? healthy + 1 : 0;
                if (healthy == stable) {
                    return i + 1 - stable;
                }
            }
            return null;
        }

        private List<Check> checks(List<PolicyResult> results) {
            List<Check> checks = new ArrayList<>();
            for (PolicyResult r : results) {
                checks.add(Check.atLeast(r.policy() + ".baseline", "steady state before the fault: edge success ratio",
                        r.baselineSuccess(), settings.number("hypothesis.baseline-success")));
            }
            PolicyResult naive = find(results, "naive");
            PolicyResult backoff = find(results, "backoff");
            PolicyResult budget = find(results, "budget");
            checks.add(Check.atLeast("naive.amplification", "naive: bottom arrivals per edge request in the brownout",
                    naive.brownoutAmplification(), settings.number("hypothesis.naive.min-amplification")));
            checks.add(Check.atLeast("naive.unrecovered-s", "naive: the storm outlives its trigger (s not recovered)",
                    naive.recoveryLowerBound(), settings.duration("hypothesis.naive.min-unrecovered").toSeconds()));
            checks.add(Check.atMost("backoff.load-vs-naive", "backoff: bottom load in the brownout / naive's",
                    naive.brownoutBottomRate() == 0 ? 1 : backoff.brownoutBottomRate() / naive.brownoutBottomRate(),
                    settings.number("hypothesis.backoff.max-load-vs-naive")));
            checks.add(Check.atMost("budget.amplification", "budget: bottom arrivals per edge request in the brownout",
                    budget.brownoutAmplification(), settings.number("hypothesis.budget.max-amplification")));
            checks.add(Check.atMost("budget.recovery-s", "budget: seconds to recover after the brownout",
                    budget.recoveryLowerBound(), settings.duration("hypothesis.budget.max-recovery").toSeconds()));
            return List.copyOf(checks);
        }

        /** The incident is the naive policy's brownout and what followed it, until recovery or the next policy. */
        private Incident incident(RetryStormResult data) {
            PolicyResult naive = find(data.policies(), "naive");
            double failed = 0;
            double total = 0;
            for (SecondRecord second : naive.seconds()) {
                if (second.phase().equals("brownout") || second.phase().equals("observe")) {
                    double rps = second.figure(RetryStormFigures.EDGE_RPS);
                    double success = second.figure(RetryStormFigures.SUCCESS);
                    if (!Double.isNaN(rps) && !Double.isNaN(success)) {
                        total += rps;
                        failed += rps * (1 - success);
                    }
                }
            }
            List<EventTimeline.Event> events = timeline.events();
            Instant trigger = events.stream().filter(e -> e.type().equals(EventTimeline.FAULT_INJECTED))
                    .map(EventTimeline.Event::at).findFirst().orElse(events.get(0).at());
            Instant recovered = events.stream().filter(e -> e.type().equals(EventTimeline.RECOVERED)
                    && "naive".equals(e.values().get("policy"))).map(EventTimeline.Event::at).findFirst().orElse(null);
            Instant nextPolicy = events.stream().filter(e -> e.at().isAfter(trigger)
                    && e.type().equals(EventTimeline.DEFENCE_SWITCHED) && !"naive".equals(e.values().get("policy")))
                    .map(EventTimeline.Event::at).findFirst().orElse(events.get(events.size() - 1).at());
            String peak = String.format(Locale.ROOT, "amplification %.2fx at the bottom (%.2fx on average over the"
                            + " brownout); edge success %.1f%% during the brownout", naive.peakAmplification(),
                    naive.brownoutAmplification(), naive.brownoutSuccess() * 100);
            return new Incident("retry storm after " + Math.round(settings.number("fault.share") * 100)
                    + "% errors on the bottom", failed, total, trigger, recovered != null ? recovered : nextPolicy,
                    recovered != null ? "recovered by itself" : "not recovered when the observation ended", peak, trigger,
                    "runbooks/retry-storm.md", List.of("Chain overview", "Retry storm"));
        }

        /** Clears the fault, restores one-attempt calls and lets queues drain with no load. */
        private void settle() throws InterruptedException {
            faults.clearAll();
            run.settle(() -> run.switchDefence(Defences.RETRY_POLICY, CALLERS, "none"),
                    settings.duration("phase.settle"), edge.resolve(AdminPaths.CHAIN));
        }
    }

    private static Map<String, Object> values(String policy, SecondRecord second) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("policy", policy);
        values.put("phase", second.phase());
        for (String figure : List.of(RetryStormFigures.EDGE_RPS, RetryStormFigures.SUCCESS,
                RetryStormFigures.AMPLIFICATION, RetryStormFigures.BOTTOM_RPS, RetryStormFigures.P99_MS)) {
            double value = second.figure(figure);
            values.put(figure, Double.isNaN(value) ? Double.NaN : Math.round(value * 1000) / 1000.0);
        }
        return values;
    }

    private static PolicyResult find(List<PolicyResult> results, String policy) {
        return results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElseThrow();
    }

    private static String line(String policy, SecondRecord s, long phaseSeconds) {
        return String.format(Locale.ROOT,
                "[%-7s] %-8s %3d/%ds  edge %4.0f/s  success %5.1f%%  p99 %6.0f ms  bottom %4.0f/s  amp %5.2fx  retries %4.0f/s  tokens %5.1f  queue %3.0f",
                policy, s.phase(), s.phaseSecond(), phaseSeconds, s.figure(RetryStormFigures.EDGE_RPS),
                s.figure(RetryStormFigures.SUCCESS) * 100, s.figure(RetryStormFigures.P99_MS),
                s.figure(RetryStormFigures.BOTTOM_RPS), s.figure(RetryStormFigures.AMPLIFICATION),
                s.figure(RetryStormFigures.RETRIES_RPS), s.figure(RetryStormFigures.BUDGET_TOKENS),
                s.figure(RetryStormFigures.BOTTOM_QUEUE));
    }

    private static double sum(List<SecondRecord> seconds, String figure) {
        return seconds.stream().mapToDouble(s -> s.figure(figure)).sum();
    }

    private static double mean(List<SecondRecord> seconds, String figure) {
        return seconds.isEmpty() ? 0 : sum(seconds, figure) / seconds.size();
    }
}
