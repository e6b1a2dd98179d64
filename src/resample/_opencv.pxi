# OpenCV's resize kernels for compat.cv2_resize (see _kernels_impl.pxi), with OpenCV's own
# arithmetic: its fixed-point rows and columns, and INTER_AREA.

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
        cv2_column(dst + y * n, rows, beta + y * width, width, n, exact)
    PyMem_RawFree(memory)
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
            buf = <float*>PyMem_RawMalloc(2 * n * sizeof(float) + 4)
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
            PyMem_RawFree(buf)
    if failed:
        raise MemoryError("no memory for the row buffers")
