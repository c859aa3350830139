package dev.failurelab.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the Spring Boot apps of an embedded topology, one context each, quiet on the console. */
final class SpringApps {

    private SpringApps() {
    }

    /** Runs {@code builder} with {@code args}, then every property of the instance as {@code --key=value}. */
    static AppLauncher.RunningApp run(SpringApplicationBuilder builder, List<String> args, Map<String, String> properties) {
        List<String> all = new ArrayList<>(List.of(
                // One JVM, several apps: keep the console to warnings and the lab's own events.
                "--logging.level.root=warn", "--logging.level.dev.failurelab=info",
                // A connection closed under a request is what a fault or the load's end does: the
                // meters count it; a warning per request would bury the console.
                "--logging.level.reactor.netty.http.client.HttpClientConnect=error",
                "--logging.include-application-name=false", "--spring.main.log-startup-info=false"));
        all.addAll(args);
        properties.forEach((key, value) -> all.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = builder.registerShutdownHook(false).run(all.toArray(String[]::new));
        return new AppLauncher.RunningApp() {
            @Override
            public <T> T bean(Class<T> type) {
                return context.getBean(type);
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
