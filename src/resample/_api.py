"""Argument handling for interpolate: torch's checks in torch's order, output sizes,
kernel scales, dtype and layout dispatch. No pixel arithmetic happens here."""
import difflib
import functools
import math
import numbers
import os
import threading

import numpy as np

from . import _modes, _plans
from ._runtime import SIMD_VARIANT, _is_int, resolve_threads as _resolve_threads
from ._runtime import kernels as _kernels

MODES = _modes.TORCH_MODES
_UINT8 = np.dtype(np.uint8)
_NEAREST = ("nearest", "nearest-exact")      # filters that copy samples
_INT64_MAX = 2**63 - 1


# ----------------------------------------------------------------------------- input

def _native_order(x):
    """x in native byte order: other-endian data (from files, network order) is copied,
    with the same values."""
    if x.dtype.isnative:
        return x
    _check_fits(x.shape, x.dtype.itemsize, "a native byte order copy of the input")
    return x.astype(x.dtype.newbyteorder("="))


def _as_array(x, dtypes=_modes.TORCH_DTYPES):
    """x as an ndarray of one of `dtypes` in native byte order (converted if need be)."""
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError("masked arrays are not supported (the mask would be lost): pass "
                        "x.filled(value) or x.data")
    if not isinstance(x, np.ndarray) and hasattr(x, "__dlpack__"):
        x = _from_dlpack(x)
    if not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"input must be a NumPy array or convertible to one, got {type(x).__name__}: {exc}") from None
    x = _native_order(x)
    if x.dtype not in dtypes:
        raise TypeError(
            f"input dtype {x.dtype} is not supported; supported dtypes are "
            f"{', '.join(map(str, dtypes))}"
        )
    return x


_DLPACK_DEVICES = {1: "CPU", 2: "CUDA", 3: "CUDA host", 4: "OpenCL", 7: "Vulkan", 8: "Metal",
                   9: "VPI", 10: "ROCm", 13: "CUDA managed", 14: "oneAPI"}


def _from_dlpack(x):
    """A NumPy view of an object exporting DLPack (a torch CPU tensor, a JAX CPU array):
    no copy; anything not in CPU memory is refused, naming its device."""
    device = x.__dlpack_device__()[0] if hasattr(x, "__dlpack_device__") else 1
    if device != 1:
        raise TypeError(f"input {type(x).__name__} lives on {_DLPACK_DEVICES.get(device, device)} "
                        "memory; resample runs on the CPU: copy it to the CPU first")
    try:
        return np.from_dlpack(x)
    except (TypeError, RuntimeError, BufferError) as exc:
        raise TypeError(f"input {type(x).__name__} cannot be read through DLPack ({exc}); for a "
                        "torch tensor that requires grad, pass tensor.detach() or use "
                        "resample.torch.interpolate") from None


def _memory_layout(x):
    """(array, perm): array.transpose(perm) is C-contiguous and aligned. C order and
    channels-last (NHWC / NDHWC memory behind an NCHW-shaped view) are used in place;
    anything else (other strides, broadcast views, misaligned buffers) is copied once."""
    identity = tuple(range(x.ndim))
    if x.flags.aligned:
        if x.flags.c_contiguous:
            return x, identity
        if x.ndim in (4, 5):
            channels_last = (0, *range(2, x.ndim), 1)
            if x.transpose(channels_last).flags.c_contiguous:
                return x, channels_last
    _check_fits(x.shape, x.dtype.itemsize, "a contiguous copy of the input")
    return np.array(x, order="C"), identity


# ----------------------------------------------------------------------------- sizes

def _is_int(v):
    return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))


def _is_real(v):
    return isinstance(v, (numbers.Real, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


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
            if not all(_is_int(v) for v in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    f"Tuple[int, int, int], but got size with types {[type(v) for v in size]}"
                )
            return [int(v) for v in size], None
        if not _is_int(size):
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
        bad = [s for s in scales if not _is_real(s)]
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


def _size_from_scale_kernel(n, s):
    # the aten .vec overload: trunc(double(in) * s) into an int64
    v = float(n) * s
    if not math.isfinite(v) or not -(2.0**63) <= v < 2.0**63:
        raise RuntimeError(
            f"value cannot be converted to type int64_t without overflow: "
            f"input size {n} times scale_factor {s} is {v}"
        )
    return int(v)


def _sizes_message(shape, out_size):
    names = ("D", "H", "W")[3 - len(out_size):]
    if len(out_size) == 1:
        return (f"Input and output sizes should be greater than 0, but got input (W: {shape[2]}) "
                f"and output (W: {out_size[0]})")
    got_in = ", ".join(f"{k}: {v}" for k, v in zip(names, shape[2:]))
    got_out = ", ".join(f"{k}: {v}" for k, v in zip(names, out_size))
    return f"Input and output sizes should be greater than 0, but got input ({got_in}) output ({got_out})"


def _physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return 2**47


_PHYSICAL_MEMORY = _physical_memory()


def _check_fits(shape, itemsize, what="output", extra_bytes=0):
    """Refuse, before allocating anything, an array that cannot fit in memory."""
    nbytes = math.prod(shape) * itemsize + extra_bytes
    if nbytes > _PHYSICAL_MEMORY:
        raise MemoryError(
            f"{what} of shape {tuple(shape)} needs {nbytes / 2**30:.1f} GiB, more than this "
            f"machine's {_PHYSICAL_MEMORY / 2**30:.1f} GiB of memory"
        )


# ----------------------------------------------------------------------------- entry

class _Call:
    """A validated call: the resized axes with their output sizes and user scales (0.0:
    none), the per-axis filter (_modes) and the flags."""

    def __init__(self, mode, out_size, scales, align_corners, antialias, axes=None, filter=None):
        self.mode = mode
        self.filter = filter or _modes.BY_TORCH_NAME[mode].filter
        self.out_size = out_size
        self.scales = scales
        self.align_corners = align_corners
        self.antialias = antialias
        self.axes = list(range(2, 2 + len(out_size))) if axes is None else list(axes)
        # a block of a larger call (resize_block): axis -> the whole call's (n_in, n_out)
        # and the block's outputs [o0, o1) read from the slab of inputs [lo, hi)
        self.lengths, self.region = {}, {}

    def key(self):
        """Everything about the call that its kernels depend on (hashable)."""
        return (self.mode, self.filter, tuple(self.out_size), tuple(self.scales),
                self.align_corners, self.antialias, tuple(self.axes),
                tuple(sorted(self.lengths.items())), tuple(sorted(self.region.items())))


def _resolve_call(shape, size, scale_factor, mode, align_corners, recompute_scale_factor,
                  antialias):
    """torch's argument checks, in torch's order (docs §1.8), for an input of `shape`."""
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str such as 'bilinear', got {type(mode).__name__} {mode!r}")
    # flags are bools (torch takes any truthy antialias; "no" meaning True is a trap)
    _check_flag("antialias", antialias)
    if align_corners is not None:
        _check_flag("align_corners", align_corners)
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
        out_size = [_size_from_scale_kernel(n, s) for n, s in zip(shape[2:], scales)]
    if any(not -_INT64_MAX - 1 <= v <= _INT64_MAX for v in out_size):
        # where torch's argument parser fails to unpack the size into int64
        raise TypeError(f"output size {out_size} does not fit in int64")
    if scales is None:
        scales = [0.0] * dim    # "no user scale": kernels use in/out
    _check_sizes(shape, mode, out_size)
    return _Call(mode, out_size, scales, align_corners, bool(antialias))


def _check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False, *, out=None, num_threads=None):
    """Resize x of shape (N, C, *spatial) exactly as torch.nn.functional.interpolate does.

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
    ndarray
        (N, C, *size), x's dtype and layout. Bit-identical to torch's portable CPU
        kernels (README, Exactness; docs/interpolate-spec.md).

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
    key = _call_key("interpolate", x, out, (size, scale_factor, mode, align_corners,
                                            recompute_scale_factor, antialias))
    known = _KNOWN_CALLS.get(key) if key is not None else None
    if known is not None:
        return known.run(x, _resolve_threads(num_threads))
    given = x
    x = _as_array(x)
    call = _resolve_call(x.shape, size, scale_factor, mode, align_corners,
                         recompute_scale_factor, antialias)
    threads = _resolve_threads(num_threads)

    out_shape = (*x.shape[:2], *call.out_size)
    _check_fits(out_shape, x.dtype.itemsize, extra_bytes=_plan_bytes(out_shape, x.shape[2:], call))
    x, perm = _memory_layout(x)
    out = _prepare_out(out, out_shape, x, perm)
    if out.size == 0:
        return out
    _run_forward(x, out, perm, call, threads, remember=key if x is given else None)
    return out


def _run_forward(x, out, perm, call, threads, remember=None):
    """The forward call's kernels, on x whose transpose(perm) is C-contiguous; remember: the
    _call_key under which a repeat of this call may skip straight to the kernels."""
    program = _forward_program(x.shape, x.dtype, out.shape, perm, call)
    program.run(_flat(x, perm), _flat(out, perm), threads)
    if remember is not None:
        if len(_KNOWN_CALLS) >= _KNOWN_CALLS_KEPT:
            _KNOWN_CALLS.pop(next(iter(_KNOWN_CALLS), None), None)      # the oldest
        _KNOWN_CALLS[remember] = _KnownCall(program, out, perm)


# Repeated calls: the same function, input shape, strides and dtype, and arguments of the
# same values and types, resolve to the same program and output layout. A repeat (a NumPy
# input read in place, no out=) skips the argument checks and runs the kernels.
_KNOWN_CALLS = {}
_KNOWN_CALLS_KEPT = 256


_PLAIN = frozenset((type(None), int, float, bool, str))


def _call_key(function, x, out, arguments):
    """The _KNOWN_CALLS key of a call, or None when it is not remembered (out=, input
    other than an aligned NumPy array, arguments other than None, numbers, strings and
    tuples or lists of numbers). Values and their types are both in it: 2, 2.0 and True
    are different calls; so is the kernel build (tests switch it)."""
    if out is not None or type(x) is not np.ndarray or not x.flags.aligned:
        return None
    values, kinds = [], []
    for v in arguments:
        kind = type(v)
        if kind in _PLAIN:
            values.append(v)
            kinds.append(kind)
        elif kind is tuple or kind is list:
            inner = tuple(map(type, v))
            if not _PLAIN.issuperset(inner):
                return None
            values.append(tuple(v))
            kinds.append((kind, inner))
        else:
            return None
    return function, x.shape, x.strides, x.dtype, tuple(values), tuple(kinds), _kernels


class _KnownCall:
    """A resolved call: its program and its output's memory layout."""

    def __init__(self, program, out, perm):
        self.program, self.perm = program, perm
        self.memory_shape = tuple(out.shape[p] for p in perm)
        self.inverse = tuple(perm.index(axis) for axis in range(len(perm)))
        self.in_place = perm == tuple(range(len(perm)))

    def run(self, x, threads):
        out = _new_output(self.memory_shape, x.dtype)
        if self.in_place:
            self.program.run(x, out, threads)
            return out
        self.program.run(x.transpose(self.perm).reshape(-1), out.reshape(-1), threads)
        return out.transpose(self.inverse)


# Large outputs reuse memory. A new array of 32 MiB or more is a fresh mapping from the OS
# (glibc maps every block that size; smaller ones come back from its heap), and the OS
# zeroes every page on first write: a third of an enlargement's time. So an output that
# large is a view of a block (its .base, a _Recycled) that returns to _RECYCLED when the
# output and every view of it are gone, and the next output of about that size takes it:
# a loop over frames or volumes stops paying for page faults. At most _RECYCLED_KEPT
# blocks and RESAMPLE_RECYCLE_MB (default 512; 0 turns this off) are held.
_RECYCLE_FROM = 32 << 20
_ALIGN = 64            # such outputs start on a cache line (whole-line streamed stores)
_RECYCLED_KEPT = 2
_RECYCLED = []
_RECYCLED_LOCK = threading.Lock()


def _recycle_limit():
    try:
        return max(0, int(os.environ.get("RESAMPLE_RECYCLE_MB", "512"))) << 20
    except ValueError:
        return 512 << 20


_RECYCLE_LIMIT = _recycle_limit()


class _Recycled:
    """The owner of a large output's memory (see _RECYCLED)."""
    __slots__ = ("memory", "__array_interface__")

    def __init__(self, memory, shape, dtype):
        self.memory = memory
        start = memory.ctypes.data
        self.__array_interface__ = {"shape": shape, "typestr": dtype.str, "version": 3,
                                    "data": (start + -start % _ALIGN, False)}

    def __del__(self):
        # never waits: a block freed while the pool is busy (this very thread, inside
        # _new_output, included) is simply freed
        if _RECYCLED_LOCK is None or not _RECYCLED_LOCK.acquire(blocking=False):
            return
        try:
            if self.memory.nbytes + sum(m.nbytes for m in _RECYCLED) <= _RECYCLE_LIMIT:
                _RECYCLED.append(self.memory)
                if len(_RECYCLED) > _RECYCLED_KEPT:
                    del _RECYCLED[0]          # the oldest
        finally:
            _RECYCLED_LOCK.release()


def _new_output(memory_shape, dtype):
    """An uninitialised C-contiguous array for a call's result: np.empty, or for 32 MiB and
    more a block given back by an earlier output (between its size and 5/4 of it), its
    start aligned to _ALIGN bytes."""
    dtype = np.dtype(dtype)
    size = math.prod(memory_shape) * dtype.itemsize
    if size < _RECYCLE_FROM or size > _RECYCLE_LIMIT:
        return np.empty(memory_shape, dtype)
    size += _ALIGN
    with _RECYCLED_LOCK:
        fits = [i for i, m in enumerate(_RECYCLED) if size <= m.nbytes <= size + size // 4]
        memory = _RECYCLED.pop(fits[0]) if fits else None
    if memory is None:
        memory = np.empty(size, np.uint8)
    return np.asarray(_Recycled(memory, tuple(memory_shape), dtype))


_PROGRAMS = {}           # recent calls' programs (immutable, shared by threads)
_PROGRAMS_KEPT = 64


def _forward_program(in_shape, dtype, out_shape, perm, call):
    """The forward call's kernels prepared (a _kernels.Program) for an input of in_shape and
    dtype whose memory is C-contiguous in the axis order perm; the output has that layout.
    The last _PROGRAMS_KEPT are kept, so a repeated call prepares nothing."""
    key = (tuple(in_shape), np.dtype(dtype).str, tuple(out_shape), tuple(perm), call.key(), _kernels)
    program = _PROGRAMS.get(key)
    if program is None:
        program = _new_forward_program(in_shape, dtype, out_shape, perm, call)
        if len(_PROGRAMS) >= _PROGRAMS_KEPT:
            _PROGRAMS.pop(next(iter(_PROGRAMS), None), None)      # the oldest
        _PROGRAMS[key] = program
    return program


def _new_forward_program(in_shape, dtype, out_shape, perm, call):
    steps = _Steps(in_shape, out_shape, dtype)
    if call.filter in _NEAREST:
        _nearest_steps(steps, in_shape, out_shape, dtype, perm, call)
    elif call.filter == "area":
        _area_steps(steps, in_shape, out_shape, dtype, perm, call)
    elif dtype == _UINT8:
        _separable_steps(steps, in_shape, dtype, perm, _uint8_passes(in_shape, out_shape, call))
    else:
        _separable_steps(steps, in_shape, dtype, perm,
                         _forward_passes(in_shape, out_shape, call, dtype))
    return steps.program()


def interpolate_backward(grad_output, input_size, size=None, scale_factor=None, mode="nearest",
                         align_corners=None, recompute_scale_factor=None, antialias=False, *,
                         out=None, num_threads=None):
    """Gradient of ``sum(interpolate(x, ...) * grad_output)`` with respect to x.

    Parameters
    ----------
    grad_output : array_like
        float16, float32 or float64, of the forward output's shape.
    input_size : sequence of int
        x's full shape (N, C, *spatial).
    size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
        The forward call's arguments.
    out : ndarray, optional
        Preallocated result of `input_size`, grad_output's dtype and layout.
    num_threads : int, optional
        As for ``interpolate``.

    Returns
    -------
    ndarray
        Of shape `input_size`, grad_output's dtype and layout: the exact adjoint of the
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
    g = _as_array(grad_output)
    if not isinstance(input_size, (list, tuple)) or not all(_is_int(v) and v >= 0 for v in input_size):
        raise TypeError(f"input_size must be a sequence of non-negative ints, got {input_size!r}")
    input_size = tuple(int(v) for v in input_size)
    call = _resolve_call(input_size, size, scale_factor, mode, align_corners,
                         recompute_scale_factor, antialias)
    if g.dtype == _UINT8:
        raise TypeError("uint8 has no backward: integer arrays have no gradient; "
                        "supported dtypes are float16, float32, float64")
    expected = (*input_size[:2], *call.out_size)
    if g.shape != expected:
        raise ValueError(
            f"grad_output has shape {g.shape}, but the forward output for input_size "
            f"{input_size} and these arguments has shape {expected}"
        )
    threads = _resolve_threads(num_threads)
    _check_fits(input_size, g.dtype.itemsize,
                extra_bytes=_plan_bytes(input_size, input_size[2:], call, backward=True))
    g, perm = _memory_layout(g)
    grad_input = _prepare_out(out, input_size, g, perm)
    if grad_input.size == 0:
        return grad_input
    if g.size == 0:             # nothing was read: every input has a zero gradient
        grad_input[...] = 0
        return grad_input
    _run_separable(g, grad_input, perm, _backward_passes(input_size, expected, call, g.dtype), threads)
    return grad_input


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


def _plan_bytes(result_shape, in_size, call, backward=False):
    """About the bytes of the per-axis tables a call builds (an entry: a tap and a weight,
    16 bytes), so giant sizes fail before the tables are built. Nothing is built for an
    empty result."""
    if math.prod(result_shape) == 0:
        return 0
    entries = 0
    for n, o in zip(in_size, call.out_size):
        if call.filter in _NEAREST:
            width = 1
        elif call.filter == "area":     # the forward keeps only window bounds
            width = -(-n // max(o, 1)) + 1 if backward else 2
        elif call.antialias:            # the filter's support, widened by the shrink factor
            support = {"bilinear": 1, "bicubic": 2, "lanczos": 3}[call.filter] * max(n / max(o, 1), 1.0)
            width = min(n, 2 * math.ceil(support) + 1)
        else:
            width = 4
        entries += o * width + (n if backward else 0)
    rows = math.prod(result_shape[:-1]) if call.filter in _NEAREST and not backward else 0
    return 16 * entries + 8 * rows      # nearest: the source offset of every output row


def _prepare_out(out, out_shape, x, perm):
    inverse = tuple(perm.index(axis) for axis in range(len(perm)))
    if out is None:
        memory_shape = tuple(out_shape[p] for p in perm)
        return _new_output(memory_shape, x.dtype).transpose(inverse)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a NumPy array, got {type(out).__name__}")
    if out.shape != out_shape or out.dtype != x.dtype:
        raise ValueError(
            f"out has shape {out.shape} and dtype {out.dtype}; this call needs shape "
            f"{out_shape} and dtype {x.dtype}"
        )
    if not out.flags.aligned:
        raise ValueError("out must be an aligned array (its buffer offset is not a multiple of "
                         f"{out.dtype.itemsize} bytes)")
    if not out.transpose(perm).flags.c_contiguous or not out.flags.writeable:
        layout = "C-contiguous" if perm == tuple(range(len(perm))) else "channels-last"
        raise ValueError(f"out must be a writeable {layout} array, the input's layout")
    if np.may_share_memory(out, x):
        raise ValueError("out must not overlap the input")
    return out


# ----------------------------------------------------------------------------- runs

def _flat(a, perm):
    """The memory of a (C-contiguous in perm order) as a 1-D view."""
    return a.transpose(perm).reshape(-1)


def _padded(per_axis, fill):
    return [fill] * (3 - len(per_axis)) + list(per_axis)


class _Steps:
    """A call's prepared kernel steps, each from one buffer into another: INPUT (the
    input's memory), OUTPUT, or a temporary (allocated by the kernels when they run)."""
    INPUT, OUTPUT = 0, 1

    def __init__(self, in_shape, out_shape, dtype):
        self.itemsize = np.dtype(dtype).itemsize
        self.in_bytes = math.prod(in_shape) * self.itemsize
        self.out_bytes = math.prod(out_shape) * self.itemsize
        self.steps, self.links, self.temporaries = [], [], []

    def temporary(self, samples, dtype):
        self.temporaries.append(samples * np.dtype(dtype).itemsize)
        return len(self.temporaries) + 1

    def add(self, step, src, dst):
        self.steps.append(step)
        self.links += [src, dst]

    def program(self):
        return _kernels.Program(self.steps, self.links, self.temporaries, self.in_bytes,
                                self.out_bytes)


def _nearest_steps(steps, in_shape, out_shape, dtype, perm, call):
    """Nearest with torch's index rule on the call's axes."""
    double = dtype == np.float64
    index = {}
    for axis, scale in zip(call.axes, call.scales):
        n_in, n_out = _lengths(call, axis, in_shape, out_shape)
        table = _plans.nearest_plan(n_in, n_out, scale, call.filter == "nearest-exact", double)
        index[axis] = _restricted(table, call, axis)
    steps.add(_gather_step(in_shape, np.dtype(dtype).itemsize, perm, index), steps.INPUT,
              steps.OUTPUT)


def _gather(x, out, perm, index, threads):
    """out = x at the input indices index[axis] (an array per resized axis; the others are
    copied). Bits are copied."""
    steps = _Steps(x.shape, out.shape, x.dtype)
    steps.add(_gather_step(x.shape, x.itemsize, perm, index), steps.INPUT, steps.OUTPUT)
    steps.program().run(_flat(x, perm), _flat(out, perm), threads)


def _gather_step(in_shape, itemsize, perm, index):
    """The gather of _gather as row gathers in memory order: every output row (all memory
    axes up to the innermost resized one, with the unresized axes after it, e.g. channels,
    flattened into the row) reads one input row."""
    tables = [np.asarray(index[p], np.intp) if p in index else np.arange(in_shape[p])
              for p in perm]                                 # in memory order
    in_shape = [in_shape[p] for p in perm]
    last = max(perm.index(axis) for axis in index)
    inner = math.prod(in_shape[last + 1:])
    # whole pixels (of `inner` samples): one row of the last resized axis at a time
    tables[last:] = [(tables[last][:, None] * inner + np.arange(inner)).ravel()]
    in_shape[last:] = [in_shape[last] * inner]
    # the input row each output row reads (an offset in elements), in output row order
    strides = _contiguous_strides(in_shape)[:-1]
    sources = np.zeros([len(t) for t in tables[:-1]], np.intp)
    for axis, (table, stride) in enumerate(zip(tables[:-1], strides)):
        shape = [1] * len(strides)
        shape[axis] = len(table)
        sources += (table * stride).reshape(shape)
    sources = sources.ravel()
    runs = np.append(np.flatnonzero(np.diff(sources, prepend=-1)), len(sources))
    return _kernels.nearest_step(itemsize, sources, runs, tables[-1], in_shape[-1])


def _contiguous_strides(shape):
    return [math.prod(shape[i + 1:]) for i in range(len(shape))]


_WIDENED = (np.dtype(np.float16), np.dtype(np.uint16), np.dtype(np.int16))   # computed in float32


def _compute_input(steps, samples, dtype):
    """(buffer, dtype) of the input in the compute type: float16 and 16-bit integers are
    widened to float32 once (uint8 and the float compute types are used as they are)."""
    dtype = np.dtype(dtype)
    if dtype not in _WIDENED:
        return steps.INPUT, dtype
    wide = steps.temporary(samples, np.float32)
    if dtype == np.float16:
        step = _kernels.elementwise_step("widen_half", "uint16", samples)
    else:
        step = _kernels.elementwise_step("widen_integers", dtype.name, samples)
    steps.add(step, steps.INPUT, wide)
    return wide, np.dtype(np.float32)


def _store(steps, buf, samples, out_dtype):
    """Write a compute-type result into the output: the single rounding of float16, the
    round-half-to-even and clamp of 16-bit integers, or a copy."""
    out_dtype = np.dtype(out_dtype)
    if out_dtype == np.float16:
        steps.add(_kernels.elementwise_step("narrow_half", "uint16", samples), buf, steps.OUTPUT)
    elif out_dtype in _WIDENED:
        steps.add(_kernels.elementwise_step("narrow_integers", out_dtype.name, samples), buf,
                  steps.OUTPUT)
    elif buf != steps.OUTPUT:
        steps.add(_kernels.elementwise_step("copy", "uint8", samples * out_dtype.itemsize), buf,
                  steps.OUTPUT)


def _adjacent_groups(positions, most):
    """Sorted memory positions split into runs of adjacent ones, at most `most` long."""
    groups = []
    for p in positions:
        if groups and p == groups[-1][-1] + 1 and len(groups[-1]) < most:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _area_steps(steps, in_shape, out_shape, dtype, perm, call):
    """Adaptive average pooling of the resized axes: up to three adjacent memory axes at
    once (the window summed and divided as torch does), seen as (planes, D, H, W, step)
    where step is the samples after them (channels-last pixels) and planes those before.
    Other groups of axes run one after the other, innermost first."""
    memory_shape = [in_shape[p] for p in perm]
    memory_out = [out_shape[p] for p in perm]
    samples = math.prod(memory_shape)
    if dtype == _UINT8:
        buf, compute = steps.INPUT, np.dtype(dtype)
    else:
        buf, compute = _compute_input(steps, samples, dtype)
    groups = _adjacent_groups(sorted(perm.index(a) for a in call.axes), 3)[::-1]
    for number, group in enumerate(groups):
        planes = math.prod(memory_shape[:group[0]])
        step = math.prod(memory_shape[group[-1] + 1:])
        sizes_in = [memory_shape[p] for p in group]
        sizes_out = [memory_out[p] for p in group]
        windows = [[_restricted(bounds, call, perm[p]) for bounds in
                    _plans.area_windows(*_lengths(call, perm[p], in_shape, out_shape))] for p in group]
        windows = [a for w in _padded(windows, (np.zeros(1, np.intp), np.ones(1, np.intp))) for a in w]
        for p in group:
            memory_shape[p] = memory_out[p]
        if number == len(groups) - 1 and compute == dtype:
            dst = steps.OUTPUT
        else:
            dst = steps.temporary(math.prod(memory_shape), compute)
        steps.add(_kernels.area_step(compute.name, planes, step, _padded(sizes_in, 1),
                                     _padded(sizes_out, 1), *windows), buf, dst)
        buf = dst
    _store(steps, buf, math.prod(memory_out), dtype)


class KernelPlan:
    """One axis's plan as the kernels take it: output i = sum over k < counts[i] of
    weights[i, k] * x[taps[i, k]]. For uint8 the weights are int16 in fixed point with
    `precision` bits, and the table has an even width (the kernels take taps in pairs; a
    padding entry repeats a real tap with weight 0). Read-only, because plans are cached."""

    def __init__(self, n_in, taps, weights, counts, precision=0):
        self.n_in = n_in
        self.taps, self.weights, self.counts = taps, weights, counts
        self.precision = precision
        self.weight_bytes = weights.view(np.uint8)
        # torch's same-size linear rule (x*1 + x*0 everywhere): no transposes needed
        n_out = len(counts)
        self.identity = bool(
            n_out == n_in and taps.shape[1] == 2 and (counts == 2).all()
            and (taps[:, 0] == np.arange(n_out)).all() and (taps[:, 1] == taps[:, 0]).all()
            and (weights[:, 0] == 1).all() and (weights[:, 1] == 0).all())
        for table in (taps, weights, counts, self.weight_bytes):
            table.flags.writeable = False


class _Pass:
    """One separable pass: along `axis`, n_in -> n_out with a KernelPlan (made with the
    user scale `scale`)."""

    def __init__(self, axis, n_in, n_out, plan, scale=0.0):
        self.axis, self.n_in, self.n_out, self.plan, self.scale = axis, n_in, n_out, plan, scale


@functools.lru_cache(maxsize=128)
def _uint8_axis_plan(mode, antialias, n_in, n_out, align_corners, scale):
    taps, weights, counts, precision = _plans.uint8_plan(mode, antialias, n_in, n_out,
                                                         align_corners, scale)
    return _fixed_point_plan(n_in, taps, weights.astype(np.int16), counts, precision)


def _fixed_point_plan(n_in, taps, weights, counts, precision):
    """A uint8 KernelPlan from a fixed-point table (int16 weights: torch's; int32: Pillow's
    22-bit ones), its width made even: a padding entry repeats the row's last real tap with
    weight 0."""
    n_out = len(counts)
    width = taps.shape[1] + taps.shape[1] % 2
    padded_taps = np.empty((n_out, width), np.intp)
    padded_weights = np.zeros((n_out, width), weights.dtype)
    used = np.arange(width)[None, :] < counts[:, None]
    last = taps[np.arange(n_out), np.maximum(counts - 1, 0)]
    padded_taps[...] = last[:, None]
    padded_taps[used] = taps[used[:, :taps.shape[1]]]
    padded_weights[used] = weights[used[:, :taps.shape[1]]]
    return KernelPlan(n_in, padded_taps, padded_weights, counts, precision)


def _resized_axes(call):
    """(axis, user scale) of every resized axis, the last axis first: the innermost memory
    axis first, as torch nests W inside H inside D."""
    return sorted(zip(call.axes, call.scales), reverse=True)


def _lengths(call, axis, in_shape, out_shape):
    """(n_in, n_out) of the whole call along axis (a block's call knows its parent's)."""
    return call.lengths.get(axis) or (in_shape[axis], out_shape[axis])


def _restricted(plan, call, axis):
    """The rows of `plan` (a KernelPlan, or a 1-D table such as nearest's index or area's
    window bounds) that a block computes, reading its slab: taps shifted by the slab's
    start. Weights and their order are the whole call's, so the block's results are
    bit for bit the whole call's."""
    if axis not in call.region:
        return plan
    o0, o1, lo, hi = call.region[axis]
    if not isinstance(plan, KernelPlan):
        return plan[o0:o1] - lo
    taps = np.clip(plan.taps[o0:o1] - lo, 0, hi - lo - 1)    # (unused padding entries too)
    return KernelPlan(hi - lo, taps, plan.weights[o0:o1], plan.counts[o0:o1], plan.precision)


def _pass(axis, plan, scale, call):
    plan = _restricted(plan, call, axis)
    return _Pass(axis, plan.n_in, len(plan.counts), plan, scale)


def _uint8_passes(in_shape, out_shape, call):
    """torch's uint8 fixed-point passes (docs §3.6): W, then H, then D, uint8 between
    passes, unchanged axes skipped. linear and trilinear (which torch refuses for uint8)
    use the bilinear weights along each axis."""
    passes = []
    for axis, scale in _resized_axes(call):
        n_in, n_out = _lengths(call, axis, in_shape, out_shape)
        if n_in != n_out:
            plan = _uint8_axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners, scale)
            passes.append(_pass(axis, plan, scale, call))
    return passes


def _forward_passes(in_shape, out_shape, call, dtype):
    """The forward's passes, W first, then H, then D (torch's nesting order, innermost
    spatial axis first). Nearest and area become plans too (weights 1 and 1/k): the
    backward transposes them; the forward has exact kernels of their own for them."""
    passes = []
    for axis, scale in _resized_axes(call):
        n_in, n_out = _lengths(call, axis, in_shape, out_shape)
        if call.antialias and n_in == n_out:
            continue     # torch skips an unchanged axis in the antialias kernels
        plan = _axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners, scale,
                          dtype == np.float64, dtype == np.float16)
        passes.append(_pass(axis, plan, scale, call))
    return passes


@functools.lru_cache(maxsize=128)
def _axis_plan(mode, antialias, n_in, n_out, align_corners, scale, double, round_half,
               transposed=False):
    """One axis's plan, cached: the same arguments always give the same table."""
    if transposed:
        forward = _axis_plan(mode, antialias, n_in, n_out, align_corners, scale, double, round_half)
        return KernelPlan(n_out, *_plans.transpose_plan(forward.taps, forward.weights,
                                                        forward.counts, n_in))
    if mode in _NEAREST:
        tables = _plans.nearest_as_plan(n_in, n_out, scale, mode == "nearest-exact", double)
    elif mode == "area":
        tables = _plans.area_as_plan(n_in, n_out, double)
    else:
        tables = _plans.separable_plan(mode, antialias, n_in, n_out, align_corners, scale, double,
                                       round_half=round_half)
    return KernelPlan(n_in, *tables)


def _backward_passes(in_shape, out_shape, call, dtype):
    """The adjoint of the forward's passes, in reverse order (D, then H, then W): every
    input index gathers from the outputs that read it."""
    passes = []
    for p in reversed(_forward_passes(in_shape, out_shape, call, dtype)):
        plan = _axis_plan(call.filter, call.antialias, p.n_in, p.n_out, call.align_corners,
                          p.scale, dtype == np.float64, dtype == np.float16, transposed=True)
        passes.append(_Pass(p.axis, p.n_out, p.n_in, plan))
    return passes


def _run_separable(x, out, perm, passes, threads):
    """Run the passes in order on x (C-contiguous in the axis order perm) into out."""
    steps = _Steps(x.shape, out.shape, x.dtype)
    _separable_steps(steps, x.shape, x.dtype, perm, passes)
    steps.program().run(_flat(x, perm), _flat(out, perm), threads)


def _separable_steps(steps, in_shape, dtype, perm, passes):
    """The passes in order, each from the previous one's buffer. Passes over adjacent
    memory axes run fused in one kernel step (up to three), so their intermediates stay in
    cache; fusing never changes a bit."""
    memory_shape = [in_shape[p] for p in perm]
    buf, compute = _compute_input(steps, math.prod(memory_shape), dtype)
    fused = _fused_steps(passes, perm)
    for number, step in enumerate(fused):
        positions = [perm.index(p.axis) for p in step]
        first = min(positions)
        outer = math.prod(memory_shape[:first])
        inner = math.prod(memory_shape[max(positions) + 1:])
        for p, pos in zip(step, positions):
            memory_shape[pos] = p.n_out
        if number == len(fused) - 1 and compute == dtype:
            dst = steps.OUTPUT
        else:
            dst = steps.temporary(math.prod(memory_shape), compute)
        by_position = [p.plan for _, p in sorted(zip(positions, step), key=lambda t: t[0])]
        forward = positions[0] == max(positions)      # the innermost axis first
        steps.add(_kernels.separable_step(compute.name, by_position, outer, inner, forward),
                  buf, dst)
        buf = dst
    _store(steps, buf, math.prod(memory_shape), dtype)


def _fused_steps(passes, perm):
    """Group the passes into kernel calls: runs of up to three passes in a row whose memory
    axes are adjacent, in the order the fused kernels take (innermost first, W H D, or
    outermost first, D H W)."""
    steps = []
    for p in passes:
        position = perm.index(p.axis)
        if steps and len(steps[-1]) < 3:
            previous = [perm.index(q.axis) for q in steps[-1]]
            step = previous[-1] - previous[0] if len(previous) > 1 else position - previous[0]
            if abs(step) == 1 and position == previous[-1] + step:
                steps[-1] = (*steps[-1], p)
                continue
        steps.append((p,))
    return steps
