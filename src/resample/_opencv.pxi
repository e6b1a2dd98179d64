# OpenCV's resize kernels for compat.cv2_resize (see _kernels_impl.pxi), with OpenCV's own
# arithmetic: its generic separable path here (uint8's fixed-point rows and columns, float
# rows and columns for the other types), INTER_AREA in _opencv_area.pxi, INTER_LINEAR_EXACT
# for the integer types other than uint8 in _opencv_exact.pxi.

# ----------------------------------------------------------------------------- OpenCV's resize

cdef inline uint8_t round_to_uint8(float f) noexcept nogil:
    """OpenCV's saturate_cast<uchar>(float): rounded half to even, clamped to 0..255."""
    f = nearbyintf(f)
    return <uint8_t>(0 if not f >= 0 else (255 if f > 255 else f))


ctypedef fused cv2_sample:      # the types of cv2.resize's generic path and INTER_AREA
    uint8_t
    uint16_t
    int16_t
    float
    double

ctypedef fused cv2_acc:         # what the other types sum in: float (double for double)
    float
    double


cdef inline void cv2_store(cv2_sample* dst, cv2_acc v) noexcept nogil:
    """OpenCV's saturate_cast<T>(v): integers rounded half to even (cvRound) and clamped to
    their range; float and double as they are (float from float)."""
    if cv2_sample is float or cv2_sample is double:
        dst[0] = <cv2_sample>v
    else:
        if cv2_acc is float:
            v = nearbyintf(v)
        else:
            v = nearbyint(v)
        if cv2_sample is uint8_t:
            dst[0] = <uint8_t>(0 if not v >= 0 else (255 if v > 255 else v))
        elif cv2_sample is uint16_t:
            dst[0] = <uint16_t>(0 if not v >= 0 else (65535 if v > 65535 else v))
        else:
            dst[0] = <int16_t>(-32768 if not v >= -32768 else (32767 if v > 32767 else v))


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


cdef inline void cv2_row_uint8(const uint8_t* row, Py_ssize_t channels, const Py_ssize_t* taps,
                               const int16_t* alpha, Py_ssize_t out_w, Py_ssize_t width,
                               const PairShuffle* pairs, int* out) noexcept nogil:
    """OpenCV's uint8 horizontal pass of one row, to int (x 2048). pairs (NULL: none):
    blocks of 8 samples by byte shuffles."""
    cdef Py_ssize_t x, c, j
    cdef int acc
    cdef const uint8_t* p0
    cdef const uint8_t* p1
    cdef const uint8_t* p2
    cdef const uint8_t* p3
    cdef int a0, a1
    if pairs != NULL:                   # a constant count of tap pairs, for the compiler
        if pairs.sets == 1:
            pair_blocks(row, pairs, 1, channels, taps, alpha, width, out)
        elif pairs.sets == 2:
            pair_blocks(row, pairs, 2, channels, taps, alpha, width, out)
        elif pairs.sets == 4:
            pair_blocks(row, pairs, 4, channels, taps, alpha, width, out)
        else:
            pair_blocks(row, pairs, pairs.sets, channels, taps, alpha, width, out)
        row_samples(row, channels, taps, alpha, width, 8 * pairs.blocks, out_w * channels, out)
        return
    if width == 2 and channels == 3:    # RGB, unrolled
        for x in range(out_w):
            p0 = row + taps[2 * x] * 3
            p1 = row + taps[2 * x + 1] * 3
            a0 = alpha[2 * x]
            a1 = alpha[2 * x + 1]
            out[3 * x] = p0[0] * a0 + p1[0] * a1
            out[3 * x + 1] = p0[1] * a0 + p1[1] * a1
            out[3 * x + 2] = p0[2] * a0 + p1[2] * a1
        return
    if width == 2:                      # linear: the same sums, without the tap loop
        for x in range(out_w):
            p0 = row + taps[2 * x] * channels
            p1 = row + taps[2 * x + 1] * channels
            for c in range(channels):
                out[x * channels + c] = p0[c] * <int>alpha[2 * x] + p1[c] * <int>alpha[2 * x + 1]
        return
    if width == 4:                      # cubic, taps unrolled
        for x in range(out_w):
            p0 = row + taps[4 * x] * channels
            p1 = row + taps[4 * x + 1] * channels
            p2 = row + taps[4 * x + 2] * channels
            p3 = row + taps[4 * x + 3] * channels
            for c in range(channels):
                out[x * channels + c] = (
                    p0[c] * <int>alpha[4 * x] + p1[c] * <int>alpha[4 * x + 1]
                    + p2[c] * <int>alpha[4 * x + 2] + p3[c] * <int>alpha[4 * x + 3])
        return
    for x in range(out_w):
        for c in range(channels):
            acc = 0
            for j in range(width):
                acc = acc + row[taps[x * width + j] * channels + c] * <int>alpha[x * width + j]
            out[x * channels + c] = acc


cdef inline void cv2_real_row(const cv2_sample* row, Py_ssize_t channels, const Py_ssize_t* taps,
                              const float* alpha, Py_ssize_t out_w, Py_ssize_t width,
                              cv2_acc* out) noexcept nogil:
    """OpenCV's horizontal pass of one row for the float-weighted types (HResizeLinear,
    HResizeCubic, HResizeLanczos4): each sample times its float weight in cv2_acc (float;
    double for double images), summed left to right."""
    cdef Py_ssize_t x, c, j
    cdef cv2_acc acc
    cdef const cv2_sample* p0
    cdef const cv2_sample* p1
    cdef const cv2_sample* p2
    cdef const cv2_sample* p3
    if width == 2:
        for x in range(out_w):
            p0 = row + taps[2 * x] * channels
            p1 = row + taps[2 * x + 1] * channels
            for c in range(channels):
                out[x * channels + c] = (<cv2_acc>p0[c] * <cv2_acc>alpha[2 * x]
                                         + <cv2_acc>p1[c] * <cv2_acc>alpha[2 * x + 1])
        return
    if width == 4:
        for x in range(out_w):
            p0 = row + taps[4 * x] * channels
            p1 = row + taps[4 * x + 1] * channels
            p2 = row + taps[4 * x + 2] * channels
            p3 = row + taps[4 * x + 3] * channels
            for c in range(channels):
                out[x * channels + c] = (
                    ((<cv2_acc>p0[c] * <cv2_acc>alpha[4 * x] + <cv2_acc>p1[c] * <cv2_acc>alpha[4 * x + 1])
                     + <cv2_acc>p2[c] * <cv2_acc>alpha[4 * x + 2]) + <cv2_acc>p3[c] * <cv2_acc>alpha[4 * x + 3])
        return
    for x in range(out_w):
        for c in range(channels):
            acc = <cv2_acc>row[taps[x * width] * channels + c] * <cv2_acc>alpha[x * width]
            for j in range(1, width):
                acc = acc + <cv2_acc>row[taps[x * width + j] * channels + c] * <cv2_acc>alpha[x * width + j]
            out[x * channels + c] = acc


cdef inline void cv2_row(const cv2_sample* row, Py_ssize_t channels, const Py_ssize_t* taps,
                         const void* alpha, Py_ssize_t out_w, Py_ssize_t width,
                         const PairShuffle* pairs, void* out) noexcept nogil:
    """OpenCV's horizontal pass of one row: uint8 to int (x 2048) with int16 weights, the
    other types with float weights to float (double for double)."""
    if cv2_sample is uint8_t:
        cv2_row_uint8(row, channels, taps, <const int16_t*>alpha, out_w, width, pairs, <int*>out)
    elif cv2_sample is double:
        cv2_real_row(row, channels, taps, <const float*>alpha, out_w, width, <double*>out)
    else:
        cv2_real_row(row, channels, taps, <const float*>alpha, out_w, width, <float*>out)


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


cdef inline void cv2_real_column(cv2_sample* dst, cv2_acc** rows, const float* beta,
                                 Py_ssize_t width, Py_ssize_t n, Py_ssize_t backward) noexcept nogil:
    """The float-weighted types' vertical pass (VResizeLinear, VResizeCubic, VResizeLanczos4)
    in cv2_acc, then cv2_store: linear S0*b0 + S1*b1; wider kernels right to left on the
    first `backward` samples (OpenCV's vector loops), left to right after (its scalar one)."""
    cdef Py_ssize_t x, k
    cdef cv2_acc f, b0 = beta[0], b1 = beta[1]
    if width == 2:
        for x in range(n):
            cv2_store(dst + x, rows[0][x] * b0 + rows[1][x] * b1)
        return
    for x in range(backward):
        f = rows[width - 1][x] * <cv2_acc>beta[width - 1]
        for k in range(width - 2, -1, -1):
            f = rows[k][x] * <cv2_acc>beta[k] + f
        cv2_store(dst + x, f)
    for x in range(backward, n):
        f = rows[0][x] * <cv2_acc>beta[0]
        for k in range(1, width):
            f = f + rows[k][x] * <cv2_acc>beta[k]
        cv2_store(dst + x, f)


cdef inline void cv2_column(cv2_sample* dst, void** rows, const void* weights,
                            Py_ssize_t width, Py_ssize_t n, bint exact) noexcept nogil:
    """OpenCV's vertical pass into one output row of n samples, per type and kernel width:
    uint8 linear ((b0*(S0>>4))>>16) + ((b1*(S1>>4))>>16) + 2) >> 2; uint8 cubic in float
    (right to left, half-even) on whole blocks of 8 and (sum + 2^21) >> 22 after; uint8
    lanczos (sum + 2^21) >> 22 (int16 weights). The others in float (double for double)
    with float weights, cv2_real_column, right to left where OpenCV's vector loops run:
    float32 cubic and lanczos on whole blocks of 4; uint16 cubic and int16 cubic and
    lanczos on whole blocks of 8 (uint16 lanczos's SSE4.1 loop sums left to right); none
    for double. exact: uint8's INTER_LINEAR_EXACT, (S0*b0 + S1*b1 + 2^15) >> 16 (8-bit
    weights on 8-bit fixed-point rows)."""
    cdef Py_ssize_t x, k, blocks
    cdef unsigned int sum_u
    cdef float scale = <float>1 / <float>(2048 * 2048)
    cdef float bf[8]
    cdef const int16_t* beta = <const int16_t*>weights
    if cv2_sample is uint8_t:
        if exact:
            for x in range(n):
                dst[x] = shift_and_clamp((<int*>rows[0])[x] * <int>beta[0]
                                         + (<int*>rows[1])[x] * <int>beta[1] + 32768, 16)
        elif width == 2:
            cv2_linear_uint8(dst, <int*>rows[0], <int*>rows[1], <int>beta[0], <int>beta[1], n)
        elif width == 8:
            cv2_lanczos_uint8(dst, rows, beta, n)
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
    elif cv2_sample is double:
        cv2_real_column(dst, <double**>rows, <const float*>weights, width, n, 0)
    else:
        if cv2_sample is float:
            blocks = n // 4 * 4
        elif cv2_sample is uint16_t:
            blocks = n // 8 * 8 if width == 4 else 0
        else:
            blocks = n // 8 * 8
        cv2_real_column(dst, <float**>rows, <const float*>weights, width, n, blocks)


cdef int cv2_rows_task(const cv2_sample* src, cv2_sample* dst, Py_ssize_t row_in,
                       Py_ssize_t channels, const Py_ssize_t* taps_x, const void* alpha,
                       Py_ssize_t out_w, Py_ssize_t width, const Py_ssize_t* taps_y,
                       const void* beta, Py_ssize_t y0, Py_ssize_t y1,
                       bint exact, const PairShuffle* pairs) noexcept nogil:
    """Output rows y0..y1 of cv2_separable; -1 when the row buffers cannot be allocated."""
    cdef Py_ssize_t n = out_w * channels, y, k, slot, free_slot = 0
    cdef Py_ssize_t sample_bytes = (sizeof(int) if cv2_sample is uint8_t else
                                    (sizeof(double) if cv2_sample is double else sizeof(float)))
    cdef Py_ssize_t weight_bytes = sizeof(int16_t) if cv2_sample is uint8_t else sizeof(float)
    cdef char* memory = <char*>PyMem_RawMalloc(width * n * sample_bytes + 1)
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
        cv2_column(dst + y * n, rows, <const char*>beta + y * width * weight_bytes, width, n, exact)
    PyMem_RawFree(memory)
    return 0


def cv2_separable(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_h,
                  Py_ssize_t in_w, Py_ssize_t channels, const Py_ssize_t[:, ::1] taps_x,
                  alpha, const Py_ssize_t[:, ::1] taps_y, beta, bint exact, int num_threads):
    """cv2.resize's generic path (INTER_LINEAR, INTER_CUBIC, INTER_LANCZOS4, enlarging
    INTER_AREA) on an (in_h, in_w, channels) image: each output row from the horizontal
    passes of the source rows its taps name (kept while the next rows read them too, as
    OpenCV's row buffer does), then cv2_column. alpha, beta: the weights, int16 (11-bit
    fixed point) for uint8, float32 for the other types. Rows are independent, so the
    split into tasks does not change a bit. exact: INTER_LINEAR_EXACT's vertical pass
    (uint8, 8-bit weights)."""
    cdef Py_ssize_t out_h = taps_y.shape[0], out_w = taps_x.shape[0], width = taps_x.shape[1]
    cdef Py_ssize_t n = out_w * channels
    cdef int threads = threads_for(num_threads, out_h * n * width * 2)
    cdef Py_ssize_t tasks = min(out_h, threads * TASKS_PER_THREAD)
    cdef Py_ssize_t task
    cdef Py_ssize_t missing = 0     # tasks left undone for want of memory (a reduction)
    cdef PairTable table = None
    cdef const PairShuffle* pairs = NULL
    cdef const int16_t[:, ::1] fixed_x
    cdef const int16_t[:, ::1] fixed_y
    cdef const float[:, ::1] real_x
    cdef const float[:, ::1] real_y
    cdef const void* a
    cdef const void* b
    if out_h == 0 or n == 0:
        return
    if cv2_sample is uint8_t:
        fixed_x, fixed_y = alpha, beta
        if fixed_x.shape[0] != out_w or fixed_y.shape[0] != out_h or fixed_x.shape[1] != width \
                or fixed_y.shape[1] != taps_y.shape[1]:
            raise ValueError("the weights do not match the taps")
        a, b = &fixed_x[0, 0], &fixed_y[0, 0]
        if width == 2 or width == 4 or width == 8:
            table = pair_table(taps_x, fixed_x, channels, in_w * channels)
            pairs = &table.view if table is not None else NULL
    else:
        real_x, real_y = alpha, beta
        if real_x.shape[0] != out_w or real_y.shape[0] != out_h or real_x.shape[1] != width \
                or real_y.shape[1] != taps_y.shape[1]:
            raise ValueError("the weights do not match the taps")
        a, b = &real_x[0, 0], &real_y[0, 0]
    with nogil:
        for task in prange(tasks, num_threads=threads, schedule="dynamic"):
            if cv2_rows_task(&src[0], &dst[0], in_w * channels, channels, &taps_x[0, 0], a,
                             out_w, width, &taps_y[0, 0], b, task * out_h // tasks,
                             (task + 1) * out_h // tasks, exact, pairs) < 0:
                missing += 1
    if missing:
        raise MemoryError("no memory for the row buffers")
