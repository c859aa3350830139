package dev.failurelab.chain.settings;

import static dev.failurelab.chain.TestHttp.send;

import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What the live-settings ITs share: both ports, and the start-up settings back after each test. */
abstract class LiveSettingsTestBase {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @AfterEach
    void reset() throws Exception {
        send("DELETE", managementPort, "/admin/settings", null);
    }
}
