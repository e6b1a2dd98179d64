"""resize(mode="majority"): label maps shrunk by vote. Each output takes the most frequent
label of its window (torch's adaptive area windows on every resized axis), the lowest
label among ties. Oracles: scipy.stats.mode over the blocks of integer factors (the real
library, which also returns the lowest of tied values), and a brute-force NumPy count
(np.unique over each window) for any sizes."""
import itertools

import numpy as np
import pytest

import resample
from resample import _plans


def _brute(x, axes, out_size):
    out_shape = list(x.shape)
    for a, n in zip(axes, out_size):
        out_shape[a] = n
    windows = [_plans.area_windows(x.shape[a], out_shape[a]) for a in range(x.ndim)]
    out = np.empty(out_shape, x.dtype)
    for o in itertools.product(*(range(n) for n in out_shape)):
        box = x[tuple(slice(windows[a][0][i], windows[a][1][i]) for a, i in enumerate(o))]
        values, counts = np.unique(box, return_counts=True)
        out[o] = values[np.argmax(counts)]          # the first (lowest) of the largest counts
    return out


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint32, np.int64, np.float32, bool])
@pytest.mark.parametrize("factors", [(2, 2), (3, 2), (4, 4), (1, 3)])
def test_blocks_are_scipy_stats_mode(dtype, factors):
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    h, w = 4 * factors[0], 5 * factors[1]
    x = rng.integers(-2, 4, (h, w, 3)).astype(dtype)
    got = resample.resize(x, (4, 5), axes=(0, 1), mode="majority")
    blocks = x.reshape(4, factors[0], 5, factors[1], 3).transpose(0, 2, 4, 1, 3).reshape(4, 5, 3, -1)
    numeric = blocks.astype(np.uint8) if dtype is bool else blocks        # (stats takes no bool)
    want = stats.mode(numeric, axis=-1, keepdims=False).mode.astype(dtype)
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape, axes, size", [
    ((13, 7, 11), (0, 1, 2), (5, 3, 4)), ((13, 7, 11), (0, 2), (13, 2)),
    ((9, 2, 10), (2, 0), (3, 4)), ((6, 6), (0, 1), (1, 1)), ((5, 17), (1,), (6,)),
    ((3, 4, 5, 6), (1, 2, 3), (3, 2, 5))])
@pytest.mark.parametrize("threads", [1, 2])
def test_any_sizes_and_axes_are_the_count(shape, axes, size, threads):
    x = np.random.default_rng(2).integers(0, 4, shape).astype(np.int16)
    got = resample.resize(x, size, axes=axes, mode="majority", num_threads=threads)
    np.testing.assert_array_equal(got, _brute(x, axes, size))


def test_many_labels_and_large_windows():
    """Ids of a segmentation (sparse, wide values) and a window above the insertion sort's."""
    rng = np.random.default_rng(3)
    ids = rng.choice(np.array([7, 10**9, 3 * 10**12, 2**40 + 1], np.int64), size=(40, 36))
    got = resample.resize(ids, (4, 3), axes=(0, 1), mode="majority")      # 10 x 12 windows
    np.testing.assert_array_equal(got, _brute(ids, (0, 1), (4, 3)))
    assert set(np.unique(got)) <= set(np.unique(ids))


def test_refusals():
    x = np.zeros((8, 8), np.uint8)
    with pytest.raises(ValueError, match="mode='majority' shrinks label maps"):
        resample.resize(x, (16, 4), mode="majority")
    with pytest.raises(ValueError, match="takes no order=, boundary= or cval="):
        resample.resize(x, (4, 4), mode="majority", boundary="nearest")
    with pytest.raises(TypeError, match="float16 is not supported"):
        resample.resize(x.astype(np.float16), (4, 4), mode="majority")
    with pytest.raises(ValueError, match="shrink in steps"):
        resample.resize(np.zeros((1 << 12, 1 << 11), np.uint8), (1, 1), mode="majority")
    with pytest.raises(NotImplementedError):
        resample.resize_backward(np.zeros((4, 4)), (8, 8), (4, 4), mode="majority")


def test_alpha_and_gamma_are_refused_naming_the_mode():
    x = np.zeros((8, 8, 4), np.uint8)
    for kw in (dict(alpha=True), dict(gamma="srgb")):
        with pytest.raises(ValueError, match="'majority'"):
            resample.resize(x, (4, 4), mode="majority", **kw)


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64",
                                   "uint64"])
def test_distinct_labels_and_indices_are_numpys(dtype):
    """The label kernels' distinct values (label_presence over the table of the values'
    range) are np.unique's, in its order (signed types' negative values first), and each
    value's index (label_lookup) is its position there: the extremes of the type (a range
    too wide for a table in the wide types: np.unique and a search), compact ranges at
    either end of the type, and a strided view."""
    from resample import _spline
    rng = np.random.default_rng(3)
    info = np.iinfo(dtype) if dtype != "bool" else None
    for case in range(6):
        if info is None:
            x = rng.integers(0, 2, (5, 7, 9)).astype(bool)
        elif case >= 4:            # 40 labels just above the type's minimum or below its maximum
            start = int(info.min) if case == 4 else int(info.max) - 39
            x = rng.integers(0, 40, (5, 7, 9)).astype(dtype) + np.array(start, dtype)
        else:
            picks = np.array([info.min, info.max, 0, 1, info.min + 1, info.max - 1], dtype)
            pool = np.concatenate([picks, rng.integers(info.min, info.max, 20, dtype=dtype, endpoint=True)])
            x = rng.choice(pool[: 3 + case * 6], (5, 7, 9))
        view = x[:, ::2] if case == 3 else x
        labels = _spline.distinct_labels(view)
        np.testing.assert_array_equal(labels, np.unique(view))
        assert labels.dtype == view.dtype
        index = _spline.label_indices(view, labels, 2)
        assert index.dtype == np.int32 and index.flags.c_contiguous
        np.testing.assert_array_equal(labels[index], view)
