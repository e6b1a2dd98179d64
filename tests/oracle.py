"""torch as the oracle, routed to its generic (portable) kernels.

torch has a second, channels-last kernel for 2-D nearest and bilinear that it picks for
small outputs (out_h + out_w <= 128), for one thread with C == 3 and for channels-last
input; it rounds differently (bilinear) or uses another index rule (nearest, docs §3.1).
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


# Every mode in every rank torch accepts; "-aa" marks antialias=True.
MODES_BY_RANK = {
    3: ["nearest", "nearest-exact", "linear", "area"],
    4: ["nearest", "nearest-exact", "bilinear", "bicubic", "area",
        "bilinear-aa", "bicubic-aa", "lanczos-aa"],
    5: ["nearest", "nearest-exact", "trilinear", "area"],
}
ALIGNABLE = {"linear", "bilinear", "bicubic", "trilinear", "bilinear-aa", "bicubic-aa"}


def split_mode(mode):
    """'bicubic-aa' -> ('bicubic', True)."""
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
    if antialias:
        return antialias_reference(x, **kw)
    return generic_reference(x, **kw)


def antialias_reference(x, size=None, scale_factor=None, recompute_scale_factor=None, **kw):
    """torch's antialias resize as two one-axis calls: W, then H on the transposed result.

    Same passes, weights and order as one call, so the bits are the same; but neither
    call has the torch bug of docs §3.5 (with out_w == 1 and out_h != in_h every output
    row gets row 0's vertical weights), where resample does the correct thing.
    """
    if size is not None:
        out_h, out_w = size if isinstance(size, (tuple, list)) else (size, size)
        along_w = dict(size=(x.shape[2], out_w))
        along_h = dict(size=(out_w, out_h))
    else:
        s_h, s_w = scale_factor if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * 2
        # a scale of 1.0 leaves an axis unchanged, and the antialias kernel skips it
        along_w = dict(scale_factor=(1.0, s_w), recompute_scale_factor=recompute_scale_factor)
        along_h = dict(scale_factor=(1.0, s_h), recompute_scale_factor=recompute_scale_factor)
    step1 = torch_interpolate(x, **along_w, **kw)
    step2 = torch_interpolate(step1.swapaxes(2, 3), **along_h, **kw)
    return step2.swapaxes(2, 3)


def check(x, **kw):
    got = resample.interpolate(x, **kw)
    want = reference(x, **kw)
    assert got.shape == want.shape and got.dtype == want.dtype
    if kw["mode"] == "area" and all(s == 1 for s in got.shape[2:]) and x[0, 0].size > 1:
        # torch computes an all-ones area output with mean(), a different summation order
        tol = 4 * np.finfo(x.dtype).eps * np.abs(x).max()
        np.testing.assert_allclose(got, want, rtol=0, atol=tol)
        return
    assert ulp_distance(got, want) == 0, f"max |diff| {np.abs(got.astype(float) - want).max()}"
