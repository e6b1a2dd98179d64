"""uint8: torch's fixed-point kernels bit for bit (docs §3.6), every layout and C."""
import numpy as np
import pytest

import resample

TORCH_MODES = [("bilinear", False), ("bicubic", False), ("bilinear", True), ("bicubic", True),
               ("lanczos", True), ("nearest", False), ("nearest-exact", False)]


def random_calls(seed, count):
    rng = np.random.default_rng(seed)
    for n in range(count):
        mode, antialias = TORCH_MODES[n % len(TORCH_MODES)]
        channels = 1 + n % 5
        in_hw = tuple(int(v) for v in rng.integers(1, 40, 2))
        align = None if mode.startswith("nearest") else (False if mode == "lanczos" else bool(rng.integers(2)))
        if n % 3:
            kw = dict(size=tuple(int(v) for v in rng.integers(1, 60, 2)))
        else:
            kw = dict(scale_factor=tuple(float(v) for v in rng.uniform(0.3, 3.0, 2)),
                      recompute_scale_factor=bool(rng.integers(2)))
            if any(int(i * s) < 1 for i, s in zip(in_hw, kw["scale_factor"])):
                continue
        yield pytest.param(channels, in_hw, dict(kw, mode=mode, antialias=antialias, align_corners=align),
                           id=f"{n}-{mode}{'-aa' if antialias else ''}-C{channels}")


def channels_last(x):
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


def two_pass_reference(x, size=None, scale_factor=None, recompute_scale_factor=None, **kw):
    """torch, one axis per call: W, then H on the transposed result. torch's uint8 kernels
    run exactly these passes with a uint8 intermediate, so the bits are the same, but
    no call has out_w == 1 with a changed height, where torch's fallback kernel uses row
    0's vertical weights for every row (docs §3.5/§3.6), nor torch's C == 3 crash."""
    from oracle import torch_interpolate
    if size is not None:
        along_w, along_h = dict(size=(x.shape[2], size[1])), dict(size=(size[1], size[0]))
    else:
        along_w = dict(scale_factor=(1.0, scale_factor[1]), recompute_scale_factor=recompute_scale_factor)
        along_h = dict(scale_factor=(1.0, scale_factor[0]), recompute_scale_factor=recompute_scale_factor)
    step = torch_interpolate(x, **along_w, **kw)
    return torch_interpolate(step.swapaxes(2, 3), **along_h, **kw).swapaxes(2, 3)


@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
@pytest.mark.parametrize("channels, in_hw, kw", list(random_calls(0, 140)))
def test_matches_torch_bit_for_bit(channels, in_hw, kw, layout):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(channels).integers(0, 256, (2, channels, *in_hw), dtype=np.uint8)
    if layout == "nhwc":
        x = channels_last(x)
    got = resample.interpolate(x, **kw)
    assert got.dtype == np.uint8
    if layout == "nhwc":
        assert got.transpose(0, 2, 3, 1).flags.c_contiguous
    if kw["mode"].startswith("nearest"):
        want = resample.interpolate(x.astype(np.float32), **kw).astype(np.uint8)   # a plain copy
    else:
        want = two_pass_reference(x, **kw)
    np.testing.assert_array_equal(got, want)
    out_h, out_w = got.shape[2:]
    if not (out_w == 1 and out_h != in_hw[0]) and not (channels == 3 and out_h == out_w == 1):
        direct = torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy()
        np.testing.assert_array_equal(got, direct)


def test_torch_out_w_1_and_c3_bugs_are_not_reproduced():
    pytest.importorskip("torch")
    x = np.random.default_rng(1).integers(0, 256, (1, 3, 9, 7), dtype=np.uint8)
    for kw in [dict(size=(1, 1), mode="bilinear"), dict(size=(5, 1), mode="bicubic", antialias=True)]:
        np.testing.assert_array_equal(resample.interpolate(x, **kw), two_pass_reference(x, **kw))


TV_X = np.array([[3, 1, 4, 1, 5, 9, 2, 6], [5, 3, 5, 8, 9, 7, 9, 3],
                 [2, 3, 8, 4, 6, 2, 6, 4], [3, 3, 8, 3, 2, 7, 9, 5]], dtype=np.float64)


def test_spec_vectors_tv16_tv17():
    xu = (TV_X * 25).astype(np.uint8)[None, None]
    np.testing.assert_array_equal(
        resample.interpolate(xu, size=(2, 3), mode="bilinear", antialias=True).ravel(),
        [86, 142, 143, 103, 126, 145])
    np.testing.assert_array_equal(
        resample.interpolate(xu, size=(3, 11), mode="bicubic").ravel(),
        [88, 45, 50, 103, 55, 84, 170, 222, 116, 86, 144,
         91, 75, 103, 167, 167, 198, 185, 97, 174, 161, 69,
         70, 60, 120, 200, 108, 50, 78, 150, 211, 183, 115])


# Modes torch refuses for uint8: resample's own documented rules.

@pytest.mark.parametrize("align", [False, True])
def test_linear_is_bilinear_along_one_axis(align):
    x = np.random.default_rng(2).integers(0, 256, (2, 3, 50), dtype=np.uint8)
    got = resample.interpolate(x, size=77, mode="linear", align_corners=align)
    want = resample.interpolate(x[:, :, None], size=(1, 77), mode="bilinear", align_corners=align)[:, :, 0]
    np.testing.assert_array_equal(got, want)


def test_trilinear_is_bilinear_when_depth_is_unchanged_and_close_to_float():
    x = np.random.default_rng(3).integers(0, 256, (1, 2, 4, 13, 17), dtype=np.uint8)
    got = resample.interpolate(x, size=(4, 20, 9), mode="trilinear")
    want = resample.interpolate(x.reshape(1, 8, 13, 17), size=(20, 9), mode="bilinear").reshape(got.shape)
    np.testing.assert_array_equal(got, want)
    full = resample.interpolate(x, size=(7, 20, 9), mode="trilinear").astype(int)
    exact = resample.interpolate(x.astype(np.float64), size=(7, 20, 9), mode="trilinear")
    assert np.abs(full - exact).max() <= 1.5    # one rounding per pass


@pytest.mark.parametrize("shape, size", [((2, 3, 31), 7), ((1, 4, 17, 23), (5, 9)), ((1, 2, 9, 8, 7), (2, 3, 4)),
                                         ((1, 1, 6, 6), (4, 4)), ((1, 1, 6, 6), (1, 1))])
def test_area_is_the_window_mean_rounded_half_up(shape, size):
    x = np.random.default_rng(4).integers(0, 256, shape, dtype=np.uint8)
    got = resample.interpolate(x, size=size, mode="area")
    mean = resample.interpolate(x.astype(np.float64), size=size, mode="area")
    # integer sums divided by k: a tie is exactly m + 0.5, anything else is >= 1/(2k) away
    np.testing.assert_array_equal(got, np.floor(mean + 0.5).astype(np.uint8))
    ties = np.array([[[[1, 2, 3, 4]]]], np.uint8)
    np.testing.assert_array_equal(resample.interpolate(ties, size=(1, 2), mode="area").ravel(), [2, 4])


def test_thread_count_does_not_change_bits():
    x = np.random.default_rng(5).integers(0, 256, (2, 3, 300, 211), dtype=np.uint8)
    for kw in [dict(size=(97, 400), mode="bicubic"), dict(size=(97, 80), mode="lanczos", antialias=True),
               dict(size=(50, 50), mode="area")]:
        np.testing.assert_array_equal(resample.interpolate(x, **kw, num_threads=1),
                                      resample.interpolate(x, **kw, num_threads=2))
