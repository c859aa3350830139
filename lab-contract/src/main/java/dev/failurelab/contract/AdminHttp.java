package dev.failurelab.contract;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The lab's control calls to the services it drives (fault injector, admin endpoints): JSON in,
 * status checked, a clear error naming the URL when a service refuses or cannot be reached.
 */
public final class AdminHttp {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** A GET's status, or 0 when there was no answer within {@code timeout}. */
    public int status(URI url, Duration timeout) {
        try {
            return client.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Ends a lab's faults: {@code DELETE} each of {@code paths} on each service, best effort (a service
     * that is gone has its faults gone with it; each fault has a TTL besides).
     */
    public void deleteEach(java.util.List<URI> services, java.util.List<String> paths) {
        for (URI service : services) {
            for (String path : paths) {
                try {
                    send("DELETE", service.resolve(path), null);
                } catch (RuntimeException ignored) {
                    // gone: its faults with it
                }
            }
        }
    }

    /** Sends {@code method url} with a JSON body (or none); returns the answer body. */
    public String send(String method, URI url, String json) {
        return send(method, url, json, "*/*");
    }

    /** {@link #send(String, URI, String)}, asking for {@code accept} (e.g. JSON of a server that also speaks XML). */
    public String send(String method, URI url, String json, String accept) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + url, e);
        }
    }
}
