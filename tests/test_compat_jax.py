"""resample.compat.jax_resize and jax_scale_and_translate against the installed JAX (0.10.2,
CPU): nearest bit for bit; the other methods within the measured bound of XLA's dot
rounding (docs/compat.md) on random shapes, ranks and dtypes; a Flax-style preprocessing
pipeline run both ways; the thread count changes nothing; bad calls raise."""
import os
import sys

import numpy as np
import pytest

from resample.compat import jax_resize, jax_scale_and_translate

jax = pytest.importorskip("jax", reason="JAX is not installed")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
from cli_photos import photo_like  # noqa: E402  (the benchmark's photo-like images)

METHODS = ["linear", "cubic", "cubic-pytorch", "lanczos3", "lanczos5", "area"]
# the largest difference from jax measured, in units of the result type's epsilon times the
# largest input magnitude (docs/compat.md: XLA's dot sums in its own order and blocking)
BOUND = {np.dtype(np.float32): 24.0, np.dtype(np.float16): 2.0}
DTYPES = ["uint8", "int16", "float16", "float32", "float64"]


def scaled_error(ref, got, x):
    """max |ref - got| / (eps(result type) * max |x|)."""
    assert ref.dtype == got.dtype and ref.shape == got.shape, (ref.dtype, ref.shape, got.dtype, got.shape)
    scale = float(np.abs(x.astype(np.float64)).max()) or 1.0
    diff = np.abs(ref.astype(np.float64) - got.astype(np.float64)).max(initial=0)
    return diff / (float(np.finfo(ref.dtype).eps) * scale)


def random_array(rng, shape, dtype):
    return (rng.random(shape) * 255).astype(dtype)


@pytest.mark.parametrize("seed", range(3))
def test_random_images(seed):          # (jax compiles every shape: few cases, each costly)
    rng = np.random.default_rng(seed)
    for _ in range(2):
        h, w = (int(v) for v in rng.integers(1, 40, 2))
        oh, ow = (int(v) for v in rng.integers(1, 70, 2))
        c = int(rng.choice([1, 3, 4]))
        dtype = DTYPES[int(rng.integers(len(DTYPES)))]
        x = random_array(rng, (h, w, c), dtype)
        ref = np.asarray(jax.image.resize(x, (oh, ow, c), "nearest"))
        got = jax_resize(x, (oh, ow, c), "nearest")
        assert ref.dtype == got.dtype and np.array_equal(ref, got), (x.shape, (oh, ow))
        for method in METHODS:
            for antialias in (False, True):
                ref = np.asarray(jax.image.resize(x, (oh, ow, c), method, antialias=antialias))
                got = jax_resize(x, (oh, ow, c), method, antialias=antialias)
                err = scaled_error(ref, got, x)
                assert err <= BOUND[ref.dtype], (method, antialias, dtype, x.shape, (oh, ow), err)


def test_nearest_many_sizes():
    x = np.arange(64, dtype=np.int32)
    for n in (1, 2, 5, 13, 61, 79, 100, 137, 4097):
        for m in (1, 6, 37, 64):
            ref = np.asarray(jax.image.resize(x[:m], (n,), "nearest"))
            assert np.array_equal(ref, jax_resize(x[:m], (n,), "nearest")), (m, n)


def test_other_ranks():
    rng = np.random.default_rng(5)
    x = random_array(rng, (3, 9, 12, 7), "float32")
    for shape in ((3, 5, 20, 7), (6, 9, 4, 2), (1, 17, 12, 7)):
        for method in ("linear", "cubic", "lanczos3"):
            ref = np.asarray(jax.image.resize(x, shape, method))
            assert scaled_error(ref, jax_resize(x, shape, method), x) <= BOUND[ref.dtype], (shape, method)
    v = random_array(rng, (31,), "float32")
    ref = np.asarray(jax.image.resize(v, (13,), "lanczos5"))
    assert scaled_error(ref, jax_resize(v, (13,), "lanczos5"), v) <= BOUND[ref.dtype]


def test_scale_and_translate():
    rng = np.random.default_rng(6)
    x = random_array(rng, (2, 15, 22, 3), "float32")
    for scale, translation in (([1.7, 0.6], [0.0, 0.0]), ([0.5, 2.0], [-3.2, 4.5])):
        for method in ("linear", "cubic", "lanczos3", "area", "cubic-pytorch"):
            for antialias in (False, True):
                ref = np.asarray(jax.image.scale_and_translate(
                    x, (2, 19, 17, 3), [1, 2], np.array(scale, np.float32),
                    np.array(translation, np.float32), method, antialias=antialias))
                got = jax_scale_and_translate(x, (2, 19, 17, 3), [1, -2], scale, translation,
                                              method, antialias=antialias)
                assert scaled_error(ref, got, x) <= BOUND[ref.dtype], (scale, translation, method, antialias)


def flax_style(resize, image):
    """A Flax-style input pipeline: resize to 224 x 224 (antialiased linear, jax's default),
    scale to [0, 1] and normalise by ImageNet's statistics (NumPy, the same both ways)."""
    x = np.asarray(resize(image.astype(np.float32), (224, 224, 3))) / np.float32(255)
    return (x - np.float32([0.485, 0.456, 0.406])) / np.float32([0.229, 0.224, 0.225])


@pytest.mark.parametrize("height, width, seed", [(640, 427, 1), (150, 200, 3)])
def test_flax_style_pipeline(height, width, seed):
    photo = photo_like(height, width, seed)
    for method in ("nearest", "linear", "lanczos3"):
        ref = flax_style(lambda x, s: jax.image.resize(x, s, method), photo)
        got = flax_style(lambda x, s: jax_resize(x, s, method), photo)
        if method == "nearest":
            assert np.array_equal(ref, got)
        else:       # within the bound, on values up to 255 before the normalisation
            assert np.abs(ref - got).max() <= BOUND[np.dtype(np.float32)] * np.finfo(np.float32).eps / 0.224


def test_thread_counts_agree():
    x = random_array(np.random.default_rng(2), (130, 90, 3), "float32")
    for method in ["nearest", *METHODS]:
        one = jax_resize(x, (61, 200, 3), method, num_threads=1)
        assert np.array_equal(one, jax_resize(x, (61, 200, 3), method, num_threads=4))


def test_bad_calls():
    x = np.zeros((4, 4, 3), np.float32)
    with pytest.raises(ValueError, match="number of dimensions"):
        jax_resize(x, (2, 2), "linear")
    with pytest.raises(ValueError, match="Unknown resize method"):
        jax_resize(x, (2, 2, 3), "lanczos4")
    with pytest.raises(ValueError, match="not currently supported"):
        jax_scale_and_translate(x, (2, 2, 3), [0, 1], [0.5, 0.5], [0, 0], "nearest")
    with pytest.raises(ValueError, match="not spatial"):
        jax_scale_and_translate(x, (2, 2, 2), [0, 1], [0.5, 0.5], [0, 0], "linear")
    with pytest.raises(ValueError, match="positive"):
        jax_scale_and_translate(x, (2, 2, 3), [0, 1], [0.5, 0.0], [0, 0], "linear")
    with pytest.raises(TypeError, match="complex"):
        jax_resize(np.zeros((4, 4), complex), (2, 2), "linear")
