package org.fabai.rca.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.rca.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path dir;

    @Test
    void eventLogsAreReadAsRfc4180() throws Exception {
        Path f = dir.resolve("quoted.csv");
        // a quoted value holding the delimiter and a doubled quote, as core's CsvReader reads them
        Files.writeString(f, "time,variable,value\n0,prog,\"P2, \"\"rework\"\"\"\n1,prog,P3\n");
        EventLog log = EventLog.read(f);
        assertEquals(List.of("P2, \"rework\"", "P3"), List.of(log.eventValues("prog")));
        Files.writeString(f, "time,variable,value\n0,prog,\"P2\n");
        FormatException e = assertThrows(FormatException.class, () -> EventLog.read(f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void gridsCarriesForwardAndTypesColumns() throws Exception {
        Path f = dir.resolve("log.csv");
        Files.writeString(f, String.join("\n",
                "time_s,node,value,type",
                "0.0,ok,True,Binary",
                "0.0,speed,10.5,Continuous",
                "0.0,prog,P2,Categorical",
                "1.5,speed,12,Continuous",
                "2.0,ok,False,Binary",
                "2.0,prog,P10,Categorical",
                "3.0,alarm,1,Alarm",
                ""));
        EventLog log = EventLog.read(f);
        assertEquals(EventLog.Kind.BINARY, log.kind("ok"));
        assertEquals(EventLog.Kind.NUMERIC, log.kind("speed"));
        assertEquals(EventLog.Kind.CATEGORICAL, log.kind("prog"));
        DataTable t = EventLog.table(List.of(new EventLog.Window(log, 0, 3)),
                new EventLog.GridSpec(1.0, List.of("ok", "speed", "prog", "alarm", "door"),
                        Map.of("alarm", "False", "door", "closed")));
        assertEquals(4, t.rows());
        assertEquals(List.of("False", "True"), t.levels(t.indexOf("ok")));
        assertEquals("True", t.format(1, t.indexOf("ok")));
        assertEquals("False", t.format(2, t.indexOf("ok")));
        assertEquals(10.5, t.get(1, t.indexOf("speed")));
        assertEquals(12.0, t.get(2, t.indexOf("speed")));
        assertEquals(List.of("P10", "P2"), t.levels(t.indexOf("prog")));
        assertEquals("P10", t.format(3, t.indexOf("prog")));
        // the alarm is inactive (its default) until it fires at 3.0
        assertEquals("False", t.format(2, t.indexOf("alarm")));
        assertEquals("True", t.format(3, t.indexOf("alarm")));
        // a variable the log never records takes its default
        assertEquals("closed", t.format(0, t.indexOf("door")));
        // no default and not recorded: a clear error
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLog.table(
                List.of(EventLog.Window.whole(log)), new EventLog.GridSpec(1.0, List.of("ok", "door"), Map.of())));
        assertTrue(e.getMessage().contains("'door'"), e.getMessage());
    }

    @Test
    void badLinesAreNamed() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "time,variable,value\n0,a,1\nx,a,2\n");
        FormatException e = assertThrows(FormatException.class, () -> EventLog.read(f));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(f, "time,variable,value,type\n0,a,maybe,Binary\n");
        e = assertThrows(FormatException.class, () -> EventLog.read(f));
        assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
        Files.writeString(f, "when,variable,value\n0,a,1\n");
        assertThrows(FormatException.class, () -> EventLog.read(f));
        assertThrows(java.io.FileNotFoundException.class, () -> EventLog.read(dir.resolve("missing.csv")));
    }

    @Test
    void readsTheSharedMachineLogs() throws Exception {
        Path d = SharedData.dir().map(p -> p.resolve("causrca")).filter(Files::isDirectory).orElse(null);
        Assumptions.assumeTrue(d != null, "../shared/data/causrca is absent: skipping the real event-log test");
        Path run = d.resolve("exp_coolant/exp_28/run_2/faultDataset_coolant_exp28_run_2.csv");
        EventLog log = EventLog.read(run);
        assertEquals(EventLog.Kind.BINARY, log.kind("CLF_Filter_Ok"));
        assertEquals(EventLog.Kind.NUMERIC, log.kind("Spd_ActPos_X"));
        assertEquals(EventLog.Kind.CATEGORICAL, log.kind("Prog_Name"));
        // causes.json: cause at 68.0 s, diagnosis at 145.3 s; the filter flag is False by the diagnosis
        DataTable t = EventLog.table(List.of(new EventLog.Window(log, 0, 145.337)),
                new EventLog.GridSpec(1.0, List.of("CLF_Filter_Ok", "CLF_A_700307", "Spd_ActPos_X"), Map.of()));
        assertEquals(146, t.rows());
        assertEquals("True", t.format(0, 0));
        assertEquals("False", t.format(145, 0));
        assertEquals("True", t.format(145, 1));
    }

    @Test
    void columnsGiveTheSameLogAsTheCsvAndNameTheBadRow() throws Exception {
        Path f = dir.resolve("log.csv");
        Files.writeString(f, "time,variable,value\n0,ok,true\n0,speed,10.5\n2,ok,false\n1,speed,12\n");
        EventLog csv = EventLog.read(f);
        EventLog cols = EventLog.ofColumns("cols", new double[] {0, 0, 2, 1}, new String[] {"ok", "speed", "ok", "speed"},
                new String[] {"true", "10.5", "false", "12"}, null);
        EventLog.GridSpec spec = new EventLog.GridSpec(0.5, List.of("ok", "speed"), Map.of());
        DataTable a = EventLog.table(List.of(EventLog.Window.whole(csv)), spec);
        DataTable b = EventLog.table(List.of(EventLog.Window.whole(cols)), spec);
        assertEquals(5, b.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.columns(); j++) {
                assertEquals(a.format(i, j), b.format(i, j), "row " + i + ", column " + j);
            }
        }
        assertEquals(EventLog.Kind.BINARY, cols.kind("ok"));
        FormatException nan = assertThrows(FormatException.class, () -> EventLog.ofColumns("x.parquet",
                new double[] {0, Double.NaN}, new String[] {"a", "a"}, new String[] {"1", "2"}, null));
        assertTrue(nan.getMessage().contains("x.parquet") && nan.getMessage().contains("row 2"), nan.getMessage());
        FormatException blank = assertThrows(FormatException.class, () -> EventLog.ofColumns("x.parquet",
                new double[] {0, 1}, new String[] {"a", " "}, new String[] {"1", "2"}, new String[] {"", ""}));
        assertTrue(blank.getMessage().contains("row 2") && blank.getMessage().contains("variable"), blank.getMessage());
        FormatException type = assertThrows(FormatException.class, () -> EventLog.ofColumns("x.parquet",
                new double[] {0, 1}, new String[] {"a", "a"}, new String[] {"1", "open"}, new String[] {"Numeric", "Numeric"}));
        assertTrue(type.getMessage().contains("'a'"), type.getMessage());
        assertThrows(FormatException.class, () -> EventLog.ofColumns("x", new double[] {0}, new String[] {"a", "b"},
                new String[] {"1"}, null));
    }
}
