# Label-map kernels (see _kernels_impl.pxi): batchgenerators' per-label vote (resize's
# mode="label", compat.resize_segmentation) and the majority vote over area windows
# (mode="majority"). Integer counting and comparisons only where they decide: the same
# result on every thread count and build.

# ----------------------------------------------------------------------------- label maps
# batchgenerators' resize_segmentation (compat.resize_segmentation): every label's
# indicator resized, the per-voxel argmax over labels with its tie-break

ctypedef fused label_value:
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    int8_t
    int16_t
    int32_t
    int64_t


cdef inline uint64_t offset_of(label_value v, label_value low) noexcept nogil:
    """v - low for v >= low, without overflow: the difference of the two's-complement
    bits, in 64 bits."""
    return <uint64_t>v - <uint64_t>low


def label_presence(const label_value[::1] values, label_value low, uint8_t[::1] present):
    """present[v - low] = 1 for every value v: the distinct values of a label map in one
    sweep (present: zeroed by the caller, an entry per value from low to the largest).
    One thread: the sweep runs at memory speed, and threads sharing the table would race."""
    cdef Py_ssize_t i, n = values.shape[0], span = present.shape[0], outside = 0
    cdef size_t at
    with nogil:
        for i in range(n):
            at = <size_t>offset_of(values[i], low)
            if at >= <size_t>span:
                outside += 1
            else:
                present[at] = 1
    if outside:
        raise ValueError("label_presence: a value lies outside the table")


def label_lookup(const label_value[::1] values, label_value low, const int32_t[::1] table,
                 int32_t[::1] out, int num_threads):
    """out[i] = table[values[i] - low]: label values to their indices (table: an entry
    per value from low to the largest, as label_presence's)."""
    cdef Py_ssize_t i, n = values.shape[0], span = table.shape[0], outside = 0
    cdef size_t at
    if out.shape[0] != n:
        raise ValueError("label_lookup: out does not fit the values")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            at = <size_t>offset_of(values[i], low)
            if at >= <size_t>span:
                outside += 1
                out[i] = 0
            else:
                out[i] = table[at]
    if outside:
        raise ValueError("label_lookup: a value lies outside the table")


def label_indicator(const int32_t[::1] index, int32_t label, double[::1] out, int num_threads):
    """out = 1.0 where a voxel's label index is `label`, else 0.0."""
    cdef Py_ssize_t i, n = index.shape[0]
    if out.shape[0] != n:
        raise ValueError("label_indicator: index and out differ in size")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            out[i] = 1.0 if index[i] == label else 0.0


def label_vote(const double[::1] score, double[::1] best, int32_t[::1] win, const int32_t[::1] nearest,
               uint8_t[::1] nearest_top, int32_t label, int tiebreak, int num_threads):
    """One label's turn of batchgenerators' _resample_seg_by_argmax: label 0 starts best and
    win; a later one wins a voxel where its score is above best (tiebreak 1, 'highest': at
    or above). tiebreak 2, 'nearest': nearest_top tracks whether the nearest neighbour's
    label holds the top score (it does not count where its score is 0)."""
    cdef Py_ssize_t i, n = score.shape[0]
    cdef bint better, is_nearest
    if best.shape[0] != n or win.shape[0] != n or nearest.shape[0] != n or nearest_top.shape[0] != n:
        raise ValueError("label_vote: the arrays differ in size")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            if label == 0:
                best[i] = score[i]
                win[i] = 0
                nearest_top[i] = nearest[i] == 0 and score[i] > 0
                continue
            is_nearest = nearest[i] == label
            if tiebreak == 2 and is_nearest and score[i] == best[i] and score[i] > 0:
                nearest_top[i] = 1
            better = score[i] >= best[i] if tiebreak == 1 else score[i] > best[i]
            if better:
                nearest_top[i] = is_nearest
                win[i] = label
                best[i] = score[i]


def label_choose(int32_t[::1] win, const int32_t[::1] nearest, const uint8_t[::1] nearest_top,
                 int num_threads):
    """The winners in place: the nearest neighbour's label where it holds the top score."""
    cdef Py_ssize_t i, n = win.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            if nearest_top[i]:
                win[i] = nearest[i]


# label_linear_vote keeps a score for every label (no search, no branch per footprint
# point) up to this many labels; more are scored as met
cdef Py_ssize_t DENSE_LABELS = 64


cdef inline int32_t vote_all(double* score, Py_ssize_t n_labels, int32_t nearest,
                             int tiebreak) noexcept nogil:
    """label_vote over labels 0..n_labels - 1 in turn, then label_choose, for one voxel
    of clipped scores."""
    cdef double best = score[0]
    cdef int32_t win = 0, label
    cdef bint top = nearest == 0 and score[0] > 0, better
    for label in range(1, n_labels):
        if tiebreak == 2 and nearest == label and score[label] == best and score[label] > 0:
            top = True
        better = score[label] >= best if tiebreak == 1 else score[label] > best
        if better:
            top = nearest == label
            win = label
            best = score[label]
    return nearest if tiebreak == 2 and top else win


def label_linear_vote(const int32_t[::1] index, int32_t[::1] win, const Py_ssize_t[::1] strides,
                      const Py_ssize_t[::1] out_shape, const Py_ssize_t[::1] taps,
                      const double[::1] weights, const Py_ssize_t[::1] near,
                      const Py_ssize_t[::1] offsets, Py_ssize_t n_labels, int tiebreak,
                      int num_threads):
    """label_indicator, spline_tensor (order 1, cval 0), clip_range to [0, 1] and
    label_vote over every label, then label_choose, in one sweep: win[x] = the index of
    the winning label. Each label's score sums, in spline_tensor's footprint order, the
    products 1.0 * w_0 * w_1 * ... of the footprint points holding it (the other points
    add +0.0 there: the same bits), so only the labels in an output's footprint are
    scored (up to DENSE_LABELS labels, every label is, and votes as label_vote does); one
    of them scores above 0 (order-1 weights sum to 1), so the absent labels (score 0) never
    win or tie: tiebreak 0, 'lowest', the lowest index with the top score; 1, 'highest', the
    highest; 2, 'nearest', the nearest neighbour's label where it holds the top score, else
    the lowest. A footprint of one label gives that label (it alone scores). Tables as
    spline_tensor's (2 entries an output); near: the order-0 taps (SciPy's nearest zoom),
    one an output, at the same offsets; index holds label indices below n_labels."""
    cdef Py_ssize_t rank = out_shape.shape[0], a, f, g, inner_points = 1, n_out = 1
    if rank < 1 or strides.shape[0] != rank or offsets.shape[0] != rank or not 0 <= tiebreak <= 2:
        raise ValueError("label_linear_vote: rank, strides, offsets or tiebreak out of range")
    for a in range(rank):
        n_out *= out_shape[a]
    if win.shape[0] != n_out or n_labels < 1 or taps.shape[0] != 2 * near.shape[0] \
            or weights.shape[0] != taps.shape[0]:
        raise ValueError("label_linear_vote: win, taps, weights or near do not fit out_shape")
    for a in range(rank - 1):
        inner_points *= 2
    cdef Py_ssize_t last = out_shape[rank - 1], rows = n_out // last if last else 0
    cdef Py_ssize_t* corner = <Py_ssize_t*>malloc(max(inner_points * rank, 1) * sizeof(Py_ssize_t))
    if corner == NULL:
        raise MemoryError()
    for f in range(inner_points):     # point f's index along each axis before the last
        g = f
        for a in range(rank - 2, -1, -1):
            corner[f * rank + a] = g % 2
            g //= 2
    cdef Py_ssize_t row, r, x, c, tap, base, here, m = rank - 1, count, j, pick, near_base
    cdef int32_t first, nearest
    cdef Py_ssize_t* at
    cdef Py_ssize_t* bases
    cdef int32_t* seen
    cdef double* partial
    cdef double* score
    cdef double coeff, top
    cdef int32_t label
    cdef bint blank, uniform, dense = n_labels <= DENSE_LABELS
    cdef Py_ssize_t slots = n_labels if dense else 2 * inner_points
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for row in prange(rows, num_threads=threads_for(num_threads, n_out * inner_points * 4),
                          schedule="static"):
            # per row: the footprint's offsets and weights over the axes before the last;
            # per output: the labels met and their scores (at most 2 * inner_points)
            at = <Py_ssize_t*>malloc((rank + inner_points) * sizeof(Py_ssize_t)
                                     + (inner_points + slots) * sizeof(double)
                                     + slots * sizeof(int32_t))
            if at == NULL:
                missing += 1
                continue
            bases = at + rank
            partial = <double*>(bases + inner_points)
            score = partial + inner_points
            seen = <int32_t*>(score + slots)
            r = row
            near_base = 0
            for a in range(rank - 2, -1, -1):
                at[a] = offsets[a] + r % out_shape[a]
                r = r // out_shape[a]
                near_base = near_base + near[at[a]] * strides[a]
            for f in range(inner_points):
                base = 0
                blank = False
                coeff = 1.0          # the product's first factors, left to right as SciPy's
                for a in range(m):
                    tap = taps[at[a] * 2 + corner[f * rank + a]]
                    blank = blank or tap < 0
                    base = base + tap * strides[a]
                    coeff = coeff * weights[at[a] * 2 + corner[f * rank + a]]
                partial[f] = coeff
                bases[f] = -1 if blank else base
            for x in range(last):
                here = offsets[m] + x
                first = -1         # one label over the whole footprint: it wins, nothing to score
                uniform = True
                for f in range(inner_points):
                    for c in range(2):
                        tap = taps[here * 2 + c]
                        if bases[f] >= 0 and tap >= 0:
                            label = index[bases[f] + tap * strides[m]]
                            uniform = uniform and (first < 0 or label == first)
                            first = label if first < 0 else first
                if uniform and first >= 0:
                    win[row * last + x] = first
                    continue
                count = 0
                if dense:
                    for j in range(n_labels):
                        score[j] = 0.0
                for f in range(inner_points):
                    for c in range(2):
                        tap = taps[here * 2 + c]
                        if bases[f] < 0 or tap < 0:
                            continue          # cval: an indicator of 0 for every label
                        label = index[bases[f] + tap * strides[m]]
                        coeff = partial[f] * weights[here * 2 + c]
                        if dense:
                            score[label] = score[label] + coeff
                            continue
                        pick = count
                        for j in range(count):
                            if seen[j] == label:
                                pick = j
                                break
                        if pick == count:
                            seen[count] = label
                            score[count] = 0.0
                            count = count + 1
                        score[pick] = score[pick] + coeff
                nearest = index[near_base + near[here] * strides[m]]
                if dense:
                    for j in range(n_labels):      # np.clip to [0, 1]
                        score[j] = 0.0 if score[j] < 0.0 else (1.0 if score[j] > 1.0 else score[j])
                    win[row * last + x] = vote_all(score, n_labels, nearest, tiebreak)
                    continue
                top = 0.0
                for j in range(count):             # np.clip to [0, 1], then the top score
                    score[j] = 0.0 if score[j] < 0.0 else (1.0 if score[j] > 1.0 else score[j])
                    top = score[j] if score[j] > top else top
                pick = -1
                for j in range(count):
                    if score[j] == top and (pick < 0 or (seen[j] > pick if tiebreak == 1 else seen[j] < pick)):
                        pick = seen[j]
                    if tiebreak == 2 and score[j] == top and seen[j] == nearest:
                        pick = seen[j]
                        break
                win[row * last + x] = pick if pick >= 0 else 0
            free(at)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")
    free(corner)


def label_paint(const double[::1] score, scipy_sample[::1] out, const scipy_sample[::1] value,
                int num_threads):
    """out = value where np.round(score) > 0.5 (round half to even: score above 0.5), as
    nnU-Net paints each label after its order_z pass."""
    cdef Py_ssize_t i, n = score.shape[0]
    if out.shape[0] != n or value.shape[0] != 1:
        raise ValueError("label_paint: score and out differ in size, or value is not one sample")
    cdef scipy_sample v = value[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            if nearbyint(score[i]) > 0.5:
                out[i] = v


# resize(mode="majority"): each output the most frequent label of its area window

cdef extern from "stdlib.h" nogil:
    void qsort(void* base, size_t n, size_t size, int (*compare)(const void*, const void*))


cdef int compare_int32(const void* a, const void* b) noexcept nogil:
    cdef int32_t x = (<const int32_t*>a)[0], y = (<const int32_t*>b)[0]
    return (x > y) - (x < y)


cdef int32_t window_majority(const int32_t* index, int32_t* values, Py_ssize_t* cursor,
                             const Py_ssize_t* lo, const Py_ssize_t* hi,
                             const Py_ssize_t* strides, Py_ssize_t ndim) noexcept nogil:
    """The most frequent value of index over the box [lo, hi) (the lowest among ties):
    the box's values gathered into `values`, sorted, and their longest run taken."""
    cdef Py_ssize_t a, n = 0, offset, run = 0, best_run = 0, k
    cdef int32_t best = 0
    for a in range(ndim):
        cursor[a] = lo[a]
    while True:
        offset = 0
        for a in range(ndim):
            offset += cursor[a] * strides[a]
        values[n] = index[offset]
        n += 1
        a = ndim - 1
        while a >= 0:
            cursor[a] += 1
            if cursor[a] < hi[a]:
                break
            cursor[a] = lo[a]
            a -= 1
        if a < 0:
            break
    cdef int32_t v
    if n <= 64:                    # small windows (the common 2x2x2 and 4x4): insertion sort
        for k in range(1, n):
            v = values[k]
            a = k - 1
            while a >= 0 and values[a] > v:
                values[a + 1] = values[a]
                a -= 1
            values[a + 1] = v
    else:
        qsort(values, n, sizeof(int32_t), compare_int32)
    for k in range(n):             # sorted: the first longest run is the lowest value
        run = run + 1 if k > 0 and values[k] == values[k - 1] else 1
        if run > best_run:
            best_run = run
            best = values[k]
    return best


def label_majority(const int32_t[::1] index, int32_t[::1] win, const Py_ssize_t[::1] in_shape,
                   const Py_ssize_t[::1] out_shape, const Py_ssize_t[::1] starts,
                   const Py_ssize_t[::1] ends, int num_threads):
    """win[o] = the most frequent value of index (a C-contiguous array of in_shape) over
    output o's box, the lowest among ties; the box is the per-axis windows [starts, ends)
    of o's coordinates (the windows of axis a follow those of the axes before it, one per
    output coordinate). Exact integer counting: the same for any thread count."""
    cdef Py_ssize_t ndim = in_shape.shape[0], n_out = win.shape[0], o, a, i, rem, total = 0
    cdef Py_ssize_t most = 1, longest, n_in = 1
    if out_shape.shape[0] != ndim or ndim == 0:
        raise ValueError("label_majority: in_shape and out_shape differ in rank")
    for a in range(ndim):
        total += out_shape[a]
        n_in *= in_shape[a]
    if starts.shape[0] != total or ends.shape[0] != total or index.shape[0] != n_in:
        raise ValueError("label_majority: the windows or the index do not fit the shapes")
    rem = 1
    for a in range(ndim):
        rem *= out_shape[a]
    if rem != n_out:
        raise ValueError("label_majority: win does not fit out_shape")
    total = 0
    for a in range(ndim):          # every window inside the axis; the largest box
        longest = 0
        for i in range(out_shape[a]):
            if not 0 <= starts[total + i] < ends[total + i] <= in_shape[a]:
                raise ValueError("label_majority: a window is empty or outside its axis")
            longest = max(longest, ends[total + i] - starts[total + i])
        most *= longest
        total += out_shape[a]
    if n_out == 0:
        return
    cdef int threads = threads_for(num_threads, n_out)
    # per thread: the box's values, then lo, hi and the cursor, and the axes' strides
    cdef Py_ssize_t values_bytes = (most * sizeof(int32_t) + 7) // 8 * 8      # (aligned after)
    cdef Py_ssize_t per_thread = values_bytes + 3 * ndim * sizeof(Py_ssize_t)
    cdef char* scratch = <char*>PyMem_RawMalloc(threads * per_thread + 2 * ndim * sizeof(Py_ssize_t))
    if scratch == NULL:
        raise MemoryError("label_majority: no memory for the windows")
    cdef Py_ssize_t* strides = <Py_ssize_t*>(scratch + threads * per_thread)
    cdef Py_ssize_t* bases = strides + ndim
    cdef Py_ssize_t* box
    cdef int t
    strides[ndim - 1] = 1
    for a in range(ndim - 2, -1, -1):
        strides[a] = strides[a + 1] * in_shape[a + 1]
    bases[0] = 0
    for a in range(1, ndim):
        bases[a] = bases[a - 1] + out_shape[a - 1]
    try:
        with nogil:
            for o in prange(n_out, num_threads=threads, schedule="static"):
                t = threadid()
                box = <Py_ssize_t*>(scratch + t * per_thread + values_bytes)
                rem = o
                for a in range(ndim - 1, -1, -1):
                    i = rem % out_shape[a]
                    rem = rem // out_shape[a]
                    box[a] = starts[bases[a] + i]
                    box[ndim + a] = ends[bases[a] + i]
                win[o] = window_majority(&index[0], <int32_t*>(scratch + t * per_thread), box + 2 * ndim,
                                         box, box + ndim, strides, ndim)
    finally:
        PyMem_RawFree(scratch)
