#!/bin/bash
CP="$(cat /tmp/wt13.cp)"
for seed in 1 2 3; do for xp in 1 0.5; do
  java -Dxp=$xp -cp "$CP" org.fabai.cli.Fabai adc evaluate --data /work/shared/data/wm811k/wm811k-sample.npz --cv 5 --group-by lot_name --seed $seed --model small > cv-s$seed-p$xp.log 2>&1
  echo "seed $seed p $xp: $(grep -E '^small' cv-s$seed-p$xp.log)"
done; done
