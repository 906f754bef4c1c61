package org.fabai.core.io.klarf;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.fabai.core.defect.Defect;
import org.fabai.core.defect.DefectList;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.Notch;
import org.fabai.core.wafer.WaferMap;

/**
 * One wafer of a KLARF file with everything the file says about it: the file-, lot- and
 * wafer-level fields as written, the defects as a {@link DefectList} and a {@link WaferMap}.
 *
 * <p>Typed views of the common header fields ({@link #lotId()}, {@link #diePitch()},
 * {@link #resultTimestamp()}, ...) read the raw fields; lengths are always micrometres (KLARF 1.8
 * writes nanometres, 1.1/1.2 micrometres). The raw fields are what {@link KlarfWriter} writes back.
 *
 * <p>The wafer map: dies listed in a sample test plan are {@link DieState#GOOD}, dies with at least
 * one defect {@link DieState#FAIL} (a defect whose {@code XINDEX} or {@code YINDEX} is {@code NA}
 * is on no die and marks none), all other cells {@link DieState#OFF}. The grid spans the
 * bounding box of those dies (so without a test plan it spans the defect dies only); its origin is
 * set so that {@code WaferMap.dieX(col)}/{@code dieY(row)} give back the KLARF {@code XINDEX}/
 * {@code YINDEX}. A wafer with neither plan nor defects gets a 1x1 map with one OFF cell.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KlarfWafer {

    /** Most cells a wafer map built from a KLARF may have (guards against absurd die indices). */
    public static final long MAX_MAP_CELLS = 16L * 1024 * 1024;

    /** Defect columns read into the typed fields of {@link Defect}; all others go to its attributes. */
    static final Set<String> TYPED_COLUMNS = Set.of("DEFECTID", "XINDEX", "YINDEX", "XREL", "YREL", "XSIZE",
            "YSIZE", "DEFECTAREA", "DSIZE", "CLASSNUMBER", "TEST");

    private final String version;
    private final KlarfRecord file;
    private final KlarfRecord lot;
    private final KlarfRecord wafer;
    private final List<KlarfColumn> defectColumns;
    private final DefectList defects;
    private final List<DefectSection> sections;
    private final WaferMap map;

    /**
     * @param version       {@code "1.1"}, {@code "1.2"} or {@code "1.8"}
     * @param file          file-level record (1.1/1.2: every statement before the first wafer)
     * @param lot           1.8 lot record without its wafers; null for 1.1/1.2
     * @param wafer         wafer record (name = wafer id) without its DefectList
     * @param defectColumns the DefectRecordSpec / DefectList columns
     * @param defects       the defects, in source order
     * @param sections      how the defects were split into DefectList statements (1.1/1.2); empty
     *                      means one statement
     * @throws IllegalArgumentException when a header field cannot be read, a defect carries an
     *                                  attribute no column holds, or the die indices span a map of
     *                                  more than {@link #MAX_MAP_CELLS} cells
     */
    public KlarfWafer(String version, KlarfRecord file, KlarfRecord lot, KlarfRecord wafer,
                      List<KlarfColumn> defectColumns, List<Defect> defects, List<DefectSection> sections) {
        if (!List.of("1.1", "1.2", "1.8").contains(version)) {
            throw new IllegalArgumentException("version must be 1.1, 1.2 or 1.8, got " + version);
        }
        this.version = version;
        this.file = Objects.requireNonNull(file, "file");
        this.lot = lot;
        this.wafer = Objects.requireNonNull(wafer, "wafer");
        this.defectColumns = List.copyOf(defectColumns);
        this.sections = List.copyOf(sections);
        checkColumns(this.defectColumns);
        if (!this.sections.isEmpty()) {
            long sum = 0;
            for (DefectSection s : this.sections) {
                sum += s.count();
            }
            if (sum != defects.size()) {
                throw new IllegalArgumentException("sections hold " + sum + " defects, the wafer " + defects.size());
            }
        }
        Set<String> attrColumns = new LinkedHashSet<>();
        for (KlarfColumn c : this.defectColumns) {
            if (!TYPED_COLUMNS.contains(c.name().toUpperCase(Locale.ROOT))) {
                attrColumns.add(c.name());
            }
        }
        for (Defect d : defects) {
            if (!attrColumns.equals(d.attributes().keySet())) {
                throw new IllegalArgumentException("defect " + d.id() + " has attributes " + d.attributes().keySet()
                        + ", the columns need exactly " + attrColumns);
            }
        }
        Map<String, String> header = new LinkedHashMap<>();
        header.put("FileVersion", version);
        for (KlarfRecord r : lot == null ? List.of(file, wafer) : List.of(file, lot, wafer)) {
            for (KlarfField f : r.fields()) {
                header.put(f.name(), f.joined());
            }
        }
        // validate the typed views now, so that the accessors never fail later
        resultTimestamp();
        fileTimestamp();
        diePitch();
        dieOrigin();
        sampleCenter();
        int slot = slot();
        this.defects = new DefectList(lotId(), waferId(), slot, defects, header);
        this.map = buildMap();
    }

    /**
     * A KLARF 1.2 wafer built from a defect list (for writing inspection results that did not come
     * from a KLARF file). Columns are the typed {@link Defect} fields ({@code DEFECTID XREL YREL
     * XINDEX YINDEX XSIZE YSIZE DEFECTAREA DSIZE CLASSNUMBER TEST}) followed by the attribute
     * names, which every defect must carry; {@code LotID}, {@code DiePitch}, {@code Slot} and the
     * sample test plan are filled in. {@link DefectList#header()} is not copied.
     *
     * @param defects        the defects, lot and wafer ids, slot
     * @param diePitch       die pitch in micrometres, or null
     * @param sampleTestPlan dies inspected (GOOD unless they carry defects), possibly empty
     * @return the wafer
     * @throws IllegalArgumentException when defects differ in attribute names, when a defect has
     *                                  image ids but no {@code IMAGELIST} attribute, or an id holds
     *                                  a quote
     */
    public static KlarfWafer of(DefectList defects, KlarfPoint diePitch, List<DieIndex> sampleTestPlan) {
        Objects.requireNonNull(defects, "defects");
        Objects.requireNonNull(sampleTestPlan, "sampleTestPlan");
        List<KlarfField> fileFields = new ArrayList<>();
        fileFields.add(KlarfField.of("LotID", quoted(defects.lotId())));
        if (diePitch != null) {
            fileFields.add(KlarfField.of("DiePitch", KlarfValues.formatDouble(diePitch.x(), 0),
                    KlarfValues.formatDouble(diePitch.y(), 0)));
        }
        List<KlarfField> waferFields = new ArrayList<>();
        if (defects.slot() != Defect.UNKNOWN) {
            waferFields.add(KlarfField.of("Slot", Integer.toString(defects.slot())));
        }
        List<KlarfRecord> records = new ArrayList<>();
        if (!sampleTestPlan.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (DieIndex d : sampleTestPlan) {
                rows.add(List.of(Integer.toString(d.x()), Integer.toString(d.y())));
            }
            KlarfTable plan = new KlarfTable("SampleTestPlanList",
                    List.of(new KlarfColumn("", "XINDEX"), new KlarfColumn("", "YINDEX")), rows);
            records.add(new KlarfRecord("TestRecord", "", List.of(), List.of(plan), List.of()));
        }
        List<KlarfColumn> cols = new ArrayList<>();
        for (String c : List.of("DEFECTID", "XREL", "YREL", "XINDEX", "YINDEX", "XSIZE", "YSIZE", "DEFECTAREA",
                "DSIZE", "CLASSNUMBER", "TEST")) {
            cols.add(new KlarfColumn("", c));
        }
        if (!defects.defects().isEmpty()) {
            for (String a : defects.defects().get(0).attributes().keySet()) {
                cols.add(new KlarfColumn("", a));
            }
        }
        for (Defect d : defects.defects()) {
            if (!d.imageIds().isEmpty() && !d.attributes().containsKey("IMAGELIST")) {
                throw new IllegalArgumentException("defect " + d.id() + " has image ids but no IMAGELIST attribute "
                        + "(k, then k pairs of image id and type) to write them in");
            }
        }
        KlarfRecord file = new KlarfRecord("FileRecord", "1.2", fileFields, List.of(), List.of());
        KlarfRecord wafer = new KlarfRecord("WaferRecord", defects.waferId(), waferFields, List.of(), records);
        return new KlarfWafer("1.2", file, null, wafer, cols, defects.defects(), List.of());
    }

    private static String quoted(String s) {
        if (s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a KLARF id cannot hold quotes or line breaks: " + s);
        }
        return '"' + s + '"';
    }

    private static void checkColumns(List<KlarfColumn> cols) {
        Set<String> seen = new LinkedHashSet<>();
        for (KlarfColumn c : cols) {
            if (!seen.add(c.name().toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("defect column " + c.name() + " appears twice");
            }
        }
    }

    /** @return {@code "1.1"}, {@code "1.2"} or {@code "1.8"} */
    public String version() {
        return version;
    }

    /** @return the file-level record */
    public KlarfRecord fileRecord() {
        return file;
    }

    /** @return the 1.8 lot record (without its wafers), empty for 1.1/1.2 */
    public Optional<KlarfRecord> lotRecord() {
        return Optional.ofNullable(lot);
    }

    /** @return the wafer record (without its DefectList) */
    public KlarfRecord waferRecord() {
        return wafer;
    }

    /** @return the columns of the defect list */
    public List<KlarfColumn> defectColumns() {
        return defectColumns;
    }

    /** @return the defects, with the header fields in {@link DefectList#header()} */
    public DefectList defects() {
        return defects;
    }

    /** @return how the defects were split into DefectList statements; empty means one */
    public List<DefectSection> sections() {
        return sections;
    }

    /** @return the wafer map (see the class description) */
    public WaferMap map() {
        return map;
    }

    /**
     * Finds a header field, looking at the wafer, then the lot, then the file level.
     *
     * @param name field name, case ignored
     * @return the field
     */
    public Optional<KlarfField> field(String name) {
        Optional<KlarfField> f = wafer.field(name);
        if (f.isEmpty() && lot != null) {
            f = lot.field(name);
        }
        return f.isEmpty() ? file.field(name) : f;
    }

    private String text(String name) {
        return field(name).filter(f -> !f.values().isEmpty()).map(f -> f.text(0)).orElse("");
    }

    /** @return the lot id (1.8: the LotRecord name; 1.1/1.2: LotID), empty when absent */
    public String lotId() {
        return lot != null ? lot.name() : text("LotID");
    }

    /** @return the wafer id */
    public String waferId() {
        return wafer.name();
    }

    /** @return the slot (Slot / SlotNumber), or {@link Defect#UNKNOWN} */
    public int slot() {
        Optional<KlarfField> f = field("Slot").or(() -> field("SlotNumber"));
        if (f.isEmpty()) {
            return Defect.UNKNOWN;
        }
        if (f.get().values().size() != 1) {
            throw new IllegalArgumentException(f.get().name() + " expects 1 value, got " + f.get().values().size());
        }
        return KlarfValues.parseInt(f.get().text(0));
    }

    /** @return DeviceID, empty when absent */
    public String deviceId() {
        return text("DeviceID");
    }

    /** @return StepID, empty when absent */
    public String stepId() {
        return text("StepID");
    }

    /** @return the setup (1.1/1.2 SetupID) or recipe (1.8 RecipeID) name, empty when absent */
    public String setupId() {
        String s = text("SetupID");
        return s.isEmpty() ? text("RecipeID") : s;
    }

    /** @return ResultTimestamp (wafer level first), when present */
    public Optional<LocalDateTime> resultTimestamp() {
        return field("ResultTimestamp").map(KlarfWafer::timestamp);
    }

    /** @return FileTimestamp, when present */
    public Optional<LocalDateTime> fileTimestamp() {
        return field("FileTimestamp").map(KlarfWafer::timestamp);
    }

    private static LocalDateTime timestamp(KlarfField f) {
        try {
            return KlarfValues.parseTimestamp(f.values());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.name() + ": " + e.getMessage(), e);
        }
    }

    /** @return DiePitch in micrometres, when present */
    public Optional<KlarfPoint> diePitch() {
        return point("DiePitch");
    }

    /** @return DieOrigin in micrometres, when present */
    public Optional<KlarfPoint> dieOrigin() {
        return point("DieOrigin");
    }

    /** @return SampleCenterLocation in micrometres, when present */
    public Optional<KlarfPoint> sampleCenter() {
        return point("SampleCenterLocation");
    }

    int lengthScale() {
        return version.equals("1.8") ? -3 : 0;
    }

    private Optional<KlarfPoint> point(String name) {
        Optional<KlarfField> f = field(name);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        List<String> v = f.get().values();
        if (v.size() != 2) {
            throw new IllegalArgumentException(name + " expects 2 numbers, got " + v.size() + " values");
        }
        try {
            return Optional.of(new KlarfPoint(KlarfValues.parseDouble(f.get().text(0), lengthScale()),
                    KlarfValues.parseDouble(f.get().text(1), lengthScale())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the notch from OrientationMarkLocation (1.1/1.2: UP/DOWN/LEFT/RIGHT; 1.8: 0 is down,
     *         180 up; other angles are not interpreted), {@link Notch#UNKNOWN} otherwise
     */
    public Notch notch() {
        String s = text("OrientationMarkLocation");
        if (version.equals("1.8") || KlarfValues.isNumber(s)) {
            if (!KlarfValues.isNumber(s)) {
                return Notch.parse(s);
            }
            double deg = Double.parseDouble(s);
            return deg == 0 ? Notch.DOWN : deg == 180 ? Notch.UP : Notch.UNKNOWN;
        }
        return Notch.parse(s);
    }

    /** @return the test records (1.8 TestRecord; 1.1/1.2 InspectionTest with SampleTestPlan, AreaPerTest) */
    public List<KlarfRecord> tests() {
        List<KlarfRecord> out = new ArrayList<>();
        for (KlarfRecord r : wafer.records()) {
            if (r.type().equalsIgnoreCase("TestRecord")) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return the dies of all sample test plans of this wafer, without repeats, in source order */
    public List<DieIndex> sampleTestPlan() {
        Set<DieIndex> dies = new LinkedHashSet<>();
        List<KlarfTable> plans = new ArrayList<>();
        wafer.list("SampleTestPlanList").ifPresent(plans::add);
        for (KlarfRecord t : tests()) {
            t.list("SampleTestPlanList").ifPresent(plans::add);
        }
        for (KlarfTable p : plans) {
            int xi = p.columnIndex("XINDEX");
            int yi = p.columnIndex("YINDEX");
            if (xi < 0 || yi < 0) {
                throw new IllegalArgumentException("SampleTestPlanList needs XINDEX and YINDEX columns, has "
                        + p.columns());
            }
            for (List<String> row : p.rows()) {
                int x = KlarfValues.parseInt(KlarfTokenizer.unquote(row.get(xi)));
                int y = KlarfValues.parseInt(KlarfTokenizer.unquote(row.get(yi)));
                if (x == Defect.UNKNOWN || y == Defect.UNKNOWN) {
                    throw new IllegalArgumentException("SampleTestPlanList die index must not be NA");
                }
                dies.add(new DieIndex(x, y));
            }
        }
        return List.copyOf(dies);
    }

    /** @return the summary tables (1.2 SummarySpec/SummaryList; 1.8 lists of the SummaryRecord) */
    public List<KlarfTable> summaries() {
        List<KlarfTable> out = new ArrayList<>();
        for (KlarfRecord r : wafer.records()) {
            if (r.type().equalsIgnoreCase("SummaryRecord")) {
                out.addAll(r.lists());
            }
        }
        return out;
    }

    private WaferMap buildMap() {
        List<DieIndex> plan = sampleTestPlan();
        long minX = Long.MAX_VALUE;
        long maxX = Long.MIN_VALUE;
        long minY = Long.MAX_VALUE;
        long maxY = Long.MIN_VALUE;
        for (DieIndex d : plan) {
            minX = Math.min(minX, d.x());
            maxX = Math.max(maxX, d.x());
            minY = Math.min(minY, d.y());
            maxY = Math.max(maxY, d.y());
        }
        for (Defect d : defects.defects()) {
            if (d.dieX() != Defect.UNKNOWN && d.dieY() != Defect.UNKNOWN) {
                minX = Math.min(minX, d.dieX());
                maxX = Math.max(maxX, d.dieX());
                minY = Math.min(minY, d.dieY());
                maxY = Math.max(maxY, d.dieY());
            }
        }
        WaferMap.Builder b;
        if (minX == Long.MAX_VALUE) {
            b = WaferMap.builder(1, 1);
        } else {
            long cols = maxX - minX + 1;
            long rows = maxY - minY + 1;
            if (cols * rows > MAX_MAP_CELLS) {
                throw new IllegalArgumentException("die indices span " + cols + " x " + rows
                        + " dies (x " + minX + ".." + maxX + ", y " + minY + ".." + maxY + "), more than "
                        + MAX_MAP_CELLS + " cells");
            }
            b = WaferMap.builder((int) rows, (int) cols).origin((int) minX, (int) maxY);
            for (DieIndex d : plan) {
                b.state((int) (maxY - d.y()), (int) (d.x() - minX), DieState.GOOD);
            }
            for (Defect d : defects.defects()) {
                if (d.dieX() != Defect.UNKNOWN && d.dieY() != Defect.UNKNOWN) {
                    b.state((int) (maxY - d.dieY()), (int) (d.dieX() - minX), DieState.FAIL);
                }
            }
        }
        b.lotId(lotId()).waferId(waferId()).notch(notch());
        diePitch().ifPresent(p -> {
            if (p.x() > 0 && p.y() > 0 && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                b.diePitch(p.x(), p.y());
            }
        });
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KlarfWafer)) {
            return false;
        }
        KlarfWafer w = (KlarfWafer) o;
        return version.equals(w.version) && file.equals(w.file) && Objects.equals(lot, w.lot)
                && wafer.equals(w.wafer) && defectColumns.equals(w.defectColumns)
                && defects.equals(w.defects) && sections.equals(w.sections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, file, lot, wafer, defectColumns, defects, sections);
    }

    @Override
    public String toString() {
        return "KlarfWafer[" + version + ", lot=" + lotId() + ", wafer=" + waferId() + ", defects=" + defects.size()
                + ", " + map + "]";
    }
}
