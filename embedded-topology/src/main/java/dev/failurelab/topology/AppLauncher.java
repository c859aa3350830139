package dev.failurelab.topology;

import dev.failurelab.lab.infra.ResolvedServer;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Endpoints;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Starts one kind of app of a topology in this JVM ({@code chain}, {@code fault-injector}, or a
 * lab's own: shard servers, a registry, …). Found with {@link ServiceLoader}: a lab registers its
 * own in {@code META-INF/services/dev.failurelab.topology.AppLauncher}, so a new shape needs no
 * change to {@link EmbeddedTopology}.
 */
public interface AppLauncher {

    /** The kind it starts, as named in a topology's {@code app.<name>.kind}. */
    String kind();

    /** Starts one instance; it must be serving on {@code instance.port()} when this returns. */
    RunningApp start(Instance instance);

    /**
     * One instance to start.
     *
     * @param app        its app
     * @param name       the instance's name ({@code bottom}, or {@code shard-3})
     * @param port       its port
     * @param managementPort the port of its actuator and admin API (its own port if it has none apart)
     * @param endpoints  where every app of the topology answers (loopback)
     * @param servers    the servers it uses, by name, resolved
     * @param properties its properties: the app's fixed ones, then the lab's, then the user's
     * @param bind       the address its ports listen on (loopback unless the user says otherwise)
     */
    record Instance(AppSpec app, String name, int port, int managementPort, Endpoints endpoints,
            Map<String, ResolvedServer> servers, Map<String, String> properties, String bind) {
    }

    /** A started instance. */
    interface RunningApp extends AutoCloseable {

        /** A bean of its application context (e.g. the injector's proxies), if it has one. */
        <T> T bean(Class<T> type);

        /** Stops it. */
        @Override
        void close();
    }

    /** The launcher of {@code kind} on the classpath. */
    static AppLauncher of(String kind) {
        for (AppLauncher launcher : ServiceLoader.load(AppLauncher.class)) {
            if (launcher.kind().equals(kind)) {
                return launcher;
            }
        }
        throw new IllegalArgumentException("no app launcher for kind '" + kind + "'");
    }
}
