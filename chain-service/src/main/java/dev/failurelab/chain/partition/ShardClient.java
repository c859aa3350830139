package dev.failurelab.chain.partition;

import dev.failurelab.contract.Errors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The router's calls to its shards: one JDK HTTP client (pooled keep-alive connections) for all of
 * them, each call bounded by a timeout. A call never throws: its failure is an answer.
 *
 * <p>Thread-safe.
 */
public final class ShardClient {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    /** How a shard call ended. */
    public enum Outcome {
        OK, THROTTLED, ERROR, TIMEOUT;

        /** As meters and answers name it. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A shard's answer.
     *
     * @param outcome how it ended
     * @param status  its HTTP status, 0 if none arrived
     * @param value   a counter's value (0 for a read of content)
     */
    public record Call(Outcome outcome, int status, long value) {
    }

    private final List<URI> shards;
    private final HttpClient client;
    private volatile Duration timeout;

    public ShardClient(List<URI> shards, Duration connectTimeout, Duration timeout) {
        this.shards = List.copyOf(shards);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .build();
        this.timeout = timeout;
    }

    /** The number of shards. */
    public int size() {
        return shards.size();
    }

    /** Calls {@code shard}: {@code GET} (or {@code POST} when {@code write}) of {@code path}, answered later. */
    public CompletableFuture<Call> async(int shard, String path, boolean write) {
        Duration limit = timeout;
        long start = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(shards.get(shard).resolve(path)).timeout(limit);
        request = write ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(ShardClient::answer)
                .exceptionally(e -> new Call(Errors.isTimeout(e) || System.nanoTime() - start >= limit.toNanos()
                        ? Outcome.TIMEOUT : Outcome.ERROR, 0, 0));
    }

    private static Call answer(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 429) {
            return new Call(Outcome.THROTTLED, status, 0);
        }
        if (status < 200 || status >= 300) {
            return new Call(Outcome.ERROR, status, 0);
        }
        try {
            tools.jackson.databind.JsonNode value = JSON.readTree(response.body()).get("value");
            return new Call(Outcome.OK, status, value != null && value.isNumber() ? value.asLong() : 0);
        } catch (tools.jackson.core.JacksonException e) {
            return new Call(Outcome.ERROR, status, 0);
        }
    }

    /** The time allowed for one call. */
    public Duration timeout() {
        return timeout;
    }

    /** Changes the time allowed for one call, from the next call on. */
    public void timeout(Duration timeout) {
        this.timeout = timeout;
    }
}
