package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.drill.DrillControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillCommandTest {

    private final LabCli cli = new LabCli();

    @Test
    void badOptions_areUsageErrors_namingWhatIsWrong_beforeAnythingStarts() {
        assertThat(cli.run("drill", "--participant", "a b")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--participant");
        LabCli mode = new LabCli();
        assertThat(mode.run("drill", "--mode", "gremlins")).isEqualTo(2);
        assertThat(mode.err.toString()).contains("--mode: no failure mode 'gremlins'").contains("retry-storm");
        LabCli setting = new LabCli();
        assertThat(setting.run("drill", "--set", "stop.burm=3")).isEqualTo(2);
        assertThat(setting.err.toString()).contains("unknown setting 'stop.burm'");
        LabCli kind = new LabCli();
        assertThat(kind.run("drill", "--set", "mitigated.for=soon")).isEqualTo(2);
        assertThat(kind.err.toString()).contains("'mitigated.for' must be a duration");
    }

    @Test
    void declare_withNoDrillRunning_saysSo() {
        assertThat(cli.run("drill", "declare", "retry-storm", "--control", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(cli.err.toString()).contains("no drill answers at http://127.0.0.1:1");
    }

    @Test
    void declareNoteAndStatus_reachTheRunningDrill_andABadModeIsAUsageError() {
        List<String> declared = new ArrayList<>();
        try (DrillControl control = DrillControl.start(0, List.of("retry-storm", "dns-outage"),
                new DrillControl.Listener() {
                    @Override
                    public String declared(String failureMode) {
                        declared.add(failureMode);
                        return "declared " + failureMode + " at 01:02";
                    }

                    @Override
                    public String noted(String text) {
                        return "noted: " + text;
                    }

                    @Override
                    public Map<String, Object> status() {
                        return Map.of("phase", "running", "failureModes", List.of("retry-storm", "dns-outage"));
                    }

                    @Override
                    public String restart(String app) {
                        if (!app.equals("all")) {
                            throw new IllegalArgumentException("no app '" + app + "' to restart: all, or one of [edge]");
                        }
                        return "edge: restarting";
                    }
                })) {
            String url = control.url().toString();
            assertThat(cli.run("drill", "declare", "dns-outage", "--control", url)).isEqualTo(0);
            assertThat(cli.out.toString()).contains("declared dns-outage at 01:02");
            LabCli note = new LabCli();
            assertThat(note.run("drill", "note", "serve-stale on", "--control", url)).isEqualTo(0);
            assertThat(note.out.toString()).contains("noted: serve-stale on");
            LabCli status = new LabCli();
            assertThat(status.run("drill", "status", "--control", url)).isEqualTo(0);
            assertThat(status.out.toString()).contains("\"phase\"").contains("running");
            LabCli bad = new LabCli();
            assertThat(bad.run("drill", "declare", "gremlins", "--control", url)).isEqualTo(2);
            assertThat(bad.err.toString()).contains("no failure mode 'gremlins'");
            assertThat(declared).containsExactly("dns-outage");
            LabCli restart = new LabCli();
            assertThat(restart.run("drill", "restart", "--control", url)).as("all, by default").isEqualTo(0);
            assertThat(restart.out.toString()).contains("edge: restarting");
            LabCli noSuchApp = new LabCli();
            assertThat(noSuchApp.run("drill", "restart", "cache", "--control", url)).isEqualTo(2);
            assertThat(noSuchApp.err.toString()).contains("no app 'cache' to restart");
        }
    }

    @Test
    void experimentWrite_writesTheCatalogue_asTheProjectKeepsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws java.io.IOException {
        assertThat(cli.run("drill", "experiment", "write", "--out", out.toString())).isEqualTo(0);
        java.nio.file.Path kept = DrillCommand.root().resolve("experiments");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(out)) {
            List<java.nio.file.Path> written = files.sorted().toList();
            assertThat(written).extracting(f -> f.getFileName().toString()).contains("retry-storm.json");
            for (java.nio.file.Path file : written) {
                assertThat(cli.out.toString()).contains("wrote " + file);
                assertThat(file).hasSameTextualContentAs(kept.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void experimentRun_refusesABadFile_beforeAnyLabStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path notJson = java.nio.file.Files.writeString(dir.resolve("x.json"), "{ title: ");
        assertThat(cli.run("drill", "experiment", "run", notJson.toString())).isEqualTo(2);
        assertThat(cli.err.toString()).contains("FILE: cannot read " + notJson + " as JSON");
        LabCli invalid = new LabCli();
        java.nio.file.Path noMethod = java.nio.file.Files.writeString(dir.resolve("y.json"),
                "{\"title\": \"t\", \"description\": \"d\", \"tags\": [\"retry-storm\"]}");
        assertThat(invalid.run("drill", "experiment", "run", noMethod.toString())).isEqualTo(2);
        assertThat(invalid.err.toString()).contains("FILE: the experiment is not valid: an experiment requires a method");
        LabCli untagged = new LabCli();
        java.nio.file.Path noMode = java.nio.file.Files.writeString(dir.resolve("z.json"),
                "{\"title\": \"t\", \"description\": \"d\", \"tags\": [\"x\"], \"method\": []}");
        assertThat(untagged.run("drill", "experiment", "run", noMode.toString())).isEqualTo(2);
        assertThat(untagged.err.toString()).contains("tags must name one failure mode of the catalogue");
        LabCli badVar = new LabCli();
        assertThat(badVar.run("drill", "experiment", "run", noMode.toString(), "--var", "novalue")).isEqualTo(2);
        assertThat(badVar.err.toString()).contains("--var");
    }
}
