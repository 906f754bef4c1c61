#!/usr/bin/env bash
# GPU proof of the CNN issue (issue 7).
#
#   benchmarks/gpu/check.sh prepare [model.fabai]   # here: build everything into benchmarks/gpu/out (< 64 MiB)
#   benchmarks/gpu/check.sh run                     # on the GPU machine (no JDK, no network needed)
#
# prepare: builds fabai-adc-gpu, copies its runtime jars (fabai core/adc/adc-gpu, SLF4J, JavaCPP 1.5.13 and
# the CUDA 13 presets, no CUDA libraries), jlinks a trimmed Java runtime, writes a model trained here (or the
# given one) exported to ONNX with its sidecar, 64 encoded maps and DL4J's outputs for them, and compiles
# GpuCheck.java.
# run: points the loader at the CUDA 13 libraries of the machine (the nvidia-* Python packages, or
# CUDA_LIB_DIRS), then runs GpuCheck: batch 1, 256 and 4096 on cuDNN/cuBLAS, outputs compared with DL4J's
# within 1e-4, wafers/s printed. Exit 0 passed, 1 mismatch, 2 no usable GPU.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out"

case "${1:-}" in
  prepare)
    rm -rf "$out" && mkdir -p "$out/lib" "$out/classes"
    cd "$root"
    # adc-gpu is built last in the reactor, so its runtime class path is the one left in cp.txt
    mvn -B -q -o -pl adc-gpu -am package dependency:build-classpath -DskipTests \
        -DincludeScope=runtime -Dmdep.outputFile="$out/cp.txt"
    tr ':' '\n' < "$out/cp.txt" | while read -r jar || [ -n "$jar" ]; do if [ -f "$jar" ]; then cp "$jar" "$out/lib/"; fi; done
    cp adc-gpu/target/fabai-adc-gpu-*.jar "$out/lib/"
    slf4j="$(grep -o '<slf4j.version>[^<]*' pom.xml | cut -d'>' -f2)"
    cp ~/.m2/repository/org/slf4j/slf4j-simple/"$slf4j"/slf4j-simple-"$slf4j".jar "$out/lib/"
    model_arg=""
    if [ -n "${2:-}" ]; then model_arg="-Dfabai.gpu.model=$(realpath "$2")"; fi
    mvn -B -q -o -pl adc -am test -Dtest=GpuCheckFixture -Dsurefire.failIfNoSpecifiedTests=false \
        -Dfabai.gpu.fixture="$out/model" $model_arg
    javac -d "$out/classes" -cp "$out/lib/*" "$here/GpuCheck.java"
    jlink --add-modules java.base,java.logging,jdk.unsupported,java.management --strip-debug --no-header-files \
          --no-man-pages --compress=2 --output "$out/jre"
    cp "$0" "$out/check.sh"
    du -sh "$out" ;;
  run)
    dir="$here"; [ -d "$here/out" ] && dir="$here/out"
    libs="${CUDA_LIB_DIRS:-}"
    for py in python3 python; do
      if command -v "$py" >/dev/null 2>&1; then
        for sp in $("$py" -c 'import site,sys; print(" ".join(site.getsitepackages()+[site.getusersitepackages()]))' 2>/dev/null); do
          for l in "$sp"/nvidia/*/lib; do [ -d "$l" ] && libs="$libs:$l"; done
        done
        break
      fi
    done
    export LD_LIBRARY_PATH="${libs#:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    java="$dir/jre/bin/java"; [ -x "$java" ] || java=java
    exec timeout 470 "$java" -Xmx8g -Dorg.bytedeco.javacpp.logger.debug=false -cp "$dir/lib/*:$dir/classes" GpuCheck "$dir/model" ;;
  *)
    echo "usage: $0 prepare [model.fabai] | run" >&2; exit 64 ;;
esac
