package dev.failurelab.chain.capacity;

import dev.failurelab.contract.Priority;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A server's finite capacity: at most {@code maxConcurrency} requests in service, the others
 * waiting in a queue that a {@link QueueDiscipline} orders, bounds and sheds: by default (FIFO) at
 * most {@code queueCapacity} waiting, none longer than {@code queueTimeout}.
 *
 * <p>A request that arrives to a full queue is refused at once ({@link Rejection#QUEUE_FULL}); one
 * that waited too long gives up ({@link Rejection#QUEUE_TIMEOUT}) — the two ways a real overloaded
 * server sheds load; CoDel and deadlines add their own.
 *
 * <p>Concurrency: thread-safe. One lock guards the slots and the waiting line; each waiter parks on
 * its own condition, and a freed slot is handed to the waiter the discipline picks (never taken by
 * a newcomer while others wait), so the depth and the bounds hold under any interleaving. The
 * discipline is read at each decision: a switch applies to the requests already waiting.
 */
public final class CapacityLimiter {

    /** Why a request was refused. */
    public enum Rejection {
        QUEUE_FULL("queue_full"),
        QUEUE_TIMEOUT("queue_timeout"),
        /** The caller's deadline (propagated) passed before the work could start: nobody waits for it. */
        DEADLINE_EXCEEDED("deadline_exceeded"),
        /** Shed at once: past an adaptive concurrency limit (load shedding, or the library's disciplines). */
        ADAPTIVE_LIMIT("adaptive_limit"),
        /** Shed by CoDel: it waited longer than the queue's delay target allows. */
        CODEL("codel"),
        /** What was left of the caller's deadline was shorter than the expected service time. */
        DEADLINE_TOO_SHORT("deadline_too_short");

        private final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }

        /** The value used in meter tags and error bodies. */
        public String tag() {
            return tag;
        }
    }

    /** A granted service slot; release it exactly once when the work is done. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The discipline in force, CoDel's two durations (Facebook's: a 5 ms target, a 100 ms interval)
     * and the {@link WaitLimit} that applies them.
     */
    public record Policy(QueueDiscipline discipline, Duration codelTarget, Duration codelInterval,
            WaitLimit waitLimit) {

        public static final Policy FIFO = new Policy(QueueDiscipline.FIFO, Duration.ofMillis(5), Duration.ofMillis(100));

        public Policy {
            if (discipline == null || codelTarget == null || codelInterval == null || codelTarget.isNegative()
                    || codelInterval.isNegative() || waitLimit == null) {
                throw new IllegalArgumentException("a policy needs a discipline, non-negative CoDel durations and a"
                        + " wait limit");
            }
        }

        /** A policy with the project's wait limit ({@link FacebookCodel}). */
        public Policy(QueueDiscipline discipline, Duration codelTarget, Duration codelInterval) {
            this(discipline, codelTarget, codelInterval, new FacebookCodel(codelTarget, codelInterval));
        }
    }

    /**
     * What the queue knows of a request: its priority, its caller's deadline (epoch milliseconds)
     * and how long its service is expected to take.
     */
    public record Ticket(Priority priority, OptionalLong deadline, long expectedServiceNanos) {

        /** A request with no deadline, live. */
        public static final Ticket PLAIN = new Ticket(Priority.LIVE, OptionalLong.empty(), 0);
    }

    /** Batch's share of the queue's places under the priority discipline (live has them all). */
    public static final double BATCH_SHARE = 0.1;
    /**
     * What the deadline discipline keeps in hand beyond the expected service time: a waiter handed
     * a slot still has to wake and its answer to be written (on a busy machine, milliseconds).
     */
    public static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int maxConcurrency;
    private final int queueCapacity;
    private final Duration queueTimeout;
    private final Supplier<Policy> policy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: slots in use, the waiting line, the last instant a slot found nothing waiting. */
    private int busy;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long lastEmptyNanos = System.nanoTime();
    private long lastShedNanos = lastEmptyNanos - TimeUnit.HOURS.toNanos(1);

    /** A FIFO limiter (the default discipline). */
    public CapacityLimiter(int maxConcurrency, int queueCapacity, Duration queueTimeout) {
        this(maxConcurrency, queueCapacity, queueTimeout, () -> Policy.FIFO);
    }

    /** @param policy read at each decision: the discipline in force now */
    public CapacityLimiter(int maxConcurrency, int queueCapacity, Duration queueTimeout, Supplier<Policy> policy) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be greater than or equal to 1");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must be greater than or equal to 0");
        }
        if (queueTimeout == null || queueTimeout.isNegative()) {
            throw new IllegalArgumentException("queueTimeout must be zero or positive");
        }
        this.maxConcurrency = maxConcurrency;
        this.queueCapacity = queueCapacity;
        this.queueTimeout = queueTimeout;
        this.policy = policy;
    }

    /** Takes a service slot for a plain request, waiting in the queue if need be. */
    public Result acquire() throws InterruptedException {
        return acquire(Ticket.PLAIN);
    }

    /**
     * Takes a service slot, waiting in the queue if the discipline lets it.
     *
     * @return a granted permit, or the reason the request was refused, with the time it waited
     */
    public Result acquire(Ticket ticket) throws InterruptedException {
        long arrived = System.nanoTime();
        lock.lock();
        try {
            Policy now = policy.get();
            Optional<Rejection> refused = deadlineRefusal(now.discipline(), ticket);
            if (refused.isPresent()) {
                return Result.rejected(refused.get(), 0);
            }
            if (busy < maxConcurrency && waiting.isEmpty()) {
                busy++;
                markEmpty(now, arrived); // nothing waiting, a slot free
                return Result.granted(newPermit(), 0);
            }
            if (now.discipline() == QueueDiscipline.PRIORITY && !admitByPriority(ticket)) {
                return Result.rejected(Rejection.QUEUE_FULL, 0);
            }
            if (now.discipline().bounded() && waiting.size() >= queueCapacity) {
                return Result.rejected(Rejection.QUEUE_FULL, 0);
            }
            Waiter waiter = new Waiter(ticket, arrived, lock.newCondition());
            waiting.addLast(waiter);
            try {
                awaitTurn(waiter);
            } catch (InterruptedException e) {
                if (waiter.granted) {
                    releaseSlot(); // handed a slot while interrupted: pass it on
                } else if (waiter.rejection == null) {
                    leave(waiter);
                }
                throw e;
            }
            long sojourn = System.nanoTime() - arrived;
            return waiter.granted ? Result.granted(newPermit(), sojourn) : Result.rejected(waiter.rejection, sojourn);
        } finally {
            lock.unlock();
        }
    }

    /** Waits (holding the lock between waits) until a slot is handed over or the waiter is shed. */
    private void awaitTurn(Waiter waiter) throws InterruptedException {
        while (!waiter.granted && waiter.rejection == null) {
            Policy now = policy.get();
            long waited = System.nanoTime() - waiter.arrived;
            long allowed = Long.MAX_VALUE;
            Rejection reason = null;
            if (now.discipline().queueTimeout()) {
                allowed = queueTimeout.toNanos();
                reason = Rejection.QUEUE_TIMEOUT;
            }
            if (now.discipline().codel() && codelLimit(now) < allowed) {
                allowed = codelLimit(now);
                reason = Rejection.CODEL;
            }
            if (waited >= allowed) {
                leave(waiter);
                waiter.rejection = reason;
                if (reason == Rejection.CODEL) {
                    lastShedNanos = System.nanoTime();
                }
                return;
            }
            // Wake at the limit, and at least every 50 ms: a switch of discipline or CoDel's state may
            // shorten it.
            waiter.turn.awaitNanos(Math.min(allowed - waited, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    /**
     * Priority partitions: a batch arrival finds a place only within batch's share of the queue; a
     * live arrival to a full queue takes the newest batch waiter's place (that one is shed).
     * Guarded by the lock.
     *
     * @return whether the arrival may join the queue (the capacity bound is checked after)
     */
    private boolean admitByPriority(Ticket ticket) {
        if (ticket.priority() == Priority.BATCH) {
            int batchPlaces = (int) Math.ceil(queueCapacity * BATCH_SHARE);
            long batch = waiting.stream().filter(w -> w.ticket.priority() == Priority.BATCH).count();
            return batch < batchPlaces;
        }
        if (waiting.size() >= queueCapacity) {
            for (Iterator<Waiter> it = waiting.descendingIterator(); it.hasNext(); ) {
                Waiter newest = it.next();
                if (newest.ticket.priority() == Priority.BATCH) {
                    it.remove();
                    newest.rejection = Rejection.QUEUE_FULL;
                    newest.turn.signal();
                    return true;
                }
            }
        }
        return true;
    }

    /** The next waiter to serve: the discipline's end of the line, or, by priority, the oldest live one first. */
    private Waiter next(Policy now) {
        if (now.discipline() == QueueDiscipline.PRIORITY) {
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.ticket.priority() == Priority.LIVE) {
                    it.remove();
                    return waiter;
                }
            }
            return waiting.pollFirst();
        }
        boolean newestFirst = now.discipline().lifoWhenCongested() && now.waitLimit().newestFirst(standingNanos());
        return newestFirst ? waiting.pollLast() : waiting.pollFirst();
    }

    /**
     * A slot found nothing waiting: the queue counts as empty for CoDel, unless CoDel shed a waiter
     * within the last interval (then its own sheds emptied it, and the overload goes on). Guarded
     * by the lock.
     */
    private void markEmpty(Policy now, long at) {
        if (at - lastShedNanos >= now.codelInterval().toNanos()) {
            lastEmptyNanos = at;
        }
    }

    /** Removes a waiter that gives up; guarded by the lock. */
    private void leave(Waiter waiter) {
        waiting.remove(waiter); // a queue emptied by its own sheds still stands: lastEmptyNanos stays
    }

    /**
     * CoDel's bound on a wait now, from the {@link WaitLimit} (Facebook's: the target once the queue
     * has not been empty for a whole interval, the interval otherwise: a burst is let through). The queue
     * counts as empty when a slot finds nothing waiting for it (an arrival takes a free slot, or a
     * freed slot idles) and CoDel has shed nothing for an interval; not when it is served down to
     * its last waiter, nor when CoDel's own sheds empty it: at a few arrivals per target, as in the
     * labs, those empty it again and again under overload and would let every next wait run to the
     * interval (MEASURED: p99 of the answers 90-100 ms at twice the capacity with a 20 ms target,
     * against 45 ms below it).
     */
    private long codelLimit(Policy now) {
        return now.waitLimit().maxWaitNanos(standingNanos());
    }

    /** How long the queue has stood, not empty (0 when it is empty); guarded by the lock. */
    private long standingNanos() {
        return waiting.isEmpty() ? 0 : Math.max(0, System.nanoTime() - lastEmptyNanos);
    }

    private Optional<Rejection> deadlineRefusal(QueueDiscipline discipline, Ticket ticket) {
        if (ticket.deadline().isEmpty()) {
            return Optional.empty();
        }
        long left = TimeUnit.MILLISECONDS.toNanos(ticket.deadline().getAsLong() - System.currentTimeMillis());
        return switch (discipline.deadlines()) {
            case IGNORED -> Optional.empty();
            case EXPIRED -> left <= 0 ? Optional.of(Rejection.DEADLINE_EXCEEDED) : Optional.empty();
            case UNMEETABLE -> left < ticket.expectedServiceNanos() + DEADLINE_SLACK_NANOS || left <= 0
                    ? Optional.of(Rejection.DEADLINE_TOO_SHORT) : Optional.empty();
        };
    }

    /** A slot freed: hands it to the next waiter the discipline serves, shedding those it must; guarded. */
    private void releaseSlot() {
        Policy now = policy.get();
        while (!waiting.isEmpty()) {
            long limit = now.discipline().codel() ? codelLimit(now) : Long.MAX_VALUE;
            Waiter next = next(now);
            Optional<Rejection> refused = System.nanoTime() - next.arrived > limit ? Optional.of(Rejection.CODEL)
                    : deadlineRefusal(now.discipline(), next.ticket);
            if (refused.isPresent()) {
                next.rejection = refused.get();
                next.turn.signal();
                if (refused.get() == Rejection.CODEL) {
                    lastShedNanos = System.nanoTime();
                }
                continue;
            }
            next.granted = true; // the slot passes to it: busy stays the same
            next.turn.signal();
            return;
        }
        busy--;
        markEmpty(now, System.nanoTime()); // a slot idles: nothing waits for it
    }

    private Permit newPermit() {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                lock.lock();
                try {
                    releaseSlot();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** Requests in service now. */
    public int inFlight() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for a slot now. */
    public int queueDepth() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public Duration queueTimeout() {
        return queueTimeout;
    }

    /** A request waiting for a slot; its fields are guarded by the limiter's lock. */
    private static final class Waiter {
        final Ticket ticket;
        final long arrived;
        final Condition turn;
        boolean granted;
        Rejection rejection;

        Waiter(Ticket ticket, long arrived, Condition turn) {
            this.ticket = ticket;
            this.arrived = arrived;
            this.turn = turn;
        }
    }

    /**
     * The outcome of {@link #acquire(Ticket)}: a permit or a rejection, never both, and how long the
     * request waited in the queue (nanoseconds; 0 when it did not wait).
     */
    public record Result(Optional<Permit> permit, Optional<Rejection> rejection, long sojournNanos) {

        static Result granted(Permit permit, long sojournNanos) {
            return new Result(Optional.of(permit), Optional.empty(), sojournNanos);
        }

        static Result rejected(Rejection rejection, long sojournNanos) {
            return new Result(Optional.empty(), Optional.of(rejection), sojournNanos);
        }

        public boolean isGranted() {
            return permit.isPresent();
        }
    }
}
