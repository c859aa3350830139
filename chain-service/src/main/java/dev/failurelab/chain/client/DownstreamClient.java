package dev.failurelab.chain.client;

import dev.failurelab.contract.Deadlines;
import dev.failurelab.contract.Errors;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.chain.ChainResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outbound client of a hop: one attempt at a time to the next hop, each bounded by a timeout,
 * each counted in {@code chain.client.attempts} by kind (first try or retry) and outcome — the
 * meter that makes retry amplification visible.
 *
 * <p>Concurrency: thread-safe; the underlying JDK HTTP client pools connections.
 */
public final class DownstreamClient {

    /**
     * The "overloaded — don't retry" signal (with a 503): the hop that sends it has already retried,
     * or its retry budget is spent, so a retry from above would only multiply the load.
     */
    public static final String DO_NOT_RETRY_HEADER = "X-Do-Not-Retry";

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    private final HttpClient httpClient;
    private final URI baseUrl;
    private volatile Duration timeout;
    private final Map<AttemptOutcome, Counter> firstAttempts = new EnumMap<>(AttemptOutcome.class);
    private final Map<AttemptOutcome, Counter> retryAttempts = new EnumMap<>(AttemptOutcome.class);

    public DownstreamClient(URI baseUrl, Duration connectTimeout, Duration timeout, MeterRegistry registry) {
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
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
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(attemptTimeout).GET();
        deadline.ifPresent(epochMs -> request.header(Deadlines.HEADER, Long.toString(epochMs)));
        try {
            java.net.http.HttpResponse<byte[]> response = httpClient.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(AttemptOutcome.SUCCESS, status, JSON.readValue(response.body(), ChainResponse.class),
                        false);
            }
            boolean doNotRetry = response.headers().firstValue(DO_NOT_RETRY_HEADER).isPresent();
            return new Attempt(status >= 500 ? AttemptOutcome.SERVER_ERROR : AttemptOutcome.CLIENT_ERROR, status,
                    null, doNotRetry);
        } catch (java.io.IOException | tools.jackson.core.JacksonException e) {
            // Includes a body cut off mid-read: the client closes the stream when the timeout expires.
            boolean timedOut = Errors.isTimeout(e) || System.nanoTime() - start >= attemptTimeout.toNanos();
            return new Attempt(timedOut ? AttemptOutcome.TIMEOUT : AttemptOutcome.CONNECTION_ERROR, 0, null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(AttemptOutcome.CONNECTION_ERROR, 0, null, false);
        }
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
