package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.fabai.rca.synth.RandomDag;
import org.junit.jupiter.api.Test;

/**
 * The performance work on PC (cached conditioning-block inverses in {@link MixedLinearTest}, one
 * collider vote per pair instead of per triple, votes in parallel) must not change the graph: on a
 * mixed table, each collider rule, one thread and three, gives exactly the graph the code gave
 * before that work (recorded in {@code discovery/pc-mixed-golden.txt}).
 */
class PcSameGraphTest {

    @Test
    void sameGraphAsBeforeForEveryColliderRuleAndThreadCount() throws Exception {
        Map<String, String> golden = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/discovery/pc-mixed-golden.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    golden.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
                }
            }
        }
        assertEquals(4, golden.size());
        RandomDag g = RandomDag.mixed(25, 4, 3000, 2, 4, 3);
        MixedLinearTest test = new MixedLinearTest(g.data());
        for (PcConfig.ColliderRule r : PcConfig.ColliderRule.values()) {
            for (int threads : new int[] {1, 3}) {
                Cpdag c = new Pc(new PcConfig(0.01, -1, threads, r)).search(test, Knowledge.none());
                assertEquals(golden.get(r.name()), c.edges().size() + " " + c.edges(), r + ", " + threads + " threads");
            }
        }
    }
}
