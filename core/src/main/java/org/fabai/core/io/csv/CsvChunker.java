package org.fabai.core.io.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.fabai.core.io.FormatException;

/**
 * Cuts a CSV stream into pieces of whole records, at line feeds outside quotes, counting lines as
 * {@link CsvReader} does: the pieces {@link HistoryCsvScanner} parses in parallel. Package-private;
 * one per scan, used by one thread.
 */
final class CsvChunker {

    /** A piece of the file: whole records in {@code bytes[0, length)}, starting at line {@code firstLine}. */
    record Piece(byte[] bytes, int length, long firstLine) {
    }

    private final InputStream in;
    private final int size;
    private final String src;
    private byte[] buf;
    private int len;
    private boolean eof;
    private long line = 1;
    private long bytesRead;

    CsvChunker(InputStream in, int size, String src) {
        this.in = in;
        this.size = size;
        this.src = src;
        this.buf = new byte[size];
    }

    /** @return the bytes read from the stream so far */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * @param first stop at the first record (the header), however short the piece
     * @return the next piece, null at the end of the stream
     * @throws IOException     if reading fails
     * @throws FormatException when no line break outside quotes comes within the record limit
     */
    Piece next(boolean first) throws IOException, FormatException {
        while (true) {
            while (!eof && len < buf.length) {
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) {
                    eof = true;
                } else {
                    len += r;
                    bytesRead += r;
                }
            }
            boolean quoted = false;
            int cut = -1;
            long lines = 0;
            long linesAtCut = 0;
            byte[] b = buf;
            int n = len;
            for (int i = 0; i < n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    lines++;
                    if (!quoted) {
                        cut = i + 1;
                        linesAtCut = lines;
                        if (first) {
                            break;
                        }
                    }
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\r' && (i + 1 < n ? b[i + 1] != '\n' : eof)) {
                    lines++;
                }
            }
            if (cut < 0 && eof) {
                if (len == 0) {
                    return null;
                }
                cut = len;
                linesAtCut = lines;
            }
            if (cut < 0) {
                if (buf.length >= size + 4L * CsvReader.MAX_RECORD_CHARS) {
                    throw new FormatException(src, "line " + line, "no line break outside quotes in the next "
                            + (buf.length >> 20) + " MB (an unterminated quote?)");
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
                continue;
            }
            Piece p = new Piece(buf, cut, line);
            line += linesAtCut;
            byte[] nb = new byte[Math.max(size, 2 * (len - cut))];
            System.arraycopy(buf, cut, nb, 0, len - cut);
            len -= cut;
            buf = nb;
            return p;
        }
    }
}
