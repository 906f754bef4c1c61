package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every {@code bin/fabai} command line of the README's shell blocks, in order, in one temporary
 * folder (relative paths resolve there, {@code ../shared/data} to the shared data), and checks its
 * exit code: 0, or N where the line says {@code # exits N}. Lines marked {@code # slow} take
 * minutes and are only parsed (every option must exist), not run; so is the full {@code demo}, which
 * {@link DemoCommandTest} runs with {@code --quick}.
 */
class ReadmeCommandsTest {

    private static final Pattern PATH = Pattern.compile(".*(/|\\.(npz|fabai|onnx|png|csv|json|klarf|gz|txt|parquet))$");

    @Test
    void everyReadmeCommandLineRuns(@TempDir Path tmp) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; the README's lines read from it; skipping");
        List<String> lines = readmeLines(Path.of("..", "README.md"));
        assertTrue(lines.size() >= 10, "README command lines not found: " + lines);
        int ran = 0;
        int parsedOnly = 0;
        for (String line : lines) {
            String comment = line.contains("#") ? line.substring(line.indexOf('#')) : "";
            String cmd = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
            Matcher exits = Pattern.compile("# exits (\\d)").matcher(comment);
            String expected = exits.find() ? exits.group(1) : "0";
            // the full demo takes minutes; DemoCommandTest runs it with --quick
            boolean slow = comment.matches(".*#\\s*slow\\b.*") || cmd.startsWith("bin/fabai demo");
            for (String part : cmd.split("&&")) {
                List<String> tokens = new ArrayList<>(Arrays.asList(part.trim().split("\\s+")));
                assertEquals("bin/fabai", tokens.remove(0), line);
                Path redirect = null;
                int gt = tokens.indexOf(">");
                if (gt >= 0) {
                    redirect = tmp.resolve(tokens.get(gt + 1));
                    tokens = new ArrayList<>(tokens.subList(0, gt));
                }
                String[] args = tokens.stream().map(t -> resolve(t, tmp, data.get())).toArray(String[]::new);
                if (slow) {
                    // not run, but every option and subcommand in it must exist
                    Fabai.commandLine().parseArgs(args);
                    parsedOnly++;
                    continue;
                }
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = Fabai.commandLine();
                cl.setOut(new PrintWriter(out));
                cl.setErr(new PrintWriter(err));
                long t0 = System.nanoTime();
                int code = cl.execute(args);
                System.out.printf("README %-4s %5.1fs  %s%n", code, (System.nanoTime() - t0) / 1e9, part.trim());
                assertEquals(expected, String.valueOf(code), "README line: " + line + "\nstdout:\n" + out + "\nstderr:\n" + err);
                if (redirect != null) {
                    Files.writeString(redirect, out.toString());
                    if (redirect.toString().endsWith(".json")) {
                        com.google.gson.JsonParser.parseString(out.toString());
                    }
                }
                ran++;
            }
        }
        System.out.printf("README: %d commands run, %d long ones parsed only%n", ran, parsedOnly);
        assertTrue(ran >= 10, "ran " + ran);
    }

    /** The {@code bin/fabai ...} lines of the README's {@code sh} blocks. */
    static List<String> readmeLines(Path readme) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inSh = false;
        for (String l : Files.readAllLines(readme)) {
            if (l.startsWith("```")) {
                inSh = !inSh && l.trim().equals("```sh");
                continue;
            }
            if (inSh && l.startsWith("bin/fabai ")) {
                out.add(l);
            }
        }
        return out;
    }

    private static String resolve(String token, Path tmp, Path data) {
        if (token.startsWith("-")) {
            return token;
        }
        if (token.startsWith("../shared/data/")) {
            return data.resolve(token.substring("../shared/data/".length())).toString();
        }
        return PATH.matcher(token).matches() ? tmp.resolve(token).toString() : token;
    }
}
