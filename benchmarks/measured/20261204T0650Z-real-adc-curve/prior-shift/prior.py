# Prior shift (Saerens et al. 2002 EM) on out-of-fold vote posteriors of fabai features: does re-estimating
# the test batch's class priors help when the batch has WM-811K's natural mix (85 % none), and hurt when not?
import pandas as pd, numpy as np, sys, time
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
df = pd.read_csv('/work/exp/feat.csv', keep_default_na=False)
X = df.iloc[:,4:].values; y = df.label.values; g = df.lot.values
cl=np.unique(y); yi=np.searchsorted(cl,y); K=len(cl); NONE=list(cl).index('none')
ms={'rf':lambda: RandomForestClassifier(300, class_weight='balanced', n_jobs=1, random_state=1),
    'lr':lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000, class_weight='balanced')),
    'svm':lambda: make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', class_weight='balanced', probability=True, random_state=1)),
    'hgb':lambda: HistGradientBoostingClassifier(max_iter=60, learning_rate=0.1, max_leaf_nodes=16, class_weight='balanced', random_state=1)}
def fitprob(Xtr, ytr, Xte):
    P=np.zeros((len(Xte),K))
    for k in ms:
        m=ms[k]().fit(Xtr,ytr); P[:,m.classes_]+=m.predict_proba(Xte)
    return P/len(ms)
try:
    d=np.load('oof.npz'); A=d['A']; V=d['V']
except FileNotFoundError:
    A=np.zeros((len(y),K)); V=np.zeros((5,K))
    for f,(tr,te) in enumerate(GroupKFold(5).split(X,yi,g)):
        A[te]=fitprob(X[tr], yi[tr], X[te])
        # the model's own prior: mean posterior on held-out lots of its training part
        tr2,va=next(GroupKFold(5).split(X[tr],yi[tr],g[tr]))
        V[f]=fitprob(X[tr][tr2], yi[tr][tr2], X[tr][va]).mean(0)
        print('fold',f,flush=True)
    np.savez('oof.npz',A=A,V=V)
def em(P, base, iters=100):
    pri=base.copy()
    for _ in range(iters):
        Q=P*(pri/base); Q/=Q.sum(1,keepdims=True)
        new=Q.mean(0)
        if np.abs(new-pri).max()<1e-6: break
        pri=new
    return Q
rng=np.random.RandomState(7)
for mix in ['sample', 'none85', 'none50']:
    raw=[]; ad=[]
    for f,(tr,te) in enumerate(GroupKFold(5).split(X,yi,g)):
        for rep in range(20 if mix!='sample' else 1):
            if mix=='sample': idx=te
            else:
                share={'none85':0.85,'none50':0.5}[mix]
                de=te[yi[te]!=NONE]; no=te[yi[te]==NONE]
                n_none=int(round(len(de)*share/(1-share)))
                idx=np.concatenate([de, rng.choice(no, n_none, replace=True)])
            P=A[idx]; t=yi[idx]
            raw.append(f1_score(t,P.argmax(1),average='macro'))
            ad.append(f1_score(t,em(P,V[f]).argmax(1),average='macro'))
    raw=np.array(raw); ad=np.array(ad)
    print(mix,'raw %.3f  EM %.3f  paired diff %+.3f +- %.3f (n=%d)'%(raw.mean(),ad.mean(),(ad-raw).mean(),(ad-raw).std(ddof=1) if len(raw)>1 else 0,len(raw)),flush=True)
