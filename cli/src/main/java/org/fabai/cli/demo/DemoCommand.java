package org.fabai.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabai demo}: the end-to-end job on a built-in synthetic fab, written as an HTML report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"End to end on a built-in synthetic fab, nothing downloaded: wafer maps through KLARF and STDF,",
            "defect classification with a learning curve, R2R control with durable threads, root cause with",
            "commonality, causal discovery, attribution and confidence, joined; writes DIR/index.html."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "fabai-report", paramLabel = "DIR", description = "report folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quick", description = "small sizes: finishes in about a minute (for CI)")
    boolean quick;

    @Option(names = "--real-maps", paramLabel = "NPZ",
            description = "also draw the learning curve on these labelled real maps (NPZ, split by lot_name): which model"
                    + " to use at which number of labels (default: none, the demo stays synthetic)")
    Path realMaps;

    @Option(names = "--seed", defaultValue = "7", description = "master seed (default ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        DemoConfig cfg = quick ? DemoConfig.quick(seed) : DemoConfig.full(seed);
        w.printf(Locale.ROOT, "fabai demo%s: seed %d, report in %s%n", quick ? " --quick" : "", seed, out.toAbsolutePath());
        Demo d = new Demo(cfg, out, realMaps, w);
        Path index = d.run();
        w.printf(Locale.ROOT, "open %s%n", index.toAbsolutePath().toUri());
        w.flush();
        return 0;
    }
}
