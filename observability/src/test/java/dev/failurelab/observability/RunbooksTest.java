package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runbook library: every failure mode has a runbook with every section, and every link resolves. */
class RunbooksTest {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());
    private static final Path ROOT = FILES.folder().getParent();
    private static final List<String> SECTIONS = List.of("Detection", "Impact and severity", "Immediate actions",
            "Diagnosis", "Recovery", "Verify recovery", "Escalation", "Post-incident actions");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyFailureModeOfTheTaxonomy_hasARunbook_withEverySectionInOrder() throws IOException {
        for (String mode : List.of("retry-storm", "cache-stampede", "split-brain", "hot-partition", "queue-overload",
                "dns-outage", "service-discovery-failure", "cascading-failure")) {
            Path runbook = FILES.runbooks().resolve(mode + ".md");
            assertThat(runbook).as(mode).isRegularFile();
            List<String> headings = Files.readAllLines(runbook).stream().filter(l -> l.startsWith("## "))
                    .map(l -> l.substring(3).strip()).toList();
            assertThat(headings).as(mode + " sections").containsExactlyElementsOf(SECTIONS);
            String text = Files.readString(runbook);
            assertThat(text).as(mode + " gives the exact PromQL").contains("```promql");
        }
    }

    @Test
    void everyLinkAndAnchorInTheRunbooks_resolves() throws IOException {
        List<String> broken = new ArrayList<>();
        try (Stream<Path> files = Files.list(FILES.runbooks())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                Matcher link = LINK.matcher(Files.readString(file));
                while (link.find()) {
                    String target = link.group(1);
                    if (target.startsWith("http://") || target.startsWith("https://")) {
                        continue;
                    }
                    String problem = resolve(file.getParent(), target);
                    if (problem != null) {
                        broken.add(file.getFileName() + " -> " + target + ": " + problem);
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void aQueryUnderAnAlert_isThatAlertsExpression_orItsLeadingPart() throws IOException {
        Map<String, String> expressions = new java.util.HashMap<>();
        for (Map<String, Object> alert : FILES.alerts()) {
            expressions.put(String.valueOf(alert.get("alert")), oneLine(String.valueOf(alert.get("expr"))));
        }
        // "- Alert `Name` ..." (a Detection's bullet) or "Alert `Name` ..." (a paragraph), then its block.
        Pattern named = Pattern.compile("^(?:- )?Alerts? `([A-Za-z0-9]+)`");
        List<String> drifted = new ArrayList<>();
        int quoted = 0;
        try (Stream<Path> files = Files.list(FILES.runbooks())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                String alert = null;
                StringBuilder block = null;
                for (String line : Files.readAllLines(file)) {
                    String stripped = line.strip();
                    Matcher alertLine = named.matcher(line);
                    if (block == null && alertLine.find()) {
                        alert = alertLine.group(1);
                    } else if (block == null && (line.startsWith("- ") || line.startsWith("#"))) {
                        alert = null;
                    } else if (block == null && stripped.equals("```promql")) {
                        block = new StringBuilder();
                    } else if (block != null && stripped.equals("```")) {
                        if (alert != null) {
                            quoted++;
                            String query = oneLine(block.toString());
                            if (!expressions.getOrDefault(alert, "").startsWith(query)) {
                                drifted.add(file.getFileName() + ", " + alert + ": " + query);
                            }
                        }
                        block = null;
                    } else if (block != null) {
                        block.append(stripped).append(' ');
                    }
                }
            }
        }
        assertThat(drifted).as("runbook queries that no longer match their alert in alerts.yml").isEmpty();
        assertThat(quoted).as("alert queries quoted in the runbooks").isGreaterThan(10);
    }

    private static String oneLine(String text) {
        return String.join(" ", text.strip().split("\\s+"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertsRunbookUrl_pointsAtAnExistingRunbookSection() throws IOException {
        for (Map<String, Object> alert : FILES.alerts()) {
            String url = String.valueOf(((Map<String, Object>) alert.get("annotations")).get("runbook_url"));
            assertThat(resolve(ROOT, url)).as(alert.get("alert") + " -> " + url).isNull();
        }
    }

    /** Null if {@code target} (a path, maybe with #anchor) exists relative to {@code dir}; else why not. */
    private static String resolve(Path dir, String target) throws IOException {
        String[] parts = target.split("#", 2);
        Path file = parts[0].isEmpty() ? null : dir.resolve(parts[0]).normalize();
        if (file != null && !Files.exists(file)) {
            return "no such file";
        }
        if (parts.length == 2) {
            if (file == null || !file.toString().endsWith(".md")) {
                return "an anchor outside a Markdown file";
            }
            Set<String> anchors = Files.readAllLines(file).stream().filter(l -> l.startsWith("#"))
                    .map(RunbooksTest::slug).collect(Collectors.toSet());
            if (!anchors.contains(parts[1])) {
                return "no heading with anchor #" + parts[1];
            }
        }
        return null;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
