# The kernels' body, compiled once per instruction set (see _kernels.pyx).

from cython.parallel cimport prange, threadid
from libc.stdint cimport int16_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport nearbyint, nearbyintf, trunc
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memmove

import numpy as np

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

# Each thread a kernel starts gets at least this many multiply-adds: below it, starting a
# thread costs more than it saves.
cdef Py_ssize_t MIN_PARALLEL_WORK = 1 << 16


cdef inline int threads_for(int requested, Py_ssize_t work) noexcept nogil:
    cdef Py_ssize_t units = work // MIN_PARALLEL_WORK
    if requested < 1 or units < 1:
        return 1
    return requested if requested < units else <int>units


# ----------------------------------------------------------------------------- separable passes
#
# A pass resamples one axis of a buffer seen as (outer, n_in, inner) -> (outer, n_out, inner).
# With inner >= R (any axis but the last, or wide channels) every output row is a weighted
# sum of whole input rows: combine_rows. Along the last axis (inner = 1, or the channels of
# an interleaved image) R rows are transposed into a block whose rows are pixels, so the
# same combine_rows does the work, and transposed back. The two axes of an image are fused
# (separable_2d), so the intermediate rows stay in cache instead of filling a full image.

cdef enum:
    STRIP_BYTES = 1 << 18       # H-pass rows of one backward strip (fits in L2)
    CHUNK_BYTES = 1 << 16       # a transposed block of pixels (16 to 128 KB measured alike)
    TASKS_PER_THREAD = 4        # ranges of rows per thread at least, for load balance
    PREFETCH_BYTES = 1024       # of the next row, asked for while a row is read


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
            combine_rows(dst + g * dst_stride, src + g * src_stride, 0, 0, p, 0, p.n_in * inner)
        return
    g = 0
    while g < rows:
        m = rows - g if rows - g < R else R
        for c in range(n_chunks):
            chunk = chunks + 4 * c
            gather_columns(src + g * src_stride + chunk[2] * inner, src_stride, m,
                           (chunk[3] - chunk[2]) * inner, block_in)
            for i in range(chunk[0], chunk[1]):
                combine_rows(block_out + (i - chunk[0]) * L, block_in, L, chunk[2], p, i, L)
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
    cdef Chunks chunks = chunk_table(pp, inner * R, sizeof(sample))
    cdef const Py_ssize_t* chunk_rows = &chunks.table[0, 0] if chunks.count else NULL
    blocks_in = scratch(&src[0], nt, chunks.block_in)
    blocks_out = scratch(&src[0], nt, chunks.block_out)
    with nogil:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            first = t * R
            narrow_rows(&src[first * row_in], row_in, &dst[first * row_out], row_out,
                        outer - first if outer - first < R else R, inner, pp, chunk_rows,
                        chunks.count, &blocks_in[threadid(), 0], &blocks_out[threadid(), 0])


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


cdef Py_ssize_t rows_per_task(Py_ssize_t rows, Py_ssize_t units, int threads,
                              Py_ssize_t multiple) noexcept:
    """How many of a unit's `rows` one task takes (a multiple of `multiple`): the units
    (planes, volumes) split into at least TASKS_PER_THREAD tasks a thread, for balance."""
    cdef Py_ssize_t ranges = (TASKS_PER_THREAD * threads + units - 1) // units if threads > 1 else 1
    cdef Py_ssize_t taken = (rows + ranges - 1) // ranges
    return (taken + multiple - 1) // multiple * multiple


# How to resample one plane (H, W, channels) -> (H', W', channels), for plane_rows.
cdef struct PlaneWork:
    const Plan* hp
    const Plan* wp
    Py_ssize_t channels
    Py_ssize_t row_in, row_out         # samples in an input / output row
    bint width_first                   # the forward's order (W, then H); else H, then W
    const Py_ssize_t* spans            # width first: the input rows output row y reads are
                                       # spans[2y] <= row < spans[2y + 1]
    Py_ssize_t capacity                # rows in the window
    Py_ssize_t strip                   # H first: H-pass rows per strip (whole groups of R)
    const Py_ssize_t* chunks           # the W plan's chunks (see narrow_rows)
    Py_ssize_t n_chunks


cdef void plane_rows(const sample* src, sample* dst, const PlaneWork* g, Py_ssize_t y0,
                     Py_ssize_t y1, sample* window, sample* block_in, sample* block_out) noexcept nogil:
    """Output rows [y0, y1) of one plane, through a window of intermediate rows that stays
    in cache. W first: the window holds the W-pass rows [w_lo, w_hi) and slides down the
    plane as the H pass consumes them, gaining R rows at a time (whole transposed groups),
    so every W-pass row is computed once per call. H first: strips of H-pass rows, each
    then resampled along W."""
    cdef Py_ssize_t R = group_rows(src), y, lo, hi, fresh, rows
    cdef Py_ssize_t last, w_lo, w_hi
    if not g.width_first:
        while y0 < y1:
            rows = min(g.strip, y1 - y0)
            for y in range(y0, y0 + rows):
                combine_rows(window + (y - y0) * g.row_in, src, g.row_in, 0, g.hp, y, g.row_in)
            narrow_rows(window, g.row_in, dst + y0 * g.row_out, g.row_out, rows, g.channels,
                        g.wp, g.chunks, g.n_chunks, block_in, block_out)
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
                narrow_rows(src + w_hi * g.row_in, g.row_in, window + (w_hi - w_lo) * g.row_out,
                            g.row_out, fresh, g.channels, g.wp, g.chunks, g.n_chunks, block_in,
                            block_out)
                w_hi += fresh
        combine_rows(dst + y * g.row_out, window, g.row_out, w_lo, g.hp, y, g.row_out)


cdef class PlaneSetup:
    """The tables and sizes of a PlaneWork (kept alive while the kernels run)."""
    cdef PlaneWork work
    cdef Chunks chunks
    cdef Py_ssize_t[:, ::1] spans
    cdef Py_ssize_t window_size        # samples of a thread's window


cdef PlaneSetup plane_setup(const Plan* hp, const Plan* wp, Py_ssize_t channels,
                            bint width_first, Py_ssize_t R, Py_ssize_t sample_bytes):
    cdef PlaneSetup setup = PlaneSetup()
    cdef PlaneWork* g = &setup.work
    g.hp, g.wp, g.channels, g.width_first = hp, wp, channels, width_first
    g.row_in, g.row_out = wp.n_in * channels, wp.n_out * channels
    setup.chunks = chunk_table(wp, channels * R, sample_bytes)
    g.chunks = &setup.chunks.table[0, 0] if setup.chunks.count else NULL
    g.n_chunks = setup.chunks.count
    setup.spans = np.zeros((hp.n_out, 2), np.intp)
    g.spans = &setup.spans[0, 0]
    if width_first:
        g.capacity = output_spans(hp, setup.spans) + R         # room for a group of R new rows
        g.strip = 0
        setup.window_size = g.capacity * g.row_out
    else:      # strips of whole groups of R rows, about STRIP_BYTES of H-pass rows each
        g.strip = max(1, STRIP_BYTES // (R * g.row_in * sample_bytes)) * R
        g.capacity = g.strip
        setup.window_size = g.strip * g.row_in
    return setup


def separable_2d(const sample[::1] src, sample[::1] dst, Py_ssize_t planes, Py_ssize_t channels,
                 plan_h, plan_w, bint width_first, int num_threads):
    """Both axes of a buffer seen as (planes, H, W, channels): the W pass then the H pass
    (the forward's order) or H then W (the backward's), fused by plane_rows so that the
    intermediate rows stay in cache. Each output sample gets exactly the arithmetic of two
    separable_pass calls. Threads take contiguous ranges of output rows, several each."""
    cdef Plan ph = plan_of(plan_h, weight_size(&src[0]))
    cdef Plan pw = plan_of(plan_w, weight_size(&src[0]))
    cdef Py_ssize_t R = group_rows(&src[0])
    cdef PlaneSetup setup = plane_setup(&ph, &pw, channels, width_first, R, sizeof(sample))
    cdef const PlaneWork* g = &setup.work
    cdef Py_ssize_t plane_in = ph.n_in * g.row_in, plane_out = ph.n_out * g.row_out
    cdef int nt = threads_for(num_threads, planes * plane_out * (ph.width + pw.width))
    cdef Py_ssize_t rows = rows_per_task(ph.n_out, planes, nt, 1 if width_first else g.strip)
    cdef Py_ssize_t t, plane, y0, tid
    cdef Py_ssize_t per_plane = (ph.n_out + rows - 1) // rows, tasks = planes * per_plane
    nt = nt if nt < tasks else <int>tasks
    cdef sample[:, ::1] blocks_in = scratch(&src[0], nt, setup.chunks.block_in)
    cdef sample[:, ::1] blocks_out = scratch(&src[0], nt, setup.chunks.block_out)
    cdef sample[:, ::1] windows = scratch(&src[0], nt, setup.window_size)
    with nogil:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            plane = t // per_plane
            y0 = (t - plane * per_plane) * rows
            tid = threadid()
            plane_rows(&src[plane * plane_in], &dst[plane * plane_out], g, y0,
                       min(y0 + rows, ph.n_out), &windows[tid, 0], &blocks_in[tid, 0],
                       &blocks_out[tid, 0])


def separable_3d(const sample[::1] src, sample[::1] dst, Py_ssize_t volumes, Py_ssize_t channels,
                 plan_d, plan_h, plan_w, bint forward, int num_threads):
    """All three axes of a buffer seen as (volumes, D, H, W, channels). Forward: W and H
    (plane_rows) then D, with the resampled planes in a window that slides along D like
    plane_rows' rows; backward: D, then H and W, one plane at a time. The intermediate
    planes stay per thread, never a full volume; the arithmetic is that of three passes."""
    cdef Plan pd = plan_of(plan_d, weight_size(&src[0]))
    cdef Plan ph = plan_of(plan_h, weight_size(&src[0]))
    cdef Plan pw = plan_of(plan_w, weight_size(&src[0]))
    cdef Py_ssize_t R = group_rows(&src[0])
    cdef PlaneSetup setup = plane_setup(&ph, &pw, channels, forward, R, sizeof(sample))
    cdef const PlaneWork* g = &setup.work
    cdef Py_ssize_t plane_in = ph.n_in * g.row_in, plane_out = ph.n_out * g.row_out
    cdef int nt = threads_for(num_threads, volumes * pd.n_out * plane_out * (pd.width + ph.width + pw.width))
    cdef Py_ssize_t depths = rows_per_task(pd.n_out, volumes, nt, 1), t, volume, z0, tid
    cdef Py_ssize_t per_volume = (pd.n_out + depths - 1) // depths, tasks = volumes * per_volume
    cdef const Plan* dp = &pd
    cdef Py_ssize_t[:, ::1] spans = np.zeros((pd.n_out, 2), np.intp)
    cdef Py_ssize_t span = output_spans(dp, spans)
    nt = nt if nt < tasks else <int>tasks
    cdef sample[:, ::1] blocks_in = scratch(&src[0], nt, setup.chunks.block_in)
    cdef sample[:, ::1] blocks_out = scratch(&src[0], nt, setup.chunks.block_out)
    cdef sample[:, ::1] windows = scratch(&src[0], nt, setup.window_size)
    cdef sample[:, ::1] planes = scratch(&src[0], nt, 2 * span * plane_out if forward else plane_in)
    with nogil:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            volume = t // per_volume
            z0 = (t - volume * per_volume) * depths
            tid = threadid()
            volume_depths(&src[volume * pd.n_in * plane_in], &dst[volume * pd.n_out * plane_out],
                          dp, &spans[0, 0], 2 * span, g, forward, z0, min(z0 + depths, pd.n_out),
                          &planes[tid, 0], &windows[tid, 0], &blocks_in[tid, 0], &blocks_out[tid, 0])


cdef void volume_depths(const sample* src, sample* dst, const Plan* dp, const Py_ssize_t* spans,
                        Py_ssize_t capacity, const PlaneWork* g, bint forward, Py_ssize_t z0, Py_ssize_t z1,
                        sample* held, sample* window, sample* block_in,
                        sample* block_out) noexcept nogil:
    """Output planes [z0, z1) of one volume (separable_3d). `held`: forward, the planes
    [w_lo, w_hi) resampled along W and H (at most `capacity`), sliding along D; backward,
    one D-pass plane."""
    cdef Py_ssize_t plane_in = g.hp.n_in * g.row_in, plane_out = g.hp.n_out * g.row_out
    cdef Py_ssize_t z, lo, hi, w_lo, w_hi
    w_lo = w_hi = spans[2 * z0]
    for z in range(z0, z1):
        if not forward:
            combine_rows(held, src, plane_in, 0, dp, z, plane_in)
            plane_rows(held, dst + z * plane_out, g, 0, g.hp.n_out, window, block_in, block_out)
            continue
        lo, hi = spans[2 * z], spans[2 * z + 1]
        if hi > lo:                       # (otherwise it reads nothing: zeros)
            if lo < w_lo or lo >= w_hi:
                w_lo = w_hi = lo
            if hi - w_lo > capacity:      # make room: drop the planes below lo
                memmove(held, held + (lo - w_lo) * plane_out, (w_hi - lo) * plane_out * sizeof(sample))
                w_lo = lo
            while w_hi < hi:
                plane_rows(src + w_hi * plane_in, held + (w_hi - w_lo) * plane_out, g, 0,
                           g.hp.n_out, window, block_in, block_out)
                w_hi += 1
        combine_rows(dst + z * plane_out, held, plane_out, w_lo, dp, z, plane_out)


def nearest_rows(const element[::1] src, element[::1] dst, const Py_ssize_t[::1] sources,
                 const Py_ssize_t[::1] runs, const Py_ssize_t[::1] index, Py_ssize_t row_in,
                 int num_threads):
    """Nearest as row gathers, in memory order (channels-last pixels flattened into their
    row): output row r is src[sources[r] + index[e]] for e < len(index). The output rows
    [runs[i], runs[i + 1]) read one source row: the first is gathered, the rest copy it.
    Bits are copied, so every dtype is exact."""
    cdef Py_ssize_t n = index.shape[0], i, r, r0
    cdef Py_ssize_t block = 16 if sizeof(element) == 1 else 8
    cdef GatherRow g
    cdef const uint8_t[::1] offsets_v, local_v
    g.n, g.index, g.offsets, g.local = n, &index[0], NULL, NULL
    if (sizeof(element) == 4 or sizeof(element) == 1) and n >= block:
        firsts = np.asarray(index)[np.arange(n) // block * block]
        offsets = np.asarray(index) - firsts
        whole = n // block * block
        local = ((offsets[:whole].reshape(-1, block).max(axis=1) < 16)
                 & (offsets[:whole].reshape(-1, block).min(axis=1) >= 0)
                 & (firsts[:whole:block] + 16 <= row_in))
        offsets_v = np.clip(offsets, 0, 255).astype(np.uint8)
        local_v = local.astype(np.uint8)
        g.offsets, g.local = &offsets_v[0], &local_v[0]
    cdef const GatherRow* gp = &g
    cdef int nt = threads_for(num_threads, dst.shape[0])
    with nogil:
        for i in prange(runs.shape[0] - 1, num_threads=nt, schedule="static"):
            r0 = runs[i]
            if i + 2 < runs.shape[0]:     # the next row's start, while this one is read
                prefetch(&src[sources[runs[i + 1]]], PREFETCH_BYTES)
            gather_row(&dst[r0 * n], &src[sources[r0]], gp)
            for r in range(r0 + 1, runs[i + 1]):
                memcpy(&dst[r * n], &dst[r0 * n], n * sizeof(element))


def area_pool(const pooled[::1] src, pooled[::1] dst, Py_ssize_t planes, Py_ssize_t step,
              in_dhw, out_dhw, const Py_ssize_t[::1] start_d, const Py_ssize_t[::1] end_d,
              const Py_ssize_t[::1] start_h, const Py_ssize_t[::1] end_h,
              const Py_ssize_t[::1] start_w, const Py_ssize_t[::1] end_w, int num_threads):
    """Adaptive average pooling of a buffer seen as (planes, D, H, W, step): channels-last
    data has step = C pixels' samples interleaved, planar data step = 1. Output rows
    (plane, d, h) are split across threads; see area_row for the arithmetic."""
    cdef Py_ssize_t ID = in_dhw[0], IH = in_dhw[1], IW = in_dhw[2]
    cdef Py_ssize_t OD = out_dhw[0], OH = out_dhw[1], OW = out_dhw[2]
    cdef Py_ssize_t row_in = IW * step, row_out = OW * step, n = OW * step
    cdef Py_ssize_t t, q, plane, d, h, i, j, n_rows, tid, most = 1
    for d in range(OD):
        for h in range(OH):
            most = max(most, (end_d[d] - start_d[d]) * (end_h[h] - start_h[h]))
    pixel = np.arange(n) // step
    first = np.asarray(start_w)[pixel] * step + np.arange(n) % step
    width = (np.asarray(end_w) - np.asarray(start_w))[pixel]
    cdef const Py_ssize_t[::1] first_v = first, width_v = width
    cdef const int[::1] offsets_v, widths_v
    cdef const unsigned char[::1] local_v
    cdef const Py_ssize_t[::1] block_v
    cdef AreaRow a
    a.n, a.step, a.widest = n, step, width.max()
    a.start, a.width = &first_v[0], &width_v[0]
    a.offsets = a.widths32 = NULL
    a.local, a.block_start = NULL, NULL
    if row_in < 2**30 and n >= 8:      # offsets within a row fit in int32
        whole = n // 8 * 8
        block_start = first[:whole].reshape(-1, 8).min(axis=1)
        offsets = first - np.append(np.repeat(block_start, 8), np.zeros(n - whole, np.intp))
        spans = offsets[:whole].reshape(-1, 8).max(axis=1)
        ends = block_start + (a.widest - 1) * step + 16
        block_v = block_start
        local_v = ((spans < 16) & (ends <= row_in)).astype(np.uint8)
        offsets_v = offsets.astype(np.intc)
        widths_v = width.astype(np.intc)
        a.block_start, a.offsets, a.widths32 = &block_v[0], &offsets_v[0], &widths_v[0]
        a.local = &local_v[0]
    cdef const AreaRow* ap = &a
    cdef int nt = threads_for(num_threads, src.shape[0])
    cdef Py_ssize_t[:, ::1] rows = np.empty((nt, most), np.intp)
    with nogil:
        for t in prange(planes * OD * OH, num_threads=nt, schedule="static"):
            h = t % OH
            d = (t // OH) % OD
            plane = t // (OH * OD)
            tid = threadid()
            n_rows = 0
            for i in range(start_d[d], end_d[d]):
                for j in range(start_h[h], end_h[h]):
                    rows[tid, n_rows] = ((plane * ID + i) * IH + j) * row_in
                    n_rows = n_rows + 1
            area_row(&dst[t * row_out], &src[0], &rows[tid, 0], n_rows, ap,
                     end_d[d] - start_d[d], end_h[h] - start_h[h])


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


ctypedef fused small_integer:   # 16-bit images and volumes, and torchvision's uint8 float path
    uint8_t
    uint16_t
    int16_t


def widen_integers(const small_integer[::1] src, float[::1] dst, int num_threads):
    """8- and 16-bit integers -> float32 (exact)."""
    cdef Py_ssize_t i, n = src.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            dst[i] = src[i]


def narrow_integers(const float[::1] src, small_integer[::1] dst, int num_threads):
    """float32 -> 8- and 16-bit integers: rounded half to even, clamped to the type's range
    (a NaN, which integer input cannot produce, becomes the lowest value)."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef float v, lowest, highest
    if small_integer is uint8_t:
        lowest, highest = 0, 255
    elif small_integer is uint16_t:
        lowest, highest = 0, 65535
    else:
        lowest, highest = -32768, 32767
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = nearbyintf(src[i])
            if not v >= lowest:
                v = lowest
            elif v > highest:
                v = highest
            dst[i] = <small_integer>v


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


# ----------------------------------------------------------------------------- Pillow's modes

ctypedef fused pillow_sample:    # Pillow's I;16, I and F images, resampled in double
    uint16_t
    int32_t
    float


cdef inline double pillow_round(double v) noexcept nogil:
    """Pillow's ROUND_UP: half away from zero, by truncating v +- 0.5 (in double)."""
    return trunc(v + 0.5) if v >= 0.0 else trunc(v - 0.5)


def widen_to_double(const pillow_sample[::1] src, double[::1] dst, int num_threads):
    """I;16, I and F samples -> float64 (exact)."""
    cdef Py_ssize_t i, n = src.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            dst[i] = src[i]


def pillow_store(const double[::1] src, pillow_sample[::1] dst, int num_threads):
    """A pass's double sums back into the image's type, as Pillow writes them: F rounds to
    float32; I and I;16 round half away from zero by truncating s +- 0.5 (ROUND_UP) and
    clamp, I;16 to 0..65535 (CLIP16), I to int32's range (where C's conversion overflows)."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef double v
    cdef double lowest = 0 if pillow_sample is uint16_t else -2147483648.0
    cdef double highest = 65535 if pillow_sample is uint16_t else 2147483647.0
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = src[i]
            if pillow_sample is float:
                dst[i] = <float>v
            else:
                v = pillow_round(v)
                dst[i] = <pillow_sample>(lowest if v < lowest else (highest if v > highest else v))


def premultiply_alpha(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                      int num_threads):
    """Pillow's RGBA -> RGBa and LA -> La: every colour sample times alpha / 255, as
    MULDIV255 rounds it (t = c * a + 128; ((t >> 8) + t) >> 8); the last channel is alpha."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    cdef unsigned int alpha, t
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            alpha = src[p * channels + channels - 1]
            for c in range(channels - 1):
                t = src[p * channels + c] * alpha + 128
                dst[p * channels + c] = <uint8_t>(((t >> 8) + t) >> 8)
            dst[p * channels + channels - 1] = <uint8_t>alpha


def unpremultiply_alpha(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                        int num_threads):
    """Pillow's RGBa -> RGBA and La -> LA: colour samples of a pixel whose alpha is neither
    0 nor 255 become min(255 * c // alpha, 255); the others are kept."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    cdef unsigned int alpha, v
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            alpha = src[p * channels + channels - 1]
            for c in range(channels - 1):
                v = src[p * channels + c]
                if alpha != 0 and alpha != 255:
                    v = 255 * v // alpha
                    v = 255 if v > 255 else v
                dst[p * channels + c] = <uint8_t>v
            dst[p * channels + channels - 1] = <uint8_t>alpha


ctypedef fused pillow_reduced:   # the image types Pillow's reduce() takes
    uint8_t
    int32_t
    float


cdef inline double pillow_block_sum(const pillow_reduced* p, Py_ssize_t row, Py_ssize_t step,
                                    int xs, int ys) noexcept nogil:
    """The sum of an xs x ys block (row: samples between rows, step: between pixels) in the
    order of Pillow's ImagingReduceNxN_32bpc: 2x2 groups summed in the image's type, then
    added to a double; an odd last column and row after them."""
    cdef double ss = 0
    cdef int yy = 0, xx
    cdef const pillow_reduced* a
    cdef const pillow_reduced* b
    while yy < ys - 1:
        a = p + yy * row
        b = a + row
        xx = 0
        while xx < xs - 1:
            ss += a[xx * step] + a[(xx + 1) * step] + b[xx * step] + b[(xx + 1) * step]
            xx += 2
        if xs & 1:
            ss += a[xx * step] + b[xx * step]
        yy += 2
    if ys & 1:
        a = p + yy * row
        xx = 0
        while xx < xs - 1:
            ss += a[xx * step] + a[(xx + 1) * step]
            xx += 2
        if xs & 1:
            ss += a[xx * step]
    return ss


def pillow_reduce(const pillow_reduced[:, :, ::1] src, pillow_reduced[:, :, ::1] dst,
                  int x0, int y0, int w, int h, int xs, int ys, int num_threads):
    """Pillow's Image.reduce((xs, ys), box): the mean of each xs x ys block of the w x h
    region at (x0, y0), the last column and row averaging what remains. uint8 as Pillow's
    fixed point, ((sum + k // 2) * trunc(2^32 / (256 k) in float32)) >> 24 in uint32 for a
    block of k samples; I and F with Pillow's summation order (pillow_block_sum inside,
    plain row order in the partial blocks) times 1.0 / k, I rounded half away from zero."""
    cdef Py_ssize_t channels = src.shape[2], row = src.shape[1] * channels
    cdef Py_ssize_t y, x, c, yy, xx
    cdef int bw, bh, k
    cdef double ss
    cdef uint32_t total
    cdef const pillow_reduced* p
    with nogil:
        for y in prange(dst.shape[0], num_threads=threads_for(num_threads, src.shape[0] * row),
                        schedule="static"):
            bh = ys if (y + 1) * ys <= h else h - y * ys
            for x in range(dst.shape[1]):
                bw = xs if (x + 1) * xs <= w else w - x * xs
                k = bw * bh
                for c in range(channels):
                    p = &src[y0 + y * ys, x0 + x * xs, c]
                    if pillow_reduced is uint8_t:
                        total = 0
                        for yy in range(bh):
                            for xx in range(bw):
                                total = total + p[yy * row + xx * channels]
                        dst[y, x, c] = <uint8_t>(((total + <uint32_t>(k // 2))
                                                  * <uint32_t>(<float>4294967296.0 / <float><uint32_t>(256 * k))) >> 24)
                    else:
                        if bw == xs and bh == ys:
                            ss = pillow_block_sum(p, row, channels, xs, ys)
                        else:
                            ss = 0
                            for yy in range(bh):
                                for xx in range(bw):
                                    ss += p[yy * row + xx * channels]
                        ss = ss * (1.0 / k)
                        if pillow_reduced is float:
                            dst[y, x, c] = <float>ss
                        else:
                            dst[y, x, c] = <int32_t>pillow_round(ss)


# ----------------------------------------------------------------------------- torch's 2-D corners

def bilinear_corners(const real[::1] src, real[::1] dst, Py_ssize_t planes, Py_ssize_t channels,
                     Py_ssize_t in_h, Py_ssize_t in_w, const Py_ssize_t[:, ::1] taps_h,
                     const real[:, ::1] weights_h, const Py_ssize_t[:, ::1] taps_w,
                     const real[:, ::1] weights_w, int num_threads):
    """torch's channels-last bilinear kernel on (planes, channels, H, W) data: one weight
    per corner (h_a * w_b in the compute type), the four corner terms summed right-nested
    for the channels in whole vector blocks (8 float32 or 4 float64: x00*w00 + (x01*w01 +
    (x10*w10 + x11*w11))) and left to right for the remaining ones. torch picks it for
    small 2-D outputs and 3-channel images on one thread (docs §3.3); torchvision_resize
    reproduces that choice, interpolate never makes it."""
    cdef Py_ssize_t out_h = taps_h.shape[0], out_w = taps_w.shape[0]
    cdef Py_ssize_t block = 8 if real is float else 4
    cdef Py_ssize_t vector_channels = channels - channels % block
    cdef Py_ssize_t plane_in = in_h * in_w, plane_out = out_h * out_w
    cdef Py_ssize_t row, n, oh, ow, c
    cdef real w00, w01, w10, w11
    cdef const real* p
    with nogil:
        for row in prange(planes * out_h, num_threads=threads_for(num_threads, dst.shape[0] * 4),
                          schedule="static"):
            n = row // out_h
            oh = row % out_h
            for ow in range(out_w):
                w00 = weights_h[oh, 0] * weights_w[ow, 0]
                w01 = weights_h[oh, 0] * weights_w[ow, 1]
                w10 = weights_h[oh, 1] * weights_w[ow, 0]
                w11 = weights_h[oh, 1] * weights_w[ow, 1]
                for c in range(channels):
                    p = &src[(n * channels + c) * plane_in]
                    if c < vector_channels:
                        dst[(n * channels + c) * plane_out + oh * out_w + ow] = (
                            p[taps_h[oh, 0] * in_w + taps_w[ow, 0]] * w00
                            + (p[taps_h[oh, 0] * in_w + taps_w[ow, 1]] * w01
                               + (p[taps_h[oh, 1] * in_w + taps_w[ow, 0]] * w10
                                  + p[taps_h[oh, 1] * in_w + taps_w[ow, 1]] * w11)))
                    else:
                        dst[(n * channels + c) * plane_out + oh * out_w + ow] = (
                            p[taps_h[oh, 0] * in_w + taps_w[ow, 0]] * w00
                            + p[taps_h[oh, 0] * in_w + taps_w[ow, 1]] * w01
                            + p[taps_h[oh, 1] * in_w + taps_w[ow, 0]] * w10
                            + p[taps_h[oh, 1] * in_w + taps_w[ow, 1]] * w11)


# ----------------------------------------------------------------------------- OpenCV's resize

cdef inline uint8_t round_to_uint8(float f) noexcept nogil:
    """OpenCV's saturate_cast<uchar>(float): rounded half to even, clamped to 0..255."""
    f = nearbyintf(f)
    return <uint8_t>(0 if not f >= 0 else (255 if f > 255 else f))


ctypedef fused cv2_sample:      # what compat.cv2_resize reproduces
    uint8_t
    float

ctypedef fused cv2_weight:      # uint8: int16 in 11-bit fixed point; float32: float
    int16_t
    float


cdef inline void cv2_row(const cv2_sample* row, Py_ssize_t channels, const Py_ssize_t* taps,
                         const cv2_weight* alpha, Py_ssize_t out_w, Py_ssize_t width,
                         void* out) noexcept nogil:
    """OpenCV's horizontal pass of one row: uint8 to int (x 2048), float left to right."""
    cdef Py_ssize_t x, c, j
    cdef int acc
    cdef float facc
    cdef const cv2_sample* p0
    cdef const cv2_sample* p1
    cdef int a0, a1
    cdef int* iout = <int*>out
    if cv2_sample is uint8_t and cv2_weight is int16_t:
        if width == 2 and channels == 3:     # RGB, unrolled
            for x in range(out_w):
                p0 = row + taps[2 * x] * 3
                p1 = row + taps[2 * x + 1] * 3
                a0 = alpha[2 * x]
                a1 = alpha[2 * x + 1]
                iout[3 * x] = p0[0] * a0 + p1[0] * a1
                iout[3 * x + 1] = p0[1] * a0 + p1[1] * a1
                iout[3 * x + 2] = p0[2] * a0 + p1[2] * a1
            return
    if width == 2:                      # linear: the same sums, without the tap loop
        for x in range(out_w):
            p0 = row + taps[2 * x] * channels
            p1 = row + taps[2 * x + 1] * channels
            for c in range(channels):
                if cv2_sample is uint8_t:
                    (<int*>out)[x * channels + c] = p0[c] * <int>alpha[2 * x] + p1[c] * <int>alpha[2 * x + 1]
                else:
                    (<float*>out)[x * channels + c] = p0[c] * <float>alpha[2 * x] + p1[c] * <float>alpha[2 * x + 1]
        return
    cdef const cv2_sample* p2
    cdef const cv2_sample* p3
    if width == 4:                      # cubic, taps unrolled (same order)
        for x in range(out_w):
            p0 = row + taps[4 * x] * channels
            p1 = row + taps[4 * x + 1] * channels
            p2 = row + taps[4 * x + 2] * channels
            p3 = row + taps[4 * x + 3] * channels
            for c in range(channels):
                if cv2_sample is uint8_t:
                    (<int*>out)[x * channels + c] = (
                        p0[c] * <int>alpha[4 * x] + p1[c] * <int>alpha[4 * x + 1]
                        + p2[c] * <int>alpha[4 * x + 2] + p3[c] * <int>alpha[4 * x + 3])
                else:
                    (<float*>out)[x * channels + c] = (
                        ((p0[c] * <float>alpha[4 * x] + p1[c] * <float>alpha[4 * x + 1])
                         + p2[c] * <float>alpha[4 * x + 2]) + p3[c] * <float>alpha[4 * x + 3])
        return
    for x in range(out_w):
        for c in range(channels):
            if cv2_sample is uint8_t:
                acc = 0
                for j in range(width):
                    acc = acc + row[taps[x * width + j] * channels + c] * <int>alpha[x * width + j]
                (<int*>out)[x * channels + c] = acc
            else:
                facc = row[taps[x * width] * channels + c] * <float>alpha[x * width]
                for j in range(1, width):
                    facc = facc + row[taps[x * width + j] * channels + c] * <float>alpha[x * width + j]
                (<float*>out)[x * channels + c] = facc


cdef inline void cv2_cubic_body(uint8_t* dst, const int* r0, const int* r1, const int* r2,
                                const int* r3, const float* b, Py_ssize_t blocks) noexcept nogil:
    """uint8 cubic's vectorised part: float, right to left, rounded half to even."""
    cdef Py_ssize_t x
    cdef float f
    for x in range(blocks):
        f = <float>r3[x] * b[3]
        f = <float>r2[x] * b[2] + f
        f = <float>r1[x] * b[1] + f
        f = <float>r0[x] * b[0] + f
        dst[x] = round_to_uint8(f)


cdef inline void cv2_lanczos_uint8(uint8_t* dst, void** rows, const int16_t* beta,
                                   Py_ssize_t n) noexcept nogil:
    """uint8 lanczos4's vertical pass: (sum + 2^21) >> 22 in int, wrapping as OpenCV's."""
    cdef const int* r0 = <int*>rows[0]
    cdef const int* r1 = <int*>rows[1]
    cdef const int* r2 = <int*>rows[2]
    cdef const int* r3 = <int*>rows[3]
    cdef const int* r4 = <int*>rows[4]
    cdef const int* r5 = <int*>rows[5]
    cdef const int* r6 = <int*>rows[6]
    cdef const int* r7 = <int*>rows[7]
    cdef unsigned int b0 = <unsigned int><int>beta[0], b1 = <unsigned int><int>beta[1]
    cdef unsigned int b2 = <unsigned int><int>beta[2], b3 = <unsigned int><int>beta[3]
    cdef unsigned int b4 = <unsigned int><int>beta[4], b5 = <unsigned int><int>beta[5]
    cdef unsigned int b6 = <unsigned int><int>beta[6], b7 = <unsigned int><int>beta[7]
    cdef Py_ssize_t x
    for x in range(n):
        dst[x] = shift_and_clamp(<int>(<unsigned int>(1 << 21) + <unsigned int>r0[x] * b0
                                       + <unsigned int>r1[x] * b1 + <unsigned int>r2[x] * b2
                                       + <unsigned int>r3[x] * b3 + <unsigned int>r4[x] * b4
                                       + <unsigned int>r5[x] * b5 + <unsigned int>r6[x] * b6
                                       + <unsigned int>r7[x] * b7), 22)


cdef inline void cv2_linear_uint8(uint8_t* dst, const int* r0, const int* r1, int b0, int b1,
                                  Py_ssize_t n) noexcept nogil:
    """uint8 linear's vertical pass: each product floored on its own, as OpenCV's."""
    cdef Py_ssize_t x
    for x in range(n):
        dst[x] = shift_and_clamp(((b0 * (r0[x] >> 4)) >> 16) + ((b1 * (r1[x] >> 4)) >> 16) + 2, 2)


cdef inline void cv2_linear_float(float* dst, const float* r0, const float* r1, float b0,
                                  float b1, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t x
    for x in range(n):
        dst[x] = r0[x] * b0 + r1[x] * b1


cdef inline void cv2_column(cv2_sample* dst, void** rows, const cv2_weight* beta,
                            Py_ssize_t width, Py_ssize_t n, bint exact) noexcept nogil:
    """OpenCV's vertical pass into one output row of n samples, per kernel width:
    uint8 linear ((b0*(S0>>4))>>16) + ((b1*(S1>>4))>>16) + 2) >> 2; uint8 cubic in float
    (right to left, half-even) on whole blocks of 8 and (sum + 2^21) >> 22 after; uint8
    lanczos (sum + 2^21) >> 22; float linear b0*S0 + b1*S1; float cubic and lanczos right
    to left on whole blocks of 4 and left to right after. exact: INTER_LINEAR_EXACT's
    (S0*b0 + S1*b1 + 2^15) >> 16 (8-bit weights on 8-bit fixed-point rows)."""
    cdef Py_ssize_t x, k, blocks
    cdef unsigned int sum_u
    cdef float f, scale = <float>1 / <float>(2048 * 2048)
    cdef float bf[8]
    if cv2_sample is uint8_t:
        if exact:
            for x in range(n):
                dst[x] = shift_and_clamp((<int*>rows[0])[x] * <int>beta[0]
                                         + (<int*>rows[1])[x] * <int>beta[1] + 32768, 16)
        elif width == 2:
            cv2_linear_uint8(dst, <int*>rows[0], <int*>rows[1], <int>beta[0], <int>beta[1], n)
        elif width == 8:
            cv2_lanczos_uint8(dst, rows, <const int16_t*>beta, n)
        else:
            blocks = n // 8 * 8
            for k in range(4):
                bf[k] = <float>beta[k] * scale
            cv2_cubic_body(dst, <int*>rows[0], <int*>rows[1], <int*>rows[2], <int*>rows[3], bf, blocks)
            for x in range(blocks, n):
                sum_u = 1 << 21                 # OpenCV's int sum, wrapping as it does
                for k in range(4):
                    sum_u = sum_u + <unsigned int>((<int*>rows[k])[x] * <int>beta[k])
                dst[x] = shift_and_clamp(<int>sum_u, 22)
    elif width == 2:
        cv2_linear_float(dst, <float*>rows[0], <float*>rows[1], <float>beta[0], <float>beta[1], n)
    else:
        blocks = n // 4 * 4
        for x in range(blocks):
            f = (<float*>rows[width - 1])[x] * <float>beta[width - 1]
            for k in range(width - 2, -1, -1):
                f = (<float*>rows[k])[x] * <float>beta[k] + f
            dst[x] = f
        for x in range(blocks, n):
            f = (<float*>rows[0])[x] * <float>beta[0]
            for k in range(1, width):
                f = f + (<float*>rows[k])[x] * <float>beta[k]
            dst[x] = f


cdef int cv2_rows_task(const cv2_sample* src, cv2_sample* dst, Py_ssize_t row_in,
                       Py_ssize_t channels, const Py_ssize_t* taps_x, const cv2_weight* alpha,
                       Py_ssize_t out_w, Py_ssize_t width, const Py_ssize_t* taps_y,
                       const cv2_weight* beta, Py_ssize_t y0, Py_ssize_t y1,
                       bint exact) noexcept nogil:
    """Output rows y0..y1 of cv2_separable; -1 when the row buffers cannot be allocated."""
    cdef Py_ssize_t n = out_w * channels, y, k, slot, free_slot = 0
    cdef Py_ssize_t sample_bytes = sizeof(int) if cv2_sample is uint8_t else sizeof(float)
    cdef char* memory = <char*>malloc(width * n * sample_bytes + 1)
    cdef void* rows[8]
    cdef Py_ssize_t held[8]
    cdef bint used[8]
    if memory == NULL:
        return -1
    for k in range(width):
        held[k] = -1
    for y in range(y0, y1):
        for k in range(width):
            used[k] = False
        for k in range(width):          # rows computed for the previous output row
            rows[k] = NULL
            for slot in range(width):
                if held[slot] == taps_y[y * width + k] and not used[slot]:
                    rows[k] = memory + slot * n * sample_bytes
                    used[slot] = True
                    break
        for k in range(width):
            if rows[k] != NULL:
                continue
            for slot in range(width):
                if not used[slot]:
                    free_slot = slot
                    break
            used[free_slot] = True
            held[free_slot] = taps_y[y * width + k]
            rows[k] = memory + free_slot * n * sample_bytes
            cv2_row(src + taps_y[y * width + k] * row_in, channels, taps_x, alpha, out_w, width, rows[k])
        cv2_column(dst + y * n, rows, beta + y * width, width, n, exact)
    free(memory)
    return 0


def cv2_separable(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_h,
                  Py_ssize_t in_w, Py_ssize_t channels, const Py_ssize_t[:, ::1] taps_x,
                  const cv2_weight[:, ::1] alpha, const Py_ssize_t[:, ::1] taps_y,
                  const cv2_weight[:, ::1] beta, bint exact, int num_threads):
    """cv2.resize's generic path (INTER_LINEAR, INTER_CUBIC, INTER_LANCZOS4, enlarging
    INTER_AREA) on an (in_h, in_w, channels) image: each output row from the horizontal
    passes of the source rows its taps name (kept while the next rows read them too, as
    OpenCV's row buffer does), then cv2_column. Rows are independent, so the split into
    tasks does not change a bit. exact: INTER_LINEAR_EXACT's vertical pass (uint8)."""
    cdef Py_ssize_t out_h = taps_y.shape[0], out_w = taps_x.shape[0], width = taps_x.shape[1]
    cdef Py_ssize_t n = out_w * channels
    cdef int threads = threads_for(num_threads, out_h * n * width * 2)
    cdef Py_ssize_t tasks = min(out_h, threads * TASKS_PER_THREAD)
    cdef Py_ssize_t task
    cdef bint failed = False
    if out_h == 0 or n == 0:
        return
    with nogil:
        for task in prange(tasks, num_threads=threads, schedule="dynamic"):
            if cv2_rows_task(&src[0], &dst[0], in_w * channels, channels, &taps_x[0, 0], &alpha[0, 0],
                             out_w, width, &taps_y[0, 0], &beta[0, 0], task * out_h // tasks,
                             (task + 1) * out_h // tasks, exact) < 0:
                failed = True
    if failed:
        raise MemoryError("no memory for the row buffers")


cdef inline void cv2_average_2x2(const uint8_t* top, Py_ssize_t row_in, uint8_t* out,
                                 Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """(a + b + c + d + 2) >> 2 over whole 2x2 blocks of a row pair (OpenCV's fast case)."""
    cdef const uint8_t* bottom = top + row_in
    cdef Py_ssize_t x, c, i
    for x in range(pixels):
        for c in range(channels):
            i = 2 * x * channels + c
            out[x * channels + c] = <uint8_t>((top[i] + top[i + channels] + bottom[i]
                                               + bottom[i + channels] + 2) >> 2)


cdef inline void cv2_mean_2x2(const float* top, Py_ssize_t row_in, float* out, Py_ssize_t pixels,
                              Py_ssize_t channels, Py_ssize_t paired) noexcept nogil:
    """float32 2x2 means of a row pair: ((a+b)+(c+d))*0.25 for the first `paired` pixels
    (OpenCV's vectorised part), (((a+b)+c)+d)*0.25 after (its scalar loop)."""
    cdef const float* bottom = top + row_in
    cdef Py_ssize_t x, c, i
    for x in range(paired):
        for c in range(channels):
            i = 2 * x * channels + c
            out[x * channels + c] = ((top[i] + top[i + channels]) + (bottom[i] + bottom[i + channels])) * <float>0.25
    for x in range(paired, pixels):
        for c in range(channels):
            i = 2 * x * channels + c
            out[x * channels + c] = (<float>0 + (((top[i] + top[i + channels]) + bottom[i])
                                                 + bottom[i + channels])) * <float>0.25


cdef inline float cv2_block_sum(const float* block, Py_ssize_t row_in, Py_ssize_t channels,
                                int sx, int area) noexcept nogil:
    """resizeAreaFast_'s scalar sum of a whole block: groups of 4 in row-major order, then
    the rest, from 0."""
    cdef float total = 0
    cdef float p[4]
    cdef int k = 0, i
    while k <= area - 4:
        for i in range(4):
            p[i] = block[((k + i) // sx) * row_in + ((k + i) % sx) * channels]
        total = total + (((p[0] + p[1]) + p[2]) + p[3])
        k = k + 4
    while k < area:
        total = total + block[(k // sx) * row_in + (k % sx) * channels]
        k = k + 1
    return total


def cv2_area_fast(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_h,
                  Py_ssize_t in_w, Py_ssize_t channels, Py_ssize_t out_h, Py_ssize_t out_w,
                  int sx, int sy, int num_threads):
    """cv2.resize's INTER_AREA for whole-number scales (resizeAreaFast_): block means of
    sx x sy pixels. uint8: (a+b+c+d+2) >> 2 for 2x2 with 1, 3 or 4 channels, otherwise the
    sum times the float 1/area rounded half to even; float32 2x2 ((a+b)+(c+d))*0.25 where
    OpenCV vectorises (1 channel: the first whole blocks of 4 outputs; 4 channels: all),
    otherwise sums of 4 in row-major order times 1/area. Blocks cut by the edge: their sum
    divided by their count."""
    cdef Py_ssize_t row_in = in_w * channels, n = out_w * channels
    cdef Py_ssize_t full_w = in_w // sx, vector_w = full_w // 4 * 4
    cdef int area = sx * sy, count
    cdef float scale = <float>1 / <float>area, fsum
    cdef bint pairs = sx == 2 and sy == 2
    cdef Py_ssize_t y, x, c, i, j, rows, cols
    cdef int isum
    cdef const cv2_sample* block
    cdef Py_ssize_t first
    with nogil:
        for y in prange(out_h, num_threads=threads_for(num_threads, in_h * row_in), schedule="static"):
            rows = sy if (y + 1) * sy <= in_h else in_h - y * sy
            first = 0
            if cv2_sample is uint8_t:
                if pairs and rows == 2 and (channels == 1 or channels == 3 or channels == 4):
                    cv2_average_2x2(&src[y * 2 * row_in], row_in, &dst[y * n], full_w, channels)
                    first = full_w
            else:
                if pairs and rows == 2:
                    cv2_mean_2x2(&src[y * 2 * row_in], row_in, &dst[y * n], full_w, channels,
                                 vector_w if channels == 1 else (full_w if channels == 4 else 0))
                    first = full_w
            for x in range(first, out_w):
                cols = sx if x < full_w else in_w - x * sx
                for c in range(channels):
                    block = &src[y * sy * row_in + x * sx * channels + c]
                    if rows == sy and cols == sx:
                        if cv2_sample is uint8_t:
                            isum = 0
                            for i in range(sy):
                                for j in range(sx):
                                    isum = isum + block[i * row_in + j * channels]
                            if pairs and (channels == 1 or channels == 3 or channels == 4):
                                dst[y * n + x * channels + c] = <uint8_t>((isum + 2) >> 2)
                            else:
                                dst[y * n + x * channels + c] = round_to_uint8(<float>isum * scale)
                        elif pairs and ((channels == 1 and x < vector_w) or channels == 4):
                            dst[y * n + x * channels + c] = (
                                (block[0] + block[channels]) + (block[row_in] + block[row_in + channels])) * <float>0.25
                        else:
                            dst[y * n + x * channels + c] = cv2_block_sum(block, row_in, channels, sx, area) * scale
                    else:
                        count = <int>(rows * cols)
                        if cv2_sample is uint8_t:
                            isum = 0
                            for i in range(rows):
                                for j in range(cols):
                                    isum = isum + block[i * row_in + j * channels]
                            dst[y * n + x * channels + c] = round_to_uint8(<float>isum / <float>count)
                        else:
                            fsum = 0
                            for i in range(rows):
                                for j in range(cols):
                                    fsum = fsum + block[i * row_in + j * channels]
                            dst[y * n + x * channels + c] = fsum / <float>count


def cv2_area(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_w, Py_ssize_t channels,
             Py_ssize_t out_w, const Py_ssize_t[::1] x_out, const Py_ssize_t[::1] x_in,
             const float[::1] x_weight, const Py_ssize_t[::1] y_first, const Py_ssize_t[::1] y_in,
             const float[::1] y_weight, int num_threads):
    """cv2.resize's general INTER_AREA (resizeArea_): output row d sums, over its y table
    entries y_first[d] <= e < y_first[d + 1] in order, y_weight[e] times the x-table
    weighted sum (in table order, from 0) of input row y_in[e], all in float32; uint8 is
    rounded half to even."""
    cdef Py_ssize_t out_h = y_first.shape[0] - 1, n = out_w * channels, row_in = in_w * channels
    cdef Py_ssize_t y, e, t, c, i
    cdef float* buf
    cdef float* total
    cdef float w
    cdef bint failed = False
    with nogil:
        for y in prange(out_h, num_threads=threads_for(num_threads, out_h * n * 4), schedule="static"):
            buf = <float*>malloc(2 * n * sizeof(float) + 4)
            if buf == NULL:
                failed = True
                continue
            total = buf + n
            for e in range(y_first[y], y_first[y + 1]):
                for i in range(n):
                    buf[i] = 0
                for t in range(x_out.shape[0]):
                    w = x_weight[t]
                    for c in range(channels):
                        buf[x_out[t] * channels + c] = (buf[x_out[t] * channels + c]
                                                         + src[y_in[e] * row_in + x_in[t] * channels + c] * w)
                w = y_weight[e]
                for i in range(n):
                    total[i] = buf[i] * w if e == y_first[y] else total[i] + buf[i] * w
            for i in range(n):
                if cv2_sample is uint8_t:
                    dst[y * n + i] = round_to_uint8(total[i])
                else:
                    dst[y * n + i] = total[i]
            free(buf)
    if failed:
        raise MemoryError("no memory for the row buffers")
