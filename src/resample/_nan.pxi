# NaN-aware resizing (resize(..., nan="ignore"), see _kernels_impl.pxi): the valid samples
# and their mask resampled by the same plans, then divided: sum(w x m) / sum(w m).

from libc.math cimport isnan, NAN

ctypedef fused nan_sample:
    float
    double


def nan_split(const nan_sample[::1] x, nan_sample[::1] zeroed, nan_sample[::1] valid, int num_threads):
    """zeroed = x with its NaNs as 0, valid = 1 where x is not NaN, else 0."""
    cdef Py_ssize_t i, n = x.shape[0]
    if zeroed.shape[0] != n or valid.shape[0] != n:
        raise ValueError("nan_split: x, zeroed and valid differ in size")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            if isnan(x[i]):
                zeroed[i] = 0
                valid[i] = 0
            else:
                zeroed[i] = x[i]
                valid[i] = 1


def nan_divide(const nan_sample[::1] num, const nan_sample[::1] den, nan_sample[::1] out,
               int num_threads):
    """out = num / den, NaN where den is 0 (no valid sample contributes)."""
    cdef Py_ssize_t i, n = num.shape[0]
    if den.shape[0] != n or out.shape[0] != n:
        raise ValueError("nan_divide: num, den and out differ in size")
    with nogil:
        for i in prange(n, num_threads=threads_for(num_threads, n), schedule="static"):
            out[i] = <nan_sample>NAN if den[i] == 0 else num[i] / den[i]
