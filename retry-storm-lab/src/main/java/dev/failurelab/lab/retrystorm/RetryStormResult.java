package dev.failurelab.lab.retrystorm;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retry-storm lab's own result (the {@code data} of {@code result.json}): each policy's
 * figures, and the report sections drawn from them.
 *
 * @param policies per-policy results, in run order
 */
public record RetryStormResult(List<PolicyResult> policies) {

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| policy  | amplification (peak) | bottom req/s | edge success in brownout | recovery after brownout |\n");
        table.append("|---------|----------------------|--------------|--------------------------|-------------------------|\n");
        for (PolicyResult p : policies) {
            table.append(String.format(Locale.ROOT, "| %-7s | %5.2fx (%5.2fx)       | %12.0f | %23.1f%% | %-23s |%n",
                    p.policy(), p.brownoutAmplification(), p.peakAmplification(), p.brownoutBottomRate(),
                    p.brownoutSuccess() * 100, p.recoveryText()));
        }
        return table.toString();
    }

    /** The report's sections: the comparison, and per policy the storm's picture second by second. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        List<List<String>> rows = new ArrayList<>();
        for (PolicyResult p : policies) {
            rows.add(List.of(p.policy(), String.format(Locale.ROOT, "%.2fx", p.brownoutAmplification()),
                    String.format(Locale.ROOT, "%.2fx", p.peakAmplification()),
                    String.format(Locale.ROOT, "%.0f", p.brownoutBottomRate()),
                    String.format(Locale.ROOT, "%.1f%%", p.brownoutSuccess() * 100), p.recoveryText()));
        }
        report.table("Comparison", List.of("policy", "amplification", "peak", "bottom req/s in brownout",
                "edge success in brownout", "recovery after brownout"), rows);
        for (PolicyResult p : policies) {
            List<SvgChart.Band> brownout = SvgChart.Band.ofPhase(p.seconds(), "brownout", "brownout");
            report.section("Policy " + p.policy(), String.format(Locale.ROOT, "Amplification %.2fx in the brownout"
                    + " (peak %.2fx); recovery: %s.", p.brownoutAmplification(), p.peakAmplification(), p.recoveryText()),
                    List.of(SvgChart.lines("Edge vs bottom requests per second (the gap is the amplification)",
                                    "second", "req/s", List.of(SvgChart.Series.of("edge req/s", p.seconds(), RetryStormFigures.EDGE_RPS),
                                            SvgChart.Series.of("bottom req/s", p.seconds(), RetryStormFigures.BOTTOM_RPS)), brownout),
                            SvgChart.lines("Edge success ratio", "second", "ratio",
                                    List.of(SvgChart.Series.of("success", p.seconds(), RetryStormFigures.SUCCESS)), brownout),
                            SvgChart.lines("Edge p99 latency", "second", "ms",
                                    List.of(SvgChart.Series.of("p99 ms", p.seconds(), RetryStormFigures.P99_MS)), brownout),
                            SvgChart.lines("Retry budget tokens", "second", "tokens",
                                    List.of(SvgChart.Series.of("tokens", p.seconds(), RetryStormFigures.BUDGET_TOKENS)), brownout)));
        }
        return report.sections();
    }


    /** The per-second tables, one per policy. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (PolicyResult p : policies) {
            md.append("### ").append(p.policy()).append("\n\n| s | phase | edge req/s | success | p99 ms | bottom req/s | amplification | budget tokens |\n|---|---|---|---|---|---|---|---|\n");
            p.seconds().forEach(s -> md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.1f%% | %.0f | %.0f | %.2f | %.1f |%n",
                    s.second(), s.phase(), s.figure(RetryStormFigures.EDGE_RPS), s.figure(RetryStormFigures.SUCCESS) * 100,
                    s.figure(RetryStormFigures.P99_MS), s.figure(RetryStormFigures.BOTTOM_RPS),
                    s.figure(RetryStormFigures.AMPLIFICATION), s.figure(RetryStormFigures.BUDGET_TOKENS))));
            md.append('\n');
        }
        return md.toString();
    }
}
