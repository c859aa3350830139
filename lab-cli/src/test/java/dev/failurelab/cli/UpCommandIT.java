package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./lab up} when a port is taken: a one-line reason and exit 1, not a stack trace. */
class UpCommandIT {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new LabCommand());
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void upOnAPortInUse_failsWithAMessage_notAStackTrace() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(run("up", "--bottom-port", String.valueOf(port), "--middle-port", String.valueOf(free()),
                    "--edge-port", String.valueOf(free()), "--middle-proxy-port", String.valueOf(free()),
                    "--bottom-proxy-port", String.valueOf(free()), "--replica-port", String.valueOf(free()),
                    "--control-port", String.valueOf(free())))
                    .isEqualTo(1);
        }
        assertThat(err.toString()).contains("lab up: cannot start the topology").doesNotContain("\tat ");
    }

    private static int free() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
