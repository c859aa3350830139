package dev.failurelab.lab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a lab run's report: {@code result.json} for machines and {@code summary.md} for people,
 * in a new folder per run. The one report writer every lab uses.
 */
public final class ReportWriter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    /** {@code result} as the indented JSON of {@code result.json} (for {@code --json}). */
    public static String json(Object result) {
        return JSON.writeValueAsString(result);
    }

    /** @param root the folder that holds one sub-folder per run (e.g. {@code lab-runs}) */
    public ReportWriter(Path root) {
        this.root = root;
    }

    /**
     * Writes one run's report.
     *
     * @param lab      the lab's name, e.g. {@code retry-storm}
     * @param result   the machine-readable result (records serialize as JSON objects)
     * @param markdown the human summary
     * @param timeline what happened during the run ({@code timeline.jsonl})
     * @param html     the self-contained HTML report ({@code report.html})
     * @return the run's folder
     */
    public Path write(String lab, Object result, String markdown, dev.failurelab.lab.experiment.EventTimeline timeline,
            String html) {
        Path dir = root.resolve(lab + "-" + STAMP.format(Instant.now()));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("result.json"), JSON.writeValueAsString(result), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("timeline.jsonl"), timeline.toJsonLines(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
        return dir;
    }
}
