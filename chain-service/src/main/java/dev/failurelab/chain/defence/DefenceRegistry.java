package dev.failurelab.chain.defence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The defences this service offers, by id, each with its one gauge:
 * {@code <meter>{<field>="<option>"}} is 1 for the option in force and 0 for the others.
 *
 * <p>Thread-safe: built once at start-up, read-only afterwards.
 */
@Component
public class DefenceRegistry {

    private final Map<String, SwitchableDefence> defences = new LinkedHashMap<>();

    public DefenceRegistry(List<SwitchableDefence> defences, MeterRegistry registry) {
        for (SwitchableDefence defence : defences) {
            if (this.defences.putIfAbsent(defence.defence().id(), defence) != null) {
                throw new IllegalStateException("two beans offer the defence " + defence.defence().id());
            }
            for (String option : defence.defence().options()) {
                Gauge.builder(defence.defence().meter(), defence, d -> d.current().equals(option) ? 1 : 0)
                        .description("1 for the " + defence.defence().field() + " in force, 0 for the others")
                        .tag(defence.defence().field(), option)
                        .register(registry);
            }
        }
    }

    public Optional<SwitchableDefence> find(String id) {
        return Optional.ofNullable(defences.get(id));
    }

    /** The ids of every defence offered here. */
    public List<String> ids() {
        return List.copyOf(defences.keySet());
    }
}
