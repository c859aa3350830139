package dev.failurelab.lab.cascade;

import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The cascade lab's own result (the {@code data} of {@code result.json}): every cell measured, and
 * the report drawn from them: the phase map of each full row (trigger size × duration, coloured by
 * outcome, as the paper's figure), the table of which cells each defence alone rescues, and the
 * signature of the largest cell over time.
 *
 * @param grid  the trigger's sizes and durations
 * @param cells every cell, in run order
 */
public record CascadeResult(CascadeLab.Grid grid, List<CellResult> cells) {

    /** The cells of one row, in run order. */
    public List<CellResult> row(String row) {
        return cells.stream().filter(c -> c.row().equals(row)).toList();
    }

    /** The rows measured, in run order. */
    public List<String> rows() {
        Set<String> rows = new LinkedHashSet<>();
        cells.forEach(c -> rows.add(c.row()));
        return List.copyOf(rows);
    }

    private Optional<CellResult> find(String row, double magnitude, long seconds) {
        return cells.stream().filter(c -> c.row().equals(row) && c.magnitude() == magnitude
                && c.triggerSeconds() == seconds).findFirst();
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| row         | cell      | outcome                     | amplification | answered in trigger | breaker open after |\n");
        table.append("|-------------|-----------|-----------------------------|---------------|---------------------|--------------------|\n");
        for (CellResult c : cells) {
            table.append(String.format(Locale.ROOT, "| %-11s | %-9s | %-27s | %12.2fx | %18.1f%% | %-18s |%n", c.row(),
                    c.cell(), c.label(), c.triggerAmplification(), c.triggerAnswered() * 100,
                    Double.isNaN(c.breakerOpenSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f s",
                            c.breakerOpenSeconds())));
        }
        return table.toString();
    }

    /** The report's sections. */
    public String htmlSections() {
        HtmlReport report = new HtmlReport();
        for (String row : rows()) {
            if (row(row).size() == grid.magnitudes().size() * grid.durations().size()) {
                report.section("Phase map: " + row, "Rows: the share of the bottom's capacity cut; columns: how long."
                        + " Green recovered (goodput back at its baseline share), red metastable (goodput stayed under"
                        + " its metastable share for the whole observation), orange neither.", List.of(phaseMap(row)));
            }
        }
        List<String> single = rows().stream().filter(r -> !r.equals("naive") && !r.equals("all")).toList();
        // the cells naive did not recover that some defence alone was tried on
        List<CellResult> naiveDown = row("naive").stream().filter(c -> !c.outcome().equals(CellResult.RECOVERED)
                && single.stream().anyMatch(r -> find(r, c.magnitude(), c.triggerSeconds()).isPresent())).toList();
        if (!naiveDown.isEmpty() && !single.isEmpty()) {
            List<String> header = new ArrayList<>();
            header.add("defence alone");
            naiveDown.forEach(c -> header.add(c.cell()));
            List<List<String>> rows = new ArrayList<>();
            for (String defence : single) {
                List<String> line = new ArrayList<>();
                line.add(defence);
                for (CellResult cell : naiveDown) {
                    line.add(find(defence, cell.magnitude(), cell.triggerSeconds()).map(c -> c.label()
                            + String.format(Locale.ROOT, "; in the trigger: %.2fx, %.0f%% answered",
                            c.triggerAmplification(), c.triggerAnswered() * 100)).orElse("-"));
                }
                rows.add(line);
            }
            report.table("Which cells each defence rescues alone (the cells naive retries did not recover): after the"
                    + " trigger, and during it", header, rows);
        }
        for (String row : List.of("naive", "all")) {
            row(row).stream().max(java.util.Comparator.comparingDouble(CellResult::magnitude)
                    .thenComparingInt(CellResult::triggerSeconds)).ifPresent(c -> report.section(
                    "Signature: " + row + " " + c.cell(), c.label() + String.format(Locale.ROOT,
                            "; amplification %.2fx during the trigger.", c.triggerAmplification()), charts(c)));
        }
        return report.sections();
    }

    private static List<String> charts(CellResult c) {
        List<SvgChart.Band> band = SvgChart.Band.ofPhase(c.seconds(), "trigger", "trigger");
        return List.of(
                SvgChart.lines("Edge requests and goodput per second", "second", "req/s", List.of(
                        SvgChart.Series.of("edge req/s", c.seconds(), CascadeFigures.EDGE_RPS),
                        SvgChart.Series.of("goodput (full answers)", c.seconds(), CascadeFigures.GOODPUT),
                        SvgChart.Series.of("degraded", c.seconds(), CascadeFigures.DEGRADED)), band),
                SvgChart.lines("Bottom arrivals per second (the gap to the edge is the amplification)", "second",
                        "req/s", List.of(SvgChart.Series.of("bottom req/s", c.seconds(), CascadeFigures.BOTTOM_RPS),
                                SvgChart.Series.of("shed req/s", c.seconds(), CascadeFigures.SHED_RPS)), band),
                SvgChart.lines("Defences' signals", "second", "value", List.of(
                        SvgChart.Series.of("breakers open", c.seconds(), CascadeFigures.BREAKERS_OPEN),
                        SvgChart.Series.of("throttle probability", c.seconds(), CascadeFigures.THROTTLE_P)), band));
    }

    /** The phase map of {@code row} as an inline SVG grid: sizes down, durations across. */
    String phaseMap(String row) {
        int cellW = 150;
        int cellH = 44;
        int left = 70;
        int top = 40;
        List<Double> sizes = new ArrayList<>(grid.magnitudes());
        sizes.sort(java.util.Comparator.reverseOrder());
        int width = left + cellW * grid.durations().size() + 10;
        int height = top + cellH * sizes.size() + 30;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" data-map=\"%s\">",
                width, height, SvgChart.escape(row)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s: trigger duration across,"
                + " capacity cut down</text>", left, SvgChart.escape(row)));
        for (int j = 0; j < grid.durations().size(); j++) {
            Duration d = grid.durations().get(j);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%d s"
                    + "</text>", left + j * cellW + cellW / 2, top - 6, d.toSeconds()));
        }
        for (int i = 0; i < sizes.size(); i++) {
            double m = sizes.get(i);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%.0f%%"
                    + "</text>", left - 6, top + i * cellH + cellH / 2 + 4, m * 100));
            for (int j = 0; j < grid.durations().size(); j++) {
                Optional<CellResult> cell = find(row, m, grid.durations().get(j).toSeconds());
                String outcome = cell.map(CellResult::outcome).orElse("none");
                String colour = switch (outcome) {
                    case CellResult.RECOVERED -> "#2ca02c";
                    case CellResult.METASTABLE -> "#d62728";
                    case CellResult.SLOW -> "#ff7f0e";
                    default -> "#cccccc";
                };
                int x = left + j * cellW;
                int y = top + i * cellH;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
                                + " stroke=\"#ffffff\" data-row=\"%s\" data-cell=\"%s\" data-outcome=\"%s\"/>", x, y,
                        cellW, cellH, colour, SvgChart.escape(row), cell.map(CellResult::cell).orElse(""), outcome));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#ffffff\""
                        + " text-anchor=\"middle\">%s</text>", x + cellW / 2, y + cellH / 2 + 4,
                        SvgChart.escape(cell.map(CellResult::label).orElse("-"))));
            }
        }
        return svg.append("</svg>").toString();
    }

    /** Per second, one table per cell. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Per second\n\n");
        for (CellResult c : cells) {
            md.append("### ").append(c.row()).append(' ').append(c.cell()).append(": ").append(c.label())
                    .append("\n\n| s | phase | edge req/s | goodput | answered | degraded | bottom req/s | amplification"
                            + " | breakers open | throttle p | shed/s | queue |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            c.seconds().forEach(s -> md.append(String.format(Locale.ROOT,
                    "| %d | %s | %.0f | %.0f | %.1f%% | %.0f | %.0f | %.2f | %.0f | %.2f | %.0f | %.0f |%n", s.second(),
                    s.phase(), s.figure(CascadeFigures.EDGE_RPS), s.figure(CascadeFigures.GOODPUT),
                    s.figure(CascadeFigures.ANSWERED) * 100, s.figure(CascadeFigures.DEGRADED),
                    s.figure(CascadeFigures.BOTTOM_RPS), s.figure(CascadeFigures.AMPLIFICATION),
                    s.figure(CascadeFigures.BREAKERS_OPEN), s.figure(CascadeFigures.THROTTLE_P),
                    s.figure(CascadeFigures.SHED_RPS), s.figure(CascadeFigures.BOTTOM_QUEUE))));
            md.append('\n');
        }
        return md.toString();
    }
}
