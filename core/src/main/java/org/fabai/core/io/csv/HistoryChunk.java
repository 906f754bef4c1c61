package org.fabai.core.io.csv;

/**
 * A run of consecutive rows of a wafer-history CSV, held as columns of dictionary codes
 * ({@link HistoryCsvScanner.Dictionaries}): no object per row. Times are nanoseconds since the
 * epoch (UTC), {@link #NO_TIME} when the cell was empty. Handed to a {@link HistoryCsvScanner.Sink}
 * in file order; it is not kept by the scanner afterwards. Not thread-safe (read it from the thread
 * that received it).
 */
public final class HistoryChunk {

    /** The time of a row whose timestamp cell is empty. */
    public static final long NO_TIME = Long.MIN_VALUE;

    int size;
    final int[] wafer;
    final int[] step;
    final int[] tool;
    final int[] chamber;
    final int[] lot;
    final long[] time;
    final long[] line;

    HistoryChunk(int capacity) {
        wafer = new int[capacity];
        step = new int[capacity];
        tool = new int[capacity];
        chamber = new int[capacity];
        lot = new int[capacity];
        time = new long[capacity];
        line = new long[capacity];
    }

    /** @return the number of rows */
    public int size() {
        return size;
    }

    /** @param i row @return the wafer code */
    public int wafer(int i) {
        return wafer[i];
    }

    /** @param i row @return the step code */
    public int step(int i) {
        return step[i];
    }

    /** @param i row @return the tool code */
    public int tool(int i) {
        return tool[i];
    }

    /** @param i row @return the chamber code (the code of {@code ""} when there is none) */
    public int chamber(int i) {
        return chamber[i];
    }

    /** @param i row @return the lot code (the code of {@code ""} when there is none) */
    public int lot(int i) {
        return lot[i];
    }

    /** @param i row @return nanoseconds since the epoch, or {@link #NO_TIME} */
    public long time(int i) {
        return time[i];
    }

    /** @param i row @return the 1-based line of the file the row starts on */
    public long line(int i) {
        return line[i];
    }
}
