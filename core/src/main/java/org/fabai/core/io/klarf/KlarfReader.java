package org.fabai.core.io.klarf;

import static org.fabai.core.io.klarf.KlarfParsing.decoder;
import static org.fabai.core.io.klarf.Klarf18Parser.prescan;

import org.fabai.core.io.klarf.KlarfParsing.Parser;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fabai.core.defect.Defect;
import org.fabai.core.io.FormatException;

/**
 * Reads KLARF defect files: versions 1.1 and 1.2 (keyword statements ending in {@code ;}) and 1.8
 * (nested {@code Record}/{@code Field}/{@code List} syntax).
 *
 * <p>{@link #read(Path)} reads a whole file. {@link #open(Path)} streams it: each
 * {@link #next()} returns one {@link KlarfWafer}, so memory grows with the largest wafer, not with
 * the file. (KLARF 1.8 may put lot-level fields after the lot's wafers; {@link #open(Path)} reads
 * such a file twice, the first time only to collect those fields. A 1.8 <em>stream</em> given to
 * {@link #open(InputStream, String)} is held in memory for the same reason.)
 *
 * <p>In 1.1/1.2 files the statements before the first {@code WaferID} are file-level and those
 * after a {@code WaferID} belong to that wafer; a {@code DefectRecordSpec} or {@code SummarySpec}
 * applies to the following wafers until another one is given; {@code InspectionTest},
 * {@code SampleTestPlan} and {@code AreaPerTest} inside a wafer form its test records; a
 * {@code DefectList} without a {@code WaferID} before it opens a wafer with an empty id. Every
 * wafer needs at least one {@code DefectList} (possibly empty: {@code DefectList;}).
 *
 * <p>Tolerated: CRLF/CR/LF line ends, any whitespace, keywords in any case, quoted strings with
 * spaces, {@code NA} in numeric columns (NaN / {@link Defect#UNKNOWN}), image lists spread over
 * several lines inside a DefectList, ISO-8601 as well as {@code mm-dd-yy} and {@code mm-dd-yyyy}
 * timestamps, several wafers per file, several DefectList statements per wafer. Every problem is
 * a {@link FormatException} naming the source, the line and what was expected; no count read from
 * the file is used to allocate memory before the data it counts has been read.
 *
 * <p>Not thread-safe: one reader serves one thread.
 */
public final class KlarfReader implements AutoCloseable {

    /** Most values one header statement (keyword or Field) may hold. */
    public static final int MAX_STATEMENT_VALUES = 1_000_000;

    /** Deepest record nesting accepted in KLARF 1.8. */
    public static final int MAX_RECORD_DEPTH = 32;

    private final KlarfTokenizer t;
    private final Parser parser;
    private final AutoCloseable resource;

    private KlarfReader(KlarfTokenizer t, Parser parser, AutoCloseable resource) {
        this.t = t;
        this.parser = parser;
        this.resource = resource;
    }

    /**
     * Reads a whole file.
     *
     * @param path the file
     * @return its wafers
     * @throws IOException     when the file cannot be read
     * @throws FormatException when it is not valid KLARF
     */
    public static KlarfFile read(Path path) throws IOException, FormatException {
        try (KlarfReader r = open(path)) {
            return r.readAll();
        }
    }

    /**
     * Reads a whole stream (not closed).
     *
     * @param in         the bytes
     * @param sourceName name for messages
     * @return its wafers
     * @throws IOException     when the stream fails
     * @throws FormatException when it is not valid KLARF
     */
    public static KlarfFile read(InputStream in, String sourceName) throws IOException, FormatException {
        Objects.requireNonNull(in, "in");
        InputStream keepOpen = new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        try (KlarfReader r = open(keepOpen, sourceName)) {
            return r.readAll();
        }
    }

    /**
     * Opens a file for wafer-by-wafer reading; a gzip-compressed file (found by its magic bytes,
     * whatever its name) is inflated on the fly.
     *
     * @param path the file
     * @return a reader; close it
     * @throws IOException     when the file cannot be read
     * @throws FormatException when its start is not KLARF
     */
    public static KlarfReader open(Path path) throws IOException, FormatException {
        String name = path.toString();
        InputStream in = bytesOf(path);
        try {
            BufferedInputStream bin = new BufferedInputStream(in, 65536);
            boolean records = sniffRecordSyntax(bin);
            if (!records) {
                return open12(bin, name);
            }
            Klarf18Parser.Prescan pre;
            try (InputStream in2 = bytesOf(path)) {
                pre = prescan(in2, name);
            }
            return open18(bin, name, pre, bin);
        } catch (IOException | FormatException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The file's bytes, inflated when the file starts with gzip's magic bytes 1f 8b. */
    private static InputStream bytesOf(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 65536);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new java.util.zip.GZIPInputStream(in, 65536) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Opens a stream for wafer-by-wafer reading. Closing the reader closes the stream.
     *
     * @param in         the bytes
     * @param sourceName name for messages
     * @return a reader
     * @throws IOException     when the stream fails
     * @throws FormatException when its start is not KLARF
     */
    public static KlarfReader open(InputStream in, String sourceName) throws IOException, FormatException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        BufferedInputStream bin = new BufferedInputStream(in, 65536);
        if (!sniffRecordSyntax(bin)) {
            return open12(bin, sourceName);
        }
        byte[] all = bin.readAllBytes();
        Klarf18Parser.Prescan pre = prescan(new ByteArrayInputStream(all), sourceName);
        return open18(new ByteArrayInputStream(all), sourceName, pre, bin);
    }

    /** Looks at the first word: {@code Record} means KLARF 1.8 syntax. */
    private static boolean sniffRecordSyntax(BufferedInputStream in) throws IOException {
        in.mark(256);
        byte[] head = in.readNBytes(256);
        in.reset();
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        String word = new String(head, i, Math.min(6, head.length - i), StandardCharsets.ISO_8859_1);
        return word.equalsIgnoreCase("Record");
    }

    private static KlarfReader open12(InputStream in, String name) {
        KlarfTokenizer t = new KlarfTokenizer(decoder(in), name);
        return new KlarfReader(t, new Klarf12Parser(t), in);
    }

    private static KlarfReader open18(InputStream in, String name, Klarf18Parser.Prescan pre, AutoCloseable resource) {
        KlarfTokenizer t = new KlarfTokenizer(decoder(in), name);
        t.recordSyntax(true);
        return new KlarfReader(t, new Klarf18Parser.Parser18(t, pre), resource);
    }

    /**
     * @return the next wafer, or null after the last one (the file's {@code EndOfFile} was read)
     * @throws IOException     when the input fails
     * @throws FormatException when the input is not valid KLARF
     */
    public KlarfWafer next() throws IOException, FormatException {
        return parser.next();
    }

    /**
     * Reads all remaining wafers.
     *
     * @return the file
     * @throws IOException     when the input fails
     * @throws FormatException when the input is not valid KLARF
     */
    public KlarfFile readAll() throws IOException, FormatException {
        List<KlarfWafer> wafers = new ArrayList<>();
        for (KlarfWafer w = next(); w != null; w = next()) {
            wafers.add(w);
        }
        String v = parser.version();
        return new KlarfFile(v == null ? "" : v, wafers);
    }

    /** @return the file version once known (after the first {@link #next()}), else null */
    public String version() {
        return parser.version();
    }

    /** Closes the input. */
    @Override
    public void close() throws IOException {
        try {
            resource.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
