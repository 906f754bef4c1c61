package org.fabai.core.io.npy;

import org.fabai.core.io.FormatException;

/**
 * An array stored as pickled Python objects (numpy dtype {@code 'O'}: what {@code numpy.savez} writes
 * for a pandas column of strings or of arrays). fabai never unpickles anything, so such an array
 * cannot be read; readers of wafer-map files skip one that they do not need (with a warning naming
 * it) and refuse the file when they do.
 */
public final class PickledArrayException extends FormatException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source   the file name
     * @param location where in it
     * @param message  what was found and how to write it instead
     */
    public PickledArrayException(String source, String location, String message) {
        super(source, location, message);
    }
}
