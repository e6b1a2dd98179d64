# OpenCV's INTER_AREA for compat.cv2_resize (see _kernels_impl.pxi and _opencv.pxi, whose
# cv2_sample, cv2_acc and cv2_store these share): resizeAreaFast_ for whole-number scales,
# resizeArea_ for the others, each type in OpenCV's own working type (int for uint8, float
# for uint16, int16 and float32, double for float64).

cdef inline void cv2_average_2x2(const uint8_t* top, Py_ssize_t row_in, uint8_t* out,
                                 Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """uint8 (a + b + c + d + 2) >> 2 over whole 2x2 blocks of a row pair (OpenCV's fast
    case)."""
    cdef const uint8_t* bottom = top + row_in
    cdef Py_ssize_t x, c, i
    for x in range(average_2x2_uint8(top, bottom, out, pixels, channels), pixels):
        for c in range(channels):
            i = 2 * x * channels + c
            out[x * channels + c] = <uint8_t>((top[i] + top[i + channels] + bottom[i]
                                               + bottom[i + channels] + 2) >> 2)


cdef inline void cv2_average_2x2_16(const cv2_sample* top, Py_ssize_t row_in, cv2_sample* out,
                                    Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """uint16 and int16 (a + b + c + d + 2) >> 2 in int over whole 2x2 blocks of a row pair
    (ResizeAreaFastVec; an arithmetic shift, so int16 rounds half up)."""
    cdef const cv2_sample* bottom = top + row_in
    cdef Py_ssize_t x, c, i
    for x in range(pixels):
        for c in range(channels):
            i = 2 * x * channels + c
            out[x * channels + c] = <cv2_sample>((<int>top[i] + <int>top[i + channels] + <int>bottom[i]
                                                  + <int>bottom[i + channels] + 2) >> 2)


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


cdef inline double cv2_block_sum(const cv2_sample* block, Py_ssize_t row_in, Py_ssize_t channels,
                                 int sx, int area) noexcept nogil:
    """resizeAreaFast_'s sum of a whole block in OpenCV's working type, exact as a double:
    from 0, groups of 4 in row-major order (each group summed on its own: in int for the
    integer types), then the rest one by one; uint8 sums in int, uint16, int16 and float32
    in float, float64 in double."""
    cdef float total = 0
    cdef double wide = 0
    cdef int whole = 0
    cdef cv2_sample p[4]
    cdef int k = 0, i
    while k <= area - 4:
        for i in range(4):
            p[i] = block[((k + i) // sx) * row_in + ((k + i) % sx) * channels]
        if cv2_sample is uint8_t:
            whole = whole + (((<int>p[0] + p[1]) + p[2]) + p[3])
        elif cv2_sample is double:
            wide = wide + (((p[0] + p[1]) + p[2]) + p[3])
        elif cv2_sample is float:
            total = total + (((p[0] + p[1]) + p[2]) + p[3])
        else:
            total = total + <float>(((<int>p[0] + <int>p[1]) + <int>p[2]) + <int>p[3])
        k = k + 4
    while k < area:
        p[0] = block[(k // sx) * row_in + (k % sx) * channels]
        if cv2_sample is uint8_t:
            whole = whole + p[0]
        elif cv2_sample is double:
            wide = wide + p[0]
        else:
            total = total + <float>p[0]
        k = k + 1
    if cv2_sample is uint8_t:
        return whole
    elif cv2_sample is double:
        return wide
    else:
        return total


cdef inline void cv2_area_fast_row(const cv2_sample* top, Py_ssize_t row_in, cv2_sample* out,
                                   Py_ssize_t first, Py_ssize_t out_w, Py_ssize_t full_w,
                                   Py_ssize_t vector_w, Py_ssize_t channels, Py_ssize_t rows,
                                   Py_ssize_t in_w, int sx, int sy, bint integer_pairs) noexcept nogil:
    """Output pixels first..out_w of one resizeAreaFast_ row whose blocks start at `top`
    (rows of them inside the image): whole blocks as the 2x2 rules say or their sum times
    the float 1/area (double for float64), blocks cut by the edge their sum divided by their
    count in float (for float64 too: OpenCV's (float)sum/count)."""
    cdef Py_ssize_t x, c, i, j, cols
    cdef int area = sx * sy, count, isum
    cdef float scale = <float>1 / <float>area, fsum
    cdef double dsum
    cdef const cv2_sample* block
    cdef cv2_sample* d
    for x in range(first, out_w):
        cols = sx if x < full_w else in_w - x * sx
        for c in range(channels):
            block = top + x * sx * channels + c
            d = out + x * channels + c
            if rows == sy and cols == sx:
                if cv2_sample is float:
                    if sx == 2 and sy == 2 and ((channels == 1 and x < vector_w) or channels == 4):
                        d[0] = ((block[0] + block[channels]) + (block[row_in] + block[row_in + channels])) * <float>0.25
                    else:
                        d[0] = <float>cv2_block_sum(block, row_in, channels, sx, area) * scale
                elif cv2_sample is double:
                    d[0] = cv2_block_sum(block, row_in, channels, sx, area) * <double>scale
                elif integer_pairs:
                    d[0] = <cv2_sample>((<int>block[0] + <int>block[channels] + <int>block[row_in]
                                         + <int>block[row_in + channels] + 2) >> 2)
                else:
                    cv2_store(d, <float>cv2_block_sum(block, row_in, channels, sx, area) * scale)
            else:
                count = <int>(rows * cols)
                if cv2_sample is uint8_t:
                    isum = 0
                    for i in range(rows):
                        for j in range(cols):
                            isum = isum + block[i * row_in + j * channels]
                    d[0] = round_to_uint8(<float>isum / <float>count)
                elif cv2_sample is double:
                    dsum = 0
                    for i in range(rows):
                        for j in range(cols):
                            dsum = dsum + block[i * row_in + j * channels]
                    d[0] = <float>dsum / <float>count
                else:
                    fsum = 0
                    for i in range(rows):
                        for j in range(cols):
                            fsum = fsum + <float>block[i * row_in + j * channels]
                    cv2_store(d, fsum / <float>count)


def cv2_area_fast(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_h,
                  Py_ssize_t in_w, Py_ssize_t channels, Py_ssize_t out_h, Py_ssize_t out_w,
                  int sx, int sy, int num_threads):
    """cv2.resize's INTER_AREA for whole-number scales (resizeAreaFast_): block means of
    sx x sy pixels. uint8, uint16 and int16: (a+b+c+d+2) >> 2 in int for 2x2 with 1, 3 or 4
    channels, otherwise the block's sum (int for uint8, float for the 16-bit types) times the
    float 1/area rounded half to even; float32 2x2 ((a+b)+(c+d))*0.25 where OpenCV
    vectorises (1 channel: the first whole blocks of 4 outputs; 4 channels: all), otherwise
    sums of 4 in row-major order times 1/area; float64 the same sums in double (no 2x2 case).
    Blocks cut by the edge: their sum divided by their count in float."""
    cdef Py_ssize_t row_in = in_w * channels, n = out_w * channels
    cdef Py_ssize_t full_w = in_w // sx, vector_w = full_w // 4 * 4
    cdef bint pairs = sx == 2 and sy == 2
    cdef bint integer_pairs = pairs and (channels == 1 or channels == 3 or channels == 4)
    cdef Py_ssize_t y, rows, first
    if out_h == 0 or n == 0:
        return
    if src.shape[0] < in_h * row_in or dst.shape[0] < out_h * n or (out_w - 1) * sx >= in_w \
            or (out_h - 1) * sy >= in_h:
        raise ValueError("the sizes do not match the arrays")
    with nogil:
        for y in prange(out_h, num_threads=threads_for(num_threads, in_h * row_in), schedule="static"):
            rows = sy if (y + 1) * sy <= in_h else in_h - y * sy
            first = 0
            if cv2_sample is uint8_t:
                if rows == 2 and integer_pairs:
                    cv2_average_2x2(&src[y * 2 * row_in], row_in, &dst[y * n], full_w, channels)
                    first = full_w
            elif cv2_sample is float:
                if rows == 2 and pairs:
                    cv2_mean_2x2(&src[y * 2 * row_in], row_in, &dst[y * n], full_w, channels,
                                 vector_w if channels == 1 else (full_w if channels == 4 else 0))
                    first = full_w
            elif cv2_sample is uint16_t or cv2_sample is int16_t:
                if rows == 2 and integer_pairs:
                    cv2_average_2x2_16(&src[y * 2 * row_in], row_in, &dst[y * n], full_w, channels)
                    first = full_w
            cv2_area_fast_row(&src[y * sy * row_in], row_in, &dst[y * n], first, out_w, full_w,
                              vector_w, channels, rows, in_w, sx, sy, integer_pairs)


cdef inline void cv2_area_rows(const cv2_sample* src, cv2_sample* dst, Py_ssize_t row_in,
                               Py_ssize_t channels, Py_ssize_t n, const Py_ssize_t* x_out,
                               const Py_ssize_t* x_in, const float* x_weight, Py_ssize_t entries,
                               Py_ssize_t e0, Py_ssize_t e1, const Py_ssize_t* y_in,
                               const float* y_weight, cv2_acc* buf) noexcept nogil:
    """One output row of resizeArea_ in cv2_acc (buf: 2n of them): for each y entry, the
    x-table weighted sum of its input row (in table order, from 0), times the entry's
    weight, added up; then cv2_store."""
    cdef cv2_acc* total = buf + n
    cdef Py_ssize_t e, t, c, i, o
    cdef cv2_acc w
    cdef const cv2_sample* row
    for e in range(e0, e1):
        for i in range(n):
            buf[i] = 0
        row = src + y_in[e] * row_in
        for t in range(entries):
            w = x_weight[t]
            o = x_out[t] * channels
            for c in range(channels):
                buf[o + c] = buf[o + c] + <cv2_acc>row[x_in[t] * channels + c] * w
        w = y_weight[e]
        for i in range(n):
            total[i] = buf[i] * w if e == e0 else total[i] + buf[i] * w
    for i in range(n):
        cv2_store(dst + i, total[i])


def cv2_area(const cv2_sample[::1] src, cv2_sample[::1] dst, Py_ssize_t in_w, Py_ssize_t channels,
             Py_ssize_t out_w, const Py_ssize_t[::1] x_out, const Py_ssize_t[::1] x_in,
             const float[::1] x_weight, const Py_ssize_t[::1] y_first, const Py_ssize_t[::1] y_in,
             const float[::1] y_weight, int num_threads):
    """cv2.resize's general INTER_AREA (resizeArea_): output row d sums, over its y table
    entries y_first[d] <= e < y_first[d + 1] in order, y_weight[e] times the x-table
    weighted sum (in table order, from 0) of input row y_in[e], in float32 (float64 for
    float64); the integer types are rounded half to even and clamped."""
    cdef Py_ssize_t out_h = y_first.shape[0] - 1, n = out_w * channels, row_in = in_w * channels
    cdef Py_ssize_t y, entries = x_out.shape[0]
    cdef Py_ssize_t acc_bytes = sizeof(double) if cv2_sample is double else sizeof(float)
    cdef void* buf
    cdef Py_ssize_t missing = 0     # rows left undone for want of memory (a reduction)
    if out_h <= 0 or n == 0:
        return
    with nogil:
        for y in prange(out_h, num_threads=threads_for(num_threads, out_h * n * 4), schedule="static"):
            buf = PyMem_RawMalloc(2 * n * acc_bytes + 8)
            if buf == NULL:
                missing += 1
                continue
            if cv2_sample is double:
                cv2_area_rows(&src[0], &dst[y * n], row_in, channels, n, &x_out[0], &x_in[0],
                              &x_weight[0], entries, y_first[y], y_first[y + 1], &y_in[0],
                              &y_weight[0], <double*>buf)
            else:
                cv2_area_rows(&src[0], &dst[y * n], row_in, channels, n, &x_out[0], &x_in[0],
                              &x_weight[0], entries, y_first[y], y_first[y + 1], &y_in[0],
                              &y_weight[0], <float*>buf)
            PyMem_RawFree(buf)
    if missing:
        raise MemoryError("no memory for the row buffers")
