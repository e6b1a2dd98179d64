"""compat.nnunet_resample and nnunet_resample_to_shape against the real nnunetv2 2.8.1
(resample_data_or_seg_to_spacing / _to_shape): the separate-z decision and axis, data at
orders 1 and 3 with order_z 0 and 1, segmentations through batchgenerators' rule. Data at
order 1 and segmentations bit for bit; order 3 data within 1e-12 of max|x| in float64 and
bit for bit after float32 rounding on >= 99.9% of the voxels."""
import itertools
import warnings

import numpy as np
import pytest

from resample.compat import nnunet_resample, nnunet_resample_to_shape

resampling = pytest.importorskip("nnunetv2.preprocessing.resampling.default_resampling",
                                 reason="nnunetv2 (the oracle of nnunet_resample) is not installed")

# (current spacing, new spacing, force_separate_z): anisotropic along z, along x, isotropic
SPACINGS = [((1.0, 0.8, 4.0), (1.0, 1.0, 1.5), None), ((5.0, 0.7, 0.7), (2.5, 1.2, 1.2), None),
            ((1.0, 1.0, 1.0), (1.3, 0.7, 1.0), None), ((1.0, 1.0, 2.0), (1.5, 1.5, 1.0), True),
            ((3.5, 1.0, 1.0), (2.0, 0.6, 0.9), False)]


def _both(data, current, new, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = resampling.resample_data_or_seg_to_spacing(data, current, new, **kw)
    return ref, nnunet_resample(data, current, new, **kw)


@pytest.mark.parametrize("spacing", SPACINGS, ids=lambda s: f"{s[0]}->{s[1]} force={s[2]}")
@pytest.mark.parametrize("order, order_z", [(1, 0), (1, 1), (3, 0), (3, 1)])
def test_data(spacing, order, order_z):
    current, new, force = spacing
    rng = np.random.default_rng(order * 10 + order_z)
    for dtype in (np.float32, np.float64):
        data = rng.random((2, 9, 12, 7)).astype(dtype)
        ref, got = _both(data, current, new, order=order, order_z=order_z, force_separate_z=force)
        assert got.dtype == ref.dtype and got.shape == ref.shape
        if order == 1:
            np.testing.assert_array_equal(got, ref)
        elif dtype == np.float64:
            assert np.abs(got - ref).max() <= 1e-12
        else:
            assert np.mean(got == ref) >= 0.999 or np.sum(got != ref) <= 2


@pytest.mark.parametrize("spacing", SPACINGS, ids=lambda s: f"{s[0]}->{s[1]} force={s[2]}")
@pytest.mark.parametrize("order, order_z", [(0, 0), (1, 0), (1, 1), (3, 0), (3, 1)])
def test_segmentations(spacing, order, order_z):
    current, new, force = spacing
    rng = np.random.default_rng(order * 10 + order_z + 5)
    for dtype in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.float32, np.float64, bool):
        seg = rng.integers(0, 2 if dtype is bool else 4, (1, 8, 10, 6)).astype(dtype)
        ref, got = _both(seg, current, new, is_seg=True, order=order, order_z=order_z, force_separate_z=force)
        assert got.dtype == ref.dtype
        np.testing.assert_array_equal(got, ref)


def test_to_shape_and_unchanged():
    rng = np.random.default_rng(9)
    data = rng.random((1, 6, 10, 8)).astype(np.float32)
    ref = resampling.resample_data_or_seg_to_shape(data, (12, 5, 8), (1, 1, 4), (1, 1, 1), order=1)
    got = nnunet_resample_to_shape(data, (12, 5, 8), (1, 1, 4), (1, 1, 1), order=1)
    np.testing.assert_array_equal(got, ref)
    assert nnunet_resample_to_shape(data, (6, 10, 8), (1, 1, 1), (1, 1, 1)) is data
    with pytest.raises(ValueError, match=r"\(c, x, y, z\)"):
        nnunet_resample(data[0], (1, 1, 1), (1, 1, 1))
