"""PyTorch peer of the wafer-map CNN benchmarks (org.fabai.benchmarks.adc.CnnBench).

The network is fabai's compact CNN (adc CnnConfig.Architecture.COMPACT), float32, NCHW:

    input 3 x 64 x 64 (one-hot of the die states OFF, GOOD, FAIL)
    conv 3x3, 16 filters, padding 1 (same), ReLU;  max-pool 2x2 stride 2   -> 16 x 32 x 32
    conv 3x3, 32 filters, padding 1 (same), ReLU;  max-pool 2x2 stride 2   -> 32 x 16 x 16
    flatten (8192), dense 64 + ReLU, dense 9, softmax

Timed work (inputs are built once, outside the timing, like a JMH @Setup):
  - inference, batch 1 and batch 256: forward + softmax of a prepared float32 tensor, eval mode,
    torch.inference_mode() (no autograd), the probabilities returned;
  - one training epoch: 2048 maps of 64 x 64 (labels 0..8), a fresh seeded shuffle, 32
    mini-batches of 64, each zero_grad + forward + cross-entropy + backward + Adam step
    (lr 1e-3, weight_decay 1e-4 = fabai's L2 1e-4); the model keeps training across epochs.

Threads: torch.set_num_threads(2) (the machine has 2 cores), one inter-op thread, and
OMP_WAIT_POLICY=PASSIVE unless set (see below). Maps: seeded
discs of dies (the wafer, 64 across) with a per-map failing fraction in [0.02, 0.4]; the timing of a
dense CNN does not depend on the cell values. Needs Debian's python3-torch: when it is missing the
script installs it (apt-get, as root) or exits 3 (skipped) saying why.
"""

import os

import _peerlib

run = _peerlib.Runner()
# libgomp's default active spin-wait makes torch's 2 OpenMP threads stall for whole scheduler
# slices when other processes share the 2 cores (measured 09:33 UTC, load 12: batch 1 took 106 ms
# wall with spinning, 2.6 ms with OMP_WAIT_POLICY=PASSIVE, 1.8 ms on one thread). Passive waiting
# unless the caller chose a policy; read by libgomp when torch loads it, below.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
OMP = os.environ["OMP_WAIT_POLICY"].lower()
torch = _peerlib.require_debian("torch", "python3-torch")
import torch.nn as nn  # noqa: E402

torch.set_num_threads(2)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass  # already set

B = "org.fabai.benchmarks.adc.CnnBench."
N, CLASSES, EPOCH_MAPS, TRAIN_BATCH = 64, 9, 2048, 64
V = f"PyTorch {torch.__version__.split('a')[0]}"


def maps(count, seed):
    """count seeded wafer maps as one-hot float32, shape (count, 3, 64, 64)."""
    g = torch.Generator().manual_seed(seed)
    c = (N - 1) / 2.0
    r = torch.arange(N, dtype=torch.float64)[:, None]
    k = torch.arange(N, dtype=torch.float64)[None, :]
    inside = ((r - c) ** 2 + (k - c) ** 2 <= (N / 2.0) ** 2)
    fail = 0.02 + 0.38 * torch.rand(count, 1, 1, generator=g)
    codes = (torch.rand(count, N, N, generator=g) < fail).long() + 1  # 1 good, 2 fail
    codes = codes * inside.long()                                     # 0 off
    return torch.nn.functional.one_hot(codes, 3).permute(0, 3, 1, 2).contiguous().float()


def network():
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(32 * (N // 4) * (N // 4), 64), nn.ReLU(), nn.Linear(64, CLASSES))


torch.manual_seed(64)
model = network().eval()
x1, x256 = maps(1, 1), maps(256, 256)
assert x256.shape == (256, 3, N, N) and torch.all(x256.sum(dim=1) == 1)


def infer(x):
    with torch.inference_mode():
        return torch.softmax(model(x), dim=1)


p = infer(x256)
assert p.shape == (256, CLASSES) and torch.allclose(p.sum(dim=1), torch.ones(256))
conv = "oneDNN" if torch.backends.mkldnn.is_available() else "native"
desc = f"{V} eager fp32, 2 threads (omp {OMP}), {conv}, inference_mode"
run.bench("inferBatch1", B + "inferOnnxBatch1", f"{desc}, batch 1", lambda: infer(x1),
          also={"inferBatch1Dl4j": B + "inferDl4jBatch1"})
run.bench("inferBatch256", B + "inferOnnxBatch256", f"{desc}, batch 256", lambda: infer(x256),
          also={"inferBatch256Dl4j": B + "inferDl4jBatch256"})

# one training epoch
torch.manual_seed(2048)
train_model = network().train()
opt = torch.optim.Adam(train_model.parameters(), lr=1e-3, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
xs = maps(EPOCH_MAPS, 2048)
ys = torch.randint(0, CLASSES, (EPOCH_MAPS,), generator=torch.Generator().manual_seed(9))
shuffle = torch.Generator().manual_seed(11)


def epoch():
    order = torch.randperm(EPOCH_MAPS, generator=shuffle)
    total = 0.0
    for s in range(0, EPOCH_MAPS, TRAIN_BATCH):
        idx = order[s:s + TRAIN_BATCH]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(train_model(xs[idx]), ys[idx])
        loss.backward()
        opt.step()
        total += loss.item()
    return total / (EPOCH_MAPS // TRAIN_BATCH)


first = epoch()
assert first == first and first > 0  # finite, positive cross-entropy
run.bench("trainEpoch2048", B + "trainEpochDl4j",
          f"{V} eager fp32, 2 threads (omp {OMP}), Adam, {EPOCH_MAPS} maps, batch {TRAIN_BATCH}", epoch)
run.write()
