package org.fabai.apc.thread;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The thread row of a {@link JdbcThreadStateStore} (its class comment specifies the schema): the
 * {@code thread_key} of a context key (a digest for a long one), the {@code state} column (the
 * values and the row checksum) and the reading of a row, format 1 included. Package-private;
 * stateless.
 */
final class ThreadRows {

    private ThreadRows() {
    }

    /** Marks a digest in {@code thread_key} (no context key starts with '='). */
    static final String DIGEST_MARK = "=sha256:";

    /**
     * The {@code thread_key} of a context key: the key itself up to {@value JdbcThreadStateStore#INDEX_KEY_BYTES} UTF-8
     * bytes, else {@value #DIGEST_MARK} and the SHA-256 of its UTF-8 bytes in hex.
     *
     * @param key a {@link Context#key()}
     * @return what the tables' indexes hold for it
     */
    static String indexKey(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        if (b.length <= JdbcThreadStateStore.INDEX_KEY_BYTES) {
            return key;
        }
        try {
            return DIGEST_MARK + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return the state as comma-separated doubles in their shortest round-trip form */
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

    /** @return the state {@link #encode} wrote; a {@link StoreException} naming the thread and entry for a non-number */
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
     * @param rs      positioned on a row of {@code JdbcThreadStateStore.COLS}
     * @param fullKey the whole context key (for a digest row, what {@code long_key} maps it to)
     */
    static ThreadRecord read(ResultSet rs, String fullKey) throws SQLException {
        String stored = rs.getString(1);
        String key = fullKey;
        if (!indexKey(key).equals(stored)) {
            throw new StoreException("thread row '" + stored + "' does not belong to context key '"
                    + (key.length() > 80 ? key.substring(0, 80) + "..." : key) + "' (its digest differs): the tables were "
                    + "changed outside fabai; not used");
        }
        int format = rs.getInt(7);
        if (format != JdbcThreadStateStore.FORMAT && format != JdbcThreadStateStore.FORMAT_HOLT_DEWMA) {
            throw new StoreException("thread " + key + ": stored format " + format + ", this library reads "
                    + JdbcThreadStateStore.FORMAT_HOLT_DEWMA + " and " + JdbcThreadStateStore.FORMAT);
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
        if (format == JdbcThreadStateStore.FORMAT_HOLT_DEWMA && "dewma".equals(kind)) {
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
        CRC32C c = new CRC32C();
        for (String part : new String[] {key, kind, values, Long.toString(lastSeq), Long.toString(version),
                Long.toString(updated), Integer.toString(format), provenance}) {
            c.update(part.getBytes(StandardCharsets.UTF_8));
            c.update(0);
        }
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    static String sealedState(String key, ThreadRecord r) {
        String values = encode(r.state());
        return values + CHECKSUM_MARK + checksum(key, r.kind(), values, r.lastSequence(), r.version(), r.updatedAtMs(),
                JdbcThreadStateStore.FORMAT, r.provenance());
    }
}
