# scikit-image's pieces around the spline kernels (part of _spline.pxi's family, included
# after it; see _kernels_impl.pxi):
#   smooth_lines, correlate_symmetric  SciPy's correlate1d with a symmetric kernel
#                      (gaussian_filter), on a block of lines or a whole axis
#   unit_float, clip_range  scikit-image's img_as_float of integers, and np.clip
# Plain loops only: the portable and the AVX2 builds give the same bits.


cdef void smooth_lines(const scipy_sample* src, scipy_sample* dst, Py_ssize_t n, Py_ssize_t stride,
                       Py_ssize_t w, const double* fw, Py_ssize_t r, const Py_ssize_t* index,
                       double cval, double* ext) noexcept nogil:
    """w lines of src (line j: src[j], src[stride + j], ...; n samples) correlated as
    correlate_symmetric correlates them, stored in src's (float) type into dst (line j:
    dst[j], dst[w + j], ...). ext: (n + 2r) * w + max(n, w) doubles of scratch."""
    cdef Py_ssize_t i, j, m, k, n_ext = n + 2 * r
    cdef double* acc = ext + n_ext * w
    for i in range(n_ext):
        k = index[i]
        for j in range(w):
            ext[i * w + j] = cval if k < 0 else <double>src[k * stride + j]
    if w == 1:            # one line: its outputs side by side
        for i in range(n):
            acc[i] = ext[i + r] * fw[r]
        for m in range(r):
            for i in range(n):
                acc[i] = acc[i] + (ext[i + m] + ext[i + 2 * r - m]) * fw[m]
        for i in range(n):
            dst[i] = <scipy_sample>acc[i]
        return
    for i in range(n):
        for j in range(w):
            acc[j] = ext[(i + r) * w + j] * fw[r]
        for m in range(r):
            for j in range(w):
                acc[j] = acc[j] + (ext[(i + m) * w + j] + ext[(i + 2 * r - m) * w + j]) * fw[m]
        for j in range(w):
            dst[i * w + j] = <scipy_sample>acc[j]


ctypedef fused filter_sample:
    float
    double


cdef inline void extend_line(const filter_sample* src, double* dst, Py_ssize_t n) noexcept nogil:
    """dst[i] = float64(src[i]) for i < n: a line's own samples in its extended copy."""
    cdef Py_ssize_t i
    for i in range(n):
        dst[i] = <double>src[i]


cdef void symmetric_sums(const double* s, double* out, Py_ssize_t count, Py_ssize_t stride,
                         const double* fw, Py_ssize_t r) noexcept nogil:
    """out[e] = s[e + r stride] * fw[r] + (s[e] + s[e + 2r stride]) * fw[0] + ... +
    (s[e + (r - 1) stride] + s[e + (r + 1) stride]) * fw[r - 1], left to right, for e <
    count: one output row of correlate_symmetric. Radii 1 and 2 (scikit-image's sigma
    for shrinks up to 2x) sum in one expression each; the same bits as the general loop."""
    cdef Py_ssize_t e, m
    cdef double w0 = fw[0], w1 = fw[1] if r >= 1 else 0.0, w2 = fw[2] if r >= 2 else 0.0
    cdef const double* a0 = s
    cdef const double* a1 = s + stride
    cdef const double* a2 = s + 2 * stride
    cdef const double* a3 = s + 3 * stride
    cdef const double* a4 = s + 4 * stride
    if r == 1:
        for e in range(count):
            out[e] = a1[e] * w1 + (a0[e] + a2[e]) * w0
        return
    if r == 2:
        for e in range(count):
            out[e] = a2[e] * w2 + (a0[e] + a4[e]) * w0 + (a1[e] + a3[e]) * w1
        return
    for e in range(count):
        out[e] = s[e + r * stride] * fw[r]
    for m in range(r):
        for e in range(count):
            out[e] = out[e] + (s[e + m * stride] + s[e + (2 * r - m) * stride]) * fw[m]


def correlate_symmetric(const filter_sample[::1] src, filter_sample[::1] dst, Py_ssize_t outer,
                        Py_ssize_t n, Py_ssize_t inner, const double[::1] fw,
                        const Py_ssize_t[::1] index, double cval, int num_threads):
    """SciPy's NI_Correlate1D for a symmetric kernel fw (2r + 1 weights) along axis 1 of
    (outer, n, inner): each line read as float64 and extended by r samples either side
    (index: the n + 2r source samples of the extended line, -1 for cval; _plans'
    filter_extension), then out[l] = x[l] * fw[r] + (x[l - r] + x[l + r]) * fw[0] + ...
    + (x[l - 1] + x[l + 1]) * fw[r - 1], in that order, stored in the array's type. dst
    may be src (in place): every block of lines is read whole before its sums are stored,
    and the blocks are disjoint."""
    cdef Py_ssize_t r = fw.shape[0] // 2, n_ext = n + 2 * r
    if fw.shape[0] % 2 == 0 or index.shape[0] != n_ext or src.shape[0] != outer * n * inner \
            or dst.shape[0] != src.shape[0]:
        raise ValueError("correlate_symmetric: fw, index, src and dst disagree")
    if src.shape[0] == 0:
        return
    cdef LineBlocks b = line_blocks(outer, n_ext, inner)
    cdef Py_ssize_t width = b.width
    cdef Py_ssize_t unit, o, j0, w, i, j, m, line
    # whether the extension leaves the line's own samples in place (every boundary does)
    cdef bint interior = bool(np.array_equal(np.asarray(index)[r:r + n], np.arange(n)))
    cdef Block at
    cdef double* s
    cdef double* row
    cdef const filter_sample* source = &src[0]
    cdef filter_sample* target = &dst[0]
    cdef Py_ssize_t missing = 0     # blocks left undone for want of memory
    with nogil:
        for unit in prange(b.units, num_threads=threads_for(num_threads, src.shape[0] * (r + 1)),
                           schedule="static"):
            s = <double*>malloc((n_ext + 1) * width * sizeof(double))
            if s == NULL:
                missing += 1
                continue
            at = block_of(b, unit, outer, inner)
            o = at.o
            j0 = at.j0
            w = at.w
            if inner == 1:      # w lines one by one along memory, the outputs' sums side by side
                for j in range(w):
                    row = s + n_ext
                    for i in range(n_ext):
                        if interior and i == r:       # the line itself, widened as it is
                            extend_line(source + (o + j) * n, s + r, n)
                            continue
                        if interior and r < i < n + r:
                            continue
                        line = index[i]
                        s[i] = cval if line < 0 else <double>source[(o + j) * n + line]
                    symmetric_sums(s, row, n, 1, &fw[0], r)
                    for i in range(n):
                        target[(o + j) * n + i] = <filter_sample>row[i]
                free(s)
                continue
            for i in range(n_ext):          # the extended lines, a row per sample
                line = index[i]
                if line < 0:
                    for j in range(w):
                        s[i * width + j] = cval
                else:
                    for j in range(w):
                        s[i * width + j] = <double>source[(o * n + line) * inner + j0 + j]
            row = s + n_ext * width
            for i in range(n):
                symmetric_sums(s + i * width, row, w, width, &fw[0], r)
                for j in range(w):
                    target[(o * n + i) * inner + j0 + j] = <filter_sample>row[j]
            free(s)
    if missing:
        raise MemoryError("no memory for the per-thread buffers")


ctypedef fused integer_sample:
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    int8_t
    int16_t
    int32_t
    int64_t


def unit_float(const integer_sample[::1] src, double[::1] dst, double scale, bint signed,
               int num_threads):
    """scikit-image's img_as_float of integers: float64(x) * scale (1 / the type's max),
    and no less than -1.0 for signed types (np.maximum)."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef double v
    if dst.shape[0] != n:
        raise ValueError("unit_float: src and dst differ in size")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = <double>src[i] * scale
            dst[i] = -1.0 if signed and v < -1.0 else v


def clip_range(scipy_sample[::1] a, const scipy_sample[::1] bounds, Py_ssize_t n, Py_ssize_t inner,
               int num_threads):
    """np.clip in place (NaN stays NaN) along axis 1 of a seen as (outer, n, inner): the
    samples at index k of that axis between bounds[2k] and bounds[2k + 1] (n = 1: one
    range for all)."""
    cdef Py_ssize_t i, k, size = a.shape[0]
    if bounds.shape[0] != 2 * n or n < 1 or inner < 1 or size % (n * inner):
        raise ValueError("clip_range: bounds must hold (low, high) for each of n slices of a")
    cdef scipy_sample low = bounds[0], high = bounds[1], v
    cdef Py_ssize_t row, j
    with nogil:
        if n == 1:
            for i in prange(size, num_threads=threads_for(num_threads, size), schedule="static"):
                v = a[i]
                v = low if v < low else v
                a[i] = high if v > high else v
        else:
            for row in prange(size // inner, num_threads=threads_for(num_threads, size), schedule="static"):
                k = row % n
                for j in range(inner):
                    i = row * inner + j
                    v = a[i]
                    v = bounds[2 * k] if v < bounds[2 * k] else v
                    a[i] = bounds[2 * k + 1] if v > bounds[2 * k + 1] else v
