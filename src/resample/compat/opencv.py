"""compat.cv2_resize: OpenCV 5.0's cv2.resize on NumPy arrays, bit for bit with OpenCV's own
code (every interpolation flag, every image type cv2.resize takes, dsize or fx/fy, any
channel count). Its exactness rule is in the docstring and in docs/compat.md."""
import numbers

import numpy as np

from .. import _engine, _modes, _plans
from .._arrays import c_order, check_fits, native_order
from .._runtime import kernels as _kernels, resolve_threads
from ._common import width_height

#: OpenCV's INTER_* flags by name (what `cv2_resize` takes as ``interpolation``).
CV2_INTERPOLATIONS = {f.name: f.code for f in _modes.OPENCV}
_CV2_FLAG_NAMES = {v: k for k, v in CV2_INTERPOLATIONS.items()}
_CV2_KERNELS = {f.name: f.kernel for f in _modes.OPENCV}


def cv2_resize(src, dsize, dst=None, fx=0.0, fy=0.0, interpolation=1, *, num_threads=None):
    """OpenCV 5.0's ``cv2.resize`` on a NumPy array, bit for bit with OpenCV's own code.

    Parameters
    ----------
    src : ndarray
        (height, width) or (height, width, channels), any channel count, of a type
        cv2.resize takes: uint8, uint16, int16, float32 and float64 with every flag; int8
        and int32 with nearest, nearest-exact and linear-exact; uint32, float16 and bool
        with nearest and nearest-exact (beyond 4 channels OpenCV refuses INTER_AREA at
        scales that are not whole numbers; cv2_resize gives there what resizing each
        channel on its own gives).
    dsize : (int, int) or None
        The output (width, height), OpenCV's order; None or (0, 0) to size it from fx, fy.
    dst : ndarray, optional
        cv2's output argument: an array of the result's shape and dtype to write into (and
        return). The arguments are in cv2.resize's positional order, so a call written for
        cv2 means the same here.
    fx, fy : float
        Scale factors, used when dsize is empty: the output is ``round(width * fx)`` by
        ``round(height * fy)`` (half to even) and the sampling uses ``1 / fx``; ignored
        (as by OpenCV) when dsize is given.
    interpolation : int or str
        An ``INTER_*`` flag or its name: nearest (0), linear (1, the default), cubic (2),
        area (3), lanczos4 (4), linear-exact (5; float32 and float64 take linear, as OpenCV
        does), nearest-exact (6).
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
        A type cv2.resize does not take (int64 and uint64 among them: cv2.resize converts
        those to int32), a flag it has no kernel for on this type (where it fails its
        ``func != 0`` assertion: int8 and int32 with linear, cubic, area and lanczos4, and
        with linear-exact at an exact x0.5 for other than 2 channels, which OpenCV takes to
        INTER_AREA; uint32, float16 and bool with all but the nearest flags), an array that
        is not 2-D or 3-D, an fx or fy that is not a number, a dst that is not a writeable
        array of the result's shape and dtype. An output of the input's size is a copy
        whatever the flag, as in cv2.resize.

    Notes
    -----
    Exactness: bit for bit with OpenCV's own resize code (index and coefficient formulas
    in OpenCV's types, its summation orders, including where its vectorised and scalar
    loops differ), tested against cv2 5.0 with Intel IPP switched off
    (``cv2.ipp.setUseIPP(False)``, the arithmetic of builds without IPP). Per type: uint8
    in OpenCV's 11-bit fixed point (INTER_LINEAR_EXACT: 8-bit); uint16 and int16 with float
    weights and float rows, rounded half to even and saturated (``saturate_cast``), cubic
    and int16's lanczos4 summed right to left on whole blocks of 8 samples as OpenCV's
    vector loops do; float32 in float; float64 in double with OpenCV's float weights (its
    INTER_AREA means of blocks cut by the image's edge are rounded to float32, as OpenCV
    computes them); INTER_LINEAR_EXACT for int8, uint16 and int16 in OpenCV's 16-bit fixed
    point and for int32 in its 32-bit one (with its rounding products); INTER_AREA in
    OpenCV's working types (int for uint8, float for uint16, int16 and float32, double for
    float64); the nearest flags copy samples of any type. The pip wheels turn IPP on, and
    IPP (closed source) takes over some cases for 1, 3 and 4 channels: float32 linear and
    cubic and float64 linear (weights from a double coordinate: measured within 3.4e-3,
    4.9e-3 and 3.6e-3 on values up to 255 for sides up to 333, growing with the side),
    uint8 cubic (within 1 on 5-10 % of pixels), uint16 and int16 linear (within 1) and
    cubic (within 2, on about 4 % of samples). Every other case equals the default cv2
    too (docs/compat.md).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import cv2_resize
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4) * 10
    >>> cv2_resize(image, (3, 2))
    array([[ 22,  35,  48],
           [102, 115, 128]], dtype=uint8)
    """
    for name, value in (("fx", fx), ("fy", fy)):
        if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be a number, as cv2.resize's {name} is, got "
                            f"{type(value).__name__} {value!r} (the arguments are cv2's: "
                            "src, dsize, dst, fx, fy, interpolation)")
    if dst is not None and not isinstance(dst, np.ndarray):
        raise TypeError(f"dst, cv2.resize's third argument, must be an array, got "
                        f"{type(dst).__name__} {dst!r}: to choose the filter, pass "
                        f"interpolation={dst!r}")
    result = _resize(src, dsize, fx, fy, interpolation, num_threads)
    if dst is None:
        return result
    if (not isinstance(dst, np.ndarray) or dst.shape != result.shape or dst.dtype != result.dtype
            or not dst.flags.writeable):
        raise TypeError(f"dst must be a writeable array of the result's shape {result.shape} and "
                        f"dtype {result.dtype}, got {type(dst).__name__} "
                        f"{getattr(dst, 'shape', '')} {getattr(dst, 'dtype', '')}".rstrip())
    dst[...] = result
    return dst


def _resize(src, dsize, fx, fy, interpolation, num_threads):
    """cv2_resize's result, a new array."""
    src = native_order(np.asarray(src))
    if src.ndim not in (2, 3):
        raise TypeError(f"expected an image of shape (height, width) or (height, width, channels), "
                        f"got shape {src.shape}")
    if src.dtype not in _CV2_DTYPES:
        raise TypeError(f"cv2_resize takes cv2.resize's image types, {_names(_CV2_DTYPES)}; got "
                        f"{src.dtype}" + (" (cv2.resize would convert it to int32)"
                                          if src.dtype in (np.int64, np.uint64) else ""))
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
        out_w, out_h = width_height(dsize)
        inv_x, inv_y = out_w / width, out_h / height
    if out_w <= 0 or out_h <= 0:
        raise ValueError(f"the output size {out_w}x{out_h} is empty")
    channels = src.shape[2] if src.ndim == 3 else 1
    check_fits((out_h, out_w, channels), src.itemsize)
    if (out_w, out_h) == (width, height):
        return _cv2_shape(src.reshape(height, width, channels).copy())
    threads = resolve_threads(num_threads)
    image = c_order(src).reshape(height, width, channels)
    out = np.empty((out_h, out_w, channels), src.dtype)
    scale_x, scale_y = 1.0 / inv_x, 1.0 / inv_y
    whole_x, whole_y = int(np.rint(scale_x)), int(np.rint(scale_y))
    area_fast = abs(scale_x - whole_x) < _DBL_EPSILON and abs(scale_y - whole_y) < _DBL_EPSILON
    name = _CV2_FLAG_NAMES[flag]
    if name == "linear-exact" and src.dtype.kind == "f" and src.dtype != np.float16:
        name = "linear"                 # as cv::resize does for floating-point images
    if name in ("nearest", "nearest-exact"):
        exact = name == "nearest-exact"
        index = {0: _plans.cv2_nearest(height, out_h, inv_y, exact),
                 1: _plans.cv2_nearest(width, out_w, inv_x, exact)}
        _engine.gather(image, out, (0, 1, 2), index, threads)
        return _cv2_shape(out)
    halves = area_fast and whole_x == 2 and whole_y == 2
    if name == "linear" and halves:
        name = "area"                   # OpenCV's exact x0.5 shortcut
    if name == "linear-exact" and halves and channels != 2:
        name = "area"                   # the same numbers, as OpenCV takes it
    _check_flag(src.dtype, name, _CV2_FLAG_NAMES[flag])
    flat_in, flat_out = image.reshape(-1), out.reshape(-1)
    if name == "linear-exact":
        bits = _CV2_EXACT_BITS[src.dtype]
        taps_x, alpha = _plans.cv2_linear_exact_plan(width, out_w, inv_x, bits)
        taps_y, beta = _plans.cv2_linear_exact_plan(height, out_h, inv_y, bits)
        if bits == 8:
            _kernels.cv2_separable(flat_in, flat_out, height, width, channels, taps_x, alpha,
                                   taps_y, beta, True, threads)
        else:
            _kernels.cv2_linear_exact(flat_in, flat_out, height, width, channels, taps_x, alpha,
                                      taps_y, beta, threads)
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
    kind = _CV2_KERNELS[name]                     # the cv2_plan family
    fixed = src.dtype == np.uint8
    taps_x, alpha = _plans.cv2_plan(kind, width, out_w, inv_x, True, fixed)
    taps_y, beta = _plans.cv2_plan(kind, height, out_h, inv_y, False, fixed)
    _kernels.cv2_separable(flat_in, flat_out, height, width, channels, taps_x, alpha, taps_y,
                           beta, False, threads)
    return _cv2_shape(out)


#: cv2.resize's image types: every flag for these (its generic path and INTER_AREA) ...
_CV2_GENERIC = tuple(np.dtype(t) for t in (np.uint8, np.uint16, np.int16, np.float32, np.float64))
#: ... nearest, nearest-exact and linear-exact also for these (resize_bitExact) ...
_CV2_EXACT_ONLY = (np.dtype(np.int8), np.dtype(np.int32))
#: ... and only nearest and nearest-exact (byte copies) for these (OpenCV 5's new types)
_CV2_NEAREST_ONLY = (np.dtype(np.uint32), np.dtype(np.float16), np.dtype(np.bool_))
_CV2_DTYPES = _CV2_GENERIC + _CV2_EXACT_ONLY + _CV2_NEAREST_ONLY
#: resize_bitExact's fraction bits per type (ufixedpoint16, (u)fixedpoint32, fixedpoint64)
_CV2_EXACT_BITS = {np.dtype(np.uint8): 8, np.dtype(np.int8): 16, np.dtype(np.uint16): 16,
                   np.dtype(np.int16): 16, np.dtype(np.int32): 32}
_DBL_EPSILON = float(np.finfo(np.float64).eps)
_CV2_MAX_SIZE = 2.0 ** 31 - 1      # cv::Size holds ints


def _cv2_shape(out):
    """cv2's result shape: a single channel as a 2-D array."""
    return out[:, :, 0] if out.shape[2] == 1 else out


def _names(dtypes):
    names = [str(d) for d in dtypes]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _check_flag(dtype, name, asked):
    """TypeError where cv2.resize fails its `func != 0` assertion: a flag (name, the path
    OpenCV takes; asked, the one given) without a kernel for the type."""
    if dtype in _CV2_GENERIC or (name == "linear-exact" and dtype in _CV2_EXACT_ONLY):
        return
    flag = f"INTER_{asked.upper().replace('-', '_')}"
    takes = ("nearest, nearest-exact and linear-exact" if dtype in _CV2_EXACT_ONLY
             else "nearest and nearest-exact")
    how = (" (at an exact x0.5 OpenCV computes linear-exact with INTER_AREA, which has no "
           f"{dtype} kernel)" if asked == "linear-exact" else "")
    raise TypeError(f"cv2.resize's {flag} does not take {dtype} images{how}: it takes "
                    f"{_names(_CV2_GENERIC)}; {dtype} takes {takes} (OpenCV fails its "
                    "assertion func != 0 here)")


def _cv2_flag(interpolation):
    if isinstance(interpolation, str):
        flag = CV2_INTERPOLATIONS.get(interpolation.lower().removeprefix("inter_").replace("_", "-"))
    else:
        flag = int(interpolation) if isinstance(interpolation, numbers.Integral) else None
    if flag not in _CV2_FLAG_NAMES:
        raise ValueError(f"unknown interpolation {interpolation!r}; use one of "
                         + ", ".join(f"{n!r} ({v})" for n, v in CV2_INTERPOLATIONS.items()))
    return flag
