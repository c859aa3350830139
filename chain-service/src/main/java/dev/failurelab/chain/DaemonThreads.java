package dev.failurelab.chain;

import java.util.concurrent.ThreadFactory;

/**
 * Background threads of the chain service: daemons, named, and with this application's class
 * loader as their context class loader. A pool starts its thread on first use, often from a web
 * server's request thread; the thread would otherwise keep that server's class loader, which the
 * server reports as a leak when it stops.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory of daemon threads called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setContextClassLoader(DaemonThreads.class.getClassLoader());
            return thread;
        };
    }
}
