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
    void upHelp_namesTheEndpointsWithTheirDocumentedPorts() {
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "edge=8080", "middle-proxy=8081", "middle=8082",
                "bottom-proxy=8083", "bottom=8084", "replica=8085", "injector=8474", "--no-cache");
    }

    @Test
    void upHelp_portsAreTheChainTopologys() {
        // The help text and the topology's data must not drift apart.
        dev.failurelab.lab.topology.Topology.chain().ports().forEach((name, port) -> {
            assertThat(run("up", "--help")).isZero();
            assertThat(out.toString()).contains(name + "=" + port);
        });
    }

    @Test
    void upWithABadPort_isAUsageError_namingTheEndpoint() {
        assertThat(run("up", "--port", "edge=eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("--port edge must be a port");
        assertThat(run("up", "--port", "edge")).isEqualTo(2);
        assertThat(err.toString()).contains("--port takes NAME=PORT");
        assertThat(run("up", "--port", "kitchen=9000")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown endpoint 'kitchen'", "edge, middle-proxy");
    }

    @Test
    void upWithAPortOutOfRange_orTwoEqualPorts_isAUsageError() {
        assertThat(run("up", "--port", "bottom=70000")).isEqualTo(2);
        assertThat(err.toString()).contains("bottom must be a port between 1 and 65535");
        assertThat(run("up", "--port", "edge=8084")).isEqualTo(2);
        assertThat(err.toString()).contains("every port must be different");
    }

    @Test
    void upWithAnUnknownLab_orAMalformedSet_isAUsageError() {
        assertThat(run("up", "--lab", "stampede-ish")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown lab 'stampede-ish'");
        assertThat(run("up", "--set", "bottom-capacity=3")).isEqualTo(2);
        assertThat(err.toString()).contains("--set takes APP:KEY=VALUE");
        assertThat(run("up", "--set", "kitchen:a=b")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown app 'kitchen'");
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
    void list_namesEveryRegisteredLab_withItsTitle() {
        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("retry-storm", "Retry storm (lab 11.1)", "stampede",
                "Cache stampede (lab 11.2)");
    }

    @Test
    void run_withABadPortOrATopologySettingForNoApp_isAUsageError() {
        assertThat(run("run", "retry-storm", "--port", "replica=9085")).isEqualTo(2);
        assertThat(err.toString()).as("retry-storm's topology has no cache replica").contains("unknown endpoint 'replica'");
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
        assertThat(run("stampede", "--ports", "8084")).isEqualTo(2);
        assertThat(err.toString()).contains("--ports takes 2 ports: bottom,replica");
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
