package dev.failurelab.lab.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Finds the Redis and PostgreSQL a lab runs against, in the order DESIGN.md gives: a URL from the
 * environment ({@code LAB_REDIS_URL}, {@code LAB_POSTGRES_URL}; compose sets them), otherwise a
 * real server started here on a free loopback port and stopped when the lab is done. Tests
 * ({@code *ForTests}) try Testcontainers between the two, when a Docker engine answers. Which one
 * is used is always logged.
 */
public final class Infrastructure {

    public static final String REDIS_URL_ENV = "LAB_REDIS_URL";
    public static final String POSTGRES_URL_ENV = "LAB_POSTGRES_URL";
    public static final String POSTGRES_USER_ENV = "LAB_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD_ENV = "LAB_POSTGRES_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    private Infrastructure() {
    }

    /** Redis from {@code env}'s {@value #REDIS_URL_ENV}, or an embedded redis-server. */
    public static ResolvedServer redis(Map<String, String> env) {
        return redis(env, false);
    }

    /** For tests: Redis from {@value #REDIS_URL_ENV}, else a container if Docker answers, else embedded. */
    public static ResolvedServer redisForTests(Map<String, String> env) {
        return redis(env, true);
    }

    /** PostgreSQL from {@code env}'s {@value #POSTGRES_URL_ENV} (a JDBC URL), or an embedded one. */
    public static ResolvedServer postgres(Map<String, String> env) {
        return postgres(env, false);
    }

    /** For tests: PostgreSQL from {@value #POSTGRES_URL_ENV}, else a container if Docker answers, else embedded. */
    public static ResolvedServer postgresForTests(Map<String, String> env) {
        return postgres(env, true);
    }

    private static ResolvedServer redis(Map<String, String> env, boolean tryContainers) {
        String url = env.get(REDIS_URL_ENV);
        ResolvedServer server;
        if (url != null && !url.isBlank()) {
            server = new ResolvedServer("redis", url, null, null, REDIS_URL_ENV, () -> {
            });
        } else if (tryContainers && docker()) {
            server = Containers.redis();
        } else {
            int port = FreePorts.next();
            RunRecord.Entry record = RunRecord.current().record("redis-" + port).port(port);
            try {
                // A password of its own: no other local user can reach the lab's Redis.
                String password = randomPassword();
                RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("save \"\"").setting("appendonly no").setting("requirepass " + password).build();
                java.util.Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid)
                        .collect(java.util.stream.Collectors.toSet());
                redis.start();
                // The watchdog ends it (and removes its extracted binary) if this JVM dies first.
                ProcessHandle.current().children().filter(child -> !before.contains(child.pid()))
                        .filter(child -> child.info().command().map(c -> c.contains("redis-server")).orElse(false))
                        .forEach(child -> {
                            record.pid(child.pid());
                            child.info().command().map(Path::of).map(Path::getParent).ifPresent(record::folder);
                        });
                server = new ResolvedServer("redis", "redis://default:" + password + "@127.0.0.1:" + port, null, null,
                        "embedded redis-server, stopped at exit", () -> {
                            redis.stop();
                            record.close();
                        });
            } catch (IOException e) {
                record.close();
                throw new UncheckedIOException("cannot start an embedded redis-server (set " + REDIS_URL_ENV
                        + " to use another)", e);
            }
        }
        LOG.info("using {}", server.describe());
        return server;
    }

    private static ResolvedServer postgres(Map<String, String> env, boolean tryContainers) {
        String url = env.get(POSTGRES_URL_ENV);
        ResolvedServer server;
        if (url != null && !url.isBlank()) {
            server = new ResolvedServer("postgres", url, env.getOrDefault(POSTGRES_USER_ENV, "postgres"),
                    env.getOrDefault(POSTGRES_PASSWORD_ENV, "postgres"), POSTGRES_URL_ENV, () -> {
                    });
        } else if (tryContainers && docker()) {
            server = Containers.postgres();
        } else {
            int port = FreePorts.next();
            Path data = RunRecord.current().dataFolder("postgres-" + port);
            // initdb's and the server's output go to a log beside the data, not to the console.
            Path log = RunRecord.current().dataFolder("postgres-" + port + ".log");
            // Recorded before it starts: the watchdog ends it from postmaster.pid, and removes its data.
            RunRecord.Entry record = RunRecord.current().record("postgres-" + port).port(port)
                    .pidFile(data.resolve("postmaster.pid")).folder(data).folder(log);
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                String password = requirePassword(postgres, data);
                server = new ResolvedServer("postgres", postgres.getJdbcUrl("postgres", "postgres"), "postgres",
                        password, "embedded PostgreSQL, stopped at exit", () -> {
                            postgres.close();
                            record.close();
                        });
            } catch (IOException e) {
                record.close();
                throw new UncheckedIOException("cannot start an embedded PostgreSQL (set " + POSTGRES_URL_ENV
                        + " to use another)", e);
            }
        }
        LOG.info("using {}", server.describe());
        return server;
    }

    /**
     * Embedded PostgreSQL trusts every local connection: give {@code postgres} a random password and
     * require it (SCRAM) from now on, so no other local user can reach the lab's database.
     */
    private static String requirePassword(EmbeddedPostgres postgres, Path data) throws IOException {
        String password = randomPassword();
        try (java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("ALTER USER postgres PASSWORD '" + password + "'");
            java.nio.file.Files.writeString(data.resolve("pg_hba.conf"), """
                    # Failure Lab: password (SCRAM) for everyone; the password is the run's own.
                    local all all scram-sha-256
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("cannot set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
        return password;
    }

    /** 128 random bits in hex: safe in a URL, a config line and SQL. */
    static String randomPassword() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static boolean docker() {
        boolean available = Containers.dockerAvailable();
        if (!available) {
            LOG.info("no Docker engine answers: falling back to an embedded server");
        }
        return available;
    }

    /** Whether the {@code *ForTests} methods would use Testcontainers here. */
    public static boolean containersAvailable() {
        return Containers.dockerAvailable();
    }
}
