package dev.failurelab.fault.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.fault.rule.ErrorMode;
import dev.failurelab.fault.rule.FaultSpec;
import dev.failurelab.fault.rule.FaultType;
import dev.failurelab.fault.rule.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FaultSpecParserTest {

    private final FaultSpecParser parser =
            new FaultSpecParser(Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(60));

    @Test
    void parse_appliesDefaults() {
        FaultSpec spec = parser.parse("{\"type\":\"error\"}", false).spec();

        assertThat(spec.type()).isEqualTo(FaultType.ERROR);
        assertThat(spec.probability()).isEqualTo(1.0);
        assertThat(spec.status()).isEqualTo(503);
        assertThat(spec.mode()).as("the upstream still does the work by default").isEqualTo(ErrorMode.FORWARDED);
        assertThat(spec.ttl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parse_readsDurationsWithUnitsOrAsSeconds() {
        assertThat(parser.parse("{\"type\":\"reset\",\"ttl\":\"500ms\"}", false).spec().ttl()).isEqualTo(Duration.ofMillis(500));
        assertThat(parser.parse("{\"type\":\"reset\",\"ttl\":\"2m\"}", false).spec().ttl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parser.parse("{\"type\":\"reset\",\"ttl\":2.5}", false).spec().ttl()).isEqualTo(Duration.ofMillis(2500));
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"error\"                                       | body",
            "[1,2]                                                     | body",
            "{\"probability\":0.5}                                      | type",
            "{\"type\":\"flood\"}                                       | type",
            "{\"type\":\"error\",\"probability\":1.5}                   | probability",
            "{\"type\":\"error\",\"probability\":-0.1}                  | probability",
            "{\"type\":\"error\",\"probability\":\"half\"}              | probability",
            "{\"type\":\"error\",\"status\":200}                        | status",
            "{\"type\":\"error\",\"mode\":\"sometimes\"}                | mode",
            "{\"type\":\"latency\"}                                     | latencyMs",
            "{\"type\":\"latency\",\"latencyMs\":-5}                    | latencyMs",
            "{\"type\":\"latency\",\"latencyMs\":5,\"jitterMs\":-1}     | jitterMs",
            "{\"type\":\"latency\",\"latencyMs\":1.5}                   | latencyMs",
            "{\"type\":\"bandwidth\",\"bytesPerSecond\":0}              | bytesPerSecond",
            "{\"type\":\"blackhole\",\"holdMs\":999999}                 | holdMs",
            "{\"type\":\"reset\",\"ttl\":\"2h\"}                        | ttl",
            "{\"type\":\"reset\",\"ttl\":\"soon\"}                      | ttl",
            "{\"type\":\"reset\",\"ttl\":0}                             | ttl",
            "{\"type\":\"reset\",\"path\":\"api\"}                      | path",
            "{\"type\":\"reset\",\"method\":\"FETCH\"}                  | method",
            "{\"type\":\"reset\",\"latencyMs\":10}                      | latencyMs",
            "{\"type\":\"reset\",\"probabilty\":0.5}                    | probabilty",
    })
    void parse_rejectsBadInput_namingTheField(String body, String field) {
        assertThatThrownBy(() -> parser.parse(body, false))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field))
                .hasMessageContaining(field.equals("body") ? "JSON" : field);
    }

    @Test
    void parse_requiresTheProxyField_whenTheBodyNamesTheProxy() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"reset\"}", true))
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("proxy"));
        assertThat(parser.parse("{\"proxy\":\"bottom\",\"type\":\"reset\"}", true).proxy()).isEqualTo("bottom");
    }

    @Test
    void parse_refusesWhatWouldOverflowOrBloat_namingTheField() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"error\",\"status\":4294967799}", false))
                .as("an out-of-range status is refused, not cast to 503")
                .isInstanceOf(dev.failurelab.fault.rule.InvalidInputException.class).hasMessageContaining("400..599");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"bandwidth\",\"bytesPerSecond\":9223372036854775807}",
                false)).hasMessageContaining("bytesPerSecond must be between 1 and");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"reset\",\"path\":\"/" + "a".repeat(2000) + "\"}", false))
                .hasMessageContaining("path must be at most 1024 characters");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"reset\",\"type\":\"error\"}", false))
                .as("a key given twice").hasMessageContaining("Duplicate");
    }
}
