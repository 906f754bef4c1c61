set -x
echo "started $(date -u +%FT%TZ) on $(nproc) cores (shared with one helper)"
cd /work/wt-13
( /usr/bin/python3 benchmarks/peers/wm811k_cnn_peer.py --seed 1 --recipe real --json /work/exp/s9/cnn/cv-torch.json > /work/exp/s9/cnn/cv-torch.txt 2>&1 ) &
java -Xmx6g -cp "$(cat /tmp/run14/cp)" org.fabai.cli.Fabai adc evaluate --data ../shared/data/wm811k/wm811k-sample.npz --cv 5 --group-by lot_name --seed 1 --model small,cnn,ensemble > /work/exp/s9/cnn/cv-fabai.txt 2>&1
wait
echo "finished $(date -u +%FT%TZ)"
