# Colour around a resize (see _kernels_impl.pxi; called by _colour.py): sRGB's transfer
# curve (IEC 61966-2-1) and premultiplied alpha. decode_colour turns samples into the
# working linear values (float32, or float64 for float64 input) before the resize, with
# the alpha channel (the last of each pixel) multiplied into the colours; encode_colour
# divides it out after the resize and rounds back to the caller's dtype. Every sample is
# computed in double and rounded once to its destination; plain loops, no fused
# multiply-add (-ffp-contract=off), so both builds give the same bits on any thread count.

from libc.math cimport fabs, pow

ctypedef fused colour_in:       # the caller's samples (float16 and bfloat16 come widened)
    uint8_t
    uint16_t
    float
    double

ctypedef fused colour_work:     # the resize's working samples
    float
    double


cdef inline double srgb_to_linear(double c) noexcept nogil:
    """IEC 61966-2-1's decoding, odd-symmetric below 0 (floats may hold negatives)."""
    cdef double a = fabs(c), v
    if a <= 0.04045:
        v = a / 12.92
    else:
        v = pow((a + 0.055) / 1.055, 2.4)
    return -v if c < 0 else v


cdef inline double linear_to_srgb(double v) noexcept nogil:
    """IEC 61966-2-1's encoding, odd-symmetric below 0."""
    cdef double a = fabs(v), c
    if a <= 0.0031308:
        c = a * 12.92
    else:
        c = 1.055 * pow(a, 1.0 / 2.4) - 0.055
    return -c if v < 0 else c


cdef inline Py_ssize_t integer_code(double v, double top, const double* bounds,
                                    const uint16_t* start, Py_ssize_t buckets,
                                    bint wide) noexcept nogil:
    """The integer code of a [0, 1] value v (clamped): round half to even of v * top, or
    with bounds (the linear values where sRGB's code k becomes k + 1, then an infinite
    sentinel) the code whose encoded value rounds from v. start[b] is the code of
    b / buckets; a bucket is narrower than the gap between two of uint8's bounds, so its
    code is found in one branch-free step; uint16's (`wide`) walk a few steps near black."""
    cdef Py_ssize_t k
    if not v > 0:
        return 0
    if v >= 1:
        return <Py_ssize_t>top
    if bounds == NULL:
        return <Py_ssize_t>nearbyint(v * top)
    k = start[<Py_ssize_t>(v * buckets)]
    k += v >= bounds[k]
    if wide:
        while v >= bounds[k]:
            k += 1
    return k


cdef double integer_top(const colour_in[::1] samples):
    """An integer type's largest value (its samples' value / it is in [0, 1]); 0 for floats."""
    if colour_in is uint8_t:
        return 255.0
    if colour_in is uint16_t:
        return 65535.0
    return 0.0


cdef void decode_run(const colour_in* src, colour_work* dst, Py_ssize_t pixels,
                     Py_ssize_t channels, bint alpha, bint gamma, const double* table,
                     const colour_work* pairs, double top, int num_threads) noexcept nogil:
    cdef Py_ssize_t p, c, i, row, k0, k1, k2, n = pixels * channels
    cdef Py_ssize_t colours = channels - 1 if alpha else channels
    cdef double a, v
    cdef float alpha8
    cdef bint tabulated
    cdef int nt = threads_for(num_threads, n)
    if colour_in is uint8_t and colour_work is float:
        if alpha and not gamma:
            # float32(c * a) / 65025, for code c and alpha a: c * a is exact in float32 and
            # the division rounds once, to what the double (c / 255) * (a / 255) rounds to
            # (its error, under 4e-16 of it, is far below its distance from any float32
            # rounding boundary, at least 4.6e-13 of it since 65025 is odd). Vectorised by
            # the compiler, no table.
            if channels == 4:       # RGBA: four statements the compiler makes one vector
                for p in prange(pixels, num_threads=nt, schedule="static"):
                    i = 4 * p
                    alpha8 = src[i + 3]
                    k0, k1, k2 = src[i], src[i + 1], src[i + 2]
                    dst[i] = (k0 * alpha8) / <float>65025.0
                    dst[i + 1] = (k1 * alpha8) / <float>65025.0
                    dst[i + 2] = (k2 * alpha8) / <float>65025.0
                    dst[i + 3] = (<float>255.0 * alpha8) / <float>65025.0
                return
            for p in prange(pixels, num_threads=nt, schedule="static"):
                i = p * channels
                alpha8 = src[i + colours]
                for c in range(colours):
                    dst[i + c] = (src[i + c] * alpha8) / <float>65025.0
                dst[i + colours] = (<float>255.0 * alpha8) / <float>65025.0
            return
    if not alpha:          # every sample through the curve (gamma), one flat loop
        for i in prange(n, num_threads=nt, schedule="static"):
            if colour_in is uint8_t or colour_in is uint16_t:
                if pairs != NULL:
                    dst[i] = pairs[src[i]]
                else:
                    dst[i] = <colour_work>table[src[i]]
            else:
                dst[i] = <colour_work>srgb_to_linear(src[i])
        return
    for p in prange(pixels, num_threads=nt, schedule="static"):
        i = p * channels
        tabulated = False
        if colour_in is uint8_t:
            if pairs != NULL:   # every (alpha, code) product tabulated, in its type (code
                row = <Py_ssize_t>src[i + colours] * 256    # 255 gives alpha: table[255] is 1)
                if channels == 4:     # RGBA: every code read before any store (a float
                    k0, k1, k2 = src[i], src[i + 1], src[i + 2]     # store may alias them)
                    dst[i], dst[i + 1], dst[i + 2] = pairs[row + k0], pairs[row + k1], pairs[row + k2]
                else:
                    for c in range(colours):
                        dst[i + c] = pairs[row + src[i + c]]
                dst[i + colours] = pairs[row + 255]
                tabulated = True
        if not tabulated:
            if colour_in is uint8_t or colour_in is uint16_t:     # read first: may run in place
                a = src[i + colours] / top
            else:
                a = src[i + colours]
            for c in range(colours):
                if colour_in is uint8_t or colour_in is uint16_t:
                    v = table[<Py_ssize_t>src[i + c]]      # the exact curve (or k / top), tabulated
                elif gamma:
                    v = srgb_to_linear(src[i + c])
                else:
                    v = src[i + c]
                dst[i + c] = <colour_work>(v * a)
            dst[i + colours] = <colour_work>a


cdef void encode_run(const colour_work* src, colour_in* dst, Py_ssize_t pixels,
                     Py_ssize_t channels, bint alpha, bint gamma, double top,
                     const double* bounds, const uint16_t* start, Py_ssize_t buckets,
                     int num_threads) noexcept nogil:
    cdef Py_ssize_t p, c, i, n = pixels * channels, colours = channels - 1 if alpha else channels
    cdef double a, v
    cdef int nt = threads_for(num_threads, n)
    if not alpha:
        for i in prange(n, num_threads=nt, schedule="static"):
            if colour_in is uint8_t or colour_in is uint16_t:
                dst[i] = <colour_in>integer_code(src[i], top, bounds, start, buckets,
                                                 colour_in is uint16_t)
            else:
                dst[i] = <colour_in>linear_to_srgb(src[i])
        return
    for p in prange(pixels, num_threads=nt, schedule="static"):
        i = p * channels
        a = src[i + colours]
        if colour_in is uint8_t or colour_in is uint16_t:
            a = 0.0 if not a > 0 else (1.0 if a > 1 else a)     # ringing clamped
            dst[i + colours] = <colour_in>nearbyint(a * top)
        else:
            dst[i + colours] = <colour_in>a
        # un-premultiply (times alpha's reciprocal, in double); where nothing shows, the
        # colour is 0 (black)
        a = 1.0 / a if a > 0 else 0.0
        for c in range(colours):
            v = src[i + c] * a
            if colour_in is uint8_t or colour_in is uint16_t:
                dst[i + c] = <colour_in>integer_code(v, top, bounds, start, buckets,
                                                     colour_in is uint16_t)
            elif gamma:
                dst[i + c] = <colour_in>linear_to_srgb(v)
            else:
                dst[i + c] = <colour_in>v


def decode_colour(const colour_in[::1] src, colour_work[::1] dst, Py_ssize_t channels,
                  bint alpha, bint gamma, const double[::1] table, const colour_work[::1] pairs,
                  int num_threads):
    """Samples (pixels of `channels`, alpha last if `alpha`) -> linear working values:
    integers through `table` (their value / max, through sRGB's curve if `gamma`: table[k]
    in double), floats through the exact curve if `gamma`; colours times alpha (its value
    / max) if `alpha`, rounded once to dst's type. Integers may give `pairs`, what this
    computes (rounded) for every code without alpha, or for every (alpha a, code c) at
    a * 256 + c for uint8 with alpha (empty: computed). May run in place (src is dst)."""
    cdef Py_ssize_t n = src.shape[0]
    if n != dst.shape[0] or channels < 1 or n % channels:
        raise ValueError("decode_colour: src and dst must hold the same whole pixels")
    cdef double top = integer_top(src)
    if top and table.shape[0] != <Py_ssize_t>top + 1:
        raise ValueError("decode_colour: integer samples need a table of every code")
    if pairs.shape[0] and pairs.shape[0] != (65536 if alpha else <Py_ssize_t>top + 1):
        raise ValueError("decode_colour: pairs holds every code (with alpha: every (alpha, "
                         "code) of uint8)")
    cdef const double* t = &table[0] if table.shape[0] else NULL
    cdef const colour_work* q = &pairs[0] if pairs.shape[0] else NULL
    if n:
        with nogil:
            decode_run(&src[0], &dst[0], n // channels, channels, alpha, gamma, t, q, top,
                       num_threads)


def encode_colour(const colour_work[::1] src, colour_in[::1] dst, Py_ssize_t channels,
                  bint alpha, bint gamma, const double[::1] bounds, const uint16_t[::1] start,
                  int num_threads):
    """Linear working values -> the caller's samples, decode_colour's inverse: colours
    times alpha's reciprocal (in double) if `alpha` (0 where alpha is not positive); integers rounded half to
    even after sRGB's exact encoding if `gamma` (through `bounds`, the linear values where
    code k becomes k + 1 and an infinite sentinel, and `start`, the code of every
    b / (len(start) - 1)), clamped to their range; floats through the exact curve if
    `gamma`."""
    cdef Py_ssize_t n = src.shape[0]
    if n != dst.shape[0] or channels < 1 or n % channels:
        raise ValueError("encode_colour: src and dst must hold the same whole pixels")
    cdef double top = integer_top(dst)
    cdef const double* b = NULL
    cdef const uint16_t* s = NULL
    if top and gamma:
        if bounds.shape[0] != <Py_ssize_t>top + 1 or start.shape[0] < 2:
            raise ValueError("encode_colour: integer sRGB needs every code's bound")
        b, s = &bounds[0], &start[0]
    if n:
        with nogil:
            encode_run(&src[0], &dst[0], n // channels, channels, alpha, gamma, top, b, s,
                       start.shape[0] - 1, num_threads)


def srgb_curve(const double[::1] src, double[::1] dst, bint encode):
    """IEC 61966-2-1's curve on doubles (the tables of _colour.py come from it, so integer
    and float inputs meet the very same curve): decoding, or encoding if `encode`."""
    cdef Py_ssize_t i
    if src.shape[0] != dst.shape[0]:
        raise ValueError("srgb_curve: src and dst must have the same length")
    with nogil:
        for i in range(src.shape[0]):
            dst[i] = linear_to_srgb(src[i]) if encode else srgb_to_linear(src[i])
