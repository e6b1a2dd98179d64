"""PIL images, tensors and lists in and out (resample._interop): every PIL mode comes back
as an image whose pixels are resize's on the array the mode stands for."""
import numpy as np
import pytest

import resample

Image = pytest.importorskip("PIL.Image")


def picture(rng, h=24, w=36):
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))


def test_palette_with_alpha_is_resized_as_rgba():
    # PA holds palette indices and alpha: resizing the indices would blend unrelated colours
    rng = np.random.default_rng(1)
    pa = picture(rng).convert("RGBA").convert("PA")
    got = resample.resize(pa, (18, 12), mode="linear")             # (W, H), as Pillow
    assert got.mode == "RGBA"
    want = resample.resize(np.asarray(pa.convert("RGBA")), (12, 18), mode="linear",
                           alpha=True)                      # premultiplied, as RGBA images are
    np.testing.assert_array_equal(np.asarray(got), want)


def test_palette_with_transparency_is_resized_as_rgba():
    rng = np.random.default_rng(2)
    p = picture(rng).convert("P")
    p.info["transparency"] = 0
    got = resample.resize(p, (18, 12), mode="cubic")
    assert got.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(got),
                                  resample.resize(np.asarray(p.convert("RGBA")), (12, 18), mode="cubic",
                                                  alpha=True))


@pytest.mark.parametrize("mode", ["I;16", "I;16L", "I;16B"])
def test_16_bit_images_keep_their_byte_order(mode):
    rng = np.random.default_rng(3)
    values = rng.integers(0, 65536, (20, 30)).astype(np.uint16)
    order = ">" if mode == "I;16B" else "<"
    image = Image.frombytes(mode, (30, 20), values.astype(order + "u2").tobytes())
    assert np.array_equal(np.asarray(image), values)
    got = resample.resize(image, (15, 10), mode="linear")
    assert got.mode == mode
    np.testing.assert_array_equal(np.asarray(got).astype(np.uint16),
                                  resample.resize(values, (10, 15), mode="linear"))


def test_32_bit_images_compute_in_float64_and_round_half_to_even():
    values = np.array([[0, 1, 2, 3]], np.int32).repeat(2, axis=0)
    got = resample.resize(Image.fromarray(values), (2, 2), mode="area")      # 4x2 -> 2x2
    assert got.mode == "I"
    # area halves the width: means 0.5 and 2.5 round to 0 and 2 (half to even)
    np.testing.assert_array_equal(np.asarray(got), [[0, 2], [0, 2]])


def test_tensor_errors_name_the_dtype():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="complex64 has no NumPy equivalent|not supported"):
        resample.resize(torch.zeros(4, 4, dtype=torch.complex64), (2, 2))
    with pytest.raises(TypeError, match="float8_e4m3fn has no NumPy equivalent"):
        resample.resize(torch.zeros(4, 4, dtype=torch.float8_e4m3fn), (2, 2))


def test_interpolate_and_resize_give_tensors_back_alike():
    torch = pytest.importorskip("torch")
    t = torch.rand(2, 3, 20, 30)
    got = resample.interpolate(t, size=(10, 15), mode="bilinear")
    assert isinstance(got, torch.Tensor)
    np.testing.assert_array_equal(got.numpy(), resample.interpolate(t.numpy(), size=(10, 15), mode="bilinear"))
    cl = t.contiguous(memory_format=torch.channels_last)
    got = resample.interpolate(cl, size=(10, 15), mode="bicubic")
    assert isinstance(got, torch.Tensor) and got.is_contiguous(memory_format=torch.channels_last)
    back = resample.interpolate_backward(torch.ones(2, 3, 10, 15), (2, 3, 20, 30), size=(10, 15),
                                         mode="bilinear")
    assert isinstance(back, torch.Tensor) and tuple(back.shape) == (2, 3, 20, 30)
    out = np.empty((2, 3, 10, 15), np.float32)
    assert resample.interpolate(t, size=(10, 15), mode="bilinear", out=out) is out
    assert isinstance(resample.resize(t[0].permute(1, 2, 0), (10, 15)), torch.Tensor)


def test_pil_images_take_pillows_width_height_order():
    rng = np.random.default_rng(4)
    image = picture(rng, 24, 36)                       # .size == (36, 24)
    assert resample.resize(image, image.size).size == image.size
    got = resample.resize(image, (18, 8), mode="cubic")
    assert got.size == (18, 8)
    np.testing.assert_array_equal(np.asarray(got), resample.resize(np.asarray(image), (8, 18), mode="cubic"))
    assert resample.resize(image, scale_factor=(0.5, 0.25)).size == (18, 6)
    with pytest.raises(TypeError, match="leave axes=None"):
        resample.resize(image, (18, 8), axes=(0, 1))


def test_pil_images_keep_their_info():
    rng = np.random.default_rng(5)
    image = picture(rng)
    exif = Image.Exif()
    exif[0x0112] = 6                                  # orientation: rotated, as a phone stores it
    image.info.update(exif=exif.tobytes(), dpi=(300, 300), icc_profile=b"profile")
    got = resample.resize(image, (18, 12))
    assert got.info["dpi"] == (300, 300) and got.info["icc_profile"] == b"profile"
    assert got.info["exif"] == image.info["exif"] and got.getexif()[0x0112] == 6
    p = image.convert("P")
    p.info["transparency"] = 3
    assert "transparency" not in resample.resize(p, (18, 12)).info      # an index, once RGBA
