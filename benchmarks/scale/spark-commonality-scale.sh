#!/usr/bin/env bash
# Scale run of the Spark commonality job (org.fabai.spark.CommonalityJob) in local mode beside the single-JVM
# `fabai rca commonality`, on the fabs commonality-scale.sh generates (DATA_DIR/w<WAFERS>/histories.csv,
# outcomes.csv and, when converted, histories.parquet, outcomes.parquet). Per size and input format it times
# both with /usr/bin/time (wall, user+sys CPU, peak RSS); the single JVM reports its peak heap itself, the
# Spark driver's peak heap is the largest heap occupancy before a collection in its GC log.
#
#   benchmarks/scale/spark-commonality-scale.sh DATA_DIR [WAFERS ...]       (default: 33334 = 10M rows)
#
# Needs spark/target/fabai-spark-*-job.jar (mvn -pl spark -am package -DskipTests) and Spark 3.5's jars on
# SPARK_CP (a class path; with a Spark installation: "$SPARK_HOME/jars/*"; without one, Maven's copy:
#   mvn -pl spark -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=provided \
#       -Dmdep.outputFile=/tmp/spark.cp ; SPARK_CP=$(cat /tmp/spark.cp)).
# SPARK_MASTER (default local[2]), SPARK_XMX (default 4g) for the driver; FABAI_CP as in commonality-scale.sh.
# SPARK_ONLY=1 skips the single-JVM runs (when commonality-scale.sh has just timed them).
# The Spark job runs with --no-validate (the history checks cost two shuffles of every row).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${1:?usage: spark-commonality-scale.sh DATA_DIR [WAFERS ...]}"; shift
[[ $# -gt 0 ]] && SIZES=("$@") || SIZES=(33334)
JOB=$(ls "$ROOT"/spark/target/fabai-spark-*-job.jar | head -1)
: "${SPARK_CP:?set SPARK_CP to the jars of Spark 3.5 (see the header)}"
CP="${FABAI_CP:-$ROOT/cli/target/fabai.jar}"
MASTER="${SPARK_MASTER:-local[2]}"
OPENS=$(grep -o '<spark.java17.opens>[^<]*' "$ROOT/pom.xml" | sed 's/<spark.java17.opens>//')
printf '%-10s %-12s %9s %9s %9s %10s  %s   (load: %s)\n' rows run wall_s cpu_s rss_MB heap_MB top "$(cut -d' ' -f1-3 /proc/loadavg)"
for w in "${SIZES[@]}"; do
  d="$DATA/w$w"
  rows=$((w * 300))
  for fmt in csv parquet; do
    [[ -f "$d/histories.$fmt" ]] || continue
    if [[ "${SPARK_ONLY:-0}" != 1 ]]; then
    /usr/bin/time -f '%e %U %S %M' -o "$d/jvm-$fmt.time" java -Xmx"${FABAI_XMX:-2g}" -cp "$CP" org.fabai.cli.Fabai rca commonality \
      --histories "$d/histories.$fmt" --outcomes "$d/outcomes.$fmt" --top 1 >"$d/jvm-$fmt.out" 2>"$d/jvm-$fmt.err"
    read -r wall u s rss <"$d/jvm-$fmt.time"
    heap=$(grep -o 'peak heap [0-9,]* MB' "$d/jvm-$fmt.err" | tr -dc '0-9')
    top=$(sed -n 3p "$d/jvm-$fmt.out" | awk '{print $1, $6}')
    printf '%-10s %-12s %9.1f %9.1f %9d %10s  %s   (load: %s)\n' "$rows" "jvm-$fmt" "$wall" "$(echo "$u + $s" | bc)" \
      $((rss / 1024)) "$heap" "$top" "$(cut -d' ' -f1-3 /proc/loadavg)"
    fi
    mkdir -p "$d/spark-tmp"
    /usr/bin/time -f '%e %U %S %M' -o "$d/spark-$fmt.time" java -Xmx"${SPARK_XMX:-4g}" $OPENS -Xlog:gc:file="$d/spark-$fmt.gc" \
      -Dspark.master="$MASTER" -Dspark.ui.enabled=false -Dspark.local.dir="$d/spark-tmp" -Dspark.sql.shuffle.partitions=8 \
      -cp "$JOB:$SPARK_CP" org.fabai.spark.CommonalityJob --histories "$d/histories.$fmt" --outcomes "$d/outcomes.$fmt" \
      --no-validate --top 1 >"$d/spark-$fmt.out" 2>"$d/spark-$fmt.err"
    read -r wall u s rss <"$d/spark-$fmt.time"
    # "Pause Young (Normal) (G1 Evacuation Pause) 1234M->567M(2048M)": the largest occupancy before a pause
    heap=$(grep -o '[0-9]*M->[0-9]*M' "$d/spark-$fmt.gc" | cut -dM -f1 | sort -n | tail -1)
    top=$(sed -n 3p "$d/spark-$fmt.out" | awk '{print $1, $6}')
    printf '%-10s %-12s %9.1f %9.1f %9d %10s  %s   (load: %s)\n' "$rows" "spark-$fmt" "$wall" "$(echo "$u + $s" | bc)" \
      $((rss / 1024)) "${heap:-?}" "$top" "$(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$d/spark-tmp"
  done
done
