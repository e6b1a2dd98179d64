"""Golden values from the behavioural spec (its test vectors, docs §12 in docs/interpolate-spec-2.md).

Every expected value here is torch 2.13's DEFAULT-capability result
(ATEN_CPU_CAPABILITY=default), which resample reproduces bit for bit, so the
comparisons are exact: no tolerances. torch is NOT imported here; the values are
hard-coded from the spec (docs §1.4, §1.5, §8, §12) and were re-checked against torch
2.13.0+cpu with ATEN_CPU_CAPABILITY=default.

Elsewhere: TV16/TV17 (uint8 bilinear/bicubic) in test_uint8.py, TV19-TV23 (backward
passes) in test_backward.py.
"""
import json
from pathlib import Path

import numpy as np
import pytest

import resample
from resample.compat import pil_resize

F32 = np.float32
F64 = np.float64

# The 4x8 input shared by TV13-TV17.
X48 = [
    [3, 1, 4, 1, 5, 9, 2, 6],
    [5, 3, 5, 8, 9, 7, 9, 3],
    [2, 3, 8, 4, 6, 2, 6, 4],
    [3, 3, 8, 3, 2, 7, 9, 5],
]


def _nc(values, dtype):
    """Wrap spatial data as an (N=1, C=1, *spatial) array."""
    a = np.asarray(values, dtype=dtype)
    return a.reshape((1, 1) + a.shape)


def _check_exact(result, expected, dtype, shape):
    """Exact, bitwise comparison (NaN == NaN), including dtype and shape."""
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.dtype(dtype)
    assert result.shape == shape
    expected = np.asarray(expected, dtype=dtype).reshape(shape)
    np.testing.assert_array_equal(result, expected, strict=True)


# ----------------------------------------------------------------------- docs §12.1 TV01-TV15

# (id, spatial input, dtype, kwargs, expected output spatial shape, expected flat values)
GOLDEN = [
    ("TV01-nearest-1d-size7",
     [1, 2, 3, 4], F32, dict(size=7), (7,),
     [1, 1, 2, 2, 3, 3, 4]),
    ("TV02-nearest-exact-1d-size7",
     [1, 2, 3, 4], F32, dict(size=7, mode="nearest-exact"), (7,),
     [1, 1, 2, 3, 3, 4, 4]),
    ("TV03-nearest-1d-scale2.2-ruleG",
     [0, 1, 2, 3], F32, dict(scale_factor=2.2), (8,),
     [0, 0, 0, 1, 1, 2, 2, 3]),
    ("TV04-linear-f64-size6",
     [0, 1, 4, 9], F64, dict(size=6, mode="linear", align_corners=False), (6,),
     [0.0, 0.5, 1.4999999999999996, 3.499999999999999, 6.5, 9.0]),
    ("TV05-linear-f64-size6-align_corners",
     [0, 1, 4, 9], F64, dict(size=6, mode="linear", align_corners=True), (6,),
     [0.0, 0.6, 1.5999999999999999, 3.3999999999999995, 6.0, 9.0]),
    # TV06a/b are also the docs §1.5 example; see test_recompute_scale_factor_example below.
    ("TV06a-linear-f64-scale1.7",
     [0, 1, 2], F64, dict(scale_factor=1.7, mode="linear"), (5,),
     [0.0, 0.38235294117647056, 0.9705882352941178, 1.558823529411765, 2.0]),
    ("TV06b-linear-f64-scale1.7-recompute",
     [0, 1, 2], F64, dict(scale_factor=1.7, mode="linear", recompute_scale_factor=True), (5,),
     [0.0, 0.3999999999999999, 1.0, 1.6, 2.0]),
    # TV07: the spec's value at [3, 1], 6.3999999999999995, comes from torch's
    # channels-last bilinear kernel, which torch picks for small outputs (out_h + out_w
    # <= 128, docs §3.3). resample always uses the generic kernel's order (docs/exactness.md,
    # deliberate difference 2): its 6.4 is what torch's generic kernel gives (checked
    # with the same data as a 1x3x3 trilinear resize under ATEN_CPU_CAPABILITY=default).
    ("TV07-bilinear-f64-3x3-to-4x5",
     np.arange(9).reshape(3, 3), F64, dict(size=(4, 5), mode="bilinear", align_corners=False), (4, 5),
     [0.0, 0.3999999999999999, 1.0, 1.6, 2.0,
      1.875, 2.275, 2.875, 3.475, 3.875,
      4.125, 4.525, 5.125, 5.725, 6.125,
      6.0, 6.4, 7.0, 7.6, 8.0]),
    ("TV08-bicubic-f64-4x4-to-3x5",
     (np.arange(16) ** 2).reshape(4, 4), F64, dict(size=(3, 5), mode="bicubic", align_corners=False), (3, 5),
     [1.340900462962989, 2.4696180555555856, 5.1018518518518885, 9.60008564814819, 13.855803240740801,
      33.21025000000003, 41.71924999999998, 54.125, 68.39675, 80.03275000000009,
      131.894414351852, 147.7836967592592, 169.962962962963, 194.0082291666667, 213.02451157407435]),
    ("TV09-bicubic-f64-4x4-to-3x5-align_corners",
     (np.arange(16) ** 2).reshape(4, 4), F64, dict(size=(3, 5), mode="bicubic", align_corners=True), (3, 5),
     [0.0, 0.45703125, 2.125, 5.44921875, 9.0,
      34.0, 42.47265625, 54.125, 67.43359375, 79.0,
      144.0, 160.48828125, 182.125, 205.41796875, 225.0]),
    ("TV10-trilinear-f64-2x2x2-to-3x3x3",
     np.arange(8).reshape(2, 2, 2), F64, dict(size=(3, 3, 3), mode="trilinear", align_corners=False), (3, 3, 3),
     [0, .5, 1, 1, 1.5, 2, 2, 2.5, 3,
      2, 2.5, 3, 3, 3.5, 4, 4, 4.5, 5,
      4, 4.5, 5, 5, 5.5, 6, 6, 6.5, 7]),
    ("TV11-area-1d-f64-7-to-3",
     np.arange(1, 8), F64, dict(size=3, mode="area"), (3,),
     [2.0, 4.0, 6.0]),
    ("TV12-area-2d-f64-5x5-to-2x3",
     np.arange(25).reshape(5, 5), F64, dict(size=(2, 3), mode="area"), (2, 3),
     [5.5, 7.0, 8.5, 15.5, 17.0, 18.5]),
    ("TV13-bilinear-antialias-f64",
     X48, F64, dict(size=(2, 3), mode="bilinear", antialias=True), (2, 3),
     [3.454887218045112, 5.700680272108842, 5.714285714285714,
      4.13157894736842, 5.068027210884353, 5.808270676691729]),
    ("TV14-bicubic-antialias-f64",
     X48, F64, dict(size=(2, 3), mode="bicubic", antialias=True), (2, 3),
     [3.2546379881698755, 5.909328723375904, 5.738491665250754,
      4.202890056119137, 5.074802308778808, 5.754909354941628]),
    ("TV15-lanczos-antialias-f64",
     X48, F64, dict(size=(2, 3), mode="lanczos", antialias=True), (2, 3),
     [3.101759391062708, 6.012149371357975, 5.749818861210442,
      4.275503239234686, 5.277956302257046, 5.681180628110633]),
]


@pytest.mark.parametrize(
    "data, dtype, kwargs, out_spatial, expected",
    [pytest.param(*case[1:], id=case[0]) for case in GOLDEN],
)
def test_spec_vectors(data, dtype, kwargs, out_spatial, expected):
    x = _nc(data, dtype)
    result = resample.interpolate(x, **kwargs)
    _check_exact(result, expected, dtype, (1, 1) + out_spatial)


def test_tv03b_2d_nearest_uses_rule_g():
    # TV03b: torch's 2-D nearest takes its small-output "rule S" kernel here
    # (out_h + out_w <= 128, docs §3.1) and returns rows [0,0,1,1,2,2,3,3]. resample
    # deliberately uses torch's generic "rule G" for nearest in every rank (docs §3.1,
    # §11.4), so every 2-D row equals the 1-D rule-G result of TV03. This is a
    # documented deliberate difference from torch, not a bug.
    x = _nc([[0, 1, 2, 3]], F32)
    result = resample.interpolate(x, scale_factor=2.2)
    rule_g_row = [0, 0, 0, 1, 1, 2, 2, 3]
    _check_exact(result, [rule_g_row, rule_g_row], F32, (1, 1, 2, 8))


# ----------------------------------------------------------------------- docs §1.5

RECOMPUTE_EXAMPLE_USER_SCALE = [0.0, 0.38235294117647056, 0.9705882352941178, 1.558823529411765, 2.0]
RECOMPUTE_EXAMPLE_IN_OVER_OUT = [0.0, 0.3999999999999999, 1.0, 1.6, 2.0]


@pytest.mark.parametrize("kwargs, expected", [
    pytest.param(dict(scale_factor=1.7), RECOMPUTE_EXAMPLE_USER_SCALE, id="scale-recompute-None"),
    pytest.param(dict(scale_factor=1.7, recompute_scale_factor=False), RECOMPUTE_EXAMPLE_USER_SCALE,
                 id="scale-recompute-False"),
    pytest.param(dict(scale_factor=1.7, recompute_scale_factor=True), RECOMPUTE_EXAMPLE_IN_OVER_OUT,
                 id="scale-recompute-True"),
    pytest.param(dict(size=5), RECOMPUTE_EXAMPLE_IN_OVER_OUT, id="size5"),
])
def test_recompute_scale_factor_example(kwargs, expected):
    # docs §1.5: the kernel uses 1/1.7 with a user scale, and in/out = 3/5 otherwise.
    x = _nc([0, 1, 2], F64)
    result = resample.interpolate(x, mode="linear", **kwargs)
    _check_exact(result, expected, F64, (1, 1, 5))


# -------------------------------------------------------------------- docs §8.1 output size 1

# (id, mode kwargs, rank (3: x as (1,1,4); 4: x as (1,1,1,4)), dtype, expected value)
SIZE_ONE = [
    ("nearest", dict(mode="nearest"), 3, 1.0),
    ("nearest-exact", dict(mode="nearest-exact"), 3, 4.0),
    ("linear", dict(mode="linear", align_corners=False), 3, 3.0),
    ("linear-align_corners", dict(mode="linear", align_corners=True), 3, 1.0),
    ("area", dict(mode="area"), 3, 3.75),
    ("bicubic", dict(mode="bicubic", align_corners=False), 4, 2.71875),
    ("bicubic-align_corners", dict(mode="bicubic", align_corners=True), 4, 1.0),
    ("bilinear-antialias", dict(mode="bilinear", antialias=True), 4, 3.625),
    ("bilinear-antialias-align_corners", dict(mode="bilinear", antialias=True, align_corners=True), 4, 1.0),
]


def _size_one_params():
    params = []
    for name, kwargs, rank, value in SIZE_ONE:
        # these values are exact in both float types
        for dtype in (F32, F64):
            params.append(pytest.param(kwargs, rank, dtype, value, id=f"{name}-{np.dtype(dtype).name}"))
    # The spec prints these two as float32 results (3.6452078819274902 and
    # 3.6603493690490723 are exactly float32 values, repr'd as doubles).
    params.append(pytest.param(dict(mode="bicubic", antialias=True), 4, F32, 3.6452078819274902,
                               id="bicubic-antialias-float32"))
    params.append(pytest.param(dict(mode="lanczos", antialias=True), 4, F32, 3.6603493690490723,
                               id="lanczos-antialias-float32"))
    # float64 counterparts, not printed in the spec: torch 2.13 DEFAULT values.
    params.append(pytest.param(dict(mode="bicubic", antialias=True), 4, F64, 3.6452078521939955,
                               id="bicubic-antialias-float64"))
    params.append(pytest.param(dict(mode="lanczos", antialias=True), 4, F64, 3.6603493853949693,
                               id="lanczos-antialias-float64"))
    return params


@pytest.mark.parametrize("kwargs, rank, dtype, value", _size_one_params())
def test_output_size_one(kwargs, rank, dtype, value):
    # docs §8.1: output size 1 from x = [1, 2, 4, 8] (a 1x4 image for the 2-D modes)
    spatial = (4,) if rank == 3 else (1, 4)
    x = _nc(np.array([1, 2, 4, 8]).reshape(spatial), dtype)
    size = 1 if rank == 3 else (1, 1)
    result = resample.interpolate(x, size=size, **kwargs)
    out_shape = (1, 1, 1) if rank == 3 else (1, 1, 1, 1)
    # np.float32(value) is exact for the float32 rows
    _check_exact(result, [dtype(value)], dtype, out_shape)


# ---------------------------------------------------------------- docs §1.4 / §12.3 output sizes

OUTPUT_SIZES = [
    (100, 0.29, 28),       # 100 * 0.29 = 28.999999999999996, truncated
    (7, 0.7, 4),           # 4.8999999999999995
    (10, 0.3333, 3),
    (3, 1 / 3, 1),
    (5, 2.5, 12),
]

# every route that turns a scale into a size: the aten .vec path (None / False),
# Python's int() path (True) and area (always Python's path)
SIZE_ROUTES = [
    pytest.param(dict(mode="nearest"), id="nearest"),
    pytest.param(dict(mode="nearest", recompute_scale_factor=False), id="nearest-recompute-False"),
    pytest.param(dict(mode="nearest", recompute_scale_factor=True), id="nearest-recompute-True"),
    pytest.param(dict(mode="linear"), id="linear"),
    pytest.param(dict(mode="area"), id="area"),
]


@pytest.mark.parametrize("route", SIZE_ROUTES)
@pytest.mark.parametrize("n_in, scale, n_out",
                         [pytest.param(*row, id=f"{row[0]}x{row[1]:.6g}") for row in OUTPUT_SIZES])
def test_output_size_from_scale(n_in, scale, n_out, route):
    x = np.ones((1, 1, n_in), F32)
    result = resample.interpolate(x, scale_factor=scale, **route)
    assert result.shape == (1, 1, n_out)
    np.testing.assert_array_equal(result, np.ones((1, 1, n_out), F32), strict=True)


@pytest.mark.parametrize("route", SIZE_ROUTES[:4])
def test_output_size_zero_is_an_error(route):
    # docs §1.4 / §12.3: in=4, s=0.24 gives 0.96, so out = 0: an error for every mode but area
    x = np.ones((1, 1, 4), F32)
    with pytest.raises(RuntimeError, match=r"Input and output sizes should be greater than 0"):
        resample.interpolate(x, scale_factor=0.24, **route)


def test_output_size_zero_area_is_empty():
    x = np.ones((1, 1, 4), F32)
    result = resample.interpolate(x, scale_factor=0.24, mode="area")
    assert result.shape == (1, 1, 0)
    assert result.dtype == F32


# -------------------------------------------------------------------- docs §8.4 Inf and NaN

INF_NAN = [1, np.inf, 3, np.nan, 5, 6]


@pytest.mark.parametrize("dtype", [F32, F64], ids=["float32", "float64"])
@pytest.mark.parametrize("size, expected", [
    # the same-size copy is x*1 + x*0, so the Inf becomes NaN
    pytest.param(6, [1, np.nan, 3, np.nan, 5, 6], id="size6"),
    # output 0 is 1*1 + inf*0
    pytest.param(12, [np.nan, np.inf, np.inf, np.inf, np.inf, np.nan, np.nan, np.nan, np.nan,
                      5.25, 5.75, 6], id="size12"),
])
def test_linear_inf_nan(size, expected, dtype):
    x = _nc(INF_NAN, dtype)
    result = resample.interpolate(x, size=size, mode="linear")
    _check_exact(result, expected, dtype, (1, 1, size))


@pytest.mark.parametrize("dtype", [F32, F64], ids=["float32", "float64"])
@pytest.mark.parametrize("kwargs, n_nan", [
    pytest.param(dict(mode="bicubic"), 8, id="bicubic"),
    pytest.param(dict(mode="bicubic", antialias=True), 0, id="bicubic-antialias"),
    pytest.param(dict(mode="bilinear", antialias=True), 0, id="bilinear-antialias"),
    pytest.param(dict(mode="lanczos", antialias=True), 0, id="lanczos-antialias"),
])
def test_same_size_single_inf(kwargs, n_nan, dtype):
    # docs §8.4: a single Inf at (1, 1) of a 4x4 input, resized to 4x4: bicubic gives 1 Inf and
    # 8 NaN; the antialias kernels skip the unchanged axes, so 1 Inf and no NaN.
    x = _nc(np.arange(16).reshape(4, 4), dtype)
    x[0, 0, 1, 1] = np.inf
    result = resample.interpolate(x, size=(4, 4), **kwargs)
    assert result.shape == (1, 1, 4, 4)
    assert result[0, 0, 1, 1] == np.inf
    assert int(np.isinf(result).sum()) == 1
    assert int(np.isnan(result).sum()) == n_nan
    if n_nan == 0:
        np.testing.assert_array_equal(result, x, strict=True)


# Pillow's aarch64 wheel gives other I;16, I and F bits than its x86-64 wheel: its compiler
# contracts each a * b + c of Resample.c into one fused multiply-add (the x86-64 build has
# no FMA). Golden results of the real aarch64 wheel (tools/arm64.sh ran it under qemu),
# picked where the two builds differ, so these run and can fail on any machine.
GOLDEN_AARCH64 = json.loads((Path(__file__).parent / "pillow_aarch64_golden.json").read_text())["cases"]


def _golden_array(values, mode):
    a = np.array(values, {"F": np.uint32, "I": np.int32, "I;16": np.uint16}[mode])
    return a.view(np.float32) if mode == "F" else a


@pytest.mark.parametrize("case", GOLDEN_AARCH64, ids=lambda c: f"{c['mode']}-{c['filter']}-{c['size']}")
def test_aarch64_pillow_is_reproduced_with_fused_multiply_adds(case):
    image = _golden_array(case["input"], case["mode"])
    want = _golden_array(case["pillow_aarch64"], case["mode"])
    size = tuple(case["size"])
    np.testing.assert_array_equal(pil_resize(image, size, case["filter"], fused_multiply_add=True), want)
    # the case tells the builds apart: x86-64 Pillow's arithmetic gives other bits here
    assert (pil_resize(image, size, case["filter"], fused_multiply_add=False) != want).any()
