package dev.failurelab.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running drill's control API, on loopback only: where {@code ./lab drill declare}, {@code note}
 * and {@code status} (another terminal, or the scripted participant) reach it.
 * <ul>
 *   <li>{@code GET /drill}: the drill's state (never the fault before it is revealed);</li>
 *   <li>{@code POST /drill/declarations} {@code {"failureMode":"retry-storm"}}: a diagnosis;</li>
 *   <li>{@code POST /drill/notes} {@code {"text":"…"}}: a line on the timeline (what you did, what you saw);</li>
 *   <li>{@code POST /drill/restarts} {@code {"app":"all"}}: restart the drill's services (all, or one app)
 *       and answer once they are up again: the blunt action an on-call engineer reaches for (scored as one).</li>
 * </ul>
 * Bad input is a 400 naming the field. Thread-safe.
 */
public final class DrillControl implements AutoCloseable {

    /** What the drill does with what arrives. */
    public interface Listener {
        /** A diagnosis; the answer to show the participant. */
        String declared(String failureMode);

        /** A note; the answer to show. */
        String noted(String text);

        /** The state, as a JSON object's fields. */
        Map<String, Object> status();

        /**
         * Restarts {@code app}'s instances ({@code all}: every service) and waits until they are up
         * again; the answer to show.
         *
         * @throws IllegalArgumentException naming the apps there are, for an unknown one
         */
        String restart(String app);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int MAX_BODY = 4096;

    private final HttpServer server;

    private DrillControl(HttpServer server) {
        this.server = server;
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: any free port).
     *
     * @param failureModes what a declaration may name
     * @throws IllegalStateException if the port is taken (another drill running?)
     */
    public static DrillControl start(int port, List<String> failureModes, Listener listener) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("the drill's control port " + port + " is taken (is another drill"
                    + " running? ./lab drill status): " + e.getMessage(), e);
        }
        // A restart's call waits for the services to come back: the others are answered meanwhile.
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "drill-control");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/drill", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (path.equals("/drill") && method.equals("GET")) {
                    send(exchange, 200, listener.status());
                } else if (path.equals("/drill/declarations") && method.equals("POST")) {
                    String mode = field(exchange, "failureMode");
                    if (mode == null) {
                        return;
                    }
                    if (!failureModes.contains(mode)) {
                        send(exchange, 400, Map.of("error", "failureMode: no failure mode '" + mode + "' in the"
                                + " catalogue (" + String.join(", ", failureModes) + ")"));
                        return;
                    }
                    send(exchange, 200, Map.of("answer", listener.declared(mode)));
                } else if (path.equals("/drill/notes") && method.equals("POST")) {
                    String text = field(exchange, "text");
                    if (text != null) {
                        send(exchange, 200, Map.of("answer", listener.noted(text)));
                    }
                } else if (path.equals("/drill/restarts") && method.equals("POST")) {
                    String app = field(exchange, "app");
                    if (app == null) {
                        return;
                    }
                    String answer;
                    try {
                        answer = listener.restart(app);
                    } catch (IllegalArgumentException e) {
                        send(exchange, 400, Map.of("error", "app: " + e.getMessage()));
                        return;
                    }
                    send(exchange, 200, Map.of("answer", answer));
                } else {
                    send(exchange, 404, Map.of("error", method + " " + path + ": the drill answers GET /drill,"
                            + " POST /drill/declarations, POST /drill/notes and POST /drill/restarts"));
                }
            } catch (RuntimeException e) {
                send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
            }
        });
        server.start();
        return new DrillControl(server);
    }

    /** Its base URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A JSON body's text field, or null after answering 400. */
    private static String field(HttpExchange exchange, String name) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(exchange, 400, Map.of("error", "the body is over " + MAX_BODY + " bytes"));
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            send(exchange, 400, Map.of("error", "the body is not JSON: {\"" + name + "\":\"…\"}"));
            return null;
        }
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            send(exchange, 400, Map.of("error", name + ": required, a non-empty string"));
            return null;
        }
        return value.asString().strip();
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(new LinkedHashMap<>(body));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A client's call ({@code ./lab drill declare}): the answer's JSON. */
    public record Answer(int status, JsonNode body) {
        /** The message to print: the answer, or the error. */
        public String message() {
            return body.has("answer") ? body.path("answer").asString()
                    : body.has("error") ? body.path("error").asString() : body.toString();
        }
    }

    /**
     * Calls a running drill's control API.
     *
     * @param body a JSON body to POST, or null for a GET
     * @throws IllegalStateException if no drill answers there
     */
    public static Answer call(URI control, String path, Map<String, String> body) {
        return call(control, path, body, Duration.ofSeconds(5));
    }

    /** {@link #call(URI, String, Map)}, waiting up to {@code timeout} for the answer (a restart's). */
    public static Answer call(URI control, String path, Map<String, String> body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(control.resolve(path)).timeout(timeout);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("no drill answers at " + control + " (start one: ./lab drill)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
