package dev.failurelab.lab.experiment;

/**
 * The type of an {@link EventTimeline} event. Open: the platform's types are constants of
 * {@link EventTimeline}; a lab defines its own with {@link #of} (e.g. the stampede's {@code burst_fired}).
 *
 * @param id lower-case words joined by {@code _}, as written in {@code timeline.jsonl}
 */
public record EventType(String id) {

    public EventType {
        if (id == null || !id.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("an event type is lower-case words joined by '_', got " + id);
        }
    }

    public static EventType of(String id) {
        return new EventType(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
