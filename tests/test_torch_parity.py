"""resample against torch 2.13 (DEFAULT capability): bit for bit on torch's generic
kernels, over modes x ranks x dtypes x sizes x scales x align_corners x recompute."""
import itertools

import numpy as np
import pytest

import resample

torch = pytest.importorskip("torch")

from oracle import ALIGNABLE, MODES_BY_RANK, check, split_mode, torch_interpolate  # noqa: E402

DTYPES = [np.float16, np.float32, np.float64]
# (input length, output length) per axis: size 1 both ways, equal, 2x, odd ratios, huge ratios
LENGTHS = [(1, 5), (5, 1), (7, 7), (6, 12), (13, 4), (9, 20), (3, 200), (200, 3)]
SCALES = [1.7, 2.2, 0.29, 1 / 3, 1.0, 0.5]


def size_cases():
    for rank, modes in MODES_BY_RANK.items():
        spatial = rank - 2
        combos = list(itertools.product(LENGTHS, repeat=spatial))
        # keep 3-D and 5-D tractable: every length on the diagonal plus a spread
        if spatial == 3:
            combos = [c for c in combos if max(o for _, o in c) <= 20 and max(i for i, _ in c) <= 20][::7]
        elif spatial == 2:
            combos = combos[::3]
        for mode in modes:
            for lengths in combos:
                for align in ([False, True] if mode in ALIGNABLE else [None]):
                    yield rank, mode, lengths, align


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("rank,mode,lengths,align", list(size_cases()),
                         ids=lambda v: str(v).replace(" ", ""))
def test_size(rng, dtype, rank, mode, lengths, align):
    base_mode, antialias = split_mode(mode)
    x = rng.standard_normal((2, 3, *[i for i, _ in lengths])).astype(dtype)
    size = tuple(o for _, o in lengths)
    check(x, size=size, mode=base_mode, align_corners=align, antialias=antialias)


def scale_cases():
    for rank, modes in MODES_BY_RANK.items():
        for mode in modes:
            for s in SCALES:
                for recompute in (None, True):
                    for align in ([False, True] if mode in ALIGNABLE else [None]):
                        yield rank, mode, s, recompute, align


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("rank,mode,scale,recompute,align", list(scale_cases()),
                         ids=lambda v: str(v).replace(" ", ""))
def test_scale_factor(rng, dtype, rank, mode, scale, recompute, align):
    base_mode, antialias = split_mode(mode)
    shape = {3: (2, 3, 100), 4: (1, 3, 23, 31), 5: (1, 2, 7, 9, 10)}[rank]
    x = rng.standard_normal(shape).astype(dtype)
    kw = dict(mode=base_mode, align_corners=align, antialias=antialias,
              recompute_scale_factor=recompute)
    spatial = rank - 2
    if any(int(n * scale) == 0 for n in shape[2:]):
        pytest.skip("output size 0")
    check(x, scale_factor=scale, **kw)
    # a per-axis tuple with different scales
    scales = tuple([scale, 2.2, 0.7][:spatial])
    if all(int(n * s) > 0 for n, s in zip(shape[2:], scales)):
        check(x, scale_factor=scales, **kw)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear"])
@pytest.mark.parametrize("channels", [1, 3, 4, 8])
def test_torch_channels_last_kernel_within_ulps(rng, mode, channels):
    """Small 2-D outputs make torch pick its channels-last kernel; resample stays on the
    generic arithmetic. Nearest (no user scale) agrees exactly, bilinear within an ulp."""
    x = rng.standard_normal((2, channels, 9, 11)).astype(np.float32)
    got = resample.interpolate(x, size=(13, 5), mode=mode)
    want = torch_interpolate(x, size=(13, 5), mode=mode)
    if mode == "bilinear":
        np.testing.assert_allclose(got, want, rtol=0, atol=2 * np.finfo(np.float32).eps * np.abs(x).max())
    else:
        np.testing.assert_array_equal(got, want)


def test_nan_and_inf_follow_the_formulas():
    x = np.array([[[1, np.inf, 3, np.nan, 5, 6]]])
    for size in (6, 12, 4):
        got = resample.interpolate(x, size=size, mode="linear")
        want = torch_interpolate(x, size=size, mode="linear")
        np.testing.assert_array_equal(got, want)
    y = np.zeros((1, 1, 4, 4))
    y[0, 0, 1, 1] = np.inf
    for mode, aa in [("bicubic", False), ("bicubic", True), ("bilinear", True), ("area", False)]:
        got = resample.interpolate(y, size=(4, 4) if mode != "area" else (2, 2), mode=mode, antialias=aa)
        want = torch_interpolate(y, size=(4, 4) if mode != "area" else (2, 2), mode=mode, antialias=aa)
        np.testing.assert_array_equal(got, want)


def test_empty_batch_and_area_zero_size(rng):
    x = rng.standard_normal((0, 3, 5, 5)).astype(np.float32)
    for mode in ("nearest", "bilinear", "area"):
        got = resample.interpolate(x, size=(7, 3), mode=mode)
        assert got.shape == torch_interpolate(x, size=(7, 3), mode=mode).shape
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    assert resample.interpolate(x, scale_factor=0.1, mode="area").shape == (1, 2, 0, 0)


def test_antialias_out_w_1_is_correct_where_torch_is_not():
    """docs §3.5: torch gives [2, 2, 2]; each row's own vertical weights give [2, 4.5, 7]."""
    x = np.array([[[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]]], dtype=np.float64)
    got = resample.interpolate(x, size=(3, 1), mode="bilinear", antialias=True)
    np.testing.assert_allclose(got.ravel(), [2, 4.5, 7], rtol=1e-15)
    np.testing.assert_allclose(torch_interpolate(x, size=(3, 1), mode="bilinear", antialias=True).ravel(),
                               [2, 2, 2], rtol=1e-15)
