package dev.failurelab.drill;

import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.postmortem.PostmortemDraft;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.report.HtmlReport;
import dev.failurelab.lab.report.SvgChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A drill's files, in {@code <out>/drills/<time>-seed<N>/}: {@code result.json} (the score and
 * everything it is made of), {@code timeline.jsonl} (every event), {@code timeline.html} (the burn
 * rate with the incident shaded, the verdict and every event: alerts, declarations, commands, the
 * defences switched), {@code postmortem-draft.md} (drafted from the incident and the timeline, as
 * {@code ./lab postmortem} drafts a lab run's); and the workshop's scoreboard beside them ({@code scoreboard.json} and
 * {@code scoreboard.html}: one row per drill, best score first).
 */
public final class DrillReport {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path drills;

    /** Writes under {@code out}/drills. */
    public DrillReport(Path out) {
        this.drills = out.resolve("drills");
    }

    /** The scoreboard's folder. */
    public Path folder() {
        return drills;
    }

    /** Writes one drill's files and adds it to the scoreboard; its folder. */
    public Path write(DrillResult result, EventTimeline timeline) throws IOException {
        Files.createDirectories(drills);
        Path dir = drills.resolve(STAMP.format(result.startedAt()) + "-seed" + result.seed());
        for (int i = 2; Files.exists(dir); i++) {
            dir = drills.resolve(STAMP.format(result.startedAt()) + "-seed" + result.seed() + "-" + i);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), json(result), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("timeline.jsonl"), timeline.toJsonLines(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("timeline.html"), html(result, timeline), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("postmortem-draft.md"), PostmortemDraft.from(dir), StandardCharsets.UTF_8);
        scoreboard(result, dir);
        return dir;
    }

    /** The result as JSON. */
    public static String json(DrillResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("participant", result.participant());
        json.put("seed", result.seed());
        json.put("failureMode", result.failureMode());
        json.put("lab", result.lab());
        json.put("fault", result.injection().fault());
        json.put("severity", result.injection().severity());
        json.put("startedAt", result.startedAt().toString());
        json.put("injectedAt", result.injectedAt().toString());
        json.put("endedAt", result.endedAt().toString());
        json.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        json.put("diagnosedRight", result.diagnosedRight());
        json.put("declarations", result.declarations().stream().map(d -> Map.of("at", d.at().toString(),
                "failureMode", d.failureMode(), "right", d.right())).toList());
        json.put("timeToDetectSeconds", seconds(result.timeToDetect()));
        json.put("timeToMitigateSeconds", seconds(result.timeToMitigate()));
        json.put("budgetBurnedMinutes", result.budgetBurned());
        json.put("peakBurn", result.peakBurn());
        json.put("alertsFired", result.alertsFired());
        json.put("bluntActions", result.bluntActions());
        json.put("score", result.score());
        json.put("incident", result.incident());
        return JSON.writeValueAsString(json);
    }

    private static Object seconds(Duration duration) {
        return duration == null ? null : duration.toMillis() / 1000.0;
    }

    /** The verdict lines: what the drill measured, against what a good drill reaches. */
    static List<Check> checks(DrillResult result) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.equalTo("diagnosis", "the last declaration named the failure mode (1 = yes)",
                result.diagnosedRight() ? 1 : 0, 1));
        checks.add(Check.equalTo("mitigated", "the burn stayed under its threshold long enough (1 = yes)",
                result.outcome() == DrillResult.Outcome.MITIGATED ? 1 : 0, 1));
        checks.add(Check.atMost("blunt-actions", "blunt actions", result.bluntActions().size(), 0));
        return checks;
    }

    static String html(DrillResult result, EventTimeline timeline) {
        Instant start = result.startedAt();
        List<DrillResult.Second> seconds = result.seconds();
        double[] x = seconds.stream().mapToDouble(s -> Duration.between(start, s.at()).toMillis() / 1000.0).toArray();
        double[] burn = seconds.stream().mapToDouble(DrillResult.Second::burn).toArray();
        double injected = Duration.between(start, result.injectedAt()).toMillis() / 1000.0;
        double ended = Duration.between(start, result.endedAt()).toMillis() / 1000.0;
        List<SvgChart.Band> bands = new ArrayList<>();
        bands.add(new SvgChart.Band(injected, ended, "incident: " + result.failureMode()));
        for (DrillResult.Declaration declaration : result.declarations()) {
            double at = Duration.between(start, declaration.at()).toMillis() / 1000.0;
            bands.add(new SvgChart.Band(at, at + 1, "declared " + declaration.failureMode()));
        }
        if (result.timeToMitigate() != null) {
            double calm = injected + result.timeToMitigate().toMillis() / 1000.0;
            bands.add(new SvgChart.Band(calm, calm + 1, "calm from here"));
        }
        String chart = SvgChart.lines("The SLO's burn rate (x the budget's rate)", "seconds since the drill started",
                "burn rate", List.of(new SvgChart.Series("burn rate", x, burn)), bands);
        DrillScore score = result.score();
        HtmlReport report = new HtmlReport()
                .section("The burn rate", "The fault, revealed: " + result.injection().fault() + ". Outcome: "
                        + result.outcome().words() + ".", List.of(chart))
                .table("Score", List.of("diagnosis", "detection", "mitigation", "budget", "penalties", "total"),
                        List.of(List.of(SvgChart.number(score.diagnosis()), SvgChart.number(score.detect()),
                                SvgChart.number(score.mitigate()), SvgChart.number(score.budget()),
                                score.penalties() == 0 ? "0" : "-" + SvgChart.number(score.penalties()),
                                SvgChart.number(score.total()))))
                .table("Figures", List.of("time to detect", "time to mitigate", "budget burned (min at 1x)",
                        "peak burn", "alerts fired"), List.of(List.of(clock(result.timeToDetect()),
                        clock(result.timeToMitigate()), SvgChart.number(result.budgetBurned()),
                        SvgChart.number(result.peakBurn()), String.join(", ", result.alertsFired()))));
        List<List<String>> rows = new ArrayList<>();
        for (EventTimeline.Event event : timeline.events()) {
            rows.add(List.of("+" + Drill.clock(Duration.between(start, event.at())), event.type().id(),
                    event.message()));
        }
        report.table("Timeline", List.of("at", "event", "what"), rows);
        return HtmlReport.page("Chaos drill: " + result.participant() + ", seed " + result.seed(),
                result.failureMode() + " on the " + result.lab() + " lab's topology; score "
                        + SvgChart.number(score.total()) + " of 100", checks(result), report.sections());
    }

    private static String clock(Duration duration) {
        return duration == null ? "-" : Drill.clock(duration);
    }

    private void scoreboard(DrillResult result, Path dir) throws IOException {
        Path file = drills.resolve("scoreboard.json");
        ArrayNode rows = Files.exists(file) ? (ArrayNode) JSON.readTree(file.toFile()).path("drills")
                : JSON.createArrayNode();
        ObjectNode row = rows.addObject();
        row.put("participant", result.participant());
        row.put("seed", result.seed());
        row.put("failureMode", result.failureMode());
        row.put("startedAt", result.startedAt().toString());
        row.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        row.put("diagnosedRight", result.diagnosedRight());
        row.putPOJO("timeToDetectSeconds", seconds(result.timeToDetect()));
        row.putPOJO("timeToMitigateSeconds", seconds(result.timeToMitigate()));
        row.put("budgetBurnedMinutes", result.budgetBurned());
        row.put("bluntActions", result.bluntActions().size());
        row.put("score", result.score().total());
        row.put("folder", drills.relativize(dir).toString());
        ObjectNode board = JSON.createObjectNode();
        board.set("drills", rows);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(board), StandardCharsets.UTF_8);
        List<JsonNode> sorted = new ArrayList<>();
        rows.forEach(sorted::add);
        sorted.sort((a, b) -> Double.compare(b.path("score").asDouble(), a.path("score").asDouble()));
        List<List<String>> table = new ArrayList<>();
        int rank = 1;
        for (JsonNode r : sorted) {
            table.add(List.of(String.valueOf(rank++), r.path("participant").asString(), r.path("failureMode").asString(),
                    r.path("outcome").asString(), r.path("diagnosedRight").asBoolean() ? "right" : "wrong",
                    r.path("timeToDetectSeconds").isNull() ? "-" : SvgChart.number(r.path("timeToDetectSeconds").asDouble()),
                    r.path("timeToMitigateSeconds").isNull() ? "-"
                            : SvgChart.number(r.path("timeToMitigateSeconds").asDouble()),
                    SvgChart.number(r.path("budgetBurnedMinutes").asDouble()),
                    String.valueOf(r.path("bluntActions").asInt()), SvgChart.number(r.path("score").asDouble()),
                    r.path("folder").asString()));
        }
        String sections = new HtmlReport().table("Drills, best score first", List.of("#", "participant", "failure mode",
                "outcome", "diagnosis", "detect (s)", "mitigate (s)", "budget (min at 1x)", "blunt actions", "score",
                "drill"), table).sections();
        Files.writeString(drills.resolve("scoreboard.html"), HtmlReport.page("Chaos drills: the scoreboard",
                rows.size() + " drill(s)", List.of(), sections), StandardCharsets.UTF_8);
    }
}
