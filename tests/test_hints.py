"""The habits of other libraries' users get a message that names the fix (#24 item 7)."""
import numpy as np
import pytest

import resample


def test_a_float_size_points_to_scale_factor():
    with pytest.raises(TypeError, match=r"pass scale_factor=0\.5"):
        resample.resize(np.zeros((20, 30), np.float32), 0.5)


def test_a_numpy_size_is_taken_as_its_ints():
    x = np.zeros((20, 30), np.float32)
    assert resample.resize(x, np.array([10, 12])).shape == (10, 12)
    assert resample.resize(x, np.int64(10)).shape == resample.resize(x, 10).shape


@pytest.mark.parametrize("mode, meant", [("LANCZOS", "lanczos"), ("Bicubic", "bicubic"),
                                         ("bilinaer", "bilinear"), ("nearest_exact", "nearest-exact")])
def test_a_mode_name_in_another_case_or_misspelt_is_named(mode, meant):
    with pytest.raises(ValueError, match=f"did you mean '{meant}'"):
        resample.resize(np.zeros((20, 30), np.float32), 10, mode=mode)


def test_pillow_filter_constants_point_to_pil_resize():
    Image = pytest.importorskip("PIL.Image")
    for constant in (Image.LANCZOS, Image.Resampling.BICUBIC):
        with pytest.raises(ValueError, match="compat.pil_resize"):
            resample.resize(np.zeros((20, 30), np.uint8), 10, mode=constant)


def test_int8_gets_its_own_hint():
    with pytest.raises(TypeError, match="int8 images: convert to int16"):
        resample.resize(np.zeros((4, 4), np.int8), 2)
