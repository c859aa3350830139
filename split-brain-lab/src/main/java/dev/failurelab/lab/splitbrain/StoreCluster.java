package dev.failurelab.lab.splitbrain;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Endpoints;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The store's nodes as the lab and its drill strike them: who leads, and the {leader} | {the rest}
 * partition, both through the nodes' own APIs.
 *
 * <p>Stateless beyond its addresses; thread-safe.
 */
final class StoreCluster {

    /** The store's app in a topology. */
    static final String STORE = "store";

    private final StoreClient client;
    private final AdminHttp http = new AdminHttp();
    private final List<String> names;
    private final List<URI> urls;
    private final List<URI> admins;

    StoreCluster(Endpoints endpoints, StoreClient client) {
        this.client = client;
        this.names = endpoints.topology().app(STORE).orElseThrow().instanceNames();
        this.urls = endpoints.urls(STORE);
        this.admins = endpoints.managements(STORE);
    }

    List<String> names() {
        return names;
    }

    List<URI> urls() {
        return urls;
    }

    List<URI> admins() {
        return admins;
    }

    /** Whether node {@code index} says it leads now. */
    boolean leads(int index) {
        var status = client.status(urls.get(index));
        return status != null && status.path("leader").asBoolean();
    }

    /** The links node {@code index} has cut now (none if it does not answer). */
    Set<String> cut(int index) {
        var status = client.status(urls.get(index));
        Set<String> cut = new TreeSet<>();
        if (status != null) {
            status.path("cut").forEach(link -> cut.add(link.asString()));
        }
        return cut;
    }

    /**
     * Waits (no load) until exactly one node leads under {@code leadership} and the others follow it,
     * steadily for a second; returns its index.
     *
     * @throws IllegalStateException if none does within {@code limit}
     */
    int awaitOneLeader(String leadership, Duration limit, Consumer<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            List<String> leaders = new ArrayList<>();
            Set<String> followed = new TreeSet<>();
            for (int i = 0; i < names.size(); i++) {
                var status = client.status(urls.get(i));
                if (status == null || !leadership.equals(status.path("leadership").asString())) {
                    followed.add("?");
                    continue;
                }
                if (status.path("leader").asBoolean()) {
                    leaders.add(names.get(i));
                } else {
                    followed.add(status.path("leaderName").asString(""));
                }
            }
            String one = leaders.size() == 1 && followed.equals(Set.of(leaders.get(0))) ? leaders.get(0) : null;
            if (one != null && one.equals(last)) {
                if (System.nanoTime() - since >= TimeUnit.SECONDS.toNanos(1)) {
                    progress.accept(one + " leads (" + leadership + ")");
                    return names.indexOf(one);
                }
            } else {
                last = one;
                since = System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no single leader among " + names + " within " + limit.toSeconds()
                + " s under " + leadership + " leadership");
    }

    /**
     * {@code {struck} | {the others}}: node {@code struck} cut from its peers and from ZooKeeper,
     * both ways, for {@code ttl}; the partition in words.
     */
    String partition(int struck, Duration ttl) {
        String node = names.get(struck);
        List<String> others = names.stream().filter(n -> !n.equals(node)).toList();
        List<String> cut = new ArrayList<>(others);
        cut.add("zookeeper");
        for (int i = 0; i < names.size(); i++) {
            List<String> links = i == struck ? cut : List.of(node);
            http.send("PUT", admins.get(i).resolve("/admin/network-partition"), String.format(Locale.ROOT,
                    "{\"cut\":[%s],\"ttl\":\"%dms\"}", links.stream().map(l -> "\"" + l + "\"")
                            .collect(Collectors.joining(",")), ttl.toMillis()));
        }
        return "{" + node + "} | {" + String.join(", ", others) + "}";
    }

    /** Every node's partition healed and pause ended; best effort (they have TTLs). */
    void heal() {
        http.deleteEach(admins, List.of("/admin/network-partition", "/admin/pause"));
    }

    /** The index of a node that leads now, other than {@code except}, or -1. */
    int leaderOtherThan(int except) {
        return IntStream.range(0, names.size()).filter(i -> i != except).filter(this::leads).findFirst().orElse(-1);
    }
}
