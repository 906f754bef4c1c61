"""PyTorch peers of the WaferMap grid benchmarks (org.fabai.benchmarks.core.WaferMapBench).

Needs Debian's python3-torch (installed by the script when missing and it runs as root; re-run
with /usr/bin/python3 when another interpreter lacks torch). One intra-op thread, like the
single-threaded JMH benchmarks. Each peer allocates
its output (the one-hot peer writes into a reused float32 buffer, like fabai's toOneHot). Maps are
seeded discs of dies with 10% failing (same shape and statistics as fabai's SyntheticMaps).
"""

import _peerlib

run = _peerlib.Runner()
torch = _peerlib.require_debian("torch", "python3-torch")
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
B = "org.fabai.benchmarks.core.WaferMapBench."
V = f"PyTorch {torch.__version__}"


def disc(n, fail, seed):
    g = torch.Generator().manual_seed(seed)
    c = (n - 1) / 2.0
    r = torch.arange(n, dtype=torch.float64)[:, None]
    k = torch.arange(n, dtype=torch.float64)[None, :]
    inside = ((r - c) ** 2 + (k - c) ** 2 <= (n / 2.0) ** 2).to(torch.uint8)
    codes = (torch.rand(n, n, generator=g) < fail).to(torch.uint8) + 1  # 1 good, 2 fail
    return codes * inside


m52, m128, m64 = disc(52, 0.1, 52), disc(128, 0.1, 128), disc(64, 0.1, 64)

# interpolate takes N, C, H, W; 'nearest-exact' samples at target centres like fabai's NEAREST.
# uint8 where the kernel supports it, else float32 (named in the report).
x52 = m52[None, None]
try:
    F.interpolate(x52, size=(64, 64), mode="nearest-exact")
    kind = "uint8"
except RuntimeError:
    x52 = x52.float()
    kind = "float32"
assert F.interpolate(x52, size=(64, 64), mode="nearest-exact").shape == (1, 1, 64, 64)
run.bench("resizeNearest52to64", B + "resizeNearest52to64", f"{V} F.interpolate nearest-exact ({kind})",
          lambda: F.interpolate(x52, size=(64, 64), mode="nearest-exact"))

x128 = m128[None, None].float()
run.bench("resizeMax128to64", B + "resizeMax128to64", f"{V} F.max_pool2d 2x2 (float32)",
          lambda: F.max_pool2d(x128, 2))

rot = torch.rot90(m52, -1, (0, 1)).contiguous()
assert torch.equal(rot, m52.flip(0).t())  # clockwise quarter turn
run.bench("rotate90", B + "rotate90", f"{V} rot90(k=-1).contiguous()",
          lambda: torch.rot90(m52, -1, (0, 1)).contiguous())

m64l = m64.long()
hot = torch.empty(3, 64, 64)


def one_hot():
    return hot.copy_(F.one_hot(m64l, 3).permute(2, 0, 1))


assert one_hot().sum().item() == 64 * 64
run.bench("toOneHot64", B + "toOneHot64", f"{V} F.one_hot + permute + copy_ (float32)", one_hot)
run.write()
