"""compat.tf_resize: TensorFlow 2.21's tf.image.resize on NumPy arrays, bit for bit with
its CPU kernels (ResizeBilinear, ResizeBicubic, ResizeNearestNeighbor, ResizeArea and
ScaleAndTranslate), and tf_resize_v1 for tf.compat.v1.image.resize (align_corners, the
legacy pixel centres). Their exactness rule is in the docstrings and in docs/compat.md."""
import numbers

import numpy as np

from .. import _engine, _modes, _plans
from .._arrays import check_fits, native_order
from .._runtime import resolve_threads

#: tf.image.ResizeMethod's values (what `tf_resize` takes as ``method``).
TF_METHODS = tuple(f.name for f in _modes.TENSORFLOW)
# ScaleAndTranslate's kernel for each method that runs it (bilinear and bicubic: antialias)
_SPAN_KERNELS = {f.name: f.kernel for f in _modes.TENSORFLOW if f.kernel}
_V1_METHODS = {code: f.name for code, f in _modes.TF_V1_BY_CODE.items()}   # ResizeMethodV1
# the dtypes TensorFlow's resize ops take (their T attribute's allowed list)
_TF_DTYPES = ("uint8", "int8", "uint16", "int16", "int32", "int64", "float16", "bfloat16",
              "float32", "float64")


def tf_resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False, *,
              num_threads=None):
    """TensorFlow 2.21's ``tf.image.resize`` on a NumPy array, bit for bit with its kernels.

    Parameters
    ----------
    images : ndarray
        (height, width, channels) or (batch, height, width, channels), any channel count:
        uint8, int8, uint16, int16, int32, int64, float16, bfloat16 (ml_dtypes), float32
        or float64, the dtypes TensorFlow's resize ops take.
    size : (int, int)
        The output (new_height, new_width), TensorFlow's order.
    method : str
        A ``tf.image.ResizeMethod`` value: "bilinear" (the default), "nearest", "bicubic",
        "area", "lanczos3", "lanczos5", "gaussian" or "mitchellcubic".
    preserve_aspect_ratio : bool
        As TensorFlow: scale both sides by the smaller of the two factors (in float32,
        rounded half to even), so the result fits in `size`.
    antialias : bool
        As TensorFlow: bilinear and bicubic then run ScaleAndTranslate (triangle and Keys
        cubic kernels), widened when shrinking; lanczos, gaussian and mitchellcubic widen
        their kernel when shrinking; no effect on nearest and area.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The resized images, of the input's rank: float32, except for "nearest", which keeps
        the input's dtype (TensorFlow's dtype rules).

    Raises
    ------
    ValueError
        An array that is not 3-D or 4-D, an empty image, a size that is not two positive
        integers, an unknown method.
    TypeError
        A dtype TensorFlow's resize does not take (bool, complex, object).

    Notes
    -----
    Exactness: bit for bit with TensorFlow 2.21's CPU kernels, which ``tf.image.resize``
    picks per method: ResizeBilinear (its lerp form ``top + (bottom - top) * dy`` over
    ``tl + (tr - tl) * dx``), ResizeBicubic (its 1024-entry coefficient table, rows then
    columns), ResizeNearestNeighbor (half-pixel centres), ResizeArea (columns, rows, then
    the 1 / (scale_h * scale_w) factor) and ScaleAndTranslate (its float32 spans, rows then
    columns), each in float32 from the samples converted as the kernel converts them. One
    difference: TensorFlow sums ScaleAndTranslate, ResizeArea's rows and nothing else from
    +0.0, so where every product is -0.0 (an input of -0.0) it gives +0.0 and tf_resize
    -0.0 (docs/compat.md).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import tf_resize
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4, 1) * 10
    >>> tf_resize(image, (2, 2))[..., 0]
    array([[ 25.,  45.],
           [105., 125.]], dtype=float32)
    >>> tf_resize(image, (2, 3), method="nearest")[..., 0]
    array([[ 40,  60,  70],
           [120, 140, 150]], dtype=uint8)
    """
    method = _method(method)
    return _tf_resize(images, size, method, preserve_aspect_ratio, antialias, False, True,
                      num_threads)


def tf_resize_v1(images, size, method=0, align_corners=False, preserve_aspect_ratio=False, *,
                 num_threads=None):
    """TensorFlow 2.21's ``tf.compat.v1.image.resize`` (``resize_images``) on a NumPy
    array, bit for bit: the TF 1.x pixel grid (no half-pixel centres) and ``align_corners``.

    Parameters
    ----------
    images : ndarray
        As `tf_resize`.
    size : (int, int)
        The output (new_height, new_width).
    method : int or str
        ``tf.compat.v1.image.ResizeMethod``: 0 bilinear (the default), 1 nearest, 2 bicubic,
        3 area, or those names.
    align_corners : bool
        As TensorFlow 1.x: the corner pixels' centres of input and output are aligned.
    preserve_aspect_ratio : bool
        As `tf_resize`.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The resized images: float32, except for nearest (the input's dtype); an unchanged
        size returns the images as they are, as ``resize_images`` does.

    Raises
    ------
    ValueError, TypeError
        As `tf_resize`; ValueError for a method other than the four.

    Notes
    -----
    Exactness: bit for bit with the ResizeBilinear, ResizeBicubic (its a = -0.75 table,
    edge taps repeated, as the legacy path has it), ResizeNearestNeighbor and ResizeArea
    kernels with ``half_pixel_centers=False`` (docs/compat.md).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import tf_resize_v1
    >>> image = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    >>> tf_resize_v1(image, (3, 3), align_corners=True)[..., 0]
    array([[ 0. ,  1.5,  3. ],
           [ 6. ,  7.5,  9. ],
           [12. , 13.5, 15. ]], dtype=float32)
    """
    name = _V1_METHODS.get(method) if isinstance(method, numbers.Integral) else method
    if name not in _V1_METHODS.values():
        raise ValueError(f"Resize method is not implemented: {method!r}; tf.compat.v1.image.resize "
                         "takes 0 (bilinear), 1 (nearest), 2 (bicubic) or 3 (area)")
    return _tf_resize(images, size, name, preserve_aspect_ratio, False, bool(align_corners),
                      False, num_threads)


def _tf_resize(images, size, method, preserve_aspect_ratio, antialias, align_corners,
               half_pixel, num_threads):
    x = _images(images)
    batch = x if x.ndim == 4 else x[None]
    _, height, width, _ = batch.shape
    out_h, out_w = _size(size)
    if preserve_aspect_ratio:
        out_h, out_w = _aspect_size(height, width, out_h, out_w)
    if not half_pixel and (out_h, out_w) == (height, width):
        return x.copy()                          # resize_images skips a same-size resize
    threads = resolve_threads(num_threads)
    shape = (batch.shape[0], out_h, out_w, batch.shape[3])
    out_dtype = batch.dtype if method == "nearest" else np.dtype(np.float32)
    check_fits(shape, out_dtype.itemsize, extra_bytes=4 * batch.size)
    out = np.empty(shape, out_dtype)
    perm = (0, 1, 2, 3)
    if method == "nearest":
        index = {1: _plans.tf_nearest(height, out_h, align_corners, half_pixel),
                 2: _plans.tf_nearest(width, out_w, align_corners, half_pixel)}
        bits = np.dtype(f"u{batch.dtype.itemsize}")
        _engine.gather(batch.view(bits), out.view(bits), perm, index, threads)
    else:
        _engine.run_separable(batch, out, perm, _passes(method, antialias, height, width, out_h,
                                                        out_w, align_corners, half_pixel), threads)
    return out if x.ndim == 4 else out[0]


def _passes(method, antialias, height, width, out_h, out_w, align_corners, half_pixel):
    """The float32 passes of TensorFlow's kernel for the method, in its order."""
    if method == "area":
        # ResizeArea: each row's sum along W, the rows' along H, times 1 / (sh * sw) (the H
        # plan's post factor)
        w_taps, w_weights, w_counts, scale_w = _plans.tf_area_plan(width, out_w, align_corners)
        h_taps, h_weights, h_counts, scale_h = _plans.tf_area_plan(height, out_h, align_corners)
        with np.errstate(divide="ignore"):      # align_corners on one pixel: C++'s 1.0 / 0.0
            factor = np.float32(np.float64(1.0) / np.float64(np.float32(scale_h) * np.float32(scale_w)))
        return [_pass(2, width, _engine.AxisPlan(width, w_taps, w_weights, w_counts)),
                _pass(1, height, _engine.AxisPlan(height, h_taps, h_weights, h_counts,
                                                  post=factor))]
    if method == "bilinear" and not antialias:
        if (out_h, out_w) == (height, width):
            return []                            # ResizeBilinear's no-op: a cast to float
        # per output: the lerps of its two rows along W, then between them along H
        return [_pass(2, width, _engine.AxisPlan(
                    width, *_plans.tf_linear_plan(width, out_w, align_corners, half_pixel), lerp=True)),
                _pass(1, height, _engine.AxisPlan(
                    height, *_plans.tf_linear_plan(height, out_h, align_corners, half_pixel), lerp=True))]
    if method == "bicubic" and not antialias:
        # ResizeBicubic: each output's four rows combined along H, then along W
        return [_pass(1, height, _engine.AxisPlan(
                    height, *_plans.tf_cubic_plan(height, out_h, align_corners, half_pixel))),
                _pass(2, width, _engine.AxisPlan(
                    width, *_plans.tf_cubic_plan(width, out_w, align_corners, half_pixel)))]
    # ScaleAndTranslate, rows then columns, scale = float32(out) / float32(in), no translation
    kernel = _SPAN_KERNELS[method]
    return [_pass(axis, n, _engine.AxisPlan(n, *_plans.tf_span_plan(
                kernel, n, o, float(np.float32(o) / np.float32(n)), 0.0, antialias)))
            for axis, n, o in ((1, height, out_h), (2, width, out_w))]


def _pass(axis, n_in, plan):
    return _engine.Pass(axis, n_in, len(plan.counts), plan)


def _aspect_size(height, width, out_h, out_w):
    """_resize_images_common's preserve_aspect_ratio size, in float32 as TensorFlow has it."""
    f32 = np.float32
    factor = min(f32(out_h) / f32(height), f32(out_w) / f32(width))
    out_h, out_w = int(np.rint(factor * f32(height))), int(np.rint(factor * f32(width)))
    if out_h < 1 or out_w < 1:
        raise ValueError(f"preserve_aspect_ratio makes the output {out_h}x{out_w}, which is "
                         "empty: TensorFlow refuses it (output dimensions must be positive)")
    return out_h, out_w


def _images(images):
    x = native_order(np.asarray(images))
    if x.ndim not in (3, 4):
        raise ValueError(f"'images' must have either 3 or 4 dimensions (height, width, channels "
                         f"or batch, height, width, channels), got shape {x.shape}")
    if x.dtype.name not in _TF_DTYPES:
        raise TypeError(f"tf.image.resize takes {', '.join(_TF_DTYPES)} images, not {x.dtype}")
    if 0 in x.shape[-3:]:
        raise ValueError(f"the image is empty (shape {x.shape}); TensorFlow needs a non-zero "
                         "height, width and channel count")
    return np.ascontiguousarray(x)


def _size(size):
    try:
        values = [v for v in size]
        if len(values) != 2 or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
                                       for v in values):
            raise TypeError
    except TypeError:
        raise ValueError(f"'size' must be two integers (new_height, new_width), got {size!r}") from None
    if min(values) < 1:
        raise ValueError(f"output dimensions must be positive, got size {tuple(values)}")
    return int(values[0]), int(values[1])


def _method(method):
    name = getattr(method, "value", method)     # an enum-like value
    if not isinstance(name, str) or name.lower() not in TF_METHODS:
        raise ValueError(f"Resize method is not implemented: {method!r}; use one of "
                         + ", ".join(repr(m) for m in TF_METHODS))
    return name.lower()
