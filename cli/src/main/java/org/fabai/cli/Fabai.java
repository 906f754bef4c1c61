package org.fabai.cli;

import org.fabai.core.FabaiVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fabai} command: entry point and list of subcommands. */
@Command(name = "fabai", mixinStandardHelpOptions = true, versionProvider = Fabai.Version.class,
        description = "AI for semiconductor fabs: defect classification, run-to-run control, root-cause analysis.",
        subcommands = {org.fabai.cli.demo.DemoCommand.class, InspectCommand.class, AdcCommand.class, ApcCommand.class, RcaCommand.class, CommandLine.HelpCommand.class})
public final class Fabai implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (for tests and embedding).
     *
     * @param args arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        boolean debug = System.getenv("FABAI_DEBUG") != null;
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (String a : args) {
            if ("--debug".equals(a)) {
                debug = true;
            } else {
                rest.add(a);
            }
        }
        return commandLine(debug).execute(rest.toArray(new String[0]));
    }

    /**
     * The configured command line: bad input (a malformed file, an out-of-range parameter) is
     * reported as one line naming what and where, with exit code 2, not as a stack trace.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return commandLine(false);
    }

    /**
     * The configured command line. Every failure is one line on standard error: bad input (a
     * malformed file, an out-of-range parameter, an unusable model file) with exit code 2, anything
     * else (a bug, a native library's error, too little memory) with its type and exit code 1.
     * {@code --debug} anywhere on the command line (or the {@code FABAI_DEBUG} environment
     * variable) adds the stack trace.
     *
     * @param debug whether to print stack traces too
     * @return a new command line
     */
    public static CommandLine commandLine(boolean debug) {
        CommandLine cl = new CommandLine(new Fabai()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean input = ex instanceof org.fabai.core.io.FormatException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex instanceof org.fabai.adc.model.ModelFileException
                    || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException;
            String msg = ex.getMessage() == null ? "" : ex.getMessage().strip().replaceAll("\\s*\\R\\s*", " | ");
            cmd.getErr().println("fabai " + cmd.getCommandName() + ": " + (input ? msg : ex.getClass().getName()
                    + (msg.isEmpty() ? "" : ": " + msg) + (debug ? "" : " (--debug for the stack trace)")));
            if (debug) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return input ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the library version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fabai " + FabaiVersion.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
