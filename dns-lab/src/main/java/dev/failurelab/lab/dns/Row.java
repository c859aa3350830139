package dev.failurelab.lab.dns;

import java.util.List;
import java.util.Optional;

/**
 * A row of the lab: a DNS fault on both servers, under a serve-stale mode of the calling hops.
 *
 * @param id         its name in {@code rows}
 * @param fault      the DNS fault: the outage's type ({@code outage.fault}), or slow answers
 * @param serveStale the hops' serve-stale mode
 */
record Row(String id, Fault fault, String serveStale) {

    /** The fault a row injects. */
    enum Fault {
        OUTAGE, SLOW
    }

    static final List<Row> ALL = List.of(
            new Row("outage", Fault.OUTAGE, "off"),
            new Row("outage-serve-stale", Fault.OUTAGE, "refresh"),
            new Row("slow", Fault.SLOW, "off"),
            new Row("slow-refresh", Fault.SLOW, "refresh"));

    static Optional<Row> of(String id) {
        return ALL.stream().filter(r -> r.id.equals(id)).findFirst();
    }

    static List<String> ids() {
        return ALL.stream().map(Row::id).toList();
    }

    /** The fault phase's name: {@code outage} or {@code slow}. */
    String faultPhase() {
        return fault == Fault.OUTAGE ? "outage" : "slow";
    }
}
