# The kernels' body, compiled once per instruction set (see _kernels.pyx).

from cython.parallel cimport prange, threadid
from libc.stdint cimport int16_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport nearbyint, nearbyintf, trunc
from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memcpy, memmove
from cpython.buffer cimport PyBUF_SIMPLE, PyBUF_WRITABLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.mem cimport PyMem_RawCalloc, PyMem_RawFree, PyMem_RawMalloc

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
    p.period_in = p.period_out = p.q_lo = p.q_hi = 0
    if weight_bytes == sizeof(float) and not p.identity:
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
    const Py_ssize_t* spans            # width first: the input rows output row y reads are
                                       # spans[2y] <= row < spans[2y + 1]
    Py_ssize_t capacity                # rows in the window
    Py_ssize_t strip                   # H first: H-pass rows per strip (whole groups of R)
    const Py_ssize_t* chunks           # the W plan's chunks (see narrow_rows)
    Py_ssize_t n_chunks


cdef void plane_rows(const sample* src, sample* dst, const PlaneWork* g, Py_ssize_t y0,
                     Py_ssize_t y1, sample* window, sample* block_in, sample* block_out,
                     bint stream) noexcept nogil:
    """Output rows [y0, y1) of one plane, through a window of intermediate rows that stays
    in cache. W first: the window holds the W-pass rows [w_lo, w_hi) and slides down the
    plane as the H pass consumes them, gaining R rows at a time (whole transposed groups),
    so every W-pass row is computed once per call. H first: strips of H-pass rows, each
    then resampled along W. stream: dst is a large output (see STREAM_BYTES)."""
    cdef Py_ssize_t R = group_rows(src), y, lo, hi, fresh, rows
    cdef Py_ssize_t last, w_lo, w_hi
    if not g.width_first:
        while y0 < y1:
            rows = min(g.strip, y1 - y0)
            for y in range(y0, y0 + rows):
                combine_rows(window + (y - y0) * g.row_in, src, g.row_in, 0, g.hp, y, g.row_in, False)
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
        combine_rows(dst + y * g.row_out, window, g.row_out, w_lo, g.hp, y, g.row_out, stream)


cdef void volume_depths(const sample* src, sample* dst, const Plan* dp, const Py_ssize_t* spans,
                        Py_ssize_t capacity, const PlaneWork* g, bint forward, Py_ssize_t z0, Py_ssize_t z1,
                        sample* held, sample* window, sample* block_in,
                        sample* block_out, bint stream) noexcept nogil:
    """Output planes [z0, z1) of one volume (separable_3d). `held`: forward, the planes
    [w_lo, w_hi) resampled along W and H (at most `capacity`), sliding along D; backward,
    one D-pass plane. stream: as plane_rows's."""
    cdef Py_ssize_t plane_in = g.hp.n_in * g.row_in, plane_out = g.hp.n_out * g.row_out
    cdef Py_ssize_t z, lo, hi, w_lo, w_hi
    w_lo = w_hi = spans[2 * z0]
    for z in range(z0, z1):
        if not forward:
            combine_rows(held, src, plane_in, 0, dp, z, plane_in, False)
            plane_rows(held, dst + z * plane_out, g, 0, g.hp.n_out, window, block_in, block_out, stream)
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
                           g.hp.n_out, window, block_in, block_out, False)
                w_hi += 1
        combine_rows(dst + z * plane_out, held, plane_out, w_lo, dp, z, plane_out, stream)


# ----------------------------------------------------------------------------- prepared steps
#
# Every kernel call of interpolate and resize is prepared once, with the GIL, as a Step (its
# sizes, and pointers into tables that its KernelStep keeps alive), and run without the GIL
# by run_step, any number of times and from any number of threads at once: a run only
# reads its Step and takes its working memory from PyMem_RawMalloc (GIL-free, seen by
# tracemalloc) for the length of the run.

cdef enum:
    STEP_PASS = 1           # one axis of (outer, n, inner)
    STEP_PLANE              # two adjacent axes of (planes, H, W, channels)
    STEP_VOLUME             # three: (volumes, D, H, W, channels)
    STEP_NEAREST            # row gathers
    STEP_AREA               # adaptive average pooling of up to three adjacent axes
    STEP_WIDEN_HALF         # float16 bits -> float32
    STEP_NARROW_HALF        # float32 -> float16 bits
    STEP_WIDEN_INTEGERS     # uint8 / uint16 / int16 -> float32
    STEP_NARROW_INTEGERS    # float32 -> uint8 / uint16 / int16
    STEP_COPY               # bytes

cdef enum:                  # the samples a step reads or writes
    TYPE_UINT8 = 1
    TYPE_UINT16
    TYPE_INT16
    TYPE_UINT32
    TYPE_UINT64
    TYPE_FLOAT32
    TYPE_FLOAT64

SAMPLE_TYPES = {"uint8": TYPE_UINT8, "uint16": TYPE_UINT16, "int16": TYPE_INT16,
                "uint32": TYPE_UINT32, "uint64": TYPE_UINT64, "float32": TYPE_FLOAT32,
                "float64": TYPE_FLOAT64}


cdef struct Step:
    int kind
    int type                   # the samples' type (nearest: an unsigned type of their width)
    Py_ssize_t n               # elementwise and copy: samples (bytes); nearest, area: the
                               # output's samples (the thread count's measure of work)
    # separable
    Py_ssize_t outer, inner    # (outer, n, inner); plane and volume: (planes, ..., channels)
    Plan plans[3]              # by memory position, outermost first
    bint forward               # W before H (before D); else D, H, W
    PlaneWork work             # plane and volume: pointers into plans
    const Py_ssize_t* chunks   # pass along the last axis: the W plan's chunks (narrow_rows)
    Py_ssize_t n_chunks, block_in, block_out, window_size
    const Py_ssize_t* spans    # volume: the D plan's input spans
    Py_ssize_t span
    bint stream                # the output is STREAM_BYTES or more: non-temporal stores
    # nearest (nearest_step)
    GatherRow gather
    const Py_ssize_t* sources
    const Py_ssize_t* runs
    Py_ssize_t n_runs
    # area (area_step)
    AreaRow area
    Py_ssize_t planes, step, most
    Py_ssize_t dims[6]         # input D, H, W, output D, H, W
    const Py_ssize_t* windows[6]   # start and end of every output's window along D, H, W


cdef class KernelStep:
    """One prepared kernel call: a Step, and the tables it points into."""
    cdef Step step
    cdef list keep

    def __cinit__(self):
        self.keep = []


cdef void* per_thread(int threads, Py_ssize_t samples, Py_ssize_t itemsize) noexcept nogil:
    """Working memory of `samples` per thread (NULL when there is not enough)."""
    return PyMem_RawMalloc(threads * (samples if samples > 0 else 1) * itemsize)


cdef Py_ssize_t pointer_table(KernelStep k, table, const Py_ssize_t** where) except -1:
    """Keep a 1-D or 2-D intp table alive with the step and point `where` at its data."""
    array = np.ascontiguousarray(table, dtype=np.intp)
    cdef const Py_ssize_t[::1] flat = array.reshape(-1)
    k.keep.append(array)
    where[0] = &flat[0] if flat.shape[0] else NULL
    return flat.shape[0]


cdef void plane_setup(KernelStep k, const sample* kind, const Plan* hp, const Plan* wp,
                      Py_ssize_t channels, bint width_first) except *:
    """The PlaneWork of a plane or volume step, and its working sizes."""
    cdef Step* s = &k.step
    cdef PlaneWork* g = &s.work
    cdef Py_ssize_t R = group_rows(kind)
    g.hp, g.wp, g.channels, g.width_first = hp, wp, channels, width_first
    g.row_in, g.row_out = wp.n_in * channels, wp.n_out * channels
    chunk_setup(k, wp, channels * R, sizeof(sample))
    g.chunks, g.n_chunks = s.chunks, s.n_chunks
    cdef Py_ssize_t[:, ::1] spans = np.zeros((hp.n_out, 2), np.intp)
    k.keep.append(spans)
    g.spans = &spans[0, 0]
    if width_first:
        g.capacity = output_spans(hp, spans) + R         # room for a group of R new rows
        g.strip = 0
        s.window_size = g.capacity * g.row_out
    else:      # strips of whole groups of R rows, about STRIP_BYTES of H-pass rows each
        g.strip = max(1, STRIP_BYTES // (R * g.row_in * sizeof(sample))) * R
        g.capacity = g.strip
        s.window_size = g.strip * g.row_in


cdef void chunk_setup(KernelStep k, const Plan* p, Py_ssize_t pixel_samples,
                      Py_ssize_t sample_bytes) except *:
    cdef Chunks chunks = chunk_table(p, pixel_samples, sample_bytes)
    k.keep.append(chunks)
    k.step.chunks = &chunks.table[0, 0] if chunks.count else NULL
    k.step.n_chunks = chunks.count
    k.step.block_in, k.step.block_out = chunks.block_in, chunks.block_out


cdef void separable_setup(KernelStep k, const sample* kind, list plans, Py_ssize_t outer,
                          Py_ssize_t inner, bint forward) except *:
    cdef Step* s = &k.step
    cdef Py_ssize_t n = len(plans), i, out_samples = outer * inner
    cdef Py_ssize_t[:, ::1] spans
    for i in range(n):
        s.plans[i] = plan_of(plans[i], weight_size(kind))
        out_samples *= s.plans[i].n_out
    k.keep.extend(plans)
    s.outer, s.inner, s.forward = outer, inner, forward
    s.stream = out_samples * <Py_ssize_t>sizeof(sample) >= STREAM_BYTES
    if n == 1:
        s.kind = STEP_PASS
        if inner < group_rows(kind) or s.plans[0].identity:
            chunk_setup(k, &s.plans[0], inner * group_rows(kind), sizeof(sample))
        return
    s.kind = STEP_PLANE if n == 2 else STEP_VOLUME
    plane_setup(k, kind, &s.plans[n - 2], &s.plans[n - 1], inner, forward)
    if n == 3:
        spans = np.zeros((s.plans[0].n_out, 2), np.intp)
        k.keep.append(spans)
        s.span = output_spans(&s.plans[0], spans)
        s.spans = &spans[0, 0]


def separable_step(str dtype, plans, Py_ssize_t outer, Py_ssize_t inner, bint forward=True):
    """Prepare the passes of 1 to 3 adjacent memory axes (plans by memory position,
    outermost first) of a buffer seen as (outer, *lengths, inner):

        pass:   dst(outer, n_out, inner)[o, i, :] = sum_k weights[i, k] * src[o, taps[i, k], :]

    Two or three axes run fused (run_plane, run_volume) so that their intermediate rows and
    planes stay in cache, forward (W, H, D) or not (D, H, W), with exactly the arithmetic
    of one pass after the other. Floats accumulate left to right from the first product in
    the compute type; uint8 is torch's fixed point (see combine_rows)."""
    cdef KernelStep k = KernelStep()
    plans = list(plans)
    if not 1 <= len(plans) <= 3:
        raise ValueError("a separable step takes 1 to 3 plans")
    k.step.type = SAMPLE_TYPES[dtype]
    if k.step.type == TYPE_UINT8:
        separable_setup(k, <uint8_t*>NULL, plans, outer, inner, forward)
    elif k.step.type == TYPE_FLOAT32:
        separable_setup(k, <float*>NULL, plans, outer, inner, forward)
    elif k.step.type == TYPE_FLOAT64:
        separable_setup(k, <double*>NULL, plans, outer, inner, forward)
    else:
        raise TypeError(f"separable steps compute in uint8, float32 or float64, not {dtype}")
    return k


cdef int run_pass(const Step* s, const sample* src, sample* dst, int num_threads) noexcept nogil:
    """One axis: threads split the rows (or groups of R rows along the last axis)."""
    cdef const Plan* pp = &s.plans[0]
    cdef Py_ssize_t R = group_rows(src), outer = s.outer, inner = s.inner
    cdef Py_ssize_t row_in = pp.n_in * inner, row_out = pp.n_out * inner
    cdef Py_ssize_t t, r, first, o, tasks, tid, size = s.block_in + s.block_out
    cdef int nt = threads_for(num_threads, outer * row_out * pp.width)
    cdef sample* blocks
    if inner >= R and not pp.identity:
        tasks = equal_tasks(outer * pp.n_out, nt)
        for t in prange(tasks, num_threads=nt, schedule="static"):
            for r in range(t * outer * pp.n_out // tasks, (t + 1) * outer * pp.n_out // tasks):
                o = r // pp.n_out
                combine_rows(dst + r * inner, src + o * row_in, inner, 0, pp, r - o * pp.n_out, inner, s.stream)
            if s.stream:
                store_fence()
        return 0
    tasks = (outer + R - 1) // R
    nt = nt if nt < tasks else <int>tasks
    blocks = <sample*>per_thread(nt, size, sizeof(sample))
    if blocks == NULL:
        return -1
    for t in prange(tasks, num_threads=nt, schedule="static"):
        first = t * R
        tid = threadid()
        narrow_rows(src + first * row_in, row_in, dst + first * row_out, row_out,
                    outer - first if outer - first < R else R, inner, pp, s.chunks, s.n_chunks,
                    blocks + tid * size, blocks + tid * size + s.block_in)
    PyMem_RawFree(blocks)
    return 0


cdef int run_plane(const Step* s, const sample* src, sample* dst, int num_threads) noexcept nogil:
    """Both axes of (planes, H, W, channels), fused by plane_rows. The output rows of all
    planes, in whole strips (H first), are cut into equal_tasks ranges, which may span
    planes; threads take them in a static schedule."""
    cdef const PlaneWork* g = &s.work
    cdef const Plan* ph = g.hp
    cdef Py_ssize_t planes = s.outer, plane_in = ph.n_in * g.row_in, plane_out = ph.n_out * g.row_out
    cdef int nt = threads_for(num_threads, planes * plane_out * (ph.width + g.wp.width))
    cdef Py_ssize_t unit = 1 if g.width_first else g.strip        # rows a unit
    cdef Py_ssize_t per_plane = (ph.n_out + unit - 1) // unit, units = planes * per_plane
    cdef Py_ssize_t tasks = equal_tasks(units, nt)
    cdef Py_ssize_t t, u, u_end, plane, last, mine, size = s.window_size + s.block_in + s.block_out
    cdef sample* work
    nt = nt if nt < tasks else <int>tasks
    work = <sample*>per_thread(nt, size, sizeof(sample))
    if work == NULL:
        return -1
    for t in prange(tasks, num_threads=nt, schedule="static"):
        mine = threadid() * size
        u, u_end = t * units // tasks, (t + 1) * units // tasks
        while u < u_end:
            plane = u // per_plane
            last = min(u_end - plane * per_plane, per_plane)
            plane_rows(src + plane * plane_in, dst + plane * plane_out, g, (u - plane * per_plane) * unit,
                       min(last * unit, ph.n_out), work + mine, work + mine + s.window_size,
                       work + mine + s.window_size + s.block_in, s.stream)
            u = plane * per_plane + last
        if s.stream:
            store_fence()
    PyMem_RawFree(work)
    return 0


cdef int run_volume(const Step* s, const sample* src, sample* dst, int num_threads) noexcept nogil:
    """All three axes of (volumes, D, H, W, channels) (see volume_depths): the output
    planes of all volumes are cut into equal_tasks ranges, which may span volumes."""
    cdef const PlaneWork* g = &s.work
    cdef const Plan* pd = &s.plans[0]
    cdef const Plan* ph = g.hp
    cdef Py_ssize_t volumes = s.outer, plane_in = ph.n_in * g.row_in, plane_out = ph.n_out * g.row_out
    cdef int nt = threads_for(num_threads, volumes * pd.n_out * plane_out * (pd.width + ph.width + g.wp.width))
    cdef Py_ssize_t units = volumes * pd.n_out, tasks = equal_tasks(units, nt)
    cdef Py_ssize_t t, u, u_end, volume, last, mine
    cdef Py_ssize_t held = 2 * s.span * plane_out if s.forward else plane_in
    cdef Py_ssize_t size = held + s.window_size + s.block_in + s.block_out
    cdef sample* work
    nt = nt if nt < tasks else <int>tasks
    work = <sample*>per_thread(nt, size, sizeof(sample))
    if work == NULL:
        return -1
    for t in prange(tasks, num_threads=nt, schedule="static"):
        mine = threadid() * size
        u, u_end = t * units // tasks, (t + 1) * units // tasks
        while u < u_end:
            volume = u // pd.n_out
            last = min(u_end - volume * pd.n_out, pd.n_out)
            volume_depths(src + volume * pd.n_in * plane_in, dst + volume * pd.n_out * plane_out,
                          pd, s.spans, 2 * s.span, g, s.forward, u - volume * pd.n_out, last,
                          work + mine, work + mine + held, work + mine + held + s.window_size,
                          work + mine + held + s.window_size + s.block_in, s.stream)
            u = volume * pd.n_out + last
        if s.stream:
            store_fence()
    PyMem_RawFree(work)
    return 0


cdef int run_separable(const Step* s, const sample* src, sample* dst, int num_threads) noexcept nogil:
    if s.kind == STEP_PASS:
        return run_pass(s, src, dst, num_threads)
    if s.kind == STEP_PLANE:
        return run_plane(s, src, dst, num_threads)
    return run_volume(s, src, dst, num_threads)


def nearest_step(Py_ssize_t itemsize, sources, runs, index, Py_ssize_t row_in):
    """Prepare nearest as row gathers, in memory order (channels-last pixels flattened into
    their row), on samples of `itemsize` bytes: output row r is src[sources[r] + index[e]]
    for e < len(index). The output rows [runs[i], runs[i + 1]) read one source row: the
    first is gathered, the rest copy it. Bits are copied, so every dtype is exact."""
    cdef KernelStep k = KernelStep()
    cdef Step* s = &k.step
    cdef Py_ssize_t n = len(index), block = 16 if itemsize == 1 else 8
    cdef const uint8_t[::1] offsets_v, local_v
    s.kind = STEP_NEAREST
    s.type = {1: TYPE_UINT8, 2: TYPE_UINT16, 4: TYPE_UINT32, 8: TYPE_UINT64}[itemsize]
    s.gather.n = n
    pointer_table(k, index, &s.gather.index)
    pointer_table(k, sources, &s.sources)
    s.n_runs = pointer_table(k, runs, &s.runs)
    s.n = (runs[-1] if len(runs) else 0) * n
    if (itemsize == 4 or itemsize == 1) and n >= block:
        index = np.asarray(index)
        firsts = index[np.arange(n) // block * block]
        offsets = index - firsts
        whole = n // block * block
        local = ((offsets[:whole].reshape(-1, block).max(axis=1) < 16)
                 & (offsets[:whole].reshape(-1, block).min(axis=1) >= 0)
                 & (firsts[:whole:block] + 16 <= row_in))
        offsets_v = np.clip(offsets, 0, 255).astype(np.uint8)
        local_v = local.astype(np.uint8)
        k.keep.extend((offsets_v, local_v))
        s.gather.offsets, s.gather.local = &offsets_v[0], &local_v[0]
    return k


cdef int run_nearest(const Step* s, const element* src, element* dst, int num_threads) noexcept nogil:
    cdef Py_ssize_t n = s.gather.n, i, r, r0
    for i in prange(s.n_runs - 1, num_threads=threads_for(num_threads, s.n), schedule="static"):
        r0 = s.runs[i]
        if i + 2 < s.n_runs:      # the next row's start, while this one is read
            prefetch(src + s.sources[s.runs[i + 1]], PREFETCH_BYTES)
        gather_row(dst + r0 * n, src + s.sources[r0], &s.gather)
        for r in range(r0 + 1, s.runs[i + 1]):
            memcpy(dst + r * n, dst + r0 * n, n * sizeof(element))
    return 0


def area_step(str dtype, Py_ssize_t planes, Py_ssize_t step, in_dhw, out_dhw, start_d, end_d,
              start_h, end_h, start_w, end_w):
    """Prepare adaptive average pooling of a buffer seen as (planes, D, H, W, step):
    channels-last data has step = C pixels' samples interleaved, planar data step = 1.
    Output rows (plane, d, h) are split across threads; see area_row for the arithmetic."""
    cdef KernelStep k = KernelStep()
    cdef Step* s = &k.step
    cdef Py_ssize_t d, h, i
    s.kind = STEP_AREA
    s.type = SAMPLE_TYPES[dtype]
    if s.type not in (TYPE_UINT8, TYPE_FLOAT32, TYPE_FLOAT64):
        raise TypeError(f"area computes in uint8, float32 or float64, not {dtype}")
    s.planes, s.step = planes, step
    for i in range(3):
        s.dims[i], s.dims[3 + i] = in_dhw[i], out_dhw[i]
    for i, table in enumerate((start_d, end_d, start_h, end_h, start_w, end_w)):
        pointer_table(k, table, &s.windows[i])
    cdef Py_ssize_t row_in = s.dims[2] * step, n = s.dims[5] * step
    s.n = planes * s.dims[3] * s.dims[4] * n
    s.most = 1
    for d in range(s.dims[3]):
        for h in range(s.dims[4]):
            s.most = max(s.most, (end_d[d] - start_d[d]) * (end_h[h] - start_h[h]))
    pixel = np.arange(n) // step
    first = np.asarray(start_w)[pixel] * step + np.arange(n) % step
    width = (np.asarray(end_w) - np.asarray(start_w))[pixel]
    cdef AreaRow* a = &s.area
    a.n, a.step, a.widest = n, step, width.max()
    pointer_table(k, first, &a.start)
    pointer_table(k, width, &a.width)
    cdef const int[::1] offsets_v, widths_v
    cdef const unsigned char[::1] local_v
    if row_in < 2**30 and n >= 8:      # offsets within a row fit in int32
        whole = n // 8 * 8
        block_start = first[:whole].reshape(-1, 8).min(axis=1)
        offsets = first - np.append(np.repeat(block_start, 8), np.zeros(n - whole, np.intp))
        spans = offsets[:whole].reshape(-1, 8).max(axis=1)
        ends = block_start + (a.widest - 1) * step + 16
        local_v = ((spans < 16) & (ends <= row_in)).astype(np.uint8)
        offsets_v = offsets.astype(np.intc)
        widths_v = width.astype(np.intc)
        k.keep.extend((local_v, offsets_v, widths_v))
        pointer_table(k, block_start, &a.block_start)
        a.offsets, a.widths32, a.local = &offsets_v[0], &widths_v[0], &local_v[0]
    return k


cdef int run_area(const Step* s, const pooled* src, pooled* dst, int num_threads) noexcept nogil:
    cdef Py_ssize_t ID = s.dims[0], IH = s.dims[1], OD = s.dims[3], OH = s.dims[4]
    cdef Py_ssize_t row_in = s.dims[2] * s.step, row_out = s.dims[5] * s.step
    cdef const Py_ssize_t* start_d = s.windows[0]
    cdef const Py_ssize_t* end_d = s.windows[1]
    cdef const Py_ssize_t* start_h = s.windows[2]
    cdef const Py_ssize_t* end_h = s.windows[3]
    cdef Py_ssize_t t, plane, d, h, i, j, n_rows, mine
    cdef int nt = threads_for(num_threads, s.n)
    cdef Py_ssize_t* rows = <Py_ssize_t*>per_thread(nt, s.most, sizeof(Py_ssize_t))
    if rows == NULL:
        return -1
    for t in prange(s.planes * OD * OH, num_threads=nt, schedule="static"):
        h = t % OH
        d = (t // OH) % OD
        plane = t // (OH * OD)
        mine = threadid() * s.most
        n_rows = 0
        for i in range(start_d[d], end_d[d]):
            for j in range(start_h[h], end_h[h]):
                rows[mine + n_rows] = ((plane * ID + i) * IH + j) * row_in
                n_rows = n_rows + 1
        area_row(dst + t * row_out, src, rows + mine, n_rows, &s.area,
                 end_d[d] - start_d[d], end_h[h] - start_h[h])
    PyMem_RawFree(rows)
    return 0


def elementwise_step(str what, str dtype, Py_ssize_t n):
    """Prepare a conversion of n samples: "widen_half" (float16 bits -> float32),
    "narrow_half", "widen_integers" (dtype -> float32), "narrow_integers" (float32 ->
    dtype, rounded half to even and clamped), or "copy" (n bytes)."""
    cdef KernelStep k = KernelStep()
    k.step.kind = {"widen_half": STEP_WIDEN_HALF, "narrow_half": STEP_NARROW_HALF,
                   "widen_integers": STEP_WIDEN_INTEGERS, "narrow_integers": STEP_NARROW_INTEGERS,
                   "copy": STEP_COPY}[what]
    k.step.type = SAMPLE_TYPES[dtype]
    k.step.n = n
    return k


cdef int run_step(const Step* s, const void* src, void* dst, int num_threads) noexcept nogil:
    """Run a prepared step from src into dst (0; -1: out of memory)."""
    cdef int kind = s.kind, t = s.type
    if kind == STEP_PASS or kind == STEP_PLANE or kind == STEP_VOLUME:
        if t == TYPE_UINT8:
            return run_separable(s, <const uint8_t*>src, <uint8_t*>dst, num_threads)
        if t == TYPE_FLOAT32:
            return run_separable(s, <const float*>src, <float*>dst, num_threads)
        return run_separable(s, <const double*>src, <double*>dst, num_threads)
    if kind == STEP_NEAREST:
        if t == TYPE_UINT8:
            return run_nearest(s, <const uint8_t*>src, <uint8_t*>dst, num_threads)
        if t == TYPE_UINT16:
            return run_nearest(s, <const uint16_t*>src, <uint16_t*>dst, num_threads)
        if t == TYPE_UINT32:
            return run_nearest(s, <const uint32_t*>src, <uint32_t*>dst, num_threads)
        return run_nearest(s, <const uint64_t*>src, <uint64_t*>dst, num_threads)
    if kind == STEP_AREA:
        if t == TYPE_UINT8:
            return run_area(s, <const uint8_t*>src, <uint8_t*>dst, num_threads)
        if t == TYPE_FLOAT32:
            return run_area(s, <const float*>src, <float*>dst, num_threads)
        return run_area(s, <const double*>src, <double*>dst, num_threads)
    if kind == STEP_WIDEN_HALF:
        widen_half_run(<const uint16_t*>src, <float*>dst, s.n, num_threads)
    elif kind == STEP_NARROW_HALF:
        narrow_half_run(<const float*>src, <uint16_t*>dst, s.n, num_threads)
    elif kind == STEP_WIDEN_INTEGERS:
        if t == TYPE_UINT8:
            widen_run(<const uint8_t*>src, <float*>dst, s.n, num_threads)
        elif t == TYPE_UINT16:
            widen_run(<const uint16_t*>src, <float*>dst, s.n, num_threads)
        else:
            widen_run(<const int16_t*>src, <float*>dst, s.n, num_threads)
    elif kind == STEP_NARROW_INTEGERS:
        if t == TYPE_UINT8:
            narrow_run(<const float*>src, <uint8_t*>dst, s.n, num_threads)
        elif t == TYPE_UINT16:
            narrow_run(<const float*>src, <uint16_t*>dst, s.n, num_threads)
        else:
            narrow_run(<const float*>src, <int16_t*>dst, s.n, num_threads)
    elif kind == STEP_COPY:
        memcpy(dst, src, s.n)
    return 0


# A call's steps, in order, each from one buffer into another: 0 the input, 1 the output,
# 2 and on temporaries (allocated when first written, freed after their last read).
cdef struct ProgramData:
    Py_ssize_t n_steps
    const Step** steps
    const int* links              # 2 per step: the buffer it reads, the one it writes
    Py_ssize_t n_temps
    const Py_ssize_t* temp_bytes
    const Py_ssize_t* last_read   # per temporary: the step after which it is freed
    Py_ssize_t in_bytes, out_bytes


cdef class Program:
    """A prepared call: KernelSteps and the buffers they go between (see ProgramData).
    Immutable; run() from any number of threads at once."""
    cdef ProgramData data
    cdef list kernel_steps
    cdef object tables

    def __init__(self, steps, links, temp_bytes, Py_ssize_t in_bytes, Py_ssize_t out_bytes):
        cdef Py_ssize_t i
        self.kernel_steps = list(steps)
        links = np.ascontiguousarray(links, np.intc).reshape(-1)
        temps = np.ascontiguousarray(temp_bytes, np.intp).reshape(-1)
        n_buffers = 2 + len(temps)
        if len(links) != 2 * len(self.kernel_steps) or not all(0 <= b < n_buffers for b in links):
            raise ValueError("a program links every step from one buffer to another")
        last_read = np.full(len(temps), -1, np.intp)
        for i in range(len(self.kernel_steps)):
            if links[2 * i] >= 2:
                last_read[links[2 * i] - 2] = i
        pointers = np.array([<Py_ssize_t>&(<KernelStep>k).step for k in self.kernel_steps] or [0], np.intp)
        self.tables = (pointers, links, temps, last_read)
        cdef const Py_ssize_t[::1] p = pointers, t = temps, r = last_read
        cdef const int[::1] l = links
        self.data.n_steps = len(self.kernel_steps)
        self.data.steps = <const Step**>&p[0]
        self.data.links = &l[0] if len(links) else NULL
        self.data.n_temps = len(temps)
        self.data.temp_bytes = &t[0] if len(temps) else NULL
        self.data.last_read = &r[0] if len(temps) else NULL
        self.data.in_bytes, self.data.out_bytes = in_bytes, out_bytes

    def run(self, src, dst, int num_threads):
        """Run from src (the input's memory) into dst (the output's): C-contiguous buffers
        of in_bytes and out_bytes (any shape; read through the buffer protocol)."""
        cdef Py_buffer s, d
        cdef int rc
        PyObject_GetBuffer(src, &s, PyBUF_SIMPLE)
        try:
            PyObject_GetBuffer(dst, &d, PyBUF_SIMPLE | PyBUF_WRITABLE)
            try:
                if s.len != self.data.in_bytes or d.len != self.data.out_bytes:
                    raise ValueError(f"this program takes {self.data.in_bytes} input and "
                                     f"{self.data.out_bytes} output bytes, not {s.len} and {d.len}")
                if d.len == 0:
                    return
                with nogil:
                    rc = run_program(&self.data, s.buf, d.buf, num_threads)
            finally:
                PyBuffer_Release(&d)
        finally:
            PyBuffer_Release(&s)
        if rc:
            raise MemoryError("not enough memory for the kernels' working buffers")


cdef int run_program(const ProgramData* p, const void* src, void* dst, int num_threads) noexcept nogil:
    """Run a program's steps in order (0; -1: out of memory, the output then incomplete)."""
    cdef void** buffers = <void**>PyMem_RawCalloc(2 + p.n_temps, sizeof(void*))
    cdef Py_ssize_t i, b
    cdef int rc = 0
    if buffers == NULL:
        return -1
    buffers[0], buffers[1] = <void*>src, dst
    for i in range(p.n_steps):
        b = p.links[2 * i + 1]
        if b >= 2 and buffers[b] == NULL:
            buffers[b] = PyMem_RawMalloc(p.temp_bytes[b - 2] if p.temp_bytes[b - 2] > 0 else 1)
            if buffers[b] == NULL:
                rc = -1
                break
        rc = run_step(p.steps[i], buffers[p.links[2 * i]], buffers[b], num_threads)
        if rc:
            break
        b = p.links[2 * i]
        if b >= 2 and p.last_read[b - 2] == i:
            PyMem_RawFree(buffers[b])
            buffers[b] = NULL
    for i in range(p.n_temps):
        PyMem_RawFree(buffers[2 + i])
    PyMem_RawFree(buffers)
    return rc


cdef void widen_half_run(const uint16_t* src, float* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        dst[i] = resample_half_to_float(src[i])


cdef void narrow_half_run(const float* src, uint16_t* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        dst[i] = resample_float_to_half(src[i])


def widen_half(const uint16_t[::1] src, float[::1] dst, int num_threads):
    """float16 bits -> float32 (exact)."""
    if src.shape[0]:
        with nogil:
            widen_half_run(&src[0], &dst[0], src.shape[0], num_threads)


def narrow_half(const float[::1] src, uint16_t[::1] dst, int num_threads):
    """float32 -> float16 bits, rounded to nearest even (the one rounding of a float16 call)."""
    if src.shape[0]:
        with nogil:
            narrow_half_run(&src[0], &dst[0], src.shape[0], num_threads)


ctypedef fused small_integer:   # 16-bit images and volumes, and torchvision's uint8 float path
    uint8_t
    uint16_t
    int16_t


cdef void widen_run(const small_integer* src, float* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        dst[i] = src[i]


cdef void narrow_run(const float* src, small_integer* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    cdef float v, lowest, highest
    if small_integer is uint8_t:
        lowest, highest = 0, 255
    elif small_integer is uint16_t:
        lowest, highest = 0, 65535
    else:
        lowest, highest = -32768, 32767
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        v = nearbyintf(src[i])
        if not v >= lowest:
            v = lowest
        elif v > highest:
            v = highest
        dst[i] = <small_integer>v


def widen_integers(const small_integer[::1] src, float[::1] dst, int num_threads):
    """8- and 16-bit integers -> float32 (exact)."""
    if src.shape[0]:
        with nogil:
            widen_run(&src[0], &dst[0], src.shape[0], num_threads)


def narrow_integers(const float[::1] src, small_integer[::1] dst, int num_threads):
    """float32 -> 8- and 16-bit integers: rounded half to even, clamped to the type's range
    (a NaN, which integer input cannot produce, becomes the lowest value)."""
    if src.shape[0]:
        with nogil:
            narrow_run(&src[0], &dst[0], src.shape[0], num_threads)


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


def flip_high_bits(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                   Py_ssize_t first, int num_threads):
    """Pillow's LAB storage: bands first.. of each pixel with their top bit flipped (x ^ 128),
    so signed bytes (LAB's a and b) become the offset bytes Pillow resamples, and back."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            for c in range(channels):
                dst[p * channels + c] = src[p * channels + c] ^ 0x80 if c >= first else src[p * channels + c]


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


cdef class PairTable:
    """OpenCV's uint8 horizontal pass as byte shuffles (see pair_table)."""
    cdef Py_ssize_t[::1] base
    cdef uint8_t[:, ::1] masks
    cdef int[:, ::1] weights
    cdef PairShuffle view


cdef PairTable pair_table(const Py_ssize_t[:, ::1] taps, const int16_t[:, ::1] alpha,
                          Py_ssize_t channels, Py_ssize_t row_len):
    """For each block of 8 output samples (sample j: channel j % channels of pixel
    x = j // channels, a sum over bytes taps[x, k] * channels + c, k < width, in pairs of
    taps): where all its source bytes lie in the 32 from the block's first one, inside the
    row, that start, per pair of taps the two pshufb masks (for the first and the second 16
    of those bytes) that lay the pair's bytes side by side, and the weight pairs; elsewhere
    base -1. None where fewer than 7 in 8 blocks are so (large shrinks)."""
    cdef Py_ssize_t n = taps.shape[0] * channels, blocks = n // 8, sets = taps.shape[1] // 2
    cdef Py_ssize_t b, j, k, x, c, lo, hi, t, local = 0
    if blocks == 0:
        return None
    cdef PairTable table = PairTable()
    table.base = np.full(blocks, -1, np.intp)
    table.masks = np.zeros((blocks, 32 * sets), np.uint8)
    table.weights = np.zeros((blocks, 8 * sets), np.intc)
    for b in range(blocks):
        lo, hi = row_len, 0
        for j in range(8 * b, 8 * b + 8):
            x, c = j // channels, j % channels
            for k in range(2 * sets):
                t = taps[x, k] * channels + c
                lo, hi = min(lo, t), max(hi, t)
        if hi - lo >= 32 or lo + 32 > row_len:
            continue
        table.base[b] = lo
        local += 1
        for j in range(8):
            x, c = (8 * b + j) // channels, (8 * b + j) % channels
            for k in range(2 * sets):
                t = taps[x, k] * channels + c - lo
                table.masks[b, 32 * (k // 2) + 2 * j + k % 2] = t if t < 16 else 0x80   # 0x80: 0
                table.masks[b, 32 * (k // 2) + 16 + 2 * j + k % 2] = t - 16 if t >= 16 else 0x80
            for k in range(sets):
                table.weights[b, 8 * k + j] = (<int>alpha[x, 2 * k] & 0xFFFF) | (<int>alpha[x, 2 * k + 1] << 16)
    if local < blocks * 7 // 8:
        return None                      # mostly not local: the plain loops
    table.view.blocks, table.view.sets = blocks, sets
    table.view.base = &table.base[0]
    table.view.masks = &table.masks[0, 0]
    table.view.weights = &table.weights[0, 0]
    return table


cdef inline void row_samples(const uint8_t* row, Py_ssize_t channels, const Py_ssize_t* taps,
                             const int16_t* alpha, Py_ssize_t width, Py_ssize_t j0, Py_ssize_t j1,
                             int* out) noexcept nogil:
    """Samples j0..j1-1 of OpenCV's uint8 horizontal pass, one by one (the pixel-aligned
    whole row is cv2_row's own loop, which shares each pixel's taps between its channels)."""
    cdef Py_ssize_t j, k, x = j0 // channels, c = j0 % channels
    cdef int acc
    for j in range(j0, j1):
        acc = 0
        for k in range(width):
            acc = acc + row[taps[width * x + k] * channels + c] * <int>alpha[width * x + k]
        out[j] = acc
        c += 1
        if c == channels:
            c = 0
            x += 1


cdef inline void pair_blocks(const uint8_t* row, const PairShuffle* pairs, Py_ssize_t sets,
                             Py_ssize_t channels, const Py_ssize_t* taps, const int16_t* alpha,
                             Py_ssize_t width, int* out) noexcept nogil:
    """The PairShuffle blocks of one row (the rest sample by sample), the table's fields
    held in locals: the stores to out could otherwise alias them."""
    cdef const Py_ssize_t* base = pairs.base
    cdef const uint8_t* masks = pairs.masks
    cdef const int* weights = pairs.weights
    cdef Py_ssize_t b, blocks = pairs.blocks
    for b in range(blocks):
        if not (base[b] >= 0 and pair_block(row + base[b], masks + 32 * sets * b,
                                            weights + 8 * sets * b, sets, out + 8 * b)):
            row_samples(row, channels, taps, alpha, width, 8 * b, 8 * b + 8, out)


cdef inline void cv2_row(const cv2_sample* row, Py_ssize_t channels, const Py_ssize_t* taps,
                         const cv2_weight* alpha, Py_ssize_t out_w, Py_ssize_t width,
                         const PairShuffle* pairs, void* out) noexcept nogil:
    """OpenCV's horizontal pass of one row: uint8 to int (x 2048), float left to right.
    pairs (uint8; NULL: none): blocks of 8 samples by byte shuffles."""
    cdef Py_ssize_t x, c, j
    cdef int acc
    cdef float facc
    cdef const cv2_sample* p0
    cdef const cv2_sample* p1
    cdef int a0, a1
    cdef int* iout = <int*>out
    if cv2_sample is uint8_t and cv2_weight is int16_t:
        if pairs != NULL:               # a constant count of tap pairs, for the compiler
            if pairs.sets == 1:
                pair_blocks(row, pairs, 1, channels, taps, alpha, width, iout)
            elif pairs.sets == 2:
                pair_blocks(row, pairs, 2, channels, taps, alpha, width, iout)
            elif pairs.sets == 4:
                pair_blocks(row, pairs, 4, channels, taps, alpha, width, iout)
            else:
                pair_blocks(row, pairs, pairs.sets, channels, taps, alpha, width, iout)
            row_samples(row, channels, taps, alpha, width, 8 * pairs.blocks, out_w * channels, iout)
            return
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
    for x in range(cv2_cubic_column(dst, r0, r1, r2, r3, b, blocks), blocks):
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
    for x in range(cv2_linear_column(dst, r0, r1, b0, b1, n), n):
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
                       bint exact, const PairShuffle* pairs) noexcept nogil:
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
            cv2_row(src + taps_y[y * width + k] * row_in, channels, taps_x, alpha, out_w, width,
                    pairs, rows[k])
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
    cdef PairTable table = None
    cdef const PairShuffle* pairs = NULL
    if out_h == 0 or n == 0:
        return
    if cv2_sample is uint8_t and cv2_weight is int16_t:
        if width == 2 or width == 4 or width == 8:
            table = pair_table(taps_x, alpha, channels, in_w * channels)
            pairs = &table.view if table is not None else NULL
    with nogil:
        for task in prange(tasks, num_threads=threads, schedule="dynamic"):
            if cv2_rows_task(&src[0], &dst[0], in_w * channels, channels, &taps_x[0, 0], &alpha[0, 0],
                             out_w, width, &taps_y[0, 0], &beta[0, 0], task * out_h // tasks,
                             (task + 1) * out_h // tasks, exact, pairs) < 0:
                failed = True
    if failed:
        raise MemoryError("no memory for the row buffers")


cdef inline void cv2_average_2x2(const uint8_t* top, Py_ssize_t row_in, uint8_t* out,
                                 Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """(a + b + c + d + 2) >> 2 over whole 2x2 blocks of a row pair (OpenCV's fast case)."""
    cdef const uint8_t* bottom = top + row_in
    cdef Py_ssize_t x, c, i
    for x in range(average_2x2_uint8(top, bottom, out, pixels, channels), pixels):
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
include "_capi.pxi"
