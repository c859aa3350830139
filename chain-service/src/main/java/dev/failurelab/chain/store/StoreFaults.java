package dev.failurelab.chain.store;

import dev.failurelab.chain.DaemonThreads;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The split-brain lab's faults on one store node, each with a TTL:
 * <ul>
 *   <li><b>partition</b>: the links to the named peers and/or to {@value #ZOOKEEPER} are cut, both
 *       ways (the lab sets the same partition on every node of a side): calls to a cut peer fail at
 *       once, calls from it are refused, and the ZooKeeper relay holds the session's traffic;</li>
 *   <li><b>pause</b>: the node stops as in a long garbage collection: nothing it serves or sends moves
 *       for the duration, its ZooKeeper session goes silent, and a write caught inside it goes on
 *       afterwards with what it had read before (the zombie leader). {@code next-write} arms the
 *       pause to strike inside the next client write, between its leadership check and its storage
 *       write: Kleppmann's worst moment.</li>
 * </ul>
 * Shown in {@code chain.store.fault{fault}}.
 *
 * <p>Concurrency: thread-safe (volatile states; changes under the lock).
 */
public final class StoreFaults implements AutoCloseable {

    /** The link to the ZooKeeper ensemble, as a partition names it. */
    public static final String ZOOKEEPER = "zookeeper";
    /** The longest TTL of a partition. */
    public static final Duration MAX_TTL = Duration.ofMinutes(10);
    /** The longest pause. */
    public static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** How long an armed pause waits for a write before it lapses. */
    public static final Duration ARMED_TTL = Duration.ofMinutes(1);

    private final Set<String> peers;
    private final ZooKeeperRelay relay;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("store-fault"));
    private volatile Set<String> cut = Set.of();
    private volatile long cutUntilNanos;
    private volatile long pausedUntilNanos;
    private volatile boolean paused;
    private volatile Duration armed;
    private volatile long armedUntilNanos;
    private ScheduledFuture<?> healing;
    private ScheduledFuture<?> waking;

    public StoreFaults(Collection<String> peers, ZooKeeperRelay relay, LongSupplier nanoClock, MeterRegistry meters) {
        this.peers = Set.copyOf(peers);
        this.relay = relay;
        this.nanoClock = nanoClock;
        Gauge.builder(ChainMetricNames.STORE_FAULT, this, f -> f.cut().isEmpty() ? 0 : 1).tag("fault", "partition")
                .description("1 while this store node's fault is in force").register(meters);
        Gauge.builder(ChainMetricNames.STORE_FAULT, this, f -> f.paused() || f.armed() != null ? 1 : 0)
                .tag("fault", "pause").description("1 while this store node's fault is in force").register(meters);
    }

    /** Cuts the links to {@code links} (peers' names and/or zookeeper) for {@code ttl}, in place of any cut before. */
    public synchronized void partition(Collection<String> links, Duration ttl) {
        check(ttl, "ttl", MAX_TTL);
        for (String link : links) {
            if (!peers.contains(link) && !ZOOKEEPER.equals(link)) {
                throw new IllegalArgumentException("cut names '" + link + "', which is neither a peer " + new TreeSet<>(peers)
                        + " nor " + ZOOKEEPER);
            }
        }
        if (links.isEmpty()) {
            throw new IllegalArgumentException("cut must name at least one link: a peer " + new TreeSet<>(peers)
                    + " or " + ZOOKEEPER);
        }
        cut = Set.copyOf(links);
        cutUntilNanos = nanoClock.getAsLong() + ttl.toNanos();
        if (healing != null) {
            healing.cancel(false);
        }
        healing = timer.schedule(this::heal, ttl.toMillis(), TimeUnit.MILLISECONDS);
        relayLink();
    }

    /** Mends every link now. */
    public synchronized void heal() {
        cut = Set.of();
        cutUntilNanos = 0;
        if (healing != null) {
            healing.cancel(false);
            healing = null;
        }
        relayLink();
    }

    /** The links cut now. */
    public Set<String> cut() {
        return cut;
    }

    /** Whether the link to {@code peer} is up. */
    public boolean reaches(String peer) {
        return !cut.contains(peer);
    }

    /** Milliseconds until the partition in force ends; 0 if none. */
    public long cutRemainingMillis() {
        return remaining(cut.isEmpty() ? 0 : cutUntilNanos);
    }

    /** Pauses the node for {@code duration}: now, or inside the next client write if {@code atNextWrite}. */
    public synchronized void pause(Duration duration, boolean atNextWrite) {
        check(duration, "duration", MAX_PAUSE);
        if (atNextWrite) {
            armed = duration;
            armedUntilNanos = nanoClock.getAsLong() + ARMED_TTL.toNanos();
        } else {
            startPause(duration);
        }
    }

    /** Ends a pause now, and disarms one waiting for a write. */
    public synchronized void resume() {
        armed = null;
        paused = false;
        pausedUntilNanos = 0;
        if (waking != null) {
            waking.cancel(false);
            waking = null;
        }
        relayLink();
        notifyAll();
    }

    /** Whether the node is paused now. */
    public boolean paused() {
        return paused;
    }

    /** The pause waiting for the next write, or null. */
    public Duration armed() {
        Duration pause = armed;
        return pause != null && nanoClock.getAsLong() - armedUntilNanos < 0 ? pause : null;
    }

    /** Milliseconds until the pause in force ends; 0 if none. */
    public long pauseRemainingMillis() {
        return remaining(paused ? pausedUntilNanos : 0);
    }

    /** Where a client write may be caught by an armed pause: strikes it, and waits it out. */
    public void atWrite() {
        synchronized (this) {
            Duration pause = armed();
            armed = null;
            if (pause != null) {
                startPause(pause);
            }
        }
        awaitResumed();
    }

    /** Waits while the node is paused (nothing a paused process runs moves). */
    public synchronized void awaitResumed() {
        while (paused) {
            long left = TimeUnit.NANOSECONDS.toMillis(pausedUntilNanos - nanoClock.getAsLong());
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startPause(Duration duration) {
        paused = true;
        pausedUntilNanos = nanoClock.getAsLong() + duration.toNanos();
        if (waking != null) {
            waking.cancel(false);
        }
        waking = timer.schedule(this::resume, duration.toMillis(), TimeUnit.MILLISECONDS);
        relayLink();
    }

    private void relayLink() {
        relay.cut(paused || cut.contains(ZOOKEEPER));
    }

    private long remaining(long untilNanos) {
        long left = untilNanos - nanoClock.getAsLong();
        return untilNanos != 0 && left > 0 ? Duration.ofNanos(left).toMillis() : 0;
    }

    private static void check(Duration value, String field, Duration max) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between 1ms and " + max.toSeconds() + "s");
        }
    }

    /** The names a partition may cut on this node. */
    public List<String> links() {
        List<String> links = new java.util.ArrayList<>(new TreeSet<>(peers));
        links.add(ZOOKEEPER);
        return links;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        resume();
    }
}
