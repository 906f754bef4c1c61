#!/usr/bin/env bash
# Smoke test of the shaded jar (cli/pom.xml runs it in `verify`): the packed native library unpacks
# into a fresh JavaCPP cache, a CNN trains for one epoch on the oneDNN build and classifies.
set -euo pipefail
JAR="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
run() { OMP_WAIT_POLICY=PASSIVE java -Xmx2g -Djava.awt.headless=true -Dorg.bytedeco.javacpp.cachedir="$T/cache" -jar "$JAR" "$@"; }
start=$SECONDS
run -q adc generate --per-class 6 "$T/w.npz"
run -q adc train --model cnn --data "$T/w.npz" --epochs 1 --out "$T/cnn.fabai" --json > "$T/train.json" 2> "$T/train.err"
# -q: nothing on stderr, not even the native libraries' start-up logging
[ ! -s "$T/train.err" ] || { echo "shaded-jar-smoke: -q printed on stderr:"; cat "$T/train.err"; exit 1; }
grep -q "fabai's oneDNN" "$T/train.json" || { echo "shaded-jar-smoke: the CNN did not train on the oneDNN build:"; cat "$T/train.json"; exit 1; }
lib="$(find "$T/cache" -name libnd4jcpu.so)"
[ -n "$lib" ] && [ -f "$lib.sha256" ] || { echo "shaded-jar-smoke: libnd4jcpu.so was not unpacked into $T/cache"; exit 1; }
run -q adc classify --model "$T/cnn.fabai" "$T/w.npz" --json > "$T/classify.json"
# default verbosity: fabai's progress and epoch lines, and no start-up logging of ND4J, JavaCPP or ONNX Runtime
run adc train --model cnn --data "$T/w.npz" --epochs 1 --out "$T/cnn2.fabai" > /dev/null 2> "$T/loud.err"
grep -q "epoch 1/1" "$T/loud.err" || { echo "shaded-jar-smoke: no epoch line on stderr:"; cat "$T/loud.err"; exit 1; }
if grep -E "org\.nd4j|org\.bytedeco|ai\.onnxruntime|Nd4jBackend|CpuBackend|Blas vendor" "$T/loud.err"; then
  echo "shaded-jar-smoke: native start-up logging at the default verbosity (above)"; exit 1
fi
grep -q '"schema"' "$T/classify.json" || { echo "shaded-jar-smoke: classify gave no JSON"; exit 1; }
echo "shaded-jar-smoke: ok in $((SECONDS - start)) s ($(du -m "$JAR" | cut -f1) MB jar; unpacked $(du -m "$lib" | cut -f1) MB)"
