# OpenCV's INTER_LINEAR_EXACT (resize_bitExact) for compat.cv2_resize on the integer types
# other than uint8 (whose 8-bit fixed point is cv2_separable's exact mode): int8, uint16
# and int16 in OpenCV's 16-bit fixed point (fixedpoint32, ufixedpoint32), int32 in its
# 32-bit one (fixedpoint64, with its rounding products). See _kernels_impl.pxi.

from libc.stdint cimport int8_t, int32_t, int64_t

ctypedef fused cv2_exact_sample:
    int8_t
    uint16_t
    int16_t
    int32_t

cdef uint64_t CV2_LOW32 = 0xFFFFFFFF
cdef uint64_t CV2_HALF32 = 0x80000000          # 2^31: half of the 32-bit fraction
cdef uint64_t CV2_SIGN64 = 0x8000000000000000


cdef inline int64_t cv2_fixed64_product(int64_t a, int64_t b) noexcept nogil:
    """fixedpoint64's a * b of two 32-bit fractions: the magnitudes' product over 2^32
    rounded half up (2^31 added to the low halves' product), the sign put back, saturated
    where the magnitude reaches 2^63, as OpenCV computes it in 32-bit halves."""
    cdef bint negative = (a < 0) != (b < 0)
    cdef uint64_t ua = (<uint64_t>0 - <uint64_t>a) if a < 0 else <uint64_t>a
    cdef uint64_t ub = (<uint64_t>0 - <uint64_t>b) if b < 0 else <uint64_t>b
    cdef uint64_t sh0 = (ua & CV2_LOW32) * (ub & CV2_LOW32) + CV2_HALF32
    cdef uint64_t sh1_0 = (ua >> 32) * (ub & CV2_LOW32)
    cdef uint64_t sh1_1 = (ua & CV2_LOW32) * (ub >> 32)
    cdef uint64_t sh2 = (ua >> 32) * (ub >> 32)
    cdef uint64_t low = (sh1_0 & CV2_LOW32) + (sh1_1 & CV2_LOW32) + (sh0 >> 32)
    cdef uint64_t high = (sh2 & CV2_LOW32) + (sh1_0 >> 32) + (sh1_1 >> 32) + (low >> 32)
    cdef uint64_t magnitude
    if sh2 > 0x7FFFFFFF or high > 0x7FFFFFFF:
        return <int64_t>CV2_SIGN64 if negative else <int64_t>(CV2_SIGN64 - 1)
    magnitude = (high << 32) | (low & CV2_LOW32)
    return <int64_t>(<uint64_t>0 - magnitude) if negative else <int64_t>magnitude


cdef inline int64_t cv2_fixed64_sum(int64_t a, int64_t b) noexcept nogil:
    """fixedpoint64's saturating a + b (OpenCV's: overflow up gives the largest value,
    overflow down gives -1)."""
    cdef int64_t res = <int64_t>(<uint64_t>a + <uint64_t>b)
    if ((a ^ res) & (b ^ res)) < 0:
        return ~(res & <int64_t>CV2_SIGN64)
    return res


cdef inline void cv2_exact_store(cv2_exact_sample* dst, int64_t v) noexcept nogil:
    """saturate_cast of a 32-bit fraction: (v + 2^31) >> 32 (floor), clamped to the type."""
    v = <int64_t>(<uint64_t>v + CV2_HALF32) >> 32
    if cv2_exact_sample is int8_t:
        dst[0] = <int8_t>(-128 if v < -128 else (127 if v > 127 else v))
    elif cv2_exact_sample is uint16_t:
        dst[0] = <uint16_t>(0 if v < 0 else (65535 if v > 65535 else v))
    elif cv2_exact_sample is int16_t:
        dst[0] = <int16_t>(-32768 if v < -32768 else (32767 if v > 32767 else v))
    else:
        dst[0] = <int32_t>(-2147483648 if v < -2147483648 else (2147483647 if v > 2147483647 else v))


cdef inline void cv2_exact_row(const cv2_exact_sample* row, Py_ssize_t channels,
                               const Py_ssize_t* taps, const int64_t* alpha, Py_ssize_t out_w,
                               int64_t* out) noexcept nogil:
    """resize_bitExact's horizontal pass of one row: w0 * S0 + w1 * S1 with weights of 16
    fraction bits (32 for int32), exact in int64 (OpenCV's saturating steps never saturate
    here: the weights sum to one)."""
    cdef Py_ssize_t x, c
    cdef const cv2_exact_sample* p0
    cdef const cv2_exact_sample* p1
    cdef int64_t a0, a1
    for x in range(out_w):
        p0 = row + taps[2 * x] * channels
        p1 = row + taps[2 * x + 1] * channels
        a0 = alpha[2 * x]
        a1 = alpha[2 * x + 1]
        for c in range(channels):
            out[x * channels + c] = a0 * <int64_t>p0[c] + a1 * <int64_t>p1[c]


cdef inline void cv2_exact_column(cv2_exact_sample* dst, const int64_t* r0, const int64_t* r1,
                                  int64_t b0, int64_t b1, Py_ssize_t n) noexcept nogil:
    """resize_bitExact's vertical pass (vlineResize): int8, uint16 and int16 the exact
    products h0*b0 + h1*b1 (32 fraction bits), int32 fixedpoint64's rounding products
    and saturating sum; then cv2_exact_store."""
    cdef Py_ssize_t x
    for x in range(n):
        if cv2_exact_sample is int32_t:
            cv2_exact_store(dst + x, cv2_fixed64_sum(cv2_fixed64_product(r0[x], b0),
                                                     cv2_fixed64_product(r1[x], b1)))
        else:
            cv2_exact_store(dst + x, r0[x] * b0 + r1[x] * b1)


cdef int cv2_exact_task(const cv2_exact_sample* src, cv2_exact_sample* dst, Py_ssize_t row_in,
                        Py_ssize_t channels, const Py_ssize_t* taps_x, const int64_t* alpha,
                        Py_ssize_t out_w, const Py_ssize_t* taps_y, const int64_t* beta,
                        Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    """Output rows y0..y1 of cv2_linear_exact, the two horizontal passes each reads kept
    for the next rows; -1 when the row buffers cannot be allocated."""
    cdef Py_ssize_t n = out_w * channels, y, k, want, slot
    cdef int64_t* memory = <int64_t*>PyMem_RawMalloc(2 * n * sizeof(int64_t) + 8)
    cdef int64_t* rows[2]
    cdef Py_ssize_t held[2]
    cdef Py_ssize_t pick[2]
    if memory == NULL:
        return -1
    held[0] = held[1] = -1
    for y in range(y0, y1):
        pick[0] = pick[1] = -1
        for k in range(2):              # rows computed for the previous output row
            want = taps_y[2 * y + k]
            for slot in range(2):
                if held[slot] == want and pick[1 - k] != slot:
                    pick[k] = slot
                    break
        for k in range(2):
            if pick[k] >= 0:
                continue
            slot = 0 if pick[1 - k] != 0 else 1
            pick[k] = slot
            held[slot] = taps_y[2 * y + k]
            cv2_exact_row(src + held[slot] * row_in, channels, taps_x, alpha, out_w, memory + slot * n)
        rows[0] = memory + pick[0] * n
        rows[1] = memory + pick[1] * n
        cv2_exact_column(dst + y * n, rows[0], rows[1], beta[2 * y], beta[2 * y + 1], n)
    PyMem_RawFree(memory)
    return 0


def cv2_linear_exact(const cv2_exact_sample[::1] src, cv2_exact_sample[::1] dst,
                     Py_ssize_t in_h, Py_ssize_t in_w, Py_ssize_t channels,
                     const Py_ssize_t[:, ::1] taps_x, const int64_t[:, ::1] alpha,
                     const Py_ssize_t[:, ::1] taps_y, const int64_t[:, ::1] beta,
                     int num_threads):
    """cv2.resize's INTER_LINEAR_EXACT (resize_bitExact) on an (in_h, in_w, channels)
    int8, uint16, int16 or int32 image, from _plans.cv2_linear_exact_plan's taps and
    weights (16 fraction bits; 32 for int32): each output row from the horizontal passes
    of its two source rows (cv2_exact_row), then cv2_exact_column. Rows are independent,
    so the split into tasks does not change a bit."""
    cdef Py_ssize_t out_h = taps_y.shape[0], out_w = taps_x.shape[0]
    cdef Py_ssize_t n = out_w * channels
    cdef int threads = threads_for(num_threads, out_h * n * 4)
    cdef Py_ssize_t tasks = min(out_h, threads * TASKS_PER_THREAD)
    cdef Py_ssize_t task
    cdef Py_ssize_t missing = 0     # tasks left undone for want of memory (a reduction)
    if out_h == 0 or n == 0:
        return
    if (taps_x.shape[1] != 2 or taps_y.shape[1] != 2 or alpha.shape[0] != out_w
            or alpha.shape[1] != 2 or beta.shape[0] != out_h or beta.shape[1] != 2
            or src.shape[0] < in_h * in_w * channels or dst.shape[0] < out_h * n):
        raise ValueError("the taps, weights and sizes do not match")
    with nogil:
        for task in prange(tasks, num_threads=threads, schedule="dynamic"):
            if cv2_exact_task(&src[0], &dst[0], in_w * channels, channels, &taps_x[0, 0],
                              &alpha[0, 0], out_w, &taps_y[0, 0], &beta[0, 0],
                              task * out_h // tasks, (task + 1) * out_h // tasks) < 0:
                missing += 1
    if missing:
        raise MemoryError("no memory for the row buffers")
