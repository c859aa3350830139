package dev.failurelab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.Incident;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path root;

    private static LabResult result(boolean passes) {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        return new LabResult("demo", "Demo (lab 0)", "Started then.", at, Map.of("b.key", "2", "a.key", "1"),
                List.of(Check.atLeast("x", "x is big", passes ? 5 : 1, 3)), "| a | b |\n|---|---|\n| 1 | 2 |\n",
                "## Per second\n\nrows\n", "<section><h2>Charts</h2></section>",
                new Incident("a demo incident", 3, 30, at, at.plusSeconds(10), "recovered", "peak 5", at,
                        "runbooks/retry-storm.md", List.of("Chain overview")), Map.of("figure", 42));
    }

    @Test
    void write_makesTheFourFiles_inAFolderPerRun() throws Exception {
        EventTimeline timeline = new EventTimeline();
        timeline.record(EventTimeline.RUN_STARTED, "started", Map.of());
        ReportWriter writer = new ReportWriter(root);

        Path first = writer.write(result(true), timeline);
        Path second = writer.write(result(true), timeline);

        assertThat(first.getFileName().toString()).startsWith("demo-");
        assertThat(second).as("two runs in one second get two folders").isNotEqualTo(first);
        for (String file : List.of("report.html", "result.json", "summary.md", "timeline.jsonl")) {
            assertThat(first.resolve(file)).isNotEmptyFile();
        }
        assertThat(EventTimeline.read(first.resolve("timeline.jsonl"))).hasSize(1);
        try (java.util.stream.Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no staging folder left")
                    .noneMatch(name -> name.startsWith("."));
        }
    }

    @Test
    void write_fromManyThreadsInOneSecond_neverMixesTwoRuns() throws Exception {
        EventTimeline timeline = new EventTimeline();
        ReportWriter writer = new ReportWriter(root);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Path>> written = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            written.add(pool.submit(() -> writer.write(result(true), timeline)));
        }
        java.util.Set<Path> folders = new java.util.HashSet<>();
        for (java.util.concurrent.Future<Path> future : written) {
            folders.add(future.get());
        }
        pool.shutdown();
        assertThat(folders).as("16 runs, 16 folders").hasSize(16).allSatisfy(folder -> {
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                assertThat(files).hasSize(4);
            }
        });
    }

    @Test
    void json_isTheSharedEnvelope_withTheLabsData() {
        String json = ReportWriter.json(result(false));
        assertThat(json).contains("\"lab\" : \"demo\"", "\"passed\" : false", "\"checks\"", "\"incident\"",
                "\"runbook\" : \"runbooks/retry-storm.md\"", "\"data\"", "\"figure\" : 42");
        assertThat(json.indexOf("\"a.key\"")).as("settings sorted").isLessThan(json.indexOf("\"b.key\""));
    }

    @Test
    void markdown_verdictTableHypothesesSectionsSettings_inOrder() {
        String md = ReportWriter.markdown(result(true));
        assertThat(md).startsWith("# Demo (lab 0): PASSED\n\nStarted then.");
        assertThat(md).containsSubsequence("| a | b |", "## Hypotheses", "PASS x", "## Per second", "## Settings",
                "a.key=1", "b.key=2");
        assertThat(ReportWriter.markdown(result(false))).startsWith("# Demo (lab 0): FAILED");
    }

    @Test
    void html_wrapsTheLabsSections_underTheVerdicts() {
        String html = ReportWriter.html(result(false));
        assertThat(html).containsSubsequence("<h1>Demo (lab 0)</h1>", "FAILED: 0 of 1", "<h2>Charts</h2>");
    }
}
