package dev.failurelab.lab.queue;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The queue-overload lab's own result (the {@code data} of {@code result.json}): the measured
 * capacity and every row, and the report drawn from them: goodput against offered load for every
 * discipline (the AWS Builders' Library figure), and each row's signature over time.
 *
 * @param capacity the measured capacity C, requests per second
 * @param rows     one per queue discipline, in run order
 */
public record QueueResult(double capacity, List<RowResult> rows) {

    public QueueResult {
        rows = List.copyOf(rows);
    }

    /** The row of a discipline, if it ran. */
    public Optional<RowResult> row(String discipline) {
        return rows.stream().filter(r -> r.discipline().equals(discipline)).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "capacity C = %.0f req/s%n%n", capacity));
        table.append("| discipline     | goodput at 2C | p99 ok: base / 2C | backlog | drained after | wasted | shed  | batch of shed | live ok |\n");
        table.append("|----------------|---------------|-------------------|---------|---------------|--------|-------|---------------|---------|\n");
        for (RowResult r : rows) {
            table.append(String.format(Locale.ROOT, "| %-14s | %11.0f%%C | %6.0f / %6.0f ms | %7.0f | %13s | %5.1f%% | %5.0f | %12.0f%% | %6.1f%% |%n",
                    r.discipline(), r.holdGoodputShare() * 100, r.p99("baseline"), r.p99("hold"), r.backlog(),
                    Double.isInfinite(r.drainSeconds()) ? "not drained" : String.format(Locale.ROOT, "%.0f s",
                            r.drainSeconds()), r.wastedShare() * 100, r.total(QueueFigures.SHED),
                    r.batchShedShare() * 100, r.liveSuccess() * 100));
        }
        return table.toString();
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        List<SvgChart.Series> curves = new ArrayList<>();
        for (RowResult r : rows) {
            double[] offered = RowResult.PHASES.subList(0, 4).stream()
                    .mapToDouble(p -> r.mean(p, QueueFigures.OFFERED) / capacity).toArray();
            double[] goodput = RowResult.PHASES.subList(0, 4).stream()
                    .mapToDouble(p -> r.mean(p, QueueFigures.GOODPUT) / capacity).toArray();
            curves.add(new SvgChart.Series(r.discipline(), offered, goodput));
        }
        report.section("Goodput against offered load", String.format(Locale.ROOT, "Both as multiples of the measured"
                + " capacity C = %.0f req/s: the mean of each step of the ramp (0.5 C, C, 1.5 C, then the hold at"
                + " 2 C). Goodput: answers within the caller's deadline. An unbounded FIFO queue collapses past C;"
                + " a discipline that sheds early holds goodput near C (AWS Builders' Library, \"Using load shedding"
                + " to avoid overload\").", capacity), List.of(SvgChart.lines("Goodput / C against offered load / C",
                "offered / C", "goodput / C", curves, List.of())));
        for (RowResult r : rows) {
            report.section("Signature: " + r.discipline(), String.format(Locale.ROOT, "Goodput at 2 C: %.0f%% of C;"
                    + " backlog %.0f at the end of the hold, drained after %s; wasted work %.1f%% of what the bottom"
                    + " served.", r.holdGoodputShare() * 100, r.backlog(), Double.isInfinite(r.drainSeconds())
                    ? "more than the return phase" : String.format(Locale.ROOT, "%.0f s", r.drainSeconds()),
                    r.wastedShare() * 100), charts(r));
        }
        return report.sections();
    }

    private static List<String> charts(RowResult r) {
        List<SvgChart.Band> band = SvgChart.Band.ofPhase(r.seconds(), "hold", "2 C");
        return List.of(
                SvgChart.lines("Offered, goodput, served and shed per second", "second", "req/s", List.of(
                        SvgChart.Series.of("offered", r.seconds(), QueueFigures.OFFERED),
                        SvgChart.Series.of("goodput", r.seconds(), QueueFigures.GOODPUT),
                        SvgChart.Series.of("served by the bottom", r.seconds(), QueueFigures.SERVED),
                        SvgChart.Series.of("of which wasted", r.seconds(), QueueFigures.WASTED),
                        SvgChart.Series.of("shed", r.seconds(), QueueFigures.SHED)), band),
                SvgChart.lines("The bottom's queue depth", "second", "requests", List.of(
                        SvgChart.Series.of("queue depth", r.seconds(), QueueFigures.QUEUE)), band),
                SvgChart.lines("p99 of the successful answers", "second", "ms", List.of(
                        SvgChart.Series.of("p99 ok", r.seconds(), QueueFigures.P99_OK_MS)), band));
    }


    /** Per second, one table per row. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (RowResult r : rows) {
            md.append("### ").append(r.discipline()).append("\n\n| s | phase | offered/s | goodput | p99 ok ms | queue |"
                    + " served | wasted | shed | shed batch |\n|---|---|---|---|---|---|---|---|---|---|\n");
            r.seconds().forEach(s -> md.append(String.format(Locale.ROOT,
                    "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", s.second(), s.phase(),
                    s.figure(QueueFigures.OFFERED), s.figure(QueueFigures.GOODPUT), s.figure(QueueFigures.P99_OK_MS),
                    s.figure(QueueFigures.QUEUE), s.figure(QueueFigures.SERVED), s.figure(QueueFigures.WASTED),
                    s.figure(QueueFigures.SHED), s.figure(QueueFigures.SHED_BATCH))));
            md.append('\n');
        }
        return md.toString();
    }
}
