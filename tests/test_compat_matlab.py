"""compat.matlab_imresize against MATLAB R2017b's own imresize outputs (tests/matlab/) and,
bit for bit in double, against a float64 transcription of imresize.m's algorithm
(tests/matlab_reference.py) on random shapes, scales, methods and classes."""
import math
from pathlib import Path

import numpy as np
import pytest

import matlab_reference as ref
from resample.compat import MATLAB_METHODS, matlab_imresize

DATA = Path(__file__).parent / "matlab"
OFFSET, CROP = 192, 64


def _png(name):
    Image = pytest.importorskip("PIL.Image")
    with Image.open(DATA / name) as im:
        return np.asarray(im)


@pytest.mark.parametrize("name, scale", [("down_x2", 1 / 2), ("down_x3", 1 / 3), ("down_x4", 1 / 4),
                                         ("up_x2", 2), ("up_x3", 3)])
def test_matlabs_own_outputs_zero_differing_pixels(name, scale):
    """imwrite(imresize(im2double(img), s, 'bicubic')): every pixel of MATLAB's output, away
    from the crop's edges (the filter's reach), equal."""
    img = _png("baboon_crop.png")
    want = _png(f"baboon_crop_{name}_matlab.png")
    got = matlab_imresize(img.astype(np.float64) / 255, scale, method="bicubic")
    as_uint8 = np.clip(np.floor(got * 255 + 0.5), 0, 255).astype(np.uint8)     # im2uint8
    reach = 2 * scale + 1 if scale > 1 else 3        # the filter's reach, in output samples
    inner = (slice(reach, want.shape[0] - reach), slice(reach, want.shape[1] - reach))
    assert as_uint8.shape[:2] == (math.ceil(CROP * scale),) * 2
    assert want[inner].size > 0
    np.testing.assert_array_equal(as_uint8[inner], want[inner])


def _random_case(rng):
    h, w = (int(v) for v in rng.integers(1, 40, 2))
    shape = (h, w) + ((int(rng.choice([1, 3])),) if rng.random() < 0.5 else ())
    method = str(rng.choice(MATLAB_METHODS))
    kwargs = {"method": method}
    if rng.random() < 0.3:
        kwargs["antialiasing"] = bool(rng.random() < 0.5)
    if rng.random() < 0.5:
        s = float(rng.choice([0.25, 1 / 3, 0.4, 0.5, 0.77, 1.0, 1.5, 2.0, 3.0, 4.3]))
        kwargs["scale"] = s if rng.random() < 0.7 else (s, float(rng.choice([0.5, 2.0, 0.3])))
    else:
        out = [int(v) for v in rng.integers(1, 50, 2)]
        if rng.random() < 0.3:
            out[int(rng.integers(0, 2))] = None                   # MATLAB's NaN
        kwargs["output_size"] = out
    return shape, kwargs


def _reference(a, kwargs, cast=None):
    kw = dict(kwargs)
    scale, size = kw.pop("scale", None), kw.pop("output_size", None)
    if size is not None and None in size:          # MATLAB's NaN: the other size's ratio
        k = size.index(None)
        other = 1 - k
        size = list(size)
        size[k] = math.ceil(size[other] * a.shape[k] / a.shape[other])
    return ref.imresize(a, scale=scale, output_size=size, cast=cast, **kw)


@pytest.mark.parametrize("seed", range(60))
def test_double_is_bit_for_bit_with_the_algorithm(seed):
    rng = np.random.default_rng(seed)
    shape, kwargs = _random_case(rng)
    a = rng.random(shape) * 2 - 0.5
    want = _reference(a, kwargs)
    got = matlab_imresize(a, **kwargs)
    assert got.dtype == np.float64 and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def _uint8(x):
    return np.clip(np.where(np.isnan(x), 0, np.sign(x) * np.floor(np.abs(x) + 0.5)), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_uint8_and_single_round_after_each_dimension(seed, dtype):
    rng = np.random.default_rng(100 + seed)
    shape, kwargs = _random_case(rng)
    if dtype == "uint8":
        a = rng.integers(0, 256, shape).astype(np.uint8)
        cast = _uint8
    else:
        a = (rng.random(shape) * 2 - 0.5).astype(np.float32)
        cast = lambda x: x.astype(np.float32)          # noqa: E731
    want = cast(_reference(a.astype(np.float64), kwargs, cast))
    got = matlab_imresize(a, **kwargs)
    assert got.dtype == a.dtype
    np.testing.assert_array_equal(got, want)


def test_logical_images_threshold_the_uint8_result():
    rng = np.random.default_rng(5)
    a = rng.random((17, 23)) > 0.5
    want = matlab_imresize(np.where(a, np.uint8(255), np.uint8(0)), 0.6) > 128
    got = matlab_imresize(a, 0.6)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, want)


def test_dimension_order_the_smaller_scale_first():
    """Rows shrunk more than columns: rows go first; the other order gives other bits."""
    rng = np.random.default_rng(9)
    a = rng.random((37, 41))
    got = matlab_imresize(a, output_size=(9, 30))
    np.testing.assert_array_equal(got, ref.imresize(a, output_size=(9, 30)))
    cols_first = ref.imresize(ref.imresize(a, output_size=(37, 30)), output_size=(9, 30))
    assert got.shape == cols_first.shape and (got != cols_first).any()


def test_results_do_not_depend_on_threads():
    a = np.random.default_rng(2).random((300, 257, 3))
    one = matlab_imresize(a, 0.37, num_threads=1)
    for n in (2, 3):
        np.testing.assert_array_equal(matlab_imresize(a, 0.37, num_threads=n), one)


@pytest.mark.parametrize("call, error, match", [
    (lambda a: matlab_imresize(a), ValueError, "exactly one"),
    (lambda a: matlab_imresize(a, 0.5, output_size=(3, 3)), ValueError, "exactly one"),
    (lambda a: matlab_imresize(a, 0.0), ValueError, "positive finite"),
    (lambda a: matlab_imresize(a, float("inf")), ValueError, "positive finite"),
    (lambda a: matlab_imresize(a, output_size=(None, None)), ValueError, "at least one"),
    (lambda a: matlab_imresize(a, output_size=(0, 4)), ValueError, "1 or more"),
    (lambda a: matlab_imresize(a, output_size=5), ValueError, "rows, cols"),
    (lambda a: matlab_imresize(a, 0.5, method="spline"), ValueError, "unknown method"),
    (lambda a: matlab_imresize(a, 0.5, antialiasing="yes"), TypeError, "antialiasing"),
    (lambda a: matlab_imresize(a.astype(np.int16), 0.5), TypeError, "int16"),
    (lambda a: matlab_imresize(a[0], 0.5), TypeError, "2 or more"),
    (lambda a: matlab_imresize(a[:0], 0.5), ValueError, "empty"),
])
def test_bad_calls_are_refused(call, error, match):
    with pytest.raises(error, match=match):
        call(np.zeros((8, 8)))
