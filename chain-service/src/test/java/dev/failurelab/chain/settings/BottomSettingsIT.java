package dev.failurelab.chain.settings;

import static dev.failurelab.chain.TestHttp.getAsync;
import static dev.failurelab.chain.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The bottom's management port and its live settings: the actuator and the admin API answer on
 * their own port with their own threads, even when every thread of the application's port is
 * busy; {@code /admin/settings} changes the capacity live, refuses bad input naming the setting
 * and changing nothing, and {@code DELETE} puts the start-up values back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "server.tomcat.threads.max=2",
        "chain.capacity.max-concurrency=2",
        "chain.capacity.queue-capacity=8",
        "chain.capacity.service-time=50ms"})
class BottomSettingsIT extends LiveSettingsTestBase {



    @Test
    void aRestart_ofAnInstanceInAProcessOfItsOwn_isA409SayingToRestartTheProcess() throws Exception {
        HttpResponse<String> restart = send("POST", managementPort, "/admin/restart", null);
        assertThat(restart.statusCode()).isEqualTo(409);
        assertThat(restart.body()).contains("\"error\":\"own-process\"", "restart that process",
                "docker compose restart <its service>", "kubectl rollout restart deployment/<its service>");
        assertThat(send("GET", port, "/api/chain", null).statusCode()).as("still serving").isEqualTo(200);
        assertThat(send("GET", managementPort, "/actuator/prometheus", null).body())
                .containsPattern("chain_instance_start_time_seconds\\{[^}]*} 1\\.[0-9]+E9");
    }

    @Test
    void theActuatorAndTheAdminApi_areOnTheManagementPortOnly() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(send("GET", managementPort, "/actuator/prometheus", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", managementPort, "/admin/settings", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", port, "/actuator/prometheus", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", port, "/admin/settings", null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", port, "/admin/settings", "{\"chain.capacity.max-concurrency\":1}").statusCode())
                .isIn(404, 405);
        assertThat(send("GET", port, "/api/chain", null).statusCode()).isEqualTo(200);
    }

    @Test
    void withEveryApplicationThreadBusy_theManagementPortStillAnswers() throws Exception {
        send("PUT", managementPort, "/admin/settings", "{\"chain.capacity.service-time\":\"3s\"}");
        List<CompletableFuture<HttpResponse<String>>> busy = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // two hold both threads; two wait for one
            busy.add(getAsync(port, "/api/chain"));
        }
        Thread.sleep(300);
        HttpResponse<String> scrape = send("GET", managementPort, "/actuator/prometheus", null);
        HttpResponse<String> settings = send("PUT", managementPort, "/admin/settings",
                "{\"chain.capacity.service-time\":\"50ms\"}");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("chain_capacity_inflight");
        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(busy).as("the scrape and the admin call were answered while every application thread was busy")
                .allMatch(f -> !f.isDone());
        CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void capacityChangesLive_andDeletePutsTheStartUpValuesBack() throws Exception {
        assertThat(send("GET", managementPort, "/admin/settings", null).body())
                .contains("\"chain.capacity.max-concurrency\":2", "\"chain.capacity.service-time\":\"50ms\"");
        HttpResponse<String> changed = send("PUT", managementPort, "/admin/settings",
                "{\"chain.capacity.max-concurrency\":1,\"chain.capacity.queue-capacity\":0,"
                        + "\"chain.capacity.service-time\":\"1s\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).contains("\"chain.capacity.max-concurrency\":1", "\"chain.capacity.queue-capacity\":0",
                "\"chain.capacity.service-time\":\"1000ms\"");
        CompletableFuture<HttpResponse<String>> first = getAsync(port, "/api/chain");
        Thread.sleep(200);
        HttpResponse<String> second = send("GET", port, "/api/chain", null);
        assertThat(second.statusCode()).as("one slot, no queue: the second request is shed").isEqualTo(503);
        assertThat(second.body()).contains("queue_full");
        HttpResponse<String> firstAnswer = first.join();
        assertThat(firstAnswer.statusCode()).as(firstAnswer.body()).isEqualTo(200);
        assertThat(send("DELETE", managementPort, "/admin/settings", null).body())
                .contains("\"chain.capacity.max-concurrency\":2", "\"chain.capacity.queue-capacity\":8",
                        "\"chain.capacity.service-time\":\"50ms\"");
        assertThat(send("GET", port, "/api/chain", null).statusCode()).isEqualTo(200);
    }

    @Test
    void badInput_isA400NamingTheSetting_andChangesNothing() throws Exception {
        String before = send("GET", managementPort, "/admin/settings", null).body();
        assertBadRequest("{\"chain.capacity.max-concurrency\":0}", "chain.capacity.max-concurrency", "between 1");
        assertBadRequest("{\"chain.capacity.max-concurrency\":\"four\"}", "chain.capacity.max-concurrency",
                "whole number");
        assertBadRequest("{\"chain.capacity.queue-timeout\":\"soon\"}", "chain.capacity.queue-timeout", "duration");
        assertBadRequest("{\"chain.capacity.service-time\":\"2s\",\"chain.capacity.max-concurency\":3}",
                "chain.capacity.max-concurency", "unknown setting");
        assertBadRequest("{\"chain.client.timeout\":\"1s\"}", "chain.client.timeout", "unknown setting");
        assertBadRequest("[1]", "body", "JSON object");
        assertBadRequest("{\"chain.capacity.max-concurrency\":1,\"chain.capacity.max-concurrency\":2}", "body",
                "Duplicate");
        assertThat(send("GET", managementPort, "/admin/settings", null).body()).as("nothing changed").isEqualTo(before);
    }

    private void assertBadRequest(String body, String field, String message) throws Exception {
        HttpResponse<String> response = send("PUT", managementPort, "/admin/settings", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(response.body()).as(body).contains("\"field\":\"" + field + "\"", message);
    }
}
