package dev.failurelab.lab.load;

import java.util.function.Consumer;

/**
 * An open-loop load running in a daemon thread until its spec's end or {@link #close}.
 *
 * <p>Concurrency: closed from any thread.
 */
public final class BackgroundLoad implements RunningLoad {

    private final OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
    private final Thread thread;
    private final double rate;

    private BackgroundLoad(LoadSpec spec, String name, Consumer<RuntimeException> failed) {
        this.rate = spec.schedule().get(spec.schedule().size() - 1).rate();
        this.thread = new Thread(() -> {
            try {
                generator.run(spec);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }, name);
        thread.setDaemon(true);
    }

    /**
     * Starts {@code spec} in a daemon thread named {@code name}; {@code failed} hears of a failure
     * that ends it early (never of {@link #close}).
     */
    public static BackgroundLoad start(LoadSpec spec, String name, Consumer<RuntimeException> failed) {
        BackgroundLoad load = new BackgroundLoad(spec, name, failed);
        load.thread.start();
        return load;
    }

    @Override
    public double rate() {
        return rate;
    }

    @Override
    public void close() {
        thread.interrupt();
        generator.close();
    }
}
