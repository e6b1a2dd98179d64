"""compat.pil_resize: Pillow 13's Image.resize (and Pillow-SIMD's) on NumPy arrays, bit for
bit, on resample's engine and kernels. Its exactness rule is in the docstring and in
docs/compat.md."""
import collections
import math
import numbers
import platform
import sys

import numpy as np

from .. import _engine, _modes, _plans
from .._arrays import c_order, check_fits, native_order
from .._runtime import kernels as _kernels, resolve_threads
from ._common import passes_in_double, width_height

# --------------------------------------------------------------------------------- Pillow

#: Pillow's Image.Resampling values by name (what `pil_resize` takes as ``resample``).
PIL_FILTERS = {f.name: f.code for f in _modes.PILLOW}
_NEAREST = 0

# Pillow mode -> (dtype, bands, how it is resized). "fixed": 8-bit, Pillow's 22-bit fixed
# point; "double": I;16, I and F, double sums; "alpha": premultiplied around the resize;
# "signed": LAB, whose a and b bands are signed bytes that Pillow stores (and so resamples)
# with their top bit flipped (Unpack.c's ImagingUnpackLAB); "index": palette indices and
# 1-bit, always NEAREST.
_PIL_MODES = {
    "L": (np.uint8, 1, "fixed"), "LA": (np.uint8, 2, "alpha"), "La": (np.uint8, 2, "fixed"),
    "RGB": (np.uint8, 3, "fixed"), "RGBA": (np.uint8, 4, "alpha"), "RGBa": (np.uint8, 4, "fixed"),
    "RGBX": (np.uint8, 4, "fixed"), "CMYK": (np.uint8, 4, "fixed"), "YCbCr": (np.uint8, 3, "fixed"),
    "LAB": (np.uint8, 3, "signed"), "HSV": (np.uint8, 3, "fixed"),
    "P": (np.uint8, 1, "index"), "1": (np.bool_, 1, "index"),
    "I;16": (np.uint16, 1, "double"), "I": (np.int32, 1, "double"), "F": (np.float32, 1, "double"),
}
# Which Pillow build's arithmetic: Pillow-SIMD's (simd), and sums and coefficients with
# fused multiply-adds (fused), as the compilers of Pillow's ARM wheels make them
_Arithmetic = collections.namedtuple("_Arithmetic", "simd fused")
_FUSED_BY_DEFAULT = sys.platform != "win32" and platform.machine().lower() in ("aarch64", "arm64")

# the mode an array implies when `mode` is not given (as Image.fromarray)
_DEFAULT_MODES = {("uint8", 1): "L", ("uint8", 2): "LA", ("uint8", 3): "RGB", ("uint8", 4): "RGBA",
                  ("bool", 1): "1", ("uint16", 1): "I;16", ("int32", 1): "I", ("float32", 1): "F"}


def pil_resize(image, size, resample=None, box=None, reducing_gap=None, mode=None, *,
               pillow_simd=False, fused_multiply_add=None, num_threads=None):
    """Pillow 13's ``Image.resize`` on a NumPy array, bit for bit.

    Parameters
    ----------
    image : ndarray
        (height, width) or (height, width, bands), as ``np.asarray(pil_image)`` gives:
        uint8 for the 8-bit modes, bool for "1", uint16 for "I;16", int32 for "I",
        float32 for "F".
    size : (int, int)
        The output (width, height), Pillow's order.
    resample : int or str, optional
        An ``Image.Resampling`` value or name: "nearest", "box", "bilinear", "hamming",
        "bicubic" (the default, as Pillow's), "lanczos", "mks2013", "mks2021". Modes "1"
        and "P" always use nearest, as in Pillow.
    box : (float, float, float, float), optional
        The source region (left, upper, right, lower) to resize, within the image; the
        edges are rounded to float32 as Pillow parses them.
    reducing_gap : float, optional
        Pillow's two-step resize: first ``Image.reduce`` by the integer factors
        ``int(box_size / size / reducing_gap)`` per axis (when above 1), then the filter.
        At least 1.0. Ignored for nearest, as in Pillow.
    mode : str, optional
        The Pillow mode of the array when its dtype and band count alone do not say it
        (default as ``Image.fromarray``: L, LA, RGB, RGBA, 1, I;16, I, F): "RGBX", "CMYK",
        "YCbCr", "HSV" (resized like RGB, band by band), "LAB" (likewise, its a and b
        bands as the signed bytes they are, as Pillow does), "La", "RGBa" (premultiplied
        already), "P" (palette indices: nearest).
    pillow_simd : bool
        Pillow-SIMD's arithmetic instead of Pillow's (Pillow-SIMD 12.1, the fork that
        torch's uint8 kernels and torchvision's lanczos follow): 8-bit modes with int16
        weights at the precision their largest one allows, the horizontal pass always
        first, and only Pillow-SIMD's filters (not MKS2013/MKS2021).
    fused_multiply_add : bool, optional
        Reproduce a Pillow whose compiler fused each ``a * b + c`` of its resampling code
        into one rounding, as the compilers of Pillow's aarch64 (Linux) and arm64 (macOS)
        wheels do; its x86-64 wheels round every product. It changes the I;16, I and F
        results (the double sums and the filter coefficients) and, rarely, an 8-bit one
        (through the coefficients). None (the default): the wheels of the machine this
        runs on, True on aarch64/arm64, False elsewhere; True or False to reproduce the
        other platform's Pillow.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        (height, width[, bands]) of the input's dtype: what
        ``np.asarray(Image.fromarray(image, mode).resize(size, resample, box,
        reducing_gap))`` gives.

    Raises
    ------
    ValueError
        An unknown filter or mode, a mode that does not fit the array, a size below 1, a
        box outside the image or empty, reducing_gap below 1 (Pillow's messages).
    TypeError
        A size or box that is not numbers, an array that is not 2-D or 3-D.

    Notes
    -----
    Exactness: every 8-bit mode bit for bit (Pillow's coefficients in double, 22-bit
    fixed point, 8-bit intermediate, its pass order, premultiplied alpha for LA and
    RGBA); I;16, I and F exactly (double sums in Pillow's order, Pillow's rounding). Tested
    against the installed Pillow over every filter, mode, box and reducing gap
    (tests/test_compat_pillow.py). One departure: an "I" result beyond int32's range is
    clamped, where Pillow's C conversion overflows. With ``pillow_simd=True``: bit for
    bit for the 8-bit modes without alpha; LA and RGBA un-premultiply with Pillow's exact
    division, where Pillow-SIMD uses an approximate reciprocal whose last bit depends on
    the CPU; I;16 clamps where Pillow-SIMD keeps a byte-wise clip (docs/compat.md). The
    same image gives other I;16, I and F bits from Pillow's x86-64 and aarch64 wheels
    (fused multiply-adds, above): by default the machine's own Pillow is reproduced, and
    either one anywhere with ``fused_multiply_add`` (tested on x86-64 and under aarch64
    emulation, docs/compat.md).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import pil_resize
    >>> image = np.arange(48, dtype=np.uint8).reshape(4, 4, 3) * 5
    >>> pil_resize(image, (2, 2), "bilinear")[..., 0]
    array([[ 54,  77],
           [148, 171]], dtype=uint8)
    """
    image = _as_image(image)
    mode = _pil_mode(image, mode)
    resample = _pil_filter(resample)
    if pillow_simd and resample in (PIL_FILTERS["mks2013"], PIL_FILTERS["mks2021"]):
        raise ValueError("Pillow-SIMD has no Magic Kernel Sharp filters; choose another or "
                         "pillow_simd=False")
    if fused_multiply_add is None:
        fused_multiply_add = _FUSED_BY_DEFAULT
    elif not isinstance(fused_multiply_add, (bool, np.bool_)):
        raise TypeError(f"fused_multiply_add must be True, False or None, not {fused_multiply_add!r}")
    arithmetic = _Arithmetic(simd=bool(pillow_simd), fused=bool(fused_multiply_add))
    if reducing_gap is not None and reducing_gap < 1.0:
        raise ValueError("reducing_gap must be 1.0 or greater")
    height, width = image.shape[:2]
    box = (0, 0, width, height) if box is None else _box(box)
    size = width_height(size)
    threads = resolve_threads(num_threads)
    if (width, height) == size and box == (0, 0, width, height):
        return image.copy()
    kind = _PIL_MODES[mode][2]
    if kind == "index":
        resample = _NEAREST
    if kind == "alpha" and resample != _NEAREST:
        if pillow_simd:
            reducing_gap = None     # Pillow-SIMD 12.1 (as Pillow before 13) drops it here
        return _alpha(_kernels.unpremultiply_alpha,
                      _pil_resize(_alpha(_kernels.premultiply_alpha, image, threads),
                                  size, resample, box, reducing_gap, "fixed", arithmetic, threads),
                      threads)
    if kind == "signed" and resample != _NEAREST:
        return _flip_signed(_pil_resize(_flip_signed(image, threads), size, resample, box,
                                        reducing_gap, "fixed", arithmetic, threads), threads)
    return _pil_resize(image, size, resample, box, reducing_gap, kind, arithmetic, threads)


def _pil_resize(image, size, resample, box, reducing_gap, kind, arithmetic, threads):
    """Image.resize after the mode rules: the reduce() step, then the core resize."""
    if reducing_gap is not None and resample != _NEAREST:
        factor_x = int((box[2] - box[0]) / size[0] / reducing_gap) or 1
        factor_y = int((box[3] - box[1]) / size[1] / reducing_gap) or 1
        if factor_x > 1 or factor_y > 1:
            reduce_box = _safe_box(image.shape[:2], size, resample, box)
            image = _reduce(image, factor_x, factor_y, reduce_box, threads)
            box = ((box[0] - reduce_box[0]) / factor_x, (box[1] - reduce_box[1]) / factor_y,
                   (box[2] - reduce_box[0]) / factor_x, (box[3] - reduce_box[1]) / factor_y)
    return _core_resize(image, size, resample, box, kind, arithmetic, threads)


def _safe_box(shape, size, resample, box):
    """Pillow's _get_safe_box: the box widened by the filter's reach, in whole pixels."""
    support = _modes.PILLOW_BY_CODE[resample].support - 0.5
    reach_x = support * (box[2] - box[0]) / size[0]
    reach_y = support * (box[3] - box[1]) / size[1]
    return (max(0, int(box[0] - reach_x)), max(0, int(box[1] - reach_y)),
            min(shape[1], math.ceil(box[2] + reach_x)), min(shape[0], math.ceil(box[3] + reach_y)))


def _reduce(image, factor_x, factor_y, box, threads):
    """Pillow's Image.reduce((factor_x, factor_y), box) (ImagingReduce), box in whole pixels."""
    if image.dtype == np.uint16:
        raise ValueError("Pillow cannot reduce() an I;16 image, so reducing_gap does not apply "
                         "to it; leave reducing_gap=None")
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    planes = image.reshape(image.shape[0], image.shape[1], -1)
    out = np.empty(((h - 1) // factor_y + 1, (w - 1) // factor_x + 1, planes.shape[2]), image.dtype)
    _kernels.pillow_reduce(planes, out, x0, y0, w, h, factor_x, factor_y, threads)
    return out.reshape(out.shape[:2] + image.shape[2:])


def _core_resize(image, size, resample, box, kind, arithmetic, threads):
    """Pillow's ImagingResample (or its nearest transform) on the box of image."""
    height, width = image.shape[:2]
    out_w, out_h = size
    if box[0] < 0 or box[1] < 0:
        raise ValueError("box offset can't be negative")
    if box[2] > width or box[3] > height:
        raise ValueError("box can't exceed original image size")
    if box[2] - box[0] < 0 or box[3] - box[1] < 0:
        raise ValueError("box can't be empty")
    edges = np.array(box, np.float32)        # Pillow parses the box as C floats
    x0, y0, x1, y1 = (float(v) for v in edges)
    shape = (out_h, out_w) + image.shape[2:]
    # the output, and for double sums two float64 buffers the size of the larger image
    check_fits(shape, image.dtype.itemsize, extra_bytes=16 * max(math.prod(shape), image.size)
                     if kind == "double" else 0)
    out = np.empty(shape, image.dtype)
    if (x0 == int(x0) and y0 == int(y0) and float(edges[2] - edges[0]) == out_w
            and float(edges[3] - edges[1]) == out_h):
        out[...] = image[int(y0):int(y0) + out_h, int(x0):int(x0) + out_w]    # Pillow crops
        return out
    perm = tuple(range(image.ndim))
    x = np.ascontiguousarray(image)
    if resample == _NEAREST:
        stepwise = image.dtype != np.uint16      # I;16 goes through Pillow's generic transform
        index = {0: _plans.pillow_nearest(height, edges[1], edges[3], out_h, stepwise),
                 1: _plans.pillow_nearest(width, edges[0], edges[2], out_w, stepwise)}
        _engine.gather(x.view(np.uint8) if x.dtype == np.bool_ else x,
                     out.view(np.uint8) if out.dtype == np.bool_ else out, perm, index, threads)
        return out
    passes = []
    if out_w != width or x0 or x1 != out_w:            # Pillow's need_horizontal
        passes.append(_pil_pass(1, resample, width, edges[0], edges[2], out_w, kind, arithmetic))
    if out_h != height or y0 or y1 != out_h:           # need_vertical
        passes.append(_pil_pass(0, resample, height, edges[1], edges[3], out_h, kind, arithmetic))
    # Pillow 13 runs the vertical pass first when the height shrinks more than twice as
    # much as the width (Pillow-SIMD always runs the horizontal one first)
    if not arithmetic.simd and height - out_h > 0 and height - out_h > (width - out_w) * 2:
        passes.reverse()
    if not passes:
        out[...] = x
    elif kind == "fixed":
        _engine.run_separable(x, out, perm, passes, threads)
    else:
        # one pass at a time in double, stored back into the image's type after each, as
        # Pillow's intermediate image holds it
        passes_in_double(x, passes, _kernels.pillow_store, threads, out, arithmetic.fused)
    return out


def _pil_pass(axis, resample, n_in, in0, in1, n_out, kind, arithmetic):
    """One Pillow pass as a resample pass: int32 22-bit weights for 8-bit modes (int16 ones
    at a computed precision for Pillow-SIMD), double weights for the others."""
    taps, weights, counts = _plans.pillow_plan(resample, n_in, in0, in1, n_out, arithmetic.fused)
    if kind == "fixed" and arithmetic.simd:
        fixed, precision = _plans.pillow_simd_fixed_point(weights)
        plan = _engine.fixed_point_plan(n_in, taps, fixed, counts, precision)
    elif kind == "fixed":
        plan = _engine.fixed_point_plan(n_in, taps, _plans.pillow_fixed_point(weights), counts, 22)
    else:
        plan = _engine.AxisPlan(n_in, taps, weights, counts)
    return _engine.Pass(axis, n_in, n_out, plan)


def _alpha(kernel, image, threads):
    """image (C-contiguous) with its colour bands (pre/un)multiplied by its last band, alpha."""
    out = np.empty(image.shape, image.dtype)      # C order, so reshape(-1) is a view
    kernel(image.reshape(-1), out.reshape(-1), image.shape[-1], threads)
    return out


def _flip_signed(image, threads):
    """A LAB image (C-contiguous) with the top bit of its a and b bands flipped: Pillow's
    internal storage of the signed bands, and back."""
    out = np.empty(image.shape, image.dtype)
    _kernels.flip_high_bits(image.reshape(-1), out.reshape(-1), image.shape[-1], 1, threads)
    return out


def _as_image(image):
    """The image as a native-order, C-contiguous array (the kernels read flat buffers)."""
    image = c_order(native_order(np.asarray(image)))
    if image.ndim not in (2, 3):
        raise TypeError(f"expected an image array of shape (height, width) or (height, width, "
                        f"bands), got shape {image.shape}")
    return image


def _pil_mode(image, mode):
    bands = image.shape[2] if image.ndim == 3 else 1
    if mode is None:
        mode = _DEFAULT_MODES.get((image.dtype.name, bands))
        if mode is None:
            raise ValueError(f"no Pillow mode holds {image.dtype} data with {bands} bands; Pillow "
                             "images are uint8 (1 to 4 bands), bool, uint16, int32 or float32")
        return mode
    if mode not in _PIL_MODES:
        raise ValueError(f"unknown Pillow mode {mode!r}; resample reproduces "
                         f"{', '.join(sorted(_PIL_MODES))}")
    dtype, want, _ = _PIL_MODES[mode]
    if image.dtype != dtype or bands != want:
        raise ValueError(f"mode {mode!r} is {np.dtype(dtype)} with {want} band(s), but the array "
                         f"is {image.dtype} with {bands}")
    return mode


def _pil_filter(resample):
    if resample is None:
        return PIL_FILTERS["bicubic"]
    if isinstance(resample, str):
        value = PIL_FILTERS.get(resample.lower())
    else:
        value = int(resample) if isinstance(resample, numbers.Integral) else None
        value = value if value in PIL_FILTERS.values() else None
    if value is None:
        raise ValueError(f"Unknown resampling filter ({resample}). Use one of "
                         + ", ".join(f"{n!r} ({v})" for n, v in PIL_FILTERS.items()))
    return value


def _box(box):
    try:
        values = tuple(box)
        if len(values) != 4 or not all(isinstance(v, numbers.Real) for v in values):
            raise TypeError
    except TypeError:
        raise TypeError(f"box must be four numbers (left, upper, right, lower), got {box!r}") from None
    return values
