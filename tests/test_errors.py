"""Argument errors: the docs §1.9 error table and §1.8 check order, for NumPy input,
plus resample's own checks (input conversion, dtypes, num_threads, out=, huge sizes).

Each torch row is also run through torch itself (when torch is importable) to assert
that torch raises the same exception type, so the table checks itself. torch's
"input not a Tensor -> AttributeError" row does not apply to resample, which takes
NumPy arrays.
"""
import re

import numpy as np
import pytest

import resample

F16, F32, F64, U8 = np.float16, np.float32, np.float64, np.uint8

_SAME = object()    # torch_match default: the same pattern as resample's


def _x(shape, dtype=F32):
    return np.arange(int(np.prod(shape)), dtype=F64).reshape(shape).astype(dtype)


def row(id, shape, kwargs, exc, match=None, *, torch=True, torch_match=_SAME, dtype=F32):
    """One error case. `match` is a regex for resample's message; `torch_match` for
    torch's (defaults to the same; None checks the exception type only)."""
    if torch_match is _SAME:
        torch_match = match
    return pytest.param(shape, dtype, kwargs, exc, match, torch, torch_match, id=id)


def lit(text):
    return re.escape(text)


INPUT_ERROR = r"Input Error: Only 3D, 4D and 5D input Tensors supported \(got {}D\) for the modes: " \
              r"nearest \| linear \| bilinear \| bicubic \| trilinear \| lanczos \| area \| nearest-exact " \
              r"\(got {}\)"
ALIGN = lit("align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear")
ANTIALIAS = lit("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and "
                "requires a 4-D tensor as input")
SIZE_LEN = r"Input and output must have the same number of spatial dimensions, but got input with " \
           r"spatial dimensions of {} and output size of"
SCALE_LEN = r"Input and scale_factor must have the same number of spatial dimensions, but got input " \
            r"with spatial dimensions of {} and scale_factor of shape"
SIZE_TYPES = lit("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], "
                 "but got size with types")
RECOMPUTE = lit("recompute_scale_factor is not meaningful with an explicit size.")
SIZES_POS = lit("Input and output sizes should be greater than 0, but got input ")
INT64 = lit("value cannot be converted to type int64_t without overflow")
NAN_INT = lit("cannot convert float NaN to integer")
INF_INT = lit("cannot convert float infinity to integer")
AREA_NEG = lit("elements of output_size must be greater than or equal to 0 but received")
NAN, INF = float("nan"), float("inf")

# ----------------------------------------------------------------------- docs §1.9 table

TABLE = [
    # rank not 3/4/5, unknown mode, bicubic/lanczos off 4-D, area/nearest on 2-D or 6-D
    row("rank1-nearest-scalar-size", (4,), dict(size=2), NotImplementedError,
        INPUT_ERROR.format(1, "nearest")),
    row("rank2-nearest-scalar-size", (1, 4), dict(size=2), NotImplementedError,
        INPUT_ERROR.format(2, "nearest")),
    row("rank2-nearest-scalar-scale", (1, 4), dict(scale_factor=2.0), NotImplementedError,
        INPUT_ERROR.format(2, "nearest")),
    row("rank2-nearest-exact", (1, 4), dict(size=2, mode="nearest-exact"), NotImplementedError,
        INPUT_ERROR.format(2, "nearest-exact")),
    row("rank2-area", (1, 4), dict(size=2, mode="area"), NotImplementedError,
        INPUT_ERROR.format(2, "area")),
    row("rank6-nearest", (1, 1, 1, 1, 1, 4), dict(size=2), NotImplementedError,
        INPUT_ERROR.format(6, "nearest")),
    row("rank6-area", (1, 1, 1, 1, 1, 4), dict(size=2, mode="area"), NotImplementedError,
        INPUT_ERROR.format(6, "area")),
    # unknown modes: torch's type, resample's words (torch's message blames the rank)
    row("unknown-mode-capitalised", (1, 1, 4, 4), dict(size=2, mode="Bilinear"), NotImplementedError,
        r"unknown mode 'Bilinear' \(did you mean 'bilinear'\?\)", torch_match=INPUT_ERROR.format(4, "Bilinear")),
    row("unknown-mode-3d", (1, 1, 4), dict(size=2, mode="cubic"), NotImplementedError,
        r"unknown mode 'cubic' \(did you mean 'bicubic'\?\); interpolate takes torch's modes",
        torch_match=INPUT_ERROR.format(3, "cubic")),
    row("unknown-mode-align_corners", (1, 1, 4, 4), dict(size=2, mode="foo", align_corners=True),
        NotImplementedError, r"unknown mode 'foo'; interpolate takes", torch_match=INPUT_ERROR.format(4, "foo")),
    row("bicubic-3d", (1, 1, 4), dict(size=2, mode="bicubic"), NotImplementedError,
        INPUT_ERROR.format(3, "bicubic")),
    row("bicubic-5d", (1, 1, 2, 2, 2), dict(size=2, mode="bicubic"), NotImplementedError,
        INPUT_ERROR.format(5, "bicubic")),
    row("lanczos-3d", (1, 1, 4), dict(size=2, mode="lanczos"), NotImplementedError,
        INPUT_ERROR.format(3, "lanczos")),
    row("lanczos-5d", (1, 1, 2, 2, 2), dict(size=2, mode="lanczos"), NotImplementedError,
        INPUT_ERROR.format(5, "lanczos")),
    # single-rank modes on the wrong rank
    row("linear-4d", (1, 1, 4, 4), dict(size=2, mode="linear"), NotImplementedError,
        lit("Got 4D input, but linear mode needs 3D input")),
    row("linear-5d", (1, 1, 2, 2, 2), dict(size=2, mode="linear"), NotImplementedError,
        lit("Got 5D input, but linear mode needs 3D input")),
    row("bilinear-3d", (1, 2, 4), dict(size=2, mode="bilinear"), NotImplementedError,
        lit("Got 3D input, but bilinear mode needs 4D input")),     # docs §12.3 error vector
    row("bilinear-5d", (1, 1, 2, 2, 2), dict(size=2, mode="bilinear"), NotImplementedError,
        lit("Got 5D input, but bilinear mode needs 4D input")),
    row("trilinear-3d", (1, 1, 4), dict(size=2, mode="trilinear"), NotImplementedError,
        lit("Got 3D input, but trilinear mode needs 5D input")),
    row("trilinear-4d", (1, 1, 4, 4), dict(size=2, mode="trilinear"), NotImplementedError,
        lit("Got 4D input, but trilinear mode needs 5D input")),
    # size / scale_factor presence
    row("size-and-scale", (1, 1, 4), dict(size=2, scale_factor=2.0), ValueError,
        lit("only one of size or scale_factor should be defined")),
    row("neither-size-nor-scale", (1, 1, 4), dict(), ValueError,
        lit("either size or scale_factor should be defined")),
    row("neither-explicit-None", (1, 1, 4, 4), dict(size=None, scale_factor=None, mode="bilinear"),
        ValueError, lit("either size or scale_factor should be defined")),
    # lengths
    row("size-too-short", (1, 1, 4, 4), dict(size=(2,)), ValueError, SIZE_LEN.format(r"\[4, 4\]")),
    row("size-too-long", (1, 1, 4), dict(size=[2, 2]), ValueError, SIZE_LEN.format(r"\[4\]")),
    row("scale-too-short", (1, 1, 4, 4), dict(scale_factor=(2.0,)), ValueError, SCALE_LEN.format(r"\[4, 4\]")),
    row("scale-too-long", (1, 1, 2, 2, 2), dict(scale_factor=[2.0] * 4, mode="trilinear"), ValueError,
        SCALE_LEN.format(r"\[2, 2, 2\]")),
    # element types of size (Python's check)
    row("size-float-elements", (1, 1, 4, 4), dict(size=(2.0, 2.0)), TypeError,
        SIZE_TYPES + lit(" [<class 'float'>, <class 'float'>]")),
    row("size-None-element", (1, 1, 4, 4), dict(size=(2, None)), TypeError, SIZE_TYPES),
    row("size-float-element-3d", (1, 1, 4), dict(size=[1.5], mode="linear"), TypeError, SIZE_TYPES),
    # torch's C++ argument parser (different message in torch)
    row("size-scalar-float", (1, 1, 4, 4), dict(size=8.0), TypeError, "size", torch_match=None),
    row("size-bool-elements", (1, 1, 4, 4), dict(size=(True, True)), TypeError, "size", torch_match=None),
    row("size-scalar-bool", (1, 1, 4), dict(size=True), TypeError, "size", torch_match=None),
    row("scale-None-element", (1, 1, 4, 4), dict(scale_factor=(2.0, None)), TypeError, "scale_factor",
        torch_match=None),
    row("scale-str-element", (1, 1, 4, 4), dict(scale_factor=("2", 2.0)), TypeError, "scale_factor",
        torch_match=None),
    row("scale-scalar-str", (1, 1, 4), dict(scale_factor="2"), TypeError, "scale_factor", torch_match=None),
    # align_corners with the non-interpolating modes (False counts too)
    row("align_corners-True-nearest", (1, 1, 4), dict(size=2, align_corners=True), ValueError, ALIGN),
    row("align_corners-False-nearest", (1, 1, 4, 4), dict(size=2, align_corners=False), ValueError, ALIGN),
    row("align_corners-False-nearest-exact", (1, 1, 4, 4), dict(size=2, mode="nearest-exact",
                                                                align_corners=False), ValueError, ALIGN),
    row("align_corners-True-area", (1, 1, 2, 2, 2), dict(size=1, mode="area", align_corners=True),
        ValueError, ALIGN),
    # recompute_scale_factor with size
    row("recompute-with-size", (1, 1, 4, 4), dict(size=2, mode="bilinear", recompute_scale_factor=True),
        ValueError, RECOMPUTE),
    # antialias with another mode or rank
    row("antialias-nearest", (1, 1, 4, 4), dict(size=2, antialias=True), ValueError, ANTIALIAS),
    row("antialias-area", (1, 1, 4, 4), dict(size=2, mode="area", antialias=True), ValueError, ANTIALIAS),
    row("antialias-linear-3d", (1, 1, 4), dict(size=2, mode="linear", antialias=True), ValueError, ANTIALIAS),
    row("antialias-trilinear-5d", (1, 1, 2, 2, 2), dict(size=1, mode="trilinear", antialias=True),
        ValueError, ANTIALIAS),
    row("antialias-bicubic-3d", (1, 1, 4), dict(size=2, mode="bicubic", antialias=True), ValueError, ANTIALIAS),
    row("antialias-bilinear-5d", (1, 1, 2, 2, 2), dict(size=1, mode="bilinear", antialias=True),
        ValueError, ANTIALIAS),
    # lanczos
    row("lanczos-no-antialias", (1, 1, 4, 4), dict(size=2, mode="lanczos"), ValueError,
        lit("Lanczos mode requires antialias=True")),
    row("lanczos-align_corners-False-no-antialias", (1, 1, 4, 4),
        dict(size=2, mode="lanczos", align_corners=False), ValueError, lit("Lanczos mode requires antialias=True")),
    row("lanczos-align_corners-True", (1, 1, 4, 4), dict(size=2, mode="lanczos", align_corners=True,
                                                         antialias=True),
        ValueError, lit("Lanczos mode does not support align_corners=True")),
    # output size <= 0 or input spatial size 0 (non-area)
    row("size0-3d", (1, 1, 4), dict(size=0, mode="linear"), RuntimeError,
        SIZES_POS + lit("(W: 4) and output (W: 0)")),
    row("size-negative-3d", (1, 1, 4), dict(size=-1), RuntimeError,
        SIZES_POS + lit("(W: 4) and output (W: -1)")),
    row("scale-negative-3d", (1, 1, 4), dict(scale_factor=-1.0), RuntimeError,
        SIZES_POS + lit("(W: 4) and output (W: -4)")),
    row("scale0.1-4d", (1, 2, 4, 4), dict(scale_factor=0.1), RuntimeError,      # docs §12.3 error vector
        SIZES_POS + lit("(H: 4, W: 4) output (H: 0, W: 0)")),
    row("size0-4d-bicubic", (1, 1, 4, 4), dict(size=(0, 3), mode="bicubic"), RuntimeError,
        SIZES_POS + lit("(H: 4, W: 4) output (H: 0, W: 3)")),
    row("size0-4d-antialias", (1, 1, 4, 4), dict(size=(3, 0), mode="bilinear", antialias=True), RuntimeError,
        SIZES_POS + lit("(H: 4, W: 4) output (H: 3, W: 0)")),
    row("size0-5d", (1, 1, 4, 4, 4), dict(size=0, mode="trilinear"), RuntimeError,
        SIZES_POS + lit("(D: 4, H: 4, W: 4) output (D: 0, H: 0, W: 0)")),
    row("input-spatial0-3d", (1, 1, 0), dict(size=2), RuntimeError,
        SIZES_POS + lit("(W: 0) and output (W: 2)")),
    row("input-spatial0-4d", (1, 1, 0, 4), dict(size=2, mode="bilinear"), RuntimeError,
        SIZES_POS + lit("(H: 0, W: 4) output (H: 2, W: 2)")),
    # C == 0, non-area
    row("C0-4d", (1, 0, 4, 4), dict(size=2), RuntimeError,
        lit("Non-empty 4D data tensor expected but got a tensor with sizes [1, 0, 4, 4]")),
    row("C0-N0-4d", (0, 0, 4, 4), dict(size=2, mode="bilinear"), RuntimeError,
        lit("Non-empty 4D data tensor expected but got a tensor with sizes [0, 0, 4, 4]")),
    row("C0-3d", (1, 0, 4), dict(size=2, mode="linear"), RuntimeError,
        lit("Non-empty 3D data tensor expected but got a tensor with sizes [1, 0, 4]")),
    row("C0-5d", (1, 0, 2, 2, 2), dict(size=2, mode="trilinear"), RuntimeError,
        lit("Non-empty 5D data tensor expected but got a tensor with sizes [1, 0, 2, 2, 2]")),
    # area: negative size, empty spatial input
    # (torch reports 1-D area as adaptive_avg_pool2d with {1, -1}; resample names pool1d)
    row("area-negative-1d", (1, 1, 4), dict(size=-1, mode="area"), RuntimeError, AREA_NEG),
    row("area-negative-2d", (1, 1, 4, 4), dict(size=-1, mode="area"), RuntimeError,
        lit("adaptive_avg_pool2d: ") + AREA_NEG),
    row("area-negative-3d", (1, 1, 4, 4, 4), dict(size=(2, -1, 2), mode="area"), RuntimeError,
        lit("adaptive_avg_pool3d: ") + AREA_NEG),
    row("area-negative-scale", (1, 1, 4, 4), dict(scale_factor=-1.0, mode="area"), RuntimeError, AREA_NEG),
    row("area-input-spatial0", (1, 2, 0, 4), dict(size=2, mode="area"), RuntimeError,
        lit("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but "
            "input has sizes [1, 2, 0, 4] with dimension 2 being empty")),
    # docs §1.4: non-finite and huge scales. C++ (.vec) path -> RuntimeError
    row("scale-nan-kernel", (1, 1, 4), dict(scale_factor=NAN), RuntimeError, INT64),
    row("scale-inf-kernel", (1, 1, 4), dict(scale_factor=INF, mode="linear"), RuntimeError, INT64),
    row("scale-neg-inf-kernel", (1, 1, 4, 4), dict(scale_factor=-INF, mode="bicubic"), RuntimeError, INT64),
    row("scale-1e30-kernel", (1, 1, 4, 4), dict(scale_factor=(2.0, 1e30), mode="bilinear"), RuntimeError, INT64),
    row("scale-nan-kernel-recompute-False", (1, 1, 4), dict(scale_factor=NAN, recompute_scale_factor=False),
        RuntimeError, INT64),
    # Python path (recompute_scale_factor=True, or area) -> int() errors
    row("scale-nan-recompute", (1, 1, 4), dict(scale_factor=NAN, recompute_scale_factor=True), ValueError,
        NAN_INT),
    row("scale-inf-recompute", (1, 1, 4, 4), dict(scale_factor=INF, mode="bilinear", recompute_scale_factor=True),
        OverflowError, INF_INT),
    row("scale-neg-inf-recompute", (1, 1, 4), dict(scale_factor=-INF, recompute_scale_factor=True),
        OverflowError, INF_INT),
    row("scale-nan-area", (1, 1, 4), dict(scale_factor=NAN, mode="area"), ValueError, NAN_INT),
    row("scale-inf-area", (1, 1, 4, 4), dict(scale_factor=INF, mode="area"), OverflowError, INF_INT),
    # area forces the Python path even over an explicit recompute_scale_factor=False
    row("scale-nan-area-recompute-False", (1, 1, 4), dict(scale_factor=NAN, mode="area",
                                                          recompute_scale_factor=False), ValueError, NAN_INT),
]

# ----------------------------------------------------------------------- docs §1.8 order

ORDER = [
    # 1. align_corners before everything else, even the rank check
    row("order-align_corners-before-rank", (1, 4), dict(size=2, mode="nearest", align_corners=True),
        ValueError, ALIGN),
    row("order-align_corners-before-rank-6d", (1, 1, 1, 1, 1, 4), dict(size=2, mode="area", align_corners=False),
        ValueError, ALIGN),
    row("order-align_corners-before-presence", (1, 1, 4), dict(align_corners=True), ValueError, ALIGN),
    # 2. presence before lengths
    row("order-presence-before-length", (1, 1, 4), dict(size=(2, 2), scale_factor=(2.0, 2.0)), ValueError,
        lit("only one of size or scale_factor should be defined")),
    # 3. lengths, even for bad ranks (spatial dimensions [])
    row("order-length-before-rank-size", (1, 4), dict(size=(8, 8)), ValueError, SIZE_LEN.format(r"\[\]")),
    row("order-length-before-rank-scale", (1, 4), dict(scale_factor=(2.0, 2.0)), ValueError,
        SCALE_LEN.format(r"\[\]")),
    row("order-length-before-types", (1, 1, 4, 4), dict(size=(2.0,)), ValueError, SIZE_LEN.format(r"\[4, 4\]")),
    # 4. element types before recompute-with-size
    row("order-types-before-recompute", (1, 1, 4, 4), dict(size=(2.0, 2.0), recompute_scale_factor=True),
        TypeError, SIZE_TYPES),
    # 5./6. recompute errors before antialias
    row("order-recompute-before-antialias", (1, 1, 4), dict(size=2, recompute_scale_factor=True, antialias=True),
        ValueError, RECOMPUTE),
    row("order-area-inf-before-antialias", (1, 1, 4), dict(scale_factor=INF, mode="area", antialias=True),
        OverflowError, INF_INT),
    row("order-area-nan-before-antialias", (1, 1, 4), dict(scale_factor=NAN, mode="area", antialias=True),
        ValueError, NAN_INT),
    row("order-recompute-inf-before-antialias", (1, 1, 4), dict(scale_factor=INF, recompute_scale_factor=True,
                                                                 antialias=True), OverflowError, INF_INT),
    # size errors before antialias
    row("order-size-length-before-antialias", (1, 1, 4), dict(size=(2, 2), antialias=True), ValueError,
        SIZE_LEN.format(r"\[4\]")),
    row("order-size-types-before-antialias", (1, 1, 4, 4), dict(size=(2.0, 2.0), mode="bilinear",
                                                                antialias=True), TypeError, SIZE_TYPES),
    row("order-presence-before-antialias", (1, 1, 4), dict(antialias=True), ValueError,
        lit("either size or scale_factor should be defined")),
    # 7. antialias before the (rank, mode) dispatch and before the kernel's size checks
    row("order-antialias-before-rank", (1, 4), dict(size=2, antialias=True), ValueError, ANTIALIAS),
    row("order-antialias-before-rank-bilinear-3d", (1, 1, 4), dict(size=2, mode="bilinear", antialias=True),
        ValueError, ANTIALIAS),
    row("order-antialias-before-rank-lanczos-3d", (1, 1, 4), dict(size=2, mode="lanczos", antialias=True),
        ValueError, ANTIALIAS),
    row("order-antialias-before-size0", (1, 1, 4), dict(size=0, mode="bicubic", antialias=True),
        ValueError, ANTIALIAS),
    row("order-antialias-before-kernel-scale", (1, 1, 4), dict(scale_factor=NAN, mode="bicubic",
                                                                antialias=True), ValueError, ANTIALIAS),
    # 8. lanczos: align_corners checked before antialias
    row("order-lanczos-align_corners-before-antialias", (1, 1, 4, 4),
        dict(size=2, mode="lanczos", align_corners=True), ValueError,
        lit("Lanczos mode does not support align_corners=True")),
    # 9. rank errors before the kernel's size, C and scale checks
    row("order-rank-before-size0", (1, 1, 4), dict(size=0, mode="bilinear"), NotImplementedError,
        lit("Got 3D input, but bilinear mode needs 4D input")),
    row("order-rank-before-C0", (1, 0, 4), dict(size=2, mode="bilinear"), NotImplementedError,
        lit("Got 3D input, but bilinear mode needs 4D input")),
    row("order-rank-before-kernel-scale", (1, 1, 4, 4), dict(scale_factor=NAN, mode="linear"),
        NotImplementedError, lit("Got 4D input, but linear mode needs 3D input")),
    row("order-generic-rank-before-size0", (1, 1, 1, 1, 1, 4), dict(size=0), NotImplementedError,
        INPUT_ERROR.format(6, "nearest")),
]

TORCH_ROWS = TABLE + ORDER


@pytest.mark.parametrize("shape, dtype, kwargs, exc, match, in_torch, torch_match", TORCH_ROWS)
def test_error(shape, dtype, kwargs, exc, match, in_torch, torch_match):
    x = _x(shape, dtype)
    with pytest.raises(exc, match=match) as info:
        resample.interpolate(x, **kwargs)
    assert type(info.value) is exc


@pytest.mark.parametrize("shape, dtype, kwargs, exc, match, in_torch, torch_match", TORCH_ROWS)
def test_error_matches_torch(shape, dtype, kwargs, exc, match, in_torch, torch_match):
    torch = pytest.importorskip("torch")
    x = torch.from_numpy(_x(shape, dtype))
    with pytest.raises(exc, match=torch_match) as info:
        torch.nn.functional.interpolate(x, **kwargs)
    assert type(info.value) is exc


# ----------------------------------------------------------------------------- accepted edge cases

# (id, shape, kwargs, expected output shape); torch returns the same shape
EMPTY_OK = [
    ("area-scale0.1-empty", (1, 2, 4, 4), dict(scale_factor=0.1, mode="area"), (1, 2, 0, 0)),  # docs §12.3
    ("area-size0-1d", (1, 2, 4), dict(size=0, mode="area"), (1, 2, 0)),
    ("area-size0-partial", (1, 1, 4, 4), dict(size=(0, 3), mode="area"), (1, 1, 0, 3)),
    ("area-size0-3d", (2, 1, 2, 2, 2), dict(size=(1, 0, 1), mode="area"), (2, 1, 1, 0, 1)),
    ("area-C0", (1, 0, 4, 4), dict(size=2, mode="area"), (1, 0, 2, 2)),
    ("N0-nearest-3d", (0, 2, 4), dict(size=3), (0, 2, 3)),
    ("N0-nearest-exact-4d", (0, 2, 4, 4), dict(size=3, mode="nearest-exact"), (0, 2, 3, 3)),
    ("N0-nearest-5d", (0, 2, 2, 2, 2), dict(scale_factor=2.0), (0, 2, 4, 4, 4)),
    ("N0-linear", (0, 3, 4), dict(size=7, mode="linear"), (0, 3, 7)),
    ("N0-bilinear", (0, 3, 4, 4), dict(size=(2, 5), mode="bilinear", align_corners=True), (0, 3, 2, 5)),
    ("N0-bicubic", (0, 2, 4, 4), dict(size=2, mode="bicubic"), (0, 2, 2, 2)),
    ("N0-trilinear", (0, 1, 2, 2, 2), dict(size=3, mode="trilinear"), (0, 1, 3, 3, 3)),
    ("N0-area", (0, 2, 4, 4), dict(size=2, mode="area"), (0, 2, 2, 2)),
    ("N0-bilinear-antialias", (0, 2, 4, 4), dict(size=2, mode="bilinear", antialias=True), (0, 2, 2, 2)),
    ("N0-lanczos-antialias", (0, 2, 4, 4), dict(size=2, mode="lanczos", antialias=True), (0, 2, 2, 2)),
    ("size-numpy-int-elements", (1, 1, 4, 4), dict(size=(np.int64(2), np.int32(3))), (1, 1, 2, 3)),
    ("scale-numpy-float-elements", (1, 1, 4, 4), dict(scale_factor=(np.float32(2.0), 1)), (1, 1, 8, 4)),
]


@pytest.mark.parametrize("dtype", [F32, F64], ids=["float32", "float64"])
@pytest.mark.parametrize("shape, kwargs, out_shape", [pytest.param(*r[1:], id=r[0]) for r in EMPTY_OK])
def test_accepted_edge_cases(shape, kwargs, out_shape, dtype):
    x = _x(shape, dtype)
    result = resample.interpolate(x, **kwargs)
    assert isinstance(result, np.ndarray)
    assert result.shape == out_shape
    assert result.dtype == dtype


@pytest.mark.parametrize("shape, kwargs, out_shape", [pytest.param(*r[1:], id=r[0]) for r in EMPTY_OK])
def test_accepted_edge_cases_match_torch(shape, kwargs, out_shape):
    torch = pytest.importorskip("torch")
    result = torch.nn.functional.interpolate(torch.from_numpy(_x(shape)), **kwargs)
    assert tuple(result.shape) == out_shape


# ----------------------------------------------------------------------------- resample's own checks

def test_input_object_is_type_error():
    with pytest.raises(TypeError, match="float32"):
        resample.interpolate(object(), size=2)


def test_input_ragged_list_is_type_error():
    with pytest.raises(TypeError, match="convertible"):
        resample.interpolate([[[1.0, 2.0], [3.0]]], size=2)


def test_input_nested_list_is_converted():
    # the counterpart: a regular nested list converts (to float64) and works
    result = resample.interpolate([[[1.0, 2.0]]], size=4)
    assert result.dtype == F64
    np.testing.assert_array_equal(result, [[[1.0, 1.0, 2.0, 2.0]]], strict=True)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint16, np.uint32,
                                   np.uint64, np.complex64, np.complex128, np.object_, np.str_],
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("mode", ["nearest", "area"])
def test_unsupported_dtype(dtype, mode):
    x = np.zeros((1, 1, 4), dtype)
    with pytest.raises(TypeError, match="float32"):
        resample.interpolate(x, size=2, mode=mode)


UINT8_MODES = [
    pytest.param((1, 1, 4), dict(mode="nearest"), id="nearest"),
    pytest.param((1, 1, 4), dict(mode="nearest-exact"), id="nearest-exact"),
    pytest.param((1, 1, 4), dict(mode="linear"), id="linear"),
    pytest.param((1, 1, 4, 4), dict(mode="bilinear"), id="bilinear"),
    pytest.param((1, 1, 4, 4), dict(mode="bicubic", align_corners=True), id="bicubic"),
    pytest.param((1, 1, 2, 2, 2), dict(mode="trilinear"), id="trilinear"),
    pytest.param((1, 1, 4, 4), dict(mode="area"), id="area"),
    pytest.param((1, 1, 4, 4), dict(mode="bilinear", antialias=True), id="bilinear-antialias"),
    pytest.param((1, 1, 4, 4), dict(mode="bicubic", antialias=True), id="bicubic-antialias"),
    pytest.param((1, 1, 4, 4), dict(mode="lanczos", antialias=True), id="lanczos-antialias"),
]


@pytest.mark.parametrize("shape, kwargs", UINT8_MODES)
def test_uint8_is_accepted_in_every_mode(shape, kwargs):
    # values are checked in test_uint8.py
    result = resample.interpolate(np.full(shape, 200, U8), size=8, **kwargs)
    assert result.dtype == U8 and result.shape == (*shape[:2], *[8] * (len(shape) - 2))
    assert (result == 200).all()    # a constant image stays constant in every mode


@pytest.mark.parametrize("num_threads", [0, -2, 1.5, "2", True], ids=["0", "-2", "1.5", "str", "True"])
def test_bad_num_threads(num_threads):
    with pytest.raises(ValueError, match="num_threads"):
        resample.interpolate(np.zeros((1, 1, 4), F32), size=2, num_threads=num_threads)


@pytest.mark.parametrize("num_threads", [None, 1, 2, np.int64(3), -1, 10**6, 2**31, 2**70],
                         ids=["None", "1", "2", "np.int64", "all", "1e6", "2^31", "2^70"])
def test_good_num_threads(num_threads):
    result = resample.interpolate(_x((1, 1, 4)), size=8, mode="linear", num_threads=num_threads)
    assert result.shape == (1, 1, 8)


# ----------------------------------------------------------------------------- out=

def _bad_out_cases():
    def wrong_shape():
        return _x((2, 3, 4, 4)), np.empty((2, 3, 5, 4), F32)

    def wrong_dtype():
        return _x((2, 3, 4, 4)), np.empty((2, 3, 5, 5), F64)

    def fortran_order():
        return _x((2, 3, 4, 4)), np.empty((2, 3, 5, 5), F32, order="F")

    def strided_view():
        return _x((2, 3, 4, 4)), np.empty((2, 3, 5, 10), F32)[..., ::2]

    def channels_last_in_c_order_out():
        x = np.ascontiguousarray(_x((2, 4, 4, 3))).transpose(0, 3, 1, 2)   # NHWC memory, NCHW view
        return x, np.empty((2, 3, 5, 5), F32)

    def read_only():
        out = np.empty((2, 3, 5, 5), F32)
        out.flags.writeable = False
        return _x((2, 3, 4, 4)), out

    def same_array():     # out is the input itself (size unchanged)
        x = _x((2, 3, 5, 5))
        return x, x

    return [
        pytest.param(wrong_shape, "shape", id="wrong-shape"),
        pytest.param(wrong_dtype, "dtype", id="wrong-dtype"),
        pytest.param(fortran_order, "C-contiguous", id="fortran-order"),
        pytest.param(strided_view, "C-contiguous", id="strided-view"),
        pytest.param(channels_last_in_c_order_out, "channels-last", id="c-order-out-for-channels-last-input"),
        pytest.param(read_only, "writeable", id="read-only"),
        pytest.param(same_array, "overlap", id="out-is-input"),
    ]


@pytest.mark.parametrize("make, fragment", _bad_out_cases())
def test_bad_out(make, fragment):
    x, out = make()
    before = out.copy()
    with pytest.raises(ValueError, match=fragment):
        resample.interpolate(x, size=(5, 5), mode="bilinear", out=out)
    np.testing.assert_array_equal(out, before, strict=True)   # nothing was written


def test_out_overlapping_input():
    buf = np.zeros((1, 1, 2, 8), F32)
    x = buf[:, :, :1, :4]           # (1, 1, 1, 4), C-contiguous, first half of row 0
    out = buf[:, :, :1, :]          # (1, 1, 1, 8), row 0: contains x
    assert x.flags.c_contiguous and out.flags.c_contiguous
    with pytest.raises(ValueError, match="overlap"):
        resample.interpolate(x, size=(1, 8), out=out)


def test_out_not_an_array():
    with pytest.raises(TypeError, match="out must be a NumPy array"):
        resample.interpolate(_x((1, 1, 4)), size=8, out=[0.0] * 8)


@pytest.mark.parametrize("layout", ["C", "channels-last"])
def test_good_out_is_filled_and_returned(layout):
    x = _x((2, 3, 4, 4))
    out = np.full((2, 3, 5, 5), np.nan, F32)
    if layout == "channels-last":
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
        out = np.ascontiguousarray(out.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    expected = resample.interpolate(np.ascontiguousarray(x), size=(5, 5), mode="bilinear")
    result = resample.interpolate(x, size=(5, 5), mode="bilinear", out=out)
    assert result is out
    np.testing.assert_array_equal(out, expected, strict=True)


# ----------------------------------------------------------------------------- huge outputs

# These must be refused from the sizes alone, before anything is allocated; the message
# pattern is resample's own (NumPy's allocation failure would say something else).
NO_MEMORY = r"needs .* GiB, more than this machine's"


@pytest.mark.parametrize("shape, kwargs", [
    pytest.param((1, 1, 4, 4), dict(size=(10**7, 10**7)), id="size-1e7x1e7-nearest"),
    pytest.param((1, 1, 4, 4), dict(size=(10**7, 10**7), mode="bilinear"), id="size-1e7x1e7-bilinear"),
    pytest.param((1, 1, 4, 4), dict(size=(10**7, 10**7), mode="bicubic", antialias=True),
                 id="size-1e7x1e7-bicubic-antialias"),
    pytest.param((1, 1, 4, 4), dict(size=(10**7, 10**7), mode="area"), id="size-1e7x1e7-area"),
    pytest.param((1, 1, 4, 4), dict(scale_factor=1e12), id="scale-1e12-nearest"),
    pytest.param((1, 1, 4, 4), dict(scale_factor=1e12, mode="bilinear"), id="scale-1e12-bilinear"),
    pytest.param((1, 1, 4, 4), dict(scale_factor=1e12, recompute_scale_factor=True), id="scale-1e12-recompute"),
    pytest.param((1, 1, 4, 4), dict(scale_factor=1e12, mode="area"), id="scale-1e12-area"),
    pytest.param((1, 1, 4), dict(size=10**15, mode="linear"), id="size-1e15-1d"),
    pytest.param((1, 1, 2, 2, 2), dict(size=10**5, mode="trilinear"), id="size-1e5-cubed-3d"),
])
def test_huge_output_is_memory_error(shape, kwargs):
    with pytest.raises(MemoryError, match=NO_MEMORY):
        resample.interpolate(_x(shape), **kwargs)


@pytest.mark.parametrize("shape, kwargs", [
    # torch 2.13's C++ argument parser: "argument 'output_size' failed to unpack ...
    # Overflow when unpacking long long" (a TypeError)
    pytest.param((1, 1, 4), dict(size=2**63), id="size-2**63"),
    pytest.param((1, 1, 4, 4), dict(size=(2, 2**64)), id="size-2**64"),
    pytest.param((1, 1, 4), dict(scale_factor=1e30, recompute_scale_factor=True), id="scale-1e30-recompute"),
    pytest.param((1, 1, 4, 4), dict(scale_factor=1e30, mode="area"), id="scale-1e30-area"),
])
def test_output_beyond_int64_is_type_error(shape, kwargs):
    with pytest.raises(TypeError, match="int64"):
        resample.interpolate(_x(shape), **kwargs)
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.functional.interpolate(torch.from_numpy(_x(shape)), **kwargs)
