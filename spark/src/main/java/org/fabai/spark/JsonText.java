package org.fabai.spark;

import java.util.Locale;

/** The few JSON pieces the jobs print (no JSON library in the job jar). */
final class JsonText {

    private JsonText() {
    }

    /** @return the number, or {@code null} when not finite */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** @return the string quoted and escaped */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
