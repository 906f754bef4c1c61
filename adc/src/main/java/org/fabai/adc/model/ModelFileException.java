package org.fabai.adc.model;

import org.fabai.core.io.FormatException;

/**
 * A model file cannot be used: it is not a fabai model file, it is damaged (truncated, checksum
 * mismatch, malformed header), or it was written by an incompatible format or model version, or
 * it holds another kind of model than the one asked for.
 *
 * <p>Immutable once constructed, and so thread-safe.
 */
public class ModelFileException extends FormatException {

    private static final long serialVersionUID = 1L;

    /** Why the file cannot be used. */
    public enum Reason {
        /** The file does not start with fabai's model-file magic bytes. */
        NOT_A_MODEL_FILE,
        /** The file is truncated, its checksum does not match, or its structure is malformed. */
        CORRUPT,
        /** The container format version or the model's own version is newer than this library reads. */
        UNSUPPORTED_VERSION,
        /** The file holds another kind of model than requested. */
        WRONG_KIND,
        /** The content is structurally valid but inconsistent (missing key, bad value, failed re-fit check). */
        INVALID_CONTENT,
        /** A model signing key is configured and the file's signature is missing or does not match ({@link ModelSignature}). */
        SIGNATURE
    }

    private final Reason reason;

    /**
     * @param source   file name
     * @param location where in the file (byte offset, header key, section name)
     * @param reason   why the file cannot be used
     * @param message  what was wrong and what was expected
     */
    public ModelFileException(String source, String location, Reason reason, String message) {
        this(source, location, reason, message, null);
    }

    /**
     * @param source   file name
     * @param location where in the file
     * @param reason   why the file cannot be used
     * @param message  what was wrong and what was expected
     * @param cause    underlying cause, may be null
     */
    public ModelFileException(String source, String location, Reason reason, String message, Throwable cause) {
        super(source, location, "[" + reason + "] " + message, cause);
        this.reason = reason;
    }

    /** @return why the file cannot be used */
    public Reason reason() {
        return reason;
    }
}
