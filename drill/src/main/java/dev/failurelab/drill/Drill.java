package dev.failurelab.drill;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenario.Injection;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.EventType;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.observability.ObservabilityFiles;
import dev.failurelab.observability.PrometheusServer;
import dev.failurelab.observability.Runbook;
import dev.failurelab.topology.LabSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * One chaos drill: a failure mode drawn from the {@link DrillCatalogue} by a seed, its lab's
 * topology started with a real Prometheus evaluating the workshop's alert rules, the usual load,
 * then at a drawn moment the hidden trigger. The clock runs from the trigger; the drill watches the
 * SLO's burn rate, the alerts and the defences each second, takes the participant's declarations on
 * its {@link DrillControl}, and ends when the incident is mitigated (the burn under its threshold
 * long enough after the impact) or a stop condition holds (the burn too high too long, or too long
 * in all). Then it rolls back (faults cleared, defences restored, the topology stopped) and reveals
 * the fault. Every number is in {@code drill.properties}.
 *
 * <p>One drill per instance, run from one thread; {@link #stop} from any (Ctrl-C).
 */
public final class Drill {

    public static final String DEFAULTS = "/drill.properties";

    public static final EventType DRILL_STARTED = EventType.of("drill_started");
    public static final EventType ALERT_FIRED = EventTimeline.ALERT_FIRED;
    public static final EventType ALERT_RESOLVED = EventType.of("alert_resolved");
    public static final EventType DECLARED = EventType.of("declared");
    public static final EventType NOTE = EventType.of("note");
    public static final EventType COMMAND_RUN = EventType.of("command_run");
    public static final EventType IMPACT = EventType.of("impact");
    public static final EventType BLUNT_ACTION = EventType.of("blunt_action");
    public static final EventType RESTART_ASKED = EventType.of("restart_asked");
    public static final EventType RESTARTED = EventType.of("restarted");
    public static final EventType MITIGATED = EventType.of("mitigated");
    public static final EventType STOPPED = EventType.of("stopped");
    public static final EventType REVEALED = EventType.of("revealed");

    /**
     * How to run a drill.
     *
     * @param seed        draws the failure mode, its severity and timing
     * @param modes       the failure modes it may draw from (all when empty)
     * @param participant the name on the scoreboard
     * @param auto        the scripted participant follows the runbooks
     * @param forTests    resolve servers as the tests do
     * @param overrides   settings of {@code drill.properties}
     * @param root        the project's folder (runbooks, observability, scripts)
     */
    public record Options(long seed, List<String> modes, String participant, boolean auto, boolean forTests,
            Map<String, String> overrides, Path root) {
    }

    private final Options options;
    private final LabDefaults settings;
    private final DrillCatalogue catalogue;
    private final Consumer<String> console;
    /** Declarations as they arrive, with their time, for the drill's loop to score. */
    private final ConcurrentLinkedQueue<Map.Entry<String, Instant>> declarations = new ConcurrentLinkedQueue<>();
    private volatile LabSession session;
    private volatile EventTimeline timeline;
    private volatile String phase = "starting";
    private volatile Instant startedAt;
    /** The SLO's burn rate last measured (NaN before the trigger), and whether the incident has hurt yet. */
    private volatile double burnNow = Double.NaN;
    private volatile boolean impact;

    /**
     * A drill, its settings checked.
     *
     * @throws IllegalArgumentException naming a bad setting or failure mode
     */
    public Drill(Options options, Consumer<String> console) {
        this.options = options;
        this.settings = settings(options.overrides());
        this.catalogue = DrillCatalogue.of(LabRegistry.load().all(), runbooks(options.root()));
        this.console = console;
        for (String mode : options.modes()) {
            if (!catalogue.failureModes().contains(mode)) {
                throw new IllegalArgumentException("--mode: no failure mode '" + mode + "' in the catalogue ("
                        + String.join(", ", catalogue.failureModes()) + ")");
            }
        }
    }

    /** {@code drill.properties} with {@code overrides}, checked. */
    public static LabDefaults settings(Map<String, String> overrides) {
        LabDefaults settings = LabDefaults.load(DEFAULTS).with(overrides);
        for (String key : List.of("warmup", "trigger.delay-min", "trigger.delay-max", "burn.window", "mitigated.for",
                "stop.for", "stop.after", "restart.group", "restart.wait", "prometheus.scrape-interval", "auto.command-timeout", "auto.impact-wait", "auto.triage-wait")) {
            if (settings.duration(key).isNegative() || settings.duration(key).isZero() && !key.startsWith("trigger")) {
                throw new IllegalArgumentException("setting '" + key + "' must be a positive duration");
            }
        }
        settings.flag("auto.restart-first");
        double objective = settings.number("slo.objective");
        if (!(objective > 0 && objective < 1)) {
            throw new IllegalArgumentException("setting 'slo.objective' must be between 0 and 1, got " + objective);
        }
        return settings;
    }

    /** The runbook library of the project at {@code root}. */
    public static Path runbooks(Path root) {
        return root.resolve("runbooks");
    }

    public DrillCatalogue catalogue() {
        return catalogue;
    }

    public LabDefaults settings() {
        return settings;
    }

    /** The drill's events (for its report), once it has started. */
    public EventTimeline timeline() {
        return timeline;
    }

    /**
     * Runs the drill to its end, then rolls back.
     *
     * @throws IllegalStateException if Prometheus is not installed, or the topology cannot start
     */
    public DrillResult run() throws InterruptedException, IOException {
        // SplittableRandom: java.util.Random's first draws from nearby seeds are alike.
        java.util.random.RandomGenerator random = new java.util.SplittableRandom(options.seed());
        DrillCatalogue.Entry entry = catalogue.draw(random, options.modes());
        console.accept("chaos drill, seed " + options.seed() + ": one of " + String.join(", ", options.modes().isEmpty()
                ? catalogue.failureModes() : options.modes()) + " will happen; the fault is hidden.");
        return inLab(entry, (run, prometheus) -> {
            try (DrillControl control = DrillControl.start(settings.integer("control.port"), catalogue.failureModes(),
                    new Control())) {
                console.accept("  the drill's control API: " + control.url() + " (./lab drill declare <failure-mode>,"
                        + " ./lab drill note \"…\", ./lab drill status)");
                return new Live(run, entry, random, prometheus, control).run();
            }
        });
    }

    /**
     * Runs a Chaos Toolkit experiment ({@link ChaosExperiment}) in the lab of the failure mode its
     * tags name, behind that lab's usual drill load, with the lab's Prometheus as its
     * {@code prometheus_url}; then rolls back.
     *
     * @param vars configuration values that replace the experiment's, as {@code chaos run --var}
     * @return Chaos Toolkit's journal of the run
     * @throws IllegalArgumentException naming what is wrong with the experiment
     */
    public tools.jackson.databind.node.ObjectNode runExperiment(tools.jackson.databind.JsonNode experiment,
            Map<String, String> vars) throws InterruptedException, IOException {
        List<String> problems = ChaosExperiment.validate(experiment);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the experiment is not valid: " + String.join("; ", problems));
        }
        List<String> modes = new ArrayList<>();
        experiment.path("tags").forEach(tag -> {
            if (catalogue.failureModes().contains(tag.asString(""))) {
                modes.add(tag.asString());
            }
        });
        if (modes.size() != 1) {
            throw new IllegalArgumentException("the experiment's tags must name one failure mode of the catalogue ("
                    + String.join(", ", catalogue.failureModes()) + "), not " + modes);
        }
        DrillCatalogue.Entry entry = catalogue.draw(new java.util.SplittableRandom(options.seed()), modes);
        console.accept("experiment: " + experiment.path("title").asString() + " (the " + entry.lab().name()
                + " lab, behind its usual load)");
        return inLab(entry, (run, prometheus) -> {
            timeline = run.timeline();
            dev.failurelab.lab.load.RunningLoad load = startLoad(run, entry.scenario(), Duration.ofHours(1));
            try {
                Thread.sleep(settings.duration("warmup").toMillis());
                Map<String, String> all = new LinkedHashMap<>();
                all.put("prometheus_url", prometheus.url().toString().replaceAll("/$", ""));
                all.putAll(vars);
                return new ExperimentRunner(options.root(), console).run(experiment, all);
            } finally {
                load.close();
            }
        });
    }

    /** What runs in a lab with its Prometheus. */
    private interface InLab<T> {
        T run(LabRun run, PrometheusServer prometheus) throws InterruptedException, IOException;
    }

    /** Starts {@code entry}'s lab and a Prometheus over it, runs {@code body}, then stops both. */
    private <T> T inLab(DrillCatalogue.Entry entry, InLab<T> body) throws InterruptedException, IOException {
        ExternalTool.require("prometheus");
        LabDefaults labSettings = LabDefaults.load(entry.lab().defaults());
        Path work = java.nio.file.Files.createTempDirectory("drill-prometheus");
        session = LabSession.start(entry.lab(), labSettings, entry.lab().topology(), options.forTests());
        session.servers().forEach(server -> console.accept("  " + server));
        PrometheusServer prometheus;
        try {
            prometheus = PrometheusServer.start(List.of(session.topology()),
                    new ObservabilityFiles(options.root().resolve("observability")), work,
                    settings.duration("prometheus.scrape-interval"), settings.number("prometheus.time-scale"));
        } catch (IOException | RuntimeException e) {
            session.cleanup();
            deleteQuietly(work);
            throw e;
        }
        console.accept("  Prometheus (alerts, the SLO's burn): " + prometheus.url());
        try (prometheus) {
            IOException[] failed = new IOException[1];
            T result = session.run(console, run -> {
                try {
                    return body.run(run, prometheus);
                } catch (IOException e) {
                    failed[0] = e;
                    return null;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            return result;
        } finally {
            deleteQuietly(work);
        }
    }

    /** Starts {@code scenario}'s usual load for at most {@code duration}; a failure that ends it goes on the timeline. */
    private dev.failurelab.lab.load.RunningLoad startLoad(LabRun run, DrillScenario scenario, Duration duration) {
        return scenario.startLoad(run, duration, e -> {
            timeline.record(NOTE, "the drill's load stopped: " + e.getMessage(), Map.of());
            console.accept("the drill's load stopped: " + e);
        });
    }

    private static void deleteQuietly(Path folder) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temporary folder: the system's clean-up takes what is left
        }
    }

    /** Ends a running drill from another thread (Ctrl-C): rolls back at once. */
    public void stop() {
        LabSession running = session;
        if (running != null) {
            running.stop(Duration.ofSeconds(5));
        }
    }

    /** What the control API does. */
    private final class Control implements DrillControl.Listener {
        @Override
        public String declared(String failureMode) {
            EventTimeline events = timeline;
            if (events != null) {
                events.record(DECLARED, "declared: " + failureMode, Map.of("failureMode", failureMode,
                        "participant", options.participant()));
            }
            declarations.add(Map.entry(failureMode, Instant.now()));
            return "declared " + failureMode + " at " + elapsed() + " (scored when the drill ends)";
        }

        @Override
        public String noted(String text) {
            EventTimeline events = timeline;
            if (events == null) {
                return "the drill has not started yet";
            }
            events.record(NOTE, text, Map.of("participant", options.participant()));
            return "noted at " + elapsed();
        }

        @Override
        public String restart(String app) {
            LabSession running = session;
            EventTimeline events = timeline;
            if (running == null || events == null) {
                return "the drill has not started yet";
            }
            Map<String, java.net.URI> instances = dev.failurelab.lab.topology.Restarts.instances(running.endpoints(),
                    List.of(app));
            Map<String, Double> before = dev.failurelab.lab.topology.Restarts.startTimes(instances);
            String asked = elapsed();
            dev.failurelab.lab.topology.Restarts.request(instances);
            events.record(RESTART_ASKED, "restart asked: " + app + " (" + String.join(", ", instances.keySet()) + ")",
                    Map.of("app", app, "participant", options.participant()));
            try {
                return "restart asked at " + asked + ": " + String.join("; ", dev.failurelab.lab.topology.Restarts
                        .await(instances, before, settings.duration("restart.wait")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "restart asked at " + asked + "; interrupted while waiting for the services";
            }
        }

        @Override
        public Map<String, Object> status() {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("phase", phase);
            status.put("elapsed", elapsed());
            status.put("participant", options.participant());
            status.put("seed", options.seed());
            status.put("failureModes", catalogue.failureModes());
            double burn = burnNow;
            if (!Double.isNaN(burn)) {
                status.put("burn", round(burn));
            }
            status.put("impact", impact);
            return status;
        }
    }

    private String elapsed() {
        Instant start = startedAt;
        return start == null ? "00:00" : clock(Duration.between(start, Instant.now()));
    }

    static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    /** One drill's live part, on the lab's run. */
    private final class Live {
        private final LabRun run;
        private final DrillCatalogue.Entry entry;
        private final DrillScenario scenario;
        private final java.util.random.RandomGenerator random;
        private final PrometheusServer prometheus;
        private final DrillControl control;
        private final Map<String, Defence> gauges = new LinkedHashMap<>();
        private final List<DrillResult.Second> seconds = new ArrayList<>();
        private final List<DrillResult.Declaration> declared = new ArrayList<>();
        private final List<String> alertsFired = new ArrayList<>();
        private final List<String> blunt = new ArrayList<>();
        /** Each instance's start time last seen (by role@instance), and when each last restarted. */
        private final Map<String, Double> startTimes = new LinkedHashMap<>();
        private final Map<String, Instant> restartedAt = new LinkedHashMap<>();
        private Instant lastRestartAction;
        private double loadRate;

        Live(LabRun run, DrillCatalogue.Entry entry, java.util.random.RandomGenerator random, PrometheusServer prometheus, DrillControl control) {
            this.run = run;
            this.entry = entry;
            this.scenario = entry.scenario();
            this.random = random;
            this.prometheus = prometheus;
            this.control = control;
            for (Defence defence : Defences.all()) {
                gauges.put(defence.prometheusGauge(), defence);
            }
        }

        DrillResult run() throws InterruptedException {
            timeline = run.timeline();
            scenario.prepare(run);
            Duration limit = settings.duration("stop.after");
            Duration warmup = settings.duration("warmup");
            Duration delay = dev.failurelab.lab.drill.DrillScenarios.between(random,
                    settings.duration("trigger.delay-min"), settings.duration("trigger.delay-max"));
            startedAt = Instant.now();
            phase = "running";
            dev.failurelab.lab.load.RunningLoad load = startLoad(run, scenario,
                    warmup.plus(delay).plus(limit).plus(Duration.ofMinutes(1)));
            loadRate = load.rate();
            timeline.record(DRILL_STARTED, "drill started (seed " + options.seed() + ", participant "
                    + options.participant() + ")", Map.of("seed", options.seed()));
            Thread participant = null;
            if (options.auto()) {
                participant = new Thread(new AutoParticipant(prometheus, control.url(), catalogue.failureModes()
                        .stream().map(mode -> Runbook.read(runbooks(options.root()), mode)).toList(),
                        new ObservabilityFiles(options.root().resolve("observability")), options.root(),
                        settings.duration("auto.command-timeout"), settings.duration("auto.impact-wait"),
                        settings.duration("auto.triage-wait"), settings.flag("auto.restart-first"), timeline,
                        console), "drill-auto-participant");
                participant.setDaemon(true);
                participant.start();
            }
            try {
                Map<String, String> defencesBefore = watchUntil(startedAt.plus(warmup).plus(delay), null);
                Injection injection = scenario.inject(run, random, limit.plus(Duration.ofSeconds(30)));
                Instant injectedAt = Instant.now();
                Map<String, Object> hidden = new LinkedHashMap<>();
                hidden.put("fault", injection.fault());
                hidden.put("severity", injection.severity());
                timeline.record(EventTimeline.FAULT_INJECTED, "the hidden fault started", hidden);
                return incident(entry, injection, injectedAt, defencesBefore);
            } finally {
                phase = "rolling back";
                if (participant != null) {
                    participant.interrupt();
                }
                load.close();
                scenario.rollback(run);
            }
        }

        /** Observes each second until {@code until}; the defences in force then. */
        private Map<String, String> watchUntil(Instant until, Map<String, String> defences) throws InterruptedException {
            Map<String, String> current = defences;
            while (Instant.now().isBefore(until)) {
                Thread.sleep(1000);
                observeRestarts(false);
                current = observeDefences(current, null);
                drainDeclarations(null);
                console.accept(clock(Duration.between(startedAt, Instant.now())) + "  all quiet so far?");
            }
            return current == null ? observeDefences(null, null) : current;
        }

        private DrillResult incident(DrillCatalogue.Entry entry, Injection injection, Instant injectedAt,
                Map<String, String> defences) throws InterruptedException {
            double objective = settings.number("slo.objective");
            String window = settings.duration("burn.window").toSeconds() + "s";
            double mitigatedBurn = settings.number("mitigated.burn");
            double stopBurn = settings.number("stop.burn");
            Duration mitigatedFor = settings.duration("mitigated.for");
            Duration stopFor = settings.duration("stop.for");
            Instant deadline = injectedAt.plus(settings.duration("stop.after"));
            List<String> firing = new ArrayList<>();
            Instant impactAt = null;
            Instant calmSince = null;
            Instant hotSince = null;
            double burned = 0;
            double peak = 0;
            DrillResult.Outcome outcome;
            Instant mitigatedFrom = null;
            while (true) {
                Thread.sleep(1000);
                Instant now = Instant.now();
                double burn = burn(scenario.badRatio(window), objective);
                List<String> alerts = alerts();
                for (String alert : alerts) {
                    if (!firing.contains(alert)) {
                        timeline.record(ALERT_FIRED, alert + " firing", Map.of("alert", alert));
                        if (!alertsFired.contains(alert)) {
                            alertsFired.add(alert);
                        }
                    }
                }
                for (String alert : firing) {
                    if (!alerts.contains(alert)) {
                        timeline.record(ALERT_RESOLVED, alert + " resolved", Map.of("alert", alert));
                    }
                }
                firing = alerts;
                observeRestarts(true);
                defences = observeDefences(defences, scenario.mitigations());
                drainDeclarations(injectedAt);
                seconds.add(new DrillResult.Second(now, burn, List.copyOf(alerts)));
                burnNow = burn;
                if (!Double.isNaN(burn)) {
                    burned += burn / 60;
                    peak = Math.max(peak, burn);
                    if (burn >= mitigatedBurn) {
                        if (impactAt == null) {
                            impactAt = now;
                            impact = true;
                            timeline.record(IMPACT, String.format(Locale.ROOT, "the SLO's burn rate reached %.1fx",
                                    burn), Map.of("burn", round(burn)));
                        }
                        calmSince = null;
                    } else if (calmSince == null && (impactAt != null || diagnosed())) {
                        // Calm after the impact, or after a right diagnosis that averted it.
                        calmSince = now;
                    }
                    hotSince = burn > stopBurn ? (hotSince == null ? now : hotSince) : null;
                }
                console.accept(String.format(Locale.ROOT, "%s  burn %6s  alerts: %s  declared: %s",
                        clock(Duration.between(startedAt, now)), Double.isNaN(burn) ? "-" : String.format(Locale.ROOT,
                                "%.1fx", burn),
                        alerts.isEmpty() ? "-" : String.join(", ", alerts),
                        declared.isEmpty() ? "-" : declared.get(declared.size() - 1).failureMode()));
                if (calmSince != null && !now.isBefore(calmSince.plus(mitigatedFor))) {
                    outcome = DrillResult.Outcome.MITIGATED;
                    mitigatedFrom = calmSince;
                    timeline.record(MITIGATED, "mitigated: the burn rate under " + mitigatedBurn + "x for "
                            + mitigatedFor.toSeconds() + " s since " + clock(Duration.between(startedAt, calmSince)),
                            Map.of("burn", round(burn)));
                    break;
                }
                if (hotSince != null && !now.isBefore(hotSince.plus(stopFor))) {
                    outcome = DrillResult.Outcome.STOPPED_BURN;
                    timeline.record(STOPPED, "stop condition: the burn rate above " + stopBurn + "x for "
                            + stopFor.toSeconds() + " s", Map.of("burn", round(burn)));
                    break;
                }
                if (!now.isBefore(deadline)) {
                    outcome = DrillResult.Outcome.STOPPED_TIME;
                    timeline.record(STOPPED, "stop condition: not mitigated within "
                            + settings.duration("stop.after").toMinutes() + " min", Map.of("burn", round(burn)));
                    break;
                }
            }
            Instant endedAt = Instant.now();
            Map<String, Object> revealed = new LinkedHashMap<>();
            revealed.put("failureMode", scenario.failureMode());
            revealed.put("fault", injection.fault());
            timeline.record(REVEALED, "the fault was " + scenario.failureMode() + ": " + injection.fault(), revealed);
            Duration toDetect = declared.stream().filter(DrillResult.Declaration::right).findFirst()
                    .map(d -> Duration.between(injectedAt, d.at())).orElse(null);
            Duration toMitigate = mitigatedFrom == null ? null : Duration.between(injectedAt, mitigatedFrom);
            int wrong = 0;
            for (DrillResult.Declaration declaration : declared) {
                if (declaration.right()) {
                    break;
                }
                wrong++;
            }
            boolean right = !declared.isEmpty() && declared.get(declared.size() - 1).right();
            DrillScore score = DrillScore.of(settings, right, toDetect, toMitigate, burned, wrong, blunt.size());
            Instant calm = mitigatedFrom;
            dev.failurelab.lab.Incident incident = incident(injection, injectedAt, endedAt, calm, outcome, peak);
            return new DrillResult(options.seed(), options.participant(), scenario.failureMode(), entry.lab().name(),
                    injection, startedAt, injectedAt, endedAt, outcome, List.copyOf(declared), toDetect, toMitigate,
                    round(burned), round(peak), List.copyOf(alertsFired), List.copyOf(blunt), List.copyOf(seconds),
                    score, incident);
        }

        /**
         * The drill as an incident, as an on-call engineer rebuilds it: the bad share of the SLI over
         * the incident from Prometheus, the requests from the load's rate, the rest from the timeline.
         */
        private dev.failurelab.lab.Incident incident(Injection injection, Instant injectedAt, Instant endedAt,
                Instant calm, DrillResult.Outcome outcome, double peak) {
            Instant end = calm != null ? calm : endedAt;
            long seconds = Math.max(1, Duration.between(injectedAt, end).toSeconds());
            double bad = 0;
            try {
                double share = prometheus.value(scenario.badRatio(seconds + "s"), end);
                bad = Double.isNaN(share) ? 0 : share;
            } catch (IOException e) {
                // no figure: the draft says 0 of the requests
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double total = Math.round(loadRate * seconds);
            Runbook runbook = Runbook.read(runbooks(options.root()), scenario.failureMode());
            String recovery = outcome == DrillResult.Outcome.MITIGATED
                    ? "mitigated: the burn rate under " + settings.number("mitigated.burn") + "x from then on"
                    : outcome.words();
            String peakWords = String.format(Locale.ROOT, "the SLO's burn rate at %.1fx; alerts fired: %s", peak,
                    alertsFired.isEmpty() ? "none" : String.join(", ", alertsFired));
            return new dev.failurelab.lab.Incident(scenario.failureMode() + " (a hidden drill): " + injection.fault(),
                    Math.round(bad * total), total, injectedAt, end, recovery, peakWords, injectedAt,
                    "runbooks/" + scenario.failureMode() + ".md", runbook.dashboards());
        }

        private boolean diagnosed() {
            return declared.stream().anyMatch(DrillResult.Declaration::right);
        }

        private void drainDeclarations(Instant injectedAt) {
            for (Map.Entry<String, Instant> arrived = declarations.poll(); arrived != null;
                    arrived = declarations.poll()) {
                boolean right = injectedAt != null && arrived.getKey().equals(scenario.failureMode());
                declared.add(new DrillResult.Declaration(arrived.getValue(), arrived.getKey(), right));
            }
        }

        /** The burn rate now, or NaN. */
        private double burn(String badRatio, double objective) {
            try {
                return prometheus.value(badRatio) / (1 - objective);
            } catch (IOException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }

        private List<String> alerts() {
            try {
                return prometheus.firingAlerts();
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        /**
         * Restarts, from each instance's start time in Prometheus (whoever restarted it: {@code ./lab
         * drill restart}, {@code ./lab restart}, {@code docker compose restart}): each recorded; once the
         * incident is {@code scored}, a blunt action, the restarts within {@code restart.group} of one
         * another counted as one ("restart everything" is one action).
         */
        private void observeRestarts(boolean scored) {
            JsonNode result;
            try {
                result = prometheus.query(dev.failurelab.contract.PrometheusNames.gauge(
                        dev.failurelab.contract.ChainMetricNames.INSTANCE_START_TIME)).path("data").path("result");
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Instant now = Instant.now();
            List<String> restarted = new ArrayList<>();
            for (JsonNode series : result) {
                String app = app(series.path("metric"));
                double started = series.path("value").path(1).asDouble(Double.NaN);
                Double was = startTimes.put(app, started);
                if (was != null && !was.isNaN() && !Double.isNaN(started) && was.doubleValue() != started) {
                    restarted.add(app);
                    restartedAt.put(app, now);
                }
            }
            if (restarted.isEmpty()) {
                return;
            }
            timeline.record(RESTARTED, "restarted: " + String.join(", ", restarted), Map.of("apps",
                    String.join(",", restarted)));
            if (!scored) {
                return;
            }
            Duration group = settings.duration("restart.group");
            String last = blunt.isEmpty() ? null : blunt.get(blunt.size() - 1);
            if (lastRestartAction != null && !now.isAfter(lastRestartAction.plus(group)) && last != null
                    && last.startsWith("restarted ")) {
                // Restarts seen a scrape later belong to the same action: the timeline says so, once
                // per scrape, so that every restarted service is in its blunt action's record.
                blunt.set(blunt.size() - 1, last + ", " + String.join(", ", restarted));
                timeline.record(BLUNT_ACTION, "restarted " + String.join(", ", restarted)
                        + " (the same blunt action: " + blunt.get(blunt.size() - 1) + ")",
                        Map.of("apps", String.join(",", restarted)));
            } else {
                String action = "restarted " + String.join(", ", restarted);
                blunt.add(action);
                timeline.record(BLUNT_ACTION, action + " (a restart: in-flight work cut, live changes lost)",
                        Map.of("apps", String.join(",", restarted)));
            }
            lastRestartAction = now;
        }

        /** An instance's name in the drill's records: its role (or application) at its address. */
        private static String app(JsonNode labels) {
            return labels.path("role").asString(labels.path("application").asString("?")) + "@"
                    + labels.path("instance").asString("?");
        }

        /** Whether {@code app} restarted within {@code restart.group}: its defences went back to their start-up options. */
        private boolean restartedLately(String app) {
            Instant at = restartedAt.get(app);
            return at != null && !Instant.now().isAfter(at.plus(settings.duration("restart.group")));
        }

        /**
         * Every defence's option in force, by app; changes since {@code before} recorded, and a
         * defence not in {@code mitigations} (when given) counted as a blunt action, unless a restart
         * put it back to its start-up option (the restart is the blunt action).
         */
        private Map<String, String> observeDefences(Map<String, String> before, List<Defence> mitigations) {
            Map<String, String> now = new LinkedHashMap<>();
            JsonNode result;
            try {
                result = prometheus.query("{__name__=~\"" + String.join("|", gauges.keySet()) + "\"} == 1")
                        .path("data").path("result");
            } catch (IOException e) {
                return before;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return before;
            }
            for (JsonNode series : result) {
                JsonNode labels = series.path("metric");
                Defence defence = gauges.get(labels.path("__name__").asString());
                if (defence == null) {
                    continue;
                }
                // One series per instance: named by its role and address (every hop is one application).
                now.put(app(labels) + " " + defence.id(), labels.path(defence.field()).asString());
            }
            if (before != null) {
                now.forEach((key, option) -> {
                    String previous = before.get(key);
                    if (previous != null && !previous.equals(option)) {
                        String app = key.substring(0, key.indexOf(' '));
                        Defence defence = Defences.byId(key.substring(key.indexOf(' ') + 1)).orElseThrow();
                        Map<String, Object> values = new LinkedHashMap<>();
                        values.put("defence", defence.id());
                        values.put(defence.field(), option);
                        values.put("app", app);
                        timeline.record(EventTimeline.DEFENCE_SWITCHED, defence.id() + " " + previous + " -> "
                                + option + " on " + app, values);
                        if (mitigations != null && !mitigations.contains(defence) && !restartedLately(app)) {
                            String action = defence.id() + " switched to " + option + " on " + app
                                    + " (not a step of the runbook)";
                            blunt.add(action);
                            timeline.record(BLUNT_ACTION, action, values);
                        }
                    }
                });
            }
            return now;
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
