# MATLAB's own conversion for compat.matlab_imresize (see _kernels_impl.pxi): its uint8 and
# single images are resized one dimension at a time in double (widen_to_double in) and
# stored back in their class after each, as imresize's per-dimension step returns its
# input's class.

from libc.math cimport round as c_round

ctypedef fused matlab_sample:
    uint8_t
    float


def matlab_store(const double[::1] src, matlab_sample[::1] dst, int num_threads):
    """double -> the image's class as MATLAB converts: uint8 rounds half away from zero
    and saturates to 0..255 (NaN -> 0); single rounds to nearest."""
    cdef Py_ssize_t i, n = src.shape[0]
    cdef double v
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            v = src[i]
            if matlab_sample is float:
                dst[i] = <float>v
            else:
                v = c_round(v)
                dst[i] = 0 if not (v > 0) else (255 if v > 255 else <uint8_t>v)
