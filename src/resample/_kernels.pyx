"""Typed nogil kernels. Every output element is written by one thread with the same
arithmetic whatever the thread count, so results never depend on it.

Buffers are flat, C-contiguous in memory order; the API layer says which memory
axis is being resampled by giving (outer, n, inner) around it.
"""
from cython.parallel cimport parallel, prange
from libc.stdlib cimport free, malloc
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport nearbyint

ctypedef fused real:
    float
    double

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


cdef inline void narrow_row(const real* s_row, real* d_row, Py_ssize_t inner,
                            const Py_ssize_t[:, ::1] taps, const real[:, ::1] weights,
                            const Py_ssize_t[::1] counts) noexcept nogil:
    """One row of pixels with `inner` <= 4 channels, each channel summed left to right
    from its first product, like the wide loop (a pixel read by no tap gets 0)."""
    cdef Py_ssize_t i, k, n
    cdef const Py_ssize_t* t
    cdef const real* w
    cdef const real* p
    cdef real* d
    cdef real a0, a1, a2, a3
    for i in range(taps.shape[0]):
        t = &taps[i, 0]
        w = &weights[i, 0]
        n = counts[i]
        d = &d_row[i * inner]
        a0 = 0
        a1 = 0
        a2 = 0
        a3 = 0
        if n > 0:
            p = &s_row[t[0] * inner]
            a0 = p[0] * w[0]
            if inner > 1:
                a1 = p[1] * w[0]
            if inner > 2:
                a2 = p[2] * w[0]
            if inner > 3:
                a3 = p[3] * w[0]
        if inner == 3:
            for k in range(1, n):
                p = &s_row[t[k] * 3]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
                a2 = a2 + p[2] * w[k]
        elif inner == 4:
            for k in range(1, n):
                p = &s_row[t[k] * 4]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
                a2 = a2 + p[2] * w[k]
                a3 = a3 + p[3] * w[k]
        elif inner == 2:
            for k in range(1, n):
                p = &s_row[t[k] * 2]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
        else:
            for k in range(1, n):
                a0 = a0 + s_row[t[k]] * w[k]
        d[0] = a0
        if inner > 1:
            d[1] = a1
        if inner > 2:
            d[2] = a2
        if inner > 3:
            d[3] = a3


def separable_pass(const real[::1] src, real[::1] dst, Py_ssize_t outer, Py_ssize_t n_in,
                   Py_ssize_t inner, const Py_ssize_t[:, ::1] taps,
                   const real[:, ::1] weights, const Py_ssize_t[::1] counts, int num_threads):
    """dst(outer, n_out, inner)[o, i, :] = sum_k weights[i, k] * src(outer, n_in, inner)[o, taps[i, k], :]

    Accumulated left to right from the first product, in the compute type, as torch's
    kernels do. Threads split the (outer, n_out) rows.
    """
    cdef Py_ssize_t n_out = taps.shape[0], rows = outer * n_out
    cdef Py_ssize_t r, o, i, k, c
    cdef const real* s
    cdef real* d
    cdef real w
    cdef const Py_ssize_t* t
    cdef const real* v
    cdef Py_ssize_t fixed
    cdef int nt = threads_for(num_threads, rows * inner * taps.shape[1])
    if inner == 1:
        # the last memory axis: a gather along each row, one accumulator per output
        fixed = taps.shape[1]
        for i in range(n_out):
            if counts[i] != fixed:
                fixed = 0
                break
        with nogil:
            for o in prange(outer, num_threads=nt, schedule="static"):
                s = &src[o * n_in]
                d = &dst[o * n_out]
                # 2 and 4 taps everywhere (linear, cubic): unrolled, the same sums in order
                if fixed == 2:
                    for i in range(n_out):
                        t = &taps[i, 0]
                        v = &weights[i, 0]
                        d[i] = s[t[0]] * v[0] + s[t[1]] * v[1]
                    continue
                if fixed == 4:
                    for i in range(n_out):
                        t = &taps[i, 0]
                        v = &weights[i, 0]
                        d[i] = ((s[t[0]] * v[0] + s[t[1]] * v[1]) + s[t[2]] * v[2]) + s[t[3]] * v[3]
                    continue
                narrow_row(s, d, 1, taps, weights, counts)
        return
    if inner <= 4 and outer >= nt:
        # narrow interleaved rows (the W pass of NHWC with C <= 4): sums in registers
        with nogil:
            for o in prange(outer, num_threads=nt, schedule="static"):
                narrow_row(&src[o * n_in * inner], &dst[o * n_out * inner], inner, taps, weights, counts)
        return
    with nogil:
        for r in prange(rows, num_threads=nt, schedule="static"):
            o = r // n_out
            i = r - o * n_out
            d = &dst[r * inner]
            if counts[i] == 0:          # read by no output (backward plans): zero
                for c in range(inner):
                    d[c] = 0
                continue
            s = &src[(o * n_in + taps[i, 0]) * inner]
            w = weights[i, 0]
            for c in range(inner):
                d[c] = s[c] * w
            for k in range(1, counts[i]):
                s = &src[(o * n_in + taps[i, k]) * inner]
                w = weights[i, k]
                for c in range(inner):
                    d[c] = d[c] + s[c] * w


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


cdef inline uint8_t shift_and_clamp(int acc, int precision) noexcept nogil:
    acc = acc >> precision          # arithmetic shift: floor division by 2^p
    return <uint8_t>(0 if acc < 0 else (255 if acc > 255 else acc))


cdef inline void narrow_row_uint8(const uint8_t* s_row, uint8_t* d_row, Py_ssize_t inner,
                                  const Py_ssize_t[:, ::1] taps, const int[:, ::1] weights,
                                  const Py_ssize_t[::1] counts, int precision) noexcept nogil:
    """One row of pixels with `inner` <= 4 channels in torch's fixed point."""
    cdef Py_ssize_t i, k, n
    cdef const Py_ssize_t* t
    cdef const int* w
    cdef const uint8_t* p
    cdef uint8_t* d
    cdef int start = (1 << precision) >> 1
    cdef int a0, a1, a2, a3
    for i in range(taps.shape[0]):
        t = &taps[i, 0]
        w = &weights[i, 0]
        n = counts[i]
        d = &d_row[i * inner]
        a0 = start
        a1 = start
        a2 = start
        a3 = start
        if inner == 3:
            for k in range(n):
                p = &s_row[t[k] * 3]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
                a2 = a2 + p[2] * w[k]
        elif inner == 4:
            for k in range(n):
                p = &s_row[t[k] * 4]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
                a2 = a2 + p[2] * w[k]
                a3 = a3 + p[3] * w[k]
        elif inner == 2:
            for k in range(n):
                p = &s_row[t[k] * 2]
                a0 = a0 + p[0] * w[k]
                a1 = a1 + p[1] * w[k]
        else:
            for k in range(n):
                a0 = a0 + s_row[t[k]] * w[k]
        d[0] = shift_and_clamp(a0, precision)
        if inner > 1:
            d[1] = shift_and_clamp(a1, precision)
        if inner > 2:
            d[2] = shift_and_clamp(a2, precision)
        if inner > 3:
            d[3] = shift_and_clamp(a3, precision)


def separable_pass_uint8(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t outer,
                         Py_ssize_t n_in, Py_ssize_t inner, const Py_ssize_t[:, ::1] taps,
                         const int[:, ::1] weights, const Py_ssize_t[::1] counts,
                         int precision, int num_threads):
    """torch's uint8 fixed point: int32 sum of pixel x int16 weight from 2^(p-1),
    shifted right by p (floor) and clamped to 0..255.

    Three loop shapes, same arithmetic: inner == 1 (last axis of NCHW) and inner <= 4
    (the W pass of an NHWC image) keep the sums in registers; wider rows accumulate a
    whole output row in a per-thread int32 buffer, one input row at a time (vectorised).
    """
    cdef Py_ssize_t n_out = taps.shape[0], rows = outer * n_out
    cdef Py_ssize_t r, o, i, k, c, base
    cdef int start = (1 << precision) >> 1
    cdef int w
    cdef int* acc
    cdef const uint8_t* s
    cdef uint8_t* d
    cdef int nt = threads_for(num_threads, rows * inner * taps.shape[1])
    if inner <= 4 and outer >= nt:
        with nogil:
            for o in prange(outer, num_threads=nt, schedule="static"):
                narrow_row_uint8(&src[o * n_in * inner], &dst[o * n_out * inner], inner, taps,
                                 weights, counts, precision)
        return
    with nogil, parallel(num_threads=nt):
        acc = <int*>malloc(inner * sizeof(int))
        for r in prange(rows, schedule="static"):
            o = r // n_out
            i = r - o * n_out
            base = o * n_in
            for c in range(inner):
                acc[c] = start
            for k in range(counts[i]):
                s = &src[(base + taps[i, k]) * inner]
                w = weights[i, k]
                for c in range(inner):
                    acc[c] = acc[c] + s[c] * w
            d = &dst[r * inner]
            for c in range(inner):
                d[c] = shift_and_clamp(acc[c], precision)
        free(acc)


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
