package dev.failurelab.lab.dns;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS lab's own result (the {@code data} of {@code result.json}) and the report drawn from it:
 * per row, the errors over time against the requests the bottom's proxy forwarded (the signature:
 * errors while the proxy counts nothing), the stale answers served, and the p99.
 *
 * @param outageFault the outage's DNS fault (servfail, nxdomain or drop)
 * @param slowDelayMs the slow answers' delay
 * @param rows        one per row, in run order
 */
public record DnsResult(String outageFault, long slowDelayMs, List<RowResult> rows) {

    public DnsResult {
        rows = List.copyOf(rows);
    }

    public Optional<RowResult> row(String id) {
        return rows.stream().filter(r -> r.row().equals(id)).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "outage: %s on both DNS servers; slow: every"
                + " answer %d ms late%n%n", outageFault, slowDelayMs));
        table.append("| row                | errors under the fault | peak second | first errors after | proxy share while failing | recovered after | stale answers | p99 baseline / fault |\n");
        table.append("|--------------------|------------------------|-------------|--------------------|---------------------------|-----------------|---------------|----------------------|\n");
        for (RowResult r : rows) {
            table.append(String.format(Locale.ROOT, "| %-18s | %21.2f%% | %10.1f%% | %18s | %25s | %15s | %13.0f | %7.0f / %6.0f ms |%n",
                    r.row(), r.faultErrorShare() * 100, r.peakErrorShare() * 100, seconds(r.onsetSeconds()),
                    Double.isNaN(r.proxyShareWhileFailing()) ? "-" : String.format(Locale.ROOT, "%.2f%%",
                            r.proxyShareWhileFailing() * 100), seconds(r.recoverySeconds()), r.staleServed(),
                    r.p99BaselineMs(), r.p99FaultMs()));
        }
        return table.toString();
    }

    private static String seconds(double s) {
        return Double.isInfinite(s) ? "-" : String.format(Locale.ROOT, "%.0f s", s);
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        for (RowResult r : rows) {
            List<SvgChart.Band> band = SvgChart.Band.ofPhase(r.seconds(), r.faultPhase(), r.faultPhase());
            report.section("Signature: " + r.row(), String.format(Locale.ROOT, "%.2f%% errors under the fault (worst"
                    + " second %.1f%%); %.0f unknown-host attempts; %.0f stale answers served; p99 %.0f ms at baseline,"
                    + " %.0f ms under the fault.", r.faultErrorShare() * 100, r.peakErrorShare() * 100, r.unknownHost(),
                    r.staleServed(), r.p99BaselineMs(), r.p99FaultMs()), List.of(
                    SvgChart.lines("Errors, unknown-host attempts and the bottom proxy's requests per second", "second",
                            "req/s", List.of(SvgChart.Series.of("errors", r.seconds(), DnsFigures.ERRORS),
                                    SvgChart.Series.of("unknown-host attempts", r.seconds(), DnsFigures.UNKNOWN_HOST),
                                    SvgChart.Series.of("requests through the bottom's proxy", r.seconds(), DnsFigures.PROXY_BOTTOM),
                                    SvgChart.Series.of("stale answers served", r.seconds(), DnsFigures.STALE)), band),
                    SvgChart.lines("p99 latency", "second", "ms", List.of(SvgChart.Series.of("p99", r.seconds(), DnsFigures.P99_MS)),
                            band)));
        }
        return report.sections();
    }


    /** Per second, one table per row. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (RowResult r : rows) {
            md.append("### ").append(r.row()).append("\n\n| s | phase | offered/s | ok | errors | unknown host | stale"
                    + " | lookup failures | bottom proxy | DNS queries | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            r.seconds().forEach(s -> md.append(String.format(Locale.ROOT,
                    "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", s.second(), s.phase(),
                    s.figure(DnsFigures.OFFERED), s.figure(DnsFigures.OK), s.figure(DnsFigures.ERRORS),
                    s.figure(DnsFigures.UNKNOWN_HOST), s.figure(DnsFigures.STALE), s.figure(DnsFigures.LOOKUP_FAILURES),
                    s.figure(DnsFigures.PROXY_BOTTOM), s.figure(DnsFigures.DNS_QUERIES), s.figure(DnsFigures.P99_MS))));
            md.append('\n');
        }
        return md.toString();
    }
}
