"""Repeated calls (issue #16): a call seen before skips its argument checks and runs the
remembered program. A repeat must behave exactly as the first call would: same results,
a fresh output each time, and every call that would raise still raises."""
import numpy as np
import pytest

import resample
from resample import _engine


@pytest.fixture(autouse=True)
def forget():
    _engine._KNOWN_CALLS.clear()
    yield
    _engine._KNOWN_CALLS.clear()


def test_repeat_is_remembered_and_identical():
    x = np.random.default_rng(0).random((2, 3, 31, 45), np.float32)
    first = resample.interpolate(x, size=(20, 70), mode="bicubic", align_corners=False)
    assert len(_engine._KNOWN_CALLS) == 1
    second = resample.interpolate(x, size=(20, 70), mode="bicubic", align_corners=False)
    np.testing.assert_array_equal(first, second)
    assert second is not first and not np.shares_memory(first, second)
    assert len(_engine._KNOWN_CALLS) == 1


@pytest.mark.parametrize("good, bad, error", [
    (dict(size=(8, 8)), dict(size=(8.0, 8.0)), TypeError),
    (dict(size=(8, 8)), dict(size=(True, 8)), TypeError),
    (dict(size=8, align_corners=True), dict(size=8, align_corners=1), TypeError),
    (dict(scale_factor=2.0), dict(scale_factor=2.0, size=(8, 8)), ValueError),
])
def test_a_near_repeat_still_raises(good, bad, error):
    x = np.zeros((1, 1, 4, 4), np.float32)
    mode = "bilinear"
    resample.interpolate(x, mode=mode, **good)
    resample.interpolate(x, mode=mode, **good)
    with pytest.raises(error):
        resample.interpolate(x, mode=mode, **bad)


def test_layouts_and_dtypes_are_told_apart():
    rng = np.random.default_rng(1)
    nchw = rng.random((1, 3, 20, 30), np.float32)
    channels_last = np.ascontiguousarray(nchw.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    for _ in range(2):
        a = resample.interpolate(nchw, size=(9, 13), mode="bilinear")
        b = resample.interpolate(channels_last, size=(9, 13), mode="bilinear")
        c = resample.interpolate(nchw.astype(np.float64), size=(9, 13), mode="bilinear")
        np.testing.assert_array_equal(a, b)
        assert b.transpose(0, 2, 3, 1).flags.c_contiguous and a.flags.c_contiguous
        assert c.dtype == np.float64
    assert len(_engine._KNOWN_CALLS) == 3


def test_not_remembered_with_out_or_copies():
    x = np.zeros((1, 1, 8, 8), np.float32)
    resample.interpolate(x, size=4, mode="area", out=np.empty((1, 1, 4, 4), np.float32))
    resample.interpolate(x[..., ::2], size=4, mode="area")          # copied first
    resample.interpolate(x.tolist(), size=4, mode="area")           # not an array
    assert not _engine._KNOWN_CALLS


def test_resize_repeat_and_its_errors():
    image = np.random.default_rng(2).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    first = resample.resize(image, 20, mode="lanczos")
    np.testing.assert_array_equal(resample.resize(image, 20, mode="lanczos"), first)
    assert len(_engine._KNOWN_CALLS) == 1
    with pytest.raises(ValueError, match="always antialiased"):
        resample.resize(image, 20, mode="lanczos", antialias=False)
    with pytest.raises(ValueError, match="axes"):
        resample.resize(image, 20, mode="lanczos", axes=(0, 5))


def test_cache_is_bounded():
    x = np.zeros((1, 1, 4, 4), np.float32)
    for n in range(_engine._KNOWN_CALLS_KEPT + 20):
        resample.interpolate(x, size=(n + 1, 3), mode="nearest")
    assert len(_engine._KNOWN_CALLS) == _engine._KNOWN_CALLS_KEPT
