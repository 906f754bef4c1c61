package org.fabai.core.io.klarf;

import java.io.IOException;
import java.io.Reader;

import org.fabai.core.io.FormatException;

/**
 * Splits KLARF text into tokens: bare words, quoted strings (returned with their quotes) and the
 * punctuation {@code ;} (and, for the 1.8 record syntax, {@code { } ,}). Tracks line numbers
 * (CR, LF and CRLF all end a line). Reads through a small buffer, so memory does not grow with
 * the input. Not thread-safe.
 */
final class KlarfTokenizer {

    /** Longest token accepted; longer ones are garbage, not KLARF. */
    static final int MAX_TOKEN_CHARS = 64 * 1024;

    private final Reader in;
    private final String source;
    private final char[] buf = new char[8192];
    private int pos;
    private int len;
    private boolean eof;
    private int line = 1;
    private boolean lastWasCr;
    private boolean recordSyntax;

    private String peeked;
    private int peekedLine;
    private String tokenText;
    private int tokenLine;
    private final StringBuilder sb = new StringBuilder();

    KlarfTokenizer(Reader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Switches on the 1.8 punctuation {@code { } ,}. */
    void recordSyntax(boolean on) {
        this.recordSyntax = on;
    }

    String source() {
        return source;
    }

    /** @return line of the token returned last by {@link #next()} */
    int line() {
        return tokenLine;
    }

    /** @return the current line of the reader (for end-of-input messages) */
    int currentLine() {
        return line;
    }

    /**
     * @return the next token without consuming it, or null at the end of the input
     */
    String peek() throws IOException, FormatException {
        if (peeked == null) {
            peeked = read();
            peekedLine = tokenLineOfRead;
        }
        return peeked;
    }

    /**
     * @return the next token, or null at the end of the input
     */
    String next() throws IOException, FormatException {
        if (peeked != null) {
            tokenText = peeked;
            tokenLine = peekedLine;
            peeked = null;
            return tokenText;
        }
        tokenText = read();
        tokenLine = tokenLineOfRead;
        return tokenText;
    }

    /**
     * Skips what old tools pad files with after the end (whitespace, NUL, Ctrl-Z).
     *
     * @return true when nothing else is left
     */
    boolean onlyPaddingLeft() throws IOException {
        if (peeked != null) {
            return false;
        }
        int c;
        while ((c = nextChar()) >= 0) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0 || c == 0x1A) {
                countNewline(c);
            } else {
                unread();
                return false;
            }
        }
        return true;
    }

    FormatException error(int atLine, String message) {
        return new FormatException(source, "line " + atLine, message);
    }

    private int tokenLineOfRead;

    private int nextChar() throws IOException {
        if (pos == len) {
            if (eof) {
                return -1;
            }
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                eof = true;
                return -1;
            }
        }
        return buf[pos++];
    }

    private void unread() {
        pos--;
    }

    private boolean isPunct(int c) {
        return c == ';' || (recordSyntax && (c == '{' || c == '}' || c == ','));
    }

    private void countNewline(int c) {
        if (c == '\r') {
            line++;
            lastWasCr = true;
        } else if (c == '\n') {
            if (!lastWasCr) {
                line++;
            }
            lastWasCr = false;
        } else {
            lastWasCr = false;
        }
    }

    private String read() throws IOException, FormatException {
        int c;
        while (true) {
            c = nextChar();
            if (c < 0) {
                return null;
            }
            countNewline(c);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0xFEFF) {
                continue;
            }
            break;
        }
        tokenLineOfRead = line;
        checkChar(c);
        if (isPunct(c)) {
            return String.valueOf((char) c);
        }
        sb.setLength(0);
        if (c == '"') {
            sb.append('"');
            while (true) {
                c = nextChar();
                if (c < 0 || c == '\r' || c == '\n') {
                    throw error(tokenLineOfRead, "unterminated quoted string: expected '\"' before the end of the line");
                }
                checkChar(c);
                sb.append((char) c);
                if (c == '"') {
                    return sb.toString();
                }
                checkLength();
            }
        }
        sb.append((char) c);
        while (true) {
            c = nextChar();
            if (c < 0) {
                return sb.toString();
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || isPunct(c) || c == '"') {
                unread();
                return sb.toString();
            }
            checkChar(c);
            sb.append((char) c);
            checkLength();
        }
    }

    private void checkChar(int c) throws FormatException {
        if (c < 0x20 && c != '\t' || c == 0x7F) {
            throw error(line, String.format(java.util.Locale.ROOT,
                    "unexpected control character 0x%02X: expected KLARF text", c));
        }
    }

    private void checkLength() throws FormatException {
        if (sb.length() > MAX_TOKEN_CHARS) {
            throw error(tokenLineOfRead, "token longer than " + MAX_TOKEN_CHARS + " characters: expected KLARF text");
        }
    }

    /** @return true when the token is a quoted string */
    static boolean isQuoted(String token) {
        return token.length() >= 2 && token.charAt(0) == '"' && token.charAt(token.length() - 1) == '"';
    }

    /** @return the token without its quotes, when quoted */
    static String unquote(String token) {
        return isQuoted(token) ? token.substring(1, token.length() - 1) : token;
    }
}
