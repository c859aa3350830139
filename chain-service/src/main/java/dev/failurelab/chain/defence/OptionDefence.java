package dev.failurelab.chain.defence;

import dev.failurelab.contract.Defence;
import java.util.Map;

/**
 * A defence whose mechanism reads the option in force on each request (the partition router's
 * routing and hot-key strategy): the option, and nothing else.
 *
 * <p>Concurrency: thread-safe (a volatile option).
 */
public final class OptionDefence implements SwitchableDefence {

    private final Defence defence;
    private final Map<String, Object> settings;
    private volatile String option;

    /**
     * @param option   the option at start
     * @param property the property it came from, for the message if it is none of the options
     * @param settings shown beside the option (e.g. the implementation of an exercise in force)
     */
    public OptionDefence(Defence defence, String option, String property, Map<String, Object> settings) {
        this.defence = defence;
        this.settings = Map.copyOf(settings);
        this.option = defence.option(option).orElseThrow(() -> new IllegalArgumentException(property
                + " must be one of " + defence.options() + ", not '" + option + "'"));
    }

    @Override
    public Defence defence() {
        return defence;
    }

    @Override
    public String current() {
        return option;
    }

    @Override
    public void switchTo(String option) {
        this.option = option;
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }
}
