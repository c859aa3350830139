package dev.failurelab.lab.splitbrain;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The split-brain lab's own result (the {@code data} of {@code result.json}) and the report drawn
 * from it: per row, the leaders at one instant and the writes acknowledged over time.
 *
 * @param rows one per row, in run order
 */
public record SplitBrainResult(List<RowResult> rows) {

    public SplitBrainResult {
        rows = List.copyOf(rows);
    }

    public Optional<RowResult> row(String id) {
        return rows.stream().filter(r -> r.row().equals(id)).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| row                  | leadership | fencing | leaders at once | acked | lost | conflicting at heal | discarded | not linearizable | minority commits | majority commits after | stale accepted | fenced |\n");
        table.append("|----------------------|------------|---------|-----------------|-------|------|---------------------|-----------|------------------|------------------|------------------------|----------------|--------|\n");
        for (RowResult r : rows) {
            table.append(String.format(Locale.ROOT, "| %-20s | %-10s | %-7s | %15.0f | %5.0f | %4.0f | %19.0f | %9.0f | %16s | %16.0f | %22s | %14.0f | %6.0f |%n",
                    r.row(), r.leadership(), r.fencing(), r.maxLeaders(), r.acked(), r.lost(), r.conflicting(),
                    r.discarded(), String.format(Locale.ROOT, "%.0f%s", r.violations(),
                            r.undecided() > 0 ? String.format(Locale.ROOT, " (+%.0f ?)", r.undecided()) : ""),
                    r.minorityCommits(), r.recoverySeconds() < 0 ? "-"
                            : String.format(Locale.ROOT, "%.1f s", r.recoverySeconds()),
                    r.stale(), r.fenced()));
        }
        return table.toString();
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        for (RowResult r : rows) {
            List<SvgChart.Band> band = SvgChart.Band.ofPhase(r.seconds(), r.faultPhase(), r.faultPhase());
            report.section("Signature: " + r.row(), String.format(Locale.ROOT, "%s leadership, fencing %s, the fault on"
                    + " %s. %.0f nodes led at once; %.0f of %.0f acknowledged writes lost; %.0f registers not"
                    + " linearizable%s; %.0f stale writes accepted, %.0f fenced.", r.leadership(), r.fencing(),
                    r.target(), r.maxLeaders(), r.lost(), r.acked(), r.violations(),
                    r.culprit() == null ? "" : " (" + r.culprit() + ")", r.stale(), r.fenced()), List.of(
                    SvgChart.lines("Nodes that said they led at one instant, and the term", "second", "nodes / term",
                            List.of(SvgChart.Series.of("leaders", r.seconds(), SplitBrainFigures.LEADERS),
                                    SvgChart.Series.of("term", r.seconds(), SplitBrainFigures.TERM)), band),
                    SvgChart.lines("Writes per second by outcome", "second", "writes/s",
                            List.of(SvgChart.Series.of("acknowledged", r.seconds(), SplitBrainFigures.ACKED),
                                    SvgChart.Series.of("acknowledged by " + r.target(), r.seconds(),
                                            SplitBrainFigures.ACKED_STRUCK),
                                    SvgChart.Series.of("refused", r.seconds(), SplitBrainFigures.REFUSED),
                                    SvgChart.Series.of("unknown outcome", r.seconds(), SplitBrainFigures.UNKNOWN)), band)));
        }
        return report.sections();
    }

    /** Per second, one table per row. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (RowResult r : rows) {
            md.append("### ").append(r.row()).append("\n\n");
            if (!r.lostExamples().isEmpty()) {
                md.append("Lost acknowledged writes (first ").append(r.lostExamples().size()).append("): ")
                        .append(String.join(", ", r.lostExamples())).append("\n\n");
            }
            if (r.culprit() != null) {
                md.append("Linearizability: no order places ").append(r.culprit()).append(".\n\n");
            }
            md.append("| s | phase | leaders | term | acked | acked by ").append(r.target())
                    .append(" | refused | unknown | reads |\n|---|---|---|---|---|---|---|---|---|\n");
            r.seconds().forEach(s -> md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                    s.second(), s.phase(), s.figure(SplitBrainFigures.LEADERS), s.figure(SplitBrainFigures.TERM),
                    s.figure(SplitBrainFigures.ACKED), s.figure(SplitBrainFigures.ACKED_STRUCK),
                    s.figure(SplitBrainFigures.REFUSED), s.figure(SplitBrainFigures.UNKNOWN),
                    s.figure(SplitBrainFigures.READS))));
            md.append('\n');
        }
        return md.toString();
    }
}
