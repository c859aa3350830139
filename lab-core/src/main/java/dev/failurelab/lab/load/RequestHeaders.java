package dev.failurelab.lab.load;

import dev.failurelab.contract.Deadlines;
import dev.failurelab.contract.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of each request of a load, decided when it is sent: none by default; the caller's
 * deadline ({@link Deadlines#HEADER}: its intended send time plus the load's timeout), a share of
 * {@link Priority#BATCH} requests spread evenly among live ones, or both.
 *
 * <p>Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface RequestHeaders {

    /** No headers. */
    RequestHeaders NONE = (index, intendedEpochMillis) -> Map.of();

    /**
     * @param index               the request's place in the load (0, 1, 2, ...)
     * @param intendedEpochMillis when it is meant to be sent (epoch milliseconds)
     */
    Map<String, String> of(long index, long intendedEpochMillis);

    /** The caller's deadline: each request's intended send time plus {@code timeout}. */
    static RequestHeaders deadline(Duration timeout) {
        long millis = timeout.toMillis();
        return (index, intended) -> Map.of(Deadlines.HEADER, Long.toString(intended + millis));
    }

    /**
     * {@code batchShare} of the requests batch, spread evenly (request i is batch when
     * {@code floor((i + 1) * share)} passes {@code floor(i * share)}), the rest live.
     */
    static RequestHeaders priorities(double batchShare) {
        if (!(batchShare >= 0 && batchShare <= 1)) {
            throw new IllegalArgumentException("the batch share must be between 0 and 1");
        }
        return (index, intended) -> {
            boolean batch = (long) Math.floor((index + 1) * batchShare) > (long) Math.floor(index * batchShare);
            return Map.of(Priority.HEADER, (batch ? Priority.BATCH : Priority.LIVE).tag());
        };
    }

    /** These headers and {@code other}'s (other's win a clash). */
    default RequestHeaders and(RequestHeaders other) {
        return (index, intended) -> {
            Map<String, String> both = new LinkedHashMap<>(of(index, intended));
            both.putAll(other.of(index, intended));
            return both;
        };
    }
}
