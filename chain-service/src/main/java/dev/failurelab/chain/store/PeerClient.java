package dev.failurelab.chain.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store node's calls to its peers ({@code /store/peer/*} on their app ports), each bounded by the
 * peer timeout, each naming the caller in {@value #FROM} (a peer refuses a caller it is partitioned
 * from). A cut link fails at once, as the partition says.
 *
 * <p>Concurrency: thread-safe (the JDK's HttpClient).
 */
final class PeerClient {

    /** The header that names the calling node. */
    static final String FROM = "X-Store-Node";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Replica.Entry>> ENTRIES = new TypeReference<>() {
    };

    private final String self;
    private final Map<String, URI> peers;
    private final StoreFaults faults;
    private final Duration timeout;
    private final HttpClient http;

    PeerClient(String self, Map<String, URI> peers, StoreFaults faults, Duration timeout) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.faults = faults;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The peers' names. */
    java.util.Set<String> names() {
        return peers.keySet();
    }

    /** Posts {@code body} to a peer's {@code /store/peer/<path>}; the answer's JSON, or an exception. */
    Map<String, Object> post(String peer, String path, Object body) throws IOException {
        HttpResponse<String> response = send(peer, path, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
        });
    }

    /** A peer's every entry (its replica, in log order). */
    List<Replica.Entry> entries(String peer) throws IOException {
        HttpResponse<String> response = send(peer, "entries", null);
        return JSON.readValue(response.body(), ENTRIES);
    }

    private HttpResponse<String> send(String peer, String path, HttpRequest.BodyPublisher body) throws IOException {
        if (!faults.reaches(peer)) {
            throw new IOException("partitioned from " + peer);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(peers.get(peer).resolve("/store/peer/" + path))
                .timeout(timeout).header(FROM, self).header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.POST(body);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(peer + " answered " + response.statusCode() + ": " + response.body());
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
