package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillControlTest {

    private final List<String> declared = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> restarts = new ArrayList<>();

    private DrillControl start() {
        return DrillControl.start(0, List.of("retry-storm", "cache-stampede"), new DrillControl.Listener() {
            @Override
            public String declared(String failureMode) {
                declared.add(failureMode);
                return "declared " + failureMode;
            }

            @Override
            public String noted(String text) {
                notes.add(text);
                return "noted";
            }

            @Override
            public Map<String, Object> status() {
                return Map.of("phase", "running");
            }

            @Override
            public String restart(String app) {
                if (!List.of("all", "bottom").contains(app)) {
                    throw new IllegalArgumentException("no app '" + app + "' to restart: all, or one of [bottom]");
                }
                restarts.add(app);
                return "bottom: restarting";
            }
        });
    }

    @Test
    void aDeclarationOfACatalogueMode_reachesTheDrill() {
        try (DrillControl control = start()) {
            DrillControl.Answer answer = DrillControl.call(control.url(), "/drill/declarations",
                    Map.of("failureMode", "retry-storm"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.message()).isEqualTo("declared retry-storm");
            assertThat(declared).containsExactly("retry-storm");
            assertThat(DrillControl.call(control.url(), "/drill/notes", Map.of("text", "budget applied")).status())
                    .isEqualTo(200);
            assertThat(notes).containsExactly("budget applied");
            assertThat(DrillControl.call(control.url(), "/drill", null).body().path("phase").asString())
                    .isEqualTo("running");
            DrillControl.Answer restart = DrillControl.call(control.url(), "/drill/restarts", Map.of("app", "all"));
            assertThat(restart.status()).isEqualTo(200);
            assertThat(restart.message()).isEqualTo("bottom: restarting");
            assertThat(restarts).containsExactly("all");
        }
    }

    @Test
    void badInput_isA400NamingTheField_andReachesNothing() throws Exception {
        try (DrillControl control = start()) {
            DrillControl.Answer unknown = DrillControl.call(control.url(), "/drill/declarations",
                    Map.of("failureMode", "gremlins"));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.message()).startsWith("failureMode: no failure mode 'gremlins'")
                    .contains("retry-storm, cache-stampede");
            assertThat(DrillControl.call(control.url(), "/drill/notes", Map.of("txt", "x")).message())
                    .isEqualTo("text: required, a non-empty string");
            HttpResponse<String> notJson = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            control.url().resolve("/drill/declarations")).POST(HttpRequest.BodyPublishers.ofString("{oops"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).contains("not JSON");
            assertThat(DrillControl.call(control.url(), "/drill/nothing", null).status()).isEqualTo(404);
            DrillControl.Answer noSuchApp = DrillControl.call(control.url(), "/drill/restarts", Map.of("app", "edge"));
            assertThat(noSuchApp.status()).isEqualTo(400);
            assertThat(noSuchApp.message()).isEqualTo("app: no app 'edge' to restart: all, or one of [bottom]");
            assertThat(DrillControl.call(control.url(), "/drill/restarts", Map.of("apps", "all")).message())
                    .isEqualTo("app: required, a non-empty string");
            assertThat(restarts).isEmpty();
            assertThat(declared).isEmpty();
            assertThat(notes).isEmpty();
        }
    }

    @Test
    void noDrillRunning_isAClearError() {
        assertThatThrownBy(() -> DrillControl.call(URI.create("http://127.0.0.1:1"), "/drill", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no drill answers");
    }
}
