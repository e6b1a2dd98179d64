"""What comes in and goes out: array inputs (DLPack, byte order, memory layouts), the
plain argument types every front door checks, the memory check made before any
allocation, out= and the recycled pool large outputs come from. No pixel arithmetic."""
import math
import numbers
import os
import threading

import numpy as np

from . import _modes


# ----------------------------------------------------------------------------- arguments

def is_int(v):
    """Whether v is an integer (a bool is not)."""
    return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))


def is_real(v):
    """Whether v is a real number (a bool is not)."""
    return isinstance(v, (numbers.Real, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def check_flag(name, value):
    """Flags are bools: torch takes any truthy value, and "no" meaning True is a trap."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


# ----------------------------------------------------------------------------- memory

def _physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return 2**47


_PHYSICAL_MEMORY = _physical_memory()


def check_fits(shape, itemsize, what="output", extra_bytes=0):
    """Refuse, before allocating anything, an array that cannot fit in memory."""
    nbytes = math.prod(shape) * itemsize + extra_bytes
    if nbytes > _PHYSICAL_MEMORY:
        raise MemoryError(
            f"{what} of shape {tuple(shape)} needs {nbytes / 2**30:.1f} GiB, more than this "
            f"machine's {_PHYSICAL_MEMORY / 2**30:.1f} GiB of memory"
        )


# ----------------------------------------------------------------------------- input

def native_order(x):
    """x in native byte order: other-endian data (from files, network order) is copied,
    with the same values."""
    if x.dtype.isnative:
        return x
    check_fits(x.shape, x.dtype.itemsize, "a native byte order copy of the input")
    return x.astype(x.dtype.newbyteorder("="))


def as_array(x, dtypes=_modes.TORCH_DTYPES, hints=False):
    """x as an ndarray of one of `dtypes` in native byte order (converted if need be);
    hints: say how to pass a refused integer or bool array (resize's dtypes)."""
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
    x = native_order(x)
    check_dtype(x.dtype, dtypes, hints)
    return x


_DTYPE_HINTS = {                      # by dtype name, then by kind
    "int8": "int8 images: convert to int16 (exact) and back, or to float32",
    "i": "int32/int64 images: convert to float64 (exact up to 2**53) and round back, or to "
         "uint16/int16 when the values fit",
    "u": "wide unsigned integers: convert to float64 and round back, or to uint16 when the values fit",
    "b": "bool masks: resize mask.astype(np.uint8) (nearest keeps 0/1; other modes give "
         "coverage you can threshold)",
}


def check_dtype(dtype, dtypes, hints=False):
    """TypeError, naming the dtypes taken, when `dtype` is not one of them (hints: as
    as_array's)."""
    if dtype in dtypes:
        return
    message = (f"input dtype {dtype} is not supported; supported dtypes are "
               f"{', '.join(map(str, dtypes))}")
    dtype = np.dtype(dtype)
    hint = _DTYPE_HINTS.get(dtype.name, _DTYPE_HINTS.get(dtype.kind)) if hints else None
    raise TypeError(f"{message}. {hint}" if hint else message)


_DLPACK_DEVICES = {1: "CPU", 2: "CUDA", 3: "CUDA host", 4: "OpenCL", 7: "Vulkan", 8: "Metal",
                   9: "VPI", 10: "ROCm", 13: "CUDA managed", 14: "oneAPI"}


def _from_dlpack(x):
    """A NumPy view of an object exporting DLPack (a torch CPU tensor, a JAX CPU array):
    no copy; anything not in CPU memory is refused, naming its device."""
    device = x.__dlpack_device__()[0] if hasattr(x, "__dlpack_device__") else 1
    if device != 1:
        raise TypeError(f"input {type(x).__name__} lives on {_DLPACK_DEVICES.get(device, device)} "
                        "memory; resample runs on the CPU: copy it to the CPU first")
    if str(getattr(x, "dtype", "")) == "torch.bfloat16" and not getattr(x, "requires_grad", True):
        from ._interop import tensor_to_numpy      # DLPack has no NumPy bfloat16
        return tensor_to_numpy(x, "input")
    try:
        return np.from_dlpack(x)
    except (TypeError, RuntimeError, BufferError) as exc:
        raise TypeError(f"input {type(x).__name__} cannot be read through DLPack ({exc}); for a "
                        "torch tensor that requires grad, pass tensor.detach() or use "
                        "resample.torch.interpolate") from None


def memory_layout(x):
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
    return c_order(x), identity


def c_order(x):
    """x as one aligned, C-contiguous buffer, copied once if it is not one (the kernels
    read flat typed buffers: a misaligned one, as np.frombuffer at an odd offset gives,
    is copied too)."""
    if x.flags.c_contiguous and x.flags.aligned:
        return x
    check_fits(x.shape, x.dtype.itemsize, "a contiguous copy of the input")
    return np.array(x, order="C")


# ----------------------------------------------------------------------------- output

def prepare_out(out, out_shape, x, perm):
    """The array a call writes: a new one (from new_output) in x's layout, or `out` once
    checked (shape, dtype, alignment, x's layout, writeable, not overlapping x)."""
    inverse = tuple(perm.index(axis) for axis in range(len(perm)))
    if out is None:
        memory_shape = tuple(out_shape[p] for p in perm)
        return new_output(memory_shape, x.dtype).transpose(inverse)
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



# Large outputs reuse memory. A new array of 32 MiB or more is a fresh mapping from the OS
# (glibc maps every block that size; smaller ones come back from its heap), and the OS
# zeroes every page on first write: a third of an enlargement's time. So an output that
# large is a view of a block (its .base, a _Recycled) that returns to _RECYCLED when the
# output and every view of it are gone, and the next output of about that size takes it:
# a loop over frames or volumes stops paying for page faults. At most _RECYCLED_KEPT
# blocks and RESAMPLE_RECYCLE_MB (default 512; 0 turns this off) are held.
RECYCLE_FROM = 32 << 20
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
        # new_output, included) is simply freed
        if _RECYCLED_LOCK is None or not _RECYCLED_LOCK.acquire(blocking=False):
            return
        try:
            if self.memory.nbytes + sum(m.nbytes for m in _RECYCLED) <= _RECYCLE_LIMIT:
                _RECYCLED.append(self.memory)
                if len(_RECYCLED) > _RECYCLED_KEPT:
                    del _RECYCLED[0]          # the oldest
        finally:
            _RECYCLED_LOCK.release()


def new_output(memory_shape, dtype):
    """An uninitialised C-contiguous array for a call's result: np.empty, or for 32 MiB and
    more a block given back by an earlier output (between its size and 5/4 of it), its
    start aligned to _ALIGN bytes."""
    dtype = np.dtype(dtype)
    size = math.prod(memory_shape) * dtype.itemsize
    if size < RECYCLE_FROM or size > _RECYCLE_LIMIT:
        return np.empty(memory_shape, dtype)
    size += _ALIGN
    with _RECYCLED_LOCK:
        fits = [i for i, m in enumerate(_RECYCLED) if size <= m.nbytes <= size + size // 4]
        memory = _RECYCLED.pop(fits[0]) if fits else None
    if memory is None:
        memory = np.empty(size, np.uint8)
    array = np.asarray(_Recycled(memory, tuple(memory_shape), dtype))
    # the array interface spells a dtype NumPy does not own (ml_dtypes' bfloat16) as void
    return array if array.dtype == dtype else array.view(dtype)

