package dev.failurelab.lab.postmortem;

import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.EventTimeline.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drafts a post-mortem from a recorded lab run ({@code result.json} and {@code timeline.jsonl}),
 * in the structure of {@code runbooks/POSTMORTEM_TEMPLATE.md}. The timeline, the impact and the
 * detection time are filled in from the recording; the judgement sections stay prompts for the
 * participant, so {@link PostmortemLint} refuses the draft until they are written.
 *
 * <p>The incident is the undefended part of the run, as the lab told it in {@code result.json}'s
 * {@code incident} ({@link dev.failurelab.lab.Incident}): the draft needs no knowledge of the lab.
 */
public final class PostmortemDraft {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private PostmortemDraft() {
    }

    /** The draft for the run recorded in {@code runDir}: its {@code incident}, whatever the lab. */
    public static String from(Path runDir) {
        Path resultFile = runDir.resolve("result.json");
        Path timelineFile = runDir.resolve("timeline.jsonl");
        if (!Files.isRegularFile(resultFile) || !Files.isRegularFile(timelineFile)) {
            throw new IllegalArgumentException(runDir + " is not a recorded lab run (it needs result.json and"
                    + " timeline.jsonl, as ./lab run and ./lab drill write them)");
        }
        JsonNode result;
        try {
            result = JSON.readTree(Files.readString(resultFile));
        } catch (IOException | JacksonException e) {
            throw new IllegalArgumentException(resultFile + " is not JSON: " + e.getMessage());
        }
        List<Event> events = EventTimeline.read(timelineFile);
        if (events.isEmpty()) {
            throw new IllegalArgumentException(timelineFile + " holds no events");
        }
        JsonNode incident = result.path("incident");
        if (!incident.isObject()) {
            throw new IllegalArgumentException(resultFile + " has no incident (was it written by ./lab run or"
                    + " ./lab drill?)");
        }
        List<String> dashboards = new ArrayList<>();
        incident.path("dashboards").forEach(d -> dashboards.add(d.asString()));
        String title = incident.path("title").asString() + " (lab run " + runDir.getFileName() + ")";
        return render(title, incident.path("failedRequests").asDouble(), incident.path("totalRequests").asDouble(),
                instant(incident, "start"), instant(incident, "end"), incident.path("recovery").asString(),
                incident.path("peak").asString(), events, instant(incident, "trigger"), runDir,
                incident.path("runbook").asString(), dashboards);
    }

    private static Instant instant(JsonNode incident, String field) {
        JsonNode value = incident.path(field);
        try {
            return value.isNumber() ? Instant.ofEpochMilli(Math.round(value.asDouble() * 1000))
                    : Instant.parse(value.asString());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("the incident's " + field + " is not a time: " + value);
        }
    }

    private static String render(String title, double failed, double total, Instant start, Instant end,
            String recovery, String peak, List<Event> events, Instant trigger, Path runDir, String runbook,
            List<String> dashboards) {
        Instant origin = events.get(0).at();
        StringBuilder md = new StringBuilder();
        md.append("# Post-mortem: ").append(title).append("\n\n");
        md.append("Draft generated from the recording; the figures and the timeline come from the run, the rest"
                + " is yours. `./lab postmortem --check FILE` tells what is still missing.\n\n");
        md.append("## TL;DR\n\n").append(PostmortemLint.PROMPT)
                .append(" Three sentences: what broke, what users saw, what fixed it.\n\n");
        md.append("## Impact\n\n");
        md.append(String.format(Locale.ROOT, "- Failed user requests: %.0f of %.0f (%.1f%%)%n", failed, total,
                total == 0 ? 0 : failed * 100 / total));
        md.append(String.format(Locale.ROOT, "- Duration: %s to %s UTC (%.1f min, %s)%n", TIME.format(start),
                TIME.format(end), Duration.between(start, end).toMillis() / 60000.0, recovery));
        md.append("- Peak: ").append(peak).append("\n\n");
        md.append(PostmortemLint.PROMPT).append(" Who was affected and how (which users, which features, any data"
                + " at risk)?\n\n");
        md.append("## Timeline\n\nAll times UTC. The first column is minutes:seconds since the run started.\n\n");
        md.append("| t | time (UTC) | event |\n|---|---|---|\n");
        for (Event event : events) {
            long seconds = Duration.between(origin, event.at()).toSeconds();
            md.append(String.format(Locale.ROOT, "| %02d:%02d | %s | %s%s |%n", seconds / 60, seconds % 60,
                    TIME.format(event.at()), event.message(), figures(event)));
        }
        md.append("\n## Contributing factors\n\nThere is never a single root cause. List every condition that had"
                + " to hold for this to happen.\n\n");
        md.append("1. ").append(PostmortemLint.PROMPT).append(" the trigger\n");
        md.append("2. ").append(PostmortemLint.PROMPT).append(" what amplified it\n");
        md.append("3. ").append(PostmortemLint.PROMPT).append(" what made it last or hid it\n\n");
        md.append("## Detection\n\n");
        Optional<Event> signal = events.stream().filter(e -> !e.at().isBefore(trigger)
                && (e.type().equals(EventTimeline.THRESHOLD_CROSSED) || e.type().equals(EventTimeline.ALERT_FIRED)))
                .findFirst();
        if (signal.isPresent()) {
            md.append(String.format(Locale.ROOT, "- First signal: %s at %s UTC (%.0f s after the trigger at %s)%n%n",
                    signal.get().message(), TIME.format(signal.get().at()),
                    Duration.between(trigger, signal.get().at()).toMillis() / 1000.0, TIME.format(trigger)));
        } else {
            md.append("- No threshold was crossed after the trigger at ").append(TIME.format(trigger))
                    .append(" UTC: nothing would have paged.\n\n");
        }
        md.append(PostmortemLint.PROMPT).append(" Did the alerts fire early enough? Who noticed first, an alert or a"
                + " user?\n\n");
        md.append("## Mitigation\n\n").append(PostmortemLint.PROMPT)
                .append(" What was done, by whom, at what time, and how long until it took effect?\n\n");
        md.append("## What worked, what did not\n\n").append(PostmortemLint.PROMPT)
                .append(" What went well (defences that held, tools that helped)?\n\n").append(PostmortemLint.PROMPT)
                .append(" What did not (alerts missing or noisy, runbook steps that were wrong)?\n\n");
        md.append("## Action items\n\nEach has an owner and a deadline (YYYY-MM-DD); status is `open`, `in progress`"
                + " or `done`.\n\n| action | owner | deadline | status |\n|---|---|---|---|\n");
        md.append("| ").append(PostmortemLint.PROMPT).append(" action | ").append(PostmortemLint.PROMPT)
                .append(" owner | ").append(PostmortemLint.PROMPT).append(" deadline | open |\n\n");
        md.append("## Appendix\n\n");
        md.append("- Dashboards: Grafana (workshop stack) ").append(dashboards.stream().map(d -> "*" + d + "*")
                .collect(java.util.stream.Collectors.joining(", "))).append(" at http://localhost:3000\n");
        md.append("- Data: ").append(java.util.stream.Stream.of("result.json", "timeline.jsonl", "summary.md",
                        "report.html", "timeline.html").map(runDir::resolve).filter(Files::isRegularFile)
                .map(Path::toString).collect(java.util.stream.Collectors.joining(", "))).append('\n');
        md.append("- Runbook: ").append(runbook).append('\n');
        return md.toString();
    }

    private static String figures(Event event) {
        StringBuilder text = new StringBuilder();
        for (String key : List.of("amplification", "success", "edge_rps", "bottom_rps", "origin_queries", "errors",
                "p99_ms", "pool_wait_ms", "value")) {
            Object value = event.values().get(key);
            if (value != null && !"NaN".equals(String.valueOf(value))) {
                text.append(text.length() == 0 ? " (" : ", ").append(key).append(' ').append(value);
            }
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }
}
