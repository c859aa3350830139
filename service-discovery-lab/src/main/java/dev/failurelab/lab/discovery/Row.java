package dev.failurelab.lab.discovery;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A row of the lab: one fault, under the defences it switches from their defaults.
 *
 * @param id       its name in {@code rows}
 * @param fault    the fault
 * @param switches the defences switched for the row (the others stay at their defaults)
 */
record Row(String id, Fault fault, Map<Defence, String> switches) {

    /** The faults. */
    enum Fault {
        /** The registry answers 503 to every client (its proxy), the equivalent of 5 min of Eureka's clocks. */
        REGISTRY_OUTAGE("registry-outage"),
        /** The heartbeats of some bottoms blackholed on their way to the registry. */
        HEARTBEATS("heartbeats"),
        /** One bottom's health check alternates down and up. */
        FLAP("flapping"),
        /** One bottom killed without deregistering. */
        KILL("kill");

        final String phase;

        Fault(String phase) {
            this.phase = phase;
        }
    }

    static final List<Row> ALL = List.of(
            new Row("registry-outage", Fault.REGISTRY_OUTAGE, Map.of()),
            new Row("registry-outage-drop", Fault.REGISTRY_OUTAGE, Map.of(Defences.REGISTRY_CACHE, "drop")),
            new Row("heartbeats", Fault.HEARTBEATS, Map.of()),
            new Row("heartbeats-no-preservation", Fault.HEARTBEATS, Map.of(Defences.SELF_PRESERVATION, "off")),
            new Row("flapping", Fault.FLAP, Map.of(Defences.HEALTH_CHECKS, "plain")),
            new Row("flapping-hysteresis", Fault.FLAP, Map.of(Defences.HEALTH_CHECKS, "hysteresis")),
            new Row("kill", Fault.KILL, Map.of(Defences.SELF_PRESERVATION, "off")),
            new Row("kill-retry", Fault.KILL, ordered(Defences.SELF_PRESERVATION, "off", Defences.INSTANCE_RETRY, "on")),
            new Row("kill-ejection", Fault.KILL, ordered(Defences.SELF_PRESERVATION, "off", Defences.OUTLIER_EJECTION,
                    "on")));

    static Optional<Row> of(String id) {
        return ALL.stream().filter(r -> r.id.equals(id)).findFirst();
    }

    static List<String> ids() {
        return ALL.stream().map(Row::id).toList();
    }

    /**
     * The name of the setting {@code phase.<name>} of its fault's length: the fault's, or the row's
     * own where it needs another (the drop row, the mass eviction, the defended kills).
     */
    String phase() {
        return switch (id) {
            case "registry-outage-drop", "heartbeats-no-preservation" -> id;
            case "kill-retry", "kill-ejection" -> "kill-defended";
            default -> fault.phase;
        };
    }

    private static Map<Defence, String> ordered(Defence a, String optionA, Defence b, String optionB) {
        Map<Defence, String> map = new LinkedHashMap<>();
        map.put(a, optionA);
        map.put(b, optionB);
        return map;
    }
}
