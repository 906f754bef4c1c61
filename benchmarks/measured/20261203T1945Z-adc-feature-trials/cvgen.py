import pandas as pd, numpy as np, sys
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
df = pd.read_csv('../feat.csv', keep_default_na=False); gen=pd.read_csv('gen/gen150.csv', keep_default_na=False)
X = df.iloc[:,4:].values; y = df.label.values; g = df.lot.values; cl=np.unique(y)
Xg=gen.iloc[:,4:].values; yg=gen.label.values
setups={'none':[], 'rare50':[('Donut',50),('Near-full',50),('Random',50)], 'rare100':[('Donut',100),('Near-full',100),('Random',100)], 'donut60':[('Donut',60)]}
for name,add in setups.items():
    idx=np.concatenate([np.where(yg==c)[0][:k] for c,k in add]) if add else np.array([],int)
    res=[]; pcs=[]
    for rep in range(3):
        P=np.zeros((len(y),9))
        for tr, te in StratifiedGroupKFold(5, shuffle=True, random_state=10+rep).split(X, y, g):
            Xt=np.vstack([X[tr],Xg[idx]]); yt=np.concatenate([y[tr],yg[idx]])
            P[te]+=RandomForestClassifier(300, class_weight='balanced', n_jobs=1, random_state=1).fit(Xt,yt).predict_proba(X[te])
            P[te]+=make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000, class_weight='balanced')).fit(Xt,yt).predict_proba(X[te])
            P[te]+=make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', class_weight='balanced', probability=True, random_state=1)).fit(Xt,yt).predict_proba(X[te])
        res.append(f1_score(y, cl[P.argmax(1)], average='macro')); pcs.append(f1_score(y, cl[P.argmax(1)], average=None, labels=cl))
    print(name, np.round(res,3), round(np.mean(res),4), dict(zip(cl, np.mean(pcs,0).round(3))), flush=True)
