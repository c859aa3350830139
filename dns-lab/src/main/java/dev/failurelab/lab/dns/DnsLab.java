package dev.failurelab.lab.dns;

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
import dev.failurelab.lab.metrics.BucketQuantile;
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

/**
 * The DNS-outage lab. The edge and the middle find their next hop by name, through the lab's own
 * DNS servers (in the fault injector), each with its own cache and a pool of connections of a
 * bounded lifetime. For each row: a baseline, then a DNS fault on both servers (an outage, or slow
 * answers) under the hops' serve-stale mode, then the DNS restored. Without serve-stale the outage
 * fails every new connection once a hop's cached answer and its connections have run out, while
 * the proxy in front of the bottom counts nothing (the failure is before the network), and the
 * errors outlive the outage by the negative cache; serve-stale with a background refresh rides it
 * out, and keeps slow answers off the requests' path.
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. The platform puts the
 * defences back to their defaults, and clears the DNS faults, however a run ends.
 */
public final class DnsLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/dns.properties";
    /**
     * The run shortened for its IT: every row, with the cache TTL, connection lifetime and negative
     * TTL compressed to 3 s and the phases to match (each fault still outlasts a TTL and a lifetime);
     * every hypothesis as in the defaults file (the onset and recovery bounds follow the TTLs: they
     * are computed from them).
     */
    public static final Map<String, String> SHORT_RUN = Map.ofEntries(
            Map.entry("phase.warm-up", "2s"),
            Map.entry("phase.baseline", "2s"),
            Map.entry("phase.outage", "9s"),
            Map.entry("phase.outage-serve-stale", "8s"),
            Map.entry("phase.slow", "11s"),
            Map.entry("phase.recovery", "5s"),
            Map.entry("phase.slow-recovery", "2s"),
            Map.entry("topology.edge.chain.dns.cache-ttl", "3s"),
            Map.entry("topology.middle.chain.dns.cache-ttl", "3s"),
            Map.entry("topology.edge.chain.client.connection-max-lifetime", "3s"),
            Map.entry("topology.middle.chain.client.connection-max-lifetime", "3s"),
            Map.entry("topology.edge.chain.dns.negative-ttl", "3s"),
            Map.entry("topology.middle.chain.dns.negative-ttl", "3s"));
    /** The event of a row's DNS fault starting. */
    public static final EventType DNS_FAULT = EventType.of("dns_fault");
    /** The event of the DNS restored. */
    public static final EventType DNS_RESTORED = EventType.of("dns_restored");

    static final List<String> CALLERS = DnsFigures.CALLERS;
    private static final List<String> OUTAGE_FAULTS = List.of("servfail", "nxdomain", "drop");

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public String title() {
        return "DNS outage";
    }

    @Override
    public String description() {
        return "the hops resolve each other through the lab's DNS: an outage fails every new connection before the"
                + " network; serve-stale with a background refresh rides it out";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Topology topology() {
        return Topology.load("dns");
    }

    @Override
    public Map<Defence, List<String>> defences() {
        return Map.of(Defences.SERVE_STALE, CALLERS, Defences.DNS_FALLBACK, CALLERS);
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new DnsDrill());
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        rows(settings);
        if (!OUTAGE_FAULTS.contains(settings.string("outage.fault"))) {
            throw new IllegalArgumentException("outage.fault must be one of " + OUTAGE_FAULTS + ", got '"
                    + settings.string("outage.fault") + "'");
        }
        Duration delay = settings.duration("slow.delay");
        if (delay.isZero() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("slow.delay must be between 1ms and 60s, got " + delay.toMillis() + "ms");
        }
        for (String key : List.of("chain.dns.cache-ttl", "chain.client.connection-max-lifetime",
                "chain.dns.negative-ttl")) {
            if (!settings.duration("topology.edge." + key).equals(settings.duration("topology.middle." + key))) {
                throw new IllegalArgumentException("topology.edge." + key + " and topology.middle." + key
                        + " must be equal (the hypotheses read one value)");
            }
        }
        if (settings.duration("phase.recovery").compareTo(negativeTtl(settings).plusSeconds(2)) < 0) {
            throw new IllegalArgumentException("phase.recovery must be at least the negative TTL + 2 s ("
                    + negativeTtl(settings).plusSeconds(2).toSeconds() + " s): the recovery is judged in it");
        }
    }

    static List<Row> rows(LabDefaults settings) {
        return settings.names("rows", "row", Row.ids()).stream().map(id -> Row.of(id).orElseThrow()).toList();
    }

    private static Duration negativeTtl(LabDefaults settings) {
        return settings.duration("topology.middle.chain.dns.negative-ttl");
    }

    /** The longest a hop can go on unaware of an outage: its cached answer's TTL, then its connections' lifetime. */
    static Duration unawareFor(LabDefaults settings) {
        return settings.duration("topology.middle.chain.dns.cache-ttl")
                .plus(settings.duration("topology.middle.chain.client.connection-max-lifetime"));
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
        private final URI edge;
        private final URI edgeMetrics;
        private final PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(2));

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.edge = run.endpoints().url("edge").resolve(AdminPaths.CHAIN);
            this.edgeMetrics = run.endpoints().management("edge").resolve(AdminPaths.PROMETHEUS);
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            List<Row> rows = rows(settings);
            timeline.record(EventTimeline.RUN_STARTED, "dns lab started", Map.of("rows",
                    String.join(",", rows.stream().map(Row::id).toList())));
            List<RowResult> results = new ArrayList<>();
            Map<String, URI> targets = new LinkedHashMap<>();
            targets.put(DnsFigures.EDGE, edgeMetrics);
            targets.put(DnsFigures.MIDDLE, run.endpoints().management("middle").resolve(AdminPaths.PROMETHEUS));
            targets.put(DnsFigures.INJECTOR, run.endpoints().url("injector").resolve(AdminPaths.PROMETHEUS));
            reset();
            try (PhaseRunner runner = new PhaseRunner(targets)) {
                Duration warmUp = settings.duration("phase.warm-up");
                double rate = settings.number("load.rate");
                runner.run(load(), new DnsFigures(), List.of(new Phase("warm-up", warmUp, () -> { }, rate / 2),
                        new Phase("warm-up", warmUp, () -> { }, rate)), s -> run.progress(line("warm-up", s)));
                for (Row row : rows) {
                    results.add(row(runner, row));
                }
                reset();
            }
            DnsResult data = new DnsResult(settings.string("outage.fault"), settings.duration("slow.delay").toMillis(),
                    results);
            String subtitle = String.format(Locale.ROOT, "Started %s. Open-loop load of %s req/s at the edge; the edge"
                    + " and the middle resolve their next hop through the lab's DNS (cache TTL %s, connections'"
                    + " lifetime %s, negative TTL %s); the fault (shaded) is on both DNS servers.", startedAt,
                    settings.string("load.rate"), settings.string("topology.middle.chain.dns.cache-ttl"),
                    settings.string("topology.middle.chain.client.connection-max-lifetime"),
                    settings.string("topology.middle.chain.dns.negative-ttl"));
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        private PhaseRunner.SteadyLoad load() {
            return new PhaseRunner.SteadyLoad(edge, settings.number("load.rate"), settings.duration("load.timeout"));
        }

        private RowResult row(PhaseRunner runner, Row row) throws InterruptedException {
            reset();
            run.switchDefence(Defences.SERVE_STALE, CALLERS, row.serveStale());
            Duration faultFor = settings.duration("phase." + (row.fault() == Row.Fault.SLOW ? "slow"
                    : row.serveStale().equals("off") ? "outage" : "outage-serve-stale"));
            String type = row.fault() == Row.Fault.SLOW ? "slow" : settings.string("outage.fault");
            Duration delay = settings.duration("slow.delay");
            List<Map<String, MetricSnapshot>> edgeScrapes = new ArrayList<>();
            List<Phase> phases = List.of(
                    new Phase(RowResult.BASELINE, settings.duration("phase.baseline"), () -> {
                        edgeScrapes.add(scrapeEdge());
                        timeline.record(EventTimeline.PHASE_STARTED, row.id() + ": baseline", Map.of("row", row.id()));
                    }),
                    new Phase(row.faultPhase(), faultFor, () -> {
                        edgeScrapes.add(scrapeEdge());
                        // The TTL bounds the fault if the run dies; the recovery phase clears it on time.
                        run.faults().injectDns(type, "all", delay, faultFor.plusSeconds(2));
                        timeline.record(DNS_FAULT, row.id() + ": DNS " + type + " on both servers", Map.of("row",
                                row.id(), "fault", type));
                    }),
                    new Phase(RowResult.RECOVERY, settings.duration(row.fault() == Row.Fault.SLOW
                            ? "phase.slow-recovery" : "phase.recovery"), () -> {
                        run.faults().clearAll();
                        edgeScrapes.add(scrapeEdge());
                        timeline.record(DNS_RESTORED, row.id() + ": DNS restored", Map.of("row", row.id()));
                    }));
            PhaseRunner.Run measured = runner.run(load(), new DnsFigures(), phases, s -> run.progress(line(row.id(), s)));
            String buckets = PrometheusNames.timerBucket(ChainMetricNames.REQUESTS);
            double p99Baseline = 1000 * BucketQuantile.of(edgeScrapes.get(0), edgeScrapes.get(1), buckets, Map.of(), 0.99);
            double p99Fault = 1000 * BucketQuantile.of(edgeScrapes.get(1), edgeScrapes.get(2), buckets, Map.of(), 0.99);
            RowResult result = new RowResult(row.id(), row.faultPhase(), p99Baseline, p99Fault, measured.seconds());
            run.progress(String.format(Locale.ROOT, "%-18s errors %.2f%% (peak %.0f%%), first after %s s, recovered after"
                    + " %s s; stale answers %.0f; p99 %.0f -> %.0f ms", row.id(), result.faultErrorShare() * 100,
                    result.peakErrorShare() * 100, result.onsetSeconds(), result.recoverySeconds(),
                    result.staleServed(), p99Baseline, p99Fault));
            return result;
        }

        private Map<String, MetricSnapshot> scrapeEdge() {
            return Map.of(DnsFigures.EDGE, scraper.scrape(edgeMetrics));
        }

        /** The defences back to their defaults and the DNS faults cleared, no load for a while, then the chain answering. */
        private void reset() throws InterruptedException {
            run.settle(() -> {
                run.faults().clearAll();
                run.switchDefence(Defences.SERVE_STALE, CALLERS, Defences.SERVE_STALE.defaultOption());
                run.switchDefence(Defences.DNS_FALLBACK, CALLERS, Defences.DNS_FALLBACK.defaultOption());
            }, settings.duration("phase.settle"), edge);
        }

        private List<Check> checks(DnsResult data) {
            List<Check> checks = new ArrayList<>();
            Duration unaware = unawareFor(settings);
            data.row("outage").ifPresent(r -> {
                checks.add(Check.atMost("outage.onset-s", String.format(Locale.ROOT, "no serve-stale: seconds from the"
                        + " outage to the first errors (TTL + connection lifetime = %d s, + %s)", unaware.toSeconds(),
                        settings.string("hypothesis.outage.onset-margin")), r.onsetSeconds(),
                        unaware.plus(settings.duration("hypothesis.outage.onset-margin")).toSeconds()));
                checks.add(Check.atLeast("outage.peak-errors", "no serve-stale: the worst second's share of errors",
                        r.peakErrorShare(), settings.number("hypothesis.outage.min-peak-errors")));
                checks.add(Check.atMost("outage.proxy-share", "no serve-stale: requests through the bottom's proxy beyond"
                        + " the full answers, over those offered, in the failing seconds (the failure is before the network)",
                        r.proxyShareWhileFailing(), settings.number("hypothesis.outage.max-proxy-share")));
                checks.add(Check.atMost("outage.recovery-s", String.format(Locale.ROOT, "no serve-stale: seconds from"
                        + " the restore until errors stop (negative TTL %d s + %s)", negativeTtl(settings).toSeconds(),
                        settings.string("hypothesis.outage.recovery-margin")), r.recoverySeconds(),
                        negativeTtl(settings).plus(settings.duration("hypothesis.outage.recovery-margin")).toSeconds()));
            });
            data.row("outage-serve-stale").ifPresent(r -> checks.add(Check.atMost("outage-serve-stale.errors",
                    "serve-stale with background refresh: errors through the outage, share", r.faultErrorShare(),
                    settings.number("hypothesis.serve-stale.max-errors"))));
            data.row("slow").ifPresent(r -> checks.add(Check.atLeast("slow.p99-growth-ms", String.format(Locale.ROOT,
                    "slow DNS, no background refresh: the edge's p99 growth (%.0f ms -> %.0f ms)", r.p99BaselineMs(),
                    r.p99FaultMs()), r.p99GrowthMs(), settings.duration("hypothesis.slow.min-p99-growth").toMillis())));
            data.row("slow-refresh").ifPresent(r -> checks.add(Check.atMost("slow-refresh.p99-ratio",
                    String.format(Locale.ROOT, "slow DNS, background refresh: the edge's p99 over the baseline's"
                            + " (%.0f ms / %.0f ms)", r.p99FaultMs(), r.p99BaselineMs()),
                    r.p99FaultMs() / r.p99BaselineMs(), settings.number("hypothesis.slow-refresh.max-p99-ratio"))));
            return checks;
        }

        /** The incident: the undefended outage row (else the first), from the outage to the recovery. */
        private Incident incident(DnsResult data) {
            RowResult worst = data.row("outage").orElse(data.rows().get(0));
            Instant start = timeline.events().stream().filter(e -> e.type().equals(DNS_FAULT)
                    && worst.row().equals(e.values().get("row"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(timeline.events().get(0).at());
            List<SecondRecord> after = worst.seconds().stream().filter(s -> !s.phase().equals(RowResult.BASELINE))
                    .toList();
            double errors = after.stream().mapToDouble(s -> s.figure(DnsFigures.ERRORS)).sum();
            double offered = after.stream().mapToDouble(s -> s.figure(DnsFigures.OFFERED)).sum();
            return new Incident("DNS outage (" + data.outageFault() + "): the hops cannot resolve their next hop ("
                    + worst.row() + ")", errors, offered, start, start.plusSeconds(after.size()),
                    Double.isInfinite(worst.recoverySeconds()) ? "errors went on past the run's recovery phase"
                            : "errors stopped " + (long) worst.recoverySeconds() + " s after the DNS was restored",
                    String.format(Locale.ROOT, "%.1f%% of requests failed at worst, %.0f unknown-host attempts; the"
                            + " bottom's proxy forwarded %.1f%% of the offered requests, beyond those answered, while failing",
                            worst.peakErrorShare() * 100, worst.unknownHost(), worst.proxyShareWhileFailing() * 100),
                    start, "runbooks/dns-outage.md", List.of("DNS outage"));
        }
    }

    private static String line(String row, SecondRecord s) {
        return String.format(Locale.ROOT, "[%-18s] %-8s %3ds  offered %4.0f/s  ok %4.0f  errors %4.0f (%5.1f%%)"
                        + "  unknown-host %4.0f  stale %4.0f  lookup failures %4.0f  bottom proxy %4.0f/s  dns %4.0f/s"
                        + "  p99 %5.0f ms",
                row, s.phase(), s.phaseSecond(), s.figure(DnsFigures.OFFERED), s.figure(DnsFigures.OK),
                s.figure(DnsFigures.ERRORS), s.figure(DnsFigures.ERROR_SHARE) * 100, s.figure(DnsFigures.UNKNOWN_HOST),
                s.figure(DnsFigures.STALE), s.figure(DnsFigures.LOOKUP_FAILURES), s.figure(DnsFigures.PROXY_BOTTOM),
                s.figure(DnsFigures.DNS_QUERIES), s.figure(DnsFigures.P99_MS));
    }
}
