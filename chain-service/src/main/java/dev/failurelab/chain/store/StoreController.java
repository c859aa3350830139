package dev.failurelab.chain.store;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.ChainServiceApplication;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A store node's API on its app port. Clients: {@code POST /store/writes}
 * ({@code {"id":"c1-7","key":"k1","value":42}}: 200 acked; 503 not_leader or no_quorum; 409 fenced),
 * {@code GET /store/registers/{key}} (200 with the value, null if never written; 503 not_leader or
 * no_quorum), {@code GET /store/status}, {@code GET /store/entries}. Peers: {@code /store/peer/*}
 * (replicate, heartbeat, fence, confirm, entries), refused from a node this one is partitioned from.
 * A malformed body is a 400 naming the field.
 */
@RestController
@ConditionalOnExpression(ChainServiceApplication.IS_STORE)
class StoreController {

    private static final String WRITE_EXAMPLE = "{\"id\":\"c1-7\",\"key\":\"k1\",\"value\":42}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final StoreNode node;
    private final StoreFaults faults;

    StoreController(StoreNode node, StoreFaults faults) {
        this.node = node;
        this.faults = faults;
    }

    @PostMapping("/store/writes")
    ResponseEntity<?> write(HttpServletRequest request) throws IOException {
        AdminBody.JsonObject body = AdminBody.object(request, WRITE_EXAMPLE);
        if (body.error() != null) {
            return body.error();
        }
        for (String field : body.root().propertyNames()) {
            if (!List.of("id", "key", "value").contains(field)) {
                return AdminBody.badRequest(field, "unknown field '" + field + "'; expected " + WRITE_EXAMPLE);
            }
        }
        ResponseEntity<?> bad = name(body.root(), "id");
        if (bad == null) {
            bad = name(body.root(), "key");
        }
        if (bad != null) {
            return bad;
        }
        JsonNode value = body.root().get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            return AdminBody.badRequest("value", "value must be an integer, e.g. " + WRITE_EXAMPLE);
        }
        StoreNode.WriteAnswer answer = node.write(body.root().get("id").asString(), body.root().get("key").asString(),
                value.asLong());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("outcome", answer.outcome().id());
        view.put("node", node.status().get("node"));
        view.put("leader", answer.leader());
        view.put("token", answer.token());
        view.put("message", answer.message());
        HttpStatus status = switch (answer.outcome()) {
            case ACKED -> HttpStatus.OK;
            case FENCED -> HttpStatus.CONFLICT;
            default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return ResponseEntity.status(status).body(view);
    }

    private static ResponseEntity<?> name(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isString() || !NAME.matcher(value.asString()).matches()) {
            return AdminBody.badRequest(field, field + " must be 1 to 100 of A-Z a-z 0-9 . _ : -, e.g. " + WRITE_EXAMPLE);
        }
        return null;
    }

    @GetMapping("/store/registers/{key}")
    ResponseEntity<?> read(@PathVariable String key) {
        if (!NAME.matcher(key).matches()) {
            return AdminBody.badRequest("key", "key must be 1 to 100 of A-Z a-z 0-9 . _ : -");
        }
        StoreNode.ReadAnswer answer = node.read(key);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("outcome", answer.outcome());
        view.put("node", node.status().get("node"));
        view.put("leader", answer.leader());
        view.put("key", key);
        view.put("value", answer.value().isPresent() ? answer.value().getAsLong() : null);
        view.put("message", answer.message());
        return ResponseEntity.status("ok".equals(answer.outcome()) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(view);
    }

    @GetMapping("/store/status")
    Map<String, Object> status() {
        return node.status();
    }

    @GetMapping({"/store/entries", "/store/peer/entries"})
    ResponseEntity<?> entries(@RequestHeader(name = PeerClient.FROM, required = false) String from) throws SQLException {
        if (cutOff(from)) {
            return partitioned(from);
        }
        return ResponseEntity.ok(node.entries());
    }

    @PostMapping("/store/peer/replicate")
    ResponseEntity<?> replicate(@RequestHeader(PeerClient.FROM) String from, HttpServletRequest request)
            throws IOException, SQLException {
        if (cutOff(from)) {
            return partitioned(from);
        }
        JsonNode e = AdminBody.object(request, "an entry").root();
        if (e == null) {
            return AdminBody.badRequest("body", "expected an entry");
        }
        Replica.Applied applied = node.onReplicate(new Replica.Entry(e.get("id").asString(), e.get("key").asString(),
                e.get("value").asLong(), e.get("token").asLong(), e.get("pos").asLong()));
        return ResponseEntity.ok(Map.of("applied", applied.name().toLowerCase(java.util.Locale.ROOT)));
    }

    @PostMapping("/store/peer/heartbeat")
    ResponseEntity<?> heartbeat(@RequestHeader(PeerClient.FROM) String from, HttpServletRequest request)
            throws IOException {
        if (cutOff(from)) {
            return partitioned(from);
        }
        JsonNode b = AdminBody.object(request, "a heartbeat").root();
        if (b == null) {
            return AdminBody.badRequest("body", "expected a heartbeat");
        }
        node.onHeartbeat(b.get("leader").asString(), b.get("term").asLong(), b.get("mode").asString(),
                b.path("resync").asBoolean(false));
        return ResponseEntity.ok(Map.of("ok", true));
    }

    @PostMapping("/store/peer/fence")
    ResponseEntity<?> fence(@RequestHeader(PeerClient.FROM) String from, HttpServletRequest request)
            throws IOException, SQLException {
        if (cutOff(from)) {
            return partitioned(from);
        }
        java.util.OptionalLong token = token(request);
        if (token.isEmpty()) {
            return AdminBody.badRequest("token", "token must be an integer");
        }
        node.onFence(token.getAsLong());
        return ResponseEntity.ok(Map.of("ok", true));
    }

    @PostMapping("/store/peer/confirm")
    ResponseEntity<?> confirm(@RequestHeader(PeerClient.FROM) String from, HttpServletRequest request)
            throws IOException, SQLException {
        if (cutOff(from)) {
            return partitioned(from);
        }
        java.util.OptionalLong token = token(request);
        if (token.isEmpty()) {
            return AdminBody.badRequest("token", "token must be an integer");
        }
        return ResponseEntity.ok(Map.of("ok", node.onConfirm(token.getAsLong())));
    }

    /** A peer's {@code {"token":3}}, or empty if the body is not one. */
    private static java.util.OptionalLong token(HttpServletRequest request) throws IOException {
        JsonNode body = AdminBody.object(request, "{\"token\":3}").root();
        return body != null && body.path("token").isIntegralNumber() ? java.util.OptionalLong.of(body.get("token")
                .asLong()) : java.util.OptionalLong.empty();
    }

    /** The replica's PostgreSQL failed (down, a statement refused): a 503 that says so, never a 500. */
    @org.springframework.web.bind.annotation.ExceptionHandler(SQLException.class)
    ResponseEntity<Map<String, String>> storageFailed(SQLException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "storage", "message",
                "the replica's storage failed: " + e.getMessage()));
    }

    private boolean cutOff(String from) {
        return from != null && !faults.reaches(from);
    }

    private static ResponseEntity<?> partitioned(String from) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", "partitioned", "message", "partitioned from " + from));
    }
}
