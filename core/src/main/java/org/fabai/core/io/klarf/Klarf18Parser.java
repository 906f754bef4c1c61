package org.fabai.core.io.klarf;

import static org.fabai.core.io.klarf.KlarfParsing.*;
import static org.fabai.core.io.klarf.KlarfReader.MAX_RECORD_DEPTH;
import static org.fabai.core.io.klarf.KlarfReader.MAX_STATEMENT_VALUES;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fabai.core.defect.Defect;
import org.fabai.core.io.FormatException;

import org.fabai.core.io.klarf.KlarfParsing.Parser;

/**
 * The KLARF 1.8 parser: nested {@code Record}/{@code Field}/{@code List} syntax; a first pass
 * ({@link #prescan}) collects file and lot content outside the wafers, the second streams the
 * wafers ({@link Parser18}). Not thread-safe.
 */
final class Klarf18Parser {

    private Klarf18Parser() {
    }

    /** What the first pass over a 1.8 file collects: file and lot content outside the wafers. */
    static final class Prescan {
        KlarfRecord file;
        final List<KlarfRecord> lots = new ArrayList<>();
    }

    static Prescan prescan(InputStream in, String name) throws IOException, FormatException {
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

    static final class Parser18 implements Parser {
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
