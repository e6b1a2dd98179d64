"""compat.ndimage_zoom against the real scipy.ndimage.zoom (SciPy 1.17): every order, mode,
grid_mode, rank 1-4 and dtype. The rule (docs/exactness.md): orders 0 and 1 bit for bit;
orders 2-5 within 1e-12 * max|x| in float64 and bit for bit after float32 rounding on at
least 99.9% of the elements (integer outputs: the same share exact, the rest within 1)."""
import itertools
import warnings

import numpy as np
import pytest

from resample.compat import NDIMAGE_MODES, ndimage_zoom

ndi = pytest.importorskip("scipy.ndimage", reason="scipy (the oracle of ndimage_zoom) is not installed")
scipy = pytest.importorskip("scipy")
pytestmark = pytest.mark.skipif(not scipy.__version__.startswith("1.17."),
                                reason=f"ndimage_zoom reproduces SciPy 1.17, this is {scipy.__version__}")

ORDERS = range(6)
TOLERANCE = 1e-12          # of max|x|, orders 2..5 in float64
SHARE = 0.999              # of elements bit for bit after float32 (or integer) rounding


def _case(seed, rank):
    rng = np.random.default_rng(seed)
    shape = tuple(int(v) for v in rng.integers(1 if rank > 1 else 2, 10 if rank < 4 else 6, rank))
    zoom = tuple(float(v) for v in rng.uniform(0.3, 2.6, rank))
    return rng, shape, zoom


def _both(x, zoom, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")            # grid_mode with constant/wrap warns
        return ndi.zoom(x, zoom, **kw), ndimage_zoom(x, zoom, **kw)


def _check(ref, got, order, scale):
    assert ref.shape == got.shape and ref.dtype == got.dtype
    if order < 2 or ref.size == 0 or ref.dtype == np.bool_:
        np.testing.assert_array_equal(got.view(np.uint8), ref.view(np.uint8))      # bits, -0.0 and NaN too
        return
    if ref.dtype == np.float64:
        assert np.abs(got - ref).max() <= TOLERANCE * scale
    elif ref.dtype == np.float32:
        assert np.mean(got == ref) >= SHARE or ref.size < 1000 and np.sum(got != ref) <= 1
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-6 * scale)
    else:
        diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
        assert diff.max() <= 1 and (np.mean(diff == 0) >= SHARE or np.sum(diff != 0) <= 1)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", NDIMAGE_MODES)
@pytest.mark.parametrize("grid_mode", [False, True])
@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_float64_every_order_mode_rank(order, mode, grid_mode, rank):
    for seed in range(3):
        rng, shape, zoom = _case(seed * 31 + rank, rank)
        x = rng.standard_normal(shape)
        ref, got = _both(x, zoom, order=order, mode=mode, grid_mode=grid_mode, cval=0.7)
        _check(ref, got, order, max(np.abs(x).max(), 0.7))


DTYPES = [np.float32, np.uint8, np.uint16, np.int8, np.int16, np.int32, np.uint32, np.int64,
          np.uint64, np.bool_]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("order", ORDERS)
def test_dtypes(dtype, order):
    for seed, (mode, grid_mode) in enumerate(itertools.product(("reflect", "constant", "nearest",
                                                                "grid-constant"), (False, True))):
        rng, shape, zoom = _case(100 + seed, 2 + seed % 2)
        if dtype == np.bool_:
            x = rng.random(shape) < 0.5
        elif np.dtype(dtype).kind == "f":
            x = (rng.standard_normal(shape) * 100).astype(dtype)
        else:
            info = np.iinfo(dtype)
            x = rng.integers(max(info.min, -300), min(info.max, 300), shape, endpoint=True).astype(dtype)
        ref, got = _both(x, zoom, order=order, mode=mode, grid_mode=grid_mode, cval=3.0)
        _check(ref, got, order, max(np.abs(x.astype(np.float64)).max(), 3.0))


def test_float32_volume_share_and_bound():
    """The benchmark's shape, smaller: float32 outputs equal SciPy's on >= 99.9% of the
    elements, float64 ones within 1e-12 * max|x|, for every order above 1."""
    rng = np.random.default_rng(7)
    x = rng.random((24, 40, 36), dtype=np.float32)
    for order in (2, 3, 4, 5):
        ref, got = _both(x, (0.8, 1.3, 0.7), order=order)
        assert np.mean(got == ref) >= SHARE
        ref64, got64 = _both(x.astype(np.float64), (0.8, 1.3, 0.7), order=order, mode="mirror")
        assert np.abs(got64 - ref64).max() <= TOLERANCE


@pytest.mark.parametrize("order", [2, 3, 5])
def test_prefilter_false_and_output_arguments(order):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((9, 7))
    for mode in ("constant", "grid-constant", "nearest", "wrap"):
        ref, got = _both(x, 1.7, order=order, mode=mode, prefilter=False, cval=-2.0)
        _check(ref, got, order, 2.0 + np.abs(x).max())
    ref, got = _both(x, 1.7, order=order, output=np.float32)
    assert got.dtype == np.float32 and np.mean(ref == got) >= SHARE
    out = np.empty(ref.shape, np.float64)
    assert ndimage_zoom(x, 1.7, output=out, order=order) is out
    np.testing.assert_allclose(out, ndi.zoom(x, 1.7, order=order), rtol=0, atol=TOLERANCE * 5)
    strided = np.zeros((ref.shape[0], ref.shape[1] * 2))[:, ::2]
    ndimage_zoom(x, 1.7, output=strided, order=order)
    np.testing.assert_array_equal(strided, out)


def test_complex_cval_specials_and_identity():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((6, 5)) + 1j * rng.standard_normal((6, 5))
    ref, got = _both(z, 1.5, order=1, cval=1 + 2j)
    assert got.dtype == ref.dtype
    np.testing.assert_array_equal(got, ref)
    x = rng.standard_normal((8, 8))
    x[2, 3], x[5, 5], x[0, 0] = np.nan, np.inf, -0.0
    for order in (0, 1):
        ref, got = _both(x, 1.6, order=order, mode="nearest")
        np.testing.assert_array_equal(got.view(np.uint64), ref.view(np.uint64))
    ref, got = _both(x, 1.0, order=3)       # SciPy's early exit: the input itself
    np.testing.assert_array_equal(got, ref)
    ref, got = _both(np.arange(5.0), 0.01)     # an empty output
    assert got.shape == ref.shape == (0,)


def test_threads_do_not_change_bits():
    x = np.random.default_rng(5).random((30, 40, 50))
    for order in (1, 3):
        one = ndimage_zoom(x, (1.3, 0.7, 1.1), order=order, num_threads=1)
        two = ndimage_zoom(x, (1.3, 0.7, 1.1), order=order, num_threads=2)
        np.testing.assert_array_equal(one, two)


def test_errors_as_scipy_raises_them():
    x = np.zeros((4, 4))
    for kwargs, kind, match in [
            (dict(order=6), RuntimeError, "order must be an int 0..5"),
            (dict(mode="foo"), RuntimeError, "mode must be one of reflect"),
            (dict(output=np.zeros((3, 3))), RuntimeError, "output shape not correct"),
    ]:
        with pytest.raises(kind, match=match):
            ndimage_zoom(x, 2, **kwargs)
        with pytest.raises(RuntimeError):
            ndi.zoom(x, 2, **kwargs)
    with pytest.raises(RuntimeError, match="length equal to input rank"):
        ndimage_zoom(x, (2, 2, 2))
    with pytest.raises(RuntimeError, match="rank must be > 0"):
        ndimage_zoom(np.float64(1), 2)
    with pytest.raises(RuntimeError, match="data type not supported.*float16"):
        ndimage_zoom(x.astype(np.float16), 2)
    with pytest.raises(ValueError, match="zoom must be positive"):
        ndimage_zoom(x, -1)
    with pytest.warns(UserWarning, match="grid-constant"):
        ndimage_zoom(x, 2, grid_mode=True)


@pytest.mark.parametrize("order", [2, 3, 4, 5])
@pytest.mark.parametrize("mode", NDIMAGE_MODES)
def test_exact_is_bit_for_bit_at_every_order(order, mode):
    """exact=True: SciPy's own summation order, so orders 2..5 are bit for bit too."""
    for seed, rank in ((1, 1), (2, 2), (3, 3)):
        rng, shape, zoom = _case(seed * 17 + order, rank)
        x = rng.standard_normal(shape).astype(np.float32)
        for grid_mode in (False, True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = ndi.zoom(x, zoom, order=order, mode=mode, grid_mode=grid_mode, cval=0.7)
                got = ndimage_zoom(x, zoom, order=order, mode=mode, grid_mode=grid_mode, cval=0.7, exact=True)
            np.testing.assert_array_equal(got.view(np.uint32), ref.view(np.uint32))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_order_0_of_floats_is_scipys_sum_bit_for_bit(dtype):
    """Order 0 keeping a float type is a gather of 0.0 + x (SciPy's sum of one term):
    -0.0 comes back as 0.0, NaN and infinities as they are, cval where SciPy's constant
    rules put it; every mode and grid_mode, ranks 1 to 3, rows kept whole (the last axis
    unzoomed, as nnU-Net's separate z pass zooms) and not, against the real SciPy."""
    rng = np.random.default_rng(16)
    for mode in ["constant", "grid-constant", "reflect", "mirror", "nearest", "wrap", "grid-wrap"]:
        for shape, z, grid_mode in [((7,), 1.7, False), ((5, 9), 0.6, True), ((3, 4, 6), 2.0, False),
                                    ((4, 5, 6), (2.0, 1.0, 1.0), True), ((6, 3, 8), (0.5, 1.0, 1.0), False)]:
            x = rng.standard_normal(shape).astype(dtype)
            flat = x.reshape(-1)
            flat[::5], flat[1::7], flat[2::11], flat[3::13] = -0.0, np.nan, np.inf, -np.inf
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = ndi.zoom(x, z, order=0, mode=mode, cval=-0.0, grid_mode=grid_mode)
                got = ndimage_zoom(x, z, order=0, mode=mode, cval=-0.0, grid_mode=grid_mode)
            assert got.dtype == want.dtype
            bits = np.uint32 if dtype == "float32" else np.uint64
            np.testing.assert_array_equal(got.view(bits), want.view(bits), err_msg=f"{mode} {shape} {z}")


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int32", "int64", "uint64", "bool"])
def test_order_0_of_integers_is_a_gather_with_scipys_cval(dtype):
    """Order 0 keeping an integer type copies samples (nearest_gather); cval (rounded and
    clipped as SciPy stores it) where SciPy's constant rules put it: every mode and
    grid_mode, ranks 1 to 3, against the real SciPy."""
    rng = np.random.default_rng(6)
    for mode in ["constant", "grid-constant", "reflect", "mirror", "nearest", "wrap", "grid-wrap"]:
        for shape, z, grid_mode in [((7,), 1.7, False), ((5, 9), 0.6, True), ((3, 4, 6), 2.0, False)]:
            x = rng.integers(0, 100, shape).astype(dtype)
            cval = 0 if dtype == "bool" else -3.5
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = ndi.zoom(x, z, order=0, mode=mode, cval=cval, grid_mode=grid_mode)
                got = ndimage_zoom(x, z, order=0, mode=mode, cval=cval, grid_mode=grid_mode)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want, err_msg=f"{mode} {shape}")
