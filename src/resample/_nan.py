"""resize's nan="ignore": resizing data with gaps. The valid samples (NaN as 0) and their
mask are resampled by the call's own plans and divided, so every output is
sum(w * x * m) / sum(w * m) over the valid samples it reads (the tensor product of the
per-axis weights), NaN where no valid sample contributes. No pixel arithmetic happens
here."""
import numpy as np

from . import _engine, _modes
from ._arrays import new_output
from ._runtime import kernels as _kernels

NAN_RULES = (None, "propagate", "ignore")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def resize_ignoring_nan(call, x, nan):
    """None for nan None or "propagate" (NaN spreads as arithmetic spreads it), else
    run(x, out, threads); ValueError or TypeError naming the argument."""
    if nan not in NAN_RULES:
        raise ValueError(f"nan must be None, 'propagate' or 'ignore', got {nan!r}")
    if nan != "ignore":
        return None
    if call.filter in _modes.OWN_KERNELS or call.filter in ("nearest", "nearest-exact"):
        raise ValueError(f"nan='ignore' is for the weighted modes (linear, cubic, lanczos, area), "
                         f"not {call.mode!r}")
    if x.dtype not in _FLOATS:
        raise TypeError(f"nan='ignore' takes float32 and float64 arrays, not {x.dtype}")

    def run(x, out, threads):
        perm = tuple(range(x.ndim))
        zeroed, valid = new_output(x.shape, x.dtype), new_output(x.shape, x.dtype)
        _kernels.nan_split(x.reshape(-1), zeroed.reshape(-1), valid.reshape(-1), threads)
        sums, weights = new_output(out.shape, x.dtype), new_output(out.shape, x.dtype)
        _engine.run_forward(zeroed, sums, perm, call, threads)
        _engine.run_forward(valid, weights, perm, call, threads)
        _kernels.nan_divide(sums.reshape(-1), weights.reshape(-1), out.reshape(-1), threads)
    return run
