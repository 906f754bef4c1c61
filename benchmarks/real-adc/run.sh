#!/usr/bin/env bash
# Issue #13's must-show run on the real WM-811K sample, in one go and on the same folds:
#   1. lot-grouped 5-fold cross-validation of every fabai model family (fold rule: adc CrossValidation),
#   2. the PyTorch peer of the same CNN, trained the same way, on the same folds (fold hash printed by both),
#   3. the real-data learning curve (small model, CNN from scratch, CNN pretrained on the calibrated generator).
# Usage: benchmarks/real-adc/run.sh [OUT_DIR]   (needs ../shared/data/wm811k, python3-torch for step 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NPZ="${NPZ:-$ROOT/../shared/data/wm811k/wm811k-sample.npz}"
OUT="${1:-$ROOT/benchmarks/measured/$(date -u +%Y%m%dT%H%M%SZ)-real-adc}"
mkdir -p "$OUT"
FABAI="${FABAI:-$ROOT/bin/fabai}"
echo "started $(date -u +%FT%TZ) on $(nproc) cores; out $OUT" | tee "$OUT/run.log"
( time "$FABAI" adc evaluate --data "$NPZ" --cv 5 --group-by lot_name --seed 1 \
    --model small,small-gen,generator-only,cnn,cnn-pretrained,ensemble --pretrain 200 ) > "$OUT/cv-fabai.txt" 2>&1 &
FABAI_PID=$!
PY="${PYTHON:-python3}"
# Debian's python3-torch lives in the system interpreter; a pyenv python3 on the PATH may not see it
if ! "$PY" -c "import torch" 2>/dev/null && [[ -x /usr/bin/python3 ]]; then PY=/usr/bin/python3; fi
if "$PY" -c "import torch" 2>/dev/null; then
  ( time "$PY" "$ROOT/benchmarks/peers/wm811k_cnn_peer.py" --npz "$NPZ" --seed 1 --recipe real --json "$OUT/cv-torch.json" ) \
      > "$OUT/cv-torch.txt" 2>&1 || echo "torch peer failed (see cv-torch.txt)" | tee -a "$OUT/run.log"
else
  echo "python3-torch missing: no PyTorch peer in this run" | tee -a "$OUT/run.log"
fi
wait "$FABAI_PID"
echo "cross-validation done $(date -u +%FT%TZ)" | tee -a "$OUT/run.log"
( time "$FABAI" adc curve --data "$NPZ" --group-by lot_name --seed 1 --sizes 25,50,100,250,500,all --repeats 2 \
    --model small,cnn,cnn-pretrained --pretrain 200 --png "$OUT/curve.png" --csv "$OUT/curve.csv" ) \
    > "$OUT/curve.txt" 2>&1
echo "finished $(date -u +%FT%TZ)" | tee -a "$OUT/run.log"
