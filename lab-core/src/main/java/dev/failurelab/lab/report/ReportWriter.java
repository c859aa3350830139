package dev.failurelab.lab.report;

import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.EventTimeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
     * second apart). The files are written in a hidden folder first and moved into place in one
     * atomic rename, so a crash leaves no half report and two runs never mix their files.
     *
     * @return the run's folder
     */
    public Path write(LabResult result, EventTimeline timeline) {
        Path staging = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, "." + result.lab() + "-writing-");
            Files.writeString(staging.resolve("result.json"), json(result), StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("summary.md"), markdown(result), StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("timeline.jsonl"), timeline.toJsonLines(), StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("report.html"), html(result), StandardCharsets.UTF_8);
            String stamp = result.lab() + "-" + STAMP.format(Instant.now());
            for (int i = 1; ; i++) {
                Path dir = root.resolve(i == 1 ? stamp : stamp + "-" + i);
                if (Files.exists(dir)) {
                    continue;
                }
                try {
                    return Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException taken) {
                    if (!Files.exists(dir)) {
                        throw taken;
                    }
                    // another run of this second took it meanwhile: the next suffix
                }
            }
        } catch (IOException e) {
            if (staging != null) {
                deleteQuietly(staging);
            }
            throw new UncheckedIOException("cannot write the report under " + root, e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a hidden folder left behind is harmless
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
