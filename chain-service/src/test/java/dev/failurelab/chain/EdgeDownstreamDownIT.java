package dev.failurelab.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An edge whose next hop is unreachable answers 502 with the cause, and counts the attempt. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=edge",
        "chain.downstream-url=http://127.0.0.1:9"})
class EdgeDownstreamDownIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void unreachableDownstream_answers502_andCountsAConnectionErrorAttempt() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/api/chain")).build(),
                HttpResponse.BodyHandlers.ofString());
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"role\":\"edge\"", "\"cause\":\"connection_error\"");
        assertThat(metrics).as("attempt counted with its outcome and the common tags").containsPattern(
                "chain_client_attempts_total\\{application=\"chain-service\",kind=\"first\","
                        + "outcome=\"connection_error\",role=\"edge\"} 1\\.0");
        assertThat(metrics).containsPattern("chain_requests_seconds_count\\{application=\"chain-service\","
                + "outcome=\"error\",role=\"edge\"} 1");
    }
}
