package org.fabai.core.io.klarf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.fabai.core.defect.Defect;

/**
 * Writes a {@link KlarfFile} in the syntax of its version: 1.1/1.2 keyword statements or the 1.8
 * record syntax. What {@link KlarfReader} reads, this writes back so that reading the output gives
 * an equal {@link KlarfFile} (same fields, tables, defects and wafer maps; layout and number
 * spelling may differ, e.g. {@code 1.5000000000e+005} becomes {@code 150000}).
 *
 * <p>Lengths of the typed defect columns are written in the version's unit (micrometres for
 * 1.1/1.2, nanometres for 1.8); NaN and {@link Defect#UNKNOWN} are written as {@code NA}. Other
 * columns and all header fields are written as read.
 *
 * <p>Stateless and thread-safe.
 */
public final class KlarfWriter {

    private KlarfWriter() {
    }

    /**
     * Writes a file (UTF-8).
     *
     * @param file the KLARF content
     * @param path where to write
     * @throws IOException              when writing fails
     * @throws IllegalArgumentException when the content cannot be written in its version (see
     *                                  {@link #write(KlarfFile, Writer)})
     */
    public static void write(KlarfFile file, Path path) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            write(file, out);
        }
    }

    /**
     * Writes to a stream (UTF-8); the stream is flushed, not closed.
     *
     * @param file the KLARF content
     * @param out  where to write
     * @throws IOException when writing fails
     */
    public static void write(KlarfFile file, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        write(file, w);
        w.flush();
    }

    /**
     * @param file the KLARF content
     * @return the KLARF text
     */
    public static String toText(KlarfFile file) {
        StringWriter sw = new StringWriter();
        try {
            write(file, sw);
        } catch (IOException e) {
            throw new IllegalStateException("StringWriter failed", e);
        }
        return sw.toString();
    }

    /**
     * Writes to a character stream; not closed.
     *
     * @param file the KLARF content
     * @param w    where to write
     * @throws IOException              when writing fails
     * @throws IllegalArgumentException when a wafer's version differs from the file's, when 1.1/1.2
     *                                  wafers do not share one file header, when 1.1/1.2 content has
     *                                  what only 1.8 can hold (lists, other records), or when a value
     *                                  is not one KLARF token
     */
    public static void write(KlarfFile file, Writer w) throws IOException {
        for (KlarfWafer wf : file.wafers()) {
            if (!wf.version().equals(file.version())) {
                throw new IllegalArgumentException("wafer " + wf.waferId() + " is KLARF " + wf.version()
                        + ", the file " + file.version() + "; convert before writing");
            }
        }
        switch (file.version()) {
            case "1.1":
            case "1.2":
                write12(file, w);
                break;
            case "1.8":
                write18(file, w);
                break;
            default:
                throw new IllegalArgumentException("cannot write KLARF version " + file.version()
                        + ": expected 1.1, 1.2 or 1.8");
        }
    }

    // ---------------------------------------------------------------------------------------- 1.2

    private static void write12(KlarfFile file, Writer w) throws IOException {
        w.write("FileVersion " + file.version().replace('.', ' ') + ";\n");
        KlarfRecord header = file.wafers().isEmpty() ? null : file.wafers().get(0).fileRecord();
        if (header != null) {
            if (!header.lists().isEmpty() || !header.records().isEmpty()) {
                throw new IllegalArgumentException("KLARF " + file.version() + " cannot hold file-level lists or records");
            }
            for (KlarfField f : header.fields()) {
                statement(w, f.name(), f.values());
            }
        }
        for (KlarfWafer wf : file.wafers()) {
            if (!wf.fileRecord().equals(header)) {
                throw new IllegalArgumentException("KLARF " + file.version()
                        + " holds one file header; wafer " + wf.waferId() + " has another");
            }
            if (wf.lotRecord().isPresent()) {
                throw new IllegalArgumentException("KLARF " + file.version() + " has no LotRecord");
            }
            KlarfRecord wr = wf.waferRecord();
            if (!wr.lists().isEmpty()) {
                throw new IllegalArgumentException("KLARF " + file.version() + " cannot hold wafer-level lists");
            }
            statement(w, "WaferID", List.of(quote(wr.name())));
            for (KlarfField f : wr.fields()) {
                if (!f.is("TiffFileName")) {
                    statement(w, f.name(), f.values());
                }
            }
            for (KlarfRecord r : wr.records()) {
                if (r.type().equalsIgnoreCase("TestRecord")) {
                    writeTest12(w, r);
                } else if (!r.type().equalsIgnoreCase("SummaryRecord")) {
                    throw new IllegalArgumentException("KLARF " + file.version() + " cannot hold a " + r.type());
                }
            }
            writeDefects12(w, wf);
            // a TiffFileName with no DefectList after it (the reader keeps it as a wafer field)
            for (KlarfField f : wr.fields()) {
                if (f.is("TiffFileName")) {
                    statement(w, f.name(), f.values());
                }
            }
            writeSummaries12(w, file, wr);
        }
        w.write("EndOfFile;\n");
    }

    /** A KLARF 1.2 wafer's DefectRecordSpec and its DefectLists (one per TIFF section). */
    private static void writeDefects12(Writer w, KlarfWafer wf) throws IOException {
        StringBuilder spec = new StringBuilder("DefectRecordSpec ").append(wf.defectColumns().size());
        for (KlarfColumn c : wf.defectColumns()) {
            spec.append(' ').append(token(c.name(), false));
        }
        w.write(spec.append(";\n").toString());
        List<DefectSection> sections = wf.sections().isEmpty()
                ? List.of(new DefectSection(wf.defects().size(), null)) : wf.sections();
        int k = 0;
        for (DefectSection s : sections) {
            if (s.tiffFileName() != null) {
                w.write("TiffFileName " + s.tiffFileName() + ";\n");
            }
            w.write("DefectList");
            for (int i = 0; i < s.count(); i++) {
                w.write("\n ");
                w.write(row(wf.defectColumns(), wf.defects().defects().get(k++), 0));
            }
            w.write(";\n");
        }
    }

    /** A KLARF 1.2 wafer's SummaryRecords as SummarySpec and SummaryList statements. */
    private static void writeSummaries12(Writer w, KlarfFile file, KlarfRecord wr) throws IOException {
        for (KlarfRecord r : wr.records()) {
            if (r.type().equalsIgnoreCase("SummaryRecord")) {
                if (!r.fields().isEmpty() || !r.records().isEmpty()) {
                    throw new IllegalArgumentException("KLARF " + file.version()
                            + " summaries hold tables only");
                }
                for (KlarfTable t : r.lists()) {
                    StringBuilder sb = new StringBuilder("SummarySpec ").append(t.columns().size());
                    for (KlarfColumn c : t.columns()) {
                        sb.append(' ').append(token(c.name(), false));
                    }
                    w.write(sb.append(";\nSummaryList").toString());
                    for (List<String> rowCells : t.rows()) {
                        w.write("\n ");
                        w.write(String.join(" ", checkAll(rowCells, false)));
                    }
                    w.write(";\n");
                }
            }
        }
    }

    private static void writeTest12(Writer w, KlarfRecord r) throws IOException {
        if (!r.records().isEmpty() || r.lists().size() > 1) {
            throw new IllegalArgumentException("a KLARF 1.1/1.2 test holds one SampleTestPlan and fields only");
        }
        if (!r.name().isEmpty()) {
            statement(w, "InspectionTest", List.of(token(r.name(), false)));
        }
        for (KlarfTable plan : r.lists()) {
            int xi = plan.columnIndex("XINDEX");
            int yi = plan.columnIndex("YINDEX");
            if (!plan.name().equalsIgnoreCase("SampleTestPlanList") || xi < 0 || yi < 0 || plan.columns().size() != 2) {
                throw new IllegalArgumentException("a KLARF 1.1/1.2 test list must be SampleTestPlanList (XINDEX, YINDEX)");
            }
            StringBuilder sb = new StringBuilder("SampleTestPlan ").append(plan.rows().size());
            for (List<String> row : plan.rows()) {
                sb.append("\n ").append(token(row.get(xi), false)).append(' ').append(token(row.get(yi), false));
            }
            w.write(sb.append(";\n").toString());
        }
        for (KlarfField f : r.fields()) {
            statement(w, f.name(), f.values());
        }
    }

    private static void statement(Writer w, String name, List<String> values) throws IOException {
        StringBuilder sb = new StringBuilder(token(name, false));
        for (String v : values) {
            sb.append(' ').append(token(v, false));
        }
        w.write(sb.append(";\n").toString());
    }

    private static String row(List<KlarfColumn> cols, Defect d, int scale) {
        StringBuilder sb = new StringBuilder();
        for (KlarfColumn c : cols) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String v;
            switch (c.name().toUpperCase(Locale.ROOT)) {
                case "DEFECTID": v = KlarfValues.formatInt(d.id()); break;
                case "XINDEX": v = KlarfValues.formatInt(d.dieX()); break;
                case "YINDEX": v = KlarfValues.formatInt(d.dieY()); break;
                case "XREL": v = KlarfValues.formatDouble(d.xRel(), scale); break;
                case "YREL": v = KlarfValues.formatDouble(d.yRel(), scale); break;
                case "XSIZE": v = KlarfValues.formatDouble(d.xSize(), scale); break;
                case "YSIZE": v = KlarfValues.formatDouble(d.ySize(), scale); break;
                case "DEFECTAREA": v = KlarfValues.formatDouble(d.area(), 2 * scale); break;
                case "DSIZE": v = KlarfValues.formatDouble(d.dSize(), scale); break;
                case "CLASSNUMBER": v = KlarfValues.formatInt(d.classNumber()); break;
                case "TEST": v = KlarfValues.formatInt(d.test()); break;
                default:
                    v = d.attributes().get(c.name());
                    if (v == null) {
                        throw new IllegalArgumentException("defect " + d.id() + " has no value for column " + c.name());
                    }
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException("defect " + d.id() + " has an empty value for column "
                                + c.name());
                    }
            }
            sb.append(v);
        }
        return sb.toString();
    }

    private static List<String> checkAll(List<String> tokens, boolean recordSyntax) {
        for (String s : tokens) {
            token(s, recordSyntax);
        }
        return tokens;
    }

    /** Checks that a value reads back as exactly one token. */
    private static String token(String s, boolean recordSyntax) {
        if (KlarfTokenizer.isQuoted(s) && s.indexOf('"', 1) == s.length() - 1 && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        boolean ok = !s.isEmpty();
        for (int i = 0; i < s.length() && ok; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == ';' || c == '"' || c == 0x7F
                    || recordSyntax && (c == '{' || c == '}' || c == ',')) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + s + "' is not one KLARF token; quote strings that hold spaces");
        }
        return s;
    }

    private static String quote(String s) {
        if (s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a KLARF name cannot hold quotes or line breaks: " + s);
        }
        return '"' + s + '"';
    }

    // ---------------------------------------------------------------------------------------- 1.8

    private static void write18(KlarfFile file, Writer w) throws IOException {
        w.write("Record FileRecord \"1.8\"\n{\n");
        KlarfRecord header = file.wafers().isEmpty() ? null : file.wafers().get(0).fileRecord();
        if (header != null) {
            body(w, header, "  ");
        }
        KlarfRecord lot = null;
        for (KlarfWafer wf : file.wafers()) {
            if (!wf.fileRecord().equals(header)) {
                throw new IllegalArgumentException("KLARF 1.8 holds one FileRecord; wafer " + wf.waferId()
                        + " has another");
            }
            KlarfRecord l = wf.lotRecord().orElseThrow(() ->
                    new IllegalArgumentException("KLARF 1.8 wafer " + wf.waferId() + " has no LotRecord"));
            if (!l.equals(lot)) {
                if (lot != null) {
                    w.write("  }\n");
                }
                lot = l;
                w.write("  Record LotRecord " + quote(l.name()) + "\n  {\n");
                body(w, l, "    ");
            }
            KlarfRecord wr = wf.waferRecord();
            w.write("    Record WaferRecord " + quote(wr.name()) + "\n    {\n");
            for (KlarfField f : wr.fields()) {
                field(w, f, "      ");
            }
            for (KlarfTable t : wr.lists()) {
                table(w, t, "      ");
            }
            w.write("      List DefectList\n      {\n");
            columns(w, wf.defectColumns(), "        ");
            w.write("        Data " + wf.defects().size() + "\n        {\n");
            for (Defect d : wf.defects().defects()) {
                w.write("          ");
                w.write(row(wf.defectColumns(), d, -3));
                w.write(";\n");
            }
            w.write("        }\n      }\n");
            for (KlarfRecord r : wr.records()) {
                record(w, r, "      ");
            }
            w.write("    }\n");
        }
        if (lot != null) {
            w.write("  }\n");
        }
        w.write("}\nEndOfFile;\n");
    }

    private static void body(Writer w, KlarfRecord r, String indent) throws IOException {
        for (KlarfField f : r.fields()) {
            field(w, f, indent);
        }
        for (KlarfTable t : r.lists()) {
            table(w, t, indent);
        }
        for (KlarfRecord c : r.records()) {
            record(w, c, indent);
        }
    }

    private static void record(Writer w, KlarfRecord r, String indent) throws IOException {
        w.write(indent + "Record " + token(r.type(), true) + (r.name().isEmpty() ? "" : " " + quote(r.name()))
                + "\n" + indent + "{\n");
        body(w, r, indent + "  ");
        w.write(indent + "}\n");
    }

    private static void field(Writer w, KlarfField f, String indent) throws IOException {
        StringBuilder sb = new StringBuilder(indent).append("Field ").append(token(f.name(), true)).append(' ')
                .append(f.values().size()).append(" {");
        for (int i = 0; i < f.values().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(token(f.values().get(i), true));
        }
        w.write(sb.append("}\n").toString());
    }

    private static void columns(Writer w, List<KlarfColumn> cols, String indent) throws IOException {
        StringBuilder sb = new StringBuilder(indent).append("Columns ").append(cols.size()).append(" {");
        for (int i = 0; i < cols.size(); i++) {
            KlarfColumn c = cols.get(i);
            if (c.type().isEmpty()) {
                throw new IllegalArgumentException("KLARF 1.8 column " + c.name() + " needs a type");
            }
            sb.append(i == 0 ? " " : ", ").append(token(c.type(), true)).append(' ').append(token(c.name(), true));
        }
        w.write(sb.append(" }\n").toString());
    }

    private static void table(Writer w, KlarfTable t, String indent) throws IOException {
        w.write(indent + "List " + token(t.name(), true) + "\n" + indent + "{\n");
        columns(w, t.columns(), indent + "  ");
        w.write(indent + "  Data " + t.rows().size() + "\n" + indent + "  {\n");
        for (List<String> row : t.rows()) {
            StringBuilder sb = new StringBuilder(indent).append("    ");
            for (int i = 0; i < row.size(); i++) {
                String v = row.get(i);
                if (!t.columns().get(i).isImageList()) {
                    token(v, true);
                }
                sb.append(i == 0 ? "" : " ").append(v);
            }
            w.write(sb.append(";\n").toString());
        }
        w.write(indent + "  }\n" + indent + "}\n");
    }
}
