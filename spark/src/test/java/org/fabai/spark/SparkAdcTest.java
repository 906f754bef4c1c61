package org.fabai.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch classification on local[2] gives the predictions of {@code fabai adc classify} (the model
 * file loaded as the CLI loads it, on the ONNX Runtime engine; and the DL4J engine, the CLI's
 * default, to within float rounding) on the same maps.
 */
class SparkAdcTest {

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static List<WaferMap> maps;

    @BeforeAll
    static void trainATinyCnn() throws Exception {
        spark = LocalSpark.get();
        WaferMapGenerator gen = new WaferMapGenerator();
        List<WaferMap> train = WaferMapGenerator.maps(gen.balanced(8, 1));
        List<String> labels = WaferMapGenerator.labels(gen.balanced(8, 1));
        // small and fast: 32x32, the compact network, 4 epochs; test-time augmentation on (the eight symmetries)
        CnnConfig cfg = new CnnConfig(32, CnnConfig.Architecture.COMPACT, 1, 4, 16, 3e-3, 1e-4, true, true, 3, 0.2, 0.05,
                0, true, 1, 7);
        model = dir.resolve("cnn.fabai");
        try (CnnClassifier c = CnnClassifier.train(train, labels, cfg)) {
            c.save(model);
        }
        maps = new ArrayList<>();
        List<WaferMap> raw = WaferMapGenerator.maps(gen.balanced(7, 2));
        for (int i = 0; i < raw.size(); i++) {
            maps.add(raw.get(i).withIds("L" + (i / 25), "W" + i));
        }
    }

    @Test
    void equalsTheCliClassifierOnTheSameMaps() throws Exception {
        // as `fabai adc classify --model cnn.fabai --engine onnx` and (default engine) without --engine
        List<Prediction> onnx;
        List<Prediction> dl4j;
        WaferMapClassifier loaded = WaferMapClassifier.load(model);
        try (CnnClassifier c = (CnnClassifier) loaded; CnnClassifier o = c.withEngine(EngineKind.ONNX)) {
            onnx = o.predictBatch(maps);
            dl4j = c.predictBatch(maps);
        }
        // 189 maps in 3 partitions, from a DataFrame and from Parquet
        Dataset<Row> frame = SparkAdc.mapsFrame(spark, maps).repartition(3);
        String pq = dir.resolve("maps.parquet").toString();
        SparkAdc.mapsFrame(spark, maps).write().parquet(pq);
        byte[] bytes = SparkAdc.readModel(spark, model.toString());
        assertArrayEquals(Files.readAllBytes(model), bytes);
        for (Dataset<Row> in : List.of(frame, spark.read().parquet(pq))) {
            List<Row> got = SparkAdc.classify(in, bytes, model.toString(), EngineKind.ONNX).collectAsList();
            assertEquals(maps.size(), got.size());
            java.util.Map<String, Row> byId = new java.util.HashMap<>();
            for (Row r : got) {
                byId.put(r.getString(0), r);
            }
            int unknown = 0;
            for (int i = 0; i < maps.size(); i++) {
                Row r = byId.get(maps.get(i).waferId());
                Prediction p = onnx.get(i);
                assertEquals(maps.get(i).lotId(), r.getString(1));
                assertEquals(p.label(), r.getString(2), "map " + i);
                assertEquals(p.bestClass(), r.getString(3), "map " + i);
                assertEquals(p.confidence(), r.getDouble(4), 1e-6, "map " + i);
                List<Double> probs = r.getList(5);
                for (int k = 0; k < probs.size(); k++) {
                    assertEquals(p.probabilities()[k], probs.get(k), 1e-6, "map " + i + " class " + k);
                    assertEquals(dl4j.get(i).probabilities()[k], probs.get(k), 1e-4, "map " + i + " class " + k + " vs DL4J");
                }
                assertEquals(dl4j.get(i).bestClass(), r.getString(3), "map " + i + " vs DL4J");
                unknown += Prediction.UNKNOWN.equals(r.getString(2)) ? 1 : 0;
            }
            assertTrue(Set.copyOf(byId.values().stream().map(r -> r.getString(3)).toList()).size() > 1,
                    "the predictions vary from map to map");
            assertTrue(unknown < maps.size());
        }
    }

    @Test
    void badMapsAndBadModelsAreRefusedNamingThem() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create("W9", "L1", 2, 2, new byte[] {0, 1, 2})),
                SparkAdc.MAPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobErrors.unwrapped(
                () -> {
                    try {
                        return SparkAdc.classify(bad, bytes, "m", EngineKind.ONNX).collectAsList();
                    } catch (ModelFileException x) {
                        throw new IllegalStateException(x);
                    }
                }));
        assertTrue(e.getMessage().contains("wafer W9: codes length must be rows*cols = 4, got 3"), e.getMessage());
        byte[] broken = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(ModelFileException.class, () -> SparkAdc.classify(bad, broken, "half.fabai", EngineKind.ONNX));
        Dataset<Row> noCodes = spark.createDataFrame(List.of(RowFactory.create("W1")),
                new org.apache.spark.sql.types.StructType().add("wafer_id", "string"));
        e = assertThrows(IllegalArgumentException.class, () -> SparkAdc.classify(noCodes, bytes, "m", EngineKind.ONNX));
        assertTrue(e.getMessage().contains("maps lack column 'rows'"), e.getMessage());
    }

    @Test
    void theJobPrintsCountsAndPredictionsAndWritesThemAll() throws Exception {
        String pq = dir.resolve("job-maps.parquet").toString();
        SparkAdc.mapsFrame(spark, maps.subList(0, 40)).write().parquet(pq);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String preds = dir.resolve("preds.parquet").toString();
        AdcClassifyJob.Args a = AdcClassifyJob.Args.parse(new String[] {"--model", model.toString(), "--json", "--limit", "5",
            "--out", preds, pq});
        assertEquals(0, AdcClassifyJob.run(spark, a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"schema\": \"fabai/spark-adc-classify\"") && json.contains("\"maps\": 40"), json);
        assertEquals(40, spark.read().parquet(preds).count());
        AdcClassifyJob.Args bad = AdcClassifyJob.Args.parse(new String[] {"--model", dir.resolve("maps.parquet").toString()
                + "/nosuch.fabai", pq});
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        int code;
        try {
            code = AdcClassifyJob.run(spark, bad, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err2));
        } catch (RuntimeException x) {
            code = -1;
        }
        assertTrue(code != 0);
        // a local NPZ (as `fabai adc classify` takes it): the reader's wafer ids (the index), in file order
        List<WaferMap> sq = new ArrayList<>();
        for (WaferMap m : maps.subList(0, 12)) {
            sq.add(org.fabai.core.wafer.MapSizing.toSquare(m, 40).withIds("", ""));
        }
        Path npz = dir.resolve("twelve.npz");
        org.fabai.core.io.npy.WaferMapArrays.writeNpz(new org.fabai.core.io.npy.WaferMapArrays.LabeledWaferMaps(sq,
                List.of(), List.of()), npz, true);
        List<Prediction> cli;
        try (CnnClassifier c = CnnClassifier.load(model); CnnClassifier o = c.withEngine(EngineKind.ONNX)) {
            cli = o.predictBatch(org.fabai.core.io.npy.WaferMapArrays.readNpz(npz).maps());
        }
        ByteArrayOutputStream txt = new ByteArrayOutputStream();
        assertEquals(0, AdcClassifyJob.run(spark, AdcClassifyJob.Args.parse(new String[] {"--model", model.toString(),
            "--limit", "0", npz.toString()}), new PrintStream(txt, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        String[] lines = txt.toString(StandardCharsets.UTF_8).split("\n");
        int at = 0;
        while (!lines[at].startsWith("lot")) {
            at++;
        }
        for (int i = 0; i < 12; i++) {
            String[] f = lines[at + 1 + i].trim().split("\\s+");
            assertEquals(String.valueOf(i), f[1], lines[at + 1 + i]);
            assertEquals(cli.get(i).label(), f[2], lines[at + 1 + i]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdcClassifyJob.Args.parse(new String[] {"--model", "m", "--engine", "dl4j", "x"}));
        assertTrue(e.getMessage().contains("onnx or java"), e.getMessage());
    }

    private static Path resource(String name) throws java.net.URISyntaxException {
        return Path.of(SparkAdcTest.class.getResource("/dies/" + name).toURI());
    }

    /**
     * {@code dies/nine.npz}: nine 20x20 synthetic maps (one per class, seed 5; maps 0, 3 and 6 with their first
     * two rows and last column off-wafer, so only map_rows/map_cols keep their grid); {@code dies/dies.parquet}
     * and {@code dies/dies.csv.gz} (gzipped, else byte for byte): what {@code fabai inspect --dies dies.parquet
     * nine.npz} and {@code --dies dies.csv} wrote from it (commit f465081's layout).
     */
    @Test
    void dieTablesOfFabaiInspectGiveThePredictionsOfFabaiAdcClassifyOnTheirMaps() throws Exception {
        List<WaferMap> src = org.fabai.core.io.npy.WaferMapArrays.readNpz(resource("nine.npz")).maps();
        assertEquals(9, src.size());
        // `fabai adc classify --model cnn.fabai --engine onnx nine.npz`, and without --engine (DL4J)
        List<Prediction> cli;
        List<Prediction> dl4j;
        try (CnnClassifier c = CnnClassifier.load(model); CnnClassifier o = c.withEngine(EngineKind.ONNX)) {
            cli = o.predictBatch(src);
            dl4j = c.predictBatch(src);
        }
        byte[] bytes = Files.readAllBytes(model);
        for (Path table : List.of(resource("dies.csv.gz"), resource("dies.parquet"))) {
            Dataset<Row> dies = SparkDieTables.read(spark, table.toString());
            assertTrue(SparkDieTables.isDieTable(dies), table.toString());
            assertEquals(2731, dies.count(), table + ": one row per on-wafer die");
            // every map rebuilds exactly, off-wafer edges included
            List<Row> rebuilt = SparkDieTables.maps(dies).collectAsList();
            assertEquals(src.size(), rebuilt.size(), table.toString());
            for (Row r : rebuilt) {
                WaferMap m = src.get(Integer.parseInt(r.getString(0)));
                assertEquals("", r.getString(1));
                assertEquals(m.rows(), r.getInt(2));
                assertEquals(m.cols(), r.getInt(3));
                assertArrayEquals(m.codes(), (byte[]) r.getAs(4), table + " wafer " + r.getString(0));
                assertEquals("nine.npz", r.getString(5));
            }
            List<Row> got = SparkAdc.classify(SparkDieTables.maps(dies), bytes, model.toString(), EngineKind.ONNX)
                    .collectAsList();
            assertEquals(src.size(), got.size());
            for (Row r : got) {
                int i = Integer.parseInt(r.getString(0));
                Prediction p = cli.get(i);
                assertEquals(p.label(), r.getString(2), table + " wafer " + i);
                assertEquals(p.bestClass(), r.getString(3), table + " wafer " + i);
                assertEquals(p.confidence(), r.getDouble(4), 1e-6, table + " wafer " + i);
                List<Double> probs = r.getList(5);
                assertEquals(p.probabilities().length, probs.size());
                for (int k = 0; k < probs.size(); k++) {
                    assertEquals(p.probabilities()[k], probs.get(k), 1e-6, table + " wafer " + i + " class " + k);
                    assertEquals(dl4j.get(i).probabilities()[k], probs.get(k), 1e-4, table + " wafer " + i + " vs DL4J");
                }
                assertEquals("nine.npz", r.getString(6));
            }
        }
        // the job takes die tables as MAPS (CSV by its name, as above; Parquet by its columns)
        for (Path table : List.of(resource("dies.parquet"))) {
            ByteArrayOutputStream txt = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, AdcClassifyJob.run(spark, AdcClassifyJob.Args.parse(new String[] {"--model", model.toString(),
                "--limit", "0", table.toString()}), new PrintStream(txt, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
            String[] lines = txt.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals("9 maps", lines[0]);
            int at = 0;
            while (!lines[at].startsWith("lot")) {
                at++;
            }
            assertTrue(lines[at].endsWith("file"), lines[at]);
            assertEquals(at + 10, lines.length, txt.toString(StandardCharsets.UTF_8));
            for (int j = at + 1; j < lines.length; j++) {
                String[] f = lines[j].trim().split("\\s+");
                assertEquals(cli.get(Integer.parseInt(f[1])).label(), f[2], lines[j]);
                assertEquals("nine.npz", f[f.length - 1], lines[j]);
            }
        }
    }

    /** The table as written, under a name of the test's choosing. */
    private static String csv(String name, String... lines) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "file,lot_id,wafer_id,row,col,die_x,die_y,state,bin,map_rows,map_cols\n"
                + String.join("\n", lines) + "\n");
        return p.toString();
    }

    private static String badDies(String path) {
        return assertThrows(IllegalArgumentException.class, () -> JobErrors.unwrapped(
                () -> SparkDieTables.maps(SparkDieTables.read(spark, path)).collectAsList())).getMessage();
    }

    @Test
    void badDieTableRowsAreRefusedNamingTheFileAndTheRecord() throws Exception {
        String ok = "a.npz,L1,W1,0,0,0,0,GOOD,-1,2,2";
        String m = badDies(csv("bad-state.csv", ok, "a.npz,L1,W1,0,1,1,0,BROKEN,-1,2,2"));
        assertTrue(m.contains("bad-state.csv: die of wafer L1/W1 (file a.npz) at row 0, col 1: state must be GOOD, FAIL or"
                + " OFF, got 'BROKEN'"), m);
        m = badDies(csv("bad-int.csv", ok, "a.npz,L1,W1,x,1,1,0,GOOD,-1,2,2"));
        assertTrue(m.contains("bad-int.csv: die of wafer L1/W1 (file a.npz) at row x, col 1: row must be an integer, got 'x'"),
                m);
        m = badDies(csv("outside.csv", ok, "a.npz,L1,W1,2,0,0,2,FAIL,-1,2,2"));
        assertTrue(m.contains("outside.csv: die of wafer L1/W1 (file a.npz) at row 2, col 0: the die lies outside its 2 x 2 map"),
                m);
        m = badDies(csv("no-size.csv", ok, "a.npz,L1,W1,1,0,0,2,FAIL,-1,,2"));
        assertTrue(m.contains("no-size.csv: die of wafer L1/W1 (file a.npz) at row 1, col 0: map_rows is empty"), m);
        m = badDies(csv("no-id.csv", ok, "a.npz,L1,,1,0,0,2,FAIL,-1,2,2"));
        assertTrue(m.contains("no-id.csv: die of wafer L1/'' (file a.npz) at row 1, col 0: wafer_id is empty"), m);
        m = badDies(csv("ragged.csv", ok, "a.npz,L1,W1,1,0,0,2,FAIL,-1,2,2,7"));
        assertTrue(m.contains("ragged.csv: malformed CSV record") && m.contains("'a.npz,L1,W1,1,0,0,2,FAIL,-1,2,2,7'"), m);
        m = badDies(csv("twice.csv", ok, "a.npz,L1,W1,0,0,0,0,FAIL,-1,2,2"));
        assertTrue(m.contains("twice.csv: wafer L1/W1 (file a.npz): the die at row 0, col 0 is listed twice"), m);
        m = badDies(csv("sizes.csv", ok, "a.npz,L1,W1,1,1,1,1,FAIL,-1,3,2"));
        assertTrue(m.contains("sizes.csv: wafer L1/W1 (file a.npz): map_rows x map_cols differ between its dies (2 to 3 rows,"
                + " 2 to 2 cols)"), m);
        // the same wafer id in two files (NPZ wafers are named by their index) is two wafers
        List<Row> two = SparkDieTables.maps(SparkDieTables.read(spark, csv("two-files.csv", ok,
                "b.npz,L1,W1,1,1,1,1,FAIL,-1,2,2"))).orderBy("file").collectAsList();
        assertEquals(2, two.size());
        assertArrayEquals(new byte[] {1, 0, 0, 0}, (byte[]) two.get(0).getAs(4));
        assertArrayEquals(new byte[] {0, 0, 0, 2}, (byte[]) two.get(1).getAs(4));
        Dataset<Row> noState = spark.read().option("header", "true").csv(csv("no-state.csv", ok)).drop("state");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkDieTables.maps(noState));
        assertTrue(e.getMessage().contains("the die table lacks column 'state'"), e.getMessage());
        // Parquet that is neither maps nor dies: the job says so (exit 3), naming the path
        String other = dir.resolve("other.parquet").toString();
        spark.read().option("header", "true").csv(csv("other.csv", ok)).drop("row").write().parquet(other);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(3, AdcClassifyJob.run(spark, AdcClassifyJob.Args.parse(new String[] {"--model", model.toString(), other}),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(other + ": neither wafer maps"), err.toString(StandardCharsets.UTF_8));
    }
}
