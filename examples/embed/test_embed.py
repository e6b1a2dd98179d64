"""The embedding example, built against the installed resample: its results equal resize()'s."""
import numpy as np
import pytest

import resample
from embed_example import resize_into, resize_many


@pytest.mark.parametrize("dtype, mode, antialias", [(np.uint8, "linear", True),
                                                    (np.float32, "cubic", False),
                                                    (np.uint8, "lanczos", True)])
def test_cython_many_images_in_parallel(dtype, mode, antialias):
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, (67, 91, 3)).astype(dtype) for _ in range(12)]
    results = resize_many(images, 40, 130, mode, antialias, threads=4)
    assert len(results) == len(images)
    for image, got in zip(images, results):
        want = resample.resize(image, (40, 130), mode=mode, antialias=antialias)
        np.testing.assert_array_equal(got, want, strict=True)


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.float16, np.float32, np.float64])
def test_c_extension(dtype):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((2, 33, 47)) * 100).astype(dtype) if np.dtype(dtype).kind == "f" \
        else rng.integers(0, 200, (2, 33, 47)).astype(dtype)
    out = np.empty((2, 20, 80), dtype)
    resize_into(x, out, "cubic", True)
    want = resample.resize(x, (20, 80), axes=(1, 2), mode="cubic", antialias=True)
    np.testing.assert_array_equal(out, want, strict=True)


def test_c_extension_channels_last_and_errors():
    x = np.random.default_rng(3).random((4, 50, 60), np.float32).transpose(1, 2, 0)  # (H, W, C) view
    out = np.empty((4, 25, 30), np.float32).transpose(1, 2, 0)       # the input's layout
    resize_into(x, out, "linear", False)
    np.testing.assert_array_equal(out, resample.resize(np.ascontiguousarray(x), (25, 30),
                                                       mode="linear", antialias=False))
    with pytest.raises(ValueError, match="strides"):
        resize_into(x, np.empty((25, 30, 4), np.float32), "linear", False)    # C order: refused
    with pytest.raises(ValueError, match="mode must be one of"):
        resize_into(x, out, "bilinearr", False)
