"""Random cases against torch: shapes, sizes, scales, modes, dtypes, layouts."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("torch")

from oracle import ALIGNABLE, MODES_BY_RANK, check  # noqa: E402



@st.composite
def cases(draw):
    rank = draw(st.sampled_from([3, 4, 5]))
    mode = draw(st.sampled_from(MODES_BY_RANK[rank]))
    spatial = rank - 2
    limit = 9 if rank == 5 else 40
    in_shape = draw(st.tuples(*[st.integers(1, limit)] * spatial))
    kw = {"mode": mode}
    if draw(st.booleans()):
        kw["size"] = draw(st.tuples(*[st.integers(1, limit)] * spatial))
    else:
        scales = draw(st.tuples(*[st.floats(0.05, 4.0)] * spatial))
        if any(int(n * s) < 1 for n, s in zip(in_shape, scales)):
            scales = tuple(max(s, 1.0) for s in scales)
        kw["scale_factor"] = scales
        kw["recompute_scale_factor"] = draw(st.sampled_from([None, False, True]))
    if mode in ALIGNABLE:
        kw["align_corners"] = draw(st.booleans())
    channels = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64]))
    channels_last = rank > 3 and draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return rank, in_shape, channels, dtype, channels_last, seed, kw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_random_cases_match_torch(case):
    rank, in_shape, channels, dtype, channels_last, seed, kw = case
    x = np.random.default_rng(seed).standard_normal((2, channels, *in_shape)).astype(dtype)
    if channels_last:
        x = np.ascontiguousarray(np.moveaxis(x, 1, -1))
        x = np.moveaxis(x, -1, 1)
    mode = kw.pop("mode")
    antialias = mode.endswith("-aa")
    check(x, mode=mode.removesuffix("-aa"), antialias=antialias, **kw)
