package dev.failurelab.chain.discovery;

import com.netflix.discovery.EurekaClient;
import com.netflix.discovery.EurekaClientConfig;
import com.netflix.eureka.EurekaServerConfig;
import com.netflix.eureka.resources.ServerCodecs;
import com.netflix.eureka.transport.EurekaServerHttpClientFactory;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;
import org.springframework.cloud.netflix.eureka.server.InstanceRegistry;

/**
 * Spring Cloud's Eureka registry, with what the lab adds on it: renewals measured over the lab's
 * compressed window ({@link RenewalWindow}) in place of Eureka's fixed minute, self-preservation
 * switchable live (the {@code self-preservation} defence), and meters for renewals, evictions
 * (not cancels) and whether self-preservation is holding evictions. Eureka's own algorithm is
 * untouched: expected renewals, the 85% threshold, the eviction task and its cap.
 */
public class LabInstanceRegistry extends InstanceRegistry {

    private final RenewalWindow window;
    private final BooleanSupplier selfPreservation;
    private final ThreadLocal<Boolean> evicting = ThreadLocal.withInitial(() -> false);
    private final Counter renewals;
    private final Counter evictions;

    @SuppressWarnings("this-escape")
    LabInstanceRegistry(EurekaServerConfig serverConfig, EurekaClientConfig clientConfig, ServerCodecs codecs,
            EurekaClient client, EurekaServerHttpClientFactory httpClients, int expectedClients,
            int defaultOpenForTrafficCount, RenewalWindow window, BooleanSupplier selfPreservation,
            MeterRegistry meters) {
        super(serverConfig, clientConfig, codecs, client, httpClients, expectedClients, defaultOpenForTrafficCount);
        this.window = window;
        this.selfPreservation = selfPreservation;
        this.renewals = Counter.builder(ChainMetricNames.REGISTRY_RENEWALS)
                .description("Lease renewals (heartbeats) the registry accepted").register(meters);
        this.evictions = Counter.builder(ChainMetricNames.REGISTRY_EVICTIONS)
                .description("Instances the registry evicted when their lease expired").register(meters);
        Gauge.builder(ChainMetricNames.REGISTRY_RENEWAL_RATE, this, LabInstanceRegistry::getNumOfRenewsInLastMin)
                .description("Renewals per minute, as self-preservation measures them").register(meters);
        Gauge.builder(ChainMetricNames.REGISTRY_RENEWAL_THRESHOLD, this, r -> r.getNumOfRenewsPerMinThreshold())
                .description("Renewals per minute below which self-preservation holds evictions").register(meters);
        Gauge.builder(ChainMetricNames.REGISTRY_SELF_PRESERVING, this, r -> r.isSelfPreserving() ? 1 : 0)
                .description("1 while self-preservation is holding the registry's evictions").register(meters);
    }

    /**
     * A standalone lab registry expects the renewals of exactly the instances that register: Eureka
     * starts from {@code default-open-for-traffic-count} (1, meant for a peer's copy) and counts a new
     * registration only once that is above 0, so a lone server expects one instance too many.
     */
    @Override
    public void openForTraffic(com.netflix.appinfo.ApplicationInfoManager manager, int count) {
        super.openForTraffic(manager, count);
        synchronized (this) {
            expectedNumberOfClientsSendingRenews = count;
            updateRenewsPerMinThreshold();
        }
    }

    /** Eureka's registration (its REST API's); the first instance is counted here when Eureka's count is still 0. */
    @Override
    public void register(com.netflix.appinfo.InstanceInfo info, boolean isReplication) {
        synchronized (this) {
            boolean fresh = getInstanceByAppAndId(info.getAppName(), info.getId(), false) == null;
            boolean counted = expectedNumberOfClientsSendingRenews > 0;
            super.register(info, isReplication);
            if (fresh && !counted) {
                expectedNumberOfClientsSendingRenews++;
                updateRenewsPerMinThreshold();
            }
        }
    }

    @Override
    public boolean renew(String appName, String id, boolean isReplication) {
        boolean renewed = super.renew(appName, id, isReplication);
        if (renewed) {
            window.record();
            renewals.increment();
        }
        return renewed;
    }

    /** Renewals per minute over the lab's window (Eureka: over the last whole minute). */
    @Override
    public long getNumOfRenewsInLastMin() {
        return window.perMinute();
    }

    /** The {@code self-preservation} defence in force, read on every eviction round. */
    @Override
    public boolean isSelfPreservationModeEnabled() {
        return selfPreservation.getAsBoolean();
    }

    /** Whether self-preservation is on and holding evictions now (renewals at or below the threshold). */
    public boolean isSelfPreserving() {
        return isSelfPreservationModeEnabled() && !isLeaseExpirationEnabled();
    }

    @Override
    public void evict(long additionalLeaseMs) {
        evicting.set(true);
        try {
            super.evict(additionalLeaseMs);
        } finally {
            evicting.remove();
        }
    }

    @Override
    protected boolean internalCancel(String appName, String id, boolean isReplication) {
        boolean cancelled = super.internalCancel(appName, id, isReplication);
        if (cancelled && evicting.get()) {
            evictions.increment();
        }
        return cancelled;
    }
}
