"""The one registry of filters: every name `interpolate` and `resize` accept, what each
takes, the per-axis filter its plans use and its reach; and the filters of the libraries
compat reproduces (Pillow's, OpenCV's, TensorFlow's, JAX's and MATLAB's names, codes and
kernels). The entry points, the plan builders and compat read these tables; no other module
lists modes."""
import difflib
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
    filter: str            # what the per-axis plans compute (_plans, _engine)
    support: float         # reach in input samples either side at scale 1 (an antialiased
                           # filter reads 2 * support taps, widened by the shrink factor)
    antialias_only: bool = False   # has no variant without antialias


TABLE = (
    Mode("nearest", (), {"nearest": 0}, False, False, "nearest", 0.5),
    Mode("nearest-exact", (), {"nearest-exact": 0}, False, False, "nearest-exact", 0.5),
    Mode("linear", ("bilinear", "trilinear"), {"linear": 3, "bilinear": 4, "trilinear": 5},
         True, True, "bilinear", 1.0),
    Mode("cubic", ("bicubic",), {"bicubic": 4}, True, True, "bicubic", 2.0),
    Mode("lanczos", (), {"lanczos": 4}, True, False, "lanczos", 3.0, antialias_only=True),
    Mode("area", (), {"area": 0}, False, False, "area", 0.5),
    # B-splines of order 0..5 (resize's order=): SciPy's prefilter and weights (_spline)
    Mode("spline", (), {}, False, False, "spline", 3.0),
    # label maps: every label's indicator resized (B-spline `order`), the largest wins
    Mode("label", (), {}, False, False, "label", 3.0),
    # label maps shrunk by vote: each output the most frequent label of its area window
    Mode("majority", (), {}, False, False, "majority", 0.5),
)
# the modes that run their own kernels, not the resize program's passes (_spline, _nan)
OWN_KERNELS = ("spline", "label", "majority")

# interpolate's names (torch's), in torch's order of its error message
TORCH_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area",
               "lanczos")
BY_TORCH_NAME = {name: mode for mode in TABLE for name in mode.torch_ranks}
BY_NAME = {name: mode for mode in TABLE for name in (mode.name, *mode.aliases)}
BY_FILTER = {mode.filter: mode for mode in TABLE}


class Foreign(NamedTuple):
    """A filter of a library compat reproduces."""
    name: str              # compat's name for it
    code: int              # the library's own value (Image.Resampling, cv2.INTER_*,
                           # TensorFlow's ResizeMethodV1: -1 where it has none; MATLAB: the
                           # kernel code of _plans.matlab_plan)
    support: float         # Pillow: its reach at scale 1 (_filters_support; None: nearest);
                           # MATLAB: the kernel's width
    kernel: str = None     # what computes it: OpenCV's cv2_plan family, TensorFlow's
                           # ScaleAndTranslate kernel, JAX's ResizeMethod, MATLAB's kernel
                           # (None: the library's own path)
    taps: int = 0          # OpenCV: taps at scale 1 (cv2's ksize)


PILLOW = (
    Foreign("nearest", 0, None), Foreign("lanczos", 1, 3.0), Foreign("bilinear", 2, 1.0),
    Foreign("bicubic", 3, 2.0), Foreign("box", 4, 0.5), Foreign("hamming", 5, 1.0),
    Foreign("mks2013", 6, 2.5), Foreign("mks2021", 7, 4.5),
)
PILLOW_BY_CODE = {f.code: f for f in PILLOW}

OPENCV = (
    Foreign("nearest", 0, None), Foreign("linear", 1, None, "linear", 2),
    Foreign("cubic", 2, None, "cubic", 4), Foreign("area", 3, None, "area", 2),
    Foreign("lanczos4", 4, None, "lanczos", 8), Foreign("linear-exact", 5, None),
    Foreign("nearest-exact", 6, None),
)
OPENCV_TAPS = {f.kernel: f.taps for f in OPENCV if f.kernel}

# tf.image.ResizeMethod's names, in its order; kernel: ScaleAndTranslate's, for the methods
# that run it (bilinear and bicubic only with antialias; the others always)
TENSORFLOW = (
    Foreign("bilinear", 0, None, "triangle"), Foreign("nearest", 1, None),
    Foreign("bicubic", 2, None, "keyscubic"), Foreign("area", 3, None),
    Foreign("lanczos3", -1, None, "lanczos3"), Foreign("lanczos5", -1, None, "lanczos5"),
    Foreign("gaussian", -1, None, "gaussian"), Foreign("mitchellcubic", -1, None, "mitchellcubic"),
)
TF_V1_BY_CODE = {f.code: f for f in TENSORFLOW if f.code >= 0}

# jax.image's method names and aliases; kernel: the ResizeMethod each means
JAX = tuple(Foreign(name, 0, None, method) for name, method in (
    ("nearest", "nearest"), ("linear", "linear"), ("bilinear", "linear"),
    ("trilinear", "linear"), ("triangle", "linear"), ("lanczos3", "lanczos3"),
    ("lanczos5", "lanczos5"), ("cubic", "cubic"), ("bicubic", "cubic"), ("tricubic", "cubic"),
    ("cubic-pytorch", "cubic-pytorch"), ("bicubic-pytorch", "cubic-pytorch"), ("area", "area")))

# MATLAB imresize's methods: its kernels by name, then its interpolation names for three of
# them; code: _plans.matlab_plan's kernel code; support: the kernel's width
MATLAB = (
    Foreign("nearest", 0, 1.0, "box"), Foreign("bilinear", 1, 2.0, "triangle"),
    Foreign("bicubic", 2, 4.0, "cubic"), Foreign("box", 0, 1.0, "box"),
    Foreign("triangle", 1, 2.0, "triangle"), Foreign("cubic", 2, 4.0, "cubic"),
    Foreign("lanczos2", 3, 4.0, "lanczos2"), Foreign("lanczos3", 4, 6.0, "lanczos3"),
)

class Boundary(NamedTuple):
    """A boundary rule of SciPy's ndimage, as zoom and its filters apply it (SciPy 1.17)."""
    name: str              # SciPy's mode name
    code: int              # its NI_ExtendMode for zoom's coordinates and taps (ni_support.h)
    filter_code: int       # ... for its filters' line extension (is_filter=True)
    init: int              # the prefilter's initial values (_spline.pxi's INIT_*: 0 mirror,
                           # 1 wrap, 2 reflect; 3 is reflect as SciPy 1.17 computes it)
    pad: str = None        # SciPy pads 12 samples before prefiltering: np.pad's mode


SCIPY_BOUNDARIES = (
    Boundary("reflect", 2, 2, 2), Boundary("grid-mirror", 2, 2, 2), Boundary("mirror", 3, 3, 0),
    Boundary("nearest", 0, 0, 2, "edge"), Boundary("constant", 4, 4, 0),
    Boundary("grid-constant", 6, 4, 0, "constant"), Boundary("wrap", 1, 1, 0),
    Boundary("grid-wrap", 5, 1, 1),
)
SCIPY_BOUNDARY = {b.name: b for b in SCIPY_BOUNDARIES}
SPLINE_ORDERS = range(6)

# dtypes: interpolate takes torch's; resize adds 16-bit integers (computed in float32).
# bfloat16 is ml_dtypes.bfloat16, named here by its dtype's name ("bfloat16" == that dtype
# in NumPy once ml_dtypes is imported; before, no array can have it): resample never
# imports ml_dtypes for an array's sake.
BFLOAT16 = "bfloat16"
HALF_DTYPES = (np.dtype(np.float16), BFLOAT16)       # 16-bit floats: computed in float32
FLOAT_DTYPES = (*HALF_DTYPES, np.dtype(np.float32), np.dtype(np.float64))
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
    """The Mode that resize's `mode=name` means; ValueError naming the choices, the one
    meant where a name is close (any case), and compat.pil_resize for Pillow's codes."""
    mode = BY_NAME.get(name) if isinstance(name, str) else None
    if mode is None:
        names = ", ".join(f"{m.name} ({'/'.join(m.aliases)})" if m.aliases else m.name for m in TABLE)
        hint = ""
        if isinstance(name, str):
            close = difflib.get_close_matches(name.lower().replace("_", "-"), list(BY_NAME), n=1,
                                              cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        elif getattr(type(name), "__module__", "").startswith("PIL") or (
                isinstance(name, int) and not isinstance(name, bool)):
            hint = (" (a Pillow filter constant: resize takes names such as 'lanczos'; "
                    "resample.compat.pil_resize takes Pillow's filters and reproduces Pillow)")
        raise ValueError(f"mode must be one of {names}; got {name!r}{hint}")
    return mode
