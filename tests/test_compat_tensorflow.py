"""resample.compat.tf_resize and tf_resize_v1 against the installed TensorFlow (2.21, CPU):
bit for bit for every method, with and without antialias, on random shapes (up and down,
1 to 5 channels, batches), every dtype TensorFlow's kernels take, preserve_aspect_ratio,
the TF 1.x grid; a Keras-style preprocessing pipeline run both ways; the thread count
changes nothing; bad calls raise."""
import os
import sys

import numpy as np
import pytest

from resample.compat import TF_METHODS, tf_resize, tf_resize_v1

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow", reason="TensorFlow is not installed")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
from cli_photos import photo_like  # noqa: E402  (the benchmark's photo-like images)

DTYPES = ["uint8", "int8", "uint16", "int16", "int32", "int64", "float16", "float32", "float64"]


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(
        np.ascontiguousarray(a).view(np.uint8), np.ascontiguousarray(b).view(np.uint8))


def random_images(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -1000), min(info.max, 1000)
        return rng.integers(lo, hi, shape, endpoint=True).astype(dtype)
    return (rng.random(shape) * 300 - 20).astype(dtype)


def describe(ref, got):
    if ref.shape != got.shape or ref.dtype != got.dtype:
        return f"{ref.dtype}{ref.shape} vs {got.dtype}{got.shape}"
    d = np.abs(ref.astype(np.float64) - got.astype(np.float64))
    return f"max difference {d.max()} on {(d > 0).sum()} of {d.size}"


@pytest.mark.parametrize("seed", range(6))
def test_random_cases_every_method(seed):
    rng = np.random.default_rng(seed)
    for _ in range(4):
        h, w = (int(v) for v in rng.integers(1, 48, 2))
        oh, ow = (int(v) for v in rng.integers(1, 80, 2))
        c = int(rng.choice([1, 3, 4, 5]))
        dtype = DTYPES[int(rng.integers(len(DTYPES)))]
        x = random_images(rng, (int(rng.integers(1, 3)), h, w, c), dtype)
        for method in TF_METHODS:
            for antialias in (False, True):
                ref = tf.image.resize(x, (oh, ow), method=method, antialias=antialias).numpy()
                got = tf_resize(x, (oh, ow), method=method, antialias=antialias)
                assert same_bits(ref, got), (method, antialias, dtype, x.shape, (oh, ow),
                                             describe(ref, got))


@pytest.mark.parametrize("method", TF_METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_frame_down_and_up(method, antialias):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)
    for size in ((45, 80), (37, 101), (180, 320), (91, 161)):
        ref = tf.image.resize(x, size, method=method, antialias=antialias).numpy()
        assert same_bits(ref, tf_resize(x, size, method=method, antialias=antialias)), size


def test_bfloat16():
    bfloat16 = pytest.importorskip("ml_dtypes").bfloat16
    x = (np.random.default_rng(3).random((9, 14, 3)) * 100).astype(bfloat16)
    for method in ("bilinear", "nearest", "area", "lanczos3", "bicubic"):
        ref = tf.image.resize(x, (5, 23), method=method).numpy()
        assert same_bits(ref, tf_resize(x, (5, 23), method=method)), method


def test_special_values():
    x = np.zeros((6, 7, 2), np.float32)
    x[2, 3, 0], x[4, 1, 1], x[0, 0, 0] = np.inf, np.nan, -np.inf
    for method in TF_METHODS:
        for size in ((6, 7), (3, 11)):
            ref = tf.image.resize(x, size, method=method).numpy()
            got = tf_resize(x, size, method=method)
            assert np.array_equal(ref, got, equal_nan=True), (method, size)


def test_preserve_aspect_ratio():
    x = np.random.default_rng(1).random((33, 47, 3)).astype(np.float32)
    for size in ((20, 20), (100, 30), (7, 200)):
        for method in ("bilinear", "bicubic", "nearest"):
            ref = tf.image.resize(x, size, method=method, preserve_aspect_ratio=True).numpy()
            assert same_bits(ref, tf_resize(x, size, method=method, preserve_aspect_ratio=True))


@pytest.mark.parametrize("align_corners", [False, True])
def test_compat_v1(align_corners):
    rng = np.random.default_rng(11)
    for shape, size in (((2, 13, 17, 3), (29, 8)), ((21, 10, 1), (21, 10)), ((5, 40, 4), (12, 39)),
                        ((1, 1, 1), (5, 7)), ((2, 1, 3), (1, 2)), ((1, 6, 1), (3, 4))):
        x = random_images(rng, shape, "float32")
        for method in range(4):
            ref = tf.compat.v1.image.resize(x, size, method=method,
                                            align_corners=align_corners).numpy()
            got = tf_resize_v1(x, size, method=method, align_corners=align_corners)
            assert same_bits(ref, got), (method, shape, size, describe(ref, got))


def test_thread_counts_agree():
    x = np.random.default_rng(2).integers(0, 256, (2, 120, 90, 3), dtype=np.uint8)
    for method in TF_METHODS:
        one = tf_resize(x, (61, 200), method=method, num_threads=1)
        assert same_bits(one, tf_resize(x, (61, 200), method=method, num_threads=4))


def keras_style(resize, image):
    """A Keras-style preprocessing: resize to 224 (bilinear, as keras.layers.Resizing),
    scale to [0, 1], normalise by ImageNet's mean and standard deviation (NumPy, identically
    on both sides, after the resize)."""
    x = np.asarray(resize(image, (224, 224))) / np.float32(255)
    return (x - np.float32([0.485, 0.456, 0.406])) / np.float32([0.229, 0.224, 0.225])


@pytest.mark.parametrize("height, width, seed", [(640, 427, 1), (150, 200, 3), (353, 517, 2)])
def test_keras_style_pipeline(height, width, seed):
    photo = photo_like(height, width, seed)
    for antialias in (False, True):
        ref = keras_style(lambda x, s: tf.image.resize(x, s, antialias=antialias).numpy(), photo)
        got = keras_style(lambda x, s: tf_resize(x, s, antialias=antialias), photo)
        assert same_bits(ref, got)


def test_bad_calls():
    x = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        tf_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="not implemented"):
        tf_resize(x, (2, 2), method="lanczos4")
    with pytest.raises(ValueError, match="positive"):
        tf_resize(x, (0, 2))
    with pytest.raises(ValueError, match="two integers"):
        tf_resize(x, 2)
    for dtype in (bool, np.uint32, np.complex64):      # TensorFlow refuses them too
        with pytest.raises(TypeError, match="takes uint8"):
            tf_resize(np.zeros((4, 4, 1), dtype), (2, 2))
    with pytest.raises(ValueError, match="empty"):
        tf_resize(np.zeros((0, 4, 1), np.float32), (2, 2))
    with pytest.raises(ValueError, match="not implemented"):
        tf_resize_v1(x, (2, 2), method=4)
