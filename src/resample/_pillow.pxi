# Pillow's and torch's own kernels for compat (see _kernels_impl.pxi): double sums stored
# as Pillow stores them, alpha, LAB's signed bands, reduce(), torch's 2-D corner kernel.

# ----------------------------------------------------------------------------- Pillow's modes

ctypedef fused pillow_sample:    # Pillow's I;16, I and F images, resampled in double
    uint16_t
    int32_t
    float


cdef inline double pillow_round(double v) noexcept nogil:
    """Pillow's ROUND_UP: half away from zero, by truncating v +- 0.5 (in double)."""
    return trunc(v + 0.5) if v >= 0.0 else trunc(v - 0.5)


ctypedef fused widened_sample:   # what compat resamples in double: Pillow's, MATLAB's types
    uint8_t
    uint16_t
    int32_t
    float


def widen_to_double(const widened_sample[::1] src, double[::1] dst, int num_threads):
    """uint8, I;16, I and F samples -> float64 (exact)."""
    cdef Py_ssize_t i, n = src.shape[0]
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            dst[i] = src[i]


def pillow_store(const double[::1] src, pillow_sample[::1] dst, int num_threads):
    """A pass's double sums back into the image's type, as Pillow writes them: F rounds to
    float32; I and I;16 round half away from zero by truncating s +- 0.5 (ROUND_UP) and
    clamp, I;16 to 0..65535 (CLIP16), I to int32's range (where C's conversion overflows)."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef double v
    cdef double lowest = 0 if pillow_sample is uint16_t else -2147483648.0
    cdef double highest = 65535 if pillow_sample is uint16_t else 2147483647.0
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = src[i]
            if pillow_sample is float:
                dst[i] = <float>v
            else:
                v = pillow_round(v)
                dst[i] = <pillow_sample>(lowest if v < lowest else (highest if v > highest else v))


def pillow_fused_pass(const double[:, :, ::1] src, double[:, :, ::1] dst,
                      const Py_ssize_t[:, ::1] taps, const double[:, ::1] weights,
                      const Py_ssize_t[::1] counts, int num_threads):
    """One pass of Pillow's double resampling (I;16, I, F) along axis 1 of (outer, n, inner)
    as its ARM wheels sum: ss = fma(pixel, k, ss) from ss = 0, tap by tap (their compilers
    contract Pillow's `ss += pixel * k`; the x86-64 wheels round each product, as the
    generic double kernels do)."""
    cdef Py_ssize_t outer = src.shape[0], inner = src.shape[2], n_out = dst.shape[1]
    cdef Py_ssize_t row, o, i, j, k
    cdef double ss
    with nogil:
        for row in prange(outer * n_out, num_threads=threads_for(num_threads, outer * n_out * inner),
                          schedule="static"):
            o = row // n_out
            i = row % n_out
            for j in range(inner):
                ss = 0.0
                for k in range(counts[i]):
                    ss = fma(src[o, taps[i, k], j], weights[i, k], ss)
                dst[o, i, j] = ss


def premultiply_alpha(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                      int num_threads):
    """Pillow's RGBA -> RGBa and LA -> La: every colour sample times alpha / 255, as
    MULDIV255 rounds it (t = c * a + 128; ((t >> 8) + t) >> 8); the last channel is alpha."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    cdef unsigned int alpha, t
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            alpha = src[p * channels + channels - 1]
            for c in range(channels - 1):
                t = src[p * channels + c] * alpha + 128
                dst[p * channels + c] = <uint8_t>(((t >> 8) + t) >> 8)
            dst[p * channels + channels - 1] = <uint8_t>alpha


def unpremultiply_alpha(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                        int num_threads):
    """Pillow's RGBa -> RGBA and La -> LA: colour samples of a pixel whose alpha is neither
    0 nor 255 become min(255 * c // alpha, 255); the others are kept."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    cdef unsigned int alpha, v
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            alpha = src[p * channels + channels - 1]
            for c in range(channels - 1):
                v = src[p * channels + c]
                if alpha != 0 and alpha != 255:
                    v = 255 * v // alpha
                    v = 255 if v > 255 else v
                dst[p * channels + c] = <uint8_t>v
            dst[p * channels + channels - 1] = <uint8_t>alpha


def flip_high_bits(const uint8_t[::1] src, uint8_t[::1] dst, Py_ssize_t channels,
                   Py_ssize_t first, int num_threads):
    """Pillow's LAB storage: bands first.. of each pixel with their top bit flipped (x ^ 128),
    so signed bytes (LAB's a and b) become the offset bytes Pillow resamples, and back."""
    cdef Py_ssize_t p, c, n = src.shape[0] // channels
    with nogil:
        for p in prange(n, num_threads=threads_for(num_threads, src.shape[0]), schedule="static"):
            for c in range(channels):
                dst[p * channels + c] = src[p * channels + c] ^ 0x80 if c >= first else src[p * channels + c]


ctypedef fused pillow_reduced:   # the image types Pillow's reduce() takes
    uint8_t
    int32_t
    float


cdef inline double pillow_block_sum(const pillow_reduced* p, Py_ssize_t row, Py_ssize_t step,
                                    int xs, int ys) noexcept nogil:
    """The sum of an xs x ys block (row: samples between rows, step: between pixels) in the
    order of Pillow's ImagingReduceNxN_32bpc: 2x2 groups summed in the image's type, then
    added to a double; an odd last column and row after them."""
    cdef double ss = 0
    cdef int yy = 0, xx
    cdef const pillow_reduced* a
    cdef const pillow_reduced* b
    while yy < ys - 1:
        a = p + yy * row
        b = a + row
        xx = 0
        while xx < xs - 1:
            ss += a[xx * step] + a[(xx + 1) * step] + b[xx * step] + b[(xx + 1) * step]
            xx += 2
        if xs & 1:
            ss += a[xx * step] + b[xx * step]
        yy += 2
    if ys & 1:
        a = p + yy * row
        xx = 0
        while xx < xs - 1:
            ss += a[xx * step] + a[(xx + 1) * step]
            xx += 2
        if xs & 1:
            ss += a[xx * step]
    return ss


def pillow_reduce(const pillow_reduced[:, :, ::1] src, pillow_reduced[:, :, ::1] dst,
                  int x0, int y0, int w, int h, int xs, int ys, int num_threads):
    """Pillow's Image.reduce((xs, ys), box): the mean of each xs x ys block of the w x h
    region at (x0, y0), the last column and row averaging what remains. uint8 as Pillow's
    fixed point, ((sum + k // 2) * trunc(2^32 / (256 k) in float32)) >> 24 in uint32 for a
    block of k samples; I and F with Pillow's summation order (pillow_block_sum inside,
    plain row order in the partial blocks) times 1.0 / k, I rounded half away from zero."""
    cdef Py_ssize_t channels = src.shape[2], row = src.shape[1] * channels
    cdef Py_ssize_t y, x, c, yy, xx
    cdef int bw, bh, k
    cdef double ss
    cdef uint32_t total
    cdef const pillow_reduced* p
    with nogil:
        for y in prange(dst.shape[0], num_threads=threads_for(num_threads, src.shape[0] * row),
                        schedule="static"):
            bh = ys if (y + 1) * ys <= h else h - y * ys
            for x in range(dst.shape[1]):
                bw = xs if (x + 1) * xs <= w else w - x * xs
                k = bw * bh
                for c in range(channels):
                    p = &src[y0 + y * ys, x0 + x * xs, c]
                    if pillow_reduced is uint8_t:
                        total = 0
                        for yy in range(bh):
                            for xx in range(bw):
                                total = total + p[yy * row + xx * channels]
                        dst[y, x, c] = <uint8_t>(((total + <uint32_t>(k // 2))
                                                  * <uint32_t>(<float>4294967296.0 / <float><uint32_t>(256 * k))) >> 24)
                    else:
                        if bw == xs and bh == ys:
                            ss = pillow_block_sum(p, row, channels, xs, ys)
                        else:
                            ss = 0
                            for yy in range(bh):
                                for xx in range(bw):
                                    ss += p[yy * row + xx * channels]
                        ss = ss * (1.0 / k)
                        if pillow_reduced is float:
                            dst[y, x, c] = <float>ss
                        else:
                            dst[y, x, c] = <int32_t>pillow_round(ss)


# ----------------------------------------------------------------------------- torch's 2-D corners

def bilinear_corners(const real[::1] src, real[::1] dst, Py_ssize_t planes, Py_ssize_t channels,
                     Py_ssize_t in_h, Py_ssize_t in_w, const Py_ssize_t[:, ::1] taps_h,
                     const real[:, ::1] weights_h, const Py_ssize_t[:, ::1] taps_w,
                     const real[:, ::1] weights_w, int num_threads):
    """torch's channels-last bilinear kernel on (planes, channels, H, W) data: one weight
    per corner (h_a * w_b in the compute type), the four corner terms summed right-nested
    for the channels in whole vector blocks (8 float32 or 4 float64: x00*w00 + (x01*w01 +
    (x10*w10 + x11*w11))) and left to right for the remaining ones. torch picks it for
    small 2-D outputs and 3-channel images on one thread (docs §3.3); torchvision_resize
    reproduces that choice, interpolate never makes it."""
    cdef Py_ssize_t out_h = taps_h.shape[0], out_w = taps_w.shape[0]
    cdef Py_ssize_t block = 8 if real is float else 4
    cdef Py_ssize_t vector_channels = channels - channels % block
    cdef Py_ssize_t plane_in = in_h * in_w, plane_out = out_h * out_w
    cdef Py_ssize_t row, n, oh, ow, c
    cdef real w00, w01, w10, w11
    cdef const real* p
    with nogil:
        for row in prange(planes * out_h, num_threads=threads_for(num_threads, dst.shape[0] * 4),
                          schedule="static"):
            n = row // out_h
            oh = row % out_h
            for ow in range(out_w):
                w00 = weights_h[oh, 0] * weights_w[ow, 0]
                w01 = weights_h[oh, 0] * weights_w[ow, 1]
                w10 = weights_h[oh, 1] * weights_w[ow, 0]
                w11 = weights_h[oh, 1] * weights_w[ow, 1]
                for c in range(channels):
                    p = &src[(n * channels + c) * plane_in]
                    if c < vector_channels:
                        dst[(n * channels + c) * plane_out + oh * out_w + ow] = (
                            p[taps_h[oh, 0] * in_w + taps_w[ow, 0]] * w00
                            + (p[taps_h[oh, 0] * in_w + taps_w[ow, 1]] * w01
                               + (p[taps_h[oh, 1] * in_w + taps_w[ow, 0]] * w10
                                  + p[taps_h[oh, 1] * in_w + taps_w[ow, 1]] * w11)))
                    else:
                        dst[(n * channels + c) * plane_out + oh * out_w + ow] = (
                            p[taps_h[oh, 0] * in_w + taps_w[ow, 0]] * w00
                            + p[taps_h[oh, 0] * in_w + taps_w[ow, 1]] * w01
                            + p[taps_h[oh, 1] * in_w + taps_w[ow, 0]] * w10
                            + p[taps_h[oh, 1] * in_w + taps_w[ow, 1]] * w11)
