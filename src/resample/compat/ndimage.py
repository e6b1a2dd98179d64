"""compat.ndimage_zoom: SciPy 1.17's scipy.ndimage.zoom on resample's kernels (threaded,
without SciPy). Its exactness rule is in the docstring and docs/exactness.md."""
import warnings

import numpy as np

from .. import _modes, _spline
from .._arrays import check_fits, is_int, is_real, new_output
from .._runtime import resolve_threads

#: the ``mode`` names ndimage_zoom takes (SciPy's)
NDIMAGE_MODES = tuple(b.name for b in _modes.SCIPY_BOUNDARIES)


def ndimage_zoom(input, zoom, output=None, order=3, mode="constant", cval=0.0, prefilter=True,
                 *, grid_mode=False, exact=False, num_threads=None):
    """SciPy 1.17's ``scipy.ndimage.zoom``: an array zoomed by B-spline interpolation.

    Parameters
    ----------
    input : array_like
        Any rank >= 1; bool, 8- to 64-bit integers, float32, float64, or complex (real
        and imaginary parts zoomed apart, as SciPy does).
    zoom : float or sequence of float
        The zoom factor of every axis, or one per axis. The output shape is
        ``round(n * zoom)`` per axis (Python's round, as SciPy).
    output : ndarray or dtype, optional
        The array to write into (of the output shape) or the output dtype. Default: the
        input's dtype.
    order : int
        The spline order, 0..5 (default 3).
    mode : str
        SciPy's boundary rule: ``reflect`` (= ``grid-mirror``), ``mirror``, ``nearest``,
        ``constant`` (default), ``grid-constant``, ``wrap`` or ``grid-wrap``.
    cval : float
        The value past the edges for ``constant`` and ``grid-constant``.
    prefilter : bool
        Apply the B-spline prefilter (orders above 1); False: `input` is taken as the
        spline's coefficients already.
    grid_mode : bool
        False: the distance between the first and last pixel centres is zoomed (SciPy's
        default); True: the full extent of the pixels, as image resizes do.
    exact : bool
        Orders 2..5 too in SciPy's own summation order (the whole footprint of every
        output): bit for bit, and several times slower. (Not SciPy's: resample's.)
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The zoomed array (`output` itself when an array is given).

    Raises
    ------
    RuntimeError
        As SciPy: an order outside 0..5, a rank-0 input, a zoom sequence of the wrong
        length, an unknown mode, an output array of the wrong shape, an unsupported dtype
        (float16, long double).
    TypeError, ValueError
        A zoom that is not a positive finite number (or sequence of them), a bad
        `num_threads`.

    Notes
    -----
    Exactness: SciPy's arithmetic in float64 step by step: its prefilter (the gain, the
    causal and anticausal recursions and each boundary's initial values, including
    1.17's reflect initialisation, and the 12-sample padding of ``nearest`` and
    ``grid-constant``) along whole lines, its coordinates
    (``k * (n - 1) / (m - 1)``, or ``(k + 0.5) * n / m - 0.5`` with grid_mode), its
    boundary mapping of coordinates and taps and its weights, and its stores (integers
    rounded half up or away from zero and clipped, bool by C's cast). Orders 0 and 1, and
    bool outputs (C's cast truncates: a last-bit difference at 1.0 would flip it), sum the
    whole footprint in SciPy's order: bit for bit (so do orders 2..5 with exact=True).
    Otherwise orders 2..5 prefilter and resample one axis at a time, each axis in one
    pass (much faster; SciPy prefilters every axis before it resamples any): within
    ``1e-12 * max|x|`` of SciPy in float64, and bit for bit after rounding to float32
    on at least 99.9% of the elements (tests/test_compat_scipy.py measures both).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import ndimage_zoom
    >>> volume = np.random.rand(32, 32, 32).astype(np.float32)
    >>> ndimage_zoom(volume, 1.5, order=3).shape
    (48, 48, 48)
    """
    if not is_int(order) or not 0 <= order <= 5:
        raise RuntimeError(f"spline order not supported: order must be an int 0..5, got {order!r}")
    x = np.asarray(input)
    if x.ndim < 1:
        raise RuntimeError("input and output rank must be > 0: ndimage_zoom takes arrays of rank >= 1")
    zooms = _zoom_factors(zoom, x.ndim)
    out_shape = tuple(int(round(n * z)) for n, z in zip(x.shape, zooms))
    if mode not in _modes.SCIPY_BOUNDARY:
        raise RuntimeError(f"boundary mode not supported: mode must be one of {', '.join(NDIMAGE_MODES)}, "
                           f"got {mode!r}")
    threads = resolve_threads(num_threads)
    is_complex = np.iscomplexobj(x)
    out = _output(output, x, out_shape, is_complex)
    if all(z == 1 for z in zooms) and prefilter:          # SciPy returns the input (gh-20999)
        out[...] = x
        return out
    if is_complex:
        for part, c in ((np.real, np.real(cval)), (np.imag, np.imag(cval))):
            zoomed = ndimage_zoom(np.ascontiguousarray(part(x)), zooms, out.real.dtype, order, mode, c,
                                  prefilter, grid_mode=grid_mode, num_threads=num_threads)
            part(out)[...] = zoomed
        return out
    for name, dtype in (("input", x.dtype), ("output", out.dtype)):
        if dtype not in _spline.DTYPES:
            raise RuntimeError(f"data type not supported: the {name} is {dtype}; ndimage_zoom takes "
                               f"bool, integers, float32 and float64 (convert float16 with "
                               f".astype(np.float32))")
    if grid_mode and mode in ("constant", "wrap"):
        warnings.warn(f"It is recommended to use mode = grid-{mode} instead of {mode} when grid_mode "
                      f"is True.", stacklevel=2)
    if out.size == 0:
        return out
    # SciPy's zoom recomputed from the shapes: (n - 1) / (m - 1), or n / m with grid_mode
    # (1 where the divisor is 0)
    step = [(n if grid_mode else n - 1) / (m if grid_mode else m - 1)
            if (m if grid_mode else m - 1) != 0 else 1.0 for n, m in zip(x.shape, out_shape)]
    check_fits(out_shape, 8, extra_bytes=8 * (x.size + 24 * x.ndim) * (1 if order < 2 else 2))
    target = out if out.flags.c_contiguous and out.flags.writeable else np.empty(out_shape, out.dtype)
    _spline.zoom_into(np.ascontiguousarray(x), target, range(x.ndim), step, order,
                      _modes.SCIPY_BOUNDARY[mode], cval, bool(prefilter), bool(grid_mode), threads,
                      exact=bool(exact) or order < 2 or out.dtype == np.bool_)
    if target is not out:
        out[...] = target
    return out


def _zoom_factors(zoom, rank):
    """zoom as one float per axis (SciPy's _normalize_sequence), checked."""
    if isinstance(zoom, str) or not np.iterable(zoom):
        zoom = [zoom] * rank
    zoom = list(zoom)
    if len(zoom) != rank:
        raise RuntimeError(f"sequence argument must have length equal to input rank: zoom has "
                           f"{len(zoom)} entries for an input of rank {rank}")
    if not all(is_real(z) and np.isfinite(z) and z > 0 for z in zoom):
        raise ValueError(f"zoom must be positive finite numbers, got {zoom!r}")
    return [float(z) for z in zoom]


def _output(output, x, shape, is_complex):
    """The output array, as SciPy's _ni_support._get_output makes or checks it."""
    if output is None:
        dtype = np.promote_types(x.dtype, np.complex64) if is_complex else x.dtype
        return new_output(shape, dtype)          # (every element is written)
    if isinstance(output, (type, np.dtype, str)):
        dtype = np.dtype(output)
        if is_complex and dtype.kind != "c":
            if isinstance(output, str):
                raise RuntimeError("output must have complex dtype")
            warnings.warn("promoting specified output dtype to complex", stacklevel=3)
            dtype = np.promote_types(dtype, np.complex64)
        return np.zeros(shape, dtype)
    if not isinstance(output, np.ndarray):
        raise TypeError(f"output must be an ndarray, a dtype or None, got {type(output).__name__}")
    if output.shape != shape:
        raise RuntimeError(f"output shape not correct: output has shape {output.shape}, the zoom "
                           f"gives {shape}")
    if is_complex and output.dtype.kind != "c":
        raise RuntimeError("output must have complex dtype")
    return output
