package org.fabai.core.io.klarf;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fabai.core.defect.Defect;
import org.fabai.core.io.FormatException;

/**
 * What the KLARF parsers share: the parser contract, token expectations with line-numbered errors,
 * defect rows, header-field checks and wafer assembly. Stateless, package-private.
 */
final class KlarfParsing {

    private KlarfParsing() {
    }

    /** One KLARF syntax: 1.1/1.2 statements ({@link Klarf12Parser}) or 1.8 records ({@link Klarf18Parser}). */
    interface Parser {
        KlarfWafer next() throws IOException, FormatException;

        String version();
    }

    static Reader decoder(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }


    static FormatException err(KlarfTokenizer t, int line, String msg) {
        return t.error(line, msg);
    }

    static String need(KlarfTokenizer t, String what) throws IOException, FormatException {
        String s = t.next();
        if (s == null) {
            throw err(t, t.currentLine(), "file ends: expected " + what
                    + " (the file is truncated; a KLARF file ends with EndOfFile;)");
        }
        return s;
    }

    static void expect(KlarfTokenizer t, String token, String context) throws IOException, FormatException {
        String s = need(t, "'" + token + "' " + context);
        if (!s.equalsIgnoreCase(token)) {
            throw err(t, t.line(), "expected '" + token + "' " + context + ", got '" + s + "'");
        }
    }

    static int parseCount(KlarfTokenizer t, String s, String what) throws FormatException {
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
    static String[] keys(List<KlarfColumn> cols) {
        String[] k = new String[cols.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = cols.get(i).name().toUpperCase(Locale.ROOT);
        }
        return k;
    }

    static Defect toDefect(KlarfTokenizer t, int line, int rowNo, List<KlarfColumn> cols, String[] keys,
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
    static void checkField(KlarfTokenizer t, int line, KlarfField f, int scale) throws FormatException {
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

    static void arity(KlarfField f, int n) {
        if (f.values().size() != n) {
            throw new IllegalArgumentException("expected " + n + (n == 1 ? " value" : " values") + ", got "
                    + f.values().size() + " (" + f.joined() + ")" + (f.values().size() > n ? "; missing ';'?" : ""));
        }
    }

    static KlarfWafer makeWafer(KlarfTokenizer t, int line, String version, KlarfRecord file, KlarfRecord lot,
                                        KlarfRecord wafer, List<KlarfColumn> cols, List<Defect> defects,
                                        List<DefectSection> sections) throws FormatException {
        try {
            return new KlarfWafer(version, file, lot, wafer, cols, defects, sections);
        } catch (IllegalArgumentException e) {
            throw err(t, line, "wafer '" + wafer.name() + "': " + e.getMessage());
        }
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
