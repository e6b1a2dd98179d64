# The row primitives for float32 and uint8 with AVX2 intrinsics (this file is only compiled
# with -mavx2). Each sample gets exactly the arithmetic of _rows_portable.pxi: float32 sums
# in the same order with separate multiplies and adds (no FMA), uint8 exact integer sums;
# float64 uses the portable loops. The 16-bit rows (bfloat16, float16, nearest's 16-bit
# gather) are in _rows_avx2_half.pxi.

include "_rows_portable.pxi"

cdef extern from "immintrin.h" nogil:
    ctypedef struct __m128i:
        pass
    ctypedef struct __m256:
        pass
    ctypedef struct __m256i:
        pass
    ctypedef struct __m256d:
        pass
    __m256d _mm256_castps_pd(__m256)
    __m256 _mm256_castpd_ps(__m256d)
    __m256d _mm256_permute4x64_pd(__m256d, int)
    __m256 _mm256_loadu_ps(const float*)
    void _mm256_storeu_ps(float*, __m256)
    __m256 _mm256_set1_ps(float)
    __m256 _mm256_add_ps(__m256, __m256)
    __m256 _mm256_sub_ps(__m256, __m256)
    __m256 _mm256_mul_ps(__m256, __m256)
    __m256 _mm256_unpacklo_ps(__m256, __m256)
    __m256 _mm256_unpackhi_ps(__m256, __m256)
    __m256 _mm256_shuffle_ps(__m256, __m256, int)
    __m256 _mm256_permute2f128_ps(__m256, __m256, int)
    __m256 _mm256_setzero_ps()
    __m256 _mm256_div_ps(__m256, __m256)
    __m256 _mm256_cvtepi32_ps(__m256i)
    void _mm256_stream_ps(float*, __m256)
    void _mm_sfence()
    __m256i _mm256_cvtps_epi32(__m256)
    __m256 _mm256_castsi256_ps(__m256i)
    __m256 _mm256_mask_i32gather_ps(__m256, const float*, __m256i, __m256, int)
    __m256i _mm256_cmpgt_epi32(__m256i, __m256i)
    void _mm_prefetch(const char*, int)
    __m256 _mm256_permutevar8x32_ps(__m256, __m256i)
    __m256 _mm256_blendv_ps(__m256, __m256, __m256)
    __m256 _mm256_and_ps(__m256, __m256)
    __m128i _mm_loadu_si128(const __m128i*)
    void _mm_storeu_si128(__m128i*, __m128i)
    __m128i _mm_cvtsi32_si128(int)
    __m128i _mm_shuffle_epi8(__m128i, __m128i)
    __m128i _mm_blendv_epi8(__m128i, __m128i, __m128i)
    __m128i _mm_cmpgt_epi8(__m128i, __m128i)
    __m128i _mm_set1_epi8(char)
    __m128i _mm_or_si128(__m128i, __m128i)
    __m256i _mm256_cvtepu8_epi32(__m128i)
    __m256i _mm256_cvtepu8_epi16(__m128i)
    __m128i _mm_loadl_epi64(const __m128i*)
    __m256i _mm256_loadu_si256(const __m256i*)
    void _mm256_storeu_si256(__m256i*, __m256i)
    __m256i _mm256_castsi128_si256(__m128i)
    __m128i _mm256_castsi256_si128(__m256i)
    __m256i _mm256_inserti128_si256(__m256i, __m128i, int)
    __m128i _mm256_extracti128_si256(__m256i, int)
    __m256i _mm256_set1_epi32(int)
    __m256i _mm256_setzero_si256()
    __m256i _mm256_unpacklo_epi8(__m256i, __m256i)
    __m256i _mm256_unpackhi_epi8(__m256i, __m256i)
    __m256i _mm256_unpacklo_epi16(__m256i, __m256i)
    __m256i _mm256_unpackhi_epi16(__m256i, __m256i)
    __m256i _mm256_unpacklo_epi32(__m256i, __m256i)
    __m256i _mm256_unpackhi_epi32(__m256i, __m256i)
    __m256i _mm256_unpacklo_epi64(__m256i, __m256i)
    __m256i _mm256_unpackhi_epi64(__m256i, __m256i)
    __m256i _mm256_madd_epi16(__m256i, __m256i)
    __m256i _mm256_add_epi32(__m256i, __m256i)
    __m256i _mm256_sra_epi32(__m256i, __m128i)
    __m256i _mm256_packs_epi32(__m256i, __m256i)
    __m256i _mm256_packus_epi16(__m256i, __m256i)
    __m256i _mm256_maddubs_epi16(__m256i, __m256i)
    __m256i _mm256_shuffle_epi8(__m256i, __m256i)
    __m256i _mm256_add_epi16(__m256i, __m256i)
    __m256i _mm256_srli_epi16(__m256i, int)
    __m256i _mm256_set1_epi16(short)
    __m256i _mm256_set1_epi8(char)
    __m256i _mm256_setr_epi8(char, char, char, char, char, char, char, char,
                             char, char, char, char, char, char, char, char,
                             char, char, char, char, char, char, char, char,
                             char, char, char, char, char, char, char, char)
    void _mm_storel_epi64(__m128i*, __m128i)
    __m256i _mm256_srai_epi32(__m256i, int)
    __m256i _mm256_srai_epi16(__m256i, int)
    __m256i _mm256_mulhi_epi16(__m256i, __m256i)
    __m256i _mm256_permutevar8x32_epi32(__m256i, __m256i)
    __m256i _mm256_setr_epi32(int, int, int, int, int, int, int, int)


cdef enum:
    # how far ahead (in 4-byte samples) the row readers ask for memory: the hardware
    # prefetchers start late on the many short runs these kernels read
    PREFETCH_SAMPLES = 256


# ----------------------------------------------------------------------------- combine

cdef inline void store_fence() noexcept nogil:
    """Make a task's non-temporal stores visible before it ends (sfence)."""
    _mm_sfence()


cdef inline void combine_float_8(float* dst, const float* src, Py_ssize_t stride, Py_ssize_t base,
                                 const Py_ssize_t* taps, const float* w, Py_ssize_t n,
                                 Py_ssize_t c) noexcept nogil:
    """avx2_combine_float's samples c to c + 8."""
    cdef const float* p = src + (taps[0] - base) * stride + c
    cdef __m256 a0 = _mm256_mul_ps(_mm256_loadu_ps(p), _mm256_set1_ps(w[0]))
    cdef Py_ssize_t k
    for k in range(1, n):
        p = src + (taps[k] - base) * stride + c
        a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu_ps(p), _mm256_set1_ps(w[k])))
    _mm256_storeu_ps(dst + c, a0)


cdef inline Py_ssize_t combine_float_32(float* dst, uint16_t* bfloat16_dst, const float* src,
                                        Py_ssize_t stride, Py_ssize_t base, const Py_ssize_t* taps,
                                        const float* w, Py_ssize_t n, Py_ssize_t c, Py_ssize_t L,
                                        bint stream) noexcept nogil:
    """avx2_combine_float's blocks of 32 samples from c on (returned: where they end), for
    a caller that passes a constant n; bfloat16_dst (not NULL): the sums rounded to
    bfloat16 into it instead (combine_rows16). stream: the destination + c is 64-byte
    aligned, and the blocks go to memory with non-temporal stores."""
    cdef __m256 a0, a1, a2, a3, wk
    cdef const float* p
    cdef Py_ssize_t k
    while c + 32 <= L:
        p = src + (taps[0] - base) * stride + c
        wk = _mm256_set1_ps(w[0])
        a0 = _mm256_mul_ps(_mm256_loadu_ps(p), wk)
        a1 = _mm256_mul_ps(_mm256_loadu_ps(p + 8), wk)
        a2 = _mm256_mul_ps(_mm256_loadu_ps(p + 16), wk)
        a3 = _mm256_mul_ps(_mm256_loadu_ps(p + 24), wk)
        for k in range(1, n):
            p = src + (taps[k] - base) * stride + c
            wk = _mm256_set1_ps(w[k])
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu_ps(p), wk))
            a1 = _mm256_add_ps(a1, _mm256_mul_ps(_mm256_loadu_ps(p + 8), wk))
            a2 = _mm256_add_ps(a2, _mm256_mul_ps(_mm256_loadu_ps(p + 16), wk))
            a3 = _mm256_add_ps(a3, _mm256_mul_ps(_mm256_loadu_ps(p + 24), wk))
        if bfloat16_dst != NULL:
            store_bfloat16_32(bfloat16_dst + c, a0, a1, a2, a3, stream)
        elif stream:
            _mm256_stream_ps(dst + c, a0)
            _mm256_stream_ps(dst + c + 8, a1)
            _mm256_stream_ps(dst + c + 16, a2)
            _mm256_stream_ps(dst + c + 24, a3)
        else:
            _mm256_storeu_ps(dst + c, a0)
            _mm256_storeu_ps(dst + c + 8, a1)
            _mm256_storeu_ps(dst + c + 16, a2)
            _mm256_storeu_ps(dst + c + 24, a3)
        c += 32
    return c


cdef inline void avx2_combine_float(float* dst, const float* src, Py_ssize_t stride,
                                    Py_ssize_t base, const Py_ssize_t* taps, const float* w,
                                    Py_ssize_t n, Py_ssize_t L, bint stream) noexcept nogil:
    """portable_combine_real for float32: 32 samples in four registers, then 8 at a time;
    the last 8 overlap the previous block when L is not a multiple of 8 (same values).
    stream (a large output, not read again soon): rows of STREAM_ROW samples or more go to
    memory with non-temporal stores, whole cache lines from the row's first 64-byte
    boundary on; the samples before and after those lines are written one by one. No line
    gets both kinds of store (a cached write to a line being streamed can be lost), and
    the caller ends its task with store_fence."""
    cdef Py_ssize_t c = 0, end
    if n == 0 or L < 8:
        portable_combine_real(dst, src, stride, base, taps, w, n, 0, L)
        return
    stream = stream and L >= STREAM_ROW and (<size_t>dst) % sizeof(float) == 0
    if stream:
        c = (64 - (<size_t>dst) % 64) % 64 // sizeof(float)
        portable_combine_real(dst, src, stride, base, taps, w, n, 0, c)
    if n == 2:                   # two taps (bilinear): a constant count, the tap loop unrolled
        c = combine_float_32(dst, NULL, src, stride, base, taps, w, 2, c, L, stream)
    else:
        c = combine_float_32(dst, NULL, src, stride, base, taps, w, n, c, L, stream)
    if stream:
        end = c + (L - c) // 8 * 8
        while c < end:
            combine_float_8(dst, src, stride, base, taps, w, n, c)
            c += 8
        portable_combine_real(dst, src, stride, base, taps, w, n, c, L)
        return
    while c < L:
        combine_float_8(dst, src, stride, base, taps, w, n, c if c + 8 <= L else L - 8)
        c += 8


cdef inline void avx2_combine_uint8(uint8_t* dst, const uint8_t* src, Py_ssize_t stride,
                                    Py_ssize_t base, const Py_ssize_t* taps, const int16_t* w,
                                    Py_ssize_t pairs, int precision, Py_ssize_t L) noexcept nogil:
    """portable_combine_uint8, 32 pixels at a time: the two rows of a tap pair are
    interleaved byte by byte, widened to int16 and multiplied by the weight pair with
    pmaddwd (a*wa + b*wb in int32); packs/packus clamp to 0..255."""
    cdef __m256i zero = _mm256_setzero_si256()
    cdef __m256i start = _mm256_set1_epi32((1 << precision) >> 1)
    cdef __m128i shift = _mm_cvtsi32_si128(precision)
    cdef __m256i s0, s1, s2, s3, a, b, lo, hi, wk
    cdef Py_ssize_t c = 0, g
    if L < 32:
        portable_combine_uint8(dst, src, stride, base, taps, w, pairs, precision, 0, L)
        return
    while c < L:
        if c + 32 > L:
            c = L - 32      # the last block overlaps the previous one (same values)
        s0 = start
        s1 = start
        s2 = start
        s3 = start
        for g in range(pairs):
            a = _mm256_loadu_si256(<const __m256i*>(src + (taps[2 * g] - base) * stride + c))
            b = _mm256_loadu_si256(<const __m256i*>(src + (taps[2 * g + 1] - base) * stride + c))
            wk = _mm256_set1_epi32((<const int32_t*>(w + 2 * g))[0])
            lo = _mm256_unpacklo_epi8(a, b)
            hi = _mm256_unpackhi_epi8(a, b)
            s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_unpacklo_epi8(lo, zero), wk))
            s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(_mm256_unpackhi_epi8(lo, zero), wk))
            s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(_mm256_unpacklo_epi8(hi, zero), wk))
            s3 = _mm256_add_epi32(s3, _mm256_madd_epi16(_mm256_unpackhi_epi8(hi, zero), wk))
        s0 = _mm256_packs_epi32(_mm256_sra_epi32(s0, shift), _mm256_sra_epi32(s1, shift))
        s2 = _mm256_packs_epi32(_mm256_sra_epi32(s2, shift), _mm256_sra_epi32(s3, shift))
        _mm256_storeu_si256(<__m256i*>(dst + c), _mm256_packus_epi16(s0, s2))
        c += 32


cdef inline void avx2_lerp_float(float* dst, const float* src, Py_ssize_t stride, Py_ssize_t base,
                                 const Py_ssize_t* taps, float w, Py_ssize_t L) noexcept nogil:
    """portable_lerp_real for float32, 8 samples at a time (the last 8 overlap the previous
    block when L is not a multiple of 8: same values)."""
    cdef const float* a = src + (taps[0] - base) * stride
    cdef const float* b = src + (taps[1] - base) * stride
    cdef __m256 wv = _mm256_set1_ps(w), av
    cdef Py_ssize_t c = 0
    if L < 8:
        portable_lerp_real(dst, src, stride, base, taps, w, 0, L)
        return
    while c < L:
        if c + 8 > L:
            c = L - 8
        av = _mm256_loadu_ps(a + c)
        _mm256_storeu_ps(dst + c, _mm256_add_ps(av, _mm256_mul_ps(
            _mm256_sub_ps(_mm256_loadu_ps(b + c), av), wv)))
        c += 8


cdef inline void combine_rows(sample* dst, const sample* src, Py_ssize_t stride, Py_ssize_t base,
                              const Plan* plan, Py_ssize_t i, Py_ssize_t L, bint stream) noexcept nogil:
    cdef const Py_ssize_t* taps = plan.taps + i * plan.width
    if plan.post != 0:              # (the row is read again: never streamed)
        stream = False
    if sample is float and plan.lerp:
        avx2_lerp_float(dst, src, stride, base, taps, (<const float*>plan.weights)[i * plan.width], L)
    elif sample is float:
        avx2_combine_float(dst, src, stride, base, taps, <const float*>plan.weights + i * plan.width,
                           plan.counts[i], L, stream)
    elif sample is uint8_t and not plan.wide:
        avx2_combine_uint8(dst, src, stride, base, taps,
                           <const int16_t*>plan.weights + i * plan.width, (plan.counts[i] + 1) // 2,
                           plan.precision, L)
    else:
        portable_combine(dst, src, stride, base, plan, i, L)
    if plan.post != 0:
        scale_row(dst, plan.post, L)


include "_rows_avx2_periodic.pxi"


# ----------------------------------------------------------------------------- 2x2 means

cdef inline __m256i pair_bytes(Py_ssize_t channels) noexcept nogil:
    """The byte shuffle that puts the same channel of the two pixels of a pair side by
    side, in each 16-byte lane: 1 channel (as it is), 3 (12 bytes a lane used) or 4."""
    if channels == 1:
        return _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    if channels == 3:
        return _mm256_setr_epi8(0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11, -1, -1, -1, -1,
                                0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11, -1, -1, -1, -1)
    return _mm256_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15,
                            0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15)


cdef inline Py_ssize_t average_2x2_uint8(const uint8_t* top, const uint8_t* bottom, uint8_t* out,
                                         Py_ssize_t pixels, Py_ssize_t channels) noexcept nogil:
    """(a + b + c + d + 2) >> 2 of the 2x2 blocks of a row pair, 1, 3 or 4 channels, for
    as many output pixels as whole vectors cover (returned; the rest is the caller's):
    each 16-byte lane takes whole pixel pairs (12 or 16 bytes), pmaddubsw sums the two
    pixels of a row, the rows are added in 16 bits, and the stores stay in the row."""
    cdef Py_ssize_t lane_in = 12 if channels == 3 else 16, lane_out = lane_in // 2
    cdef Py_ssize_t n_in = 2 * pixels * channels, n_out = pixels * channels, i = 0, o = 0
    cdef __m256i shuffle = pair_bytes(channels), ones = _mm256_set1_epi8(1)
    cdef __m256i two = _mm256_set1_epi16(2), a, b, total
    if channels != 1 and channels != 3 and channels != 4:
        return 0
    while i + lane_in + 16 <= n_in and o + lane_out + 8 <= n_out:
        a = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(<const __m128i*>(top + i))),
                                    _mm_loadu_si128(<const __m128i*>(top + i + lane_in)), 1)
        b = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(<const __m128i*>(bottom + i))),
                                    _mm_loadu_si128(<const __m128i*>(bottom + i + lane_in)), 1)
        total = _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_shuffle_epi8(a, shuffle), ones),
                                 _mm256_maddubs_epi16(_mm256_shuffle_epi8(b, shuffle), ones))
        total = _mm256_srli_epi16(_mm256_add_epi16(total, two), 2)
        total = _mm256_packus_epi16(total, total)
        _mm_storel_epi64(<__m128i*>(out + o), _mm256_castsi256_si128(total))
        _mm_storel_epi64(<__m128i*>(out + o + lane_out), _mm256_extracti128_si256(total, 1))
        i += 2 * lane_in
        o += 2 * lane_out
    return o // channels


# ----------------------------------------------------------------------------- OpenCV's uint8 linear

cdef inline __m256i quarter_sums(const int* r0, const int* r1, __m256i b0, __m256i b1) noexcept nogil:
    """16 samples of ((b0*(r0>>4))>>16) + ((b1*(r1>>4))>>16) + 2, in 16 bits: the sums
    (at most 255 * 2048) fit 16 bits after >> 4, so pmulhw gives OpenCV's products; the
    samples come out in pack order (see cv2_linear_column)."""
    cdef __m256i s0 = _mm256_packs_epi32(_mm256_srai_epi32(_mm256_loadu_si256(<const __m256i*>r0), 4),
                                         _mm256_srai_epi32(_mm256_loadu_si256(<const __m256i*>(r0 + 8)), 4))
    cdef __m256i s1 = _mm256_packs_epi32(_mm256_srai_epi32(_mm256_loadu_si256(<const __m256i*>r1), 4),
                                         _mm256_srai_epi32(_mm256_loadu_si256(<const __m256i*>(r1 + 8)), 4))
    return _mm256_add_epi16(_mm256_add_epi16(_mm256_mulhi_epi16(s0, b0), _mm256_mulhi_epi16(s1, b1)),
                            _mm256_set1_epi16(2))


cdef inline Py_ssize_t cv2_linear_column(uint8_t* dst, const int* r0, const int* r1, int b0, int b1,
                                         Py_ssize_t n) noexcept nogil:
    """cv2_linear_uint8 for the first whole blocks of 32 samples (returned: how many), as
    OpenCV's own vector loop: 16-bit high products, >> 2, packus's clamp to 0..255."""
    cdef __m256i w0 = _mm256_set1_epi16(<short>b0), w1 = _mm256_set1_epi16(<short>b1)
    cdef __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7), lo, hi
    cdef Py_ssize_t x = 0
    if b0 < -32768 or b0 > 32767 or b1 < -32768 or b1 > 32767:
        return 0
    while x + 32 <= n:
        lo = _mm256_srai_epi16(quarter_sums(r0 + x, r1 + x, w0, w1), 2)
        hi = _mm256_srai_epi16(quarter_sums(r0 + x + 16, r1 + x + 16, w0, w1), 2)
        _mm256_storeu_si256(<__m256i*>(dst + x),
                            _mm256_permutevar8x32_epi32(_mm256_packus_epi16(lo, hi), order))
        x += 32
    return x


cdef inline __m256i cubic_sums(const int* r0, const int* r1, const int* r2, const int* r3,
                               __m256 b0, __m256 b1, __m256 b2, __m256 b3) noexcept nogil:
    """8 samples of r3*b3, then + r2*b2, + r1*b1, + r0*b0 in float (exact int -> float:
    the rows stay below 2^24), rounded half to even by cvtps (the default rounding mode)."""
    cdef __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256(<const __m256i*>r3)), b3)
    f = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256(<const __m256i*>r2)), b2), f)
    f = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256(<const __m256i*>r1)), b1), f)
    f = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256(<const __m256i*>r0)), b0), f)
    return _mm256_cvtps_epi32(f)


cdef inline Py_ssize_t cv2_cubic_column(uint8_t* dst, const int* r0, const int* r1, const int* r2,
                                        const int* r3, const float* b, Py_ssize_t n) noexcept nogil:
    """cv2_cubic_body for the first whole blocks of 32 samples (returned: how many): the
    same float sums, packs and packus's saturation as round_to_uint8's clamp."""
    cdef __m256 b0 = _mm256_set1_ps(b[0]), b1 = _mm256_set1_ps(b[1])
    cdef __m256 b2 = _mm256_set1_ps(b[2]), b3 = _mm256_set1_ps(b[3])
    cdef __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7), lo, hi
    cdef Py_ssize_t x = 0
    while x + 32 <= n:
        lo = _mm256_packs_epi32(cubic_sums(r0 + x, r1 + x, r2 + x, r3 + x, b0, b1, b2, b3),
                                cubic_sums(r0 + x + 8, r1 + x + 8, r2 + x + 8, r3 + x + 8, b0, b1, b2, b3))
        hi = _mm256_packs_epi32(cubic_sums(r0 + x + 16, r1 + x + 16, r2 + x + 16, r3 + x + 16, b0, b1, b2, b3),
                                cubic_sums(r0 + x + 24, r1 + x + 24, r2 + x + 24, r3 + x + 24, b0, b1, b2, b3))
        _mm256_storeu_si256(<__m256i*>(dst + x),
                            _mm256_permutevar8x32_epi32(_mm256_packus_epi16(lo, hi), order))
        x += 32
    return x


cdef inline bint pair_block(const uint8_t* src, const uint8_t* mask, const int* weights,
                            Py_ssize_t sets, int* out) noexcept nogil:
    """8 samples of OpenCV's uint8 horizontal pass (see PairShuffle): per pair of taps, the
    source bytes shuffled side by side from the 32 at src, widened to 16 bits, pmaddwd by
    the weights; the pairs' int32 sums added (exact, so in any order)."""
    cdef __m128i low = _mm_loadu_si128(<const __m128i*>src)
    cdef __m128i high = _mm_loadu_si128(<const __m128i*>(src + 16))
    cdef __m256i acc = _mm256_setzero_si256()
    cdef __m128i pairs
    cdef Py_ssize_t k
    for k in range(sets):
        pairs = _mm_or_si128(_mm_shuffle_epi8(low, _mm_loadu_si128(<const __m128i*>(mask + 32 * k))),
                             _mm_shuffle_epi8(high, _mm_loadu_si128(<const __m128i*>(mask + 32 * k + 16))))
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(
            _mm256_cvtepu8_epi16(pairs), _mm256_loadu_si256(<const __m256i*>(weights + 8 * k))))
    _mm256_storeu_si256(<__m256i*>out, acc)
    return True


# ----------------------------------------------------------------------------- transposes

cdef inline void transpose_8x8(__m256* v) noexcept nogil:
    """v[r][c] -> v[c][r] for 8 registers of 8 floats."""
    cdef __m256 t0, t1, t2, t3, t4, t5, t6, t7, u0, u1, u2, u3, u4, u5, u6, u7
    t0 = _mm256_unpacklo_ps(v[0], v[1])
    t1 = _mm256_unpackhi_ps(v[0], v[1])
    t2 = _mm256_unpacklo_ps(v[2], v[3])
    t3 = _mm256_unpackhi_ps(v[2], v[3])
    t4 = _mm256_unpacklo_ps(v[4], v[5])
    t5 = _mm256_unpackhi_ps(v[4], v[5])
    t6 = _mm256_unpacklo_ps(v[6], v[7])
    t7 = _mm256_unpackhi_ps(v[6], v[7])
    u0 = _mm256_shuffle_ps(t0, t2, 0x44)
    u1 = _mm256_shuffle_ps(t0, t2, 0xEE)
    u2 = _mm256_shuffle_ps(t1, t3, 0x44)
    u3 = _mm256_shuffle_ps(t1, t3, 0xEE)
    u4 = _mm256_shuffle_ps(t4, t6, 0x44)
    u5 = _mm256_shuffle_ps(t4, t6, 0xEE)
    u6 = _mm256_shuffle_ps(t5, t7, 0x44)
    u7 = _mm256_shuffle_ps(t5, t7, 0xEE)
    v[0] = _mm256_permute2f128_ps(u0, u4, 0x20)
    v[1] = _mm256_permute2f128_ps(u1, u5, 0x20)
    v[2] = _mm256_permute2f128_ps(u2, u6, 0x20)
    v[3] = _mm256_permute2f128_ps(u3, u7, 0x20)
    v[4] = _mm256_permute2f128_ps(u0, u4, 0x31)
    v[5] = _mm256_permute2f128_ps(u1, u5, 0x31)
    v[6] = _mm256_permute2f128_ps(u2, u6, 0x31)
    v[7] = _mm256_permute2f128_ps(u3, u7, 0x31)


cdef inline void transpose_16x16_bytes(__m256i* v) noexcept nogil:
    """In each 128-bit lane: byte c of v[r] -> byte r of v[c] (two 16x16 byte transposes at
    once), by interleaving ever wider units: bytes, then 2, 4 and 8 bytes."""
    cdef __m256i s[16]
    cdef __m256i t[16]
    cdef int i, g, h, e
    for i in range(8):          # units of rows (2i, 2i+1): columns 0-7 and 8-15
        s[2 * i] = _mm256_unpacklo_epi8(v[2 * i], v[2 * i + 1])
        s[2 * i + 1] = _mm256_unpackhi_epi8(v[2 * i], v[2 * i + 1])
    for g in range(4):          # rows 4g..4g+3: t[4g + h] holds columns 4h..4h+3
        t[4 * g] = _mm256_unpacklo_epi16(s[4 * g], s[4 * g + 2])
        t[4 * g + 1] = _mm256_unpackhi_epi16(s[4 * g], s[4 * g + 2])
        t[4 * g + 2] = _mm256_unpacklo_epi16(s[4 * g + 1], s[4 * g + 3])
        t[4 * g + 3] = _mm256_unpackhi_epi16(s[4 * g + 1], s[4 * g + 3])
    for e in range(2):          # rows 8e..8e+7: s[8e + h'] holds columns 2h', 2h'+1
        for h in range(4):
            s[8 * e + 2 * h] = _mm256_unpacklo_epi32(t[8 * e + h], t[8 * e + 4 + h])
            s[8 * e + 2 * h + 1] = _mm256_unpackhi_epi32(t[8 * e + h], t[8 * e + 4 + h])
    for h in range(8):          # all 16 rows: v[c] holds column c
        v[2 * h] = _mm256_unpacklo_epi64(s[h], s[8 + h])
        v[2 * h + 1] = _mm256_unpackhi_epi64(s[h], s[8 + h])


cdef inline void avx2_gather_float(const float* src, Py_ssize_t stride, Py_ssize_t rows,
                                   Py_ssize_t L, float* block) noexcept nogil:
    """8 columns of each group of 8 rows at a time, through one 8x8 transpose."""
    cdef __m256 v[8]
    cdef const float* row[FLOAT_ROWS]
    cdef Py_ssize_t r, c = 0, q, group
    for r in range(FLOAT_ROWS):
        row[r] = src + (r if r < rows else rows - 1) * stride
    while c + 8 <= L:
        if c & 15 == 0:           # a cache line ahead of every row, once per line
            for r in range(FLOAT_ROWS):
                _mm_prefetch(<const char*>(row[r] + c + PREFETCH_SAMPLES), 3)
        for group in range(FLOAT_ROWS // 8):
            for r in range(8):
                v[r] = _mm256_loadu_ps(row[8 * group + r] + c)
            transpose_8x8(v)
            for q in range(8):
                _mm256_storeu_ps(block + (c + q) * FLOAT_ROWS + 8 * group, v[q])
        c += 8
    portable_gather(src, stride, rows, c, L, block)


cdef inline void avx2_scatter_float(const float* block, Py_ssize_t L, float* dst,
                                    Py_ssize_t stride, Py_ssize_t rows) noexcept nogil:
    cdef __m256 v[8]
    cdef Py_ssize_t r, c = 0, q, group
    while c + 8 <= L:
        for group in range(FLOAT_ROWS // 8):
            if 8 * group >= rows:
                break
            for q in range(8):
                v[q] = _mm256_loadu_ps(block + (c + q) * FLOAT_ROWS + 8 * group)
            transpose_8x8(v)
            if rows >= 8 * group + 8:
                for r in range(8):
                    _mm256_storeu_ps(dst + (8 * group + r) * stride + c, v[r])
            else:
                for r in range(rows - 8 * group):
                    _mm256_storeu_ps(dst + (8 * group + r) * stride + c, v[r])
        c += 8
    portable_scatter(block, c, L, dst, stride, rows)


cdef inline void avx2_gather_uint8(const uint8_t* src, Py_ssize_t stride, Py_ssize_t rows,
                                   Py_ssize_t L, uint8_t* block) noexcept nogil:
    """Rows r and r + 16 share a register (one per lane), so one in-lane transpose turns
    16 columns of 32 rows into 16 block rows of 32 bytes."""
    cdef __m256i v[16]
    cdef const uint8_t* row[32]
    cdef Py_ssize_t r, c = 0, q
    for r in range(32):
        row[r] = src + (r if r < rows else rows - 1) * stride
    while c + 16 <= L:
        for r in range(16):
            v[r] = _mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128(<const __m128i*>(row[r] + c))),
                _mm_loadu_si128(<const __m128i*>(row[r + 16] + c)), 1)
        transpose_16x16_bytes(v)
        for q in range(16):
            _mm256_storeu_si256(<__m256i*>(block + (c + q) * 32), v[q])
        c += 16
    portable_gather(src, stride, rows, c, L, block)


cdef inline void avx2_scatter_uint8(const uint8_t* block, Py_ssize_t L, uint8_t* dst,
                                    Py_ssize_t stride, Py_ssize_t rows) noexcept nogil:
    cdef __m256i v[16]
    cdef Py_ssize_t r, c = 0, q
    while c + 16 <= L:
        for q in range(16):
            v[q] = _mm256_loadu_si256(<const __m256i*>(block + (c + q) * 32))
        transpose_16x16_bytes(v)
        for r in range(min(rows, 16)):
            _mm_storeu_si128(<__m128i*>(dst + r * stride + c), _mm256_castsi256_si128(v[r]))
        for r in range(rows - 16):
            _mm_storeu_si128(<__m128i*>(dst + (r + 16) * stride + c), _mm256_extracti128_si256(v[r], 1))
        c += 16
    portable_scatter(block, c, L, dst, stride, rows)


cdef inline void gather_columns(const sample* src, Py_ssize_t stride, Py_ssize_t rows,
                                Py_ssize_t L, sample* block) noexcept nogil:
    if sample is float:
        avx2_gather_float(src, stride, rows, L, block)
    elif sample is uint8_t:
        avx2_gather_uint8(src, stride, rows, L, block)
    else:
        portable_gather(src, stride, rows, 0, L, block)


cdef inline void scatter_columns(const sample* block, Py_ssize_t L, sample* dst,
                                 Py_ssize_t stride, Py_ssize_t rows) noexcept nogil:
    if sample is float:
        avx2_scatter_float(block, L, dst, stride, rows)
    elif sample is uint8_t:
        avx2_scatter_uint8(block, L, dst, stride, rows)
    else:
        portable_scatter(block, 0, L, dst, stride, rows)


# ----------------------------------------------------------------------------- area

cdef inline void avx2_area_float(float* out, const float* src, const Py_ssize_t* rows,
                                 Py_ssize_t n_rows, const AreaRow* a, Py_ssize_t kd,
                                 Py_ssize_t kh) noexcept nogil:
    """portable_area_row for float32, 8 outputs at a time. A lane's k-th window sample is
    picked from the 16 samples from the block's start (two loads and two permutes) where the
    block fits there (a.local), else gathered; lanes past their own width add +0
    (which changes no sum that starts from +0)."""
    cdef __m256 acc, v, lanes, high, zero = _mm256_setzero_ps()
    cdef __m256 kd_v = _mm256_set1_ps(<float>kd), kh_v = _mm256_set1_ps(<float>kh)
    cdef __m256i offsets, index, widths, step = _mm256_set1_epi32(<int>a.step)
    cdef const float* row
    cdef Py_ssize_t q = 0, r, k
    while q + 8 <= a.n:
        offsets = _mm256_loadu_si256(<const __m256i*>(a.offsets + q))
        widths = _mm256_loadu_si256(<const __m256i*>(a.widths32 + q))
        high = _mm256_castsi256_ps(_mm256_cmpgt_epi32(offsets, _mm256_set1_epi32(7)))
        acc = zero
        for r in range(n_rows):
            row = src + rows[r] + a.block_start[q >> 3]
            index = offsets
            for k in range(a.widest):
                lanes = _mm256_castsi256_ps(_mm256_cmpgt_epi32(widths, _mm256_set1_epi32(<int>k)))
                if a.local[q >> 3]:
                    v = _mm256_blendv_ps(
                        _mm256_permutevar8x32_ps(_mm256_loadu_ps(row + k * a.step), offsets),
                        _mm256_permutevar8x32_ps(_mm256_loadu_ps(row + k * a.step + 8), offsets), high)
                    acc = _mm256_add_ps(acc, _mm256_and_ps(v, lanes))
                else:
                    acc = _mm256_add_ps(acc, _mm256_mask_i32gather_ps(zero, row, index, lanes, 4))
                    index = _mm256_add_epi32(index, step)
        acc = _mm256_div_ps(_mm256_div_ps(_mm256_div_ps(acc, kd_v), kh_v), _mm256_cvtepi32_ps(widths))
        _mm256_storeu_ps(out + q, acc)
        q += 8
    portable_area_row(out, src, rows, n_rows, a, kd, kh, q)


cdef inline void area_row(pooled* out, const pooled* src, const Py_ssize_t* rows,
                          Py_ssize_t n_rows, const AreaRow* a, Py_ssize_t kd,
                          Py_ssize_t kh) noexcept nogil:
    if pooled is float:
        if a.offsets != NULL:
            avx2_area_float(out, src, rows, n_rows, a, kd, kh)
            return
    portable_area_row(out, src, rows, n_rows, a, kd, kh, 0)


# ----------------------------------------------------------------------------- nearest

cdef inline void avx2_gather_row_32(uint32_t* dst, const uint32_t* src,
                                    const GatherRow* g) noexcept nogil:
    """Blocks of 8 samples whose sources lie within 16 of the block's first: two loads and
    two permutes; other blocks one by one."""
    cdef __m256i offsets
    cdef __m256 high
    cdef const float* p
    cdef Py_ssize_t e = 0, j
    while e + 8 <= g.n:
        if g.local[e >> 3]:
            offsets = _mm256_cvtepu8_epi32(_mm_loadl_epi64(<const __m128i*>(g.offsets + e)))
            high = _mm256_castsi256_ps(_mm256_cmpgt_epi32(offsets, _mm256_set1_epi32(7)))
            p = <const float*>(src + g.index[e])
            _mm_prefetch(<const char*>(p + PREFETCH_SAMPLES), 3)
            _mm256_storeu_ps(<float*>(dst + e), _mm256_blendv_ps(
                _mm256_permutevar8x32_ps(_mm256_loadu_ps(p), offsets),
                _mm256_permutevar8x32_ps(_mm256_loadu_ps(p + 8), offsets), high))
        else:
            for j in range(e, e + 8):
                dst[j] = src[g.index[j]]
        e += 8
    portable_gather_row(dst, src, g, e)


cdef inline void avx2_gather_row_8(uint8_t* dst, const uint8_t* src,
                                   const GatherRow* g) noexcept nogil:
    """Blocks of 16 bytes whose sources lie within 32 of the block's first (a 2x shrink
    of any channel count still does): two loads, a byte shuffle of each and a blend by
    offset; other blocks one by one."""
    cdef Py_ssize_t e = 0, j
    cdef const uint8_t* p
    cdef __m128i offsets
    while e + 16 <= g.n:
        if g.local[e >> 4]:
            p = src + g.index[e]
            offsets = _mm_loadu_si128(<const __m128i*>(g.offsets + e))
            _mm_storeu_si128(<__m128i*>(dst + e), _mm_blendv_epi8(
                _mm_shuffle_epi8(_mm_loadu_si128(<const __m128i*>p), offsets),
                _mm_shuffle_epi8(_mm_loadu_si128(<const __m128i*>(p + 16)), offsets),
                _mm_cmpgt_epi8(offsets, _mm_set1_epi8(15))))
        else:
            for j in range(e, e + 16):
                dst[j] = src[g.index[j]]
        e += 16
    portable_gather_row(dst, src, g, e)


cdef inline void gather_row(element* dst, const element* src, const GatherRow* g) noexcept nogil:
    if element is uint32_t:
        if g.local != NULL:
            avx2_gather_row_32(dst, src, g)
            return
    elif element is uint16_t:
        if g.local != NULL:
            avx2_gather_row_16(dst, src, g)
            return
    elif element is uint8_t:
        if g.local != NULL:
            avx2_gather_row_8(dst, src, g)
            return
    portable_gather_row(dst, src, g, 0)


include "_rows_avx2_half.pxi"
