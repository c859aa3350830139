package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.experiment.EventTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DrillReportTest {

    @TempDir
    Path out;

    private static DrillResult result(String participant, long seed, boolean right, Duration toMitigate) {
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        Instant injected = start.plusSeconds(70);
        List<DrillResult.Declaration> declarations = List.of(new DrillResult.Declaration(injected.plusSeconds(30),
                right ? "retry-storm" : "dns-outage", right));
        List<DrillResult.Second> seconds = List.of(new DrillResult.Second(injected.plusSeconds(1), 40, List.of("X")),
                new DrillResult.Second(injected.plusSeconds(2), Double.NaN, List.of()));
        DrillScore score = DrillScore.of(Drill.settings(Map.of()), right, right ? Duration.ofSeconds(30) : null,
                toMitigate, 12, 0, 0);
        return new DrillResult(seed, participant, "retry-storm", "retry-storm",
                new DrillScenario.Injection("50% errors (503) on the bottom, for 60 s", 0.5, Duration.ofSeconds(60)),
                start, injected, injected.plusSeconds(120), toMitigate == null ? DrillResult.Outcome.STOPPED_TIME
                        : DrillResult.Outcome.MITIGATED, declarations, right ? Duration.ofSeconds(30) : null,
                toMitigate, 12, 100, List.of("RetryAmplificationHigh"), List.of(), seconds, score,
                new dev.failurelab.lab.Incident("retry-storm (a hidden drill): 50% errors", 300, 3600, injected,
                        injected.plusSeconds(60), "mitigated", "the SLO's burn rate at 100.0x", injected,
                        "runbooks/retry-storm.md", List.of("Retry storm")));
    }

    @Test
    void aDrillsFiles_andTheScoreboard_bestScoreFirst() throws Exception {
        EventTimeline timeline = new EventTimeline();
        timeline.record(Drill.DECLARED, "declared: retry-storm", Map.of("failureMode", "retry-storm"));
        DrillReport report = new DrillReport(out);
        DrillResult weak = result("bob", 2, false, null);
        DrillResult strong = result("alice", 1, true, Duration.ofSeconds(50));
        Path first = report.write(weak, timeline);
        Path second = report.write(strong, timeline);

        assertThat(first).isNotEqualTo(second);
        for (Path dir : List.of(first, second)) {
            assertThat(dir.resolve("timeline.html")).isRegularFile();
            assertThat(dir.resolve("postmortem-draft.md")).content().contains(
                    "# Post-mortem: retry-storm (a hidden drill): 50% errors", "Failed user requests: 300 of 3600",
                    "runbooks/retry-storm.md", "*Retry storm*");
            assertThat(dir.resolve("timeline.jsonl")).content().contains("\"type\":\"declared\"");
        }
        JsonNode json = JsonMapper.builder().build().readTree(second.resolve("result.json").toFile());
        assertThat(json.path("outcome").asString()).isEqualTo("mitigated");
        assertThat(json.path("diagnosedRight").asBoolean()).isTrue();
        assertThat(json.path("timeToMitigateSeconds").asDouble()).isEqualTo(50);
        assertThat(json.path("score").path("total").asDouble()).isEqualTo(strong.score().total());
        String html = Files.readString(second.resolve("timeline.html"));
        assertThat(html).contains("The fault, revealed: 50% errors (503) on the bottom", "declared retry-storm",
                "<polyline");

        JsonNode board = JsonMapper.builder().build().readTree(out.resolve("drills/scoreboard.json").toFile());
        assertThat(board.path("drills")).hasSize(2);
        String scoreboard = Files.readString(out.resolve("drills/scoreboard.html"));
        assertThat(scoreboard.indexOf("alice")).as("the best score first").isLessThan(scoreboard.indexOf("bob"));
        assertThat(scoreboard).doesNotContain("hypotheses held");
    }
}
