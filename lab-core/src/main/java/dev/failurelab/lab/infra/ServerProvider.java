package dev.failurelab.lab.infra;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Resolves one kind of server a topology uses ({@code redis}, {@code postgres}, or a lab's own:
 * a DNS server, a registry, consensus nodes), as DESIGN's infrastructure resolution says: an
 * environment variable first, then (tests only) a container if Docker answers, else an embedded
 * server on a free port. Found with {@link ServiceLoader}: a lab registers its own in
 * {@code META-INF/services/dev.failurelab.lab.infra.ServerProvider}.
 */
public interface ServerProvider {

    /** The kind it resolves, as named in a topology's {@code server.<name>.kind}. */
    String kind();

    /**
     * Resolves a server; the caller closes it (which stops it if it was started here).
     *
     * @param env      the environment (e.g. {@code LAB_REDIS_URL})
     * @param forTests whether Testcontainers may be tried before an embedded server
     */
    ResolvedServer resolve(Map<String, String> env, boolean forTests);

    /** The provider of {@code kind} on the classpath. */
    static ServerProvider of(String kind) {
        for (ServerProvider provider : ServiceLoader.load(ServerProvider.class)) {
            if (provider.kind().equals(kind)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("no server provider for kind '" + kind + "'");
    }

    /** Redis: {@code LAB_REDIS_URL}, else a container (tests), else embedded. */
    final class Redis implements ServerProvider {
        @Override
        public String kind() {
            return "redis";
        }

        @Override
        public ResolvedServer resolve(Map<String, String> env, boolean forTests) {
            return forTests ? Infrastructure.redisForTests(env) : Infrastructure.redis(env);
        }
    }

    /** PostgreSQL: {@code LAB_POSTGRES_URL}, else a container (tests), else embedded. */
    final class Postgres implements ServerProvider {
        @Override
        public String kind() {
            return "postgres";
        }

        @Override
        public ResolvedServer resolve(Map<String, String> env, boolean forTests) {
            return forTests ? Infrastructure.postgresForTests(env) : Infrastructure.postgres(env);
        }
    }
}
