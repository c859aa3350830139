package dev.failurelab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The benchmarks' arithmetic, parsing and option checks, without running one. */
class BenchFiguresTest {

    @Test
    void addedLatency_judgesTheRatioToNginx() {
        assertThat(ProxyBench.addedLatency(0.14, 0.10, 0).met()).isTrue();
        assertThat(ProxyBench.addedLatency(0.15, 0.10, 0).met()).as("exactly 1.5x").isTrue();
        assertThat(ProxyBench.addedLatency(0.16, 0.10, 0).met()).isFalse();
        assertThat(ProxyBench.addedLatency(0.30, 0.10, 0).text()).contains("3.00×", "MISSED");
        assertThat(ProxyBench.addedLatency(-0.05, 0.10, 0).met()).as("faster than direct").isTrue();
    }

    @Test
    void addedLatency_whenNginxAddsLessThanTheNoise_allowsOnlyTheNoise() {
        assertThat(ProxyBench.addedLatency(0.02, -0.5, 0).met()).isTrue();
        assertThat(ProxyBench.addedLatency(0.5, -0.5, 0).met()).isFalse();
        assertThat(ProxyBench.addedLatency(0.14, 0.05, 0.1).met()).as("within 1.5x a 0.1 ms noise").isTrue();
        assertThat(ProxyBench.addedLatency(0.16, 0.05, 0.1).text()).contains("less than the noise, 0.10 ms", "MISSED");
    }

    @Test
    void wrkFigures_areReadFromTheScriptsLine() {
        Wrk.Result result = Wrk.parse("Running 10s test\n  2 threads and 64 connections\n"
                + "BENCH requests=150000 duration_us=10000000 errors=3 non2xx=7 p50=3860 p99=13840 p999=24560 max=51000\n");
        assertThat(result.rate()).isEqualTo(15000.0);
        assertThat(result.p50()).isEqualTo(3.86);
        assertThat(result.p999()).isEqualTo(24.56);
        assertThat(result.errors()).isEqualTo(3);
        assertThat(result.non2xx()).isEqualTo(7);
        assertThatThrownBy(() -> Wrk.parse("Requests/sec: 100")).hasMessageContaining("no figures");
    }

    @Test
    void tables_alignTheirColumns() {
        String table = new MarkdownTable("path", "req/s").row("direct", 14699).row("fault proxy", 1).toString();
        assertThat(table.lines().toList()).containsExactly(
                "| path        | req/s |",
                "| ----------- | ----- |",
                "| direct      | 14699 |",
                "| fault proxy | 1     |");
        assertThat(MarkdownTable.times(Double.NaN)).isEqualTo("–");
        assertThat(MarkdownTable.num(0.456, 2)).isEqualTo("0.46");
    }

    @Test
    void roundsRotateThePaths_andDurationsPrintAsTyped() {
        assertThat(BenchCommand.rotated(List.of("a", "b", "c"), 1)).containsExactly("b", "c", "a");
        assertThat(BenchCommand.rotated(List.of("a", "b", "c"), 3)).containsExactly("a", "b", "c");
        assertThat(BenchCommand.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(BenchCommand.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(BenchCommand.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "proxy --rates 0                 | --rates",
            "proxy --rounds 0                | --rounds",
            "proxy --duration 10ms           | --duration",
            "proxy --proxy-jvm Xmx1g         | --proxy-jvm",
            "proxy --nginx-workers many      | --nginx-workers",
            "loadgen --rates 200000          | --rates",
            "loadgen --search-from -1        | --search-from",
            "lab-cost --lab chaos            | --lab",
            "lab-cost --lab retry-storm,stampede --set a=b | --set",
            "stack-cost --lab chaos          | --lab",
            "stack-cost --idle 10ms          | --idle",
            "stack-cost --steady -1s         | --steady",
            "nonsense                        | Unmatched argument"})
    void badOptions_exit2_namingTheOption(String args, String named) {
        StringWriter err = new StringWriter();
        CommandLine cli = BenchCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute(args.trim().split("\\s+"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(named);
        if (named.startsWith("--")) {
            assertThat(err.toString()).as("a bad option's value shows the usage").contains("Usage:");
        }
    }
}
