"""compat.jax_resize and compat.jax_scale_and_translate: JAX 0.10.2's jax.image.resize and
jax.image.scale_and_translate on NumPy arrays of any rank: nearest bit for bit, the other
methods with jax's own float32 weights within the rounding of XLA's dot. Their exactness
rule is in the docstrings and in docs/compat.md."""
import operator

import numpy as np

from .. import _engine, _modes, _plans
from .._arrays import check_fits, native_order
from .._runtime import resolve_threads

#: jax.image's method names and aliases (what `jax_resize` takes as ``method``), by the
#: ResizeMethod each means.
JAX_METHODS = {f.name: f.kernel for f in _modes.JAX}
# jax's dtype canonicalisation with jax_enable_x64 off (its default)
_CANONICAL = {"int64": np.int32, "uint64": np.uint32, "float64": np.float32}


def jax_resize(image, shape, method, antialias=True, *, num_threads=None):
    """JAX 0.10.2's ``jax.image.resize`` on a NumPy array of any rank.

    Parameters
    ----------
    image : ndarray
        Any rank and layout: like jax, every axis whose length changes is resized (leave
        batch and channel axes their length). Any real dtype.
    shape : sequence of int
        The output shape, one length per axis of `image`.
    method : str or jax.image.ResizeMethod
        "nearest", "linear" ("bilinear", "trilinear", "triangle"), "cubic" ("bicubic",
        "tricubic"), "cubic-pytorch" ("bicubic-pytorch"), "lanczos3", "lanczos5", "area",
        or a ``ResizeMethod``.
    antialias : bool
        As jax: widen the kernel when shrinking (no effect on nearest, and area is an
        average either way).
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The resized array, of jax's result dtype with ``jax_enable_x64`` off (its default):
        nearest keeps the dtype (64-bit types become 32-bit ones, as jax stores them), the
        other methods give float16 for float16 and float32 for everything else.

    Raises
    ------
    ValueError
        A shape whose length is not the image's rank or that has a negative length, an
        unknown method.
    TypeError
        A complex, bfloat16 (other than nearest) or object array.

    Notes
    -----
    Exactness: nearest is bit for bit (jax's float32 index formula, a gather). The other
    methods use jax's float32 weight formulas (its kernels, normalisation and zeroing of
    outputs that sample outside the image, cubic-pytorch's edge padding) applied as a
    sum over each output's taps, where jax contracts a dense weight matrix with XLA's dot,
    whose blocking and summation order are XLA's, and XLA folds the weights at compile time
    in its own arithmetic: results agree within 24 float32 epsilons of the largest input
    magnitude (measured: at most 21, lanczos5; linear 13, area 1.5), within about one
    float16 epsilon for float16. Float16 rounds jax's weights to float16 as jax does and
    the result once.

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import jax_resize
    >>> image = np.arange(12, dtype=np.float32).reshape(3, 4)
    >>> jax_resize(image, (3, 2), "nearest")
    array([[ 1.,  3.],
           [ 5.,  7.],
           [ 9., 11.]], dtype=float32)
    >>> jax_resize(image, (3, 8), "linear")
    array([[ 0.  ,  0.25,  0.75,  1.25,  1.75,  2.25,  2.75,  3.  ],
           [ 4.  ,  4.25,  4.75,  5.25,  5.75,  6.25,  6.75,  7.  ],
           [ 8.  ,  8.25,  8.75,  9.25,  9.75, 10.25, 10.75, 11.  ]],
          dtype=float32)
    """
    method = _method(method)
    x = _array(image)
    shape = _shape(shape, x)
    if method == "nearest":
        return _nearest(x, shape, num_threads)
    axes = [d for d in range(x.ndim) if shape[d] != x.shape[d]]
    scales = [shape[d] / x.shape[d] for d in axes]
    return _scaled(x, shape, axes, scales, [0.0] * len(axes), False, method, antialias,
                   num_threads)


def jax_scale_and_translate(image, shape, spatial_dims, scale, translation, method,
                            antialias=True, *, num_threads=None):
    """JAX 0.10.2's ``jax.image.scale_and_translate`` on a NumPy array of any rank.

    Parameters
    ----------
    image : ndarray
        Any rank and real dtype.
    shape : sequence of int
        The output shape, one length per axis of `image`.
    spatial_dims : sequence of int
        The axes the scale and translation apply to (negative ones count from the end).
    scale, translation : sequence of float
        Per spatial axis: an input location x maps to ``x * scale + translation`` (in
        pixel-centre coordinates, the pixel at index i centred at i + 0.5); as jax, both are
        float32.
    method : str or jax.image.ResizeMethod
        As `jax_resize`, except nearest, which jax does not take here.
    antialias : bool
        As jax: widen the kernel when shrinking.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        float16 for float16 images, float32 otherwise; outputs whose sample lies outside
        the image are 0.

    Raises
    ------
    ValueError
        Mismatched lengths, an axis out of range, a scale that is not positive, nearest or
        an unknown method.
    TypeError
        As `jax_resize`.

    Notes
    -----
    Exactness: as `jax_resize`'s interpolating methods (within XLA's dot rounding; every
    spatial axis is contracted, an identity one too, as jax does).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import jax_scale_and_translate
    >>> row = np.array([[0.0, 1.0, 2.0, 3.0]], np.float32)
    >>> jax_scale_and_translate(row, (1, 4), [1], [1.0], [1.0], "linear")
    array([[0., 0., 1., 2.]], dtype=float32)
    """
    method = _method(method)
    if method == "nearest":
        raise ValueError("Nearest neighbor resampling is not currently supported for "
                         "scale_and_translate (use jax_resize, or method 'linear')")
    x = _array(image)
    shape = _shape(shape, x)
    try:
        axes = [operator.index(d) for d in spatial_dims]
        scale = [float(np.float32(v)) for v in scale]
        translation = [float(np.float32(v)) for v in translation]
    except TypeError:
        raise TypeError("spatial_dims must be integers, scale and translation numbers") from None
    if not len(axes) == len(scale) == len(translation):
        raise ValueError(f"spatial_dims, scale and translation must have one entry per spatial "
                         f"axis, got {len(axes)}, {len(scale)} and {len(translation)}")
    for d in axes:
        if not -x.ndim <= d < x.ndim:
            raise ValueError(f"spatial dimension {d} is out of range for an array of rank {x.ndim}")
    axes = [d % x.ndim for d in axes]
    if len(set(axes)) != len(axes):
        raise ValueError(f"spatial_dims {spatial_dims!r} names an axis twice")
    if not all(s > 0 for s in scale):
        raise ValueError(f"scale must be positive, got {scale}")
    for d in range(x.ndim):
        if d not in axes and shape[d] != x.shape[d]:
            raise ValueError(f"axis {d} is not spatial, so its length cannot change "
                             f"({x.shape[d]} -> {shape[d]})")
    return _scaled(x, shape, axes, scale, translation, True, method, antialias, num_threads)


def _scaled(x, shape, axes, scales, translations, array_scale, method, antialias, num_threads):
    """_scale_and_translate: one pass per spatial axis with jax's weights."""
    if method == "cubic-pytorch" and antialias:
        method = "cubic"
    edge_padding = method == "cubic-pytorch"
    if x.dtype.name == "bfloat16":
        raise TypeError("jax_resize computes bfloat16 images in bfloat16, which resample's "
                        "kernels do not; convert to float32 first (or use method 'nearest')")
    out_dtype = np.dtype(np.float16 if x.dtype == np.float16 else np.float32)
    if x.dtype == np.bool_:
        x = x.view(np.uint8)
    check_fits(shape, out_dtype.itemsize, extra_bytes=4 * (x.size + int(np.prod(shape))))
    out = np.empty(shape, out_dtype)
    if out.size == 0:
        return out
    passes, lengths = [], list(x.shape)
    for d, s, t in _contraction_order(x.shape, shape, axes, scales, translations):
        plan = _engine.AxisPlan(lengths[d], *_plans.jax_plan(
            method, lengths[d], shape[d], s, t, array_scale, antialias, edge_padding,
            out_dtype == np.float16))
        passes.append(_engine.Pass(d, lengths[d], shape[d], plan))
        lengths[d] = shape[d]
    _engine.run_separable(x, out, tuple(range(x.ndim)), passes, resolve_threads(num_threads))
    return out


def _contraction_order(in_shape, shape, axes, scales, translations):
    """The axes in the order jax's einsum contracts them (opt_einsum's greedy path): the one
    whose contraction leaves the smallest array first, ties in spatial_dims order."""
    order = sorted(range(len(axes)), key=lambda k: (shape[axes[k]] / max(in_shape[axes[k]], 1), k))
    return [(axes[k], scales[k], translations[k]) for k in order]


def _nearest(x, shape, num_threads):
    canonical = _CANONICAL.get(x.dtype.name)
    if canonical is not None:
        x = x.astype(canonical)        # what jnp.asarray stores (x64 off)
    out = np.empty(shape, x.dtype)
    if out.size == 0:
        return out
    index = {d: _plans.jax_nearest(x.shape[d], shape[d]) for d in range(x.ndim)
             if shape[d] != x.shape[d]}
    if not index:
        out[...] = x
        return out
    bits = np.dtype(f"u{x.dtype.itemsize}")
    _engine.gather(x.view(bits), out.view(bits), tuple(range(x.ndim)), index,
                   resolve_threads(num_threads))
    return out


def _array(image):
    x = native_order(np.asarray(image))
    if x.dtype.kind not in "biuf" and x.dtype.name != "bfloat16":
        raise TypeError(f"jax_resize reproduces real arrays, not {x.dtype}")
    if x.ndim == 0:
        raise ValueError("the image is a scalar; give it at least one axis")
    return np.ascontiguousarray(x)


def _shape(shape, x):
    try:
        shape = tuple(operator.index(v) for v in shape)
    except TypeError:
        raise TypeError(f"shape must be a sequence of integers, got {shape!r}") from None
    if len(shape) != x.ndim:
        raise ValueError(f"shape must have length equal to the number of dimensions of x; "
                         f" {shape} vs {x.shape}")
    if min(shape) < 0:
        raise ValueError(f"shape must not have negative lengths, got {shape}")
    if 0 in x.shape and shape != x.shape:
        raise ValueError(f"cannot resize an empty array (shape {x.shape}) to {shape}")
    return shape


def _method(method):
    name = getattr(method, "name", method)       # a jax.image.ResizeMethod
    if isinstance(name, str):
        name = JAX_METHODS.get(name.lower().replace("_", "-"))
    if name is None:
        raise ValueError(f'Unknown resize method "{method}"; use one of '
                         + ", ".join(repr(m) for m in JAX_METHODS))
    return name
