package dev.failurelab.chain.dns;

import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The resolver's meters: {@code chain.dns.lookups} by outcome, {@code chain.dns.resolution} by server and outcome. */
final class DnsMeters implements LabResolver.Listener {

    private final Map<LabResolver.Lookup, Counter> lookups = new EnumMap<>(LabResolver.Lookup.class);
    private final Map<String, Timer> queries = new HashMap<>();

    DnsMeters(MeterRegistry registry, boolean fallback) {
        for (LabResolver.Lookup outcome : LabResolver.Lookup.values()) {
            lookups.put(outcome, Counter.builder(ChainMetricNames.DNS_LOOKUPS)
                    .description("Name lookups of new connections to the next hop, by outcome")
                    .tag(ChainMetricNames.OUTCOME, outcome.tag()).register(registry));
        }
        for (String server : fallback ? new String[] {"primary", "fallback"} : new String[] {"primary"}) {
            for (LabResolver.Lookup outcome : LabResolver.Lookup.values()) {
                if (outcome == LabResolver.Lookup.HIT || outcome == LabResolver.Lookup.STALE
                        || outcome == LabResolver.Lookup.NEGATIVE) {
                    continue; // never on the wire
                }
                queries.put(server + outcome, Timer.builder(ChainMetricNames.DNS_RESOLUTION)
                        .description("DNS queries on the wire, by server and outcome")
                        .tag(ChainMetricNames.SERVER, server).tag(ChainMetricNames.OUTCOME, outcome.tag())
                        .publishPercentileHistogram().register(registry));
            }
        }
    }

    @Override
    public void lookup(LabResolver.Lookup outcome) {
        lookups.get(outcome).increment();
    }

    @Override
    public void query(String server, LabResolver.Lookup outcome, long nanos) {
        Timer timer = queries.get(server + outcome);
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
