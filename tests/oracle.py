"""torch as the oracle, routed to its generic (portable) kernels.

torch has a second, channels-last kernel for 2-D nearest and bilinear that it picks for
small outputs (out_h + out_w <= 128), for one thread with C == 3 and for channels-last
input; it rounds differently (bilinear) or uses another index rule (nearest, spec §3.1).
resample implements the generic kernel everywhere. To reach torch's generic kernel for
any size, 2-D nearest/bilinear calls are lifted to their 3-D twin with a depth of 1:
the depth pass is an exact identity there (weights 1 and 0 on finite data, index 0).
"""
import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:      # the golden tests run without torch
    torch = None

LIFT_TO_3D = {"nearest": "nearest", "nearest-exact": "nearest-exact", "bilinear": "trilinear"}


def torch_interpolate(x, **kw):
    """torch's result on contiguous input, as NumPy."""
    t = torch.from_numpy(np.ascontiguousarray(x))
    return F.interpolate(t, **kw).numpy()


def generic_reference(x, **kw):
    """torch's generic-kernel result for x (finite values)."""
    mode = kw.get("mode", "nearest")
    if x.ndim != 4 or mode not in LIFT_TO_3D or kw.get("antialias"):
        return torch_interpolate(x, **kw)
    kw = dict(kw, mode=LIFT_TO_3D[mode])
    if kw.get("size") is not None:
        size = kw["size"]
        kw["size"] = (1, *size) if isinstance(size, (tuple, list)) else (1, size, size)
    else:
        s = kw["scale_factor"]
        kw["scale_factor"] = (1.0, *s) if isinstance(s, (tuple, list)) else (1.0, s, s)
    return torch_interpolate(x[:, :, None], **kw)[:, :, 0]


def ulp_distance(a, b):
    """Largest distance in units in the last place between same-dtype float arrays."""
    a = np.asarray(a)
    b = np.asarray(b)
    bits = {2: np.int16, 4: np.int32, 8: np.int64}[a.itemsize]
    ia = a.view(bits).astype(np.int64)
    ib = b.view(bits).astype(np.int64)
    # map the sign-magnitude bit patterns onto a monotone integer line
    top = np.int64(1) << (8 * a.itemsize - 1)
    ia = np.where(ia < 0, -(ia + top), ia)
    ib = np.where(ib < 0, -(ib + top), ib)
    return int(np.abs(ia - ib).max()) if a.size else 0
