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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drafts a post-mortem from a recorded lab run ({@code result.json} and {@code timeline.jsonl}),
 * in the structure of {@code runbooks/POSTMORTEM_TEMPLATE.md}. The timeline, the impact and the
 * detection time are filled in from the recording; the judgement sections stay prompts for the
 * participant, so {@link PostmortemLint} refuses the draft until they are written.
 *
 * <p>The incident is the undefended part of the run: for a retry storm, the {@code naive}
 * policy's brownout and what followed it; for a stampede, the burst at the expiry under {@code none}.
 */
public final class PostmortemDraft {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private PostmortemDraft() {
    }

    /** The draft for the run recorded in {@code runDir}. */
    public static String from(Path runDir) {
        Path resultFile = runDir.resolve("result.json");
        Path timelineFile = runDir.resolve("timeline.jsonl");
        if (!Files.isRegularFile(resultFile) || !Files.isRegularFile(timelineFile)) {
            throw new IllegalArgumentException(runDir + " is not a recorded lab run (it needs result.json and"
                    + " timeline.jsonl, as ./lab run writes them)");
        }
        JsonNode result;
        try {
            result = JSON.readTree(Files.readString(resultFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Event> events = EventTimeline.read(timelineFile);
        if (events.isEmpty()) {
            throw new IllegalArgumentException(timelineFile + " holds no events");
        }
        if (result.has("policies")) {
            return retryStorm(runDir, result, events);
        }
        if (result.has("strategies")) {
            return stampede(runDir, result, events);
        }
        throw new IllegalArgumentException(resultFile + " is neither a retry-storm nor a stampede run");
    }

    private static String retryStorm(Path runDir, JsonNode result, List<Event> events) {
        JsonNode naive = find(result.path("policies"), "policy", "naive");
        double failed = 0;
        double total = 0;
        for (JsonNode second : naive.path("seconds")) {
            String phase = second.path("phase").asString();
            if (phase.equals("brownout") || phase.equals("observe")) {
                double rps = second.path("figures").path("edge_rps").asDouble();
                double success = second.path("figures").path("success").asDouble();
                if (!Double.isNaN(rps) && !Double.isNaN(success)) {
                    total += rps;
                    failed += rps * (1 - success);
                }
            }
        }
        Event trigger = first(events, EventTimeline.FAULT_INJECTED, "bottom").orElse(events.get(0));
        Optional<Event> recovered = events.stream().filter(e -> e.type().equals(EventTimeline.RECOVERED)
                && "naive".equals(e.values().get("policy"))).findFirst();
        Optional<Event> nextPolicy = events.stream().filter(e -> e.at().isAfter(trigger.at())
                && e.type().equals(EventTimeline.POLICY_SWITCHED) && !"naive".equals(e.values().get("policy")))
                .findFirst();
        Instant end = recovered.map(Event::at).orElse(nextPolicy.map(Event::at).orElse(events.get(events.size() - 1).at()));
        String peak = String.format(Locale.ROOT, "amplification %.2fx at the bottom (%.2fx on average over the"
                        + " brownout); edge success %.1f%% during the brownout",
                naive.path("peakAmplification").asDouble(), naive.path("brownoutAmplification").asDouble(),
                naive.path("brownoutSuccess").asDouble() * 100);
        String title = "retry storm after 50% errors on the bottom (lab run " + runDir.getFileName() + ")";
        String recovery = recovered.isPresent() ? "recovered by itself" : "not recovered when the observation ended";
        return render(title, failed, total, trigger.at(), end, recovery, peak, events, trigger, runDir,
                "runbooks/retry-storm.md");
    }

    private static String stampede(Path runDir, JsonNode result, List<Event> events) {
        JsonNode none = find(result.path("strategies"), "strategy", "none").path("expiry");
        Event trigger = events.stream().filter(e -> e.type().equals(EventTimeline.BURST_FIRED)
                && "none".equals(e.values().get("strategy"))).findFirst().orElse(events.get(0));
        Instant start = trigger.values().containsKey("fired_at")
                ? Instant.parse(String.valueOf(trigger.values().get("fired_at"))) : trigger.at();
        Instant end = start.plusMillis(Math.round(none.path("maxMs").asDouble()));
        String peak = String.format(Locale.ROOT, "%.0f origin queries for one expiry (1 expected); p99 %.0f ms"
                        + " against %.0f ms on the fresh key; %.0f ms spent waiting for pooled connections",
                none.path("originQueries").asDouble(), none.path("p99Ms").asDouble(),
                find(result.path("strategies"), "strategy", "none").path("hit").path("p99Ms").asDouble(),
                none.path("poolWaitMs").asDouble());
        String title = "cache stampede at the hot key's expiry (lab run " + runDir.getFileName() + ")";
        return render(title, none.path("errors").asDouble(), none.path("requests").asDouble(), start, end,
                "over when the burst's last answer came", peak, events, trigger, runDir, "runbooks/cache-stampede.md");
    }

    private static String render(String title, double failed, double total, Instant start, Instant end,
            String recovery, String peak, List<Event> events, Event trigger, Path runDir, String runbook) {
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
        Optional<Event> signal = events.stream().filter(e -> !e.at().isBefore(trigger.at())
                && e.type().equals(EventTimeline.THRESHOLD_CROSSED)).findFirst();
        if (signal.isPresent()) {
            md.append(String.format(Locale.ROOT, "- First signal: %s at %s UTC (%.0f s after the trigger at %s)%n%n",
                    signal.get().message(), TIME.format(signal.get().at()),
                    Duration.between(trigger.at(), signal.get().at()).toMillis() / 1000.0, TIME.format(trigger.at())));
        } else {
            md.append("- No threshold was crossed after the trigger at ").append(TIME.format(trigger.at()))
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
        md.append("- Dashboards: Grafana (workshop stack) *Chain overview*, *Retry storm*, *Cache stampede* at"
                + " http://localhost:3000\n");
        md.append("- Data: ").append(runDir.resolve("result.json")).append(", ").append(runDir.resolve("timeline.jsonl"))
                .append(", ").append(runDir.resolve("summary.md")).append('\n');
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

    private static Optional<Event> first(List<Event> events, String type, String proxy) {
        return events.stream().filter(e -> e.type().equals(type) && proxy.equals(e.values().get("proxy"))).findFirst();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asString().equals(value)) {
                return item;
            }
        }
        throw new IllegalArgumentException("the run has no " + field + " '" + value + "'");
    }
}
