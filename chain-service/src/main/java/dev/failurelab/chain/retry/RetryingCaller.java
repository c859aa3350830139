package dev.failurelab.chain.retry;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.chain.client.AttemptOutcome;
import dev.failurelab.chain.client.DownstreamClient;
import dev.failurelab.chain.overload.DeadlinePropagation;
import dev.failurelab.chain.overload.OutboundGuard;
import dev.failurelab.contract.Deadlines;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A hop's call to the next hop under the retry policy in force: Resilience4j {@link Retry} does
 * the retrying; this class adds what it lacks — attempt counting (first tries and retries apart,
 * in {@link DownstreamClient}), a {@link RetryBudget}, and the one-layer rule.
 *
 * <p>Concurrency: thread-safe. The policy is an atomic reference read once per call, so a switch
 * applies to the next call and never changes a call halfway.
 */
public final class RetryingCaller {

    /** The most attempts a call may be configured to make (Resilience4j's bound; the live setting is checked per attempt). */
    public static final int MAX_ATTEMPTS_LIMIT = 10;

    private final DownstreamClient client;
    private final AtomicReference<RetryProperties> properties;
    private final RetryThrottle.Factory budgets;
    private final AtomicReference<RetryThrottle> budget;
    private volatile FullJitterBackoff backoff;
    private final AtomicReference<RetryPolicy> policy;
    private final Map<RetryPolicy, Retry> retries = new EnumMap<>(RetryPolicy.class);
    private final Counter budgetAllowed;
    private final Counter budgetDenied;
    private final OutboundGuard guard;
    private final DeadlinePropagation deadlines;

    /**
     * @param budgets makes the retry budget from the settings (again when they change): the project's
     *                {@link RetryBudget}, or an exercise's {@link RetryThrottle}
     */
    public RetryingCaller(DownstreamClient client, RetryProperties properties, RetryThrottle.Factory budgets,
            MeterRegistry registry) {
        this(client, properties, budgets, null, null, registry);
    }

    /**
     * @param guard     the breaker and the adaptive throttle each attempt passes (null: none)
     * @param deadlines deadline propagation, switched on whatever the policy (null: only under budget)
     */
    public RetryingCaller(DownstreamClient client, RetryProperties properties, RetryThrottle.Factory budgets,
            OutboundGuard guard, DeadlinePropagation deadlines, MeterRegistry registry) {
        this.guard = guard;
        this.deadlines = deadlines;
        this.client = client;
        this.properties = new AtomicReference<>(properties);
        this.budgets = budgets;
        this.budget = new AtomicReference<>(budgets.create(properties.budgetRatio(), properties.budgetMinPerSecond(),
                properties.budgetWindow(), System::nanoTime));
        this.backoff = new FullJitterBackoff(properties.backoffBase(), properties.backoffCap());
        this.policy = new AtomicReference<>(properties.policy());
        IntervalFunction immediately = attempt -> 0L;
        IntervalFunction backoff = attempt -> this.backoff.apply(attempt);
        RetryRegistry retryRegistry = RetryRegistry.ofDefaults();
        retries.put(RetryPolicy.NAIVE, retryRegistry.retry("downstream-naive", config(immediately, this::retryable)));
        retries.put(RetryPolicy.BACKOFF, retryRegistry.retry("downstream-backoff", config(backoff, this::retryable)));
        retries.put(RetryPolicy.BUDGET, retryRegistry.retry("downstream-budget", config(backoff, this::budgetAllows)));
        TaggedRetryMetrics.ofRetryRegistry(retryRegistry).bindTo(registry);

        this.budgetAllowed = Counter.builder(ChainMetricNames.RETRY_BUDGET_DECISIONS)
                .description("Retries the budget allowed or denied").tag(ChainMetricNames.DECISION, "allowed")
                .register(registry);
        this.budgetDenied = Counter.builder(ChainMetricNames.RETRY_BUDGET_DECISIONS)
                .description("Retries the budget allowed or denied").tag(ChainMetricNames.DECISION, "denied")
                .register(registry);
        Gauge.builder(ChainMetricNames.RETRY_BUDGET_TOKENS, this, c -> c.budget().tokens())
                .description("Retries the budget would allow now").register(registry);
    }

    private RetryConfig config(IntervalFunction interval, Predicate<CallAttempt> retryIf) {
        return RetryConfig.<CallAttempt>custom()
                .maxAttempts(MAX_ATTEMPTS_LIMIT)
                .intervalFunction(interval)
                .retryOnResult(retryIf)
                .build();
    }

    public RetryPolicy policy() {
        return policy.get();
    }

    public void switchTo(RetryPolicy next) {
        policy.set(next);
    }

    public RetryThrottle budget() {
        return budget.get();
    }

    /** The retry settings in force (their {@code policy} is the one at start-up; {@link #policy()} is live). */
    public RetryProperties properties() {
        return properties.get();
    }

    /**
     * Puts new retry settings in force: the next attempt's decision and wait use them. A change to
     * the budget's ratio, reserve or window starts a new budget (its history is not carried over).
     */
    public synchronized void reconfigure(RetryProperties next) {
        if (next.maxAttempts() > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("chain.retry.max-attempts must be at most " + MAX_ATTEMPTS_LIMIT);
        }
        RetryProperties previous = properties.get();
        backoff = new FullJitterBackoff(next.backoffBase(), next.backoffCap());
        if (previous.budgetRatio() != next.budgetRatio() || previous.budgetMinPerSecond() != next.budgetMinPerSecond()
                || !previous.budgetWindow().equals(next.budgetWindow())) {
            budget.set(budgets.create(next.budgetRatio(), next.budgetMinPerSecond(), next.budgetWindow(),
                    System::nanoTime));
        }
        properties.set(next);
    }

    /** Calls the next hop under the policy in force. */
    public Outcome call(String path) {
        return call(path, OptionalLong.empty());
    }

    /**
     * Calls the next hop under the policy in force, for a caller whose deadline (epoch
     * milliseconds) is {@code deadline}. Under {@code budget} the deadline is propagated: each
     * attempt gets no more than what is left and asks the next hop to answer a margin before it
     * times out ({@link Deadlines#margin}), and no attempt starts once the deadline has passed. So
     * this hop's retries end, and its "don't retry" reaches the caller, before the caller gives up:
     * retries stay in one layer even on timeouts. The other policies behave as servers without
     * deadlines do (the storm's sustaining effect), unless the {@code deadlines} defence is on.
     *
     * <p>Each attempt first passes the {@link OutboundGuard} (breaker, adaptive throttle): one it
     * refuses is not sent, not retried, and answered "overloaded — don't retry".
     */
    public Outcome call(String path, OptionalLong given) {
        OptionalLong deadline = deadlines == null ? given : deadlines.deadline(given);
        RetryPolicy current = policy.get();
        CallState state = new CallState();
        boolean propagate = current == RetryPolicy.BUDGET || (deadlines != null && deadlines.on());
        if (propagate) {
            budget().onRequest();
        }
        Supplier<CallAttempt> attempt = () -> {
            Duration attemptTimeout = client.timeout();
            OptionalLong sent = OptionalLong.empty();
            if (propagate) {
                long now = System.currentTimeMillis();
                long left = deadline.isPresent() ? deadline.getAsLong() - Deadlines.RESERVE_MS - now : Long.MAX_VALUE;
                if (left <= 0) {
                    state.deadlineExceeded = true; // not sent: nobody would wait for its answer
                    return new CallAttempt(new DownstreamClient.Attempt(
                            AttemptOutcome.TIMEOUT, 0, null, false), state.attempts, state);
                }
                attemptTimeout = Duration.ofMillis(Math.min(attemptTimeout.toMillis(), left));
                sent = OptionalLong.of(now + attemptTimeout.toMillis() - Deadlines.margin(attemptTimeout.toMillis()));
            }
            OutboundGuard.Result admitted = guard == null ? null : guard.admit();
            if (admitted != null && admitted.permit() == null) {
                // not sent, so not an attempt (and never retried: that is the point)
                return new CallAttempt(new DownstreamClient.Attempt(admitted.refused(), 0, null, true), state.attempts,
                        state);
            }
            int index = ++state.attempts;
            DownstreamClient.Attempt made = client.attempt(path, index > 1, attemptTimeout, sent);
            if (admitted != null) {
                admitted.permit().done(made.outcome());
            }
            return new CallAttempt(made, index, state);
        };
        CallAttempt last = current == RetryPolicy.NONE ? attempt.get()
                : Retry.decorateSupplier(retries.get(current), attempt).get();
        return new Outcome(last.attempt(), state.attempts, last.attempt().outcome().isLocal()
                || current == RetryPolicy.BUDGET && !last.attempt().isSuccess()
                        && (state.attempts > 1 || state.budgetDenied || state.deadlineExceeded
                        || last.attempt().doNotRetry()));
    }

    private boolean retryable(CallAttempt a) {
        return a.attempt().outcome().isRetryable() && a.index() < properties().maxAttempts();
    }

    private boolean budgetAllows(CallAttempt a) {
        if (!retryable(a) || a.attempt().doNotRetry() || a.state().deadlineExceeded) {
            return false;
        }
        if (budget().tryAcquireRetry()) {
            budgetAllowed.increment();
            return true;
        }
        budgetDenied.increment();
        a.state().budgetDenied = true;
        return false;
    }

    /**
     * A call's result.
     *
     * @param last       the last attempt
     * @param attempts   attempts made
     * @param doNotRetry whether the caller above must be told "overloaded — don't retry"
     */
    public record Outcome(DownstreamClient.Attempt last, int attempts, boolean doNotRetry) {
    }

    /** Mutable state of one call, confined to the calling thread (Retry runs attempts on it). */
    private static final class CallState {
        int attempts;
        boolean budgetDenied;
        boolean deadlineExceeded;
    }

    private record CallAttempt(DownstreamClient.Attempt attempt, int index, CallState state) {
    }
}
