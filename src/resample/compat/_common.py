"""What the reproductions share: the (width, height) sizes Pillow and OpenCV take, and
resampling one pass at a time in double with the image's type in between (Pillow's and
MATLAB's intermediate images)."""
import math
import operator

import numpy as np

from .. import _engine
from .._arrays import new_output
from .._runtime import kernels as _kernels


def width_height(size):
    """(width, height) from a pair of positive integers, as Pillow and OpenCV take a size;
    TypeError or ValueError (Pillow's message) otherwise."""
    try:
        width, height = (operator.index(v) for v in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be two integers (width, height), got {size!r}") from None
    if width < 1 or height < 1:
        raise ValueError("height and width must be > 0")
    return width, height


def passes_in_double(x, passes, store, threads, out=None, fused=False):
    """The passes in order, each on x's samples widened to float64 and its sums stored back
    into x's type by the kernel `store` (Pillow's pillow_store, MATLAB's matlab_store), as
    an intermediate image holds them; the last into `out` (default: a new array). fused:
    each sum with fused multiply-adds (pillow_fused_pass, as Pillow's ARM wheels sum)."""
    perm = tuple(range(x.ndim))
    buf = x
    for p in passes:
        shape = list(buf.shape)
        shape[p.axis] = p.n_out
        wide = np.empty(buf.size, np.float64)
        _kernels.widen_to_double(buf.reshape(-1), wide, threads)
        result = np.empty(math.prod(shape), np.float64)
        if fused:
            outer, inner = math.prod(buf.shape[:p.axis]), math.prod(buf.shape[p.axis + 1:])
            _kernels.pillow_fused_pass(wide.reshape(outer, p.n_in, inner),
                                       result.reshape(outer, p.n_out, inner),
                                       p.plan.taps, p.plan.weights, p.plan.counts, threads)
        else:
            _engine.run_separable(wide.reshape(buf.shape), result.reshape(shape), perm, [p], threads)
        last = p is passes[-1]
        buf = out if last and out is not None else new_output(tuple(shape), x.dtype)
        store(result, buf.reshape(-1), threads)
    return buf
