package org.fabai.core.io.npy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fabai.core.io.FormatException;

/**
 * Parser of an {@code .npy} header's Python dict literal ({@code descr}, {@code fortran_order},
 * {@code shape}) for {@link NpyReader}: every malformed header is a {@link FormatException} at its
 * byte offset, quoting the header near the fault. Package-private; one per header.
 */
final class NpyHeaderParser {
    private final NpyReader.Pos pos;
    private final long start;
    private final String s;
    private final int major;
    private final int minor;
    private int i;

    NpyHeaderParser(NpyReader.Pos pos, long start, String s, int major, int minor) {
        this.pos = pos;
        this.start = start;
        this.s = s;
        this.major = major;
        this.minor = minor;
    }

    private FormatException err(String what) {
        String near = s.substring(Math.min(i, s.length()), Math.min(s.length(), i + 20));
        return pos.error(start + i, "malformed header: " + what + " (header: "
                + abbreviate(s.strip()) + ", near '" + near + "')");
    }

    private static String abbreviate(String t) {
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }

    NpyHeader parse(long dataOffset) throws FormatException {
        ws();
        expect('{');
        String descr = null;
        Boolean fortran = null;
        long[] shape = null;
        Set<String> seen = new HashSet<>();
        ws();
        while (peek() != '}') {
            int keyAt = i;
            String key = string();
            if (!seen.add(key)) {
                i = keyAt;
                throw err("key '" + key + "' appears twice");
            }
            ws();
            expect(':');
            ws();
            switch (key) {
                case "descr":
                    if (peek() == '[') {
                        throw err("structured dtypes (a list as 'descr') are not supported");
                    }
                    descr = string();
                    break;
                case "fortran_order":
                    fortran = bool();
                    break;
                case "shape":
                    shape = tuple();
                    break;
                default:
                    i = keyAt;
                    throw err("unexpected key '" + key + "'; expected exactly 'descr', 'fortran_order', 'shape'");
            }
            ws();
            if (peek() == ',') {
                i++;
                ws();
            } else if (peek() != '}') {
                throw err("expected ',' or '}'");
            }
        }
        i++;
        ws();
        if (i < s.length()) {
            throw err("unexpected text after the dict");
        }
        if (descr == null || fortran == null || shape == null) {
            throw err("missing key(s): expected 'descr', 'fortran_order' and 'shape', found " + seen);
        }
        NpyDtype dt;
        try {
            dt = NpyDtype.parse(descr);
        } catch (IllegalArgumentException e) {
            FormatException f = pos.error(start + s.indexOf("descr"), e.getMessage());
            throw NpyDtype.isObject(descr) ? new PickledArrayException(f.source(), f.location(), e.getMessage()) : f;
        }
        return new NpyHeader(major, minor, dt, fortran, shape, dataOffset);
    }

    private char peek() throws FormatException {
        if (i >= s.length()) {
            throw err("header ends early");
        }
        return s.charAt(i);
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t'
                || s.charAt(i) == '\r' || s.charAt(i) == '\0')) {
            i++;
        }
    }

    private void expect(char c) throws FormatException {
        if (peek() != c) {
            throw err("expected '" + c + "'");
        }
        i++;
    }

    private String string() throws FormatException {
        char q = peek();
        if (q != '\'' && q != '"') {
            throw err("expected a quoted string");
        }
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            i++;
            if (c == q) {
                return sb.toString();
            }
            if (c == '\\') {
                sb.append(peek());
                i++;
            } else {
                sb.append(c);
            }
            if (sb.length() > 256) {
                throw err("string longer than 256 characters");
            }
        }
    }

    private boolean bool() throws FormatException {
        if (s.startsWith("True", i)) {
            i += 4;
            return true;
        }
        if (s.startsWith("False", i)) {
            i += 5;
            return false;
        }
        throw err("expected True or False for 'fortran_order'");
    }

    private long[] tuple() throws FormatException {
        expect('(');
        List<Long> dims = new ArrayList<>();
        ws();
        boolean comma = false;
        while (peek() != ')') {
            int at = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            if (i == at) {
                throw err("expected a non-negative integer dimension in 'shape'");
            }
            long d;
            try {
                d = Long.parseLong(s.substring(at, i));
            } catch (NumberFormatException e) {
                i = at;
                throw err("dimension " + s.substring(at, Math.min(s.length(), at + 30)) + " overflows a 64-bit integer");
            }
            if (i < s.length() && s.charAt(i) == 'L') {
                i++;
            }
            dims.add(d);
            if (dims.size() > 64) {
                throw err("more than 64 dimensions");
            }
            ws();
            comma = false;
            if (peek() == ',') {
                i++;
                comma = true;
                ws();
            } else if (peek() != ')') {
                throw err("expected ',' or ')' in 'shape'");
            }
        }
        if (dims.size() == 1 && !comma) {
            throw err("a 1-d shape is written '(n,)'; '(n)' is not a tuple");
        }
        i++;
        long[] out = new long[dims.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = dims.get(k);
        }
        return out;
    }
}
