package dev.failurelab.fault.control;

import dev.failurelab.contract.ControlRequestGuard;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every control-API request (all but {@code /actuator/**}) passes {@link ControlRequestGuard}
 * first: a web page (cross-site, DNS rebinding, a browser changing state) gets a 403 naming the
 * reason. Names other than loopback that may reach it are listed in
 * {@code fault-injector.allowed-hosts}.
 */
@Component
class ControlGuardWebFilter implements WebFilter {

    private final ControlRequestGuard guard;

    ControlGuardWebFilter(@Value("${fault-injector.allowed-hosts:}") List<String> allowed) {
        this.guard = new ControlRequestGuard(allowed.stream().filter(h -> !h.isBlank()).toList());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getPath().value().startsWith("/actuator")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        Optional<String> refusal = guard.refusal(request.getMethod().name(), headers.getFirst(HttpHeaders.HOST),
                headers.getFirst(HttpHeaders.ORIGIN), headers.getFirst("Sec-Fetch-Site"),
                headers.getFirst(HttpHeaders.USER_AGENT));
        if (refusal.isEmpty()) {
            return chain.filter(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ControlRequestGuard.forbiddenJson(refusal.get()).getBytes(StandardCharsets.UTF_8);
        // Read the request's body first: a response sent over unread bytes ends in a TCP reset.
        return request.getBody().doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release).then(
                exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body))));
    }
}
