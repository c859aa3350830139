package dev.failurelab.lab.discovery;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.contract.ChainMetricNames;
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
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The service-discovery lab. The middle finds five bottoms through a real Eureka registry (Spring
 * Cloud Netflix), whose clocks are compressed; each row injects one fault under one set of
 * defences: the registry down (the client's cached registry rides it out, a client that drops it
 * fails), the heartbeats of three bottoms blackholed (self-preservation holds them; without it they
 * are evicted en masse and the two left drown), one bottom's health flapping (client health checks,
 * plain or with hysteresis), one bottom killed without deregistering (the stale window; retry on
 * another instance; outlier ejection).
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. The platform puts the
 * defences back to their defaults and clears the proxy faults however a run ends; {@link #restore}
 * ends the instance faults (which have TTLs of their own).
 */
public final class ServiceDiscoveryLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/service-discovery.properties";
    /** The run shortened for its IT: every row, every hypothesis, the phases cut to what each needs. */
    public static final Map<String, String> SHORT_RUN = Map.ofEntries(
            Map.entry("phase.warm-up", "1s"),
            Map.entry("phase.settle", "1s"),
            Map.entry("phase.baseline", "1s"),
            Map.entry("phase.registry-outage", "5s"),
            Map.entry("phase.registry-outage-drop", "5s"),
            Map.entry("phase.heartbeats", "9s"),
            Map.entry("phase.heartbeats-no-preservation", "14s"),
            Map.entry("phase.flapping", "4s"),
            Map.entry("phase.kill", "10s"),
            Map.entry("phase.kill-defended", "4s"),
            Map.entry("phase.recovery", "1s"),
            Map.entry("fault.flap-period", "1s"));
    /** The rows of the registry's side: its outage, lost heartbeats (self-preservation), a killed instance. */
    public static final String REGISTRY_ROWS = "registry-outage,heartbeats,heartbeats-no-preservation,kill,kill-retry";
    /** The rows of the client's side: a client that drops old data, flapping health, outlier ejection. */
    public static final String CLIENT_ROWS = "registry-outage-drop,flapping,flapping-hysteresis,kill-ejection";
    /** The event of a row's fault starting. */
    public static final EventType DISCOVERY_FAULT = EventType.of("discovery_fault");
    /** The event of a row's fault ended. */
    public static final EventType DISCOVERY_RESTORED = EventType.of("discovery_restored");

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();
    static final String MIDDLE = "middle";
    static final String REGISTRY = "registry";
    static final String BOTTOM = "bottom";
    private static final List<String> CALLERS = List.of(MIDDLE);
    private static final List<String> REGISTRIES = List.of(REGISTRY);

    @Override
    public String name() {
        return "service-discovery";
    }

    @Override
    public String title() {
        return "Service-discovery failure";
    }

    @Override
    public String description() {
        return "the middle finds five bottoms through a real Eureka registry: a killed instance, a registry outage,"
                + " lost heartbeats, flapping health; cache, retry elsewhere, ejection, hysteresis, self-preservation";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Topology topology() {
        return Topology.load("service-discovery");
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new ServiceDiscoveryDrill());
    }

    @Override
    public Map<Defence, List<String>> defences() {
        Map<Defence, List<String>> defences = new LinkedHashMap<>();
        defences.put(Defences.SELF_PRESERVATION, REGISTRIES);
        defences.put(Defences.REGISTRY_CACHE, CALLERS);
        defences.put(Defences.INSTANCE_RETRY, CALLERS);
        defences.put(Defences.OUTLIER_EJECTION, CALLERS);
        defences.put(Defences.HEALTH_CHECKS, CALLERS);
        return defences;
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        rows(settings);
        int bottoms = topology().app(BOTTOM).orElseThrow().replicas();
        int heartbeats = settings.integer("fault.heartbeat-instances");
        if (heartbeats < 1 || heartbeats > bottoms) {
            throw new IllegalArgumentException("fault.heartbeat-instances must be between 1 and " + bottoms + ", got "
                    + heartbeats);
        }
        for (String key : List.of("fault.flap-instance", "fault.kill-instance")) {
            int instance = settings.integer(key);
            if (instance < 1 || instance > bottoms) {
                throw new IllegalArgumentException(key + " must be between 1 and " + bottoms + ", got " + instance);
            }
        }
    }

    static List<Row> rows(LabDefaults settings) {
        return settings.names("rows", "row", Row.ids()).stream().map(id -> Row.of(id).orElseThrow()).toList();
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        return new Experiment(run).run();
    }

    /** The instance faults (kill, health flap) ended on every bottom; best effort (they have TTLs). */
    @Override
    public void restore(LabRun run) {
        new AdminHttp().deleteEach(run.endpoints().managements(BOTTOM), List.of("/admin/kill", "/admin/health-flap"));
    }

    /** One run's state. */
    private final class Experiment {
        private final LabRun run;
        private final LabDefaults settings;
        private final EventTimeline timeline;
        private final URI middle;
        private final AdminHttp http = new AdminHttp();
        private final PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(2));
        private final Map<String, URI> targets = new LinkedHashMap<>();

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.middle = run.endpoints().url(MIDDLE).resolve(AdminPaths.CHAIN);
            targets.put(DiscoveryFigures.MIDDLE, run.endpoints().management(MIDDLE).resolve(AdminPaths.PROMETHEUS));
            targets.put(DiscoveryFigures.REGISTRY, run.endpoints().management(REGISTRY).resolve(AdminPaths.PROMETHEUS));
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            List<Row> rows = rows(settings);
            timeline.record(EventTimeline.RUN_STARTED, "service-discovery lab started", Map.of("rows",
                    String.join(",", rows.stream().map(Row::id).toList())));
            List<RowResult> results = new ArrayList<>();
            reset();
            try (PhaseRunner runner = new PhaseRunner(targets)) {
                Duration warmUp = settings.duration("phase.warm-up");
                double rate = settings.number("load.rate");
                runner.run(load(), new DiscoveryFigures(null), List.of(new Phase("warm-up", warmUp, () -> { }, rate / 2),
                        new Phase("warm-up", warmUp, () -> { }, rate)), s -> run.progress(line("warm-up", s)));
                for (Row row : rows) {
                    results.add(row(runner, row));
                }
                reset();
            }
            DiscoveryResult data = new DiscoveryResult(results);
            String subtitle = String.format(Locale.ROOT, "Started %s. Open-loop load of %s req/s at the middle, which"
                    + " calls five bottoms it finds through a Eureka registry (heartbeats every 1 s, leases of 3 s,"
                    + " its copy of the registry fetched every 1 s: Eureka's clocks compressed); the fault is shaded.",
                    startedAt, settings.string("load.rate"));
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        private PhaseRunner.SteadyLoad load() {
            return new PhaseRunner.SteadyLoad(middle, settings.number("load.rate"), settings.duration("load.timeout"));
        }

        private String bottom(int number) {
            return BOTTOM + "-" + number;
        }

        private URI bottomAdmin(int number) {
            return run.endpoints().instanceManagements().get(bottom(number));
        }

        private RowResult row(PhaseRunner runner, Row row) throws InterruptedException {
            reset();
            row.switches().forEach((defence, option) -> run.switchDefence(defence,
                    defence == Defences.SELF_PRESERVATION ? REGISTRIES : CALLERS, option));
            Duration faultFor = settings.duration("phase." + row.phase());
            String target = switch (row.fault()) {
                case FLAP -> bottom(settings.integer("fault.flap-instance"));
                case KILL -> bottom(settings.integer("fault.kill-instance"));
                default -> null;
            };
            List<Phase> phases = List.of(
                    new Phase(RowResult.BASELINE, settings.duration("phase.baseline"), () -> timeline.record(
                            EventTimeline.PHASE_STARTED, row.id() + ": baseline", Map.of("row", row.id()))),
                    new Phase(row.fault().phase, faultFor, () -> inject(row, faultFor)),
                    new Phase(RowResult.RECOVERY, settings.duration("phase.recovery"), () -> {
                        endFaults();
                        timeline.record(DISCOVERY_RESTORED, row.id() + ": fault ended", Map.of("row", row.id()));
                    }));
            PhaseRunner.Run measured = runner.run(load(), new DiscoveryFigures(target), phases,
                    s -> run.progress(line(row.id(), s)));
            RowResult result = new RowResult(row.id(), row.fault().phase, target, measured.seconds());
            run.progress(String.format(Locale.ROOT, "%-26s errors %.2f%% (worst second %.0f%%), evicted %.0f, membership"
                    + " changes %.0f, stale window %s s, retries %.0f, ejections %.0f", row.id(),
                    result.faultErrorShare() * 100, result.peakErrorShare() * 100, result.evictions(),
                    result.membershipChanges(), result.staleWindowSeconds(), result.retries(), result.ejections()));
            return result;
        }

        private void inject(Row row, Duration faultFor) {
            // Each TTL bounds the fault if the run dies; the recovery phase ends it on time.
            Duration ttl = faultFor.plusSeconds(2);
            String what;
            switch (row.fault()) {
                case REGISTRY_OUTAGE -> {
                    run.faults().injectOutage(REGISTRY, 503, ttl);
                    what = "the registry answers 503 to every client";
                }
                case HEARTBEATS -> {
                    int count = settings.integer("fault.heartbeat-instances");
                    for (int i = 1; i <= count; i++) {
                        run.faults().injectBlackhole(REGISTRY, "/eureka/apps/" + BOTTOM.toUpperCase(Locale.ROOT) + "/"
                                + bottom(i), "PUT", ttl);
                    }
                    what = "the heartbeats of bottom-1 to bottom-" + count + " blackholed";
                }
                case FLAP -> {
                    int instance = settings.integer("fault.flap-instance");
                    http.send("PUT", bottomAdmin(instance).resolve("/admin/health-flap"), String.format(Locale.ROOT,
                            "{\"period\":\"%dms\",\"ttl\":\"%dms\"}", settings.duration("fault.flap-period").toMillis(),
                            ttl.toMillis()));
                    what = bottom(instance) + "'s health flapping every " + settings.string("fault.flap-period");
                }
                case KILL -> {
                    int instance = settings.integer("fault.kill-instance");
                    http.send("PUT", bottomAdmin(instance).resolve("/admin/kill"), String.format(Locale.ROOT,
                            "{\"ttl\":\"%dms\"}", ttl.toMillis()));
                    what = bottom(instance) + " killed without deregistering";
                }
                default -> throw new IllegalStateException("unknown fault " + row.fault());
            }
            timeline.record(DISCOVERY_FAULT, row.id() + ": " + what, Map.of("row", row.id(), "fault",
                    row.fault().phase));
        }

        /** The proxy faults cleared and every bottom's instance faults ended. */
        private void endFaults() {
            run.faults().clearAll();
            restore(run);
        }

        /**
         * The defences back to their defaults and the faults ended, then (no load) until the registry
         * holds every bottom and the middle calls them all, then the chain answering.
         */
        private void reset() throws InterruptedException {
            run.settle(() -> {
                endFaults();
                defences().forEach((defence, apps) -> run.switchDefence(defence, apps, defence.defaultOption()));
            }, settings.duration("phase.settle"), middle);
            int bottoms = run.endpoints().topology().app(BOTTOM).orElseThrow().replicas();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                double eligible = scraper.scrape(targets.get(DiscoveryFigures.MIDDLE)).sum(
                        PrometheusNames.gauge(ChainMetricNames.DISCOVERY_INSTANCES),
                        Map.of(ChainMetricNames.STATE, "eligible"));
                int renewing = renewing();
                if (renewing >= bottoms && eligible >= bottoms) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the registry holds " + renewing + " bottoms renewing their"
                            + " leases and the middle calls " + (long) eligible + " of the " + bottoms
                            + " a minute after the faults ended");
                }
                Thread.sleep(250);
            }
        }

        /**
         * The bottoms registered whose lease was renewed within the last 3 s, as the registry's REST API
         * shows them (asked directly, not through its proxy): a row starts with every lease fresh.
         */
        private int renewing() {
            String body;
            try {
                body = http.send("GET", run.endpoints().url(REGISTRY).resolve("/eureka/apps/"
                        + BOTTOM.toUpperCase(Locale.ROOT)), null, "application/json");
            } catch (RuntimeException e) {
                return 0; // not registered yet (404), or the registry busy
            }
            long now = System.currentTimeMillis();
            int fresh = 0;
            for (JsonNode instance : JSON.readTree(body).path("application").path("instance")) {
                long renewed = instance.path("leaseInfo").path("lastRenewalTimestamp").asLong();
                if ("UP".equals(instance.path("status").asString()) && now - renewed <= 3000) {
                    fresh++;
                }
            }
            return fresh;
        }

        private List<Check> checks(DiscoveryResult data) {
            List<Check> checks = new ArrayList<>();
            data.row("registry-outage").ifPresent(r -> checks.add(Check.atMost("registry-outage.errors",
                    "registry down, the client keeps its cached registry: errors, share", r.faultErrorShare(),
                    settings.number("hypothesis.registry-outage.max-errors"))));
            data.row("registry-outage-drop").ifPresent(r -> checks.add(Check.atLeast("registry-outage-drop.peak-errors",
                    "registry down, the client drops registry data past chain.discovery.max-registry-age: the worst"
                            + " second's errors, share",
                    r.peakErrorShare(), settings.number("hypothesis.registry-outage-drop.min-peak-errors"))));
            data.row("heartbeats").ifPresent(r -> {
                checks.add(Check.atMost("heartbeats.evictions", "heartbeats of " + settings.string(
                        "fault.heartbeat-instances") + " lost, self-preservation on: instances evicted", r.evictions(),
                        settings.number("hypothesis.heartbeats.max-evictions")));
                checks.add(Check.atMost("heartbeats.errors", "heartbeats lost, self-preservation on: errors, share",
                        r.faultErrorShare(), settings.number("hypothesis.heartbeats.max-errors")));
            });
            data.row("heartbeats-no-preservation").ifPresent(r -> {
                checks.add(Check.atLeast("heartbeats-no-preservation.evictions", "heartbeats lost, self-preservation"
                        + " off: instances evicted", r.evictions(), settings.integer("fault.heartbeat-instances")));
                int survivors = run.endpoints().topology().app(BOTTOM).orElseThrow().replicas()
                        - settings.integer("fault.heartbeat-instances");
                checks.add(Check.atLeast("heartbeats-no-preservation.errors", "heartbeats lost, self-preservation off:"
                        + " errors once the middle calls the " + survivors + " left, share",
                        nanToZero(r.errorShareOnceDownTo(survivors)),
                        settings.number("hypothesis.heartbeats-no-preservation.min-errors")));
            });
            data.row("flapping").ifPresent(r -> checks.add(Check.atLeast("flapping.changes", "flapping health, plain"
                    + " health checks: membership changes in the fault's worst minute", r.maxChangesPerMinute(),
                    settings.number("hypothesis.flapping.min-changes-per-minute"))));
            data.row("flapping-hysteresis").ifPresent(r -> checks.add(Check.atMost("flapping-hysteresis.changes",
                    "flapping health, health checks with hysteresis: membership changes in the fault's worst minute",
                    r.maxChangesPerMinute(), settings.number("hypothesis.flapping-hysteresis.max-changes-per-minute"))));
            data.row("kill").ifPresent(r -> {
                checks.add(Check.atLeast("kill.errors", "killed instance, no retry: errors while it is still called,"
                        + " share", r.faultErrorShare(), settings.number("hypothesis.kill.min-errors")));
                checks.add(Check.atMost("kill.stale-window-s", "killed instance, no retry: the stale window, seconds"
                        + " until the middle stops calling it", r.staleWindowSeconds(),
                        settings.duration("hypothesis.kill.max-stale-window").toSeconds()));
            });
            data.row("kill-retry").ifPresent(r -> checks.add(Check.atMost("kill-retry.errors", "killed instance,"
                    + " retry on another instance: errors, share", r.faultErrorShare(),
                    settings.number("hypothesis.kill-retry.max-errors"))));
            data.row("kill-ejection").ifPresent(r -> {
                checks.add(Check.atLeast("kill-ejection.ejections", "killed instance, outlier ejection: ejections",
                        r.ejections(), 1));
                checks.add(Check.atMost("kill-ejection.errors", "killed instance, outlier ejection: failed requests"
                        + " (those that eject it, and those in flight then)", r.faultErrors(),
                        settings.number("hypothesis.kill-ejection.max-errors")));
            });
            return checks;
        }

        private static double nanToZero(double value) {
            return Double.isNaN(value) ? 0 : value;
        }

        /** The incident: the mass eviction (else the first row), from the fault to the row's end. */
        private Incident incident(DiscoveryResult data) {
            RowResult worst = data.row("heartbeats-no-preservation").orElse(data.rows().get(0));
            Instant start = timeline.events().stream().filter(e -> e.type().equals(DISCOVERY_FAULT)
                    && worst.row().equals(e.values().get("row"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(timeline.events().get(0).at());
            List<SecondRecord> after = worst.seconds().stream().filter(s -> !s.phase().equals(RowResult.BASELINE))
                    .toList();
            double errors = after.stream().mapToDouble(s -> s.figure(DiscoveryFigures.ERRORS)).sum();
            double offered = after.stream().mapToDouble(s -> s.figure(DiscoveryFigures.OFFERED)).sum();
            return new Incident("Service discovery: " + worst.row(), errors, offered, start,
                    start.plusSeconds(after.size()), "the instances registered again once their heartbeats got through",
                    String.format(Locale.ROOT, "%.1f%% of requests failed at worst; %.0f instances evicted; the registry"
                            + " held %.0f at least", worst.peakErrorShare() * 100, worst.evictions(),
                            worst.minRegistered()), start, "runbooks/service-discovery-failure.md",
                    List.of("Service-discovery failure"));
        }
    }

    private static String line(String row, SecondRecord s) {
        return String.format(Locale.ROOT, "[%-26s] %-16s %3ds  offered %4.0f/s  ok %4.0f  errors %4.0f (%5.1f%%)"
                        + "  registered %2.0f  known %2.0f  called %2.0f  evicted %2.0f  self-preserving %1.0f"
                        + "  changes %2.0f  to-target %4.0f  retries %3.0f  ejections %2.0f  registry age %4.1f s"
                        + "  p99 %5.0f ms",
                row, s.phase(), s.phaseSecond(), s.figure(DiscoveryFigures.OFFERED), s.figure(DiscoveryFigures.OK),
                s.figure(DiscoveryFigures.ERRORS), s.figure(DiscoveryFigures.ERROR_SHARE) * 100,
                s.figure(DiscoveryFigures.REGISTERED), s.figure(DiscoveryFigures.KNOWN),
                s.figure(DiscoveryFigures.ELIGIBLE), s.figure(DiscoveryFigures.EVICTIONS),
                s.figure(DiscoveryFigures.SELF_PRESERVING), s.figure(DiscoveryFigures.MEMBERSHIP_CHANGES),
                s.figure(DiscoveryFigures.TARGET_CALLS), s.figure(DiscoveryFigures.RETRIES),
                s.figure(DiscoveryFigures.EJECTIONS), s.figure(DiscoveryFigures.REGISTRY_AGE),
                s.figure(DiscoveryFigures.P99_MS));
    }
}
