package dev.failurelab.chain.defence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A defence switched with a lease reverts to its default when the lease runs out, unless renewed;
 * a renewal never undoes a newer switch; a switch without a lease holds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service", "chain.role=edge", "chain.downstream-url=http://127.0.0.1:9"})
class DefenceLeaseIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private HttpResponse<String> put(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/admin/retry-policy"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String policy() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/admin/retry-policy")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @BeforeEach
    void none() throws Exception {
        assertThat(put("{\"policy\":\"none\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aLeasedSwitch_revertsToTheDefault_whenTheLeaseRunsOut() throws Exception {
        HttpResponse<String> switched = put("{\"policy\":\"naive\",\"lease\":\"1s\"}");
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(switched.body()).contains("\"policy\":\"naive\"", "\"leaseRemainingMs\"");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> policy().contains("\"policy\":\"none\""));
        assertThat(policy()).doesNotContain("leaseRemainingMs");
    }

    @Test
    void aRenewal_extendsTheLease_andNeverUndoesANewerSwitch() throws Exception {
        put("{\"policy\":\"naive\",\"lease\":\"1500ms\"}");
        for (int i = 0; i < 4; i++) {
            Thread.sleep(600);
            assertThat(put("{\"policy\":\"naive\",\"lease\":\"1500ms\",\"renew\":true}").statusCode()).isEqualTo(200);
        }
        assertThat(policy()).as("renewed past its first lease").contains("\"policy\":\"naive\"");

        put("{\"policy\":\"budget\",\"lease\":\"1500ms\"}");
        HttpResponse<String> stale = put("{\"policy\":\"naive\",\"lease\":\"1500ms\",\"renew\":true}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(policy()).contains("\"policy\":\"budget\"");
    }

    @Test
    void aSwitchWithoutALease_holds_andCancelsTheLease() throws Exception {
        put("{\"policy\":\"naive\",\"lease\":\"1s\"}");
        put("{\"policy\":\"backoff\"}");
        Thread.sleep(1500);
        assertThat(policy()).contains("\"policy\":\"backoff\"").doesNotContain("leaseRemainingMs");
    }

    @Test
    void aBadLease_isA400NamingTheField() throws Exception {
        for (String body : new String[] {"{\"policy\":\"naive\",\"lease\":\"2h\"}",
                "{\"policy\":\"naive\",\"lease\":\"soon\"}", "{\"policy\":\"naive\",\"lease\":0.2}",
                "{\"policy\":\"naive\",\"renew\":true}"}) {
            HttpResponse<String> response = put(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).containsPattern("\"field\":\"(lease|renew)\"");
        }
        assertThat(policy()).contains("\"policy\":\"none\"");
    }
}
