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
        }
    }
}
