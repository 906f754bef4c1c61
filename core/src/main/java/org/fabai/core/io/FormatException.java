package org.fabai.core.io;

/**
 * A file or stream does not hold what its format requires. The message names the source, where
 * in it the problem is (line, record or byte offset) and what was expected.
 */
public class FormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String location;

    /**
     * @param source   the file name or other description of the input
     * @param location where in it, e.g. {@code "line 12"}, {@code "record 7 (PRR) at byte 1024"}
     * @param message  what was wrong and what was expected
     */
    public FormatException(String source, String location, String message) {
        this(source, location, message, null);
    }

    /**
     * @param source   the file name or other description of the input
     * @param location where in it
     * @param message  what was wrong and what was expected
     * @param cause    underlying cause, may be null
     */
    public FormatException(String source, String location, String message, Throwable cause) {
        super(source + ": " + location + ": " + message, cause);
        this.source = source;
        this.location = location;
    }

    /** @return the input's name */
    public String source() {
        return source;
    }

    /** @return where in the input */
    public String location() {
        return location;
    }
}
