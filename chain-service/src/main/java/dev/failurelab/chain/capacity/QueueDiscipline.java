package dev.failurelab.chain.capacity;

import dev.failurelab.contract.Defences;
import java.util.Locale;
import java.util.Optional;

/**
 * How the bottom's queue orders, bounds and sheds the requests waiting for a service slot: the
 * options of {@link Defences#QUEUE_DISCIPLINE}. The {@link CapacityLimiter} reads it at each
 * decision, so a switch applies to the requests already waiting.
 */
public enum QueueDiscipline {
    /** Arrival order, bounded by the queue capacity and timeout; work whose deadline passed is dropped. */
    FIFO(true, true, false, false, DeadlineUse.EXPIRED),
    /** The failure: arrival order, no bound, no timeout, deadlines ignored. */
    UNBOUNDED_FIFO(false, false, false, false, DeadlineUse.IGNORED),
    /**
     * Controlled delay as Facebook runs it ("Fail at Scale"): a waiter is shed once it has waited
     * longer than the target while the queue has not been empty for the last interval, longer than
     * the interval otherwise.
     */
    CODEL(true, false, true, false, DeadlineUse.IGNORED),
    /** CoDel's sheds, and newest first while the queue is congested (Facebook pairs the two). */
    ADAPTIVE_LIFO(true, false, true, true, DeadlineUse.IGNORED),
    /** Netflix concurrency-limits: Gradient2 behind a LIFO backlog, in front of the bounded FIFO. */
    ADAPTIVE_LIMIT(true, true, false, false, DeadlineUse.IGNORED),
    /**
     * Priority partitions of the queue: live waiters are served before batch ones, batch may hold at
     * most 10% of the queue's places (the 90/10 split), and a live arrival to a full queue takes the
     * place of the newest batch waiter; bounded and timed out as FIFO.
     */
    PRIORITY(true, true, false, false, DeadlineUse.IGNORED),
    /** Arrival order, unbounded, but work that cannot finish within its caller's deadline is dropped. */
    DEADLINE(false, false, false, false, DeadlineUse.UNMEETABLE);

    /** What the queue does with a request's propagated deadline. */
    public enum DeadlineUse {
        /** Serves it anyway (a server that does not read deadlines). */
        IGNORED,
        /** Drops it once the deadline has passed. */
        EXPIRED,
        /** Drops it once what is left of the deadline is shorter than the expected service time. */
        UNMEETABLE
    }

    private final boolean bounded;
    private final boolean queueTimeout;
    private final boolean codel;
    private final boolean lifoWhenCongested;
    private final DeadlineUse deadlines;

    QueueDiscipline(boolean bounded, boolean queueTimeout, boolean codel, boolean lifoWhenCongested,
            DeadlineUse deadlines) {
        this.bounded = bounded;
        this.queueTimeout = queueTimeout;
        this.codel = codel;
        this.lifoWhenCongested = lifoWhenCongested;
        this.deadlines = deadlines;
    }

    /** The option's name in the admin API, scripts and meter tags. */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The discipline an option names, if any. */
    public static Optional<QueueDiscipline> of(String option) {
        for (QueueDiscipline discipline : values()) {
            if (discipline.option().equals(option)) {
                return Optional.of(discipline);
            }
        }
        return Optional.empty();
    }

    /** Whether the queue capacity bounds the waiting line. */
    public boolean bounded() {
        return bounded;
    }

    /** Whether a waiter gives up after the queue timeout. */
    public boolean queueTimeout() {
        return queueTimeout;
    }

    /** Whether CoDel sheds waiters. */
    public boolean codel() {
        return codel;
    }

    /** Whether the newest waiter is served first while the queue is congested. */
    public boolean lifoWhenCongested() {
        return lifoWhenCongested;
    }

    public DeadlineUse deadlines() {
        return deadlines;
    }
}
