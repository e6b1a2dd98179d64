# The last two B-spline passes of a volume fused plane by plane (part of _spline.pxi's
# family, included after it): the two innermost axes of every plane resampled in
# per-thread buffers that stay in the cache and stored straight into the output type, so
# neither the second-to-last float64 array nor its pages exist. Every line goes through
# the same load_line_block, filter_lines and combine_line_block as spline_axis, so the
# bits are those of the two passes and the store one after another.


cdef void plane_lines(const double* src, double* dst, Py_ssize_t lines, Py_ssize_t n,
                      Py_ssize_t pad, bint edge, double fill, const Py_ssize_t* taps,
                      const double* weights, Py_ssize_t n_out, Py_ssize_t k, int order, int init,
                      bint filtering, double* scratch) noexcept nogil:
    """spline_axis's inner == 1 case on one thread: `lines` contiguous lines of n samples
    (src) resampled into lines of n_out (dst). scratch: (2 + n + 2 pad + n_out) *
    SPLINE_LINES doubles."""
    cdef Py_ssize_t n_pad = n + 2 * pad, width = SPLINE_LINES, o, w, j, r
    cdef double* values = scratch + (2 + n_pad) * width
    cdef double gain = spline_gain(order) if filtering else 1.0
    o = 0
    while o < lines:
        w = min(width, lines - o)
        for j in range(w):
            load_line_block(src + (o + j) * n, scratch + 2 * width + j, n, pad, 1, 1, width, edge, fill,
                            gain)
        if filtering:
            filter_lines(scratch + 2 * width, n_pad, width, w, order, init, scratch, scratch + width, True)
        combine_line_block(scratch + 2 * width, values, width, w, width, taps, weights, n_out, k)
        for j in range(w):
            for r in range(n_out):
                dst[(o + j) * n_out + r] = values[r * width + j]
        o += width


cdef inline void plane_row_put(scipy_sample* d, const double* values, Py_ssize_t w,
                               const uint8_t* col_out, bint row_outside, double cval,
                               bint plain_cast) noexcept nogil:
    """w outputs of a row stored by scipy_put: cval where the row or the column lies
    outside the input, else 0.0 + the value."""
    cdef Py_ssize_t j
    if row_outside:
        for j in range(w):
            scipy_put(d + j, cval, plain_cast)
        return
    for j in range(w):
        scipy_put(d + j, cval if col_out[j] else 0.0 + values[j], plain_cast)


def spline_plane_store(const double[::1] src, scipy_sample[::1] dst, Py_ssize_t outer,
                       Py_ssize_t n_rows, Py_ssize_t n_cols, Py_ssize_t pad, bint edge, double fill,
                       const Py_ssize_t[:, ::1] col_taps, const double[:, ::1] col_weights,
                       const Py_ssize_t[:, ::1] row_taps, const double[:, ::1] row_weights,
                       int order, int init, bint prefilter, const uint8_t[::1] outer_out,
                       const uint8_t[::1] row_out, const uint8_t[::1] col_out, double cval,
                       bint plain_cast, int num_threads):
    """The last two passes of a spline resize and its store, plane by plane: src seen as
    (outer, n_rows, n_cols) float64, every plane's rows (the last axis) resampled by
    col_taps/col_weights, then its columns by row_taps/row_weights (spline_axis with
    inner > 1), each value stored into dst, (outer, len(row_taps), len(col_taps)), as
    spline_axis_store stores it (cval where outer_out, row_out or col_out marks the
    output). The same bits as spline_axis along the last axis, then spline_axis_store
    along the one before."""
    cdef Py_ssize_t m_cols = col_taps.shape[0], kc = col_taps.shape[1]
    cdef Py_ssize_t m_rows = row_taps.shape[0], kr = row_taps.shape[1]
    cdef Py_ssize_t rows_pad = n_rows + 2 * pad, cols_pad = n_cols + 2 * pad
    if src.shape[0] != outer * n_rows * n_cols or dst.shape[0] != outer * m_rows * m_cols \
            or col_weights.shape[0] != m_cols or col_weights.shape[1] != kc or kc < 1 \
            or row_weights.shape[0] != m_rows or row_weights.shape[1] != kr or kr < 1 \
            or outer_out.shape[0] != outer or row_out.shape[0] != m_rows or col_out.shape[0] != m_cols:
        raise ValueError("spline_plane_store: src, dst, taps, weights and the outside marks disagree")
    if (m_cols and (np.asarray(col_taps).min() < 0 or np.asarray(col_taps).max() >= cols_pad)) \
            or (m_rows and (np.asarray(row_taps).min() < 0 or np.asarray(row_taps).max() >= rows_pad)):
        raise ValueError("spline_plane_store: a tap lies outside the padded line")
    if prefilter and (not 2 <= order <= 5 or not 0 <= init <= INIT_REFLECT_117):
        raise ValueError(f"spline_plane_store: order must be 2..5 and init 0..3, got {order}, {init}")
    if dst.shape[0] == 0:
        return
    # the column pass: blocks of columns as spline_axis cuts them for (1, rows_pad, m_cols)
    cdef LineBlocks b = line_blocks(1, rows_pad, m_cols)
    cdef Py_ssize_t width = b.width, block, j0, w, r, j, o
    cdef Py_ssize_t line_scratch = (2 + cols_pad + m_cols) * SPLINE_LINES
    cdef Py_ssize_t block_scratch = (2 + rows_pad + m_rows) * width
    cdef double* mid
    cdef double row_gain = spline_gain(order) if prefilter and rows_pad > 1 else 1.0
    cdef double* scratch
    cdef double* values
    cdef const double* source = &src[0]
    cdef scipy_sample* target = &dst[0]
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for o in prange(outer, num_threads=threads_for(num_threads, outer * (n_rows * (cols_pad * 8 + m_cols * kc)
                                                                              + m_cols * (rows_pad * 8 + m_rows * kr))),
                        schedule="static"):
            # the plane with its rows resampled, then one block's scratch
            mid = <double*>malloc((n_rows * m_cols + max(line_scratch, block_scratch)) * sizeof(double))
            if mid == NULL:
                missing += 1
                continue
            scratch = mid + n_rows * m_cols
            plane_lines(source + o * n_rows * n_cols, mid, n_rows, n_cols, pad, edge, fill,
                        &col_taps[0, 0], &col_weights[0, 0], m_cols, kc, order, init,
                        prefilter and cols_pad > 1, scratch)
            values = scratch + (2 + rows_pad) * width
            for block in range(b.blocks):
                j0 = block * width
                w = min(width, m_cols - j0)
                load_line_block(mid + j0, scratch + 2 * width, n_rows, pad, m_cols, w, width, edge, fill,
                                row_gain)
                if prefilter and rows_pad > 1:
                    filter_lines(scratch + 2 * width, rows_pad, width, w, order, init, scratch,
                                 scratch + width, True)
                combine_line_block(scratch + 2 * width, values, width, w, width, &row_taps[0, 0],
                                   &row_weights[0, 0], m_rows, kr)
                for r in range(m_rows):
                    plane_row_put(target + (o * m_rows + r) * m_cols + j0, values + r * width, w,
                                  &col_out[j0], outer_out[o] or row_out[r], cval, plain_cast)
            free(mid)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")
