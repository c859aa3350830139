package dev.failurelab.chain.client;

import dev.failurelab.contract.Deadlines;
import dev.failurelab.contract.Errors;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.chain.ChainResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outbound client of a hop: one attempt at a time to the next hop, each bounded by a timeout,
 * each counted in {@code chain.client.attempts} by kind (first try or retry) and outcome — the
 * meter that makes retry amplification visible.
 *
 * <p>Concurrency: thread-safe; the {@link Transport} pools connections.
 */
public final class DownstreamClient {

    /**
     * The "overloaded — don't retry" signal (with a 503): the hop that sends it has already retried,
     * or its retry budget is spent, so a retry from above would only multiply the load.
     */
    public static final String DO_NOT_RETRY_HEADER = "X-Do-Not-Retry";

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    private final Transport transport;
    private final URI baseUrl;
    private volatile Duration timeout;
    private final Map<AttemptOutcome, Counter> firstAttempts = new EnumMap<>(AttemptOutcome.class);
    private final Map<AttemptOutcome, Counter> retryAttempts = new EnumMap<>(AttemptOutcome.class);

    public DownstreamClient(URI baseUrl, Duration connectTimeout, Duration timeout, MeterRegistry registry) {
        this(baseUrl, Transport.jdk(connectTimeout), timeout, registry);
    }

    /** A client on {@code transport} (the DNS lab's: a pool that resolves through the hop's resolver). */
    public DownstreamClient(URI baseUrl, Transport transport, Duration timeout, MeterRegistry registry) {
        this.transport = transport;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            if (outcome.isLocal()) {
                continue; // never sent: counted by the guard that refused it
            }
            firstAttempts.put(outcome, counter(registry, "first", outcome));
            retryAttempts.put(outcome, counter(registry, "retry", outcome));
        }
    }

    /** The configured time allowed for one attempt's answer. */
    public Duration timeout() {
        return timeout;
    }

    /** Changes the time allowed for one attempt's answer, from the next attempt on. */
    public void timeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("chain.client.timeout must be positive");
        }
        this.timeout = timeout;
    }

    private static Counter counter(MeterRegistry registry, String kind, AttemptOutcome outcome) {
        return Counter.builder(ChainMetricNames.CLIENT_ATTEMPTS)
                .description("Outbound attempts to the next hop, first tries and retries apart")
                .tag(ChainMetricNames.KIND, kind)
                .tag(ChainMetricNames.OUTCOME, outcome.tag())
                .register(registry);
    }

    /**
     * Makes one attempt.
     *
     * @param path    the path to call on the next hop
     * @param isRetry whether an earlier attempt of the same call failed
     */
    public Attempt attempt(String path, boolean isRetry) {
        return attempt(path, isRetry, timeout, java.util.OptionalLong.empty());
    }

    /**
     * Makes one attempt within {@code attemptTimeout}, telling the next hop its deadline (epoch
     * milliseconds, {@link Deadlines#HEADER}) if there is one.
     */
    public Attempt attempt(String path, boolean isRetry, Duration attemptTimeout, java.util.OptionalLong deadline) {
        Attempt attempt = send(path, attemptTimeout, deadline);
        (isRetry ? retryAttempts : firstAttempts).get(attempt.outcome()).increment();
        return attempt;
    }

    private Attempt send(String path, Duration attemptTimeout, java.util.OptionalLong deadline) {
        long start = System.nanoTime();
        Map<String, String> headers = deadline.isPresent()
                ? Map.of(Deadlines.HEADER, Long.toString(deadline.getAsLong())) : Map.of();
        try {
            Transport.Response response = transport.get(baseUrl.resolve(path), attemptTimeout, headers);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return new Attempt(AttemptOutcome.SUCCESS, status, JSON.readValue(response.body(), ChainResponse.class),
                        false);
            }
            return new Attempt(status >= 500 ? AttemptOutcome.SERVER_ERROR : AttemptOutcome.CLIENT_ERROR, status,
                    null, response.doNotRetry());
        } catch (java.net.UnknownHostException e) {
            // The name did not resolve: the request never reached the network.
            return new Attempt(AttemptOutcome.UNKNOWN_HOST, 0, null, false);
        } catch (java.io.IOException | tools.jackson.core.JacksonException e) {
            // Includes a body cut off mid-read: the client closes the stream when the timeout expires.
            boolean timedOut = Errors.isTimeout(e) || System.nanoTime() - start >= attemptTimeout.toNanos();
            return new Attempt(timedOut ? AttemptOutcome.TIMEOUT : AttemptOutcome.CONNECTION_ERROR, 0, null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(AttemptOutcome.CONNECTION_ERROR, 0, null, false);
        }
    }

    /** Closes the transport's connections. */
    public void close() {
        transport.close();
    }

    /**
     * One attempt's result.
     *
     * @param outcome how it ended
     * @param status  the HTTP status, or 0 when no response arrived
     * @param body    the next hop's answer, on success
     * @param doNotRetry whether the next hop said "overloaded — don't retry"
     */
    public record Attempt(AttemptOutcome outcome, int status, ChainResponse body, boolean doNotRetry) {
        public boolean isSuccess() {
            return outcome == AttemptOutcome.SUCCESS;
        }
    }
}
