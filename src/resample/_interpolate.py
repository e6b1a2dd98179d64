"""interpolate() and interpolate_backward(): torch.nn.functional.interpolate's argument
rules, in torch's order with torch's exception types and messages (docs/interpolate-spec.md
§1.8), over the engine. No pixel arithmetic happens here."""
import dataclasses
import difflib

import numpy as np

from . import _engine, _modes
from ._arrays import (as_array, check_fits, check_flag, is_int, is_real, memory_layout,
                      prepare_out)
from ._engine import Call, size_from_scale
from ._interop import result_kind, unchanged
from ._runtime import resolve_threads

MODES = _modes.TORCH_MODES
_INT64_MAX = 2**63 - 1



def _normalise_size_and_scale(shape, dim, size, scale_factor):
    """torch's rules: exactly one given; sequences of length dim; scalars repeated."""
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(shape[2:])} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size "
                    "in (o1, o2, ...,oK) format." + _image_hint(shape)
                )
            if not all(is_int(v) for v in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    f"Tuple[int, int, int], but got size with types {[type(v) for v in size]}"
                )
            return [int(v) for v in size], None
        if not is_int(size):
            raise TypeError(f"size must be an int or a sequence of ints, got {type(size).__name__} {size!r}")
        return [int(size)] * dim, None
    if scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(shape[2:])} and scale_factor of "
                    f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and scale_factor in (s1, s2, ...,sK) format." + _image_hint(shape)
                )
            scales = list(scale_factor)
        else:
            scales = [scale_factor] * dim
        bad = [s for s in scales if not is_real(s)]
        if bad:
            raise TypeError(f"scale_factor must hold real numbers, got {bad[0]!r} in {scale_factor!r}")
        return None, [float(s) for s in scales]
    raise ValueError("either size or scale_factor should be defined")


def _size_from_scale_python(n, s):
    # F.interpolate's own recompute: a Python float product truncated (NaN -> ValueError,
    # inf -> OverflowError, exactly as int() raises them)
    try:
        return int(n * s)
    except (ValueError, OverflowError) as exc:
        raise type(exc)(f"{exc} (scale_factor {s} times input size {n})") from None


def _sizes_message(shape, out_size):
    names = ("D", "H", "W")[3 - len(out_size):]
    if len(out_size) == 1:
        return (f"Input and output sizes should be greater than 0, but got input (W: {shape[2]}) "
                f"and output (W: {out_size[0]})")
    got_in = ", ".join(f"{k}: {v}" for k, v in zip(names, shape[2:]))
    got_out = ", ".join(f"{k}: {v}" for k, v in zip(names, out_size))
    return f"Input and output sizes should be greater than 0, but got input ({got_in}) output ({got_out})"


def resolve_call(shape, size, scale_factor, mode, align_corners, recompute_scale_factor,
                  antialias):
    """torch's argument checks, in torch's order (docs §1.8), for an input of `shape`."""
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str such as 'bilinear', got {type(mode).__name__} {mode!r}")
    # flags are bools (torch takes any truthy antialias; "no" meaning True is a trap)
    check_flag("antialias", antialias)
    if align_corners is not None:
        check_flag("align_corners", align_corners)
    # 1. align_corners against the mode (before any rank check, as torch does)
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: "
                "linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    align_corners = bool(align_corners)

    ndim = len(shape)
    dim = ndim - 2
    # 2-4. size / scale_factor presence, length and element types
    out_size, scales = _normalise_size_and_scale(shape, dim, size, scale_factor)
    # 5.
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    # 6. area always works from an integer size
    if mode == "area" and out_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor and scales is not None:
        out_size = [_size_from_scale_python(n, s) for n, s in zip(shape[2:], scales)]
        scales = None
    # 7.
    if antialias and not (_modes.torch_antialias(mode) and ndim == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and "
            "requires a 4-D tensor as input"
        )
    # 8-9. mode against rank
    _check_mode_and_rank(shape, mode, align_corners, antialias)

    if out_size is None:
        out_size = [size_from_scale(n, s) for n, s in zip(shape[2:], scales)]
    if any(not -_INT64_MAX - 1 <= v <= _INT64_MAX for v in out_size):
        # where torch's argument parser fails to unpack the size into int64
        raise TypeError(f"output size {out_size} does not fit in int64")
    if scales is None:
        scales = [0.0] * dim    # "no user scale": kernels use in/out
    _check_sizes(shape, mode, out_size)
    return Call.of(mode, out_size, scales, align_corners, bool(antialias))


def _torch_channels_last_kernel(x, call):
    """Whether torch computes this call with its channels-last bilinear/trilinear kernel
    (docs §3.3), which keeps bfloat16 calls' weights in float32 (§3.9): bilinear on
    channels-last input with more than 3 channels or on an output with out_h + out_w <= 128,
    trilinear on channels-last input with more than 3 channels. (torch also takes it for
    bilinear with 3 channels when it runs on one thread, which resample cannot know.)"""
    if call.antialias or call.mode not in ("bilinear", "trilinear"):
        return False
    channels_last = x.transpose(0, *range(2, x.ndim), 1).flags.c_contiguous
    if channels_last and x.shape[1] > 3:
        return True
    return call.mode == "bilinear" and sum(call.out_size) <= 128


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False, *, out=None, num_threads=None):
    """Resize x of shape ``(N, C, *spatial)`` exactly as torch.nn.functional.interpolate does.

    Parameters
    ----------
    x : array_like
        (N, C, W), (N, C, H, W) or (N, C, D, H, W); uint8, float16, float32 or float64.
        C-contiguous and channels-last memory are read in place (the result keeps the
        layout); other strides are copied once.
    size : int or sequence of int, optional
        Output spatial size; exactly one of `size` and `scale_factor`.
    scale_factor : float or sequence of float, optional
        Output length ``trunc(n * s)`` (double precision); the kernels sample at ``1 / s``
        unless `recompute_scale_factor` is true.
    mode : str
        torch's modes: ``nearest``, ``nearest-exact``, ``linear`` (3-D), ``bilinear`` (4-D),
        ``bicubic`` (4-D), ``trilinear`` (5-D), ``area``, ``lanczos`` (4-D, antialias only).
    align_corners : bool, optional
        For the interpolating modes, as in torch.
    recompute_scale_factor : bool, optional
        As in torch: sample at ``in / out`` instead of ``1 / scale_factor``.
    antialias : bool
        torch's antialias kernels (4-D bilinear, bicubic, lanczos).
    out : ndarray, optional
        Preallocated result of the output's shape, dtype and the input's layout.
    num_threads : int, optional
        None: the OpenMP default capped at the CPUs this process may use; -1: all of
        them. Results never depend on it.

    Returns
    -------
    ndarray or torch.Tensor
        ``(N, C, *size)``, x's dtype and layout. Bit-identical to torch's portable CPU
        kernels (docs/exactness.md, docs/interpolate-spec.md). A torch tensor input gives
        a tensor (sharing the result's memory), as resize does; with `out`, `out`.

    Raises
    ------
    ValueError, TypeError, NotImplementedError, RuntimeError
        torch's exception types, checked in torch's order, for bad arguments.
    MemoryError
        Before allocating, when the output would not fit in this machine's memory.

    Examples
    --------
    >>> import numpy as np, resample
    >>> x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    >>> resample.interpolate(x, size=(2, 2), mode="area")[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]], dtype=float32)
    >>> resample.interpolate(x, scale_factor=2, mode="nearest").shape
    (1, 1, 8, 8)
    """
    result, key = _engine.repeat("interpolate", x, out, (size, scale_factor, mode, align_corners,
                                                          recompute_scale_factor, antialias),
                                 num_threads)
    if result is not None:
        return result
    given = x
    back = result_kind(x) if out is None else unchanged
    x = as_array(x)
    call = resolve_call(x.shape, size, scale_factor, mode, align_corners,
                         recompute_scale_factor, antialias)
    if x.dtype == _modes.BFLOAT16 and _torch_channels_last_kernel(x, call):
        call = dataclasses.replace(call, bfloat16_weights=False)
    threads = resolve_threads(num_threads)

    out_shape = (*x.shape[:2], *call.out_size)
    check_fits(out_shape, x.dtype.itemsize, extra_bytes=_engine.plan_bytes(out_shape, x.shape[2:], call))
    x, perm = memory_layout(x)
    out = prepare_out(out, out_shape, x, perm)
    if out.size:
        _engine.run_forward(x, out, perm, call, threads, remember=key if x is given else None)
    return back(out)


def interpolate_backward(grad_output, input_size, size=None, scale_factor=None, mode="nearest",
                         align_corners=None, recompute_scale_factor=None, antialias=False, *,
                         out=None, num_threads=None):
    """Gradient of ``sum(interpolate(x, ...) * grad_output)`` with respect to x.

    Parameters
    ----------
    grad_output : array_like
        float16, float32 or float64, of the forward output's shape.
    input_size : sequence of int
        x's full shape ``(N, C, *spatial)``.
    size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
        The forward call's arguments.
    out : ndarray, optional
        Preallocated result of `input_size`, grad_output's dtype and layout.
    num_threads : int, optional
        As for ``interpolate``.

    Returns
    -------
    ndarray or torch.Tensor
        Of shape `input_size`, grad_output's dtype and layout (a tensor for a tensor
        grad_output, as ``interpolate`` gives): the exact adjoint of the
        forward, computed as a gather over the transposed per-axis plans (no atomics), so
        deterministic and the same bits for any thread count.

    Raises
    ------
    ValueError, TypeError, NotImplementedError, RuntimeError
        As ``interpolate``; ValueError when grad_output's shape is not the forward's.

    Examples
    --------
    >>> import numpy as np, resample
    >>> g = np.ones((1, 1, 2, 2))
    >>> resample.interpolate_backward(g, (1, 1, 4, 4), size=(2, 2), mode="area")[0, 0]
    array([[0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25],
           [0.25, 0.25, 0.25, 0.25]])
    """
    back = result_kind(grad_output) if out is None else unchanged
    g = as_array(grad_output)
    if not isinstance(input_size, (list, tuple)) or not all(is_int(v) and v >= 0 for v in input_size):
        raise TypeError(f"input_size must be a sequence of non-negative ints, got {input_size!r}")
    input_size = tuple(int(v) for v in input_size)
    call = resolve_call(input_size, size, scale_factor, mode, align_corners,
                         recompute_scale_factor, antialias)
    if g.dtype == np.uint8:
        raise TypeError("uint8 has no backward: integer arrays have no gradient; "
                        "supported dtypes are float16, bfloat16, float32, float64")
    expected = (*input_size[:2], *call.out_size)
    if g.shape != expected:
        raise ValueError(
            f"grad_output has shape {g.shape}, but the forward output for input_size "
            f"{input_size} and these arguments has shape {expected}"
        )
    threads = resolve_threads(num_threads)
    check_fits(input_size, g.dtype.itemsize,
                extra_bytes=_engine.plan_bytes(input_size, input_size[2:], call, backward=True))
    g, perm = memory_layout(g)
    grad_input = prepare_out(out, input_size, g, perm)
    if grad_input.size and not g.size:      # nothing was read: every input has a zero gradient
        grad_input[...] = 0
    elif grad_input.size:
        _engine.run_separable(g, grad_input, perm,
                              _engine.backward_passes(input_size, expected, call, g.dtype), threads)
    return back(grad_input)


def _check_mode_and_rank(shape, mode, align_corners, antialias):
    """torch's mode checks, with torch's exception types; the messages say what is wrong
    in resample's words where torch's would mislead (an unknown mode, an image passed
    channels-last)."""
    nd = len(shape)
    rank = _modes.torch_rank(mode)
    if rank is None:
        close = difflib.get_close_matches(mode.lower(), _modes.TORCH_MODES, n=1, cutoff=0.5)
        raise NotImplementedError(
            f"unknown mode {mode!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; interpolate takes torch's modes: {' | '.join(_modes.TORCH_MODES)}")
    if rank == 0 and nd in (3, 4, 5):
        return
    if mode in ("linear", "bilinear", "trilinear") and nd in (3, 4, 5):
        if nd != rank:
            raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {rank}D input"
                                      + _image_hint(shape))
        return
    if mode == "bicubic" and nd == 4:
        return
    if mode == "lanczos" and nd == 4:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
        return
    raise NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
        "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
        f"(got {mode})" + _image_hint(shape)
    )


def _image_hint(shape):
    """A pointer to resize() when `shape` looks like an (H, W) or (H, W, C) image."""
    if len(shape) == 2 or (len(shape) == 3 and shape[-1] <= 4 < min(shape[0], shape[1])):
        return (f"; input of shape {tuple(shape)} looks like an (H, W) or (H, W, C) image: "
                "interpolate takes (N, C, H, W); resample.resize(image, size) takes images as they are")
    return ""


def _check_sizes(shape, mode, out_size):
    if mode == "area":
        if any(v < 0 for v in out_size):
            raise RuntimeError(
                f"adaptive_avg_pool{len(out_size)}d: elements of output_size must be greater than "
                f"or equal to 0 but received {tuple(out_size)}"
            )
        for axis in range(2, len(shape)):
            if shape[axis] == 0:
                raise RuntimeError(
                    f"adaptive_avg_pool{len(out_size)}d(): Expected input to have non-zero size for "
                    f"non-batch dimensions, but input has sizes {list(shape)} with dimension "
                    f"{axis} being empty"
                )
        return
    if any(v <= 0 for v in (*shape[2:], *out_size)):
        raise RuntimeError(_sizes_message(shape, out_size))
    if shape[1] == 0:
        raise RuntimeError(
            f"Non-empty {len(shape)}D data tensor expected but got a tensor with sizes {list(shape)}"
        )

