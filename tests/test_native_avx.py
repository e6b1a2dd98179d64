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


FMA_SCRIPT = r"""
import json, sys
import numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(1)
pairs = json.loads(sys.argv[1])
out = {"capability": torch.backends.cpu.get_cpu_capability(), "index": []}
for n_in, n_out in pairs:
    x = torch.arange(n_in, dtype=torch.float32)[None, None]
    out["index"].append(F.interpolate(x, size=n_out, mode="nearest-exact")[0, 0].int().tolist())
print(json.dumps(out))
"""


def fused_nearest_exact(n_in, n_out):
    """torch's nearest-exact index with its coordinate contracted to one fused multiply-add,
    fma(scale, i + 0.5, -0.5) in float32: the float32 product is exact in double, and so is
    the subtraction, so one rounding to float32 is the fma's."""
    scale = np.float64(np.float32(n_in) / np.float32(n_out))
    centre = np.arange(n_out, dtype=np.float64) + 0.5
    src = np.maximum((scale * centre - 0.5).astype(np.float32), 0)
    return np.minimum(np.floor((src.astype(np.float64) + 0.5).astype(np.float32)), n_in - 1).astype(int)


def test_nearest_exact_ties_of_native_torch_are_its_fused_coordinate():
    """Where a nearest-exact centre lies exactly half way and float32 decides, torch's native
    build takes the fused rounding and its portable build (and resample) the unfused one:
    a whole sample apart. This pins the cause down (exactness difference 1)."""
    from test_nearest_ties import decisive_pairs
    pairs = decisive_pairs("nearest-exact")
    env = {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    done = subprocess.run([sys.executable, "-c", FMA_SCRIPT, json.dumps(pairs)], env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    native = json.loads(done.stdout)
    if native["capability"] == "DEFAULT":
        pytest.skip("torch runs its portable kernels on this CPU")
    moved = 0
    for (n_in, n_out), index in zip(pairs, native["index"]):
        np.testing.assert_array_equal(index, fused_nearest_exact(n_in, n_out), err_msg=f"{n_in} -> {n_out}")
        ours = resample.interpolate(np.arange(n_in, dtype=np.float32)[None, None], size=n_out,
                                    mode="nearest-exact")[0, 0]
        moved += not np.array_equal(ours, index)
    assert 0 < moved < len(pairs)
