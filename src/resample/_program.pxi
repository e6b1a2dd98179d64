# Prepared steps and Programs (see _kernels_impl.pxi): every kernel call a Step made once
# with the GIL and run without it.

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
    STEP_WIDEN_HALF         # float16 / bfloat16 bits -> float32
    STEP_NARROW_HALF        # float32 -> float16 / bfloat16 bits
    STEP_WIDEN_INTEGERS     # uint8 / uint16 / int16 -> float32
    STEP_NARROW_INTEGERS    # float32 -> uint8 / uint16 / int16
    STEP_COPY               # bytes
    STEP_TO_FLOAT           # any real type -> float32 (C's conversion)

cdef enum:                  # the samples a step reads or writes
    TYPE_UINT8 = 1
    TYPE_UINT16
    TYPE_INT16
    TYPE_UINT32
    TYPE_UINT64
    TYPE_FLOAT32
    TYPE_FLOAT64
    TYPE_FLOAT16            # the 16-bit floats, for the conversions
    TYPE_INT8               # (to_float only, like the two after it)
    TYPE_INT32
    TYPE_INT64
    TYPE_BFLOAT16

SAMPLE_TYPES = {"uint8": TYPE_UINT8, "uint16": TYPE_UINT16, "int16": TYPE_INT16,
                "uint32": TYPE_UINT32, "uint64": TYPE_UINT64, "float32": TYPE_FLOAT32,
                "float64": TYPE_FLOAT64, "float16": TYPE_FLOAT16, "bfloat16": TYPE_BFLOAT16,
                "int8": TYPE_INT8, "int32": TYPE_INT32, "int64": TYPE_INT64}


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
    const Py_ssize_t* spans    # pass (rows combined whole) and volume: the first plan's
    Py_ssize_t span            # input spans, and the widest
    bint stream                # the output is STREAM_BYTES or more: non-temporal stores
    # separable and area: TYPE_FLOAT16 or TYPE_BFLOAT16 where the input or output holds
    # 16-bit floats (0: the compute type), and the float32 working samples per thread that
    # their conversions need (_half_rows.pxi): stage_in for widened input rows (`widened`
    # of them in a Widened window), stage_out for output rows before narrowing
    int src_half, dst_half
    Py_ssize_t stage_in, stage_out, widened
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
    cdef Py_ssize_t widest = output_spans(hp, spans)
    g.widened = widened_capacity(widest, g.row_in)
    if width_first:
        g.capacity = widest + R         # room for a group of R new rows
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


cdef void row_tables_setup(KernelStep k, Plan* p, Py_ssize_t inner) except *:
    """The tables along_rows reads for the step's pass along rows (its last plan, on pixels
    of `inner` samples), made once here instead of on every call of it."""
    cdef uint8_t[::1] tables
    if ROW_TABLES_BYTES == 0:
        return
    tables = np.zeros(ROW_TABLES_BYTES, np.uint8)
    if prepare_row_tables(p, inner, &tables[0]):
        k.keep.append(tables)
        p.row_tables = &tables[0]


cdef void separable_setup(KernelStep k, const sample* kind, list plans, Py_ssize_t outer,
                          Py_ssize_t inner, bint forward) except *:
    cdef Step* s = &k.step
    cdef Py_ssize_t n = len(plans), i, out_samples = outer * inner, R = group_rows(kind)
    cdef Py_ssize_t[:, ::1] spans
    cdef PlaneWork* g = &s.work
    for i in range(n):
        s.plans[i] = plan_of(plans[i], weight_size(kind))
        out_samples *= s.plans[i].n_out
    k.keep.extend(plans)
    s.outer, s.inner, s.forward = outer, inner, forward
    row_tables_setup(k, &s.plans[n - 1], inner)
    s.stream = out_samples * (2 if s.dst_half else <Py_ssize_t>sizeof(sample)) >= STREAM_BYTES
    if n != 2:     # the pass's plan (rows combined whole), or the volume's D plan
        spans = np.zeros((s.plans[0].n_out, 2), np.intp)
        k.keep.append(spans)
        s.span = output_spans(&s.plans[0], spans)
        s.spans = &spans[0, 0]
    if n == 1:
        s.kind = STEP_PASS
        if inner < R or s.plans[0].identity:
            chunk_setup(k, &s.plans[0], inner * R, sizeof(sample))
            s.stage_in = R * s.plans[0].n_in * inner if s.src_half else 0
            s.stage_out = R * s.plans[0].n_out * inner if s.dst_half else 0
        else:
            s.widened = widened_capacity(s.span, inner)
            s.stage_in = s.widened * inner if s.src_half else 0
            s.stage_out = inner if s.dst_half else 0
        return
    s.kind = STEP_PLANE if n == 2 else STEP_VOLUME
    plane_setup(k, kind, &s.plans[n - 2], &s.plans[n - 1], inner, forward)
    cdef Py_ssize_t plane_in = g.hp.n_in * g.row_in, plane_out = g.hp.n_out * g.row_out
    if forward:      # the W pass reads the input R rows at a time; H (D) writes the output
        s.stage_in = R * g.row_in if s.src_half else 0
        s.stage_out = (g.row_out if n == 2 else plane_out) if s.dst_half else 0
    else:            # the H (D) pass reads the input; W writes the output R rows at a time
        s.widened = g.widened if n == 2 else widened_capacity(s.span, plane_in)
        s.stage_in = s.widened * (g.row_in if n == 2 else plane_in) if s.src_half else 0
        s.stage_out = R * g.row_out if s.dst_half else 0


def separable_step(str dtype, plans, Py_ssize_t outer, Py_ssize_t inner, bint forward=True,
                   str src_half="", str dst_half=""):
    """Prepare the passes of 1 to 3 adjacent memory axes (plans by memory position,
    outermost first) of a buffer seen as (outer, *lengths, inner):

        pass:   dst(outer, n_out, inner)[o, i, :] = sum_k weights[i, k] * src[o, taps[i, k], :]

    Two or three axes run fused (run_plane, run_volume) so that their intermediate rows and
    planes stay in cache, forward (W, H, D) or not (D, H, W), with exactly the arithmetic
    of one pass after the other. Floats accumulate left to right from the first product in
    the compute type; uint8 is torch's fixed point (see combine_rows). src_half, dst_half
    ("float16", "bfloat16"; "": the compute type): the input or output holds those, widened
    as read and narrowed as written (float32 only)."""
    cdef KernelStep k = KernelStep()
    plans = list(plans)
    if not 1 <= len(plans) <= 3:
        raise ValueError("a separable step takes 1 to 3 plans")
    k.step.type = SAMPLE_TYPES[dtype]
    half_setup(k, dtype, src_half, dst_half)
    if k.step.type == TYPE_UINT8:
        separable_setup(k, <uint8_t*>NULL, plans, outer, inner, forward)
    elif k.step.type == TYPE_FLOAT32:
        separable_setup(k, <float*>NULL, plans, outer, inner, forward)
    elif k.step.type == TYPE_FLOAT64:
        separable_setup(k, <double*>NULL, plans, outer, inner, forward)
    else:
        raise TypeError(f"separable steps compute in uint8, float32 or float64, not {dtype}")
    return k


cdef inline void pass_rows(const Step* s, const sample* kind, const void* src, void* dst,
                           Py_ssize_t t, Py_ssize_t tasks, Widened* w, sample* work) noexcept nogil:
    """Task t of `tasks` of a pass along a non-last axis: its share of the output rows."""
    cdef const Plan* pp = &s.plans[0]
    cdef Py_ssize_t inner = s.inner, total = s.outer * pp.n_out, r, o
    cdef const sample* read
    widened_start(w, src, inner, inner, s.widened, s.src_half, <float*>work)
    for r in range(t * total // tasks, (t + 1) * total // tasks):
        o = r // pp.n_out
        read = source_rows(kind, src, s.src_half, w, o * pp.n_in, inner,
                           s.spans + 2 * (r - o * pp.n_out))
        combine_into(dst, s.dst_half, r * inner, read, inner, source_base(s.src_half, w, o * pp.n_in),
                     pp, r - o * pp.n_out, inner, s.stream, work + s.stage_in)
    if s.stream:
        store_fence()


cdef inline void pass_row_group(const Step* s, const sample* kind, const void* src, void* dst,
                                Py_ssize_t t, sample* work) noexcept nogil:
    """Task t of a pass along the last axis: the group of R rows from row t * R."""
    cdef const Plan* pp = &s.plans[0]
    cdef Py_ssize_t R = group_rows(kind), first = t * R, inner = s.inner
    cdef Py_ssize_t row_in = pp.n_in * inner, row_out = pp.n_out * inner
    narrow_rows_io(at(src, first * row_in, s.src_half, sizeof(sample)), s.src_half, row_in,
                   at(dst, first * row_out, s.dst_half, sizeof(sample)), s.dst_half, row_out,
                   s.outer - first if s.outer - first < R else R, inner, pp, s.chunks, s.n_chunks,
                   work, work + s.block_in, work + s.block_in + s.block_out,
                   work + s.block_in + s.block_out + s.stage_in, s.stream)
    if s.stream:
        store_fence()


cdef int run_pass(const Step* s, const sample* kind, const void* src, void* dst,
                  int num_threads) noexcept nogil:
    """One axis: threads split the rows (or groups of R rows along the last axis)."""
    cdef const Plan* pp = &s.plans[0]
    cdef Py_ssize_t R = group_rows(kind), outer = s.outer, inner = s.inner
    cdef Py_ssize_t t, tasks, mine, size
    cdef int nt = threads_for(num_threads, outer * pp.n_out * inner * pp.width)
    cdef sample* work
    cdef Widened* w
    if inner >= R and not pp.identity:
        tasks = equal_tasks(outer * pp.n_out, nt)
        size = s.stage_in + s.stage_out
        work = <sample*>per_thread(nt, size, sizeof(sample))
        w = <Widened*>per_thread(nt, 1, sizeof(Widened))
        if work == NULL or w == NULL:
            PyMem_RawFree(work)
            PyMem_RawFree(w)
            return -1
        if nt == 1:         # no parallel region: a tiny call's fixed cost is mostly OpenMP's
            pass_rows(s, kind, src, dst, 0, 1, w, work)
        else:
            for t in prange(tasks, num_threads=nt, schedule="static"):
                mine = threadid()
                pass_rows(s, kind, src, dst, t, tasks, w + mine, work + mine * size)
        PyMem_RawFree(work)
        PyMem_RawFree(w)
        return 0
    tasks = (outer + R - 1) // R
    nt = nt if nt < tasks else <int>tasks
    size = s.block_in + s.block_out + s.stage_in + s.stage_out
    work = <sample*>per_thread(nt, size, sizeof(sample))
    if work == NULL:
        return -1
    if nt == 1:
        for t in range(tasks):
            pass_row_group(s, kind, src, dst, t, work)
    else:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            pass_row_group(s, kind, src, dst, t, work + threadid() * size)
    PyMem_RawFree(work)
    return 0


cdef inline void plane_task(const Step* s, const sample* kind, const void* src, void* dst,
                            Py_ssize_t u, Py_ssize_t u_end, Py_ssize_t per_plane, Py_ssize_t unit,
                            sample* work, Widened* w) noexcept nogil:
    """Units [u, u_end) of run_plane (which may span planes), on one thread's buffers."""
    cdef const PlaneWork* g = &s.work
    cdef const Plan* ph = g.hp
    cdef Py_ssize_t plane_in = ph.n_in * g.row_in, plane_out = ph.n_out * g.row_out, plane, last
    while u < u_end:
        plane = u // per_plane
        last = min(u_end - plane * per_plane, per_plane)
        plane_rows(at(src, plane * plane_in, s.src_half, sizeof(sample)), s.src_half,
                   at(dst, plane * plane_out, s.dst_half, sizeof(sample)), s.dst_half, g,
                   (u - plane * per_plane) * unit, min(last * unit, ph.n_out), work,
                   work + s.window_size, work + s.window_size + s.block_in,
                   work + s.window_size + s.block_in + s.block_out,
                   work + s.window_size + s.block_in + s.block_out + s.stage_in, w, s.stream)
        u = plane * per_plane + last
    if s.stream:
        store_fence()


cdef int run_plane(const Step* s, const sample* kind, const void* src, void* dst,
                   int num_threads) noexcept nogil:
    """Both axes of (planes, H, W, channels), fused by plane_rows. The output rows of all
    planes, in whole strips (H first), are cut into equal_tasks ranges, which may span
    planes; threads take them in a static schedule."""
    cdef const PlaneWork* g = &s.work
    cdef const Plan* ph = g.hp
    cdef Py_ssize_t planes = s.outer, plane_out = ph.n_out * g.row_out
    cdef int nt = threads_for(num_threads, planes * plane_out * (ph.width + g.wp.width))
    cdef Py_ssize_t unit = 1 if g.width_first else g.strip        # rows a unit
    cdef Py_ssize_t per_plane = (ph.n_out + unit - 1) // unit, units = planes * per_plane
    cdef Py_ssize_t tasks = equal_tasks(units, nt)
    cdef Py_ssize_t t, mine
    cdef Py_ssize_t size = s.window_size + s.block_in + s.block_out + s.stage_in + s.stage_out
    cdef sample* work
    cdef Widened* w
    nt = nt if nt < tasks else <int>tasks
    work = <sample*>per_thread(nt, size, sizeof(sample))
    w = <Widened*>per_thread(nt, 1, sizeof(Widened))
    if work == NULL or w == NULL:
        PyMem_RawFree(work)
        PyMem_RawFree(w)
        return -1
    if nt == 1:
        plane_task(s, kind, src, dst, 0, units, per_plane, unit, work, w)
    else:
        for t in prange(tasks, num_threads=nt, schedule="static"):
            mine = threadid()
            plane_task(s, kind, src, dst, t * units // tasks, (t + 1) * units // tasks, per_plane,
                       unit, work + mine * size, w + mine)
    PyMem_RawFree(work)
    PyMem_RawFree(w)
    return 0


cdef int run_volume(const Step* s, const sample* kind, const void* src, void* dst,
                    int num_threads) noexcept nogil:
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
    cdef Py_ssize_t size = held + s.window_size + s.block_in + s.block_out + s.stage_in + s.stage_out
    cdef sample* work
    cdef sample* mywork
    cdef Widened* w
    nt = nt if nt < tasks else <int>tasks
    work = <sample*>per_thread(nt, size, sizeof(sample))
    w = <Widened*>per_thread(nt, 1, sizeof(Widened))
    if work == NULL or w == NULL:
        PyMem_RawFree(work)
        PyMem_RawFree(w)
        return -1
    for t in prange(tasks, num_threads=nt, schedule="static"):
        mine = threadid()
        mywork = work + mine * size
        u, u_end = t * units // tasks, (t + 1) * units // tasks
        while u < u_end:
            volume = u // pd.n_out
            last = min(u_end - volume * pd.n_out, pd.n_out)
            volume_depths(at(src, volume * pd.n_in * plane_in, s.src_half, sizeof(sample)), s.src_half,
                          at(dst, volume * pd.n_out * plane_out, s.dst_half, sizeof(sample)), s.dst_half,
                          pd, s.spans, 2 * s.span, s.widened, g, s.forward, u - volume * pd.n_out, last,
                          mywork, mywork + held, mywork + held + s.window_size,
                          mywork + held + s.window_size + s.block_in,
                          mywork + held + s.window_size + s.block_in + s.block_out,
                          mywork + held + s.window_size + s.block_in + s.block_out + s.stage_in,
                          w + mine, s.stream)
            u = volume * pd.n_out + last
        if s.stream:
            store_fence()
    PyMem_RawFree(work)
    PyMem_RawFree(w)
    return 0


cdef int run_separable(const Step* s, const sample* kind, const void* src, void* dst,
                       int num_threads) noexcept nogil:
    if s.kind == STEP_PASS:
        return run_pass(s, kind, src, dst, num_threads)
    if s.kind == STEP_PLANE:
        return run_plane(s, kind, src, dst, num_threads)
    return run_volume(s, kind, src, dst, num_threads)


cdef void half_setup(KernelStep k, str dtype, str src_half, str dst_half) except *:
    """The step's 16-bit float input and output (see Step.src_half)."""
    halves = {"": 0, "float16": TYPE_FLOAT16, "bfloat16": TYPE_BFLOAT16}
    if src_half not in halves or dst_half not in halves:
        raise TypeError(f"16-bit float input and output are float16 or bfloat16, not "
                        f"{src_half or dst_half}")
    if (src_half or dst_half) and dtype != "float32":
        raise TypeError(f"16-bit floats are computed in float32, not {dtype}")
    k.step.src_half, k.step.dst_half = halves[src_half], halves[dst_half]


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
    if itemsize != 8 and n >= block:
        index = np.asarray(index)
        firsts = index[np.arange(n) // block * block]
        offsets = index - firsts
        whole = n // block * block
        # a block's sources within one window of its first: 16 samples (two 16-byte
        # loads of 16-bit samples, two 32-byte loads of 32-bit ones) or 32 bytes (uint8)
        window = 32 if itemsize == 1 else 16
        local = ((offsets[:whole].reshape(-1, block).max(axis=1) < window)
                 & (offsets[:whole].reshape(-1, block).min(axis=1) >= 0)
                 & (firsts[:whole:block] + window <= row_in))
        offsets = np.clip(offsets, 0, 255).astype(np.uint8)
        # 16-bit samples: byte shuffles of two 16-byte loads (avx2_gather_row_16)
        offsets_v = _gather16_masks(offsets) if itemsize == 2 else offsets
        local_v = local.astype(np.uint8)
        k.keep.extend((offsets_v, local_v))
        s.gather.offsets, s.gather.local = &offsets_v[0], &local_v[0]
    return k


def _gather16_masks(offsets):
    """Per block of 8 16-bit samples at offsets o (< 16) from the block's first: the byte
    shuffle of the first 16-byte load (bytes 2o, 2o + 1 where o < 8, else -1), then that
    of the second (o - 8): 4 bytes a sample."""
    o = offsets.astype(np.int16)
    pair = np.stack([2 * o, 2 * o + 1], axis=-1)             # (n, 2) bytes of each sample
    first = np.where((o < 8)[:, None], pair, -1)
    second = np.where((o >= 8)[:, None], pair - 16, -1)
    whole = len(o) // 8 * 8
    masks = np.concatenate([first[:whole].reshape(-1, 16), second[:whole].reshape(-1, 16)], axis=1)
    table = np.full(4 * len(o), 0x80, np.uint8)
    table[:4 * whole] = masks.astype(np.int8).view(np.uint8).reshape(-1)
    return table


cdef inline void nearest_run(const Step* s, const element* src, element* dst,
                             Py_ssize_t i) noexcept nogil:
    """Run i of a nearest step: one output row gathered, the rows that repeat it copied."""
    cdef Py_ssize_t n = s.gather.n, r, r0 = s.runs[i]
    if i + 2 < s.n_runs:      # the next row's start, while this one is read
        prefetch(src + s.sources[s.runs[i + 1]], PREFETCH_BYTES)
    gather_row(dst + r0 * n, src + s.sources[r0], &s.gather)
    for r in range(r0 + 1, s.runs[i + 1]):
        memcpy(dst + r * n, dst + r0 * n, n * sizeof(element))


cdef int run_nearest(const Step* s, const element* src, element* dst, int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    cdef int nt = threads_for(num_threads, s.n)
    if nt == 1:
        for i in range(s.n_runs - 1):
            nearest_run(s, src, dst, i)
    else:
        for i in prange(s.n_runs - 1, num_threads=nt, schedule="static"):
            nearest_run(s, src, dst, i)
    return 0


def area_step(str dtype, Py_ssize_t planes, Py_ssize_t step, in_dhw, out_dhw, start_d, end_d,
              start_h, end_h, start_w, end_w, str src_half="", str dst_half=""):
    """Prepare adaptive average pooling of a buffer seen as (planes, D, H, W, step):
    channels-last data has step = C pixels' samples interleaved, planar data step = 1.
    Output rows (plane, d, h) are split across threads; see area_row for the arithmetic.
    src_half, dst_half: as separable_step's."""
    cdef KernelStep k = KernelStep()
    cdef Step* s = &k.step
    cdef Py_ssize_t d, h, i
    s.kind = STEP_AREA
    s.type = SAMPLE_TYPES[dtype]
    if s.type not in (TYPE_UINT8, TYPE_FLOAT32, TYPE_FLOAT64):
        raise TypeError(f"area computes in uint8, float32 or float64, not {dtype}")
    half_setup(k, dtype, src_half, dst_half)
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
    s.stage_in = s.most * row_in if s.src_half else 0
    s.stage_out = n if s.dst_half else 0
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


cdef int run_area(const Step* s, const pooled* kind, const void* src, void* dst,
                  int num_threads) noexcept nogil:
    cdef Py_ssize_t ID = s.dims[0], IH = s.dims[1], OD = s.dims[3], OH = s.dims[4]
    cdef Py_ssize_t row_in = s.dims[2] * s.step, row_out = s.dims[5] * s.step
    cdef const Py_ssize_t* start_d = s.windows[0]
    cdef const Py_ssize_t* end_d = s.windows[1]
    cdef const Py_ssize_t* start_h = s.windows[2]
    cdef const Py_ssize_t* end_h = s.windows[3]
    cdef Py_ssize_t t, plane, d, h, i, j, n_rows, mine, size = s.stage_in + s.stage_out
    cdef int nt = threads_for(num_threads, s.n)
    cdef Py_ssize_t* rows = <Py_ssize_t*>per_thread(nt, s.most, sizeof(Py_ssize_t))
    cdef pooled* work = <pooled*>per_thread(nt, size, sizeof(pooled))
    cdef pooled* stage
    cdef const pooled* read
    if rows == NULL or work == NULL:
        PyMem_RawFree(rows)
        PyMem_RawFree(work)
        return -1
    for t in prange(s.planes * OD * OH, num_threads=nt, schedule="static"):
        h = t % OH
        d = (t // OH) % OD
        plane = t // (OH * OD)
        mine = threadid() * s.most
        stage = work + threadid() * size
        n_rows = 0
        for i in range(start_d[d], end_d[d]):
            for j in range(start_h[h], end_h[h]):
                rows[mine + n_rows] = ((plane * ID + i) * IH + j) * row_in
                n_rows = n_rows + 1
        read = area_source(kind, src, s.src_half, rows + mine, n_rows, row_in, stage)
        area_into(dst, s.dst_half, t * row_out, read, rows + mine, n_rows, &s.area,
                  end_d[d] - start_d[d], end_h[h] - start_h[h], stage + s.stage_in)
    PyMem_RawFree(rows)
    PyMem_RawFree(work)
    return 0


def elementwise_step(str what, str dtype, Py_ssize_t n):
    """Prepare a conversion of n samples: "widen_half" (dtype "float16" or "bfloat16": its
    bits -> float32), "narrow_half" (float32 -> those bits, rounded to nearest even),
    "widen_integers" (dtype -> float32), "narrow_integers" (float32 -> dtype, rounded half
    to even and clamped), "to_float" (dtype -> float32 by C's conversion: any integer type,
    float64, float16 and bfloat16), or "copy" (n bytes)."""
    cdef KernelStep k = KernelStep()
    k.step.kind = {"widen_half": STEP_WIDEN_HALF, "narrow_half": STEP_NARROW_HALF,
                   "widen_integers": STEP_WIDEN_INTEGERS, "narrow_integers": STEP_NARROW_INTEGERS,
                   "copy": STEP_COPY, "to_float": STEP_TO_FLOAT}[what]
    k.step.type = SAMPLE_TYPES[dtype]
    if what == "to_float" and dtype == "float16":
        k.step.kind = STEP_WIDEN_HALF
    k.step.n = n
    return k


cdef int run_step(const Step* s, const void* src, void* dst, int num_threads) noexcept nogil:
    """Run a prepared step from src into dst (0; -1: out of memory)."""
    cdef int kind = s.kind, t = s.type
    if kind == STEP_PASS or kind == STEP_PLANE or kind == STEP_VOLUME:
        if t == TYPE_UINT8:
            return run_separable(s, <const uint8_t*>NULL, src, dst, num_threads)
        if t == TYPE_FLOAT32:
            return run_separable(s, <const float*>NULL, src, dst, num_threads)
        return run_separable(s, <const double*>NULL, src, dst, num_threads)
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
            return run_area(s, <const uint8_t*>NULL, src, dst, num_threads)
        if t == TYPE_FLOAT32:
            return run_area(s, <const float*>NULL, src, dst, num_threads)
        return run_area(s, <const double*>NULL, src, dst, num_threads)
    if kind == STEP_WIDEN_HALF:
        widen_half_run(<const uint16_t*>src, <float*>dst, s.n, t == TYPE_BFLOAT16, num_threads)
    elif kind == STEP_NARROW_HALF:
        narrow_half_run(<const float*>src, <uint16_t*>dst, s.n, t == TYPE_BFLOAT16, num_threads)
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
    elif kind == STEP_TO_FLOAT:
        to_float(t, src, <float*>dst, s.n, num_threads)
    return 0


cdef void to_float(int t, const void* src, float* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    if t == TYPE_INT8:
        to_float_run(<const int8_t*>src, dst, n, num_threads)
    elif t == TYPE_UINT8:
        to_float_run(<const uint8_t*>src, dst, n, num_threads)
    elif t == TYPE_INT16:
        to_float_run(<const int16_t*>src, dst, n, num_threads)
    elif t == TYPE_UINT16:
        to_float_run(<const uint16_t*>src, dst, n, num_threads)
    elif t == TYPE_INT32:
        to_float_run(<const int32_t*>src, dst, n, num_threads)
    elif t == TYPE_UINT32:
        to_float_run(<const uint32_t*>src, dst, n, num_threads)
    elif t == TYPE_INT64:
        to_float_run(<const int64_t*>src, dst, n, num_threads)
    elif t == TYPE_UINT64:
        to_float_run(<const uint64_t*>src, dst, n, num_threads)
    elif t == TYPE_BFLOAT16:
        widen_half_run(<const uint16_t*>src, dst, n, True, num_threads)
    else:
        to_float_run(<const double*>src, dst, n, num_threads)


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
