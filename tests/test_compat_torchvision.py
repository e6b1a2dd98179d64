"""resample.compat.torchvision_resize against torchvision 0.28's transforms.v2.functional.resize,
bit for bit: its size rules, every interpolation, uint8 both paths, float32 and float64 with
torch's kernel choice (small outputs, one thread), and its errors.

conftest pins torch to its portable kernels. torchvision's compiled ops do not load
against torch's CPU build, but its resize is pure Python: the op registrations are stubbed
before it is imported."""
import sys
import types

import numpy as np
import pytest

from resample.compat import torchvision_output_size, torchvision_resize

torch = pytest.importorskip("torch")
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
F = pytest.importorskip("torchvision.transforms.v2.functional")
InterpolationMode = pytest.importorskip("torchvision.transforms").InterpolationMode

MODES = ["nearest", "nearest-exact", "bilinear", "bicubic", "lanczos"]


@pytest.fixture
def capability(monkeypatch):
    """Sets what torchvision reads from torch.backends.cpu.get_cpu_capability() (its uint8
    bilinear path depends on it); torch itself keeps running its portable kernels."""
    def use(name):
        monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: name)
    return use


def torchvision(x, *args):
    return F.resize(torch.from_numpy(x), *args).numpy()


def random_array(rng, shape, dtype):
    if dtype == np.uint8:
        return rng.integers(0, 256, shape).astype(np.uint8)
    return rng.standard_normal(shape).astype(dtype)


def correct_case(shape, out_hw, mode, antialias):
    """torch's antialias kernels give every output row row 0's weights when the output
    width is 1 and the height changes (docs/compat.md): resample returns the right values."""
    return not (antialias and mode in ("bilinear", "bicubic", "lanczos") and out_hw[1] == 1
                and out_hw[0] != shape[-2])


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("native", [True, False])
def test_every_mode_and_dtype(dtype, mode, native, capability):
    capability("AVX2" if native else "DEFAULT")
    rng = np.random.default_rng(MODES.index(mode) * 10 + native)
    cases = 0
    for trial in range(24):
        channels = int(rng.integers(1, 6))
        h, w = (int(v) for v in rng.integers(1, 90, 2))
        lead = [(), (2,), (2, 2)][trial % 3]
        size = [int(rng.integers(1, 120)), [int(rng.integers(1, 120))],
                [int(rng.integers(1, 120)), int(rng.integers(1, 120))]][trial % 3]
        antialias = mode == "lanczos" or bool(trial % 2)
        x = random_array(rng, lead + (channels, h, w), dtype)
        out_hw = torchvision_output_size((h, w), size)
        if not correct_case(x.shape, out_hw, mode, antialias):
            continue
        want = torchvision(x, size, InterpolationMode(mode), None, antialias)
        got = torchvision_resize(x, size, mode, None, antialias, native_uint8_bilinear=native)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want, err_msg=f"{x.shape} {size} aa={antialias}")
        cases += 1
    assert cases > 15


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_torchs_one_thread_kernel_for_three_channels(dtype):
    # 3-channel float bilinear on one torch thread runs torch's channels-last kernel,
    # whose last bits differ from its generic one's; 224 + 224 > 128 rules out the
    # small-output choice, so only the thread count decides here
    rng = np.random.default_rng(9)
    x = random_array(rng, (2, 3, 97, 131), dtype)
    saved = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = torchvision(x, [224, 224], InterpolationMode.BILINEAR, None, False)
        torch.set_num_threads(2)
        several = torchvision(x, [224, 224], InterpolationMode.BILINEAR, None, False)
    finally:
        torch.set_num_threads(saved)
    assert not np.array_equal(one, several)         # the two kernels differ here
    np.testing.assert_array_equal(
        torchvision_resize(x, [224, 224], antialias=False, torch_single_thread=True), one)
    np.testing.assert_array_equal(torchvision_resize(x, [224, 224], antialias=False), several)


@pytest.mark.parametrize("image_size, size, max_size", [
    ((480, 640), 224, None), ((640, 480), [224], None), ((480, 640), [100, 50], None),
    ((480, 640), 224, 256), ((480, 640), 224, 300), ((100, 1000), [10], 50),
    ((480, 640), None, 320), ((640, 480), None, 333), ((7, 7), 7, None), ((1, 5), [3], None),
])
def test_output_size_rules(image_size, size, max_size):
    x = np.zeros((1,) + image_size, np.uint8)
    want = torchvision(x, size, InterpolationMode.BILINEAR, max_size)
    assert torchvision_resize(x, size, max_size=max_size).shape == want.shape


@pytest.mark.parametrize("mode", MODES)
def test_any_memory_layout(mode, capability):
    # an HWC image viewed as CHW (a transpose, not a copy) gives the contiguous one's bits
    capability("AVX2")
    hwc = np.random.default_rng(4).integers(0, 256, (40, 50, 3)).astype(np.uint8)
    view = hwc.transpose(2, 0, 1)
    for size in ([17, 23], 70):
        np.testing.assert_array_equal(torchvision_resize(view, size, mode),
                                      torchvision(np.ascontiguousarray(view), size, InterpolationMode(mode)))


def test_unchanged_size_returns_the_input():
    x = np.zeros((3, 20, 30), np.float32)
    assert torchvision_resize(x, [20, 30]) is x
    assert torchvision_resize(x, 20) is x


def test_nearest_ignores_antialias_and_empty_batches():
    x = np.arange(2 * 3 * 8 * 8, dtype=np.float32).reshape(2, 3, 8, 8)
    np.testing.assert_array_equal(torchvision_resize(x, [3, 5], "nearest", antialias=True),
                                  torchvision(x, [3, 5], InterpolationMode.NEAREST, None, True))
    empty = np.zeros((0, 3, 8, 8), np.uint8)
    assert torchvision_resize(empty, [4, 4]).shape == torchvision(empty, [4, 4]).shape == (0, 3, 4, 4)


def test_interpolation_spellings():
    x = np.random.default_rng(1).integers(0, 256, (3, 20, 30)).astype(np.uint8)
    want = torchvision_resize(x, 9, "bicubic")
    for spelling in (InterpolationMode.BICUBIC, 3):
        np.testing.assert_array_equal(torchvision_resize(x, 9, spelling), want)


def test_out_w_of_one_gives_the_right_values_where_torch_does_not():
    x = np.arange(10, dtype=np.float64).reshape(1, 1, 2, 5)
    torch_values = torchvision(x, [3, 1], InterpolationMode.BILINEAR, None, True)
    ours = torchvision_resize(x, [3, 1], "bilinear", antialias=True)
    # torch gives every row row 0's taps (about 2, 2, 2); the right values are 2, 4.5, 7
    np.testing.assert_allclose(torch_values.ravel(), [2, 2, 2])
    np.testing.assert_allclose(ours.ravel(), [2, 4.5, 7])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(interpolation="linear"), ValueError, "Invalid interpolation mode"),
    (dict(interpolation="lanczos", antialias=False), ValueError, "requires antialias=True"),
    (dict(size=[10, 10], max_size=20), ValueError, "max_size should only be passed"),
    (dict(size=10, max_size=10), ValueError, "must be strictly greater"),
    (dict(size=None), ValueError, "max_size must be an integer"),
    (dict(interpolation="box"), ValueError, "use pil_resize"),
    (dict(size=-3), RuntimeError, "sizes should be greater than 0"),
    (dict(size=[0, 5]), RuntimeError, "sizes should be greater than 0"),
])
def test_errors_match_torchvision(kwargs, error, message):
    x = np.zeros((3, 20, 30), np.uint8)
    kwargs = dict(dict(size=10), **kwargs)
    with pytest.raises(error, match=message):
        torchvision_resize(x, **kwargs)
    if kwargs.get("interpolation") != "box":        # torchvision lets box reach torch
        with pytest.raises(error):
            F.resize(torch.from_numpy(x), kwargs.pop("size"),
                     **{k: InterpolationMode(v) if k == "interpolation" and v != "linear" else v
                        for k, v in kwargs.items()})


def test_refuses_other_dtypes_and_ranks():
    with pytest.raises(TypeError, match="uint8, float32 and float64"):
        torchvision_resize(np.zeros((3, 4, 4), np.int16), 2)
    with pytest.raises(TypeError, match=r"\(\.\.\., C, H, W\)"):
        torchvision_resize(np.zeros((4, 4), np.uint8), 2)
    with pytest.raises(MemoryError, match="more than this machine's"):
        torchvision_resize(np.zeros((3, 4, 4), np.uint8), [10**7, 10**7])


@pytest.mark.parametrize("shape, size, axis", [((3, 0, 5), 4, "height .axis 1."),
                                                ((2, 3, 5, 0), [4, 4], "width .axis 3."),
                                                ((3, 0, 0), None, "height .axis 1.")])
def test_an_empty_image_axis_is_named(shape, size, axis):
    # torchvision divides by zero (an int size) or fails to reshape; resample once handed
    # back an uninitialised output here
    with pytest.raises(ValueError, match=f"image's {axis} is 0"):
        torchvision_resize(np.zeros(shape, np.uint8), size, max_size=6 if size is None else None)


def test_an_empty_batch_resizes_to_an_empty_batch():
    out = torchvision_resize(np.zeros((0, 3, 5, 5), np.uint8), [4, 4])
    assert out.shape == (0, 3, 4, 4)
    assert F.resize(torch.zeros((0, 3, 5, 5), dtype=torch.uint8), [4, 4]).shape == out.shape
