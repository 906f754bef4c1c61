package org.fabai.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provenance record and its one-line text form, including text written before the form existed. */
class ProvenanceTest {

    @Test
    void textFormRoundTripsWithEscapes() {
        Provenance p = new Provenance("fabai-apc", "0.1.0", Map.of()).with("estimator", "ewma")
                .with("estimator.config", "EwmaConfig[lambda=0.3, gain=-0.8]").with("odd", "a;b\\c\nd");
        assertEquals("fabai-apc 0.1.0; estimator=ewma; estimator.config=EwmaConfig[lambda=0.3, gain=-0.8]; "
                + "odd=a\\;b\\\\c\\nd", p.toText());
        assertEquals(p, Provenance.parse(p.toText()));
        assertEquals("ewma", Provenance.parse(p.toText()).get("estimator").orElseThrow());
        assertEquals(new Provenance("fabai-apc", "0.1.0", Map.of()), Provenance.parse("fabai-apc 0.1.0"));
    }

    @Test
    void earlierFreeTextIsKeptWhole() {
        String old = "fabai-apc 0.1.0-SNAPSHOT; ewma EwmaConfig[lambda=0.3, gain=-0.8, initialIntercept=0.0]; "
                + "ControllerConfig[target=10.0]; seeding NOMINAL";
        Provenance p = Provenance.parse(old);
        assertEquals("fabai-apc", p.producer());
        assertEquals("0.1.0-SNAPSHOT", p.version());
        assertEquals(Map.of(Provenance.LEGACY, old.substring(old.indexOf(';') + 1).strip()), p.facts());
    }

    @Test
    void badPartsAreNamed() {
        assertEquals("provenance must start with 'PRODUCER VERSION', got 'no-version'",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("no-version")).getMessage());
        assertEquals("provenance key must match [A-Za-z0-9._-]+, got 'a b'",
                assertThrows(IllegalArgumentException.class, () -> Provenance.of("x").with("a b", 1)).getMessage());
    }
}
