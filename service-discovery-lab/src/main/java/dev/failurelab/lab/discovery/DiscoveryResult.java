package dev.failurelab.lab.discovery;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service-discovery lab's own result (the {@code data} of {@code result.json}) and the report
 * drawn from it: per row, the errors over time against the instances the registry holds and the
 * middle calls.
 *
 * @param rows one per row, in run order
 */
public record DiscoveryResult(List<RowResult> rows) {

    public DiscoveryResult {
        rows = List.copyOf(rows);
    }

    public Optional<RowResult> row(String id) {
        return rows.stream().filter(r -> r.row().equals(id)).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| row                        | errors under the fault | worst second | evicted | fewest registered | self-preserving s | membership changes (max/min) | stale window | retries | ejections | oldest registry data |\n");
        table.append("|----------------------------|------------------------|--------------|---------|-------------------|-------------------|------------------------------|--------------|---------|-----------|----------------------|\n");
        for (RowResult r : rows) {
            table.append(String.format(Locale.ROOT, "| %-26s | %21.2f%% | %11.1f%% | %7.0f | %17.0f | %17.0f | %13.0f (%4.0f /min) | %12s | %7.0f | %9.0f | %18.1f s |%n",
                    r.row(), r.faultErrorShare() * 100, r.peakErrorShare() * 100, r.evictions(), r.minRegistered(),
                    r.selfPreservingSeconds(), r.membershipChanges(), r.maxChangesPerMinute(),
                    r.target() == null || !r.faultPhase().equals(Row.Fault.KILL.phase) ? "-"
                            : Double.isInfinite(r.staleWindowSeconds()) ? "whole fault"
                            : String.format(Locale.ROOT, "%.0f s", r.staleWindowSeconds()),
                    r.retries(), r.ejections(), r.maxRegistryAge()));
        }
        return table.toString();
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        for (RowResult r : rows) {
            List<SvgChart.Band> band = SvgChart.Band.ofPhase(r.seconds(), r.faultPhase(), r.faultPhase());
            report.section("Signature: " + r.row(), String.format(Locale.ROOT, "%.2f%% errors under the fault (worst"
                    + " second %.1f%%); %.0f evicted; %.0f membership changes; %.0f retries on another instance; %.0f"
                    + " ejections.", r.faultErrorShare() * 100, r.peakErrorShare() * 100, r.evictions(),
                    r.membershipChanges(), r.retries(), r.ejections()), List.of(
                    SvgChart.lines("Errors and calls to the instance under the fault, per second", "second", "req/s",
                            List.of(SvgChart.Series.of("errors", r.seconds(), DiscoveryFigures.ERRORS),
                                    SvgChart.Series.of("calls to " + (r.target() == null ? "-" : r.target()),
                                            r.seconds(), DiscoveryFigures.TARGET_CALLS),
                                    SvgChart.Series.of("retries on another instance", r.seconds(), DiscoveryFigures.RETRIES)), band),
                    SvgChart.lines("Instances: registered, known to the middle, called by it", "second", "instances",
                            List.of(SvgChart.Series.of("registered", r.seconds(), DiscoveryFigures.REGISTERED),
                                    SvgChart.Series.of("known (middle)", r.seconds(), DiscoveryFigures.KNOWN),
                                    SvgChart.Series.of("called (middle)", r.seconds(), DiscoveryFigures.ELIGIBLE),
                                    SvgChart.Series.of("self-preserving", r.seconds(), DiscoveryFigures.SELF_PRESERVING)), band)));
        }
        return report.sections();
    }


    /** Per second, one table per row. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (RowResult r : rows) {
            md.append("### ").append(r.row()).append("\n\n| s | phase | offered/s | ok | errors | registered | known |"
                    + " called | evictions | self-preserving | changes | calls to target | retries | ejections |"
                    + " registry age s | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            r.seconds().forEach(s -> md.append(String.format(Locale.ROOT,
                    "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f |%n",
                    s.second(), s.phase(), s.figure(DiscoveryFigures.OFFERED), s.figure(DiscoveryFigures.OK),
                    s.figure(DiscoveryFigures.ERRORS), s.figure(DiscoveryFigures.REGISTERED),
                    s.figure(DiscoveryFigures.KNOWN), s.figure(DiscoveryFigures.ELIGIBLE),
                    s.figure(DiscoveryFigures.EVICTIONS), s.figure(DiscoveryFigures.SELF_PRESERVING),
                    s.figure(DiscoveryFigures.MEMBERSHIP_CHANGES), s.figure(DiscoveryFigures.TARGET_CALLS),
                    s.figure(DiscoveryFigures.RETRIES), s.figure(DiscoveryFigures.EJECTIONS),
                    s.figure(DiscoveryFigures.REGISTRY_AGE), s.figure(DiscoveryFigures.P99_MS))));
            md.append('\n');
        }
        return md.toString();
    }
}
