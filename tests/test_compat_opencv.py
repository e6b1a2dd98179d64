"""resample.compat.cv2_resize against the installed OpenCV: bit for bit with OpenCV's own
code (Intel IPP switched off, as builds without IPP run), every flag, uint8 and float32,
1 to 6 channels, dsize and fx/fy; with the pip wheel's default IPP, equal where IPP does not
take over and within the documented bounds where it does."""
import numpy as np
import pytest

from resample.compat import CV2_INTERPOLATIONS, cv2_resize

cv2 = pytest.importorskip("cv2")

FLAGS = list(CV2_INTERPOLATIONS.values())
# where the wheel's Intel IPP takes over (docs/compat.md); linear-exact is linear for float32
IPP_CASES = {("linear", "float32"), ("linear-exact", "float32"), ("cubic", "float32"),
             ("cubic", "uint8")}


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
        if src.ndim < 3 or src.shape[2] <= 4:
            raise
        planes = [cv2.resize(np.ascontiguousarray(src[..., c]), dsize, fx=fx, fy=fy,
                             interpolation=flag) for c in range(src.shape[2])]
        return np.stack(planes, axis=-1)


def random_image(rng, h, w, channels, dtype):
    shape = (h, w) if channels == 0 else (h, w, channels)     # 0: a 2-D array
    if dtype == np.uint8:
        return rng.integers(0, 256, shape).astype(np.uint8)
    return (rng.random(shape) * 255).astype(np.float32)


SIZES = [  # (h, w), dsize or None, fx, fy
    ((37, 53), (20, 11), 0, 0), ((13, 9), (31, 40), 0, 0), ((40, 7), (7, 40), 0, 0),
    ((64, 48), (24, 32), 0, 0),                      # exact x0.5 (linear: OpenCV's area shortcut)
    ((51, 33), None, 0.5, 0.5),                      # x0.5 with odd sizes: partial area blocks
    ((30, 45), None, 1 / 3, 1 / 3), ((30, 45), None, 0.3, 0.7), ((17, 9), None, 2.0, 3.0),
    ((1, 30), (4, 1), 0, 0), ((29, 1), (3, 57), 0, 0), ((90, 70), (67, 31), 0, 0),
]


@pytest.mark.parametrize("flag", FLAGS, ids=list(CV2_INTERPOLATIONS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [0, 1, 2, 3, 4, 6])
def test_bit_for_bit_with_opencvs_own_code(flag, dtype, channels, without_ipp):
    rng = np.random.default_rng(flag * 100 + channels)
    for (h, w), dsize, fx, fy in SIZES:
        src = random_image(rng, h, w, channels, dtype)
        want = reference(src, dsize, fx, fy, flag)
        got = cv2_resize(src, dsize, None, fx, fy, flag)
        assert got.dtype == want.dtype and got.shape == want.shape, ((h, w), dsize, fx, fy)
        np.testing.assert_array_equal(got, want, err_msg=f"{(h, w)} {dsize} {fx} {fy}")


def test_random_cases(without_ipp):
    rng = np.random.default_rng(77)
    for i in range(300):
        h, w = (int(v) for v in rng.integers(1, 130, 2))
        dtype = (np.uint8, np.float32)[i % 2]
        src = random_image(rng, h, w, int(rng.integers(1, 6)), dtype)
        flag = FLAGS[i % len(FLAGS)]
        if i % 3:
            dsize, fx, fy = (int(rng.integers(1, 140)), int(rng.integers(1, 140))), 0, 0
        else:
            dsize, fx, fy = None, float(rng.choice([0.25, 0.5, 0.3, 1.7, 2.0])), float(rng.choice([0.5, 0.7, 3.0]))
            if round(w * fx) == 0 or round(h * fy) == 0:
                continue
        np.testing.assert_array_equal(cv2_resize(src, dsize, None, fx, fy, flag),
                                      cv2.resize(src, dsize, fx=fx, fy=fy, interpolation=flag),
                                      err_msg=f"{src.shape} {dsize} {fx} {fy} {flag}")


@pytest.mark.parametrize("name", list(CV2_INTERPOLATIONS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_with_the_wheels_default_ipp(name, dtype):
    rng = np.random.default_rng(5)
    assert cv2.ipp.useIPP()
    for channels in (1, 3, 4):
        for (h, w), dsize, fx, fy in SIZES[:4] + SIZES[-1:]:
            src = random_image(rng, h, w, channels, dtype)
            want = cv2.resize(src, dsize, fx=fx, fy=fy, interpolation=CV2_INTERPOLATIONS[name])
            got = cv2_resize(src, dsize, None, fx, fy, name)
            if (name, np.dtype(dtype).name) not in IPP_CASES:
                np.testing.assert_array_equal(got, want)
            elif dtype == np.uint8:             # IPP's cubic: within 1
                assert np.abs(got.astype(int) - want).max() <= 1
            else:
                # IPP's float linear and cubic keep the source coordinate in double, OpenCV's
                # own code rounds it to float32: the weights move by up to a float32 ulp of
                # the coordinate, times the data's range (255), on each axis
                atol = 255 * 4 * float(np.spacing(np.float32(max(h, w))))
                np.testing.assert_allclose(got, want, rtol=0, atol=atol)


def test_lanczos_keeps_opencvs_tiny_values():
    # OpenCV marks a tap that lands on the sample with 1e30 and normalises it away, which
    # leaves the other taps at about 1e-30 instead of 0: zeros next to values come out tiny
    src = np.zeros((30, 30), np.float32)
    src[::3, ::3] = 100
    got = cv2_resize(src, None, None, 1 / 3, 1 / 3, "lanczos4")
    np.testing.assert_array_equal(got, cv2.resize(src, None, fx=1 / 3, fy=1 / 3,
                                                  interpolation=cv2.INTER_LANCZOS4))


def test_threads_do_not_matter(without_ipp):
    src = np.random.default_rng(0).integers(0, 256, (301, 257, 3)).astype(np.uint8)
    for flag in FLAGS:
        one = cv2_resize(src, (113, 411), interpolation=flag, num_threads=1)
        for threads in (2, 3, 7):
            np.testing.assert_array_equal(cv2_resize(src, (113, 411), interpolation=flag,
                                                     num_threads=threads), one)


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
    (lambda a: cv2_resize(a.astype(np.float64), (3, 3)), TypeError, "uint8 and float32"),
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
