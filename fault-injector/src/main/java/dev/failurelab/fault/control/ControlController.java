package dev.failurelab.fault.control;

import dev.failurelab.fault.proxy.HttpFaultProxy;
import dev.failurelab.fault.proxy.ProxyRegistry;
import dev.failurelab.fault.rule.FaultRule;
import dev.failurelab.fault.rule.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The control API (port 8474): proxies, faults, reset (of the DNS faults too, see {@link DnsController}). Bodies are read strictly by
 * {@link JsonRequest}; bad input is a 400 naming the field, a missing resource a 404.
 */
@RestController
class ControlController {

    private final ProxyRegistry registry;
    private final FaultSpecParser parser;
    private final Clock clock;
    private final org.springframework.beans.factory.ObjectProvider<dev.failurelab.fault.dns.DnsService> dns;

    ControlController(ProxyRegistry registry, FaultSpecParser parser, Clock clock,
            org.springframework.beans.factory.ObjectProvider<dev.failurelab.fault.dns.DnsService> dns) {
        this.registry = registry;
        this.dns = dns;
        this.parser = parser;
        this.clock = clock;
    }

    @GetMapping("/proxies")
    List<ProxyView> proxies() {
        return registry.all().stream().map(p -> ProxyView.of(p, clock.instant())).toList();
    }

    @GetMapping("/proxies/{name}")
    ProxyView proxy(@PathVariable String name) {
        return ProxyView.of(existing(name), clock.instant());
    }

    @PostMapping("/proxies")
    Mono<ResponseEntity<ProxyView>> createProxy(ServerHttpRequest request) {
        // Binding a port blocks: keep it off the event loop.
        return body(request).publishOn(Schedulers.boundedElastic()).map(this::createProxy);
    }

    private ResponseEntity<ProxyView> createProxy(String body) {
        JsonRequest json = JsonRequest.parse(body);
        String name = json.requiredString("name");
        long listen = json.wholeNumber("listen", 0);
        String upstream = json.requiredString("upstream");
        json.rejectUnknownFields();
        if (listen < 0 || listen > 65535) {
            throw new InvalidInputException("listen", "listen must be a port, 0..65535 (0: any free port)");
        }
        HttpFaultProxy proxy = registry.create(name, (int) listen, upstream);
        return ResponseEntity.status(HttpStatus.CREATED).body(ProxyView.of(proxy, clock.instant()));
    }

    @DeleteMapping("/proxies/{name}")
    Mono<ResponseEntity<Void>> deleteProxy(@PathVariable String name) {
        // Unbinding a port blocks: keep it off the event loop.
        return Mono.fromCallable(() -> {
            if (!registry.remove(name)) {
                throw new NotFoundException("proxy", "no proxy named '" + name + "'");
            }
            return ResponseEntity.noContent().<Void>build();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/faults")
    List<FaultView> faults() {
        return registry.all().stream().flatMap(p -> p.faults().active().stream())
                .map(r -> FaultView.of(r, clock.instant())).toList();
    }

    /** Installs a fault on the proxy named in the body's {@code proxy} field. */
    @PostMapping("/faults")
    Mono<ResponseEntity<FaultView>> addFault(ServerHttpRequest request) {
        return body(request).map(this::addFault);
    }

    private ResponseEntity<FaultView> addFault(String body) {
        FaultSpecParser.ParsedFault parsed = parser.parse(body, true);
        HttpFaultProxy proxy = registry.find(parsed.proxy()).orElseThrow(() -> unknownProxy(parsed.proxy()));
        return created(registry.install(proxy, parsed.spec()));
    }

    @PostMapping("/proxies/{name}/faults")
    Mono<ResponseEntity<FaultView>> addFault(@PathVariable String name, ServerHttpRequest request) {
        return body(request).map(body -> {
            HttpFaultProxy proxy = registry.find(name).orElseThrow(() -> unknownProxy(name));
            return created(registry.install(proxy, parser.parse(body, false).spec()));
        });
    }

    /** The largest body the control API reads (a fault is a few hundred bytes). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** The raw body, whatever its declared content type (curl -d sends a form type), at most {@link #MAX_BODY_BYTES}. */
    static Mono<String> body(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), MAX_BODY_BYTES)
                .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class, e ->
                        new InvalidInputException("body", "the body must be at most " + MAX_BODY_BYTES + " bytes"))
                .map(buffer -> {
                    try {
                        return buffer.toString(StandardCharsets.UTF_8);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty("");
    }

    private ResponseEntity<FaultView> created(FaultRule rule) {
        return ResponseEntity.status(HttpStatus.CREATED).body(FaultView.of(rule, clock.instant()));
    }

    @DeleteMapping("/faults/{id}")
    ResponseEntity<Void> deleteFault(@PathVariable String id) {
        HttpFaultProxy holder = registry.holderOf(id)
                .orElseThrow(() -> new NotFoundException("id", "no active fault with id '" + id + "'"));
        holder.faults().remove(id, "deleted");
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/proxies/{name}/faults")
    Map<String, Integer> clearProxy(@PathVariable String name) {
        return Map.of("cleared", existing(name).clearFaults("cleared"));
    }

    @PostMapping("/reset")
    Map<String, Integer> reset() {
        // every fault: the proxies' and the DNS servers'
        int dnsFaults = dns.stream().mapToInt(service -> service.clear("reset")).sum();
        return Map.of("cleared", registry.clearAll("reset") + dnsFaults);
    }

    private HttpFaultProxy existing(String name) {
        return registry.find(name).orElseThrow(() -> new NotFoundException("proxy", "no proxy named '" + name + "'"));
    }

    private InvalidInputException unknownProxy(String name) {
        String known = String.join(", ", registry.all().stream().map(HttpFaultProxy::name).toList());
        return new InvalidInputException("proxy", "unknown proxy '" + name + "'; known: " + known);
    }
}
