import pandas as pd, numpy as np
from sklearn.model_selection import GroupKFold
from sklearn.metrics import f1_score
df = pd.read_csv('/work/exp/feat.csv', keep_default_na=False)
y = df.label.values; g = df.lot.values; X=df.iloc[:,4:].values
cl=np.unique(y); yi=np.searchsorted(cl,y); K=len(cl); NONE=list(cl).index('none')
d=np.load('oof.npz'); A=d['A']
rng=np.random.RandomState(7)
def adj(P, w):
    Q=P.copy(); Q[:,NONE]*=w; return Q
ws=[1,1.5,2,3,5,8]
for mix in ['sample','none50','none85']:
    res={w:[] for w in ws}
    for f,(tr,te) in enumerate(GroupKFold(5).split(X,yi,g)):
        for rep in range(20 if mix!='sample' else 1):
            if mix=='sample': idx=te
            else:
                share={'none85':0.85,'none50':0.5}[mix]
                de=te[yi[te]!=NONE]; no=te[yi[te]==NONE]
                idx=np.concatenate([de, rng.choice(no, int(round(len(de)*share/(1-share))), replace=True)])
            for w in ws: res[w].append(f1_score(yi[idx],adj(A[idx],w).argmax(1),average='macro'))
    print(mix, ' '.join('w%g %.3f'%(w,np.mean(res[w])) for w in ws))
