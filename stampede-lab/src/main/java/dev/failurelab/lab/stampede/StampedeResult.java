package dev.failurelab.lab.stampede;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stampede lab's own result (the {@code data} of {@code result.json}): each strategy's bursts,
 * and the report sections drawn from them.
 *
 * @param strategies per-strategy results, in run order
 */
public record StampedeResult(List<StrategyResult> strategies) {

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| strategy | origin queries | errors | p50 ms | p99 ms | fresh-key p99 ms | recompute ms | waiters' p99 wait ms | pool wait ms |\n");
        table.append("|----------|----------------|--------|--------|--------|------------------|--------------|----------------------|--------------|\n");
        for (StrategyResult r : strategies) {
            Shot s = r.expiry();
            table.append(String.format(Locale.ROOT, "| %-8s | %14.0f | %6d | %6.1f | %6.1f | %16.1f | %12.0f | %20s | %12.0f |%n",
                    r.strategy(), s.originQueries(), s.errors(), s.p50Ms(), s.p99Ms(), r.hit().p99Ms(), s.recomputeMs(),
                    Double.isNaN(s.waitP99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f", s.waitP99Ms()),
                    s.poolWaitMs()));
        }
        return table.toString();
    }

    /** The report's sections: the comparison, and per strategy its burst at the expiry. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult r : strategies) {
            Shot s = r.expiry();
            rows.add(List.of(r.strategy(), SvgChart.number(s.originQueries()), Long.toString(s.errors()),
                    SvgChart.number(s.p50Ms()), SvgChart.number(s.p99Ms()), SvgChart.number(r.hit().p99Ms()),
                    String.valueOf(s.sources())));
        }
        report.table("Comparison (the burst at the expiry)", List.of("strategy", "origin queries", "errors", "p50 ms",
                "p99 ms", "fresh-key p99 ms", "answers by source"), rows);
        report.section("All strategies", "One burst per strategy at the instant the key expired.", List.of(
                SvgChart.bars("Origin queries for one expiry", "queries", strategies.stream()
                        .map(r -> new SvgChart.Bar(r.strategy(), r.expiry().originQueries())).toList()),
                SvgChart.bars("Errors in the burst", "requests", strategies.stream()
                        .map(r -> new SvgChart.Bar(r.strategy(), r.expiry().errors())).toList()),
                SvgChart.bars("p99 at the expiry", "ms", strategies.stream()
                        .map(r -> new SvgChart.Bar(r.strategy(), r.expiry().p99Ms())).toList()),
                SvgChart.bars("p99 on the fresh key (baseline)", "ms", strategies.stream()
                        .map(r -> new SvgChart.Bar(r.strategy(), r.hit().p99Ms())).toList())));
        for (StrategyResult r : strategies) {
            report.section("Strategy " + r.strategy(), "Origin queries by when they started (100 ms buckets, 0 = the"
                    + " expiry), and the burst's latency distribution.", List.of(
                    SvgChart.bars("Origin queries around the expiry", "queries", buckets(r.expiry().recomputesMs())),
                    SvgChart.bars("Latency distribution of the burst", "ms", r.expiry().latencyMs().entrySet().stream()
                            .map(e -> new SvgChart.Bar(e.getKey(), e.getValue())).toList())));
        }
        return report.sections();
    }

    /** Recompute start times in 100 ms buckets, from the earliest to the latest (at least -0.5 s to +1 s). */
    static List<SvgChart.Bar> buckets(List<Long> recomputesMs) {
        long first = Math.min(-500, recomputesMs.stream().mapToLong(Long::longValue).min().orElse(0)) / 100 * 100;
        long last = Math.max(1000, recomputesMs.stream().mapToLong(Long::longValue).max().orElse(0));
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (long from = first; from <= last && bars.size() < 40; from += 100) {
            long start = from;
            long count = recomputesMs.stream().filter(ms -> ms >= start && ms < start + 100).count();
            bars.add(new SvgChart.Bar(Long.toString(start), count));
        }
        return bars;
    }

    /** Where the answers came from, and XFetch under steady reads. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Where the answers came from\n\n| strategy | fresh key | at expiry |\n|---|---|---|\n");
        strategies.forEach(r -> md.append("| ").append(r.strategy()).append(" | ").append(r.hit().sources())
                .append(" | ").append(r.expiry().sources()).append(" |\n"));
        strategies.stream().filter(r -> r.steady() != null).forEach(r -> md.append(String.format(Locale.ROOT,
                "%n## XFetch under steady reads%n%nAt %.0f req/s for %d s through an expiry: %d early recomputes, "
                        + "%s ms before the expiry; %d reads found the key expired. The burst that arrived after an "
                        + "expiry nobody read through cost %.0f queries: XFetch needs traffic before the expiry.%n",
                r.steady().rate(), r.steady().seconds(), r.steady().earlyRecomputes(), r.steady().leadMs(),
                r.steady().misses(), r.expiry().originQueries())));
        return md.toString();
    }
}
