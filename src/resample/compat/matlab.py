"""compat.matlab_imresize: MATLAB's imresize (R2017b onward) on NumPy arrays, bit for bit in
double, on resample's engine. Its exactness rule is in the docstring and docs/compat.md."""
import math
import numbers

import numpy as np

from .. import _engine, _modes, _plans
from .._arrays import check_fits, new_output
from .._runtime import kernels as _kernels, resolve_threads
from ._common import passes_in_double

_MATLAB = {f.name: f for f in _modes.MATLAB}
#: the ``method`` names matlab_imresize takes
MATLAB_METHODS = tuple(_MATLAB)


def matlab_imresize(A, scale=None, *, output_size=None, method="bicubic", antialiasing=None,
                    num_threads=None):
    """MATLAB's ``imresize(A, scale)`` or ``imresize(A, [rows cols])``, bit for bit in double.

    Parameters
    ----------
    A : ndarray
        (rows, cols) or (rows, cols, ...) : double (float64), single (float32), uint8 or
        logical (bool), as MATLAB holds an image; further dimensions are carried through,
        as MATLAB's third.
    scale : float or (float, float), optional
        The scale factor (both dimensions) or one per dimension; the output is
        ``ceil(scale * size)``. Exactly one of scale and output_size.
    output_size : (int or None, int or None), optional
        ``[rows cols]`` of the output; one of them None (MATLAB's NaN) keeps the aspect
        ratio: it becomes ``ceil(scale * size)`` with the scale of the other. The scales
        are then ``output_size / size``, as MATLAB derives them.
    method : str
        "nearest", "bilinear", "bicubic" (the default, as MATLAB's), or a kernel name:
        "box", "triangle", "cubic", "lanczos2", "lanczos3".
    antialiasing : bool, optional
        Widen the kernel by 1/scale along a shrunk dimension. Default: True, except for
        "nearest" (MATLAB's defaults).
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The resized array, of A's dtype.

    Raises
    ------
    ValueError
        Both or neither of scale and output_size, a scale that is not positive and
        finite, an output size below 1 or both sizes None, an unknown method, an empty
        image.
    TypeError
        A dtype other than float64, float32, uint8 and bool; an array below 2-D.

    Notes
    -----
    Exactness: imresize.m's algorithm, in double: per dimension its `contributions`
    table (u = x/scale + 0.5·(1 − 1/scale), ceil(width) + 2 taps from floor(u − width/2),
    the kernel widened by 1/scale when shrinking with antialiasing, weights divided by
    their sum, symmetric padding by mirrored indices, all-zero columns dropped), the
    dimensions resized in the order of their scales (the smaller first, rows before
    columns on a tie), each output a left-to-right double sum. Bit for bit with a float64
    transcription of that algorithm on random shapes, scales, methods and dtypes, and
    zero differing pixels against MATLAB R2017b's own outputs of the standard super-
    resolution pipeline (``imwrite(imresize(im2double(img), 1/s, 'bicubic'))``) on
    crops of its baboon image, shrunk 2x, 3x and 4x and enlarged 2x and 3x
    (tests/test_compat_matlab.py). uint8 and single images are resized one dimension at
    a time in double and stored back in their class after each (uint8: rounded half
    away from zero, saturated), logical ones as uint8 255·A with the result > 128, as
    imresize.m's pre- and post-processing; those three classes are not checked against
    MATLAB itself here.

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import matlab_imresize
    >>> matlab_imresize(np.arange(16.0).reshape(4, 4), 0.5)
    array([[ 2.3046875,  4.3828125],
           [10.6171875, 12.6953125]])
    """
    a = np.asarray(A)
    if a.dtype not in (np.float64, np.float32, np.uint8, np.bool_):
        raise TypeError(f"matlab_imresize takes double (float64), single (float32), uint8 or "
                        f"logical (bool) images, not {a.dtype}")
    if a.ndim < 2:
        raise TypeError(f"matlab_imresize needs an image of 2 or more dimensions, not shape {a.shape}")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"matlab_imresize cannot resize an empty image, shape {a.shape}")
    kernel, width, antialias = _method(method, antialiasing)
    size, scales = _size_and_scales(a.shape[:2], scale, output_size)
    threads = resolve_threads(num_threads)
    check_fits(size + a.shape[2:], 8, extra_bytes=16 * max(math.prod(size + a.shape[2:]), a.size))
    passes = [_engine.Pass(dim, a.shape[dim], size[dim], _engine.AxisPlan(
        a.shape[dim], *_plans.matlab_plan(kernel, width, a.shape[dim], size[dim], scales[dim], antialias)))
        for dim in sorted(range(2), key=lambda d: scales[d])]
    if a.dtype == np.bool_:
        wide = _resize(np.where(a, np.uint8(255), np.uint8(0)), passes, threads)
        return wide > 128
    return _resize(np.ascontiguousarray(a), passes, threads)


def _resize(a, passes, threads):
    """The passes in order: double throughout for a double image; else each one in double,
    stored back into the image's class (MATLAB's per-dimension step)."""
    perm = tuple(range(a.ndim))
    if a.dtype == np.float64:
        shape = list(a.shape)
        for p in passes:
            shape[p.axis] = p.n_out
        out = new_output(tuple(shape), np.float64)     # large ones reuse a pooled block
        _engine.run_separable(a, out, perm, passes, threads)
        return out
    return passes_in_double(a, passes, _kernels.matlab_store, threads)


def _method(method, antialiasing):
    if not isinstance(method, str) or method.lower() not in MATLAB_METHODS:
        raise ValueError(f"unknown method {method!r}; imresize's are {', '.join(MATLAB_METHODS)}")
    method = method.lower()
    kernel, width = _MATLAB[method].code, _MATLAB[method].support
    if antialiasing is None:
        antialiasing = method != "nearest"
    elif not isinstance(antialiasing, (bool, np.bool_)):
        raise TypeError(f"antialiasing must be True, False or None, not {antialiasing!r}")
    return kernel, width, bool(antialiasing)


def _size_and_scales(shape, scale, output_size):
    """The output (rows, cols) and the scale of each dimension, as imresize derives them."""
    if (scale is None) == (output_size is None):
        raise ValueError("give exactly one of scale and output_size")
    if scale is not None:
        scales = (scale, scale) if isinstance(scale, numbers.Real) else tuple(scale)
        if len(scales) != 2 or not all(isinstance(s, numbers.Real) and math.isfinite(s) and s > 0
                                       for s in scales):
            raise ValueError(f"scale must be a positive finite number or two of them, not {scale!r}")
        size = tuple(math.ceil(float(s) * n) for s, n in zip(scales, shape))
        return size, tuple(float(s) for s in scales)
    rows, cols = _pair(output_size)
    if rows is None and cols is None:
        raise ValueError("output_size needs at least one of rows and cols")
    if rows is None:                        # imresize.m: the other size times the ratio
        rows = math.ceil(cols * shape[0] / shape[1])
    elif cols is None:
        cols = math.ceil(rows * shape[1] / shape[0])
    size = (rows, cols)
    return size, tuple(o / n for o, n in zip(size, shape))


def _pair(output_size):
    try:
        rows, cols = output_size
    except (TypeError, ValueError):
        raise ValueError(f"output_size must be [rows, cols], not {output_size!r}") from None
    out = []
    for v in (rows, cols):
        if v is not None and (isinstance(v, float) and math.isnan(v)):
            v = None
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1):
            raise ValueError(f"output_size entries must be integers of 1 or more (or None), not {v!r}")
        out.append(None if v is None else int(v))
    return out
