"""Every public entry point gives the same bits whatever the memory layout of its input,
and the same bits on a second identical call.

Bugs hide in layouts: an output allocated in the input's memory order and then flattened
is a copy the kernel writes instead of the output (compat.pil_resize once returned
never-written memory for rotated RGBA images that way). Each entry point here is called on
the same values in C order, Fortran order, with the axes' memory reversed (a transposed
view), with every stride negative, in channels-last (or channels-first) memory, with
gaps between samples and one byte off alignment (the sanitizer build, which runs this
file, reports a misaligned load), and must give exactly what it gives on the C-ordered copy, twice.
"""
import numpy as np
import pytest

import resample
from resample import compat

LAYOUTS = ["fortran", "transposed", "negative", "channels-moved", "gapped", "misaligned"]


def laid_out(a, layout, channel_axis):
    """The values of a (C-contiguous) in another memory layout, as a view."""
    if layout == "fortran":
        return np.asfortranarray(a)
    if layout == "transposed":             # memory in reversed axis order
        reverse = tuple(range(a.ndim))[::-1]
        return np.ascontiguousarray(a.transpose(reverse)).transpose(reverse)
    if layout == "negative":               # every stride negative
        flip = (slice(None, None, -1),) * a.ndim
        return np.ascontiguousarray(a[flip])[flip]
    if layout == "channels-moved":         # the channel axis moved to the other end of memory
        order = list(range(a.ndim))
        order.remove(channel_axis)
        order = order + [channel_axis] if channel_axis < a.ndim - 1 else [channel_axis] + order
        return np.ascontiguousarray(a.transpose(order)).transpose(np.argsort(order))
    if layout == "misaligned":             # C order one byte off the type's alignment
        buffer = np.zeros(a.nbytes + 1, np.uint8)
        view = np.ndarray(a.shape, a.dtype, buffer=buffer, offset=1)
        view[...] = a
        return view
    if layout == "gapped":                 # every other sample of a wider array
        wide = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        wide[..., ::2] = a
        return wide[..., ::2]
    raise ValueError(layout)


def sample(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
        np.ascontiguousarray(a).view(np.uint8), np.ascontiguousarray(b).view(np.uint8))


# (name, input shape, dtype, channel axis, call): every public function that takes arrays
CALLS = [
    ("interpolate-bilinear-aa", (2, 3, 23, 17), np.float32, 1,
     lambda x: resample.interpolate(x, size=(9, 30), mode="bilinear", antialias=True)),
    ("interpolate-nearest-exact", (2, 3, 23, 17), np.uint8, 1,
     lambda x: resample.interpolate(x, scale_factor=1.7, mode="nearest-exact")),
    ("interpolate-bicubic", (1, 4, 19, 21), np.float64, 1,
     lambda x: resample.interpolate(x, size=(40, 11), mode="bicubic", align_corners=True)),
    ("interpolate-area", (2, 3, 23, 17), np.float16, 1,
     lambda x: resample.interpolate(x, size=(7, 5), mode="area")),
    ("interpolate-linear-1d", (2, 3, 41), np.float32, 1,
     lambda x: resample.interpolate(x, size=17, mode="linear")),
    ("interpolate-trilinear", (1, 2, 7, 9, 8), np.float32, 1,
     lambda x: resample.interpolate(x, size=(5, 12, 3), mode="trilinear")),
    ("interpolate-uint8-bicubic-aa", (1, 3, 30, 26), np.uint8, 1,
     lambda x: resample.interpolate(x, size=(11, 13), mode="bicubic", antialias=True)),
    ("interpolate_backward", (2, 3, 9, 30), np.float32, 1,
     lambda g: resample.interpolate_backward(g, (2, 3, 23, 17), size=(9, 30), mode="bilinear",
                                             antialias=True)),
    ("resize-hwc-lanczos", (31, 27, 3), np.uint8, 2,
     lambda x: resample.resize(x, (12, 40), mode="lanczos")),
    ("resize-volume-cubic", (2, 9, 11, 10), np.int16, 0,
     lambda x: resample.resize(x, (5, 20, 7), axes=(1, 2, 3), mode="cubic")),
    ("resize-1d-area", (3, 50), np.uint16, 0,
     lambda x: resample.resize(x, (17,), axes=(1,), mode="area")),
    ("resize_backward", (12, 40, 3), np.float64, 2,
     lambda g: resample.resize_backward(g, (31, 27, 3), (12, 40), mode="cubic")),
    ("pil_resize-RGBA", (40, 30, 4), np.uint8, 2,
     lambda x: compat.pil_resize(x, (17, 23), "bilinear")),
    ("pil_resize-LA-gap", (60, 50, 2), np.uint8, 2,
     lambda x: compat.pil_resize(x, (11, 13), "lanczos", reducing_gap=2.0)),
    ("pil_resize-LAB", (40, 30, 3), np.uint8, 2,
     lambda x: compat.pil_resize(x, (17, 23), "bicubic", mode="LAB")),
    ("pil_resize-F-box", (40, 30), np.float32, 1,
     lambda x: compat.pil_resize(x, (17, 23), "hamming", box=(1.5, 2, 28, 39))),
    ("pil_resize-simd", (40, 30, 3), np.uint8, 2,
     lambda x: compat.pil_resize(x, (17, 23), "bicubic", pillow_simd=True)),
    ("torchvision_resize-uint8", (2, 3, 40, 30), np.uint8, 1,
     lambda x: compat.torchvision_resize(x, 17)),
    ("torchvision_resize-float", (3, 40, 30), np.float32, 0,
     lambda x: compat.torchvision_resize(x, [90, 11], "bicubic")),
    ("cv2_resize-linear", (40, 30, 3), np.uint8, 2,
     lambda x: compat.cv2_resize(x, (17, 23))),
    ("cv2_resize-cubic", (40, 30, 3), np.float32, 2,
     lambda x: compat.cv2_resize(x, None, None, 1.7, 0.6, interpolation="cubic")),
    ("cv2_resize-area", (40, 30, 4), np.uint8, 2,
     lambda x: compat.cv2_resize(x, (7, 9), interpolation="area")),
    ("cv2_resize-lanczos4", (40, 30), np.uint8, 1,
     lambda x: compat.cv2_resize(x, (77, 9), interpolation="lanczos4")),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name, shape, dtype, channel_axis, call", CALLS, ids=[c[0] for c in CALLS])
def test_every_layout_gives_the_c_order_bits_twice(name, shape, dtype, channel_axis, call, layout):
    a = sample(shape, dtype)
    want = call(a.copy())
    view = laid_out(a, layout, channel_axis)
    assert np.array_equal(view, a)
    assert not view.flags.c_contiguous or not view.flags.aligned or view.itemsize == 1
    before = view.copy()
    first = call(view)
    assert same_bits(first, want), f"{name} on a {layout} input"
    assert same_bits(call(view), first), f"{name}: a second identical call differs"
    assert same_bits(view, before), f"{name} wrote into its input"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_dask_blocks_of_any_layout(layout):
    da = pytest.importorskip("dask.array")
    import resample.dask as rd
    a = sample((20, 37, 3), np.float32)
    view = laid_out(a, layout, 2)
    want = resample.resize(a, (9, 50), mode="cubic")
    for _ in range(2):
        got = rd.resize(da.from_array(view, chunks=(7, 10, 3)), (9, 50), mode="cubic").compute()
        assert same_bits(got, want), layout
    x = laid_out(sample((1, 2, 20, 37), np.float32), layout, 1)
    got = rd.interpolate(da.from_array(x, chunks=(1, 1, 8, 16)), size=(9, 50), mode="bilinear")
    assert same_bits(got.compute(), resample.interpolate(np.ascontiguousarray(x), size=(9, 50),
                                                         mode="bilinear"))


def torch_views(t):
    """A tensor's values in other layouts torch can express (torch has no negative strides)."""
    yield "channels_last", t.contiguous(memory_format=__import__("torch").channels_last)
    yield "transposed", t.permute(3, 2, 1, 0).contiguous().permute(3, 2, 1, 0)
    yield "gapped", t.repeat_interleave(2, dim=3)[..., ::2]
    yield "batch-swapped", t.transpose(0, 1).contiguous().transpose(0, 1)


def test_torch_bridge_any_layout():
    torch = pytest.importorskip("torch")
    import resample.torch as rt
    t = torch.from_numpy(sample((2, 3, 23, 17), np.float32))
    for mode, aa in (("bilinear", True), ("bicubic", False), ("nearest-exact", False)):
        want = resample.interpolate(t.numpy(), size=(9, 30), mode=mode, antialias=aa)
        for name, view in torch_views(t):
            for _ in range(2):
                got = rt.interpolate(view, size=(9, 30), mode=mode, antialias=aa)
                assert same_bits(got.contiguous().numpy(), want), f"{mode} {name}"


@pytest.mark.parametrize("layout", ["fortran", "transposed", "channels-moved"])
def test_c_api_dense_layouts(layout):
    """plan_new takes any dense layout; each gives resize's bits, and so does a second apply."""
    from test_capi import Plan, load_api
    api = load_api()
    a = sample((2, 3, 23, 17), np.float32)
    want = resample.resize(a, (9, 30), axes=(2, 3), mode="linear", antialias=True)
    view = laid_out(a, layout, 1)
    plan = Plan(api, view, (2, 3, 9, 30), "linear", True)
    for _ in range(2):
        out = plan.empty()
        assert plan.apply(view, out, threads=2) == 0
        assert same_bits(out, want), layout
