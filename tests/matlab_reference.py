"""MATLAB's imresize, transcribed from its documented algorithm into NumPy float64: the
oracle tests/test_compat_matlab.py holds compat.matlab_imresize to, bit for bit in
double (MATLAB itself checks both against its own outputs there). Test code only: slow,
one output sample at a time, in MATLAB's order of operations."""
import math

import numpy as np

EPS = np.finfo(np.float64).eps


def _cubic(x):
    ax = abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1)
            + (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((1 < ax) and (ax <= 2)))


def _lanczos(a):
    def f(x):
        return ((math.sin(math.pi * x) * math.sin(math.pi * x / a) + EPS)
                / ((math.pi ** 2 * (x * x) / a) + EPS)) * (abs(x) < a)
    return f


KERNELS = {  # name: (kernel, width)
    "box": (lambda x: float(-0.5 <= x < 0.5), 1.0),
    "triangle": (lambda x: (x + 1) * (-1 <= x < 0) + (1 - x) * (0 <= x <= 1), 2.0),
    "cubic": (_cubic, 4.0),
    "lanczos2": (_lanczos(2), 4.0),
    "lanczos3": (_lanczos(3), 6.0),
}
METHODS = {"nearest": "box", "bilinear": "triangle", "bicubic": "cubic"}


def contributions(n_in, n_out, scale, kernel, width, antialias):
    """Rows of (indices (0-based), weights) per output, MATLAB's `contributions`."""
    if scale < 1 and antialias:
        h = lambda x: scale * kernel(scale * x)   # noqa: E731
        width = width / scale
    else:
        h = kernel
    p = math.ceil(width) + 2
    rows = []
    for i in range(1, n_out + 1):
        u = i / scale + 0.5 * (1 - 1 / scale)
        left = math.floor(u - width / 2)
        idx = [left + k for k in range(p)]
        w = [h(u - j) for j in idx]
        total = 0.0
        for v in w:
            total += v
        w = [v / total for v in w]
        mirror = list(range(1, n_in + 1)) + list(range(n_in, 0, -1))
        idx = [mirror[(j - 1) % len(mirror)] - 1 for j in idx]
        rows.append((idx, w))
    keep = [k for k in range(p) if any(r[1][k] != 0 for r in rows)]
    return [([r[0][k] for k in keep], [r[1][k] for k in keep]) for r in rows]


def imresize(a, scale=None, output_size=None, method="bicubic", antialiasing=None, cast=None):
    """MATLAB's imresize on an (H, W[, C]) array, in float64; cast: applied after each
    dimension's pass (the stated rule for uint8 and single images)."""
    kernel_name = METHODS.get(method, method)
    kernel, width = KERNELS[kernel_name]
    if antialiasing is None:
        antialiasing = method != "nearest"
    shape = a.shape[:2]
    if output_size is None:
        scales = (scale, scale) if np.isscalar(scale) else tuple(scale)
        output_size = tuple(math.ceil(s * n) for s, n in zip(scales, shape))
    else:
        scales = tuple(o / n for o, n in zip(output_size, shape))
    order = sorted(range(2), key=lambda d: scales[d])
    out = np.array(a, np.float64)
    for dim in order:
        rows = contributions(shape[dim], output_size[dim], scales[dim], kernel, width, antialiasing)
        moved = np.moveaxis(out, dim, 0)
        result = np.empty((output_size[dim],) + moved.shape[1:])
        for i, (idx, w) in enumerate(rows):
            acc = np.zeros(moved.shape[1:])
            for j, v in zip(idx, w):
                acc = acc + v * moved[j]
            result[i] = acc
        out = np.moveaxis(result, 0, dim)
        if cast is not None:
            out = cast(out).astype(np.float64)
    return out
