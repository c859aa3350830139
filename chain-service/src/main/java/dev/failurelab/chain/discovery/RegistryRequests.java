package dev.failurelab.chain.discovery;

import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * On the Eureka client's own HTTP transport (Spring's RestClient): counts its requests to the
 * registry by operation and outcome ({@code chain.discovery.registry.requests}), and sends none
 * while the instance is "killed" (a dead process sends no heartbeat).
 *
 * <p>Concurrency: thread-safe.
 */
final class RegistryRequests implements ClientHttpRequestInterceptor {

    private final MeterRegistry meters;
    private final BooleanSupplier killed;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    RegistryRequests(MeterRegistry meters, BooleanSupplier killed) {
        this.meters = meters;
        this.killed = killed;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String operation = operation(request.getMethod(), request.getURI().getPath());
        if (killed.getAsBoolean()) {
            count(operation, "error");
            throw new ConnectException("the instance is killed: no request leaves it");
        }
        try {
            ClientHttpResponse response = execution.execute(request, body);
            count(operation, response.getStatusCode().is2xxSuccessful() ? "ok" : "error");
            return response;
        } catch (IOException | RuntimeException e) {
            count(operation, "error");
            throw e;
        }
    }

    /**
     * Eureka's REST operations: {@code GET …/apps/} (fetch), {@code PUT …/apps/APP/ID} (renew: a
     * heartbeat), {@code POST …/apps/APP} (register), {@code DELETE …/apps/APP/ID} (cancel).
     */
    static String operation(HttpMethod method, String path) {
        int apps = path.indexOf("/apps");
        String rest = apps < 0 ? "" : path.substring(apps + "/apps".length());
        int depth = (int) rest.chars().filter(c -> c == '/').count() - (rest.endsWith("/") ? 1 : 0);
        if (method == HttpMethod.GET && apps >= 0) {
            return "fetch";
        }
        if (method == HttpMethod.PUT && depth == 2) {
            return "renew";
        }
        if (method == HttpMethod.POST && depth == 1) {
            return "register";
        }
        if (method == HttpMethod.DELETE && depth == 2) {
            return "cancel";
        }
        return "other";
    }

    private void count(String operation, String outcome) {
        counters.computeIfAbsent(operation + "|" + outcome, k -> Counter.builder(ChainMetricNames.DISCOVERY_REGISTRY_REQUESTS)
                .description("The Eureka client's requests to the registry")
                .tag(ChainMetricNames.OPERATION, operation)
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(meters)).increment();
    }
}
