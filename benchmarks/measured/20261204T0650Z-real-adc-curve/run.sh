set -x
echo "started $(date -u +%FT%TZ) on $(nproc) cores (shared with one helper)"
cd /work/main
java -Xmx6g -cp "$(cat /tmp/run14/cp)" org.fabai.cli.Fabai adc curve --data ../shared/data/wm811k/wm811k-sample.npz --group-by lot_name --seed 1 --sizes 25,50,100,250,500 --repeats 2 --model small,cnn,cnn-pretrained --pretrain 200 --png /work/exp/s10/curve/curve.png --csv /work/exp/s10/curve/curve.csv > /work/exp/s10/curve/curve.txt 2>&1
echo "finished $(date -u +%FT%TZ)"
