package dev.failurelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A lab's profile: its topology.* settings, per app with an admin API, an app "like" another first. */
class LabProfileTest {

    @Test
    void eachAppGetsItsSettings_andTheReplicaTakesTheBottomsFirst() {
        LabProfile profile = LabProfile.of(LabDefaults.load("/profile.properties"), Topology.chain());
        assertThat(profile.byApp()).containsOnlyKeys("edge", "middle", "bottom", "replica");
        assertThat(profile.byApp().get("edge")).containsExactly(Map.entry("chain.client.timeout", "4s"));
        assertThat(profile.byApp().get("middle")).isEmpty();
        assertThat(profile.byApp().get("replica")).containsOnly(Map.entry("chain.cache.ttl", "5s"),
                Map.entry("chain.cache.beta", "2"));
        assertThat(LabProfile.startUp(Topology.chain()).byApp()).containsOnlyKeys("edge", "middle", "bottom", "replica")
                .allSatisfy((app, values) -> assertThat(values).isEmpty());
    }

    @Test
    void aSettingForAnAppWithoutAnAdminApi_orForNoApp_isRefusedNamingIt() {
        assertThatThrownBy(() -> LabProfile.of(LabDefaults.load("/profile-not-live.properties"),
                Topology.chain())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topology.injector.logging.level.root", "no management port");
        assertThatThrownBy(() -> LabProfile.of(LabDefaults.load("/profile-no-app.properties"),
                Topology.chain())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topology.kitchen.chain.cache.ttl", "names no app");
    }
}
