package dev.failurelab.chain.store;

import dev.failurelab.chain.DaemonThreads;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the split-brain lab's replicated store: its replica in PostgreSQL ({@link Replica}), and
 * who leads, in one of two modes (the {@code leadership} defence, switched live):
 * <ul>
 *   <li><b>naive</b> (the failure): the leader heartbeats its followers; a follower that hears no
 *       leader for the leader timeout promotes itself, with no quorum (a term one above the highest it
 *       has seen); a write is acknowledged once the leader has stored it, and replicated afterwards. A
 *       leader that hears a higher term steps down and takes the new leader's copy, dropping what it
 *       alone had: the acknowledged writes of the minority side;</li>
 *   <li><b>consensus</b>: leadership is Apache Curator's {@link LeaderLatch} on the ZooKeeper
 *       ensemble; each leadership gets a fencing token from ZooKeeper (the version of the epoch node,
 *       bumped by the new leader); the new leader first gathers a majority's log, raises the fences,
 *       and only then serves. A write is acknowledged once a majority of replicas stored it; a read
 *       first confirms with a majority that no higher token has been seen.</li>
 * </ul>
 * Whether a replica refuses an entry with a token below its fence is the storage's own setting (the
 * {@code fencing} defence), checked by PostgreSQL.
 *
 * <p>Concurrency: thread-safe: requests on Tomcat's threads; the ticker (heartbeats, promotion,
 * mode changes) on one thread; leadership changes under the lock.
 */
public final class StoreNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreNode.class);
    /** The ZooKeeper path of the election. */
    static final String LATCH_PATH = "/failure-lab/store/leader";
    /** The ZooKeeper node whose version is the fencing token. */
    static final String EPOCH_PATH = "/failure-lab/store/epoch";
    /** A majority, whatever quorum rule the node commits by: what "at risk" is measured against. */
    private static final WriteQuorum MAJORITY = new MajorityQuorum();

    /** A client write's outcome, as answered and counted. */
    public enum WriteOutcome {
        ACKED, NOT_LEADER, NO_QUORUM, FENCED, ERROR;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A write's answer: its outcome, the leader as this node knows it, the token it carried. */
    public record WriteAnswer(WriteOutcome outcome, String leader, long token, String message) {
    }

    /** A read's answer: {@code value} is empty for a register never written; {@code outcome} ok, not_leader, no_quorum, error. */
    public record ReadAnswer(String outcome, String leader, OptionalLong value, String message) {
    }

    private final StoreProperties properties;
    private final String self;
    private final Replica replica;
    private final OptionDefence leadership;
    private final OptionDefence fencing;
    private final StoreFaults faults;
    private final PeerClient peers;
    private final CuratorFramework curator;
    private final LongSupplier nanoClock;
    private final int rank;
    private final int replicas;
    private final WriteQuorum quorum;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("store-ticker"));
    private final ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("store-peer"));
    private final ExecutorService election = Executors.newSingleThreadExecutor(DaemonThreads.named("store-election"));
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong pos = new AtomicLong(1);

    private volatile boolean leader;
    private volatile long term;
    private volatile String leaderName;
    private volatile long lastLeaderNanos;
    private volatile String syncedWith;
    private volatile boolean resync;
    private volatile long entries;
    private String modeApplied;
    private String fencingApplied;
    private volatile LeaderLatch latch;
    private final java.util.concurrent.atomic.AtomicBoolean syncing = new java.util.concurrent.atomic.AtomicBoolean();

    public StoreNode(StoreProperties properties, Replica replica, OptionDefence leadership, OptionDefence fencing,
            StoreFaults faults, PeerClient peers, CuratorFramework curator, WriteQuorum quorum, LongSupplier nanoClock,
            MeterRegistry meters) {
        this.properties = properties;
        this.self = properties.node();
        this.replica = replica;
        this.leadership = leadership;
        this.fencing = fencing;
        this.faults = faults;
        this.peers = peers;
        this.curator = curator;
        this.nanoClock = nanoClock;
        this.meters = meters;
        TreeSet<String> all = new TreeSet<>(peers.names());
        all.add(self);
        this.rank = all.headSet(self).size();
        this.replicas = all.size();
        this.quorum = quorum;
        this.lastLeaderNanos = nanoClock.getAsLong();
        Gauge.builder(ChainMetricNames.STORE_LEADER, this, n -> n.leader ? 1 : 0).tag(ChainMetricNames.NODE, self)
                .description("1 while this store node says it is the leader").register(meters);
        Gauge.builder(ChainMetricNames.STORE_TERM, this, n -> n.term).tag(ChainMetricNames.NODE, self)
                .description("this store node's term: its fencing token while it leads").register(meters);
        Gauge.builder(ChainMetricNames.STORE_ENTRIES, this, n -> n.entries).tag(ChainMetricNames.NODE, self)
                .description("entries in this store node's replica").register(meters);
        for (WriteOutcome outcome : WriteOutcome.values()) {
            counter(ChainMetricNames.STORE_WRITES, outcome.id());
        }
        for (String outcome : List.of("ok", "not_leader", "no_quorum", "error")) {
            counter(ChainMetricNames.STORE_READS, outcome);
        }
        for (Replica.Applied applied : Replica.Applied.values()) {
            counter(ChainMetricNames.STORE_REPLICA_WRITES, applied.name().toLowerCase(java.util.Locale.ROOT));
        }
        Counter.builder(ChainMetricNames.STORE_PROMOTIONS).tag(ChainMetricNames.NODE, self)
                .description("times this store node became the leader").register(meters);
        Counter.builder(ChainMetricNames.STORE_DISCARDED).tag(ChainMetricNames.NODE, self)
                .description("entries dropped when taking the leader's copy").register(meters);
        Counter.builder(ChainMetricNames.STORE_ACKED_MINORITY).tag(ChainMetricNames.NODE, self)
                .description("writes acknowledged that fewer than a majority of the replicas took").register(meters);
    }

    /** Starts the ticker. */
    public void start() {
        long every = properties.heartbeatInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private Counter counter(String name, String outcome) {
        return counters.computeIfAbsent(name + "|" + outcome, k -> Counter.builder(name)
                .tag(ChainMetricNames.OUTCOME, outcome).tag(ChainMetricNames.NODE, self).register(meters));
    }

    private void count(String name) {
        meters.counter(name, ChainMetricNames.NODE, self).increment();
    }

    // ---- the ticker: modes, heartbeats, promotion ----

    private void tick() {
        try {
            faults.awaitResumed();
            reconcileFencing();
            reconcileMode();
            entries = replica.count();
            if (leader) {
                heartbeat();
            } else if (naive() && nanoClock.getAsLong() - lastLeaderNanos > promotionDelayNanos()) {
                promoteNaively();
            }
        } catch (Exception e) {
            LOG.debug("store tick failed: {}", e.toString());
        }
    }

    private long promotionDelayNanos() {
        return properties.leaderTimeout().toNanos() + rank * properties.promotionStagger().toNanos();
    }

    private boolean naive() {
        return "naive".equals(leadership.current());
    }

    private void reconcileFencing() throws SQLException {
        String now = fencing.current();
        if (!now.equals(fencingApplied)) {
            replica.enforceFence("on".equals(now));
            fencingApplied = now;
        }
    }

    private synchronized void reconcileMode() throws Exception {
        String now = leadership.current();
        if (now.equals(modeApplied)) {
            return;
        }
        stepDown();
        leaderName = null;
        syncedWith = null;
        lastLeaderNanos = nanoClock.getAsLong();
        if (latch != null) {
            latch.close();
            latch = null;
        }
        if ("consensus".equals(now)) {
            latch = new LeaderLatch(curator, LATCH_PATH, self, LeaderLatch.CloseMode.SILENT);
            latch.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    election.execute(StoreNode.this::takeLeadership);
                }

                @Override
                public void notLeader() {
                    election.execute(StoreNode.this::stepDown);
                }
            });
            latch.start();
        }
        modeApplied = now;
    }

    private void heartbeat() {
        long token = term;
        for (String peer : peers.names()) {
            boolean again = resync;
            calls.execute(() -> {
                try {
                    peers.post(peer, "heartbeat", Map.of("leader", self, "term", token, "mode", leadership.current(),
                            "resync", again));
                } catch (IOException | RuntimeException e) {
                    // a follower out of reach: it will resync when it hears from us again
                }
            });
        }
        resync = false;
    }

    private synchronized void promoteNaively() throws SQLException {
        long next = Math.max(term, replica.fenceToken()) + 1;
        becomeLeader(next);
        LOG.info("{} promoted itself (naive) to term {}", self, next);
    }

    private void becomeLeader(long token) {
        term = token;
        pos.set(1);
        leaderName = self;
        syncedWith = self + "@" + token;
        leader = true;
        count(ChainMetricNames.STORE_PROMOTIONS);
    }

    private synchronized void stepDown() {
        leader = false;
    }

    // ---- consensus: the election's side ----

    private void takeLeadership() {
        try {
            // Gather a majority's log before serving: every acknowledged write is on a majority.
            long seen;
            while (true) {
                if (!"consensus".equals(leadership.current()) || !hasLatchLeadership()) {
                    return;
                }
                faults.awaitResumed();
                OptionalLong gathered = gatherMajority();
                if (gathered.isPresent()) {
                    seen = gathered.getAsLong();
                    break;
                }
                Thread.sleep(properties.heartbeatInterval().toMillis());
            }
            long token = nextEpoch(Math.max(seen, Math.max(term, replica.fenceToken())));
            replica.raiseFence(token);
            for (String peer : peers.names()) {
                calls.execute(() -> {
                    try {
                        peers.post(peer, "fence", Map.of("token", token));
                    } catch (IOException | RuntimeException e) {
                        // fenced at its next write instead
                    }
                });
            }
            synchronized (this) {
                if (hasLatchLeadership()) {
                    becomeLeader(token);
                    LOG.info("{} leads (consensus) with fencing token {}", self, token);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{} could not take the leadership: {}", self, e.toString());
        }
    }

    private boolean hasLatchLeadership() {
        LeaderLatch now = latch;
        return now != null && now.hasLeadership();
    }

    /** The next fencing token from ZooKeeper: the epoch node's version, bumped past {@code floor}. */
    private long nextEpoch(long floor) throws Exception {
        byte[] mark = self.getBytes(StandardCharsets.UTF_8);
        try {
            curator.create().creatingParentsIfNeeded().forPath(EPOCH_PATH, mark);
        } catch (KeeperException.NodeExistsException e) {
            // bumped below
        }
        Stat stat;
        do {
            stat = curator.setData().forPath(EPOCH_PATH, mark);
        } while (stat.getVersion() <= floor);
        return stat.getVersion();
    }

    /** Merges the logs of the peers it reaches; the highest token among them if a majority answered, else empty. */
    private OptionalLong gatherMajority() throws SQLException {
        List<CompletableFuture<List<Replica.Entry>>> fetches = new ArrayList<>();
        for (String peer : peers.names()) {
            fetches.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return peers.entries(peer);
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            }, calls));
        }
        int answered = 1;
        long highest = 0;
        for (CompletableFuture<List<Replica.Entry>> fetch : fetches) {
            List<Replica.Entry> got = fetch.join();
            if (got != null) {
                replica.merge(got);
                answered++;
                highest = Math.max(highest, got.stream().mapToLong(Replica.Entry::token).max().orElse(0));
            }
        }
        return quorum.committed(answered, replicas) ? OptionalLong.of(highest) : OptionalLong.empty();
    }

    // ---- clients ----

    /** A client's write of {@code value} to register {@code key}, {@code id} unique. */
    public WriteAnswer write(String id, String key, long value) {
        faults.awaitResumed();
        if (!leader) {
            return answer(WriteOutcome.NOT_LEADER, "this node is not the leader");
        }
        long token = term;
        Replica.Entry entry = new Replica.Entry(id, key, value, token, pos.getAndIncrement());
        faults.atWrite(); // a pause armed for the next write strikes here, after the leadership check
        try {
            Replica.Applied local = replica.append(entry);
            count(local);
            if (local == Replica.Applied.FENCED) {
                return answer(WriteOutcome.FENCED, "the storage refused token " + token + ": a newer leader has written");
            }
            if (naive()) {
                // Acknowledged at once, replicated after: counted at risk if a majority never takes it.
                List<CompletableFuture<Boolean>> sent = new ArrayList<>();
                for (String peer : peers.names()) {
                    sent.add(CompletableFuture.supplyAsync(() -> replicate(peer, entry), calls));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenRun(() -> {
                    int stored = 1 + (int) sent.stream().filter(CompletableFuture::join).count();
                    if (!MAJORITY.committed(stored, replicas)) {
                        count(ChainMetricNames.STORE_ACKED_MINORITY);
                    }
                });
                return answer(WriteOutcome.ACKED, "stored here; replicated afterwards", token);
            }
            int stored = 1;
            List<CompletableFuture<Boolean>> sent = new ArrayList<>();
            for (String peer : peers.names()) {
                sent.add(CompletableFuture.supplyAsync(() -> replicate(peer, entry), calls));
            }
            for (CompletableFuture<Boolean> one : sent) {
                if (one.join()) {
                    stored++;
                }
            }
            return quorum.committed(stored, replicas)
                    ? answer(WriteOutcome.ACKED, "stored on " + stored + " of " + replicas + " replicas", token)
                    : answer(WriteOutcome.NO_QUORUM, "stored on " + stored + " of " + replicas + " replicas, too few"
                            + " to commit: not acknowledged", token);
        } catch (SQLException e) {
            return answer(WriteOutcome.ERROR, "the replica failed: " + e.getMessage());
        }
    }

    private WriteAnswer answer(WriteOutcome outcome, String message) {
        return answer(outcome, message, term);
    }

    private WriteAnswer answer(WriteOutcome outcome, String message, long token) {
        counter(ChainMetricNames.STORE_WRITES, outcome.id()).increment();
        return new WriteAnswer(outcome, leaderName, token, message);
    }

    private boolean replicate(String peer, Replica.Entry entry) {
        try {
            Map<String, Object> answer = peers.post(peer, "replicate", entry);
            return !"fenced".equals(answer.get("applied"));
        } catch (IOException | RuntimeException e) {
            resync = true;
            return false;
        }
    }

    /** A client's read of register {@code key}. */
    public ReadAnswer read(String key) {
        faults.awaitResumed();
        if (!leader) {
            return readAnswer("not_leader", OptionalLong.empty(), "this node is not the leader");
        }
        try {
            if (!naive()) {
                long token = term;
                int confirmed = 1;
                List<CompletableFuture<Boolean>> asks = new ArrayList<>();
                for (String peer : peers.names()) {
                    asks.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return Boolean.TRUE.equals(peers.post(peer, "confirm", Map.of("token", token)).get("ok"));
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    }, calls));
                }
                for (CompletableFuture<Boolean> ask : asks) {
                    if (ask.join()) {
                        confirmed++;
                    }
                }
                if (!quorum.committed(confirmed, replicas) || !leader || term != token) {
                    return readAnswer("no_quorum", OptionalLong.empty(), "confirmed by " + confirmed + " of "
                            + replicas + " replicas, too few");
                }
            }
            return readAnswer("ok", replica.latest(key), "read on the leader");
        } catch (SQLException e) {
            return readAnswer("error", OptionalLong.empty(), "the replica failed: " + e.getMessage());
        }
    }

    private ReadAnswer readAnswer(String outcome, OptionalLong value, String message) {
        counter(ChainMetricNames.STORE_READS, outcome).increment();
        return new ReadAnswer(outcome, leaderName, value, message);
    }

    // ---- peers ----

    /** A peer's entry for this replica; what the storage did with it. */
    public Replica.Applied onReplicate(Replica.Entry entry) throws SQLException {
        faults.awaitResumed();
        Replica.Applied applied = replica.append(entry);
        count(applied);
        return applied;
    }

    private void count(Replica.Applied applied) {
        counter(ChainMetricNames.STORE_REPLICA_WRITES, applied.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    /** A new leader's fence. */
    public void onFence(long token) throws SQLException {
        faults.awaitResumed();
        replica.raiseFence(token);
        term = Math.max(term, token);
    }

    /** A leader's read confirmation: whether no token above {@code token} has reached this replica. */
    public boolean onConfirm(long token) throws SQLException {
        faults.awaitResumed();
        return replica.fenceToken() <= token;
    }

    /** A leader's heartbeat. */
    public void onHeartbeat(String from, long theirTerm, String mode, boolean again) {
        faults.awaitResumed();
        if (!mode.equals(leadership.current())) {
            return;
        }
        boolean follow;
        synchronized (this) {
            boolean higher = theirTerm > term || theirTerm == term && !leader;
            boolean tie = leader && theirTerm == term && from.compareTo(self) < 0;
            follow = higher || tie;
            if (follow) {
                if (leader) {
                    LOG.info("{} steps down: {} leads with term {} (ours {})", self, from, theirTerm, term);
                }
                leader = false;
                term = theirTerm;
                leaderName = from;
                lastLeaderNanos = nanoClock.getAsLong();
            }
        }
        if (follow && (again || !(from + "@" + theirTerm).equals(syncedWith))) {
            syncFrom(from, theirTerm);
        }
    }

    private void syncFrom(String from, long theirTerm) {
        if (!syncing.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Replica.Entry> copy = peers.entries(from);
            int dropped = replica.adopt(copy, theirTerm);
            if (dropped > 0) {
                meters.counter(ChainMetricNames.STORE_DISCARDED, ChainMetricNames.NODE, self).increment(dropped);
                LOG.info("{} took {}'s copy (term {}) and dropped {} entries it alone had", self, from, theirTerm, dropped);
            }
            syncedWith = from + "@" + theirTerm;
        } catch (IOException | SQLException | RuntimeException e) {
            syncedWith = null;
        } finally {
            syncing.set(false);
        }
    }

    /** This replica's entries (for a peer's sync, and the lab's check). */
    public List<Replica.Entry> entries() throws SQLException {
        faults.awaitResumed();
        return replica.entries();
    }

    /** This node's state, as {@code GET /store/status} shows it. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", self);
        status.put("leader", leader);
        status.put("leaderName", leaderName);
        status.put("term", term);
        status.put("leadership", leadership.current());
        status.put("fencing", fencing.current());
        status.put("entries", entries);
        status.put("replicas", replicas);
        status.put("cut", new TreeSet<>(faults.cut()));
        status.put("paused", faults.paused());
        try {
            // The session timeout the ensemble granted (0 while not connected).
            status.put("sessionTimeoutMs", curator.getZookeeperClient().getZooKeeper().getSessionTimeout());
        } catch (Exception e) {
            status.put("sessionTimeoutMs", 0);
        }
        return status;
    }

    /** Whether this node leads now. */
    public boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        election.shutdownNow();
        calls.shutdownNow();
        if (latch != null) {
            try {
                latch.close();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
    }
}
