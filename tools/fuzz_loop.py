"""Random calls of resample's entry points, for the sanitizer build (tools/sanitize.sh).

Valid calls of interpolate, interpolate_backward, resize (and resize_backward where the
package has it) and of compat's pil_resize (every Pillow mode), torchvision_resize and
cv2_resize: random modes, ranks, dtypes, sizes, sizes or scales, align_corners, antialias
where allowed, C-order, Fortran, channels-last, reversed, sliced and swapped inputs, out=,
and num_threads 1..3. A valid call must return an array of the input's dtype and the same
bits on a second identical call; now and then it is run again on another thread count
from the same values in another memory layout, and must give the same bits (resample
promises both).

Bad calls: a valid call with one argument replaced by a bad value. They may raise only
TypeError, ValueError, RuntimeError, NotImplementedError, MemoryError or OverflowError
(torch's own type for an infinite scale_factor, which interpolate keeps; tests/test_fuzz.py
allows it too), or return an array (some "bad" values are legal in some calls).

Bounded by --iterations and --seconds (whichever comes first). Exit status 1 on any
unexpected exception or wrong result; a sanitizer report ends the process by itself (the
sanitizer's exit status). Each call is described in --last-call before it runs, so a
sanitizer report can be tied to its call; --seed and --start replay one:

    python tools/fuzz_loop.py --seed 123 --start 4567 --iterations 1 -v

Misaligned inputs (np.ndarray(..., buffer=buf, offset=1)) join the valid calls only when
a probe in a subprocess shows that resample handles them (copies them) without a
sanitizer report; --misaligned yes/no forces the choice.
"""
import argparse
import inspect
import os
import subprocess
import sys
import time
import traceback

import numpy as np

import resample
from resample import _modes, compat

ALLOWED = (TypeError, ValueError, RuntimeError, NotImplementedError, MemoryError, OverflowError)
FORWARD_DTYPES = [np.dtype(t) for t in (np.uint8, np.float16, np.float32, np.float64)]
FLOAT_DTYPES = FORWARD_DTYPES[1:]
# resize takes 16-bit integers too where the package says so
# the registry's resize dtypes but bfloat16 (ml_dtypes' dtype, named by a string there, which
# this loop's value makers do not handle and sanitize.sh's environment does not install;
# tests/test_bfloat16.py covers it)
RESIZE_DTYPES = [np.dtype(d) for d in getattr(_modes, "RESIZE_DTYPES", FORWARD_DTYPES)
                 if d != getattr(_modes, "BFLOAT16", None)]
# elements per array: keeps a call well under a second under ASan; one call in ten gets
# BIG_ELEMENTS (main() sets MAX_ELEMENTS per call) so that more calls split into threads
SMALL_ELEMENTS = 300_000
BIG_ELEMENTS = 1_500_000
MAX_ELEMENTS = SMALL_ELEMENTS
NICE_SCALES = [0.25, 1 / 3, 0.29, 0.5, 0.75, 1.0, 1.5, 1.7, 2.0, 2.2, 3.0, 4.0]

RESIZE_PARAMS = inspect.signature(resample.resize).parameters
RESIZE_ANY_AXES = "axes" in RESIZE_PARAMS            # resize(x, size, *, axes=..., scale_factor=...)
RESIZE_BACKWARD = getattr(resample, "resize_backward", None)


class Failure(Exception):
    """A wrong result or an unexpected exception."""


# ----------------------------------------------------------------------------- arrays

def _values(rng, shape, dtype):
    if dtype.kind == "u" or dtype.kind == "i":
        info = np.iinfo(dtype)
        return rng.integers(info.min, int(info.max) + 1, shape).astype(dtype)
    scale = rng.choice([1.0, 255.0, 1e4 if dtype.itemsize > 2 else 6e4])
    a = (rng.standard_normal(shape) * scale).astype(dtype)
    if a.size and rng.random() < 0.1:            # a few non-finite values
        flat = a.reshape(-1)
        for _ in range(rng.integers(1, 4)):
            flat[rng.integers(flat.size)] = rng.choice([np.nan, np.inf, -np.inf])
    return a


def _misaligned_copy(a):
    """a's values in a buffer one byte off alignment."""
    buf = np.zeros(a.nbytes + 1, np.uint8)
    m = np.ndarray(a.shape, a.dtype, buffer=buf, offset=1)
    m[...] = a
    return m


def _layouts(ndim, channels_last_ok):
    kinds = ["c", "c", "reversed", "sliced", "fortran", "swapped"]
    if channels_last_ok:
        kinds += ["channels_last", "channels_last"]
    return kinds


def _laid_out(rng, a, kind):
    """a's values in the memory layout `kind` (a view or a copy with those strides)."""
    if kind == "c" or a.ndim < 2:
        return np.ascontiguousarray(a), "c"
    if kind == "channels_last" and a.ndim >= 3:
        perm = (0, *range(2, a.ndim), 1)
        inverse = tuple(np.argsort(perm))
        return np.ascontiguousarray(a.transpose(perm)).transpose(inverse), kind
    if kind == "reversed":
        axis = int(rng.integers(a.ndim))
        b = np.ascontiguousarray(np.flip(a, axis))
        return np.flip(b, axis), kind
    if kind == "sliced":
        axis = int(rng.integers(a.ndim))
        big_shape = list(a.shape)
        big_shape[axis] = 2 * a.shape[axis] + 1
        big = np.zeros(big_shape, a.dtype)
        index = [slice(None)] * a.ndim
        index[axis] = slice(1, None, 2)
        view = big[tuple(index)]
        view[...] = a
        return view, kind
    if kind == "fortran":
        return np.asfortranarray(a), kind
    if kind == "swapped":
        i, j = rng.choice(a.ndim, 2, replace=False)
        perm = list(range(a.ndim))
        perm[i], perm[j] = perm[j], perm[i]
        return np.ascontiguousarray(a.transpose(perm)).transpose(perm), kind
    if kind == "misaligned":
        return _misaligned_copy(a), kind
    return np.ascontiguousarray(a), "c"


def _describe(a):
    if not isinstance(a, np.ndarray):
        text = repr(a)
        return text if len(text) < 80 else text[:77] + "..."
    return (f"ndarray(shape={a.shape}, dtype={a.dtype}, strides={a.strides}, "
            f"aligned={a.flags.aligned}, c={a.flags.c_contiguous})")


def _same_bits(a, b):
    return (a.shape == b.shape and a.dtype == b.dtype
            and np.array_equal(np.ascontiguousarray(a).view(np.uint8),
                               np.ascontiguousarray(b).view(np.uint8)))


# ----------------------------------------------------------------------------- calls

class Call:
    """fn(*args, **kwargs), described for the log; `bad` says what was broken."""

    def __init__(self, name, fn, args, kwargs, bad=None, check=None):
        self.name, self.fn, self.args, self.kwargs = name, fn, list(args), dict(kwargs)
        self.bad = bad
        self.check = check            # (rng, result) -> None, raises Failure

    def __str__(self):
        parts = [_describe(a) for a in self.args]
        parts += [f"{k}={_describe(v)}" for k, v in self.kwargs.items()]
        head = f"{self.name}({', '.join(parts)})"
        return head + (f"  [bad {self.bad}]" if self.bad else "")

    def run(self):
        return self.fn(*self.args, **self.kwargs)


def _size_or_scale(rng, lengths, budget, one_int="every axis"):
    """(size, scale_factor) for resizing axes of `lengths`, one of them None: sizes 1..40, or
    scales whose output lengths are 1.. and hold at most `budget` elements in all. One int
    for size means `one_int`: "every axis" (interpolate) or "shortest axis" (resize)."""
    k = len(lengths)
    for _ in range(20):
        if rng.random() < 0.5:
            sizes = [int(rng.integers(1, 41)) for _ in range(k)]
            if rng.random() < 0.25:
                n = sizes[0]
                if one_int == "shortest axis":
                    short = min(lengths)
                    sizes = [n if m == short else max(1, int(m * n / short + 0.5)) for m in lengths]
                else:
                    sizes = [n] * k
                if np.prod(sizes) <= budget:
                    return n, None
                continue
            if np.prod(sizes) > budget:
                continue
            return (sizes if rng.random() < 0.5 else tuple(sizes)), None
        if rng.random() < 0.5:
            scales = [float(rng.choice(NICE_SCALES)) for _ in range(k)]
        else:
            scales = [float(rng.uniform(0.05, 4.0)) for _ in range(k)]
        if rng.random() < 0.4:
            scales = [scales[0]] * k
        outs = [int(n * s) for n, s in zip(lengths, scales)]
        if min(outs) < 1 or np.prod(outs) > budget:
            continue
        if len(set(scales)) == 1 and rng.random() < 0.7:
            return None, scales[0]                 # one number for every axis
        return None, (scales if rng.random() < 0.5 else tuple(scales))
    return [1] * k, None


def _threads(rng):
    return [None, 1, 2, 3, 3, -1][int(rng.integers(6))] if rng.random() < 0.8 else int(rng.integers(1, 4))


def _interpolate_modes(rank):
    """(mode, antialias choices) interpolate takes for this rank."""
    out = []
    for mode in _modes.TORCH_MODES:
        r = _modes.torch_rank(mode)
        if r is None or (r != 0 and r != rank):
            continue
        aa = _modes.torch_antialias(mode) and rank == 4
        if mode == "lanczos":
            choices = [True]
        else:
            choices = [False, True] if aa else [False]
        out.append((mode, choices))
    return out


def _takes_align_corners(mode):
    m = _modes.BY_TORCH_NAME.get(mode) or _modes.BY_NAME.get(mode)
    return m is not None and m.align_corners


def _small_shape(rng, batch_dims, spatial):
    """A shape with the spatial lengths 1..40 and at most MAX_ELEMENTS elements."""
    while True:
        lengths = [int(rng.integers(1, 41)) if rng.random() < 0.8 else int(rng.integers(1, 4))
                   for _ in range(spatial)]
        batch = [int(rng.integers(1, 4)) if i == 0 else int(rng.integers(1, 6)) for i in range(batch_dims)]
        if int(np.prod(batch + lengths)) <= MAX_ELEMENTS:
            return batch, lengths


def valid_interpolate(rng, misaligned):
    rank = int(rng.integers(3, 6))
    mode, aa_choices = _interpolate_modes(rank)[int(rng.integers(len(_interpolate_modes(rank))))]
    dtype = FORWARD_DTYPES[int(rng.integers(len(FORWARD_DTYPES)))]
    batch, lengths = _small_shape(rng, 2, rank - 2)
    size, scale = _size_or_scale(rng, lengths, MAX_ELEMENTS // int(np.prod(batch)))
    kwargs = {"mode": mode}
    if size is not None:
        kwargs["size"] = size
    else:
        kwargs["scale_factor"] = scale
        if rng.random() < 0.3:
            kwargs["recompute_scale_factor"] = bool(rng.integers(2))
    if _takes_align_corners(mode) and rng.random() < 0.7:
        kwargs["align_corners"] = bool(rng.integers(2))
    antialias = aa_choices[int(rng.integers(len(aa_choices)))]
    if antialias or rng.random() < 0.3:
        kwargs["antialias"] = antialias
    threads = _threads(rng)
    if threads is not None:
        kwargs["num_threads"] = threads
    kinds = _layouts(rank, True) + (["misaligned"] if misaligned else [])
    x, _ = _laid_out(rng, _values(rng, (*batch, *lengths), dtype), kinds[int(rng.integers(len(kinds)))])
    return Call("interpolate", resample.interpolate, [x], kwargs)


def _forward_result(call):
    """The forward call's result, or None when it raises an allowed exception."""
    try:
        return call.run()
    except ALLOWED:
        return None


def valid_backward(rng, misaligned):
    for _ in range(10):
        forward = valid_interpolate(rng, False)
        x = forward.args[0]
        if x.dtype != np.uint8:
            break
    else:
        x = forward.args[0] = forward.args[0].astype(np.float32)
    kwargs = {k: v for k, v in forward.kwargs.items() if k != "num_threads"}
    y = _forward_result(Call("interpolate", resample.interpolate, [np.zeros(x.shape, x.dtype)], kwargs))
    if y is None or y.size > MAX_ELEMENTS:
        return None
    kinds = _layouts(y.ndim, True) + (["misaligned"] if misaligned else [])
    g, _ = _laid_out(rng, _values(rng, y.shape, x.dtype), kinds[int(rng.integers(len(kinds)))])
    input_size = list(x.shape) if rng.random() < 0.5 else tuple(x.shape)
    threads = _threads(rng)
    if threads is not None:
        kwargs["num_threads"] = threads
    return Call("interpolate_backward", resample.interpolate_backward, [g, input_size], kwargs)


def _resize_axes(rng, ndim):
    k = int(rng.integers(1, min(ndim, 3) + 1))
    axes = [int(a) for a in rng.choice(ndim, k, replace=False)]
    axes = [a - ndim if rng.random() < 0.2 else a for a in axes]
    return axes


def _resize_mode(rng):
    names = [m.name for m in _modes.TABLE] if RESIZE_ANY_AXES else list(
        getattr(resample._resize, "IMAGE_MODES", ()))
    if RESIZE_ANY_AXES and rng.random() < 0.3:        # aliases too
        names = [n for m in _modes.TABLE for n in (m.name, *m.aliases)]
    return names[int(rng.integers(len(names)))]


def _resize_flags(rng, mode, kwargs):
    m = _modes.BY_NAME.get(mode)
    if m is None:                                     # the old image API: its own names
        m = _modes.BY_TORCH_NAME.get(mode)
    lanczos = m is not None and m.filter == "lanczos"
    if lanczos:
        kwargs["antialias"] = True
    elif rng.random() < 0.7:
        kwargs["antialias"] = bool(rng.integers(2))
    if m is not None and m.align_corners and rng.random() < 0.5:
        kwargs["align_corners"] = bool(rng.integers(2))
    if "boundary" in RESIZE_PARAMS and m is not None and m.filter in _FOLDING and rng.random() < 0.2:
        kwargs["boundary"] = _FILTER_BOUNDARIES[int(rng.integers(len(_FILTER_BOUNDARIES)))]


# the filters whose taps read past the edges, and the rules they take (resize's boundary=)
_FOLDING = ("bilinear", "bicubic", "lanczos")
_FILTER_BOUNDARIES = ("reflect", "grid-mirror", "mirror", "nearest", "grid-wrap", "grid-constant")


def _cval(rng, dtype, kwargs):
    """A constant for grid-constant that the dtype holds (integers for the integer dtypes)."""
    if kwargs.get("boundary") == "grid-constant" and rng.random() < 0.7:
        kind = np.dtype(dtype).kind if dtype != "bfloat16" else "f"
        kwargs["cval"] = int(rng.integers(0, 128)) if kind in "ui" else float(rng.normal() * 10)


def valid_resize(rng, misaligned, dtypes=None):
    colour = dtypes is None and "gamma" in RESIZE_PARAMS     # (resize_backward takes no colour)
    dtypes = dtypes or RESIZE_DTYPES
    dtype = dtypes[int(rng.integers(len(dtypes)))]
    mode = _resize_mode(rng)
    kwargs = {"mode": mode}
    _resize_flags(rng, mode, kwargs)
    if RESIZE_ANY_AXES and rng.random() < 0.6:
        ndim = int(rng.integers(1, 6))
        axes = _resize_axes(rng, ndim)
        shape = [int(rng.integers(1, 6)) for _ in range(ndim)]
        for a in axes:
            shape[a] = int(rng.integers(1, 41))
        while np.prod(shape) > MAX_ELEMENTS:
            shape = [max(1, n // 2) for n in shape]
        lengths = [shape[a] for a in axes]
        others = int(np.prod(shape)) // int(np.prod(lengths))
        size, scale = _size_or_scale(rng, lengths, MAX_ELEMENTS // others, "shortest axis")
        kwargs["axes"] = axes if len(axes) > 1 or rng.random() < 0.5 else axes[0]
    else:                                             # the image convention
        ndim = int(rng.integers(2, 5))
        h, w = int(rng.integers(1, 41)), int(rng.integers(1, 41))
        if ndim == 2:
            shape = [h, w]
        elif ndim == 3:
            shape = [h, w, int(rng.choice([1, 2, 3, 4]))]
            if shape[0] in (1, 3, 4) and shape[2] > 4:
                shape[2] = 3
        else:
            shape = [int(rng.integers(1, 4)), h, w, int(rng.choice([1, 3, 4]))]
        if RESIZE_ANY_AXES:
            others = int(np.prod(shape)) // (h * w)
            size, scale = _size_or_scale(rng, [h, w], MAX_ELEMENTS // others, "shortest axis")
        else:
            size, scale = (int(rng.integers(1, 41)), int(rng.integers(1, 41))), None
            if rng.random() < 0.3:
                size = int(rng.integers(1, 41))
    if scale is not None:
        kwargs["scale_factor"] = scale
        args = []
    else:
        args = [size]
    if colour:
        _resize_colour(rng, shape, np.dtype(dtype) if dtype != "bfloat16" else None, kwargs)
        _cval(rng, dtype, kwargs)
    threads = _threads(rng)
    if threads is not None:
        kwargs["num_threads"] = threads
    kinds = _layouts(len(shape), len(shape) >= 3) + (["misaligned"] if misaligned else [])
    x, _ = _laid_out(rng, _values(rng, tuple(shape), np.dtype(dtype)), kinds[int(rng.integers(len(kinds)))])
    return Call("resize", resample.resize, [x, *args], kwargs)


def _resize_colour(rng, shape, dtype, kwargs):
    """Now and then resize's colour options (docs/guide/colour.md): gamma='srgb' on any
    dtype but int16, alpha=True where the last axis holds 2 or more channels and is not
    resized."""
    if dtype is None or dtype == np.int16 or rng.random() < 0.7:
        return
    axes = kwargs.get("axes")
    resized = {2: (0, 1), 3: (0, 1), 4: (1, 2)}.get(len(shape), ()) if axes is None else (
        [axes] if isinstance(axes, int) else axes)
    resized = [a % len(shape) for a in resized]
    if len(shape) >= 2 and shape[-1] >= 2 and len(shape) - 1 not in resized and rng.random() < 0.6:
        kwargs["alpha"] = True
    if "alpha" not in kwargs or rng.random() < 0.5:
        kwargs["gamma"] = "srgb"


def valid_resize_backward(rng, misaligned):
    forward = valid_resize(rng, False, FLOAT_DTYPES)
    x = forward.args[0]
    kwargs = {k: v for k, v in forward.kwargs.items() if k != "num_threads"}
    y = _forward_result(Call("resize", resample.resize, [np.zeros(x.shape, x.dtype), *forward.args[1:]], kwargs))
    if y is None or y.size > MAX_ELEMENTS:
        return None
    kinds = _layouts(y.ndim, y.ndim >= 3) + (["misaligned"] if misaligned else [])
    g, _ = _laid_out(rng, _values(rng, y.shape, x.dtype), kinds[int(rng.integers(len(kinds)))])
    threads = _threads(rng)
    if threads is not None:
        kwargs["num_threads"] = threads
    return Call("resize_backward", RESIZE_BACKWARD, [g, list(x.shape), *forward.args[1:]], kwargs)


# ----------------------------------------------------------------------------- bad values

# compat: each reproduction's own argument rules, random layouts (the values matter only
# for the sanitizers: the oracles are the tests')
PIL_MODES = {"L": (np.uint8, 0), "LA": (np.uint8, 2), "RGB": (np.uint8, 3), "RGBA": (np.uint8, 4),
             "RGBX": (np.uint8, 4), "CMYK": (np.uint8, 4), "YCbCr": (np.uint8, 3),
             "LAB": (np.uint8, 3), "HSV": (np.uint8, 3), "La": (np.uint8, 2),
             "RGBa": (np.uint8, 4), "P": (np.uint8, 0), "1": (np.bool_, 0),
             "I;16": (np.uint16, 0), "I": (np.int32, 0), "F": (np.float32, 0)}


def _compat_image(rng, shape, dtype, misaligned):
    a = (rng.random(shape) > 0.5) if dtype == np.bool_ else _values(rng, shape, np.dtype(dtype))
    kinds = _layouts(len(shape), len(shape) >= 3) + (["misaligned"] if misaligned else [])
    return _laid_out(rng, a, kinds[int(rng.integers(len(kinds)))])[0]


def valid_pil_resize(rng, misaligned):
    mode = list(PIL_MODES)[int(rng.integers(len(PIL_MODES)))]
    dtype, bands = PIL_MODES[mode]
    h, w = int(rng.integers(1, 61)), int(rng.integers(1, 61))
    x = _compat_image(rng, (h, w, bands) if bands else (h, w), dtype, misaligned)
    simd = dtype == np.uint8 and rng.random() < 0.3
    filters = [f for f in compat.PIL_FILTERS if not (simd and f.startswith("mks"))]
    kwargs = {"mode": mode, "num_threads": _threads(rng), "pillow_simd": simd}
    if rng.random() < 0.3:
        x0, y0 = rng.uniform(0, w / 2), rng.uniform(0, h / 2)
        kwargs["box"] = (x0, y0, rng.uniform(x0, w), rng.uniform(y0, h))
    if dtype != np.uint16 and rng.random() < 0.3:
        kwargs["reducing_gap"] = float(rng.choice([1.0, 1.5, 2.0, 3.0]))
    size = (int(rng.integers(1, 61)), int(rng.integers(1, 61)))
    return Call("pil_resize", compat.pil_resize,
                [x, size, filters[int(rng.integers(len(filters)))]], kwargs)


def valid_torchvision_resize(rng, misaligned):
    dtype = [np.uint8, np.float32, np.float64][int(rng.integers(3))]
    shape = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(0, 2)))]
    shape += [int(rng.choice([1, 3, 4])), int(rng.integers(1, 61)), int(rng.integers(1, 61))]
    x = _compat_image(rng, tuple(shape), dtype, misaligned)
    modes = ["nearest", "nearest-exact", "bilinear", "bicubic", "lanczos"]   # what torch has
    interpolation = modes[int(rng.integers(len(modes)))]
    size = int(rng.integers(1, 61)) if rng.random() < 0.5 else [int(rng.integers(1, 61)) for _ in range(2)]
    kwargs = {"interpolation": interpolation, "antialias": interpolation == "lanczos" or rng.random() < 0.5,
              "native_uint8_bilinear": rng.random() < 0.7, "torch_single_thread": rng.random() < 0.3,
              "num_threads": _threads(rng)}
    return Call("torchvision_resize", compat.torchvision_resize, [x, size], kwargs)


def valid_cv2_resize(rng, misaligned):
    dtype = [np.uint8, np.float32][int(rng.integers(2))]
    h, w = int(rng.integers(1, 61)), int(rng.integers(1, 61))
    channels = int(rng.integers(1, 6))
    x = _compat_image(rng, (h, w, channels) if rng.random() < 0.8 else (h, w), dtype, misaligned)
    flag = list(compat.CV2_INTERPOLATIONS)[int(rng.integers(len(compat.CV2_INTERPOLATIONS)))]
    if channels > 4 and flag == "area":
        flag = "linear"
    if rng.random() < 0.5:
        args = [x, (int(rng.integers(1, 61)), int(rng.integers(1, 61)))]
    else:
        args = [x, None, None, max(float(rng.choice(NICE_SCALES)), 1 / w),   # outputs >= 1
                max(float(rng.choice(NICE_SCALES)), 1 / h)]
    return Call("cv2_resize", compat.cv2_resize, args,
                {"interpolation": flag, "num_threads": _threads(rng)})


COMPAT_MAKERS = [valid_pil_resize, valid_torchvision_resize, valid_cv2_resize]


def _bad_array_values():
    return [None, "abc", [[1, 2], [3]], np.zeros((1, 1, 4), bool), np.zeros((1, 1, 4), complex),
            np.zeros((1, 1, 4), np.int64), np.zeros(()), np.zeros((4,)), np.zeros((1, 4)),
            np.zeros((1,) * 6), np.ma.masked_array(np.zeros((1, 1, 4)), mask=[[[1, 0, 0, 0]]]),
            np.zeros((1, 1, 4), object), np.zeros((0, 1, 4), np.float32),
            np.zeros((1, 0, 4, 4), np.float32), np.zeros((1, 1, 0, 3), np.float32),
            np.broadcast_to(np.float32(1), (2, 3, 5, 4)), np.zeros((1, 1, 4), ">f4"),
            np.zeros((1, 1, 4), np.uint16), np.zeros((1, 1, 4), np.int8)]


# Huge sizes and scales are chosen to need more than any machine's memory (a MemoryError
# before anything is allocated) even on a 1-element axis: a merely large one (2**31 bytes)
# would really run, for minutes under ASan.
BAD_SIZES = [-1, 0, 2.5, "4", (1, 2, 3, 4), (None,), 2**70, 2**62, 2**40, float("nan"), [True],
             {}, (0, 5), (5, -5), (2**40, 2**40), (True, 2), np.int64(3), np.float32(2.0), []]
BAD_SCALES = [float("nan"), float("inf"), -1.0, 0.0, "2", (1.0,) * 4, 1e300, (None,), 1e-300,
              -0.0, (2.0, float("nan")), 1e13, [2, 3], np.float16(1.5), True, 1e-7, 2**64]
BAD_MODES = ["foo", 3, None, ["bilinear"], "BILINEAR", "cubic", "linear", "bilinear", "trilinear",
             "bicubic", "lanczos", "area", "nearest-exact", ""]
BAD_FLAGS = ["x", 2, 1.0, [], None, np.bool_(True), 0, "True"]
BAD_THREADS = [0, -2, 1.5, "2", True, [], 2**40, 2**70, np.int32(2), -1, 1000]
BAD_AXES = [99, -99, (0, 0), "a", [], (1.5,), (0, 1, 2, 3, 4, 5, 6), None, True, (0, -1)]


def _bad_out(rng, result_like):
    """Bad `out` values, some of them built from a good output array."""
    choices = [[1], "out", np.zeros(3), np.zeros((2, 2), np.float64)]
    if isinstance(result_like, np.ndarray):
        wrong_dtype = result_like.astype(np.float64 if result_like.dtype != np.float64 else np.float32)
        readonly = np.empty_like(result_like)
        readonly.flags.writeable = False
        choices += [wrong_dtype, readonly, _misaligned_copy(result_like) if result_like.dtype.itemsize > 1 else readonly,
                    np.asfortranarray(np.empty_like(result_like)) if result_like.ndim > 1 else wrong_dtype,
                    np.empty(result_like.shape[:-1] + (result_like.shape[-1] + 1,), result_like.dtype)]
    return choices[int(rng.integers(len(choices)))]


def _pick(rng, values):
    return values[int(rng.integers(len(values)))]


def bad_call(rng, misaligned):
    """A valid call with one argument replaced by a bad (or odd) value."""
    kind = _pick(rng, ["interpolate", "interpolate", "backward", "resize"]
                 + (["resize_backward"] if RESIZE_BACKWARD else []))
    if kind == "interpolate":
        call = valid_interpolate(rng, misaligned)
        argument = _pick(rng, ["x", "size", "scale_factor", "mode", "align_corners", "antialias",
                               "recompute_scale_factor", "out", "num_threads", "unknown"])
    elif kind == "backward":
        call = valid_backward(rng, misaligned)
        argument = _pick(rng, ["x", "input_size", "size", "scale_factor", "mode", "align_corners",
                               "antialias", "out", "num_threads", "grad_shape"])
    elif kind == "resize":
        call = valid_resize(rng, misaligned)
        argument = _pick(rng, ["x", "size", "mode", "antialias", "align_corners", "out",
                               "num_threads", "unknown"]
                         + (["axes", "scale_factor"] if RESIZE_ANY_AXES else []))
    else:
        call = valid_resize_backward(rng, misaligned)
        argument = _pick(rng, ["x", "input_size", "size", "mode", "axes", "scale_factor", "out",
                               "num_threads", "grad_shape"])
    if call is None:
        return None
    kw = call.kwargs
    if argument == "x":
        call.args[0] = _pick(rng, _bad_array_values())
        value = call.args[0]
    elif argument == "input_size":
        value = _pick(rng, [None, "abc", (1, -2, 3), (2, 2.5), [[1]], -1, 2**70, (1, 1),
                            (1, 1, 2**62, 2), tuple(call.args[1])[:-1], (0,) * len(call.args[1])])
        call.args[1] = value
    elif argument == "grad_shape":
        g = call.args[0]
        value = np.zeros(g.shape[:-1] + (g.shape[-1] + 1,), g.dtype) if rng.random() < 0.7 else g.astype(np.uint8)
        call.args[0] = value
    elif argument in ("size", "scale_factor"):
        value = _pick(rng, BAD_SIZES if argument == "size" else BAD_SCALES)
        positional = call.name.startswith("resize") and len(call.args) > (2 if call.name == "resize_backward" else 1)
        if call.name.startswith("resize"):
            del call.args[2 if call.name == "resize_backward" else 1:]
            kw.pop("scale_factor", None)
            if argument == "size":
                call.args.append(value)
            else:
                kw["scale_factor"] = value
                if rng.random() < 0.2 and positional:     # both given
                    call.args.append(4)
        else:
            kw.pop("size", None)
            kw.pop("scale_factor", None)
            kw[argument] = value
            if rng.random() < 0.1:
                kw["size" if argument == "scale_factor" else "scale_factor"] = 2
    elif argument == "mode":
        value = kw["mode"] = _pick(rng, BAD_MODES)
    elif argument in ("align_corners", "antialias", "recompute_scale_factor"):
        value = kw[argument] = _pick(rng, BAD_FLAGS + [True, False])
    elif argument == "out":
        expected = _forward_result(Call(call.name, call.fn, call.args, {k: v for k, v in kw.items() if k != "out"}))
        value = kw["out"] = _bad_out(rng, expected)
    elif argument == "num_threads":
        value = kw["num_threads"] = _pick(rng, BAD_THREADS)
    elif argument == "axes":
        value = kw["axes"] = _pick(rng, BAD_AXES)
    else:
        value = kw["nonsense"] = 1
    call.bad = f"{argument}={_describe(value)}"
    return call


# ----------------------------------------------------------------------------- checks

def check_valid(rng, call, result, stats):
    if not isinstance(result, np.ndarray):
        raise Failure(f"returned {type(result).__name__}, not an ndarray")
    x = call.args[0]
    if result.dtype != x.dtype:
        raise Failure(f"result dtype {result.dtype} != input dtype {x.dtype}")
    if call.name == "interpolate" and result.shape[:2] != x.shape[:2]:
        raise Failure(f"result shape {result.shape} does not keep N, C of {x.shape}")
    if call.name.endswith("backward"):
        want = tuple(call.args[1])
        if result.shape != want:
            raise Failure(f"result shape {result.shape} != input size {want}")
    first = np.array(result, copy=True)      # out= would be written again below
    kwargs = {k: v for k, v in call.kwargs.items() if k != "out"}
    _expect_same(first, call.fn(*call.args, **kwargs), "a second identical call")
    if rng.random() < 0.25:
        # the same bits on another thread count, from the values in another memory layout
        kwargs["num_threads"] = int(rng.integers(1, 4))
        kind = ["c", "reversed", "sliced", "fortran", "swapped", "channels_last"][int(rng.integers(6))]
        x, kind = _laid_out(rng, np.array(call.args[0], copy=True), kind)
        again = call.fn(x, *call.args[1:], **kwargs)
        stats["rechecked"] += 1
        # docs/reliability.md: a NaN's sign and payload may differ by layout and thread count
        _expect_same(first, again, f"num_threads={kwargs['num_threads']} from a {kind} copy",
                     any_nan=True)


def _nan_blind(a):
    """a with every NaN replaced by one canonical NaN (float dtypes only)."""
    a = np.array(a, copy=True)
    if a.dtype.kind == "f" or a.dtype.name == "bfloat16":
        nan = np.isnan(a.astype(np.float32) if a.dtype.name == "bfloat16" else a)
        a[nan] = np.nan
    return a


def _expect_same(first, again, what, any_nan=False):
    again = np.asarray(again)
    if any_nan and first.shape == again.shape and first.dtype == again.dtype:
        first, again = _nan_blind(first), _nan_blind(again)
    if not _same_bits(first, again):
        diff = (np.argwhere(np.ascontiguousarray(first).view(np.uint8)
                            != np.ascontiguousarray(again).view(np.uint8))
                if first.shape == again.shape and first.dtype == again.dtype else [])
        raise Failure(f"different bits on {what} (first differing byte at {diff[:1].tolist()})")


# ----------------------------------------------------------------------------- driver

MISALIGNED_PROBE = r"""
import numpy as np, resample
def mis(a):
    buf = np.zeros(a.nbytes + 1, np.uint8)
    m = np.ndarray(a.shape, a.dtype, buffer=buf, offset=1)
    m[...] = a
    return m
rng = np.random.default_rng(0)
for dt in (np.float16, np.float32, np.float64):
    x = rng.standard_normal((2, 3, 9, 7)).astype(dt)
    for mode in ("nearest", "bilinear", "bicubic", "area"):
        for kw in ({"size": (5, 11)}, {"scale_factor": 0.5}):
            got = resample.interpolate(mis(x), mode=mode, num_threads=2, **kw)
            want = resample.interpolate(x, mode=mode, **kw)
            assert np.array_equal(got, want, equal_nan=True), (dt, mode, kw)
    g = rng.standard_normal((2, 3, 5, 11)).astype(dt)
    got = resample.interpolate_backward(mis(g), x.shape, size=(5, 11), mode="bilinear")
    assert np.array_equal(got, resample.interpolate_backward(g, x.shape, size=(5, 11), mode="bilinear"))
    img = rng.standard_normal((9, 7, 3)).astype(dt)
    assert np.array_equal(resample.resize(mis(img), (5, 11)), resample.resize(img, (5, 11)))
print("misaligned ok")
"""


def _without_log_path(options):
    return ":".join(o for o in options.split(":") if o and not o.startswith("log_path="))


def misaligned_supported():
    """Whether resample handles misaligned input cleanly, tried in a subprocess (a
    sanitizer report there must not end this run, nor land in the report directory)."""
    env = dict(os.environ)
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if name in env:
            env[name] = _without_log_path(env[name])
    proc = subprocess.run([sys.executable, "-c", MISALIGNED_PROBE], env=env, capture_output=True,
                          text=True, timeout=300)
    ok = proc.returncode == 0 and "misaligned ok" in proc.stdout
    why = "" if ok else (proc.stderr.strip().splitlines() or ["(no output)"])
    return ok, ("" if ok else f"exit status {proc.returncode}: " + " | ".join(why[-6:]))


def _lift_cpu_cap():
    """Let num_threads 2 and 3 really start that many threads on a machine with fewer CPUs
    (as tests/conftest.py does): the seams between threads' rows are what to check."""
    try:
        from resample import _runtime
        _runtime._State.cpu_limit = max(_runtime._State.cpu_limit, 8)
    except (ImportError, AttributeError):
        pass


def main(argv=None):
    global MAX_ELEMENTS
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--iterations", type=int, default=int(os.environ.get("FUZZ_ITERATIONS", 20000)))
    p.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 60)))
    p.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 0)) or None)
    p.add_argument("--start", type=int, default=0, help="first iteration number (to replay one)")
    p.add_argument("--bad-fraction", type=float, default=0.3)
    p.add_argument("--misaligned", choices=["auto", "yes", "no"], default="auto")
    p.add_argument("--last-call", help="file that holds the description of the call running now")
    p.add_argument("--slowest", type=int, default=0, help="list the N slowest calls")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")

    if args.misaligned == "auto":
        misaligned, why = misaligned_supported()
        print("misaligned inputs: " + ("in the valid calls (resample copies them)" if misaligned else
              f"LEFT OUT of the valid calls, the probe failed ({why})"), flush=True)
    else:
        misaligned = args.misaligned == "yes"
    print(f"fuzz: seed {seed}, iterations {args.start}..{args.start + args.iterations - 1}, "
          f"at most {args.seconds:g} s; resize API: "
          f"{'any axes' if RESIZE_ANY_AXES else 'images'}"
          f"{', resize_backward' if RESIZE_BACKWARD else ''}", flush=True)

    _lift_cpu_cap()
    makers = [valid_interpolate, valid_interpolate, valid_backward, valid_resize]
    if RESIZE_BACKWARD:
        makers.append(valid_resize_backward)
    makers += COMPAT_MAKERS
    stats = {k: 0 for k in ("valid", "valid_rejected", "bad_raised", "bad_accepted", "rechecked",
                            "skipped")}
    rejected_examples = {}
    failures = []
    timings = []
    start = time.monotonic()
    done = 0
    for i in range(args.start, args.start + args.iterations):
        if time.monotonic() - start > args.seconds:
            break
        rng = np.random.default_rng([seed, i])
        MAX_ELEMENTS = BIG_ELEMENTS if rng.random() < 0.1 else SMALL_ELEMENTS
        bad = rng.random() < args.bad_fraction
        try:
            with np.errstate(all="ignore"):
                call = bad_call(rng, misaligned) if bad else makers[int(rng.integers(len(makers)))](rng, misaligned)
        except Exception:
            failures.append((i, "(building the call)", traceback.format_exc()))
            break
        done += 1
        if call is None:
            stats["skipped"] += 1
            continue
        text = f"iteration {i} (seed {seed}): {call}"
        if args.last_call:
            with open(args.last_call, "w") as f:
                f.write(text + "\n")
        if args.verbose:
            print(text, flush=True)
        t0 = time.monotonic()
        try:
            with np.errstate(all="ignore"):       # NaN and inf inputs are on purpose
                result = call.run()
        except ALLOWED as exc:
            timings.append((time.monotonic() - t0, text))
            if bad:
                stats["bad_raised"] += 1
            else:
                stats["valid_rejected"] += 1
                key = f"{call.name}: {type(exc).__name__}: {str(exc)[:120]}"
                rejected_examples.setdefault(key, text)
            continue
        except Exception:
            failures.append((i, text, traceback.format_exc()))
            continue
        timings.append((time.monotonic() - t0, text))
        if bad:
            stats["bad_accepted"] += 1
            continue
        stats["valid"] += 1
        try:
            with np.errstate(all="ignore"):
                check_valid(rng, call, result, stats)
        except Failure as exc:
            failures.append((i, text, f"Failure: {exc}"))
        except Exception:
            failures.append((i, text, traceback.format_exc()))
        if len(failures) >= 10:
            break

    elapsed = time.monotonic() - start
    print(f"fuzz: {done} iterations in {elapsed:.1f} s: {stats['valid']} valid calls "
          f"({stats['rechecked']} rechecked on other threads/layout), {stats['valid_rejected']} "
          f"valid calls refused, {stats['bad_raised']} bad calls refused, "
          f"{stats['bad_accepted']} bad calls accepted, {stats['skipped']} skipped", flush=True)
    if args.slowest:
        print(f"the {args.slowest} slowest calls:")
        for seconds, text in sorted(timings, reverse=True)[:args.slowest]:
            print(f"  {seconds:.3f} s  {text}")
    if rejected_examples:
        print("valid calls refused with an allowed exception (a generator blind spot or a new "
              "rule; not a failure):")
        for key, text in list(rejected_examples.items())[:8]:
            print(f"  {key}\n    {text}")
    if args.last_call and os.path.exists(args.last_call):
        os.remove(args.last_call)
    if failures:
        print(f"\nFUZZ FAILURES ({len(failures)}):", file=sys.stderr)
        for i, text, tb in failures:
            print(f"--- {text}\n{tb}", file=sys.stderr)
        print(f"replay one: python tools/fuzz_loop.py --seed {seed} --start {failures[0][0]} "
              "--iterations 1 -v", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
