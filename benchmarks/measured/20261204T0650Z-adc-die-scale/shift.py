import sys, numpy as np, csv
tag=sys.argv[1]; thr=1060
def load(p):
    r=list(csv.reader(open(p))); h=r[0]; lab=np.array([x[0] for x in r[1:]]); X=np.array([[float(v) for v in x[4:]] for x in r[1:]])
    return h[4:],lab,X
F,lab,X1=load(f'/tmp/13s/feat_{tag}_x1.csv'); _,_,X2=load(f'/tmp/13s/feat_{tag}_x2.csv'); _,_,X3=load(f'/tmp/13s/feat_{tag}_x3.csv')
dies=np.load('/tmp/13s/dies.npy'); lo=dies<thr
rows=[]
for j,f in enumerate(F):
    sd=X1[:,j].std()+1e-12
    kr=np.abs(X2[:,j]-X1[:,j]).mean()/sd; kr3=np.abs(X3[:,j]-X1[:,j]).mean()/sd
    ds=[];w=[]
    for c in np.unique(lab):
        if c=='Donut': continue
        a=X1[(lab==c)&lo,j]; b=X1[(lab==c)&~lo,j]
        s=np.sqrt((a.var()+b.var())/2)+1e-12
        ds.append((b.mean()-a.mean())/s); w.append(min(len(a),len(b)))
    rows.append((f,kr,kr3,np.average(np.abs(ds),weights=w),np.average(ds,weights=w)))
rows.sort(key=lambda r:-r[3])
print('%-28s %8s %8s %8s %8s'%('feature','kron2','kron3','real|d|','real d'))
for r in rows: print('%-28s %8.3f %8.3f %8.3f %8.3f'%r)
print('MEAN %.3f %.3f %.3f'%(np.mean([r[1] for r in rows]),np.mean([r[2] for r in rows]),np.mean([r[3] for r in rows])))
