"""Layouts (C order, channels-last, odd strides), out=, and thread-count independence."""
import numpy as np
import pytest

import resample

CASES = [
    dict(mode="nearest", size=(37, 29)),
    dict(mode="nearest-exact", scale_factor=1.7),
    dict(mode="bilinear", size=(37, 29)),
    dict(mode="bilinear", size=(37, 29), align_corners=True),
    dict(mode="bicubic", scale_factor=(2.2, 0.29)),
    dict(mode="area", size=(7, 5)),
    dict(mode="bilinear", antialias=True, size=(7, 5)),
    dict(mode="bicubic", antialias=True, size=(70, 9)),
    dict(mode="lanczos", antialias=True, scale_factor=1 / 3),
]
CASES_3D = [
    dict(mode="trilinear", size=(9, 13, 6)),
    dict(mode="nearest", scale_factor=2.0),
    dict(mode="area", size=(3, 4, 5)),
]
DTYPES = [np.float16, np.float32, np.float64]


def ids(case):
    return "-".join(f"{k}={v}" for k, v in case.items())


def is_channels_last(a):
    return a.transpose(0, *range(2, a.ndim), 1).flags.c_contiguous


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("case", CASES, ids=ids)
def test_channels_last_keeps_layout_and_values(rng, dtype, case):
    hwc = rng.standard_normal((2, 23, 17, 5)).astype(dtype)
    nchw_view = hwc.transpose(0, 3, 1, 2)          # NHWC memory behind an NCHW shape
    got = resample.interpolate(nchw_view, **case)
    want = resample.interpolate(np.ascontiguousarray(nchw_view), **case)
    assert is_channels_last(got) and not got.flags.c_contiguous
    np.testing.assert_array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


@pytest.mark.parametrize("case", CASES_3D, ids=ids)
def test_channels_last_3d(rng, case):
    ndhwc = rng.standard_normal((1, 6, 8, 7, 4)).astype(np.float32)
    view = ndhwc.transpose(0, 4, 1, 2, 3)
    got = resample.interpolate(view, **case)
    want = resample.interpolate(np.ascontiguousarray(view), **case)
    assert is_channels_last(got)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("make_view", [
    lambda a: a[:, :, ::-1],                 # negative stride
    lambda a: a[:, :, 1:-1:2],               # sliced
    lambda a: np.asfortranarray(a),          # Fortran order
    lambda a: a.transpose(1, 0, 2, 3),       # batch and channel swapped
], ids=["reversed", "sliced", "fortran", "swapped"])
def test_other_strides_are_copied_once(rng, make_view):
    x = make_view(rng.standard_normal((3, 4, 12, 10)).astype(np.float32))
    got = resample.interpolate(x, size=(5, 7), mode="bilinear")
    want = resample.interpolate(np.ascontiguousarray(x), size=(5, 7), mode="bilinear")
    assert got.flags.c_contiguous
    np.testing.assert_array_equal(got, want)


def test_input_is_never_modified(rng):
    x = rng.standard_normal((1, 2, 9, 9)).astype(np.float16)
    before = x.copy()
    for case in CASES:
        resample.interpolate(x, **case)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize("case", CASES, ids=ids)
def test_out_argument(rng, case, channels_last):
    x = rng.standard_normal((2, 4, 19, 21)).astype(np.float32)
    if channels_last:
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    want = resample.interpolate(x, **case)
    out = np.full_like(want, np.nan)          # keeps want's layout
    got = resample.interpolate(x, **case, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)


def test_list_input_is_converted():
    got = resample.interpolate([[[0.0, 1.0, 2.0]]], size=5, mode="linear", align_corners=True)
    np.testing.assert_array_equal(got, [[[0.0, 0.5, 1.0, 1.5, 2.0]]])


# A size large enough to pass the parallel work threshold, plus odd splits.
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("case", CASES + [dict(mode="bicubic", size=(301, 97))], ids=ids)
def test_results_independent_of_thread_count(rng, dtype, case):
    x = rng.standard_normal((3, 5, 131, 97)).astype(dtype)
    one = resample.interpolate(x, **case, num_threads=1)
    for threads in (2, 3, 7):
        many = resample.interpolate(x, **case, num_threads=threads)
        np.testing.assert_array_equal(one.view(f"u{one.itemsize}"), many.view(f"u{many.itemsize}"))


def test_threadpoolctl_limits_the_default(rng):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from resample import _openmp
    if not _openmp.openmp_version():
        pytest.skip("built without OpenMP")
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        assert _openmp.default_threads() == 1
    x = rng.standard_normal((1, 3, 300, 300)).astype(np.float32)
    np.testing.assert_array_equal(resample.interpolate(x, scale_factor=0.5, mode="bilinear"),
                                  resample.interpolate(x, scale_factor=0.5, mode="bilinear", num_threads=1))


def test_float16_conversion_matches_numpy():
    """The float16 <-> float32 kernels round exactly like NumPy's casts."""
    from resample import _kernels
    halves = np.arange(2**16, dtype=np.uint32).astype(np.uint16)
    wide = np.empty(halves.size, np.float32)
    _kernels.widen_half(halves, wide, 2)
    np.testing.assert_array_equal(wide, halves.view(np.float16).astype(np.float32))
    finite = np.sort(wide[np.isfinite(wide) & (wide >= 0)]).astype(np.float64)
    ties = ((finite[:-1] + finite[1:]) / 2).astype(np.float32)   # exact halfway points
    rng = np.random.default_rng(7)
    with np.errstate(invalid="ignore", over="ignore"):
        samples = np.concatenate([
            rng.integers(0, 2**32, 2_000_000, dtype=np.uint64).astype(np.uint32).view(np.float32),
            wide, ties, -ties,
            np.nextafter(ties, np.float32(np.inf)), np.nextafter(ties, np.float32(-np.inf)),
            np.float32([65504, 65519.99, 65520, 1e-8, -1e-8, 2.0**-25, 2.0**-24 * 1.5]),
        ])
        want = samples.astype(np.float16)
    narrow = np.empty(samples.size, np.uint16)
    _kernels.narrow_half(samples, narrow, 2)
    nan = np.isnan(want)
    np.testing.assert_array_equal(narrow[~nan], want[~nan].view(np.uint16))
    assert np.isnan(narrow[nan].view(np.float16)).all()
