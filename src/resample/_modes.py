"""The one registry of modes: every name `interpolate` and `resize` accept, what each
takes, and the per-axis filter its plans use. Both entry points and the plan builders
read this table; no other module lists modes."""
from typing import NamedTuple

import numpy as np


class Mode(NamedTuple):
    """One resampling filter and the names it goes by."""
    name: str              # resize's name
    aliases: tuple         # other names resize accepts
    torch_ranks: dict      # interpolate's names -> the one input rank torch takes each for
                           # (0: any of 3-D, 4-D and 5-D)
    antialias: bool        # has an antialias variant (torch: only 4-D)
    align_corners: bool    # takes align_corners
    filter: str            # what the per-axis plans compute (_plans, _api)


TABLE = (
    Mode("nearest", (), {"nearest": 0}, False, False, "nearest"),
    Mode("nearest-exact", (), {"nearest-exact": 0}, False, False, "nearest-exact"),
    Mode("linear", ("bilinear", "trilinear"), {"linear": 3, "bilinear": 4, "trilinear": 5},
         True, True, "bilinear"),
    Mode("cubic", ("bicubic",), {"bicubic": 4}, True, True, "bicubic"),
    Mode("lanczos", (), {"lanczos": 4}, True, False, "lanczos"),    # always antialiased
    Mode("area", (), {"area": 0}, False, False, "area"),
)

# interpolate's names (torch's), in torch's order of its error message
TORCH_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area",
               "lanczos")
BY_TORCH_NAME = {name: mode for mode in TABLE for name in mode.torch_ranks}
BY_NAME = {name: mode for mode in TABLE for name in (mode.name, *mode.aliases)}
RESIZE_MODES = tuple(mode.name for mode in TABLE)

# dtypes: interpolate takes torch's; resize adds 16-bit integers (computed in float32)
FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
TORCH_DTYPES = (np.dtype(np.uint8), *FLOAT_DTYPES)
RESIZE_DTYPES = (*TORCH_DTYPES, np.dtype(np.uint16), np.dtype(np.int16))


def torch_rank(name):
    """The one rank interpolate takes `name` for, 0 for any of 3-D to 5-D (None: unknown)."""
    mode = BY_TORCH_NAME.get(name)
    return None if mode is None else mode.torch_ranks[name]


def torch_antialias(name):
    """Whether torch has an antialias kernel for this interpolate mode (4-D only)."""
    mode = BY_TORCH_NAME.get(name)
    return mode is not None and mode.antialias and mode.torch_ranks[name] == 4


def resize_mode(name):
    """The Mode that resize's `mode=name` means; ValueError naming the choices."""
    mode = BY_NAME.get(name) if isinstance(name, str) else None
    if mode is None:
        names = ", ".join(f"{m.name} ({'/'.join(m.aliases)})" if m.aliases else m.name for m in TABLE)
        raise ValueError(f"mode must be one of {names}; got {name!r}")
    return mode
