package dev.failurelab.chain.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How a hop's outbound client puts one request on the wire: the JDK's HTTP client (every lab but the
 * DNS lab), or a connection pool that resolves names through the hop's own resolver
 * ({@code PooledTransport}). Thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends a GET and reads the whole answer.
     *
     * @param timeout the time allowed for the answer
     * @throws java.net.UnknownHostException when the host's name cannot be resolved
     * @throws IOException                   on any other failure to get an answer
     */
    Response get(URI uri, Duration timeout, Map<String, String> headers) throws IOException, InterruptedException;

    @Override
    void close();

    /**
     * An answer.
     *
     * @param status     the HTTP status
     * @param body       the body's bytes
     * @param doNotRetry whether it carried the "overloaded — don't retry" header
     */
    record Response(int status, byte[] body, boolean doNotRetry) {
    }

    /** The JDK's HTTP client: HTTP/1.1, pooled connections, the system's name resolution. */
    static Transport jdk(Duration connectTimeout) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
        return new Transport() {
            @Override
            public Response get(URI uri, Duration timeout, Map<String, String> headers)
                    throws IOException, InterruptedException {
                java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout)
                        .GET();
                headers.forEach(request::header);
                java.net.http.HttpResponse<byte[]> response = client.send(request.build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                return new Response(response.statusCode(), response.body(),
                        response.headers().firstValue(DownstreamClient.DO_NOT_RETRY_HEADER).isPresent());
            }

            @Override
            public void close() {
                // the JDK client's connections close with it when it is collected
            }
        };
    }
}
