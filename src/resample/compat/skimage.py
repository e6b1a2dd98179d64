"""compat.skimage_resize: scikit-image 0.26's skimage.transform.resize on resample's kernels
(its conversions, Gaussian anti-aliasing as SciPy's gaussian_filter, SciPy's zoom and its
clip), without scikit-image or SciPy. Its exactness rule is in the docstring and
docs/exactness.md."""
import math
import warnings

import numpy as np

from .. import _modes, _plans, _spline
from .._arrays import is_int, new_output
from .._runtime import kernels as _kernels, resolve_threads
from .ndimage import ndimage_zoom

# numpy.pad's names, as scikit-image takes them, to SciPy's (its grid variants of constant
# and wrap: _fix_ndimage_mode)
_NDIMAGE_MODE = {"constant": "grid-constant", "edge": "nearest", "symmetric": "reflect",
                 "reflect": "mirror", "wrap": "grid-wrap"}
#: the ``mode`` names skimage_resize takes (numpy.pad's)
SKIMAGE_MODES = tuple(_NDIMAGE_MODE)
_TRUNCATE = 4.0          # gaussian_filter's default, as scikit-image calls it


def skimage_resize(image, output_shape, order=None, mode="reflect", cval=0, clip=True,
                   preserve_range=False, anti_aliasing=None, anti_aliasing_sigma=None, *,
                   exact=False, num_threads=None):
    """scikit-image 0.26's ``skimage.transform.resize``.

    Parameters
    ----------
    image : array_like
        Any rank; bool, integers, float16, float32 or float64.
    output_shape : sequence of int
        The output shape; one entry fewer than the rank keeps the last axis (channels);
        more entries append axes of length 1 to the input.
    order : int, optional
        The spline order 0..5; default 0 for bool images, 1 otherwise.
    mode : str
        numpy.pad's name for the boundary: ``reflect`` (default), ``symmetric``,
        ``edge``, ``constant`` or ``wrap`` (SciPy's mirror, reflect, nearest,
        grid-constant, grid-wrap).
    cval : float
        The value past the edges for ``constant``.
    clip : bool
        Clip the output to the input's range (widened to cval where ``constant`` uses it).
    preserve_range : bool
        Keep the values (integers become float64) instead of img_as_float's scaling.
    anti_aliasing : bool, optional
        Gaussian smoothing before shrinking; default: True when any axis shrinks, except
        for bool images and integer images with order 0.
    anti_aliasing_sigma : float or sequence of float, optional
        The Gaussian's standard deviation per axis; default ``max(0, (factor - 1) / 2)``.
    exact : bool
        Orders 2..5 in SciPy's own summation order too (ndimage_zoom's exact): bit for
        bit, and several times slower. (Not scikit-image's: resample's.)
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        float64, or float32 for float16 and float32 images, or the image's dtype with
        order 0 (scikit-image's rules).

    Raises
    ------
    ValueError
        As scikit-image: an output_shape shorter than the rank minus one, an order
        outside 0..5 or above 0 for bool, anti-aliasing of a bool image, a negative
        sigma, an unknown mode.
    NotImplementedError
        Anti-aliasing of an integer image at order 0 (scikit-image filters it in the
        integer type).

    Notes
    -----
    Exactness: scikit-image's steps in its order: img_as_float (integers times
    1/max in float64, signed ones no less than -1; bool as 0.0 and 1.0), the Gaussian as
    SciPy's gaussian_filter (its kernel weights computed as SciPy computes them, radius
    ``int(4 * sigma + 0.5)``, each axis with sigma > 1e-15 in turn, SciPy's line
    extension per mode and its symmetric sum, stored in the image's float type between
    axes: bit for bit), ``ndimage_zoom(..., grid_mode=True)`` (bit for bit for orders 0
    and 1, and with exact=True for 2..5; else within 1e-12 of max|x|) and the clip. tests/test_compat_skimage.py
    checks it against scikit-image 0.26.

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import skimage_resize
    >>> skimage_resize(np.zeros((64, 64, 3), np.uint8), (32, 32)).shape
    (32, 32, 3)
    """
    threads = resolve_threads(num_threads)
    x = np.asarray(image)
    shape = tuple(output_shape)
    if not all(is_int(v) and v >= 0 for v in shape):
        raise ValueError(f"output_shape must hold non-negative ints, got {output_shape!r}")
    shape = tuple(int(v) for v in shape)
    if len(shape) > x.ndim:
        x = x.reshape(x.shape + (1,) * (len(shape) - x.ndim))
    elif len(shape) == x.ndim - 1:
        shape = shape + (x.shape[-1],)
    elif len(shape) < x.ndim:
        raise ValueError("output_shape length cannot be smaller than the image number of dimensions")
    if mode not in _NDIMAGE_MODE:
        raise ValueError(f"Unknown mode: {mode!r}: mode must be one of {', '.join(SKIMAGE_MODES)}")
    input_type = x.dtype
    if input_type == np.float16:
        x = x.astype(np.float32)          # exact widening, as scikit-image does
    if anti_aliasing is None:
        anti_aliasing = (input_type != bool and not (np.issubdtype(input_type, np.integer) and order == 0)
                         and any(o < i for o, i in zip(shape, x.shape)))
    if input_type == bool and anti_aliasing:
        raise ValueError("anti_aliasing must be False for boolean images")
    factors = np.divide(x.shape, shape)
    order = _interpolation_order(input_type, order)
    if order > 0:
        x = _as_float(x, preserve_range, threads)
    ndi_mode = _NDIMAGE_MODE[mode]
    filtered = x
    if anti_aliasing:
        if anti_aliasing_sigma is None:
            sigma = np.maximum(0, (factors - 1) / 2)
        else:
            sigma = np.atleast_1d(anti_aliasing_sigma) * np.ones_like(factors)
            if np.any(sigma < 0):
                raise ValueError("Anti-aliasing standard deviation must be greater than or equal to zero")
            if np.any((sigma > 0) & (factors <= 1)):
                warnings.warn("Anti-aliasing standard deviation greater than zero but not down-sampling "
                              "along all axes", stacklevel=2)
        if x.dtype.kind != "f":
            raise NotImplementedError("anti-aliasing of an integer image at order 0 is not reproduced: "
                                      "pass anti_aliasing=False, or a float image")
        filtered, smooth = gaussian_filter(x, sigma, ndi_mode, float(cval), threads, leave_last=True)
        if smooth is not None and min(shape) > 0 and x.size:
            # the Gaussian's last axis runs inside the zoom (fused into its first pass
            # where that is the same axis): ndimage_zoom's call, with it
            out = new_output(shape, filtered.dtype)
            _spline.zoom_into(filtered, out, range(x.ndim), [n / m for n, m in zip(x.shape, shape)], order,
                              _modes.SCIPY_BOUNDARY[ndi_mode], float(cval), True, True, threads,
                              exact=bool(exact) or order < 2, smooth=smooth)
            if clip:
                _clip(x, out, mode, cval, threads)
            return out
        if smooth is not None:
            filtered = _smooth_axis(filtered, smooth, threads)
    out = ndimage_zoom(filtered, [1 / f for f in factors], order=order, mode=ndi_mode, cval=cval,
                       grid_mode=True, exact=exact, num_threads=num_threads)
    if clip and out.size and x.size:
        _clip(x, out, mode, cval, threads)
    return out


def _interpolation_order(dtype, order):
    """scikit-image's _validate_interpolation_order."""
    if order is None:
        return 0 if dtype == bool else 1
    if not 0 <= order <= 5:
        raise ValueError("Spline interpolation order has to be in the range 0-5.")
    if dtype == bool and order != 0:
        raise ValueError("Input image dtype is bool. Interpolation is not defined with bool data type. "
                         "Please set order to 0 or explicitly cast input image to another data type.")
    return int(order)


def _as_float(x, preserve_range, threads):
    """scikit-image's convert_to_float: float32 and float64 as they are; integers
    img_as_float's scaling (or plain float64 with preserve_range), bool 0.0 and 1.0."""
    if x.dtype.char in "df":
        return x
    out = new_output(x.shape, np.float64)
    flat = np.ascontiguousarray(x).reshape(-1)
    if x.dtype == bool or preserve_range:
        if x.dtype == bool:
            flat = flat.view(np.uint8)
        _kernels.unit_float(flat, out.reshape(-1), 1.0, False, threads)
    elif x.dtype.kind in "ui":
        _kernels.unit_float(flat, out.reshape(-1), 1.0 / np.iinfo(x.dtype).max, x.dtype.kind == "i", threads)
    else:
        raise TypeError(f"skimage_resize takes bool, integer and float images, not {x.dtype}")
    return out


def gaussian_kernel(sigma, radius):
    """SciPy's _gaussian_kernel1d (order 0), as SciPy computes it: the filter's weights,
    table data of a plan (NumPy is the reference arithmetic here: SciPy's own)."""
    x = np.arange(-radius, radius + 1)
    phi = np.exp(-0.5 / (sigma * sigma) * x ** 2)
    return phi / phi.sum()


def gaussian_filter(x, sigma, mode, cval, threads, leave_last=False):
    """SciPy's gaussian_filter(x, sigma, mode=mode, cval=cval) on a float32 or float64
    array: every axis with sigma > 1e-15 in turn, correlated with its kernel reversed
    (SciPy's gaussian_filter1d), the result stored in x's type after each. leave_last:
    returns (the array filtered along all those axes but the last, the last one's
    (axis, weights, index, cval) for correlate_symmetric, or None where no axis is)."""
    code = _modes.SCIPY_BOUNDARY[mode].filter_code
    buf, mine = np.ascontiguousarray(x), False
    steps = []
    for axis, s in enumerate(np.broadcast_to(sigma, (x.ndim,))):
        if not s > 1e-15:
            continue
        radius = int(_TRUNCATE * float(s) + 0.5)
        weights = np.ascontiguousarray(gaussian_kernel(float(s), radius)[::-1])
        steps.append((axis, weights, _plans.filter_extension(x.shape[axis], radius, code), cval))
    last = steps.pop() if leave_last and steps else None
    for step in steps:
        # after the first axis the buffer is filtered in place (correlate_symmetric reads
        # a block's lines whole before writing them): one new array in all, never x
        buf, mine = _smooth_axis(buf, step, threads, buf if mine else None), True
    return (buf, last) if leave_last else buf


def _smooth_axis(x, step, threads, out=None):
    """x correlated along one axis, step = (axis, weights, index, cval): into out (a new
    array by default; x itself filters it in place)."""
    axis, weights, index, cval = step
    out = new_output(x.shape, x.dtype) if out is None else out
    _kernels.correlate_symmetric(x.reshape(-1), out.reshape(-1), math.prod(x.shape[:axis]), x.shape[axis],
                                 math.prod(x.shape[axis + 1:]), weights, index, cval, threads)
    return out


def resize_slices(x, shape, axes, order, threads):
    """skimage_resize(slice, order=order, mode="edge", anti_aliasing=False) of every slice
    of float x across `axes` (the other axis of shape's length already), in one call: the
    per-axis spline passes (order >= 2; they never mix slices), each slice clipped to its
    own input range. nnU-Net's separate-z in-plane pass."""
    if order < 2 or x.dtype.char not in "fd" or len(axes) != x.ndim - 1:
        raise ValueError("resize_slices takes float arrays, order 2..5 and all axes but one")
    if all(x.shape[a] == shape[a] for a in axes):
        return x.copy()           # SciPy's zoom returns the input at zoom 1 (gh-20999)
    out = new_output(tuple(shape), x.dtype)
    _spline.zoom_into(x, out, axes, [x.shape[a] / shape[a] for a in axes], order, _spline.EDGE, 0.0, True,
                      True, threads)
    if out.size and x.size:
        axis = next(a for a in range(x.ndim) if a not in axes)
        low, high = np.min(x, axis=tuple(axes)), np.max(x, axis=tuple(axes))
        gaps = np.isnan(low)             # slices with NaN: their nanmin and nanmax (scikit-image's)
        if gaps.any():
            moved = np.moveaxis(x, axis, 0)[gaps]
            low[gaps] = np.nanmin(moved.reshape(len(moved), -1), axis=1)
            high[gaps] = np.nanmax(moved.reshape(len(moved), -1), axis=1)
        bounds = np.ascontiguousarray(np.stack([low, high], axis=1).reshape(-1), out.dtype)
        _kernels.clip_range(out.reshape(-1), bounds, x.shape[axis], math.prod(out.shape[axis + 1:]), threads)
    return out


def _clip(image, out, mode, cval, threads):
    """scikit-image's _clip_warp_output: out clipped to image's range (NaN-safe), widened
    to cval where mode constant put cval in the output."""
    lo = np.min(image)
    low, high = (np.nanmin, np.nanmax) if np.isnan(lo) else (np.min, np.max)
    lo, hi = (low(image) if low is np.nanmin else lo), high(image)
    if mode == "constant" and not lo <= cval <= hi and low(out) <= cval <= high(out):
        cval = image.dtype.type(cval)
        lo, hi = min(lo, cval), max(hi, cval)
    bounds = np.array([lo, hi], out.dtype)
    view = (lambda a: a.view(np.uint8)) if out.dtype == bool else (lambda a: a)
    _kernels.clip_range(view(out.reshape(-1)), view(bounds), 1, 1, threads)
