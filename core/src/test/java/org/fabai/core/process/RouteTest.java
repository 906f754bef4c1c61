package org.fabai.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void linearRouteHasTiersAndOrder() {
        Route r = Route.linear(List.of(Step.of("A"), Step.of("B"), Step.of("C")));
        assertEquals(List.of("A", "B", "C"), r.steps().stream().map(Step::id).toList());
        assertEquals(2, r.tier("C"));
        assertTrue(r.isBefore("A", "C"));
        assertFalse(r.isBefore("C", "A"));
    }

    @Test
    void cycleIsRefusedNamingTheSteps() {
        Step a = Step.of("LITHO");
        Step b = Step.of("ETCH");
        Step c = Step.of("CLEAN");
        Step d = Step.of("DEP");
        Route.Builder bld = Route.builder().precedes(d, a).precedes(a, b).precedes(b, c).precedes(c, a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bld::build);
        assertTrue(e.getMessage().contains("CLEAN, ETCH, LITHO"), e.getMessage());
        assertFalse(e.getMessage().contains("DEP"), e.getMessage());
    }

    @Test
    void dagTierIsLongestChain() {
        Step a = Step.of("a");
        Step b = Step.of("b");
        Step c = Step.of("c");
        Step d = Step.of("d");
        Route r = Route.builder().precedes(a, b).precedes(b, c).precedes(a, d).precedes(d, c).build();
        assertEquals(1, r.tier("d"));
        assertEquals(2, r.tier("c"));
        assertThrows(IllegalArgumentException.class, () -> r.tier("zz"));
    }

    @Test
    void historyRefusesARepeatedStep() {
        StepRun s = new StepRun(Step.of("A"), Tool.of("T1"), null);
        assertThrows(IllegalArgumentException.class, () -> new WaferHistory("W1", "L1", List.of(s, s)));
    }
}
