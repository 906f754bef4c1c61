package org.fabai.core.io.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.core.io.FormatException;

/**
 * Reads delimited text records as RFC 4180 defines them: fields separated by a delimiter
 * (comma by default), records by CR, LF or CRLF; a field in double quotes may hold delimiters,
 * line breaks and quotes (written twice, {@code ""}). Unquoted fields are trimmed of surrounding
 * spaces and tabs (quoted fields are kept exactly); lines that are completely empty are skipped;
 * a UTF-8 byte-order mark is ignored.
 *
 * <p>Errors are {@link FormatException}s naming the source and line: an unterminated quote
 * (the line where it opened), text after a closing quote, a quote inside an unquoted field, a
 * record longer than {@link #MAX_RECORD_CHARS} characters.
 *
 * <p>Not thread-safe (it holds a position in a stream).
 */
public final class CsvReader implements Closeable {

    /** Longest record accepted, in characters. */
    public static final int MAX_RECORD_CHARS = 16 << 20;

    /**
     * One record and where it starts. Immutable and thread-safe.
     *
     * @param line   1-based line number of the record's first character
     * @param fields its fields (unmodifiable)
     */
    public record Record(long line, List<String> fields) {
        /** Copies the fields. */
        public Record {
            fields = List.copyOf(fields);
        }
    }

    private final Reader in;
    private final String source;
    private final char delimiter;
    private long line = 1;
    /** The file when opened by {@link #open}, to locate an encoding error exactly; null otherwise. */
    private Path file;
    private int pushback = -2;
    private boolean started;

    /**
     * @param in        characters (wrapped in a buffer here; closed by {@link #close()})
     * @param source    name for messages
     * @param delimiter field delimiter, e.g. {@code ','} or {@code '\t'}; not a quote, space, CR or LF
     */
    public CsvReader(Reader in, String source, char delimiter) {
        this(in, source, delimiter, 1);
    }

    /** The same, numbering lines from {@code firstLine} (a piece cut out of a larger file). */
    CsvReader(Reader in, String source, char delimiter, long firstLine) {
        this.line = firstLine;
        this.in = in instanceof BufferedReader ? in : new BufferedReader(Objects.requireNonNull(in, "in"), 1 << 16);
        this.source = Objects.requireNonNull(source, "source");
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == ' ') {
            throw new IllegalArgumentException("delimiter must not be a quote, space or line break, got '" + delimiter + "'");
        }
        this.delimiter = delimiter;
    }

    /**
     * Opens a UTF-8 file.
     *
     * @param file      the file
     * @param delimiter field delimiter
     * @return the reader
     * @throws IOException if the file cannot be opened
     */
    public static CsvReader open(Path file, char delimiter) throws IOException {
        CsvReader r = new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString(), delimiter);
        r.file = file;
        return r;
    }

    /**
     * Where the first byte sequence that is not UTF-8 lies: {@code "line L, byte B"} (decoding
     * reads ahead, so the reader's own line count is not where the error is).
     */
    static String locateMalformed(Path file) throws IOException {
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(1 << 16);
        long consumed = 0;
        long lines = 1;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            boolean eof = false;
            while (true) {
                if (!eof) {
                    int n = in.read(buf.array(), buf.position(), buf.remaining());
                    if (n < 0) {
                        eof = true;
                    } else {
                        buf.position(buf.position() + n);
                    }
                }
                buf.flip();
                int start = buf.position();
                java.nio.charset.CoderResult cr = dec.decode(buf, out, eof);
                for (int i = start; i < buf.position(); i++) {
                    if (buf.get(i) == '\n') {
                        lines++;
                    }
                }
                consumed += buf.position() - start;
                out.clear();
                if (cr.isError()) {
                    return "line " + lines + ", byte " + consumed;
                }
                buf.compact();
                if (eof && buf.position() == 0) {
                    return "line " + lines;
                }
            }
        }
    }

    /** @return the source name used in messages */
    public String source() {
        return source;
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        return in.read();
    }

    /**
     * @return the next record, or null at the end of the input
     * @throws IOException     if reading fails
     * @throws FormatException if the record is malformed
     */
    public Record next() throws IOException, FormatException {
        try {
            return parseNext();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FormatException(source, file != null ? locateMalformed(file) : "line " + line + " or shortly after",
                    "not valid UTF-8 text (" + e.getMessage() + "); save the file as UTF-8", e);
        }
    }

    private Record parseNext() throws IOException, FormatException {
        int c = read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        while (c == '\n' || c == '\r') {
            if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    pushback = d;
                }
            }
            line++;
            c = read();
        }
        if (c < 0) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        long total = 0;
        while (true) {
            sb.setLength(0);
            while (c == ' ' || c == '\t' && delimiter != '\t') {
                c = read();
            }
            if (c == '"') {
                long quoteLine = line;
                while (true) {
                    c = read();
                    if (c < 0) {
                        throw new FormatException(source, "line " + quoteLine, "unterminated quoted field (field "
                                + (fields.size() + 1) + "): the input ends before its closing quote");
                    }
                    if (c == '"') {
                        c = read();
                        if (c == '"') {
                            sb.append('"');
                        } else {
                            break;
                        }
                    } else {
                        sb.append((char) c);
                        if (c == '\n') {
                            line++;
                        } else if (c == '\r') {
                            int d = read();
                            if (d == '\n') {
                                sb.append('\n');
                            } else {
                                pushback = d;
                            }
                            line++;
                        }
                    }
                    if (++total > MAX_RECORD_CHARS) {
                        throw new FormatException(source, "line " + start, "record longer than "
                                + MAX_RECORD_CHARS + " characters (an unterminated quote?)");
                    }
                }
                while (c == ' ' || c == '\t' && delimiter != '\t') {
                    c = read();
                }
                if (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
                    throw new FormatException(source, "line " + line, "expected '" + printable(delimiter)
                            + "' or the end of the line after the closing quote of field " + (fields.size() + 1)
                            + ", found '" + (char) c + "'");
                }
                fields.add(sb.toString());
            } else {
                while (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
                    if (c == '"') {
                        throw new FormatException(source, "line " + line, "quote inside unquoted field "
                                + (fields.size() + 1) + " ('" + sb + "\"...'); quote the whole field and double"
                                + " the quotes inside it");
                    }
                    sb.append((char) c);
                    if (++total > MAX_RECORD_CHARS) {
                        throw new FormatException(source, "line " + start, "record longer than "
                                + MAX_RECORD_CHARS + " characters");
                    }
                    c = read();
                }
                int end = sb.length();
                while (end > 0 && (sb.charAt(end - 1) == ' ' || sb.charAt(end - 1) == '\t')) {
                    end--;
                }
                fields.add(sb.substring(0, end));
            }
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    pushback = d;
                }
            }
            if (c >= 0) {
                line++;
            }
            return new Record(start, fields);
        }
    }

    static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
