package dev.failurelab.bench;

import dev.failurelab.lab.load.LoadObserver;
import dev.failurelab.lab.load.LoadResult;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One run of the lab's own open-loop generator at a fixed rate, with what a benchmark needs
 * beyond its {@link LoadResult}: the send-time error of every request (actual minus intended
 * send time, recorded on the sending thread the moment it sends).
 *
 * @param result   the generator's result (latency from each intended send time)
 * @param sendLag  send-time error in microseconds, one value per request sent
 */
record OpenLoopRun(LoadResult result, Histogram sendLag) {

    static OpenLoopRun run(URI target, double rate, Duration duration) {
        Histogram lag = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            LoadResult result = generator.run(LoadSpec.of(target, rate, duration), new LoadObserver() {
                @Override
                public void onSent(long intendedNanos) {
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - intendedNanos);
                    lag.recordValue(Math.min(Math.max(0, micros), lag.getHighestTrackableValue()));
                }

                @Override
                public void onCompleted(long intendedNanos, long completedNanos, int status, Outcome outcome) {
                }
            });
            return new OpenLoopRun(result, lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            generator.close();
        }
    }

    /** Requests not answered 2xx in time, and arrivals dropped: zero when the rate was served. */
    long errors() {
        return result.sent() - result.succeeded() + result.dropped();
    }

    double lagMicros(double percentile) {
        return sendLag.getTotalCount() == 0 ? 0 : sendLag.getValueAtPercentile(percentile);
    }
}
