package dev.failurelab.lab.partition;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hot-partition lab's own result (the {@code data} of {@code result.json}) and the report drawn
 * from it: per row, the requests on each shard over time (the hot shard's line leaves the others
 * under plain hashing), the share throttled, and the p99 of the hot shard's keys against the others'.
 *
 * @param hotShard       the celebrity's home shard (1 to N)
 * @param shards         the number of shards
 * @param celebrity      the celebrity's key
 * @param celebrityShare the share of requests the trigger sends to it
 * @param rows           one per row, in run order
 */
public record PartitionResult(int hotShard, int shards, String celebrity, double celebrityShare,
        List<RowResult> rows) {

    public PartitionResult {
        rows = List.copyOf(rows);
    }

    /** The row of an id, if it ran. */
    public Optional<RowResult> row(String id) {
        return rows.stream().filter(r -> r.row().equals(id)).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "celebrity '%s' (%.0f%% of requests under"
                + " the trigger) on shard %d of %d; judged: the trigger's seconds after the hot-key window%n%n",
                celebrity, celebrityShare * 100, hotShard, shards));
        table.append("| row            | max/mean | worst second | writes max/mean | throttled | off home | shard-local hits | hot-key calls/s | p99 hot shard / others |\n");
        table.append("|----------------|----------|--------------|-----------------|-----------|----------|------------------|-----------------|------------------------|\n");
        for (RowResult r : rows) {
            table.append(String.format(Locale.ROOT, "| %-14s | %8.2f | %12.2f | %15s | %8.1f%% | %7.1f%% | %15.1f%% | %15.1f | %8.0f / %6.0f ms |%n",
                    r.row(), r.maxMean(), r.worstSecondMaxMean(), Double.isNaN(r.writeMaxMean()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", r.writeMaxMean()), r.throttledShare() * 100,
                    r.offHomeShare() * 100, r.localHitRatio() * 100, r.hotCallsPerSecond(),
                    r.p99(PartitionFigures.P99_HOT_SHARD_MS), r.p99(PartitionFigures.P99_OTHERS_MS)));
        }
        return table.toString();
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (RowResult r : rows) {
            bars.add(new SvgChart.Bar(r.row(), r.maxMean()));
        }
        report.section("Max/mean across the shards", String.format(Locale.ROOT, "Requests per shard under the"
                + " trigger, the busiest shard over the average (1 = even). Plain hashing sends every request for"
                + " '%s' to shard %d; bounded-load hashing holds every shard within (1 + ε) of the average"
                + " (Mirrokni, Thorup and Zadimoghaddam, SODA 2018).", celebrity, hotShard),
                List.of(SvgChart.bars("Max / mean of the requests per shard", "max / mean", bars)));
        for (RowResult r : rows) {
            report.section("Signature: " + r.row(), String.format(Locale.ROOT, "Max/mean %.2f (worst second %.2f),"
                    + " writes %.2f; %.1f%% throttled; %.1f%% of placements off their key's home; %.1f shard calls"
                    + " per second for hot keys.", r.maxMean(), r.worstSecondMaxMean(), r.writeMaxMean(),
                    r.throttledShare() * 100, r.offHomeShare() * 100, r.hotCallsPerSecond()), charts(r));
        }
        return report.sections();
    }

    private List<String> charts(RowResult r) {
        List<SvgChart.Band> band = SvgChart.Band.ofPhase(r.seconds(), RowResult.CELEBRITY, "celebrity");
        List<SvgChart.Series> perShard = new ArrayList<>();
        for (int n = 1; n <= shards; n++) {
            perShard.add(SvgChart.Series.of("shard " + n + (n == hotShard ? " (hot)" : ""), r.seconds(), PartitionFigures.shard(n)));
        }
        return List.of(
                SvgChart.lines("Requests placed on each shard per second", "second", "req/s", perShard, band),
                SvgChart.lines("Throttled (429) and shard calls for hot keys per second", "second", "req/s", List.of(
                        SvgChart.Series.of("throttled", r.seconds(), PartitionFigures.THROTTLED),
                        SvgChart.Series.of("shard calls for hot keys", r.seconds(), PartitionFigures.HOT_CALLS),
                        SvgChart.Series.of("coalesced", r.seconds(), PartitionFigures.COALESCED),
                        SvgChart.Series.of("hot-key cache hits", r.seconds(), PartitionFigures.CACHE_HITS)), band),
                SvgChart.lines("p99 by the key's home shard", "second", "ms", List.of(
                        SvgChart.Series.of("keys on shard " + hotShard, r.seconds(), PartitionFigures.P99_HOT_SHARD_MS),
                        SvgChart.Series.of("keys on the other shards", r.seconds(), PartitionFigures.P99_OTHERS_MS)), band));
    }


    /** Per second, one table per row. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (RowResult r : rows) {
            md.append("### ").append(r.row()).append("\n\n| s | phase | offered/s | throttled | max/mean | writes max/mean"
                    + " | off home | hot-key calls | coalesced | cache hits | p99 hot shard ms | p99 others ms |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            r.seconds().forEach(s -> md.append(String.format(Locale.ROOT,
                    "| %d | %s | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", s.second(),
                    s.phase(), s.figure(PartitionFigures.OFFERED), s.figure(PartitionFigures.THROTTLED),
                    s.figure(PartitionFigures.MAX_MEAN), s.figure(PartitionFigures.WRITE_MAX_MEAN),
                    s.figure(PartitionFigures.OFF_HOME), s.figure(PartitionFigures.HOT_CALLS),
                    s.figure(PartitionFigures.COALESCED), s.figure(PartitionFigures.CACHE_HITS),
                    s.figure(PartitionFigures.P99_HOT_SHARD_MS), s.figure(PartitionFigures.P99_OTHERS_MS))));
            md.append('\n');
        }
        return md.toString();
    }
}
