import pandas as pd, numpy as np
from sklearn.model_selection import GroupKFold
from sklearn.metrics import f1_score
df = pd.read_csv('/work/exp/feat.csv', keep_default_na=False)
y = df.label.values; g = df.lot.values; X=df.iloc[:,4:].values
cl=np.unique(y); yi=np.searchsorted(cl,y); K=len(cl); NONE=list(cl).index('none')
d=np.load('oof.npz'); A=d['A']; V=d['V']
cnt=np.bincount(yi,minlength=K).astype(float)
def target(share):
    t=cnt.copy(); t[NONE]=0; t=t/t.sum()*(1-share); t[NONE]=share; return t
rng=np.random.RandomState(7)
print('V mean', np.round(V.mean(0),3), 'sample prior', np.round(cnt/cnt.sum(),3))
for mix in ['sample','none50','none85']:
    res={k:[] for k in ['raw','tgt_sample','tgt_50','tgt_85','uniformbase85']}
    for f,(tr,te) in enumerate(GroupKFold(5).split(X,yi,g)):
        for rep in range(20 if mix!='sample' else 1):
            if mix=='sample': idx=te
            else:
                share={'none85':0.85,'none50':0.5}[mix]
                de=te[yi[te]!=NONE]; no=te[yi[te]==NONE]
                idx=np.concatenate([de, rng.choice(no, int(round(len(de)*share/(1-share))), replace=True)])
            P=A[idx]; t=yi[idx]
            sc=lambda Q: f1_score(t,Q.argmax(1),average='macro')
            res['raw'].append(sc(P))
            res['tgt_sample'].append(sc(P*cnt/cnt.sum()/V[f]))
            res['tgt_50'].append(sc(P*target(0.5)/V[f]))
            res['tgt_85'].append(sc(P*target(0.85)/V[f]))
            res['uniformbase85'].append(sc(P*target(0.85)*K))
    print(mix, ' '.join('%s %.3f'%(k,np.mean(v)) for k,v in res.items()))
