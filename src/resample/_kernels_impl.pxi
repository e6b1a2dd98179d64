# The kernels' body, compiled once per instruction set (see _kernels.pyx).

from cython.parallel cimport prange, threadid
from libc.stdint cimport int16_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport nearbyint

import numpy as np

ctypedef fused element:      # nearest copies bits, so the value type doesn't matter
    uint8_t
    uint16_t
    uint32_t
    uint64_t

cdef extern from "_half.h" nogil:
    float resample_half_to_float(uint16_t)
    uint16_t resample_float_to_half(float)

cdef extern from *:
    """
    #if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    static int resample_cpu_has_avx2(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    }
    #else
    static int resample_cpu_has_avx2(void) { return 0; }
    #endif
    """
    int resample_cpu_has_avx2()


def cpu_has_avx2():
    """Whether this CPU runs AVX2 (always False off x86 and with compilers we can't ask)."""
    return bool(resample_cpu_has_avx2())

# Below this many multiply-adds a kernel runs on one thread: starting threads costs more.
cdef Py_ssize_t MIN_PARALLEL_WORK = 1 << 16


cdef inline int threads_for(int requested, Py_ssize_t work) noexcept nogil:
    return requested if work >= MIN_PARALLEL_WORK else 1


# ----------------------------------------------------------------------------- separable passes
#
# A pass resamples one axis of a buffer seen as (outer, n_in, inner) -> (outer, n_out, inner).
# With inner >= R (any axis but the last, or wide channels) every output row is a weighted
# sum of whole input rows: combine_rows. Along the last axis (inner = 1, or the channels of
# an interleaved image) R rows are transposed into a block whose rows are pixels, so the
# same combine_rows does the work, and transposed back. The two axes of an image are fused:
# the first pass runs only over the rows that one strip of output rows needs, so its result
# stays in cache.

cdef enum:
    STRIP_BYTES = 1 << 18       # the intermediate rows of one strip (fits in L2)
    TASKS_PER_THREAD = 4        # strips per thread at least, for load balance


cdef inline Py_ssize_t weight_size(const sample* kind) noexcept nogil:
    if sample is uint8_t:
        return sizeof(int16_t)
    return sizeof(sample)


cdef Plan plan_of(kernel_plan, Py_ssize_t weight_bytes) except *:
    """The kernels' view of a _api.KernelPlan (whose arrays outlive the call)."""
    cdef const Py_ssize_t[:, ::1] taps = kernel_plan.taps
    cdef const Py_ssize_t[::1] counts = kernel_plan.counts
    cdef const uint8_t[:, ::1] weights = kernel_plan.weight_bytes
    cdef Plan p
    if kernel_plan.weights.itemsize != weight_bytes or taps.shape[0] == 0 or taps.shape[1] == 0:
        raise TypeError("plan does not match the data type or is empty")
    p.n_in = kernel_plan.n_in
    p.n_out = taps.shape[0]
    p.width = taps.shape[1]
    p.taps = &taps[0, 0]
    p.weights = &weights[0, 0]
    p.counts = &counts[0]
    p.precision = kernel_plan.precision
    p.identity = kernel_plan.identity
    return p


cdef object scratch(const sample* kind, Py_ssize_t threads, Py_ssize_t size):
    """Working memory, one row per thread (NumPy's: a failed allocation raises MemoryError,
    and tracemalloc sees it)."""
    if sample is uint8_t:
        dtype = np.uint8
    elif sample is float:
        dtype = np.float32
    else:
        dtype = np.float64
    return np.empty((threads, max(size, 1)), dtype)


cdef void narrow_rows(const sample* src, Py_ssize_t src_stride, sample* dst, Py_ssize_t dst_stride,
                      Py_ssize_t rows, Py_ssize_t inner, const Plan* p, sample* block_in,
                      sample* block_out) noexcept nogil:
    """Resample `rows` rows of p.n_in pixels (`inner` samples each) along their length, R at a
    time through transposed blocks (block_in: n_in * inner * R samples, block_out: n_out *
    inner * R). The identity plan is one elementwise sum per row, without transposes."""
    cdef Py_ssize_t R = group_rows(src), L = inner * R, g, m, i
    if p.identity:
        for g in range(rows):
            combine_rows(dst + g * dst_stride, src + g * src_stride, 0, 0, p, 0, p.n_in * inner)
        return
    g = 0
    while g < rows:
        m = rows - g if rows - g < R else R
        gather_columns(src + g * src_stride, src_stride, m, p.n_in * inner, block_in)
        for i in range(p.n_out):
            combine_rows(block_out + i * L, block_in, L, 0, p, i, L)
        scatter_columns(block_out, p.n_out * inner, dst + g * dst_stride, dst_stride, m)
        g += R


def separable_pass(const sample[::1] src, sample[::1] dst, Py_ssize_t outer, Py_ssize_t inner,
                   plan, int num_threads):
    """dst(outer, n_out, inner)[o, i, :] = sum_k weights[i, k] * src(outer, n_in, inner)[o, taps[i, k], :]

    Floats accumulate left to right from the first product in the compute type; uint8 is
    torch's fixed point (see combine_rows). Threads split the rows (or groups of R rows).
    """
    cdef Plan p = plan_of(plan, weight_size(&src[0]))
    cdef Plan* pp = &p
    cdef Py_ssize_t R = group_rows(&src[0]), row_in = p.n_in * inner, row_out = p.n_out * inner
    cdef Py_ssize_t t, first, o, tasks
    cdef int nt = threads_for(num_threads, outer * row_out * p.width)
    cdef sample[:, ::1] blocks_in, blocks_out
    if inner >= R and not p.identity:
        with nogil:
            for t in prange(outer * p.n_out, num_threads=nt, schedule="static"):
                o = t // p.n_out
                combine_rows(&dst[t * inner], &src[o * row_in], inner, 0, pp, t - o * p.n_out, inner)
        return
    tasks = (outer + R - 1) // R
    nt = nt if nt < tasks else <int>tasks
    blocks_in = scratch(&src[0], nt, 0 if p.identity else row_in * R)
    blocks_out = scratch(&src[0], nt, 0 if p.identity else row_out * R)
    with nogil:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            first = t * R
            narrow_rows(&src[first * row_in], row_in, &dst[first * row_out], row_out,
                        outer - first if outer - first < R else R, inner, pp,
                        &blocks_in[threadid(), 0], &blocks_out[threadid(), 0])


cdef void row_span(const Plan* p, Py_ssize_t i, Py_ssize_t* lo, Py_ssize_t* hi) noexcept nogil:
    """Widen [lo, hi) to cover the input rows that output i reads."""
    cdef Py_ssize_t k, t
    for k in range(p.counts[i]):
        t = p.taps[i * p.width + k]
        lo[0] = t if t < lo[0] else lo[0]
        hi[0] = t + 1 if t + 1 > hi[0] else hi[0]


cdef Py_ssize_t[:, ::1] strip_table(const Plan* ph, Py_ssize_t row_bytes, Py_ssize_t max_rows,
                                    bint width_first):
    """Strips (y0, y1, lo, hi) of output rows: [y0, y1) computed from intermediate rows
    [lo, hi), as many as fit in STRIP_BYTES (at least one, at most max_rows).
    width_first: the intermediate holds W-pass rows of input rows lo..hi-1; otherwise it
    holds the H pass's output rows y0..y1-1 themselves (lo, hi = y0, y1)."""
    strips = np.empty((ph.n_out, 4), np.intp)
    cdef Py_ssize_t[:, ::1] s = strips
    cdef Py_ssize_t n = 0, y0 = 0, y1, lo, hi, lo1, hi1
    while y0 < ph.n_out:
        y1 = y0 + 1
        lo, hi = ph.n_in, 0
        if width_first:
            row_span(ph, y0, &lo, &hi)
        while y1 < ph.n_out and y1 - y0 < max_rows:
            lo1, hi1 = lo, hi
            if width_first:
                row_span(ph, y1, &lo1, &hi1)
            else:
                lo1, hi1 = 0, y1 + 1 - y0
            if (hi1 - lo1) * row_bytes > STRIP_BYTES:
                break
            lo, hi = lo1, hi1
            y1 += 1
        if not width_first or hi <= lo:
            lo, hi = y0, y1
        s[n, 0], s[n, 1], s[n, 2], s[n, 3] = y0, y1, lo, hi
        n += 1
        y0 = y1
    return s[:n]


def separable_2d(const sample[::1] src, sample[::1] dst, Py_ssize_t planes, Py_ssize_t channels,
                 plan_h, plan_w, bint width_first, int num_threads):
    """Both axes of a buffer seen as (planes, H, W, channels): the W pass then the H pass
    (the forward's order) or H then W (the backward's), fused in strips of output rows.
    Each output sample gets exactly the arithmetic of two separable_pass calls."""
    cdef Plan ph = plan_of(plan_h, weight_size(&src[0]))
    cdef Plan pw = plan_of(plan_w, weight_size(&src[0]))
    cdef Plan* hp = &ph
    cdef Plan* wp = &pw
    cdef Py_ssize_t R = group_rows(&src[0]), row_in = pw.n_in * channels
    cdef Py_ssize_t row_out = pw.n_out * channels
    cdef Py_ssize_t mid_row = row_out if width_first else row_in
    cdef Py_ssize_t plane_in = ph.n_in * row_in, plane_out = ph.n_out * row_out
    cdef int nt = threads_for(num_threads, planes * plane_out * (ph.width + pw.width))
    cdef Py_ssize_t per_plane = (TASKS_PER_THREAD * nt + planes - 1) // planes if nt > 1 else 1
    cdef Py_ssize_t[:, ::1] strips = strip_table(
        hp, mid_row * sizeof(sample), max(1, (ph.n_out + per_plane - 1) // per_plane), width_first)
    cdef Py_ssize_t n_strips = strips.shape[0], tasks = planes * n_strips
    cdef Py_ssize_t t, plane, s, y, y0, y1, lo, hi, tid
    cdef Py_ssize_t most = 0
    cdef const sample* sp
    cdef sample* dp
    cdef sample* mid
    cdef sample[:, ::1] blocks_in, blocks_out, mids
    for s in range(n_strips):
        most = max(most, strips[s, 3] - strips[s, 2])
    nt = nt if nt < tasks else <int>tasks
    blocks_in = scratch(&src[0], nt, 0 if pw.identity else row_in * R)
    blocks_out = scratch(&src[0], nt, 0 if pw.identity else row_out * R)
    mids = scratch(&src[0], nt, most * mid_row)
    with nogil:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            plane = t // n_strips
            s = t - plane * n_strips
            y0, y1, lo, hi = strips[s, 0], strips[s, 1], strips[s, 2], strips[s, 3]
            sp = &src[plane * plane_in]
            dp = &dst[plane * plane_out]
            tid = threadid()
            mid = &mids[tid, 0]
            if width_first:
                narrow_rows(sp + lo * row_in, row_in, mid, row_out, hi - lo, channels, wp,
                            &blocks_in[tid, 0], &blocks_out[tid, 0])
                for y in range(y0, y1):
                    combine_rows(dp + y * row_out, mid, row_out, lo, hp, y, row_out)
            else:
                for y in range(y0, y1):
                    combine_rows(mid + (y - y0) * row_in, sp, row_in, 0, hp, y, row_in)
                narrow_rows(mid, row_in, dp + y0 * row_out, row_out, y1 - y0, channels, wp,
                            &blocks_in[tid, 0], &blocks_out[tid, 0])

def nearest_gather(const element[::1] src, element[::1] dst, src_strides, dst_strides,
                   out_shape, const Py_ssize_t[::1] index_0, const Py_ssize_t[::1] index_1,
                   const Py_ssize_t[::1] index_2, const Py_ssize_t[::1] index_3,
                   const Py_ssize_t[::1] index_4, int num_threads):
    """dst[a, b, c, d, e] = src[index_0[a], index_1[b], ..., index_4[e]] (strides in elements).

    The axes come in memory order (the last one innermost), so both layouts stream;
    batch and channel axes get identity tables, missing axes size 1. Bits are copied, so
    every dtype is exact.
    """
    cdef Py_ssize_t s0 = src_strides[0], s1 = src_strides[1], s2 = src_strides[2]
    cdef Py_ssize_t s3 = src_strides[3], s4 = src_strides[4]
    cdef Py_ssize_t t0 = dst_strides[0], t1 = dst_strides[1], t2 = dst_strides[2]
    cdef Py_ssize_t t3 = dst_strides[3], t4 = dst_strides[4]
    cdef Py_ssize_t n1 = out_shape[1], n2 = out_shape[2], n3 = out_shape[3], n4 = out_shape[4]
    cdef Py_ssize_t rows = out_shape[0] * n1 * n2 * n3
    cdef Py_ssize_t r, q, a, b, c, d, e, from_row, to_row
    cdef int nt = threads_for(num_threads, rows * n4)
    with nogil:
        for r in prange(rows, num_threads=nt, schedule="static"):
            d = r % n3
            q = r // n3
            c = q % n2
            q = q // n2
            b = q % n1
            a = q // n1
            from_row = index_0[a] * s0 + index_1[b] * s1 + index_2[c] * s2 + index_3[d] * s3
            to_row = a * t0 + b * t1 + c * t2 + d * t3
            for e in range(n4):
                dst[to_row + e * t4] = src[from_row + index_4[e] * s4]


ctypedef fused pooled:      # area's storage types: the float compute types and uint8
    float
    double
    uint8_t


def area_pool(const pooled[::1] src, pooled[::1] dst, src_strides, dst_strides, out_shape,
              const Py_ssize_t[::1] start_d, const Py_ssize_t[::1] end_d,
              const Py_ssize_t[::1] start_h, const Py_ssize_t[::1] end_h,
              const Py_ssize_t[::1] start_w, const Py_ssize_t[::1] end_w, int num_threads):
    """Adaptive average pooling. Floats: the window summed in row-major order from 0, then
    divided by its extent along D, then H, then W (torch's order; size-1 axes divide by
    1). uint8 (torch has none): the exact integer mean rounded half up,
    floor((2 * sum + k) / (2 * k))."""
    cdef Py_ssize_t sn = src_strides[0], sc = src_strides[1], sd = src_strides[2]
    cdef Py_ssize_t sh = src_strides[3], sw = src_strides[4]
    cdef Py_ssize_t tn = dst_strides[0], tc = dst_strides[1], td = dst_strides[2]
    cdef Py_ssize_t th = dst_strides[3], tw = dst_strides[4]
    cdef Py_ssize_t C = out_shape[1], D = out_shape[2], H = out_shape[3], W = out_shape[4]
    cdef Py_ssize_t rows = out_shape[0] * C * D * H
    cdef Py_ssize_t r, q, n, ch, d, h, w, s0, t0, i, j, k, kd, kh, kw
    cdef double acc64        # float64 sums (exact integers for uint8)
    cdef float acc32
    cdef const pooled* row
    cdef int nt = threads_for(num_threads, src.shape[0])
    with nogil:
        for r in prange(rows, num_threads=nt, schedule="static"):
            h = r % H
            q = r // H
            d = q % D
            q = q // D
            ch = q % C
            n = q // C
            s0 = n * sn + ch * sc
            t0 = n * tn + ch * tc + d * td + h * th
            kd = end_d[d] - start_d[d]
            kh = end_h[h] - start_h[h]
            for w in range(W):
                kw = end_w[w] - start_w[w]
                acc32 = 0
                acc64 = 0
                for i in range(start_d[d], end_d[d]):
                    for j in range(start_h[h], end_h[h]):
                        row = &src[s0 + i * sd + j * sh]
                        for k in range(start_w[w], end_w[w]):
                            if pooled is float:
                                acc32 = acc32 + row[k * sw]
                            else:
                                acc64 = acc64 + row[k * sw]
                # x / 1 is exactly x, so divisions by a size-1 extent are skipped
                if pooled is float:
                    if kd != 1:
                        acc32 = acc32 / <float>kd
                    if kh != 1:
                        acc32 = acc32 / <float>kh
                    dst[t0 + w * tw] = acc32 / <float>kw if kw != 1 else acc32
                elif pooled is double:
                    if kd != 1:
                        acc64 = acc64 / <double>kd
                    if kh != 1:
                        acc64 = acc64 / <double>kh
                    dst[t0 + w * tw] = acc64 / <double>kw if kw != 1 else acc64
                else:
                    dst[t0 + w * tw] = <uint8_t>((2 * <long long>acc64 + kd * kh * kw) // (2 * kd * kh * kw))


def widen_half(const uint16_t[::1] src, float[::1] dst, int num_threads):
    """float16 bits -> float32 (exact)."""
    cdef Py_ssize_t i, n = src.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            dst[i] = resample_half_to_float(src[i])


def narrow_half(const float[::1] src, uint16_t[::1] dst, int num_threads):
    """float32 -> float16 bits, rounded to nearest even (the one rounding of a float16 call)."""
    cdef Py_ssize_t i, n = src.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            dst[i] = resample_float_to_half(src[i])


def round_to_integers(const double[::1] src, long long[::1] dst, long long lowest,
                      long long highest, int num_threads):
    """Round half to even and clamp, for writing float results back to integer images
    (16-bit and 32-bit Pillow modes)."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef double v
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = nearbyint(src[i])
            if v != v or v < lowest:      # NaN cannot come from integer input; clamp anyway
                dst[i] = lowest
            elif v > highest:
                dst[i] = highest
            else:
                dst[i] = <long long>v
