import numpy as np, pandas as pd
from scipy import ndimage
from scipy.spatial.distance import pdist
d=np.load('/work/shared/data/wm811k/wm811k-sample.npz')
n=len(d['labels'])
rows=[]
for i in range(n):
    m=d[f'map_{i:05d}']; on=m>0; fail=m==2
    diam=np.sqrt(on.sum()*4/np.pi)
    lab,k=ndimage.label(fail, np.ones((3,3)))
    longest=0.0; thin_area=0; nthin=0; best_ratio=9.0; lens=[]
    if k>0:
        objs=ndimage.find_objects(lab)
        for j,sl in enumerate(objs):
            comp=(lab[sl]==j+1); a=comp.sum()
            if a<5: continue
            r,c=np.nonzero(comp)
            pts=np.c_[r,c].astype(float)
            fer=pdist(pts).max()+1 if len(pts)<=2000 else max(comp.shape)
            ratio=a/fer
            if ratio<=1.8:
                thin_area+=a; nthin+=1; longest=max(longest, fer/diam); lens.append(fer/diam)
            best_ratio=min(best_ratio, ratio if fer>=0.15*diam else 9.0)
    nf=max(fail.sum(),1)
    rows.append((longest, thin_area/nf, nthin, min(best_ratio,5.0), sum(lens)))
X=np.array(rows)
cols=['thin_longest','thin_share','thin_count','long_comp_min_ratio','thin_total_len']
f=pd.read_csv('../feat.csv', keep_default_na=False)
T=pd.DataFrame(X,columns=cols)
out=pd.concat([f.iloc[:,:4],T,f.iloc[:,4:]],axis=1); out.to_csv('feat_thin.csv',index=False)
print(pd.concat([f.label,T],axis=1).groupby('label').median())
