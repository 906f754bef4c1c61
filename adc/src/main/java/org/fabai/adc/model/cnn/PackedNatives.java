package org.fabai.adc.model.cnn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Native libraries carried xz-compressed in fabai's shaded jar and unpacked once on first use.
 *
 * <p>Why: the oneDNN build of {@code libnd4jcpu.so} is 374 MB, 101 MB deflated in a jar (half of
 * the shaded CLI jar) and 35 MB as xz. The CLI build ({@code cli/pom.xml}) runs
 * {@link #main} to compress it into {@value #INDEX}'s folder and leaves the raw library out of the
 * jar. At run time, before ND4J loads, {@link Dl4jBackend#configure()} calls
 * {@link #unpackBeside}: the library is decompressed into the folder where JavaCPP extracts its
 * JNI sibling ({@code libjnind4jcpu.so}), whose {@code $ORIGIN} run path then finds it. The
 * unpacked file is checked against the SHA-256 recorded at build time and reused while it
 * matches; a new jar with another build replaces it.
 *
 * <p>Only a jar built that way has packed libraries; on an ordinary class path (Maven, the
 * module's tests) nothing is packed and nothing happens. Thread-safe; safe across processes
 * (a library is written under a temporary name and moved into place atomically).
 */
public final class PackedNatives {

    /** Class-path resource listing the packed libraries: resource path = size,sha256. */
    public static final String INDEX = "META-INF/fabai/packed-natives.properties";
    /**
     * xz preset of the build. With the {@code xz} program on the {@code PATH} (Debian and most
     * Linux systems have it) the build runs {@code xz -9 -T0}: 35 MB for libnd4jcpu, about 6 min of
     * CPU once. Without it, XZ for Java at this preset (36 MB, slower). Either stream unpacks the
     * same way; both keep the shaded jar under its 150 MB guard.
     */
    public static final int PRESET = 6;

    private static final Logger LOG = LoggerFactory.getLogger(PackedNatives.class);
    private static final Object LOCK = new Object();

    private PackedNatives() {
    }

    /** What the index says of one packed library. */
    record Entry(long size, String sha256) {
        static Entry parse(String resource, String v) {
            String[] p = v == null ? new String[0] : v.split(",");
            if (p.length != 2 || !p[1].matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(INDEX + ": entry for " + resource + " is '" + v + "', expected size,sha256");
            }
            return new Entry(Long.parseLong(p[0]), p[1]);
        }

        String value() {
            return size + "," + sha256;
        }
    }

    /**
     * @param loader   the class loader to look in
     * @param resource a library's resource path, e.g. {@code org/nd4j/.../libnd4jcpu.so}
     * @return whether the class path carries it packed
     */
    public static boolean isPacked(ClassLoader loader, String resource) {
        return loader.getResource(resource + ".xz") != null && index(loader).getProperty(resource) != null;
    }

    /**
     * Unpacks a packed library into the folder where JavaCPP caches {@code sibling} (a library
     * from the same folder of the jar, e.g. the JNI library that links to it), unless a file
     * with the recorded size and checksum is already there.
     *
     * @param loader   the class loader to look in
     * @param resource the packed library's resource path (without {@code .xz})
     * @param sibling  resource path of a library in the same jar folder
     * @return the unpacked file
     * @throws IllegalStateException when the resources are missing, the data is damaged or the
     *                               folder cannot be written (the message names what and where)
     */
    public static Path unpackBeside(ClassLoader loader, String resource, String sibling) {
        Entry e = Entry.parse(resource, index(loader).getProperty(resource));
        URL packed = loader.getResource(resource + ".xz");
        URL sib = loader.getResource(sibling);
        if (packed == null || sib == null) {
            throw new IllegalStateException("class path lacks " + (packed == null ? resource + ".xz" : sibling));
        }
        File sibFile;
        try {
            sibFile = Loader.cacheResource(sib);
        } catch (IOException ex) {
            throw new UncheckedIOException("JavaCPP could not cache " + sibling + ": " + ex.getMessage(), ex);
        }
        if (sibFile == null) {
            throw new IllegalStateException("JavaCPP has no cache folder for " + sibling
                    + " (set -Dorg.bytedeco.javacpp.cachedir to a writable folder)");
        }
        Path target = sibFile.toPath().resolveSibling(resource.substring(resource.lastIndexOf('/') + 1));
        synchronized (LOCK) {
            try (InputStream in = packed.openStream()) {
                return unpack(in, e, target);
            } catch (IOException ex) {
                throw new UncheckedIOException("could not unpack " + resource + ".xz to " + target + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Decompresses {@code xz} to {@code target} unless {@code target} already holds the
     * expected content (its size and the checksum recorded beside it in {@code target.sha256}).
     *
     * @return target
     * @throws IOException on read or write failure
     * @throws IllegalStateException when the decompressed data does not match the entry
     */
    static Path unpack(InputStream xz, Entry e, Path target) throws IOException {
        Path mark = target.resolveSibling(target.getFileName() + ".sha256");
        if (Files.isRegularFile(target) && Files.size(target) == e.size() && Files.isRegularFile(mark)
                && Files.readString(mark, StandardCharsets.US_ASCII).trim().equals(e.sha256())) {
            return target;
        }
        Files.createDirectories(target.getParent());
        long t0 = System.nanoTime();
        LOG.info("unpacking {} ({} MB) once, into {}", target.getFileName(), e.size() >> 20, target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            MessageDigest md = sha256();
            long n;
            try (InputStream in = new XZInputStream(new BufferedInputStream(xz, 1 << 16));
                 OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), md)) {
                n = in.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            if (n != e.size() || !sha.equals(e.sha256())) {
                throw new IllegalStateException(String.format(Locale.ROOT, "packed %s is damaged: %d bytes with SHA-256 %s, "
                        + "expected %d bytes with %s", target.getFileName(), n, sha, e.size(), e.sha256()));
            }
            tmp.toFile().setExecutable(true, false);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path mtmp = Files.createTempFile(target.getParent(), mark.getFileName() + ".", ".part");
            Files.writeString(mtmp, sha + "\n", StandardCharsets.US_ASCII);
            Files.move(mtmp, mark, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.info("unpacked {} in {} s", target.getFileName(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return target;
    }

    /**
     * Compresses {@code in} to {@code xz} with {@link #PRESET}.
     *
     * @return the entry (size and SHA-256 of the uncompressed data)
     * @throws IOException on read or write failure
     */
    static Entry pack(InputStream in, Path xz) throws IOException {
        MessageDigest md = sha256();
        long n;
        try (InputStream src = new DigestInputStream(new BufferedInputStream(in, 1 << 20), md);
             OutputStream out = new XZOutputStream(new BufferedOutputStream(Files.newOutputStream(xz), 1 << 20),
                     new LZMA2Options(PRESET))) {
            n = src.transferTo(out);
        }
        return new Entry(n, HexFormat.of().formatHex(md.digest()));
    }

    /**
     * Build step (run by {@code cli/pom.xml}): packs class-path resources into {@code outDir}
     * as {@code <resource>.xz} and writes {@value #INDEX} there. A resource whose packed file
     * and index entry are already there with the same checksum is not compressed again.
     *
     * @param args output folder, then resource paths
     * @throws IOException on read or write failure
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: PackedNatives OUT_DIR RESOURCE...");
        }
        Path outDir = Path.of(args[0]);
        Path indexFile = outDir.resolve(INDEX);
        Properties old = new Properties();
        if (Files.isRegularFile(indexFile)) {
            try (InputStream in = Files.newInputStream(indexFile)) {
                old.load(in);
            }
        }
        Properties index = new Properties();
        ClassLoader cl = PackedNatives.class.getClassLoader();
        for (int i = 1; i < args.length; i++) {
            String res = args[i];
            URL u = cl.getResource(res);
            if (u == null) {
                throw new IllegalStateException("resource " + res + " is not on the class path");
            }
            Path xz = outDir.resolve(res + ".xz");
            Files.createDirectories(xz.getParent());
            String sha;
            long size;
            try (InputStream in = new DigestInputStream(u.openStream(), sha256())) {
                MessageDigest md = ((DigestInputStream) in).getMessageDigest();
                size = in.transferTo(OutputStream.nullOutputStream());
                sha = HexFormat.of().formatHex(md.digest());
            }
            Entry e = new Entry(size, sha);
            Path xzProgram = xzProgram();
            String method = xzProgram != null ? "xz -9 -T0" : "xz-java preset " + PRESET;
            if (Files.isRegularFile(xz) && e.value().equals(old.getProperty(res))
                    && method.equals(old.getProperty(res + ".packedBy"))) {
                LOG.info("{} unchanged ({} MB -> {} MB)", res, size >> 20, Files.size(xz) >> 20);
            } else {
                long t0 = System.nanoTime();
                if (xzProgram != null) {
                    packWithProgram(xzProgram, u, xz);
                } else {
                    try (InputStream in = u.openStream()) {
                        e = pack(in, xz);
                    }
                }
                LOG.info("{} {} MB -> {} MB ({}) in {} s", res, e.size() >> 20, Files.size(xz) >> 20, method,
                        Math.round((System.nanoTime() - t0) / 1e9));
            }
            index.setProperty(res, e.value());
            index.setProperty(res + ".packedBy", method);
        }
        Files.createDirectories(indexFile.getParent());
        try (OutputStream out = Files.newOutputStream(indexFile)) {
            index.store(out, "fabai packed native libraries: resource = size,sha256 (see PackedNatives)");
        }
    }

    /** The {@code xz} program on the {@code PATH}, or null. */
    private static Path xzProgram() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir, "xz");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Compresses a resource with the {@code xz} program (multi-threaded, strongest preset). */
    private static void packWithProgram(Path program, URL resource, Path xz) throws IOException {
        Process p = new ProcessBuilder(program.toString(), "-9", "-T0", "-c", "-q")
                .redirectOutput(xz.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = resource.openStream(); OutputStream out = p.getOutputStream()) {
            in.transferTo(out);
        }
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException(program + " exited " + rc + " compressing " + resource);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted compressing " + resource, ex);
        }
    }

    private static Properties index(ClassLoader loader) {
        Properties p = new Properties();
        URL u = loader.getResource(INDEX);
        if (u != null) {
            try (InputStream in = u.openStream()) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + INDEX + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
