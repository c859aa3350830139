package dev.failurelab.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One runbook of {@code runbooks/}, read as an on-call engineer (or a drill's scripted participant)
 * follows it: the alerts and the exact PromQL of its Detection, and the commands of its Immediate
 * actions, in the order written. A command is a line of a {@code ```bash} block; inline code in the
 * prose is a reference, not a step. A {@code ```promql triage} block of its Detection is its triage
 * query: when alerts of several runbooks fire, a result says this runbook's failure is the one.
 *
 * @param failureMode its file's name without {@code .md}, e.g. {@code retry-storm}
 * @param file        where it is
 * @param sections    each {@code ## } section's text, by heading, in order
 */
public record Runbook(String failureMode, Path file, Map<String, String> sections) {

    public static final String DETECTION = "Detection";
    public static final String IMMEDIATE_ACTIONS = "Immediate actions";
    public static final String VERIFY_RECOVERY = "Verify recovery";

    private static final Pattern DASHBOARD = Pattern.compile("[Dd]ashboard \\*([^*]+)\\*");
    private static final Pattern ALERT = Pattern.compile("Alerts? `([A-Za-z0-9]+)`|, `([A-Z][A-Za-z0-9]+)`");

    /** {@code runbooks/<failureMode>.md}. */
    public static Runbook read(Path runbooks, String failureMode) {
        Path file = runbooks.resolve(failureMode + ".md");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no runbook for the failure mode '" + failureMode + "' (" + file + ")");
        }
        Map<String, String> sections = new LinkedHashMap<>();
        try {
            String heading = null;
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("## ")) {
                    if (heading != null) {
                        sections.put(heading, text.toString());
                    }
                    heading = line.substring(3).strip();
                    text.setLength(0);
                } else if (heading != null) {
                    text.append(line).append('\n');
                }
            }
            if (heading != null) {
                sections.put(heading, text.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runbook " + file, e);
        }
        return new Runbook(failureMode, file, Map.copyOf(sections));
    }

    /** A section's text, or empty if it has none. */
    public String section(String heading) {
        return sections.getOrDefault(heading, "");
    }

    /** The alerts its Detection names ({@code Alert `Name`}), in order. */
    public List<String> alerts() {
        List<String> names = new ArrayList<>();
        Matcher matcher = ALERT.matcher(section(DETECTION));
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The Grafana dashboards its Detection names ({@code Dashboard *Name*}), in order. */
    public List<String> dashboards() {
        List<String> names = new ArrayList<>();
        Matcher matcher = DASHBOARD.matcher(section(DETECTION));
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** The {@code ```promql} blocks of its Detection, each on one line. */
    public List<String> detectionQueries() {
        return blocks(section(DETECTION), "promql").stream()
                .map(block -> String.join(" ", block.stream().map(String::strip).toList()).strip()).toList();
    }

    /**
     * Its triage query ({@code ```promql triage} in its Detection), if it has one: the signal that
     * tells its failure from the others whose alerts overlap (the trigger, not the symptoms).
     */
    public java.util.Optional<String> triageQuery() {
        return blocks(section(DETECTION), "promql triage").stream()
                .map(block -> String.join(" ", block.stream().map(String::strip).toList()).strip()).findFirst();
    }

    /** The lines of the {@code ```bash} blocks of its Immediate actions, in order, blank lines left out. */
    public List<String> immediateCommands() {
        return blocks(section(IMMEDIATE_ACTIONS), "bash").stream().flatMap(List::stream).map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static List<List<String>> blocks(String text, String language) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (block == null && stripped.equals("```" + language)) {
                block = new ArrayList<>();
            } else if (block != null && stripped.equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        return blocks;
    }
}
