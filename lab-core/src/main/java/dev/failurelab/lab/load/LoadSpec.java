package dev.failurelab.lab.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What an open-loop run sends: {@code rate} requests per second to {@code targets} (in turn), for
 * {@code duration} or {@code maxRequests}, whichever ends first. (A burst due at one instant is
 * a {@link BurstSpec}.)
 *
 * @param targets        URLs the requests are sent to (GET), round robin: request i goes to
 *                       {@code targets[i % n]}
 * @param rate           arrivals per second; the schedule does not slow down when the system does
 * @param duration       how long arrivals continue
 * @param maxRequests    the most requests sent (bounds a run whatever the duration)
 * @param timeout        a request still unanswered after this counts as a timeout
 * @param maxOutstanding requests allowed in flight at once; past it arrivals are counted as
 *                       {@code dropped}, never delayed (the generator must not close the loop)
 * @param headers        each request's headers (a deadline, a priority), {@link RequestHeaders#NONE} by default
 * @param steps          a rate schedule, step after step (a ramp, a hold, a return), or empty for
 *                       {@code rate} throughout; with steps, {@code rate} is their highest and
 *                       {@code duration} their sum
 * @param plan           what each request is ({@link RequestPlan#TARGET}: a {@code GET} of the target, by
 *                       default; a keyed load picks a method and a path per request)
 */
public record LoadSpec(List<URI> targets, double rate, Duration duration, long maxRequests, Duration timeout,
        int maxOutstanding, RequestHeaders headers, List<Step> steps, RequestPlan plan) {

    /** One step of a rate schedule: {@code rate} requests per second for {@code duration}. */
    public record Step(double rate, Duration duration) {

        public Step {
            if (!(rate > 0) || rate > MAX_RATE) {
                throw new IllegalArgumentException("a step's rate must be greater than 0 and at most 100000 per second");
            }
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("a step's duration must be positive");
            }
        }
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_OUTSTANDING = 10_000;
    /** The highest rate: a request every 10 µs. */
    public static final double MAX_RATE = 100_000;

    public LoadSpec {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets must name at least one URL");
        }
        for (URI target : targets) {
            if (target == null || !("http".equals(target.getScheme()) || "https".equals(target.getScheme()))) {
                throw new IllegalArgumentException("target must be an http(s) URL: " + target);
            }
        }
        targets = List.copyOf(targets);
        if (!(rate > 0) || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be greater than 0 and at most 100000 per second");
        }
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be at least 1");
        }
        if (headers == null) {
            throw new IllegalArgumentException("headers must be given (RequestHeaders.NONE for none)");
        }
        if (plan == null) {
            throw new IllegalArgumentException("plan must be given (RequestPlan.TARGET for the target itself)");
        }
        steps = List.copyOf(steps);
        if (!steps.isEmpty()) {
            Duration sum = steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
            double peak = steps.stream().mapToDouble(Step::rate).max().orElseThrow();
            if (!sum.equals(duration) || peak != rate) {
                throw new IllegalArgumentException("with steps, duration is their sum and rate their highest");
            }
        }
    }

    /** A spec with no headers, at one rate. */
    public LoadSpec(List<URI> targets, double rate, Duration duration, long maxRequests, Duration timeout,
            int maxOutstanding) {
        this(targets, rate, duration, maxRequests, timeout, maxOutstanding, RequestHeaders.NONE, List.of(),
                RequestPlan.TARGET);
    }

    /**
     * {@code steps} one after another to {@code target}, with default timeout and bounds.
     */
    public static LoadSpec stepped(URI target, List<Step> steps) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("a stepped load needs at least one step");
        }
        Duration total = steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
        double peak = steps.stream().mapToDouble(Step::rate).max().orElseThrow();
        long planned = steps.stream().mapToLong(s -> (long) Math.ceil(s.rate() * s.duration().toNanos() / 1e9)).sum();
        return new LoadSpec(List.of(target), peak, total, Math.max(1, planned), DEFAULT_TIMEOUT,
                DEFAULT_MAX_OUTSTANDING, RequestHeaders.NONE, steps, RequestPlan.TARGET);
    }

    /** The schedule as steps: the given ones, or one step at {@code rate} for {@code duration}. */
    public List<Step> schedule() {
        return steps.isEmpty() ? List.of(new Step(rate, duration)) : steps;
    }

    /** Requests planned per second on average over the whole schedule. */
    public double meanRate() {
        double planned = schedule().stream().mapToDouble(s -> s.rate() * s.duration().toNanos() / 1e9).sum();
        return planned / (duration.toNanos() / 1e9);
    }

    /** {@code rate} per second for {@code duration}, with default timeout and bounds. */
    public static LoadSpec of(URI target, double rate, Duration duration) {
        long planned = (long) Math.ceil(rate * duration.toNanos() / 1e9);
        return new LoadSpec(List.of(target), rate, duration, Math.max(1, planned), DEFAULT_TIMEOUT,
                DEFAULT_MAX_OUTSTANDING);
    }

    public LoadSpec withTimeout(Duration timeout) {
        return new LoadSpec(targets, rate, duration, maxRequests, timeout, maxOutstanding, headers, steps, plan);
    }

    public LoadSpec withHeaders(RequestHeaders headers) {
        return new LoadSpec(targets, rate, duration, maxRequests, timeout, maxOutstanding, headers, steps, plan);
    }

    public LoadSpec withPlan(RequestPlan plan) {
        return new LoadSpec(targets, rate, duration, maxRequests, timeout, maxOutstanding, headers, steps, plan);
    }
}
