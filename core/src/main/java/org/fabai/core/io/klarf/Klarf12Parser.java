package org.fabai.core.io.klarf;

import static org.fabai.core.io.klarf.KlarfParsing.*;
import static org.fabai.core.io.klarf.KlarfReader.MAX_RECORD_DEPTH;
import static org.fabai.core.io.klarf.KlarfReader.MAX_STATEMENT_VALUES;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fabai.core.defect.Defect;
import org.fabai.core.io.FormatException;

import org.fabai.core.io.klarf.KlarfParsing.Parser;

/**
 * The KLARF 1.1/1.2 parser: keyword statements ending in {@code ;}, read wafer by wafer (see
 * {@link KlarfReader} for what is accepted). Not thread-safe.
 */
final class Klarf12Parser implements Parser {

    /** The keywords of KLARF 1.1/1.2 (a statement starts with one of them). */
    static final Set<String> KEYWORDS_12 = Set.of("FILEVERSION", "FILETIMESTAMP", "INSPECTIONSTATIONID",
            "SAMPLETYPE", "RESULTTIMESTAMP", "LOTID", "SAMPLESIZE", "DEVICEID", "SETUPID", "STEPID",
            "SAMPLEORIENTATIONMARKTYPE", "ORIENTATIONMARKLOCATION", "DIEPITCH", "DIEORIGIN", "WAFERID", "SLOT",
            "SAMPLECENTERLOCATION", "CLASSLOOKUP", "INSPECTIONTEST", "SAMPLETESTPLAN", "AREAPERTEST",
            "DEFECTRECORDSPEC", "DEFECTLIST", "SUMMARYSPEC", "SUMMARYLIST", "ENDOFFILE", "TIFFSPEC",
            "TIFFFILENAME", "RESULTSID", "ORIENTATIONINSTRUCTIONS", "COORDINATESMIRRORED",
            "PROCESSEQUIPMENTIDLIST", "REMOVEDDIELIST", "LOTSTATUS", "WAFERSTATUS", "SAMPLEDIEMAP",
            "CUSTOMWAFERLIST");

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

    Klarf12Parser(KlarfTokenizer t) {
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
                    KlarfWafer finished = waferId(kw, line);
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
                    tiffFileName(kw, line);
                    break;
                case "FILEVERSION":
                    throw err(t, line, "FileVersion appears again: expected it only as the first statement");
                case "ENDOFFILE":
                    return endOfFile(line);
                case "CLASSLOOKUP":
                    addField(classLookup(kw, line), line);
                    break;
                default:
                    addField(readValues(kw, line), line);
            }
        }
    }

    /** WaferID: finishes the wafer in progress (returned, or null) and starts the named one. */
    private KlarfWafer waferId(String kw, int line) throws IOException, FormatException {
        KlarfField f = readValues(kw, line);
        if (f.values().size() != 1) {
            throw err(t, line, "WaferID: expected 1 value, got " + f.values().size()
                    + " (" + f.joined() + ")" + (f.values().size() > 1 ? "; missing ';'?" : ""));
        }
        KlarfWafer finished = inWafer ? finishWafer(line) : null;
        startWafer(f.text(0), line);
        return finished;
    }

    /** TiffFileName: inside a wafer, the images of the DefectList that must follow; else a file field. */
    private void tiffFileName(String kw, int line) throws IOException, FormatException {
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
    }

    /** EndOfFile: nothing may follow it but padding; returns the last wafer, or null when none is open. */
    private KlarfWafer endOfFile(int line) throws IOException, FormatException {
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

    /** ClassLookup: a class count, then a number and a name per class. */
    private KlarfField classLookup(String kw, int line) throws IOException, FormatException {
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
        return f;
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
