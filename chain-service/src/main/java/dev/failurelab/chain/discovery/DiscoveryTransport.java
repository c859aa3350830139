package dev.failurelab.chain.discovery;

import dev.failurelab.chain.client.Transport;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Errors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A calling hop's transport to a next hop found through the registry: a request to
 * {@code http://<service>/…} goes to the instance {@link InstanceBalancer} chooses; one that fails
 * to connect (refused, reset: the instance is gone) is sent once more to a different instance when
 * {@code instance-retry} is on. Each instance's calls are counted by outcome
 * ({@code chain.discovery.calls}), and every result feeds outlier ejection. Requests to other hosts
 * go straight through.
 *
 * <p>Concurrency: thread-safe.
 */
public final class DiscoveryTransport implements Transport {

    private final Transport delegate;
    private final String service;
    private final InstanceBalancer balancer;
    private final BooleanSupplier retryOnAnother;
    private final MeterRegistry meters;
    private final Counter retries;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();

    public DiscoveryTransport(Transport delegate, String service, InstanceBalancer balancer,
            BooleanSupplier retryOnAnother, MeterRegistry meters) {
        this.delegate = delegate;
        this.service = service;
        this.balancer = balancer;
        this.retryOnAnother = retryOnAnother;
        this.meters = meters;
        this.retries = Counter.builder(ChainMetricNames.DISCOVERY_INSTANCE_RETRIES)
                .description("Calls retried on another instance after the first failed to connect").register(meters);
    }

    @Override
    public Response get(URI uri, Duration timeout, Map<String, String> headers) throws IOException, InterruptedException {
        if (!service.equalsIgnoreCase(uri.getHost())) {
            return delegate.get(uri, timeout, headers);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        InstanceBalancer.Endpoint first = balancer.choose(Set.of())
                .orElseThrow(() -> new ConnectException("no instance of " + service + " to call"));
        try {
            return call(first, uri, timeout, headers);
        } catch (IOException e) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            Optional<InstanceBalancer.Endpoint> second = Errors.isTimeout(e) || !retryOnAnother.getAsBoolean()
                    || left.toMillis() <= 0 ? Optional.empty() : balancer.choose(Set.of(first.id()));
            if (second.isEmpty()) {
                throw e;
            }
            retries.increment();
            return call(second.get(), uri, left, headers);
        }
    }

    private Response call(InstanceBalancer.Endpoint endpoint, URI uri, Duration timeout, Map<String, String> headers)
            throws IOException, InterruptedException {
        URI target = endpoint.base().resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        try {
            Response response = delegate.get(target, timeout, headers);
            boolean ok = response.status() < 500;
            count(endpoint, ok ? "success" : "error");
            balancer.report(endpoint, ok);
            return response;
        } catch (IOException e) {
            count(endpoint, "error");
            balancer.report(endpoint, false);
            throw e;
        }
    }

    private void count(InstanceBalancer.Endpoint endpoint, String outcome) {
        calls.computeIfAbsent(endpoint.id() + "|" + outcome, k -> Counter.builder(ChainMetricNames.DISCOVERY_CALLS)
                .description("This hop's calls to each instance of its next hop")
                .tag(ChainMetricNames.INSTANCE, endpoint.id()).tag(ChainMetricNames.OUTCOME, outcome)
                .register(meters)).increment();
    }

    @Override
    public void close() {
        balancer.close();
        delegate.close();
    }
}
