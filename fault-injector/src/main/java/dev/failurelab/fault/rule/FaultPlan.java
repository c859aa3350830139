package dev.failurelab.fault.rule;

import java.util.List;

/**
 * What a proxy does with one request, decided once when it arrives.
 *
 * @param delayMs         wait this long first (latency faults, summed)
 * @param action          then: forward, answer an error, reset, or hold
 * @param errorStatus     the status for {@link Action#ERROR} or, with {@link Action#FORWARD}, the
 *                        status that replaces the upstream's answer (0: none)
 * @param holdMs          how long {@link Action#BLACKHOLE} holds the request
 * @param bytesPerSecond  response body rate (0: unlimited)
 * @param triggered       the rules that fired
 */
public record FaultPlan(long delayMs, Action action, int errorStatus, long holdMs, long bytesPerSecond,
        List<FaultRule> triggered) {

    /** What happens after the delay. */
    public enum Action {
        FORWARD, ERROR, RESET, BLACKHOLE
    }

    public static final FaultPlan PASS_THROUGH = new FaultPlan(0, Action.FORWARD, 0, 0, 0, List.of());

    /** Whether the upstream's answer is to be replaced by an error after forwarding. */
    public boolean failsAfterForwarding() {
        return action == Action.FORWARD && errorStatus > 0;
    }
}
