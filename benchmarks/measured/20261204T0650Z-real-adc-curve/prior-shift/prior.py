# Prior shift on out-of-fold soft-vote posteriors of fabai's features (issue #13): when a batch has
# WM-811K's natural mix (85 % none), does (a) EM re-estimation of its priors (Saerens et al. 2002),
# (b) up-weighting `none` by w at decision time, or (c) a Bayes correction to a stated prior help,
# and what does each cost on the sample's own mix?
import pandas as pd, numpy as np
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
df = pd.read_csv('/work/exp/feat.csv', keep_default_na=False)
X = df.iloc[:, 4:].values; y = df.label.values; g = df.lot.values
cl = np.unique(y); yi = np.searchsorted(cl, y); K = len(cl); NONE = list(cl).index('none')
FOLDS = list(GroupKFold(5).split(X, yi, g))
ms = {'rf': lambda: RandomForestClassifier(300, class_weight='balanced', n_jobs=1, random_state=1),
      'lr': lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000, class_weight='balanced')),
      'svm': lambda: make_pipeline(StandardScaler(), SVC(C=10, gamma='scale', class_weight='balanced', probability=True, random_state=1)),
      'hgb': lambda: HistGradientBoostingClassifier(max_iter=60, learning_rate=0.1, max_leaf_nodes=16, class_weight='balanced', random_state=1)}

def fitprob(Xtr, ytr, Xte):
    P = np.zeros((len(Xte), K))
    for k in ms:
        m = ms[k]().fit(Xtr, ytr); P[:, m.classes_] += m.predict_proba(Xte)
    return P / len(ms)

try:
    d = np.load('oof.npz'); A = d['A']; V = d['V']
except FileNotFoundError:
    A = np.zeros((len(y), K)); V = np.zeros((5, K))
    for f, (tr, te) in enumerate(FOLDS):
        A[te] = fitprob(X[tr], yi[tr], X[te])
        # the model's own prior: its mean posterior on held-out lots of its training part
        tr2, va = next(GroupKFold(5).split(X[tr], yi[tr], g[tr]))
        V[f] = fitprob(X[tr][tr2], yi[tr][tr2], X[tr][va]).mean(0)
    np.savez('oof.npz', A=A, V=V)

def em(P, base, iters=100):
    pri = base.copy()
    for _ in range(iters):
        Q = P * (pri / base); Q /= Q.sum(1, keepdims=True)
        new = Q.mean(0)
        if np.abs(new - pri).max() < 1e-6: break
        pri = new
    return Q

cnt = np.bincount(yi, minlength=K).astype(float)
def stated(share):
    t = cnt.copy(); t[NONE] = 0; t = t / t.sum() * (1 - share); t[NONE] = share; return t
def upweight(P, w):
    Q = P.copy(); Q[:, NONE] *= w; return Q

rules = {'raw': lambda P, f: P, 'EM': lambda P, f: em(P, V[f])}
rules.update({'none x%g' % w: (lambda w: lambda P, f: upweight(P, w))(w) for w in [1.5, 2, 3, 5]})
rules.update({'stated %s' % s: (lambda s: lambda P, f: P * stated(s) / V[f])(s) for s in [0.5, 0.85]})
rules['stated sample'] = lambda P, f: P * (cnt / cnt.sum()) / V[f]
rng = np.random.RandomState(7)
for mix in ['sample', 'none50', 'none85']:
    res = {k: [] for k in rules}
    for f, (tr, te) in enumerate(FOLDS):
        for rep in range(1 if mix == 'sample' else 20):
            if mix == 'sample':
                idx = te
            else:
                share = {'none85': 0.85, 'none50': 0.5}[mix]
                de = te[yi[te] != NONE]; no = te[yi[te] == NONE]
                idx = np.concatenate([de, rng.choice(no, int(round(len(de) * share / (1 - share))), replace=True)])
            for k, rule in rules.items():
                res[k].append(f1_score(yi[idx], rule(A[idx], f).argmax(1), average='macro'))
    print(mix, ' | '.join('%s %.3f' % (k, np.mean(v)) for k, v in res.items()), flush=True)
