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
        try {
            System.exit(execute(args));
        } catch (OutOfMemoryError e) {
            System.err.println("fabai: out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB): the input is too large to hold; use a streaming path (e.g. 'fabai rca commonality'"
                    + " without --bootstrap), more heap (FABAI_JAVA_OPTS=-Xmx...), or a cluster");
            System.exit(3);
        }
    }

    /**
     * Runs the command line without exiting (for tests and embedding).
     *
     * @param args arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: bad input (a malformed file, an out-of-range parameter) is
     * reported as one line naming what and where, with exit code 2, not as a stack trace.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Fabai()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof org.fabai.core.io.FormatException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex instanceof org.fabai.adc.model.ModelFileException
                    || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("fabai " + cmd.getCommandName() + ": " + ex.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw ex;
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
