package dev.failurelab.lab.retrystorm;

import dev.failurelab.contract.FaultControl;
import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.experiment.Phase;
import dev.failurelab.lab.experiment.PhaseRunner;
import dev.failurelab.lab.experiment.SecondRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lab 11.1, the retry storm: under a constant open-loop load, each retry policy in turn (naive,
 * backoff, budget) goes through baseline → 50% errors on the bottom → fault cleared → observe.
 * The per-second figures come from the services' own meters; the hypotheses from
 * {@code retry-storm.properties}.
 *
 * <p>Not thread-safe: one run at a time. Every fault it sets has a TTL just past its brownout,
 * and {@link #run()} clears faults and restores the {@code none} policy however it ends.
 */
public final class RetryStormLab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/retry-storm.properties";
    /** The policies compared, in run order. */
    public static final List<String> POLICIES = List.of("naive", "backoff", "budget");

    private static final RetryStormFigures FIGURES = new RetryStormFigures();

    private final LabDefaults settings;
    private final RetryStormTargets targets;
    private final Consumer<String> progress;
    private final AdminHttp http = new AdminHttp();
    private final FaultControl faults;
    private final EventTimeline timeline = new EventTimeline();

    /**
     * @param settings the lab's defaults with any overrides
     * @param targets  where the chain runs
     * @param progress receives one line per second and per phase (the CLI prints them)
     */
    public RetryStormLab(LabDefaults settings, RetryStormTargets targets, Consumer<String> progress) {
        this.settings = settings;
        this.targets = targets;
        this.progress = progress;
        this.faults = new FaultControl(targets.control());
    }

    public RetryStormResult run() throws InterruptedException {
        Instant startedAt = Instant.now();
        PhaseRunner runner = new PhaseRunner(Map.of("edge", metrics(targets.edge()), "middle",
                metrics(targets.middle()), "bottom", metrics(targets.bottom())));
        List<PolicyResult> results = new ArrayList<>();
        timeline.record(EventTimeline.RUN_STARTED, "retry-storm lab started", Map.of("load_rate",
                settings.number("load.rate"), "fault_share", settings.number("fault.share")));
        try {
            faults.clearAll();
            switchPolicy("none");
            progress.accept("warm-up: " + settings.string("phase.warmup") + " at " + settings.string("load.rate")
                    + " req/s (not measured)");
            runner.run(load(), FIGURES, List.of(Phase.of("warmup", settings.duration("phase.warmup"))), s -> {
            });
            for (String policy : POLICIES) {
                settle();
                results.add(runPolicy(runner, policy));
            }
        } finally {
            // Best effort for the policy: a hop still draining a storm must not hide the run's own error.
            runner.close();
            faults.clearAll();
            timeline.record(EventTimeline.FAULTS_CLEARED, "faults cleared at the end of the run", Map.of());
            restoreNonePolicy(targets);
            timeline.record(EventTimeline.POLICY_SWITCHED, "retry policy restored to none on edge and middle",
                    Map.of("policy", "none"));
            timeline.record(EventTimeline.RUN_FINISHED, "retry-storm lab finished", Map.of());
        }
        return new RetryStormResult(startedAt, settings.all(), List.copyOf(results), checks(results));
    }

    private PhaseRunner.SteadyLoad load() {
        return new PhaseRunner.SteadyLoad(targets.edge().resolve("/api/chain"), settings.number("load.rate"),
                settings.duration("load.timeout"));
    }

    private PolicyResult runPolicy(PhaseRunner runner, String policy) throws InterruptedException {
        Duration brownout = settings.duration("phase.brownout");
        Duration ttl = brownout.plus(settings.duration("fault.ttl-margin"));
        List<Phase> phases = List.of(
                new Phase("baseline", settings.duration("phase.baseline"), () -> {
                    phaseStarted(policy, "baseline");
                    switchPolicy(policy);
                }),
                new Phase("brownout", brownout, () -> {
                    phaseStarted(policy, "brownout");
                    faults.injectErrors("bottom", settings.number("fault.share"), settings.integer("fault.status"), ttl);
                    timeline.record(EventTimeline.FAULT_INJECTED, "fault injected: " + Math.round(
                            settings.number("fault.share") * 100) + "% errors on the bottom", Map.of("proxy", "bottom",
                            "share", settings.number("fault.share"), "status", settings.integer("fault.status"),
                            "ttl_s", ttl.toSeconds()));
                }),
                new Phase("observe", settings.duration("phase.observe." + policy), () -> {
                    phaseStarted(policy, "observe");
                    faults.clearAll();
                    timeline.record(EventTimeline.FAULTS_CLEARED, "faults cleared", Map.of("policy", policy));
                }));
        Watches watches = new Watches(policy);
        progress.accept("policy " + policy + ": baseline " + settings.string("phase.baseline") + ", brownout "
                + settings.string("phase.brownout") + " (" + Math.round(settings.number("fault.share") * 100)
                + "% errors on the bottom), observe " + settings.string("phase.observe." + policy));
        Map<String, Long> lengths = new java.util.HashMap<>();
        phases.forEach(phase -> lengths.put(phase.name(), phase.duration().toSeconds()));
        PhaseRunner.Run run = runner.run(load(), FIGURES, phases, second -> {
            progress.accept(line(policy, second, lengths.getOrDefault(second.phase(), 0L)));
            watches.observe(second);
        });
        return summarize(policy, run);
    }

    /** What happened during the run, for its report and the post-incident lab. */
    public EventTimeline timeline() {
        return timeline;
    }

    private void phaseStarted(String policy, String phase) {
        timeline.record(EventTimeline.PHASE_STARTED, policy + ": " + phase, Map.of("policy", policy, "phase", phase));
    }

    /** The thresholds of a retry storm, watched each second of one policy's run. */
    private final class Watches {
        private final String policy;
        private final EventTimeline.Threshold amplification;
        private final EventTimeline.Threshold errors;
        private final EventTimeline.Threshold budget;
        private final double recoveredAt = settings.number("recovery.success");
        private final int stable = settings.integer("recovery.stable-seconds");
        private int healthyRun;
        private boolean recovered;

        Watches(String policy) {
            this.policy = policy;
            this.amplification = timeline.threshold("amplification", "bottom arrivals per edge request above 2",
                    v -> v > 2);
            this.errors = timeline.threshold("error_ratio", "edge error ratio above 5%", v -> v > 0.05);
            this.budget = timeline.threshold("budget_exhausted", "retry budget exhausted (under 1 token)",
                    v -> v < 1);
        }

        void observe(SecondRecord second) {
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("policy", policy);
            values.put("phase", second.phase());
            values.put("edge_rps", round(second.figure(RetryStormFigures.EDGE_RPS)));
            values.put("success", round(second.figure(RetryStormFigures.SUCCESS)));
            values.put("amplification", round(second.figure(RetryStormFigures.AMPLIFICATION)));
            values.put("bottom_rps", round(second.figure(RetryStormFigures.BOTTOM_RPS)));
            values.put("p99_ms", round(second.figure(RetryStormFigures.P99_MS)));
            amplification.observe(second.figure(RetryStormFigures.AMPLIFICATION), values);
            errors.observe(1 - second.figure(RetryStormFigures.SUCCESS), values);
            if (policy.equals("budget")) {
                budget.observe(second.figure(RetryStormFigures.BUDGET_TOKENS), values);
            }
            if (second.phase().equals("observe") && !recovered) {
                healthyRun = second.figure(RetryStormFigures.SUCCESS) >= recoveredAt ? healthyRun + 1 : 0;
                if (healthyRun == stable) {
                    recovered = true;
                    timeline.record(EventTimeline.RECOVERED, policy + ": edge success back at or above "
                            + recoveredAt + " for " + stable + " s", values);
                }
            }
        }

        private static double round(double value) {
            return Double.isNaN(value) ? Double.NaN : Math.round(value * 1000) / 1000.0;
        }
    }

    private PolicyResult summarize(String policy, PhaseRunner.Run run) {
        List<SecondRecord> baseline = run.phase("baseline");
        List<SecondRecord> brownout = run.phase("brownout");
        List<SecondRecord> observe = run.phase("observe");
        // Seconds whose bottom scrape failed (NaN) are left out of both sums alike.
        List<SecondRecord> known = brownout.stream()
                .filter(s -> !Double.isNaN(s.figure(RetryStormFigures.BOTTOM_RPS))).toList();
        double edge = sum(known, RetryStormFigures.EDGE_RPS);
        double bottom = sum(known, RetryStormFigures.BOTTOM_RPS);
        double peak = known.stream().mapToDouble(s -> s.figure(RetryStormFigures.AMPLIFICATION)).max().orElse(0);
        return new PolicyResult(policy, mean(baseline, RetryStormFigures.SUCCESS), edge == 0 ? 0 : bottom / edge, peak,
                bottom / Math.max(1, known.size()), mean(brownout, RetryStormFigures.SUCCESS), recovery(observe),
                observe.size(), run.seconds());
    }

    /** Seconds after the brownout until success held for the stable window; null if it never did. */
    private Integer recovery(List<SecondRecord> observe) {
        double target = settings.number("recovery.success");
        int stable = settings.integer("recovery.stable-seconds");
        int run = 0;
        for (int i = 0; i < observe.size(); i++) {
            run = observe.get(i).figure(RetryStormFigures.SUCCESS) >= target ? run + 1 : 0;
            if (run == stable) {
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

    private static PolicyResult find(List<PolicyResult> results, String policy) {
        return results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElseThrow();
    }

    /** Clears the fault, restores one-attempt calls and lets queues drain with no load. */
    private void settle() throws InterruptedException {
        faults.clearAll();
        // A hop still saturated by a storm may answer late: keep asking while its backlog drains.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                switchPolicy("none");
                break;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                progress.accept("waiting for the hops to drain: " + e.getMessage());
                Thread.sleep(1000);
            }
        }
        Thread.sleep(settings.duration("phase.settle").toMillis());
        awaitHealthy(deadline);
    }

    /** Waits until the chain answers 5 requests in a row, each within a second. */
    private void awaitHealthy(long deadline) throws InterruptedException {
        URI chain = targets.edge().resolve("/api/chain");
        int healthy = 0;
        while (healthy < 5) {
            healthy = http.status(chain, Duration.ofSeconds(1)) == 200 ? healthy + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the chain did not return to a healthy state before the next policy");
            }
            Thread.sleep(100);
        }
    }

    /** Best effort: every hop back to one attempt per call (used when a run is interrupted). */
    public static void restoreNonePolicy(RetryStormTargets targets) {
        AdminHttp http = new AdminHttp();
        for (URI hop : List.of(targets.edge(), targets.middle())) {
            try {
                http.send("PUT", hop.resolve("/admin/retry-policy"), "{\"policy\":\"none\"}");
            } catch (RuntimeException ignored) {
                // the hop is gone or saturated; it starts with none when it comes back
            }
        }
    }

    private void switchPolicy(String policy) {
        String body = "{\"policy\":\"" + policy + "\"}";
        http.send("PUT", targets.edge().resolve("/admin/retry-policy"), body);
        http.send("PUT", targets.middle().resolve("/admin/retry-policy"), body);
        timeline.record(EventTimeline.POLICY_SWITCHED, "retry policy switched to " + policy + " on edge and middle",
                Map.of("policy", policy));
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

    private static URI metrics(URI base) {
        return base.resolve("/actuator/prometheus");
    }

    private static double sum(List<SecondRecord> seconds, String figure) {
        return seconds.stream().mapToDouble(s -> s.figure(figure)).sum();
    }

    private static double mean(List<SecondRecord> seconds, String figure) {
        return seconds.isEmpty() ? 0 : sum(seconds, figure) / seconds.size();
    }
}
