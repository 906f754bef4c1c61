# classes of main at 83799a5 (see ../ft); the ensemble uses the CNN fine-tuned from one pretrained on 200 generated maps per class
cd /work/exp/s10/ens
echo "start $(date -u +%T)"
java -Xmx6g -cp "$(cat /tmp/ft/cp)" org.fabai.cli.Fabai adc curve --data /work/shared/data/wm811k/wm811k-sample.npz --group-by lot_name --seed 1 --sizes 25,50,100,250,500 --repeats 2 --model small,ensemble --pretrain 200 --csv curve.csv --png curve.png > log.txt 2>&1
grep -A8 "^       n" log.txt
echo "done $(date -u +%T)"
