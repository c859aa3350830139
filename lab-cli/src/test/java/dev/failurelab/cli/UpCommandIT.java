package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./lab up} when a port is taken: a one-line reason and exit 1, not a stack trace. */
class UpCommandIT {


    private final LabCli cli = new LabCli();

    @Test
    void upOnAPortInUse_failsWithAMessage_notAStackTrace() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("up", "--no-cache"));
            dev.failurelab.lab.topology.Topology.chain().without("cache").withFreePorts().ports()
                    .forEach((name, port) -> args.addAll(java.util.List.of("--port", name + "=" + port)));
            args.addAll(java.util.List.of("--port", "bottom=" + taken.getLocalPort()));
            assertThat(cli.run(args.toArray(String[]::new))).isEqualTo(1);
        }
        assertThat(cli.err.toString()).contains("lab up: cannot start the topology").doesNotContain("\tat ");
    }
}
