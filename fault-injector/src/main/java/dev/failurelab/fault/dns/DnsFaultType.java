package dev.failurelab.fault.dns;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of fault the lab's DNS server can inject. */
public enum DnsFaultType {
    /** Answer SERVFAIL: the server cannot answer (the 2021 Facebook outage, seen by recursive resolvers). */
    SERVFAIL,
    /** Answer NXDOMAIN: the name does not exist (a zone push gone wrong). */
    NXDOMAIN,
    /** Answer nothing: the client's resolver waits out its timeout (the 2016 Dyn DDoS). */
    DROP,
    /** Answer correctly, after a delay. */
    SLOW,
    /** Answer with another address (a stale or mistaken record). */
    WRONG_ADDRESS,
    /** Answer correctly with a TTL of 0: nothing may be cached. */
    TTL0;

    /** Lower-case name with dashes, as used in the control API and meter tags. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<DnsFaultType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }

    /** The accepted names, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(DnsFaultType::id).collect(Collectors.joining(", "));
    }
}
