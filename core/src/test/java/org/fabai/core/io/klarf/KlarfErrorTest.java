package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;

/** The reader's error messages: each names the source, the line and what was expected. */
class KlarfErrorTest {

    private static final String HEAD = "FileVersion 1 2;\nLotID \"L\";\n"
            + "DefectRecordSpec 4 DEFECTID XINDEX YINDEX XREL;\nWaferID \"W\";\n";

    @Test
    void bad12WaferWithoutDefectList() throws Exception {
        Path p = KlarfSamples.shared("bad12.klarf");
        FormatException e = assertThrows(FormatException.class, () -> KlarfReader.read(p));
        System.out.println("bad12.klarf -> " + e.getMessage());
        assertEquals(p.toString(), e.source());
        assertEquals("line 37", e.location());
        assertTrue(e.getMessage().contains("wafer 'anotherWafer' (WaferID on line 36) has no DefectList"), e.getMessage());
    }

    @Test
    void bad12DefectListRowWithAnExtraValue() throws Exception {
        Path p = KlarfSamples.shared("bad12DefectList.klarf");
        FormatException e = assertThrows(FormatException.class, () -> KlarfReader.read(p));
        System.out.println("bad12DefectList.klarf -> " + e.getMessage());
        assertEquals("line 29", e.location());
        assertTrue(e.getMessage().contains("DefectList row 1, column XINDEX (4 of 17): expected an integer, got '75000.123'"),
                e.getMessage());
    }

    @Test
    void countMismatches() {
        expect(HEAD + "DefectList\n 1 0 0 1.0\n 2 0 0;\nEndOfFile;\n", "line 7",
                "count mismatch: DefectList row 2 (line 7) ends after 3 of the 4 values DefectRecordSpec declares");
        expect("FileVersion 1 2;\nDefectRecordSpec 0;\nDefectList 1;\n", "line 3",
                "count mismatch: DefectRecordSpec declares no columns but the DefectList holds '1'");
        expect("FileVersion 1 2;\nDefectRecordSpec 5 DEFECTID XINDEX YINDEX;\n", "line 2",
                "DefectRecordSpec declares 5 columns but names 3");
        expect(HEAD + "SampleTestPlan 3\n 0 0\n 1 0;\n", "line 5",
                "SampleTestPlan declares 3 dies, expected 6 indices after the count, got 4");
        expect(HEAD + "DefectRecordSpec 2 DEFECTID IMAGELIST;\nDefectList\n 1 2 7 0;\nEndOfFile;\n", "line 7",
                "column IMAGELIST declares 2 images (id and type each) but the list ends after 2 values");
        expect(HEAD + "DefectList;\nSummarySpec 2 A B;\nSummaryList 1 2 3;\nEndOfFile;\n", "line 7",
                "SummaryList holds 3 values, not a multiple of the 2 SummarySpec columns");
        expect(rec18("Field SlotNumber 2 {1}", "Data 0 { }"), "line 5",
                "count mismatch: Field SlotNumber declares 2 values, has 1");
        expect(rec18("", "Data 2 {\n 1 0 0;\n }"), "line 8",
                "count mismatch: List DefectList declares Data 2 rows, has 1");
        expect(rec18("", "Data 1 {\n 1 0;\n }"), "line 9",
                "count mismatch: row 1 of List DefectList (line 9) has 2 values, Columns declares 3");
        expect(rec18("", "Data 1 {\n 1 0 0 5;\n }"), "line 9",
                "has more than the 3 values Columns declares: expected ';', got '5'");
    }

    @Test
    void missingSemicolon() {
        expect("FileVersion 1 2;\nLotID \"L\"\nSampleSize 1 150;\n", "line 2",
                "missing ';' at the end of the LotID statement: found keyword SampleSize on line 3");
        expect(HEAD + "DefectList\n 1 0 0 1.0\nSummarySpec 1 A;\nEndOfFile;\n", "line 7",
                "missing ';' at the end of the DefectList of line 5: found keyword SummarySpec where row 2 expects a value");
        expect("FileVersion 1 2;\nLotID \"L\" \"M\";\n", "line 2", "LotID: expected 1 value, got 2");
    }

    @Test
    void nonNumericWhereANumberIsRequired() {
        expect("FileVersion 1 2;\nDiePitch 1.0 abc;\n", "line 2", "DiePitch: expected a number, got 'abc'");
        expect(HEAD + "DefectList\n 1 0 0 1.0x;\nEndOfFile;\n", "line 6",
                "DefectList row 1, column XREL (4 of 4): expected a number, got '1.0x'");
        expect(HEAD + "DefectList\n 1 zero 0 1.0;\nEndOfFile;\n", "line 6",
                "DefectList row 1, column XINDEX (2 of 4): expected an integer, got 'zero'");
        expect("FileVersion 1 2;\nResultTimestamp 13-45-2024 10:00:00;\n", "line 2",
                "ResultTimestamp: expected a date mm-dd-yy, mm-dd-yyyy or yyyy-mm-dd, got '13-45-2024'");
        expect("FileVersion 1 2;\nSlot one;\n", "line 2", "Slot: expected an integer, got 'one'");
        expect(rec18("Field DieOrigin 2 {0, x}", "Data 0 { }"), "line 5", "DieOrigin: expected a number, got 'x'");
    }

    @Test
    void wrongVersion() {
        expect("FileVersion 2 0;\n", "line 1",
                "unsupported KLARF version '2 0': expected FileVersion 1 1 or 1 2 (or the 1.8 Record syntax)");
        expect("Record FileRecord \"1.7\"\n{\n}\nEndOfFile;\n", "line 1",
                "unsupported KLARF version '1.7': expected \"1.8\"");
        expect("LotID \"L\";\n", "line 1", "expected 'FileVersion' as the first keyword of a KLARF file, got 'LotID'");
        expect("", "line 1", "empty input");
    }

    @Test
    void absurdCountsAreRefusedWithoutAllocating() {
        expect("FileVersion 1 2;\nDefectRecordSpec 2147483647 DEFECTID;\n", "line 2",
                "DefectRecordSpec declares 2147483647 columns but names 1");
        expect(HEAD + "SampleTestPlan 99999999999 0 0;\n", "line 5",
                "SampleTestPlan: expected a count (a non-negative integer), got '99999999999'");
        expect(HEAD + "DefectRecordSpec 2 DEFECTID IMAGELIST;\nDefectList\n 1 2000000000 7 0;\nEndOfFile;\n",
                "line 7", "declares 2000000000 images");
        expect(rec18("", "Data 2147483647 {\n }"), "line 8",
                "count mismatch: List DefectList declares Data 2147483647 rows, has 0");
        expect(rec18("Field X 2147483647 {1}", "Data 0 { }"), "line 5",
                "count mismatch: Field X declares 2147483647 values, has 1");
        expect(HEAD + "DefectList\n 1 -2000000000 0 1.0\n 2 2000000000 0 1.0;\nEndOfFile;\n", "line 4",
                "die indices span 4000000001 x 1 dies");
    }

    @Test
    void truncationAnywhereIsAFormatException() throws Exception {
        for (Path p : new Path[] {KlarfSamples.resource("multi12.klarf"), KlarfSamples.resource("lots18.klarf")}) {
            String text = Files.readString(p);
            String full = text.strip();
            for (int n = 0; n < text.length(); n++) {
                String prefix = text.substring(0, n);
                if (prefix.strip().equals(full)) {
                    continue;
                }
                try {
                    KlarfReader.read(new ByteArrayInputStream(prefix.getBytes(StandardCharsets.UTF_8)), "cut");
                    fail("prefix of " + n + " chars of " + p.getFileName() + " was accepted");
                } catch (FormatException e) {
                    if (n > 0 && text.charAt(n - 1) == '\n' && !prefix.isBlank()) {
                        assertTrue(e.getMessage().contains("truncated"), n + ": " + e.getMessage());
                    }
                }
            }
        }
        FormatException e = assertThrows(FormatException.class, () -> read("FileVersion 1 2;\nLotID \"L\";\n"));
        System.out.println("truncated -> " + e.getMessage());
        assertEquals("cut: line 3: file ends without EndOfFile: expected more statements and 'EndOfFile;' "
                + "(the file is truncated)", e.getMessage());
    }

    @Test
    void garbageBytes() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + rnd.nextInt(400)];
            rnd.nextBytes(b);
            assertThrows(FormatException.class, () -> KlarfReader.read(new ByteArrayInputStream(b), "garbage"));
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
        FormatException e = assertThrows(FormatException.class,
                () -> KlarfReader.read(new ByteArrayInputStream(png), "image.png"));
        System.out.println("png -> " + e.getMessage());
        assertTrue(e.getMessage().startsWith("image.png: line "), e.getMessage());
        expect("FileVersion 1 2;\nLotID \"L\u0000\";\n", "line 2", "unexpected control character 0x00");
        expect("FileVersion 1 2;\nLotID \"L;\n", "line 2", "unterminated quoted string");
        expect(HEAD + "DefectList;\nEndOfFile;\ntrailing\n", "line 7", "unexpected text after EndOfFile: 'trailing'");
    }

    private static String rec18(String waferField, String data) {
        return "Record FileRecord \"1.8\"\n{\n Record LotRecord \"L\"\n {\n  Record WaferRecord \"W\" { " + waferField
                + "\n   List DefectList\n   { Columns 3 { int32 DEFECTID, int32 XINDEX, int32 YINDEX }\n   "
                + data + "\n   }\n  }\n }\n}\nEndOfFile;\n";
    }

    private static void expect(String text, String location, String fragment) {
        FormatException e = assertThrows(FormatException.class, () -> read(text), fragment);
        System.out.println(e.getMessage());
        assertEquals("test", e.source());
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static KlarfFile read(String text) throws Exception {
        String name = text.startsWith("FileVersion 1 2;\nLotID \"L\";\n") && text.length() < 40 ? "cut" : "test";
        return KlarfReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name);
    }
}
