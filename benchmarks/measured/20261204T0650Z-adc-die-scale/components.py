import numpy as np, csv
r=list(csv.reader(open('/tmp/13s/feat_v1_x1.csv'))); h=r[0][4:]; lab=np.array([x[0] for x in r[1:]]); X=np.array([[float(v) for v in x[4:]] for x in r[1:]])
dies=np.load('/tmp/13s/dies.npy'); lo=dies<1060
col=lambda n:X[:,h.index(n)]
cnt=np.expm1(col('log_components_raw')); fails=col('fail_ratio')*dies; dcnt=np.expm1(col('log_components_denoised'))
def d(v):
    ds=[];w=[]
    for c in np.unique(lab):
        if c=='Donut': continue
        a=v[(lab==c)&lo]; b=v[(lab==c)&~lo]; s=np.sqrt((a.var()+b.var())/2)+1e-12
        ds.append((b.mean()-a.mean())/s); w.append(min(len(a),len(b)))
    return np.average(ds,weights=w)
for name,v in [('log cnt',np.log1p(cnt)),('cnt/fails',cnt/np.maximum(fails,1)),('cnt/N*1000',cnt/dies*1000),('log1p(cnt/N*1000)',np.log1p(cnt/dies*1000)),('log1p(cnt*1000/N)... sqrt',np.sqrt(cnt/dies)),
  ('dlog cnt',np.log1p(dcnt)),('dcnt/N',dcnt/dies*1000),('log1p dcnt/N',np.log1p(dcnt/dies*1000)),('fail_ratio',col('fail_ratio')),('log fails',np.log1p(fails))]:
    print('%-28s %7.3f'%(name,d(v)))
