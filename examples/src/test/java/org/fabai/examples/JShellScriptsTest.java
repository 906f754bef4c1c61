package org.fabai.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the JShell examples a newcomer copies from, snippet by snippet, on the module's class path,
 * and fails on a snippet that does not compile or throws. (02 and 03 train models and are run by
 * hand; they are compiled here too.)
 */
class JShellScriptsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"01-read-and-render.jsh", "04-apc-r2r.jsh", "05-rca-root-cause.jsh"})
    void scriptRuns(String name) throws Exception {
        Path shared = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/data"))) {
                shared = p.resolve("shared/data");
                break;
            }
        }
        if (name.startsWith("01")) {
            assumeTrue(shared != null, "shared/data not found; skipping " + name);
            System.setProperty("fabai.klarf", shared.resolve("klarf/simple18.klarf").toString());
            System.setProperty("fabai.out", tmp.toString());
        }
        String out = run(Path.of("jshell", name));
        assertTrue(!out.isBlank(), name + " printed nothing");
        if (name.startsWith("01")) {
            assertTrue(Files.isRegularFile(tmp.resolve("FirstWaferId.png")), out);
        }
        if (name.startsWith("04")) {
            assertTrue(out.contains("DUPLICATE") && out.contains("UNSTABLE"), out);
        }
        if (name.startsWith("05")) {
            assertTrue(out.contains("planted: "), out);
        }
    }

    private static String run(Path script) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        String src = Files.readAllLines(script).stream().filter(l -> !l.startsWith("/"))
                .collect(Collectors.joining("\n"));
        PrintStream realOut = System.out;
        // the local execution engine runs snippets in this JVM: their System.out is ours
        System.setOut(ps);
        try (JShell js = JShell.builder().executionEngine("local").out(ps).err(ps).build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                js.addToClasspath(entry);
            }
            SourceCodeAnalysis sca = js.sourceCodeAnalysis();
            while (!src.isBlank()) {
                SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(src);
                String snippet = ci.source() != null ? ci.source() : src;
                List<SnippetEvent> events = js.eval(snippet);
                for (SnippetEvent e : events) {
                    if (e.status() == Snippet.Status.REJECTED) {
                        fail(script + ": snippet rejected: " + snippet + "\n"
                                + js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).collect(Collectors.joining("\n")));
                    }
                    if (e.exception() != null) {
                        fail(script + ": snippet threw " + e.exception() + ": " + snippet + "\noutput so far:\n" + buf);
                    }
                }
                src = ci.source() != null ? ci.remaining() : "";
            }
        } finally {
            System.setOut(realOut);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
