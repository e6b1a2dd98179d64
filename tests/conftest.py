"""Test setup. torch, when installed, is the oracle: it must run its portable
(DEFAULT-capability) kernels for bit-exact comparison, so the capability is fixed
before anything imports torch. The native AVX build is checked in a subprocess
(test_native_avx.py)."""
import os

os.environ["ATEN_CPU_CAPABILITY"] = "default"

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True, scope="session")
def more_threads_than_cpus():
    """Calls cap their threads at the CPUs this process may use (2 on CI); the suite lifts
    the cap to 8 so that thread counts like 3 and 7 really split the work and the tests
    of thread-count independence see those seams. test_reliability checks the cap itself."""
    from resample import _runtime
    saved = _runtime._State.cpu_limit
    _runtime._State.cpu_limit = max(saved, 8)
    yield
    _runtime._State.cpu_limit = saved


@pytest.fixture
def kernel_builds():
    """The kernel builds that import and run on this CPU (the portable one first)."""
    import importlib
    modules = []
    for name in ("_kernels", "_kernels_avx2"):
        try:
            modules.append(importlib.import_module(f"resample.{name}"))
        except ImportError:
            pass
    return [m for m in modules if m.__name__.endswith("_kernels") or modules[0].cpu_has_avx2()]
