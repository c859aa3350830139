package dev.failurelab.chain.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every setting this service changes live, by its property name: what {@code ./lab use NAME}
 * applies through {@code PUT /admin/settings} (a lab's profile: capacity, queue, timeouts,
 * concurrency limits, backoff, TTLs), without a restart. The values at start-up are kept, so
 * {@code DELETE /admin/settings} puts them back.
 *
 * <p>Concurrency: thread-safe; changes are serialised, and each group applies its part at once.
 */
@Component
public class LiveSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSettings.class);

    private final List<SettingsGroup> groups;
    private final Map<String, Setting> settings = new TreeMap<>();
    private final Map<String, SettingsGroup> groupOf = new LinkedHashMap<>();
    private final Map<String, Object> atStart;

    public LiveSettings(List<SettingsGroup> groups) {
        this.groups = List.copyOf(groups);
        for (SettingsGroup group : this.groups) {
            for (Setting setting : group.settings()) {
                if (settings.put(setting.key(), setting) != null) {
                    throw new IllegalStateException("two settings named " + setting.key());
                }
                groupOf.put(setting.key(), group);
            }
        }
        this.atStart = Map.copyOf(current());
    }

    /** Every setting's value in force, by key, in key order. */
    public synchronized Map<String, Object> current() {
        Map<String, Object> values = new TreeMap<>();
        groups.forEach(g -> values.putAll(g.current()));
        return values;
    }

    /**
     * The setting named {@code key}.
     *
     * @throws Setting.BadSetting if this service has none of that name
     */
    public Setting setting(String key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new Setting.BadSetting(key, "unknown setting '" + key + "'; this service has "
                    + String.join(", ", settings.keySet()));
        }
        return setting;
    }

    /**
     * Applies parsed values (see {@link Setting#parse}); every group is checked before any changes.
     *
     * @throws Setting.BadSetting naming the setting if a key is unknown or a rule across settings fails
     */
    public synchronized Map<String, Object> apply(Map<String, Object> changes) {
        changes.keySet().forEach(this::setting);
        Map<SettingsGroup, Map<String, Object>> next = new LinkedHashMap<>();
        for (SettingsGroup group : groups) {
            Map<String, Object> mine = new LinkedHashMap<>();
            changes.forEach((key, value) -> {
                if (groupOf.get(key) == group) {
                    mine.put(key, value);
                }
            });
            if (!mine.isEmpty()) {
                Map<String, Object> state = new LinkedHashMap<>(group.current());
                state.putAll(mine);
                group.check(state);
                next.put(group, state);
            }
        }
        next.forEach(SettingsGroup::apply);
        if (!next.isEmpty()) {
            LOG.info("settings applied live: {}", changesText(changes));
        }
        return current();
    }

    /** Puts every setting back to its value at start-up. */
    public synchronized Map<String, Object> reset() {
        return apply(atStart);
    }

    private static String changesText(Map<String, Object> changes) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(changes).forEach((k, v) -> text.append(text.isEmpty() ? "" : ", ").append(k).append('=')
                .append(Setting.show(v)));
        return text.toString();
    }
}
