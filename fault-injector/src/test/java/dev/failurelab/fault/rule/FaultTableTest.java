package dev.failurelab.fault.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTableTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private double roll = 0.0;
    private final List<String> removals = new ArrayList<>();
    private final FaultTable table = new FaultTable(clock, () -> roll,
            (rule, reason) -> removals.add(rule.id() + ":" + reason));
    private int ids;

    @Test
    void plan_withNoFaults_passesThrough() {
        assertThat(table.plan("GET", "/api/chain")).isEqualTo(FaultPlan.PASS_THROUGH);
    }

    @Test
    void plan_firesAFaultOnlyWhenTheRollIsBelowItsProbability() {
        table.add(rule(spec(FaultType.ERROR, 0.5, null, null, 503, ErrorMode.FORWARDED), 60));

        roll = 0.49;
        assertThat(table.plan("GET", "/").failsAfterForwarding()).isTrue();
        roll = 0.5;
        assertThat(table.plan("GET", "/")).isEqualTo(FaultPlan.PASS_THROUGH);
    }

    @Test
    void plan_combinesFaults_resetBeatsBlackholeBeatsProxyError_andLatenciesAdd() {
        table.add(rule(latency(100, 0), 60));
        table.add(rule(latency(50, 0), 60));
        table.add(rule(spec(FaultType.ERROR, 1, null, null, 500, ErrorMode.PROXY), 60));
        assertThat(table.plan("GET", "/").action()).isEqualTo(FaultPlan.Action.ERROR);
        assertThat(table.plan("GET", "/").delayMs()).isEqualTo(150);

        table.add(rule(new FaultSpec(FaultType.BLACKHOLE, 1, null, null, 0, null, 0, 0, 2000, 0,
                Duration.ofSeconds(60)), 60));
        assertThat(table.plan("GET", "/").action()).isEqualTo(FaultPlan.Action.BLACKHOLE);
        assertThat(table.plan("GET", "/").holdMs()).isEqualTo(2000);

        table.add(rule(spec(FaultType.RESET, 1, null, null, 0, null), 60));
        assertThat(table.plan("GET", "/").action()).isEqualTo(FaultPlan.Action.RESET);
    }

    @Test
    void plan_honoursPathPrefixAndMethod() {
        table.add(rule(spec(FaultType.ERROR, 1, "/api", "POST", 503, ErrorMode.PROXY), 60));

        assertThat(table.plan("POST", "/api/chain").action()).isEqualTo(FaultPlan.Action.ERROR);
        assertThat(table.plan("GET", "/api/chain")).isEqualTo(FaultPlan.PASS_THROUGH);
        assertThat(table.plan("POST", "/actuator/health")).isEqualTo(FaultPlan.PASS_THROUGH);
    }

    @Test
    void anExpiredFault_neverApplies_evenBeforeTheSweep_andTheSweepRemovesIt() {
        table.add(rule(spec(FaultType.RESET, 1, null, null, 0, null), 2));
        clock.advance(Duration.ofMillis(1999));
        assertThat(table.plan("GET", "/").action()).isEqualTo(FaultPlan.Action.RESET);

        clock.advance(Duration.ofMillis(1));
        assertThat(table.plan("GET", "/")).as("expired at its TTL").isEqualTo(FaultPlan.PASS_THROUGH);
        assertThat(table.active()).isEmpty();
        assertThat(table.sweep()).isEqualTo(1);
        assertThat(removals).containsExactly("f1:expired");
    }

    @Test
    void clear_removesEverything_andReportsEachRemoval() {
        table.add(rule(spec(FaultType.RESET, 1, null, null, 0, null), 60));
        table.add(rule(latency(10, 0), 60));

        assertThat(table.clear("reset")).isEqualTo(2);
        assertThat(table.active()).isEmpty();
        assertThat(removals).containsExactlyInAnyOrder("f1:reset", "f2:reset");
        assertThat(table.count(FaultType.LATENCY)).isZero();
    }

    private FaultRule rule(FaultSpec spec, int ttlSeconds) {
        Instant now = clock.instant();
        return new FaultRule("f" + (++ids), "bottom", spec, now, now.plusSeconds(ttlSeconds));
    }

    private static FaultSpec spec(FaultType type, double probability, String path, String method, int status,
            ErrorMode mode) {
        return new FaultSpec(type, probability, path, method, status, mode, 0, 0, 0, 0, Duration.ofSeconds(60));
    }

    private static FaultSpec latency(long ms, long jitter) {
        return new FaultSpec(FaultType.LATENCY, 1, null, null, 0, null, ms, jitter, 0, 0, Duration.ofSeconds(60));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
