package dev.failurelab.lab.postmortem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a finished post-mortem: every section of the template present; no prompt or placeholder
 * left; an impact with numbers; a timeline with events; more than one contributing factor (there
 * is never a single root cause); at least three action items, each with an owner and a deadline.
 */
public final class PostmortemLint {

    /** The sections of {@code runbooks/POSTMORTEM_TEMPLATE.md}, in order. */
    public static final List<String> SECTIONS = List.of("TL;DR", "Impact", "Timeline", "Contributing factors",
            "Detection", "Mitigation", "What worked, what did not", "Action items", "Appendix");
    /** How a prompt for the author is written. */
    public static final String PROMPT = "> PROMPT:";

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z][a-z ,.'()-]*>");
    private static final Pattern DEADLINE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MIN_ACTIONS = 3;

    private PostmortemLint() {
    }

    /** Every gap, one line each; empty when the post-mortem is complete. */
    public static List<String> check(String markdown) {
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(PROMPT)) {
                problems.add("line " + (i + 1) + ": a prompt is left: " + lines[i].strip());
            } else if (PLACEHOLDER.matcher(lines[i]).find() && !lines[i].strip().startsWith("<!--")) {
                problems.add("line " + (i + 1) + ": a placeholder is left: " + lines[i].strip());
            }
        }
        Map<String, List<String>> sections = sections(lines);
        for (String section : SECTIONS) {
            if (!sections.containsKey(section)) {
                problems.add("section '## " + section + "' is missing");
            }
        }
        List<String> impact = sections.getOrDefault("Impact", List.of());
        if (impact.stream().noneMatch(line -> line.matches(".*\\d.*") && !line.contains(PROMPT))) {
            problems.add("Impact: empty (give failed requests, duration and the peak, with numbers)");
        }
        if (tableRows(sections.getOrDefault("Timeline", List.of())).isEmpty()) {
            problems.add("Timeline: empty (one row per event, with its time)");
        }
        long factors = sections.getOrDefault("Contributing factors", List.of()).stream()
                .filter(line -> line.matches("\\s*(\\d+\\.|[-*])\\s+\\S.*")).count();
        if (factors < 2) {
            problems.add("Contributing factors: " + factors + " listed; a single root cause is never the whole story"
                    + " (list at least 2)");
        }
        int complete = 0;
        for (List<String> row : tableRows(sections.getOrDefault("Action items", List.of()))) {
            boolean owner = row.size() > 1 && !row.get(1).isBlank();
            boolean deadline = row.size() > 2 && DEADLINE.matcher(row.get(2)).find();
            if (owner && deadline) {
                complete++;
            }
        }
        if (complete < MIN_ACTIONS) {
            problems.add("Action items: " + complete + " with an owner and a deadline (YYYY-MM-DD); at least "
                    + MIN_ACTIONS + " are needed");
        }
        return problems;
    }

    private static Map<String, List<String>> sections(String[] lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                current = new ArrayList<>();
                sections.put(line.substring(3).strip(), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    /** The data rows of the first Markdown table in {@code lines}, as trimmed cells. */
    static List<List<String>> tableRows(List<String> lines) {
        List<List<String>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : lines) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("|")) {
                if (!rows.isEmpty() || !header) {
                    break;
                }
                continue;
            }
            if (trimmed.matches("\\|[-:| ]+\\|")) {
                header = false;
                continue;
            }
            if (header) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : trimmed.substring(1, trimmed.length() - 1).split("\\|", -1)) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        return rows;
    }
}
