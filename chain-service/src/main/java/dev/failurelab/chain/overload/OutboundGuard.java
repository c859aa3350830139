package dev.failurelab.chain.overload;

import dev.failurelab.chain.client.AttemptOutcome;
import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a calling hop checks before each attempt to the next hop, and tells after it: a
 * Resilience4j {@link CircuitBreaker} and a {@link ClientThrottle} ({@link AdaptiveThrottle}, or an
 * exercise's), each switchable live
 * ({@link #breakerDefence()}, {@link #throttleDefence()}). An attempt either one refuses is not
 * sent: it ends at once as {@link AttemptOutcome#BREAKER_OPEN} or {@link AttemptOutcome#THROTTLED},
 * counted in {@code chain.client.rejected.locally}.
 *
 * <p>The breaker's meters are Resilience4j's own ({@code resilience4j.circuitbreaker.*}: state,
 * calls, not-permitted calls, failure rate), plus {@code chain.breaker.transitions}. While the
 * breaker is switched off it is reset and sees nothing, so switching it on starts it closed.
 *
 * <p>Concurrency: thread-safe (the switches are volatile; the breaker and the throttle are).
 */
public final class OutboundGuard {

    /** The breaker's name in Resilience4j's meters. */
    public static final String BREAKER_NAME = "downstream";

    private final CircuitBreaker breaker;
    private final ClientThrottle throttle;
    private final ThrottleProperties throttleSettings;
    private final OnOffDefence breakerSwitch;
    private final OnOffDefence throttleSwitch;
    private final Counter breakerRejected;
    private final Counter throttled;

    public OutboundGuard(BreakerProperties breakerSettings, ThrottleProperties throttleSettings, MeterRegistry registry) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) breakerSettings.window().toSeconds())
                .minimumNumberOfCalls(breakerSettings.minimumCalls())
                .failureRateThreshold(breakerSettings.failureRateThreshold())
                .waitDurationInOpenState(breakerSettings.openWait())
                .permittedNumberOfCallsInHalfOpenState(breakerSettings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(config);
        this.breaker = breakers.circuitBreaker(BREAKER_NAME);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        breaker.getEventPublisher().onStateTransition(event -> Counter.builder(ChainMetricNames.BREAKER_TRANSITIONS)
                .description("Circuit breaker state transitions")
                .tag(ChainMetricNames.FROM_STATE, event.getStateTransition().getFromState().name().toLowerCase())
                .tag(ChainMetricNames.TO_STATE, event.getStateTransition().getToState().name().toLowerCase())
                .register(registry).increment());
        this.throttleSettings = throttleSettings;
        this.throttle = ClientThrottle.factory(throttleSettings.implementation()).create(throttleSettings.k(),
                throttleSettings.window(), System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
        this.breakerSwitch = new OnOffDefence(Defences.CIRCUIT_BREAKER, breakerSettings.mode(), "chain.breaker.mode") {
            @Override
            public void switchTo(String option) {
                if (!option.equals(current())) {
                    breaker.reset(); // starts closed, with no history, either way
                }
                super.switchTo(option);
            }

            @Override
            public Map<String, Object> settings() {
                CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("state", breaker.getState().name().toLowerCase());
                view.put("failureRate", breaker.getMetrics().getFailureRate());
                view.put("failureRateThreshold", config.getFailureRateThreshold());
                view.put("windowSeconds", config.getSlidingWindowSize());
                view.put("minimumCalls", config.getMinimumNumberOfCalls());
                view.put("halfOpenCalls", config.getPermittedNumberOfCallsInHalfOpenState());
                return view;
            }
        };
        this.throttleSwitch = new OnOffDefence(Defences.ADAPTIVE_THROTTLE, throttleSettings.mode(),
                "chain.throttle.mode") {
            @Override
            public Map<String, Object> settings() {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("probability", throttle.probability());
                view.put("k", throttleSettings.k());
                view.put("windowMs", throttleSettings.window().toMillis());
                view.put("throttleImplementation", throttleSettings.implementation());
                return view;
            }
        };
        Gauge.builder(ChainMetricNames.THROTTLE_PROBABILITY, this, g -> g.throttleSwitch.on() ? g.throttle.probability() : 0)
                .description("The adaptive throttle's rejection probability now").register(registry);
        this.breakerRejected = rejected(registry, AttemptOutcome.BREAKER_OPEN);
        this.throttled = rejected(registry, AttemptOutcome.THROTTLED);
    }

    private static Counter rejected(MeterRegistry registry, AttemptOutcome reason) {
        return Counter.builder(ChainMetricNames.CLIENT_REJECTED_LOCALLY)
                .description("Attempts this hop refused itself, without sending them")
                .tag(ChainMetricNames.REASON, reason.tag()).register(registry);
    }

    /** A permit to send one attempt; {@link #done} must be called with how it ended. */
    public final class Permit {
        private final boolean breakerPermitted;
        private final boolean throttleCounted;
        private final long startNanos = System.nanoTime();

        private Permit(boolean breakerPermitted, boolean throttleCounted) {
            this.breakerPermitted = breakerPermitted;
            this.throttleCounted = throttleCounted;
        }

        /** Tells the breaker and the throttle how the attempt ended. */
        public void done(AttemptOutcome outcome) {
            boolean accepted = outcome == AttemptOutcome.SUCCESS || outcome == AttemptOutcome.CLIENT_ERROR;
            if (breakerPermitted) {
                long nanos = System.nanoTime() - startNanos;
                if (accepted) {
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                } else {
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, new DownstreamFailure(outcome));
                }
            }
            if (throttleCounted) {
                throttle.onAnswer(accepted);
            }
        }
    }

    /** What the breaker records as a failed attempt. */
    private static final class DownstreamFailure extends RuntimeException {
        DownstreamFailure(AttemptOutcome outcome) {
            super(outcome.tag(), null, false, false);
        }
    }

    /**
     * Asks to send one attempt.
     *
     * @return the permit, or why the attempt must not be sent
     */
    public Result admit() {
        boolean throttleCounted = throttleSwitch.on();
        if (throttleCounted && !throttle.allow()) {
            throttled.increment();
            return new Result(null, AttemptOutcome.THROTTLED);
        }
        boolean breakerPermitted = breakerSwitch.on();
        if (breakerPermitted && !breaker.tryAcquirePermission()) {
            breakerRejected.increment();
            if (throttleCounted) {
                throttle.onAnswer(false);
            }
            return new Result(null, AttemptOutcome.BREAKER_OPEN);
        }
        return new Result(new Permit(breakerPermitted, throttleCounted), null);
    }

    /**
     * The answer of {@link #admit()}.
     *
     * @param permit  the permit to send, or null
     * @param refused why not, when there is no permit
     */
    public record Result(Permit permit, AttemptOutcome refused) {
    }

    /** The circuit breaker as a switchable defence ({@code /admin/circuit-breaker}). */
    public SwitchableDefence breakerDefence() {
        return breakerSwitch;
    }

    /** The adaptive throttle as a switchable defence ({@code /admin/adaptive-throttle}). */
    public SwitchableDefence throttleDefence() {
        return throttleSwitch;
    }
}
