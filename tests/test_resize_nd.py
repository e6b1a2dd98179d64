"""resize on any axes of any rank (issue #11): the arithmetic rule, checked bit for bit.

(a) two axes equal interpolate on the equivalent (N, C, H, W) view (one axis: the 3-D
    linear call, or the 4-D antialias call with an unchanged H; three axes without
    antialias: the 5-D call), for every mode and dtype;
(b) any number of axes equals resizing one axis at a time, the last axis first;
(c) thread counts and kernel builds give identical bits;
plus 1-D antialias weights against a float64 convolution, 16-bit rounding and clamping,
the adjoint identity of resize_backward, errors, and the 3-D antialias quality claim.
"""
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import resample
from resample import _engine

FILTERS = ["nearest", "nearest-exact", "linear", "cubic", "lanczos", "area"]
TORCH_NAME = {"linear": "bilinear", "cubic": "bicubic"}


def _data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "ui":
        info = np.iinfo(dtype)
        return rng.integers(info.min, int(info.max) + 1, shape).astype(dtype)
    return (rng.standard_normal(shape) * 3).astype(dtype)


def bits(a):
    return np.ascontiguousarray(a).view(np.uint8)


def _interpolate_kwargs(mode, antialias):
    kw = dict(mode=TORCH_NAME.get(mode, mode))
    if mode in ("linear", "cubic", "lanczos"):
        kw["antialias"] = antialias or mode == "lanczos"
    return kw


# ----------------------------------------------------------------------------- (a)

@pytest.mark.parametrize("dtype", [np.uint8, np.float16, np.float32, np.float64])
@pytest.mark.parametrize("mode", FILTERS)
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(7, 30), (19, 5), (12, 12)])
def test_two_axes_equal_interpolate(dtype, mode, antialias, size):
    if mode == "lanczos" and not antialias:
        pytest.skip("lanczos is always antialiased")
    x = _data((2, 12, 17, 3), dtype)                    # (N, H, W, C)
    got = resample.resize(x, size, mode=mode, antialias=antialias)
    want = resample.interpolate(x.transpose(0, 3, 1, 2), size=size, **_interpolate_kwargs(mode, antialias))
    np.testing.assert_array_equal(bits(got), bits(want.transpose(0, 2, 3, 1)))
    # channels first, as (C, H, W) with explicit axes
    planar = np.ascontiguousarray(x[0].transpose(2, 0, 1))
    got = resample.resize(planar, size, axes=(1, 2), mode=mode, antialias=antialias)
    want = resample.interpolate(planar[None], size=size, **_interpolate_kwargs(mode, antialias))[0]
    np.testing.assert_array_equal(bits(got), bits(want))


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("mode, antialias", [("linear", False), ("linear", True), ("cubic", True),
                                             ("lanczos", True), ("nearest", True), ("area", True)])
@pytest.mark.parametrize("n_out", [1, 5, 40, 97])
def test_one_axis_equals_interpolate(dtype, mode, antialias, n_out):
    x = _data((3, 4, 29), dtype)
    got = resample.resize(x, n_out, axes=-1, mode=mode, antialias=antialias)
    if antialias and mode in ("linear", "cubic", "lanczos"):
        # torch's antialias kernels are 4-D only; an unchanged H is skipped
        want = resample.interpolate(x[:, :, None, :], size=(1, n_out),
                                    **_interpolate_kwargs(mode, True))[:, :, 0, :]
    else:
        want = resample.interpolate(x, size=n_out, **dict(_interpolate_kwargs(mode, False),
                                                           mode="linear" if mode == "linear" else mode))
    np.testing.assert_array_equal(bits(got), bits(want))


@pytest.mark.parametrize("dtype", [np.uint8, np.float16, np.float32, np.float64])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "linear", "area"])
def test_three_axes_equal_interpolate_5d(dtype, mode):
    x = _data((2, 9, 11, 13), dtype)                    # (C, D, H, W)
    kw = dict(mode="trilinear" if mode == "linear" else mode)
    for size in [(4, 20, 13), (18, 5, 7)]:
        got = resample.resize(x, size, axes=(1, 2, 3), mode=mode, antialias=False)
        want = resample.interpolate(x[None], size=size, **kw)[0]
        np.testing.assert_array_equal(bits(got), bits(want))
        # channels last: (D, H, W, C)
        cl = np.ascontiguousarray(x.transpose(1, 2, 3, 0))
        got = resample.resize(cl, size, axes=(0, 1, 2), mode=mode, antialias=False)
        np.testing.assert_array_equal(bits(got), bits(np.ascontiguousarray(want.transpose(1, 2, 3, 0))))


def test_torch_trilinear_5d_against_torch():
    torch = pytest.importorskip("torch")
    from oracle import torch_interpolate   # noqa: F401 (routes torch to its portable kernels)
    x = _data((10, 12, 14), np.float32)
    got = resample.resize(x, (20, 7, 28), axes=(0, 1, 2), mode="linear", antialias=False)
    want = torch.nn.functional.interpolate(torch.from_numpy(x)[None, None], size=(20, 7, 28),
                                           mode="trilinear")[0, 0].numpy()
    np.testing.assert_array_equal(bits(got), bits(want))


# ----------------------------------------------------------------------------- (b)

def _one_axis_at_a_time(x, sizes, axes, **kw):
    for axis, n in sorted(zip(axes, sizes), reverse=True):
        x = resample.resize(x, n, axes=axis, **kw)
    return x


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_axes_equal_one_axis_at_a_time(data):
    rank = data.draw(st.integers(1, 5))
    shape = [data.draw(st.integers(1, 9)) for _ in range(rank)]
    axes = data.draw(st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank, unique=True))
    sizes = [data.draw(st.integers(1, 14)) for _ in axes]
    mode = data.draw(st.sampled_from(["nearest", "nearest-exact", "linear", "cubic", "lanczos"]))
    antialias = mode == "lanczos" or data.draw(st.booleans())
    dtype = data.draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    align = data.draw(st.sampled_from([None, True])) if mode in ("linear", "cubic") else None
    x = _data(shape, dtype, seed=data.draw(st.integers(0, 9)))
    if data.draw(st.booleans()) and rank > 1:
        x = np.asfortranarray(x)                        # another layout: copied once
    kw = dict(mode=mode, antialias=antialias, align_corners=align)
    got = resample.resize(x, sizes, axes=axes, **kw, num_threads=data.draw(st.sampled_from([1, 3])))
    assert got.flags.c_contiguous
    np.testing.assert_array_equal(bits(got), bits(_one_axis_at_a_time(x, sizes, axes, **kw)))


def test_four_axes():
    x = _data((5, 6, 7, 8, 2), np.float32)
    sizes, axes = (3, 9, 4, 11), (0, 1, 2, 3)
    for mode in ("linear", "cubic", "lanczos"):
        got = resample.resize(x, sizes, axes=axes, mode=mode)
        np.testing.assert_array_equal(bits(got), bits(_one_axis_at_a_time(x, sizes, axes, mode=mode,
                                                                          antialias=True)))


def test_non_adjacent_axes_and_scale_factor():
    x = _data((6, 3, 10, 4), np.float64)                # resize axes 0 and 2 around axis 1
    got = resample.resize(x, scale_factor=(1.5, 0.4), axes=(0, 2), mode="cubic")
    assert got.shape == (9, 3, 4, 4)
    step = resample.resize(x, scale_factor=0.4, axes=2, mode="cubic")
    np.testing.assert_array_equal(got, resample.resize(step, scale_factor=1.5, axes=0, mode="cubic"))
    area = resample.resize(x, (3, 5), axes=(0, 2), mode="area")
    np.testing.assert_allclose(area, x.reshape(3, 2, 3, 5, 2, 4).mean(axis=(1, 4)), rtol=1e-12)


# ----------------------------------------------------------------------------- (c)

@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
@pytest.mark.parametrize("mode", ["linear", "cubic", "lanczos", "area", "nearest"])
def test_threads_and_builds_agree(monkeypatch, kernel_builds, dtype, mode):
    x = _data((40, 36, 50, 2), dtype)
    kw = dict(axes=(0, 1, 2), mode=mode)
    one = resample.resize(x, (17, 70, 23), **kw, num_threads=1)
    for threads in (2, 3, 7):
        np.testing.assert_array_equal(bits(resample.resize(x, (17, 70, 23), **kw, num_threads=threads)),
                                      bits(one))
    for module in kernel_builds:
        monkeypatch.setattr(_engine, "_kernels", module)
        np.testing.assert_array_equal(bits(resample.resize(x, (17, 70, 23), **kw)), bits(one))


# ----------------------------------------------------------------------------- weights

def _reference_matrix(n_in, n_out, kind):
    """torch's antialias weights in float64 from their definition: a filter stretched by the
    shrink factor, centred on each output pixel, normalised to sum 1."""
    scale = n_in / n_out
    support = {"linear": 1, "cubic": 2, "lanczos": 3}[kind] * max(scale, 1.0)
    stretch = max(scale, 1.0)

    def f(t):
        t = abs(t)
        if kind == "linear":
            return max(0.0, 1 - t)
        if kind == "cubic":
            a = -0.5
            if t < 1:
                return ((a + 2) * t - (a + 3)) * t * t + 1
            return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a if t < 2 else 0.0
        return (np.sinc(t) * np.sinc(t / 3)) if t < 3 else 0.0

    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        center = scale * (i + 0.5)
        lo, hi = max(int(center - support + 0.5), 0), min(int(center + support + 0.5), n_in)
        w = np.array([f((j - center + 0.5) / stretch) for j in range(lo, hi)])
        m[i, lo:hi] = w / w.sum()
    return m


@pytest.mark.parametrize("kind", ["linear", "cubic", "lanczos"])
@pytest.mark.parametrize("n_in, n_out", [(40, 9), (37, 37 * 2), (100, 3), (17, 16)])
def test_antialias_weights_against_float64_convolution(kind, n_in, n_out):
    got = resample.resize(np.eye(n_in), n_out, axes=0, mode=kind)     # column j: input j's weights
    np.testing.assert_allclose(got, _reference_matrix(n_in, n_out, kind), rtol=0, atol=1e-13)


# ----------------------------------------------------------------------------- 16-bit

@pytest.mark.parametrize("dtype", [np.uint16, np.int16])
@pytest.mark.parametrize("mode", ["linear", "cubic", "lanczos", "area"])
def test_16_bit_is_float32_rounded_half_even_and_clamped(dtype, mode):
    info = np.iinfo(dtype)
    x = _data((13, 17, 2), dtype)
    x[::3, ::2] = info.max                              # hard edges: cubic and lanczos overshoot
    x[1::3, 1::2] = info.min
    got = resample.resize(x, (29, 8), mode=mode)
    wide = resample.resize(x.astype(np.float32), (29, 8), mode=mode)
    np.testing.assert_array_equal(got, np.clip(np.rint(wide), info.min, info.max).astype(dtype))
    step = np.full((4, 8), info.min, dtype)
    step[:, 4:] = info.max
    wide = resample.resize(step.astype(np.float32), (4, 29), mode=mode)
    got = resample.resize(step, (4, 29), mode=mode)
    np.testing.assert_array_equal(got, np.clip(np.rint(wide), info.min, info.max).astype(dtype))
    if mode in ("cubic", "lanczos"):                    # the overshoot really was clamped
        assert wide.min() < info.min and wide.max() > info.max
    ties = np.array([[1, 2], [2, 3]], dtype)            # midpoints 1.5 and 2.5 both round to 2
    got = resample.resize(ties, (2, 3), mode="linear", antialias=False, align_corners=True)
    assert got.tolist() == [[1, 2, 2], [2, 2, 3]]


# ----------------------------------------------------------------------------- adjoint

@pytest.mark.parametrize("shape, sizes, axes", [
    ((31,), (12,), (0,)),
    ((9, 11, 13), (20, 4, 13), (0, 1, 2)),
    ((6, 7, 8, 9, 2), (3, 12, 5, 9), (0, 1, 2, 3)),
    ((5, 3, 9), (8, 4), (0, 2)),
])
@pytest.mark.parametrize("mode", FILTERS)
def test_backward_is_the_adjoint(shape, sizes, axes, mode):
    x = _data(shape, np.float64, 1)
    kw = dict(axes=axes, mode=mode)
    y = resample.resize(x, sizes, **kw)
    g = _data(y.shape, np.float64, 2)
    gx = resample.resize_backward(g, x.shape, sizes, **kw)
    assert gx.shape == x.shape
    lhs, rhs = float(np.vdot(y, g)), float(np.vdot(x, gx))
    assert math.isclose(lhs, rhs, rel_tol=1e-12, abs_tol=1e-12)
    np.testing.assert_array_equal(bits(resample.resize_backward(g, x.shape, sizes, **kw, num_threads=3)),
                                  bits(gx))


def test_backward_refuses_integers_and_wrong_shapes():
    with pytest.raises(TypeError, match="dtype"):
        resample.resize_backward(np.ones((4, 4), np.uint8), (8, 8), (4, 4))
    with pytest.raises(ValueError, match="grad has shape"):
        resample.resize_backward(np.ones((4, 5)), (8, 8), (4, 4))


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(size=(4, 4), axes=(0, 0)), ValueError, "axes .* names an axis twice"),
    (dict(size=(4, 4), axes=(0, 3)), ValueError, "axes .* out of range"),
    (dict(size=(4, 4, 4), axes=(0, 1)), ValueError, "size .* 3 entries for 2 resized axes"),
    (dict(size=4, axes=()), TypeError, "axes must be"),
    (dict(size=4, axes=(0.5,)), TypeError, "axes must be"),
    (dict(size=4, axes=(0,), scale_factor=2.0), ValueError, "exactly one of size and scale_factor"),
    (dict(axes=(0,)), ValueError, "exactly one of size and scale_factor"),
    (dict(scale_factor=0.01, axes=(0,)), ValueError, "scale_factor .* empty output"),
    (dict(scale_factor=float("nan"), axes=(0,)), ValueError, "scale_factor must be positive"),
    (dict(scale_factor=(2.0,), axes=(0, 1)), TypeError, "scale_factor must be"),
    (dict(size=4, axes=0, mode="tricubic"), ValueError, "mode must be one of"),
    (dict(size=4, axes=0, mode="nearest", align_corners=True), ValueError, "align_corners"),
    (dict(size=4, axes=0, mode="lanczos", antialias=False), ValueError, "lanczos is always antialiased"),
])
def test_errors_name_the_argument(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        resample.resize(np.zeros((6, 7, 8), np.float32), **kwargs)


@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.uint32, bool, np.complex64])
def test_unsupported_dtypes(dtype):
    with pytest.raises(TypeError, match="dtype"):
        resample.resize(np.zeros((6, 7), dtype), (3, 3))


def test_channels_first_image_refused_under_the_image_convention():
    chw = np.zeros((3, 256, 256), np.uint8)
    with pytest.raises(ValueError, match="channels-first.*axes="):
        resample.resize(chw, 224)
    assert resample.resize(chw, 224, axes=(1, 2)).shape == (3, 224, 224)


def test_views_give_standard_c_order_results():
    image = _data((20, 30, 3), np.uint8)
    for view in (image[..., ::-1], image[2:15, 5:25], np.asfortranarray(image)):
        got = resample.resize(view, (10, 12))
        assert got.flags.c_contiguous
        np.testing.assert_array_equal(got, resample.resize(np.ascontiguousarray(view), (10, 12)))


# ----------------------------------------------------------------------------- quality

def zone_plate_volume(n):
    """A 3-D zone plate cos(pi s^2 / n), s the distance from the centre in samples: its
    local frequency is s / n cycles per sample, so it sweeps from 0 at the centre to the
    Nyquist limit (0.5) at distance n / 2."""
    s = np.arange(n) - n / 2
    s2 = s[:, None, None] ** 2 + s[None, :, None] ** 2 + s[None, None, :] ** 2
    return np.cos(np.pi * s2 / n).astype(np.float32)


def aliased_energy(volume, factor, antialias):
    """Mean square of a shrunk zone plate where the source frequency was above the new
    Nyquist limit (0.5 / factor) and below the old one: in a perfect shrink those rings
    fade to a flat grey, so whatever remains there is aliasing."""
    n = volume.shape[0]
    small = resample.resize(volume, (n // factor,) * 3, axes=(0, 1, 2), mode="linear",
                            antialias=antialias)
    s = (np.arange(n // factor) + 0.5) * factor - n / 2       # output centres in input samples
    frequency = np.sqrt(s[:, None, None] ** 2 + s[None, :, None] ** 2 + s[None, None, :] ** 2) / n
    band = (frequency > 1.2 * 0.5 / factor) & (frequency < 0.45)
    return float(np.mean(small[band] ** 2))


def test_3d_antialias_removes_aliasing():
    volume = zone_plate_volume(128)
    without = aliased_energy(volume, 4, False)
    with_aa = aliased_energy(volume, 4, True)
    assert with_aa * 10 <= without, (with_aa, without)


# The image convention (axes=None) is total: what it cannot read as (H, W), (H, W, C) or
# (N, H, W, C) with at most 4 channels is refused with the axes= to pass, never guessed.
@pytest.mark.parametrize("shape, fix", [((8, 3, 224, 224), "axes=(2, 3)"), ((1, 3, 224, 224), "axes=(2, 3)"),
                                        ((1, 1, 224, 224), "axes=(2, 3)"), ((3, 256, 256), "axes=(1, 2)")])
def test_channels_first_batches_are_refused(shape, fix):
    with pytest.raises(ValueError, match=r"channels-first.*" + re.escape(fix)):
        resample.resize(np.zeros(shape, np.float32), (112, 112))
    axes = tuple(int(a) for a in fix[len("axes=("):-1].split(","))
    assert resample.resize(np.zeros(shape, np.float32), (112, 112), axes=axes).shape == shape[:-2] + (112, 112)


@pytest.mark.parametrize("shape", [(5, 64, 64), (40, 36, 50), (2, 30, 40, 8)])
def test_many_band_or_volume_arrays_need_their_axes(shape):
    with pytest.raises(ValueError, match=r"at most 4 channels.*axes="):
        resample.resize(np.zeros(shape, np.float32), (10, 10))


@pytest.mark.parametrize("shape", [(30, 40), (30, 40, 1), (30, 40, 3), (30, 40, 4), (2, 30, 40, 3)])
def test_images_channels_last_still_resize_without_axes(shape):
    out = resample.resize(np.zeros(shape, np.float32), (10, 20))
    want = {2: (10, 20), 3: (10, 20, shape[-1]), 4: (shape[0], 10, 20, shape[-1])}[len(shape)]
    assert out.shape == want
