# ----------------------------------------------------------------------------- MATLAB
# (included by _plans.pyx) MATLAB's imresize: its kernels and its `contributions` table per
# axis, in double, in the order of operations of imresize.m (compat/matlab.py).

cdef double MATLAB_EPS = 2.220446049250313e-16          # MATLAB's eps


cdef double matlab_kernel(int kind, double x) noexcept nogil:
    """box 0, triangle 1, cubic 2 (Keys, a = -0.5), lanczos2 3, lanczos3 4, as imresize.m
    writes them (x.^2 and x.^3 as products; lanczos with its +eps guards)."""
    cdef double ax = fabs(x), ax2, ax3, a
    if kind == 0:
        return 1.0 if -0.5 <= x < 0.5 else 0.0
    if kind == 1:
        if -1.0 <= x < 0.0:
            return x + 1
        return 1 - x if 0.0 <= x <= 1.0 else 0.0
    if kind == 2:
        ax2 = ax * ax
        ax3 = ax * ax * ax
        if ax <= 1:
            return 1.5 * ax3 - 2.5 * ax2 + 1
        if ax <= 2:
            return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2
        return 0.0
    a = 2.0 if kind == 3 else 3.0
    if ax >= a:
        return 0.0
    return (sin(M_PI * x) * sin(M_PI * x / a) + MATLAB_EPS) / ((M_PI * M_PI * (x * x) / a) + MATLAB_EPS)


def matlab_plan(int kind, double width, Py_ssize_t n_in, Py_ssize_t n_out, double scale,
                bint antialias):
    """(taps, weights, counts) of imresize's contributions(n_in, n_out, scale, kernel,
    width, antialias): output i (1-based in MATLAB) at u = i/scale + 0.5*(1 - 1/scale)
    reads ceil(width) + 2 inputs from floor(u - width/2) on, weights h(u - j) (h widened
    by 1/scale when shrinking with antialias) divided by their sum, indices mirrored at
    the edges (symmetric padding), and the columns zero for every output dropped."""
    cdef bint widen = scale < 1 and antialias
    cdef double w = width / scale if widen else width
    cdef Py_ssize_t p = <Py_ssize_t>ceil(w) + 2
    cdef Py_ssize_t i, k, j, period = 2 * n_in
    cdef double u, total
    cdef long long left
    taps = np.zeros((n_out, p), np.intp)
    weights = np.zeros((n_out, p), np.float64)
    cdef Py_ssize_t[:, ::1] t = taps
    cdef double[:, ::1] v = weights
    for i in range(n_out):
        u = (i + 1) / scale + 0.5 * (1 - 1 / scale)
        left = <long long>floor(u - w / 2)
        total = 0.0
        for k in range(p):
            if widen:
                v[i, k] = scale * matlab_kernel(kind, scale * (u - <double>(left + k)))
            else:
                v[i, k] = matlab_kernel(kind, u - <double>(left + k))
            total += v[i, k]
            j = (left + k - 1) % period             # the mirrored index, 0-based
            if j < 0:
                j += period
            t[i, k] = j if j < n_in else period - 1 - j
        for k in range(p):
            v[i, k] = v[i, k] / total
    keep = np.flatnonzero((weights != 0).any(axis=0))
    taps, weights = np.ascontiguousarray(taps[:, keep]), np.ascontiguousarray(weights[:, keep])
    return taps, weights, np.full(n_out, len(keep), np.intp)
