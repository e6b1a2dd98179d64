"""resize() and resize_backward(): resize's rules (any axes of an array of any rank, the
image conventions, the shorter-side size, 16-bit integer dtypes, every filter on every
axis) over the engine, through the same per-axis plans and kernels as interpolate. No
pixel arithmetic happens here."""
import dataclasses
import math

import numpy as np

from . import _colour, _engine, _modes, _nan, _spline
from ._arrays import (as_array, c_order, check_dtype, check_fits, check_flag, is_int, is_real,
                      prepare_out)
from ._engine import Call, for_input, resized_shape, size_from_scale
from ._interop import as_image_array, is_pil_image, unchanged
from ._runtime import resolve_threads

IMAGE_MODES = tuple(_modes.BY_NAME)       # every name resize takes (the CLI's choices)
_IMAGE_AXES = {2: (0, 1), 3: (0, 1), 4: (1, 2)}     # (H, W), (H, W, C), (N, H, W, C)
_MOST_CHANNELS = 4      # under the image convention, the channel axis is at most this long


def normalise_axes(axes, shape):
    """The resized axes as non-negative ints, in the order given."""
    ndim = len(shape)
    if axes is None:
        return _image_axes(tuple(shape))
    if is_int(axes):
        axes = (axes,)
    if not isinstance(axes, (tuple, list)) or not axes or not all(is_int(a) for a in axes):
        raise TypeError(f"axes must be an int or a non-empty sequence of ints, got {axes!r}")
    normal = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axes {tuple(axes)} has axis {a}, out of range for an array of rank {ndim}")
        normal.append(int(a) % ndim)
    if len(set(normal)) != len(normal):
        raise ValueError(f"axes {tuple(axes)} names an axis twice")
    return normal


def _image_axes(shape):
    """The resized axes of an image under axes=None: (H, W), or (H, W, C) and (N, H, W, C)
    with at most _MOST_CHANNELS channels. Anything else is refused naming the axes= to
    pass, never guessed: a last axis longer than that is not channels, so the array is
    channels-first (N, C, H, W) / (C, H, W), a volume, or a many-band image."""
    ndim = len(shape)
    if ndim not in _IMAGE_AXES:
        raise ValueError(
            f"axes=None means an image, (H, W), (H, W, C) or (N, H, W, C); for an array of "
            f"shape {shape} say which axes to resize, e.g. axes={tuple(range(ndim))[:3]}")
    spatial = _IMAGE_AXES[ndim]
    if ndim == 2 or shape[-1] <= _MOST_CHANNELS:
        return list(spatial)
    last_two = (ndim - 2, ndim - 1)
    layout, first = ("(H, W, C)", "(C, H, W)") if ndim == 3 else ("(N, H, W, C)", "(N, C, H, W)")
    order = (1, 2, 0) if ndim == 3 else (0, 2, 3, 1)
    if shape[ndim - 3] <= _MOST_CHANNELS:
        raise ValueError(
            f"an array of shape {shape} looks channels-first {first}; resize takes images "
            f"channels-last {layout}: pass axes={last_two} to resize its last two axes as they "
            f"are, or move the channels last (NumPy: x.transpose{order}, torch: x.permute{order})")
    raise ValueError(
        f"axes=None means an image {layout} with at most {_MOST_CHANNELS} channels; an array "
        f"of shape {shape} has {shape[-1]} along its last axis: say which axes to resize, "
        f"axes={spatial} (channels last) or axes={last_two} (channels first)")


def _pillow_order(size, scale_factor, axes):
    """A PIL image's (width, height) size and (x, y) scales in resize's (H, W) order: a PIL
    image takes them as Pillow's Image.resize and .size do, so resize(im, im.size) keeps
    its size. Its axes are its own (axes must be None)."""
    if axes is not None:
        raise TypeError("a PIL image is resized along its width and height: leave axes=None")

    def swapped(v):
        return type(v)(reversed(v)) if isinstance(v, (tuple, list)) and len(v) == 2 else v

    return swapped(size), swapped(scale_factor)


def _output_sizes(lengths, size, scale_factor):
    """(output sizes, user scales) of the resized axes, in the order of `lengths`."""
    if (size is None) == (scale_factor is None):
        raise ValueError("give exactly one of size and scale_factor")
    if any(n == 0 for n in lengths):
        raise ValueError(f"cannot resize an empty axis of the input: the resized axes have lengths {list(lengths)}")
    if size is not None:
        if isinstance(size, np.ndarray) and size.ndim <= 1:
            size = size.tolist() if size.ndim else size.item()     # its ints, as a sequence
        if is_int(size):
            return _shorter_side(lengths, int(size)), [0.0] * len(lengths)
        if is_real(size):
            raise TypeError(f"size must be an int (the shortest resized axis) or one int per "
                            f"resized axis, got {size!r}: to scale by {size!r}, pass "
                            f"scale_factor={size!r}")
        if not isinstance(size, (tuple, list)) or not all(is_int(v) for v in size):
            raise TypeError(f"size must be an int (the shortest resized axis) or one int per "
                            f"resized axis, got {size!r}")
        if len(size) != len(lengths):
            raise ValueError(f"size {tuple(size)} has {len(size)} entries for {len(lengths)} resized axes")
        if any(not 1 <= v < 2**63 for v in size):
            raise ValueError(f"size must hold positive int64 values, got {tuple(size)}")
        return [int(v) for v in size], [0.0] * len(lengths)
    scales = list(scale_factor) if isinstance(scale_factor, (tuple, list)) else [scale_factor] * len(lengths)
    if len(scales) != len(lengths) or not all(is_real(s) for s in scales):
        raise TypeError(f"scale_factor must be a number or one number per resized axis "
                        f"({len(lengths)}), got {scale_factor!r}")
    if not all(math.isfinite(s) and s > 0 for s in scales):
        raise ValueError(f"scale_factor must be positive and finite, got {scale_factor!r}")
    sizes = [size_from_scale(n, float(s)) for n, s in zip(lengths, scales)]
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



def resolve_resize(shape, size, scale_factor, axes, mode, antialias, align_corners):
    """A validated resize call (an _engine.Call over the resized axes)."""
    m = _modes.resize_mode(mode)
    check_flag("antialias", antialias)
    if align_corners is not None:
        check_flag("align_corners", align_corners)
        if not m.align_corners:
            raise ValueError(f"align_corners is for the modes linear and cubic, not {mode}")
    if m.antialias_only and not antialias:
        raise ValueError(f"{m.name} is always antialiased: antialias=False is not available for it")
    axes = normalise_axes(axes, shape)
    sizes, scales = _output_sizes([shape[a] for a in axes], size, scale_factor)
    order = sorted(range(len(axes)), key=lambda i: axes[i])
    call = Call.of(m.name, [sizes[i] for i in order], [scales[i] for i in order],
                   bool(align_corners), bool(antialias) and m.antialias,
                   axes=[axes[i] for i in order], filter=m.filter)
    # bfloat16 resizes compute in float32 and round once, weights included (docs §13)
    return dataclasses.replace(call, bfloat16_weights=False)


def resize(x, size=None, *, scale_factor=None, axes=None, mode="bilinear", antialias=True,
           align_corners=None, alpha=None, gamma=None, out=None, num_threads=None, order=None,
           boundary=None, cval=0.0, nan=None):
    """Resize the chosen axes of an array of any rank.

    Parameters
    ----------
    x : array_like, PIL.Image.Image or torch.Tensor
        uint8, uint16, int16, float16, float32 or float64, any rank. Axes not in `axes`
        (channels, batch, time) are carried through untouched. A PIL image comes back as
        a PIL image of its mode (1-bit as L, palette as RGB/RGBA, 32-bit 'I' computed in
        float64 and rounded half to even) keeping its info (EXIF, ICC profile, DPI), and
        takes `size` and `scale_factor` in Pillow's (width, height) order, as
        ``Image.resize`` and ``Image.size`` do; a CPU torch tensor comes back as a tensor
        (sharing the result's memory); lists of numbers compute in float64. int32, int64,
        wide unsigned and bool arrays are refused with a hint (no rule would be right for
        every use).
    size : int or sequence of int, optional
        One int per resized axis (in the order of `axes`; (width, height) for a PIL
        image), or one int for the shortest
        resized axis with the others keeping their ratio to it (rounded to the nearest
        int). Exactly one of `size` and `scale_factor`.
    scale_factor : float or sequence of float, optional
        Per resized axis: the output length is ``floor(n * s)`` and the filters sample at
        ``1 / s`` (torch's rule).
    axes : int or sequence of int, optional
        The axes to resize, any number of them. None is the image convention: ``(H, W)``,
        ``(H, W, C)`` or ``(N, H, W, C)`` with at most 4 channels; anything else (a
        channels-first image or batch, a last axis longer than 4) is refused naming the
        ``axes=`` to pass, never guessed.
    mode : str
        ``nearest``, ``nearest-exact``, ``linear`` (also ``bilinear``, ``trilinear``),
        ``cubic`` (also ``bicubic``; Keys a = -0.75), ``lanczos`` (a = 3), ``area``,
        ``spline`` (B-splines of `order`, SciPy's prefilter and weights), ``label`` (label
        maps: every label's indicator resized with B-splines of `order`, the largest score
        wins, batchgenerators' rule) or ``majority`` (label maps shrunk by vote: each
        output the most frequent label of its area window, the lowest among ties);
        docs/guide/science.md. ``label`` and ``majority`` take every integer dtype, bool,
        float32 and float64.
    antialias : bool
        For linear, cubic and lanczos: every resized axis uses torch's antialias filter
        (widened by the shrink factor when shrinking; cubic a = -0.5), as torch's 2-D
        antialias kernels do. Unchanged axes are skipped. Nearest and area ignore it;
        lanczos is always antialiased.
    align_corners : bool, optional
        For linear and cubic, as in torch.
    alpha : bool, optional
        True: the last axis holds each pixel's channels, alpha last (straight, not
        premultiplied), and the colours are resized premultiplied (weighted by alpha) and
        divided by the resized alpha after; where that alpha is 0 the colour is 0
        (black). None: True for PIL images of mode RGBA, LA and PA (and P with a
        transparency), False otherwise (an array cannot say; RGBa and La images are
        already premultiplied and are resized as they are).
    gamma : {None, 'srgb'}
        'srgb': decode the samples with sRGB's exact curve (IEC 61966-2-1), resize in
        linear light, encode back (never the alpha channel). uint8 and uint16 decode
        through a table of every code and encode exactly (round half to even); floats
        meet the curve itself (odd-symmetric below 0). None keeps the samples as they are.
        With either option uint8 and uint16 compute in float32 (float64 for float64).
        See docs/guide/colour.md.
    out : ndarray, optional
        C-contiguous array of the result's shape and dtype to write into.
    num_threads : int, optional
        None: the OpenMP default; -1: every CPU; results never depend on it.
    order : int, optional
        For ``spline``: the B-spline order, 0..5 (default 3); for ``label``: the
        indicators' order (default 1; 0 takes the nearest label).
    boundary : str, optional
        What is read past the edges, by SciPy's names. For ``spline``: ``reflect`` (the
        default; also ``grid-mirror``), ``mirror``, ``nearest``, ``grid-constant``,
        ``constant``, ``wrap`` or ``grid-wrap``, as ``scipy.ndimage.zoom``. For linear,
        cubic and lanczos (antialiased or not): None (the default) is torch's rule
        (coordinates and windows clamped to the axis, antialias windows cut and
        renormalised); ``reflect``/``grid-mirror`` (d c b a | a b c d | d c b a),
        ``mirror`` (d c b | a b c d | c b a), ``nearest`` (a a a | a b c d | d d d),
        ``grid-wrap`` (a b c d | a b c d | a b c d) or ``grid-constant`` (cval past the
        edges) extend the input and every filter tap reads the extension, the whole
        window always used. ``constant`` and ``wrap``, whose SciPy meaning is spline
        interpolation's, are refused there with the grid- name to pass. Nearest and area
        read nothing past the edges: every rule gives the same result.
        docs/guide/science.md.
    cval : float
        With ``constant`` and ``grid-constant``: the value past the edges (for integer
        dtypes a value of the dtype; spline mode casts it as SciPy does).
    nan : str, optional
        ``ignore``: NaN marks missing samples (float32 and float64, the weighted modes):
        each output is ``sum(w * x) / sum(w)`` over the valid samples it reads, NaN where
        none is. None or ``propagate``: NaN spreads as arithmetic spreads it.

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
    result, key = _engine.repeat("resize", x, out, (size, scale_factor, axes, mode, antialias,
                                                     align_corners, alpha, gamma, order, boundary,
                                                     cval, nan), num_threads)
    if result is not None:
        return result
    given = x
    if is_pil_image(x):
        size, scale_factor = _pillow_order(size, scale_factor, axes)
    x, back = as_image_array(x)
    x = as_array(x, _LABEL_DTYPES if _is_label_mode(mode) else _modes.RESIZE_DTYPES, hints=True)
    if back is not unchanged and out is not None:
        raise TypeError("out= takes NumPy arrays only; it cannot be used with a PIL image or a tensor")
    call = resolve_resize(x.shape, size, scale_factor, axes, mode, antialias, align_corners)
    call, fill = filter_boundary(call, x.shape, x.dtype, boundary, cval)
    alpha, gamma = _colour.resolve(given, x, call, alpha, gamma)
    # the spline and label modes and nan="ignore" run their own kernels (None: the program's)
    own = _spline.resize_spline(call, x, order, boundary, cval), _nan.resize_ignoring_nan(call, x, nan)
    own = own[0] or own[1]
    if own and (alpha or gamma):
        raise ValueError("alpha= and gamma= go with the filters of the resize program; "
                         "modes 'spline', 'label' and 'majority', and nan='ignore', take neither (a PIL "
                         "image with alpha: pass alpha=False to resize its bands as they are)")
    threads = resolve_threads(num_threads)
    out_shape = resized_shape(x.shape, call)
    check_fits(out_shape, x.dtype.itemsize,
                extra_bytes=_engine.plan_bytes(out_shape, [x.shape[a] for a in call.axes], call)
                + (x.nbytes if call.padded else 0))       # (the constant rule's padded copy)
    x = c_order(x)
    out = prepare_out(out, out_shape, x, tuple(range(x.ndim)))
    x = _engine.constant_input(x, call, fill)
    if out.size and own:
        own(c_order(x), out, threads)
    elif out.size and (alpha or gamma):
        _colour.resize(x, out, call, threads, alpha, gamma)
    elif out.size:
        _engine.run_forward(x, out, tuple(range(x.ndim)), call, threads,
                     remember=key if x is given else None)
    return back(out)



# the boundary rules of the separable filters: SciPy's names whose meaning its
# interpolation (zoom) and its filters share; "constant" and "wrap" are zoom's alone
_INTERPOLATION_ONLY = ("constant", "wrap")
FILTER_BOUNDARIES = tuple(b for b in _modes.SCIPY_BOUNDARY if b not in _INTERPOLATION_ONLY)


# label maps come in every integer type (segment ids are often int32, int64 or uint64)
_LABEL_DTYPES = _spline.DTYPES


def _is_label_mode(mode):
    """Whether mode names a label-map mode (which takes every integer dtype and bool)."""
    found = _modes.BY_NAME.get(mode) if isinstance(mode, str) else None
    return found is not None and found.filter in ("label", "majority")


def filter_boundary(call, shape, dtype, boundary, cval):
    """(call with its boundary rule, the constant of dtype the constant rule appends) for
    the separable filters' boundary= and cval= (the spline and label modes read their own);
    ValueError or TypeError naming the argument."""
    if call.filter in _modes.OWN_KERNELS:
        return call, None
    rule = None
    if isinstance(boundary, str) and boundary in _INTERPOLATION_ONLY:
        # SciPy's interpolation reads these two differently from its filters: refused
        # rather than given a meaning a SciPy user would not expect
        raise ValueError(f"boundary={boundary!r} is SciPy's rule for spline interpolation "
                         f"(mode='spline'); for mode {call.mode!r}, whose taps read past the "
                         f"edges, pass boundary='grid-{boundary}'")
    if boundary is not None:
        rule = _modes.SCIPY_BOUNDARY.get(boundary) if isinstance(boundary, str) else None
        if rule is None:
            raise ValueError(f"boundary must be None (torch's edges) or one of "
                             f"{', '.join(FILTER_BOUNDARIES)}, got {boundary!r}")
    constant = rule is not None and rule.filter_code == _engine.CONSTANT
    _spline.check_cval(cval)
    if cval != 0 and not constant:
        raise ValueError("cval= is the value past the edges of boundary='grid-constant'; "
                         "pass that too")
    call = _engine.with_boundary(call, shape, -1 if rule is None else rule.filter_code)
    return call, constant_of(cval, dtype) if constant else None


def constant_of(cval, dtype):
    """cval in `dtype` (floats rounded to it); ValueError where an integer dtype has no
    such value."""
    fill = np.array(cval).astype(dtype)
    if np.dtype(dtype).kind in "ui" and fill != cval:
        raise ValueError(f"cval={cval!r} is not a {np.dtype(dtype)} value, as the constant "
                         f"past the edges of a {np.dtype(dtype)} array must be")
    return fill


def resize_backward(grad, input_shape, size=None, *, scale_factor=None, axes=None,
                    mode="bilinear", antialias=True, align_corners=None, boundary=None,
                    out=None, num_threads=None):
    """Gradient of ``sum(resize(x, ...) * grad)`` with respect to x: the exact adjoint.

    Parameters
    ----------
    grad : array_like
        float16, float32 or float64, of the shape ``resize`` returns for an input of
        `input_shape` and these arguments.
    input_shape : sequence of int
        x's shape.
    size, scale_factor, axes, mode, antialias, align_corners, boundary
        The forward call's arguments (a constant boundary's cval adds nothing to the
        gradient).
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
    g = as_array(grad, _modes.FLOAT_DTYPES)
    if not isinstance(input_shape, (list, tuple)) or not all(is_int(v) and v >= 0 for v in input_shape):
        raise TypeError(f"input_shape must be a sequence of non-negative ints, got {input_shape!r}")
    input_shape = tuple(int(v) for v in input_shape)
    call = resolve_resize(input_shape, size, scale_factor, axes, mode, antialias, align_corners)
    _spline.refuse(call, "resize_backward")
    call, _ = filter_boundary(call, input_shape, g.dtype, boundary, 0.0)
    expected = resized_shape(input_shape, call)
    if g.shape != expected:
        raise ValueError(f"grad has shape {g.shape}, but resize gives shape {expected} for "
                         f"input_shape {input_shape} and these arguments")
    threads = resolve_threads(num_threads)
    check_fits(input_shape, g.dtype.itemsize,
                extra_bytes=_engine.plan_bytes(input_shape, [input_shape[a] for a in call.axes], call,
                                        backward=True))
    g = c_order(g)
    grad_input = prepare_out(out, input_shape, g, tuple(range(g.ndim)))
    if grad_input.size == 0:
        return grad_input
    if g.size == 0:
        grad_input[...] = 0
        return grad_input
    # the constant rule: the gradient of the input with its constant samples, which are cut
    padded = _engine.padded_shape(input_shape, call)
    whole = grad_input if padded == input_shape else np.empty(padded, g.dtype)
    _engine.run_separable(g, whole, tuple(range(g.ndim)),
                   _engine.backward_passes(whole.shape, expected, call, g.dtype), threads)
    if whole is not grad_input:
        grad_input[...] = whole[tuple(slice(0, n) for n in input_shape)]
    return grad_input



def resize_call(shape, dtype, size=None, *, scale_factor=None, axes=None, mode="bilinear",
                antialias=True, align_corners=None, boundary=None, cval=0.0, order=None, nan=None):
    """(call, own): the resolved resize call for an input of `shape` and `dtype` (checked as
    resize checks it, with the same messages), as _engine.block_span and resize_block take
    it: for the input with the constant rule's samples appended (_engine.padded_shape; the
    constant is constant_of(cval, dtype)), where the call has any; own: what computes it in
    place of the resize program (the spline, label and majority modes' OwnKernel, or
    nan='ignore''s run), else None."""
    dtype = np.dtype(dtype)
    check_dtype(dtype, _LABEL_DTYPES if _is_label_mode(mode) else _modes.RESIZE_DTYPES, hints=True)
    call = resolve_resize(tuple(shape), size, scale_factor, axes, mode, antialias, align_corners)
    call, _ = filter_boundary(call, tuple(shape), dtype, boundary, cval)
    probe = np.broadcast_to(np.empty((), dtype), tuple(shape))      # shape and dtype, no memory
    own = _spline.resize_spline(call, probe, order, boundary, cval), _nan.resize_ignoring_nan(call, probe, nan)
    return for_input(call, _engine.padded_shape(shape, call), dtype), own[0] or own[1]
