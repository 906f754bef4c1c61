package org.fabai.adc.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An optional signature for model files shipped between sites: an HMAC-SHA256 of the whole model
 * file under a secret key that the sites share, kept beside the file as {@code <model>.sig}
 * (one line: {@code fabai-model-signature 1 HMAC-SHA256 <64 hex digits>}). The model file's own
 * SHA-256 catches accidents; the signature catches deliberate edits, which can recompute that
 * checksum but not the HMAC without the key.
 *
 * <p>When a key is configured for the process ({@link #configured()}: the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV}, naming a key file),
 * {@link ModelFile#read(Path)} refuses a model file without a valid signature and
 * {@link ModelFile#write(Path)} signs what it writes — so the CLI's {@code adc train} signs and
 * {@code adc classify} checks with no further option. Without a key nothing changes.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelSignature {

    /** System property naming the key file. */
    public static final String PROPERTY = "fabai.model.key";
    /** Environment variable naming the key file (used when the property is not set). */
    public static final String ENV = "FABAI_MODEL_KEY";
    /** Shortest key accepted, in bytes (the HMAC-SHA256 block is 64; RFC 2104 asks for at least the output size). */
    public static final int MIN_KEY_BYTES = 32;

    private static final String PREFIX = "fabai-model-signature 1 HMAC-SHA256 ";

    private final byte[] key;
    private final String keyName;

    private ModelSignature(byte[] key, String keyName) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("model signing key " + keyName + " has " + key.length + " bytes; at least "
                    + MIN_KEY_BYTES + " are needed (e.g. head -c 32 /dev/urandom > model.key)");
        }
        this.key = key.clone();
        this.keyName = keyName;
    }

    /**
     * @param key the secret, at least {@value #MIN_KEY_BYTES} bytes
     * @return a signer and verifier with that key
     */
    public static ModelSignature ofKey(byte[] key) {
        return new ModelSignature(key, "(given bytes)");
    }

    /**
     * @param keyFile a file whose bytes are the secret (at least {@value #MIN_KEY_BYTES})
     * @return a signer and verifier with that key
     * @throws IOException when the file cannot be read
     */
    public static ModelSignature fromKeyFile(Path keyFile) throws IOException {
        return new ModelSignature(Files.readAllBytes(keyFile), keyFile.toString());
    }

    /**
     * The process's key, from the system property {@value #PROPERTY} or else the environment
     * variable {@value #ENV}, each naming a key file.
     *
     * @return the signature to require, or empty when neither is set
     * @throws IllegalStateException when the named key file cannot be read or is too short
     */
    public static Optional<ModelSignature> configured() {
        String p = System.getProperty(PROPERTY);
        String where = PROPERTY;
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
            where = ENV;
        }
        if (p == null || p.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromKeyFile(Path.of(p)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(where + " names the model signing key " + p + ", which cannot be used: " + e, e);
        }
    }

    /** @param model a model file; @return its signature file, {@code <model>.sig} */
    public static Path signatureFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".sig");
    }

    /**
     * @param bytes the whole model file
     * @return the HMAC-SHA256 of it under this key
     */
    public byte[] mac(byte[] bytes) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    /**
     * Writes {@code <model>.sig} for the file as it is now.
     *
     * @param model the model file
     * @throws IOException when reading or writing fails
     */
    public void sign(Path model) throws IOException {
        String line = PREFIX + HexFormat.of().formatHex(mac(Files.readAllBytes(model))) + "\n";
        Path sig = signatureFile(model);
        Path tmp = sig.resolveSibling(sig.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            Files.writeString(tmp, line, StandardCharsets.US_ASCII);
            Files.move(tmp, sig, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Checks the signature of model file content against {@code <model>.sig}.
     *
     * @param model the model file's path (for the signature file and messages)
     * @param bytes its content, as read
     * @throws IOException        when the signature file exists but cannot be read
     * @throws ModelFileException ({@link ModelFileException.Reason#SIGNATURE}) when the signature
     *                            file is missing or malformed, or does not match under this key
     */
    public void verify(Path model, byte[] bytes) throws IOException, ModelFileException {
        Path sig = signatureFile(model);
        if (!Files.isRegularFile(sig)) {
            throw new ModelFileException(model.toString(), "signature " + sig.getFileName(), ModelFileException.Reason.SIGNATURE,
                    "a model signing key is configured (" + keyName + ") but the model has no signature file " + sig
                            + "; refused");
        }
        if (Files.size(sig) > 4096) {
            throw new ModelFileException(model.toString(), "signature " + sig.getFileName(), ModelFileException.Reason.SIGNATURE,
                    "signature file is " + Files.size(sig) + " bytes, not one line; refused");
        }
        String text = Files.readString(sig, StandardCharsets.US_ASCII).strip();
        byte[] stored;
        try {
            if (!text.startsWith(PREFIX)) {
                throw new IllegalArgumentException("does not start with '" + PREFIX.strip() + "'");
            }
            stored = HexFormat.of().parseHex(text.substring(PREFIX.length()).toLowerCase(Locale.ROOT));
            if (stored.length != 32) {
                throw new IllegalArgumentException(stored.length + " bytes of HMAC, expected 32");
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(model.toString(), "signature " + sig.getFileName(), ModelFileException.Reason.SIGNATURE,
                    "malformed signature file: " + e.getMessage() + "; refused");
        }
        if (!MessageDigest.isEqual(stored, mac(bytes))) {
            throw new ModelFileException(model.toString(), "signature " + sig.getFileName(), ModelFileException.Reason.SIGNATURE,
                    "HMAC-SHA256 under key " + keyName + " does not match the file: it was changed after signing, or signed "
                            + "with another key; refused");
        }
    }
}
