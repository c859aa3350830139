package dev.failurelab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControlRequestGuardTest {

    private final ControlRequestGuard guard = new ControlRequestGuard(List.of("fault-injector"));

    @Test
    void refusal_letsCurlTheScriptsAndTheLabThrough() {
        assertThat(guard.refusal("POST", "127.0.0.1:8474", null, null, "curl/7.88.1")).isEmpty();
        assertThat(guard.refusal("PUT", "localhost:8080", null, null, "Java-http-client/17")).isEmpty();
        assertThat(guard.refusal("POST", "[::1]:8474", null, null, null)).isEmpty();
        assertThat(guard.refusal("POST", "fault-injector:8474", null, null, "curl/8")).as("an allowed name").isEmpty();
        assertThat(guard.refusal("GET", "127.0.0.1:8474", "http://localhost:3000", "same-origin", "Mozilla/5.0"))
                .as("a local page reading").isEmpty();
        assertThat(guard.refusal("POST", null, null, null, null)).as("HTTP/1.0 without Host").isEmpty();
    }

    @Test
    void refusal_refusesCrossSiteRebindingAndBrowsers() {
        assertThat(guard.refusal("POST", "127.0.0.1:8474", "https://evil.example", null, "Mozilla/5.0"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("Origin 'https://evil.example'"));
        assertThat(guard.refusal("GET", "rebind.evil.example:8474", null, null, "Mozilla/5.0"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("DNS rebinding"));
        assertThat(guard.refusal("PUT", "localhost:8080", null, "cross-site", null)).isPresent();
        assertThat(guard.refusal("POST", "localhost:8474", null, null, "Mozilla/5.0 (X11; Linux x86_64)"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("web browser"));
        assertThat(guard.refusal("POST", "localhost:8474", "null", null, null)).as("a sandboxed page").isPresent();
        assertThat(guard.refusal("POST", "127.0.0.2.evil.example", null, null, null)).isPresent();
    }
}
