package dev.failurelab.fault.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The lab's DNS servers over real UDP and TCP, asked by a real DNS client (dnsjava): answers,
 * every fault type, a fault's scope (server, name) and TTL, {@code /reset}, and bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=fault-injector", "fault-injector.proxies=", "fault-injector.dns.port=0",
        "fault-injector.dns.fallback-port=0", "fault-injector.dns.ttl=5s",
        "fault-injector.dns.records.bottom=127.0.0.1", "fault-injector.dns.records.middle=localhost"})
class DnsServerIT {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int controlPort;

    @Autowired
    DnsService dns;

    @BeforeEach
    void reset() throws Exception {
        assertThat(control("POST", "/reset", null).statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheZonesRecords_overUdpAndTcp_withTheZonesTtl() throws Exception {
        for (boolean tcp : List.of(false, true)) {
            Message answer = query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, tcp, Duration.ofSeconds(2));
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            List<Record> records = answer.getSection(Section.ANSWER);
            assertThat(records).hasSize(1);
            assertThat(((ARecord) records.get(0)).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(records.get(0).getTTL()).isEqualTo(5);
        }
        assertThat(first(query(DnsService.FALLBACK, "MIDDLE.failure-lab.test.", Type.A, false, Duration.ofSeconds(2))))
                .as("a host-name record, resolved at start; names are case-insensitive").isEqualTo("127.0.0.1");
    }

    @Test
    void unknownNameIsNxdomain_otherZoneRefused_aaaaNoData() throws Exception {
        assertThat(query(DnsService.PRIMARY, "nope.failure-lab.test.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(query(DnsService.PRIMARY, "example.com.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .isEqualTo(Rcode.REFUSED);
        Message aaaa = query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.AAAA, false, Duration.ofSeconds(2));
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"servfail, 2", "nxdomain, 3"})
    void errorFaults_answerTheirCode_onThePrimaryOnly(String type, int rcode) throws Exception {
        fault("{\"type\":\"" + type + "\"}");
        assertThat(query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .isEqualTo(rcode);
        assertThat(query(DnsService.FALLBACK, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .as("a fault is on the primary unless it says otherwise").isEqualTo(Rcode.NOERROR);
    }

    @Test
    void drop_answersNothing_theClientTimesOut() throws Exception {
        fault("{\"type\":\"drop\",\"server\":\"all\"}");
        for (String server : List.of(DnsService.PRIMARY, DnsService.FALLBACK)) {
            assertThatThrownBy(() -> query(server, "bottom.failure-lab.test.", Type.A, false, Duration.ofMillis(300)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void slow_answersAfterTheDelay() throws Exception {
        fault("{\"type\":\"slow\",\"delayMs\":400}");
        long start = System.nanoTime();
        assertThat(first(query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(3))))
                .isEqualTo("127.0.0.1");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms taken").isGreaterThanOrEqualTo(400);
    }

    @Test
    void wrongAddressAndTtl0_changeTheAnswer_ofTheNamedRecordOnly() throws Exception {
        fault("{\"type\":\"wrong-address\",\"name\":\"bottom\",\"address\":\"127.0.0.9\"}");
        fault("{\"type\":\"ttl0\",\"name\":\"bottom.failure-lab.test\"}");
        Message bottom = query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(2));
        assertThat(first(bottom)).isEqualTo("127.0.0.9");
        assertThat(bottom.getSection(Section.ANSWER).get(0).getTTL()).isZero();
        Message middle = query(DnsService.PRIMARY, "middle.failure-lab.test.", Type.A, false, Duration.ofSeconds(2));
        assertThat(middle.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(5);
    }

    @Test
    void aFaultEndsWithItsTtl_andDeleteEndsItEarlier() throws Exception {
        fault("{\"type\":\"servfail\",\"ttl\":\"300ms\"}");
        Thread.sleep(450);
        assertThat(dns.active()).isEmpty();
        assertThat(query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .isEqualTo(Rcode.NOERROR);
        String body = fault("{\"type\":\"nxdomain\"}");
        String id = body.replaceAll(".*\"id\":\"(d\\d+)\".*", "$1");
        assertThat(control("DELETE", "/dns/faults/" + id, null).statusCode()).isEqualTo(204);
        assertThat(control("DELETE", "/dns/faults/" + id, null).statusCode()).isEqualTo(404);
        assertThat(query(DnsService.PRIMARY, "bottom.failure-lab.test.", Type.A, false, Duration.ofSeconds(2)).getRcode())
                .isEqualTo(Rcode.NOERROR);
    }

    @Test
    void resetClearsTheDnsFaults() throws Exception {
        fault("{\"type\":\"servfail\",\"server\":\"all\"}");
        HttpResponse<String> reset = control("POST", "/reset", null);
        assertThat(reset.body()).contains("\"cleared\":1");
        assertThat(dns.active()).isEmpty();
        assertThat(control("GET", "/dns", null).body()).contains("\"faults\":[]").contains("bottom.failure-lab.test.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"flood\"}|type",
            "{}|type",
            "{\"type\":\"servfail\",\"server\":\"secondary\"}|server",
            "{\"type\":\"servfail\",\"name\":\"nowhere\"}|name",
            "{\"type\":\"slow\",\"delayMs\":0}|delayMs",
            "{\"type\":\"servfail\",\"delayMs\":10}|delayMs",
            "{\"type\":\"wrong-address\",\"address\":\"example.com\"}|address",
            "{\"type\":\"servfail\",\"ttl\":\"2h\"}|ttl",
            "{\"type\":\"servfail\",\"color\":\"red\"}|color",
            "not json|body"})
    void badInput_is400NamingTheField(String body, String field) throws Exception {
        HttpResponse<String> response = control("POST", "/dns/faults", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"" + field + "\"");
        assertThat(dns.active()).isEmpty();
    }

    private String fault(String body) throws Exception {
        HttpResponse<String> response = control("POST", "/dns/faults", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    private Message query(String server, String name, int type, boolean tcp, Duration timeout) throws IOException {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(dns.port(server).orElseThrow());
        resolver.setTCP(tcp);
        resolver.setTimeout(timeout);
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static String first(Message answer) {
        return ((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress();
    }

    private HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                .timeout(Duration.ofSeconds(10));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
