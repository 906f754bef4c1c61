package org.fabai.benchmarks.spark;

import org.apache.spark.sql.SparkSession;

/** The local[2] session of a benchmark fork (and of the module's tests): Spark's UI off, two shuffle partitions. */
final class LocalSpark {

    private LocalSpark() {
    }

    /** @return the fork's session, started on first use (a few seconds) */
    static synchronized SparkSession get() {
        SparkSession s = SparkSession.builder().master("local[2]").appName("fabai-benchmarks-spark")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        // Spark's INFO lines are progress for people; in a measured loop they are I/O
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
