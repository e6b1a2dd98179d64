"""Build the Cython kernels, with OpenMP when the compiler has it.

RESAMPLE_REQUIRE_OPENMP=1 turns a missing OpenMP into a build error (wheel builds
set it, so no wheel ships serial by accident).
"""
import os
import platform
import sys
import tempfile
import textwrap
import warnings

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

MODULES = ["_openmp", "_plans", "_kernels"]
# Hot kernels compiled again for a wider instruction set, picked at import (_api.py).
# No -mfma: fused multiply-adds would change the bits.
SIMD_VARIANTS = {"_kernels_avx2": {"unix": ["-mavx2"], "msvc": ["/arch:AVX2"]}}


def _is_x86():
    return platform.machine().lower() in ("x86_64", "amd64", "i386", "i686", "x86")

CYTHON_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "initializedcheck": False,
    "cdivision": True,
}

OPENMP_PROBE = textwrap.dedent(
    """
    #include <omp.h>
    int main(void) { return omp_get_max_threads() > 0 ? 0 : 1; }
    """
)


def _openmp_flags(compiler):
    """Return (compile_args, link_args) that enable OpenMP, or None if it doesn't work."""
    if compiler.compiler_type == "msvc":
        candidates = [(["/openmp"], [])]
    elif sys.platform == "darwin":
        candidates = [(["-Xpreprocessor", "-fopenmp"], ["-lomp"]), (["-fopenmp"], ["-fopenmp"])]
    else:
        candidates = [(["-fopenmp"], ["-fopenmp"])]
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "probe.c")
        with open(source, "w") as f:
            f.write(OPENMP_PROBE)
        for compile_args, link_args in candidates:
            try:
                objects = compiler.compile([source], output_dir=tmp, extra_postargs=compile_args)
                compiler.link_executable(objects, "probe", output_dir=tmp, extra_postargs=link_args)
            except Exception:
                continue
            return compile_args, link_args
    return None


class BuildExt(build_ext):
    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            base = ["/O2", "/fp:precise"]
        else:
            # No fused multiply-add: torch's portable kernels round every product.
            base = ["-O3", "-ffp-contract=off"]
        flags = _openmp_flags(self.compiler)
        if flags is None:
            message = (
                "OpenMP was not found: resample is being built WITHOUT threads. "
                "Install an OpenMP runtime (libgomp / libomp) for a parallel build."
            )
            if os.environ.get("RESAMPLE_REQUIRE_OPENMP") == "1":
                raise RuntimeError(message + " (RESAMPLE_REQUIRE_OPENMP=1)")
            warnings.warn("\n" + "*" * 78 + "\n" + message + "\n" + "*" * 78)
            flags = ([], [])
        kind = "msvc" if self.compiler.compiler_type == "msvc" else "unix"
        for ext in self.extensions:
            variant = SIMD_VARIANTS.get(ext.name.rsplit(".", 1)[1], {}).get(kind, [])
            ext.extra_compile_args = base + flags[0] + variant
            ext.extra_link_args = flags[1]
        super().build_extensions()


extensions = [
    Extension(
        f"resample.{name}",
        [f"src/resample/{name}.pyx"],
        include_dirs=[np.get_include(), "src/resample"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )
    for name in MODULES + (list(SIMD_VARIANTS) if _is_x86() else [])
]

setup(
    ext_modules=cythonize(extensions, compiler_directives=CYTHON_DIRECTIVES),
    cmdclass={"build_ext": BuildExt},
)
