package dev.failurelab.chain.capacity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's finite capacity: at most {@code maxConcurrency} requests in service, at most
 * {@code queueCapacity} more waiting, none waiting longer than {@code queueTimeout}.
 *
 * <p>Concurrency: thread-safe. Service slots are a fair {@link Semaphore}, so waiters are served
 * in arrival order (a FIFO queue, like a server's accept backlog); the queue bound is an
 * {@link AtomicInteger} reserved by compare-and-set before waiting, so the bound (and the depth
 * gauge) holds under any interleaving. A
 * request that arrives to a full queue is refused at once ({@link Rejection#QUEUE_FULL}); one that
 * waited too long gives up ({@link Rejection#QUEUE_TIMEOUT}) — the two ways a real overloaded
 * server sheds load.
 */
public final class CapacityLimiter {

    /** Why a request was refused. */
    public enum Rejection {
        QUEUE_FULL("queue_full"),
        QUEUE_TIMEOUT("queue_timeout"),
        /** The caller's deadline (propagated) passed before the work could start: nobody waits for it. */
        DEADLINE_EXCEEDED("deadline_exceeded"),
        /** Shed at once: past the adaptive concurrency limit (load shedding is on). */
        ADAPTIVE_LIMIT("adaptive_limit");

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

    private final int maxConcurrency;
    private final int queueCapacity;
    private final Duration queueTimeout;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    public CapacityLimiter(int maxConcurrency, int queueCapacity, Duration queueTimeout) {
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
        this.slots = new Semaphore(maxConcurrency, true);
    }

    /**
     * Takes a service slot, waiting in the queue if need be.
     *
     * @return a granted permit, or the reason the request was refused
     */
    public Result acquire() throws InterruptedException {
        // tryAcquire(0, unit) honours fairness: a newcomer never overtakes the queue.
        if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
            return Result.granted(newPermit());
        }
        if (!reserveQueueSlot()) {
            return Result.rejected(Rejection.QUEUE_FULL);
        }
        try {
            if (slots.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Result.granted(newPermit());
            }
            return Result.rejected(Rejection.QUEUE_TIMEOUT);
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Takes a place in the queue unless it is full; never overshoots, even for an instant. */
    private boolean reserveQueueSlot() {
        int current;
        do {
            current = waiting.get();
            if (current >= queueCapacity) {
                return false;
            }
        } while (!waiting.compareAndSet(current, current + 1));
        return true;
    }

    private Permit newPermit() {
        AtomicInteger released = new AtomicInteger();
        return () -> {
            if (released.compareAndSet(0, 1)) {
                slots.release();
            }
        };
    }

    /** Requests in service now. */
    public int inFlight() {
        return maxConcurrency - slots.availablePermits();
    }

    /** Requests waiting for a slot now. */
    public int queueDepth() {
        return waiting.get();
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

    /** The outcome of {@link #acquire()}: a permit or a rejection, never both. */
    public record Result(Optional<Permit> permit, Optional<Rejection> rejection) {

        static Result granted(Permit permit) {
            return new Result(Optional.of(permit), Optional.empty());
        }

        static Result rejected(Rejection rejection) {
            return new Result(Optional.empty(), Optional.of(rejection));
        }

        public boolean isGranted() {
            return permit.isPresent();
        }
    }
}
