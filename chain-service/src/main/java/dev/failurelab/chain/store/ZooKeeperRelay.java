package dev.failurelab.chain.store;

import dev.failurelab.chain.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The link between a store node and the ZooKeeper ensemble, as a partition cuts it: one loopback TCP
 * relay per ensemble server, which the node's ZooKeeper client connects through, so that the node's
 * session expires on the ensemble exactly as behind a real partition; mended, it relays again.
 *
 * <p>Cut, it passes nothing and tells nobody: the connections it carries stay open and their bytes
 * are dropped, new ones are held open in silence. The client notices only by its own read timeout
 * (two thirds of the session), as behind a real partition, and the ensemble expires the session on
 * time. Mended, it closes the connections it cut (their streams lost bytes) and relays new ones.
 *
 * <p>Concurrency: thread-safe (a volatile cut; the sockets in concurrent sets).
 */
public final class ZooKeeperRelay implements AutoCloseable {

    private final List<ServerSocket> listeners = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("zookeeper-relay"));
    private final String connectString;
    private volatile boolean cut;

    /** Relays to each server of {@code connectString} (host:port,host:port,...; an optional /chroot stays). */
    public ZooKeeperRelay(String connectString) {
        String chroot = "";
        String servers = connectString;
        int slash = connectString.indexOf('/');
        if (slash >= 0) {
            chroot = connectString.substring(slash);
            servers = connectString.substring(0, slash);
        }
        List<String> local = new ArrayList<>();
        try {
            for (String server : servers.split(",")) {
                String[] hostPort = server.trim().split(":");
                InetSocketAddress target = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                listeners.add(listener);
                local.add("127.0.0.1:" + listener.getLocalPort());
                threads.execute(() -> accept(listener, target));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalArgumentException("chain.store.zookeeper must be host:port[,host:port...], not '"
                    + connectString + "': " + e.getMessage(), e);
        }
        this.connectString = String.join(",", local) + chroot;
    }

    /** The connect string of the relays, for the node's client. */
    public String connectString() {
        return connectString;
    }

    /** Cuts the link (true) or mends it (false). */
    public void cut(boolean cut) {
        boolean was = this.cut;
        this.cut = cut;
        if (was && !cut) {
            open.forEach(ZooKeeperRelay::quietClose);
            open.clear();
            held.forEach(ZooKeeperRelay::quietClose);
            held.clear();
        }
    }

    /** Whether the link is cut. */
    public boolean isCut() {
        return cut;
    }

    private void accept(ServerSocket listener, InetSocketAddress target) {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                held.add(client); // a blackhole: connected, and silent
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(target, 1000);
                open.add(client);
                open.add(server);
                threads.execute(() -> pump(client, server));
                threads.execute(() -> pump(server, client));
            } catch (IOException e) {
                quietClose(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (cut) {
                    continue; // dropped, in silence
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed, or the link was cut
        } finally {
            quietClose(from);
            quietClose(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void quietClose(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        listeners.forEach(ZooKeeperRelay::quietClose);
        open.forEach(ZooKeeperRelay::quietClose);
        held.forEach(ZooKeeperRelay::quietClose);
        threads.shutdownNow();
    }
}
