"""Other libraries' resizes, reproduced bit for bit on NumPy arrays.

A model trained on images resized by one library and served with another sees different
pixels; these functions give the pixels of the library a model was trained with, with no
Pillow or torch at run time, on resample's kernels (multithreaded):

* `pil_resize`: Pillow 13's ``Image.resize`` (every filter and mode, ``box``,
  ``reducing_gap``).
* `torchvision_resize`: torchvision 0.28's ``transforms.v2.functional.resize`` on tensors
  (its output-size rules and its uint8 path choice).
* `cv2_resize`: OpenCV 5.0's ``cv2.resize`` (every interpolation, ``dsize`` or ``fx/fy``,
  any channel count).

Each one's exactness rule, and where it departs from its original on purpose, is in its
docstring and in docs/compat.md.
"""
import math
import numbers
import operator

import numpy as np

from . import _api, _plans
from ._runtime import kernels as _kernels, resolve_threads as _resolve_threads

__all__ = ["pil_resize", "torchvision_resize", "cv2_resize", "PIL_FILTERS", "TORCHVISION_MODES",
           "CV2_INTERPOLATIONS"]

# --------------------------------------------------------------------------------- Pillow

#: Pillow's Image.Resampling values by name (what `pil_resize` takes as ``resample``).
PIL_FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4,
               "hamming": 5, "mks2013": 6, "mks2021": 7}
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
# the mode an array implies when `mode` is not given (as Image.fromarray)
_DEFAULT_MODES = {("uint8", 1): "L", ("uint8", 2): "LA", ("uint8", 3): "RGB", ("uint8", 4): "RGBA",
                  ("bool", 1): "1", ("uint16", 1): "I;16", ("int32", 1): "I", ("float32", 1): "F"}


def pil_resize(image, size, resample=None, box=None, reducing_gap=None, mode=None, *,
               pillow_simd=False, num_threads=None):
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
    the CPU; I;16 clamps where Pillow-SIMD keeps a byte-wise clip (docs/compat.md).

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
    arithmetic = "pillow-simd" if pillow_simd else "pillow"
    if reducing_gap is not None and reducing_gap < 1.0:
        raise ValueError("reducing_gap must be 1.0 or greater")
    height, width = image.shape[:2]
    box = (0, 0, width, height) if box is None else _box(box)
    size = _pil_size(size)
    threads = _resolve_threads(num_threads)
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
    support = _plans.PILLOW_SUPPORT[resample] - 0.5
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
    _api._check_fits(shape, image.dtype.itemsize, extra_bytes=16 * max(math.prod(shape), image.size)
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
        _api._gather(x.view(np.uint8) if x.dtype == np.bool_ else x,
                     out.view(np.uint8) if out.dtype == np.bool_ else out, perm, index, threads)
        return out
    passes = []
    if out_w != width or x0 or x1 != out_w:            # Pillow's need_horizontal
        passes.append(_pil_pass(1, resample, width, edges[0], edges[2], out_w, kind, arithmetic))
    if out_h != height or y0 or y1 != out_h:           # need_vertical
        passes.append(_pil_pass(0, resample, height, edges[1], edges[3], out_h, kind, arithmetic))
    # Pillow 13 runs the vertical pass first when the height shrinks more than twice as
    # much as the width (Pillow-SIMD always runs the horizontal one first)
    if arithmetic == "pillow" and height - out_h > 0 and height - out_h > (width - out_w) * 2:
        passes.reverse()
    if not passes:
        out[...] = x
    elif kind == "fixed":
        _api._run_separable(x, out, perm, passes, threads)
    else:
        # one pass at a time in double, stored back into the image's type after each, as
        # Pillow's intermediate image holds it
        buf = x
        for p in passes:
            shape = list(buf.shape)
            shape[p.axis] = p.n_out
            wide = np.empty(buf.size, np.float64)
            _kernels.widen_to_double(buf.reshape(-1), wide, threads)
            result = np.empty(math.prod(shape), np.float64)
            _api._run_separable(wide.reshape(buf.shape), result.reshape(shape), perm, [p], threads)
            buf = out if p is passes[-1] else np.empty(shape, image.dtype)
            _kernels.pillow_store(result, buf.reshape(-1), threads)
    return out


def _pil_pass(axis, resample, n_in, in0, in1, n_out, kind, arithmetic):
    """One Pillow pass as a resample pass: int32 22-bit weights for 8-bit modes (int16 ones
    at a computed precision for Pillow-SIMD), double weights for the others."""
    taps, weights, counts = _plans.pillow_plan(resample, n_in, in0, in1, n_out)
    if kind == "fixed" and arithmetic == "pillow-simd":
        fixed, precision = _plans.pillow_simd_fixed_point(weights)
        plan = _api._fixed_point_plan(n_in, taps, fixed, counts, precision)
    elif kind == "fixed":
        plan = _api._fixed_point_plan(n_in, taps, _plans.pillow_fixed_point(weights), counts, 22)
    else:
        plan = _api.KernelPlan(n_in, taps, weights, counts)
    return _api._Pass(axis, n_in, n_out, plan)


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


def _c_aligned(array):
    """array as one C-ordered, aligned buffer (the kernels read flat typed buffers: a
    misaligned one, as from np.frombuffer at an odd offset, is copied too)."""
    return np.require(array, requirements=("C", "A"))


def _as_image(image):
    """The image as a native-order, C-contiguous array (the kernels read flat buffers)."""
    image = _c_aligned(_api._native_order(np.asarray(image)))
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


def _pil_size(size):
    try:
        width, height = (operator.index(v) for v in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be two integers (width, height), got {size!r}") from None
    if width < 1 or height < 1:
        raise ValueError("height and width must be > 0")
    return width, height


def _box(box):
    try:
        values = tuple(box)
        if len(values) != 4 or not all(isinstance(v, numbers.Real) for v in values):
            raise TypeError
    except TypeError:
        raise TypeError(f"box must be four numbers (left, upper, right, lower), got {box!r}") from None
    return values


# ------------------------------------------------------------------------------ torchvision

#: torchvision's InterpolationMode values by name, and their Pillow integer codes.
TORCHVISION_MODES = {name: PIL_FILTERS.get(name) for name in
                     ("nearest", "nearest-exact", "bilinear", "bicubic", "box", "hamming", "lanczos")}


def torchvision_resize(image, size, interpolation="bilinear", max_size=None, antialias=True, *,
                       native_uint8_bilinear=True, torch_single_thread=False, num_threads=None):
    """torchvision 0.28's ``transforms.v2.functional.resize`` on an image array, bit for bit.

    Parameters
    ----------
    image : ndarray
        (..., C, H, W), torchvision's layout for tensors: uint8, float32 or float64.
    size : int or sequence of int or None
        As torchvision: an int or a 1-sequence sets the shorter edge (the longer one is
        scaled and truncated), a 2-sequence is (H, W), None needs ``max_size``.
    interpolation : str or int or InterpolationMode
        "nearest", "nearest-exact", "bilinear", "bicubic", "lanczos" (antialias only), an
        ``InterpolationMode`` or Pillow's integer code, as torchvision takes them.
    max_size : int, optional
        The longest edge allowed after an int `size` (or the longest edge, with size None).
    antialias : bool or None
        As torchvision (None means False); always off for the nearest modes.
    native_uint8_bilinear : bool
        Which of torchvision's uint8 bilinear paths to reproduce: True (default) its native
        uint8 kernel, which torchvision uses on x86 CPUs with AVX2 or AVX-512 and on ARM;
        False the float32 round trip (resize in float32, round half to even, cast) it
        takes on other x86 CPUs. bicubic and lanczos are always native on CPU.
    torch_single_thread : bool
        Whether torch runs on one thread where the model was trained (as in DataLoader
        workers, which torch sets to one thread): for 3-channel float bilinear images torch
        then switches kernels, and the last bit of some pixels changes. Like torch's own
        choice for outputs with height + width <= 128, this is reproduced.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        (..., C, new_H, new_W) of the input's dtype; the input itself when the size does
        not change (as torchvision returns its input).

    Raises
    ------
    ValueError
        torchvision's errors: an unknown interpolation, lanczos without antialias, a
        max_size not above the requested shorter edge, max_size with a 2-sequence; also
        box and hamming, which torchvision passes on to torch and torch refuses; an image
        whose height or width is 0.
    TypeError
        An image of fewer than 3 dimensions or of another dtype.

    Notes
    -----
    Exactness: uint8 bit for bit (resample's torch-exact fixed point); float32 and
    float64 bit for bit against torch's portable CPU kernels and within a few ulp of its
    AVX2 builds (torch's own promise for interpolate), except nearest-exact at some exact
    half-way ties, where their fused multiply-add takes the upper sample (docs/compat.md).
    Tested against torchvision 0.28 (tests/test_compat_torchvision.py).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import torchvision_resize
    >>> torchvision_resize(np.zeros((3, 480, 640), np.uint8), 224).shape
    (3, 224, 298)
    """
    image = _api._native_order(np.asarray(image))
    if image.ndim < 3:
        raise TypeError(f"expected an array of shape (..., C, H, W), got shape {image.shape}")
    if image.dtype not in (np.uint8, np.float32, np.float64):
        raise TypeError(f"torchvision_resize reproduces uint8, float32 and float64 images, got "
                        f"{image.dtype}")
    mode = _torchvision_mode(interpolation)
    antialias = bool(antialias)
    if mode in ("bilinear", "bicubic", "lanczos"):
        if mode == "lanczos" and not antialias:
            raise ValueError("InterpolationMode.LANCZOS requires antialias=True")
    else:
        antialias = False
    if mode in ("box", "hamming"):
        raise ValueError(f"torchvision cannot resize tensors with {mode!r} interpolation "
                         "(torch's interpolate has no such mode); use pil_resize for Pillow's")
    channels, old_h, old_w = image.shape[-3:]
    for name, axis in (("height", image.ndim - 2), ("width", image.ndim - 1)):
        if image.shape[axis] == 0:
            raise ValueError(f"the image's {name} (axis {axis}) is 0: there are no pixels to "
                             f"resize (shape {image.shape})")
    new_h, new_w = torchvision_output_size((old_h, old_w), size, max_size)
    if (new_h, new_w) == (old_h, old_w):
        return image
    out_shape = image.shape[:-3] + (channels, new_h, new_w)
    if image.size == 0:                  # an empty batch or no channels: nothing to compute
        return np.empty(out_shape, image.dtype)
    batch = image.reshape((-1, channels, old_h, old_w))
    float_path = (image.dtype == np.uint8 and mode == "bilinear" and not native_uint8_bilinear)
    threads = _resolve_threads(num_threads)
    # torch's own kernel choice for 2-D nearest and bilinear (docs §3.1, §3.3): its
    # channels-last kernels for small outputs, channels-last input (here only a 1x1 image)
    # with more than 3 channels, and (bilinear) 3 channels on one thread
    small = new_h + new_w <= 128 or (old_h * old_w == 1 and channels > 3)
    if float_path:
        wide = np.empty(batch.shape, np.float32)
        _kernels.widen_integers(batch.reshape(-1), wide.reshape(-1), threads)
        result = _torch_2d(wide, (new_h, new_w), mode, antialias, small, torch_single_thread, threads)
        out = np.empty(result.shape, np.uint8)
        _kernels.narrow_integers(result.reshape(-1), out.reshape(-1), threads)
    else:
        out = _torch_2d(batch, (new_h, new_w), mode, antialias, small, torch_single_thread, threads)
    return out.reshape(out_shape)


def _torch_2d(batch, size, mode, antialias, small, single_thread, threads):
    """torch's interpolate of an (N, C, H, W) batch as torch dispatches it (the result
    contiguous, whatever the batch's layout: the values do not depend on it)."""
    batch = _c_aligned(batch)
    (n, channels, old_h, old_w), (new_h, new_w) = batch.shape, size
    if new_h <= 0 or new_w <= 0:        # torch's check and message
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"(H: {old_h}, W: {old_w}) output (H: {new_h}, W: {new_w})")
    _api._check_fits((n, channels, new_h, new_w), batch.dtype.itemsize)
    out = np.empty((n, channels, new_h, new_w), batch.dtype)
    if mode in ("nearest", "nearest-exact") and small:
        exact = mode == "nearest-exact"
        index = {2: _plans.nearest_plan_small(old_h, new_h, exact),
                 3: _plans.nearest_plan_small(old_w, new_w, exact)}
        _api._gather(batch, out, (0, 1, 2, 3), index, threads)
        return out
    if (mode == "bilinear" and not antialias and batch.dtype != np.uint8
            and (small or (single_thread and channels == 3))):
        double = batch.dtype == np.float64
        taps_h, weights_h, _ = _plans.separable_plan("bilinear", False, old_h, new_h, False, 0.0, double)
        taps_w, weights_w, _ = _plans.separable_plan("bilinear", False, old_w, new_w, False, 0.0, double)
        _kernels.bilinear_corners(batch.reshape(-1), out.reshape(-1), n,
                                  channels, old_h, old_w, taps_h, weights_h, taps_w, weights_w, threads)
        return out
    align = False if mode in ("bilinear", "bicubic", "lanczos") else None
    return _api.interpolate(batch, size=size, mode=mode, antialias=antialias, align_corners=align,
                            out=out, num_threads=threads)


def torchvision_output_size(image_size, size, max_size=None):
    """torchvision 0.28's output (height, width) for an image of (height, width), from its
    `size` and `max_size` rules (see `torchvision_resize`)."""
    h, w = image_size
    if isinstance(size, numbers.Integral):
        size = [size]
    elif max_size is not None and size is not None and len(size) != 1:
        raise ValueError("max_size should only be passed if size is None or specifies the length "
                         "of the smaller edge, i.e. size should be an int or a sequence of length 1")
    short, long = (w, h) if w <= h else (h, w)
    if size is None:
        if not isinstance(max_size, numbers.Integral):
            raise ValueError(f"max_size must be an integer when size is None, but got {max_size} instead.")
        new_short, new_long = int(max_size * short / long), max_size
    elif len(size) == 1:
        requested = size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                                 f"size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
    elif len(size) == 2:
        return int(size[0]), int(size[1])
    else:
        raise ValueError(f"size must be an int or a sequence of 1 or 2 ints, got {size!r}")
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return new_h, new_w


def _torchvision_mode(interpolation):
    value = getattr(interpolation, "value", interpolation)    # an InterpolationMode enum
    if isinstance(value, str):
        if value in TORCHVISION_MODES:
            return value
        raise ValueError(f"Invalid interpolation mode: {value!r}. Supported string values are: "
                         f"{list(TORCHVISION_MODES)}.")
    if isinstance(value, numbers.Integral):
        for name, code in TORCHVISION_MODES.items():
            if code == value:
                return name
    raise ValueError(f"interpolation should be an InterpolationMode, its name, or a Pillow integer "
                     f"constant; got {interpolation!r}")


# --------------------------------------------------------------------------------- OpenCV

#: OpenCV's INTER_* flags by name (what `cv2_resize` takes as ``interpolation``).
CV2_INTERPOLATIONS = {"nearest": 0, "linear": 1, "cubic": 2, "area": 3, "lanczos4": 4,
                      "linear-exact": 5, "nearest-exact": 6}
_CV2_FLAG_NAMES = {v: k for k, v in CV2_INTERPOLATIONS.items()}


def cv2_resize(src, dsize, fx=0.0, fy=0.0, interpolation=1, *, num_threads=None):
    """OpenCV 5.0's ``cv2.resize`` on a NumPy array, bit for bit with OpenCV's own code.

    Parameters
    ----------
    src : ndarray
        (height, width) or (height, width, channels), uint8 or float32, any channel count
        (beyond 4 channels OpenCV refuses INTER_AREA at scales that are not whole numbers;
        cv2_resize gives there what resizing each channel on its own gives).
    dsize : (int, int) or None
        The output (width, height), OpenCV's order; None or (0, 0) to size it from fx, fy.
    fx, fy : float
        Scale factors, used when dsize is empty: the output is ``round(width * fx)`` by
        ``round(height * fy)`` (half to even) and the sampling uses ``1 / fx``; ignored
        (as by OpenCV) when dsize is given.
    interpolation : int or str
        An ``INTER_*`` flag or its name: nearest (0), linear (1, the default), cubic (2),
        area (3), lanczos4 (4), linear-exact (5; float32 takes linear, as OpenCV does),
        nearest-exact (6).
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        (new_height, new_width[, channels]) of the input's dtype: what ``cv2.resize(src,
        dsize, fx=fx, fy=fy, interpolation=interpolation)`` gives with OpenCV's own code
        (like cv2, a single channel comes back as a 2-D array).

    Raises
    ------
    ValueError
        An empty dsize without positive fx and fy, an fx or fy that gives an output beyond
        OpenCV's int sizes (or is infinite), an unknown flag, an empty image or output.
    TypeError
        Another dtype, or an array that is not 2-D or 3-D.

    Notes
    -----
    Exactness: bit for bit with OpenCV's own resize code (index and coefficient formulas
    in OpenCV's types, its 11-bit fixed point for uint8, its summation orders, including
    where its vectorised and scalar loops differ), tested against cv2 5.0 with Intel IPP
    switched off (``cv2.ipp.setUseIPP(False)``, the arithmetic of builds without IPP). The
    pip wheels turn IPP on, and IPP (closed source) takes over three cases for 1, 3 and 4
    channels: float32 linear and cubic (results within about 5e-4 and 7e-4 on values up
    to 255) and uint8 cubic (within 1 on 5-10 % of pixels). Every other case equals the
    default cv2 too: uint8 nearest, nearest-exact, linear, area and lanczos4, and float32
    nearest, nearest-exact, area and lanczos4 (docs/compat.md).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import cv2_resize
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4) * 10
    >>> cv2_resize(image, (3, 2))
    array([[ 22,  35,  48],
           [102, 115, 128]], dtype=uint8)
    """
    src = _api._native_order(np.asarray(src))
    if src.ndim not in (2, 3):
        raise TypeError(f"expected an image of shape (height, width) or (height, width, channels), "
                        f"got shape {src.shape}")
    if src.dtype not in (np.uint8, np.float32):
        raise TypeError(f"cv2_resize reproduces uint8 and float32 images, got {src.dtype}")
    flag = _cv2_flag(interpolation)
    height, width = src.shape[:2]
    if height == 0 or width == 0:
        raise ValueError(f"the image is empty (shape {src.shape})")
    if dsize is None or tuple(dsize) == (0, 0):
        if not (fx > 0 and fy > 0):
            raise ValueError("dsize is empty, so fx and fy must both be positive")
        inv_x, inv_y = float(fx), float(fy)
        for name, factor, n in (("fx", inv_x, width), ("fy", inv_y, height)):
            if not n * factor < _CV2_MAX_SIZE:        # also inf and overflow
                raise ValueError(f"{name}={factor!r} gives an output of {n * factor:g} pixels "
                                 f"along that axis; OpenCV's sizes are below 2**31")
        out_w, out_h = int(np.rint(width * inv_x)), int(np.rint(height * inv_y))   # cvRound
    else:
        out_w, out_h = _pil_size(dsize)
        inv_x, inv_y = out_w / width, out_h / height
    if out_w <= 0 or out_h <= 0:
        raise ValueError(f"the output size {out_w}x{out_h} is empty")
    channels = src.shape[2] if src.ndim == 3 else 1
    _api._check_fits((out_h, out_w, channels), src.itemsize)
    if (out_w, out_h) == (width, height):
        return _cv2_shape(src.reshape(height, width, channels).copy())
    threads = _resolve_threads(num_threads)
    image = _c_aligned(src).reshape(height, width, channels)
    out = np.empty((out_h, out_w, channels), src.dtype)
    scale_x, scale_y = 1.0 / inv_x, 1.0 / inv_y
    whole_x, whole_y = int(np.rint(scale_x)), int(np.rint(scale_y))
    area_fast = abs(scale_x - whole_x) < _DBL_EPSILON and abs(scale_y - whole_y) < _DBL_EPSILON
    name = _CV2_FLAG_NAMES[flag]
    if name == "linear-exact" and src.dtype != np.uint8:
        name = "linear"                 # as cv::resize does for floating-point images
    if name in ("nearest", "nearest-exact"):
        exact = name == "nearest-exact"
        index = {0: _plans.cv2_nearest(height, out_h, inv_y, exact),
                 1: _plans.cv2_nearest(width, out_w, inv_x, exact)}
        _api._gather(image, out, (0, 1, 2), index, threads)
        return _cv2_shape(out)
    if name == "linear" and area_fast and whole_x == 2 and whole_y == 2:
        name = "area"                   # OpenCV's exact x0.5 shortcut
    if name == "linear-exact" and area_fast and whole_x == 2 and whole_y == 2 and channels != 2:
        name = "area"                   # the same numbers, as OpenCV takes it
    flat_in, flat_out = image.reshape(-1), out.reshape(-1)
    if name == "linear-exact":
        taps_x, alpha = _plans.cv2_linear_exact_plan(width, out_w, inv_x)
        taps_y, beta = _plans.cv2_linear_exact_plan(height, out_h, inv_y)
        _kernels.cv2_separable(flat_in, flat_out, height, width, channels, taps_x, alpha, taps_y,
                               beta, True, threads)
        return _cv2_shape(out)
    if name == "area" and scale_x >= 1 and scale_y >= 1:
        if area_fast:
            _kernels.cv2_area_fast(flat_in, flat_out, height, width, channels, out_h, out_w,
                                   whole_x, whole_y, threads)
        else:
            x_out, x_in, x_weight = _plans.cv2_area_table(width, out_w, inv_x)
            y_out, y_in, y_weight = _plans.cv2_area_table(height, out_h, inv_y)
            y_first = np.searchsorted(y_out, np.arange(out_h + 1))
            _kernels.cv2_area(flat_in, flat_out, width, channels, out_w, x_out, x_in, x_weight,
                              y_first, y_in, y_weight, threads)
        return _cv2_shape(out)
    kind = {"linear": "linear", "area": "area", "cubic": "cubic", "lanczos4": "lanczos"}[name]
    fixed = src.dtype == np.uint8
    taps_x, alpha = _plans.cv2_plan(kind, width, out_w, inv_x, True, fixed)
    taps_y, beta = _plans.cv2_plan(kind, height, out_h, inv_y, False, fixed)
    _kernels.cv2_separable(flat_in, flat_out, height, width, channels, taps_x, alpha, taps_y,
                           beta, False, threads)
    return _cv2_shape(out)


_DBL_EPSILON = float(np.finfo(np.float64).eps)
_CV2_MAX_SIZE = 2.0 ** 31 - 1      # cv::Size holds ints


def _cv2_shape(out):
    """cv2's result shape: a single channel as a 2-D array."""
    return out[:, :, 0] if out.shape[2] == 1 else out


def _cv2_flag(interpolation):
    if isinstance(interpolation, str):
        flag = CV2_INTERPOLATIONS.get(interpolation.lower().removeprefix("inter_").replace("_", "-"))
    else:
        flag = int(interpolation) if isinstance(interpolation, numbers.Integral) else None
    if flag not in _CV2_FLAG_NAMES:
        raise ValueError(f"unknown interpolation {interpolation!r}; use one of "
                         + ", ".join(f"{n!r} ({v})" for n, v in CV2_INTERPOLATIONS.items()))
    return flag
