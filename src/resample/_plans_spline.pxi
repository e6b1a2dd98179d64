# B-spline plans (included by _plans.pyx): SciPy 1.17's scipy.ndimage spline weights, its
# boundary mapping of coordinates and taps, and its zoom coordinates
# (scipy/ndimage/src/ni_splines.c, ni_interpolation.c), in double, operation by operation.
# Boundary codes are SciPy's NI_ExtendMode values (_modes.SCIPY_BOUNDARIES).

from libc.stdint cimport uint8_t

cdef enum:
    NI_NEAREST = 0
    NI_WRAP = 1
    NI_REFLECT = 2
    NI_MIRROR = 3
    NI_CONSTANT = 4
    NI_GRID_WRAP = 5
    NI_GRID_CONSTANT = 6


cdef double map_coordinate(double x, Py_ssize_t n, int mode) noexcept nogil:
    """ni_interpolation.c's map_coordinate: a coordinate outside [0, n - 1] mapped back in
    by the boundary rule (constant: -1)."""
    cdef Py_ssize_t sz
    if x < 0:
        if mode == NI_MIRROR:
            if n <= 1:
                return 0
            sz = 2 * n - 2
            x = sz * <Py_ssize_t>(-x / sz) + x
            return x + sz if x <= 1 - n else -x
        if mode == NI_REFLECT:
            if n <= 1:
                return 0
            sz = 2 * n
            if x < -sz:
                x = sz * <Py_ssize_t>(-x / sz) + x
            # SciPy's -1e-15 guard against (-x - 1) == -1
            return x + sz if x < -n else (1e-15 if x > -1e-15 else -x) - 1
        if mode == NI_WRAP:
            if n <= 1:
                return 0
            sz = n - 1
            return x + sz * (<Py_ssize_t>(-x / sz) + 1)
        if mode == NI_GRID_WRAP:
            if n <= 1:
                return 0
            return x + n * (<Py_ssize_t>((-1 - x) / n) + 1)
        if mode == NI_NEAREST:
            return 0
        if mode == NI_CONSTANT:
            return -1
    elif x > n - 1:
        if mode == NI_MIRROR:
            if n <= 1:
                return 0
            sz = 2 * n - 2
            x -= sz * <Py_ssize_t>(x / sz)
            return sz - x if x >= n else x
        if mode == NI_REFLECT:
            if n <= 1:
                return 0
            sz = 2 * n
            x -= sz * <Py_ssize_t>(x / sz)
            return sz - x - 1 if x >= n else x
        if mode == NI_WRAP:
            if n <= 1:
                return 0
            sz = n - 1
            return x - sz * <Py_ssize_t>(x / sz)
        if mode == NI_GRID_WRAP:
            if n <= 1:
                return 0
            return x - n * <Py_ssize_t>(x / n)
        if mode == NI_NEAREST:
            return n - 1
        if mode == NI_CONSTANT:
            return -1
    return x


cdef void spline_weights(double x, int order, double* w) noexcept nogil:
    """ni_splines.c's get_spline_interpolation_weights: the order + 1 B-spline weights at
    x, the last one 1 minus the others."""
    cdef double y, z, t
    cdef int i
    x -= floor(x if order & 1 else x + 0.5)
    y = x
    z = 1.0 - x
    if order == 1:
        w[0] = 1.0 - x
    elif order == 2:
        w[1] = 0.75 - x * x
        y = 0.5 - x
        w[0] = 0.5 * y * y
    elif order == 3:
        w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0
        w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0
        w[0] = z * z * z / 6.0
    elif order == 4:
        t = x * x
        w[2] = t * (t * 0.25 - 0.625) + 115.0 / 192.0
        y = 1.0 + x
        w[1] = y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        w[3] = z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        y = 0.5 - x
        t = y * y
        w[0] = t * t / 24.0
    elif order == 5:
        t = y * y
        w[2] = t * (t * (0.25 - y / 12.0) - 0.5) + 0.55
        t = z * z
        w[3] = t * (t * (0.25 - z / 12.0) - 0.5) + 0.55
        y += 1.0
        w[1] = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        z += 1.0
        w[4] = z * (z * (z * (z * (z / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        y = 1.0 - x
        t = y * y
        w[0] = y * t * t / 120.0
    w[order] = 1.0
    for i in range(order):
        w[order] -= w[i]


cdef void fill_spline(Py_ssize_t[:, ::1] taps, double[:, ::1] weights, uint8_t[::1] outside,
                      Py_ssize_t n, double zoom, int order, int mode, bint grid_mode,
                      Py_ssize_t npad) noexcept nogil:
    cdef Py_ssize_t n_out = taps.shape[0], kk, hh, start, idx
    # the rule for taps past an edge: constant and wrap read mirrored taps (SciPy's
    # _get_spline_boundary_mode)
    cdef int tap_mode = NI_MIRROR if mode == NI_CONSTANT or mode == NI_WRAP else mode
    cdef double cc
    for kk in range(n_out):
        cc = <double>kk
        if grid_mode:
            cc = (cc + 0.5) * zoom - 0.5
        else:
            cc = cc * zoom
        cc += <double>npad
        if mode != NI_GRID_CONSTANT and mode != NI_NEAREST:
            cc = map_coordinate(cc, n, mode)
        if not (cc > -1.0 or mode == NI_GRID_CONSTANT or mode == NI_NEAREST):
            outside[kk] = 1            # constant: this output is cval
            for hh in range(order + 1):
                taps[kk, hh] = 0
                weights[kk, hh] = 0
            continue
        outside[kk] = 0
        start = <Py_ssize_t>floor(cc if order & 1 else cc + 0.5) - order // 2
        for hh in range(order + 1):
            idx = start + hh
            if start < 0 or start + order >= n:
                if mode == NI_GRID_CONSTANT:
                    idx = -1 if idx < 0 or idx >= n else idx        # -1: reads cval
                else:
                    idx = <Py_ssize_t>map_coordinate(<double>idx, n, tap_mode)
            taps[kk, hh] = idx
        if order > 0:
            spline_weights(cc, order, &weights[kk, 0])
        else:
            weights[kk, 0] = 1


def spline_plan(Py_ssize_t n, Py_ssize_t n_out, double zoom, int order, int mode,
                bint grid_mode, Py_ssize_t npad=0):
    """(taps, weights, outside) of SciPy's zoom along one axis of n samples (n: the
    prefiltered array's, padded by npad either side where SciPy pads): output k samples
    the coordinate k * zoom (grid_mode: (k + 0.5) * zoom - 0.5) + npad with the order + 1
    B-spline weights; taps past an edge are mapped by the boundary rule `mode` (a SciPy
    NI_ExtendMode code), -1 where they read cval (grid-constant); outside[k] = 1 where the
    output is cval itself (constant, its coordinate out of range)."""
    if not 0 <= order <= 5:
        raise ValueError(f"order must be 0..5, got {order}")
    taps = np.zeros((n_out, order + 1), np.intp)
    weights = np.zeros((n_out, order + 1), np.float64)
    outside = np.zeros(n_out, np.uint8)
    fill_spline(taps, weights, outside, n, zoom, order, mode, grid_mode, npad)
    return taps, weights, outside


def filter_extension(Py_ssize_t n, Py_ssize_t size, int mode):
    """The source sample of each of the n + 2 * size samples of a line extended by size
    either side as SciPy's filters extend it (ni_support.c's NI_ExtendLine; mode an
    NI_ExtendMode code as _extend_mode_to_code(mode, is_filter=True) gives it): -1 where
    the sample is cval."""
    if n < 1 or size < 0:
        raise ValueError(f"filter_extension: n must be positive and size non-negative, got {n}, {size}")
    index = np.full(n + 2 * size, -1, np.intp)
    cdef Py_ssize_t[::1] e = index
    cdef Py_ssize_t first = size, last = size + n, src, dst, before = size, after = size, i
    for i in range(n):
        e[first + i] = i
    if n == 1 and mode == NI_MIRROR:
        mode = NI_NEAREST
    if mode == NI_NEAREST:
        for i in range(size):
            e[i] = 0
            e[last + i] = n - 1
    elif mode == NI_WRAP or mode == NI_GRID_WRAP:
        src, dst = last - 1, first - 1
        while before > 0:
            e[dst] = e[src]
            dst -= 1
            src -= 1
            before -= 1
        src, dst = first, last
        while after > 0:
            e[dst] = e[src]
            dst += 1
            src += 1
            after -= 1
    elif mode == NI_REFLECT or mode == NI_MIRROR:
        # reflect: abcddcba|abcd|dcbaabcd; mirror: cbabcdcb|abcd|cbabcdcb
        skip = 1 if mode == NI_MIRROR else 0
        src, dst = first + skip, first - 1
        while before > 0 and src < last:
            e[dst] = e[src]
            dst -= 1
            src += 1
            before -= 1
        src = last - 1 - skip
        while before > 0:
            e[dst] = e[src]
            dst -= 1
            src -= 1
            before -= 1
        src, dst = last - 1 - skip, last
        while after > 0 and src >= first:
            e[dst] = e[src]
            dst += 1
            src -= 1
            after -= 1
        src = first + skip
        while after > 0:
            e[dst] = e[src]
            dst += 1
            src += 1
            after -= 1
    elif mode != NI_CONSTANT and mode != NI_GRID_CONSTANT:
        raise ValueError(f"filter_extension: mode {mode} not supported")
    return index
