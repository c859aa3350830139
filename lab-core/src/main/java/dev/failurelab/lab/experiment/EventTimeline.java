package dev.failurelab.lab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happened during a lab run, in order, with UTC timestamps: phase changes, faults injected
 * and cleared, policy and strategy switches, thresholds crossed and cleared, recoveries. Each
 * event carries the metric values of its moment. Written as {@code timeline.jsonl} beside the
 * run's report; the post-incident lab reconstructs the incident from it.
 *
 * <p>Thread-safe: events may be recorded from any thread; they are kept in recording order.
 */
public final class EventTimeline {

    /** The platform's event types; a lab adds its own with {@link EventType#of}. */
    public static final EventType RUN_STARTED = EventType.of("run_started");
    public static final EventType PHASE_STARTED = EventType.of("phase_started");
    public static final EventType FAULT_INJECTED = EventType.of("fault_injected");
    public static final EventType FAULTS_CLEARED = EventType.of("faults_cleared");
    /** A switchable defence changed; values {@code defence} (its id) and its field (e.g. {@code policy}). */
    public static final EventType DEFENCE_SWITCHED = EventType.of("defence_switched");
    /** A lab's profile applied to running services, or the settings before it put back. */
    public static final EventType SETTINGS_APPLIED = EventType.of("settings_applied");
    public static final EventType THRESHOLD_CROSSED = EventType.of("threshold_crossed");
    public static final EventType THRESHOLD_CLEARED = EventType.of("threshold_cleared");
    public static final EventType RECOVERED = EventType.of("recovered");
    /** An alert rule started firing (a drill's Prometheus); value {@code alert}. A post-mortem's first signal, as a crossed threshold. */
    public static final EventType ALERT_FIRED = EventType.of("alert_fired");
    public static final EventType RUN_FINISHED = EventType.of("run_finished");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One event.
     *
     * @param at      when, UTC
     * @param type    a platform type (the constants above) or a lab's own
     * @param message what happened, in words
     * @param values  the metric values (and parameters) of that moment
     */
    public record Event(Instant at, EventType type, String message, Map<String, Object> values) {
    }

    private final Clock clock;
    private final List<Event> events = new ArrayList<>();

    public EventTimeline() {
        this(Clock.systemUTC());
    }

    public EventTimeline(Clock clock) {
        this.clock = clock;
    }

    public void record(EventType type, String message, Map<String, Object> values) {
        Event event = new Event(clock.instant(), type, message, new LinkedHashMap<>(values));
        synchronized (events) {
            events.add(event);
        }
    }

    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** One JSON object per line: {@code {"at":"2026-…Z","type":…,"message":…,"values":{…}}}. */
    public String toJsonLines() {
        StringBuilder lines = new StringBuilder();
        for (Event event : events()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", event.at().toString());
            line.put("type", event.type().id());
            line.put("message", event.message());
            line.put("values", event.values());
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        return lines.toString();
    }

    /** Reads a {@code timeline.jsonl} back. */
    public static List<Event> read(Path file) {
        List<Event> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                Map<String, Object> values = new LinkedHashMap<>();
                for (String name : node.path("values").propertyNames()) {
                    JsonNode value = node.path("values").path(name);
                    // A number, a text, or (a list, an object) its JSON.
                    values.put(name, value.isNumber() ? (Object) value.asDouble()
                            : value.isValueNode() ? value.asString() : value.toString());
                }
                events.add(new Event(Instant.parse(node.path("at").asString()), EventType.of(node.path("type").asString()),
                        node.path("message").asString(), values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the timeline " + file, e);
        }
        return events;
    }

    /**
     * A threshold on one figure, fed once a second: records {@link #THRESHOLD_CROSSED} when the
     * figure starts breaching it and {@link #THRESHOLD_CLEARED} when it stops.
     */
    public final class Threshold {

        private final String name;
        private final String description;
        private final java.util.function.DoublePredicate breached;
        private boolean breaching;

        private Threshold(String name, String description, java.util.function.DoublePredicate breached) {
            this.name = name;
            this.description = description;
            this.breached = breached;
        }

        /** Feeds this second's value (NaN is ignored), with the values to record if it changes state. */
        public void observe(double value, Map<String, Object> context) {
            if (Double.isNaN(value) || breached.test(value) == breaching) {
                return;
            }
            breaching = !breaching;
            Map<String, Object> values = new LinkedHashMap<>(context);
            values.put("threshold", name);
            values.put("value", Math.round(value * 1000) / 1000.0);
            record(breaching ? THRESHOLD_CROSSED : THRESHOLD_CLEARED,
                    (breaching ? "crossed: " : "cleared: ") + description, values);
        }

        /** Forgets the state (a new policy or phase starts from a clean slate). */
        public void reset() {
            breaching = false;
        }
    }

    /** A threshold named {@code name} (e.g. {@code amplification}), breached when {@code breached} holds. */
    public Threshold threshold(String name, String description, java.util.function.DoublePredicate breached) {
        return new Threshold(name, description, breached);
    }
}
