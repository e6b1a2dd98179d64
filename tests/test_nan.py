"""resize(..., nan="ignore"): every output is sum(w * x * m) / sum(w * m) over the valid
(non-NaN) samples it reads, NaN where none is; checked against that formula in float64,
with each axis's weights read off as a dense matrix (the resize of an identity)."""
import numpy as np
import pytest

import resample


def _matrix(n, m, **kw):
    """The (m, n) weights of one axis: row o holds output o's weight of every input."""
    return resample.resize(np.eye(n), (m,), axes=0, **kw)


@pytest.mark.parametrize("mode, antialias", [("linear", False), ("linear", True), ("cubic", False),
                                             ("cubic", True), ("lanczos", True), ("area", False)])
@pytest.mark.parametrize("size", [(7, 9), (25, 31), (13, 5)])
def test_formula_in_float64(mode, antialias, size):
    rng = np.random.default_rng(len(mode) + size[0])
    x = rng.standard_normal((14, 17))
    x[rng.random(x.shape) < 0.2] = np.nan
    x[3:9, 4:11] = np.nan                        # a gap wider than any filter
    got = resample.resize(x, size, mode=mode, antialias=antialias, nan="ignore")
    a, b = _matrix(14, size[0], mode=mode, antialias=antialias), _matrix(17, size[1], mode=mode,
                                                                          antialias=antialias)
    m = ~np.isnan(x)
    num, den = a @ np.where(m, x, 0) @ b.T, a @ m.astype(float) @ b.T
    valid = (np.abs(a) > 0).astype(float) @ m @ (np.abs(b) > 0).astype(float).T > 0
    assert np.array_equal(np.isnan(got), ~valid)         # NaN exactly where no valid sample is read
    safe = valid & (np.abs(den) > 1e-3)          # (cubic and lanczos weights can cancel)
    np.testing.assert_allclose(got[safe], num[safe] / den[safe], rtol=1e-12, atol=1e-12)


def test_float32_threads_and_no_nan():
    rng = np.random.default_rng(1)
    x = rng.random((40, 30, 3)).astype(np.float32)
    np.testing.assert_array_equal(resample.resize(x, (20, 15), nan="ignore") * 0 + 1, np.ones((20, 15, 3)))
    np.testing.assert_allclose(resample.resize(x, (20, 15), nan="ignore"), resample.resize(x, (20, 15)),
                               rtol=1e-6)
    x[rng.random(x.shape) < 0.3] = np.nan
    one = resample.resize(x, (57, 41), mode="cubic", nan="ignore", num_threads=1)
    np.testing.assert_array_equal(one, resample.resize(x, (57, 41), mode="cubic", nan="ignore", num_threads=2))


def test_bad_arguments():
    x = np.zeros((8, 8), np.float32)
    with pytest.raises(ValueError, match="nan must be None, 'propagate' or 'ignore'"):
        resample.resize(x, (4, 4), nan="skip")
    with pytest.raises(ValueError, match="weighted modes"):
        resample.resize(x, (4, 4), mode="nearest", nan="ignore")
    with pytest.raises(TypeError, match="float32 and float64"):
        resample.resize(x.astype(np.uint8), (4, 4), nan="ignore")
