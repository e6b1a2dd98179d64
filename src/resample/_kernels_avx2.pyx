"""The kernels of _kernels.pyx for x86-64 with AVX2 (setup.py adds -mavx2): the row
primitives come from _rows_avx2.pxi, the rest is the same source. No fused multiply-add:
results are bit-identical to the portable build; _runtime picks this module at import when the
CPU has AVX2."""

include "_rows_avx2.pxi"
include "_kernels_impl.pxi"
