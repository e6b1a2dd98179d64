"""boundary= for the separable filters (linear, cubic, lanczos, antialiased or not).

The rule (docs/guide/science.md): the input is extended past each edge by SciPy's rule and
every tap of the whole filter window reads that extension. Oracles: NumPy's own np.pad
(the extension) followed by torch's-rule resizing of the padded array, cropped, which
computes the same taps and weights where the scale makes the shifted sample positions
exact (power-of-two scales): bit for bit in every float dtype, and within one level for
uint8 (whose fixed-point precision is chosen from the table's largest weight, which the
padded array's edge rows change); and SciPy's ndimage.zoom(order=1, grid_mode=True) for
linear, within 4e-16 of max|x| (SciPy multiplies the axes' weights together first)."""
import numpy as np
import pytest

import resample

# SciPy's name -> np.pad's mode for the same extension
NP_PAD = {"reflect": "symmetric", "grid-mirror": "symmetric", "mirror": "reflect",
          "nearest": "edge", "grid-wrap": "wrap", "grid-constant": "constant"}
FILTERS = [("linear", False), ("linear", True), ("cubic", False), ("cubic", True),
           ("lanczos", True)]
PAD = 24        # past the widest window of the scales below (lanczos at 1/4: 12 samples)


def _oracle(x, axes, scale, mode, antialias, boundary, cval):
    """resize with torch's edges on x padded by np.pad, cropped to the unpadded outputs."""
    widths = [(PAD, PAD) if a in axes else (0, 0) for a in range(x.ndim)]
    extra = {"constant_values": cval} if NP_PAD[boundary] == "constant" else {}
    padded = np.pad(x, widths, mode=NP_PAD[boundary], **extra)
    whole = resample.resize(padded, scale_factor=[scale] * len(axes), axes=axes, mode=mode,
                            antialias=antialias)
    shift = int(PAD * scale)
    return whole[tuple(slice(shift, shift + int(x.shape[a] * scale)) if a in axes else slice(None)
                       for a in range(x.ndim))]


def _input(rng, shape, dtype):
    if np.dtype(dtype).kind == "u":
        return rng.integers(0, 256, shape).astype(dtype)
    return (rng.standard_normal(shape) * 40 + 100).astype(dtype)


@pytest.mark.parametrize("boundary", list(NP_PAD))
@pytest.mark.parametrize("mode, antialias", FILTERS)
@pytest.mark.parametrize("scale", [0.25, 0.5, 2.0, 4.0])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_floats_equal_the_padded_input(boundary, mode, antialias, scale, dtype):
    rng = np.random.default_rng(7)
    x = _input(rng, (12, 9, 2), dtype)
    cval = 17.0 if "constant" in boundary else 0.0
    got = resample.resize(x, scale_factor=(scale, scale), mode=mode, antialias=antialias,
                          boundary=boundary, cval=cval)
    want = _oracle(x, (0, 1), scale, mode, antialias, boundary, cval)
    assert got.dtype == x.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


@pytest.mark.parametrize("boundary", list(NP_PAD))
@pytest.mark.parametrize("mode, antialias", FILTERS)
def test_volumes_on_any_axes(boundary, mode, antialias):
    """Three axes, one of them first and the carried axis in the middle."""
    rng = np.random.default_rng(8)
    x = _input(rng, (8, 3, 10, 6), np.float32)
    cval = -5.0 if "constant" in boundary else 0.0
    axes = (0, 2, 3)
    got = resample.resize(x, scale_factor=(0.5, 0.5, 0.5), axes=axes, mode=mode,
                          antialias=antialias, boundary=boundary, cval=cval)
    want = _oracle(x, axes, 0.5, mode, antialias, boundary, cval)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("boundary", list(NP_PAD))
@pytest.mark.parametrize("mode, antialias", FILTERS)
@pytest.mark.parametrize("scale", [0.25, 0.5, 2.0])
def test_uint8_within_one_level(boundary, mode, antialias, scale):
    """One axis at a time: one fixed-point pass, whose precision alone may differ from the
    padded array's (two passes could compound it)."""
    rng = np.random.default_rng(9)
    x = _input(rng, (48, 41, 3), np.uint8)
    cval = 200 if "constant" in boundary else 0
    for axis in (0, 1):
        got = resample.resize(x, scale_factor=scale, axes=axis, mode=mode, antialias=antialias,
                              boundary=boundary, cval=cval)
        want = _oracle(x, (axis,), scale, mode, antialias, boundary, cval)
        diff = np.abs(got.astype(int) - want.astype(int))
        assert diff.max() <= 1 and (diff > 0).mean() < 0.05


@pytest.mark.parametrize("boundary", list(NP_PAD))
@pytest.mark.parametrize("shape, size", [((9, 13), (20, 7)), ((5, 6), (17, 3)), ((1, 4), (3, 9)),
                                         ((2, 3), (7, 8))])
def test_linear_is_scipy_zoom_order_1(boundary, shape, size):
    ndimage = pytest.importorskip("scipy.ndimage")
    x = np.random.default_rng(10).random(shape)
    cval = 0.3 if boundary == "grid-constant" else 0.0
    got = resample.resize(x, size, mode="linear", antialias=False, boundary=boundary, cval=cval)
    want = ndimage.zoom(x, [n / m for n, m in zip(size, shape)], order=1, mode=boundary,
                        cval=cval, grid_mode=True)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=4e-16 * np.abs(x).max())


def test_nearest_rule_is_torch_cubic():
    """torch's cubic replicates the border samples: the nearest rule, bit for bit."""
    x = np.random.default_rng(11).random((9, 13, 3)).astype(np.float32)
    for size in [(20, 7), (4, 30)]:
        np.testing.assert_array_equal(
            resample.resize(x, size, mode="cubic", antialias=False, boundary="nearest"),
            resample.resize(x, size, mode="cubic", antialias=False))


def test_rules_differ_where_they_should():
    """A step at the left edge: each rule reads a different sample there (the test can
    fail: a rule that did nothing would give torch's result)."""
    x = np.array([[0.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 1.0]])
    firsts = {b: resample.resize(x, (1, 16), axes=(0, 1), mode="linear", antialias=False,
                                 boundary=b, cval=4.0 if b == "grid-constant" else 0)[0, 0]
              for b in ["reflect", "mirror", "nearest", "grid-wrap", "grid-constant"]}
    # output 0 samples -0.25: 0.25 of the sample at -1, 0.75 of x[0] = 0
    assert firsts == {"reflect": 0.0, "mirror": 2.0, "nearest": 0.0, "grid-wrap": 0.25,
                      "grid-constant": 1.0}


@pytest.mark.parametrize("boundary", list(NP_PAD))
@pytest.mark.parametrize("mode, antialias", FILTERS)
def test_backward_is_the_adjoint(boundary, mode, antialias):
    rng = np.random.default_rng(12)
    x = rng.random((9, 14))
    kw = dict(axes=(0, 1), mode=mode, antialias=antialias, boundary=boundary)
    y = resample.resize(x, (5, 23), **kw)          # cval 0: the forward is linear in x
    g = rng.random(y.shape)
    gx = resample.resize_backward(g, x.shape, (5, 23), **kw)
    assert gx.shape == x.shape
    assert abs(np.vdot(y, g) - np.vdot(x, gx)) < 1e-12 * abs(np.vdot(y, g))


@pytest.mark.parametrize("boundary", ["reflect", "mirror", "grid-wrap", "grid-constant"])
@pytest.mark.parametrize("dtype", [np.float32, np.uint16, np.uint8])
def test_dask_blocks_are_the_whole_call(boundary, dtype):
    da = pytest.importorskip("dask.array")
    import resample.dask
    x = _input(np.random.default_rng(13), (23, 31, 17), dtype)
    for mode, antialias in FILTERS:
        kw = dict(axes=(0, 1, 2), mode=mode, antialias=antialias, boundary=boundary,
                  cval=5 if boundary == "grid-constant" else 0)
        whole = resample.resize(x, (11, 40, 9), **kw)
        blocks = resample.dask.resize(da.from_array(x, chunks=(7, 9, 5)), (11, 40, 9),
                                      chunks=(4, 13, 3), **kw).compute()
        np.testing.assert_array_equal(blocks, whole)


def test_threads_and_nan_ignore_keep_the_rule():
    rng = np.random.default_rng(14)
    x = rng.random((40, 30)).astype(np.float32)
    kw = dict(axes=(0, 1), mode="lanczos", boundary="grid-constant", cval=0.5)
    one = resample.resize(x, (13, 71), num_threads=1, **kw)
    np.testing.assert_array_equal(one, resample.resize(x, (13, 71), num_threads=2, **kw))
    # no NaN: nan="ignore" is the same weighted sum (the constant a valid sample), to rounding
    np.testing.assert_allclose(resample.resize(x, (13, 71), nan="ignore", **kw), one, atol=2e-6)


def test_bad_boundaries_are_refused_with_the_fix():
    x = np.zeros((6, 6), np.uint8)
    with pytest.raises(ValueError, match="pass boundary='grid-constant'"):
        resample.resize(x, (3, 3), boundary="constant")
    with pytest.raises(ValueError, match="pass boundary='grid-wrap'"):
        resample.resize(x, (3, 3), mode="cubic", boundary="wrap")
    with pytest.raises(ValueError, match="boundary must be None .torch's edges. or one of"):
        resample.resize(x, (3, 3), boundary="edge")
    with pytest.raises(ValueError, match="cval= is the value past the edges"):
        resample.resize(x, (3, 3), boundary="reflect", cval=2)
    for cval in (300, -1, 1.5):
        with pytest.raises(ValueError, match="is not a uint8 value"):
            resample.resize(x, (3, 3), boundary="grid-constant", cval=cval)
    with pytest.raises(TypeError, match="cval must be a finite real"):
        resample.resize(x, (3, 3), boundary="grid-constant", cval=float("inf"))
    # nearest and area read nothing past the edges: any rule is the same call
    y = np.arange(36, dtype=np.float32).reshape(6, 6)
    for mode in ("nearest", "area"):
        np.testing.assert_array_equal(resample.resize(y, (4, 3), mode=mode, boundary="grid-wrap"),
                                      resample.resize(y, (4, 3), mode=mode))
