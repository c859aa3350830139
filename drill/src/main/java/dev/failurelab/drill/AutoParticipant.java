package dev.failurelab.drill;

import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.observability.ObservabilityFiles;
import dev.failurelab.observability.PrometheusServer;
import dev.failurelab.observability.Runbook;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The scripted participant of {@code ./lab drill --auto} and of the runbook tests: an on-call
 * engineer who knows nothing but the alerts and the runbooks. It waits for an alert that a runbook's
 * Detection names (pages before tickets; info alerts are hints, not diagnoses), runs that runbook's
 * detection queries, declares its failure mode through the drill's control API, as {@code ./lab drill
 * declare} does, then runs the commands of its Immediate actions exactly as written, in order, from
 * the project's folder. Each step is on the drill's timeline.
 *
 * <p>When the alerts of several runbooks fire, it triages: a runbook with a triage query (its
 * Detection's {@code ```promql triage} block, the trigger it is about) is followed only while that
 * query has a result.
 *
 * <p>It acts once the failure has hurt the users (the drill's status reports the impact: the SLO's
 * burn at its threshold), or {@code impactWait} after the page if it has not: a participant acting
 * within the second of a cause-based page (a mass eviction, a query spike) can avert the outage before
 * it starts, and a runbook test would then prove nothing about the runbook fixing it.
 *
 * <p>With {@code restartFirst} it has the blunt reflex: it restarts every service before it follows
 * its runbook (scored as a blunt action).
 */
final class AutoParticipant implements Runnable {

    private final PrometheusServer prometheus;
    private final URI control;
    private final List<Runbook> runbooks;
    private final Map<String, String> severities = new HashMap<>();
    private final Path root;
    private final Duration commandTimeout;
    private final Duration impactWait;
    private final Duration triageWait;
    private final boolean restartFirst;
    private final EventTimeline timeline;
    private final Consumer<String> console;

    AutoParticipant(PrometheusServer prometheus, URI control, List<Runbook> runbooks, ObservabilityFiles files,
            Path root, Duration commandTimeout, Duration impactWait, Duration triageWait, boolean restartFirst, EventTimeline timeline,
            Consumer<String> console) {
        this.prometheus = prometheus;
        this.control = control;
        this.runbooks = runbooks;
        this.root = root;
        this.commandTimeout = commandTimeout;
        this.impactWait = impactWait;
        this.triageWait = triageWait;
        this.restartFirst = restartFirst;
        this.timeline = timeline;
        this.console = console;
        severities.putAll(files.alertSeverities());
    }

    @Override
    public void run() {
        try {
            Runbook runbook = diagnose();
            awaitImpact();
            if (restartFirst) {
                DrillControl.Answer restarted = DrillControl.call(control, "/drill/restarts", Map.of("app", "all"),
                        Duration.ofMinutes(2));
                timeline.record(Drill.NOTE, "auto: ./lab drill restart all -> " + restarted.message(), Map.of());
                console.accept("auto: ./lab drill restart all -> " + restarted.message());
            }
            List<String> queries = new java.util.ArrayList<>(runbook.detectionQueries());
            runbook.triageQuery().ifPresent(queries::add);
            for (String query : queries) {
                int series = prometheus.query(query).path("data").path("result").size();
                record("detection query of runbooks/" + runbook.failureMode() + ".md: " + series + " series",
                        query, 0, series + " series");
            }
            DrillControl.Answer answer = DrillControl.call(control, "/drill/declarations",
                    Map.of("failureMode", runbook.failureMode()));
            console.accept("auto: ./lab drill declare " + runbook.failureMode() + " -> " + answer.message());
            for (String command : runbook.immediateCommands()) {
                ExternalTool.Result result = ExternalTool.shell(root, Map.of(), commandTimeout, command);
                String output = result.output().strip();
                record("ran: " + command + " (exit " + result.exitCode() + ")", command, result.exitCode(),
                        output.length() > 400 ? output.substring(0, 400) + "…" : output);
                console.accept("auto$ " + command + "  -> exit " + result.exitCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            timeline.record(Drill.NOTE, "the scripted participant stopped: " + e.getMessage(), Map.of());
        }
    }

    /**
     * Waits for an alert a runbook names; that runbook. When the alerts of several runbooks fire (a
     * burn-rate page fires in most failures), a runbook with a triage query qualifies only while its
     * query has a result: the trigger it is about, not the symptoms they share. Of the qualified
     * runbooks, the one with the most weight of its alerts firing (a page 2, a ticket 1). If none
     * qualifies for {@code triageWait} after the first page, the heaviest on alerts alone.
     */
    private Runbook diagnose() throws IOException, InterruptedException {
        long firstAlert = 0;
        while (true) {
            List<String> firing = prometheus.firingAlerts();
            Runbook best = null;
            Runbook bestOnAlerts = null;
            int bestScore = 0;
            int bestOnAlertsScore = 0;
            for (Runbook runbook : runbooks) {
                int score = score(runbook, firing);
                if (score > bestOnAlertsScore) {
                    bestOnAlerts = runbook;
                    bestOnAlertsScore = score;
                }
                if (score > bestScore && qualifies(runbook)) {
                    best = runbook;
                    bestScore = score;
                }
            }
            if (bestOnAlerts != null && firstAlert == 0) {
                firstAlert = System.nanoTime();
            }
            if (best == null && bestOnAlerts != null && System.nanoTime() - firstAlert >= triageWait.toNanos()) {
                timeline.record(Drill.NOTE, "auto: no runbook's triage matched within " + triageWait.toSeconds()
                        + " s; going by the alerts", Map.of("participant", "auto"));
                best = bestOnAlerts;
            }
            if (best != null) {
                timeline.record(Drill.NOTE, "auto: " + String.join(", ", firing) + " firing; following runbooks/"
                        + best.failureMode() + ".md" + best.triageQuery().map(q -> " (its triage query has a result)")
                        .orElse(""), Map.of("participant", "auto"));
                return best;
            }
            Thread.sleep(1000);
        }
    }

    /** The weight of a runbook's alerts firing: a page 2, a ticket 1, info nothing. */
    private int score(Runbook runbook, List<String> firing) {
        int score = 0;
        for (String alert : runbook.alerts()) {
            if (firing.contains(alert)) {
                score += switch (severities.getOrDefault(alert, "info")) {
                    case "page" -> 2;
                    case "ticket" -> 1;
                    default -> 0;
                };
            }
        }
        return score;
    }

    /** Its triage query, if it has one, has a result now. */
    private boolean qualifies(Runbook runbook) throws IOException, InterruptedException {
        java.util.Optional<String> triage = runbook.triageQuery();
        return triage.isEmpty() || prometheus.query(triage.get()).path("data").path("result").size() > 0;
    }

    /** Until the drill reports the impact, at most {@code impactWait}. */
    private void awaitImpact() throws InterruptedException {
        long deadline = System.nanoTime() + impactWait.toNanos();
        while (!DrillControl.call(control, "/drill", null).body().path("impact").asBoolean(false)) {
            if (System.nanoTime() - deadline >= 0) {
                timeline.record(Drill.NOTE, "auto: no impact " + impactWait.toSeconds() + " s after the page; acting"
                        + " anyway", Map.of("participant", "auto"));
                return;
            }
            Thread.sleep(500);
        }
    }

    private void record(String message, String command, int exit, String output) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("command", command);
        values.put("exit", exit);
        values.put("output", output);
        timeline.record(Drill.COMMAND_RUN, message, values);
    }
}
