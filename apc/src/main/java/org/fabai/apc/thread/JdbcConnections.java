package org.fabai.apc.thread;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a {@link JdbcThreadStateStore} and what their failures mean: the SQLite
 * connection (BEGIN IMMEDIATE, WAL, synchronous=FULL), which {@link SQLException}s are transient
 * (busy, lost connection) or a key conflict, and the back-off between attempts. Package-private;
 * stateless.
 */
final class JdbcConnections {

    /** Under {@link JdbcThreadStateStore}'s name: these are its messages. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcThreadStateStore.class);

    private JdbcConnections() {
    }

    /**
     * A SQLite connection whose transactions start with {@code BEGIN IMMEDIATE}: a transaction takes
     * the write lock before it reads, so it never has to upgrade a read snapshot that another
     * process has since made stale ({@code SQLITE_BUSY_SNAPSHOT}, which SQLite reports at once,
     * without a busy wait); waiting for the lock is bounded by the busy timeout (10 s).
     */
    static Connection sqliteConnection(String url) throws SQLException {
        try {
            Class.forName("org.sqlite.SQLiteConfig", false, JdbcConnections.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SQLException("the SQLite store needs org.xerial:sqlite-jdbc on the class path; it is an "
                    + "optional dependency of fabai-apc: add it to your project", e);
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
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

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a failed connection: {}", e.getMessage());
            }
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static void backOff(int attempt) {
        long base = Math.min(2000, 25L << Math.min(attempt, 7));
        long ms = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
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

    static boolean constraintViolation(SQLException e) {
        String state = e.getSQLState();
        String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return (state != null && state.startsWith("23")) || msg.contains("constraint");
    }
}
