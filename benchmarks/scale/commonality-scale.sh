#!/usr/bin/env bash
# Scale run of `fabai rca commonality` beside its numpy/scipy peer (benchmarks/peers/commonality_scale_numpy.py),
# in the same run, alternating which goes first per size. For each size it generates (once) a fab of
# WAFERS x 300 steps with a planted bad chamber (org.fabai.benchmarks.scale.ScaleFab), then times both with
# /usr/bin/time: wall, user+sys CPU, peak RSS; fabai also reports its peak heap. fabai runs with -Xmx2g (FABAI_XMX to change).
#
#   benchmarks/scale/commonality-scale.sh DATA_DIR [WAFERS ...]    (default: 3334 33334 100000 = 1M 10M 30M rows)
#
# Needs cli/target/fabai.jar and benchmarks/target/benchmarks.jar (mvn -pl cli,benchmarks -am package -DskipTests).
# FABAI_CP, when set, is the class path to run fabai from instead of the jar (e.g. fresh target/classes first).
# FABAI_PARQUET=1 also converts each fab to Parquet once (org.fabai.benchmarks.scale.ToParquet, not timed) and
# times fabai on histories.parquet/outcomes.parquet (row "fabai-pq").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${1:?usage: commonality-scale.sh DATA_DIR [WAFERS ...]}"; shift
[[ $# -gt 0 ]] && SIZES=("$@") || SIZES=(3334 33334 100000)
CP="${FABAI_CP:-$ROOT/cli/target/fabai.jar}"
PY="${FABAI_PYTHON:-python3}"
mkdir -p "$DATA"
printf '%-9s %-6s %9s %9s %9s %10s  %s\n' rows tool wall_s cpu_s rss_MB heap_MB top
for w in "${SIZES[@]}"; do
  d="$DATA/w$w"
  if [[ ! -f "$d/outcomes.csv" ]]; then
    java -Xmx256m -cp "$ROOT/benchmarks/target/benchmarks.jar" org.fabai.benchmarks.scale.ScaleFab "$d" "$w" 300 1 1.0 >&2
  fi
  rows=$((w * 300))
  run_fabai() {
    /usr/bin/time -f '%e %U %S %M' -o "$d/fabai.time" java -Xmx"${FABAI_XMX:-2g}" -cp "$CP" org.fabai.cli.Fabai rca commonality \
      --histories "$d/histories.csv" --outcomes "$d/outcomes.csv" --top 1 >"$d/fabai.out" 2>"$d/fabai.err"
    read -r wall u s rss <"$d/fabai.time"
    heap=$(grep -o 'peak heap [0-9,]* MB' "$d/fabai.err" | tr -dc '0-9')
    top=$(sed -n 3p "$d/fabai.out" | awk '{print $1, $6}')
    printf '%-9s %-6s %9.1f %9.1f %9d %10s  %s\n' "$rows" fabai "$wall" "$(echo "$u + $s" | bc)" $((rss / 1024)) "$heap" "$top"
  }
  run_peer() {
    /usr/bin/time -f '%e %U %S %M' -o "$d/peer.time" "$PY" "$ROOT/benchmarks/peers/commonality_scale_numpy.py" \
      "$d/histories.csv" "$d/outcomes.csv" >"$d/peer.out" 2>"$d/peer.err"
    read -r wall u s rss <"$d/peer.time"
    top=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["top"])' "$d/peer.out")
    printf '%-9s %-6s %9.1f %9.1f %9d %10s  %s\n' "$rows" numpy "$wall" "$(echo "$u + $s" | bc)" $((rss / 1024)) - "$top"
  }
  run_fabai_pq() {
    if [[ ! -f "$d/histories.parquet" ]]; then
      java -Xmx1g -cp "$ROOT/benchmarks/target/benchmarks.jar" org.fabai.benchmarks.scale.ToParquet "$d" >&2
    fi
    /usr/bin/time -f '%e %U %S %M' -o "$d/fabai-pq.time" java -Xmx"${FABAI_XMX:-2g}" -cp "$CP" org.fabai.cli.Fabai rca commonality \
      --histories "$d/histories.parquet" --outcomes "$d/outcomes.parquet" --top 1 >"$d/fabai-pq.out" 2>"$d/fabai-pq.err"
    read -r wall u s rss <"$d/fabai-pq.time"
    heap=$(grep -o 'peak heap [0-9,]* MB' "$d/fabai-pq.err" | tr -dc '0-9')
    top=$(sed -n 3p "$d/fabai-pq.out" | awk '{print $1, $6}')
    printf '%-9s %-8s %7.1f %9.1f %9d %10s  %s\n' "$rows" fabai-pq "$wall" "$(echo "$u + $s" | bc)" $((rss / 1024)) "$heap" "$top"
  }
  if (( w % 2 )); then run_peer; run_fabai; else run_fabai; run_peer; fi
  if [[ "${FABAI_PARQUET:-0}" == 1 ]]; then run_fabai_pq; fi
done
