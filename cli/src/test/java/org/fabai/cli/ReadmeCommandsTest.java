package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every {@code bin/fabai} command line of the README's shell blocks, in order, in one temporary
 * folder (relative paths resolve there, {@code ../shared/data} to the shared data), and checks its
 * exit code: 0, or N where the line says {@code # exits N}, and that what it redirects to a
 * {@code .json} file is JSON.
 *
 * <p>Lines marked {@code # slow} take minutes as written (on a busy 2-core machine the CNN on
 * {@code train.npz} took 98 s; the mixed-map CNN on 15,200 maps had not finished one epoch of 10 after
 * 90 s). They run here too, with
 * the README's options, but with the smaller inputs of {@link #SMALLER} (fewer epochs, maps, folds,
 * sizes, resamples; every one a documented option of that command) put in place of the README's
 * value of that option, or added where the line does not give it. The README says so. Setting
 * {@code -Dfabai.readme.asWritten=true} runs them exactly as written (minutes). The {@code demo} line
 * is run by {@link DemoCommandTest}, with {@code --quick}.
 *
 * <p>Every other command line of the README's shell blocks must be one that {@link #ELSEWHERE} names
 * the test of, so that a line added to the README without a test fails here.
 */
class ReadmeCommandsTest {

    private static final Pattern PATH = Pattern.compile(".*(/|\\.(npz|fabai|onnx|png|csv|json|klarf|gz|txt|parquet))$");

    /**
     * For the parts of {@code # slow} lines: a pattern over the part as written, and the smaller
     * inputs it runs with here (option, value; the value replaces the line's own value of that option).
     */
    static final Map<Pattern, List<String>> SMALLER = new LinkedHashMap<>();

    static {
        // the CNN (and the CNN half of the ensemble): one epoch instead of the recipe's 10 (generated) or 30 (real)
        SMALLER.put(Pattern.compile("^bin/fabai adc train --model (cnn|ensemble) (?!--synthetic ).*"), List.of("--epochs", "1"));
        // a CNN on generated maps (to fine-tune from): 20 maps per class instead of 200, one epoch
        SMALLER.put(Pattern.compile("^bin/fabai adc train --model cnn --synthetic .*"), List.of("--synthetic", "20",
                "--epochs", "1"));
        // 12 mixed maps per class (456) instead of 400 (15,200)
        SMALLER.put(Pattern.compile("^bin/fabai adc generate --mixed .*"), List.of("--per-class", "12"));
        // curve on generated maps: 20 per class, two sizes, a one-epoch CNN
        SMALLER.put(Pattern.compile("^bin/fabai adc curve --synthetic .*"),
                List.of("--synthetic", "20", "--sizes", "45,90", "--cnn-epochs", "1"));
        // evaluate on the real sample: 2 folds, one-epoch CNNs, pretraining on 10 maps per class for one epoch,
        // 10 generated maps per class for small-gen; every family of the README's line
        SMALLER.put(Pattern.compile("^bin/fabai adc evaluate .*"), List.of("--cv", "2", "--epochs", "1", "--pretrain", "10",
                "--pretrain-epochs", "1", "--generated", "10"));
        // curve on the real sample: two sizes, one repeat, one-epoch CNNs, the same small pretraining,
        // 10 generated maps per class for small-gen
        SMALLER.put(Pattern.compile("^bin/fabai adc curve --data .*"), List.of("--sizes", "25,50", "--repeats", "1",
                "--epochs", "1", "--pretrain", "10", "--pretrain-epochs", "1", "--generated", "10"));
    }

    /** Command lines of the README's shell blocks that are not {@code bin/fabai} lines, and what runs them. */
    static final Map<Pattern, String> ELSEWHERE = new LinkedHashMap<>();

    static {
        ELSEWHERE.put(Pattern.compile("^bin/fabai demo\\b.*"), "DemoCommandTest (demo --quick)");
        ELSEWHERE.put(Pattern.compile("^mvn -B verify\\b.*"), ".ci/run (CI)");
        ELSEWHERE.put(Pattern.compile("^bin/bench --smoke\\b.*"), ".ci/bench-smoke (CI)");
        ELSEWHERE.put(Pattern.compile("^bin/fabai-jshell examples/jshell/\\S+\\.jsh\\b.*"), "JShellScriptsTest (examples)");
        ELSEWHERE.put(Pattern.compile("^mvn -B -pl spark -am package -DskipTests\\b.*"),
                "mvn -B verify (CI) packages the job jar; spark's tests run its jobs");
        ELSEWHERE.put(Pattern.compile("^spark-submit --master 'local\\[2]' .*"),
                "SparkCommonalityTest.theReadmesSparkSubmitLinesParseAndTheLocalOneRuns (spark)");
        ELSEWHERE.put(Pattern.compile("^spark-submit --master yarn .*"),
                "needs a YARN cluster: its options are parsed by SparkCommonalityTest (spark)");
    }

    @Test
    void everyReadmeCommandLineRuns(@TempDir Path tmp) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; the README's lines read from it; skipping");
        boolean asWritten = Boolean.getBoolean("fabai.readme.asWritten");
        List<String> lines = readmeLines(Path.of("..", "README.md"));
        assertTrue(lines.size() >= 10, "README command lines not found: " + lines);
        int ran = 0;
        int smaller = 0;
        for (String line : lines) {
            String comment = line.contains("#") ? line.substring(line.indexOf('#')) : "";
            String cmd = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
            Matcher exits = Pattern.compile("# exits (\\d)").matcher(comment);
            String expected = exits.find() ? exits.group(1) : "0";
            if (cmd.startsWith("bin/fabai demo")) {
                continue;   // DemoCommandTest
            }
            boolean slow = comment.matches(".*#\\s*slow\\b.*");
            boolean shrunk = false;
            for (String part : cmd.split("&&")) {
                String as = part.trim();
                List<String> tokens = new ArrayList<>(Arrays.asList(as.split("\\s+")));
                assertEquals("bin/fabai", tokens.remove(0), line);
                Path redirect = null;
                int gt = tokens.indexOf(">");
                if (gt >= 0) {
                    redirect = tmp.resolve(tokens.get(gt + 1));
                    tokens = new ArrayList<>(tokens.subList(0, gt));
                }
                if (slow && !asWritten) {
                    List<String> smallerInputs = smallerInputs(as);
                    if (smallerInputs != null) {
                        // the README's options must all exist before any is replaced
                        Fabai.commandLine().parseArgs(tokens.stream().map(t -> resolve(t, tmp, data.get())).toArray(String[]::new));
                        tokens = withOptions(tokens, smallerInputs);
                        shrunk = true;
                    }
                }
                String[] args = tokens.stream().map(t -> resolve(t, tmp, data.get())).toArray(String[]::new);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = Fabai.commandLine();
                cl.setOut(new PrintWriter(out));
                cl.setErr(new PrintWriter(err));
                long t0 = System.nanoTime();
                int code = cl.execute(args);
                System.out.printf("README %-4s %5.1fs  %s%n", code, (System.nanoTime() - t0) / 1e9, String.join(" ", tokens));
                assertEquals(expected, String.valueOf(code), "README line: " + line + "\nran: " + String.join(" ", tokens)
                        + "\nstdout:\n" + out + "\nstderr:\n" + err);
                if (redirect != null) {
                    Files.writeString(redirect, out.toString());
                    if (redirect.toString().endsWith(".json")) {
                        com.google.gson.JsonParser.parseString(out.toString());
                    }
                }
                ran++;
            }
            if (slow && !asWritten) {
                assertTrue(shrunk, "a '# slow' README line that no SMALLER entry makes smaller (add one, or drop '# slow'"
                        + " if it is fast as written): " + line);
                smaller++;
            }
        }
        System.out.printf("README: %d commands run, %d slow lines with smaller inputs%n", ran, smaller);
        assertTrue(ran >= 20, "ran " + ran);
    }

    @Test
    void everyOtherReadmeCommandLineHasItsTest() throws Exception {
        List<String> missing = new ArrayList<>();
        int other = 0;
        for (String line : commandLines(Path.of("..", "README.md"))) {
            if (line.startsWith("bin/fabai ") && !line.startsWith("bin/fabai demo")) {
                continue;   // everyReadmeCommandLineRuns
            }
            other++;
            if (ELSEWHERE.keySet().stream().noneMatch(p -> p.matcher(line).matches())) {
                missing.add(line);
            }
        }
        assertTrue(missing.isEmpty(), "README command lines no test runs (run them, or name their test in ELSEWHERE):\n"
                + String.join("\n", missing));
        assertTrue(other >= 5, "other lines: " + other);
        // the jshell script the README names exists and JShellScriptsTest runs every script of its folder
        assertTrue(Files.isRegularFile(Path.of("..", "examples", "jshell", "01-read-and-render.jsh")));
    }

    @Test
    void smallerInputsReplaceTheReadmesValues() {
        List<String> t = withOptions(new ArrayList<>(List.of("adc", "curve", "--sizes", "25,50,all", "--png", "c.png")),
                List.of("--sizes", "25,50", "--epochs", "1"));
        assertEquals(List.of("adc", "curve", "--sizes", "25,50", "--png", "c.png", "--epochs", "1"), t);
        assertEquals(List.of("--epochs", "1"), smallerInputs("bin/fabai adc train --model cnn --data a.npz --out c.fabai"));
        assertEquals(null, smallerInputs("bin/fabai adc train --model small --data a.npz --out s.fabai"));
    }

    /** @return the smaller inputs for one part of a slow line, or null when it runs as written */
    static List<String> smallerInputs(String part) {
        List<String> found = null;
        for (Map.Entry<Pattern, List<String>> e : SMALLER.entrySet()) {
            if (e.getKey().matcher(part).matches()) {
                if (found != null) {
                    fail("two SMALLER entries match " + part);
                }
                found = e.getValue();
            }
        }
        return found;
    }

    /** The tokens with each (option, value) pair's value put in place of the tokens' own, or appended. */
    static List<String> withOptions(List<String> tokens, List<String> optionValues) {
        List<String> out = new ArrayList<>(tokens);
        for (int i = 0; i < optionValues.size(); i += 2) {
            int at = out.indexOf(optionValues.get(i));
            if (at >= 0) {
                out.set(at + 1, optionValues.get(i + 1));
            } else {
                out.add(optionValues.get(i));
                out.add(optionValues.get(i + 1));
            }
        }
        return out;
    }

    /** The {@code bin/fabai ...} lines of the README's {@code sh} blocks. */
    static List<String> readmeLines(Path readme) throws Exception {
        return commandLines(readme).stream().filter(l -> l.startsWith("bin/fabai ")).toList();
    }

    /** Every command line of the README's {@code sh} blocks, continuation lines joined. */
    static List<String> commandLines(Path readme) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inSh = false;
        StringBuilder cont = null;
        for (String l : Files.readAllLines(readme)) {
            if (l.startsWith("```")) {
                inSh = !inSh && l.trim().equals("```sh");
                continue;
            }
            if (!inSh || l.isBlank()) {
                continue;
            }
            String t = cont == null ? l : cont + " " + l.trim();
            if (t.endsWith("\\")) {
                cont = new StringBuilder(t.substring(0, t.length() - 1).trim());
                continue;
            }
            cont = null;
            out.add(t);
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
