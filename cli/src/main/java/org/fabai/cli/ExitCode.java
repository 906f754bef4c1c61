package org.fabai.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.fabai.core.io.FormatException;

/**
 * The exit codes of every {@code fabai} command, and which failure gets which. Documented in the
 * README ("Exit codes"); scripts may rely on them.
 */
public final class ExitCode {

    /** The command did what was asked. */
    public static final int OK = 0;
    /**
     * The analysis ran and failed or gave a failing verdict: e.g. {@code apc stability} found an
     * unstable case, a numerical method did not converge, an engine is not available.
     */
    public static final int FAILURE = 1;
    /** Bad usage: unknown option, missing argument, a parameter out of range, a group command without subcommand. */
    public static final int USAGE = 2;
    /** Bad input data: a missing, unreadable or malformed file, a file without what the command needs. */
    public static final int BAD_INPUT = 3;

    private ExitCode() {
    }

    /**
     * The exit code for an exception thrown by a command.
     *
     * @param ex what the command threw
     * @return {@link #BAD_INPUT}, {@link #USAGE} or {@link #FAILURE}
     */
    public static int of(Throwable ex) {
        if (ex instanceof FormatException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof BadInputException) {
            return BAD_INPUT;
        }
        if (ex instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILURE;
    }

    /**
     * One line for the user: what failed and where. File-system errors name the file and the reason
     * (Java's own messages give only one of the two).
     *
     * @param ex what the command threw
     * @return the message
     */
    public static String message(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        if (t instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (t instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": "
                    + (f.getReason() == null ? t.getClass().getSimpleName() : f.getReason());
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return ex instanceof IllegalArgumentException || ex instanceof FormatException || ex instanceof BadInputException
                || t instanceof IOException ? m : m + " (" + t.getClass().getSimpleName() + ")";
    }
}
