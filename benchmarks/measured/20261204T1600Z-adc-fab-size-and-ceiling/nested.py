# Exploration of fabai features with scikit-learn (not a peer, not a fabai result); reads feat.csv written by
# ../20261203T1945Z-adc-feature-trials/Dump.java.txt. Run: /usr/bin/python3 nested.py > nested.out
# Per-class decision weights fitted on inner out-of-fold probabilities (nested, lot-grouped), sklearn exploration.
import pandas as pd, numpy as np, sys
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
df = pd.read_csv('feat.csv', keep_default_na=False)
X = df.iloc[:,4:].values; g = df.lot.values
cl = np.array(sorted(set(df.label))); y = np.searchsorted(cl, df.label.values); K=len(cl)
def fitpred(Xtr, ytr, Xte):
    P = RandomForestClassifier(300, class_weight='balanced', n_jobs=2, random_state=1).fit(Xtr,ytr).predict_proba(Xte)
    P += make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000, class_weight='balanced')).fit(Xtr,ytr).predict_proba(Xte)
    P += make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', class_weight='balanced', probability=True, random_state=1)).fit(Xtr,ytr).predict_proba(Xte)
    return P/3
def mf1(y, P, lw): return f1_score(y, (np.log(P+1e-12)+lw).argmax(1), average='macro', labels=range(K))
def fitw(y, P):
    lw = np.zeros(K); best = mf1(y,P,lw); grid=np.arange(-1.5,1.51,0.1)
    for sweep in range(3):
        for c in range(K):
            for v in grid:
                t=lw.copy(); t[c]=v; s=mf1(y,P,t)
                if s>best+1e-9: best, lw = s, t
    return lw
for rep in range(3):
    base=np.zeros(len(y),int); adj=np.zeros(len(y),int); per=[]
    for tr, te in StratifiedGroupKFold(5, shuffle=True, random_state=20+rep).split(X, y, g):
        O=np.zeros((len(tr),K))
        for itr, ite in StratifiedGroupKFold(5, shuffle=True, random_state=1).split(X[tr], y[tr], g[tr]):
            O[ite]=fitpred(X[tr][itr], y[tr][itr], X[tr][ite])
        lw=fitw(y[tr], O)
        P=fitpred(X[tr], y[tr], X[te])
        base[te]=P.argmax(1); adj[te]=(np.log(P+1e-12)+lw).argmax(1)
        per.append((f1_score(y[te],base[te],average='macro'), f1_score(y[te],adj[te],average='macro')))
        print(rep, 'fold', np.round(per[-1],4), 'weights', dict(zip(cl, np.round(lw,1))), flush=True)
    print('shuffle', rep, 'pooled base', round(f1_score(y,base,average='macro'),4), 'adjusted', round(f1_score(y,adj,average='macro'),4),
          'per-class base', np.round(f1_score(y,base,average=None),3), 'adj', np.round(f1_score(y,adj,average=None),3), flush=True)
