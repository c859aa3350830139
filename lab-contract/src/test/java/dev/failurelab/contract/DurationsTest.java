package dev.failurelab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parse_units() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse(" 1.5S ")).contains(Duration.ofMillis(1500));
        assertThat(Durations.parse("500 ms")).contains(Duration.ofMillis(500));
    }

    @Test
    void parse_bareNumberIsSeconds() {
        assertThat(Durations.parse("300")).as("one meaning everywhere: seconds").contains(Duration.ofSeconds(300));
        assertThat(Durations.parse("0.25")).contains(Duration.ofMillis(250));
        assertThat(Durations.ofSeconds(2.5)).contains(Duration.ofMillis(2500));
    }

    @Test
    void parse_rejectsWhatIsNotADuration() {
        assertThat(Durations.parse("-1s")).isEmpty();
        assertThat(Durations.parse("5 minutes")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse(null)).isEmpty();
        assertThat(Durations.ofSeconds(-1)).isEmpty();
        assertThat(Durations.ofSeconds(Double.NaN)).isEmpty();
    }
}
