package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void metricNames_skipsFunctionsAggregationsLabelsRangesAndGrouping() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (role, le) (rate(chain_requests_seconds_bucket{role=\"edge\"}[30s])))"))
                .containsExactly("chain_requests_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(a_total{x=\"1\"}[1m])) / sum(rate(b_total[1m])) > 2"))
                .containsExactly("a_total", "b_total");
    }

    @Test
    void metricNames_skipsKeywordsUnitsAndNumbers() {
        assertThat(PromQl.metricNames("chain:edge_error_ratio:rate1h > (14.4 * 0.01) and chain:edge_error_ratio:rate5m > 1e-3"))
                .containsExactly("chain:edge_error_ratio:rate1h", "chain:edge_error_ratio:rate5m");
        assertThat(PromQl.metricNames("x offset 5m unless on (instance) y == bool 1"))
                .containsExactly("x", "y");
    }

    @Test
    void metricNames_ignoresIdentifiersInsideStrings() {
        assertThat(PromQl.metricNames("label_replace(up, \"dst\", \"$1\", \"src\", \"not_a_metric\")"))
                .containsExactly("up");
    }

    @Test
    void selectors_giveEachMetricWithItsMatchers_skippingGroupingAndStrings() {
        assertThat(PromQl.selectors("histogram_quantile(0.99, sum by (role, le) (rate(chain_requests_seconds_bucket"
                + "{namespace=~\"$namespace\", role=\"a}b\"}[30s]))) / max without (x) (up)"))
                .containsExactly(new PromQl.Selector("chain_requests_seconds_bucket",
                                "namespace=~\"$namespace\", role=\"a}b\""),
                        new PromQl.Selector("up", ""));
        assertThat(PromQl.selectors("x offset 5m unless on (instance) y{} == bool 1 or {__name__=\"z\"}"))
                .containsExactly(new PromQl.Selector("x", ""), new PromQl.Selector("y", ""),
                        new PromQl.Selector("", "__name__=\"z\""));
        assertThat(PromQl.selectors("label_replace(up, \"dst\", \"$1\", \"src\", \"not_a_metric\")"))
                .extracting(PromQl.Selector::metric).containsExactly("up");
    }

    @Test
    void groupings_giveEachAggregationAndMatch_withTheLabelsItKeeps() {
        assertThat(PromQl.groupings("histogram_quantile(0.99, sum by (namespace, le) (rate(x_bucket{a=\"sum(\"}[1m])))"
                + " / on(namespace) group_left max(y) > 0 and ignoring (role) count without (le) (z)"))
                .containsExactly(new PromQl.Grouping("sum", "by", List.of("namespace", "le")),
                        new PromQl.Grouping("", "on", List.of("namespace")), new PromQl.Grouping("max", "", List.of()),
                        new PromQl.Grouping("", "ignoring", List.of("role")),
                        new PromQl.Grouping("count", "without", List.of("le")));
        assertThat(PromQl.groupings("sum(rate(a_total[1m])) by (role) / sum_of_things + topk(3, max by() (b))"))
                .containsExactly(new PromQl.Grouping("sum", "by", List.of("role")),
                        new PromQl.Grouping("topk", "", List.of()), new PromQl.Grouping("max", "by", List.of()));
        assertThat(PromQl.groupings("chain:edge_error_ratio:rate1h > 0.144 and chain:edge_error_ratio:rate5m > 0.144"))
                .isEmpty();
    }
}
