package dev.failurelab.lab.report;

import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.EventTimeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a lab run's report in a new folder per run: {@code report.html} (self-contained),
 * {@code result.json} for machines, {@code summary.md} for people and {@code timeline.jsonl}.
 * The one report writer every lab uses; the shape of each file is the same for every lab.
 *
 * <p>Thread-safe: stateless but for its root folder.
 */
public final class ReportWriter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    /** @param root the folder that holds one sub-folder per run (e.g. {@code lab-runs}) */
    public ReportWriter(Path root) {
        this.root = root;
    }

    /**
     * Writes one run's report in {@code <root>/<lab>-<UTC time>} (a suffix keeps two runs of one
     * second apart).
     *
     * @return the run's folder
     */
    public Path write(LabResult result, EventTimeline timeline) {
        try {
            Files.createDirectories(root);
            String stamp = result.lab() + "-" + STAMP.format(Instant.now());
            Path dir = root.resolve(stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = root.resolve(stamp + "-" + i);
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("result.json"), json(result), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), markdown(result), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("timeline.jsonl"), timeline.toJsonLines(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), html(result), StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + root, e);
        }
    }

    /**
     * {@code result.json} (and {@code --json}): {@code lab}, {@code title}, {@code startedAt},
     * {@code passed}, {@code checks}, {@code settings}, {@code incident}, and the lab's {@code data}.
     */
    public static String json(LabResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lab", result.lab());
        json.put("title", result.title());
        json.put("startedAt", result.startedAt().toString());
        json.put("passed", result.passed());
        json.put("checks", result.checks());
        json.put("settings", new TreeMap<>(result.settings()));
        json.put("incident", result.incident());
        json.put("data", result.data());
        return JSON.writeValueAsString(json);
    }

    /** {@code summary.md}: verdict, table, hypotheses, the lab's sections, settings. */
    public static String markdown(LabResult result) {
        StringBuilder md = new StringBuilder("# ").append(result.title()).append(": ")
                .append(result.passed() ? "PASSED" : "FAILED").append("\n\n").append(result.subtitle()).append("\n\n");
        md.append(result.table()).append("\n## Hypotheses\n\n```\n");
        result.checks().forEach(c -> md.append(c.line()).append('\n'));
        md.append("```\n\n");
        if (result.markdown() != null && !result.markdown().isBlank()) {
            md.append(result.markdown()).append('\n');
        }
        md.append("## Settings\n\n```\n");
        new TreeMap<>(result.settings()).forEach((key, value) -> md.append(key).append('=').append(value).append('\n'));
        return md.append("```\n").toString();
    }

    /** {@code report.html}: verdict banner, the hypotheses, the comparison, the lab's charts. */
    public static String html(LabResult result) {
        return HtmlReport.page(result.title(), result.subtitle(), result.checks(), result.htmlSections());
    }

}
