"""resize(): image layouts, sizes and aspect rules, agreement with interpolate and Pillow."""
import numpy as np
import pytest

import resample


@pytest.fixture
def photo():
    rng = np.random.default_rng(6)
    base = rng.integers(0, 256, (12, 16, 3)).astype(np.float64)
    smooth = resample.interpolate(base.transpose(2, 0, 1)[None], size=(60, 80), mode="bicubic")[0]
    noise = rng.normal(0, 12, smooth.shape)
    return np.clip(smooth + noise, 0, 255).round().astype(np.uint8).transpose(1, 2, 0).copy()


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic", "area", "lanczos"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_same_result_as_interpolate_on_the_nchw_view(photo, mode, dtype):
    image = photo.astype(dtype)
    got = resample.resize(image, (23, 31), mode=mode)
    aa = mode in ("bilinear", "bicubic", "lanczos")
    want = resample.interpolate(image[None].transpose(0, 3, 1, 2), size=(23, 31), mode=mode, antialias=aa)
    assert got.shape == (23, 31, 3) and got.dtype == dtype and got.flags.c_contiguous
    np.testing.assert_array_equal(got, want[0].transpose(1, 2, 0))


def test_layouts(photo):
    gray = np.ascontiguousarray(photo[..., 0])
    assert resample.resize(gray, (30, 40)).shape == (30, 40)
    batch = np.stack([photo, photo[::-1].copy()])
    out = resample.resize(batch, (30, 40))
    assert out.shape == (2, 30, 40, 3)
    np.testing.assert_array_equal(out[1], resample.resize(batch[1], (30, 40)))
    with pytest.raises(ValueError, match="axes=None means an image"):
        resample.resize(np.zeros((2, 2, 2, 2, 2), np.uint8), 4)


def test_shorter_side_keeps_the_aspect_ratio(photo):
    assert resample.resize(photo, 30).shape == (30, 40, 3)          # 60x80 -> 30x40
    assert resample.resize(photo.transpose(1, 0, 2), 30).shape == (40, 30, 3)
    assert resample.resize(np.zeros((100, 333), np.float32), 10).shape == (10, 33)
    assert resample.resize(np.zeros((100, 335), np.float32), 10).shape == (10, 34)  # 33.5 rounds up
    assert resample.resize(np.zeros((1000, 1), np.float32), 1).shape == (1000, 1)
    with pytest.raises(ValueError):
        resample.resize(photo, 0)
    with pytest.raises(TypeError):
        resample.resize(photo, (1.5, 2))


def test_no_copy_of_the_input_and_out(photo):
    before = photo.copy()
    out = np.empty((20, 25, 3), np.uint8)
    assert resample.resize(photo, (20, 25), out=out) is out
    np.testing.assert_array_equal(out, resample.resize(photo, (20, 25)))
    np.testing.assert_array_equal(photo, before)


@pytest.mark.parametrize("mode, pil_name, tolerance", [("bilinear", "BILINEAR", 1), ("bicubic", "BICUBIC", 1),
                                                        ("lanczos", "LANCZOS", 2)])
@pytest.mark.parametrize("size", [(17, 23), (30, 40), (7, 50)])
def test_uint8_antialias_downscale_agrees_with_pillow(photo, mode, pil_name, tolerance, size):
    Image = pytest.importorskip("PIL.Image")
    filters = getattr(Image, "Resampling", Image)
    want = np.asarray(Image.fromarray(photo).resize(size[::-1], getattr(filters, pil_name)))
    got = resample.resize(photo, size, mode=mode)
    assert np.abs(got.astype(int) - want).max() <= tolerance


def test_round_to_dtype_is_half_even_and_clamped():
    from resample._interop import round_to_dtype
    values = np.array([-3.0, 0.5, 1.5, 2.5, 65534.6, 70000.0, 1e300])
    np.testing.assert_array_equal(round_to_dtype(values, np.uint16), [0, 0, 2, 2, 65535, 65535, 65535])
