package dev.failurelab.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A path-scoped fault sees the path the upstream will: no bypass by encoding, dot segments or absolute form. */
class PathOfTest {

    @Test
    void pathOf_normalisesWhatCouldBypassAPrefix() {
        assertThat(HttpFaultProxy.pathOf("/api/chain?x=1")).isEqualTo("/api/chain");
        assertThat(HttpFaultProxy.pathOf("/%61ctuator/health")).isEqualTo("/actuator/health");
        assertThat(HttpFaultProxy.pathOf("/x/../actuator/y")).isEqualTo("/actuator/y");
        assertThat(HttpFaultProxy.pathOf("/./actuator//y")).isEqualTo("/actuator/y");
        assertThat(HttpFaultProxy.pathOf("http://upstream:8084/actuator/y?q")).isEqualTo("/actuator/y");
        assertThat(HttpFaultProxy.pathOf("HTTPS://h")).isEqualTo("/");
        assertThat(HttpFaultProxy.pathOf("/a/")).isEqualTo("/a/");
        assertThat(HttpFaultProxy.pathOf("/100%")).as("a stray % is kept").isEqualTo("/100%");
        assertThat(HttpFaultProxy.pathOf("/../../etc")).isEqualTo("/etc");
    }
}
