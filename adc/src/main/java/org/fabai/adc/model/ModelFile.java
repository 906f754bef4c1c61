package org.fabai.adc.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * fabai's container for fitted models: one file holding a text header of provenance (key/value
 * pairs) and named binary sections, protected by a SHA-256 checksum. Every model kind of fabai
 * (the feature classifier, the CNN) is saved in it; never Java serialization. Files shipped
 * between sites can carry an HMAC signature beside them ({@link ModelSignature}).
 *
 * <h2>Format, version 1 (all integers big-endian)</h2>
 * <pre>
 *   bytes 0..7   magic "FABAIMDL" (ASCII)
 *   u16          container format version (1)
 *   u32          header length H, then H bytes of UTF-8 header text
 *   u32          section count S, then S times:
 *                  u16 name length L, L bytes of UTF-8 name,
 *                  u64 data length D, D bytes of data
 *   32 bytes     SHA-256 of every byte before it
 * </pre>
 * The header is one {@code key=value} pair per line ({@code '\n'}), keys sorted; keys use
 * {@code [A-Za-z0-9._-]}; in values a backslash is written {@code \\}, a newline {@code \n} and a
 * carriage return {@code \r}. Two keys are mandatory: {@code model.kind} (what reads the file,
 * e.g. {@code feature-classifier}) and {@code model.version} (that reader's own content version,
 * an integer). Readers check the magic, the checksum, the container version, the kind and the
 * model version, in that order, and report the first failure as a {@link ModelFileException}
 * with a {@link ModelFileException.Reason}.
 *
 * <p>Numeric arrays in sections are stored little-endian IEEE-754 ({@link #encodeDoubles}); the
 * layout of each section is documented by the model kind that writes it.
 *
 * <p>Instances are immutable (arrays are copied in and out) and thread-safe.
 */
public final class ModelFile {

    /** The 8 magic bytes at the start of every model file. */
    public static final String MAGIC = "FABAIMDL";
    /** The container format version this library writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** Header key naming the model kind. */
    public static final String KEY_KIND = "model.kind";
    /** Header key holding the kind's own content version. */
    public static final String KEY_VERSION = "model.version";

    private final Map<String, String> header;
    private final Map<String, byte[]> sections;

    /**
     * @param kind     model kind, e.g. {@code "feature-classifier"}
     * @param version  the kind's content version, at least 1
     * @param header   further header entries (keys {@code [A-Za-z0-9._-]+})
     * @param sections named binary sections (names non-empty, at most 65535 UTF-8 bytes)
     */
    public ModelFile(String kind, int version, Map<String, String> header, Map<String, byte[]> sections) {
        Objects.requireNonNull(kind, "kind");
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version);
        }
        TreeMap<String, String> h = new TreeMap<>();
        for (Map.Entry<String, String> e : header.entrySet()) {
            checkKey(e.getKey());
            h.put(e.getKey(), Objects.requireNonNull(e.getValue(), "value of header key " + e.getKey()));
        }
        h.put(KEY_KIND, kind);
        h.put(KEY_VERSION, Integer.toString(version));
        this.header = Collections.unmodifiableMap(h);
        LinkedHashMap<String, byte[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > 0xFFFF) {
                throw new IllegalArgumentException("section name must be 1..65535 UTF-8 bytes, got '" + e.getKey() + "'");
            }
            s.put(e.getKey(), e.getValue().clone());
        }
        this.sections = Collections.unmodifiableMap(s);
    }

    private static void checkKey(String k) {
        if (k == null || k.isEmpty() || !k.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("header key must match [A-Za-z0-9._-]+, got '" + k + "'");
        }
    }

    /** @return the model kind */
    public String kind() {
        return header.get(KEY_KIND);
    }

    /** @return the kind's content version */
    public int version() {
        return Integer.parseInt(header.get(KEY_VERSION));
    }

    /** @return all header entries, sorted by key (unmodifiable) */
    public Map<String, String> header() {
        return header;
    }

    /** @return section names in file order */
    public java.util.Set<String> sectionNames() {
        return sections.keySet();
    }

    /**
     * @param name section name
     * @return a copy of its bytes, or null if absent
     */
    public byte[] section(String name) {
        byte[] b = sections.get(name);
        return b == null ? null : b.clone();
    }

    /**
     * Writes the file atomically (to a temporary sibling, then moved over {@code file}); signs it
     * ({@code <file>.sig}) when a model signing key is configured ({@link ModelSignature#configured()}).
     *
     * @param file destination
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // a sibling temporary created with the default permissions (createTempFile would make it owner-only)
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            try (OutputStream os = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                os.write(toBytes());
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        java.util.Optional<ModelSignature> sig = ModelSignature.configured();
        if (sig.isPresent()) {
            sig.get().sign(abs);
        }
    }

    /** @return the complete file content */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
            out.writeShort(FORMAT_VERSION);
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : header.entrySet()) {
                sb.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n');
            }
            byte[] h = sb.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(h.length);
            out.write(h);
            out.writeInt(sections.size());
            for (Map.Entry<String, byte[]> e : sections.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeLong(e.getValue().length);
                out.write(e.getValue());
            }
            out.flush();
            byte[] body = bos.toByteArray();
            byte[] sum = sha256(body, body.length);
            byte[] all = Arrays.copyOf(body, body.length + sum.length);
            System.arraycopy(sum, 0, all, body.length, sum.length);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    /**
     * Reads a model file of any kind.
     *
     * @param file the file
     * @return the container
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if it is not a valid fabai model file of a supported version
     */
    public static ModelFile read(Path file) throws IOException, ModelFileException {
        return read(file, ModelSignature.configured().orElse(null));
    }

    /**
     * Reads a model file of any kind, checking its signature first.
     *
     * @param file      the file
     * @param signature the key its {@code <file>.sig} must match; null to check none
     * @return the container
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if the signature is missing or wrong, or the file is not a valid
     *                            fabai model file of a supported version
     */
    public static ModelFile read(Path file, ModelSignature signature) throws IOException, ModelFileException {
        byte[] bytes = Files.readAllBytes(file);
        if (signature != null) {
            signature.verify(file, bytes);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Reads a model file and checks its kind and content version.
     *
     * @param file       the file
     * @param kind       the expected kind
     * @param maxVersion the newest content version the caller understands
     * @return the container
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if it is invalid, of another kind or of a newer version
     */
    public static ModelFile read(Path file, String kind, int maxVersion) throws IOException, ModelFileException {
        ModelFile m = read(file);
        m.check(file.toString(), kind, maxVersion);
        return m;
    }

    /**
     * Checks kind and content version.
     *
     * @param source     file name for messages
     * @param kind       the expected kind
     * @param maxVersion the newest content version the caller understands
     * @throws ModelFileException on mismatch
     */
    public void check(String source, String kind, int maxVersion) throws ModelFileException {
        if (!kind.equals(kind())) {
            throw new ModelFileException(source, "header " + KEY_KIND, ModelFileException.Reason.WRONG_KIND,
                    "file holds a '" + kind() + "' model, expected '" + kind + "'");
        }
        if (version() > maxVersion) {
            throw new ModelFileException(source, "header " + KEY_VERSION, ModelFileException.Reason.UNSUPPORTED_VERSION,
                    "'" + kind + "' content version " + version() + " is newer than this library reads (up to "
                            + maxVersion + "); upgrade fabai");
        }
    }

    /**
     * Parses file content.
     *
     * @param bytes  the content
     * @param source file name for messages
     * @return the container
     * @throws ModelFileException if the content is not a valid model file
     */
    public static ModelFile parse(byte[] bytes, String source) throws ModelFileException {
        byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < magic.length || !Arrays.equals(Arrays.copyOf(bytes, magic.length), magic)) {
            throw new ModelFileException(source, "byte 0", ModelFileException.Reason.NOT_A_MODEL_FILE,
                    "does not start with the magic bytes '" + MAGIC + "'; not a fabai model file");
        }
        int minLen = magic.length + 2 + 4 + 4 + 32;
        if (bytes.length < minLen) {
            throw new ModelFileException(source, "byte " + bytes.length, ModelFileException.Reason.CORRUPT,
                    "file is truncated: " + bytes.length + " bytes, a model file has at least " + minLen);
        }
        int bodyLen = bytes.length - 32;
        byte[] expected = Arrays.copyOfRange(bytes, bodyLen, bytes.length);
        if (!MessageDigest.isEqual(expected, sha256(bytes, bodyLen))) {
            throw new ModelFileException(source, "byte " + bodyLen, ModelFileException.Reason.CORRUPT,
                    "SHA-256 checksum does not match the content: the file is damaged or truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bodyLen).order(ByteOrder.BIG_ENDIAN);
        in.position(magic.length);
        int format = Short.toUnsignedInt(in.getShort());
        if (format > FORMAT_VERSION || format < 1) {
            throw new ModelFileException(source, "byte 8", ModelFileException.Reason.UNSUPPORTED_VERSION,
                    "container format version " + format + " is not supported (this library reads 1.." + FORMAT_VERSION + ")");
        }
        try {
            int hl = in.getInt();
            if (hl < 0 || hl > in.remaining()) {
                throw new ModelFileException(source, "byte 10", ModelFileException.Reason.CORRUPT,
                        "header length " + hl + " exceeds the file");
            }
            String text = new String(bytes, in.position(), hl, StandardCharsets.UTF_8);
            in.position(in.position() + hl);
            TreeMap<String, String> header = header(text, source);
            String kind = header.remove(KEY_KIND);
            String ver = header.remove(KEY_VERSION);
            if (kind == null || ver == null) {
                throw new ModelFileException(source, "header", ModelFileException.Reason.INVALID_CONTENT,
                        "missing mandatory key " + (kind == null ? KEY_KIND : KEY_VERSION));
            }
            int version;
            try {
                version = Integer.parseInt(ver);
            } catch (NumberFormatException e) {
                throw new ModelFileException(source, "header " + KEY_VERSION, ModelFileException.Reason.INVALID_CONTENT,
                        "expected an integer, got '" + ver + "'");
            }
            int count = in.getInt();
            if (count < 0) {
                throw new ModelFileException(source, "byte " + (in.position() - 4), ModelFileException.Reason.CORRUPT,
                        "negative section count " + count);
            }
            LinkedHashMap<String, byte[]> sections = sections(in, bytes, count, source);
            if (in.remaining() != 0) {
                throw new ModelFileException(source, "byte " + in.position(), ModelFileException.Reason.CORRUPT,
                        in.remaining() + " unexpected bytes after the last section");
            }
            return new ModelFile(kind, version, header, sections);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFileException(source, "byte " + in.position(), ModelFileException.Reason.CORRUPT,
                    "structure ends before the checksum", e);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, "header", ModelFileException.Reason.INVALID_CONTENT, e.getMessage(), e);
        }
    }

    /** The header's {@code key=value} lines (values unescaped); empty lines skipped. */
    private static TreeMap<String, String> header(String text, String source) throws ModelFileException {
        TreeMap<String, String> header = new TreeMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ModelFileException(source, "header line " + lineNo, ModelFileException.Reason.CORRUPT,
                        "expected key=value, got '" + line + "'");
            }
            header.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
        }
        return header;
    }

    /** The {@code count} named sections from the buffer's position; a length past the end is CORRUPT. */
    private static LinkedHashMap<String, byte[]> sections(ByteBuffer in, byte[] bytes, int count, String source)
            throws ModelFileException {
        LinkedHashMap<String, byte[]> sections = new LinkedHashMap<>();
        for (int s = 0; s < count; s++) {
            int at = in.position();
            int nl = Short.toUnsignedInt(in.getShort());
            if (nl > in.remaining()) {
                throw new ModelFileException(source, "byte " + at, ModelFileException.Reason.CORRUPT,
                        "section " + s + " name length " + nl + " exceeds the file");
            }
            String name = new String(bytes, in.position(), nl, StandardCharsets.UTF_8);
            in.position(in.position() + nl);
            long dl = in.getLong();
            if (dl < 0 || dl > in.remaining()) {
                throw new ModelFileException(source, "byte " + at, ModelFileException.Reason.CORRUPT,
                        "section '" + name + "' length " + dl + " exceeds the file");
            }
            byte[] data = new byte[(int) dl];
            in.get(data);
            sections.put(name, data);
        }
        return sections;
    }

    /**
     * Reads a mandatory header value.
     *
     * @param source file name for messages
     * @param key    header key
     * @return its value
     * @throws ModelFileException if absent
     */
    public String require(String source, String key) throws ModelFileException {
        String v = header.get(key);
        if (v == null) {
            throw new ModelFileException(source, "header", ModelFileException.Reason.INVALID_CONTENT,
                    "missing header key '" + key + "'");
        }
        return v;
    }

    /**
     * Reads a mandatory section.
     *
     * @param source file name for messages
     * @param name   section name
     * @return a copy of its bytes
     * @throws ModelFileException if absent
     */
    public byte[] requireSection(String source, String name) throws ModelFileException {
        byte[] b = section(name);
        if (b == null) {
            throw new ModelFileException(source, "sections", ModelFileException.Reason.INVALID_CONTENT,
                    "missing section '" + name + "'; present: " + sections.keySet());
        }
        return b;
    }

    /**
     * Encodes a rectangular matrix row-major as little-endian doubles.
     *
     * @param m the matrix (may have zero rows)
     * @return {@code 8 * rows * cols} bytes
     */
    public static byte[] encodeDoubles(double[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        ByteBuffer b = ByteBuffer.allocate(8 * m.length * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : m) {
            if (row.length != cols) {
                throw new IllegalArgumentException("ragged matrix: row of " + row.length + ", expected " + cols);
            }
            for (double v : row) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    /**
     * Decodes {@link #encodeDoubles}.
     *
     * @param bytes the bytes
     * @param rows  rows expected
     * @param cols  columns expected
     * @return the matrix
     * @throws IllegalArgumentException if the length does not match
     */
    public static double[][] decodeDoubles(byte[] bytes, int rows, int cols) {
        if (bytes.length != 8L * rows * cols) {
            throw new IllegalArgumentException("expected " + (8L * rows * cols) + " bytes for a " + rows + "x" + cols
                    + " double matrix, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = b.getDouble();
            }
        }
        return m;
    }

    /**
     * Encodes ints little-endian.
     *
     * @param v values
     * @return {@code 4 * v.length} bytes
     */
    public static byte[] encodeInts(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    /**
     * Decodes {@link #encodeInts}.
     *
     * @param bytes the bytes, a multiple of 4 long
     * @return the values
     */
    public static int[] decodeInts(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException("int array byte length must be a multiple of 4, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getInt();
        }
        return v;
    }

    /**
     * @param bytes data
     * @return lowercase hex SHA-256 of the data
     */
    public static String sha256Hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : sha256(bytes, bytes.length)) {
            sb.append(String.format(java.util.Locale.ROOT, "%02x", x));
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char d = v.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
