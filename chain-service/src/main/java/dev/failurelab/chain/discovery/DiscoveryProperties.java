package dev.failurelab.chain.discovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A calling hop's discovery of its next hop through the registry ({@code chain.discovery.*}), the
 * service-discovery lab's: with {@code eureka.client.enabled} and {@code service} set, a request to
 * {@code http://<service>/…} goes to an instance the hop chooses ({@link InstanceBalancer}). The
 * modes are switchable defences; the rest is read at start.
 *
 * @param service           the next hop's name in the registry (its Eureka VIP address), e.g. {@code bottom}
 * @param registryCache     keep or drop ({@code /admin/registry-cache}): what the hop does with its copy of
 *                          the registry when it cannot fetch a new one
 * @param maxRegistryAge    under drop: the age past which the copy is not used
 * @param instanceRetry     off or on ({@code /admin/instance-retry})
 * @param outlierEjection   off or on ({@code /admin/outlier-ejection})
 * @param consecutiveErrors failed calls in a row that eject an instance (Envoy's consecutive_5xx: 5)
 * @param baseEjectionTime  the first ejection's length (Envoy: 30 s)
 * @param maxEjectionTime   the longest ejection (Envoy: 300 s)
 * @param maxEjectionShare  the largest share of the instances ejected at once, at least one (Envoy: 10%)
 * @param healthChecks      off, plain or hysteresis ({@code /admin/health-checks})
 * @param healthInterval    time between two checks of an instance
 * @param healthTimeout     a check's time allowed
 * @param healthFall        hysteresis: failed checks in a row that take an instance out
 * @param healthRise        hysteresis: good checks in a row that bring it back
 * @param healthPolicy      the decision under hysteresis: {@code reference} (the project's
 *                          {@link RiseFallHealthPolicy}), or the class of yours from exercise 11.8; read at start
 */
@ConfigurationProperties("chain.discovery")
public record DiscoveryProperties(
        String service,
        @DefaultValue("keep") String registryCache,
        @DefaultValue("3s") Duration maxRegistryAge,
        @DefaultValue("off") String instanceRetry,
        @DefaultValue("off") String outlierEjection,
        @DefaultValue("5") int consecutiveErrors,
        @DefaultValue("10s") Duration baseEjectionTime,
        @DefaultValue("60s") Duration maxEjectionTime,
        @DefaultValue("0.2") double maxEjectionShare,
        @DefaultValue("off") String healthChecks,
        @DefaultValue("1s") Duration healthInterval,
        @DefaultValue("500ms") Duration healthTimeout,
        @DefaultValue("2") int healthFall,
        @DefaultValue("15") int healthRise,
        @DefaultValue("reference") String healthPolicy) {
}
