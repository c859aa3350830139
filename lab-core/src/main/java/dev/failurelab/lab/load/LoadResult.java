package dev.failurelab.lab.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of an open-loop run. Latencies are measured from each request's <em>intended</em>
 * start, so a stalled system shows its stall in every request that should have been sent during
 * it (no coordinated omission).
 *
 * @param sent          requests sent
 * @param succeeded     2xx answers
 * @param failed        non-2xx answers
 * @param timeouts      no answer within the timeout
 * @param connectErrors no connection, or connection closed without an answer
 * @param dropped       arrivals not sent because {@code maxOutstanding} were in flight
 * @param statuses      answers by HTTP status
 * @param sendSeconds   wall time from the first intended start to the last send
 * @param rate          the target rate
 * @param latency       latency histogram in microseconds, every completed request (any outcome)
 * @param maxSendLagMicros the largest gap between a request's intended and actual send time
 */
public record LoadResult(long sent, long succeeded, long failed, long timeouts, long connectErrors, long dropped,
        Map<Integer, Long> statuses, double sendSeconds, double rate, Histogram latency, long maxSendLagMicros) {

    public LoadResult {
        statuses = Map.copyOf(new TreeMap<>(statuses));
    }

    /** Sent requests per second over the send window. */
    public double achievedRate() {
        return sendSeconds <= 0 ? 0 : (sent - 1) / sendSeconds;
    }

    /** Share of sent requests that did not get a 2xx answer. */
    public double failureRatio() {
        return sent == 0 ? 0 : (double) (sent - succeeded) / sent;
    }

    /** Latency at {@code percentile} (0..100), milliseconds. */
    public double latencyMillis(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A one-line summary, in the style of hey/vegeta. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "sent=%d rate=%.1f/s (target %.1f) ok=%d failed=%d timeouts=%d conn_errors=%d dropped=%d "
                        + "p50=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms statuses=%s",
                sent, achievedRate(), rate, succeeded, failed, timeouts, connectErrors, dropped, latencyMillis(50),
                latencyMillis(99), latencyMillis(99.9), latency.getMaxValue() / 1000.0, statuses);
    }
}
