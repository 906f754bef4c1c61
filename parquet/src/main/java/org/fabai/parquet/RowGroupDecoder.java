package org.fabai.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.concurrent.BlockingQueue;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryChunk;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.io.csv.StringDictionary;

/**
 * Decodes one row group of a history Parquet file into {@link HistoryChunk}s, for
 * {@link HistoryParquet#scan}'s workers: each id column is interned through a cache of the codes
 * seen, times through {@link Pq.TimeDecoder}; a null or empty id, a corrupt page or a truncated
 * group is a {@link FormatException} naming the row group or row. Package-private; one per group.
 */
final class RowGroupDecoder {

    private static final int ROWS_PER_CHUNK = 1 << 14;

    /**
     * What a worker hands over: a chunk of rows, or the end of its row group (chunk null) with
     * the group's compressed size and the failure that ended it early (null when none).
     */
    record Item(HistoryChunk chunk, Throwable failure, long bytes) {
    }

    private final HistoryParquet.Layout l;
    private final HistoryCsvScanner.Dictionaries d;
    private final HistoryCsvScanner.Options o;

    RowGroupDecoder(HistoryParquet.Layout l, HistoryCsvScanner.Dictionaries d, HistoryCsvScanner.Options o) {
        this.l = l;
        this.d = d;
        this.o = o;
    }

    /** Decodes row group g into q, chunk by chunk; @return the end item (with the failure, if any) */
    Item decode(ParquetFileReader reader, int g, long firstRow, BlockingQueue<Item> q) throws InterruptedException {
        long size = reader.getRowGroups().get(g).getCompressedSize();
        long row = firstRow;
        try {
            PageReadStore rg = reader.readRowGroup(g);
            if (rg == null) {
                throw new FormatException(l.src(), "row group " + g, "row group missing (truncated file?)");
            }
            ColumnReadStoreImpl st = Pq.store(rg, l.projection(), reader);
            ColumnReader wr = st.getColumnReader(l.col(l.wafer()));
            ColumnReader sr = st.getColumnReader(l.col(l.step()));
            ColumnReader tr = st.getColumnReader(l.col(l.tool()));
            ColumnReader cr = l.chamber() < 0 ? null : st.getColumnReader(l.col(l.chamber()));
            ColumnReader lr = l.lot() < 0 ? null : st.getColumnReader(l.col(l.lot()));
            ColumnReader xr = l.time() < 0 ? null : st.getColumnReader(l.col(l.time()));
            Ids wi = new Ids(d.wafers(), l.col(l.wafer()));
            Ids si = new Ids(d.steps(), l.col(l.step()));
            Ids ti = new Ids(d.tools(), l.col(l.tool()));
            Ids ci = cr == null ? null : new Ids(d.chambers(), l.col(l.chamber()));
            Ids li = lr == null ? null : new Ids(d.lots(), l.col(l.lot()));
            Pq.TimeDecoder td = xr == null ? null
                    : new Pq.TimeDecoder(l.col(l.time()), l.projection().getFieldName(l.time()), o.zone(), l.src());
            int noChamber = d.chambers().intern("");
            int noLot = d.lots().intern("");
            long n = rg.getRowCount();
            HistoryChunk cur = HistoryChunk.allocate((int) Math.min(ROWS_PER_CHUNK, Math.max(1, n)));
            for (long i = 0; i < n; i++, row++) {
                if (cur.size() == cur.capacity()) {
                    q.put(new Item(cur, null, 0));
                    cur = HistoryChunk.allocate((int) Math.min(ROWS_PER_CHUNK, n - i));
                }
                int w = wi.code(wr);
                int s = si.code(sr);
                int t = ti.code(tr);
                if (w < 0) {
                    throw empty(row, l.wafer(), "wafer_id");
                }
                if (s < 0) {
                    throw empty(row, l.step(), "step");
                }
                if (t < 0) {
                    throw empty(row, l.tool(), "tool");
                }
                int c = noChamber;
                if (cr != null) {
                    c = ci.code(cr);
                    c = c < 0 ? noChamber : c;
                    cr.consume();
                }
                int lot = noLot;
                if (lr != null) {
                    lot = li.code(lr);
                    lot = lot < 0 ? noLot : lot;
                    lr.consume();
                }
                long time = HistoryChunk.NO_TIME;
                if (xr != null) {
                    if (Pq.present(xr)) {
                        time = td.nanos(xr, row);
                    }
                    xr.consume();
                }
                wr.consume();
                sr.consume();
                tr.consume();
                cur.add(w, s, t, c, lot, time, row);
            }
            if (cur.size() > 0) {
                q.put(new Item(cur, null, 0));
            }
            return new Item(null, null, size);
        } catch (FormatException e) {
            return new Item(null, e, size);
        } catch (RuntimeException | IOException e) {
            return new Item(null, corrupt(e, g, firstRow), size);
        }
    }

    /**
     * A failure while decoding a group as bad data: Parquet's decoders throw unchecked exceptions on
     * corrupt pages, and the file was opened and its footer read, so failing reads or decompression
     * here mean bad data too.
     */
    private FormatException corrupt(Exception e, int g, long firstRow) {
        return new FormatException(l.src(), "row group " + g + " (rows from " + firstRow + ")",
                (e instanceof EOFException ? "truncated file: " : "corrupt or truncated data: ") + Pq.reason(e), e);
    }

    private FormatException empty(long row, int col, String what) {
        return new FormatException(l.src(), "row " + row + ", column '" + l.projection().getFieldName(col) + "'",
                "expected a non-empty " + what + ", found null or empty");
    }

    /** Interns the values of one id column of one row group, with caches of the codes seen. */
    private static final class Ids {
        private final StringDictionary dict;
        private final boolean text;
        private final IdentityHashMap<Binary, Integer> byIdentity = new IdentityHashMap<>();
        private final HashMap<Binary, Integer> byValue = new HashMap<>();
        private long lastInt = Long.MIN_VALUE;
        private int lastIntCode = -1;

        Ids(StringDictionary dict, ColumnDescriptor d) {
            this.dict = dict;
            this.text = Pq.isText(d);
        }

        /** @return the code of the current value, or -1 for a null or empty one */
        int code(ColumnReader r) {
            if (!Pq.present(r)) {
                return -1;
            }
            if (!text) {
                long v = Pq.integer(r);
                if (v != lastInt || lastIntCode < 0) {
                    lastInt = v;
                    lastIntCode = dict.intern(Long.toString(v));
                }
                return lastIntCode;
            }
            Binary b = r.getBinary();
            Integer c = byIdentity.get(b);
            if (c != null) {
                return c;
            }
            c = byValue.get(b);
            if (c == null) {
                if (b.length() == 0) {
                    return -1;
                }
                c = dict.intern(b.toStringUsingUTF8());
                byValue.put(b.copy(), c);
            }
            if (byIdentity.size() < (1 << 16)) {
                byIdentity.put(b, c);
            }
            return c;
        }
    }
}
