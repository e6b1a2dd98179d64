"""float16 and bfloat16 steps widen their input rows as they read them and narrow their
output rows as they write them (_half_rows.pxi): bit for bit the same as widening the whole
input to float32, running the float32 steps and narrowing the whole result, on every path
(fused planes and volumes either way, single passes, steps on non-adjacent axes, area,
nearest), kernel build and thread count. So do the other narrow inputs computed in float32:
resize's uint16 and int16, and uint8 resampled to float32 (compat.tf_resize)."""
import numpy as np
import pytest

import resample
from resample import _engine, _modes

ml_dtypes = pytest.importorskip("ml_dtypes")

HALVES = [np.dtype(np.float16), np.dtype(ml_dtypes.bfloat16)]

# (shape, interpolate's keywords); every call also runs its backward
INTERPOLATE = [
    ((2, 3, 37, 203), dict(scale_factor=0.5, mode="bilinear")),
    ((2, 3, 37, 131), dict(scale_factor=2.0, mode="bicubic")),
    ((1, 2, 29, 41), dict(size=(80, 19), mode="bilinear", align_corners=True)),
    ((1, 3, 41, 67), dict(size=(9, 13), mode="lanczos", antialias=True)),
    ((1, 3, 41, 67), dict(scale_factor=0.5, mode="bicubic", antialias=True)),
    ((1, 3, 41, 67), dict(size=(9, 13), mode="area")),
    ((1, 3, 41, 67), dict(size=(50, 130), mode="nearest")),
    ((1, 3, 41, 67), dict(size=(20, 33), mode="nearest-exact")),
    ((1, 2, 9, 17, 23), dict(size=(4, 30, 11), mode="trilinear")),
    ((1, 2, 9, 17, 23), dict(size=(5, 7, 9), mode="area")),
    ((3, 4, 301), dict(scale_factor=2.0, mode="linear")),
    # rows or planes long enough that a Widened window slides by moving rows
    ((1, 1, 24, 20000), dict(size=(50, 9000), mode="bicubic")),
    ((1, 1, 20, 64, 64), dict(size=(41, 30, 70), mode="trilinear")),
    ((3, 4, 301), dict(size=100, mode="area")),
]

# resize on chosen axes: single passes (rows combined whole, or along the last axis),
# steps on non-adjacent axes (float32 between them), an antialias call that resizes nothing
RESIZE = [
    ((6, 40, 24), dict(size=(77,), axes=(1,), mode="bicubic")),
    ((2, 40, 40000), dict(size=(97,), axes=(1,), mode="bicubic")),
    ((6, 40, 24), dict(size=(13,), axes=(2,), mode="bilinear")),
    ((30, 8, 24), dict(size=(11, 50), axes=(0, 2), mode="bilinear")),
    ((30, 8, 24), dict(size=(11, 50), axes=(0, 2), mode="area")),
    ((30, 8, 24), dict(size=(11, 5), axes=(0, 2), mode="lanczos", antialias=True)),
    ((30, 8, 24), dict(size=(30, 24), axes=(0, 2), mode="bilinear", antialias=True)),
]


def unfused(monkeypatch):
    """Make the engine build narrow-input programs the old way: a widening step into a
    float32 copy of the input (uint8 to float32: the to_float step), float32 steps, a
    narrowing step from a float32 result."""
    compute_input, store = _engine._compute_input, _engine._store

    def widen_first(steps, samples, dtype):
        dtype = np.dtype(dtype)
        if dtype not in _engine._WIDENED:
            return compute_input(steps, samples, dtype)
        wide = steps.temporary(samples, np.float32)
        kind = "widen_half" if dtype in _modes.HALF_DTYPES else "widen_integers"
        steps.add(_engine._kernels.elementwise_step(kind, dtype.name, samples), steps.INPUT, wide)
        return wide, np.dtype(np.float32)

    def narrow_last(steps, buf, samples, out_dtype):
        out_dtype = np.dtype(out_dtype)
        if out_dtype not in _modes.HALF_DTYPES:
            return store(steps, buf, samples, out_dtype)
        steps.add(_engine._kernels.elementwise_step("narrow_half", out_dtype.name, samples), buf,
                  steps.OUTPUT)

    monkeypatch.setattr(_engine, "_compute_input", widen_first)
    monkeypatch.setattr(_engine, "_half_io", lambda *step: ("", ""))
    monkeypatch.setattr(_engine, "_READ_AS_FLOAT32", ())
    monkeypatch.setattr(_engine, "_store", narrow_last)


def sample_data(shape, dtype, channels_last, seed):
    """Normal samples x 100 with NaN, +-Inf and float16's overflow among them, in C order
    or with axis 1 last in memory."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32) * 100
    flat = x.reshape(-1)
    picks = rng.choice(flat.size, size=min(6, flat.size), replace=False)
    flat[picks] = [np.nan, np.inf, -np.inf, 7e4, -7e4, 65519.0][:len(picks)]
    with np.errstate(over="ignore"):        # float16's overflow to Inf is meant
        x = x.astype(dtype)
    if channels_last and x.ndim > 2:
        x = np.moveaxis(np.ascontiguousarray(np.moveaxis(x, 1, -1)), -1, 1)
    return x


def results(run, module, monkeypatch, fused):
    """run() on one kernel build at 1, 2 and 3 threads, fused or the old way."""
    with monkeypatch.context() as m:
        m.setattr(_engine, "_kernels", module)
        m.setattr(_engine, "_PROGRAMS", {})
        m.setattr(_engine, "_KNOWN_CALLS", {})
        if not fused:
            unfused(m)
        return [run(threads) for threads in (1, 2, 3)]


def same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(np.ascontiguousarray(a).view(np.uint16), np.ascontiguousarray(b).view(np.uint16))


def check(run, kernel_builds, monkeypatch):
    """Bit for bit, NaN bits included, on each build (the builds' NaN signs may differ
    where a NaN meets another operand: docs §3.9 compares no NaN bits)."""
    for module in kernel_builds:
        reference = results(run, module, monkeypatch, fused=False)[0]
        for got in results(run, module, monkeypatch, fused=True):
            same_bits(got, reference)


@pytest.mark.parametrize("dtype", HALVES, ids=str)
@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize("shape, kw", INTERPOLATE, ids=lambda v: str(v).replace(" ", ""))
def test_interpolate_fused_like_unfused(kernel_builds, monkeypatch, dtype, channels_last, shape, kw):
    x = sample_data(shape, dtype, channels_last, seed=len(shape))
    check(lambda t: resample.interpolate(x, num_threads=t, **kw), kernel_builds, monkeypatch)
    grad = sample_data(resample.interpolate(x, **kw).shape, dtype, channels_last, seed=3)
    check(lambda t: resample.interpolate_backward(grad, x.shape, num_threads=t, **kw),
          kernel_builds, monkeypatch)


@pytest.mark.parametrize("dtype", HALVES, ids=str)
@pytest.mark.parametrize("shape, kw", RESIZE, ids=lambda v: str(v).replace(" ", ""))
def test_resize_fused_like_unfused(kernel_builds, monkeypatch, dtype, shape, kw):
    x = sample_data(shape, dtype, False, seed=5)
    check(lambda t: resample.resize(x, num_threads=t, **kw), kernel_builds, monkeypatch)


def integer_data(shape, dtype, seed):
    """Samples spanning the whole range of a 16-bit or 8-bit integer type."""
    info = np.iinfo(dtype)
    return np.random.default_rng(seed).integers(info.min, info.max, shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("dtype", [np.uint16, np.int16], ids=str)
@pytest.mark.parametrize("shape, kw", RESIZE, ids=lambda v: str(v).replace(" ", ""))
def test_16_bit_integers_read_widened(kernel_builds, monkeypatch, dtype, shape, kw):
    x = integer_data(shape, dtype, seed=6)
    check(lambda t: resample.resize(x, num_threads=t, **kw), kernel_builds, monkeypatch)


@pytest.mark.parametrize("method, antialias", [("bilinear", False), ("bicubic", False),
                                               ("bilinear", True), ("lanczos3", False)])
@pytest.mark.parametrize("size", [(21, 40), (96, 150)])
def test_uint8_read_as_float32(kernel_builds, monkeypatch, method, antialias, size):
    """tf_resize's float32 result of a uint8 image: the first pass widens the rows it reads."""
    from resample.compat import tf_resize
    x = integer_data((2, 48, 75, 3), np.uint8, seed=7)
    check(lambda t: tf_resize(x, size, method, antialias=antialias, num_threads=t),
          kernel_builds, monkeypatch)


def test_no_float32_copy_of_a_bfloat16_image():
    """A bfloat16 image's program has no temporaries and no conversion steps."""
    x = np.zeros((1, 3, 64, 96), ml_dtypes.bfloat16)
    for kw in (dict(scale_factor=2.0, mode="bilinear"), dict(scale_factor=0.5, mode="area"),
               dict(scale_factor=0.5, mode="bicubic", antialias=True)):
        call = _engine.Call.of(kw["mode"], [int(n * kw["scale_factor"]) for n in x.shape[2:]],
                               (0.0, 0.0), False, kw.get("antialias", False))
        out_shape = _engine.resized_shape(x.shape, call)
        steps = _engine._Steps(x.shape, out_shape, x.dtype)
        if call.filter == "area":
            _engine._area_steps(steps, x.shape, out_shape, x.dtype, (0, 1, 2, 3), call)
        else:
            _engine._separable_steps(steps, x.shape, x.dtype, (0, 1, 2, 3),
                                     _engine._separable_passes(x.shape, out_shape, call, x.dtype))
        assert steps.temporaries == [] and len(steps.steps) == 1, kw


def test_no_float32_copy_of_a_narrow_input():
    """uint16 and int16 resizes and uint8 resampled to float32 read their input widened: no
    float32 copy of it (a uint16 result: one temporary, the float32 result before rounding)."""
    call = _engine.Call.of("bilinear", (128, 192), (0.0, 0.0), False, False)
    shape = (1, 3, 64, 96)
    out_shape = _engine.resized_shape(shape, call)
    passes = _engine._separable_passes(shape, out_shape, call, np.float32)
    for dtype, out_dtype, temporaries in ((np.uint16, None, 1), (np.int16, None, 1),
                                          (np.uint8, np.float32, 0)):
        steps = _engine._Steps(shape, out_shape, dtype, out_dtype)
        _engine._separable_steps(steps, shape, np.dtype(dtype), (0, 1, 2, 3), passes, out_dtype)
        assert len(steps.temporaries) == temporaries, dtype
        assert steps.temporaries in ([], [4 * int(np.prod(out_shape))]), dtype   # float32 result
