package dev.failurelab.chain.settings;

import java.util.List;
import java.util.Map;

/**
 * Settings of one mechanism that change together, live (the retry policy's backoff, the bottom's
 * capacity, the outbound bulkhead, the hot key's cache): a change to several of them is checked as
 * a whole, then applied at once, so a request never sees half of it.
 *
 * <p>Implementations are thread-safe; {@link LiveSettings} calls {@link #apply} under its lock.
 */
public interface SettingsGroup {

    /** The settings, with their bounds. */
    List<Setting> settings();

    /** Every setting's value in force, by key. */
    Map<String, Object> current();

    /**
     * Checks a whole next state ({@link #current()} with the requested changes) for rules across
     * settings, e.g. a backoff's base not above its cap.
     *
     * @throws Setting.BadSetting naming the setting at fault
     */
    default void check(Map<String, Object> next) {
    }

    /** Puts a checked next state in force: new requests see it; requests in progress finish under the old. */
    void apply(Map<String, Object> next);
}
