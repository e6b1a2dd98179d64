# The AVX2 build's periodic float32 rows (part of _rows_avx2.pxi, included from it): rows
# whose plan repeats along most of the row (find_period) are summed straight from the row,
# without transposes: along_rows and prepare_row_tables of the row primitive contract.

# ----------------------------------------------------------------------------- periodic rows
#
# A float32 plan that halves or doubles a row (find_period) repeats the same taps and
# weights: 8 outputs at a time are computed straight from the row, without transposing a
# group of rows, each summed in the plan's order like portable_combine_real.

cdef inline void pixel_samples(const float* src, float* dst, const Plan* p, Py_ssize_t C,
                               Py_ssize_t x0, Py_ssize_t x1) noexcept nogil:
    """Output pixels [x0, x1) of C samples, each sample left to right over its taps: the
    outputs of a periodic row outside its run (dst: the row's first output sample)."""
    cdef Py_ssize_t x, c, k
    cdef const Py_ssize_t* taps
    cdef const float* w
    cdef float acc
    for x in range(x0, x1):
        taps = p.taps + x * p.width
        w = <const float*>p.weights + x * p.width
        for c in range(C):
            if p.lerp:                  # TensorFlow's a + (b - a) * w
                acc = src[taps[0] * C + c]
                acc = acc + (src[taps[1] * C + c] - acc) * w[0]
            elif p.counts[x] == 0:
                acc = 0
            else:
                acc = src[taps[0] * C + c] * w[0]
                for k in range(1, p.counts[x]):
                    acc = acc + src[taps[k] * C + c] * w[k]
            dst[x * C + c] = acc


cdef inline __m256 lerp_ps(__m256 a, __m256 b, __m256 w) noexcept nogil:
    """a + (b - a) * w: a lerp plan's output (TensorFlow's bilinear form)."""
    return _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), w))


cdef inline __m256 run_sum(const float* s, const float* w, Py_ssize_t n, bint lerp) noexcept nogil:
    """Lane j: sum_k w[k] * s[j + k] (8 outputs a sample apart); lerp: the lerp of s[j]
    and s[j + 1] by w[0]."""
    if lerp:
        return lerp_ps(_mm256_loadu_ps(s), _mm256_loadu_ps(s + 1), _mm256_set1_ps(w[0]))
    cdef __m256 acc = _mm256_mul_ps(_mm256_loadu_ps(s), _mm256_set1_ps(w[0]))
    cdef Py_ssize_t k
    for k in range(1, n):
        acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_loadu_ps(s + k), _mm256_set1_ps(w[k])))
    return acc


cdef inline __m256 even_sum(const float* s, const float* w, Py_ssize_t n, bint lerp) noexcept nogil:
    """Lane j: sum_k w[k] * s[2j + k] (8 outputs two samples apart): each pair of taps
    from two loads split into even and odd samples; the lanes come out in the order
    0 1 4 5 2 3 6 7 until the final permute. lerp: the lerp of s[2j] and s[2j + 1]."""
    cdef __m256 a = _mm256_loadu_ps(s), b = _mm256_loadu_ps(s + 8)
    cdef __m256 acc
    cdef Py_ssize_t k
    if lerp:
        acc = lerp_ps(_mm256_shuffle_ps(a, b, 0x88), _mm256_shuffle_ps(a, b, 0xDD), _mm256_set1_ps(w[0]))
        return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(acc), 0xD8))
    acc = _mm256_mul_ps(_mm256_shuffle_ps(a, b, 0x88), _mm256_set1_ps(w[0]))
    for k in range(0, n, 2):
        if k > 0:
            a = _mm256_loadu_ps(s + k)
            b = _mm256_loadu_ps(s + k + 8)
            acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_shuffle_ps(a, b, 0x88), _mm256_set1_ps(w[k])))
        if k + 1 < n:
            acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_shuffle_ps(a, b, 0xDD), _mm256_set1_ps(w[k + 1])))
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(acc), 0xD8))


cdef inline void periodic_block(const float* s0, const float* s1, const float* w0, const float* w1,
                                Py_ssize_t n0, Py_ssize_t n1, Py_ssize_t P, Py_ssize_t q,
                                float* dst, bint lerp) noexcept nogil:
    """The 8 P outputs of the periodic run from q on (see avx2_periodic_row)."""
    cdef __m256 even, odd, lo, hi
    if P == 1:
        _mm256_storeu_ps(dst + q, even_sum(s0 + 2 * q, w0, n0, lerp))
    else:
        even = run_sum(s0 + q, w0, n0, lerp)
        odd = run_sum(s1 + q, w1, n1, lerp)
        lo = _mm256_unpacklo_ps(even, odd)         # outputs 0-3 | 8-11 of the 16
        hi = _mm256_unpackhi_ps(even, odd)         # outputs 4-7 | 12-15
        _mm256_storeu_ps(dst + 2 * q, _mm256_permute2f128_ps(lo, hi, 0x20))
        _mm256_storeu_ps(dst + 2 * q + 8, _mm256_permute2f128_ps(lo, hi, 0x31))


cdef inline void avx2_periodic_row(const float* src, float* dst, const Plan* p) noexcept nogil:
    """A periodic float32 row (see Plan): the outputs before and after the run one by one,
    the run 8 P outputs a step, its last step overlapping the one before where the run is
    not a whole number of steps (the same outputs, written twice with the same value)."""
    cdef Py_ssize_t q = p.q_lo, P = p.period_out, x0 = P * p.q_lo, x1 = x0 + 1
    cdef const float* w0 = <const float*>p.weights + x0 * p.width
    cdef const float* w1 = <const float*>p.weights + x1 * p.width
    cdef const float* s0 = src + p.taps[x0 * p.width] - p.period_in * q
    cdef const float* s1 = src + p.taps[x1 * p.width] - q if P == 2 else src
    cdef Py_ssize_t n0 = p.counts[x0], n1 = p.counts[x1] if P == 2 else 0
    pixel_samples(src, dst, p, 1, 0, x0)
    if p.lerp:                                  # TensorFlow's bilinear: constants again
        while q + 8 <= p.q_hi:
            periodic_block(s0, s1, w0, w1, 2, 2, P, q, dst, True)
            q += 8
    elif P == 2 and n0 == 2 and n1 == 2:       # bilinear x2: constant counts, loops unrolled
        while q + 8 <= p.q_hi:
            periodic_block(s0, s1, w0, w1, 2, 2, 2, q, dst, False)
            q += 8
    while q + 8 <= p.q_hi:
        periodic_block(s0, s1, w0, w1, n0, n1, P, q, dst, False)
        q += 8
    if q < p.q_hi and p.q_hi - p.q_lo >= 8:
        periodic_block(s0, s1, w0, w1, n0, n1, P, p.q_hi - 8, dst, p.lerp)
        q = p.q_hi
    pixel_samples(src, dst, p, 1, P * q, p.n_out)


cdef enum:
    PIXEL_VECTORS = 8             # P * C at most: periodic rows of pixels of 2 to 4 samples
    PIXEL_TAPS = 8                # taps an output at most


cdef struct PixelTables:
    # A periodic row of C-sample pixels (see Plan) by groups of 8 P output pixels (8 q's,
    # 8 S input pixels, `vectors` = P C output vectors). Lane l of vector v, tap k, reads
    # the input sample at start[v] + k C + offset[v][l] from the group's first input sample:
    # lanes whose offset is below 8 from a vector loaded there (permute by low[v]), the
    # others from one loaded `split[v]` further (permute by high[v]); use_high[v] picks.
    Py_ssize_t channels                  # C (set by prepare_row_tables)
    bint lerp                            # the plan's lerp form (two taps, w in weight[v][0])
    Py_ssize_t vectors, taps, reach      # reach: samples read past a group's first, at most
    Py_ssize_t start[PIXEL_VECTORS]
    Py_ssize_t split[PIXEL_VECTORS]
    int low[PIXEL_VECTORS][8]
    int high[PIXEL_VECTORS][8]
    int use_high[PIXEL_VECTORS][8]       # all ones where the lane reads the second load
    float weight[PIXEL_VECTORS][PIXEL_TAPS][8]


cdef inline bint pixel_tables(const Plan* p, Py_ssize_t C, PixelTables* t) noexcept nogil:
    """Fill t for p's periodic run on pixels of C samples; False where the phases read
    different numbers of taps or a vector's samples do not fit two 8-sample loads."""
    cdef Py_ssize_t P = p.period_out, S = p.period_in, x0 = P * p.q_lo, n = p.counts[x0]
    cdef Py_ssize_t v, k, l, s, x, r, off[8], first, second
    t.vectors, t.taps, t.reach = P * C, n, 0
    t.lerp = p.lerp
    if t.vectors > PIXEL_VECTORS or n > PIXEL_TAPS or n == 0 or (P == 2 and p.counts[x0 + 1] != n):
        return False
    first = p.taps[x0 * p.width] * C           # the group's first input sample
    for v in range(t.vectors):
        for l in range(8):
            s = 8 * v + l
            x = s // C                           # pixel of the group: q offset x // P, phase x % P
            r = x % P
            off[l] = (p.taps[(x0 + r) * p.width] + S * (x // P)) * C + s % C - first
            for k in range(n):                   # (taps: consecutive pixels, see same_phase)
                t.weight[v][k][l] = (<const float*>p.weights)[(x0 + r) * p.width + k]
        t.start[v] = off[0]
        for l in range(8):
            if off[l] < t.start[v]:
                t.start[v] = off[l]
        second = -1
        for l in range(8):
            off[l] -= t.start[v]
            if off[l] >= 8 and (second < 0 or off[l] < second):
                second = off[l]
        t.split[v] = second if second >= 0 else 0
        for l in range(8):
            if off[l] < 8:
                t.low[v][l], t.high[v][l], t.use_high[v][l] = <int>off[l], 0, 0
            elif off[l] - t.split[v] < 8:
                t.low[v][l], t.high[v][l], t.use_high[v][l] = 0, <int>(off[l] - t.split[v]), -1
            else:
                return False
        t.reach = max(t.reach, t.start[v] + t.split[v] + 8 + (n - 1) * C)
    return True


cdef inline void pixel_group(const float* src, float* dst, Py_ssize_t C,
                             const PixelTables* t) noexcept nogil:
    """The output vectors of one group (src: its first input sample): per tap, two loads
    permuted and blended into the lanes' samples, summed left to right."""
    cdef Py_ssize_t v, k
    cdef __m256 acc, taps_k, mask
    cdef __m256i low, high
    cdef const float* p
    for v in range(t.vectors):
        low = _mm256_loadu_si256(<const __m256i*>t.low[v])
        high = _mm256_loadu_si256(<const __m256i*>t.high[v])
        mask = _mm256_castsi256_ps(_mm256_loadu_si256(<const __m256i*>t.use_high[v]))
        for k in range(t.taps):
            p = src + t.start[v] + k * C
            taps_k = _mm256_blendv_ps(_mm256_permutevar8x32_ps(_mm256_loadu_ps(p), low),
                                      _mm256_permutevar8x32_ps(_mm256_loadu_ps(p + t.split[v]), high), mask)
            if t.lerp:                  # two taps: a, then a + (b - a) * w
                acc = taps_k if k == 0 else lerp_ps(acc, taps_k, _mm256_loadu_ps(t.weight[v][0]))
            elif k == 0:
                acc = _mm256_mul_ps(taps_k, _mm256_loadu_ps(t.weight[v][0]))
            else:
                acc = _mm256_add_ps(acc, _mm256_mul_ps(taps_k, _mm256_loadu_ps(t.weight[v][k])))
        _mm256_storeu_ps(dst + 8 * v, acc)


cdef inline void avx2_periodic_pixels(const float* src, float* dst, const Plan* p, Py_ssize_t C,
                                      const PixelTables* t) noexcept nogil:
    """A periodic float32 row of C-sample pixels: the samples before and after the run one
    by one, the run a group (8 P pixels) at a time while its loads stay in the row, the
    last group overlapping the one before where the run is not a whole number of groups
    (same values, written twice)."""
    cdef Py_ssize_t P = p.period_out, S = p.period_in, q = p.q_lo, q_end = p.q_hi
    cdef const float* first = src + p.taps[P * p.q_lo * p.width] * C
    while q_end > p.q_lo and (p.taps[P * p.q_lo * p.width] + S * (q_end - 8 - p.q_lo)) * C + t.reach > p.n_in * C:
        q_end -= 1                               # loads past the row: those go one by one
    pixel_samples(src, dst, p, C, 0, P * p.q_lo)
    while q + 8 <= q_end:
        pixel_group(first + S * (q - p.q_lo) * C, dst + P * q * C, C, t)
        q += 8
    if q < q_end and q_end - p.q_lo >= 8:
        pixel_group(first + S * (q_end - 8 - p.q_lo) * C, dst + P * (q_end - 8) * C, C, t)
        q = q_end
    pixel_samples(src, dst, p, C, P * q, p.n_out)


cdef inline bint along_rows(const sample* src, Py_ssize_t src_stride, sample* dst,
                            Py_ssize_t dst_stride, Py_ssize_t rows, Py_ssize_t inner,
                            const Plan* p) noexcept nogil:
    """Resample `rows` rows of a periodic float32 plan directly, on pixels of one sample
    or of 2 to 4 (pixel_tables); False: not such a plan."""
    cdef Py_ssize_t g
    cdef const PixelTables* tables = <const PixelTables*>p.row_tables
    if sample is float:
        if p.period_in and inner == 1:
            for g in range(rows):
                avx2_periodic_row(src + g * src_stride, dst + g * dst_stride, p)
            return True
        if tables != NULL and tables.channels == inner:
            for g in range(rows):
                avx2_periodic_pixels(src + g * src_stride, dst + g * dst_stride, p, inner, tables)
            return True
    return False


# prepare_row_tables's buffer: a PixelTables
cdef Py_ssize_t ROW_TABLES_BYTES = sizeof(PixelTables)


cdef inline bint prepare_row_tables(const Plan* p, Py_ssize_t inner, void* tables) noexcept nogil:
    """Fill `tables` (ROW_TABLES_BYTES) for along_rows on p's rows of `inner`-sample pixels,
    once per step; False: along_rows has no use for them."""
    cdef PixelTables* t = <PixelTables*>tables
    if not (p.period_in and 2 <= inner <= 4 and pixel_tables(p, inner, t)):
        return False
    t.channels = inner
    return True
