"""compat.skimage_resize against the real skimage.transform.resize (scikit-image 0.26):
every order, mode, dtype (bool, integers, float16/32/64), anti-aliasing on and off (its
Gaussian: SciPy's gaussian_filter), preserve_range, clip, output_shape forms. The rule
(docs/exactness.md): orders 0 and 1 bit for bit, Gaussian included; orders 2..5 within
1e-12 of max|x| in float64, bit for bit after float32 rounding on >= 99.9% of the elements."""
import itertools
import warnings

import numpy as np
import pytest

from resample.compat import SKIMAGE_MODES, skimage_resize

skimage = pytest.importorskip("skimage", reason="scikit-image (the oracle of skimage_resize) is not installed")
from skimage.transform import resize  # noqa: E402

pytestmark = pytest.mark.skipif(not skimage.__version__.startswith("0.26"),
                                reason=f"skimage_resize reproduces scikit-image 0.26, this is {skimage.__version__}")


def _both(x, shape, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return resize(x, shape, **kw), skimage_resize(x, shape, **kw)


def _check(ref, got, order):
    assert ref.shape == got.shape and ref.dtype == got.dtype
    if order < 2 or ref.size == 0:
        np.testing.assert_array_equal(got, ref)
    elif ref.dtype == np.float64:
        assert np.abs(got - ref).max() <= 1e-12 * max(np.abs(ref).max(), 1.0)
    else:
        assert np.mean(got == ref) >= 0.999 or np.sum(got != ref) <= 1
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-6)


def _image(rng, shape, dtype):
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        return (rng.standard_normal(shape) * 3).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -1000), min(info.max, 1000), shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("order", range(6))
@pytest.mark.parametrize("mode", SKIMAGE_MODES)
@pytest.mark.parametrize("anti_aliasing", [None, False, True])
def test_orders_modes_and_anti_aliasing(order, mode, anti_aliasing):
    rng = np.random.default_rng(order * 7 + len(mode))
    for shape, out in [((23, 17), (9, 30)), ((12, 16, 3), (5, 7)), ((9, 8, 7), (4, 12, 3))]:
        x = _image(rng, shape, np.float64)
        ref, got = _both(x, out, order=order, mode=mode, cval=0.25, anti_aliasing=anti_aliasing)
        _check(ref, got, order)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int8, np.int16, np.int32, np.uint32, np.int64,
                                   np.float16, np.float32, np.bool_], ids=lambda d: np.dtype(d).name)
def test_dtypes_and_conversions(dtype):
    rng = np.random.default_rng(3)
    for order, preserve_range, clip in itertools.product((0, 1, 3), (False, True), (True, False)):
        if dtype == np.bool_ and order:
            continue
        x = _image(rng, (21, 14), dtype)
        ref, got = _both(x, (10, 27), order=order, preserve_range=preserve_range, clip=clip)
        _check(ref, got, order)


def test_sigma_shapes_and_nan():
    rng = np.random.default_rng(4)
    x = rng.random((30, 24, 2))
    for kw in (dict(anti_aliasing_sigma=1.3), dict(anti_aliasing_sigma=(0.5, 2.0, 0.0)),
               dict(anti_aliasing=True, order=1, mode="constant", cval=5.0)):
        ref, got = _both(x, (11, 9), **kw)
        _check(ref, got, 1)
    ref, got = _both(x[..., 0], (11, 9, 2))       # more output axes than the image has
    _check(ref, got, 1)
    x[3, 4, 0] = np.nan
    ref, got = _both(x, (40, 50), order=1)
    np.testing.assert_array_equal(got, ref)


def test_big_shrink_float32_share():
    x = np.random.default_rng(5).random((64, 48, 40), dtype=np.float32)
    ref, got = _both(x, (32, 24, 20), order=3, anti_aliasing=True)
    assert np.mean(got == ref) >= 0.999


def test_errors_as_scikit_image_raises_them():
    x = np.zeros((8, 8, 3))
    for args, kw in [(((4,),), {}), (((4, 4),), dict(mode="foo")), (((4, 4),), dict(order=6)),
                     (((4, 4),), dict(anti_aliasing_sigma=-1.0))]:
        with pytest.raises(ValueError):
            resize(x, *args, **kw)
        with pytest.raises(ValueError):
            skimage_resize(x, *args, **kw)
    b = np.zeros((8, 8), bool)
    with pytest.raises(ValueError, match="order to 0"):
        skimage_resize(b, (4, 4), order=1)
    with pytest.raises(ValueError, match="anti_aliasing must be False"):
        skimage_resize(b, (4, 4), anti_aliasing=True)
    with pytest.raises(NotImplementedError, match="anti_aliasing=False"):
        skimage_resize(np.zeros((8, 8), np.uint8), (4, 4), order=0, anti_aliasing=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_resize_slices_is_skimage_resize_slice_by_slice(dtype):
    """compat.skimage.resize_slices (nnU-Net's separate-z in-plane pass in one call) gives
    every slice what skimage_resize gives it alone, each clipped to its own range (a slice
    with a NaN to its nanmin and nanmax), on any slicing axis."""
    from resample.compat.skimage import resize_slices
    rng = np.random.default_rng(4)
    for axis in range(3):
        x = (rng.standard_normal((7, 9, 11)) * 50).astype(dtype)
        x[(slice(None),) * axis + (2,)][0, 0] = np.nan
        plane = [a for a in range(3) if a != axis]
        shape = list(x.shape)
        for a in plane:
            shape[a] = int(rng.integers(3, 20))
        for order in (2, 3, 5):
            got = resize_slices(x, shape, plane, order, 2)
            want = np.stack([skimage_resize(np.take(x, k, axis=axis), [shape[a] for a in plane], order,
                                            mode="edge", anti_aliasing=False)
                             for k in range(x.shape[axis])], axis=axis)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_gaussians_last_axis_fused_into_the_zoom_gives_the_same_bits(dtype):
    """skimage_resize runs the Gaussian's last axis inside the zoom's first pass where they
    are the same axis (spline_axis's smooth=), else before it: the same bits as the whole
    Gaussian then ndimage_zoom, for every mode, ranks 1-4, the last filtered axis innermost
    or not, orders 2-5."""
    from resample.compat import ndimage_zoom
    from resample.compat.skimage import _NDIMAGE_MODE, _clip, gaussian_filter
    rng = np.random.default_rng(8)
    # fused where the zoom's first pass runs along the last filtered axis (2-D shrinks
    # whose last axis shrinks most, volumes in the most-shrunk-first order), else the whole
    # Gaussian first (volumes whose last two axes run plane by plane, spline_plane_store)
    cases = [((40,), (13,)), ((31, 29), (9, 14)), ((31, 29), (14, 9)), ((16, 16, 16), (8, 8, 8)),
             ((17, 18, 19), (6, 7, 19)), ((17, 18, 19), (7, 6, 19)), ((12, 10, 9), (5, 10, 4)),
             ((9, 8, 7, 6), (4, 3, 3, 6)), ((9, 8, 7, 6), (4, 4, 2, 6)), ((30, 20, 3), (10, 7, 3))]
    for (shape, out_shape), mode, order in itertools.product(cases, SKIMAGE_MODES, (2, 3, 5)):
        x = (rng.standard_normal(shape) * 10).astype(dtype)
        got = skimage_resize(x, out_shape, order=order, mode=mode, cval=1.5, anti_aliasing=True)
        factors = np.divide(shape, out_shape)
        sigma = np.maximum(0, (factors - 1) / 2)
        ndi_mode = _NDIMAGE_MODE[mode]
        filtered = gaussian_filter(x, sigma, ndi_mode, 1.5, 1)
        want = ndimage_zoom(filtered, [1 / f for f in factors], order=order, mode=ndi_mode, cval=1.5,
                            grid_mode=True)
        _clip(x, want, mode, 1.5, 1)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want, err_msg=f"{shape} -> {out_shape} {mode} {order}")


@pytest.mark.parametrize("sigma", [0.2, 0.5, 0.55, 0.9])
def test_every_gaussian_radius_is_scikit_images(sigma):
    """The Gaussian's radius-1 and radius-2 sums (one expression each) and the general
    ones, along the innermost axis and the others, bit for bit at order 1."""
    rng = np.random.default_rng(11)
    for shape, out in [((40, 33), (21, 17)), ((14, 12, 11), (8, 7, 6))]:
        x = _image(rng, shape, np.float32)
        ref, got = _both(x, out, order=1, anti_aliasing=True, anti_aliasing_sigma=sigma)
        _check(ref, got, 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_gaussian_in_place_gives_its_bits(dtype):
    """correlate_symmetric with dst the src itself (gaussian_filter's axes after the first
    run in place) stores the bits of the out-of-place call: lines along memory and across
    it, radii 1 to 4, the block edges of a wide inner axis, one and two threads."""
    from resample import _plans
    from resample._runtime import kernels
    rng = np.random.default_rng(12)
    for (outer, n, inner), radius in [((3, 50, 1), 1), ((2, 37, 700), 2), ((5, 9, 33), 4), ((1, 300, 2), 3)]:
        x = rng.standard_normal(outer * n * inner).astype(dtype)
        weights = np.linspace(0.1, 1.0, 2 * radius + 1)
        weights = (weights + weights[::-1]) / 2
        index = _plans.filter_extension(n, radius, 0)
        for threads in (1, 2):
            want = np.empty_like(x)
            kernels.correlate_symmetric(x, want, outer, n, inner, weights, index, 0.0, threads)
            got = x.copy()
            kernels.correlate_symmetric(got, got, outer, n, inner, weights, index, 0.0, threads)
            np.testing.assert_array_equal(got, want)
