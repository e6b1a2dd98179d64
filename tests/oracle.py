"""torch as the oracle, routed to its generic (portable) kernels.

torch has a second, channels-last kernel for 2-D nearest and bilinear that it picks for
small outputs (out_h + out_w <= 128), for one thread with C == 3 and for channels-last
input; it rounds differently (bilinear) or uses another index rule (nearest, spec §3.1).
resample implements the generic kernel everywhere. To reach torch's generic kernel for
any size, 2-D nearest/bilinear calls are lifted to their 3-D twin with a depth of 1:
the depth pass is an exact identity there (weights 1 and 0 on finite data, index 0).
"""
import numpy as np

import resample

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


def split_mode(mode):
    if mode.endswith("-aa"):
        return mode[:-3], True
    return mode, False


def reference(x, **kw):
    """torch's result on its generic kernel, with the documented deliberate differences."""
    mode, antialias = kw["mode"], kw.get("antialias", False)
    if x.dtype == np.float16 and (antialias or (mode == "area" and x.ndim == 5)):
        # torch has no float16 antialias kernel, and accumulates 3-D area in float16;
        # resample computes both in float32 and rounds once, which is this:
        return reference(x.astype(np.float32), **kw).astype(np.float16)
    return generic_reference(x, **kw)


def torch_bug_out_w_1(x, out_shape, antialias):
    """spec §3.5: torch's antialias kernel uses row 0's vertical taps when out_w == 1."""
    return antialias and out_shape[-1] == 1 and out_shape[-2] != x.shape[-2]


def check(x, **kw):
    got = resample.interpolate(x, **kw)
    want = reference(x, **kw)
    assert got.shape == want.shape and got.dtype == want.dtype
    if torch_bug_out_w_1(x, got.shape, kw.get("antialias", False)):
        # resample does the correct thing here (README); check it against a bug-free route
        tol = 8 * np.finfo(x.dtype).eps * np.abs(x).max()
        np.testing.assert_allclose(got, _aa_reference_without_bug(x, **kw), rtol=0, atol=tol)
        return
    if kw["mode"] == "area" and all(s == 1 for s in got.shape[2:]) and x[0, 0].size > 1:
        # torch computes an all-ones area output with mean(), a different summation order
        tol = 4 * np.finfo(x.dtype).eps * np.abs(x).max()
        np.testing.assert_allclose(got, want, rtol=0, atol=tol)
        return
    assert ulp_distance(got, want) == 0, f"max |diff| {np.abs(got.astype(float) - want).max()}"


def _aa_reference_without_bug(x, size=None, scale_factor=None, **kw):
    # resize W (to 1) first, then H with the W axis moved last: both are torch calls
    # whose output width is not 1
    h_out = resample.interpolate(x, size=size, scale_factor=scale_factor, **kw).shape[2]
    step1 = torch_interpolate(x.astype(np.float64), size=(x.shape[2], 1), **kw)
    step2 = torch_interpolate(step1.swapaxes(2, 3).copy(), size=(1, h_out), **kw)
    return step2.swapaxes(2, 3).astype(x.dtype)
