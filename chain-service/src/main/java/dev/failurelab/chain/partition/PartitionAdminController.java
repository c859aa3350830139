package dev.failurelab.chain.partition;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.admin.AdminEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The router's view ({@code GET /admin/partition}): its defences in force, the hot keys of the last
 * window with their shares, and the placements per shard of each recent second with its max/mean
 * (the exact samples the hot-partition lab judges).
 */
@AdminEndpoint
@ConditionalOnExpression(ChainServiceApplication.IS_ROUTER)
public class PartitionAdminController {

    /** Its path. */
    public static final String PATH = dev.failurelab.contract.AdminPaths.PARTITION;

    private final PartitionRouter router;

    PartitionAdminController(PartitionRouter router) {
        this.router = router;
    }

    @GetMapping(PATH)
    ResponseEntity<?> view() {
        Map<String, Object> view = new LinkedHashMap<>(router.state());
        List<Map<String, Object>> hot = new ArrayList<>();
        router.hotKeys().forEach(k -> hot.add(Map.of("key", k.key(), "share", k.share(), "hot", router.isHot(k.key()))));
        view.put("hotKeys", hot);
        List<Map<String, Object>> seconds = new ArrayList<>();
        for (PlacementSeconds.Second s : router.seconds()) {
            Map<String, Object> second = new LinkedHashMap<>();
            second.put("epochSecond", s.epochSecond());
            second.put("placed", s.placed());
            second.put("writes", s.writes());
            second.put("maxMean", finite(s.maxMean()));
            second.put("writeMaxMean", finite(s.writeMaxMean()));
            seconds.add(second);
        }
        view.put("seconds", seconds);
        return ResponseEntity.ok(view);
    }

    private static Object finite(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
