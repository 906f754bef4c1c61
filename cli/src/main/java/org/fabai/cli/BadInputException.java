package org.fabai.cli;

import java.io.Serial;

/**
 * Input data that the command cannot use although it parsed (e.g. an NPZ without labels where
 * labels are needed): exit code {@link ExitCode#BAD_INPUT}. The message names the file.
 */
public final class BadInputException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and in which file
     */
    public BadInputException(String message) {
        super(message);
    }
}
