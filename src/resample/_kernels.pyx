"""Typed nogil kernels, portable build (any CPU). Every output element is written by one
thread with the same arithmetic whatever the thread count, so results never depend on it.

Buffers are flat, C-contiguous in memory order; the API layer says which memory axis is
being resampled by giving (outer, n, inner) around it. The body is _kernels_impl.pxi; the
row primitives it is built from are _rows_baseline.pxi here and _rows_avx2.pxi in the
AVX2 build (_kernels_avx2.pyx), which gives the same bits.
"""

include "_rows_baseline.pxi"
include "_kernels_impl.pxi"
