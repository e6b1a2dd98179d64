"""resize() and resize_backward(): any axes of an array of any rank, every filter on every
axis (antialias, cubic and lanczos included), through the same per-axis plans and kernels
as interpolate. No pixel arithmetic happens here."""
import copy
import math

import numpy as np

from . import _modes
from ._api import (_KNOWN_CALLS, _UINT8, _Call, _as_array, _axis_plan, _backward_passes, _check_fits,
                   _call_key, _check_flag, _forward_program, _is_real, _plan_bytes, _prepare_out, _run_forward,
                   _run_separable, _size_from_scale_kernel, _uint8_axis_plan)
from . import _plans
from ._runtime import _is_int, kernels as _kernels, resolve_threads as _resolve_threads

IMAGE_MODES = tuple(_modes.BY_NAME)       # every name resize takes (the CLI's choices)
_IMAGE_AXES = {2: (0, 1), 3: (0, 1), 4: (1, 2)}     # (H, W), (H, W, C), (N, H, W, C)


def _normalise_axes(axes, shape):
    """The resized axes as non-negative ints, in the order given."""
    ndim = len(shape)
    if axes is None:
        if ndim not in _IMAGE_AXES:
            raise ValueError(
                f"axes=None means an image, (H, W), (H, W, C) or (N, H, W, C); for an array of "
                f"shape {tuple(shape)} say which axes to resize, e.g. axes=(0, 1, 2)")
        if ndim == 3 and shape[0] in (1, 3, 4) and shape[2] > 4:
            raise ValueError(
                f"an image of shape {tuple(shape)} looks channels-first (C, H, W); resize takes "
                "images channels-last (H, W, C): pass image.transpose(1, 2, 0), or axes=(1, 2) to "
                "resize the last two axes of this array as they are")
        return list(_IMAGE_AXES[ndim])
    if _is_int(axes):
        axes = (axes,)
    if not isinstance(axes, (tuple, list)) or not axes or not all(_is_int(a) for a in axes):
        raise TypeError(f"axes must be an int or a non-empty sequence of ints, got {axes!r}")
    normal = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axes {tuple(axes)} has axis {a}, out of range for an array of rank {ndim}")
        normal.append(int(a) % ndim)
    if len(set(normal)) != len(normal):
        raise ValueError(f"axes {tuple(axes)} names an axis twice")
    return normal


def _output_sizes(lengths, size, scale_factor):
    """(output sizes, user scales) of the resized axes, in the order of `lengths`."""
    if (size is None) == (scale_factor is None):
        raise ValueError("give exactly one of size and scale_factor")
    if any(n == 0 for n in lengths):
        raise ValueError(f"cannot resize an empty axis of the input: the resized axes have lengths {list(lengths)}")
    if size is not None:
        if _is_int(size):
            return _shorter_side(lengths, int(size)), [0.0] * len(lengths)
        if not isinstance(size, (tuple, list)) or not all(_is_int(v) for v in size):
            raise TypeError(f"size must be an int (the shortest resized axis) or one int per "
                            f"resized axis, got {size!r}")
        if len(size) != len(lengths):
            raise ValueError(f"size {tuple(size)} has {len(size)} entries for {len(lengths)} resized axes")
        if any(not 1 <= v < 2**63 for v in size):
            raise ValueError(f"size must hold positive int64 values, got {tuple(size)}")
        return [int(v) for v in size], [0.0] * len(lengths)
    scales = list(scale_factor) if isinstance(scale_factor, (tuple, list)) else [scale_factor] * len(lengths)
    if len(scales) != len(lengths) or not all(_is_real(s) for s in scales):
        raise TypeError(f"scale_factor must be a number or one number per resized axis "
                        f"({len(lengths)}), got {scale_factor!r}")
    if not all(math.isfinite(s) and s > 0 for s in scales):
        raise ValueError(f"scale_factor must be positive and finite, got {scale_factor!r}")
    sizes = [_size_from_scale_kernel(n, float(s)) for n, s in zip(lengths, scales)]
    if any(v < 1 for v in sizes):
        raise ValueError(f"scale_factor {scale_factor!r} gives an empty output: sizes {sizes} "
                         f"from lengths {list(lengths)}")
    return sizes, [float(s) for s in scales]


def _shorter_side(lengths, size):
    """One int: the shortest resized axis becomes `size`, the others keep their ratio to it
    (rounded to the nearest int, at least 1)."""
    if not 1 <= size < 2**63:
        raise ValueError(f"size must be a positive int64 value, got {size}")
    short = min(lengths)
    return [size if n == short else max(1, int(n * size / short + 0.5)) for n in lengths]


def target_size(height, width, size):
    """(H, W) of an image resized to `size`: a pair, or one int for the shorter side."""
    return tuple(_output_sizes([height, width], size, None)[0])


def _resolve_resize(shape, size, scale_factor, axes, mode, antialias, align_corners):
    """A validated resize call (an _api._Call over the resized axes)."""
    m = _modes.resize_mode(mode)
    _check_flag("antialias", antialias)
    if align_corners is not None:
        _check_flag("align_corners", align_corners)
        if not m.align_corners:
            raise ValueError(f"align_corners is for the modes linear and cubic, not {mode}")
    if m.name == "lanczos" and not antialias:
        raise ValueError("lanczos is always antialiased: antialias=False is not available for it")
    axes = _normalise_axes(axes, shape)
    sizes, scales = _output_sizes([shape[a] for a in axes], size, scale_factor)
    order = sorted(range(len(axes)), key=lambda i: axes[i])
    return _Call(m.name, [sizes[i] for i in order], [scales[i] for i in order],
                 bool(align_corners), bool(antialias) and m.antialias,
                 axes=[axes[i] for i in order], filter=m.filter)


_DTYPE_HINTS = {
    "i": "int32/int64 images: convert to float64 (exact up to 2**53) and round back, or to "
         "uint16/int16 when the values fit",
    "u": "wide unsigned integers: convert to float64 and round back, or to uint16 when the values fit",
    "b": "bool masks: resize mask.astype(np.uint8) (nearest keeps 0/1; other modes give "
         "coverage you can threshold)",
}


def _as_image_array(x):
    """(array, back): the array resize works on, and the function that gives a result back
    in x's kind — PIL images come back as PIL images, torch tensors as tensors, everything
    else as NumPy arrays. Lists and tuples of numbers compute in float64."""
    kind = type(x).__module__.split(".")[0]
    if kind == "PIL" and hasattr(x, "getbands"):
        return _from_pil(x)
    if kind == "torch" and hasattr(x, "device"):
        if x.device.type != "cpu":
            raise TypeError(f"input is a torch tensor on device {x.device}; resize runs on the CPU: "
                            "pass tensor.cpu()")
        import torch
        try:
            array = x.detach().numpy()
        except (TypeError, RuntimeError) as exc:
            raise TypeError(f"input torch tensor of dtype {x.dtype} has no NumPy equivalent: {exc}") from None
        return array, torch.from_numpy
    if isinstance(x, (list, tuple)):
        array = np.asarray(x)
        if array.dtype.kind in "iu":
            array = array.astype(np.float64)
        return array, _same
    return x, _same


def _same(result):
    return result


def _from_pil(image):
    """A PIL image as an (H, W[, C]) array, and how to make the result an image of its mode.
    32-bit integer images ('I') compute in float64 and are rounded back (half to even)."""
    from PIL import Image
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    mode = image.mode
    array = np.asarray(image)
    wide = array.dtype == np.int32

    def back(result):
        if wide:
            result = round_to_dtype(result, np.int32)
        height, width = result.shape[:2]
        return Image.frombytes(mode, (width, height), np.ascontiguousarray(result).tobytes())

    return (array.astype(np.float64) if wide else array), back


def _c_order(x):
    """x as an aligned C-contiguous array (copied once if it is not one)."""
    if x.flags.c_contiguous and x.flags.aligned:
        return x
    _check_fits(x.shape, x.dtype.itemsize, "a contiguous copy of the input")
    return np.array(x, order="C")


def _resized_shape(shape, call):
    """The shape `call` gives an input of `shape`."""
    resized = list(shape)
    for axis, n in zip(call.axes, call.out_size):
        resized[axis] = n
    return tuple(resized)


def resize(x, size=None, *, scale_factor=None, axes=None, mode="bilinear", antialias=True,
           align_corners=None, out=None, num_threads=None):
    """Resize the chosen axes of an array of any rank.

    Parameters
    ----------
    x : array_like, PIL.Image.Image or torch.Tensor
        uint8, uint16, int16, float16, float32 or float64, any rank. Axes not in `axes`
        (channels, batch, time) are carried through untouched. A PIL image comes back as
        a PIL image of its mode (1-bit as L, palette as RGB/RGBA, 32-bit 'I' computed in
        float64 and rounded half to even); a CPU torch tensor comes back as a tensor
        (sharing the result's memory); lists of numbers compute in float64. int32, int64,
        wide unsigned and bool arrays are refused with a hint (no rule would be right for
        every use).
    size : int or sequence of int, optional
        One int per resized axis (in the order of `axes`), or one int for the shortest
        resized axis with the others keeping their ratio to it (rounded to the nearest
        int). Exactly one of `size` and `scale_factor`.
    scale_factor : float or sequence of float, optional
        Per resized axis: the output length is ``floor(n * s)`` and the filters sample at
        ``1 / s`` (torch's rule).
    axes : int or sequence of int, optional
        The axes to resize, any number of them. None is the image convention: ``(H, W)``,
        ``(H, W, C)`` or ``(N, H, W, C)``; a 3-D array that looks channels-first under it
        is refused (name the axes instead).
    mode : str
        ``nearest``, ``nearest-exact``, ``linear`` (also ``bilinear``, ``trilinear``),
        ``cubic`` (also ``bicubic``; Keys a = -0.75), ``lanczos`` (a = 3) or ``area``.
    antialias : bool
        For linear, cubic and lanczos: every resized axis uses torch's antialias filter
        (widened by the shrink factor when shrinking; cubic a = -0.5), as torch's 2-D
        antialias kernels do. Unchanged axes are skipped. Nearest and area ignore it;
        lanczos is always antialiased.
    align_corners : bool, optional
        For linear and cubic, as in torch.
    out : ndarray, optional
        C-contiguous array of the result's shape and dtype to write into.
    num_threads : int, optional
        None: the OpenMP default; -1: every CPU; results never depend on it.

    Returns
    -------
    ndarray, PIL.Image.Image or torch.Tensor
        C-contiguous, of x's dtype (x's kind: see `x`).

    Raises
    ------
    TypeError, ValueError, MemoryError
        Bad arguments, naming the argument; an output too large for this machine.

    Notes
    -----
    Every resized axis gets the 1-D plan torch would use for that filter; passes run the
    last axis first (torch's W, then H, then D). So for two axes the result is
    ``interpolate``'s on the equivalent ``(N, C, H, W)`` view, bit for bit, and for any
    number of axes it is resizing one axis at a time in that order (for float32, float64
    and uint8, whose passes keep the dtype; float16 and 16-bit integers compute in float32
    and round once). uint8 uses torch's fixed-point passes; uint16 and int16 are computed
    in float32, rounded half to even and clamped. Area averages up to three adjacent
    axes at once (torch's window sum and divisions).

    Examples
    --------
    >>> import numpy as np, resample
    >>> volume = np.zeros((64, 64, 64), np.float32)
    >>> resample.resize(volume, (32, 32, 32), axes=(0, 1, 2), mode="linear").shape
    (32, 32, 32)
    >>> video = np.zeros((8, 48, 64, 3), np.uint8)            # (T, H, W, C)
    >>> resample.resize(video, (24, 32), axes=(1, 2)).shape
    (8, 24, 32, 3)
    """
    key = _call_key("resize", x, out, (size, scale_factor, axes, mode, antialias, align_corners))
    known = _KNOWN_CALLS.get(key) if key is not None else None
    if known is not None:
        return known.run(x, _resolve_threads(num_threads))
    given = x
    x, back = _as_image_array(x)
    try:
        x = _as_array(x, _modes.RESIZE_DTYPES)
    except TypeError as exc:
        kind = getattr(getattr(x, "dtype", None), "kind", "")
        raise TypeError(f"{exc}. {_DTYPE_HINTS[kind]}" if kind in _DTYPE_HINTS else str(exc)) from None
    if back is not _same and out is not None:
        raise TypeError("out= takes NumPy arrays only; it cannot be used with a PIL image or a tensor")
    call = _resolve_resize(x.shape, size, scale_factor, axes, mode, antialias, align_corners)
    threads = _resolve_threads(num_threads)
    out_shape = _resized_shape(x.shape, call)
    _check_fits(out_shape, x.dtype.itemsize,
                extra_bytes=_plan_bytes(out_shape, [x.shape[a] for a in call.axes], call))
    x = _c_order(x)
    out = _prepare_out(out, out_shape, x, tuple(range(x.ndim)))
    if out.size:
        _run_forward(x, out, tuple(range(x.ndim)), call, threads,
                     remember=key if x is given else None)
    return back(out)


# resample.h's dtype codes, from 1
C_DTYPES = tuple(np.dtype(t) for t in ("uint8", "int16", "uint16", "float16", "float32", "float64"))


def embedded_plan(in_shape, in_strides, dtype_code, out_shape, axes, scales, mode, antialias,
                  align_corners):
    """The C API's resample_plan_new (include/resample.h): (program, input strides, output
    strides) that resize arrays of `in_shape` (with byte strides `in_strides`, None for
    C-contiguous) and resample.h's dtype code to `out_shape`, exactly as ``resize`` does.
    `axes` None: the axes whose length changes; `scales` None, or resize's scale_factor per
    axis (out_shape must hold the lengths they give). align_corners -1 means unset. Any dense
    layout is read in place and the output gets the same one (its strides are returned)."""
    if not 1 <= dtype_code <= len(C_DTYPES):
        raise ValueError(f"dtype must be one of resample.h's codes 1 to {len(C_DTYPES)} "
                         f"({', '.join(t.name for t in C_DTYPES)}), got {dtype_code}")
    dtype = C_DTYPES[dtype_code - 1]
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if min(in_shape + out_shape) < 0:
        raise ValueError(f"shapes must not be negative: in {in_shape}, out {out_shape}")
    if axes is None:
        axes = [a for a in range(len(in_shape)) if in_shape[a] != out_shape[a]]
        if not axes:
            raise ValueError(f"in_shape and out_shape are both {in_shape}: name the axes to resize")
    if align_corners not in (-1, 0, 1) or antialias not in (0, 1):
        raise ValueError(f"antialias must be 0 or 1 and align_corners -1, 0 or 1; got "
                         f"{antialias} and {align_corners}")
    sizes = None if scales is not None else [out_shape[a] for a in _normalise_axes(axes, in_shape)]
    call = _resolve_resize(in_shape, sizes, scales, axes, mode, bool(antialias),
                           None if align_corners == -1 else bool(align_corners))
    if _resized_shape(in_shape, call) != out_shape:
        raise ValueError(f"out_shape {out_shape} is not what resizing axes {tuple(call.axes)} of "
                         f"in_shape {in_shape} gives: {_resized_shape(in_shape, call)}")
    perm = _dense_order(in_shape, in_strides, dtype.itemsize)
    _check_fits(out_shape, dtype.itemsize,
                extra_bytes=_plan_bytes(out_shape, [in_shape[a] for a in call.axes], call))
    if math.prod(out_shape) == 0:
        program = _kernels.Program([], [], [], math.prod(in_shape) * dtype.itemsize, 0)
    else:
        program = _forward_program(in_shape, dtype, out_shape, perm, call)
    return (program, _byte_strides(in_shape, perm, dtype.itemsize),
            _byte_strides(out_shape, perm, dtype.itemsize))


def _dense_order(shape, strides, itemsize):
    """The axis order (outermost first) in which byte `strides` lay `shape` out densely."""
    if strides is None:
        return tuple(range(len(shape)))
    order = tuple(sorted(range(len(shape)), key=lambda a: -strides[a]))
    expected = _byte_strides(shape, order, itemsize)
    if math.prod(shape) and any(n > 1 and s != e for n, s, e in zip(shape, strides, expected)):
        raise ValueError(f"strides {tuple(strides)} do not lay shape {tuple(shape)} out densely "
                         f"(C-contiguous, or its axes in another order): copy the array first")
    return order


def _byte_strides(shape, order, itemsize):
    """The byte strides of `shape` laid out densely with its axes in `order`."""
    step = itemsize
    strides = [0] * len(shape)
    for axis in reversed(order):
        strides[axis] = step
        step *= shape[axis]
    return tuple(strides)


def resize_backward(grad, input_shape, size=None, *, scale_factor=None, axes=None,
                    mode="bilinear", antialias=True, align_corners=None, out=None,
                    num_threads=None):
    """Gradient of ``sum(resize(x, ...) * grad)`` with respect to x: the exact adjoint.

    Parameters
    ----------
    grad : array_like
        float16, float32 or float64, of the shape ``resize`` returns for an input of
        `input_shape` and these arguments.
    input_shape : sequence of int
        x's shape.
    size, scale_factor, axes, mode, antialias, align_corners
        The forward call's arguments.
    out : ndarray, optional
        C-contiguous array of `input_shape` and grad's dtype to write into.
    num_threads : int, optional
        As for ``resize``.

    Returns
    -------
    ndarray
        Of `input_shape` and grad's dtype, C-contiguous. Computed from the transposed
        per-axis plans as gathers (every input sums the outputs that read it in one fixed
        order): deterministic, the same bits for any thread count, and
        ``<resize(x), g> == <x, resize_backward(g)>`` to rounding.

    Examples
    --------
    >>> import numpy as np, resample
    >>> g = np.ones((4, 4, 4))
    >>> float(resample.resize_backward(g, (8, 8, 8), (4, 4, 4), axes=(0, 1, 2)).sum())
    64.0
    """
    g = _as_array(grad, _modes.FLOAT_DTYPES)
    if not isinstance(input_shape, (list, tuple)) or not all(_is_int(v) and v >= 0 for v in input_shape):
        raise TypeError(f"input_shape must be a sequence of non-negative ints, got {input_shape!r}")
    input_shape = tuple(int(v) for v in input_shape)
    call = _resolve_resize(input_shape, size, scale_factor, axes, mode, antialias, align_corners)
    expected = _resized_shape(input_shape, call)
    if g.shape != expected:
        raise ValueError(f"grad has shape {g.shape}, but resize gives shape {expected} for "
                         f"input_shape {input_shape} and these arguments")
    threads = _resolve_threads(num_threads)
    _check_fits(input_shape, g.dtype.itemsize,
                extra_bytes=_plan_bytes(input_shape, [input_shape[a] for a in call.axes], call,
                                        backward=True))
    g = _c_order(g)
    grad_input = _prepare_out(out, input_shape, g, tuple(range(g.ndim)))
    if grad_input.size == 0:
        return grad_input
    if g.size == 0:
        grad_input[...] = 0
        return grad_input
    _run_separable(g, grad_input, tuple(range(g.ndim)),
                   _backward_passes(input_shape, expected, call, g.dtype), threads)
    return grad_input


# ----------------------------------------------------------------------------- blocks
#
# A resize computed block by block (resample.dask): every output block reads the slab of
# input its taps cover and applies the rows of the whole call's plans, so the blocks
# together are the whole call's result, bit for bit, however the arrays are cut.

def plan_resize(shape, dtype, size=None, *, scale_factor=None, axes=None, mode="bilinear",
                antialias=True, align_corners=None):
    """The resolved resize call for an input of `shape` and `dtype` (checked as resize
    checks it, with the same messages), for block_span and resize_block."""
    dtype = np.dtype(dtype)
    if dtype not in _modes.RESIZE_DTYPES:
        raise TypeError(f"input dtype {dtype} is not supported; supported dtypes are "
                        f"{', '.join(map(str, _modes.RESIZE_DTYPES))}")
    call = _resolve_resize(tuple(shape), size, scale_factor, axes, mode, antialias, align_corners)
    call.in_shape, call.dtype = tuple(shape), dtype
    call.out_shape = _resized_shape(shape, call)
    return call


def block_span(call, axis, o0, o1):
    """The inputs [lo, hi) that outputs [o0, o1) of `axis` read (the axis itself where it
    is not resized, or is skipped as unchanged)."""
    if axis not in call.axes:
        return o0, o1
    n_in, n_out = call.in_shape[axis], call.out_shape[axis]
    scale = call.scales[call.axes.index(axis)]
    if call.filter in ("nearest", "nearest-exact"):
        index = _plans.nearest_plan(n_in, n_out, scale, call.filter == "nearest-exact",
                                    call.dtype == np.float64)[o0:o1]
        return int(index.min()), int(index.max()) + 1
    if call.filter == "area":
        starts, ends = _plans.area_windows(n_in, n_out)
        return int(starts[o0:o1].min()), int(ends[o0:o1].max())
    if n_in == n_out and (call.antialias or call.dtype == _UINT8):
        return o0, o1                                 # the axis is skipped
    if call.dtype == _UINT8:
        plan = _uint8_axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners, scale)
    else:
        plan = _axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners, scale,
                          call.dtype == np.float64, call.dtype == np.float16)
    counts = plan.counts[o0:o1]
    used = np.arange(plan.taps.shape[1])[None, :] < counts[:, None]
    taps = plan.taps[o0:o1][used]
    if taps.size == 0:
        return o0, o0
    return int(taps.min()), int(taps.max()) + 1


def resize_block(slab, call, region, num_threads=None):
    """Outputs region[axis] = (o0, o1) of every resized axis, computed from `slab`, the
    input x[..., lo:hi, ...] with (lo, hi) = block_span(call, axis, o0, o1) on each resized
    axis and whole along the others. Bit for bit the same as that block of the whole call."""
    x = _c_order(_as_array(slab, _modes.RESIZE_DTYPES))
    block = copy.copy(call)
    block.lengths, block.region = {}, {}
    out_shape = list(x.shape)
    for axis in call.axes:
        o0, o1 = region[axis]
        lo, hi = block_span(call, axis, o0, o1)
        if x.shape[axis] != hi - lo:
            raise ValueError(f"slab has {x.shape[axis]} samples along axis {axis}; outputs "
                             f"[{o0}, {o1}) read inputs [{lo}, {hi})")
        block.lengths[axis] = (call.in_shape[axis], call.out_shape[axis])
        block.region[axis] = (o0, o1, lo, hi)
        out_shape[axis] = o1 - o0
    out = np.empty(out_shape, x.dtype)
    if out.size:
        _run_forward(x, out, tuple(range(x.ndim)), block, _resolve_threads(num_threads))
    return out


def round_to_dtype(values, dtype, num_threads=None):
    """Float results back to an integer image dtype: round half to even, clamp to its range."""
    info = np.iinfo(dtype)
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    rounded = np.empty(flat.shape, np.int64)
    _kernels.round_to_integers(flat, rounded, int(info.min), int(info.max),
                               _resolve_threads(num_threads))
    return rounded.astype(dtype).reshape(np.shape(values))
