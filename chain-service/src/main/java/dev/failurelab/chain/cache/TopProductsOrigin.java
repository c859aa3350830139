package dev.failurelab.chain.cache;

import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The origin of the hot key: the ten best-selling products, an aggregate over an {@code orders}
 * table in PostgreSQL. Its cost is real: {@code scanRows}, the number of orders the query scans,
 * and {@code hold}, how long it keeps its connection ({@code pg_sleep} on the server, before the
 * aggregate), as a heavy aggregate does on a busy server. The hold costs no CPU, so on a small
 * machine a stampede meets what it meets in production: a connection pool drained for seconds,
 * not a CPU that answers the first recompute before the burst arrives. Every call is measured
 * in {@code chain.cache.origin.queries} from the moment it asks the pool for a connection, so its
 * count is the load the cache lets through to the database, and a call that never got a
 * connection counts as an {@code error}.
 *
 * <p>Thread-safe: each query borrows its own pooled connection.
 */
public final class TopProductsOrigin {

    static final String QUERY = """
            SELECT product_id, count(*) AS orders, sum(quantity * price_cents) AS revenue
            FROM orders WHERE id <= ?
            GROUP BY product_id ORDER BY revenue DESC, product_id LIMIT 10""";

    private static final long SEED_LOCK = 0x6661696c7572656cL; // one seeder at a time across replicas

    private final DataSource dataSource;
    private final long scanRows;
    private volatile Duration hold;
    private final Timer succeeded;
    private final Timer failed;

    public TopProductsOrigin(DataSource dataSource, long scanRows, Duration hold, MeterRegistry registry) {
        if (scanRows < 1) {
            throw new IllegalArgumentException("scanRows must be at least 1");
        }
        this.dataSource = dataSource;
        this.scanRows = scanRows;
        hold(hold);
        this.succeeded = timer(registry, "success");
        this.failed = timer(registry, "error");
    }

    /**
     * Creates and fills the {@code orders} table up to {@code rows} rows, if it has fewer. Replicas
     * starting together take turns (an advisory lock), so the rows are inserted once.
     *
     * @return the number of rows inserted
     */
    public long seed(long rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + SEED_LOCK + ")");
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS orders (
                          id bigint PRIMARY KEY,
                          product_id int NOT NULL,
                          quantity int NOT NULL,
                          price_cents int NOT NULL,
                          created_at timestamptz NOT NULL)""");
                long existing;
                try (ResultSet count = statement.executeQuery("SELECT coalesce(max(id), 0) FROM orders")) {
                    count.next();
                    existing = count.getLong(1);
                }
                long inserted = 0;
                if (existing < rows) {
                    // Deterministic rows, so every replica and every run computes the same answer.
                    try (PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO orders (id, product_id, quantity, price_cents, created_at)
                            SELECT i, (i * 7919) % 1000, 1 + i % 5, 100 + (i * 31) % 10000,
                                   timestamptz '2026-01-01' + i * interval '1 second'
                            FROM generate_series(?::bigint, ?::bigint) AS i""")) {
                        insert.setLong(1, existing + 1);
                        insert.setLong(2, rows);
                        inserted = insert.executeUpdate();
                    }
                    statement.execute("ANALYZE orders");
                }
                connection.commit();
                return inserted;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Runs the aggregate; the value cached under the hot key (a JSON array). */
    public String topProducts() throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(QUERY)) {
            Duration holding = hold;
            if (!holding.isZero()) {
                try (PreparedStatement sleep = connection.prepareStatement("SELECT pg_sleep(?)")) {
                    sleep.setDouble(1, holding.toMillis() / 1000.0);
                    sleep.execute();
                }
            }
            query.setLong(1, scanRows);
            StringBuilder json = new StringBuilder("[");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (json.length() > 1) {
                        json.append(',');
                    }
                    json.append("{\"productId\":").append(rows.getInt(1))
                            .append(",\"orders\":").append(rows.getLong(2))
                            .append(",\"revenueCents\":").append(rows.getLong(3)).append('}');
                }
            }
            succeeded.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return json.append(']').toString();
        } catch (SQLException | RuntimeException e) {
            failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /** How long each query keeps its connection before the aggregate. */
    public Duration hold() {
        return hold;
    }

    /** Changes the hold, from the next query on. */
    public void hold(Duration next) {
        if (next == null || next.isNegative()) {
            throw new IllegalArgumentException("chain.cache.origin.hold must not be negative");
        }
        this.hold = next;
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_ORIGIN_QUERIES,
                        "Queries sent to PostgreSQL to recompute the hot key")
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }
}
