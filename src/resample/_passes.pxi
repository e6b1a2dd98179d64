# The separable passes (see _kernels_impl.pxi): per-axis plans applied along one axis, two
# axes fused as planes and three as volumes.

# ----------------------------------------------------------------------------- separable passes
#
# A pass resamples one axis of a buffer seen as (outer, n_in, inner) -> (outer, n_out, inner).
# With inner >= R (any axis but the last, or wide channels) every output row is a weighted
# sum of whole input rows: combine_rows. Along the last axis (inner = 1, or the channels of
# an interleaved image) R rows are transposed into a block whose rows are pixels, so the
# same combine_rows does the work, and transposed back. The two axes of an image are fused
# (run_plane), so the intermediate rows stay in cache instead of filling a full image.

cdef enum:
    STRIP_BYTES = 1 << 18       # H-pass rows of one backward strip (fits in L2)
    CHUNK_BYTES = 1 << 16       # a transposed block of pixels (16 to 128 KB measured alike)
    TASKS_PER_THREAD = 4        # ranges of rows per thread at least, for load balance
    PREFETCH_BYTES = 1024       # of the next row, asked for while a row is read
    STREAM_BYTES = 32 << 20     # outputs this large are streamed to memory (AVX2 float32):
                                # beyond the caches, they would only evict the working rows
    STREAM_ROW = 256            # samples of a row, at least, for a streamed row


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
    # uint8 (int16 weights) also takes Pillow's int32 ones
    cdef bint wide = weight_bytes == sizeof(int16_t) and kernel_plan.weights.itemsize == 4
    if (kernel_plan.weights.itemsize != weight_bytes and not wide) or taps.shape[0] == 0 or taps.shape[1] == 0:
        raise TypeError("plan does not match the data type or is empty")
    p.n_in = kernel_plan.n_in
    p.n_out = taps.shape[0]
    p.width = taps.shape[1]
    p.taps = &taps[0, 0]
    p.weights = &weights[0, 0]
    p.counts = &counts[0]
    p.precision = kernel_plan.precision
    p.identity = kernel_plan.identity
    p.wide = wide
    p.lerp = kernel_plan.lerp
    p.post = kernel_plan.post
    if p.lerp and (weight_bytes == sizeof(int16_t) or p.width != 2):
        raise TypeError("a lerp plan takes two taps and floating-point data")
    if p.post != 0 and weight_bytes == sizeof(int16_t):
        raise TypeError("a plan's post factor is for floating-point data")
    p.period_in = p.period_out = p.q_lo = p.q_hi = 0
    p.row_tables = NULL
    if weight_bytes == sizeof(float) and not p.identity and not p.lerp and p.post == 0:
        find_period(&p, weights)
    return p


cdef bint same_phase(const Plan* p, const uint8_t[:, ::1] weights, Py_ssize_t q, Py_ssize_t q_ref,
                     Py_ssize_t S, Py_ssize_t P) noexcept nogil:
    """Whether outputs P*q + r (r < P) read contiguous inputs S*(q - q_ref) on from those of
    P*q_ref + r, with the same count and weight bits, and (S = 2) the even number of
    samples at or above that count still lies in the row (a pair of vector loads reads it)."""
    cdef Py_ssize_t r, k, x, x_ref, n, first
    for r in range(P):
        x, x_ref = P * q + r, P * q_ref + r
        n = p.counts[x_ref]
        if x >= p.n_out or n == 0 or p.counts[x] != n:
            return False
        first = p.taps[x_ref * p.width] + S * (q - q_ref)
        if first + n + (n & 1 if S == 2 else 0) > p.n_in:
            return False
        for k in range(n):
            if p.taps[x * p.width + k] != first + k:
                return False
        if memcmp(&weights[x, 0], &weights[x_ref, 0], n * sizeof(float)) != 0:
            return False
    return True


cdef void find_period(Plan* p, const uint8_t[:, ::1] weights) noexcept nogil:
    """Set p's periodic run (see Plan) where a float32 plan halves (S = 2 inputs an
    output) or doubles (P = 2 outputs an input) with the same taps and weights for most
    outputs, as the x2 and /2 plans of torch and Pillow do away from the edges."""
    cdef Py_ssize_t S, P, n_q, q_ref, lo, hi
    for P in range(1, 3):
        S = 3 - P
        n_q = p.n_out // P
        q_ref = n_q // 2
        if n_q < 16 or not same_phase(p, weights, q_ref, q_ref, S, P):
            continue
        lo, hi = q_ref, q_ref + 1
        while lo > 0 and same_phase(p, weights, lo - 1, q_ref, S, P):
            lo -= 1
        while hi < n_q and same_phase(p, weights, hi, q_ref, S, P):
            hi += 1
        if 2 * P * (hi - lo) >= p.n_out:      # most of the row
            p.period_in, p.period_out, p.q_lo, p.q_hi = S, P, lo, hi
            return


cdef void narrow_rows(const sample* src, Py_ssize_t src_stride, sample* dst, Py_ssize_t dst_stride,
                      Py_ssize_t rows, Py_ssize_t inner, const Plan* p, const Py_ssize_t* chunks,
                      Py_ssize_t n_chunks, sample* block_in, sample* block_out) noexcept nogil:
    """Resample `rows` rows of p.n_in pixels (`inner` samples each) along their length: R
    rows at a time, and in chunks (x0, x1, lo, hi) of output pixels [x0, x1) that read input
    pixels [lo, hi), each chunk transposed into block_in, combined into block_out and
    transposed back (chunk_table sizes them to stay in cache). The identity plan is one
    elementwise sum per row, without transposes."""
    cdef Py_ssize_t R = group_rows(src), L = inner * R, g, m, i, c
    cdef const Py_ssize_t* chunk
    if p.identity:
        for g in range(rows):
            combine_rows(dst + g * dst_stride, src + g * src_stride, 0, 0, p, 0, p.n_in * inner, False)
        return
    if along_rows(src, src_stride, dst, dst_stride, rows, inner, p):
        return
    g = 0
    while g < rows:
        m = rows - g if rows - g < R else R
        for c in range(n_chunks):
            chunk = chunks + 4 * c
            gather_columns(src + g * src_stride + chunk[2] * inner, src_stride, m,
                           (chunk[3] - chunk[2]) * inner, block_in)
            for i in range(chunk[0], chunk[1]):
                combine_rows(block_out + (i - chunk[0]) * L, block_in, L, chunk[2], p, i, L, False)
            scatter_columns(block_out, (chunk[1] - chunk[0]) * inner,
                            dst + g * dst_stride + chunk[0] * inner, dst_stride, m)
        g += R


cdef class Chunks:
    """A W plan's chunk table and the block sizes it needs (see narrow_rows)."""
    cdef Py_ssize_t[:, ::1] table
    cdef Py_ssize_t count, block_in, block_out

    def __init__(self, Py_ssize_t[:, ::1] table, Py_ssize_t samples):
        cdef Py_ssize_t c
        self.table = table
        self.count = table.shape[0]
        self.block_in = 1
        self.block_out = 1
        for c in range(self.count):
            self.block_in = max(self.block_in, (table[c, 3] - table[c, 2]) * samples)
            self.block_out = max(self.block_out, (table[c, 1] - table[c, 0]) * samples)


cdef Chunks chunk_table(const Plan* p, Py_ssize_t pixel_samples, Py_ssize_t sample_bytes):
    """Chunks of a W plan for narrow_rows: a pixel of the transposed block is pixel_samples
    (= inner * R) samples; the identity plan needs none."""
    if p.identity:
        return Chunks(np.zeros((0, 4), np.intp), 0)
    return Chunks(chunk_runs(p, pixel_samples * sample_bytes, CHUNK_BYTES),
                  pixel_samples)


cdef void row_span(const Plan* p, Py_ssize_t i, Py_ssize_t* lo, Py_ssize_t* hi) noexcept nogil:
    """Widen [lo, hi) to cover the input rows that output i reads."""
    cdef Py_ssize_t k, t
    for k in range(p.counts[i]):
        t = p.taps[i * p.width + k]
        lo[0] = t if t < lo[0] else lo[0]
        hi[0] = t + 1 if t + 1 > hi[0] else hi[0]


cdef Py_ssize_t next_run(const Plan* p, Py_ssize_t x0, Py_ssize_t pixel_bytes, Py_ssize_t budget,
                         Py_ssize_t* lo, Py_ssize_t* hi) noexcept nogil:
    """The run of outputs [x0, x1) that starts at x0 (returned: x1), with the inputs [lo, hi)
    it reads: as many outputs as keep both within `budget` bytes (at least one)."""
    cdef Py_ssize_t x1 = x0 + 1, lo1, hi1
    lo[0], hi[0] = p.n_in, 0
    row_span(p, x0, lo, hi)
    while x1 < p.n_out:
        lo1, hi1 = lo[0], hi[0]
        row_span(p, x1, &lo1, &hi1)
        if max(hi1 - lo1, x1 + 1 - x0) * pixel_bytes > budget:
            break
        lo[0], hi[0] = lo1, hi1
        x1 += 1
    if hi[0] <= lo[0]:           # outputs that read nothing (backward plans): zeros
        lo[0], hi[0] = 0, 0
    return x1


cdef Py_ssize_t[:, ::1] chunk_runs(const Plan* p, Py_ssize_t pixel_bytes, Py_ssize_t budget):
    """The plan's outputs split into runs (x0, x1, lo, hi) by next_run."""
    cdef Py_ssize_t n = 0, x0 = 0, lo, hi
    while x0 < p.n_out:           # count them first: the table is exactly that long
        x0 = next_run(p, x0, pixel_bytes, budget, &lo, &hi)
        n += 1
    cdef Py_ssize_t[:, ::1] table = np.empty((n, 4), np.intp)
    x0 = 0
    for n in range(table.shape[0]):
        table[n, 0] = x0
        x0 = next_run(p, x0, pixel_bytes, budget, &table[n, 2], &table[n, 3])
        table[n, 1] = x0
    return table


cdef Py_ssize_t output_spans(const Plan* p, Py_ssize_t[:, ::1] spans):
    """spans[i] = [lo, hi): the inputs output i reads (lo >= hi: none). Returns the widest."""
    cdef Py_ssize_t i, widest = 1
    for i in range(p.n_out):
        spans[i, 0], spans[i, 1] = p.n_in, 0
        row_span(p, i, &spans[i, 0], &spans[i, 1])
        widest = max(widest, spans[i, 1] - spans[i, 0])
    return widest


cdef inline Py_ssize_t equal_tasks(Py_ssize_t units, int threads) noexcept nogil:
    """How many equal ranges a static schedule splits `units` (the rows of all planes, or
    the planes of all volumes) into: TASKS_PER_THREAD a thread, so every thread gets the
    same share (as many as there are units, if fewer)."""
    return 1 if threads <= 1 else min(units, TASKS_PER_THREAD * <Py_ssize_t>threads)


# How to resample one plane (H, W, channels) -> (H', W', channels), for plane_rows.
cdef struct PlaneWork:
    const Plan* hp
    const Plan* wp
    Py_ssize_t channels
    Py_ssize_t row_in, row_out         # samples in an input / output row
    bint width_first                   # the forward's order (W, then H); else H, then W
    const Py_ssize_t* spans            # the input rows output row y of the H pass reads are
                                       # spans[2y] <= row < spans[2y + 1]
    Py_ssize_t capacity                # rows in the window
    Py_ssize_t strip                   # H first: H-pass rows per strip (whole groups of R)
    const Py_ssize_t* chunks           # the W plan's chunks (see narrow_rows)
    Py_ssize_t n_chunks
    Py_ssize_t widened                 # H first, 16-bit input: rows of its Widened window


cdef void plane_rows(const void* src, int src_half, void* dst, int dst_half, const PlaneWork* g,
                     Py_ssize_t y0, Py_ssize_t y1, sample* window, sample* block_in,
                     sample* block_out, sample* stage_in, sample* stage_out, Widened* w,
                     bint stream) noexcept nogil:
    """Output rows [y0, y1) of one plane, through a window of intermediate rows that stays
    in cache. W first: the window holds the W-pass rows [w_lo, w_hi) and slides down the
    plane as the H pass consumes them, gaining R rows at a time (whole transposed groups),
    so every W-pass row is computed once per call. H first: strips of H-pass rows, each
    then resampled along W. src_half, dst_half: src or dst holds 16-bit floats, widened as
    read (W first: R rows at a time in stage_in; H first: the rows the H pass reads, in w
    over stage_in) and narrowed as written (from stage_out: one row W first, R H first).
    stream: dst is a large output (see STREAM_BYTES)."""
    cdef Py_ssize_t R = group_rows(window), y, lo, hi, fresh, rows
    cdef Py_ssize_t last, w_lo, w_hi
    cdef const sample* read
    if not g.width_first:
        if src_half:
            widened_start(w, src, g.row_in, g.row_in, g.widened, src_half, <float*>stage_in)
        while y0 < y1:
            rows = min(g.strip, y1 - y0)
            for y in range(y0, y0 + rows):
                read = source_rows(window, src, src_half, w, 0, g.row_in, g.spans + 2 * y)
                combine_rows(window + (y - y0) * g.row_in, read, g.row_in, source_base(src_half, w, 0),
                             g.hp, y, g.row_in, False)
            narrow_rows_io(window, 0, g.row_in, at(dst, y0 * g.row_out, dst_half, sizeof(sample)),
                           dst_half, g.row_out, rows, g.channels, g.wp, g.chunks, g.n_chunks,
                           block_in, block_out, stage_in, stage_out, stream)
            y0 += rows
        return
    last = g.spans[2 * (y1 - 1) + 1]
    w_lo = w_hi = g.spans[2 * y0]
    for y in range(y0, y1):
        lo, hi = g.spans[2 * y], g.spans[2 * y + 1]
        if hi > lo:                       # (otherwise it reads nothing: zeros)
            if lo < w_lo or lo >= w_hi:   # nothing to keep
                w_lo = w_hi = lo
            if hi > w_hi:
                fresh = max(hi, min(w_hi + R, last)) - w_hi
                if w_hi - w_lo + fresh > g.capacity:      # make room: drop the rows above lo
                    memmove(window, window + (lo - w_lo) * g.row_out,
                            (w_hi - lo) * g.row_out * sizeof(sample))
                    w_lo = lo
                fresh = min(fresh, g.capacity - (w_hi - w_lo))
                narrow_rows_io(at(src, w_hi * g.row_in, src_half, sizeof(sample)), src_half, g.row_in,
                               window + (w_hi - w_lo) * g.row_out, 0, g.row_out, fresh, g.channels,
                               g.wp, g.chunks, g.n_chunks, block_in, block_out, stage_in, stage_out,
                               False)
                w_hi += fresh
        combine_into(dst, dst_half, y * g.row_out, window, g.row_out, w_lo, g.hp, y, g.row_out,
                     stream, stage_out)


cdef void volume_depths(const void* src, int src_half, void* dst, int dst_half, const Plan* dp,
                        const Py_ssize_t* spans, Py_ssize_t capacity, Py_ssize_t widened_rows,
                        const PlaneWork* g, bint forward, Py_ssize_t z0, Py_ssize_t z1,
                        sample* held, sample* window, sample* block_in, sample* block_out,
                        sample* stage_in, sample* stage_out, Widened* w, bint stream) noexcept nogil:
    """Output planes [z0, z1) of one volume (separable_3d). `held`: forward, the planes
    [w_lo, w_hi) resampled along W and H (at most `capacity`), sliding along D; backward,
    one D-pass plane. src_half, dst_half: 16-bit floats as plane_rows's (backward: the
    input planes the D pass reads widened in w, `widened_rows` of them, over stage_in;
    forward: each output plane narrowed from stage_out). stream: as plane_rows's."""
    cdef Py_ssize_t plane_in = g.hp.n_in * g.row_in, plane_out = g.hp.n_out * g.row_out
    cdef Py_ssize_t z, lo, hi, w_lo, w_hi
    cdef const sample* read
    w_lo = w_hi = spans[2 * z0]
    if not forward and src_half:
        widened_start(w, src, plane_in, plane_in, widened_rows, src_half, <float*>stage_in)
    for z in range(z0, z1):
        if not forward:
            read = source_rows(held, src, src_half, w, 0, plane_in, spans + 2 * z)
            combine_rows(held, read, plane_in, source_base(src_half, w, 0), dp, z, plane_in, False)
            plane_rows(held, 0, at(dst, z * plane_out, dst_half, sizeof(sample)), dst_half, g, 0,
                       g.hp.n_out, window, block_in, block_out, stage_in, stage_out, w, stream)
            continue
        lo, hi = spans[2 * z], spans[2 * z + 1]
        if hi > lo:                       # (otherwise it reads nothing: zeros)
            if lo < w_lo or lo >= w_hi:
                w_lo = w_hi = lo
            if hi - w_lo > capacity:      # make room: drop the planes below lo
                memmove(held, held + (lo - w_lo) * plane_out, (w_hi - lo) * plane_out * sizeof(sample))
                w_lo = lo
            while w_hi < hi:
                plane_rows(at(src, w_hi * plane_in, src_half, sizeof(sample)), src_half,
                           held + (w_hi - w_lo) * plane_out, 0, g, 0, g.hp.n_out, window,
                           block_in, block_out, stage_in, stage_out, w, False)
                w_hi += 1
        combine_into(dst, dst_half, z * plane_out, held, plane_out, w_lo, dp, z, plane_out, stream,
                     stage_out)
