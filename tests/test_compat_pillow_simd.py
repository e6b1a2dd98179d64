"""pil_resize(pillow_simd=True) against Pillow-SIMD, which cannot live next to Pillow: it
runs in its own environment, named by RESAMPLE_PILLOW_SIMD_PYTHON (a Python with numpy
and pillow-simd; .ci/run builds one with CC="cc -mavx2" where pillow-simd builds). The
test skips when that variable is unset."""
import json
import os
import subprocess

import numpy as np
import pytest

from resample.compat import pil_resize

SIMD_PYTHON = os.environ.get("RESAMPLE_PILLOW_SIMD_PYTHON")
pytestmark = pytest.mark.skipif(not SIMD_PYTHON, reason="RESAMPLE_PILLOW_SIMD_PYTHON is not set")

FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}
BANDS = {"L": 1, "RGB": 3, "RGBX": 4, "CMYK": 4, "LA": 2, "RGBA": 4}

ORACLE = r"""
import json, sys
import numpy as np
from PIL import Image
folder = sys.argv[1]
cases = json.load(open(folder + "/cases.json"))
arrays = np.load(folder + "/in.npz")
out = {"version": np.array(Image.__version__)}
for i, c in enumerate(cases):
    a = arrays[f"a{i}"]
    h, w = a.shape[:2]
    img = Image.frombytes(c["mode"], (w, h), a.tobytes()) if a.dtype == np.uint8 else Image.fromarray(a)
    box = None if c["box"] is None else tuple(c["box"])
    out[f"r{i}"] = np.asarray(img.resize(tuple(c["size"]), c["filter"], box, c["gap"]))
np.savez(folder + "/out.npz", **out)
"""


def random_cases(count):
    rng = np.random.default_rng(2024)
    modes = ["L", "RGB", "RGBX", "CMYK", "LA", "RGBA", "I", "F", "I;16"]
    cases, arrays = [], {}
    for i in range(count):
        mode, name = modes[i % len(modes)], list(FILTERS)[i % len(FILTERS)]
        h, w = (int(v) for v in rng.integers(1, 80, 2))
        if mode == "I":
            a = rng.integers(-2**20, 2**20, (h, w), dtype=np.int32)
        elif mode == "F":
            a = rng.standard_normal((h, w)).astype(np.float32)
        elif mode == "I;16":      # below the range where Pillow-SIMD's byte-wise clip shows
            a = rng.integers(0, 60000, (h, w), dtype=np.uint16)
        else:
            bands = BANDS[mode]
            a = rng.integers(0, 256, (h, w, bands) if bands > 1 else (h, w), dtype=np.uint8)
        box = None
        if i % 3 == 0:
            x0, y0 = float(rng.uniform(0, w / 2)), float(rng.uniform(0, h / 2))
            box = (x0, y0, float(rng.uniform(x0, w)), float(rng.uniform(y0, h)))
        gap = None if i % 4 or mode == "I;16" else float(rng.choice([1.5, 2.0, 3.0]))
        arrays[f"a{i}"] = a
        cases.append(dict(mode=mode, name=name, filter=FILTERS[name],
                          size=[int(rng.integers(1, 100)), int(rng.integers(1, 100))], box=box, gap=gap))
    return cases, arrays


def test_bit_for_bit_against_pillow_simd(tmp_path):
    cases, arrays = random_cases(360)
    np.savez(tmp_path / "in.npz", **arrays)
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    subprocess.run([SIMD_PYTHON, "-c", ORACLE, str(tmp_path)], check=True, timeout=300)
    results = np.load(tmp_path / "out.npz")
    for i, c in enumerate(cases):
        box = None if c["box"] is None else tuple(c["box"])
        got = pil_resize(arrays[f"a{i}"], tuple(c["size"]), c["name"], box, c["gap"], mode=c["mode"],
                         pillow_simd=True)
        want = results[f"r{i}"]
        if c["mode"] in ("LA", "RGBA") and c["name"] != "nearest":
            # Pillow-SIMD un-premultiplies with an approximate reciprocal (rcpps), whose
            # last bit depends on the CPU; resample divides exactly, as Pillow does: the
            # colour may be 1 apart, alpha is exact (docs/compat.md)
            assert got.shape == want.shape, str(c)
            np.testing.assert_array_equal(got[..., -1], want[..., -1], err_msg=str(c))
            assert np.abs(got.astype(int) - want).max() <= 1, str(c)
        else:
            np.testing.assert_array_equal(got, want, err_msg=str(c))
