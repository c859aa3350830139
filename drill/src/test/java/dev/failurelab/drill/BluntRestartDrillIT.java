package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.experiment.EventTimeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The blunt action, scored: a scripted participant with the blunt reflex ({@code auto.restart-first})
 * restarts every service once the failure hurts ({@code ./lab drill restart all}, through the drill's
 * control API), then follows its runbook. The drill sees the restarts in Prometheus (each service's
 * start time) and scores them as one blunt action; the runbook's commands still succeed on the
 * services restarted (the control answers once they are up again).
 */
class BluntRestartDrillIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @org.junit.jupiter.api.io.TempDir
    Path out;

    @Test
    void restartingEverything_isOneBluntAction_withItsPenalty() throws Exception {
        Map<String, String> settings = new HashMap<>(RunbookDrillIT.SHORT);
        settings.put("auto.restart-first", "true");
        Drill drill = new Drill(new Drill.Options(7, List.of("cascading-failure"), "blunt", true, true, settings, ROOT),
                System.out::println);
        DrillResult result = drill.run();
        List<EventTimeline.Event> events = drill.timeline().events();

        assertThat(events).as("the restart asked through the control API")
                .anyMatch(e -> e.type().equals(Drill.RESTART_ASKED) && e.message().contains("edge, middle, bottom"));
        assertThat(events).as("the restarts seen in Prometheus").anyMatch(e -> e.type().equals(Drill.RESTARTED));
        assertThat(result.bluntActions()).as("every service restarted at once: one blunt action").singleElement()
                .asString().startsWith("restarted ").contains("edge@", "middle@", "bottom@");
        assertThat(result.score().penalties()).as("its penalty (and no wrong declaration)")
                .isEqualTo(drill.settings().number("penalty.blunt-action"));
        List<EventTimeline.Event> commands = events.stream().filter(e -> e.type().equals(Drill.COMMAND_RUN)).toList();
        assertThat(commands).as("the runbook's steps, after the restart").isNotEmpty();
        for (EventTimeline.Event command : commands) {
            assertThat(command.values().get("exit")).as(command.message() + ": " + command.values().get("output"))
                    .isEqualTo(0);
        }
        assertThat(result.diagnosedRight()).isTrue();
        // What ./lab drill writes, its restarts in it.
        Path folder = new DrillReport(out).write(result, drill.timeline());
        assertThat(java.nio.file.Files.readString(folder.resolve("timeline.html"))).contains("blunt_action",
                "restarted edge@");
        assertThat(java.nio.file.Files.readString(folder.resolve("result.json"))).contains("\"bluntActions\"");
        assertThat(folder.resolve("postmortem-draft.md")).exists();
    }
}
