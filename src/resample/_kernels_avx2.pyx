# The kernels of _kernels.pyx compiled for x86-64 with AVX2 (setup.py adds the flag).
# Same source, same arithmetic, no fused multiply-add: results are bit-identical to the
# baseline build; _api picks this module at import when the CPU has AVX2.
include "_kernels.pyx"
