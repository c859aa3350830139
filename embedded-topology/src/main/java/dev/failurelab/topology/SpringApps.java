package dev.failurelab.topology;

import dev.failurelab.contract.InstanceRestarter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring Boot apps of an embedded topology, one context each, quiet on the console; each
 * can restart ({@link InstanceRestarter}, in its context): its context closed, a new one started
 * with the same arguments, on the same ports.
 */
final class SpringApps {

    private static final Logger LOG = LoggerFactory.getLogger(SpringApps.class);
    /** How long a restart waits before it stops the context: the call that asked for it is answered. */
    private static final long ANSWER_FIRST_MILLIS = 200;

    private SpringApps() {
    }

    /** Runs a new {@code builder} with {@code args}, then every property of the instance as {@code --key=value}. */
    static AppLauncher.RunningApp run(Supplier<SpringApplicationBuilder> builder, List<String> args,
            Map<String, String> properties) {
        List<String> all = new ArrayList<>(List.of(
                // One JVM, several apps: keep the console to warnings and the lab's own events.
                "--logging.level.root=warn", "--logging.level.dev.failurelab=info",
                // A connection closed under a request is what a fault or the load's end does: the
                // meters count it; a warning per request would bury the console.
                "--logging.level.reactor.netty.http.client.HttpClientConnect=error",
                "--logging.include-application-name=false", "--spring.main.log-startup-info=false"));
        all.addAll(args);
        properties.forEach((key, value) -> all.add("--" + key + "=" + value));
        return new SpringApp(builder, all.toArray(String[]::new));
    }

    /** A running app whose context can be replaced by a new one. */
    private static final class SpringApp implements AppLauncher.RunningApp, InstanceRestarter {
        private final Supplier<SpringApplicationBuilder> builder;
        private final String[] args;
        private final AtomicBoolean restarting = new AtomicBoolean();
        private volatile ConfigurableApplicationContext context;
        private boolean closed;

        SpringApp(Supplier<SpringApplicationBuilder> builder, String[] args) {
            this.builder = builder;
            this.args = args;
            this.context = start();
        }

        private ConfigurableApplicationContext start() {
            return builder.get().registerShutdownHook(false)
                    .initializers(c -> c.getBeanFactory().registerSingleton("instanceRestarter", this)).run(args);
        }

        @Override
        public <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        @Override
        public boolean restartSoon() {
            if (!restarting.compareAndSet(false, true)) {
                return false;
            }
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep(ANSWER_FIRST_MILLIS);
                    restart();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.error("the restart failed: the instance is down ({})", e.toString());
                } finally {
                    restarting.set(false);
                }
            }, "instance-restart");
            thread.setDaemon(true);
            thread.start();
            return true;
        }

        /** Closes the context and starts a new one, unless the app was closed meanwhile. */
        private synchronized void restart() {
            if (closed) {
                return;
            }
            context.close();
            context = start();
        }

        @Override
        public synchronized void close() {
            closed = true;
            context.close();
        }
    }
}
