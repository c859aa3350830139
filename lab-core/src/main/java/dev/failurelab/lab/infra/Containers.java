package dev.failurelab.lab.infra;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers step of {@link Infrastructure}: tests only, and only when a Docker engine
 * answers. Loaded only from the {@code *ForTests} methods, so Testcontainers stays off the lab's
 * runtime classpath.
 */
final class Containers {

    /** Pinned like the compose file's images. */
    static final String REDIS_IMAGE = "redis:7.4.2-alpine";
    static final String POSTGRES_IMAGE = "postgres:17.2-alpine";

    private Containers() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static ResolvedServer redis() {
        RedisContainer redis = new RedisContainer(DockerImageName.parse(REDIS_IMAGE));
        redis.start();
        return new ResolvedServer("redis", "redis://" + redis.getRedisHost() + ":" + redis.getRedisPort(), null, null,
                "Testcontainers " + REDIS_IMAGE + ", stopped at exit", redis::stop);
    }

    static ResolvedServer postgres() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
        postgres.start();
        return new ResolvedServer("postgres", postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(),
                "Testcontainers " + POSTGRES_IMAGE + ", stopped at exit", postgres::stop);
    }
}
