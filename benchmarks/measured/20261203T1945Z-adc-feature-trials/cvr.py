import pandas as pd, numpy as np, sys
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
for fn in sys.argv[1:]:
    df = pd.read_csv(fn, keep_default_na=False)
    X = df.iloc[:,4:].values; y = df.label.values; g = df.lot.values; cl=np.unique(y)
    res=[]
    for rep in range(3):
        P=np.zeros((len(y),9)); Q=np.zeros((len(y),9))
        for tr, te in StratifiedGroupKFold(5, shuffle=True, random_state=10+rep).split(X, y, g):
            P[te]+=RandomForestClassifier(300, class_weight='balanced', n_jobs=1, random_state=1).fit(X[tr],y[tr]).predict_proba(X[te])
            P[te]+=make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000, class_weight='balanced')).fit(X[tr],y[tr]).predict_proba(X[te])
            P[te]+=make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', class_weight='balanced', probability=True, random_state=1)).fit(X[tr],y[tr]).predict_proba(X[te])
        res.append(f1_score(y, cl[P.argmax(1)], average='macro'))
    print(fn, np.round(res,3), round(np.mean(res),4), flush=True)
