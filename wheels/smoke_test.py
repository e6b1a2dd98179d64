"""Checks a wheel install that a test suite cannot see: run it in the environment
where the wheel is installed, from outside the source tree.

* OpenMP is compiled in and really runs a team of 2 threads;
* threadpoolctl sees the runtime bundled in the wheel and can limit it;
* that bundled runtime is the only OpenMP runtime loaded (Linux: /proc/self/maps);
* importing resample after torch, and torch after resample, works in one process.
"""
import os
import subprocess
import sys

import numpy as np


def loaded_openmp_libraries():
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line}
    return sorted(p for p in paths if any(k in os.path.basename(p) for k in ("gomp", "libomp", "iomp", "vcomp")))


def main():
    import resample
    from resample import _openmp

    assert "site-packages" in resample.__file__, f"not the installed package: {resample.__file__}"
    config = resample._config.config()
    print("config:", config)
    assert config["openmp"], "built without OpenMP"
    assert _openmp.team_size(2) == 2, "a parallel region asking for 2 threads did not get them"

    from threadpoolctl import threadpool_info, threadpool_limits
    openmp = [i for i in threadpool_info() if i["user_api"] == "openmp"]
    print("threadpoolctl:", openmp)
    bundled = [i for i in openmp if ".libs" in i["filepath"]]
    assert bundled, "threadpoolctl does not see an OpenMP runtime bundled in the wheel"
    with threadpool_limits(limits=1, user_api="openmp"):
        assert _openmp.default_threads() == 1, "threadpoolctl could not limit the bundled runtime"
    if sys.platform.startswith("linux"):
        libs = loaded_openmp_libraries()
        print("OpenMP libraries loaded:", libs)
        assert libs and all(".libs" in p for p in libs), f"a non-bundled OpenMP runtime is loaded: {libs}"

    x = np.random.default_rng(0).random((1, 3, 300, 400), dtype=np.float32)
    one = resample.interpolate(x, scale_factor=0.5, mode="bicubic", antialias=True, num_threads=1)
    two = resample.interpolate(x, scale_factor=0.5, mode="bicubic", antialias=True, num_threads=2)
    assert np.array_equal(one, two)

    both_orders = [
        "import torch, resample, numpy as np; torch.set_num_threads(2); "
        "x = np.ones((1, 2, 64, 64), np.float32); "
        "assert np.allclose(resample.interpolate(x, size=(30, 30), mode='bilinear', num_threads=2), "
        "torch.nn.functional.interpolate(torch.from_numpy(x), size=(30, 30), mode='bilinear').numpy())",
        "import resample, torch, numpy as np; torch.set_num_threads(2); "
        "x = np.ones((1, 2, 64, 64), np.float32); "
        "assert np.allclose(resample.interpolate(x, size=(30, 30), mode='bilinear', num_threads=2), "
        "torch.nn.functional.interpolate(torch.from_numpy(x), size=(30, 30), mode='bilinear').numpy())",
    ]
    try:
        import torch  # noqa: F401  (only to know whether the check can run)
        have_torch = True
    except ImportError:
        have_torch = False
    if have_torch:
        for code in both_orders:
            subprocess.run([sys.executable, "-c", code], check=True)
        print("import order with torch: both work")
    else:
        print("torch not installed: import-order check skipped")
    print("smoke test passed")


if __name__ == "__main__":
    main()
