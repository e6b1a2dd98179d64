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
        def forward(a):
            resized = new_output(out.shape, a.dtype)
            _engine.run_forward(a, resized, tuple(range(a.ndim)), call, threads)
            return resized
        divide_valid(x, out, forward, threads)
    return run


def divide_valid(x, out, forward, threads):
    """out = forward(x with NaN as 0) / forward(x's valid mask), NaN where no valid sample
    contributes; forward(a): a resized (a new array of out's shape)."""
    zeroed, valid = new_output(x.shape, x.dtype), new_output(x.shape, x.dtype)
    _kernels.nan_split(x.reshape(-1), zeroed.reshape(-1), valid.reshape(-1), threads)
    sums = forward(zeroed)
    del zeroed
    weights = forward(valid)
    _kernels.nan_divide(sums.reshape(-1), weights.reshape(-1), out.reshape(-1), threads)
