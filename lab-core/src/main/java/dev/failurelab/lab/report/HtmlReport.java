package dev.failurelab.lab.report;

import dev.failurelab.lab.experiment.Check;
import java.util.List;
import java.util.Locale;

/**
 * A lab run's self-contained HTML report: a verdict banner per hypothesis, then sections of
 * charts (inline SVG, see {@link SvgChart}) and tables. No scripts, no fonts, no network. A lab
 * builds its sections with an instance; {@link #page} makes the page.
 *
 * <p>Not thread-safe: build one per report.
 */
public final class HtmlReport {

    private final StringBuilder body = new StringBuilder();

    /** An empty list of sections; a lab adds its charts and tables, the platform wraps them in a page. */
    public HtmlReport() {
    }

    /** A section: a heading, then its charts side by side. */
    public HtmlReport section(String heading, String note, List<String> charts) {
        body.append("<section><h2>").append(SvgChart.escape(heading)).append("</h2>\n");
        if (note != null && !note.isBlank()) {
            body.append("<p>").append(SvgChart.escape(note)).append("</p>\n");
        }
        body.append("<div class=\"charts\">");
        charts.forEach(chart -> body.append(chart).append('\n'));
        return this.append("</div></section>\n");
    }

    /** A table with a header row. */
    public HtmlReport table(String heading, List<String> header, List<List<String>> rows) {
        body.append("<section><h2>").append(SvgChart.escape(heading)).append("</h2><table><tr>");
        header.forEach(cell -> body.append("<th>").append(SvgChart.escape(cell)).append("</th>"));
        body.append("</tr>");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(SvgChart.escape(cell)).append("</td>"));
            body.append("</tr>");
        }
        return this.append("</table></section>\n");
    }

    private HtmlReport append(String html) {
        body.append(html);
        return this;
    }

    /** The sections added so far, as an HTML fragment ({@link #page} wraps it). */
    public String sections() {
        return body.toString();
    }

    /**
     * The whole report: the title, a verdict banner (none without checks) and one line per hypothesis, then
     * {@code sections} (from {@link #sections()}).
     */
    public static String page(String title, String subtitle, List<Check> checks, String sections) {
        StringBuilder head = new StringBuilder();
        boolean passed = checks.stream().allMatch(Check::passed);
        head.append("<h1>").append(SvgChart.escape(title)).append("</h1>\n<p class=\"sub\">")
                .append(SvgChart.escape(subtitle)).append("</p>\n");
        if (!checks.isEmpty()) {
            head.append("<div class=\"verdict ").append(passed ? "pass" : "fail").append("\">")
                    .append(passed ? "PASSED" : "FAILED").append(": ").append(checks.stream().filter(Check::passed)
                            .count()).append(" of ").append(checks.size()).append(" hypotheses held</div>\n");
        }
        head.append("<div class=\"checks\">\n");
        for (Check check : checks) {
            head.append(String.format(Locale.ROOT, "<div class=\"check %s\" data-check=\"%s\" data-passed=\"%s\">"
                            + "<b>%s</b> <code>%s</code> %s <span>%s %s %s</span></div>%n", check.passed() ? "pass" : "fail",
                    SvgChart.escape(check.name()), check.passed(), check.passed() ? "PASS" : "FAIL",
                    SvgChart.escape(check.name()), SvgChart.escape(check.description()), SvgChart.number(check.measured()),
                    SvgChart.escape(check.comparator()), SvgChart.number(check.threshold())));
        }
        head.append("</div>\n");
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + SvgChart.escape(title)
                + "</title><style>"
                + "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}"
                + "h1{margin:0 0 4px}.sub{color:#666;margin:0 0 12px}"
                + ".verdict{font-size:20px;font-weight:bold;padding:10px 14px;border-radius:6px;margin:8px 0}"
                + ".verdict.pass{background:#d9f2d9;color:#1e5e1e}.verdict.fail{background:#f8d7d7;color:#8a1f1f}"
                + ".check{padding:3px 8px;margin:2px 0;border-left:6px solid}"
                + ".check.pass{border-color:#2ca02c}.check.fail{border-color:#d62728;background:#fdf0f0}"
                + ".check span{color:#666;margin-left:8px}"
                + ".charts{display:flex;flex-wrap:wrap;gap:12px}svg.chart{border:1px solid #eee;background:#fff}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#f4f4f4}</style></head>\n<body>\n" + head + sections + "</body></html>\n";
    }
}
