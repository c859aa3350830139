package dev.failurelab.lab.testlab;

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
import dev.failurelab.lab.experiment.Watches;
import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lab added through the contract alone, in test sources: the worked example of
 * docs/ARCHITECTURE.md. It declares its own topology ({@code topologies/two-hops.properties}: an
 * edge calling a bottom through a fault proxy), adds latency on the bottom's proxy for a while, and
 * checks that the edge's p50 rose by it. Registered in this module's test
 * {@code META-INF/services/dev.failurelab.lab.Lab}; nothing outside this folder and its two
 * resources names it.
 */
public final class HopLatencyLab implements Lab {

    /** What the figures are called: the edge's median latency, from each request's intended start. */
    static final String P50_MS = "p50_ms";

    @Override
    public String name() {
        return "hop-latency";
    }

    @Override
    public String title() {
        return "Hop latency (test lab)";
    }

    @Override
    public String description() {
        return "latency added on the bottom's proxy shows at the edge (a lab added through the contract alone)";
    }

    @Override
    public String defaults() {
        return "/hop-latency.properties";
    }

    @Override
    public Topology topology() {
        return Topology.load("two-hops");
    }

    @Override
    public Map<Defence, List<String>> defences() {
        return Map.of(Defences.RETRY_POLICY, List.of("edge"));
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        LabDefaults settings = run.settings();
        Instant startedAt = Instant.now();
        URI edge = run.endpoints().url("edge");
        Duration latency = settings.duration("fault.latency");
        run.timeline().record(EventTimeline.RUN_STARTED, "hop-latency lab started", Map.of("latency_ms",
                latency.toMillis()));
        run.switchDefence(Defences.RETRY_POLICY, List.of("edge"), "none");
        Watches watches = run.watches();
        PhaseRunner.Run measured;
        try (PhaseRunner runner = new PhaseRunner(Map.of("edge",
                run.endpoints().management("edge").resolve(AdminPaths.PROMETHEUS)))) {
            List<Phase> phases = List.of(Phase.of("baseline", settings.duration("phase.baseline")),
                    new Phase("fault", settings.duration("phase.fault"), () -> {
                        run.faults().injectLatency("bottom", latency, Duration.ZERO,
                                settings.duration("phase.fault").plus(settings.duration("fault.ttl-margin")));
                        run.timeline().record(EventTimeline.FAULT_INJECTED, "fault injected: +" + latency.toMillis()
                                + " ms on the bottom", Map.of("proxy", "bottom"));
                    }),
                    new Phase("observe", settings.duration("phase.observe"), () -> {
                        run.faults().clearAll();
                        run.timeline().record(EventTimeline.FAULTS_CLEARED, "faults cleared", Map.of());
                    }));
            measured = runner.run(new PhaseRunner.SteadyLoad(edge.resolve(AdminPaths.CHAIN),
                    settings.number("load.rate"), settings.duration("load.timeout")),
                    (previous, current, load) -> Map.of(P50_MS, load.p50Millis(), "sent", (double) load.sent(),
                            "success", load.successRatio()),
                    phases, second -> {
                        run.progress(String.format(Locale.ROOT, "%-8s %2d s  p50 %5.0f ms", second.phase(),
                                second.phaseSecond(), second.figure(P50_MS)));
                        watches.observe(second.figures(), Map.of("phase", second.phase()), figure -> true);
                    });
        }
        double baseline = median(measured.phase("baseline"));
        double fault = median(measured.phase("fault"));
        List<Check> checks = List.of(
                Check.atLeast("added-p50-ms", "edge p50 in the fault minus the baseline's (ms)", fault - baseline,
                        settings.duration("hypothesis.min-added-p50").toMillis()),
                Check.atLeast("success", "edge success ratio in the fault", mean(measured.phase("fault"), "success"),
                        settings.number("hypothesis.min-success")));
        String table = String.format(Locale.ROOT, "| phase | p50 ms |%n|---|---|%n| baseline | %.1f |%n| fault | %.1f |%n",
                baseline, fault);
        double[] x = measured.seconds().stream().mapToDouble(SecondRecord::second).toArray();
        double[] y = measured.seconds().stream().mapToDouble(s -> s.figure(P50_MS)).toArray();
        String html = new HtmlReport().section("Edge p50", "Latency added on the bottom's proxy (shaded).",
                List.of(SvgChart.lines("Edge p50", "second", "ms", List.of(new SvgChart.Series("p50 ms", x, y)),
                        List.of()))).sections();
        List<EventTimeline.Event> events = run.timeline().events();
        Instant trigger = events.stream().filter(e -> e.type().equals(EventTimeline.FAULT_INJECTED))
                .map(EventTimeline.Event::at).findFirst().orElse(startedAt);
        Instant end = events.stream().filter(e -> e.type().equals(EventTimeline.FAULTS_CLEARED))
                .map(EventTimeline.Event::at).reduce((a, b) -> b).orElse(Instant.now());
        double sent = measured.phase("fault").stream().mapToDouble(s -> s.figure("sent")).sum();
        Incident incident = new Incident("slow bottom: +" + latency.toMillis() + " ms", 0, sent, trigger, end,
                "over when the fault was cleared", String.format(Locale.ROOT, "edge p50 %.0f ms against %.0f ms",
                fault, baseline), trigger, "runbooks/cascading-failure.md", List.of("Chain overview"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("baselineP50Ms", baseline);
        data.put("faultP50Ms", fault);
        return new LabResult(name(), title(), "Started " + startedAt + ".", startedAt, settings.all(), checks, table,
                "", html, incident, data);
    }

    private static double median(List<SecondRecord> seconds) {
        double[] values = seconds.stream().mapToDouble(s -> s.figure(P50_MS)).filter(Double::isFinite).sorted()
                .toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private static double mean(List<SecondRecord> seconds, String figure) {
        return seconds.stream().mapToDouble(s -> s.figure(figure)).average().orElse(Double.NaN);
    }
}
