package org.fabai.apc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.estimator.KalmanEstimator;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void replayRecommendsWhatTheControllerWouldHave() throws Exception {
        // a plant y = 5 + 2u run open loop at u = 1 (y = 7, target 10): a controller would have asked u = 2.5
        StringBuilder csv = new StringBuilder("run_id,context,input,output\n");
        for (int i = 0; i < 20; i++) {
            csv.append("r").append(i).append(",tool=T1,1,7\n");
            csv.append("q").append(i).append(",tool=T2,2,3\n");
        }
        List<Replay.Run> runs = Replay.readCsv(new StringReader(csv.toString()), "runs.csv");
        assertEquals(40, runs.size());
        Supplier<Controller> f = ControllerSpec.factory("ewma:lambda=0.5", ControllerConfig.of(10, -10, 10, 1), 2, 0);
        Replay.Report rep = Replay.replay(runs, f);
        Replay.Step lastT1 = rep.steps().get(38);
        Replay.Step lastT2 = rep.steps().get(39);
        assertEquals("r19", lastT1.run().runId());
        assertEquals(2.5, lastT1.recommended(), 1e-4);
        // T2: y = -1 + 2u -> u = 5.5
        assertEquals(5.5, lastT2.recommended(), 1e-4);
        assertEquals(10, lastT1.whatIfOutput(), 1e-3);
        assertTrue(rep.whatIfMse() < rep.actualMse());
        assertTrue(rep.toCsv().split("\n").length == 41);
        assertTrue(rep.summary().contains("40 runs"));
    }

    @Test
    void malformedCsvNamesLineAndColumn() {
        FormatException e = assertThrows(FormatException.class,
                () -> Replay.readCsv(new StringReader("run_id,input,output\nr1,1,2\nr2,x,3\n"), "runs.csv"));
        assertTrue(e.getMessage().contains("runs.csv") && e.getMessage().contains("line 3") && e.getMessage().contains("input"),
                e.getMessage());
        FormatException h = assertThrows(FormatException.class,
                () -> Replay.readCsv(new StringReader("run,input,output\n"), "a.csv"));
        assertTrue(h.getMessage().contains("run_id"));
        assertThrows(FormatException.class, () -> Replay.readCsv(new StringReader("run_id,input,output\nr1,1\n"), "b.csv"));
        assertThrows(FormatException.class, () -> Replay.readCsv(new StringReader("run_id,input,output\nr1,1,NaN\n"), "b.csv"));
    }

    @Test
    void controllerSpecParsesAndRejects() {
        assertTrue(ControllerSpec.estimator("ewma:lambda=0.2", 2, 0) instanceof EwmaEstimator);
        assertEquals("kalman-drift", ControllerSpec.estimator("kalman:q=0.1,r=1,qdrift=0.001", 2, 0).kind());
        assertTrue(ControllerSpec.estimator("kalman", 2, 0) instanceof KalmanEstimator);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControllerSpec.estimator("ewma:lamda=0.2", 2, 0));
        assertTrue(e.getMessage().contains("lamda"));
        assertThrows(IllegalArgumentException.class, () -> ControllerSpec.estimator("pid", 2, 0));
        assertThrows(IllegalArgumentException.class, () -> ControllerSpec.estimator("ewma:lambda=1.5", 2, 0));
    }

    @Test
    void controlChartWritesAPng() throws Exception {
        PlantConfig p = PlantConfig.whiteNoise(20, 2, 1).withPm(50, 3);
        SimulationResult r = Simulator.run(ControllerSpec.factory("ewma", ControllerConfig.of(100, 0, 100, 40), 2, 20).get(),
                new SimulationConfig(p, 200, 0, 96, 104, 1), 7);
        Path png = dir.resolve("chart.png");
        ControlChart.writePng(r, 96, 104, "EWMA", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(600, img.getHeight());
        // the y trace (blue) is drawn somewhere in the upper panel
        boolean blue = false;
        for (int x = 60; x < 980 && !blue; x++) {
            for (int y = 35; y < 375 && !blue; y++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                blue = (rgb & 0xFF) > 150 && ((rgb >> 16) & 0xFF) < 100;
            }
        }
        assertTrue(blue);
    }

    @Test
    void disturbanceSpecParsesAndRejects() {
        PlantConfig p = DisturbanceSpec.parse("white:sigma=0.5+ima:theta=0.6,sigma=0.2+drift:delta=0.03+pm:every=100,shift=2",
                20, 2.2, 1, 3);
        assertEquals(new PlantConfig(20, 2.2, 0.5, 0.6, 0.2, 0.03, 100, 2, 1, 3), p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DisturbanceSpec.parse("white:sigma=1+wobble", 0, 1, 0, 1));
        assertTrue(e.getMessage().contains("wobble"));
        assertThrows(IllegalArgumentException.class, () -> DisturbanceSpec.parse("white:sigmaa=1", 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> DisturbanceSpec.parse("ima:theta=1.5", 0, 1, 0, 1));
    }

    @Test
    void aDuplicatedRunIdIsRefusedAsTheLiveStoreRefusesIt() throws Exception {
        // issue 15: replay used to apply a duplicated run id twice
        FormatException e = assertThrows(FormatException.class, () -> Replay.readCsv(new StringReader(
                "run_id,context,input,output\nr1,tool=A,1,2\nr2,tool=A,1,3\nr1,tool=A,1,9\n"), "runs.csv"));
        assertEquals("line 4", e.location());
        assertTrue(e.getMessage().contains("run_id 'r1' of context tool=A was already recorded on line 2"), e.getMessage());
        // the same id in another context is another run
        assertEquals(2, Replay.readCsv(new StringReader("run_id,context,input,output\nr1,tool=A,1,2\nr1,tool=B,1,3\n"),
                "runs.csv").size());
    }

    @Test
    void runsCsvIsReadAsRfc4180WithCommentsSkipped() throws Exception {
        // a quoted run id holding a comma was cut into two fields by the earlier split on commas
        List<Replay.Run> runs = Replay.readCsv(new StringReader("# exported by the MES\nrun_id,input,output\n"
                + "\"lot 7, wafer 3\",1,2\n\n# a note, with \"\"quotes\"\"\nr2,1,3\n"), "runs.csv");
        assertEquals(2, runs.size());
        assertEquals("lot 7, wafer 3", runs.get(0).runId());
        FormatException e = assertThrows(FormatException.class, () -> Replay.readCsv(new StringReader(
                "run_id,input,output\n\"r1\",1,2\nr2,1\n"), "runs.csv"));
        assertEquals("line 3", e.location());
    }
}
