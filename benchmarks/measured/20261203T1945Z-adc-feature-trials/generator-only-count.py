import pandas as pd, numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
real=pd.read_csv('feat.csv', keep_default_na=False); gen=pd.read_csv('gen400.csv', keep_default_na=False)  # from: java Gen 400 gen400.csv 77 (Gen.java.txt)
X=real.iloc[:,4:].values; y=real.label.values; cl=np.unique(y)
for per in [100,200,400]:
    g=gen.groupby('label').head(per); Xg=g.iloc[:,4:].values; yg=g.label.values
    P={}
    P['rf']=RandomForestClassifier(300, n_jobs=1, random_state=1).fit(Xg,yg).predict_proba(X)
    P['lr']=make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000)).fit(Xg,yg).predict_proba(X)
    P['svm']=make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', probability=True, random_state=1)).fit(Xg,yg).predict_proba(X)
    out={k: round(f1_score(y, cl[v.argmax(1)], average='macro'),3) for k,v in P.items()}
    p=sum(P.values()); out['vote3']=round(f1_score(y, cl[p.argmax(1)], average='macro'),3)
    print(per, out, flush=True)
