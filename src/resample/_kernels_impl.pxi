# The kernels' body, compiled once per instruction set: _kernels.pyx (portable) and
# _kernels_avx2.pyx each include their row primitives, then this file, which includes the
# kernel families in turn:
#   _passes.pxi    separable passes: plans along one axis, planes and volumes fused
#   _program.pxi   Steps and Programs: every kernel call prepared once, run without the GIL
#   _known.pxi     repeated calls: their key, and their program run into a new output
#   _convert.pxi   dtype conversions (float16, bfloat16, 16-bit integers, rounding to integers)
#   _half_rows.pxi 16-bit float input and output of the float32 steps, row by row
#   _pillow.pxi    Pillow's and torch's own kernels for compat
#   _opencv.pxi    OpenCV's kernels for compat.cv2_resize: its generic separable path,
#   _opencv_area.pxi     INTER_AREA,
#   _opencv_exact.pxi    INTER_LINEAR_EXACT for int8, uint16, int16 and int32
#   _colour.pxi    sRGB's curve and premultiplied alpha around resize (_colour.py)
#   _spline.pxi    B-spline prefilter and evaluation, SciPy's stores (compat.ndimage_zoom,
#                  resize's spline mode)
#   _spline_planes.pxi   its last two passes and store fused plane by plane
#   _gaussian.pxi  scikit-image's Gaussian (SciPy's symmetric correlate), conversions, clip
#   _labels.pxi    label maps: per-label votes (mode="label") and majority votes
#   _nan.pxi       NaN-aware resizing: valid samples and mask split, sums divided
#   _capi.pxi      the C API (include/resample.h)
#
# The row primitive contract. Each build defines these, with the same names and the same
# bits on every sample (_rows_baseline.pxi: plain loops from _rows_portable.pxi;
# _rows_avx2.pxi: intrinsics for float32 and uint8, the plain loops otherwise; neither
# uses fused multiply-add):
#   combine_rows(dst, src, stride, base, plan, i, L, stream)  output row i of a plan: the
#       weighted sum of its input rows (stream: non-temporal stores, AVX2 only)
#   store_fence()                    orders streamed stores before the pass returns
#   gather_columns / scatter_columns R rows <-> a block whose row c is column c of them
#   along_rows(...)                  resample periodic float32 rows in place of transposes;
#                                    False: not done, use the transposes
#   prepare_row_tables(p, inner, t)  fill ROW_TABLES_BYTES at t for along_rows on p (once
#                                    per step; False: none; a build without them has 0)
#   average_2x2_uint8(...)           2x2 block means of a row pair; returns pixels done
#   cv2_linear_column / cv2_cubic_column   OpenCV's uint8 vertical passes; samples done
#   pair_block(...)                  one PairShuffle block; False: not done
#   area_row(...)                    one output row of area pooling
#   gather_row(...)                  one output row of a nearest gather
#   widen_row / narrow_row           a row of float16 or bfloat16 bits <-> float32 (_half.h's
#                                    conversions: exact, and round to nearest even)
#   combine_rows16(dst, stage, ...)  combine_rows of float32 rows, narrowed as written
# A primitive that returns how much it did (0, False) leaves the rest to the caller's
# plain loop, so a build may vectorise any subset.

from cython.parallel cimport prange, threadid
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport fma, nearbyint, nearbyintf, trunc
from libc.string cimport memcmp, memcpy, memmove
from cpython.buffer cimport PyBUF_SIMPLE, PyBUF_WRITABLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.mem cimport PyMem_RawCalloc, PyMem_RawFree, PyMem_RawMalloc

import numpy as np

cdef extern from *:
    """
    #if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    static int resample_cpu_has_avx2(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    }
    #else
    static int resample_cpu_has_avx2(void) { return 0; }
    #endif
    """
    int resample_cpu_has_avx2()


def cpu_has_avx2():
    """Whether this CPU runs AVX2 (always False off x86 and with compilers we can't ask)."""
    return bool(resample_cpu_has_avx2())

# Each thread a kernel starts gets at least this many multiply-adds: below it, starting a
# thread costs more than it saves.
cdef Py_ssize_t MIN_PARALLEL_WORK = 1 << 16


cdef inline int threads_for(int requested, Py_ssize_t work) noexcept nogil:
    cdef Py_ssize_t units = work // MIN_PARALLEL_WORK
    if requested < 1 or units < 1:
        return 1
    return requested if requested < units else <int>units


include "_half_rows.pxi"
include "_passes.pxi"
include "_program.pxi"
include "_known.pxi"
include "_convert.pxi"
include "_pillow.pxi"
include "_opencv.pxi"
include "_opencv_area.pxi"
include "_opencv_exact.pxi"
include "_matlab.pxi"
include "_colour.pxi"
include "_spline.pxi"
include "_spline_planes.pxi"
include "_gaussian.pxi"
include "_labels.pxi"
include "_nan.pxi"
include "_capi.pxi"
