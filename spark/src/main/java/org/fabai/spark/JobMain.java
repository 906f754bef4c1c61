package org.fabai.spark;

import java.io.PrintStream;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * What the {@code spark-submit} main classes share: an option's value, and the run of a job — its
 * options parsed (bad usage: the message and the usage line on stderr, exit 2), a session opened,
 * the job run, the session stopped, the job's exit code returned to the shell.
 */
final class JobMain {

    /** One job's work on an open session. */
    @FunctionalInterface
    interface Job<A> {
        /**
         * @return the exit code (0 ok, 3 bad input data)
         */
        int run(SparkSession spark, A args, PrintStream out, PrintStream err);
    }

    private JobMain() {
    }

    /**
     * @param a the arguments
     * @param i the index of the value that follows an option
     * @return that value
     * @throws IllegalArgumentException naming the option when it has no value
     */
    static String value(String[] a, int i) {
        if (i >= a.length) {
            throw new IllegalArgumentException(a[i - 1] + " needs a value");
        }
        return a[i];
    }

    /**
     * Parses, runs and exits.
     *
     * @param args  the command line
     * @param name  the job's name (messages, Spark application name {@code fabai NAME})
     * @param usage the usage line
     * @param parse the option parser (throws {@link RuntimeException} on bad usage)
     * @param job   the job
     * @param <A>   the parsed options
     */
    static <A> void run(String[] args, String name, String usage, Function<String[], A> parse, Job<A> job) {
        A a;
        try {
            a = parse.apply(args);
        } catch (RuntimeException e) {
            System.err.println("fabai-spark " + name + ": " + e.getMessage());
            System.err.println("usage: " + usage);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("fabai " + name).getOrCreate();
        int code;
        try {
            code = job.run(spark, a, System.out, System.err);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }
}
