"""resample.compat.cv2_resize against the installed OpenCV: bit for bit with OpenCV's own
code (Intel IPP switched off, as builds without IPP run), every flag, every image type
cv2.resize takes (uint8, uint16, int16, float32, float64 for every flag; int8 and int32 for
nearest, nearest-exact and linear-exact; uint32, float16 and bool for nearest and
nearest-exact), 1 to 6 channels, dsize and fx/fy, with values at the types' limits (so
saturation happens) and float64 far outside [0, 255]; the flags OpenCV has no kernel for
are refused as cv2.resize refuses them; with the pip wheel's default IPP, equal where IPP
does not take over and within the documented bounds where it does."""
import numpy as np
import pytest

from resample.compat import CV2_INTERPOLATIONS, cv2_resize

cv2 = pytest.importorskip("cv2")

FLAGS = list(CV2_INTERPOLATIONS.values())
GENERIC = [np.uint8, np.uint16, np.int16, np.float32, np.float64]    # every flag
EXACT_ONLY = [np.int8, np.int32]                 # nearest, nearest-exact, linear-exact
NEAREST_ONLY = [np.uint32, np.float16, np.bool_]                     # nearest, nearest-exact
ALL_TYPES = GENERIC + EXACT_ONLY + NEAREST_ONLY
TAKES = {np.dtype(t): set(FLAGS) for t in GENERIC}
TAKES.update({np.dtype(t): {0, 5, 6} for t in EXACT_ONLY})
TAKES.update({np.dtype(t): {0, 6} for t in NEAREST_ONLY})
# where the wheel's Intel IPP takes over (docs/compat.md): (flag, dtype) -> bound on
# |resample - IPP| for the integer types; linear-exact is linear for the float types
IPP_CASES = {("linear", "float32"): None, ("linear-exact", "float32"): None,
             ("cubic", "float32"): None, ("linear", "float64"): None,
             ("linear-exact", "float64"): None, ("cubic", "uint8"): 1,
             ("linear", "uint16"): 1, ("cubic", "uint16"): 2,
             ("linear", "int16"): 1, ("cubic", "int16"): 2}


@pytest.fixture
def without_ipp():
    saved = cv2.ipp.useIPP()
    cv2.ipp.setUseIPP(False)
    yield
    cv2.ipp.setUseIPP(saved)


def reference(src, dsize, fx, fy, flag):
    """cv2.resize; for more than 4 channels, where OpenCV refuses INTER_AREA at scales that
    are not whole numbers, each channel resized on its own (what cv2_resize promises)."""
    try:
        return cv2.resize(src, dsize, fx=fx, fy=fy, interpolation=flag)
    except cv2.error:
        if src.ndim < 3 or src.shape[2] <= 4 or flag not in TAKES[src.dtype]:
            raise
        planes = [cv2.resize(np.ascontiguousarray(src[..., c]), dsize, fx=fx, fy=fy,
                             interpolation=flag) for c in range(src.shape[2])]
        return np.stack(planes, axis=-1)


def random_image(rng, h, w, channels, dtype):
    """uint8 and float32 over 0..255; the other integer types over their whole range with a
    quarter of the samples at its ends (so cubic and lanczos overshoot and saturate);
    float64 over -1000..2000 with a few samples at +-1e8; float16 over 0..255; bool."""
    shape = (h, w) if channels == 0 else (h, w, channels)     # 0: a 2-D array
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape).astype(np.uint8)
    if dtype in (np.float32, np.float16):
        return (rng.random(shape) * 255).astype(dtype)
    if dtype == np.float64:
        image = rng.uniform(-1000, 2000, shape)
        far = rng.random(shape) < 0.02
        image[far] = rng.choice([-1e8, 1e8], far.sum())
        return image
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    image = rng.integers(info.min, info.max, shape, endpoint=True, dtype=np.int64)
    ends = rng.random(shape) < 0.25
    image[ends] = rng.choice([info.min, info.max], ends.sum())
    return image.astype(dtype)


SIZES = [  # (h, w), dsize or None, fx, fy
    ((37, 53), (20, 11), 0, 0), ((13, 9), (31, 40), 0, 0), ((40, 7), (7, 40), 0, 0),
    ((64, 48), (24, 32), 0, 0),                      # exact x0.5 (linear: OpenCV's area shortcut)
    ((51, 33), None, 0.5, 0.5),                      # x0.5 with odd sizes: partial area blocks
    ((30, 45), None, 1 / 3, 1 / 3), ((30, 45), None, 0.3, 0.7), ((17, 9), None, 2.0, 3.0),
    ((1, 30), (4, 1), 0, 0), ((29, 1), (3, 57), 0, 0), ((90, 70), (67, 31), 0, 0),
]


def check_case(src, dsize, fx, fy, flag):
    """cv2_resize equals cv2.resize, or both refuse (cv2_resize with a TypeError naming the
    types the flag takes); True where they refused."""
    try:
        want = reference(src, dsize, fx, fy, flag)
    except cv2.error:
        with pytest.raises(TypeError, match="does not take .* it takes uint8, uint16, int16"):
            cv2_resize(src, dsize, None, fx, fy, flag)
        return True
    got = cv2_resize(src, dsize, None, fx, fy, flag)
    assert got.dtype == want.dtype and got.shape == want.shape, (src.shape, dsize, fx, fy)
    np.testing.assert_array_equal(got, want, err_msg=f"{src.shape} {src.dtype} {dsize} {fx} {fy}")
    return False


@pytest.mark.parametrize("flag", FLAGS, ids=list(CV2_INTERPOLATIONS))
@pytest.mark.parametrize("dtype", ALL_TYPES, ids=[np.dtype(t).name for t in ALL_TYPES])
@pytest.mark.parametrize("channels", [0, 1, 2, 3, 4, 6])
def test_bit_for_bit_with_opencvs_own_code(flag, dtype, channels, without_ipp):
    rng = np.random.default_rng(flag * 100 + channels)
    refused = [check_case(random_image(rng, h, w, channels, dtype), dsize, fx, fy, flag)
               for (h, w), dsize, fx, fy in SIZES]
    # OpenCV copies an image of the output's size whatever the flag (SIZES[2]); int8 and
    # int32 at an exact x0.5 take linear-exact to INTER_AREA, which has no kernel for them
    # (SIZES[3], SIZES[4]; the bit-exact path for 2 channels)
    if flag in TAKES[np.dtype(dtype)]:
        halves = dtype in EXACT_ONLY and flag == 5 and channels != 2
        assert refused == [halves and i in (3, 4) for i in range(len(SIZES))]
    else:
        assert refused == [i != 2 for i in range(len(SIZES))]


def test_random_cases(without_ipp):
    rng = np.random.default_rng(77)
    for i in range(600):
        h, w = (int(v) for v in rng.integers(1, 130, 2))
        dtype = ALL_TYPES[i % len(ALL_TYPES)]
        src = random_image(rng, h, w, int(rng.integers(1, 6)), dtype)
        flag = FLAGS[(i // len(ALL_TYPES)) % len(FLAGS)]
        if i % 3:
            dsize, fx, fy = (int(rng.integers(1, 140)), int(rng.integers(1, 140))), 0, 0
        else:
            dsize, fx, fy = None, float(rng.choice([0.25, 0.5, 0.3, 1.7, 2.0])), float(rng.choice([0.5, 0.7, 3.0]))
            if round(w * fx) == 0 or round(h * fy) == 0:
                continue
        check_case(src, dsize, fx, fy, flag)


@pytest.mark.parametrize("name", list(CV2_INTERPOLATIONS))
@pytest.mark.parametrize("dtype", GENERIC + EXACT_ONLY, ids=[np.dtype(t).name for t in GENERIC + EXACT_ONLY])
def test_with_the_wheels_default_ipp(name, dtype):
    rng = np.random.default_rng(5)
    assert cv2.ipp.useIPP()
    if CV2_INTERPOLATIONS[name] not in TAKES[np.dtype(dtype)]:
        pytest.skip("cv2.resize has no kernel for it")
    for channels in (1, 3, 4):
        for (h, w), dsize, fx, fy in SIZES[:4] + SIZES[-1:]:
            src = random_image(rng, h, w, channels, dtype)
            if dtype == np.float64:             # IPP's bound below is relative to the range
                src[np.abs(src) > 1e7] = 500.0
            try:
                want = cv2.resize(src, dsize, fx=fx, fy=fy, interpolation=CV2_INTERPOLATIONS[name])
            except cv2.error:                   # int8, int32 linear-exact at x0.5
                continue
            got = cv2_resize(src, dsize, None, fx, fy, name)
            case = (name, np.dtype(dtype).name)
            if case not in IPP_CASES:
                np.testing.assert_array_equal(got, want)
            elif IPP_CASES[case] is not None:   # IPP's integer linear and cubic
                assert np.abs(got.astype(np.int64) - want).max() <= IPP_CASES[case], case
            else:
                # IPP's float linear and cubic keep the source coordinate in double, OpenCV's
                # own code rounds it to float32: the weights move by up to a float32 ulp of
                # the coordinate, times the data's range, on each axis
                atol = float(np.ptp(src)) * 4 * float(np.spacing(np.float32(max(h, w))))
                np.testing.assert_allclose(got, want, rtol=0, atol=atol)


def test_saturation_and_float64_range(without_ipp):
    """Cubic and lanczos overshoot next to the types' ends: cv2_resize saturates where
    OpenCV does (saturate_cast, rounding half to even), and keeps float64 far outside 0..255
    (where OpenCV's area rounds cut blocks' means to float32, which it keeps too)."""
    board = np.indices((24, 24)).sum(axis=0) % 2
    for dtype in (np.uint16, np.int16):
        info = np.iinfo(dtype)
        src = np.where(board, info.max, info.min).astype(dtype)
        src[::5] = info.max
        for flag in (cv2.INTER_CUBIC, cv2.INTER_LANCZOS4):
            want = cv2.resize(src, (53, 41), interpolation=flag)
            got = cv2_resize(src, (53, 41), interpolation=flag)
            np.testing.assert_array_equal(got, want)
            unclamped = cv2.resize(src.astype(np.float32), (53, 41), interpolation=flag)
            above, below = unclamped > info.max + 1, unclamped < info.min - 1
            assert above.sum() > 20 and below.sum() > 20
            assert (got[above] == info.max).all() and (got[below] == info.min).all()
    src = np.random.default_rng(3).uniform(-1e6, 1e6, (51, 33))
    want = cv2.resize(src, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    got = cv2_resize(src, None, None, 0.5, 0.5, "area")
    np.testing.assert_array_equal(got, want)
    assert got.min() < -1e5 and got.max() > 1e5
    edge = got[-1]              # 51 rows to 26 (25.5 rounded to even): the last blocks are 1 high
    np.testing.assert_array_equal(edge, edge.astype(np.float32))
    assert not np.array_equal(got[:-1], got[:-1].astype(np.float32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lanczos_keeps_opencvs_tiny_values(dtype):
    # OpenCV marks a tap that lands on the sample with 1e30 and normalises it away, which
    # leaves the other taps at about 1e-30 instead of 0: zeros next to values come out tiny
    src = np.zeros((30, 30), dtype)
    src[::3, ::3] = 100
    got = cv2_resize(src, None, None, 1 / 3, 1 / 3, "lanczos4")
    np.testing.assert_array_equal(got, cv2.resize(src, None, fx=1 / 3, fy=1 / 3,
                                                  interpolation=cv2.INTER_LANCZOS4))


@pytest.mark.parametrize("dtype", GENERIC + EXACT_ONLY, ids=[np.dtype(t).name for t in GENERIC + EXACT_ONLY])
def test_threads_do_not_matter(dtype, without_ipp):
    src = random_image(np.random.default_rng(0), 301, 257, 3, dtype)
    for flag in sorted(TAKES[np.dtype(dtype)]):
        one = cv2_resize(src, (113, 411), interpolation=flag, num_threads=1)
        for threads in (2, 3, 7):
            np.testing.assert_array_equal(cv2_resize(src, (113, 411), interpolation=flag,
                                                     num_threads=threads), one)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64, np.complex64, np.float128 if hasattr(np, "float128") else np.longdouble])
def test_other_types_are_refused(dtype):
    with pytest.raises(TypeError, match="takes cv2.resize's image types, uint8, uint16, int16, "
                                        "float32, float64, int8, int32, uint32, float16 and bool"):
        cv2_resize(np.zeros((6, 8), dtype), (3, 3), interpolation="nearest")


@pytest.mark.parametrize("dtype, flag, message", [
    (np.int8, "linear", "INTER_LINEAR does not take int8 images: .* int8 takes nearest, "
                        "nearest-exact and linear-exact"),
    (np.int32, "area", "INTER_AREA does not take int32 images"),
    (np.float16, "linear-exact", "INTER_LINEAR_EXACT does not take float16 .* float16 takes "
                                 "nearest and nearest-exact"),
    (np.bool_, "cubic", "INTER_CUBIC does not take bool"),
])
def test_flags_opencv_has_no_kernel_for(dtype, flag, message):
    src = np.zeros((7, 9, 3), dtype)
    with pytest.raises(cv2.error, match="func != 0"):
        cv2.resize(src, (4, 3), interpolation=CV2_INTERPOLATIONS[flag])
    with pytest.raises(TypeError, match=message):
        cv2_resize(src, (4, 3), interpolation=flag)
    with pytest.raises(TypeError, match="at an exact x0.5 OpenCV computes linear-exact with INTER_AREA"):
        cv2_resize(np.zeros((8, 10, 3), np.int8), (5, 4), interpolation="linear-exact")
    assert cv2_resize(src, (9, 7), interpolation=flag).shape == src.shape    # a copy, as cv2's


def test_flag_spellings():
    src = np.arange(64, dtype=np.uint8).reshape(8, 8)
    want = cv2_resize(src, (3, 5), interpolation=cv2.INTER_AREA)
    for spelling in ("area", "INTER_AREA", "inter_area"):
        np.testing.assert_array_equal(cv2_resize(src, (3, 5), interpolation=spelling), want)


@pytest.mark.parametrize("call, error, message", [
    (lambda a: cv2_resize(a, None), ValueError, "fx and fy must both be positive"),
    (lambda a: cv2_resize(a, (0, 0), None, 0.5, 0), ValueError, "fx and fy must both be positive"),
    (lambda a: cv2_resize(a, None, None, 0.01, 0.01), ValueError, "output size 0x0 is empty"),
    (lambda a: cv2_resize(a, (3, 3), interpolation="sinc"), ValueError, "unknown interpolation"),
    (lambda a: cv2_resize(a.astype(np.int64), (3, 3)), TypeError, "would convert it to int32"),
    (lambda a: cv2_resize(a[0], (3, 3)), TypeError, "expected an image"),
    (lambda a: cv2_resize(a[:0], (3, 3)), ValueError, "the image is empty"),
    (lambda a: cv2_resize(a, (10**7, 10**7)), MemoryError, "more than this machine's"),
    (lambda a: cv2_resize(a, None, None, np.inf, np.inf), ValueError, "fx=inf gives an output"),
    (lambda a: cv2_resize(a, None, None, 1.0, 1e300), ValueError, "fy=1e.300 gives an output"),
    (lambda a: cv2_resize(a, None, None, 2**29, 1.0), ValueError, "OpenCV's sizes are below 2..31"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call(np.zeros((6, 8), np.uint8))


def test_cv2s_positional_order_means_the_same(without_ipp):
    """cv2.resize(src, dsize, dst, fx, fy, interpolation): a call written for cv2 reads the
    same here, and a misplaced flag is refused instead of silently meaning fx."""
    src = np.random.default_rng(7).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    want = cv2.resize(src, None, None, 0.5, 0.25, cv2.INTER_AREA)
    np.testing.assert_array_equal(cv2_resize(src, None, None, 0.5, 0.25, cv2.INTER_AREA), want)
    dst = np.empty_like(want)
    assert cv2_resize(src, None, dst, 0.5, 0.25, cv2.INTER_AREA) is dst
    np.testing.assert_array_equal(dst, want)
    with pytest.raises(TypeError, match="third argument.*interpolation='area'"):
        cv2_resize(src, (20, 15), "area")
    with pytest.raises(TypeError, match="fx must be a number"):
        cv2_resize(src, (20, 15), None, "nonsense")
    with pytest.raises(TypeError, match="dst must be a writeable array"):
        cv2_resize(src, (20, 15), np.empty((3, 3), np.uint8))
