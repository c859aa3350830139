package dev.failurelab.chain.admin;

import dev.failurelab.chain.cache.CacheAdminController;
import dev.failurelab.chain.defence.ControlGuardFilter;
import dev.failurelab.chain.defence.DefenceAdminController;
import dev.failurelab.chain.settings.SettingsAdminController;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * The admin API and its guard, where the actuator is: on the management port
 * ({@code management.server.port}), which has a small thread pool of its own
 * ({@link ManagementServerThreads}). So Prometheus's scrapes and a defence switched mid-storm never
 * wait behind the storm's requests for a thread. With no management port of its own (a test
 * that sets none), the same beans go into the application's context.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
// Only in the chain service (other apps of an embedded topology share this classpath).
@ConditionalOnProperty(name = "spring.application.name", havingValue = "chain-service")
@Import({ControlGuardFilter.class, DefenceAdminController.class, SettingsAdminController.class,
        CacheAdminController.class, dev.failurelab.chain.capacity.CapacityCutController.class,
        dev.failurelab.chain.partition.PartitionAdminController.class,
        dev.failurelab.chain.discovery.InstanceFaultController.class,
        dev.failurelab.chain.store.StoreFaultController.class, RestartAdminController.class})
public class ManagementEndpoints {
}
