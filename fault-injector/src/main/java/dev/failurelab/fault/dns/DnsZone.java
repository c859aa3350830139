package dev.failurelab.fault.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one zone the lab's DNS server is authoritative for: A records of the topology's names
 * ({@code bottom.failure-lab.test.}), all with one TTL. A record's value is an address, or a host
 * name resolved once, at start, by the system's resolver (in compose: a service's name).
 *
 * <p>Immutable, so thread-safe.
 */
public final class DnsZone {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final String suffix;
    private final long ttlSeconds;
    private final Map<String, InetAddress> records;

    /**
     * @param zone    the zone, e.g. {@code failure-lab.test}
     * @param ttl     every record's TTL (whole seconds)
     * @param records short name (a single label) to address or host name
     * @throws IllegalArgumentException naming the property at fault
     */
    public DnsZone(String zone, Duration ttl, Map<String, String> records) {
        String lower = zone == null ? "" : zone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (lower.isEmpty() || !java.util.Arrays.stream(lower.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
            throw new IllegalArgumentException("fault-injector.dns.zone must be a domain name, e.g. failure-lab.test, not '"
                    + zone + "'");
        }
        if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fault-injector.dns.ttl must be 0s or more");
        }
        this.suffix = lower + ".";
        this.ttlSeconds = ttl.toSeconds();
        Map<String, InetAddress> resolved = new LinkedHashMap<>();
        records.forEach((name, value) -> {
            String label = name.toLowerCase(Locale.ROOT);
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("fault-injector.dns.records: '" + name
                        + "' must be one label (letters, digits, '-'), e.g. bottom");
            }
            try {
                InetAddress address = InetAddress.getByName(value);
                if (!(address instanceof java.net.Inet4Address)) {
                    throw new IllegalArgumentException("fault-injector.dns.records." + name + " must be an IPv4 address"
                            + " or a host name with one, not '" + value + "'");
                }
                resolved.put(fqdn(label), address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("fault-injector.dns.records." + name + ": cannot resolve '" + value
                        + "'", e);
            }
        });
        this.records = Collections.unmodifiableMap(resolved);
    }

    /** {@code label.zone.}: the fully qualified form of a short name. */
    public String fqdn(String label) {
        return label.toLowerCase(Locale.ROOT) + "." + suffix;
    }

    /** Whether {@code name} (lower case, trailing dot) is in this zone: the server answers for it. */
    public boolean contains(String name) {
        return name.equals(suffix) || name.endsWith("." + suffix);
    }

    /** The address of {@code name}, if the zone has it. */
    public Optional<InetAddress> lookup(String name) {
        return Optional.ofNullable(records.get(name));
    }

    /** The zone's name, without the trailing dot. */
    public String name() {
        return suffix.substring(0, suffix.length() - 1);
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** Every record: name (fully qualified) to address. */
    public Map<String, String> records() {
        Map<String, String> view = new LinkedHashMap<>();
        records.forEach((name, address) -> view.put(name, address.getHostAddress()));
        return view;
    }

    /** Normalises a name the way a query carries it: lower case, with its trailing dot. */
    public static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
