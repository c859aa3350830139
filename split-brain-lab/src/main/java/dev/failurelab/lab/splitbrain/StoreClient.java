package dev.failurelab.lab.splitbrain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab's HTTP client of the store's nodes ({@code /store/*} on their app ports): a client write or
 * read with its outcome as the history records it, and a node's status and entries.
 *
 * <p>Concurrency: thread-safe (the JDK's HttpClient).
 */
public final class StoreClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A write's outcome: acked; refused (not_leader, fenced: nothing stored); unknown (no_quorum, timeout, error). */
    public record WriteResult(String outcome, String leader, long token) {

        /** Whether the write certainly took effect. */
        public boolean acked() {
            return "acked".equals(outcome);
        }

        /** Whether the write certainly did not take effect (refused before anything was stored). */
        public boolean refused() {
            return "not_leader".equals(outcome) || "fenced".equals(outcome) || "unreachable".equals(outcome);
        }
    }

    /** A read's outcome: ok with the value ({@link Operation#NONE} if never written), else the refusal. */
    public record ReadResult(String outcome, String leader, long value) {

        public boolean ok() {
            return "ok".equals(outcome);
        }
    }

    /** One entry of a replica. */
    public record Entry(String id, String key, long value, long token, long pos) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Duration timeout;

    /** @param timeout how long a client waits for a write or a read before it counts the outcome unknown */
    public StoreClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** Writes {@code value} to {@code key} on the node at {@code node}. */
    public WriteResult write(URI node, String id, String key, long value) {
        String body = JSON.writeValueAsString(Map.of("id", id, "key", key, "value", value));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/store/writes"))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            return new WriteResult(answer.path("outcome").asString("error"), text(answer.path("leader")),
                    answer.path("token").asLong(0));
        } catch (HttpTimeoutException e) {
            return new WriteResult("timeout", null, 0);
        } catch (java.net.ConnectException e) {
            return new WriteResult("unreachable", null, 0);
        } catch (IOException | RuntimeException e) {
            return new WriteResult("error", null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WriteResult("error", null, 0);
        }
    }

    /** Reads {@code key} on the node at {@code node}. */
    public ReadResult read(URI node, String key) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/store/registers/" + key))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            JsonNode value = answer.path("value");
            return new ReadResult(answer.path("outcome").asString("error"), text(answer.path("leader")),
                    value.isNull() || value.isMissingNode() ? Operation.NONE : value.asLong());
        } catch (HttpTimeoutException e) {
            return new ReadResult("timeout", null, 0);
        } catch (IOException | RuntimeException e) {
            return new ReadResult("error", null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReadResult("error", null, 0);
        }
    }

    /** A node's {@code /store/status}, or null if it does not answer within a second. */
    public JsonNode status(URI node) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/store/status"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A node's every entry, in log order. */
    public List<Entry> entries(URI node) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/store/entries"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(node + "/store/entries answered " + response.statusCode());
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : JSON.readTree(response.body())) {
                entries.add(new Entry(e.get("id").asString(), e.get("key").asString(), e.get("value").asLong(),
                        e.get("token").asLong(), e.get("pos").asLong()));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + node + "/store/entries: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
