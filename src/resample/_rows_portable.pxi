# Row primitives in plain C loops, for any CPU (the compiler vectorises what it can).
# Every separable pass is built from three of them (see _passes.pxi):
#   combine_rows     one output row = the weighted sum of a plan's input rows;
#   gather_columns   R rows -> a block whose row c holds column c of all R rows;
#   scatter_columns  the inverse, back into R rows.
# The AVX2 build (_rows_avx2.pxi) replaces the float32 and uint8 ones by intrinsics with the
# same arithmetic on every sample, so both builds give the same bits.

from libc.stdint cimport int16_t, int32_t, uint8_t, uint16_t, uint32_t, uint64_t

cdef extern from "_half.h" nogil:
    float resample_half_to_float(uint16_t)
    uint16_t resample_float_to_half(float)
    float resample_bfloat16_to_float(uint16_t)
    uint16_t resample_float_to_bfloat16(float)

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define resample_prefetch_line(p) __builtin_prefetch((p), 0, 3)
    #else
    #define resample_prefetch_line(p) ((void)(p))
    #endif
    """
    void prefetch_line "resample_prefetch_line"(const char*) nogil


ctypedef fused sample:       # what the separable passes work in: the compute types and uint8
    float
    double
    uint8_t

ctypedef fused real:
    float
    double

ctypedef fused element:      # nearest copies bits, so only the width matters
    uint8_t
    uint16_t
    uint32_t
    uint64_t

ctypedef fused pooled:       # area's: the float compute types and uint8
    float
    double
    uint8_t


# One axis's plan as the kernels read it (the arrays are owned by the caller).
cdef struct Plan:
    Py_ssize_t n_in
    Py_ssize_t n_out
    Py_ssize_t width             # table columns per output
    const Py_ssize_t* taps       # n_out x width input indices
    const void* weights          # n_out x width: float / double, or int16 for uint8
    const Py_ssize_t* counts     # taps used per output (uint8 sums them in pairs)
    int precision                # uint8: fixed-point bits of the weights
    bint wide                    # uint8: int32 weights (Pillow's 22 bits) instead of int16
    bint identity                # torch's same-size linear rule: every output is x*1 + x*0
    bint lerp                    # TensorFlow's bilinear form: two taps a, b and a weight w
                                 # (first column), output a + (b - a) * w (float types only)
    double post                  # float types: every output times this after its sum (0: none;
                                 # TensorFlow's ResizeArea factor)
    # float32 plans that repeat along the row (find_period): outputs period_out * q + r,
    # q_lo <= q < q_hi, read inputs period_in * (q - q_lo) on from what output
    # period_out * q_lo + r reads, with its weights; period_in = 0: no such run
    Py_ssize_t period_in, period_out, q_lo, q_hi
    # the build's tables for along_rows on this plan's rows (prepare_row_tables; NULL: none)
    const void* row_tables


# One output row of adaptive average pooling (area), as area_row reads it: output sample q
# averages input samples start[q] + k * step, k < width[q], of every row of its window.
cdef struct AreaRow:
    Py_ssize_t n                 # samples in an output row
    Py_ssize_t step              # samples from one pixel to the next (channels, or 1)
    Py_ssize_t widest            # the largest width
    const Py_ssize_t* start
    const Py_ssize_t* width
    # for AVX2, by blocks of 8 outputs (NULL where a row is too long for int32 offsets):
    const Py_ssize_t* block_start   # the smallest start in the block
    const int* offsets           # start[q] - block_start of q's block
    const int* widths32          # width as int32
    const unsigned char* local   # per block: all the samples of every k lie within 16 from
                                 # block_start + k * step, inside the row


# OpenCV's uint8 horizontal pass by blocks of 8 output samples (_kernels_impl's pair_table):
# a block whose source bytes lie within 32 from base[b] (else base -1) is, per pair of taps,
# two byte shuffles (masks, 32 a pair) and pmaddwd with the weight pairs (8 a pair).
cdef struct PairShuffle:
    Py_ssize_t blocks
    Py_ssize_t sets              # pairs of taps (width / 2)
    const Py_ssize_t* base
    const uint8_t* masks
    const int* weights


# The inner table of a nearest gather (output sample e reads input sample index[e] of its
# row), with what the AVX2 build needs to pick samples by permutes instead of one by one.
cdef struct GatherRow:
    Py_ssize_t n
    const Py_ssize_t* index
    const uint8_t* offsets       # index[e] - index[first of e's block]
    const uint8_t* local         # per block: all its offsets < 16 and 16 samples readable


cdef enum:
    FLOAT_ROWS = 16              # group_rows for float32
    # samples the portable loops sum at once (a constant trip count lets the compiler keep
    # the sums in vector registers across the taps)
    BLOCK = 32


cdef inline Py_ssize_t group_rows(const sample* kind) noexcept nogil:
    """How many rows are resampled together along their length: one AVX2 register holds
    one sample of each (32 bytes)."""
    if sample is uint8_t:
        return 32
    elif sample is float:
        return FLOAT_ROWS
    else:
        return 8


cdef inline uint8_t shift_and_clamp(int acc, int precision) noexcept nogil:
    acc = acc >> precision          # arithmetic shift: floor division by 2^p
    return <uint8_t>(0 if acc < 0 else (255 if acc > 255 else acc))


cdef inline void portable_combine_real(real* dst, const real* src, Py_ssize_t stride,
                                       Py_ssize_t base, const Py_ssize_t* taps, const real* w,
                                       Py_ssize_t n, Py_ssize_t c, Py_ssize_t L) noexcept nogil:
    """dst[j] = sum_k w[k] * row(taps[k])[j] for c <= j < L, where row(t) = src + (t - base) *
    stride: accumulated left to right from the first product, as torch's kernels do (a row
    read by no tap is 0)."""
    cdef real acc[BLOCK]
    cdef const real* p
    cdef real wk
    cdef Py_ssize_t j, k, size
    if n == 0:
        for j in range(c, L):
            dst[j] = 0
        return
    while c < L:
        p = src + (taps[0] - base) * stride + c
        if c + BLOCK <= L:
            for j in range(BLOCK):
                acc[j] = p[j] * w[0]
            for k in range(1, n):
                p = src + (taps[k] - base) * stride + c
                wk = w[k]
                for j in range(BLOCK):
                    acc[j] = acc[j] + p[j] * wk
            for j in range(BLOCK):
                dst[c + j] = acc[j]
            c += BLOCK
            continue
        size = L - c
        for j in range(size):
            acc[j] = p[j] * w[0]
        for k in range(1, n):
            p = src + (taps[k] - base) * stride + c
            wk = w[k]
            for j in range(size):
                acc[j] = acc[j] + p[j] * wk
        for j in range(size):
            dst[c + j] = acc[j]
        c = L


ctypedef fused fixed_weight:     # uint8 weights: torch's int16, Pillow's int32
    int16_t
    int32_t


cdef inline void portable_combine_uint8(uint8_t* dst, const uint8_t* src, Py_ssize_t stride,
                                        Py_ssize_t base, const Py_ssize_t* taps,
                                        const fixed_weight* w, Py_ssize_t pairs, int precision,
                                        Py_ssize_t c, Py_ssize_t L) noexcept nogil:
    """torch's and Pillow's fixed point: int32 sum from 2^(p-1) of pixel x weight, shifted
    right by p and clamped to 0..255. Taps come in pairs (a padding tap has weight 0);
    integer sums are exact, so the pairing and order change nothing."""
    cdef int acc[BLOCK]
    cdef const uint8_t* a
    cdef const uint8_t* b
    cdef int wa, wb, start = (1 << precision) >> 1
    cdef Py_ssize_t j, g, size
    while c < L:
        size = BLOCK if c + BLOCK <= L else L - c
        for j in range(BLOCK):
            acc[j] = start
        for g in range(pairs):
            a = src + (taps[2 * g] - base) * stride + c
            b = src + (taps[2 * g + 1] - base) * stride + c
            wa = w[2 * g]
            wb = w[2 * g + 1]
            if size == BLOCK:
                for j in range(BLOCK):
                    acc[j] = acc[j] + a[j] * wa + b[j] * wb
            else:
                for j in range(size):
                    acc[j] = acc[j] + a[j] * wa + b[j] * wb
        for j in range(size):
            dst[c + j] = shift_and_clamp(acc[j], precision)
        c += size


cdef inline void portable_lerp_real(real* dst, const real* src, Py_ssize_t stride,
                                    Py_ssize_t base, const Py_ssize_t* taps, real w,
                                    Py_ssize_t c, Py_ssize_t L) noexcept nogil:
    """dst[j] = a[j] + (b[j] - a[j]) * w for c <= j < L, a and b the rows of taps[0] and
    taps[1]: TensorFlow's ResizeBilinear lerp, in that order and type."""
    cdef const real* a = src + (taps[0] - base) * stride
    cdef const real* b = src + (taps[1] - base) * stride
    cdef Py_ssize_t j
    for j in range(c, L):
        dst[j] = a[j] + (b[j] - a[j]) * w


cdef inline void scale_row(sample* dst, double factor, Py_ssize_t L) noexcept nogil:
    """dst[j] = dst[j] * factor, in the sample type (a plan's post factor)."""
    cdef sample f = <sample>factor
    cdef Py_ssize_t j
    if sample is not uint8_t:
        for j in range(L):
            dst[j] = dst[j] * f


cdef inline void portable_combine(sample* dst, const sample* src, Py_ssize_t stride,
                                  Py_ssize_t base, const Plan* plan, Py_ssize_t i,
                                  Py_ssize_t L) noexcept nogil:
    """Output row i of the plan, L samples long, from rows `stride` apart (row t at
    src + (t - base) * stride)."""
    cdef const Py_ssize_t* taps = plan.taps + i * plan.width
    if sample is uint8_t and plan.wide:
        portable_combine_uint8(dst, src, stride, base, taps,
                               <const int32_t*>plan.weights + i * plan.width, (plan.counts[i] + 1) // 2,
                               plan.precision, 0, L)
    elif sample is uint8_t:
        portable_combine_uint8(dst, src, stride, base, taps,
                               <const int16_t*>plan.weights + i * plan.width, (plan.counts[i] + 1) // 2,
                               plan.precision, 0, L)
    elif plan.lerp:
        portable_lerp_real(dst, src, stride, base, taps,
                           (<const sample*>plan.weights)[i * plan.width], 0, L)
    else:
        portable_combine_real(dst, src, stride, base, taps,
                              <const sample*>plan.weights + i * plan.width, plan.counts[i], 0, L)


cdef inline void portable_gather(const sample* src, Py_ssize_t stride, Py_ssize_t rows,
                                 Py_ssize_t c, Py_ssize_t L, sample* block) noexcept nogil:
    """block[j * R + r] = src[r * stride + j] for c <= j < L and the R = group_rows rows; rows
    from `rows` on repeat the last real one (their results are never stored)."""
    cdef Py_ssize_t R = group_rows(src), r, j
    cdef const sample* row
    for r in range(R):
        row = src + (r if r < rows else rows - 1) * stride
        for j in range(c, L):
            block[j * R + r] = row[j]


cdef inline void portable_scatter(const sample* block, Py_ssize_t c, Py_ssize_t L, sample* dst,
                                  Py_ssize_t stride, Py_ssize_t rows) noexcept nogil:
    """dst[r * stride + j] = block[j * R + r] for c <= j < L and r < rows."""
    cdef Py_ssize_t R = group_rows(dst), r, j
    cdef sample* row
    for r in range(rows):
        row = dst + r * stride
        for j in range(c, L):
            row[j] = block[j * R + r]


cdef inline void portable_area_row(pooled* out, const pooled* src, const Py_ssize_t* rows,
                                   Py_ssize_t n_rows, const AreaRow* a, Py_ssize_t kd,
                                   Py_ssize_t kh, Py_ssize_t q) noexcept nogil:
    """Output samples q..a.n-1 of one area row. Floats: the window summed in row-major order
    (rows src + rows[r], then pixels) from 0, then divided by its extent along D, H and W in
    that order, as torch does (x / 1 is x). uint8 (torch has none): the exact integer mean
    rounded half up, floor((2 * sum + k) / (2 * k))."""
    cdef Py_ssize_t r, k, first, w
    cdef float acc32
    cdef double acc64
    cdef long long total
    for q in range(q, a.n):
        first = a.start[q]
        w = a.width[q]
        acc32 = 0
        acc64 = 0
        total = 0
        for r in range(n_rows):
            for k in range(w):
                if pooled is float:
                    acc32 = acc32 + src[rows[r] + first + k * a.step]
                elif pooled is double:
                    acc64 = acc64 + src[rows[r] + first + k * a.step]
                else:
                    total = total + src[rows[r] + first + k * a.step]
        if pooled is float:
            out[q] = ((acc32 / <float>kd) / <float>kh) / <float>w
        elif pooled is double:
            out[q] = ((acc64 / <double>kd) / <double>kh) / <double>w
        else:
            w = w * kd * kh
            out[q] = <uint8_t>((2 * total + w) // (2 * w))


cdef inline void portable_gather_row(element* dst, const element* src, const GatherRow* g,
                                     Py_ssize_t e) noexcept nogil:
    """dst[e] = src[index[e]] from sample e on."""
    for e in range(e, g.n):
        dst[e] = src[g.index[e]]


cdef inline void prefetch(const void* start, Py_ssize_t size) noexcept nogil:
    """Ask for the cache lines of [start, start + size) (a hint; a no-op where the compiler
    has no prefetch built-in)."""
    cdef Py_ssize_t offset
    for offset in range(0, size, 64):
        prefetch_line(<const char*>start + offset)


cdef inline void portable_widen_row(const uint16_t* src, float* dst, Py_ssize_t c, Py_ssize_t n,
                                    bint bfloat16) noexcept nogil:
    """dst[j] = the float32 value of the 16-bit float bits src[j], c <= j < n (exact)."""
    cdef Py_ssize_t j
    if bfloat16:
        for j in range(c, n):
            dst[j] = resample_bfloat16_to_float(src[j])
    else:
        for j in range(c, n):
            dst[j] = resample_half_to_float(src[j])


cdef inline void portable_narrow_row(const float* src, uint16_t* dst, Py_ssize_t c, Py_ssize_t n,
                                     bint bfloat16) noexcept nogil:
    """dst[j] = src[j] rounded to the 16-bit float (nearest even), c <= j < n."""
    cdef Py_ssize_t j
    if bfloat16:
        for j in range(c, n):
            dst[j] = resample_float_to_bfloat16(src[j])
    else:
        for j in range(c, n):
            dst[j] = resample_float_to_half(src[j])
