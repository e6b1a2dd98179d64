# Dtype conversions (see _kernels_impl.pxi): float16 and 16-bit integers widened to float32
# and narrowed back with one rounding; results rounded to integer images.

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


ctypedef fused any_real:        # what compat.tensorflow and compat.jax read as float32
    int8_t
    uint8_t
    int16_t
    uint16_t
    int32_t
    uint32_t
    int64_t
    uint64_t
    double


cdef void to_float_run(const any_real* src, float* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    """C's conversion to float (round to nearest even), as TensorFlow's static_cast<float>."""
    cdef Py_ssize_t i
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        dst[i] = <float>src[i]


cdef void widen_bfloat16_run(const uint16_t* src, float* dst, Py_ssize_t n, int num_threads) noexcept nogil:
    """bfloat16 bits -> float32 (exact: the high half of a float32)."""
    cdef Py_ssize_t i
    cdef uint32_t bits
    for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
        bits = (<uint32_t>src[i]) << 16
        memcpy(&dst[i], &bits, 4)
