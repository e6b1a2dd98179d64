"""The front door (issue #12): resize takes what people hand it (PIL images, torch tensors,
lists) and refuses what it cannot do right with a hint; interpolate's messages point the
right way; every docstring example and every Python block of the README and of the
documentation site's Markdown pages runs."""
import doctest
import re
from pathlib import Path

import numpy as np
import pytest

import resample
from resample import _config, _interpolate, _resize
from resample.compat import batchgenerators, jax as compat_jax, matlab, ndimage, nnunet, opencv, pillow, \
    skimage, tensorflow, torchvision

ROOT = Path(__file__).resolve().parents[1]
# the README and the site's pages written in Markdown (docs/*.md, docs/guide/*.md)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
         *sorted((ROOT / "docs" / "guide").glob("*.md"))]


@pytest.mark.parametrize("module", [_interpolate, _resize, _config, pillow, torchvision, opencv, matlab,
                                    tensorflow, compat_jax, ndimage, skimage, batchgenerators, nnunet],
                         ids=lambda m: m.__name__)
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


def _python_blocks():
    """(page, block number on that page, code) for every ```python block."""
    return [(page.relative_to(ROOT).as_posix(), number, code) for page in PAGES
            for number, code in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S))]


def _imported_modules(code):
    """The top-level packages a block imports."""
    names = re.findall(r"^\s*import ([\w., ]+)|^\s*from (\w+)", code, flags=re.M)
    return {name.split()[0].split(".")[0] for group in names for part in group for name in part.split(",")
            if name.strip()}


def test_the_pages_have_python_blocks():
    counts = {page: sum(1 for p, _, _ in _python_blocks() if p == page) for page in ("README.md", "docs/guide/start.md")}
    assert all(counts.values()), counts


@pytest.mark.parametrize("page, number, code", _python_blocks(), ids=lambda v: v if isinstance(v, (str, int)) and not str(v).count("\n") else "")
def test_page_python_blocks_run(page, number, code, tmp_path, monkeypatch):
    for module in _imported_modules(code):      # an optional dependency may be missing
        pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"{page} block {number}", "exec"), {})


def test_pil_images_come_back_as_pil_images():
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8))
    for mode in ("L", "LA", "RGB", "RGBA", "CMYK", "F", "I", "1", "P"):
        image = rgb.convert(mode)
        got = resample.resize(image, (30, 20), mode="cubic")     # a PIL image: (W, H)
        assert isinstance(got, Image.Image) and got.size == (30, 20)
        assert got.mode == {"1": "L", "P": "RGB"}.get(mode, mode)
        if mode in ("L", "RGB", "RGBA", "F"):     # RGBA: premultiplied (docs/guide/colour.md)
            np.testing.assert_array_equal(np.asarray(got), resample.resize(np.asarray(image), (20, 30),
                                                                           mode="cubic", alpha=mode == "RGBA"))
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


def test_api_reference_covers_every_public_name():
    """docs/api/ names every public function and constant of the four public modules, and
    every function of the C API header, so the site's reference cannot fall behind."""
    import importlib
    api = "\n".join(p.read_text() for p in (ROOT / "docs" / "api").glob("*.rst"))
    for module_name in ("resample", "resample.compat", "resample.dask", "resample.torch"):
        if module_name in ("resample.torch", "resample.dask"):       # optional extras
            pytest.importorskip(module_name.split(".")[1])
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert re.search(rf"^\.\. (autofunction|data):: {re.escape(module_name)}\.{re.escape(name)}$", api, re.M), \
                f"{module_name}.{name} is missing from docs/api/"
    header = (ROOT / "src" / "resample" / "include" / "resample.h").read_text()
    functions = re.findall(r"^static inline [^(]*?\b(resample_\w+)\(", header, flags=re.M)
    assert len(functions) >= 5
    for name in functions:
        assert re.search(rf"^\.\. c:function:: .*\b{name}\(", api, re.M), f"{name} is missing from docs/api/capi.rst"
