# The row primitives of the portable build (_kernels.pyx), under the names the kernel body
# calls (the contract is listed at the top of _kernels_impl.pxi): the plain C loops of
# _rows_portable.pxi, and no-ops where only the AVX2 build has a vector path.

include "_rows_portable.pxi"


cdef inline void combine_rows(sample* dst, const sample* src, Py_ssize_t stride, Py_ssize_t base,
                              const Plan* plan, Py_ssize_t i, Py_ssize_t L, bint stream) noexcept nogil:
    """stream (non-temporal stores of a large output) is the AVX2 build's."""
    portable_combine(dst, src, stride, base, plan, i, L)
    if plan.post != 0:
        scale_row(dst, plan.post, L)


cdef inline void store_fence() noexcept nogil:
    """Nothing to fence: this build never streams."""
    pass


cdef inline void gather_columns(const sample* src, Py_ssize_t stride, Py_ssize_t rows,
                                Py_ssize_t L, sample* block) noexcept nogil:
    portable_gather(src, stride, rows, 0, L, block)


cdef inline void scatter_columns(const sample* block, Py_ssize_t L, sample* dst,
                                 Py_ssize_t stride, Py_ssize_t rows) noexcept nogil:
    portable_scatter(block, 0, L, dst, stride, rows)


cdef inline bint along_rows(const sample* src, Py_ssize_t src_stride, sample* dst,
                            Py_ssize_t dst_stride, Py_ssize_t rows, Py_ssize_t inner,
                            const Plan* p) noexcept nogil:
    """The AVX2 build resamples periodic float32 rows directly (no transposes)."""
    return False


cdef Py_ssize_t ROW_TABLES_BYTES = 0        # this build's along_rows needs no tables


cdef inline bint prepare_row_tables(const Plan* p, Py_ssize_t inner, void* tables) noexcept nogil:
    return False


cdef inline Py_ssize_t average_2x2_uint8(const uint8_t* top, const uint8_t* bottom, uint8_t* out,
                                         Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """The AVX2 build averages most of a row pair's 2x2 blocks with vectors."""
    return 0


cdef inline Py_ssize_t cv2_linear_column(uint8_t* dst, const int* r0, const int* r1, int b0, int b1,
                                         Py_ssize_t n) noexcept nogil:
    """The AVX2 build vectorises OpenCV's uint8 linear vertical pass."""
    return 0


cdef inline Py_ssize_t cv2_cubic_column(uint8_t* dst, const int* r0, const int* r1, const int* r2,
                                        const int* r3, const float* b, Py_ssize_t n) noexcept nogil:
    """The AVX2 build vectorises OpenCV's uint8 cubic vertical pass."""
    return 0


cdef inline bint pair_block(const uint8_t* src, const uint8_t* mask, const int* weights,
                            Py_ssize_t sets, int* out) noexcept nogil:
    """The AVX2 build computes a PairShuffle block with vectors."""
    return False


cdef inline void area_row(pooled* out, const pooled* src, const Py_ssize_t* rows,
                          Py_ssize_t n_rows, const AreaRow* a, Py_ssize_t kd,
                          Py_ssize_t kh) noexcept nogil:
    portable_area_row(out, src, rows, n_rows, a, kd, kh, 0)


cdef inline void gather_row(element* dst, const element* src, const GatherRow* g) noexcept nogil:
    portable_gather_row(dst, src, g, 0)


cdef inline void widen_row(const uint16_t* src, float* dst, Py_ssize_t n, bint bfloat16) noexcept nogil:
    portable_widen_row(src, dst, 0, n, bfloat16)


cdef inline void narrow_row(const float* src, uint16_t* dst, Py_ssize_t n, bint bfloat16,
                            bint stream) noexcept nogil:
    """stream (non-temporal stores of a large output) is the AVX2 build's."""
    portable_narrow_row(src, dst, 0, n, bfloat16)


cdef inline void combine_rows16(uint16_t* dst, float* stage, const float* src, Py_ssize_t stride,
                                Py_ssize_t base, const Plan* plan, Py_ssize_t i, Py_ssize_t L,
                                bint bfloat16, bint stream) noexcept nogil:
    """combine_rows of a float32 row (into `stage`, L samples) narrowed into dst."""
    portable_combine(stage, src, stride, base, plan, i, L)
    portable_narrow_row(stage, dst, 0, L, bfloat16)
