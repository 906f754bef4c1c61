package org.fabai.rca.commonality;

import java.util.Arrays;

/** Open-addressing map from long keys to int values (no boxing), for the streaming scan's cells. Not thread-safe. */
final class LongIntMap {

    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] vals;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        vals = new int[cap];
        mask = cap - 1;
    }

    /** @return the value of key, or -1 */
    int get(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return vals[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Puts a key that is not present (the caller checked with {@link #get}). */
    void putNew(long key, int value) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("key " + key + " is reserved");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = hash(key) & mask;
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        vals[i] = value;
        size++;
    }

    /** Receives an entry. */
    interface Entry {
        void accept(long key, int value);
    }

    /** Calls f for every entry. */
    void forEach(Entry f) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                f.accept(keys[i], vals[i]);
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = vals;
        keys = new long[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        vals = new int[ok.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                putNew(ok[i], ov[i]);
            }
        }
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
