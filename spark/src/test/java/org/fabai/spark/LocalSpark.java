package org.fabai.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] session for every test class of the module (a session takes seconds to start); Spark
 * stops it when the test JVM exits.
 */
final class LocalSpark {

    private LocalSpark() {
    }

    static synchronized SparkSession get() {
        return SparkSession.builder().master("local[2]").appName("fabai-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }
}
