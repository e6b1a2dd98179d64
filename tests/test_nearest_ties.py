"""The nearest index rules where rounding decides, exhaustively, against torch's portable
kernels: every (in, out) with in <= 128 and out <= 2048.

A tie is an output whose exact source coordinate is a whole number (nearest: i * in / out)
or half way between two samples (nearest-exact: (i + 0.5) * in / out). The scale in / out
is rounded (to float32 for uint8, float16 and float32, to double for float64), so at a tie
the rounded coordinate falls on either side: nearest-exact from 2 to 55 samples at output
27 (centre 0.5) takes sample 0 in float32, as torch's portable build does, and sample 1 in
float64. torch's AVX2/AVX-512 build contracts the coordinate into a fused multiply-add and
takes sample 1 there too; tests/test_native_avx.py pins that difference down.
"""
import functools
import math

import numpy as np
import pytest

import resample
from resample import _plans

from oracle import generic_reference

torch = pytest.importorskip("torch")

MAX_IN, MAX_OUT = 128, 2048
COMPUTE = {"float32": torch.float32, "float64": torch.float64}


def exact_index(mode, n_in, n_out):
    """The index with exact rational arithmetic (ties of nearest-exact rounded up)."""
    i = np.arange(n_out)
    k = (i * n_in) // n_out if mode == "nearest" else ((2 * i + 1) * n_in) // (2 * n_out)
    return np.minimum(k, n_in - 1)


def has_tie(mode, n_in, n_out):
    """Whether some output's exact source coordinate is a tie (see the module docstring)."""
    if mode == "nearest":     # i * in / out whole for some 0 < i < out
        return n_out // math.gcd(n_in, n_out) < n_out
    # (2i + 1) * in divisible by 2 * out for some i: out's factors of 2 all in in, the
    # odd part of out dividing in
    g = math.gcd(n_in, 2 * n_out)
    return (2 * n_out) // g % 2 == 1


def tie_pairs(mode):
    return [(a, b) for a in range(1, MAX_IN + 1) for b in range(1, MAX_OUT + 1)
            if has_tie(mode, a, b)]


def test_tie_test_finds_the_ties():
    # has_tie against a direct search, on a range small enough to search
    for mode in ("nearest", "nearest-exact"):
        for a in range(1, 40):
            for b in range(1, 120):
                i = np.arange(1, b) if mode == "nearest" else np.arange(b)
                num = i * a if mode == "nearest" else (2 * i + 1) * a
                den = b if mode == "nearest" else 2 * b
                assert has_tie(mode, a, b) == bool((num % den == 0).any()), (mode, a, b)


@pytest.mark.parametrize("compute", list(COMPUTE))
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_every_tie_takes_torchs_index(mode, compute):
    """The per-axis index plan (what every rank and layout gathers with) at every tie pair,
    against torch's 1-D kernel on arange input: its output is its index."""
    torch.set_num_threads(1)
    double = compute == "float64"
    wrong, decided = [], 0
    for n_in in range(1, MAX_IN + 1):
        x = torch.arange(n_in, dtype=COMPUTE[compute])[None, None]
        for n_out in range(1, MAX_OUT + 1):
            if not has_tie(mode, n_in, n_out):
                continue
            want = torch.nn.functional.interpolate(x, size=n_out, mode=mode)[0, 0].numpy()
            got = _plans.nearest_plan(n_in, n_out, 0.0, mode == "nearest-exact", double)
            if not np.array_equal(got, want):
                wrong.append((n_in, n_out))
            decided += not np.array_equal(want, exact_index(mode, n_in, n_out))
    assert not wrong, f"{len(wrong)} pairs differ from torch, e.g. {wrong[:5]}"
    if compute == "float32":
        assert decided > 1000       # the scan reaches pairs where rounding decides


@functools.lru_cache
def decisive_pairs(mode):
    """Tie pairs where the float32 index is not the exact one somewhere (in double, no pair
    in the range is: float64 is checked on these pairs too)."""
    pairs = []
    for n_in, n_out in tie_pairs(mode):
        rule = _plans.nearest_plan(n_in, n_out, 0.0, mode == "nearest-exact", False)
        if not np.array_equal(rule, exact_index(mode, n_in, n_out)):
            pairs.append((n_in, n_out))
    return pairs


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["uint8", "float16", "float32", "float64"])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_interpolate_at_the_decisive_ties(mode, dtype, rank):
    """interpolate in every dtype and rank at the pairs where rounding decides, against
    torch: each channel holds one axis's coordinate, so a wrong index shows as a wrong value."""
    pairs = decisive_pairs(mode)
    assert len(pairs) > 1000
    step = max(1, len(pairs) // 600)             # ~600 pairs per dtype and rank
    for k, (n_in, n_out) in enumerate(pairs[::step]):
        axis = k % rank                           # the pair on each axis in turn
        ins = [3] * rank
        outs = [5] * rank
        ins[axis], outs[axis] = n_in, n_out
        coords = np.stack(np.meshgrid(*[np.arange(n) for n in ins], indexing="ij"))
        x = coords[None].astype(dtype)
        got = resample.interpolate(x, size=tuple(outs), mode=mode)
        want = generic_reference(x, size=tuple(outs), mode=mode)
        np.testing.assert_array_equal(got, want, err_msg=f"{n_in} -> {n_out} on axis {axis}")
