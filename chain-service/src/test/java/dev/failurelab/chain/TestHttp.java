package dev.failurelab.chain;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP/1.1 calls to a service under test on loopback, any status answered as it is. */
public final class TestHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestHttp() {
    }

    /** Sends {@code method} to {@code path} on {@code port}, with a JSON body or none. */
    public static HttpResponse<String> send(String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of {@code path} on {@code port}, answered later. */
    public static CompletableFuture<HttpResponse<String>> getAsync(int port, String path) {
        return getAsync(port, path, Map.of());
    }

    /** A GET of {@code path} on {@code port} with {@code headers}, answered later. */
    public static CompletableFuture<HttpResponse<String>> getAsync(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
