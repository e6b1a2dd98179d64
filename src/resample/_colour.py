"""Colour done right around resize: premultiplied alpha and linear light (sRGB's curve,
IEC 61966-2-1). The arguments are checked here and the call runs in three kernel steps:
decode (samples to linear working values, colours times alpha: _colour.pxi), the resize
itself through the engine (in float32, or float64 for float64 input), and encode (alpha
divided out, sRGB's curve, the round half to even and clamp of integers). This module
builds the curve's lookup tables (with the kernel's own curve) and does no pixel
arithmetic. docs/guide/colour.md has the rules."""
import functools
import threading

import numpy as np

from . import _engine
from ._arrays import check_flag
from ._interop import pil_alpha
from ._runtime import kernels as _kernels

GAMMAS = ("srgb",)          # resize's gamma= choices besides None
_INTEGER_TOPS = {"uint8": 255, "uint16": 65535}
_HALF = ("float16", "bfloat16")         # widened to float32 and narrowed back around it
_TAKEN = ("uint8", "uint16", *_HALF, "float32", "float64")
# encode's buckets over [0, 1]: each narrower than the gap between two of sRGB's code
# bounds (uint8's narrowest is 1 / (255 * 12.92) = 3.0e-4), so an 8-bit code is found in
# one step; uint16's bounds are closer than that near black, where it walks a few
_BUCKETS = {"uint8": 4096, "uint16": 65536}
# PIL modes whose bands sRGB's curve may decode (their alpha band, if any, last)
_PIL_SRGB = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "I;16", "I;16L", "I;16B", "I;16N"}


def resolve(given, x, call, alpha, gamma):
    """(alpha, gamma) as bools for a resize of `x` (the array of `given`, the caller's
    input) by `call`: alpha None means what a PIL image's mode says (RGBA, LA and PA:
    straight alpha, premultiplied for the resize) and False for arrays. ValueError or
    TypeError naming the argument where the pair cannot apply."""
    if gamma is not None and gamma not in GAMMAS:
        raise ValueError(f"gamma must be None (resize the samples as they are) or 'srgb' "
                         f"(decode sRGB's curve, resize in linear light, encode), got {gamma!r}")
    if alpha is not None:
        check_flag("alpha", alpha)
    kind = pil_alpha(given)          # None (no PIL image), "", "straight" or "premultiplied"
    if kind == "premultiplied":
        if alpha or gamma:
            raise ValueError(
                f"a PIL image of mode {given.mode} is already premultiplied and is resized as "
                f"it is (leave alpha=None); for gamma='srgb' convert it first: "
                f"image.convert({'RGBA' if given.mode == 'RGBa' else 'LA'!r})")
        return False, False
    if kind == "" and alpha:
        raise ValueError(f"alpha=True: a PIL image of mode {given.mode} has no alpha band "
                         f"(leave alpha=None: RGBA, LA and PA images are premultiplied by it)")
    if kind is not None and gamma and given.mode not in _PIL_SRGB:
        raise ValueError(f"gamma='srgb' decodes sRGB's curve, which a PIL image of mode "
                         f"{given.mode} does not hold: convert it to RGB or RGBA first")
    alpha = (kind == "straight") if alpha is None else bool(alpha)
    gamma = gamma is not None
    if not (alpha or gamma):
        return False, False
    if x.dtype.name not in _TAKEN:
        raise TypeError(f"alpha and gamma take {', '.join(_TAKEN)} samples, not {x.dtype}: "
                        f"sRGB and alpha have no signed range (convert to uint16 or float32)")
    if alpha:
        if x.ndim < 2 or x.shape[-1] < 2:
            raise ValueError(f"alpha=True means the last axis holds each pixel's channels, alpha "
                             f"last; an array of shape {x.shape} has no such axis")
        if x.ndim - 1 in call.axes:
            raise ValueError(f"alpha=True means the last axis holds the channels (alpha last), "
                             f"so it cannot be resized: axes {call.axes} include it")
    return alpha, gamma


# An image is decoded, resized and encoded in bands of output rows along its first axis,
# each band's input rows (resize_block's slab) about this many working bytes, so the
# decoded samples are still in cache when the resize reads them
_BAND_BYTES = 1 << 23


def resize(x, out, call, threads, alpha, gamma):
    """out = the resize `call` of x (both C-contiguous, of one dtype) with alpha
    premultiplied (the last channel) and/or in sRGB's linear light. The work goes in
    pieces along axis 0: where it is resized, bands of its output rows (resize_block gives
    each bit for bit as the whole call would), else slabs of it (its entries, frames of a
    video, are independent), so the result is the same as in one piece."""
    work_dtype = np.dtype(np.float64 if x.dtype.name == "float64" else np.float32)
    if x.shape[0] < 2:
        _resize_piece(x, out, call, threads, alpha, gamma, work_dtype)
        return
    if call.axes[0] != 0:          # axis 0 is carried through (frames): slabs of it
        step = max(1, int(_BAND_BYTES // (x[0].size * work_dtype.itemsize)))
        for t in range(0, x.shape[0], step):
            _resize_piece(x[t:t + step], out[t:t + step], call, threads, alpha, gamma, work_dtype)
        return
    whole = _engine.for_input(call, x.shape, work_dtype)
    row_bytes = x[0].size * work_dtype.itemsize
    region = {axis: (0, n) for axis, n in zip(call.axes, call.out_size)}
    lo, hi = _engine.block_span(whole, 0, 0, 1)           # one output row's input rows
    rows = max(1, int((_BAND_BYTES / row_bytes - (hi - lo)) * out.shape[0] / x.shape[0]))
    # the other resized axes are read whole, less any edge no output reads (nearest)
    spans = [slice(None)] * x.ndim
    for axis in call.axes[1:]:
        spans[axis] = slice(*_engine.block_span(whole, axis, 0, out.shape[axis]))
    for o0 in range(0, out.shape[0], rows):
        o1 = min(out.shape[0], o0 + rows)
        spans[0] = slice(*_engine.block_span(whole, 0, o0, o1))
        region[0] = (o0, o1)
        _resize_piece(np.ascontiguousarray(x[tuple(spans)]), out[o0:o1], whole, threads, alpha,
                      gamma, work_dtype, dict(region))


_SCRATCH = threading.local()      # each thread's band buffer, kept: no page faults per band


def _scratch(samples, dtype, keep):
    """An uninitialised 1-D working array; where keep (a band of about _BAND_BYTES; a
    larger one is not kept), this thread's kept one."""
    if not keep or samples * dtype.itemsize > 4 * _BAND_BYTES:
        return np.empty(samples, dtype)
    held = getattr(_SCRATCH, dtype.name, None)
    if held is None or held.size < samples:
        held = np.empty(samples, dtype)
        setattr(_SCRATCH, dtype.name, held)
    return held[:samples]


def _resize_piece(x, out, call, threads, alpha, gamma, work_dtype, region=None):
    """decode, resize (the whole call, or the block `region` of it that x is the slab
    of), encode."""
    name = x.dtype.name
    channels = x.shape[-1] if alpha else 1
    source = x.reshape(-1)
    if name in _HALF:
        source = _scratch(x.size, np.dtype(np.float32), region is not None)
        _kernels.widen_half(x.reshape(-1).view(np.uint16), source, threads, name == "bfloat16")
    work = source if name in _HALF else _scratch(x.size, work_dtype, region is not None)
    pairs = _pairs(name, alpha, gamma, work_dtype.name)
    _kernels.decode_colour(source, work, channels, alpha, gamma, _decode_table(name, gamma),
                           pairs, threads)
    work = work.reshape(x.shape)
    if region is None:
        resized = np.empty(out.shape, work_dtype)
        _engine.run_forward(work, resized, tuple(range(x.ndim)), call, threads)
    else:
        resized = _engine.resize_block(work, call, region, threads)
    flat = resized.reshape(-1)
    target = flat if name in _HALF else out.reshape(-1)                  # (in place)
    bounds, start = _encode_tables(name, gamma)
    _kernels.encode_colour(flat, target, channels, alpha, gamma, bounds, start, threads)
    if name in _HALF:
        _kernels.narrow_half(flat, out.reshape(-1).view(np.uint16), threads, name == "bfloat16")


def _curve(values, encode=False):
    out = np.empty_like(values)
    _kernels.srgb_curve(values, out, encode)
    return out


_NO_TABLE = np.zeros(0, np.float64)
_NO_START = np.zeros(0, np.uint16)
_NO_PAIRS = {"float32": np.zeros(0, np.float32), "float64": np.zeros(0, np.float64)}


@functools.lru_cache(maxsize=None)
def _pairs(name, alpha, gamma, work):
    """What decode_colour computes for every code of an integer type without alpha, or for
    every (alpha a, code c) of uint8 at a * 256 + c, in the working type: computed by it
    (on an image of every code, or a 2-channel one of every pair), so that it only looks
    them up. Empty where there is no such table (floats, uint16 with alpha, and uint8 with
    alpha in float32 without the curve, which the kernel computes as fast exactly)."""
    top = _INTEGER_TOPS.get(name)
    if top is None or (alpha and (name != "uint8" or (not gamma and work == "float32"))):
        return _NO_PAIRS[work]
    codes = np.arange(top + 1, dtype=name)
    if alpha:
        codes = np.stack([np.tile(codes, 256), np.repeat(codes, 256)], axis=-1).reshape(-1)
    values = np.empty(codes.size, work)
    _kernels.decode_colour(codes, values, 2 if alpha else 1, alpha, gamma,
                           _decode_table(name, gamma), _NO_PAIRS[work], 1)
    table = np.ascontiguousarray(values[0::2] if alpha else values)
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=None)
def _decode_table(name, gamma):
    """Every integer code's working value in double: code / max, through sRGB's curve if
    gamma (read-only; empty for floats, which meet the curve itself)."""
    top = _INTEGER_TOPS.get(name)
    if top is None:
        return _NO_TABLE
    table = np.arange(top + 1, dtype=np.float64) / top
    table = _curve(table) if gamma else table
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=None)
def _encode_tables(name, gamma):
    """(bounds, start) of sRGB's integer encoding: bounds[k], the linear value where code k
    becomes k + 1 (the decoding of (k + 1/2) / max; then an infinite sentinel), and
    start[b], the code of b / buckets; empty where no table is needed."""
    top = _INTEGER_TOPS.get(name)
    if top is None or not gamma:
        return _NO_TABLE, _NO_START
    bounds = _curve((np.arange(top, dtype=np.float64) + 0.5) / top)
    buckets = _BUCKETS[name]
    # the kernel takes one step from a bucket's code for uint8: one bound per bucket at most
    assert name != "uint8" or np.diff(bounds).min() > 1 / buckets
    start = np.searchsorted(bounds, np.arange(buckets + 1) / buckets, side="right")
    bounds = np.append(bounds, np.inf)
    start = start.astype(np.uint16)
    for table in (bounds, start):
        table.flags.writeable = False
    return bounds, start
