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

    /**
     * An empty chunk for another reader of histories (e.g. a columnar file) to fill with
     * {@link #add}; {@link HistoryCsvScanner} makes its own.
     *
     * @param capacity rows it can hold, positive
     * @return the chunk
     */
    public static HistoryChunk allocate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        return new HistoryChunk(capacity);
    }

    /** @return rows it can hold */
    public int capacity() {
        return wafer.length;
    }

    /**
     * Appends a row of dictionary codes.
     *
     * @param waferCode   wafer code
     * @param stepCode    step code
     * @param toolCode    tool code
     * @param chamberCode chamber code (the code of {@code ""} for none)
     * @param lotCode     lot code (the code of {@code ""} for none)
     * @param nanos       nanoseconds since the epoch, or {@link #NO_TIME}
     * @param where       where the row is in its source (a line, or a row number), 1-based
     * @throws IllegalStateException if the chunk is full
     */
    public void add(int waferCode, int stepCode, int toolCode, int chamberCode, int lotCode, long nanos, long where) {
        if (size == wafer.length) {
            throw new IllegalStateException("chunk is full (" + size + " rows)");
        }
        int i = size++;
        wafer[i] = waferCode;
        step[i] = stepCode;
        tool[i] = toolCode;
        chamber[i] = chamberCode;
        lot[i] = lotCode;
        time[i] = nanos;
        line[i] = where;
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
