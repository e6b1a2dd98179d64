"""Against torch's native build (AVX2/AVX-512 with fused multiply-adds): a few ulp.

conftest pins this process to torch's portable kernels, so the native results come
from a subprocess that imports torch with its own capability choice.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import resample

pytest.importorskip("torch")

CASES = [
    ("linear", False, (2, 3, 50), (117,)),
    ("bilinear", False, (2, 3, 40, 50), (97, 33)),
    ("bilinear", True, (2, 3, 40, 50), (17, 23)),
    ("bicubic", False, (2, 3, 40, 50), (97, 33)),
    ("bicubic", True, (2, 3, 40, 50), (17, 73)),
    ("lanczos", True, (2, 3, 40, 50), (17, 23)),
    ("trilinear", False, (1, 3, 8, 9, 10), (11, 5, 17)),
    ("area", False, (2, 3, 40, 50), (17, 23)),
    ("nearest", False, (2, 3, 40, 50), (97, 33)),
]

SCRIPT = r"""
import json, sys
import numpy as np, torch, torch.nn.functional as F
cases = json.loads(sys.argv[1])
out = {"capability": torch.backends.cpu.get_cpu_capability()}
for i, (mode, aa, shape, size) in enumerate(cases):
    for dtype in ("float32", "float64"):
        x = np.random.default_rng(i).standard_normal(shape).astype(dtype)
        y = F.interpolate(torch.from_numpy(x), size=tuple(size), mode=mode, antialias=aa)
        out[f"{i}-{dtype}"] = y.numpy().ravel().tolist()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def native():
    env = {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(CASES)], env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}{'-aa' if c[1] else ''}" for c in CASES])
def test_within_a_few_ulp_of_native_torch(native, index, dtype):
    mode, aa, shape, size = CASES[index]
    x = np.random.default_rng(index).standard_normal(shape).astype(dtype)
    got = resample.interpolate(x, size=size, mode=mode, antialias=aa).ravel()
    want = np.array(native[f"{index}-{dtype}"], dtype=dtype)
    # Fused multiply-adds move roundings in two places: the products (a few ulp of the
    # data's magnitude) and the source coordinate fma(scale, i + 0.5, -0.5), whose ulp
    # grows with the input length and shifts the weights by that much.
    coordinate_ulps = 1 + max(shape[2:])
    tol = 4 * np.finfo(dtype).eps * np.abs(x).max() * coordinate_ulps
    np.testing.assert_allclose(got, want, rtol=0, atol=tol)
