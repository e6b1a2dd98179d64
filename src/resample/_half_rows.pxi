# Narrow input and output of the float32 steps (see _kernels_impl.pxi). float16 and
# bfloat16 compute in float32 and round once (docs §3.8, §3.9): a separable or area step
# whose input is 16-bit widens the rows it reads into float32 working rows as it reads them,
# and one whose output is 16-bit computes each output row into a float32 row and narrows it
# as it is written (widen_row, narrow_row: the conversions of the elementwise steps). So no
# full-size float32 copy of the input or the output exists, and every output gets exactly
# the arithmetic of widening everything first and narrowing everything last. Inputs of
# uint8, uint16 and int16 computed in float32 (resize's 16-bit integers, TensorFlow's and
# JAX's float32 results of integer images) are widened as read the same way (exactly).
# A step's `half` names its input's (src_half) or output's (dst_half) narrow type: 0 for
# none, TYPE_FLOAT16 or TYPE_BFLOAT16, and for an input also TYPE_UINT8, TYPE_UINT16 or
# TYPE_INT16.

cdef enum:
    WIDENED_BYTES = 1 << 20     # a Widened window's rows beyond its widest span, at most


cdef inline char* at(const void* p, Py_ssize_t samples, int half, Py_ssize_t size) noexcept nogil:
    """p + samples, for samples of `size` bytes, or of half's size where half is set."""
    return <char*>p + samples * (size if not half else (1 if half == TYPE_UINT8 else 2))


cdef inline void widen_source_row(const void* src, float* dst, Py_ssize_t L, int half) noexcept nogil:
    """L samples of a narrow input type (half) as float32: exact for every one of them."""
    cdef Py_ssize_t j
    if half == TYPE_UINT8:
        for j in range(L):
            dst[j] = (<const uint8_t*>src)[j]
    elif half == TYPE_UINT16:
        for j in range(L):
            dst[j] = (<const uint16_t*>src)[j]
    elif half == TYPE_INT16:
        for j in range(L):
            dst[j] = (<const int16_t*>src)[j]
    else:
        widen_row(<const uint16_t*>src, dst, L, half == TYPE_BFLOAT16)


cdef inline bint is_bfloat16(int half) noexcept nogil:
    return half == TYPE_BFLOAT16


# A sliding window of the narrow rows that combine_rows reads (row r at src + r * stride
# samples of type `half`, L samples), widened to float32: rows [lo, hi) at rows + (r - lo) * L.
cdef struct Widened:
    const void* src
    Py_ssize_t stride, L, capacity, lo, hi
    int half
    float* rows


cdef Py_ssize_t widened_capacity(Py_ssize_t widest, Py_ssize_t L) noexcept nogil:
    """Rows a Widened window holds: the widest span of rows an output reads, plus room
    (up to WIDENED_BYTES) so that it slides down by moving rows seldom."""
    cdef Py_ssize_t room = WIDENED_BYTES // max(1, L * <Py_ssize_t>sizeof(float))
    return widest + max(1, min(room, 4 * widest + 8))


cdef inline void widened_start(Widened* w, const void* src, Py_ssize_t stride, Py_ssize_t L,
                               Py_ssize_t capacity, int half, float* rows) noexcept nogil:
    w.src, w.stride, w.L, w.capacity = src, stride, L, capacity
    w.lo = w.hi = 0
    w.half = half
    w.rows = rows


cdef inline const float* widened(Widened* w, Py_ssize_t lo, Py_ssize_t hi) noexcept nogil:
    """The window holding rows [lo, hi) (hi - lo at most the widest span): rows already
    there are kept, the others widened; row r is then at the result + (r - w.lo) * L."""
    if hi <= lo:                          # an output that reads nothing
        return w.rows
    if lo < w.lo or lo >= w.hi:           # nothing to keep
        w.lo = w.hi = lo
    if hi - w.lo > w.capacity:            # make room: drop the rows above lo
        memmove(w.rows, w.rows + (lo - w.lo) * w.L, (w.hi - lo) * w.L * sizeof(float))
        w.lo = lo
    while w.hi < hi:
        widen_source_row(at(w.src, w.hi * w.stride, w.half, 0), w.rows + (w.hi - w.lo) * w.L,
                         w.L, w.half)
        w.hi += 1
    return w.rows


cdef inline const sample* source_rows(const sample* kind, const void* src, int half, Widened* w,
                                      Py_ssize_t first, Py_ssize_t stride,
                                      const Py_ssize_t* span) noexcept nogil:
    """The input rows [first + span[0], first + span[1]) of src (rows `stride` samples apart)
    as combine_rows reads them, row first + t at the result + (t - source_base(...)) *
    stride: src's own, or where half (16-bit floats) those rows widened in w."""
    if sample is float:
        if half:
            return widened(w, first + span[0], first + span[1])
    return <const sample*>src + first * stride


cdef inline Py_ssize_t source_base(int half, const Widened* w, Py_ssize_t first) noexcept nogil:
    """The `base` for combine_rows of what source_rows just returned."""
    return w.lo - first if half else 0


cdef inline void combine_into(void* dst, int half, Py_ssize_t at_sample, const sample* src,
                              Py_ssize_t stride, Py_ssize_t base, const Plan* p, Py_ssize_t i,
                              Py_ssize_t L, bint stream, sample* stage) noexcept nogil:
    """combine_rows into dst's samples [at_sample, at_sample + L): directly, or where half
    (a 16-bit float output) narrowed as written (combine_rows16; `stage`: L float32 samples
    of working room)."""
    if sample is float:
        if half:
            combine_rows16(<uint16_t*>dst + at_sample, stage, src, stride, base, p, i, L,
                           is_bfloat16(half), stream)
            return
    combine_rows(<sample*>dst + at_sample, src, stride, base, p, i, L, stream)


cdef void narrow_rows_io(const void* src, int src_half, Py_ssize_t src_stride, void* dst,
                         int dst_half, Py_ssize_t dst_stride, Py_ssize_t rows, Py_ssize_t inner,
                         const Plan* p, const Py_ssize_t* chunks, Py_ssize_t n_chunks,
                         sample* block_in, sample* block_out, sample* stage_in,
                         sample* stage_out, bint stream) noexcept nogil:
    """narrow_rows where src or dst may hold 16-bit floats (src_half, dst_half): R rows at a
    time, widened into stage_in (R input rows) and resampled into stage_out (R output rows)
    that are narrowed into dst. stream: dst is a large output (16-bit rows only)."""
    cdef Py_ssize_t R = group_rows(block_in), g, m, r
    cdef Py_ssize_t row_in = p.n_in * inner, row_out = p.n_out * inner
    cdef const sample* s
    cdef sample* d
    cdef Py_ssize_t s_stride, d_stride
    if sample is float:
        if src_half or dst_half:
            g = 0
            while g < rows:
                m = rows - g if rows - g < R else R
                s, s_stride = <const float*>src + g * src_stride, src_stride
                if src_half:
                    for r in range(m):
                        widen_source_row(at(src, (g + r) * src_stride, src_half, 0),
                                         stage_in + r * row_in, row_in, src_half)
                    s, s_stride = stage_in, row_in
                d, d_stride = <float*>dst + g * dst_stride, dst_stride
                if dst_half:
                    d, d_stride = stage_out, row_out
                narrow_rows(s, s_stride, d, d_stride, m, inner, p, chunks, n_chunks, block_in, block_out)
                if dst_half:
                    for r in range(m):
                        narrow_row(stage_out + r * row_out, <uint16_t*>dst + (g + r) * dst_stride,
                                   row_out, is_bfloat16(dst_half), stream)
                g += R
            return
    narrow_rows(<const sample*>src, src_stride, <sample*>dst, dst_stride, rows, inner, p, chunks,
                n_chunks, block_in, block_out)


cdef inline const pooled* area_source(const pooled* kind, const void* src, int half,
                                      Py_ssize_t* rows, Py_ssize_t n_rows, Py_ssize_t row_in,
                                      pooled* stage) noexcept nogil:
    """What area_row reads: src, or where half (16-bit floats) the window's rows (at
    offsets rows[r] of src, row_in samples each) widened into stage, rows[r] renumbered."""
    cdef Py_ssize_t r
    if pooled is float:
        if half:
            for r in range(n_rows):
                widen_source_row(at(src, rows[r], half, 0), stage + r * row_in, row_in, half)
                rows[r] = r * row_in
            return stage
    return <const pooled*>src


cdef inline void area_into(void* dst, int half, Py_ssize_t at_sample, const pooled* src,
                           const Py_ssize_t* rows, Py_ssize_t n_rows, const AreaRow* a,
                           Py_ssize_t kd, Py_ssize_t kh, pooled* stage) noexcept nogil:
    """area_row into dst's samples from at_sample on: directly, or where half into the
    float32 row `stage`, then narrowed into dst."""
    if pooled is float:
        if half:
            area_row(stage, src, rows, n_rows, a, kd, kh)
            narrow_row(stage, <uint16_t*>dst + at_sample, a.n, is_bfloat16(half), False)
            return
    area_row(<pooled*>dst + at_sample, src, rows, n_rows, a, kd, kh)
