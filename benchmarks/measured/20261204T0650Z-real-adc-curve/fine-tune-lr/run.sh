# ran on classes of main at 83799a5 with AdcFamilies.fineTuneConfig reading the rate factor from -Dfabai.ftlr (that change was not committed)
cd /work/main
for lr in 1.0 0.3333333333; do
  echo "ftlr $lr start $(date -u +%T)"
  java -Xmx6g -Dfabai.ftlr=$lr -cp "$(cat /tmp/ft/cp)" org.fabai.cli.Fabai adc curve --data ../shared/data/wm811k/wm811k-sample.npz --group-by lot_name --seed 1 --sizes 50,250,500 --repeats 2 --model cnn-pretrained --pretrain 200 --csv /work/exp/s10/ft/curve-$lr.csv > /work/exp/s10/ft/log-$lr.txt 2>&1
  grep -A6 "^       n" /work/exp/s10/ft/log-$lr.txt
done
echo "done $(date -u +%T)"
