package dev.failurelab.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void chain_hasTheDocumentedPorts() {
        assertThat(Topology.chain().ports()).containsExactly(Map.entry("edge", 8080), Map.entry("edge-management", 9080),
                Map.entry("middle-proxy", 8081), Map.entry("middle", 8082), Map.entry("middle-management", 9082),
                Map.entry("bottom-proxy", 8083), Map.entry("bottom", 8084), Map.entry("bottom-management", 9084),
                Map.entry("replica", 8085), Map.entry("replica-management", 9085), Map.entry("injector", 8474));
    }

    @Test
    void endpoints_resolveAppsProxiesAndTheInjector() {
        Endpoints endpoints = Topology.chain().endpoints("example.test");
        assertThat(endpoints.url("middle")).isEqualTo(URI.create("http://example.test:8082"));
        assertThat(endpoints.proxy("bottom")).isEqualTo(URI.create("http://example.test:8083"));
        assertThat(endpoints.control()).isEqualTo(URI.create("http://example.test:8474"));
        assertThat(endpoints.management("middle")).isEqualTo(URI.create("http://example.test:9082"));
        assertThat(endpoints.management("injector")).as("no management port: its own")
                .isEqualTo(URI.create("http://example.test:8474"));
        assertThatThrownBy(() -> endpoints.proxy("edge")).hasMessageContaining("edge has no fault proxy");
        assertThatThrownBy(() -> endpoints.url("kitchen")).hasMessageContaining("no app 'kitchen'");
    }

    @Test
    void without_dropsTheGroup_andTheUsesOfItsServers() {
        Topology noCache = Topology.chain().without("cache");
        assertThat(noCache.has("replica")).isFalse();
        assertThat(noCache.servers()).isEmpty();
        assertThat(noCache.app("bottom").orElseThrow().uses()).isEmpty();
        assertThat(Topology.chain().app("bottom").orElseThrow().uses()).containsExactlyInAnyOrder("redis", "postgres");
    }

    @Test
    void withPorts_movesAnEndpoint_andRefusesUnknownOnesOrCollisions() {
        Topology moved = Topology.chain().withPorts(Map.of("edge", 18080, "bottom-proxy", 18083,
                "bottom-management", 19084));
        assertThat(moved.ports()).containsEntry("edge", 18080).containsEntry("bottom-proxy", 18083)
                .containsEntry("bottom", 8084).containsEntry("bottom-management", 19084)
                .containsEntry("edge-management", 9080);
        assertThatThrownBy(() -> Topology.chain().withPorts(Map.of("kitchen", 9000)))
                .hasMessageContaining("unknown endpoint 'kitchen'");
        assertThatThrownBy(() -> Topology.chain().withPorts(Map.of("edge", 8084)))
                .hasMessageContaining("every port must be different");
        assertThatThrownBy(() -> Topology.chain().withPorts(Map.of("edge", 9082)))
                .hasMessageContaining("every port must be different");
        assertThatThrownBy(() -> Topology.chain().withPorts(Map.of("edge", 0)))
                .hasMessageContaining("edge must be a port between 1 and 65535");
    }

    @Test
    void withFreePorts_movesEveryEndpoint() {
        Topology free = Topology.chain().withFreePorts();
        assertThat(free.ports().keySet()).containsExactlyElementsOf(Topology.chain().ports().keySet());
        assertThat(free.ports().values()).doesNotContain(8080, 8474);
    }

    @Test
    void replicas_takeConsecutivePorts_andNumberedNames() throws IOException {
        Topology pool = parse("""
                apps=pool
                app.pool.kind=chain
                app.pool.port=9000
                app.pool.replicas=3
                app.pool.management-port=9500
                """);
        assertThat(pool.ports()).containsExactly(Map.entry("pool-1", 9000), Map.entry("pool-2", 9001),
                Map.entry("pool-3", 9002), Map.entry("pool-1-management", 9500), Map.entry("pool-2-management", 9501),
                Map.entry("pool-3-management", 9502));
        assertThat(pool.withPorts(Map.of("pool", 7000)).ports()).containsValues(7000, 7001, 7002);
        assertThat(pool.withPorts(Map.of("pool-management", 7500)).ports()).containsValues(7500, 7501, 7502);
        assertThat(pool.withPorts(Map.of("pool-2-management", 7600)).endpoints("h").managements("pool"))
                .extracting(URI::getPort).containsExactly(9500, 7600, 9502);
        assertThat(pool.endpoints("h").urls("pool")).hasSize(3);
    }

    @Test
    void parse_refusesWhatWouldFailLater_namingIt() {
        assertThatThrownBy(() -> parse("apps=a\napp.a.kind=chain\napp.a.port=1\napp.a.downstream=b\n"))
                .hasMessageContaining("app a calls unknown app b");
        assertThatThrownBy(() -> parse("apps=a\napp.a.kind=chain\napp.a.port=1\napp.a.uses=redis\n"))
                .hasMessageContaining("uses unknown server redis");
        assertThatThrownBy(() -> parse("apps=a\napp.a.kind=chain\napp.a.port=1\napp.a.proxy-port=2\n"))
                .hasMessageContaining("needs exactly one app of kind fault-injector");
        assertThatThrownBy(() -> parse("apps=a\napp.a.kind=chain\napp.a.port=1\napp.a.prot=2\n"))
                .hasMessageContaining("unknown key 'app.a.prot'");
        assertThatThrownBy(() -> parse("apps=a\napp.a.kind=chain\napp.a.port=eighty\n"))
                .hasMessageContaining("'app.a.port' must be a whole number");
        assertThatThrownBy(() -> parse("apps=a\napp.a.port=1\n")).hasMessageContaining("missing 'app.a.kind'");
        assertThatThrownBy(() -> Topology.load("nope")).hasMessageContaining("no topology 'nope'");
    }

    private static Topology parse(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return Topology.parse("test", properties);
    }
}
