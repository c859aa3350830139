package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LabCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new LabCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void noCommand_isAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required", "Usage: lab");
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertThat(run("explode")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'explode'");
    }

    @Test
    void upHelp_listsEveryPortOption_withTheDocumentedDefaults() {
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString()).contains("--edge-port", "8080", "--middle-proxy-port", "8081", "--middle-port",
                "8082", "--bottom-proxy-port", "8083", "--bottom-port", "8084", "--replica-port", "8085",
                "--control-port", "8474", "--no-cache");
    }

    @Test
    void upWithABadPort_isAUsageError_namingTheOption() {
        assertThat(run("up", "--edge-port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("--edge-port");
    }

    @Test
    void upWithAPortOutOfRange_orTwoEqualPorts_isAUsageError() {
        assertThat(run("up", "--bottom-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--bottom-port must be a port between 1 and 65535");
        assertThat(run("up", "--edge-port", "8084")).isEqualTo(2);
        assertThat(err.toString()).contains("every port must be different");
    }

    @Test
    void upWithAnUnknownLab_orAMalformedSet_isAUsageError() {
        assertThat(run("up", "--lab", "stampede-ish")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown lab 'stampede-ish'");
        assertThat(run("up", "--set", "bottom-capacity=3")).isEqualTo(2);
        assertThat(err.toString()).contains("--set takes APP:KEY=VALUE");
    }

    @Test
    void runWithAnUnknownLab_orAnUnknownSetting_isAUsageError_beforeStartingAnything() {
        assertThat(run("run", "chaos")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown lab 'chaos'");
        assertThat(run("run", "retry-storm", "--set", "load.rat=80")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting 'load.rat'");
        assertThat(run("run", "retry-storm", "--set", "phase.brownout=soon")).isEqualTo(2);
        assertThat(err.toString()).contains("phase.brownout");
    }

    @Test
    void runStampede_withAnUnknownSetting_isAUsageError() {
        assertThat(run("run", "stampede", "--set", "burst.request=5")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting 'burst.request'");
    }

    @Test
    void stampedeWithBadOptions_isAUsageError_namingTheOption() {
        assertThat(run("stampede", "--requests", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--requests must be between 1 and 20000");
        assertThat(run("stampede", "--ports", "8084,http")).isEqualTo(2);
        assertThat(err.toString()).contains("--ports");
    }

    @Test
    void postmortem_needsARunOrACheck_andNamesWhatIsMissing() {
        assertThat(run("postmortem")).isEqualTo(2);
        assertThat(err.toString()).contains("give either RUN or --check FILE");
        assertThat(run("postmortem", "--check", "no-such-postmortem.md")).isEqualTo(2);
        assertThat(err.toString()).contains("--check: no such file: no-such-postmortem.md");
        assertThat(run("postmortem", "no-such-run")).isEqualTo(2);
        assertThat(err.toString()).contains("RUN: no such folder: no-such-run");
        assertThat(run("postmortem", "target")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a recorded lab run");
    }

    @Test
    void postmortemCheck_exits0ForTheCompletedExample_and1ForTheTemplate_namingTheGaps() {
        assertThat(run("postmortem", "--check", "../post-incident-lab/examples/retry-storm-postmortem.md")).isZero();
        assertThat(out.toString()).contains("is complete");
        assertThat(run("postmortem", "--check", "../runbooks/POSTMORTEM_TEMPLATE.md")).isEqualTo(1);
        assertThat(out.toString()).contains("GAP Action items: 0 with an owner");
    }

    @Test
    void loadWithBadOptions_isAUsageError_namingTheOption() {
        assertThat(run("load", "--rate", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("rate must be greater than 0");
        assertThat(run("load", "--duration", "forever")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration");
    }
}
