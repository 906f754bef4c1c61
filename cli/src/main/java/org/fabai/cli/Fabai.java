package org.fabai.cli;

import org.fabai.core.FabaiVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code fabai} command: entry point and list of subcommands. */
@Command(name = "fabai", mixinStandardHelpOptions = true, versionProvider = Fabai.Version.class,
        description = "AI for semiconductor fabs: defect classification, run-to-run control, root-cause analysis.",
        footer = {"", "Exit codes: 0 ok, 1 the analysis failed (or its verdict is a failure), 2 bad usage, 3 bad input data."},
        subcommands = {org.fabai.cli.demo.DemoCommand.class, InspectCommand.class, AdcCommand.class, ApcCommand.class, RcaCommand.class, CommandLine.HelpCommand.class})
public final class Fabai implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * {@code -q/--quiet}, on every command.
     *
     * @param quiet whether to print errors only on stderr
     */
    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "print results and errors only: no progress lines on stderr (default: progress on)")
    void quiet(boolean quiet) {
        if (quiet) {
            Verbosity.set(Verbosity.Level.QUIET);
        }
    }

    /**
     * {@code -v/--verbose}, on every command.
     *
     * @param verbose whether to log everything, native libraries' start-up included
     */
    @Option(names = {"-v", "--verbose", "--debug"}, scope = CommandLine.ScopeType.INHERIT,
            description = "also log the native libraries' start-up and debug lines on stderr, and a failure's stack"
                    + " trace (default: off)")
    void verbose(boolean verbose) {
        if (verbose) {
            Verbosity.set(Verbosity.Level.VERBOSE);
        }
    }

    /**
     * Runs the command line.
     *
     * @param args arguments
     */
    public static void main(String[] args) {
        // before any class logs: SLF4J's simple logger reads its levels once
        Verbosity.set(Verbosity.scan(args));
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            // an Error is not an Exception: picocli's handler never sees it. One line here too.
            System.err.println("fabai: out of memory (" + e.getMessage() + "); give the JVM more heap, e.g."
                    + " FABAI_JAVA_OPTS=-Xmx8g" + (Verbosity.level() == Verbosity.Level.VERBOSE ? ""
                    : " (--debug for the stack trace)"));
            if (Verbosity.level() == Verbosity.Level.VERBOSE) {
                e.printStackTrace();
            }
            code = ExitCode.FAILURE;
        }
        System.exit(code);
    }

    /**
     * Runs the command line without exiting (for tests and embedding).
     *
     * @param args arguments
     * @return the exit code ({@link ExitCode})
     */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: every option's default shown in the help; a group command
     * without a subcommand prints its help on stderr and exits {@link ExitCode#USAGE}; an
     * exception becomes one line naming what and where (no stack trace unless {@code --verbose})
     * with the exit code {@link ExitCode#of} gives.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        Verbosity.set(Verbosity.Level.NORMAL);
        CommandLine cl = new CommandLine(new Fabai()).setCaseInsensitiveEnumValuesAllowed(true);
        showDefaults(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // every failure is one line; -v/--verbose/--debug adds the stack trace
            boolean verbose = Verbosity.level() == Verbosity.Level.VERBOSE;
            boolean unexpected = ExitCode.of(ex) == ExitCode.FAILURE && !(ex instanceof IllegalStateException);
            cmd.getErr().println("fabai " + cmd.getCommandName() + ": " + locate(ExitCode.message(ex), parsed)
                    + (unexpected && !verbose ? " (--debug for the stack trace)" : ""));
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return ExitCode.of(ex);
        });
        cl.setExecutionStrategy(parsed -> {
            CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return ExitCode.OK;
            }
            if (!last.getSubcommands().isEmpty()) {
                // a group (fabai, fabai adc, ...) without a subcommand: bad usage
                last.usage(last.getErr());
                last.getErr().flush();
                return ExitCode.USAGE;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }

    /**
     * Java reports reading a directory as a file as a bare "Is a directory": name the path given
     * on the command line that is one.
     */
    private static String locate(String message, CommandLine.ParseResult parsed) {
        if (!message.toLowerCase(java.util.Locale.ROOT).startsWith("is a directory")) {
            return message;
        }
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            for (CommandLine.Model.ArgSpec a : r.matchedArgs()) {
                Object v = a.getValue();
                for (Object o : v instanceof java.util.Collection<?> c ? c : java.util.Collections.singletonList(v)) {
                    if (o instanceof java.nio.file.Path p && java.nio.file.Files.isDirectory(p)) {
                        return p + ": is a directory, not a file";
                    }
                }
            }
        }
        return message;
    }

    /**
     * Shows "Default: ..." under every option that has a default, except where its description
     * already says it ("(default ${DEFAULT-VALUE})").
     */
    private static void showDefaults(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().showDefaultValues(true);
        for (CommandLine.Model.OptionSpec o : new java.util.ArrayList<>(spec.options())) {
            String d = String.join(" ", o.description()).toLowerCase(java.util.Locale.ROOT);
            if (!o.inherited() && o.scopeType() != CommandLine.ScopeType.INHERIT && d.contains("default")
                    && o.showDefaultValue() == CommandLine.Help.Visibility.ON_DEMAND) {
                spec.remove(o);
                spec.addOption(CommandLine.Model.OptionSpec.builder(o).showDefaultValue(CommandLine.Help.Visibility.NEVER).build());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            showDefaults(sub);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the library version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fabai " + FabaiVersion.get(), "Java " + System.getProperty("java.version"),
                "Licence: GPL-3.0 as shipped (bundles Smile 3.1.1, GPL-3.0); fabai's own code is Apache-2.0 "
                        + "(META-INF/fabai/LICENSING.txt)"};
        }
    }
}
