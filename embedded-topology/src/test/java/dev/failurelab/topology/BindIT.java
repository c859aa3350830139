package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a topology listens: by default on 127.0.0.1 only (another loopback address, 127.0.0.2, is
 * refused); bound to 0.0.0.0 ({@code ./lab up --bind 0.0.0.0}, a pod), every port answers on
 * 127.0.0.2 too: each hop, its management port, the control API and the fault proxies. One topology
 * at a time: two injectors in one JVM share Reactor Netty's loops, which the first to close disposes.
 */
class BindIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static int get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static URI on(String host, URI url, String path) {
        return URI.create("http://" + host + ":" + url.getPort() + path);
    }

    @Test
    void byDefault_onLoopbackOnly_andBoundToAllAddresses_everyPortAnswersOnAnotherAddressToo() throws Exception {
        try (EmbeddedTopology closed = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .start()) {
            assertThat(get(closed.url("edge").resolve("/api/chain"))).isEqualTo(200);
            for (URI port : List.of(closed.url("edge"), closed.management("edge"), closed.controlUrl(),
                    closed.endpoints().proxy("bottom"))) {
                assertThatThrownBy(() -> get(on("127.0.0.2", port, "/"))).as(port + " on 127.0.0.2")
                        .isInstanceOf(IOException.class);
            }
        }
        try (EmbeddedTopology open = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .bind("0.0.0.0").start()) {
            for (String app : List.of("edge", "middle", "bottom")) {
                assertThat(get(on("127.0.0.2", open.url(app), "/api/chain"))).as(app + " on 127.0.0.2").isEqualTo(200);
                assertThat(get(on("127.0.0.2", open.management(app), "/actuator/health")))
                        .as(app + "'s management port on 127.0.0.2").isEqualTo(200);
            }
            assertThat(get(on("127.0.0.2", open.controlUrl(), "/proxies"))).as("the control API").isEqualTo(200);
            assertThat(get(on("127.0.0.2", open.endpoints().proxy("bottom"), "/api/chain"))).as("a fault proxy")
                    .isEqualTo(200);
        }
    }
}
