package dev.failurelab.lab.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis and PostgreSQL resolved as DESIGN.md says: a URL if given, a container in tests if Docker answers, otherwise real embedded servers. */
class InfrastructureIT {

    @Test
    void withoutAUrl_anEmbeddedRedisStarts_answersPing_andStopsOnClose() throws Exception {
        URI url;
        try (ResolvedServer redis = Infrastructure.redis(Map.of())) {
            assertThat(redis.source()).startsWith("embedded");
            url = URI.create(redis.url());
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getUserInfo()).as("a password of the run's own").matches("default:[0-9a-f]{32}");
            assertThat(ping(url)).isEqualTo("+PONG");
            assertThat(pingWithout(url)).as("another local user, without the password").startsWith("-NOAUTH");
        }
        assertThatThrownBy(() -> ping(url)).as("stopped on close").isInstanceOf(IOException.class);
    }

    @Test
    void withAUrl_thatServerIsUsed_andNothingIsStarted() {
        try (ResolvedServer redis = Infrastructure.redis(Map.of(Infrastructure.REDIS_URL_ENV, "redis://cache:6379"))) {
            assertThat(redis.url()).isEqualTo("redis://cache:6379");
            assertThat(redis.source()).isEqualTo(Infrastructure.REDIS_URL_ENV);
            assertThat(redis.describe()).isEqualTo("redis: redis://cache:6379 (LAB_REDIS_URL)");
        }
        try (ResolvedServer postgres = Infrastructure.postgres(Map.of(Infrastructure.POSTGRES_URL_ENV,
                "jdbc:postgresql://db:5432/lab", Infrastructure.POSTGRES_USER_ENV, "lab"))) {
            assertThat(postgres.url()).isEqualTo("jdbc:postgresql://db:5432/lab");
            assertThat(postgres.user()).isEqualTo("lab");
            assertThat(postgres.describe()).as("the user's own password is never printed").doesNotContain("password");
        }
    }

    @Test
    void withoutAUrl_anEmbeddedPostgresStarts_runsAQuery_andStopsOnClose() throws Exception {
        String url;
        try (ResolvedServer postgres = Infrastructure.postgres(Map.of())) {
            url = postgres.url();
            assertThat(postgres.source()).startsWith("embedded");
            try (Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
                    ResultSet result = connection.createStatement().executeQuery("select count(*) from generate_series(1, 1000)")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(1000);
            }
            assertThat(postgres.password()).matches("[0-9a-f]{32}");
            assertThat(postgres.describe()).as("how to log in to the run's own server")
                    .contains("user postgres password " + postgres.password());
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                    .as("another local user, without the run's password").isInstanceOf(java.sql.SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                .as("stopped on close").isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void forTests_withoutAUrl_aContainerIfDockerAnswers_elseAnEmbeddedServer_andItSaysWhich() throws Exception {
        String expected = Infrastructure.containersAvailable() ? "Testcontainers" : "embedded";
        try (ResolvedServer redis = Infrastructure.redisForTests(Map.of())) {
            assertThat(redis.source()).as("Docker answers: %s", Infrastructure.containersAvailable()).startsWith(expected);
            assertThat(ping(URI.create(redis.url()))).isEqualTo("+PONG");
        }
        try (ResolvedServer postgres = Infrastructure.postgresForTests(Map.of());
                Connection connection = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password())) {
            assertThat(postgres.source()).startsWith(expected);
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void forTests_withAUrl_thatServerIsUsed_evenWhenDockerAnswers() {
        try (ResolvedServer redis = Infrastructure.redisForTests(Map.of(Infrastructure.REDIS_URL_ENV, "redis://cache:6379"))) {
            assertThat(redis.source()).isEqualTo(Infrastructure.REDIS_URL_ENV);
        }
    }

    /** PING, after AUTH with the URL's password if it has one: the PING's answer. */
    private static String ping(URI redis) throws IOException {
        return redis.getUserInfo() == null ? command(redis, "PING", 1)
                : command(redis, "AUTH " + redis.getUserInfo().replace(':', ' ') + "\r\nPING", 2);
    }

    private static String pingWithout(URI redis) throws IOException {
        return command(redis, "PING", 1);
    }

    /** Sends {@code commands} and returns the last of {@code answers} one-line answers. */
    private static String command(URI redis, String commands, int answers) throws IOException {
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((commands + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String last = "";
            for (int i = 0; i < answers; i++) {
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
                last = line.toString();
            }
            return last;
        }
    }
}
