package dev.failurelab.fault.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.failurelab.fault.rule.FaultRule;
import dev.failurelab.fault.rule.FaultSpec;
import dev.failurelab.fault.rule.FaultType;
import java.time.Duration;
import java.time.Instant;

/** A fault as the control API shows it: only the parameters of its type, and its remaining TTL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FaultView(String id, String proxy, String type, double probability, String path, String method,
        Integer status, String mode, Long latencyMs, Long jitterMs, Long holdMs, Long bytesPerSecond,
        double ttlSeconds, long remainingMs, Instant createdAt, Instant expiresAt) {

    static FaultView of(FaultRule rule, Instant now) {
        FaultSpec s = rule.spec();
        FaultType t = s.type();
        return new FaultView(rule.id(), rule.proxy(), t.id(), s.probability(), s.pathPrefix(), s.method(),
                t == FaultType.ERROR ? s.status() : null,
                t == FaultType.ERROR ? s.mode().id() : null,
                t == FaultType.LATENCY ? s.latencyMs() : null,
                t == FaultType.LATENCY ? s.jitterMs() : null,
                t == FaultType.BLACKHOLE ? s.holdMs() : null,
                t == FaultType.BANDWIDTH ? s.bytesPerSecond() : null,
                s.ttl().toMillis() / 1000.0,
                Math.max(0, Duration.between(now, rule.expiresAt()).toMillis()),
                rule.createdAt(), rule.expiresAt());
    }
}
