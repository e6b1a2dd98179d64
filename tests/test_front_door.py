"""The front door (issue #12): resize takes what people hand it (PIL images, torch tensors,
lists) and refuses what it cannot do right with a hint; interpolate's messages point the
right way; every docstring example and every README Python block runs."""
import doctest
import re
from pathlib import Path

import numpy as np
import pytest

import resample
from resample import _config, _interpolate, _resize
from resample.compat import opencv, pillow, torchvision

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("module", [_interpolate, _resize, _config, pillow, torchvision, opencv], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_public_functions_have_full_docstrings():
    for fn in (resample.interpolate, resample.interpolate_backward, resample.resize,
               resample.resize_backward, resample.show_config):
        doc = fn.__doc__ or ""
        for part in ("Parameters" if fn is not resample.show_config else "Returns", "Returns", "Examples"):
            assert part in doc, f"{fn.__name__}'s docstring has no {part} section"
        assert "See the README" not in doc


def _readme_python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def _imported_modules(code):
    """The top-level packages a block imports."""
    names = re.findall(r"^\s*import ([\w., ]+)|^\s*from (\w+)", code, flags=re.M)
    return {name.split()[0].split(".")[0] for group in names for part in group for name in part.split(",")
            if name.strip()}


@pytest.mark.parametrize("number", range(len(_readme_python_blocks())))
def test_readme_python_blocks_run(number, tmp_path, monkeypatch):
    code = _readme_python_blocks()[number]
    for module in _imported_modules(code):      # an optional dependency may be missing
        pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README block {number}", "exec"), {})


def test_pil_images_come_back_as_pil_images():
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8))
    for mode in ("L", "LA", "RGB", "RGBA", "CMYK", "F", "I", "1", "P"):
        image = rgb.convert(mode)
        got = resample.resize(image, (30, 20), mode="cubic")     # a PIL image: (W, H)
        assert isinstance(got, Image.Image) and got.size == (30, 20)
        assert got.mode == {"1": "L", "P": "RGB"}.get(mode, mode)
        if mode in ("L", "RGB", "RGBA", "F"):
            np.testing.assert_array_equal(np.asarray(got), resample.resize(np.asarray(image), (20, 30),
                                                                           mode="cubic"))
    wide = Image.fromarray(rng.integers(0, 65536, (40, 60)).astype(np.uint16))
    np.testing.assert_array_equal(np.asarray(resample.resize(wide, 10)),
                                  resample.resize(np.asarray(wide), 10))


def test_torch_tensors_come_back_as_tensors():
    torch = pytest.importorskip("torch")
    t = torch.rand(30, 40, 3)
    got = resample.resize(t, (10, 12))
    assert isinstance(got, torch.Tensor) and tuple(got.shape) == (10, 12, 3)
    np.testing.assert_array_equal(got.numpy(), resample.resize(t.numpy(), (10, 12)))
    # resize has no gradient: a tensor that requires one is refused, not silently detached
    with pytest.raises(TypeError, match=r"requires grad.*detach\(\).*resample\.torch"):
        resample.resize(t.requires_grad_(), (10, 12))
    assert isinstance(resample.resize(t.detach(), (10, 12)), torch.Tensor)


def test_lists_compute_in_float64():
    got = resample.resize([[0, 2], [4, 6]], (2, 3), mode="linear", antialias=False, align_corners=True)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [[0, 1, 2], [4, 5, 6]])


@pytest.mark.parametrize("dtype, hint", [(np.int32, "float64"), (np.int64, "float64"),
                                         (bool, "astype"), (np.uint32, "float64")])
def test_refused_dtypes_come_with_a_hint(dtype, hint):
    with pytest.raises(TypeError, match=f"dtype.*{hint}"):
        resample.resize(np.zeros((4, 4), dtype), 2)


def test_interpolate_points_images_to_resize():
    with pytest.raises(ValueError, match=r"looks like an .* image.*resample\.resize"):
        resample.interpolate(np.zeros((32, 48, 3), np.float32), size=(16, 16), mode="bilinear")
    with pytest.raises(NotImplementedError, match=r"looks like an .* image.*resample\.resize"):
        resample.interpolate(np.zeros((32, 48, 3), np.float32), size=16, mode="bilinear")
    with pytest.raises(NotImplementedError, match=r"resample\.resize"):
        resample.interpolate(np.zeros((32, 48), np.float32), size=16, mode="bilinear")


def test_unknown_modes_are_named():
    with pytest.raises(NotImplementedError, match=r"unknown mode 'bilinar' \(did you mean 'bilinear'\?\)"):
        resample.interpolate(np.zeros((1, 1, 4, 4), np.float32), size=2, mode="bilinar")
    with pytest.raises(ValueError, match=r"mode must be one of nearest, .*linear \(bilinear/trilinear\)"):
        resample.resize(np.zeros((4, 4), np.float32), 2, mode="bilinar")
