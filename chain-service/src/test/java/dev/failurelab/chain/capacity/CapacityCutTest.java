package dev.failurelab.chain.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The capacity cut: service time stretched by 1 / (1 - fraction), for its duration only. */
class CapacityCutTest {

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CapacityCut cut = new CapacityCut(nanos::get, registry);

    @Test
    void aCutOf80Percent_stretches40msTo200ms_untilItRunsOut() {
        long service = TimeUnit.MILLISECONDS.toNanos(40);
        assertThat(cut.stretch(service)).isEqualTo(service);
        cut.cut(0.8, Duration.ofSeconds(10));
        assertThat(cut.stretch(service)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(registry.get("chain.capacity.cut").gauge().value()).isEqualTo(0.8);
        assertThat(cut.remainingMillis()).isEqualTo(10_000);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(cut.stretch(service)).as("it ends by itself").isEqualTo(service);
        assertThat(cut.fraction()).isZero();
        assertThat(cut.remainingMillis()).isZero();
        assertThat(registry.get("chain.capacity.cut").gauge().value()).isZero();
    }

    @Test
    void end_endsItAtOnce_andANewCutReplacesTheOld() {
        cut.cut(0.5, Duration.ofMinutes(1));
        cut.cut(0.25, Duration.ofSeconds(2));
        assertThat(cut.fraction()).isEqualTo(0.25);
        assertThat(cut.remainingMillis()).isEqualTo(2_000);
        cut.end();
        assertThat(cut.fraction()).isZero();
    }

    @Test
    void outOfBounds_isRefusedNamingTheField() {
        assertThatThrownBy(() -> cut.cut(1.0, Duration.ofSeconds(1))).hasMessageStartingWith("fraction");
        assertThatThrownBy(() -> cut.cut(-0.1, Duration.ofSeconds(1))).hasMessageStartingWith("fraction");
        assertThatThrownBy(() -> cut.cut(0.5, Duration.ofMinutes(11))).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> cut.cut(0.5, Duration.ZERO)).hasMessageStartingWith("duration");
    }
}
