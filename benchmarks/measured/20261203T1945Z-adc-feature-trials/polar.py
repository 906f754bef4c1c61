import numpy as np, pandas as pd
d=np.load('/work/shared/data/wm811k/wm811k-sample.npz')
n=len(d['labels'])
R,A=6,24
feats=[]
for i in range(n):
    m=d[f'map_{i:05d}']; on=m>0; fail=m==2
    ro,co=np.nonzero(on); cy,cx=ro.mean(),co.mean()
    ry=(ro.max()-ro.min()+1)/2; rx=(co.max()-co.min()+1)/2
    dy=(ro-cy)/ry; dx=(co-cx)/rx
    rad=np.sqrt(dx*dx+dy*dy); rad=np.minimum(rad/ max(rad.max(),1e-9), 0.9999)
    ang=(np.arctan2(dy,dx)+np.pi)/(2*np.pi); ang=np.minimum(ang,0.9999)
    rb=(rad**2*R).astype(int)  # equal-area rings
    ab=(ang*A).astype(int)
    f=fail[ro,co].astype(float)
    tot=np.zeros((R,A)); fl=np.zeros((R,A))
    np.add.at(tot,(rb,ab),1); np.add.at(fl,(rb,ab),f)
    dens=np.where(tot>0, fl/np.maximum(tot,1), f.mean())
    base=f.mean()
    F=np.abs(np.fft.rfft(dens-base,axis=1))/A   # R x (A/2+1)
    F=F[:, :7]
    # angular profile of whole wafer also sorted
    feats.append(np.concatenate([F.ravel(), np.sort(dens.ravel())[::-1][:12]-base]))
X=np.array(feats)
cols=[f'polar_{j}' for j in range(X.shape[1])]
f=pd.read_csv('../feat.csv', keep_default_na=False)
P=pd.DataFrame(X,columns=cols)
pd.concat([f,P],axis=1).to_csv('feat_polar.csv',index=False)
pd.concat([f.iloc[:,:4],P],axis=1).to_csv('polar_only.csv',index=False)
print(X.shape)
