package dev.failurelab.chain.overload;

import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.contract.Defence;
import java.util.Map;

/**
 * A defence that is either off or on, read by its mechanism on each request: the deadline
 * propagation of a calling hop, and the base of the other on/off switches.
 *
 * <p>Concurrency: thread-safe (a volatile switch).
 */
public class OnOffDefence implements SwitchableDefence {

    private final Defence defence;
    private volatile boolean on;

    /**
     * @param defence the contract's defence, options {@code off} and {@code on}
     * @param mode    the option at start
     * @param property the property {@code mode} came from, for the message if it is neither
     */
    public OnOffDefence(Defence defence, String mode, String property) {
        if (!defence.options().equals(java.util.List.of("off", "on"))) {
            throw new IllegalArgumentException(defence.id() + " is not an off/on defence");
        }
        this.defence = defence;
        this.on = defence.option(mode).orElseThrow(() -> new IllegalArgumentException(property
                + " must be off or on, not '" + mode + "'")).equals("on");
    }

    /** Whether it is on now. */
    public boolean on() {
        return on;
    }

    @Override
    public Defence defence() {
        return defence;
    }

    @Override
    public String current() {
        return on ? "on" : "off";
    }

    @Override
    public void switchTo(String option) {
        on = option.equals("on");
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }
}
