# Per-axis plans of the deep-learning frameworks (included by _plans.pyx): TensorFlow 2.21's
# image kernels (compat.tensorflow) and JAX 0.10.2's jax.image weights (compat.jax).
#
# TensorFlow: every formula follows the C++ kernel operation by operation in its types
# (float, with the few double steps the source has), because the rounding of each step
# decides the last bit. Cython literals are doubles, so every float constant below is
# cast (F_HALF and friends) where C++ writes 0.5f.

from libc.math cimport ceilf, exp, roundf, lrintf
from libc.float cimport FLT_MIN

cdef float F_HALF = 0.5
cdef float F_ONE = 1.0
cdef float F_TINY = <float>1000.0 * FLT_MIN      # 1000.0f * numeric_limits<float>::min()


cdef inline float tf_scale(Py_ssize_t n_in, Py_ssize_t n_out, bint align_corners) noexcept nogil:
    """CalculateResizeScale (image_resizer_state.h; an input of one pixel takes in / out
    even with align_corners)."""
    if align_corners and n_in > 1 and n_out > 1:
        return <float>(n_in - 1) / <float>(n_out - 1)
    return <float>n_in / <float>n_out


cdef inline float tf_source(Py_ssize_t i, float scale, bint half_pixel) noexcept nogil:
    """HalfPixelScaler, or LegacyScaler."""
    if half_pixel:
        return (<float>i + F_HALF) * scale - F_HALF
    return <float>i * scale


cdef inline Py_ssize_t bound(Py_ssize_t v, Py_ssize_t n) noexcept nogil:
    return 0 if v < 0 else (n - 1 if v > n - 1 else v)


def tf_linear_plan(Py_ssize_t n_in, Py_ssize_t n_out, bint align_corners, bint half_pixel):
    """ResizeBilinear's compute_interpolation_weights as a lerp plan: taps (lower, upper),
    the lerp in the first weight column."""
    taps = np.empty((n_out, 2), np.intp)
    weights = np.zeros((n_out, 2), np.float32)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef float[:, ::1] w = weights
    cdef float scale = tf_scale(n_in, n_out, align_corners), v, v_f
    cdef Py_ssize_t i
    with nogil:
        for i in range(n_out):
            v = tf_source(i, scale, half_pixel)
            v_f = floorf(v)
            t[i, 0] = max(<Py_ssize_t>v_f, 0)
            t[i, 1] = min(<Py_ssize_t>ceilf(v), n_in - 1)
            w[i, 0] = v - v_f
    return taps, weights, np.full(n_out, 2, np.intp)


cdef float[2050] TF_KEYS_TABLE, TF_LEGACY_TABLE


cdef void tf_cubic_table(double a, float* table) noexcept nogil:
    """InitCoeffsTable: 1025 (inner, outer) pairs, computed in double, stored as float."""
    cdef Py_ssize_t i
    cdef float x
    for i in range(1025):
        x = <float>(i * 1.0 / 1024)
        table[2 * i] = <float>(((a + 2) * x - (a + 3)) * x * x + 1)
        x = <float>(x + 1.0)
        table[2 * i + 1] = <float>(((a * x - 5 * a) * x + 8 * a) * x - 4 * a)


tf_cubic_table(-0.5, TF_KEYS_TABLE)
tf_cubic_table(-0.75, TF_LEGACY_TABLE)


def tf_cubic_plan(Py_ssize_t n_in, Py_ssize_t n_out, bint align_corners, bint half_pixel):
    """ResizeBicubic's GetWeightsAndIndices: four clamped taps from the 1024-entry table;
    half-pixel centres take Keys' a = -0.5 with out-of-image taps zeroed and the weights
    renormalised, the legacy scaler a = -0.75 as it is."""
    taps = np.empty((n_out, 4), np.intp)
    weights = np.empty((n_out, 4), np.float32)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef float[:, ::1] w = weights
    cdef float scale = tf_scale(n_in, n_out, align_corners), v, delta, total, inverse
    cdef const float* table = &TF_KEYS_TABLE[0] if half_pixel else &TF_LEGACY_TABLE[0]
    cdef Py_ssize_t i, k, at, offset
    cdef float c[4]
    with nogil:
        for i in range(n_out):
            v = tf_source(i, scale, half_pixel)
            at = <Py_ssize_t>floorf(v)
            delta = v - <float>at
            offset = lrintf(delta * <float>1024)
            c[0] = table[offset * 2 + 1]
            c[1] = table[offset * 2]
            c[2] = table[(1024 - offset) * 2]
            c[3] = table[(1024 - offset) * 2 + 1]
            for k in range(4):
                t[i, k] = bound(at - 1 + k, n_in)
                w[i, k] = c[k] if (not half_pixel or t[i, k] == at - 1 + k) else <float>0.0
            if half_pixel:
                total = w[i, 0] + w[i, 1] + w[i, 2] + w[i, 3]
                if fabsf(total) >= F_TINY:
                    inverse = F_ONE / total
                    for k in range(4):
                        w[i, k] = w[i, k] * inverse
    return taps, weights, np.full(n_out, 4, np.intp)


def tf_nearest(Py_ssize_t n_in, Py_ssize_t n_out, bint align_corners, bint half_pixel):
    """ResizeNearestNeighbor's compute_indices (HalfPixelScalerForNN: no - 0.5; align
    corners rounds half away from zero)."""
    index = np.empty(n_out, np.intp)
    cdef Py_ssize_t[::1] out = index
    cdef float scale = tf_scale(n_in, n_out, align_corners), v
    cdef Py_ssize_t i, x
    with nogil:
        for i in range(n_out):
            v = (<float>i + F_HALF) * scale if half_pixel else <float>i * scale
            x = min(<Py_ssize_t>(roundf(v) if align_corners else floorf(v)), n_in - 1)
            out[i] = max(x, 0) if half_pixel else x
    return index


cdef inline float tf_area_weight(Py_ssize_t v, float lo, float hi, float scale) noexcept nogil:
    """ResizeAreaOp's share of cell v in [lo, hi) (start_scale's formula; 1 inside)."""
    if <float>v < lo:
        return scale if <float>(v + 1) > hi else <float>(v + 1) - lo
    return hi - <float>v if <float>(v + 1) > hi else F_ONE


def tf_area_plan(Py_ssize_t n_in, Py_ssize_t n_out, bint align_corners):
    """ResizeArea along one axis: output i sums cells floor(i * s) to ceil((i + 1) * s) - 1
    (clamped) by their shares, left to right; (plan, s) with s the axis scale: the H pass
    multiplies its sums by 1 / (s_h * s_w) afterwards (the plan's post factor)."""
    cdef float scale = tf_scale(n_in, n_out, align_corners), lo, hi
    cdef Py_ssize_t i, v, start, end, width = 1
    for i in range(n_out):
        lo, hi = <float>i * scale, <float>(i + 1) * scale
        width = max(width, <Py_ssize_t>ceilf(hi) - <Py_ssize_t>floorf(lo))
    taps = np.zeros((n_out, width), np.intp)
    weights = np.zeros((n_out, width), np.float32)
    counts = np.empty(n_out, np.intp)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef float[:, ::1] w = weights
    cdef Py_ssize_t[::1] n = counts
    with nogil:
        for i in range(n_out):
            lo, hi = <float>i * scale, <float>(i + 1) * scale
            start, end = <Py_ssize_t>floorf(lo), <Py_ssize_t>ceilf(hi)
            n[i] = end - start
            for v in range(start, end):
                t[i, v - start] = bound(v, n_in)
                w[i, v - start] = tf_area_weight(v, lo, hi, scale)
    return taps, weights, counts, scale


# ----------------------------------------------------------------------------- ScaleAndTranslate

cdef enum:
    SK_LANCZOS1
    SK_LANCZOS3
    SK_LANCZOS5
    SK_GAUSSIAN
    SK_BOX
    SK_TRIANGLE
    SK_KEYS
    SK_MITCHELL

TF_SAMPLING_KERNELS = {"lanczos1": SK_LANCZOS1, "lanczos3": SK_LANCZOS3, "lanczos5": SK_LANCZOS5,
                       "gaussian": SK_GAUSSIAN, "box": SK_BOX, "triangle": SK_TRIANGLE,
                       "keyscubic": SK_KEYS, "mitchellcubic": SK_MITCHELL}

cdef float TF_PI = 3.14159265359


cdef float tf_radius(int kind) noexcept nogil:
    if kind == SK_LANCZOS3:
        return 3
    if kind == SK_LANCZOS5:
        return 5
    if kind == SK_GAUSSIAN:
        return 1.5
    if kind == SK_KEYS or kind == SK_MITCHELL:
        return 2
    return 1


cdef float tf_sampling_kernel(int kind, float x) noexcept nogil:
    """sampling_kernels.h, in float (the Gaussian's exponent in double, as there)."""
    cdef float r = tf_radius(kind)
    x = fabsf(x)
    if kind <= SK_LANCZOS5:
        if x > r:
            return 0
        if x <= 1e-3:
            return 1
        return r * sinf(TF_PI * x) * sinf(TF_PI * x / r) / (TF_PI * TF_PI * x * x)
    if kind == SK_GAUSSIAN:
        if x >= r:
            return 0
        return <float>exp(<double>(-x * x) / (2.0 * <double>(r / <float>3.0) * <double>(r / <float>3.0)))
    if kind == SK_BOX:
        return F_ONE if x < F_HALF else (F_HALF if x == F_HALF else <float>0.0)
    if kind == SK_TRIANGLE:
        return F_ONE - x if x < F_ONE else <float>0.0
    if x >= <float>2.0:
        return 0
    if kind == SK_KEYS:
        if x >= F_ONE:
            return ((<float>-0.5 * x + <float>2.5) * x - <float>4.0) * x + <float>2.0
        return ((<float>1.5 * x - <float>2.5) * x) * x + F_ONE
    if x >= F_ONE:
        return (((<float>-7.0 / <float>18.0) * x + <float>2.0) * x - <float>10.0 / <float>3.0) * x \
            + <float>16.0 / <float>9.0
    return (((<float>7.0 / <float>6.0) * x - <float>2.0) * x) * x + <float>8.0 / <float>9.0


def tf_span_plan(str kernel, Py_ssize_t n_in, Py_ssize_t n_out, float scale, float translate,
                 bint antialias):
    """ScaleAndTranslate's ComputeSpansCore: every output reads span_size inputs from its
    start (fewer at the image's end), the weights past its own span 0, as the kernel's
    loops add them; outputs that sample outside the image read zeros at 0."""
    cdef int kind = TF_SAMPLING_KERNELS[kernel]
    cdef float inv_scale = <float>(1.0 / <double>scale)
    cdef float inv_translate = -inv_scale * translate
    cdef float kernel_scale = max(inv_scale, F_ONE) if antialias else F_ONE
    cdef float reach = tf_radius(kind) * kernel_scale, one_over = F_ONE / kernel_scale
    cdef Py_ssize_t span = min(2 * <Py_ssize_t>ceilf(reach) + 1, n_in)
    taps = np.empty((n_out, span), np.intp)
    weights = np.zeros((n_out, span), np.float32)
    counts = np.empty(n_out, np.intp)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef float[:, ::1] w = weights
    cdef Py_ssize_t[::1] n = counts
    cdef Py_ssize_t x, k, start, end
    cdef float sample, total, inverse
    with nogil:
        for x in range(n_out):
            sample = (<float>x + F_HALF) * inv_scale + inv_translate
            start = 0
            if not (sample < 0 or sample > <float>n_in):
                start = bound(<Py_ssize_t>ceilf(sample - reach - F_HALF), n_in)
                end = bound(<Py_ssize_t>floorf(sample + reach - F_HALF), n_in) + 1
                total = 0
                for k in range(end - start):
                    w[x, k] = tf_sampling_kernel(kind, (<float>(start + k) + F_HALF - sample) * one_over)
                    total = total + w[x, k]
                if fabsf(total) >= F_TINY:
                    inverse = F_ONE / total
                    for k in range(end - start):
                        w[x, k] = w[x, k] * inverse
                else:
                    for k in range(end - start):
                        w[x, k] = 0
            n[x] = min(start + span, n_in) - start
            for k in range(span):
                t[x, k] = min(start + k, n_in - 1)
    return taps, weights, counts


# ----------------------------------------------------------------------------- JAX

cdef enum:
    JK_LINEAR
    JK_LANCZOS3
    JK_LANCZOS5
    JK_CUBIC
    JK_CUBIC_PYTORCH
    JK_AREA

JAX_KERNELS = {"linear": JK_LINEAR, "lanczos3": JK_LANCZOS3, "lanczos5": JK_LANCZOS5,
               "cubic": JK_CUBIC, "cubic-pytorch": JK_CUBIC_PYTORCH, "area": JK_AREA}
cdef float JAX_PI = M_PI
cdef float JAX_PI2 = M_PI * M_PI


cdef float jax_radius(int kind) noexcept nogil:
    if kind == JK_LANCZOS3:
        return 3
    if kind == JK_LANCZOS5:
        return 5
    if kind == JK_CUBIC or kind == JK_CUBIC_PYTORCH:
        return 2
    return 1


cdef float jax_kernel(int kind, float x) noexcept nogil:
    """jax.image's _fill_*_kernel in float32 (x >= 0)."""
    cdef float r, y
    if kind == JK_LINEAR:
        return max(<float>0.0, F_ONE - x)
    if kind == JK_LANCZOS3 or kind == JK_LANCZOS5:
        r = jax_radius(kind)
        if x > r:
            return 0
        if not x > <float>1e-3:
            return 1
        y = r * sinf(JAX_PI * x) * sinf(JAX_PI * x / r)
        return y / (JAX_PI2 * (x * x))
    if x >= <float>2.0:
        return 0
    if kind == JK_CUBIC:
        if x >= F_ONE:
            return ((<float>-0.5 * x + <float>2.5) * x - <float>4.0) * x + <float>2.0
        return ((<float>1.5 * x - <float>2.5) * x) * x + F_ONE
    if x >= F_ONE:          # OpenCV's a = -0.75
        return ((<float>-0.75 * x - <float>-3.75) * x + <float>-6.0) * x - <float>-3.0
    return ((<float>1.25 * x - <float>2.25) * x) * x + F_ONE


def jax_plan(str kernel, Py_ssize_t n_in, Py_ssize_t n_out, double scale, double translation,
             bint array_scale, bint antialias, bint edge_padding, bint half_weights):
    """jax.image's compute_weight_mat as a plan: every output's nonzero weights (its dense
    column restricted to where the kernel reaches), float32 as jax computes them (scale and
    translation as Python floats, or float32 arrays: array_scale), normalised by their sum,
    zeroed for outputs that sample outside [-0.5, n_in - 0.5] (without edge padding);
    edge padding (cubic-pytorch) adds the weights of taps past the edges to the edge
    pixels. half_weights: rounded to float16, as jax casts them for float16 images."""
    cdef int kind = JAX_KERNELS[kernel]
    cdef float inv_scale, kernel_scale, shift, r = jax_radius(kind)
    if array_scale:
        inv_scale = F_ONE / <float>scale
        shift = <float>translation * inv_scale
    else:
        inv_scale = <float>(1.0 / scale)
        shift = <float>(translation * (1.0 / scale))
    kernel_scale = max(inv_scale, F_ONE) if antialias else F_ONE
    cdef Py_ssize_t pad = (<Py_ssize_t>ceil(r * kernel_scale) if antialias else <Py_ssize_t>r) \
        if edge_padding else 0
    cdef float reach = inv_scale if kind == JK_AREA else r * kernel_scale
    cdef Py_ssize_t width = min(n_in, <Py_ssize_t>ceil(2 * reach) + 6)
    taps = np.zeros((n_out, width), np.intp)
    weights = np.zeros((n_out, width), np.float32)
    counts = np.zeros(n_out, np.intp)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef float[:, ::1] w = weights
    cdef Py_ssize_t[::1] n = counts
    cdef Py_ssize_t i, j, lo, hi, k, m
    cdef float sample, left, right, v, total, threshold = <float>1000.0 * <float>1.1920928955078125e-07
    with nogil:
        for i in range(n_out):
            sample = (<float>i + F_HALF) * inv_scale - shift - F_HALF
            if kind == JK_AREA:
                left = <float>i * inv_scale - shift
                right = left + inv_scale
                lo, hi = <Py_ssize_t>floorf(left) - 1, <Py_ssize_t>ceilf(right) + 1
            else:
                lo = <Py_ssize_t>floorf(sample - reach) - 1
                hi = <Py_ssize_t>ceilf(sample + reach) + 1
            lo, hi = max(lo, -pad), min(hi, n_in - 1 + pad)
            m = 0
            for j in range(lo, hi + 1):
                if kind == JK_AREA:
                    v = max(<float>0.0, min(right, <float>(j + 1)) - max(left, <float>j))
                else:
                    v = jax_kernel(kind, fabsf(sample - <float>j) / kernel_scale)
                k = bound(j, n_in)
                if m and t[i, m - 1] == k:
                    w[i, m - 1] = w[i, m - 1] + v       # edge padding: onto the edge pixel
                elif m < width and (0 <= j < n_in or edge_padding):
                    t[i, m] = k
                    w[i, m] = v
                    m = m + 1
            n[i] = m
            total = 0
            for k in range(m):
                total = total + w[i, k]
            if fabsf(total) > threshold and (edge_padding or (sample >= -F_HALF
                                                               and sample <= <float>n_in - F_HALF)):
                for k in range(m):
                    w[i, k] = w[i, k] / total
                    if half_weights:
                        w[i, k] = resample_round_to_half(w[i, k])
            else:
                for k in range(m):
                    w[i, k] = 0
    return taps, weights, counts


def jax_nearest(Py_ssize_t m, Py_ssize_t n):
    """jax.image's _resize_nearest, floor((i + 0.5) * m / n) in float32 as XLA compiles it:
    the division by the constant n becomes a product by 1 / n, folded into m first, so
    floor((i + 0.5) * (m * (1 / n))); XLA's gather clamps the index into the axis."""
    index = np.empty(n, np.intp)
    cdef Py_ssize_t[::1] out = index
    cdef Py_ssize_t i
    cdef float step = <float>m * (F_ONE / <float>n)
    with nogil:
        for i in range(n):
            out[i] = bound(<Py_ssize_t>floorf((<float>i + F_HALF) * step), m)
    return index
