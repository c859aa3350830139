package dev.failurelab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.experiment.Check;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void page_bannerAndVerdicts_matchTheChecks_withoutScriptsOrNetwork() {
        String sections = new HtmlReport().section("S", "note", List.of("<svg></svg>")).sections();
        String html = HtmlReport.page("Lab", "sub", List.of(Check.atLeast("a", "first", 2, 1),
                Check.atMost("b", "second", 2, 1)), sections);
        assertThat(html).contains("FAILED: 1 of 2 hypotheses held", "data-check=\"a\" data-passed=\"true\"",
                "data-check=\"b\" data-passed=\"false\"", "<h2>S</h2>", "<p>note</p>", "<svg></svg>")
                .doesNotContain("<script", "http://", "https://");
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</body></html>\n");
    }

    @Test
    void page_allHeld_isPassed() {
        String html = HtmlReport.page("Lab", "sub", List.of(Check.atLeast("a", "first", 2, 1)), "");
        assertThat(html).contains("class=\"verdict pass\"", "PASSED: 1 of 1 hypotheses held");
    }

    @Test
    void table_escapesEveryCell() {
        String html = new HtmlReport().table("T <1>", List.of("a&b"), List.of(List.of("<x>"))).sections();
        assertThat(html).contains("T &lt;1&gt;", "<th>a&amp;b</th>", "<td>&lt;x&gt;</td>").doesNotContain("<x>");
    }

    @Test
    void sections_keepTheirOrder() {
        String html = new HtmlReport().section("first", null, List.of()).table("second", List.of("h"), List.of())
                .section("third", "", List.of()).sections();
        assertThat(html.indexOf("first")).isLessThan(html.indexOf("second"));
        assertThat(html.indexOf("second")).isLessThan(html.indexOf("third"));
        assertThat(html).doesNotContain("<p></p>");
    }
}
