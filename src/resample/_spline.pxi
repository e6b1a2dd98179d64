# B-spline kernels (see _kernels_impl.pxi), after SciPy 1.17's scipy.ndimage
# (ni_splines.c, ni_interpolation.c), in double, operation by operation:
#   spline_prefilter   the recursive B-spline prefilter along one axis, in place
#   spline_tensor      SciPy's own evaluation: every output the sum over its whole
#                      (order + 1)^rank footprint, in SciPy's order (bit for bit)
#   to_double_padded   any sample type -> float64, padded (edge or a constant) as SciPy pads
#   scipy_store        float64 -> the output type as SciPy stores, with cval where the
#                      constant rule puts it
#   spline_axis        one axis of a spline resize in one pass: lines padded, prefiltered
#                      and resampled by a plan; spline_axis_store, the last one, stores too
#   (scikit-image's Gaussian, conversions and clip: _gaussian.pxi; its smooth_lines is
#   what spline_axis fuses into its first pass)
# Plain loops only: the portable and the AVX2 builds give the same bits.

from libc.math cimport pow as c_pow
from libc.stdlib cimport free, malloc

ctypedef fused scipy_sample:
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    int8_t
    int16_t
    int32_t
    int64_t
    float
    double

# the prefilter's initial values per boundary (ni_splines.c's apply_filter), and the
# causal reflect initialisation as SciPy 1.17 computes it (its last term reads the
# running sum where it means the first sample; SciPy 1.18 fixed it)
cdef enum:
    INIT_MIRROR = 0
    INIT_WRAP = 1
    INIT_REFLECT = 2
    INIT_REFLECT_117 = 3

cdef double[4][2] SPLINE_POLES = [
    [-0.171572875253809902396622551580603843, 0],
    [-0.267949192431122706472553658494127633, 0],
    [-0.361341225900220177092212841325675255, -0.013725429297339121360331226939128204],
    [-0.430575347099973791851434783493520110, -0.043096288203264653822712376822550182]]

# lines filtered at once along the last memory axis (copied into a block whose rows are
# their samples, so every step runs across lines as along the other axes)
cdef Py_ssize_t SPLINE_LINES = 16
# samples of a block of lines filtered at once across (inner > 1): sized for the cache
cdef Py_ssize_t SPLINE_BLOCK = 65536


cdef struct LineBlocks:
    Py_ssize_t width      # lines a unit takes (inner == 1) or columns of a block
    Py_ssize_t blocks     # units per outer slice (inner > 1), or in all (inner == 1)
    Py_ssize_t units


cdef LineBlocks line_blocks(Py_ssize_t outer, Py_ssize_t n, Py_ssize_t inner) noexcept nogil:
    """The work units of a kernel along axis 1 of (outer, n, inner): groups of
    SPLINE_LINES whole lines (inner == 1), or blocks of columns of one outer slice sized
    for the cache (inner > 1)."""
    cdef LineBlocks b
    b.width = SPLINE_LINES if inner == 1 else min(inner, max(8, SPLINE_BLOCK // n))
    if inner == 1:
        b.blocks = (outer + b.width - 1) // b.width
        b.units = b.blocks
    else:
        b.blocks = (inner + b.width - 1) // b.width
        b.units = outer * b.blocks
    return b


cdef struct Block:
    Py_ssize_t o          # the outer index (inner > 1), or the first line (inner == 1)
    Py_ssize_t j0         # the first column (0 for whole lines)
    Py_ssize_t w          # columns (lines) in the unit


cdef inline Block block_of(LineBlocks b, Py_ssize_t unit, Py_ssize_t outer,
                           Py_ssize_t inner) noexcept nogil:
    """Unit `unit`'s place. (Returned whole: variables a prange body assigns through
    pointers would be shared between its threads.)"""
    cdef Block k
    if inner == 1:
        k.o, k.j0 = unit * b.width, 0
        k.w = min(b.width, outer - k.o)
    else:
        k.o, k.j0 = unit // b.blocks, (unit % b.blocks) * b.width
        k.w = min(b.width, inner - k.j0)
    return k


cdef void causal_init(double* c, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t w, double z,
                      int init, double* acc, double* first) noexcept nogil:
    """c[0] of w lines (line j: c[j], c[stride + j], ...) before the causal recursion."""
    cdef Py_ssize_t i, j
    cdef double z_i = z, z_n, q
    if init == INIT_MIRROR:
        z_n = c_pow(z, <double>(n - 1))
        for j in range(w):
            acc[j] = c[j] + z_n * c[(n - 1) * stride + j]
        for i in range(1, n - 1):
            for j in range(w):
                acc[j] += z_i * (c[i * stride + j] + z_n * c[(n - 1 - i) * stride + j])
            z_i *= z
        q = 1 - z_n * z_n
        for j in range(w):
            c[j] = acc[j] / q
    elif init == INIT_WRAP:
        for j in range(w):
            acc[j] = c[j]
        for i in range(1, n):
            for j in range(w):
                acc[j] += z_i * c[(n - i) * stride + j]
            z_i *= z
        q = 1 - z_i
        for j in range(w):
            c[j] = acc[j] / q
    else:
        z_n = c_pow(z, <double>n)
        for j in range(w):
            first[j] = c[j]
            acc[j] = c[j] + z_n * c[(n - 1) * stride + j]
        for i in range(1, n):
            if i == n - 1 and init == INIT_REFLECT_117:
                for j in range(w):
                    acc[j] += z_i * (c[i * stride + j] + z_n * acc[j])
            else:
                for j in range(w):
                    acc[j] += z_i * (c[i * stride + j] + z_n * c[(n - 1 - i) * stride + j])
            z_i *= z
        if init == INIT_REFLECT_117:
            q = z / (1 - z_n * z_n)
            for j in range(w):
                c[j] = acc[j] * q + first[j]
        else:
            q = 1 - z_n * z_n
            for j in range(w):
                c[j] = first[j] + acc[j] * z / q


cdef void anticausal_init(double* c, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t w, double z,
                          int init, double* acc) noexcept nogil:
    """c[n - 1] of w lines before the anticausal recursion."""
    cdef Py_ssize_t i, j
    cdef double z_i = z, q
    cdef double* last = c + (n - 1) * stride
    if init == INIT_MIRROR:
        q = z * z - 1
        for j in range(w):
            last[j] = (z * c[(n - 2) * stride + j] + last[j]) * z / q
    elif init == INIT_WRAP:
        for j in range(w):
            acc[j] = last[j]
        for i in range(n - 1):
            for j in range(w):
                acc[j] += z_i * c[i * stride + j]
            z_i *= z
        q = z / (z_i - 1)
        for j in range(w):
            last[j] = acc[j] * q
    else:
        q = z / (z - 1)
        for j in range(w):
            last[j] = last[j] * q


cdef double spline_gain(int order) noexcept nogil:
    """The gain SciPy's apply_filter multiplies every sample by before the recursions."""
    cdef const double* poles = SPLINE_POLES[order - 2]
    cdef double gain = 1.0
    cdef int p
    for p in range(order // 2):
        gain *= (1.0 - poles[p]) * (1.0 - 1.0 / poles[p])
    return gain


cdef void filter_lines(double* c, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t w, int order,
                       int init, double* acc, double* first, bint scaled) noexcept nogil:
    """SciPy's apply_filter on w lines at once: the gain (unless scaled: the lines were
    loaded times spline_gain), then per pole the causal and anticausal recursions from
    their initial values."""
    cdef int npoles = order // 2, p
    cdef const double* poles = SPLINE_POLES[order - 2]
    cdef double gain = spline_gain(order), z
    cdef Py_ssize_t i, j
    if not scaled:
        for i in range(n):
            for j in range(w):
                c[i * stride + j] *= gain
    for p in range(npoles):
        z = poles[p]
        causal_init(c, n, stride, w, z, init, acc, first)
        for i in range(1, n):
            for j in range(w):
                c[i * stride + j] += z * c[(i - 1) * stride + j]
        anticausal_init(c, n, stride, w, z, init, acc)
        for i in range(n - 2, -1, -1):
            for j in range(w):
                c[i * stride + j] = z * (c[(i + 1) * stride + j] - c[i * stride + j])


def spline_prefilter(double[::1] buf, Py_ssize_t outer, Py_ssize_t n, Py_ssize_t inner,
                     int order, int init, int num_threads):
    """SciPy's spline_filter1d (order 2..5) in place along axis 1 of buf seen as
    (outer, n, inner): every line filtered in float64 exactly as ni_splines.c filters it,
    with the initial values of `init` (INIT_*). Lines of one sample are left as they are."""
    if not 2 <= order <= 5 or not 0 <= init <= INIT_REFLECT_117:
        raise ValueError(f"order must be 2..5 and init 0..3, got {order}, {init}")
    if buf.shape[0] != outer * n * inner:
        raise ValueError(f"buf has {buf.shape[0]} samples, not {outer} * {n} * {inner}")
    if n < 2 or buf.shape[0] == 0:
        return
    # units: blocks of up to `width` columns of one outer slice (inner > 1), or groups
    # of SPLINE_LINES whole lines (inner == 1)
    cdef LineBlocks b = line_blocks(outer, n, inner)
    cdef Py_ssize_t width = b.width
    cdef Py_ssize_t unit, o, j0, w, i, g
    cdef Block at
    cdef double* scratch
    cdef double* base = &buf[0]
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for unit in prange(b.units, num_threads=threads_for(num_threads, outer * n * inner * 8),
                           schedule="static"):
            scratch = <double*>malloc((2 + (n if inner == 1 else 0)) * width * sizeof(double))
            if scratch == NULL:
                missing += 1
                continue
            at = block_of(b, unit, outer, inner)
            o = at.o
            j0 = at.j0
            w = at.w
            if inner == 1:
                for g in range(w):
                    for i in range(n):
                        scratch[2 * width + i * width + g] = base[(o + g) * n + i]
                filter_lines(scratch + 2 * width, n, width, w, order, init, scratch,
                             scratch + width, False)
                for g in range(w):
                    for i in range(n):
                        base[(o + g) * n + i] = scratch[2 * width + i * width + g]
            else:
                filter_lines(base + o * n * inner + j0, n, inner, w, order, init, scratch,
                             scratch + width, False)
            free(scratch)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")


def spline_tensor(const double[::1] src, double[::1] dst, const Py_ssize_t[::1] strides,
                  const Py_ssize_t[::1] out_shape, const Py_ssize_t[::1] taps,
                  const double[::1] weights, const uint8_t[::1] outside,
                  const Py_ssize_t[::1] offsets, int order, double cval, int num_threads):
    """SciPy's NI_ZoomShift evaluation, bit for bit: output x = 0.0 plus, over the
    (order + 1)^rank footprint in C order, sample * w_0 * w_1 * ... (cval for a footprint
    point with a tap of -1); cval where an axis marks x outside. Per axis a (of rank
    len(out_shape)), its rows of taps, weights and outside start at offsets[a] outputs in
    the flat tables (order + 1 entries an output); strides: src's, in samples."""
    cdef Py_ssize_t rank = out_shape.shape[0], k = order + 1, a, f, g, inner_points = 1
    if rank < 1 or strides.shape[0] != rank or offsets.shape[0] != rank or not 0 <= order <= 5:
        raise ValueError("spline_tensor: rank, strides, offsets or order out of range")
    for a in range(rank - 1):
        inner_points *= k            # footprint points over the axes before the last
    cdef Py_ssize_t last = out_shape[rank - 1], rows = dst.shape[0] // last if last else 0
    cdef Py_ssize_t* corner = <Py_ssize_t*>malloc(max(inner_points * rank, 1) * sizeof(Py_ssize_t))
    if corner == NULL:
        raise MemoryError()
    for f in range(inner_points):     # point f's index along each axis before the last
        g = f
        for a in range(rank - 2, -1, -1):
            corner[f * rank + a] = g % k
            g //= k
    cdef Py_ssize_t row, r, x, c, tap, base, here, m = rank - 1
    cdef Py_ssize_t* at
    cdef Py_ssize_t* bases
    cdef double* partial
    cdef uint8_t* blank
    cdef bint out, is_cval
    cdef double t, coeff
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for row in prange(rows, num_threads=threads_for(num_threads, dst.shape[0] * inner_points * k),
                          schedule="static"):
            # per row: the offset, cval flag and weights of every point over the axes
            # before the last (they do not change along the row)
            at = <Py_ssize_t*>malloc((rank + 2 * inner_points) * sizeof(Py_ssize_t)
                                     + inner_points * (m + 1) * sizeof(double))
            if at == NULL:
                missing += 1
                continue
            bases = at + rank
            blank = <uint8_t*>(bases + inner_points)
            partial = <double*>(bases + 2 * inner_points)
            r = row
            out = False
            for a in range(rank - 2, -1, -1):
                at[a] = offsets[a] + r % out_shape[a]
                r = r // out_shape[a]
                out = out or outside[at[a]]
            for f in range(inner_points):
                base = 0
                is_cval = False
                for a in range(m):
                    tap = taps[at[a] * k + corner[f * rank + a]]
                    is_cval = is_cval or tap < 0
                    base = base + tap * strides[a]
                    partial[f * (m + 1) + a] = weights[at[a] * k + corner[f * rank + a]]
                bases[f] = base
                blank[f] = is_cval
            for x in range(last):
                here = offsets[m] + x
                if out or outside[here]:
                    dst[row * last + x] = cval
                    continue
                t = 0.0
                for f in range(inner_points):
                    for c in range(k):
                        tap = taps[here * k + c]
                        if blank[f] or tap < 0:
                            coeff = cval
                        else:
                            coeff = src[bases[f] + tap * strides[m]]
                        if order > 0:
                            for a in range(m):
                                coeff = coeff * partial[f * (m + 1) + a]
                            coeff = coeff * weights[here * k + c]
                        t = t + coeff
                dst[row * last + x] = t
            free(at)
    free(corner)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")


cdef inline scipy_sample gathered(scipy_sample v) noexcept nogil:
    """An order-0 sample as SciPy's sum gives it back: 0.0 + v (for floats; integers
    come back unchanged)."""
    if scipy_sample is float or scipy_sample is double:
        return <scipy_sample>(0.0 + v)
    else:
        return v


def nearest_gather(const scipy_sample[::1] src, scipy_sample[::1] dst, const Py_ssize_t[::1] strides,
                   const Py_ssize_t[::1] out_shape, const Py_ssize_t[::1] taps,
                   const uint8_t[::1] outside, const Py_ssize_t[::1] offsets, double cval,
                   bint plain_cast, int num_threads):
    """spline_tensor at order 0 then scipy_store, for a type kept: the footprint's one
    sample copied (0.0 + an integer is that integer, stored back exactly; a float gets
    0.0 + x as SciPy adds it, which turns -0.0 into 0.0), cval stored by scipy_put where an
    axis marks the output outside or a tap is -1. Tables as spline_tensor's (one entry an
    output)."""
    cdef Py_ssize_t rank = out_shape.shape[0], a, n_out = 1
    if rank < 1 or strides.shape[0] != rank or offsets.shape[0] != rank:
        raise ValueError("nearest_gather: rank, strides or offsets out of range")
    for a in range(rank):
        n_out *= out_shape[a]
    if dst.shape[0] != n_out or outside.shape[0] != taps.shape[0]:
        raise ValueError("nearest_gather: dst or the tables do not fit out_shape")
    cdef Py_ssize_t last = out_shape[rank - 1], rows = n_out // last if last else 0
    cdef Py_ssize_t row, r, x, tap, base, here, m = rank - 1
    cdef bint blank
    # the last axis kept as it is (its zoom 1, nothing outside): rows copy contiguously
    cdef bint straight = strides[m] == 1
    for x in range(last):
        straight = straight and taps[offsets[m] + x] == x and not outside[offsets[m] + x]
    with nogil:
        for row in prange(rows, num_threads=threads_for(num_threads, n_out), schedule="static"):
            r = row
            base = 0
            blank = False
            for a in range(rank - 2, -1, -1):
                here = offsets[a] + r % out_shape[a]
                r = r // out_shape[a]
                tap = taps[here]
                blank = blank or outside[here] or tap < 0
                base = base + tap * strides[a]
            if straight and not blank:
                for x in range(last):
                    dst[row * last + x] = gathered(src[base + x])
                continue
            for x in range(last):
                here = offsets[m] + x
                tap = taps[here]
                if blank or outside[here] or tap < 0:
                    scipy_put(&dst[row * last + x], cval, plain_cast)
                else:
                    dst[row * last + x] = gathered(src[base + tap * strides[m]])


def to_double_padded(const scipy_sample[::1] src, double[::1] dst, const Py_ssize_t[::1] shape,
                     const Py_ssize_t[::1] pad, bint edge, double cval, int num_threads):
    """src (C order, `shape`) as float64 (C's conversion) into dst, padded by pad[a]
    samples either side of axis a: with the edge sample (edge) or with cval, as np.pad's
    'edge' and 'constant' modes pad."""
    cdef Py_ssize_t rank = shape.shape[0], a, size = 1
    if pad.shape[0] != rank or rank < 1:
        raise ValueError("to_double_padded: shape and pad must have one entry per axis")
    for a in range(rank):
        size *= shape[a] + 2 * pad[a]
    if dst.shape[0] != size or src.shape[0] == 0:
        raise ValueError("to_double_padded: dst has the wrong size or src is empty")
    cdef Py_ssize_t n_last = shape[rank - 1], p_last = pad[rank - 1], width = n_last + 2 * p_last
    cdef Py_ssize_t rows = size // width, row, r, i, j, source
    cdef bint blank
    with nogil:
        for row in prange(rows, num_threads=threads_for(num_threads, size), schedule="static"):
            r = row
            source = 0
            blank = False
            i = 1          # the source row's stride, in samples
            for a in range(rank - 2, -1, -1):
                j = r % (shape[a] + 2 * pad[a]) - pad[a]
                r = r // (shape[a] + 2 * pad[a])
                if j < 0 or j >= shape[a]:
                    blank = blank or not edge
                    j = 0 if j < 0 else shape[a] - 1
                source = source + j * i * n_last
                i = i * shape[a]
            for j in range(width):
                if blank:
                    dst[row * width + j] = cval
                elif j < p_last:
                    dst[row * width + j] = src[source] if edge else cval
                elif j >= p_last + n_last:
                    dst[row * width + j] = src[source + n_last - 1] if edge else cval
                else:
                    dst[row * width + j] = src[source + j - p_last]


cdef inline void scipy_put_integer(scipy_sample* d, double t) noexcept nogil:
    """scipy_put for the integer types: rounded and clipped."""
    cdef double top = 0.0, bottom = 0.0
    if scipy_sample is uint8_t:
        top = 255.0
    elif scipy_sample is uint16_t:
        top = 65535.0
    elif scipy_sample is uint32_t:
        top = 4294967295.0
    elif scipy_sample is uint64_t:
        top = 18446744073709551616.0
    elif scipy_sample is int8_t:
        top, bottom = 127.0, -128.0
    elif scipy_sample is int16_t:
        top, bottom = 32767.0, -32768.0
    elif scipy_sample is int32_t:
        top, bottom = 2147483647.0, -2147483648.0
    elif scipy_sample is int64_t:
        top, bottom = 9223372036854775808.0, -9223372036854775808.0
    if scipy_sample is uint8_t or scipy_sample is uint16_t or scipy_sample is uint32_t \
            or scipy_sample is uint64_t:
        t = t + 0.5 if t > 0 else 0
        t = top if t > top else t
        t = 0 if t < 0 else t
    else:
        t = t + 0.5 if t > 0 else t - 0.5
        t = top if t > top else t
        t = bottom if t < bottom else t
    d[0] = <scipy_sample>t


cdef inline void scipy_put(scipy_sample* d, double t, bint plain_cast) noexcept nogil:
    """*d = t as ni_interpolation.c stores a value: C's conversion for float types and
    (plain_cast) bool; unsigned types round t + 0.5 down (0 for t <= 0) and clip; signed
    types round half away from zero and clip."""
    if scipy_sample is float or scipy_sample is double:
        d[0] = <scipy_sample>t
    elif plain_cast:
        d[0] = <scipy_sample>t
    else:
        scipy_put_integer(d, t)


def scipy_store(const double[::1] src, scipy_sample[::1] dst, const Py_ssize_t[::1] shape,
                const uint8_t[::1] outside, const Py_ssize_t[::1] offsets, double cval,
                bint plain_cast, int num_threads):
    """The output of SciPy's zoom from its float64 values: cval where an axis marks the
    output outside (outside[offsets[a] + i] along axis a), else 0.0 + the value (SciPy's
    sum starts at 0.0: -0.0 becomes 0.0), stored by scipy_put."""
    cdef Py_ssize_t rank = shape.shape[0], last = shape[rank - 1] if rank else 0
    cdef Py_ssize_t rows = dst.shape[0] // last if last else 0, row, r, a, x
    cdef bint out
    cdef double t
    if src.shape[0] != dst.shape[0] or offsets.shape[0] != rank:
        raise ValueError("scipy_store: src, dst and shape disagree")
    with nogil:
        for row in prange(rows, num_threads=threads_for(num_threads, dst.shape[0]), schedule="static"):
            r = row
            out = False
            for a in range(rank - 2, -1, -1):
                out = out or outside[offsets[a] + r % shape[a]]
                r = r // shape[a]
            for x in range(last):
                if out or outside[offsets[rank - 1] + x]:
                    t = cval
                else:
                    t = 0.0 + src[row * last + x]
                scipy_put(&dst[row * last + x], t, plain_cast)


cdef void load_line_block(const scipy_sample* src, double* s, Py_ssize_t n, Py_ssize_t pad,
                          Py_ssize_t stride, Py_ssize_t w, Py_ssize_t width, bint edge,
                          double fill, double gain) noexcept nogil:
    """w lines of src (line j: src[j], src[stride + j], ...; n samples) as float64 times
    gain into the rows of s (row i: s[i * width + j]), padded by pad samples either side:
    the edge sample or fill (times gain). gain: the prefilter's (spline_gain; its first
    sweep, the same products), or 1.0."""
    cdef Py_ssize_t i, j, k
    for i in range(n + 2 * pad):
        k = i - pad
        if (k < 0 or k >= n) and not edge:
            for j in range(w):
                s[i * width + j] = fill * gain
            continue
        k = 0 if k < 0 else (n - 1 if k >= n else k)
        for j in range(w):
            s[i * width + j] = <double>src[k * stride + j] * gain


cdef void combine_line_block4(const double* s, double* d, Py_ssize_t width, Py_ssize_t w,
                              Py_ssize_t d_stride, const Py_ssize_t* taps, const double* weights,
                              Py_ssize_t n_out) noexcept nogil:
    """combine_line_block for four taps: each output's sum left to right in one expression
    (no row stored and reloaded between taps), the same bits."""
    cdef Py_ssize_t r, j
    cdef double* row
    cdef const double* t0
    cdef const double* t1
    cdef const double* t2
    cdef const double* t3
    cdef double w0, w1, w2, w3
    for r in range(n_out):
        row = d + r * d_stride
        t0, t1 = s + taps[4 * r] * width, s + taps[4 * r + 1] * width
        t2, t3 = s + taps[4 * r + 2] * width, s + taps[4 * r + 3] * width
        w0, w1, w2, w3 = weights[4 * r], weights[4 * r + 1], weights[4 * r + 2], weights[4 * r + 3]
        for j in range(w):
            row[j] = t0[j] * w0 + t1[j] * w1 + t2[j] * w2 + t3[j] * w3


cdef void combine_line_block(const double* s, double* d, Py_ssize_t width, Py_ssize_t w,
                             Py_ssize_t d_stride, const Py_ssize_t* taps, const double* weights,
                             Py_ssize_t n_out, Py_ssize_t k) noexcept nogil:
    """Output row r of w lines: d[r * d_stride + j] = s[t_0] * w_0 + s[t_1] * w_1 + ...,
    left to right, over the plan's k taps of row r."""
    cdef Py_ssize_t r, j, m
    cdef double* row
    cdef const double* tap
    cdef double weight
    if k == 4:           # order 3: the four taps summed in registers, the same order
        combine_line_block4(s, d, width, w, d_stride, taps, weights, n_out)
        return
    for r in range(n_out):
        row = d + r * d_stride
        tap = s + taps[r * k] * width
        weight = weights[r * k]
        for j in range(w):
            row[j] = tap[j] * weight
        for m in range(1, k):
            tap = s + taps[r * k + m] * width
            weight = weights[r * k + m]
            for j in range(w):
                row[j] = row[j] + tap[j] * weight


def spline_axis(const scipy_sample[::1] src, double[::1] dst, Py_ssize_t outer, Py_ssize_t n,
                Py_ssize_t inner, Py_ssize_t pad, bint edge, double fill,
                const Py_ssize_t[:, ::1] taps, const double[:, ::1] weights, int order, int init,
                bint prefilter, int num_threads, const double[::1] smooth=None,
                const Py_ssize_t[::1] smooth_index=None, double smooth_cval=0.0):
    """One axis of a B-spline resize in one pass: along axis 1 of src seen as
    (outer, n, inner), every line widened to float64 and padded by `pad` samples either
    side (the edge sample, or fill), prefiltered as spline_prefilter filters (prefilter and
    order >= 2; lines of one sample are left as they are), then resampled by the plan
    (taps index the padded line) into dst, (outer, len(taps), inner). smooth (float src
    only): the lines first correlated as correlate_symmetric(..., smooth, smooth_index,
    smooth_cval) correlates them and stored in src's type (scikit-image's Gaussian along
    this axis, fused)."""
    cdef Py_ssize_t n_pad = n + 2 * pad, n_out = taps.shape[0], k = taps.shape[1]
    if src.shape[0] != outer * n * inner or dst.shape[0] != outer * n_out * inner \
            or weights.shape[0] != n_out or weights.shape[1] != k or k < 1:
        raise ValueError("spline_axis: src, dst, taps and weights disagree")
    cdef Py_ssize_t radius = -1
    if smooth is not None:
        radius = smooth.shape[0] // 2
        if smooth.shape[0] % 2 == 0 or smooth_index is None or smooth_index.shape[0] != n + 2 * radius \
                or (scipy_sample is not float and scipy_sample is not double):
            raise ValueError("spline_axis: smooth and smooth_index disagree, or src is not float")
    if n_out and (np.asarray(taps).min() < 0 or np.asarray(taps).max() >= n_pad):
        raise ValueError("spline_axis: a tap lies outside the padded line")
    if prefilter and (not 2 <= order <= 5 or not 0 <= init <= INIT_REFLECT_117):
        raise ValueError(f"spline_axis: order must be 2..5 and init 0..3, got {order}, {init}")
    if dst.shape[0] == 0:
        return
    cdef bint filtering = prefilter and n_pad > 1
    cdef double gain = spline_gain(order) if filtering else 1.0
    cdef LineBlocks b = line_blocks(outer, n_pad, inner)
    cdef Py_ssize_t width = b.width
    cdef Py_ssize_t unit, o, j0, w, r, j
    cdef Block at
    cdef double* scratch
    cdef double* ext
    cdef scipy_sample* smoothed
    cdef const double* fw = &smooth[0] if radius >= 0 else NULL
    cdef const Py_ssize_t* fw_index = &smooth_index[0] if radius >= 0 else NULL
    cdef const scipy_sample* source = &src[0]
    cdef double* target = &dst[0]
    cdef const Py_ssize_t* tap_table = &taps[0, 0]
    cdef const double* weight_table = &weights[0, 0]
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for unit in prange(b.units, num_threads=threads_for(num_threads, outer * (n_pad * 8 + n_out * k) * inner),
                           schedule="static"):
            # 2 rows of filter state, the padded lines, and (inner == 1) their outputs
            scratch = <double*>malloc((2 + n_pad + (n_out if inner == 1 else 0)) * width * sizeof(double))
            if scratch == NULL:
                missing += 1
                continue
            at = block_of(b, unit, outer, inner)
            o = at.o
            j0 = at.j0
            w = at.w
            if radius >= 0:      # the lines smoothed first, in src's type, then loaded
                # (n + 2 radius) * width extended samples, n + width sums, n * width results
                ext = <double*>malloc(((n + 2 * radius) * width + n + width) * sizeof(double)
                                      + n * width * sizeof(scipy_sample))
                if ext == NULL:
                    free(scratch)
                    missing += 1
                    continue
                smoothed = <scipy_sample*>(ext + (n + 2 * radius) * width + n + width)
                if inner == 1:
                    for j in range(w):
                        smooth_lines(source + (o + j) * n, smoothed, n, 1, 1, fw, radius, fw_index,
                                     smooth_cval, ext)
                        load_line_block(smoothed, scratch + 2 * width + j, n, pad, 1, 1, width, edge, fill, gain)
                else:
                    smooth_lines(source + o * n * inner + j0, smoothed, n, inner, w, fw, radius, fw_index,
                                 smooth_cval, ext)
                    load_line_block(smoothed, scratch + 2 * width, n, pad, w, w, width, edge, fill, gain)
                free(ext)
            elif inner == 1:     # w whole lines, transposed into the block as they load
                for j in range(w):
                    load_line_block(source + (o + j) * n, scratch + 2 * width + j, n, pad, 1, 1,
                                    width, edge, fill, gain)
            else:
                load_line_block(source + o * n * inner + j0, scratch + 2 * width, n, pad, inner, w,
                                width, edge, fill, gain)
            if filtering:
                filter_lines(scratch + 2 * width, n_pad, width, w, order, init, scratch,
                             scratch + width, True)
            if inner == 1:
                combine_line_block(scratch + 2 * width, scratch + (2 + n_pad) * width, width, w, width,
                                   tap_table, weight_table, n_out, k)
                for j in range(w):
                    for r in range(n_out):
                        target[(o + j) * n_out + r] = scratch[(2 + n_pad) * width + r * width + j]
            else:
                combine_line_block(scratch + 2 * width, target + o * n_out * inner + j0, width, w, inner,
                                   tap_table, weight_table, n_out, k)
            free(scratch)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")


def spline_axis_store(const double[::1] src, scipy_sample[::1] dst, Py_ssize_t outer,
                      Py_ssize_t n, Py_ssize_t inner, Py_ssize_t pad, bint edge, double fill,
                      const Py_ssize_t[:, ::1] taps, const double[:, ::1] weights, int order,
                      int init, bint prefilter, const uint8_t[::1] outer_out,
                      const uint8_t[::1] axis_out, const uint8_t[::1] inner_out, double cval,
                      bint plain_cast, int num_threads):
    """spline_axis's last pass with scipy_store fused in: the resampled values go straight
    into the output type (no float64 array of the output's size). Output (o, r, j) of the
    (outer, len(taps), inner) result is cval where outer_out[o], axis_out[r] or
    inner_out[j] (the other axes' outside marks, combined), else 0.0 + the value, stored
    by scipy_put: the same bits as spline_axis then scipy_store."""
    cdef Py_ssize_t n_pad = n + 2 * pad, n_out = taps.shape[0], k = taps.shape[1]
    if src.shape[0] != outer * n * inner or dst.shape[0] != outer * n_out * inner \
            or weights.shape[0] != n_out or weights.shape[1] != k or k < 1 \
            or outer_out.shape[0] != outer or axis_out.shape[0] != n_out or inner_out.shape[0] != inner:
        raise ValueError("spline_axis_store: src, dst, taps, weights and the outside marks disagree")
    if n_out and (np.asarray(taps).min() < 0 or np.asarray(taps).max() >= n_pad):
        raise ValueError("spline_axis_store: a tap lies outside the padded line")
    if prefilter and (not 2 <= order <= 5 or not 0 <= init <= INIT_REFLECT_117):
        raise ValueError(f"spline_axis_store: order must be 2..5 and init 0..3, got {order}, {init}")
    if dst.shape[0] == 0:
        return
    cdef bint filtering = prefilter and n_pad > 1
    cdef double gain = spline_gain(order) if filtering else 1.0
    cdef LineBlocks b = line_blocks(outer, n_pad, inner)
    cdef Py_ssize_t width = b.width
    cdef Py_ssize_t unit, o, j0, w, r, j
    cdef Block at
    cdef double* scratch
    cdef double* values
    cdef const double* source = &src[0]
    cdef scipy_sample* target = &dst[0]
    cdef const Py_ssize_t* tap_table = &taps[0, 0]
    cdef const double* weight_table = &weights[0, 0]
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for unit in prange(b.units, num_threads=threads_for(num_threads, outer * (n_pad * 8 + n_out * k) * inner),
                           schedule="static"):
            # 2 rows of filter state, the padded lines, their outputs
            scratch = <double*>malloc((2 + n_pad + n_out) * width * sizeof(double))
            if scratch == NULL:
                missing += 1
                continue
            values = scratch + (2 + n_pad) * width
            at = block_of(b, unit, outer, inner)
            o = at.o
            j0 = at.j0
            w = at.w
            if inner == 1:       # w whole lines, transposed into the block as they load
                for j in range(w):
                    load_line_block(source + (o + j) * n, scratch + 2 * width + j, n, pad, 1, 1,
                                    width, edge, fill, gain)
            else:
                load_line_block(source + o * n * inner + j0, scratch + 2 * width, n, pad, inner, w,
                                width, edge, fill, gain)
            if filtering:
                filter_lines(scratch + 2 * width, n_pad, width, w, order, init, scratch,
                             scratch + width, True)
            combine_line_block(scratch + 2 * width, values, width, w, width, tap_table, weight_table,
                               n_out, k)
            if inner == 1:
                for j in range(w):
                    for r in range(n_out):
                        scipy_put(target + (o + j) * n_out + r,
                                  cval if outer_out[o + j] or axis_out[r] or inner_out[0]
                                  else 0.0 + values[r * width + j], plain_cast)
            else:
                for r in range(n_out):
                    for j in range(w):
                        scipy_put(target + (o * n_out + r) * inner + j0 + j,
                                  cval if outer_out[o] or axis_out[r] or inner_out[j0 + j]
                                  else 0.0 + values[r * width + j], plain_cast)
            free(scratch)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")
