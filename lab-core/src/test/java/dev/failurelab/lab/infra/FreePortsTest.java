package dev.failurelab.lab.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void eachPort_isBindable_handedOutOnce_andBelowTheEphemeralRange_whereOutgoingConnectionsTakeTheirs()
            throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.next();
            assertThat(ports.add(port)).as("handed out once: " + port).isTrue();
            if (FreePorts.ephemeralLow() - FreePorts.LOWEST > 1_000) {
                assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.ephemeralLow() - 1);
            }
        }
        int port = FreePorts.next();
        try (ServerSocket bound = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortSomethingListensOn_isNotBindable_untilItCloses() throws Exception {
        int port = FreePorts.next();
        try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.bindable(port)).isFalse();
        }
        assertThat(FreePorts.bindable(port)).isTrue();
    }
}
