package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: "an optional signature (e.g. HMAC ...) for model files shipped between sites". An
 * edit that recomputes the file's SHA-256 (which the probe did) passes the checksum but
 * not the signature.
 */
class ModelSignatureTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef-site-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static ModelFile model(byte[] weights) {
        return new ModelFile("test-kind", 1, Map.of("trained.on", "lot A"), Map.of("weights", weights));
    }

    @Test
    void aSignedFileLoadsAndAnEditedOneWithARecomputedChecksumIsRefused(@TempDir Path dir) throws Exception {
        ModelSignature sig = ModelSignature.ofKey(KEY);
        Path f = dir.resolve("m.fabai");
        model(new byte[] {1, 2, 3, 4}).write(f);
        sig.sign(f);
        assertTrue(Files.readString(ModelSignature.signatureFile(f)).matches("fabai-model-signature 1 HMAC-SHA256 [0-9a-f]{64}\n"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, ModelFile.read(f, sig).section("weights"));

        // the attacker's edit: other weights, the SHA-256 recomputed (ModelFile writes a valid checksum)
        model(new byte[] {1, 2, 3, 5}).write(f);
        assertArrayEquals(new byte[] {1, 2, 3, 5}, ModelFile.read(f, null).section("weights"), "the checksum alone passes it");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(f, sig));
        assertEquals(ModelFileException.Reason.SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("does not match the file"), e.getMessage());

        // another key, a missing and a malformed signature file
        sig.sign(f);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertEquals(ModelFileException.Reason.SIGNATURE,
                assertThrows(ModelFileException.class, () -> ModelFile.read(f, ModelSignature.ofKey(other))).reason());
        Files.writeString(ModelSignature.signatureFile(f), "fabai-model-signature 1 HMAC-SHA256 zz\n");
        assertTrue(assertThrows(ModelFileException.class, () -> ModelFile.read(f, sig)).getMessage().contains("malformed"));
        Files.delete(ModelSignature.signatureFile(f));
        assertTrue(assertThrows(ModelFileException.class, () -> ModelFile.read(f, sig)).getMessage()
                .contains("has no signature file"));
        assertThrows(IllegalArgumentException.class, () -> ModelSignature.ofKey(new byte[16]));
    }

    @Test
    void aConfiguredKeySignsOnWriteAndIsRequiredOnRead(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("site.key");
        Files.write(key, KEY);
        Path f = dir.resolve("m.fabai");
        String before = System.getProperty(ModelSignature.PROPERTY);
        System.setProperty(ModelSignature.PROPERTY, key.toString());
        try {
            model(new byte[] {9}).write(f);
            assertTrue(Files.isRegularFile(ModelSignature.signatureFile(f)), "signed on write");
            assertArrayEquals(new byte[] {9}, ModelFile.read(f).section("weights"));
            Files.delete(ModelSignature.signatureFile(f));
            assertEquals(ModelFileException.Reason.SIGNATURE,
                    assertThrows(ModelFileException.class, () -> ModelFile.read(f)).reason());
            System.setProperty(ModelSignature.PROPERTY, dir.resolve("missing.key").toString());
            IllegalStateException bad = assertThrows(IllegalStateException.class, () -> ModelFile.read(f));
            assertTrue(bad.getMessage().contains(ModelSignature.PROPERTY), bad.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ModelSignature.PROPERTY);
            } else {
                System.setProperty(ModelSignature.PROPERTY, before);
            }
        }
        // without a key nothing is required
        assertFalse(ModelSignature.configured().isPresent() && System.getenv(ModelSignature.ENV) == null);
        assertArrayEquals(new byte[] {9}, ModelFile.read(f).section("weights"));
    }
}
