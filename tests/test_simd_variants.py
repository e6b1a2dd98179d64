"""Every compiled kernel variant gives the same bits (no fused multiply-add anywhere)."""
import numpy as np
import pytest

import resample
from resample import _engine

CALLS = [
    ((2, 5, 37, 41), np.float32, dict(size=(80, 19), mode="bilinear")),
    ((2, 5, 37, 41), np.float64, dict(size=(80, 19), mode="bicubic", align_corners=True)),
    ((2, 5, 37, 41), np.float16, dict(scale_factor=0.29, mode="bicubic")),
    ((2, 5, 37, 41), np.float32, dict(size=(9, 13), mode="lanczos", antialias=True)),
    ((2, 5, 37, 41), np.float32, dict(size=(9, 13), mode="area")),
    ((1, 3, 9, 37, 41), np.float32, dict(size=(4, 80, 19), mode="trilinear")),
    ((3, 4, 300), np.float64, dict(size=777, mode="linear")),
    ((2, 3, 37, 41), np.uint8, dict(size=(80, 19), mode="bicubic")),
    ((2, 3, 37, 41), np.uint8, dict(size=(11, 13), mode="bilinear", antialias=True)),
    ((2, 3, 37, 41), np.uint8, dict(size=(11, 13), mode="area")),
    ((2, 3, 37, 41), np.float32, dict(size=(80, 19), mode="nearest-exact")),
    # rows that halve or double: the AVX2 build computes them without transposes
    ((2, 3, 37, 203), np.float32, dict(scale_factor=0.5, mode="bilinear")),
    ((2, 3, 37, 203), np.float32, dict(scale_factor=2.0, mode="bilinear")),
    ((1, 2, 21, 250), np.float32, dict(scale_factor=0.5, mode="bicubic")),
    ((1, 2, 21, 131), np.float32, dict(scale_factor=2.0, mode="bicubic")),
    ((1, 2, 21, 133), np.float32, dict(scale_factor=0.5, mode="bicubic", antialias=True)),
    ((1, 2, 21, 67), np.float32, dict(scale_factor=0.5, mode="lanczos", antialias=True)),
    ((1, 2, 21, 200), np.float32, dict(size=(7, 100), mode="bilinear", antialias=True)),
    ((1, 2, 21, 200), np.float32, dict(size=(42, 400), mode="bilinear", antialias=True)),
    ((3, 8, 1000), np.float32, dict(scale_factor=0.5, mode="linear")),
    ((3, 8, 97), np.float32, dict(scale_factor=2.0, mode="linear")),
    # channels-last pixels of 2 and 4 samples (3: above) that halve or double: permuted loads
    ((2, 2, 15, 250), np.float32, dict(scale_factor=0.5, mode="bilinear")),
    ((1, 4, 21, 131), np.float32, dict(scale_factor=2.0, mode="bicubic")),
    ((1, 4, 9, 301), np.float32, dict(scale_factor=0.5, mode="bicubic", antialias=True)),
    # uint8 nearest gathers 16 bytes from a window of 32 (a 2x shrink, any channel count);
    # 3x and wider windows take the plain loop
    ((2, 3, 37, 203), np.uint8, dict(scale_factor=0.5, mode="nearest")),
    ((1, 4, 9, 301), np.uint8, dict(size=(5, 200), mode="nearest")),
    ((1, 3, 9, 301), np.uint8, dict(size=(3, 100), mode="nearest-exact")),
    ((1, 1, 9, 70), np.uint8, dict(size=(5, 37), mode="nearest")),
]


def random_input(shape, dtype, channels_last):
    """Random samples (0..255 for uint8), C order or channels-last in memory."""
    rng = np.random.default_rng(9)
    x = (rng.integers(0, 256, shape) if dtype == np.uint8 else rng.standard_normal(shape)).astype(dtype)
    return np.moveaxis(np.ascontiguousarray(np.moveaxis(x, 1, -1)), -1, 1) if channels_last else x


@pytest.mark.parametrize("shape, dtype, kw", CALLS, ids=lambda v: str(v).replace(" ", ""))
@pytest.mark.parametrize("channels_last", [False, True])
def test_variants_agree_bit_for_bit(monkeypatch, kernel_builds, shape, dtype, kw, channels_last):
    modules = kernel_builds
    if len(modules) < 2:
        pytest.skip("only one kernel variant runs on this machine")
    x = random_input(shape, dtype, channels_last)
    results = []
    for module in modules:
        monkeypatch.setattr(_engine, "_kernels", module)
        forward = resample.interpolate(x, **kw)
        backward = None
        if dtype != np.uint8:
            backward = resample.interpolate_backward(forward, x.shape, **kw)
        results.append((forward, backward))
    (f0, b0), (f1, b1) = results

    def bits(a):
        return np.ascontiguousarray(a).view(np.uint8)
    np.testing.assert_array_equal(bits(f0), bits(f1))
    if b0 is not None:
        np.testing.assert_array_equal(bits(b0), bits(b1))


def test_show_config_names_the_variant():
    assert resample._config.config()["simd_variant"] in ("baseline", "avx2")


# Outputs of 32 MiB and more are written with non-temporal stores by the AVX2 build (whole
# cache lines from each row's first 64-byte boundary on): same bits, whatever the output's
# alignment.
STREAMED = [
    ((1, 2, 1400, 1501), dict(scale_factor=2.0, mode="bilinear"), False),      # fused H and W
    ((1, 2, 1400, 1501), dict(size=(2800, 1501), mode="bicubic"), False),      # H alone
    ((1, 3, 1400, 1001), dict(scale_factor=2.0, mode="bilinear"), True),       # channels-last
    ((1, 1, 64, 128, 129), dict(scale_factor=2.0, mode="trilinear"), False),   # a volume
]


@pytest.mark.parametrize("shape, kw, channels_last", STREAMED, ids=lambda v: str(v).replace(" ", ""))
def test_streamed_outputs_agree_bit_for_bit(monkeypatch, kernel_builds, shape, kw, channels_last):
    if len(kernel_builds) < 2:
        pytest.skip("only one kernel variant runs on this machine")
    x = random_input(shape, np.float32, channels_last)
    results = []
    for module in kernel_builds:
        monkeypatch.setattr(_engine, "_kernels", module)
        whole = resample.interpolate(x, **kw)
        assert whole.nbytes >= 32 << 20
        for skew in (1, 9):      # the same call into an output that many floats past a line
            memory = np.empty(whole.size + 32, np.float32)
            start = (-memory.ctypes.data % 64) // 4 + skew
            layout = np.moveaxis(whole, 1, -1) if channels_last else whole
            out = memory[start:start + whole.size].reshape(layout.shape)
            out = np.moveaxis(out, -1, 1) if channels_last else out
            resample.interpolate(x, **kw, out=out)
            np.testing.assert_array_equal(out.view(np.uint32), whole.view(np.uint32))
        results.append(whole)
    np.testing.assert_array_equal(results[0].view(np.uint32), results[1].view(np.uint32))
