package org.fabai.core.defect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One defect found by an inspection tool.
 *
 * <p>Numeric fields a source does not give (or gives as {@code NA}) are {@code NaN}; integer
 * fields are {@link #UNKNOWN}. Columns fabai has no field for are kept, as text, in
 * {@link #attributes()} so that a writer can give them back.
 *
 * @param id          defect id within its wafer
 * @param dieX        die column index (KLARF XINDEX)
 * @param dieY        die row index (KLARF YINDEX)
 * @param xRel        x position inside the die, micrometres from the die origin
 * @param yRel        y position inside the die, micrometres
 * @param xSize       extent along x, micrometres
 * @param ySize       extent along y, micrometres
 * @param area        area, square micrometres
 * @param dSize       equivalent diameter, micrometres
 * @param classNumber classification code given by the tool or a reviewer
 * @param test        test (inspection pass) number
 * @param imageIds    ids of images taken of this defect, possibly empty
 * @param attributes  other columns of the source record, name to text, in source order
 */
public record Defect(long id, int dieX, int dieY, double xRel, double yRel, double xSize, double ySize,
                     double area, double dSize, int classNumber, int test, List<String> imageIds,
                     Map<String, String> attributes) {

    /** Value of an integer field that the source does not give. */
    public static final int UNKNOWN = Integer.MIN_VALUE;

    /** Copies the lists so the record is immutable. */
    public Defect {
        imageIds = List.copyOf(Objects.requireNonNull(imageIds, "imageIds"));
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(attributes, "attributes")));
    }

    /**
     * A defect with position and class only.
     *
     * @param id          id
     * @param dieX        die column index
     * @param dieY        die row index
     * @param xRel        x inside the die
     * @param yRel        y inside the die
     * @param classNumber class code
     * @return the defect
     */
    public static Defect of(long id, int dieX, int dieY, double xRel, double yRel, int classNumber) {
        return new Defect(id, dieX, dieY, xRel, yRel, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                classNumber, UNKNOWN, List.of(), Map.of());
    }
}
