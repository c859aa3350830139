package dev.failurelab.fault.rule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * The active faults of one proxy, and the decision of what each request suffers.
 *
 * <p>Concurrency: thread-safe. Rules live in a copy-on-write list, oldest first: installs and
 * removals are rare, requests are many, so {@link #plan} iterates a snapshot with no lock, no
 * copy and no sort, and a request racing an install or a clear sees the table either before or
 * after it, never half of it. Expiry is checked on every read against the clock, so a fault never
 * outlives its TTL even if the sweeper that removes it runs late.
 */
public final class FaultTable {

    /** The longest delay all latency faults together add to one request (10 min, one fault's maximum). */
    public static final long MAX_DELAY_MS = 600_000;


    /** Told when rules leave the table, to log and count it. */
    public interface RemovalListener {
        void removed(FaultRule rule, String reason);
    }

    private final Clock clock;
    private final DoubleSupplier random;
    private final RemovalListener listener;
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    /**
     * @param clock    time source for expiry
     * @param random   uniform [0, 1) source for probabilities
     * @param listener told of every removal (expired, deleted, cleared)
     */
    public FaultTable(Clock clock, DoubleSupplier random, RemovalListener listener) {
        this.clock = clock;
        this.random = random;
        this.listener = listener;
    }

    /** Installs a rule; rules are added in creation order, so the list stays oldest first. */
    public void add(FaultRule rule) {
        rules.add(rule);
    }

    /** Removes one rule; empty if it was not here. */
    public Optional<FaultRule> remove(String id, String reason) {
        for (FaultRule rule : rules) {
            if (rule.id().equals(id) && rules.remove(rule)) {
                listener.removed(rule, reason);
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** Removes every rule; returns how many there were. */
    public int clear(String reason) {
        int count = 0;
        for (FaultRule rule : rules) {
            if (rules.remove(rule)) {
                listener.removed(rule, reason);
                count++;
            }
        }
        return count;
    }

    /** Removes expired rules; returns how many. */
    public int sweep() {
        Instant now = clock.instant();
        int count = 0;
        for (FaultRule rule : rules) {
            if (rule.isExpired(now) && rules.remove(rule)) {
                listener.removed(rule, "expired");
                count++;
            }
        }
        return count;
    }

    /** The unexpired rules, oldest first. */
    public List<FaultRule> active() {
        Instant now = clock.instant();
        List<FaultRule> active = new ArrayList<>();
        for (FaultRule rule : rules) {
            if (!rule.isExpired(now)) {
                active.add(rule);
            }
        }
        return active;
    }

    /** Number of unexpired rules of {@code type}. */
    public long count(FaultType type) {
        Instant now = clock.instant();
        return rules.stream().filter(r -> r.spec().type() == type && !r.isExpired(now)).count();
    }

    /**
     * Decides what happens to one request. Each matching rule fires with its probability; latencies
     * add up, the lowest bandwidth wins, and of the terminal faults reset beats blackhole beats an
     * error answered at the proxy. An error in forwarded mode lets the request through and replaces
     * the answer.
     */
    public FaultPlan plan(String method, String path) {
        if (rules.isEmpty()) {
            return FaultPlan.PASS_THROUGH;
        }
        long delay = 0;
        FaultPlan.Action action = FaultPlan.Action.FORWARD;
        int errorStatus = 0;
        long holdMs = 0;
        long bytesPerSecond = 0;
        Instant now = clock.instant();
        List<FaultRule> triggered = new ArrayList<>(2);
        for (FaultRule rule : rules) {
            if (rule.isExpired(now) || !rule.matches(method, path)
                    || random.getAsDouble() >= rule.spec().probability()) {
                continue;
            }
            FaultSpec spec = rule.spec();
            triggered.add(rule);
            switch (spec.type()) {
                case LATENCY -> {
                    long jitter = spec.jitterMs() == 0 ? 0
                            : Math.round((random.getAsDouble() * 2 - 1) * spec.jitterMs());
                    delay = Math.min(MAX_DELAY_MS, delay + Math.max(0, spec.latencyMs() + jitter));
                }
                case BANDWIDTH -> bytesPerSecond = bytesPerSecond == 0 ? spec.bytesPerSecond()
                        : Math.min(bytesPerSecond, spec.bytesPerSecond());
                case RESET -> action = FaultPlan.Action.RESET;
                case BLACKHOLE -> {
                    if (action != FaultPlan.Action.RESET) {
                        action = FaultPlan.Action.BLACKHOLE;
                        holdMs = Math.max(holdMs, spec.holdMs());
                    }
                }
                case ERROR -> {
                    if (spec.mode() == ErrorMode.PROXY && action == FaultPlan.Action.FORWARD) {
                        action = FaultPlan.Action.ERROR;
                        errorStatus = spec.status();
                    } else if (spec.mode() == ErrorMode.FORWARDED && errorStatus == 0) {
                        errorStatus = spec.status();
                    }
                }
            }
        }
        if (triggered.isEmpty()) {
            return FaultPlan.PASS_THROUGH;
        }
        return new FaultPlan(delay, action, errorStatus, holdMs, bytesPerSecond, List.copyOf(triggered));
    }
}
