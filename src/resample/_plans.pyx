"""Per-axis plans: for every output index along one axis, its input taps and weights.

Every formula follows torch 2.13's portable CPU kernels operation by operation, in the
compute type `real` (float32 for float16/float32 data, float64 for float64), because
the rounding of each step decides the last bit (docs §2, §3). Kernels never see modes:
they only apply these tables.
"""
from libc.stdint cimport int64_t
from libc.math cimport floor, floorf, ceil, sin, sinf, cos, pow, fabs, fabsf, fma, nearbyint, nearbyintf, M_PI
import numpy as np

from . import _modes

ctypedef fused real:
    float
    double

cdef extern from "_half.h" nogil:
    float resample_round_to_half(float)
    float resample_round_to_bfloat16(float)

# how a kernel stores its weights: in the compute type, or rounded to a 16-bit float
cdef enum:
    KEEP_WEIGHTS = 0
    FLOAT16_WEIGHTS
    BFLOAT16_WEIGHTS

WEIGHT_STORAGE = {"": KEEP_WEIGHTS, "float16": FLOAT16_WEIGHTS, "bfloat16": BFLOAT16_WEIGHTS}

# What a separable filter reads past the edges: torch's rule (windows clamped to the axis:
# linear's coordinate and cubic's taps clamped, antialias windows cut and renormalised), or
# a boundary rule (_modes.Boundary.filter_code, SciPy's for its filters) applied to every
# tap of the whole window
cdef enum:
    TORCH_EDGES = -1
    EXTEND_NEAREST = 0
    EXTEND_WRAP = 1
    EXTEND_REFLECT = 2
    EXTEND_MIRROR = 3
    EXTEND_CONSTANT = 4


cdef inline Py_ssize_t fold_tap(Py_ssize_t t, Py_ssize_t n, int rule) noexcept nogil:
    """The sample that tap t reads on an axis of n: t itself inside [0, n); past the edges
    the edge sample (nearest, and torch's clamp), t mod n (wrap), the half-sample mirror
    (reflect: d c b a | a b c d | d c b a), the whole-sample mirror (mirror: d c b | a b c
    d | c b a), or n, the one constant sample the engine appends to the axis (constant)."""
    cdef Py_ssize_t period, m
    if 0 <= t < n:
        return t
    if rule == EXTEND_CONSTANT:
        return n
    if rule == EXTEND_WRAP:
        period = n
    elif rule == EXTEND_REFLECT:
        period = 2 * n
    elif rule == EXTEND_MIRROR and n > 1:
        period = 2 * n - 2
    else:
        return 0 if t < 0 else n - 1
    m = t % period             # (C's remainder: negative for negative t)
    if m < 0:
        m += period
    if rule == EXTEND_WRAP or m < n:
        return m
    return period - 1 - m if rule == EXTEND_REFLECT else period - m


cdef inline real pixel_scale(real zero, Py_ssize_t n_in, Py_ssize_t n_out,
                             bint align_corners, double user_scale) noexcept nogil:
    """Input pixels per output pixel (torch area_pixel_compute_scale); user_scale <= 0: none."""
    if align_corners:
        if n_out > 1:
            return <real>(n_in - 1) / <real>(n_out - 1)
        return 0
    if user_scale > 0:
        return <real>(1.0 / user_scale)
    return <real>n_in / <real>n_out


cdef inline real source_index(real scale, Py_ssize_t i, bint align_corners, bint cubic) noexcept nogil:
    """Continuous input coordinate of output i; linear modes clamp below 0, cubic doesn't."""
    cdef real src
    if align_corners:
        return scale * <real>i
    src = scale * (<real>i + <real>0.5) - <real>0.5
    if not cubic and src < 0:
        return 0
    return src


cdef inline Py_ssize_t floor_index(real src, Py_ssize_t n_in) noexcept nogil:
    # torch calls floorf, which narrows a double coordinate to float32 first
    cdef Py_ssize_t i0 = <Py_ssize_t>floorf(<float>src)
    return i0 if i0 < n_in - 1 else n_in - 1


cdef inline real fraction(real src, Py_ssize_t i0) noexcept nogil:
    cdef real t = src - <real>i0
    if t < 0:
        return 0
    if t > 1:
        return 1
    return t


cdef inline real store_rounding(real w, int storage) noexcept nogil:
    """torch's float16 and bfloat16 kernels keep their weights in the data's type (docs §3.8,
    §3.9): `storage` is one of WEIGHT_STORAGE."""
    if real is float:
        if storage == FLOAT16_WEIGHTS:
            return resample_round_to_half(w)
        if storage == BFLOAT16_WEIGHTS:
            return resample_round_to_bfloat16(w)
    return w


cdef void fill_linear(Py_ssize_t[:, ::1] taps, real[:, ::1] weights, Py_ssize_t n_in,
                      bint align_corners, double user_scale, int storage, int rule) noexcept nogil:
    cdef Py_ssize_t n_out = taps.shape[0], i, i0
    cdef real scale = pixel_scale(<real>0, n_in, n_out, align_corners, user_scale)
    cdef real src, l1
    for i in range(n_out):
        if n_out == n_in:      # torch's same-size rule: (i, i, 1, 0) whatever the scale
            taps[i, 0] = i
            taps[i, 1] = i
            weights[i, 0] = 1
            weights[i, 1] = 0
            continue
        # a boundary rule keeps coordinates below 0 (their left tap is past the edge)
        src = source_index(scale, i, align_corners, rule != TORCH_EDGES)
        i0 = floor_index(src, n_in)
        l1 = store_rounding(fraction(src, i0), storage)
        taps[i, 0] = fold_tap(i0, n_in, rule)
        taps[i, 1] = fold_tap(i0 + 1, n_in, rule)
        weights[i, 0] = store_rounding(<real>1 - l1, storage)
        weights[i, 1] = l1


cdef inline real keys_inner(real x, real a) noexcept nogil:
    """Keys cubic for |x| <= 1, in torch's evaluation order."""
    # typed constants: Cython would write a bare 2 as the C double 2.0 and widen floats
    cdef real one = 1, two = 2, three = 3
    return ((a + two) * x - (a + three)) * x * x + one


cdef inline real keys_outer(real x, real a) noexcept nogil:
    """Keys cubic for 1 <= |x| <= 2, in torch's evaluation order."""
    cdef real four = 4, five = 5, eight = 8
    return ((a * x - five * a) * x + eight * a) * x - four * a


cdef void fill_cubic(Py_ssize_t[:, ::1] taps, real[:, ::1] weights, Py_ssize_t n_in,
                     bint align_corners, double user_scale, int storage, int rule) noexcept nogil:
    cdef Py_ssize_t n_out = taps.shape[0], i, i0, k
    cdef real scale = pixel_scale(<real>0, n_in, n_out, align_corners, user_scale)
    cdef real a = <real>-0.75, one = 1
    cdef real src, t
    for i in range(n_out):
        src = source_index(scale, i, align_corners, True)
        i0 = floor_index(src, n_in)
        t = fraction(src, i0)
        weights[i, 0] = store_rounding(keys_outer(t + one, a), storage)
        weights[i, 1] = store_rounding(keys_inner(t, a), storage)
        weights[i, 2] = store_rounding(keys_inner(one - t, a), storage)
        weights[i, 3] = store_rounding(keys_outer((one - t) + one, a), storage)
        for k in range(4):     # (torch's rule replicates the border samples)
            taps[i, k] = fold_tap(i0 - 1 + k, n_in, rule)


# Antialias filters (Pillow-style): triangle, Keys a=-0.5, Lanczos-3.
cdef enum:
    FILTER_TRIANGLE = 0
    FILTER_CUBIC = 1
    FILTER_LANCZOS = 2


cdef inline real aa_filter(real x, int kind) noexcept nogil:
    cdef float first, arg32
    cdef double second, arg64, third
    if kind == FILTER_TRIANGLE:
        x = fabs(x)
        return <real>(1.0 - <double>x) if x < 1 else 0
    if kind == FILTER_CUBIC:
        x = fabs(x)
        if x < 1:
            return keys_inner(x, <real>-0.5)
        if x < 2:
            return keys_outer(x, <real>-0.5)
        return 0
    # Lanczos-3. float32: first sinc factor in float32 with sinf, second in double,
    # product rounded once (torch's mixed evaluation, docs §3.5); float64: all double.
    x = fabs(x)
    if x >= 3:
        return 0
    arg64 = <double>x / 3.0
    second = 1.0 if arg64 == 0 else sin(arg64 * M_PI) / (arg64 * M_PI)
    if real is float:
        if x == 0:
            first = 1
        else:
            arg32 = x * <float>M_PI
            first = sinf(arg32) / arg32
        return <float>(<double>first * second)
    else:
        third = 1.0 if x == 0 else sin(x * M_PI) / (x * M_PI)
        return third * second


cdef real aa_support(real scale, int taps_at_unit_scale) noexcept nogil:
    if scale >= 1:
        return <real>((taps_at_unit_scale * 0.5) * <double>scale)
    return <real>(taps_at_unit_scale * 0.5)


cdef void fill_antialias(Py_ssize_t[:, ::1] taps, real[:, ::1] weights, Py_ssize_t[::1] counts,
                         Py_ssize_t n_in, bint align_corners, double user_scale,
                         int kind, int taps_at_unit_scale, int rule) noexcept nogil:
    cdef Py_ssize_t n_out = taps.shape[0], max_taps = taps.shape[1], i, j, lo, hi, size
    cdef real scale = pixel_scale(<real>0, n_in, n_out, align_corners, user_scale)
    cdef real support = aa_support(scale, taps_at_unit_scale)
    cdef real invscale = <real>(1.0 / <double>scale) if scale >= 1 else 1
    cdef real center, w, total
    for i in range(n_out):
        center = <real>(<double>scale * (i + 0.5))
        # torch truncates toward 0 and cuts the window to the axis; a boundary rule keeps
        # the whole window (floor: lo may be negative), its taps folded below
        lo = <Py_ssize_t>floor(<double>(center - support) + 0.5)
        hi = <Py_ssize_t>floor(<double>(center + support) + 0.5)
        if rule == TORCH_EDGES:
            lo = lo if lo > 0 else 0
            hi = hi if hi < n_in else n_in
        size = hi - lo
        size = 0 if size < 0 else (max_taps if size > max_taps else size)
        total = 0
        for j in range(size):
            w = aa_filter(<real>((<double>(<real>(lo + j) - center) + 0.5) * <double>invscale), kind)
            weights[i, j] = w
            total = total + w
            taps[i, j] = fold_tap(lo + j, n_in, rule)
        if total != 0:
            for j in range(size):
                weights[i, j] = weights[i, j] / total
        counts[i] = size


# the antialias kernels by filter, with their taps at scale 1 (twice the registry's support)
_AA_KINDS = {name: (kind, int(2 * _modes.BY_FILTER[name].support)) for name, kind in
             (("bilinear", FILTER_TRIANGLE), ("bicubic", FILTER_CUBIC), ("lanczos", FILTER_LANCZOS))}


def separable_plan(str mode, bint antialias, Py_ssize_t n_in, Py_ssize_t n_out,
                   bint align_corners, double user_scale, bint double_precision,
                   str weights16="", int boundary=TORCH_EDGES):
    """(taps, weights, counts) for one axis: output i = sum_k weights[i,k] * x[taps[i,k]]
    over k < counts[i], accumulated left to right. user_scale <= 0 means none; weights16:
    "float16" or "bfloat16" rounds the linear and cubic weights to that type as torch
    stores them for such data, "" keeps them in the compute type. boundary: -1 torch's
    edges, else a _modes.Boundary.filter_code for every tap past them (the weights are
    the same whatever the rule; constant's taps read index n_in, the sample the caller
    appends)."""
    cdef int storage = WEIGHT_STORAGE[weights16]
    dtype = np.float64 if double_precision else np.float32
    cdef int kind, unit_taps
    cdef double scale
    if antialias:
        kind, unit_taps = _AA_KINDS[mode]
        if double_precision:
            scale = pixel_scale(<double>0, n_in, n_out, align_corners, user_scale)
            width = int(ceil(aa_support(<double>scale, unit_taps))) * 2 + 1
        else:
            scale = pixel_scale(<float>0, n_in, n_out, align_corners, user_scale)
            width = int(ceil(aa_support(<float>scale, unit_taps))) * 2 + 1
        if boundary == TORCH_EDGES:
            width = min(width, n_in)   # a window never holds more than the whole axis
    else:
        width = 4 if mode == "bicubic" else 2
    taps = np.zeros((n_out, width), np.intp)
    weights = np.zeros((n_out, width), dtype)
    counts = np.full(n_out, width, np.intp)
    if antialias:
        if double_precision:
            fill_antialias[double](taps, weights, counts, n_in, align_corners, user_scale, kind, unit_taps,
                                    boundary)
        else:
            fill_antialias[float](taps, weights, counts, n_in, align_corners, user_scale, kind, unit_taps,
                                   boundary)
    elif mode == "bicubic":
        if double_precision:
            fill_cubic[double](taps, weights, n_in, align_corners, user_scale, False, boundary)
        else:
            fill_cubic[float](taps, weights, n_in, align_corners, user_scale, storage, boundary)
    else:
        if double_precision:
            fill_linear[double](taps, weights, n_in, align_corners, user_scale, False, boundary)
        else:
            fill_linear[float](taps, weights, n_in, align_corners, user_scale, storage, boundary)
    return taps, weights, counts


cdef void fill_nearest(Py_ssize_t[::1] index, real scale, Py_ssize_t n_in, bint exact) noexcept nogil:
    cdef Py_ssize_t i, k
    cdef real src
    for i in range(index.shape[0]):
        if exact:      # round the pixel-centre coordinate, ties up
            src = source_index(scale, i, False, False)
            k = <Py_ssize_t>floorf(<float>(<double>src + 0.5))
        else:
            k = <Py_ssize_t>floorf(<float>(scale * <real>i))
        index[i] = k if k < n_in - 1 else n_in - 1


def nearest_plan(Py_ssize_t n_in, Py_ssize_t n_out, double user_scale, bint exact,
                 bint double_precision):
    """Source index of each output (torch's generic-kernel rule, in the compute type)."""
    index = np.empty(n_out, np.intp)
    if double_precision:
        fill_nearest[double](index, pixel_scale(<double>0, n_in, n_out, False, user_scale), n_in, exact)
    else:
        fill_nearest[float](index, pixel_scale(<float>0, n_in, n_out, False, user_scale), n_in, exact)
    return index


def nearest_plan_small(Py_ssize_t n_in, Py_ssize_t n_out, bint exact):
    """Source index of each output by torch's channels-last rule (docs §3.1 rule S), with no
    user scale: float32 arithmetic whatever the dtype; nearest copies at out == in and halves
    at out == 2 * in."""
    index = np.empty(n_out, np.intp)
    cdef Py_ssize_t[::1] idx = index
    cdef float sc = <float>n_in / <float>n_out
    cdef Py_ssize_t i, k
    for i in range(n_out):
        if exact:
            k = <Py_ssize_t>floorf(<float>((i + 0.5) * sc))
        elif n_out == n_in:
            k = i
        elif n_out == 2 * n_in:
            k = i >> 1
        else:
            k = <Py_ssize_t>floorf(<float>i * sc)
        idx[i] = k if k < n_in - 1 else n_in - 1
    return index


def area_windows(Py_ssize_t n_in, Py_ssize_t n_out):
    """Adaptive-pooling windows [start, end) in exact integer arithmetic."""
    starts = np.empty(n_out, np.intp)
    ends = np.empty(n_out, np.intp)
    cdef Py_ssize_t[::1] s = starts, e = ends
    cdef Py_ssize_t o
    for o in range(n_out):
        s[o] = (o // n_out) * n_in + ((o % n_out) * n_in) // n_out
        e[o] = 1 + ((o + 1) * n_in - 1) // n_out
    return starts, ends


def nearest_as_plan(Py_ssize_t n_in, Py_ssize_t n_out, double user_scale, bint exact,
                    bint double_precision):
    """The nearest gather as a plan (one tap of weight 1), for the backward."""
    taps = nearest_plan(n_in, n_out, user_scale, exact, double_precision)[:, None].copy()
    weights = np.ones((n_out, 1), np.float64 if double_precision else np.float32)
    return taps, weights, np.ones(n_out, np.intp)


def area_as_plan(Py_ssize_t n_in, Py_ssize_t n_out, bint double_precision):
    """Area along one axis as a plan: the window's taps, each weighted 1/k (the forward
    divides the sum instead; the backward only needs the same linear map)."""
    starts, ends = area_windows(n_in, n_out)
    counts = ends - starts
    width = int(counts.max()) if n_out else 1
    taps = np.zeros((n_out, width), np.intp)
    weights = np.zeros((n_out, width), np.float64 if double_precision else np.float32)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef Py_ssize_t[::1] s = starts, c = counts
    cdef Py_ssize_t o, k
    for o in range(n_out):
        for k in range(c[o]):
            t[o, k] = s[o] + k
    if double_precision:
        fill_reciprocal[double](weights, c)
    else:
        fill_reciprocal[float](weights, c)
    return taps, weights, counts


cdef void fill_reciprocal(real[:, ::1] weights, const Py_ssize_t[::1] counts) noexcept nogil:
    cdef Py_ssize_t o, k
    cdef real one = 1
    for o in range(weights.shape[0]):
        for k in range(counts[o]):
            weights[o, k] = one / <real>counts[o]


def transpose_plan(taps, weights, counts, Py_ssize_t n_in):
    """The adjoint plan: for every input index, the outputs that read it and their
    weights, in increasing output order (so every gradient has one fixed summation order)."""
    cdef const Py_ssize_t[:, ::1] t = taps
    cdef const Py_ssize_t[::1] c = counts
    cdef Py_ssize_t n_out = t.shape[0], i, k, j
    readers = np.zeros(n_in, np.intp)
    cdef Py_ssize_t[::1] r = readers
    for i in range(n_out):
        for k in range(c[i]):
            r[t[i, k]] += 1
    width = max(int(readers.max()) if n_in else 0, 1)
    taps_t = np.zeros((n_in, width), np.intp)
    weights_t = np.zeros((n_in, width), weights.dtype)
    cdef Py_ssize_t[:, ::1] tt = taps_t
    r[:] = 0
    # weights are copied in NumPy (a gather of table entries, no arithmetic)
    rows = np.empty((n_in, width), np.intp)
    cols = np.empty((n_in, width), np.intp)
    cdef Py_ssize_t[:, ::1] ro = rows, co = cols
    for i in range(n_out):
        for k in range(c[i]):
            j = t[i, k]
            tt[j, r[j]] = i
            ro[j, r[j]] = i
            co[j, r[j]] = k
            r[j] += 1
    mask = np.arange(width)[None, :] < readers[:, None]
    weights_t[mask] = weights[rows[mask], cols[mask]]
    return taps_t, weights_t, readers


# ----------------------------------------------------------------------------- uint8

cdef inline double keys_filter(double x, double a) noexcept nogil:
    x = fabs(x)
    if x < 1:
        return keys_inner(x, a)
    if x < 2:
        return keys_outer(x, a)
    return 0


cdef double fill_uint8_interpolation(Py_ssize_t[:, ::1] taps, double[:, ::1] weights,
                                     Py_ssize_t[::1] counts, Py_ssize_t n_in, bint cubic,
                                     bint align_corners, double user_scale) noexcept nogil:
    """torch's uint8 bilinear/bicubic weights (docs §3.6), without antialias: the n taps
    around the source coordinate, with out-of-range taps folded onto the border pixels.
    Returns the largest weight seen (after each fold), which sets the precision."""
    cdef Py_ssize_t n_out = taps.shape[0], n = 4 if cubic else 2, half = n // 2
    cdef Py_ssize_t i, j, i0, lo, size, slot, tap
    cdef double scale = pixel_scale(<double>0, n_in, n_out, align_corners, user_scale)
    cdef double src, t, w, largest = 0
    for i in range(n_out):
        src = source_index(scale, i, align_corners, cubic)
        i0 = floor_index(src, n_in)
        t = fraction(src, i0)
        lo = i0 - half + 1
        lo = lo if lo > 0 else 0
        size = (i0 + half + 1 if i0 + half + 1 < n_in else n_in) - lo
        for j in range(size):
            taps[i, j] = lo + j
            weights[i, j] = 0
        counts[i] = size
        slot = 0
        for j in range(n):
            tap = i0 - half + 1 + j
            w = <double>(j + 1 - half) - t
            w = keys_filter(w, -0.75) if cubic else (1.0 - fabs(w) if fabs(w) < 1 else 0.0)
            if tap <= 0:
                slot = 0
            elif tap >= n_in - 1:
                slot = size - 1
            weights[i, slot] += w
            if weights[i, slot] > largest:
                largest = weights[i, slot]
            slot += 1
    return largest


def uint8_plan(str mode, bint antialias, Py_ssize_t n_in, Py_ssize_t n_out,
               bint align_corners, double user_scale, int boundary=TORCH_EDGES):
    """(taps, int16-valued weights, counts, precision) for torch's uint8 fixed-point
    kernels: output = clamp((2^(p-1) + sum_k W_k * x[taps_k]) >> p, 0, 255). boundary: as
    separable_plan's (a rule other than torch's takes the float64 plan's weights, whose
    linear and cubic formulas are the ones torch's uint8 kernels evaluate)."""
    cdef double largest = 0
    if antialias or boundary != TORCH_EDGES:
        taps, real_weights, counts = separable_plan(mode, antialias, n_in, n_out, align_corners,
                                                    user_scale, True, boundary=boundary)
        valid = np.arange(real_weights.shape[1])[None, :] < counts[:, None]
        largest = float(real_weights[valid].max()) if valid.any() else 0.0
    else:
        cubic = mode == "bicubic"
        width = 4 if cubic else 2
        taps = np.zeros((n_out, width), np.intp)
        real_weights = np.zeros((n_out, width), np.float64)
        counts = np.zeros(n_out, np.intp)
        largest = fill_uint8_interpolation(taps, real_weights, counts, n_in, cubic,
                                           align_corners, user_scale)
    cdef int precision = fixed_point_precision(largest)
    weights = np.zeros(real_weights.shape, np.int32)
    fill_fixed_point(weights, real_weights, counts, precision)
    return taps, weights, counts, precision


cdef inline long long round_half_away(double v) noexcept nogil:
    """trunc(v + 0.5) or trunc(v - 0.5): how torch's, Pillow's and Pillow-SIMD's fixed-point
    weights are rounded."""
    return <long long>(v + 0.5) if v >= 0 else <long long>(v - 0.5)


cdef int fixed_point_precision(double largest) noexcept nogil:
    """The most fraction bits p <= 22 for int16 weights whose largest is `largest`: the
    first p with round(largest * 2^(p+1)) >= 2^15 (torch's uint8 rule; Pillow-SIMD's)."""
    cdef int p
    for p in range(22):
        if <long long>(0.5 + largest * (1 << (p + 1))) >= (1 << 15):
            return p
    return 22


cdef void fill_fixed_point(int[:, ::1] fixed, const double[:, ::1] weights,
                           const Py_ssize_t[::1] counts, int precision) noexcept nogil:
    cdef Py_ssize_t i, k
    cdef double v, unit = <double>(1 << precision)
    for i in range(fixed.shape[0]):
        for k in range(counts[i]):
            v = weights[i, k] * unit
            fixed[i, k] = <short>round_half_away(v)          # into int16


# ----------------------------------------------------------------------------- Pillow

# Pillow 13's resampling filters, by Image.Resampling value (box 4, bilinear 2, hamming 5,
# bicubic 3, lanczos 1, mks2013 6, mks2021 7), evaluated as its C code does: double
# arithmetic, its constants and its operation order (docs/compat.md). Their support in
# input pixels at scale 1 is the registry's (_modes.PILLOW). `fused`: as Pillow's aarch64
# and arm64 wheels compute them, whose compilers contract each a * b + c of that code into
# one fused multiply-add (GCC's default -ffp-contract=fast, clang's =on: the same
# expressions here); x86-64 wheels are built without FMA and round every product.


cdef inline double pillow_sinc(double x) noexcept nogil:
    if x == 0.0:
        return 1.0
    x = x * M_PI
    return sin(x) / x


cdef double pillow_filter(double x, int kind, bint fused) noexcept nogil:
    if kind == 4:                                   # box
        return 1.0 if -0.5 < x <= 0.5 else 0.0
    if kind == 1:                                   # lanczos (not folded to |x|)
        return pillow_sinc(x) * pillow_sinc(x / 3) if -3.0 <= x < 3.0 else 0.0
    if x < 0.0:
        x = -x
    if kind == 2:                                   # bilinear
        return 1.0 - x if x < 1.0 else 0.0
    if kind == 5:                                   # hamming, with float constants as in C
        if x == 0.0:
            return 1.0
        if x >= 1.0:
            return 0.0
        x = x * M_PI
        if fused:
            return sin(x) / x * fma(<double><float>0.46, cos(x), <double><float>0.54)
        return sin(x) / x * (<double><float>0.54 + <double><float>0.46 * cos(x))
    if kind == 3:                                   # bicubic, a = -0.5
        if x < 1.0:
            if fused:
                return fma(fma(-0.5 + 2.0, x, -(-0.5 + 3.0)) * x, x, 1)
            return ((-0.5 + 2.0) * x - (-0.5 + 3.0)) * x * x + 1
        if x < 2.0:
            if fused:
                return fma(fma(x - 5, x, 8), x, -4) * -0.5
            return (((x - 5) * x + 8) * x - 4) * -0.5
        return 0.0
    if kind == 6:                                   # Magic Kernel Sharp 2013
        if x < 0.5:
            return fma(-7.0 / 4.0, pow(x, 2), 17.0 / 16.0) if fused else 17.0 / 16.0 - 7.0 / 4.0 * pow(x, 2)
        if x < 1.5:
            return (1.0 - x) * (7.0 / 4.0 - x)
        if x < 2.5:
            return -1.0 / 8.0 * pow(x - 5.0 / 2.0, 2)
        return 0.0
    if x < 0.5:                                     # Magic Kernel Sharp 2021
        return fma(-239.0 / 144.0, pow(x, 2), 577.0 / 576.0) if fused else 577.0 / 576.0 - 239.0 / 144.0 * pow(x, 2)
    if x < 1.5:
        return 35.0 / 36.0 * (x - 1.0) * (x - 239.0 / 140.0)
    if x < 2.5:
        return 1.0 / 6.0 * (x - 2.0) * (65.0 / 24.0 - x)
    if x < 3.5:
        return 1.0 / 36.0 * (x - 3.0) * (x - 15.0 / 4.0)
    if x < 4.5:
        return -1.0 / 288.0 * pow(x - 9.0 / 2.0, 2)
    return 0.0


cdef void fill_pillow(Py_ssize_t[:, ::1] taps, double[:, ::1] weights, Py_ssize_t[::1] counts,
                      int n_in, float in0, float in1, int kind, double support,
                      double filterscale, double scale, bint fused) noexcept nogil:
    cdef int n_out = taps.shape[0], xx, x, lo, hi
    cdef double center, total, inv_filterscale = 1.0 / filterscale
    for xx in range(n_out):
        center = fma(xx + 0.5, scale, in0) if fused else in0 + (xx + 0.5) * scale
        lo = <int>(center - support + 0.5)          # C truncation, as Pillow's (int)
        if lo < 0:
            lo = 0
        hi = <int>(center + support + 0.5)
        if hi > n_in:
            hi = n_in
        total = 0.0
        for x in range(hi - lo):
            weights[xx, x] = pillow_filter((<double>(x + lo) - center + 0.5) * inv_filterscale, kind, fused)
            total += weights[xx, x]
            taps[xx, x] = x + lo
        if total != 0.0:
            for x in range(hi - lo):
                weights[xx, x] /= total
        counts[xx] = hi - lo if hi > lo else 0


def pillow_plan(int kind, int n_in, float in0, float in1, int n_out, bint fused=False):
    """(taps, weights, counts) of Pillow's precompute_coeffs for filter `kind` (an
    Image.Resampling value other than NEAREST): output xx reads inputs taps[xx, :counts[xx]]
    with double weights normalised to sum 1. The box edges in0, in1 are float32, as Pillow
    parses them; their difference is taken in float32 too. fused: as Pillow's ARM wheels
    compute them (their compilers' fused multiply-adds; see pillow_filter)."""
    cdef double scale = <double>(in1 - in0) / n_out
    cdef double filterscale = scale if scale > 1.0 else 1.0
    cdef double support = _modes.PILLOW_BY_CODE[kind].support * filterscale
    cdef Py_ssize_t ksize = <Py_ssize_t>ceil(support) * 2 + 1
    taps = np.zeros((n_out, ksize), np.intp)
    weights = np.zeros((n_out, ksize), np.float64)
    counts = np.zeros(n_out, np.intp)
    fill_pillow(taps, weights, counts, n_in, in0, in1, kind, support, filterscale, scale, fused)
    return taps, weights, counts


cdef void fill_pillow_fixed(int[:, ::1] fixed, const double[:, ::1] weights) noexcept nogil:
    cdef Py_ssize_t i, k
    for i in range(fixed.shape[0]):
        for k in range(fixed.shape[1]):
            # Pillow's normalize_coeffs_8bpc: 22 fraction bits
            fixed[i, k] = <int>round_half_away(weights[i, k] * (1 << 22))


def pillow_fixed_point(weights):
    """Pillow's int32 weights for its 8-bit modes (22 fraction bits) from pillow_plan's."""
    fixed = np.zeros(weights.shape, np.int32)
    fill_pillow_fixed(fixed, weights)
    return fixed


cdef void fill_pillow_nearest(Py_ssize_t[::1] index, int n_in, double start, double step,
                              bint stepwise) noexcept nogil:
    cdef Py_ssize_t i
    cdef double position = start + step * 0.5
    cdef int j
    for i in range(index.shape[0]):
        if not stepwise:
            position = step * (i + 0.5) + start
        j = -1 if position < 0.0 else <int>position
        # outside the input Pillow leaves a 0 pixel; a box inside the image keeps every
        # position at least step/2 inside it, so the clamp never acts
        index[i] = 0 if j < 0 else (n_in - 1 if j >= n_in else j)
        position += step


def pillow_nearest(int n_in, float in0, float in1, int n_out, bint stepwise):
    """Input index of each output for Pillow's NEAREST (an affine transform with scale
    (in1 - in0) / n_out and offset in0): 8- and 32-bit images step the position by adding
    the scale once per output (ImagingScaleAffine, stepwise=True), I;16 images compute each
    as scale * (i + 0.5) + in0 (the generic transform)."""
    index = np.zeros(n_out, np.intp)
    fill_pillow_nearest(index, n_in, <double>in0, <double>(in1 - in0) / n_out, stepwise)
    return index


def pillow_simd_fixed_point(const double[:, ::1] weights):
    """Pillow-SIMD's int16 weights from pillow_plan's and their precision: the largest p
    <= 22 with trunc(0.5 + max_w * 2^(p+1)) < 2^15 for the table's largest weight max_w
    (zeros included), each weight trunc(w * 2^p +- 0.5) (torch's uint8 scheme, docs §3.6)."""
    fixed = np.zeros((weights.shape[0], weights.shape[1]), np.int16)
    cdef short[:, ::1] out = fixed
    cdef double largest = weights[0, 0] if weights.shape[0] and weights.shape[1] else 0.0
    cdef Py_ssize_t i, k
    for i in range(weights.shape[0]):
        for k in range(weights.shape[1]):
            if largest < weights[i, k]:
                largest = weights[i, k]
    cdef int precision = fixed_point_precision(largest)
    for i in range(weights.shape[0]):
        for k in range(weights.shape[1]):
            out[i, k] = <short>round_half_away(weights[i, k] * (1 << precision))
    return fixed, precision


# ----------------------------------------------------------------------------- OpenCV

# cv2.resize's own code paths (imgproc/src/resize.cpp of OpenCV 5.0, x86-64 build without
# FMA); docs/compat.md has the rules these tables follow.


cdef void cv2_cubic(float x, float* c) noexcept nogil:
    # float constants: Cython would write a bare 1 or 5 here as a double
    cdef float A = -0.75, one = 1, two = 2, three = 3, four = 4, five = 5, eight = 8
    c[0] = ((A * (x + one) - five * A) * (x + one) + eight * A) * (x + one) - four * A
    c[1] = ((A + two) * x - (A + three)) * x * x + one
    c[2] = ((A + two) * (one - x) - (A + three)) * (one - x) * (one - x) + one
    c[3] = one - c[0] - c[1] - c[2]


cdef double CV2_S45 = 0.70710678118654752440084436210485
cdef double[8][2] CV2_CS = [[1, 0], [-CV2_S45, -CV2_S45], [0, 1], [CV2_S45, -CV2_S45], [-1, 0],
                            [CV2_S45, CV2_S45], [0, -1], [-CV2_S45, CV2_S45]]


cdef void cv2_lanczos4(float x, float* c) noexcept nogil:
    cdef float total = 0, three = 3, x3 = x + three, yi
    cdef double y0 = -<double>x3 * M_PI * 0.25, s0 = sin(y0), c0 = cos(y0), y
    cdef int i
    for i in range(8):
        yi = x3 - i
        if fabsf(yi) >= <float>1e-6:
            y = -<double>yi * M_PI * 0.25
            c[i] = <float>((CV2_CS[i][0] * s0 + CV2_CS[i][1] * c0) / (y * y))
        else:
            c[i] = <float>1e30        # OpenCV's marker for a tap on the sample; normalised away
        total += c[i]
    total = <float>1 / total
    for i in range(8):
        c[i] *= total


cdef void fill_cv2(Py_ssize_t[:, ::1] taps, float[:, ::1] weights, int n_in, double scale,
                   double inv_scale, int kind, bint area_mode, bint clamp_edges) noexcept nogil:
    cdef int n_out = taps.shape[0], width = taps.shape[1], d, j, s, t
    cdef float f
    for d in range(n_out):
        if area_mode:
            s = <int>floor(d * scale)
            f = <float>((d + 1) - (s + 1) * inv_scale)
            f = 0 if f <= 0 else f - <float><int>floorf(f)
        else:
            f = <float>((d + 0.5) * scale - 0.5)
            s = <int>floorf(f)
            f = f - <float>s
        if clamp_edges and s < 0:               # linear modes, along x only
            f, s = 0, 0
        if clamp_edges and s >= n_in - 1:
            f, s = 0, n_in - 1
        if width == 2:
            weights[d, 0] = <float>1 - f
            weights[d, 1] = f
        elif width == 4:
            cv2_cubic(f, &weights[d, 0])
        else:
            cv2_lanczos4(f, &weights[d, 0])
        for j in range(width):                  # taps past an edge repeat the edge pixel
            t = s - width // 2 + 1 + j
            taps[d, j] = 0 if t < 0 else (n_in - 1 if t > n_in - 1 else t)


def cv2_plan(str kind, int n_in, int n_out, double inv_scale, bint along_x, bint fixed_point):
    """(taps, weights) of cv2.resize's generic separable path along one axis: `kind` linear,
    cubic, lanczos or area (INTER_AREA enlarging: linear with area coefficients). Float
    weights as OpenCV computes them, or (fixed_point, for uint8) int16 = round-half-even of
    w * 2048 in float32. Along x the linear modes clamp the source position at the edges;
    along y they do not (their rows are clamped instead, with the weights kept)."""
    cdef int width = _modes.OPENCV_TAPS[kind]
    taps = np.zeros((n_out, width), np.intp)
    weights = np.zeros((n_out, width), np.float32)
    fill_cv2(taps, weights, n_in, 1.0 / inv_scale, inv_scale, width, kind == "area",
             along_x and width == 2)
    if not fixed_point:
        return taps, weights
    fixed = np.zeros((n_out, width), np.int16)
    cdef float[:, ::1] w = weights
    cdef short[:, ::1] out = fixed
    cdef Py_ssize_t i, k
    cdef float v
    for i in range(n_out):
        for k in range(width):
            v = nearbyintf(w[i, k] * <float>2048)
            out[i, k] = <short>(-32768 if v < -32768 else (32767 if v > 32767 else v))
    return taps, fixed


def cv2_nearest(int n_in, int n_out, double inv_scale, bint exact):
    """INTER_NEAREST: min(floor(i * (1 / inv_scale)), n_in - 1) in double; INTER_NEAREST_EXACT:
    the position n_in / n_out * 0.5 advanced by adding n_in / n_out per output, floored."""
    index = np.zeros(n_out, np.intp)
    cdef Py_ssize_t[::1] idx = index
    cdef double step = 1.0 / inv_scale, position
    cdef Py_ssize_t i, k
    if exact:
        step = <double>n_in / <double>n_out
        position = step * 0.5
    for i in range(n_out):
        k = <Py_ssize_t>floor(position if exact else i * step)
        idx[i] = k if k < n_in - 1 else n_in - 1
        position = position + step if exact else 0
    return index


def cv2_area_table(int n_in, int n_out, double inv_scale):
    """INTER_AREA's general table along one axis (computeResizeAreaTab): (output, input,
    float32 weight) entries in OpenCV's order: the partial cell on the left, the whole
    ones, the partial one on the right."""
    cdef double scale = 1.0 / inv_scale, fsx1, fsx2, cell
    cdef int d, sx1, sx2, s
    outs, ins, weights = [], [], []
    for d in range(n_out):
        fsx1 = d * scale
        fsx2 = fsx1 + scale
        cell = scale if scale < n_in - fsx1 else n_in - fsx1
        sx1 = <int>ceil(fsx1)
        sx2 = <int>floor(fsx2)
        sx2 = sx2 if sx2 < n_in - 1 else n_in - 1
        sx1 = sx1 if sx1 < sx2 else sx2
        if sx1 - fsx1 > 1e-3:
            outs.append(d); ins.append(sx1 - 1); weights.append(<float>((sx1 - fsx1) / cell))
        for s in range(sx1, sx2):
            outs.append(d); ins.append(s); weights.append(<float>(1.0 / cell))
        if fsx2 - sx2 > 1e-3:
            outs.append(d); ins.append(sx2)
            weights.append(<float>(min(min(fsx2 - sx2, 1.0), cell) / cell))
    return (np.array(outs, np.intp), np.array(ins, np.intp), np.array(weights, np.float32))


def cv2_linear_exact_plan(int n_in, int n_out, double inv_scale, int bits=8):
    """(taps, fixed-point weights) of cv2.resize's INTER_LINEAR_EXACT (resize_bitExact):
    position scale * (i + 0.5) - 0.5 in double, weights (2^bits - w, w) with w its fraction
    times 2^bits rounded half to even; outputs left of the first tap or right of the last
    repeat the edge pixel (weights 2^bits, 0). bits: OpenCV's fraction bits for the image's
    type, 8 for uint8 (int16 weights), 16 for int8, uint16 and int16, 32 for int32 (int64
    weights for those two)."""
    if bits not in (8, 16, 32):
        raise ValueError(f"bits must be 8, 16 or 32, got {bits}")
    taps = np.zeros((n_out, 2), np.intp)
    weights = np.zeros((n_out, 2), np.int64)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef int64_t[:, ::1] w = weights
    cdef double scale = 1.0 / inv_scale, position, unit = 2.0 ** bits
    cdef int64_t one = <int64_t>unit, fraction
    cdef int i, whole, edge
    for i in range(n_out):
        position = scale * (i + 0.5) - 0.5
        whole = <int>floor(position)
        if whole >= 0 and n_in > 1 and whole < n_in - 1:
            fraction = <int64_t>nearbyint((position - whole) * unit)
            t[i, 0], t[i, 1] = whole, whole + 1
            w[i, 0], w[i, 1] = one - fraction, fraction
        else:
            edge = 0 if (whole < 0 or n_in == 1) else n_in - 1
            t[i, 0], t[i, 1] = edge, edge
            w[i, 0], w[i, 1] = one, 0
    return taps, (weights.astype(np.int16) if bits == 8 else weights)


include "_plans_matlab.pxi"

include "_plans_frameworks.pxi"

include "_plans_spline.pxi"
