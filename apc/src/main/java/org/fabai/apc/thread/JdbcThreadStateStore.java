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
import java.util.Locale;
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

    /** Marks a digest in {@code thread_key} (no context key starts with '='). */
    static final String DIGEST_MARK = "=sha256:";

    /**
     * The {@code thread_key} of a context key: the key itself up to {@value #INDEX_KEY_BYTES} UTF-8
     * bytes, else {@value #DIGEST_MARK} and the SHA-256 of its UTF-8 bytes in hex.
     *
     * @param key a {@link Context#key()}
     * @return what the tables' indexes hold for it
     */
    static String indexKey(String key) {
        byte[] b = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= INDEX_KEY_BYTES) {
            return key;
        }
        try {
            return DIGEST_MARK + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

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
                boolean lost = connectionLost(e);
                boolean again = lost ? attempt < MAX_ATTEMPTS || System.nanoTime() - start < RECONNECT_WINDOW_MS * 1_000_000L
                        : busy(e) && attempt < MAX_ATTEMPTS;
                if (!again) {
                    releasePooled();
                    throw fail(step[0] + (attempt > 1 ? " (attempt " + attempt + (lost ? ", " + (System.nanoTime() - start)
                            / 1_000_000_000L + " s after the first" : " of " + MAX_ATTEMPTS) + ")" : ""), e);
                }
                LOG.warn("thread store {}: {} failed transiently (attempt {} of {}): {}", redact(url), step[0], attempt,
                        MAX_ATTEMPTS, e.getMessage());
                if (lost) {
                    closeQuietly(conn);
                    conn = null;
                }
                releasePooled();
                backOff(attempt);
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
            closeQuietly(conn);
            conn = null;
        }
    }

    private void ensureConnection() throws SQLException {
        if (conn != null && !sqlite && dataSource == null && !conn.isValid(5)) {
            // a server restart or a terminated session: found before the transaction, not half-way
            // through a batch (where the PostgreSQL driver reports it less cleanly)
            LOG.warn("thread store {}: connection lost; opening a new one", redact(url));
            closeQuietly(conn);
            conn = null;
        }
        if (conn == null) {
            Connection c = sqlite ? sqliteConnection(url) : dataSource != null ? dataSource.getConnection()
                    : DriverManager.getConnection(url);
            c.setAutoCommit(false);
            conn = c;
            if (dataSource == null) {
                LOG.info("thread store {}: connection re-opened", redact(url));
            }
        }
    }

    private static void backOff(int attempt) {
        long base = Math.min(2000, 25L << Math.min(attempt, 7));
        long ms = base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry", ie);
        }
    }

    /** SQLite busy or locked (any extended code), PostgreSQL serialization failure or deadlock. */
    static boolean busy(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String m = String.valueOf(s.getMessage());
                String st = s.getSQLState();
                if (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || "40001".equals(st) || "40P01".equals(st)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The connection is gone (PostgreSQL SQL state class 08, or a server shutting down: 57P01..57P03). */
    static boolean connectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
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
            c = sqliteConnection(url);
            return init(url, "apc_", c, null);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("SQLite store " + file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /**
     * A SQLite connection whose transactions start with {@code BEGIN IMMEDIATE}: a transaction takes
     * the write lock before it reads, so it never has to upgrade a read snapshot that another
     * process has since made stale ({@code SQLITE_BUSY_SNAPSHOT}, which SQLite reports at once,
     * without a busy wait); waiting for the lock is bounded by the busy timeout (10 s).
     */
    private static Connection sqliteConnection(String url) throws SQLException {
        try {
            Class.forName("org.sqlite.SQLiteConfig", false, JdbcThreadStateStore.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SQLException("the SQLite store needs org.xerial:sqlite-jdbc on the class path; it is an "
                    + "optional dependency of fabai-apc: add it to your project", e);
        }
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
        cfg.setBusyTimeout(10_000);
        Connection c = DriverManager.getConnection(url, cfg.toProperties());
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("could not switch to WAL, journal mode is " + mode);
                }
            }
            s.execute("PRAGMA synchronous=FULL");
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a failed connection: {}", e.getMessage());
            }
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
            closeQuietly(c);
            String hint = e.getMessage() != null && e.getMessage().startsWith("No suitable driver")
                    ? " (the JDBC drivers are optional dependencies of fabai-apc: add the database's driver, e.g. "
                    + "org.postgresql:postgresql, to your project)" : "";
            throw new StoreException("JDBC store " + redact(jdbcUrl) + ": cannot open: " + e.getMessage() + hint, e);
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
            String where = name + " (" + product + " at " + redact(String.valueOf(c.getMetaData().getURL())) + ")";
            if ("SQLite".equalsIgnoreCase(product)) {
                closeQuietly(c);
                throw new IllegalArgumentException(where + ": use JdbcThreadStateStore.sqlite(Path) for SQLite (it sets "
                        + "BEGIN IMMEDIATE, the busy timeout and WAL that several writers need)");
            }
            JdbcThreadStateStore s = init(where, prefix, c, dataSource);
            s.releasePooled();
            return s;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("JDBC store on " + name + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static JdbcThreadStateStore init(String url, String prefix, Connection c, javax.sql.DataSource ds)
            throws SQLException {
        if (!PREFIX.matcher(prefix).matches()) {
            closeQuietly(c);
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
                boolean race = constraintViolation(e) || "42P07".equals(e.getSQLState())
                        || "42710".equals(e.getSQLState()) || busy(e);
                if (!race || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("schema creation lost a race (attempt {}): {}", attempt, e.getMessage());
                backOff(attempt);
            }
        }
        LOG.debug("thread store open at {} (prefix {})", redact(url), prefix);
        return new JdbcThreadStateStore(url, prefix, c, ds);
    }

    private StoreException fail(String op, SQLException e) {
        return new StoreException("thread store " + redact(url) + ": " + op + " failed: " + e.getMessage(), e);
    }

    private void rollbackQuietly() {
        if (conn == null) {
            return;
        }
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback on {} failed: {}", redact(url), e.getMessage());
        }
    }

    static String encode(double[] state) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < state.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(state[i]);
        }
        return b.toString();
    }

    static double[] decode(String key, String text) {
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split(",", -1);
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new StoreException("thread " + key + ": state entry " + i + " is not a number: '" + parts[i] + "'", e);
            }
        }
        return v;
    }

    /**
     * Reads a thread row.
     *
     * @param rs      positioned on a row of {@link #COLS}
     * @param fullKey the whole context key (for a digest row, what {@code long_key} maps it to)
     */
    private ThreadRecord record(ResultSet rs, String fullKey) throws SQLException {
        String stored = rs.getString(1);
        String key = fullKey;
        if (!indexKey(key).equals(stored)) {
            throw new StoreException("thread row '" + stored + "' does not belong to context key '"
                    + (key.length() > 80 ? key.substring(0, 80) + "..." : key) + "' (its digest differs): the tables were "
                    + "changed outside fabai; not used");
        }
        int format = rs.getInt(7);
        if (format != FORMAT && format != FORMAT_HOLT_DEWMA) {
            throw new StoreException("thread " + key + ": stored format " + format + ", this library reads "
                    + FORMAT_HOLT_DEWMA + " and " + FORMAT);
        }
        String kind = rs.getString(2);
        String state = rs.getString(3);
        long lastSeq = rs.getLong(4);
        long version = rs.getLong(5);
        long updated = rs.getLong(6);
        String provenance = rs.getString(8);
        int hash = state == null ? -1 : state.lastIndexOf(CHECKSUM_MARK);
        if (hash >= 0) {
            String values = state.substring(0, hash);
            String crc = state.substring(hash + 1);
            String computed = checksum(key, kind, values, lastSeq, version, updated, format, provenance);
            if (!computed.equals(crc)) {
                throw new StoreException("thread " + key + ": row checksum " + crc + " does not match its content ("
                        + computed + "): the row was damaged or changed outside fabai; not used");
            }
            state = values;
        }
        if (format == FORMAT_HOLT_DEWMA && "dewma".equals(kind)) {
            // format 1's dewma was Holt's smoother: read it as what it is
            kind = "holt";
        }
        return new ThreadRecord(Context.parse(key), kind, decode(key, state == null ? "" : state), lastSeq, version,
                updated, provenance);
    }

    /** Separates the state's values from the row checksum in the {@code state} column. */
    static final char CHECKSUM_MARK = '#';

    /**
     * CRC-32C over every column of a thread row, written after the state's values
     * ({@code values#crc}): a damaged or hand-edited row is an error when read, never another state.
     * Rows written before the checksum (no {@code #}) are read as they are.
     */
    static String checksum(String key, String kind, String values, long lastSeq, long version, long updated,
                           int format, String provenance) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        for (String part : new String[] {key, kind, values, Long.toString(lastSeq), Long.toString(version),
                Long.toString(updated), Integer.toString(format), provenance}) {
            c.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            c.update(0);
        }
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    private static String sealedState(String key, ThreadRecord r) {
        String values = encode(r.state());
        return values + CHECKSUM_MARK + checksum(key, r.kind(), values, r.lastSequence(), r.version(), r.updatedAtMs(),
                FORMAT, r.provenance());
    }

    private static final String COLS = "thread_key, kind, state, last_seq, version, updated_ms, format, provenance";

    @Override
    public synchronized Optional<ThreadRecord> load(Context context) {
        return transaction("load " + context.key(), step -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + COLS + " FROM " + prefix + "thread WHERE thread_key = ?")) {
                ps.setString(1, indexKey(context.key()));
                try (ResultSet rs = ps.executeQuery()) {
                    Optional<ThreadRecord> r = rs.next() ? Optional.of(record(rs, context.key())) : Optional.empty();
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
                    if (stored.startsWith(DIGEST_MARK) && full == null) {
                        throw new StoreException("thread row '" + stored + "' has no whole context key in " + prefix
                                + "long_key: the tables were changed outside fabai");
                    }
                    l.add(record(rs, full == null ? stored : full));
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
                ps.setString(1, indexKey(context.key()));
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
                ps.setString(1, indexKey(context.key()));
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
                ps.setString(1, indexKey(context.key()));
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

    private static boolean constraintViolation(SQLException e) {
        String state = e.getSQLState();
        String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return (state != null && state.startsWith("23")) || msg.contains("constraint");
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
                ThreadRecord r = c.record();
                String key = r.context().key();
                String ix = indexKey(key);
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
                        if (constraintViolation(e)) {
                            rollbackQuietly();
                            throw new DuplicateRunException("thread " + key + " already recorded "
                                    + (c.runs().size() == 1 ? "run '" + c.runs().get(0).runId() + "'"
                                    : "a run of this commit (first '" + c.runs().get(0).runId() + "')"));
                        }
                        throw e;
                    }
                }
                if (c.expectedVersion() == 0) {
                    step[0] = "insert of thread " + key;
                    ins.setString(1, ix);
                    ins.setString(2, r.kind());
                    ins.setString(3, sealedState(key, r));
                    ins.setLong(4, r.lastSequence());
                    ins.setLong(5, r.version());
                    ins.setLong(6, r.updatedAtMs());
                    ins.setInt(7, FORMAT);
                    ins.setString(8, r.provenance());
                    try {
                        ins.executeUpdate();
                    } catch (SQLException e) {
                        if (constraintViolation(e)) {
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
                    upd.setString(2, sealedState(key, r));
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
            step[0] = "commit";
            conn.commit();
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
