package dev.failurelab.chain.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One store node's replica: a schema of its own in PostgreSQL ({@code store_1} for store-1) with its
 * entries and its fence, the highest fencing token it has seen. The fence is the storage's, not the
 * node's: {@code append(...)} is a PL/pgSQL function that takes the fence's row lock, and, where the
 * fence is enforced, refuses an entry whose token is below it (SQLSTATE {@value #FENCED_STATE}), as
 * Kleppmann's fencing tokens ask of the storage.
 *
 * <p>A register (a key) holds the value of its last entry in log order: by token, then by the
 * leader's position within its token.
 *
 * <p>Concurrency: thread-safe (each call its own connection; the fence row serializes appends).
 */
public final class Replica implements AutoCloseable {

    /** The SQLSTATE of a write the fence refused. */
    public static final String FENCED_STATE = "FL001";

    /** One entry of the log: a client's write as a leader ordered it. */
    public record Entry(String id, String key, long value, long token, long pos) {
    }

    /** What the storage did with an appended entry. */
    public enum Applied {
        /** Stored; its token is the highest seen. */
        APPLIED,
        /** Stored although its token is below one seen (the fence is not enforced). */
        STALE,
        /** Refused by the fence. */
        FENCED
    }

    private final HikariDataSource pool;
    private final String schema;

    public Replica(StoreProperties.Postgres postgres, String node) {
        this.schema = "store_" + node.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.url());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(2000);
        config.setPoolName(schema);
        this.pool = new HikariDataSource(config);
        create();
    }

    /** The schema's name. */
    public String schema() {
        return schema;
    }

    private void create() {
        String s = schema;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("create schema if not exists " + s);
            st.execute("create table if not exists " + s + ".entries (id text primary key, key text not null,"
                    + " value bigint not null, token bigint not null, pos bigint not null,"
                    + " stored_at timestamptz not null default clock_timestamp())");
            st.execute("create index if not exists entries_order on " + s + ".entries (key, token desc, pos desc)");
            st.execute("create table if not exists " + s + ".fence (one int primary key default 1 check (one = 1),"
                    + " token bigint not null, enforced boolean not null)");
            st.execute("insert into " + s + ".fence (one, token, enforced) values (1, 0, false) on conflict do nothing");
            st.execute("create or replace function " + s + ".append(p_id text, p_key text, p_value bigint,"
                    + " p_token bigint, p_pos bigint) returns text language plpgsql as $$\n"
                    + "declare f record;\n"
                    + "begin\n"
                    + "  select token, enforced into f from " + s + ".fence where one = 1 for update;\n"
                    + "  if p_token < f.token then\n"
                    + "    if f.enforced then\n"
                    + "      raise exception 'fenced: token % is below % in " + s + "', p_token, f.token"
                    + " using errcode = '" + FENCED_STATE + "';\n"
                    + "    end if;\n"
                    + "    insert into " + s + ".entries (id, key, value, token, pos)"
                    + " values (p_id, p_key, p_value, p_token, p_pos) on conflict (id) do nothing;\n"
                    + "    return 'stale';\n"
                    + "  end if;\n"
                    + "  update " + s + ".fence set token = p_token where one = 1;\n"
                    + "  insert into " + s + ".entries (id, key, value, token, pos)"
                    + " values (p_id, p_key, p_value, p_token, p_pos) on conflict (id) do nothing;\n"
                    + "  return 'applied';\n"
                    + "end $$");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the replica's schema " + s + ": " + e.getMessage(), e);
        }
    }

    /** Appends an entry through the storage's fence. */
    public Applied append(Entry entry) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("select " + schema + ".append(?, ?, ?, ?, ?)")) {
            ps.setString(1, entry.id());
            ps.setString(2, entry.key());
            ps.setLong(3, entry.value());
            ps.setLong(4, entry.token());
            ps.setLong(5, entry.pos());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "stale".equals(rs.getString(1)) ? Applied.STALE : Applied.APPLIED;
            }
        } catch (SQLException e) {
            if (FENCED_STATE.equals(e.getSQLState())) {
                return Applied.FENCED;
            }
            throw e;
        }
    }

    /** Raises the fence to {@code token} (a new leader's epoch); a lower one leaves it. */
    public void raiseFence(long token) throws SQLException {
        update("update " + schema + ".fence set token = greatest(token, ?) where one = 1", token);
    }

    /** The highest token the storage has seen. */
    public long fenceToken() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select token from " + schema + ".fence")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether the storage refuses lower tokens. */
    public void enforceFence(boolean enforced) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("update " + schema + ".fence set enforced = ?")) {
            ps.setBoolean(1, enforced);
            ps.executeUpdate();
        }
    }

    /** The value of a register: its last entry in log order, if it has one. */
    public OptionalLong latest(String key) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("select value from "
                + schema + ".entries where key = ? order by token desc, pos desc, id desc limit 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Every entry, in log order. */
    public List<Entry> entries() throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select id, key, value, token, pos from " + schema + ".entries order by token, pos, id")) {
            while (rs.next()) {
                entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return entries;
    }

    /** How many entries it holds. */
    public long count() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from " + schema + ".entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Adds the entries it lacks (a new leader gathering a majority's log); returns how many. */
    public int merge(List<Entry> entries) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            lockFence(c);
            int added = insertMissing(c, entries);
            c.commit();
            return added;
        }
    }

    /**
     * Takes a leader's copy: adds what it lacks, and drops its own entries of a lower token the leader
     * does not have (writes no majority kept, or a deposed leader's). Entries of the leader's own token
     * it already has stay (they may have arrived after the copy was taken). Returns the entries dropped.
     */
    public int adopt(List<Entry> leaders, long leaderToken) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            lockFence(c);
            insertMissing(c, leaders);
            int dropped;
            Array ids = c.createArrayOf("text", leaders.stream().map(Entry::id).toArray());
            try (PreparedStatement ps = c.prepareStatement("delete from " + schema
                    + ".entries where token < ? and not (id = any (?))")) {
                ps.setLong(1, leaderToken);
                ps.setArray(2, ids);
                dropped = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update " + schema
                    + ".fence set token = greatest(token, ?)")) {
                ps.setLong(1, leaderToken);
                ps.executeUpdate();
            }
            c.commit();
            return dropped;
        }
    }

    /** Takes the fence's row lock first, as append does: one lock order, no deadlock. */
    private void lockFence(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("select token from " + schema + ".fence where one = 1 for update");
        }
    }

    private int insertMissing(Connection c, List<Entry> entries) throws SQLException {
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("insert into " + schema
                + ".entries (id, key, value, token, pos) values (?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            for (Entry e : entries) {
                ps.setString(1, e.id());
                ps.setString(2, e.key());
                ps.setLong(3, e.value());
                ps.setLong(4, e.token());
                ps.setLong(5, e.pos());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                added += Math.max(n, 0);
            }
        }
        return added;
    }

    private void update(String sql, long value) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, value);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
