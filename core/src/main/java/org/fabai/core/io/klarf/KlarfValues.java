package org.fabai.core.io.klarf;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.fabai.core.defect.Defect;

/** Number, unit and timestamp conversions shared by the KLARF reader and writer. Stateless. */
final class KlarfValues {

    private KlarfValues() {
    }

    /** @return true for the tokens that stand for a missing number */
    static boolean isNa(String s) {
        return s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("NaN") || s.equalsIgnoreCase("N/A");
    }

    /** @return true when {@code s} is a plain decimal number (optional sign, fraction, exponent) */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int ed = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                ed++;
            }
            if (ed == 0) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * @param s     token
     * @param scale power of ten to shift by (e.g. -3 to turn nanometres into micrometres)
     * @return the number shifted by {@code 10^scale}, NaN for NA
     * @throws IllegalArgumentException when not a number
     */
    static double parseDouble(String s, int scale) {
        if (isNa(s)) {
            return Double.NaN;
        }
        if (!isNumber(s)) {
            throw new IllegalArgumentException("expected a number, got '" + s + "'");
        }
        if (scale == 0) {
            return Double.parseDouble(s);
        }
        if (s.indexOf('e') < 0 && s.indexOf('E') < 0) {
            return Double.parseDouble(s + "e" + scale); // exact decimal shift, correctly rounded
        }
        return new BigDecimal(s).scaleByPowerOfTen(scale).doubleValue();
    }

    /**
     * @param s token
     * @return the integer, {@link Defect#UNKNOWN} for NA
     * @throws IllegalArgumentException when not an integer in int range
     */
    static int parseInt(String s) {
        if (isNa(s)) {
            return Defect.UNKNOWN;
        }
        long v = parseLong(s);
        if (v <= Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected an integer in int range, got '" + s + "'");
        }
        return (int) v;
    }

    /**
     * @param s token
     * @return the integer (integral decimals such as {@code 3.0} accepted)
     * @throws IllegalArgumentException when not an integer
     */
    static long parseLong(String s) {
        if (!isNumber(s)) {
            throw new IllegalArgumentException("expected an integer, got '" + s + "'");
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            try {
                BigDecimal d = new BigDecimal(s);
                if (d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                    throw new IllegalArgumentException("expected an integer in long range, got '" + s + "'");
                }
                return d.longValueExact();
            } catch (ArithmeticException | NumberFormatException e2) {
                throw new IllegalArgumentException("expected an integer, got '" + s + "'", e2);
            }
        }
    }

    /**
     * Formats a value given in micrometres (or square micrometres) for a file using units
     * {@code 10^-scale} of it, exactly reversing {@link #parseDouble(String, int)}.
     *
     * @param v     value
     * @param scale the scale the reader applies (e.g. -3: the file holds nanometres)
     * @return the token, {@code NA} for NaN
     */
    static String formatDouble(double v, int scale) {
        if (Double.isNaN(v)) {
            return "NA";
        }
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("cannot write an infinite value to KLARF");
        }
        if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
            return "-0"; // keep the sign of negative zero
        }
        if (scale == 0) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).scaleByPowerOfTen(-scale).stripTrailingZeros();
        if (d.scale() <= 0 && d.precision() - d.scale() <= 18) {
            return d.toBigIntegerExact().toString();
        }
        return d.toString();
    }

    /** @return the int as a token, {@code NA} for {@link Defect#UNKNOWN} */
    static String formatInt(long v) {
        return v == Defect.UNKNOWN ? "NA" : Long.toString(v);
    }

    /**
     * Parses a KLARF timestamp: a date and a time ({@code mm-dd-yy}, {@code mm-dd-yyyy} or ISO
     * {@code yyyy-mm-dd}, then {@code H:mm:ss}), or one ISO-8601 date-time (an offset, when given,
     * is applied and the result is in UTC).
     *
     * @param tokens the value tokens (quotes allowed)
     * @return the local date-time
     * @throws IllegalArgumentException when not a timestamp
     */
    static LocalDateTime parseTimestamp(List<String> tokens) {
        if (tokens.size() == 1) {
            String s = KlarfTokenizer.unquote(tokens.get(0));
            try {
                if (s.length() > 10 && (s.charAt(10) == 'T' || s.charAt(10) == 't')) {
                    String u = s.toUpperCase(Locale.ROOT);
                    if (u.endsWith("Z") || u.lastIndexOf('+') > 10 || u.lastIndexOf('-') > 10) {
                        return OffsetDateTime.parse(u).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                    }
                    return LocalDateTime.parse(u);
                }
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("expected an ISO-8601 date-time, got '" + s + "'", e);
            }
            return parseDate(s).atStartOfDay();
        }
        if (tokens.size() != 2) {
            throw new IllegalArgumentException("expected a date and a time (mm-dd-yy hh:mm:ss), got "
                    + tokens.size() + " values");
        }
        return LocalDateTime.of(parseDate(KlarfTokenizer.unquote(tokens.get(0))),
                parseTime(KlarfTokenizer.unquote(tokens.get(1))));
    }

    static LocalDate parseDate(String s) {
        String[] p = s.split("[-/]", -1);
        try {
            if (p.length == 3) {
                if (p[0].length() == 4) {
                    return LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                }
                int y = Integer.parseInt(p[2]);
                if (p[2].length() <= 2) {
                    y += y < 70 ? 2000 : 1900;
                } else if (p[2].length() != 4) {
                    throw new IllegalArgumentException("bad year");
                }
                return LocalDate.of(y, Integer.parseInt(p[0]), Integer.parseInt(p[1]));
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw new IllegalArgumentException("expected a date mm-dd-yy, mm-dd-yyyy or yyyy-mm-dd, got '" + s + "'", e);
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("expected a date mm-dd-yy, mm-dd-yyyy or yyyy-mm-dd, got '" + s + "'");
    }

    static LocalTime parseTime(String s) {
        String[] p = s.split(":", -1);
        try {
            if (p.length == 2 || p.length == 3) {
                for (String q : p) {
                    if (q.isEmpty() || q.length() > 2 && !q.contains(".")) {
                        throw new NumberFormatException(q);
                    }
                }
                int h = Integer.parseInt(p[0]);
                int m = Integer.parseInt(p[1]);
                if (p.length == 2) {
                    return LocalTime.of(h, m);
                }
                double sec = Double.parseDouble(p[2]);
                if (!(sec >= 0 && sec < 60) || !isNumber(p[2])) {
                    throw new NumberFormatException(p[2]);
                }
                int whole = (int) sec;
                return LocalTime.of(h, m, whole, (int) Math.round((sec - whole) * 1e9) % 1_000_000_000);
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw new IllegalArgumentException("expected a time hh:mm:ss, got '" + s + "'", e);
        }
        throw new IllegalArgumentException("expected a time hh:mm:ss, got '" + s + "'");
    }
}
