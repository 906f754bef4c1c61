package org.fabai.core.io.klarf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class KlarfSmokeTest {
    @Test
    void smoke() throws Exception {
        try (Stream<Path> s = Files.list(KlarfSamples.sharedDir())) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (!p.toString().endsWith(".klarf")) continue;
                try {
                    KlarfFile f = KlarfReader.read(p);
                    System.out.println(p.getFileName() + " -> " + f.wafers());
                    for (KlarfWafer w : f.wafers()) {
                        System.out.println("  " + w.defects().defects().get(0) + " plan=" + w.sampleTestPlan() + " sum=" + w.summaries()+ " ts=" + w.resultTimestamp() + " pitch=" + w.diePitch());
                    }
                    String text = KlarfWriter.toText(f);
                    KlarfFile g = KlarfReader.read(new java.io.ByteArrayInputStream(text.getBytes()), "rt");
                    System.out.println("  roundtrip equal: " + f.equals(g));
                    if (!f.equals(g)) System.out.println(text);
                } catch (org.fabai.core.io.FormatException e) {
                    System.out.println(p.getFileName() + " !! " + e.getMessage());
                }
            }
        }
    }
}
