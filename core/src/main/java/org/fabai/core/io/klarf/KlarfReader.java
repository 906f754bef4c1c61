package org.fabai.core.io.klarf;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

    private static final Set<String> KEYWORDS_12 = Set.of("FILEVERSION", "FILETIMESTAMP", "INSPECTIONSTATIONID",
            "SAMPLETYPE", "RESULTTIMESTAMP", "LOTID", "SAMPLESIZE", "DEVICEID", "SETUPID", "STEPID",
            "SAMPLEORIENTATIONMARKTYPE", "ORIENTATIONMARKLOCATION", "DIEPITCH", "DIEORIGIN", "WAFERID", "SLOT",
            "SAMPLECENTERLOCATION", "CLASSLOOKUP", "INSPECTIONTEST", "SAMPLETESTPLAN", "AREAPERTEST",
            "DEFECTRECORDSPEC", "DEFECTLIST", "SUMMARYSPEC", "SUMMARYLIST", "ENDOFFILE", "TIFFSPEC",
            "TIFFFILENAME", "RESULTSID", "ORIENTATIONINSTRUCTIONS", "COORDINATESMIRRORED",
            "PROCESSEQUIPMENTIDLIST", "REMOVEDDIELIST", "LOTSTATUS", "WAFERSTATUS", "SAMPLEDIEMAP",
            "CUSTOMWAFERLIST");

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
     * Opens a file for wafer-by-wafer reading.
     *
     * @param path the file
     * @return a reader; close it
     * @throws IOException     when the file cannot be read
     * @throws FormatException when its start is not KLARF
     */
    public static KlarfReader open(Path path) throws IOException, FormatException {
        String name = path.toString();
        InputStream in = Files.newInputStream(path);
        try {
            BufferedInputStream bin = new BufferedInputStream(in, 65536);
            boolean records = sniffRecordSyntax(bin);
            if (!records) {
                return open12(bin, name);
            }
            Prescan pre;
            try (InputStream in2 = Files.newInputStream(path)) {
                pre = prescan(in2, name);
            }
            return open18(bin, name, pre, bin);
        } catch (IOException | FormatException | RuntimeException e) {
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
        Prescan pre = prescan(new ByteArrayInputStream(all), sourceName);
        return open18(new ByteArrayInputStream(all), sourceName, pre, bin);
    }

    private static Reader decoder(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
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
        return new KlarfReader(t, new Parser12(t), in);
    }

    private static KlarfReader open18(InputStream in, String name, Prescan pre, AutoCloseable resource) {
        KlarfTokenizer t = new KlarfTokenizer(decoder(in), name);
        t.recordSyntax(true);
        return new KlarfReader(t, new Parser18(t, pre), resource);
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

    // ------------------------------------------------------------------------------------------
    // shared helpers

    private interface Parser {
        KlarfWafer next() throws IOException, FormatException;

        String version();
    }

    private static FormatException err(KlarfTokenizer t, int line, String msg) {
        return t.error(line, msg);
    }

    private static String need(KlarfTokenizer t, String what) throws IOException, FormatException {
        String s = t.next();
        if (s == null) {
            throw err(t, t.currentLine(), "file ends: expected " + what
                    + " (the file is truncated; a KLARF file ends with EndOfFile;)");
        }
        return s;
    }

    private static void expect(KlarfTokenizer t, String token, String context) throws IOException, FormatException {
        String s = need(t, "'" + token + "' " + context);
        if (!s.equalsIgnoreCase(token)) {
            throw err(t, t.line(), "expected '" + token + "' " + context + ", got '" + s + "'");
        }
    }

    private static int parseCount(KlarfTokenizer t, String s, String what) throws FormatException {
        try {
            long v = KlarfValues.parseLong(s);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("out of range");
            }
            return (int) v;
        } catch (IllegalArgumentException e) {
            throw err(t, t.line(), what + ": expected a count (a non-negative integer), got '" + s + "'");
        }
    }

    /** Turns one defect row (cells as written) into a Defect. */
    private static String[] keys(List<KlarfColumn> cols) {
        String[] k = new String[cols.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = cols.get(i).name().toUpperCase(Locale.ROOT);
        }
        return k;
    }

    private static Defect toDefect(KlarfTokenizer t, int line, int rowNo, List<KlarfColumn> cols, String[] keys,
                                   List<String> cells, List<List<String>> images, int scale) throws FormatException {
        long id = Defect.UNKNOWN;
        int dieX = Defect.UNKNOWN;
        int dieY = Defect.UNKNOWN;
        double xRel = Double.NaN;
        double yRel = Double.NaN;
        double xSize = Double.NaN;
        double ySize = Double.NaN;
        double area = Double.NaN;
        double dSize = Double.NaN;
        int cls = Defect.UNKNOWN;
        int test = Defect.UNKNOWN;
        List<String> imageIds = new ArrayList<>();
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            KlarfColumn c = cols.get(i);
            String v = cells.get(i);
            String raw = KlarfTokenizer.unquote(v);
            try {
                switch (keys[i]) {
                    case "DEFECTID":
                        id = KlarfValues.isNa(raw) ? Defect.UNKNOWN : KlarfValues.parseLong(raw);
                        break;
                    case "XINDEX":
                        dieX = KlarfValues.parseInt(raw);
                        break;
                    case "YINDEX":
                        dieY = KlarfValues.parseInt(raw);
                        break;
                    case "XREL":
                        xRel = KlarfValues.parseDouble(raw, scale);
                        break;
                    case "YREL":
                        yRel = KlarfValues.parseDouble(raw, scale);
                        break;
                    case "XSIZE":
                        xSize = KlarfValues.parseDouble(raw, scale);
                        break;
                    case "YSIZE":
                        ySize = KlarfValues.parseDouble(raw, scale);
                        break;
                    case "DEFECTAREA":
                        area = KlarfValues.parseDouble(raw, 2 * scale);
                        break;
                    case "DSIZE":
                        dSize = KlarfValues.parseDouble(raw, scale);
                        break;
                    case "CLASSNUMBER":
                        cls = KlarfValues.parseInt(raw);
                        break;
                    case "TEST":
                        test = KlarfValues.parseInt(raw);
                        break;
                    default:
                        if (c.isImageList()) {
                            imageIds.addAll(images.get(i));
                        }
                        attrs.put(c.name(), v);
                }
            } catch (IllegalArgumentException e) {
                throw err(t, line, "DefectList row " + rowNo + ", column " + c.name() + " (" + (i + 1) + " of "
                        + cols.size() + "): " + e.getMessage());
            }
        }
        return new Defect(id, dieX, dieY, xRel, yRel, xSize, ySize, area, dSize, cls, test, imageIds, attrs);
    }

    /** Checks the typed header fields the moment they are read, so errors name the line. */
    private static void checkField(KlarfTokenizer t, int line, KlarfField f, int scale) throws FormatException {
        String n = f.name().toUpperCase(Locale.ROOT);
        try {
            switch (n) {
                case "LOTID": case "DEVICEID": case "STEPID":
                    arity(f, 1);
                    break;
                case "SLOT": case "SLOTNUMBER":
                    arity(f, 1);
                    KlarfValues.parseInt(f.text(0));
                    break;
                case "DIEPITCH": case "DIEORIGIN": case "SAMPLECENTERLOCATION":
                    arity(f, 2);
                    KlarfValues.parseDouble(f.text(0), scale);
                    KlarfValues.parseDouble(f.text(1), scale);
                    break;
                case "RESULTTIMESTAMP": case "FILETIMESTAMP":
                    KlarfValues.parseTimestamp(f.values());
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw err(t, line, f.name() + ": " + e.getMessage());
        }
    }

    private static void arity(KlarfField f, int n) {
        if (f.values().size() != n) {
            throw new IllegalArgumentException("expected " + n + (n == 1 ? " value" : " values") + ", got "
                    + f.values().size() + " (" + f.joined() + ")" + (f.values().size() > n ? "; missing ';'?" : ""));
        }
    }

    private static KlarfWafer makeWafer(KlarfTokenizer t, int line, String version, KlarfRecord file, KlarfRecord lot,
                                        KlarfRecord wafer, List<KlarfColumn> cols, List<Defect> defects,
                                        List<DefectSection> sections) throws FormatException {
        try {
            return new KlarfWafer(version, file, lot, wafer, cols, defects, sections);
        } catch (IllegalArgumentException e) {
            throw err(t, line, "wafer '" + wafer.name() + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // KLARF 1.1 / 1.2

    private static final class Parser12 implements Parser {
        private final KlarfTokenizer t;
        private String version;
        private boolean done;
        private final List<KlarfField> fileFields = new ArrayList<>();
        private KlarfRecord fileRecord;
        private List<KlarfColumn> defectSpec;
        private List<KlarfColumn> summarySpec;

        // the wafer being read
        private boolean inWafer;
        private String waferId;
        private int waferLine;
        private List<KlarfField> waferFields;
        private List<KlarfRecord> tests;
        private String testName;
        private List<KlarfField> testFields;
        private KlarfTable testPlan;
        private boolean testOpen;
        private List<KlarfTable> summaryTables;
        private List<Defect> defects;
        private List<DefectSection> sections;
        private List<KlarfColumn> waferColumns;
        private String pendingTiff;
        private int pendingTiffLine;
        private KlarfField pendingTiffField;

        Parser12(KlarfTokenizer t) {
            this.t = t;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public KlarfWafer next() throws IOException, FormatException {
            if (done) {
                return null;
            }
            if (version == null) {
                readFileVersion();
            }
            while (true) {
                String kw = t.next();
                if (kw == null) {
                    throw err(t, t.currentLine(), "file ends without EndOfFile: expected more statements and "
                            + "'EndOfFile;' (the file is truncated)");
                }
                int line = t.line();
                checkKeyword(kw, line);
                String key = kw.toUpperCase(Locale.ROOT);
                switch (key) {
                    case "WAFERID": {
                        KlarfField f = readValues(kw, line);
                        if (f.values().size() != 1) {
                            throw err(t, line, "WaferID: expected 1 value, got " + f.values().size()
                                    + " (" + f.joined() + ")" + (f.values().size() > 1 ? "; missing ';'?" : ""));
                        }
                        KlarfWafer finished = inWafer ? finishWafer(line) : null;
                        startWafer(f.text(0), line);
                        if (finished != null) {
                            return finished;
                        }
                        break;
                    }
                    case "DEFECTRECORDSPEC": {
                        List<KlarfColumn> cols = readSpec(kw, line);
                        defectSpec = cols;
                        if (inWafer) {
                            waferColumns = cols;
                        }
                        break;
                    }
                    case "DEFECTLIST":
                        if (!inWafer) {
                            startWafer("", line);
                        }
                        readDefectList(line);
                        break;
                    case "SUMMARYSPEC":
                        summarySpec = readSpec(kw, line);
                        break;
                    case "SUMMARYLIST":
                        readSummaryList(line);
                        break;
                    case "INSPECTIONTEST": case "SAMPLETESTPLAN": case "AREAPERTEST":
                        if (inWafer) {
                            readTestStatement(kw, key, line);
                        } else {
                            addField(readValues(kw, line), line);
                        }
                        break;
                    case "TIFFFILENAME":
                        if (inWafer) {
                            if (pendingTiff != null) {
                                throw err(t, line, "TiffFileName follows the TiffFileName of line " + pendingTiffLine
                                        + " without a DefectList in between: expected DefectList");
                            }
                            pendingTiffField = readValues(kw, line);
                            pendingTiff = pendingTiffField.joined();
                            pendingTiffLine = line;
                        } else {
                            addField(readValues(kw, line), line);
                        }
                        break;
                    case "FILEVERSION":
                        throw err(t, line, "FileVersion appears again: expected it only as the first statement");
                    case "ENDOFFILE": {
                        String semi = t.next();
                        if (semi == null || !semi.equals(";")) {
                            throw err(t, line, "expected ';' after EndOfFile");
                        }
                        if (!t.onlyPaddingLeft()) {
                            String extra = t.next();
                            throw err(t, t.line(), "unexpected text after EndOfFile: '" + abbreviate(extra) + "'");
                        }
                        done = true;
                        if (!inWafer) {
                            if (fileRecord == null) {
                                fileRecord = new KlarfRecord("FileRecord", version, fileFields, List.of(), List.of());
                            }
                            return null;
                        }
                        return finishWafer(line);
                    }
                    case "CLASSLOOKUP": {
                        KlarfField f = readValues(kw, line);
                        List<String> v = f.values();
                        if (v.isEmpty()) {
                            throw err(t, line, "ClassLookup: expected a class count, then a number and a name per class");
                        }
                        int n = parseCount(t, v.get(0), "ClassLookup");
                        if ((v.size() - 1) != 2L * n) {
                            throw err(t, line, "count mismatch: ClassLookup declares " + n + " classes, has "
                                    + (v.size() - 1) + " values after the count (expected " + 2L * n
                                    + ": a class number and a name per class)");
                        }
                        addField(f, line);
                        break;
                    }
                    default:
                        addField(readValues(kw, line), line);
                }
            }
        }

        private void checkKeyword(String kw, int line) throws FormatException {
            if (kw.equals(";")) {
                throw err(t, line, "stray ';': expected a keyword");
            }
            if (KlarfTokenizer.isQuoted(kw) || !Character.isLetter(kw.charAt(0))) {
                throw err(t, line, "expected a keyword, got '" + kw + "' (a value outside any statement; "
                        + "missing keyword or extra ';'?)");
            }
        }

        private void readFileVersion() throws IOException, FormatException {
            String kw = t.next();
            if (kw == null) {
                throw err(t, 1, "empty input: expected 'FileVersion 1 2;' or 'Record FileRecord \"1.8\"'");
            }
            int line = t.line();
            if (!kw.equalsIgnoreCase("FileVersion")) {
                throw err(t, line, "expected 'FileVersion' as the first keyword of a KLARF file, got '"
                        + abbreviate(kw) + "'");
            }
            KlarfField f = readValues(kw, line);
            if (f.values().size() != 2) {
                throw err(t, line, "FileVersion: expected 2 numbers (e.g. 'FileVersion 1 2;'), got '" + f.joined() + "'");
            }
            String v = f.values().get(0) + "." + f.values().get(1);
            if (!v.equals("1.1") && !v.equals("1.2")) {
                throw err(t, line, "unsupported KLARF version '" + abbreviate(f.joined())
                        + "': expected FileVersion 1 1 or 1 2 (or the 1.8 Record syntax)");
            }
            version = v;
        }

        private KlarfField readValues(String kw, int line) throws IOException, FormatException {
            List<String> vals = new ArrayList<>();
            while (true) {
                String s = t.next();
                if (s == null) {
                    throw err(t, t.currentLine(), "file ends inside the " + kw + " statement of line " + line
                            + ": expected ';' (the file is truncated)");
                }
                if (s.equals(";")) {
                    return new KlarfField(kw, vals);
                }
                if (t.line() > line && !KlarfTokenizer.isQuoted(s)
                        && KEYWORDS_12.contains(s.toUpperCase(Locale.ROOT))) {
                    throw err(t, line, "missing ';' at the end of the " + kw + " statement: found keyword " + s
                            + " on line " + t.line());
                }
                if (vals.size() >= MAX_STATEMENT_VALUES) {
                    throw err(t, line, kw + " has more than " + MAX_STATEMENT_VALUES + " values: expected ';'");
                }
                vals.add(s);
            }
        }

        private void addField(KlarfField f, int line) throws FormatException {
            checkField(t, line, f, 0);
            if (inWafer) {
                waferFields.add(f);
            } else {
                fileFields.add(f);
            }
        }

        private List<KlarfColumn> readSpec(String kw, int line) throws IOException, FormatException {
            KlarfField f = readValues(kw, line);
            if (f.values().isEmpty()) {
                throw err(t, line, kw + ": expected a column count and column names");
            }
            int n = parseCount(t, f.values().get(0), kw);
            int have = f.values().size() - 1;
            if (n != have) {
                throw err(t, line, kw + " declares " + n + " columns but names " + have);
            }
            List<KlarfColumn> cols = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 1; i < f.values().size(); i++) {
                String name = KlarfTokenizer.unquote(f.values().get(i));
                if (name.isBlank() || !seen.add(name.toUpperCase(Locale.ROOT))) {
                    throw err(t, line, kw + ": column name '" + name + "' is blank or repeated");
                }
                cols.add(new KlarfColumn("", name));
            }
            return cols;
        }

        private void startWafer(String id, int line) {
            inWafer = true;
            if (fileRecord == null) {
                fileRecord = new KlarfRecord("FileRecord", version, fileFields, List.of(), List.of());
            }
            waferId = id;
            waferLine = line;
            waferFields = new ArrayList<>();
            tests = new ArrayList<>();
            testOpen = false;
            summaryTables = new ArrayList<>();
            defects = new ArrayList<>();
            sections = new ArrayList<>();
            waferColumns = defectSpec;
            pendingTiff = null;
        }

        private void closeTest() {
            if (testOpen) {
                tests.add(new KlarfRecord("TestRecord", testName, testFields,
                        testPlan == null ? List.of() : List.of(testPlan), List.of()));
                testOpen = false;
            }
        }

        private void openTest(String name) {
            closeTest();
            testOpen = true;
            testName = name;
            testFields = new ArrayList<>();
            testPlan = null;
        }

        private void readTestStatement(String kw, String key, int line) throws IOException, FormatException {
            KlarfField f = readValues(kw, line);
            if (key.equals("INSPECTIONTEST")) {
                if (f.values().size() != 1) {
                    throw err(t, line, "InspectionTest: expected 1 value, got " + f.values().size());
                }
                openTest(f.text(0));
            } else if (key.equals("SAMPLETESTPLAN")) {
                if (!testOpen || testPlan != null) {
                    openTest("");
                }
                if (f.values().isEmpty()) {
                    throw err(t, line, "SampleTestPlan: expected a die count and die indices");
                }
                int n = parseCount(t, f.values().get(0), "SampleTestPlan");
                int have = f.values().size() - 1;
                if (have != 2L * n) {
                    throw err(t, line, "SampleTestPlan declares " + n + " dies, expected " + (2L * n)
                            + " indices after the count, got " + have);
                }
                List<List<String>> rows = new ArrayList<>();
                for (int i = 1; i < f.values().size(); i += 2) {
                    String x = f.values().get(i);
                    String y = f.values().get(i + 1);
                    for (String v : List.of(x, y)) {
                        try {
                            if (KlarfValues.parseInt(v) == Defect.UNKNOWN) {
                                throw new IllegalArgumentException("expected an integer, got '" + v + "'");
                            }
                        } catch (IllegalArgumentException e) {
                            throw err(t, line, "SampleTestPlan die " + ((i + 1) / 2) + ": " + e.getMessage());
                        }
                    }
                    rows.add(List.of(x, y));
                }
                testPlan = new KlarfTable("SampleTestPlanList",
                        List.of(new KlarfColumn("", "XINDEX"), new KlarfColumn("", "YINDEX")), rows);
            } else {
                boolean hasArea = testOpen && testFields.stream().anyMatch(x -> x.is("AreaPerTest"));
                if (!testOpen || hasArea) {
                    openTest("");
                }
                testFields.add(f);
            }
        }

        private void readSummaryList(int line) throws IOException, FormatException {
            if (summarySpec == null) {
                throw err(t, line, "SummaryList before any SummarySpec: expected 'SummarySpec n NAME...;' first");
            }
            if (!inWafer) {
                throw err(t, line, "SummaryList outside a wafer: expected WaferID (and DefectList) first");
            }
            KlarfField f = readValues("SummaryList", line);
            int n = summarySpec.size();
            if (n == 0 ? !f.values().isEmpty() : f.values().size() % n != 0) {
                throw err(t, line, "SummaryList holds " + f.values().size() + " values, not a multiple of the "
                        + n + " SummarySpec columns");
            }
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i + n <= f.values().size() && n > 0; i += n) {
                rows.add(f.values().subList(i, i + n));
            }
            summaryTables.add(new KlarfTable("SummaryList", summarySpec, rows));
        }

        private void readDefectList(int line) throws IOException, FormatException {
            List<KlarfColumn> cols = waferColumns;
            if (cols == null) {
                throw err(t, line, "DefectList before any DefectRecordSpec: expected 'DefectRecordSpec n NAME...;' first");
            }
            int n = cols.size();
            String[] keys = keys(cols);
            int count = 0;
            List<String> cells = new ArrayList<>(n);
            List<List<String>> images = new ArrayList<>(n);
            int rowLine = line;
            int rowNo = defects.size() + 1;
            while (true) {
                String s = t.next();
                if (s == null) {
                    throw err(t, t.currentLine(), "file ends inside the DefectList of line " + line
                            + ": expected ';' (the file is truncated)");
                }
                if (s.equals(";")) {
                    if (!cells.isEmpty()) {
                        throw err(t, t.line(), "count mismatch: DefectList row " + rowNo + " (line " + rowLine
                                + ") ends after " + cells.size() + " of the " + n
                                + " values DefectRecordSpec declares");
                    }
                    break;
                }
                if (cells.isEmpty()) {
                    rowLine = t.line();
                }
                if (!KlarfTokenizer.isQuoted(s) && KEYWORDS_12.contains(s.toUpperCase(Locale.ROOT))) {
                    throw err(t, t.line(), "missing ';' at the end of the DefectList of line " + line
                            + ": found keyword " + s + " where row " + rowNo + " expects a value");
                }
                if (n == 0) {
                    throw err(t, t.line(), "count mismatch: DefectRecordSpec declares no columns but the DefectList "
                            + "holds '" + abbreviate(s) + "'");
                }
                KlarfColumn c = cols.get(cells.size());
                if (c.isImageList()) {
                    int k = parseCount(t, s, "DefectList row " + rowNo + ", column " + c.name() + " (image count)");
                    StringBuilder raw = new StringBuilder(s);
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 2L * k; i++) {
                        String v = t.next();
                        if (v == null) {
                            throw err(t, t.currentLine(), "file ends inside the DefectList of line " + line
                                    + ": expected the images of row " + rowNo + " and ';' (the file is truncated)");
                        }
                        if (v.equals(";")) {
                            throw err(t, v == null ? t.currentLine() : t.line(), "count mismatch: DefectList row "
                                    + rowNo + ", column " + c.name() + " declares " + k
                                    + " images (id and type each) but the list ends after " + i + " values");
                        }
                        raw.append(' ').append(v);
                        if (i % 2 == 0) {
                            ids.add(KlarfTokenizer.unquote(v));
                        }
                    }
                    cells.add(raw.toString());
                    images.add(ids);
                } else {
                    cells.add(s);
                    images.add(List.of());
                }
                if (cells.size() == n) {
                    defects.add(toDefect(t, rowLine, rowNo, cols, keys, cells, images, 0));
                    count++;
                    rowNo++;
                    cells.clear();
                    images.clear();
                }
            }
            sections.add(new DefectSection(count, pendingTiff));
            pendingTiff = null;
        }

        private KlarfWafer finishWafer(int line) throws FormatException {
            closeTest();
            if (sections.isEmpty()) {
                throw err(t, line, "wafer '" + waferId + "' (WaferID on line " + waferLine + ") has no DefectList: "
                        + "expected DefectRecordSpec and DefectList before " + (done ? "EndOfFile" : "the next WaferID"));
            }
            if (pendingTiff != null) {
                waferFields.add(pendingTiffField);
            }
            List<KlarfRecord> records = new ArrayList<>(tests);
            if (!summaryTables.isEmpty()) {
                records.add(new KlarfRecord("SummaryRecord", "", List.of(), summaryTables, List.of()));
            }
            KlarfRecord w = new KlarfRecord("WaferRecord", waferId, waferFields, List.of(), records);
            List<DefectSection> secs = sections.size() == 1 && sections.get(0).tiffFileName() == null
                    ? List.of() : sections;
            inWafer = false;
            return makeWafer(t, waferLine, version, fileRecord, null, w, waferColumns, defects, secs);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    // ------------------------------------------------------------------------------------------
    // KLARF 1.8

    /** What the first pass over a 1.8 file collects: file and lot content outside the wafers. */
    private static final class Prescan {
        KlarfRecord file;
        final List<KlarfRecord> lots = new ArrayList<>();
    }

    private static Prescan prescan(InputStream in, String name) throws IOException, FormatException {
        KlarfTokenizer t = new KlarfTokenizer(decoder(new BufferedInputStream(in, 65536)), name);
        t.recordSyntax(true);
        Prescan p = new Prescan();
        Body18 b = new Body18(t);
        String version = b.fileHeader();
        List<KlarfField> fields = new ArrayList<>();
        List<KlarfTable> lists = new ArrayList<>();
        List<KlarfRecord> records = new ArrayList<>();
        while (true) {
            String s = need(t, "'}' closing the FileRecord");
            int line = t.line();
            if (s.equals("}")) {
                break;
            }
            if (s.equalsIgnoreCase("Record") && "LotRecord".equalsIgnoreCase(t.peek())) {
                t.next();
                String lotName = b.recordName();
                expect(t, "{", "opening the LotRecord");
                List<KlarfField> lf = new ArrayList<>();
                List<KlarfTable> ll = new ArrayList<>();
                List<KlarfRecord> lr = new ArrayList<>();
                while (true) {
                    String u = need(t, "'}' closing LotRecord \"" + lotName + "\"");
                    int uline = t.line();
                    if (u.equals("}")) {
                        break;
                    }
                    if (u.equalsIgnoreCase("Record") && "WaferRecord".equalsIgnoreCase(t.peek())) {
                        t.next();
                        b.recordName();
                        expect(t, "{", "opening a WaferRecord");
                        b.skipBlock();
                    } else {
                        b.item(u, uline, lf, ll, lr, 2, false);
                    }
                }
                p.lots.add(new KlarfRecord("LotRecord", lotName, lf, ll, lr));
            } else {
                b.item(s, line, fields, lists, records, 1, false);
            }
        }
        p.file = new KlarfRecord("FileRecord", version, fields, lists, records);
        b.end();
        return p;
    }

    /** Parser pieces of the 1.8 record syntax. */
    private static final class Body18 {
        final KlarfTokenizer t;

        Body18(KlarfTokenizer t) {
            this.t = t;
        }

        /** Reads the opening of the FileRecord (type, version, brace); returns the version. */
        String fileHeader() throws IOException, FormatException {
            String s = need(t, "'Record FileRecord \"1.8\"'");
            if (!s.equalsIgnoreCase("Record")) {
                throw err(t, t.line(), "expected 'Record' starting a KLARF 1.8 file, got '" + abbreviate(s) + "'");
            }
            expect(t, "FileRecord", "(a KLARF 1.8 file starts with 'Record FileRecord \"1.8\"')");
            String v = KlarfTokenizer.unquote(need(t, "the file version, e.g. \"1.8\""));
            if (!v.equals("1.8")) {
                throw err(t, t.line(), "unsupported KLARF version '" + abbreviate(v)
                        + "': expected \"1.8\" in the Record syntax (or FileVersion 1 1 / 1 2)");
            }
            expect(t, "{", "after Record FileRecord \"1.8\"");
            return v;
        }

        /** After the FileRecord's closing brace: {@code EndOfFile;} and nothing else. */
        void end() throws IOException, FormatException {
            String s = t.next();
            if (s == null) {
                throw err(t, t.currentLine(), "file ends without EndOfFile: expected 'EndOfFile;' after the FileRecord "
                        + "(the file is truncated)");
            }
            if (!s.equalsIgnoreCase("EndOfFile")) {
                throw err(t, t.line(), "expected 'EndOfFile;' after the FileRecord, got '" + abbreviate(s) + "'");
            }
            expect(t, ";", "after EndOfFile");
            if (!t.onlyPaddingLeft()) {
                String extra = t.next();
                throw err(t, t.line(), "unexpected text after EndOfFile: '" + abbreviate(extra) + "'");
            }
        }

        /** Reads an optional quoted record name (absent when the next token is '{'). */
        String recordName() throws IOException, FormatException {
            String p = t.peek();
            if (p == null) {
                need(t, "a record name or '{'");
            }
            if ("{".equals(p)) {
                return "";
            }
            String s = t.next();
            if (s.equals("}") || s.equals(",") || s.equals(";")) {
                throw err(t, t.line(), "expected a record name or '{', got '" + s + "'");
            }
            return KlarfTokenizer.unquote(s);
        }

        /** Skips to the brace closing the block just opened. */
        void skipBlock() throws IOException, FormatException {
            int depth = 1;
            int start = t.line();
            while (depth > 0) {
                String s = t.next();
                if (s == null) {
                    throw err(t, t.currentLine(), "file ends inside the block opened on line " + start
                            + ": expected '}' (the file is truncated)");
                }
                if (s.equals("{")) {
                    depth++;
                } else if (s.equals("}")) {
                    depth--;
                }
            }
        }

        /**
         * Reads one item (Field, List or Record) whose first token {@code s} was read already.
         */
        void item(String s, int line, List<KlarfField> fields, List<KlarfTable> lists, List<KlarfRecord> records,
                  int depth, boolean inWafer) throws IOException, FormatException {
            if (s.equalsIgnoreCase("Field")) {
                fields.add(field(line));
            } else if (s.equalsIgnoreCase("List")) {
                lists.add(list(line, null, null));
            } else if (s.equalsIgnoreCase("Record")) {
                records.add(record(line, depth + 1));
            } else {
                throw err(t, line, "expected 'Field', 'List', 'Record' or '}', got '" + abbreviate(s) + "'");
            }
        }

        KlarfField field(int line) throws IOException, FormatException {
            String name = need(t, "a field name");
            checkName(name, "a field name");
            int n = parseCount(t, need(t, "the value count of Field " + name), "Field " + name);
            expect(t, "{", "opening the values of Field " + name);
            List<String> vals = new ArrayList<>();
            String s = need(t, "the values of Field " + name);
            if (!s.equals("}")) {
                while (true) {
                    if (s.equals(",") || s.equals("{") || s.equals(";")) {
                        throw err(t, t.line(), "Field " + name + ": expected a value, got '" + s + "'");
                    }
                    if (vals.size() >= MAX_STATEMENT_VALUES) {
                        throw err(t, line, "Field " + name + " has more than " + MAX_STATEMENT_VALUES + " values");
                    }
                    vals.add(s);
                    String sep = need(t, "',' or '}' in Field " + name);
                    if (sep.equals("}")) {
                        break;
                    }
                    if (!sep.equals(",")) {
                        throw err(t, t.line(), "Field " + name + ": expected ',' or '}' after a value, got '"
                                + abbreviate(sep) + "'");
                    }
                    s = need(t, "a value in Field " + name);
                }
            }
            if (vals.size() != n) {
                throw err(t, line, "count mismatch: Field " + name + " declares " + n + " values, has " + vals.size());
            }
            KlarfField f = new KlarfField(name, vals);
            checkField(t, line, f, -3);
            return f;
        }

        private void checkName(String name, String what) throws FormatException {
            if (name.length() == 1 && "{},;".contains(name) || KlarfTokenizer.isQuoted(name)) {
                throw err(t, t.line(), "expected " + what + ", got '" + name + "'");
            }
        }

        List<KlarfColumn> columns(String listName) throws IOException, FormatException {
            expect(t, "Columns", "in List " + listName);
            int line = t.line();
            int n = parseCount(t, need(t, "the column count of List " + listName), "Columns of List " + listName);
            expect(t, "{", "opening the Columns of List " + listName);
            List<KlarfColumn> cols = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            String s = need(t, "the columns of List " + listName);
            if (!s.equals("}")) {
                while (true) {
                    checkName(s, "a column type");
                    String name = need(t, "a column name in List " + listName);
                    checkName(name, "a column name");
                    if (!seen.add(name.toUpperCase(Locale.ROOT))) {
                        throw err(t, t.line(), "List " + listName + ": column " + name + " appears twice");
                    }
                    if (cols.size() >= MAX_STATEMENT_VALUES) {
                        throw err(t, line, "List " + listName + " has more than " + MAX_STATEMENT_VALUES + " columns");
                    }
                    cols.add(new KlarfColumn(s, name));
                    String sep = need(t, "',' or '}' in the Columns of List " + listName);
                    if (sep.equals("}")) {
                        break;
                    }
                    if (!sep.equals(",")) {
                        throw err(t, t.line(), "List " + listName + ": expected ',' or '}' after column " + name
                                + ", got '" + abbreviate(sep) + "'");
                    }
                    s = need(t, "a column type in List " + listName);
                }
            }
            if (cols.size() != n) {
                throw err(t, line, "count mismatch: Columns of List " + listName + " declares " + n + " columns, names "
                        + cols.size());
            }
            return cols;
        }

        /**
         * Reads {@code Name { Columns ... Data n { rows } }} after the word List. When
         * {@code defects} is not null the rows become defects instead of table rows.
         */
        KlarfTable list(int line, List<Defect> defects, List<List<KlarfColumn>> defectCols)
                throws IOException, FormatException {
            String name = need(t, "a list name");
            checkName(name, "a list name");
            expect(t, "{", "opening List " + name);
            List<KlarfColumn> cols = columns(name);
            expect(t, "Data", "after the Columns of List " + name);
            int dataLine = t.line();
            int n = parseCount(t, need(t, "the row count of List " + name), "Data of List " + name);
            expect(t, "{", "opening the Data of List " + name);
            List<List<String>> rows = new ArrayList<>();
            String[] keys = keys(cols);
            int rowNo = 0;
            while (true) {
                String s = need(t, "a row or '}' in the Data of List " + name);
                if (s.equals("}")) {
                    break;
                }
                rowNo++;
                int rowLine = t.line();
                List<String> cells = new ArrayList<>(cols.size());
                List<List<String>> images = new ArrayList<>(cols.size());
                for (int i = 0; i < cols.size(); i++) {
                    if (i > 0) {
                        s = need(t, "value " + (i + 1) + " of " + cols.size() + " in row " + rowNo + " of List " + name);
                    }
                    if (s.equals(";") || s.equals("}") || s.equals(",") || s.equals("{")) {
                        throw err(t, t.line(), "count mismatch: row " + rowNo + " of List " + name + " (line "
                                + rowLine + ") has " + i + " values, Columns declares " + cols.size()
                                + (s.equals(";") ? "" : "; got '" + s + "'"));
                    }
                    if (cols.get(i).isImageList()) {
                        List<String> ids = new ArrayList<>();
                        cells.add(imageList(s, ids, name, rowNo));
                        images.add(ids);
                    } else {
                        cells.add(s);
                        images.add(List.of());
                    }
                }
                String end = need(t, "';' ending row " + rowNo + " of List " + name);
                if (!end.equals(";")) {
                    throw err(t, t.line(), "count mismatch: row " + rowNo + " of List " + name + " (line " + rowLine
                            + ") has more than the " + cols.size() + " values Columns declares: expected ';', got '"
                            + abbreviate(end) + "'");
                }
                if (rowNo > n) {
                    throw err(t, rowLine, "count mismatch: List " + name + " declares Data " + n
                            + " rows but has more");
                }
                if (defects != null) {
                    defects.add(toDefect(t, rowLine, rowNo, cols, keys, cells, images, -3));
                } else {
                    rows.add(cells);
                }
            }
            if (rowNo != n) {
                throw err(t, dataLine, "count mismatch: List " + name + " declares Data " + n + " rows, has " + rowNo);
            }
            expect(t, "}", "closing List " + name);
            if (defectCols != null) {
                defectCols.add(cols);
            }
            return new KlarfTable(name, cols, rows);
        }

        /** Reads an image list value: {@code N}, or {@code Images k { a b c d, ... }}; returns it as text. */
        String imageList(String first, List<String> ids, String listName, int rowNo) throws IOException, FormatException {
            if (!first.equalsIgnoreCase("Images")) {
                return first;
            }
            StringBuilder raw = new StringBuilder(first);
            String cs = need(t, "the image count after Images");
            int k = parseCount(t, cs, "Images in row " + rowNo + " of List " + listName);
            raw.append(' ').append(cs);
            expect(t, "{", "opening the Images of row " + rowNo + " of List " + listName);
            raw.append(" {");
            int count = 0;
            boolean expectImage = true;
            while (true) {
                String s = need(t, "'}' closing the Images of row " + rowNo + " of List " + listName);
                if (s.equals("}")) {
                    if (count > 0 && expectImage) {
                        throw err(t, t.line(), "Images of row " + rowNo + " of List " + listName
                                + ": expected an image after ','");
                    }
                    break;
                }
                if (s.equals("{") || s.equals(";")) {
                    throw err(t, t.line(), "Images of row " + rowNo + " of List " + listName
                            + ": expected an image or '}', got '" + s + "'");
                }
                if (s.equals(",")) {
                    if (expectImage) {
                        throw err(t, t.line(), "Images of row " + rowNo + " of List " + listName + ": empty image entry");
                    }
                    expectImage = true;
                    raw.append(',');
                    continue;
                }
                if (expectImage) {
                    count++;
                    ids.add(KlarfTokenizer.unquote(s));
                    expectImage = false;
                }
                if (raw.length() > KlarfTokenizer.MAX_TOKEN_CHARS * 16) {
                    throw err(t, t.line(), "Images of row " + rowNo + " of List " + listName + " is too long");
                }
                raw.append(' ').append(s);
            }
            raw.append(" }");
            if (count != k) {
                throw err(t, t.line(), "count mismatch: Images in row " + rowNo + " of List " + listName + " declares "
                        + k + " images, has " + count);
            }
            return raw.toString();
        }

        /** Reads a nested record after the word Record (type, optional name, body). */
        KlarfRecord record(int line, int depth) throws IOException, FormatException {
            if (depth > MAX_RECORD_DEPTH) {
                throw err(t, line, "records nested deeper than " + MAX_RECORD_DEPTH);
            }
            String type = need(t, "a record type");
            checkName(type, "a record type");
            if (type.equalsIgnoreCase("WaferRecord") || type.equalsIgnoreCase("LotRecord")
                    || type.equalsIgnoreCase("FileRecord")) {
                throw err(t, line, "unexpected " + type + " here: expected FileRecord > LotRecord > WaferRecord nesting");
            }
            String name = recordName();
            expect(t, "{", "opening Record " + type);
            List<KlarfField> fields = new ArrayList<>();
            List<KlarfTable> lists = new ArrayList<>();
            List<KlarfRecord> records = new ArrayList<>();
            while (true) {
                String s = need(t, "'}' closing Record " + type + " of line " + line);
                if (s.equals("}")) {
                    break;
                }
                item(s, t.line(), fields, lists, records, depth, false);
            }
            return new KlarfRecord(type, name, fields, lists, records);
        }
    }

    private static final class Parser18 implements Parser {
        private final KlarfTokenizer t;
        private final Prescan pre;
        private final Body18 b;
        private int state; // 0 start, 1 in file, 2 in lot, 3 done
        private int lotIndex = -1;

        Parser18(KlarfTokenizer t, Prescan pre) {
            this.t = t;
            this.pre = pre;
            this.b = new Body18(t);
        }

        @Override
        public String version() {
            return "1.8";
        }

        @Override
        public KlarfWafer next() throws IOException, FormatException {
            if (state == 0) {
                b.fileHeader();
                state = 1;
            }
            List<KlarfField> df = new ArrayList<>();
            List<KlarfTable> dl = new ArrayList<>();
            List<KlarfRecord> dr = new ArrayList<>();
            while (state != 3) {
                if (state == 1) {
                    String s = need(t, "'}' closing the FileRecord");
                    int line = t.line();
                    if (s.equals("}")) {
                        b.end();
                        state = 3;
                    } else if (s.equalsIgnoreCase("Record") && "LotRecord".equalsIgnoreCase(t.peek())) {
                        t.next();
                        b.recordName();
                        expect(t, "{", "opening the LotRecord");
                        lotIndex++;
                        state = 2;
                    } else {
                        b.item(s, line, df, dl, dr, 1, false);
                    }
                } else {
                    String s = need(t, "'}' closing a LotRecord");
                    int line = t.line();
                    if (s.equals("}")) {
                        state = 1;
                    } else if (s.equalsIgnoreCase("Record") && "WaferRecord".equalsIgnoreCase(t.peek())) {
                        t.next();
                        return wafer(line);
                    } else {
                        b.item(s, line, df, dl, dr, 2, false);
                    }
                }
                df.clear();
                dl.clear();
                dr.clear();
            }
            return null;
        }

        private KlarfWafer wafer(int line) throws IOException, FormatException {
            String name = b.recordName();
            expect(t, "{", "opening WaferRecord \"" + name + "\"");
            List<KlarfField> fields = new ArrayList<>();
            List<KlarfTable> lists = new ArrayList<>();
            List<KlarfRecord> records = new ArrayList<>();
            List<Defect> defects = new ArrayList<>();
            List<List<KlarfColumn>> defectCols = new ArrayList<>();
            while (true) {
                String s = need(t, "'}' closing WaferRecord \"" + name + "\" of line " + line);
                int l = t.line();
                if (s.equals("}")) {
                    break;
                }
                if (s.equalsIgnoreCase("List") && "DefectList".equalsIgnoreCase(t.peek())) {
                    if (!defectCols.isEmpty()) {
                        throw err(t, l, "a second DefectList in WaferRecord \"" + name + "\": expected one per wafer");
                    }
                    b.list(l, defects, defectCols);
                } else {
                    b.item(s, l, fields, lists, records, 3, true);
                }
            }
            if (defectCols.isEmpty()) {
                throw err(t, line, "WaferRecord \"" + name + "\" has no List DefectList");
            }
            if (lotIndex < 0 || lotIndex >= pre.lots.size()) {
                throw err(t, line, "LotRecord " + (lotIndex + 1) + " was not there on the first pass: "
                        + "expected the file not to change while it is read");
            }
            KlarfRecord lot = pre.lots.get(lotIndex);
            return makeWafer(t, line, "1.8", pre.file, lot,
                    new KlarfRecord("WaferRecord", name, fields, lists, records), defectCols.get(0), defects, List.of());
        }
    }
}
