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
