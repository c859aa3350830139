package dev.failurelab.lab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTimelineTest {

    @TempDir
    Path dir;

    @Test
    void toJsonLines_thenRead_givesTheSameEvents_withALabsOwnType() throws Exception {
        EventTimeline timeline = new EventTimeline(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
        EventType burst = EventType.of("burst_fired");
        timeline.record(EventTimeline.RUN_STARTED, "started", Map.of("rate", 60));
        timeline.record(burst, "a \"quoted\" burst\nof 1000", Map.of("strategy", "none", "origin_queries", 35.0,
                "apps", List.of("edge@a", "bottom@b")));
        Path file = dir.resolve("timeline.jsonl");
        Files.writeString(file, timeline.toJsonLines());

        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"at\":"));
        List<EventTimeline.Event> read = EventTimeline.read(file);
        assertThat(read).extracting(EventTimeline.Event::type).containsExactly(EventTimeline.RUN_STARTED, burst);
        assertThat(read.get(1).message()).isEqualTo("a \"quoted\" burst\nof 1000");
        assertThat(read.get(1).values()).containsEntry("strategy", "none").containsEntry("origin_queries", 35.0)
                .as("a list, as its JSON").containsEntry("apps", "[\"edge@a\",\"bottom@b\"]");
        assertThat(read.get(0).at()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
    }

    @Test
    void eventType_isLowerCaseWordsJoinedByUnderscores() {
        assertThat(EventType.of("queue_shed").id()).isEqualTo("queue_shed");
        assertThatThrownBy(() -> EventType.of("Queue Shed")).hasMessageContaining("lower-case words");
    }

    @Test
    void record_fromManyThreads_keepsEveryEvent() throws Exception {
        EventTimeline timeline = new EventTimeline();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 400; i++) {
            int n = i;
            pool.submit(() -> timeline.record(EventTimeline.PHASE_STARTED, "phase " + n, Map.of()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(timeline.events()).hasSize(400);
    }

    @Test
    void threshold_recordsOnlyChangesOfState_andIgnoresNaN() {
        EventTimeline timeline = new EventTimeline();
        EventTimeline.Threshold high = timeline.threshold("load", "load above 10", v -> v > 10);
        for (double v : new double[] {5, 11, 12, Double.NaN, 13, 9, 8, 20}) {
            high.observe(v, Map.of());
        }
        assertThat(timeline.events()).extracting(e -> e.type().id() + "=" + e.values().get("value"))
                .containsExactly("threshold_crossed=11.0", "threshold_cleared=9.0", "threshold_crossed=20.0");
    }

    @Test
    void read_aMissingFile_failsNamingIt() {
        assertThatThrownBy(() -> EventTimeline.read(dir.resolve("none.jsonl"))).hasMessageContaining("none.jsonl");
    }
}
