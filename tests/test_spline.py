"""resize(mode="spline"): B-splines of order 0..5 on any axes, against the real SciPy
(scipy.ndimage.zoom with grid_mode=True, slab by slab along the unresized axes, and
map_coordinates for scale_factor's sampling), within 1e-12 * max|x| in float64."""
import numpy as np
import pytest

import resample
from resample import _modes

ndi = pytest.importorskip("scipy.ndimage", reason="scipy (the oracle of the spline mode) is not installed")

TOLERANCE = 1e-12
# SciPy 1.17's reflect and nearest prefilters start from a slightly wrong value on short
# lines (resample uses the corrected one, as SciPy 1.18): compare those on long axes
LONG = 48


def _scipy_slabs(x, axes, zooms, **kw):
    """SciPy's zoom of the `axes` of x, one slab of the other axes at a time."""
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = np.moveaxis(x, list(axes) + rest, range(x.ndim))
    slabs = [ndi.zoom(moved[(slice(None),) * len(axes) + i], zooms, grid_mode=True, **kw)
             for i in np.ndindex(*moved.shape[len(axes):])]
    stacked = np.stack(slabs, -1).reshape(slabs[0].shape + moved.shape[len(axes):])
    return np.moveaxis(stacked, range(x.ndim), list(axes) + rest)


@pytest.mark.filterwarnings("ignore:It is recommended to use mode")
@pytest.mark.parametrize("order", range(6))
@pytest.mark.parametrize("boundary", [b.name for b in _modes.SCIPY_BOUNDARIES])
def test_matches_scipy_zoom_on_the_resized_axes(order, boundary):
    rng = np.random.default_rng(order)
    short = boundary not in ("reflect", "grid-mirror", "nearest")
    for shape, axes, size in [((9 if short else LONG, 7 if short else LONG + 3, 3), (0, 1), (13, 5)),
                              ((4, 11 if short else LONG, 2), (1,), (17,)),
                              ((5 if short else LONG, 6 if short else LONG, 7 if short else LONG), (0, 1, 2), (8, 4, 9))]:
        x = rng.standard_normal(shape)
        got = resample.resize(x, size, axes=axes, mode="spline", order=order, boundary=boundary, cval=0.5)
        zooms = [m / x.shape[a] for a, m in zip(axes, size)]
        ref = _scipy_slabs(x, axes, zooms, order=order, mode=boundary, cval=0.5)
        assert got.shape == ref.shape
        assert np.abs(got - ref).max() <= TOLERANCE * np.abs(x).max()


def test_scale_factor_samples_at_its_reciprocal():
    """With scale_factor s, output i samples (i + 0.5) / s - 0.5 (torch's rule), not the
    size ratio: SciPy's map_coordinates at those coordinates."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((10, 13))
    got = resample.resize(x, scale_factor=(1.37, 0.61), axes=(0, 1), mode="spline", order=3,
                          boundary="mirror")
    rows = (np.arange(got.shape[0]) + 0.5) * (1 / 1.37) - 0.5
    cols = (np.arange(got.shape[1]) + 0.5) * (1 / 0.61) - 0.5
    grid = np.meshgrid(rows, cols, indexing="ij")
    ref = ndi.map_coordinates(x, grid, order=3, mode="mirror")
    assert np.abs(got - ref).max() <= TOLERANCE * np.abs(x).max()


@pytest.mark.parametrize("order", [2, 3, 4, 5])
@pytest.mark.parametrize("n", [2, 3, 4, 6, 9])
def test_reflect_prefilter_interpolates_short_lines(order, n):
    """A B-spline through the samples passes through them: resizing to the same length
    returns x. SciPy 1.17's reflect initialisation misses on short lines (its causal sum
    reads the running sum where it means the first sample); resample's does not."""
    x = np.random.default_rng(n).standard_normal(n)
    for boundary in ("reflect", "nearest"):
        got = resample.resize(x, (n,), axes=0, mode="spline", order=order, boundary=boundary)
        assert np.abs(got - x).max() <= 1e-13
    coefficients = ndi.spline_filter1d(x, order, mode="reflect")
    scipy_117 = ndi.map_coordinates(coefficients, [np.arange(n, dtype=float)], order=order,
                                    mode="reflect", prefilter=False)
    if n <= 4:
        assert np.abs(scipy_117 - x).max() > 1e-9        # the bug is real there


def test_default_boundary_dtypes_and_unresized_axes():
    rng = np.random.default_rng(2)
    x = rng.random((20, 24, 3)).astype(np.float32)
    default = resample.resize(x, (31, 17), mode="spline")
    np.testing.assert_array_equal(default, resample.resize(x, (31, 17), mode="spline", order=3,
                                                           boundary="reflect"))
    for c in range(3):      # the channel axis is carried through, not filtered
        np.testing.assert_array_equal(default[..., c], resample.resize(x[..., c], (31, 17), mode="spline"))
    ref = _scipy_slabs(x.astype(np.float64), (0, 1), (31 / 20, 17 / 24), order=3, mode="reflect")
    assert np.mean(default == ref.astype(np.float32)) >= 0.999
    for dtype in (np.uint8, np.uint16, np.int16):
        info = np.iinfo(dtype)
        xi = rng.integers(info.min, info.max, (LONG, LONG + 2), endpoint=True).astype(dtype)
        got = resample.resize(xi, (30, 70), mode="spline", order=3)
        ref = ndi.zoom(xi, (30 / LONG, 70 / (LONG + 2)), order=3, mode="reflect", grid_mode=True)
        assert got.dtype == dtype
        diff = np.abs(got.astype(np.int64) - ref.astype(np.int64))
        assert diff.max() <= 1 and np.mean(diff == 0) >= 0.999


def test_threads_do_not_change_bits():
    x = np.random.default_rng(3).random((40, 50, 30))
    one = resample.resize(x, (33, 61, 29), axes=(0, 1, 2), mode="spline", order=5, num_threads=1)
    two = resample.resize(x, (33, 61, 29), axes=(0, 1, 2), mode="spline", order=5, num_threads=2)
    np.testing.assert_array_equal(one, two)


def test_bad_arguments_are_named():
    x = np.zeros((8, 8), np.float32)
    with pytest.raises(ValueError, match="order= is for mode='spline'"):
        resample.resize(x, (4, 4), order=3)
    with pytest.raises(ValueError, match="boundary must be None .torch's edges. or one of"):
        resample.resize(x, (4, 4), mode="cubic", boundary="edge")
    with pytest.raises(ValueError, match="order must be an int 0..5"):
        resample.resize(x, (4, 4), mode="spline", order=7)
    with pytest.raises(ValueError, match="boundary must be one of reflect"):
        resample.resize(x, (4, 4), mode="spline", boundary="edge")
    with pytest.raises(TypeError, match="cval must be a finite real"):
        resample.resize(x, (4, 4), mode="spline", boundary="constant", cval=float("nan"))
    with pytest.raises(TypeError, match="float16.*astype"):
        resample.resize(x.astype(np.float16), (4, 4), mode="spline")
    with pytest.raises(NotImplementedError, match="resize_backward"):
        resample.resize_backward(np.zeros((4, 4), np.float32), (8, 8), (4, 4), mode="spline")


def test_label_mode_is_batchgenerators_rule():
    """resize(mode="label"): batchgenerators' resize_segmentation on the resized axes, bit
    for bit, slab by slab along the others; labels are never invented."""
    utils = pytest.importorskip("batchgenerators.augmentations.utils",
                                reason="batchgenerators (the oracle of the label mode) is not installed")
    rng = np.random.default_rng(6)
    seg = rng.integers(0, 5, (10, 12, 7)).astype(np.int16)
    for order in (0, 1, 2, 3):
        got = resample.resize(seg, (20, 6, 11), axes=(0, 1, 2), mode="label", order=order)
        np.testing.assert_array_equal(got, utils.resize_segmentation(seg, (20, 6, 11), order))
    got = resample.resize(seg, (15, 24), axes=(0, 1), mode="label")          # order 1, slab by slab
    for k in range(seg.shape[2]):
        np.testing.assert_array_equal(got[..., k], utils.resize_segmentation(np.ascontiguousarray(seg[..., k]),
                                                                            (15, 24), 1))
    assert set(np.unique(got)) <= set(np.unique(seg))
    with pytest.raises(ValueError, match="edge boundary"):
        resample.resize(seg, (5, 6), axes=(0, 1), mode="label", boundary="mirror")
    with pytest.raises(ValueError, match="at most 1024 labels.*is it a label map"):
        resample.resize(np.random.default_rng(0).random((40, 40)), (20, 20), mode="label")
    with pytest.raises(NotImplementedError, match="resize_backward"):
        resample.resize_backward(np.zeros((4, 4), np.float32), (8, 8), (4, 4), mode="label")


@pytest.mark.parametrize("mode", ["constant", "grid-constant", "reflect", "wrap", "nearest"])
@pytest.mark.parametrize("out_dtype", ["uint8", "int16", "int32", "float32", "bool"])
def test_the_fused_last_pass_stores_what_pass_then_store_gives(mode, out_dtype):
    """zoom_into's last pass stores straight into the output type (spline_axis_store):
    the same bits as spline_pass then spline_store, on any thread count (the cval marks of
    every axis included)."""
    from resample import _modes, _spline
    rng = np.random.default_rng(2)
    for shape, zoom in [((5, 7, 3), 0.6), ((9, 4), 1.7), ((3, 1, 6, 2), 1.7)]:
        x = (rng.standard_normal(shape) * 100).astype(np.float32)
        out_shape = tuple(max(1, round(s * zoom)) for s in shape)
        steps = [s / o for s, o in zip(shape, out_shape)]
        rule = _modes.SCIPY_BOUNDARY[mode]
        for order in (2, 3, 5):
            passes = _spline.spline_passes(x.shape, x.dtype, out_shape, range(len(shape)), steps, order,
                                           rule, 7.5, True, True)
            r = x
            for axis in passes.sequence:
                r = _spline.spline_pass(r, passes, axis, 1)
            want = np.empty(out_shape, out_dtype)
            _spline.spline_store(r, want, passes, 1)
            for threads in (1, 2):
                got = np.empty(out_shape, out_dtype)
                _spline.zoom_into(x, got, range(len(shape)), steps, order, rule, 7.5, True, True, threads)
                assert np.array_equal(got.view(np.uint8), want.view(np.uint8)), (shape, order, threads)


@pytest.mark.parametrize("mode", ["constant", "grid-constant", "mirror", "wrap", "nearest"])
@pytest.mark.parametrize("out_dtype", ["uint8", "float32", "float64", "bool"])
def test_the_plane_fused_passes_give_the_passes_bits(mode, out_dtype):
    """Where zoom_into runs the last axis, the one before it and the store plane by plane
    (spline_plane_store), the result is that of spline_pass axis by axis then spline_store,
    bit for bit, on any thread count: planes of more than one group of lines and of more
    than one block of columns, unzoomed leading axes, every order that prefilters."""
    from resample import _modes, _spline
    rng = np.random.default_rng(5)
    rule = _modes.SCIPY_BOUNDARY[mode]
    cases = [((4, 40, 37), (6, 52, 48), (0, 1, 2)),
             ((3, 5, 2100), (4, 7, 2300), (0, 1, 2)),
             ((2, 9, 11, 13), (2, 13, 15, 20), (1, 2, 3)),
             ((5, 6, 7, 3), (8, 9, 10, 5), (0, 1, 2, 3))]
    for shape, out_shape, axes in cases:
        x = (rng.standard_normal(shape) * 100).astype(np.float32)
        steps = [shape[a] / out_shape[a] for a in axes]
        for order in (2, 3, 4, 5):
            passes = _spline.spline_passes(x.shape, x.dtype, out_shape, axes, steps, order, rule, 7.5,
                                           True, True)
            assert passes.plane and passes.sequence[-2:] == (len(shape) - 1, len(shape) - 2)
            r = x
            for axis in passes.sequence:
                r = _spline.spline_pass(r, passes, axis, 1)
            want = np.empty(out_shape, out_dtype)
            _spline.spline_store(r, want, passes, 1)
            for threads in (1, 2):
                got = np.empty(out_shape, out_dtype)
                _spline.zoom_into(x, got, axes, steps, order, rule, 7.5, True, True, threads)
                assert np.array_equal(got.view(np.uint8), want.view(np.uint8)), (shape, order, threads)


def test_the_planes_run_fused_only_where_they_write_less():
    """The plane-fused order is taken for three axes or more ending with the array's last
    two, where its cost (samples read and written, float64 intermediates once more) is no
    more than the most-shrunk-first order's."""
    from resample import _spline
    assert _spline._sequence((8, 8, 8), (16, 16, 16), (0, 1, 2)) == ((0, 2, 1), True)
    # growing axis 0 first would write a float64 array 4x the input: the plain order
    assert _spline._sequence((8, 32, 32), (32, 16, 16), (0, 1, 2)) == ((2, 1, 0), False)
    # an nnU-Net-like case: the growing axis first would cost more passes' work than the
    # float64 intermediate saves
    assert _spline._sequence((2, 48, 160, 160), (2, 58, 128, 128), (1, 2, 3)) == ((3, 2, 1), False)
    assert _spline._sequence((96, 256, 256), (77, 205, 205), (0, 1, 2)) == ((0, 2, 1), True)
    assert _spline._sequence((8, 8, 8, 2), (16, 16, 16, 2), (0, 1, 2)) == ((2, 1, 0), False)
    assert _spline._sequence((8, 8), (16, 16), (0, 1)) == ((1, 0), False)
