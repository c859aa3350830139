package dev.failurelab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-second view: answers by kind, degraded ones (203) apart from the full ones. */
class LoadTimelineTest {

    @Test
    void aSecondCountsFullAndDegradedAnswersApart_andLatencyFromTheIntendedStart() {
        long origin = 0;
        LoadTimeline timeline = new LoadTimeline(origin);
        long second = TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < 3; i++) {
            timeline.onSent(second + i);
        }
        timeline.onCompleted(second, second + TimeUnit.MILLISECONDS.toNanos(10), 200, LoadObserver.Outcome.SUCCESS);
        timeline.onCompleted(second, second + TimeUnit.MILLISECONDS.toNanos(20), LoadTimeline.DEGRADED_STATUS,
                LoadObserver.Outcome.SUCCESS);
        timeline.onCompleted(second, second + TimeUnit.MILLISECONDS.toNanos(30), 503, LoadObserver.Outcome.FAILED);

        LoadTimeline.SecondSample sample = timeline.sample(1);
        assertThat(sample.sent()).isEqualTo(3);
        assertThat(sample.succeeded()).isEqualTo(2);
        assertThat(sample.degraded()).isEqualTo(1);
        assertThat(sample.full()).isEqualTo(1);
        assertThat(sample.failed()).isEqualTo(1);
        assertThat(sample.successRatio()).isCloseTo(2 / 3.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(sample.p99Millis()).isBetween(29.0, 31.0);
        assertThat(sample.p99SuccessMillis()).as("the 503 at 30 ms is not a success").isBetween(19.0, 21.0);
        assertThat(timeline.sample(5).completed()).as("a second with nothing in it").isZero();
    }
}
