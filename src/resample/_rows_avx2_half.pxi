# The AVX2 row primitives for 16-bit samples (included by _rows_avx2.pxi): bfloat16 rows
# widened and narrowed 16 samples at a time with the integer arithmetic of _half.h (so the
# same bits as the portable loops), float16 rows by those loops, and nearest's gather of
# 16-bit samples by byte shuffles.

cdef extern from "immintrin.h" nogil:
    __m256i _mm256_cvtepu16_epi32(__m128i)
    __m256i _mm256_slli_epi32(__m256i, int)
    __m256i _mm256_srli_epi32(__m256i, int)
    __m256i _mm256_and_si256(__m256i, __m256i)
    __m256i _mm256_or_si256(__m256i, __m256i)
    __m256i _mm256_blendv_epi8(__m256i, __m256i, __m256i)
    __m256i _mm256_packus_epi32(__m256i, __m256i)
    __m256i _mm256_permute4x64_epi64(__m256i, int)
    __m256i _mm256_castps_si256(__m256)
    void _mm256_stream_si256(__m256i*, __m256i)


cdef inline void widen_row(const uint16_t* src, float* dst, Py_ssize_t n, bint bfloat16) noexcept nogil:
    """portable_widen_row; bfloat16: each sample's bits moved to the top half of a float32."""
    cdef Py_ssize_t c = 0
    if bfloat16:
        while c + 8 <= n:
            _mm256_storeu_ps(dst + c, _mm256_castsi256_ps(_mm256_slli_epi32(
                _mm256_cvtepu16_epi32(_mm_loadu_si128(<const __m128i*>(src + c))), 16)))
            c += 8
    portable_widen_row(src, dst, c, n, bfloat16)


cdef inline __m256i bfloat16_lanes(__m256 v) noexcept nogil:
    """resample_float_to_bfloat16 of 8 samples, in the low halves of the 32-bit lanes: the
    bits rounded to nearest even by adding 0x7fff and the kept low bit (wrapping as uint32
    does), a NaN's top half with its quiet bit set."""
    cdef __m256i x = _mm256_castps_si256(v)
    cdef __m256i top = _mm256_srli_epi32(x, 16)
    cdef __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(x, _mm256_set1_epi32(0x7fffffff)),
                                          _mm256_set1_epi32(0x7f800000))
    cdef __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(
        _mm256_add_epi32(x, _mm256_set1_epi32(0x7fff)), _mm256_and_si256(top, _mm256_set1_epi32(1))), 16)
    return _mm256_blendv_epi8(rounded, _mm256_or_si256(top, _mm256_set1_epi32(0x40)), nan)


cdef inline __m256i bfloat16_16(__m256 lo, __m256 hi) noexcept nogil:
    """16 samples rounded to bfloat16, in order (packus interleaves the 128-bit lanes)."""
    return _mm256_permute4x64_epi64(_mm256_packus_epi32(bfloat16_lanes(lo), bfloat16_lanes(hi)), 0xD8)


cdef inline void store_bfloat16_32(uint16_t* dst, __m256 a0, __m256 a1, __m256 a2, __m256 a3,
                                   bint stream) noexcept nogil:
    """32 samples rounded to bfloat16 into dst (stream: one aligned cache line, streamed)."""
    if stream:
        _mm256_stream_si256(<__m256i*>dst, bfloat16_16(a0, a1))
        _mm256_stream_si256(<__m256i*>(dst + 16), bfloat16_16(a2, a3))
    else:
        _mm256_storeu_si256(<__m256i*>dst, bfloat16_16(a0, a1))
        _mm256_storeu_si256(<__m256i*>(dst + 16), bfloat16_16(a2, a3))


cdef inline void narrow_row(const float* src, uint16_t* dst, Py_ssize_t n, bint bfloat16,
                            bint stream) noexcept nogil:
    """portable_narrow_row; bfloat16 16 samples at a time. stream (a large output): rows of
    STREAM_ROW samples or more go to memory with non-temporal stores, whole cache lines from
    the row's first 64-byte boundary on, the samples around them one by one (as
    avx2_combine_float; the caller ends its task with store_fence)."""
    cdef Py_ssize_t c = 0, end
    if not bfloat16 or n < 16:
        portable_narrow_row(src, dst, 0, n, bfloat16)
        return
    if stream and n >= STREAM_ROW and (<size_t>dst) % sizeof(uint16_t) == 0:
        c = (64 - (<size_t>dst) % 64) % 64 // sizeof(uint16_t)
        portable_narrow_row(src, dst, 0, c, True)
        end = c + (n - c) // 32 * 32
        while c < end:
            store_bfloat16_32(dst + c, _mm256_loadu_ps(src + c), _mm256_loadu_ps(src + c + 8),
                              _mm256_loadu_ps(src + c + 16), _mm256_loadu_ps(src + c + 24), True)
            c += 32
    else:
        while c + 16 <= n:
            _mm256_storeu_si256(<__m256i*>(dst + c), bfloat16_16(_mm256_loadu_ps(src + c),
                                                                 _mm256_loadu_ps(src + c + 8)))
            c += 16
    portable_narrow_row(src, dst, c, n, True)


cdef inline void combine_rows16(uint16_t* dst, float* stage, const float* src, Py_ssize_t stride,
                                Py_ssize_t base, const Plan* plan, Py_ssize_t i, Py_ssize_t L,
                                bint bfloat16, bint stream) noexcept nogil:
    """combine_rows of a float32 row narrowed to 16-bit floats into dst as written:
    bfloat16 rounded in registers by combine_float_32 (32 samples at a time; the samples
    around those blocks through `stage`, L float32 samples), float16 through stage."""
    cdef const Py_ssize_t* taps = plan.taps + i * plan.width
    cdef const float* w = <const float*>plan.weights + i * plan.width
    cdef Py_ssize_t n = plan.counts[i], c = 0
    if not bfloat16 or n == 0 or L < 32:
        combine_rows(stage, src, stride, base, plan, i, L, False)
        narrow_row(stage, dst, L, bfloat16, stream)
        return
    stream = stream and L >= STREAM_ROW and (<size_t>dst) % sizeof(uint16_t) == 0
    if stream:                   # the samples before the first cache line
        c = min(L, (64 - (<size_t>dst) % 64) % 64 // sizeof(uint16_t))
        portable_combine_real(stage, src, stride, base, taps, w, n, 0, c)
        portable_narrow_row(stage, dst, 0, c, True)
    if n == 2:                   # two taps (bilinear): a constant count, the tap loop unrolled
        c = combine_float_32(NULL, dst, src, stride, base, taps, w, 2, c, L, stream)
    else:
        c = combine_float_32(NULL, dst, src, stride, base, taps, w, n, c, L, stream)
    portable_combine_real(stage, src, stride, base, taps, w, n, c, L)
    portable_narrow_row(stage, dst, c, L, True)


cdef inline void avx2_gather_row_16(uint16_t* dst, const uint16_t* src,
                                    const GatherRow* g) noexcept nogil:
    """Blocks of 8 samples whose sources lie within 16 of the block's first: two 16-byte
    loads, each byte-shuffled by its mask (nearest_step's, 32 bytes a block: the bytes of
    the samples in the first load, then in the second; -1 elsewhere) and or-ed; other
    blocks one by one."""
    cdef const uint16_t* p
    cdef const __m128i* mask
    cdef Py_ssize_t e = 0, j
    while e + 8 <= g.n:
        if g.local[e >> 3]:
            p = src + g.index[e]
            mask = <const __m128i*>(g.offsets + 4 * e)
            _mm_storeu_si128(<__m128i*>(dst + e), _mm_or_si128(
                _mm_shuffle_epi8(_mm_loadu_si128(<const __m128i*>p), _mm_loadu_si128(mask)),
                _mm_shuffle_epi8(_mm_loadu_si128(<const __m128i*>(p + 8)), _mm_loadu_si128(mask + 1))))
        else:
            for j in range(e, e + 8):
                dst[j] = src[g.index[j]]
        e += 8
    portable_gather_row(dst, src, g, e)
