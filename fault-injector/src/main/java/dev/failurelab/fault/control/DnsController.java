package dev.failurelab.fault.control;

import dev.failurelab.fault.FaultInjectorProperties;
import dev.failurelab.fault.dns.DnsFault;
import dev.failurelab.fault.dns.DnsFaultType;
import dev.failurelab.fault.dns.DnsService;
import dev.failurelab.fault.rule.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * The control API of the lab's DNS servers: {@code GET /dns} (servers, zone, records, faults),
 * {@code POST /dns/faults}, {@code DELETE /dns/faults/{id}}, {@code DELETE /dns/faults}
 * ({@code POST /reset} clears them too). Bad input is a 400 naming the field; on an injector with
 * no DNS server every call is a 404 that says so.
 *
 * <p>Body of a fault: {@code type} (required: servfail, nxdomain, drop, slow, wrong-address, ttl0),
 * {@code server} (primary, the default; fallback; all), {@code name} (a short name of the zone;
 * default every name), {@code delayMs} (slow; default 2000), {@code address} (wrong-address; an
 * IPv4 address, default 127.0.0.2: nothing listens there), {@code ttl} (default and maximum as the
 * proxies' faults).
 */
@RestController
class DnsController {

    /** wrong-address's default: a loopback address on which no proxy or app listens. */
    static final String DEFAULT_WRONG_ADDRESS = "127.0.0.2";
    private static final Set<String> SERVERS = Set.of(DnsService.PRIMARY, DnsService.FALLBACK, DnsFault.ALL_SERVERS);

    private final ObjectProvider<DnsService> dns;
    private final FaultInjectorProperties properties;
    private final Clock clock;

    DnsController(ObjectProvider<DnsService> dns, FaultInjectorProperties properties, Clock clock) {
        this.dns = dns;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/dns")
    Map<String, Object> dns() {
        DnsService service = service();
        return Map.of("servers", service.ports(), "zone", service.zone().name(), "ttlSeconds",
                service.zone().ttlSeconds(), "records", service.zone().records(), "faults", faults());
    }

    @GetMapping("/dns/faults")
    List<DnsFaultView> faults() {
        Instant now = clock.instant();
        return service().active().stream().map(f -> DnsFaultView.of(f, now)).toList();
    }

    @PostMapping("/dns/faults")
    Mono<ResponseEntity<DnsFaultView>> addFault(ServerHttpRequest request) {
        DnsService service = service();
        return ControlController.body(request).map(body -> addFault(service, body));
    }

    private ResponseEntity<DnsFaultView> addFault(DnsService service, String body) {
        JsonRequest json = JsonRequest.parse(body);
        String typeName = json.requiredString("type").toLowerCase(Locale.ROOT);
        DnsFaultType type = DnsFaultType.of(typeName).orElseThrow(() -> new InvalidInputException("type",
                "unknown type '" + typeName + "'; expected one of: " + DnsFaultType.ids()));
        String server = json.string("server", DnsService.PRIMARY).toLowerCase(Locale.ROOT);
        if (!SERVERS.contains(server)) {
            throw new InvalidInputException("server", "server must be primary, fallback or all");
        }
        if (server.equals(DnsService.FALLBACK) && service.port(DnsService.FALLBACK).isEmpty()) {
            throw new InvalidInputException("server", "this injector runs no fallback DNS server"
                    + " (fault-injector.dns.fallback-port)");
        }
        String name = json.string("name", null);
        if (name != null) {
            name = name.toLowerCase(Locale.ROOT);
            String zone = "." + service.zone().name();
            if (name.endsWith(zone + ".") || name.endsWith(zone)) {
                name = name.substring(0, name.lastIndexOf(zone));
            }
            if (service.zone().lookup(service.zone().fqdn(name)).isEmpty()) {
                throw new InvalidInputException("name", "name must be one of the zone's names: "
                        + service.zone().records().keySet());
            }
        }
        long delayMs = 0;
        InetAddress address = null;
        String notFor = "does not apply to type " + type.id();
        if (type == DnsFaultType.SLOW) {
            delayMs = json.wholeNumber("delayMs", 2000);
            if (delayMs < 1 || delayMs > DnsService.MAX_DELAY_MS) {
                throw new InvalidInputException("delayMs", "delayMs must be between 1 and " + DnsService.MAX_DELAY_MS);
            }
        } else {
            json.rejectPresent("delayMs", notFor);
        }
        if (type == DnsFaultType.WRONG_ADDRESS) {
            String text = json.string("address", DEFAULT_WRONG_ADDRESS);
            address = ipv4(text);
        } else {
            json.rejectPresent("address", notFor);
        }
        Duration ttl = json.duration("ttl", properties.defaultTtl());
        if (ttl.isZero() || ttl.isNegative()) {
            throw new InvalidInputException("ttl", "ttl must be positive");
        }
        if (ttl.compareTo(properties.maxTtl()) > 0) {
            throw new InvalidInputException("ttl", "ttl must not exceed the maximum of " + properties.maxTtl().toSeconds()
                    + "s");
        }
        json.rejectUnknownFields();
        DnsFault fault = service.install(type, server, name, delayMs, address, ttl);
        return ResponseEntity.status(HttpStatus.CREATED).body(DnsFaultView.of(fault, clock.instant()));
    }

    private static InetAddress ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new InvalidInputException("address", "address must be an IPv4 address, e.g. 127.0.0.2");
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new InvalidInputException("address", "address must be an IPv4 address, e.g. 127.0.0.2");
        }
    }

    @DeleteMapping("/dns/faults/{id}")
    ResponseEntity<Void> deleteFault(@PathVariable String id) {
        if (!service().remove(id, "deleted")) {
            throw new NotFoundException("id", "no active DNS fault with id '" + id + "'");
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/dns/faults")
    Map<String, Integer> clear() {
        return Map.of("cleared", service().clear("cleared"));
    }

    private DnsService service() {
        DnsService service = dns.getIfAvailable();
        if (service == null) {
            throw new NotFoundException("dns", "this injector runs no DNS server (set fault-injector.dns.port)");
        }
        return service;
    }

    /** A DNS fault as the control API shows it: only the parameters of its type, and its remaining TTL. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DnsFaultView(String id, String type, String server, String name, Long delayMs, String address,
            double ttlSeconds, long remainingMs, Instant createdAt, Instant expiresAt) {

        static DnsFaultView of(DnsFault fault, Instant now) {
            return new DnsFaultView(fault.id(), fault.type().id(), fault.server(), fault.name(),
                    fault.type() == DnsFaultType.SLOW ? fault.delayMs() : null,
                    fault.address() == null ? null : fault.address().getHostAddress(),
                    Duration.between(fault.createdAt(), fault.expiresAt()).toMillis() / 1000.0,
                    Math.max(0, Duration.between(now, fault.expiresAt()).toMillis()), fault.createdAt(),
                    fault.expiresAt());
        }
    }
}
