package dev.failurelab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void lines_drawOnePointPerFiniteSample_andTheBands() {
        String svg = SvgChart.lines("t", "second", "req/s", List.of(new SvgChart.Series("edge",
                new double[] {1, 2, 3, 4}, new double[] {10, Double.NaN, 30, Double.POSITIVE_INFINITY})),
                List.of(new SvgChart.Band(1, 3, "brownout")));
        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("data-series=\"edge\" data-points=\"2\"",
                "<rect class=\"band\"", ">brownout<");
    }

    @Test
    void aPhasesBand_spansItsSeconds_fromTheSecondBeforeItsFirst() {
        List<SecondRecord> seconds = List.of(new SecondRecord(1, "baseline", 1, Map.of()),
                new SecondRecord(2, "hold", 1, Map.of()), new SecondRecord(3, "hold", 2, Map.of()),
                new SecondRecord(4, "return", 1, Map.of()));
        assertThat(SvgChart.Band.ofPhase(seconds, "hold", "2 C")).containsExactly(new SvgChart.Band(1, 3, "2 C"));
        assertThat(SvgChart.Band.ofPhase(seconds, "brownout", "brownout")).as("a phase that did not run").isEmpty();
    }

    @Test
    void bars_carryTheirValues_andTextIsEscaped() {
        String svg = SvgChart.bars("<origin>", "queries", List.of(new SvgChart.Bar("none", 35),
                new SvgChart.Bar("lock", 1)));
        assertThat(svg).contains("data-label=\"none\" data-value=\"35\"", "data-label=\"lock\" data-value=\"1\"",
                "&lt;origin&gt;").doesNotContain("<origin>");
    }
}
