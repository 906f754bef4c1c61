package org.fabai.apc.thread;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link ThreadStateStore} over JDBC. The default is an embedded SQLite file
 * ({@link #sqlite(Path)}); the same SQL runs against PostgreSQL ({@link #open(String, String)}).
 *
 * <h2>Durability</h2>
 * Every {@link #commit} is one database transaction: the thread rows, the run ledger rows and the
 * audit rows are written together or not at all, and {@code commit} returns only after the
 * database has committed. For SQLite the connection sets {@code journal_mode=WAL} and
 * {@code synchronous=FULL}: a commit appends to the write-ahead log and fsyncs it before returning,
 * so an acknowledged update survives a killed process and a power loss; a transaction cut short
 * leaves only an incomplete WAL tail that SQLite ignores on the next open, so no half-written state
 * is ever read. WAL was chosen over the rollback journal because a commit costs one sequential
 * fsync of the log instead of journal plus database syncs, and readers do not block the writer.
 * ({@code synchronous=NORMAL} in WAL mode would survive a killed process but could lose the last
 * commits on power loss — not good enough for an acknowledged control update.) PostgreSQL is
 * durable on commit with its default {@code synchronous_commit=on}.
 *
 * <h2>Concurrency</h2>
 * Writers are serialised per thread by an optimistic version check: a thread row is updated with
 * {@code WHERE version = expected}, and creating one relies on its primary key; a lost race raises
 * {@link StaleStateException}, the caller reloads and retries. The run ledger's primary key
 * {@code (thread_key, run_id)} makes a replayed run id fail with {@link DuplicateRunException}. One
 * connection is used; methods are synchronized, so the store is thread-safe.
 *
 * <p>Several processes may share one store. SQLite transactions begin with {@code BEGIN IMMEDIATE}
 * (the write lock is taken before anything is read, so no transaction ever holds a read snapshot
 * that another process's commit made stale) and wait up to 10 s for the lock. Every operation is
 * one transaction that is run again from its start — up to {@value #MAX_ATTEMPTS} attempts, with
 * jittered exponential back-off — when the database is busy or locked, when PostgreSQL reports a
 * serialization failure or deadlock, or when the connection was lost (it is opened again first,
 * so a restarted server is picked up; reconnecting goes on for up to 30 s). A retried commit cannot apply twice: the version check and
 * the run ledger's key refuse a commit that in fact went through before the connection dropped
 * ({@link StaleStateException} / {@link DuplicateRunException}). Creating the tables is one
 * transaction, retried when two processes race to create them.
 *
 * <h2>Schema (format version 2)</h2>
 * <pre>
 * {prefix}thread(thread_key TEXT PRIMARY KEY, kind TEXT, state TEXT, last_seq BIGINT, version BIGINT,
 *                updated_ms BIGINT, format INTEGER, provenance TEXT)
 * {prefix}run(thread_key TEXT, run_id TEXT, seq BIGINT, input DOUBLE PRECISION, output DOUBLE PRECISION,
 *             status TEXT, PRIMARY KEY(thread_key, run_id))
 * {prefix}audit(thread_key TEXT, version BIGINT, kind TEXT, run_id TEXT, detail TEXT,
 *               PRIMARY KEY(thread_key, version, kind, run_id))
 * {prefix}long_key(thread_key TEXT PRIMARY KEY, context_key TEXT)
 * </pre>
 * {@code thread_key} is {@link Context#key()} when that is at most {@value #INDEX_KEY_BYTES} UTF-8
 * bytes; a longer key (up to {@link Context#MAX_KEY_BYTES}) would not fit a database's index entry
 * (PostgreSQL's btree refuses entries over about 2.7 KB), so it is stored under
 * {@code =sha256:} and the SHA-256 of its UTF-8 bytes in hex (a form no context key has: keys start
 * with a dimension name), and {@code long_key} maps that digest back to the whole key; the row
 * checksum covers the whole key. {@code state} is the controller state as
 * comma-separated decimal doubles in Java's shortest round-trip form ({@link Double#toString(double)}),
 * so it is exact and readable by any tool, followed by {@code #} and a CRC-32C (8 hex digits) of the
 * whole row, so that a damaged or hand-edited row is an error when read, not another state; {@code provenance} names the library version and the
 * estimator and controller configuration that produced the state.
 *
 * <p>Format 2 differs from format 1 only in what the kind {@code dewma} means: in format 1 it was
 * Holt's smoother, since format 2 it is the Butler–Stefani double EWMA. A format-1 row of kind
 * {@code dewma} is therefore read as kind {@code holt} (its state unchanged); a policy that uses
 * {@code dewma} migrates it (see {@code ControlThreads}). Rows are written in format 2.
 */
public final class JdbcThreadStateStore implements ThreadStateStore {

    /** Version of the stored layout, written to every thread row. */
    public static final int FORMAT = 2;

    /** The earlier layout, still read: its kind {@code dewma} is Holt's smoother. */
    static final int FORMAT_HOLT_DEWMA = 1;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcThreadStateStore.class);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,30}");

    /** Longest context key, in UTF-8 bytes, stored as it is in {@code thread_key}; longer keys are stored by digest. */
    public static final int INDEX_KEY_BYTES = 1024;

    /** Attempts of one operation when the database is busy or the connection was lost. */
    static final int MAX_ATTEMPTS = 8;

    /**
     * How long an operation keeps trying to reconnect after losing its connection (at least
     * {@value #MAX_ATTEMPTS} attempts): a server restart with crash recovery takes seconds.
     */
    static final long RECONNECT_WINDOW_MS = 30_000;

    private final String url;
    private final String prefix;
    private final boolean sqlite;
    private final javax.sql.DataSource dataSource;
    private Connection conn;

    private JdbcThreadStateStore(String url, String prefix, Connection conn, javax.sql.DataSource dataSource) {
        this.url = url;
        this.prefix = prefix;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        this.conn = conn;
        this.dataSource = dataSource;
    }

    /** One database operation, run again from the start when it fails transiently. */
    @FunctionalInterface
    private interface Work<T> {
        T run(String[] step) throws SQLException;
    }

    /**
     * Runs one transaction, retrying it (from its start, after a rollback) up to
     * {@value #MAX_ATTEMPTS} times with jittered exponential back-off when the database is busy or
     * locked (another process holds SQLite's write lock past the busy timeout) or when PostgreSQL
     * reports a serialization failure or deadlock; when the connection was lost it is opened again
     * and the transaction retried for up to {@value #RECONNECT_WINDOW_MS} ms. Any other failure is
     * a {@link StoreException} at once.
     */
    private <T> T transaction(String op, Work<T> work) {
        String[] step = {op};
        long start = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            try {
                ensureConnection();
                T result = work.run(step);
                releasePooled();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                boolean lost = JdbcConnections.connectionLost(e);
                boolean again = lost ? attempt < MAX_ATTEMPTS || System.nanoTime() - start < RECONNECT_WINDOW_MS * 1_000_000L
                        : JdbcConnections.busy(e) && attempt < MAX_ATTEMPTS;
                if (!again) {
                    releasePooled();
                    throw fail(step[0] + (attempt > 1 ? " (attempt " + attempt + (lost ? ", " + (System.nanoTime() - start)
                            / 1_000_000_000L + " s after the first" : " of " + MAX_ATTEMPTS) + ")" : ""), e);
                }
                LOG.warn("thread store {}: {} failed transiently (attempt {} of {}): {}", JdbcConnections.redact(url), step[0], attempt,
                        MAX_ATTEMPTS, e.getMessage());
                if (lost) {
                    JdbcConnections.closeQuietly(conn);
                    conn = null;
                }
                releasePooled();
                JdbcConnections.backOff(attempt);
            } catch (RuntimeException e) {
                rollbackQuietly();
                releasePooled();
                throw e;
            }
        }
    }

    /** With a {@link javax.sql.DataSource}, the connection goes back to the user's pool after every transaction. */
    private void releasePooled() {
        if (dataSource != null && conn != null) {
            JdbcConnections.closeQuietly(conn);
            conn = null;
        }
    }

    private void ensureConnection() throws SQLException {
        if (conn != null && !sqlite && dataSource == null && !conn.isValid(5)) {
            // a server restart or a terminated session: found before the transaction, not half-way
            // through a batch (where the PostgreSQL driver reports it less cleanly)
            LOG.warn("thread store {}: connection lost; opening a new one", JdbcConnections.redact(url));
            JdbcConnections.closeQuietly(conn);
            conn = null;
        }
        if (conn == null) {
            Connection c = sqlite ? JdbcConnections.sqliteConnection(url) : dataSource != null ? dataSource.getConnection()
                    : DriverManager.getConnection(url);
            c.setAutoCommit(false);
            conn = c;
            if (dataSource == null) {
                LOG.info("thread store {}: connection re-opened", JdbcConnections.redact(url));
            }
        }
    }

    /**
     * Opens (creating if needed) an embedded SQLite store with WAL and synchronous=FULL.
     *
     * @param file database file
     * @return the store
     * @throws StoreException when the file cannot be opened
     */
    public static JdbcThreadStateStore sqlite(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection c = null;
        try {
            c = JdbcConnections.sqliteConnection(url);
            return init(url, "apc_", c, null);
        } catch (SQLException e) {
            JdbcConnections.closeQuietly(c);
            throw new StoreException("SQLite store " + file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a store on any JDBC URL (e.g. {@code jdbc:postgresql://host:5432/db?user=u&password=p}).
     *
     * @param jdbcUrl the URL
     * @param prefix  table name prefix, {@code [a-z][a-z0-9_]*} (e.g. {@code apc_})
     * @return the store
     * @throws StoreException when the database cannot be reached or the tables cannot be created
     */
    public static JdbcThreadStateStore open(String jdbcUrl, String prefix) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(jdbcUrl);
            return init(jdbcUrl, prefix, c, null);
        } catch (SQLException e) {
            JdbcConnections.closeQuietly(c);
            String hint = e.getMessage() != null && e.getMessage().startsWith("No suitable driver")
                    ? " (the JDBC drivers are optional dependencies of fabai-apc: add the database's driver, e.g. "
                    + "org.postgresql:postgresql, to your project)" : "";
            throw new StoreException("JDBC store " + JdbcConnections.redact(jdbcUrl) + ": cannot open: " + e.getMessage() + hint, e);
        }
    }

    /**
     * Opens a store on the user's {@link javax.sql.DataSource} (typically a connection pool, e.g.
     * HikariCP or the driver's own): every operation borrows a connection for its one transaction
     * and gives it back, so the pool's validation, fail-over and limits apply; a connection lost
     * half-way is retried on a fresh one as with {@link #open(String, String)}. For SQLite use
     * {@link #sqlite(Path)}, which sets the transaction mode and journal that several processes need.
     *
     * @param dataSource where connections come from
     * @param prefix     table name prefix, {@code [a-z][a-z0-9_]*} (e.g. {@code apc_})
     * @return the store
     * @throws StoreException           when no connection can be had or the tables cannot be created
     * @throws IllegalArgumentException for a SQLite data source or a bad prefix
     */
    public static JdbcThreadStateStore open(javax.sql.DataSource dataSource, String prefix) {
        java.util.Objects.requireNonNull(dataSource, "dataSource");
        String name = "DataSource " + dataSource.getClass().getName();
        Connection c = null;
        try {
            c = dataSource.getConnection();
            String product = c.getMetaData().getDatabaseProductName();
            String where = name + " (" + product + " at " + JdbcConnections.redact(String.valueOf(c.getMetaData().getURL())) + ")";
            if ("SQLite".equalsIgnoreCase(product)) {
                JdbcConnections.closeQuietly(c);
                throw new IllegalArgumentException(where + ": use JdbcThreadStateStore.sqlite(Path) for SQLite (it sets "
                        + "BEGIN IMMEDIATE, the busy timeout and WAL that several writers need)");
            }
            JdbcThreadStateStore s = init(where, prefix, c, dataSource);
            s.releasePooled();
            return s;
        } catch (SQLException e) {
            JdbcConnections.closeQuietly(c);
            throw new StoreException("JDBC store on " + name + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static JdbcThreadStateStore init(String url, String prefix, Connection c, javax.sql.DataSource ds)
            throws SQLException {
        if (!PREFIX.matcher(prefix).matches()) {
            JdbcConnections.closeQuietly(c);
            throw new IllegalArgumentException("table prefix must match [a-z][a-z0-9_]{0,30}, got '" + prefix + "'");
        }
        c.setAutoCommit(false);
        // CREATE TABLE IF NOT EXISTS is not race-safe in PostgreSQL: two sessions creating the same
        // table at once fail one of them on pg_type's unique index. One transaction for the three
        // tables, run again when it loses such a race (the second attempt finds them).
        for (int attempt = 1;; attempt++) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "thread (thread_key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                        + "state TEXT NOT NULL, last_seq BIGINT NOT NULL, version BIGINT NOT NULL, updated_ms BIGINT NOT NULL, "
                        + "format INTEGER NOT NULL, provenance TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "run (thread_key TEXT NOT NULL, run_id TEXT NOT NULL, "
                        + "seq BIGINT NOT NULL, input DOUBLE PRECISION, output DOUBLE PRECISION, status TEXT NOT NULL, "
                        + "PRIMARY KEY (thread_key, run_id))");
                s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "audit (thread_key TEXT NOT NULL, version BIGINT NOT NULL, "
                        + "kind TEXT NOT NULL, run_id TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (thread_key, version, kind, run_id))");
                s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "long_key (thread_key TEXT PRIMARY KEY, context_key TEXT NOT NULL)");
                c.commit();
                break;
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                // 42P07 duplicate table, 42710 duplicate object (the table's row type, created a moment
                // before by a simultaneous open), 23xxx the same caught by pg_type's unique index
                boolean race = JdbcConnections.constraintViolation(e) || "42P07".equals(e.getSQLState())
                        || "42710".equals(e.getSQLState()) || JdbcConnections.busy(e);
                if (!race || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("schema creation lost a race (attempt {}): {}", attempt, e.getMessage());
                JdbcConnections.backOff(attempt);
            }
        }
        LOG.debug("thread store open at {} (prefix {})", JdbcConnections.redact(url), prefix);
        return new JdbcThreadStateStore(url, prefix, c, ds);
    }

    private StoreException fail(String op, SQLException e) {
        return new StoreException("thread store " + JdbcConnections.redact(url) + ": " + op + " failed: " + e.getMessage(), e);
    }

    private void rollbackQuietly() {
        if (conn == null) {
            return;
        }
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback on {} failed: {}", JdbcConnections.redact(url), e.getMessage());
        }
    }

    private static final String COLS = "thread_key, kind, state, last_seq, version, updated_ms, format, provenance";

    @Override
    public synchronized Optional<ThreadRecord> load(Context context) {
        return transaction("load " + context.key(), step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + COLS + " FROM " + prefix + "thread WHERE thread_key = ?")) {
                ps.setString(1, ThreadRows.indexKey(context.key()));
                try (ResultSet rs = ps.executeQuery()) {
                    Optional<ThreadRecord> r = rs.next() ? Optional.of(ThreadRows.read(rs, context.key())) : Optional.empty();
                    conn.commit();
                    return r;
                }
            }
        });
    }

    @Override
    public synchronized List<ThreadRecord> loadAll() {
        return transaction("loadAll", step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + COLS.replace("thread_key", "t.thread_key")
                    + ", l.context_key FROM " + prefix + "thread t LEFT JOIN " + prefix + "long_key l ON l.thread_key = t.thread_key "
                    + "ORDER BY t.thread_key");
                 ResultSet rs = ps.executeQuery()) {
                List<ThreadRecord> l = new ArrayList<>();
                while (rs.next()) {
                    String stored = rs.getString(1);
                    String full = rs.getString(9);
                    if (stored.startsWith(ThreadRows.DIGEST_MARK) && full == null) {
                        throw new StoreException("thread row '" + stored + "' has no whole context key in " + prefix
                                + "long_key: the tables were changed outside fabai");
                    }
                    l.add(ThreadRows.read(rs, full == null ? stored : full));
                }
                conn.commit();
                return l;
            }
        });
    }

    @Override
    public synchronized boolean hasRun(Context context, String runId) {
        return transaction("hasRun " + context.key() + " " + runId, step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + prefix + "run WHERE thread_key = ? AND run_id = ?")) {
                ps.setString(1, ThreadRows.indexKey(context.key()));
                ps.setString(2, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean b = rs.next();
                    conn.commit();
                    return b;
                }
            }
        });
    }

    @Override
    public synchronized List<RunRecord> runs(Context context) {
        return transaction("runs " + context.key(), step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT run_id, seq, input, output, status FROM " + prefix
                    + "run WHERE thread_key = ? ORDER BY seq, run_id")) {
                ps.setString(1, ThreadRows.indexKey(context.key()));
                List<RunRecord> l = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double in = rs.getDouble(3);
                        if (rs.wasNull()) {
                            in = Double.NaN;
                        }
                        double out = rs.getDouble(4);
                        if (rs.wasNull()) {
                            out = Double.NaN;
                        }
                        l.add(new RunRecord(rs.getString(1), rs.getLong(2), in, out, rs.getString(5)));
                    }
                }
                conn.commit();
                return l;
            }
        });
    }

    @Override
    public synchronized List<AuditEntry> audit(Context context) {
        return transaction("audit " + context.key(), step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT thread_key, version, kind, run_id, detail FROM " + prefix
                    + "audit WHERE thread_key = ? ORDER BY version, kind")) {
                ps.setString(1, ThreadRows.indexKey(context.key()));
                List<AuditEntry> l = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new AuditEntry(context.key(), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
                conn.commit();
                return l;
            }
        });
    }

    @Override
    public synchronized void commit(List<ThreadCommit> commits) {
        Set<String> seen = new HashSet<>();
        for (ThreadCommit c : commits) {
            if (!seen.add(c.record().context().key())) {
                throw new StoreException("commit changes thread " + c.record().context().key() + " twice");
            }
        }
        transaction("begin", step -> {
            commitOnce(commits, step);
            return null;
        });
    }

    private void commitOnce(List<ThreadCommit> commits, String[] step) throws SQLException {
        step[0] = "begin";
        try (PreparedStatement ins = conn.prepareStatement("INSERT INTO " + prefix + "thread (" + COLS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement upd = conn.prepareStatement("UPDATE " + prefix + "thread SET kind = ?, state = ?, last_seq = ?, "
                     + "version = ?, updated_ms = ?, format = ?, provenance = ? WHERE thread_key = ? AND version = ?");
             PreparedStatement run = conn.prepareStatement("INSERT INTO " + prefix + "run (thread_key, run_id, seq, input, "
                     + "output, status) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement aud = conn.prepareStatement("INSERT INTO " + prefix + "audit (thread_key, version, kind, run_id, "
                     + "detail) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement lk = conn.prepareStatement("INSERT INTO " + prefix + "long_key (thread_key, context_key) "
                     + "VALUES (?, ?) ON CONFLICT (thread_key) DO NOTHING")) {
            for (ThreadCommit c : commits) {
                String key = c.record().context().key();
                String ix = ThreadRows.indexKey(key);
                insertRuns(run, c, key, ix, step);
                writeThread(ins, upd, lk, c, key, ix, step);
                insertAudit(aud, c, key, ix, step);
            }
            step[0] = "commit";
            conn.commit();
        }
    }

    /** The run ledger rows of one commit; a run id already recorded is a {@link DuplicateRunException}. */
    private void insertRuns(PreparedStatement run, ThreadCommit c, String key, String ix, String[] step) throws SQLException {
        if (!c.runs().isEmpty()) {
            step[0] = "ledger insert of " + c.runs().size() + " run(s) of thread " + key + " (first '"
                    + c.runs().get(0).runId() + "')";
            for (RunRecord rr : c.runs()) {
                run.setString(1, ix);
                run.setString(2, rr.runId());
                run.setLong(3, rr.sequence());
                setDouble(run, 4, rr.input());
                setDouble(run, 5, rr.output());
                run.setString(6, rr.status());
                run.addBatch();
            }
            try {
                run.executeBatch();
            } catch (SQLException e) {
                if (JdbcConnections.constraintViolation(e)) {
                    rollbackQuietly();
                    throw new DuplicateRunException("thread " + key + " already recorded "
                            + (c.runs().size() == 1 ? "run '" + c.runs().get(0).runId() + "'"
                            : "a run of this commit (first '" + c.runs().get(0).runId() + "')"));
                }
                throw e;
            }
        }
    }

    /**
     * The thread row of one commit: inserted at version 1 (another writer's row is a
     * {@link StaleStateException}), else updated where it is still at the expected version.
     */
    private void writeThread(PreparedStatement ins, PreparedStatement upd, PreparedStatement lk, ThreadCommit c, String key,
                             String ix, String[] step) throws SQLException {
        ThreadRecord r = c.record();
        if (c.expectedVersion() == 0) {
            step[0] = "insert of thread " + key;
            ins.setString(1, ix);
            ins.setString(2, r.kind());
            ins.setString(3, ThreadRows.sealedState(key, r));
            ins.setLong(4, r.lastSequence());
            ins.setLong(5, r.version());
            ins.setLong(6, r.updatedAtMs());
            ins.setInt(7, FORMAT);
            ins.setString(8, r.provenance());
            try {
                ins.executeUpdate();
            } catch (SQLException e) {
                if (JdbcConnections.constraintViolation(e)) {
                    rollbackQuietly();
                    throw new StaleStateException("thread " + key + " was created by another writer");
                }
                throw e;
            }
            if (!ix.equals(key)) {
                step[0] = "long key of thread " + ix;
                lk.setString(1, ix);
                lk.setString(2, key);
                lk.executeUpdate();
            }
        } else {
            step[0] = "update of thread " + key;
            upd.setString(1, r.kind());
            upd.setString(2, ThreadRows.sealedState(key, r));
            upd.setLong(3, r.lastSequence());
            upd.setLong(4, r.version());
            upd.setLong(5, r.updatedAtMs());
            upd.setInt(6, FORMAT);
            upd.setString(7, r.provenance());
            upd.setString(8, ix);
            upd.setLong(9, c.expectedVersion());
            if (upd.executeUpdate() != 1) {
                rollbackQuietly();
                throw new StaleStateException("thread " + key + " is no longer at version " + c.expectedVersion());
            }
        }
    }

    /** The audit rows of one commit. */
    private static void insertAudit(PreparedStatement aud, ThreadCommit c, String key, String ix, String[] step)
            throws SQLException {
        for (AuditEntry a : c.audit()) {
            aud.setString(1, ix);
            aud.setLong(2, a.version());
            aud.setString(3, a.kind());
            aud.setString(4, a.runId());
            aud.setString(5, a.detail());
            aud.addBatch();
        }
        if (!c.audit().isEmpty()) {
            step[0] = "audit insert of thread " + key;
            aud.executeBatch();
        }
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    /**
     * Drops this store's tables (for tests and tear-down of scratch databases).
     */
    public synchronized void dropTables() {
        transaction("drop tables", step -> {
            try (Statement s = conn.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + prefix + "audit");
                s.execute("DROP TABLE IF EXISTS " + prefix + "run");
                s.execute("DROP TABLE IF EXISTS " + prefix + "thread");
                s.execute("DROP TABLE IF EXISTS " + prefix + "long_key");
                conn.commit();
                return null;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (conn == null) {
            return;
        }
        try {
            conn.close();
        } catch (SQLException e) {
            throw fail("close", e);
        }
    }
}
