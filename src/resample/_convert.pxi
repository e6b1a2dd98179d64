# Dtype conversions (see _kernels_impl.pxi): the 16-bit floats (float16, bfloat16) and 16-bit
# integers widened to float32 and narrowed back with one rounding; results rounded to
# integer images.

cdef void widen_half_run(const uint16_t* src, float* dst, Py_ssize_t n, bint bfloat16,
                         int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    cdef int nt = threads_for(num_threads, n)
    if bfloat16:
        for i in prange(n, num_threads=nt, schedule="static"):
            dst[i] = resample_bfloat16_to_float(src[i])
    else:
        for i in prange(n, num_threads=nt, schedule="static"):
            dst[i] = resample_half_to_float(src[i])


cdef void narrow_half_run(const float* src, uint16_t* dst, Py_ssize_t n, bint bfloat16,
                          int num_threads) noexcept nogil:
    cdef Py_ssize_t i
    cdef int nt = threads_for(num_threads, n)
    if bfloat16:
        for i in prange(n, num_threads=nt, schedule="static"):
            dst[i] = resample_float_to_bfloat16(src[i])
    else:
        for i in prange(n, num_threads=nt, schedule="static"):
            dst[i] = resample_float_to_half(src[i])


def widen_half(const uint16_t[::1] src, float[::1] dst, int num_threads, bint bfloat16=False):
    """16-bit float bits (float16, or bfloat16 if `bfloat16`) -> float32 (exact)."""
    if src.shape[0]:
        with nogil:
            widen_half_run(&src[0], &dst[0], src.shape[0], bfloat16, num_threads)


def narrow_half(const float[::1] src, uint16_t[::1] dst, int num_threads, bint bfloat16=False):
    """float32 -> 16-bit float bits (float16, or bfloat16 if `bfloat16`), rounded to nearest
    even: the one rounding of a float16 or bfloat16 call."""
    if src.shape[0]:
        with nogil:
            narrow_half_run(&src[0], &dst[0], src.shape[0], bfloat16, num_threads)


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
