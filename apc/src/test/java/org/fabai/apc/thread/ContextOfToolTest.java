package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.fabai.core.process.Tool;
import org.junit.jupiter.api.Test;

/** APC threads keyed by core's {@link Tool}: the dimensions RCA names a candidate cause by, and back. */
class ContextOfToolTest {

    @Test
    void aToolWithAndWithoutChamberAndBack() {
        Context c = Context.of(new Tool("ETCH07", "B")).with("step", "S3");
        assertEquals("chamber=B;step=S3;tool=ETCH07", c.key());
        assertEquals(Context.of("tool", "ETCH07", "chamber", "B", "step", "S3"), c);
        assertEquals(Optional.of(new Tool("ETCH07", "B")), c.tool());
        assertEquals("ETCH07/B", c.tool().orElseThrow().label());
        Context single = Context.of(Tool.of("CMP01"));
        assertEquals("tool=CMP01", single.key());
        assertEquals(Optional.of(Tool.of("CMP01")), single.tool());
        assertEquals(Optional.empty(), Context.of("product", "P7").tool());
    }

    @Test
    void aDimensionIsAddedOnceAndValuesAreChecked() {
        Context c = Context.of(Tool.of("CMP01"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> c.with("tool", "X"));
        assertEquals("context tool=CMP01 already has dimension 'tool'", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Context.of(Tool.of("A;B")));
        assertThrows(IllegalArgumentException.class, () -> c.with("layer", ""));
    }
}
