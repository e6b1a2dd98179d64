"""The blocked kernels' seams: images wider than one transposed chunk, taller than one
range of rows per thread, row counts that are not a multiple of a transposed group, every
channel count, several threads, both kernel builds. Small arrays never reach these seams,
so they get their own cases; each is checked against torch (generic kernels) where torch
is installed, and without torch against properties that must hold bit for bit."""

import numpy as np
import pytest

import resample
from resample import _engine

from oracle import reference, split_mode, torch, torch_interpolate, ulp_distance

# (mode, input H x W, output size): wide enough for several chunks of any dtype (a chunk
# is at most 512 output pixels), tall enough for several row ranges per thread
CASES = [
    ("bilinear", (37, 1201), (75, 2403)),
    ("bicubic", (67, 1100), (29, 537)),
    ("bilinear-aa", (70, 1300), (23, 433)),
    ("bicubic-aa", (45, 700), (90, 1400)),
    ("lanczos-aa", (50, 1500), (17, 700)),
    ("bicubic", (19, 600), (19, 1250)),          # one axis unchanged (bicubic still computes it)
    ("bilinear", (40, 900), (81, 900)),          # W same size: torch's identity rule
    ("bilinear-aa", (40, 900), (40, 299)),       # H unchanged: antialias skips it
    ("area", (64, 1000), (32, 500)),             # uniform windows
    ("area", (50, 1201), (17, 433)),             # ragged windows
    ("area", (20, 301), (45, 700)),              # enlarging: overlapping windows
]
LAYOUTS = [("nchw", 3), ("nhwc", 1), ("nhwc", 2), ("nhwc", 3), ("nhwc", 4), ("nhwc", 5)]
DTYPES = [np.float32, np.float64, np.uint8]


def make(rng, dtype, layout, channels, hw, batch=1):
    h, w = hw
    if dtype == np.uint8:
        memory = rng.integers(0, 256, (batch, h, w, channels), dtype=np.uint8)
    else:
        memory = rng.standard_normal((batch, h, w, channels)).astype(dtype)
    x = memory.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x) if layout == "nchw" else x


def arguments(mode, size):
    name, antialias = split_mode(mode)
    return dict(size=size, mode=name, antialias=antialias,
                align_corners=None if name in ("lanczos", "area") else False)


def call(x, mode, size, **kw):
    return resample.interpolate(x, **arguments(mode, size), **kw)


def bits(a):
    return np.ascontiguousarray(a).view(np.uint8)


@pytest.mark.skipif(torch is None, reason="torch is the oracle here")
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout, channels", LAYOUTS, ids=lambda v: str(v))
@pytest.mark.parametrize("mode, hw, size", CASES, ids=lambda v: str(v).replace(" ", ""))
def test_large_images_match_torch(rng, mode, hw, size, layout, channels, dtype):
    x = make(rng, dtype, layout, channels, hw)
    got = call(x, mode, size, num_threads=3)
    kw = arguments(mode, size)
    if dtype == np.uint8 and kw["mode"] == "area":
        pytest.skip("torch has no uint8 area (test_uint8 checks resample's rule)")
    if dtype == np.uint8:       # torch's uint8 kernels have a single index rule
        assert np.array_equal(got, torch_interpolate(x, **kw))
    else:
        assert ulp_distance(got, reference(np.ascontiguousarray(x), **kw)) == 0


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout, channels", [("nchw", 3), ("nhwc", 3), ("nhwc", 4)], ids=str)
@pytest.mark.parametrize("mode, hw, size", CASES[:5] + CASES[-3:], ids=lambda v: str(v).replace(" ", ""))
def test_threads_and_batches_give_the_same_bits(rng, mode, hw, size, layout, channels, dtype):
    # 2 images of 3 channels: 6 planes (or 2 interleaved ones) split across threads
    x = make(rng, dtype, layout, channels, hw, batch=2)
    one = call(x, mode, size, num_threads=1)
    for threads in (2, 3, 5):
        assert np.array_equal(bits(call(x, mode, size, num_threads=threads)), bits(one))
    # each image alone gives its slice of the batch
    assert np.array_equal(bits(call(x[1:], mode, size, num_threads=2)), bits(one[1:]))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout, channels", [("nchw", 2), ("nhwc", 3)], ids=str)
@pytest.mark.parametrize("mode, hw, size", CASES[:5], ids=lambda v: str(v).replace(" ", ""))
def test_fused_passes_equal_one_axis_at_a_time(rng, mode, hw, size, layout, channels, dtype):
    """The 2-D call fuses its W and H passes; the same result comes from a W-only call
    followed by an H-only call (an unchanged axis is skipped by antialias and uint8, and
    is x*1 + x*0 = x on finite floats otherwise)."""
    x = make(rng, dtype, layout, channels, hw)
    both = call(x, mode, size, num_threads=2)
    along_w = call(x, mode, (hw[0], size[1]), num_threads=2)
    along_h = call(along_w, mode, size, num_threads=2)
    assert np.array_equal(bits(both), bits(along_h))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode, hw, size", CASES[:5] + CASES[-3:], ids=lambda v: str(v).replace(" ", ""))
def test_large_backward_is_the_adjoint(rng, mode, hw, size, dtype):
    """The backward runs H then W fused in strips; <A x, g> == <x, A^T g>."""
    x = rng.standard_normal((1, 2, *hw)).astype(dtype)
    kw = arguments(mode, size)
    y = resample.interpolate(x, **kw)
    g = rng.standard_normal(y.shape).astype(dtype)
    grad = resample.interpolate_backward(g, x.shape, num_threads=3, **kw)
    lhs = np.vdot(y.astype(np.float64), g.astype(np.float64))
    rhs = np.vdot(x.astype(np.float64), grad.astype(np.float64))
    assert abs(lhs - rhs) <= (1e-4 if dtype == np.float32 else 1e-11) * np.abs(y).sum() * np.abs(g).max()
    assert np.array_equal(bits(grad), bits(resample.interpolate_backward(g, x.shape, num_threads=1, **kw)))


def test_kernel_builds_agree_on_large_images(rng, monkeypatch, kernel_builds):
    modules = kernel_builds
    if len(modules) < 2:
        pytest.skip("only one kernel build runs on this machine")
    for dtype in DTYPES:
        for layout, channels in LAYOUTS:
            x = make(rng, dtype, layout, channels, (37, 1201))
            results = []
            for module in modules:
                monkeypatch.setattr(_engine, "_kernels", module)
                results.append(bits(call(x, "bicubic", (75, 2403), num_threads=2)))
                results.append(bits(call(x, "bilinear-aa", (11, 300), num_threads=2)))
            assert np.array_equal(results[0], results[2]) and np.array_equal(results[1], results[3])


# (input D x H x W, output size) for trilinear: enlarging, shrinking, mixed, an unchanged axis
VOLUMES = [((20, 12, 300), (41, 25, 601)), ((33, 40, 130), (16, 13, 64)),
           ((9, 30, 200), (30, 9, 77)), ((12, 20, 90), (12, 31, 45))]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("channels_last", [False, True], ids=["ncdhw", "ndhwc"])
@pytest.mark.parametrize("dhw, size", VOLUMES, ids=str)
def test_volumes_stream_through_planes(rng, dhw, size, channels_last, dtype):
    """3-D calls resample W and H plane by plane and D through a window of planes; the
    same bits come from one axis at a time (and from torch), for any thread count."""
    memory = (rng.integers(0, 256, (2, *dhw, 3), dtype=np.uint8) if dtype == np.uint8
              else rng.standard_normal((2, *dhw, 3)).astype(dtype))
    x = memory.transpose(0, 4, 1, 2, 3)
    if not channels_last:
        x = np.ascontiguousarray(x)
    kw = dict(mode="trilinear", align_corners=False)
    got = resample.interpolate(x, size=size, num_threads=3, **kw)
    assert np.array_equal(bits(got), bits(resample.interpolate(x, size=size, num_threads=1, **kw)))
    step = x
    for axis in (4, 3, 2):        # W, H, D: torch's order, each call an exact single pass
        shape = list(step.shape[2:])
        shape[axis - 2] = size[axis - 2]
        step = resample.interpolate(step, size=tuple(shape), num_threads=2, **kw)
    assert np.array_equal(bits(got), bits(step))
    if torch is not None and dtype != np.uint8:
        assert ulp_distance(got, reference(np.ascontiguousarray(x), size=size, **kw)) == 0


@pytest.mark.parametrize("dhw, size", VOLUMES, ids=str)
def test_volume_backward_is_the_adjoint(rng, dhw, size):
    x = rng.standard_normal((1, 2, *dhw))
    kw = dict(size=size, mode="trilinear", align_corners=True)
    y = resample.interpolate(x, **kw)
    g = rng.standard_normal(y.shape)
    grad = resample.interpolate_backward(g, x.shape, num_threads=3, **kw)
    assert abs(np.vdot(y, g) - np.vdot(x, grad)) <= 1e-11 * np.abs(y).sum() * np.abs(g).max()
    assert np.array_equal(grad, resample.interpolate_backward(g, x.shape, num_threads=1, **kw))
