"""Build the Cython kernels, with OpenMP when the compiler has it.

RESAMPLE_REQUIRE_OPENMP=1 turns a missing OpenMP into a build error (wheel builds
set it, so no wheel ships serial by accident).

The probe compiles and links with the flags of the real build: CFLAGS and CPPFLAGS for
the compile, LDFLAGS (plus CFLAGS and CPPFLAGS, as the extensions' link line has them)
for the link. A sanitizer build (CFLAGS=LDFLAGS="-fsanitize=address,undefined", see
tools/sanitize.sh) so finds OpenMP too. When the probe fails, the warning (or, with
RESAMPLE_REQUIRE_OPENMP=1, the error) carries the compiler's output.
"""
import contextlib
import glob
import hashlib
import os
import shlex
import sys
import sysconfig
import tempfile
import textwrap
import warnings

import Cython
import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

MODULES = ["_openmp", "_plans", "_kernels"]
# Hot kernels compiled again for a wider instruction set, picked at import (_runtime.py).
# No -mfma: fused multiply-adds would change the bits.
SIMD_VARIANTS = {"_kernels_avx2": {"unix": ["-mavx2"], "msvc": ["/arch:AVX2"]}}


def _target_is_x86():
    """Whether the extensions are built for x86, the only target of the AVX2 variant.

    Decided from the *target* platform, ``sysconfig.get_platform()``, which honours
    ``_PYTHON_HOST_PLATFORM`` (set by cross builds: cibuildwheel's macOS arm64 wheels
    built on x86, an aarch64 cross-compiler), not from the build machine's
    ``platform.machine()``. A universal2 build compiles each file once for both
    architectures, so it gets no ``-mavx2`` either."""
    target = sysconfig.get_platform().lower()
    if target.endswith("universal2"):
        return False
    return target == "win32" or target.rsplit("-", 1)[-1] in ("x86_64", "amd64", "i386", "i686", "x86")

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


def _env_flags(name):
    return shlex.split(os.environ.get(name, ""))


def _unless_present(flags, command):
    """flags, or [] when command already holds them in this order (the compiler object
    already carries CFLAGS and CPPFLAGS on a setuptools unix build)."""
    n = len(flags)
    command = list(command or [])
    if n and any(command[i:i + n] == flags for i in range(len(command) - n + 1)):
        return []
    return flags


def _probe_env_args(compiler):
    """(compile_preargs, link_preargs): the environment's flags the real build uses that
    the probe's compile and link commands would otherwise miss. setuptools puts CFLAGS
    and CPPFLAGS on the compile command and LDFLAGS, CFLAGS and CPPFLAGS on the shared
    library link, but links executables with the bare compiler: without LDFLAGS a
    sanitizer or -L/-l flag breaks the probe's link and the build went silently serial."""
    if compiler.compiler_type == "msvc":      # MSVC builds do not read these variables
        return [], []
    cflags, cppflags, ldflags = _env_flags("CFLAGS"), _env_flags("CPPFLAGS"), _env_flags("LDFLAGS")
    compile_cmd = getattr(compiler, "compiler_so", None)
    link_cmd = getattr(compiler, "linker_exe", None)
    compile_pre = _unless_present(cppflags, compile_cmd) + _unless_present(cflags, compile_cmd)
    link_pre = (_unless_present(ldflags, link_cmd) + _unless_present(cflags, link_cmd)
                + _unless_present(cppflags, link_cmd))
    return compile_pre, link_pre


@contextlib.contextmanager
def _captured_output(path):
    """Send this process's (and its children's) stdout and stderr to `path`: the compiler
    runs as a child process that writes its errors straight to file descriptor 2."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        with open(path, "ab") as f:
            os.dup2(f.fileno(), 1)
            os.dup2(f.fileno(), 2)
            try:
                yield
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def _tail(text, lines=40):
    rows = text.strip().splitlines()
    if len(rows) > lines:
        rows = [f"... ({len(rows) - lines} earlier lines left out)"] + rows[-lines:]
    return "\n".join(rows)


def _openmp_flags(compiler):
    """((compile_args, link_args), None) that enable OpenMP, or (None, why) if none works:
    `why` holds each candidate's compiler output."""
    if compiler.compiler_type == "msvc":
        candidates = [(["/openmp"], [])]
    elif sys.platform == "darwin":
        candidates = [(["-Xpreprocessor", "-fopenmp"], ["-lomp"]), (["-fopenmp"], ["-fopenmp"])]
    else:
        candidates = [(["-fopenmp"], ["-fopenmp"])]
    compile_pre, link_pre = _probe_env_args(compiler)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "probe.c")
        with open(source, "w") as f:
            f.write(OPENMP_PROBE)
        for i, (compile_args, link_args) in enumerate(candidates):
            log = os.path.join(tmp, f"probe{i}.log")
            try:
                with _captured_output(log):
                    objects = compiler.compile([source], output_dir=tmp, extra_preargs=compile_pre,
                                               extra_postargs=compile_args)
                    compiler.link_executable(objects, f"probe{i}", output_dir=tmp,
                                             extra_preargs=link_pre, extra_postargs=link_args)
            except Exception as exc:
                with open(log, errors="replace") as f:
                    output = f.read()
                failures.append(f"with {' '.join(compile_args)} / {' '.join(link_args)}: "
                                f"{type(exc).__name__}: {exc}\n{_tail(output)}".rstrip())
                continue
            return (compile_args, link_args), None
    return None, "\n".join(failures)


class BuildExt(build_ext):
    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            # the modules compile side by side (the two kernel builds are most of the time);
            # -j / --parallel on the command line still decides
            self.parallel = os.cpu_count() or 1

    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            base = ["/O2", "/fp:precise"]
        else:
            # No fused multiply-add: torch's portable kernels round every product.
            base = ["-O3", "-ffp-contract=off"]
        flags, why = _openmp_flags(self.compiler)
        if flags is None:
            message = (
                "OpenMP was not found: resample is being built WITHOUT threads. "
                "Install an OpenMP runtime (libgomp / libomp) for a parallel build, or fix "
                "the flags (CFLAGS, CPPFLAGS, LDFLAGS) that broke the probe. The probe "
                "(compile and link of a small OpenMP program with those flags) said:\n"
                + why
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
        os.makedirs(os.path.dirname(BUILD_ID), exist_ok=True)
        with open(BUILD_ID, "w", encoding="ascii") as file:
            file.write(FINGERPRINT + "\n")


# What the compiled extensions are made from, as one fingerprint (build/resample-build.id):
# when a build finds the fingerprint of the build before it and that build's C files,
# nothing is translated again and build_ext's own timestamp check keeps the compiled
# modules. So the README's test command, a second `pip install .` right after the first,
# does not compile again: pip's isolated build environment is new each time, and Cython
# would otherwise re-translate every module because its own Includes look newer. Anything
# else (a source, setup.py, the Cython or NumPy version, the compiler or its flags in the
# environment, the target) changes the fingerprint, and the build goes as it always does
# (Cython and build_ext each redo what their timestamps say is out of date).
BUILD_ID = os.path.join("build", "resample-build.id")
ENVIRONMENT_INPUTS = ("CC", "CFLAGS", "CPPFLAGS", "LDFLAGS", "RESAMPLE_REQUIRE_OPENMP",
                      "_PYTHON_HOST_PLATFORM", "ARCHFLAGS", "MACOSX_DEPLOYMENT_TARGET")


def _build_fingerprint(names):
    digest = hashlib.sha256()
    sources = sorted(glob.glob("src/resample/*.pyx") + glob.glob("src/resample/*.pxi")
                     + glob.glob("src/resample/*.pxd") + glob.glob("src/resample/*.h")
                     + glob.glob("src/resample/include/*.h") + ["setup.py", "pyproject.toml"])
    for path in sources:
        with open(path, "rb") as file:
            digest.update(path.encode() + b"\0" + file.read() + b"\0")
    digest.update(repr((names, Cython.__version__, np.__version__, sys.version,
                        sysconfig.get_platform(),
                        [os.environ.get(k) for k in ENVIRONMENT_INPUTS])).encode())
    return digest.hexdigest()


def _previous_fingerprint():
    try:
        with open(BUILD_ID, encoding="ascii") as file:
            return file.read().strip()
    except OSError:
        return None


names = MODULES + (list(SIMD_VARIANTS) if _target_is_x86() else [])
FINGERPRINT = _build_fingerprint(names)
REUSE = (_previous_fingerprint() == FINGERPRINT
         and all(os.path.exists(f"src/resample/{name}.c") for name in names))
extensions = [
    Extension(
        f"resample.{name}",
        [f"src/resample/{name}.{'c' if REUSE else 'pyx'}"],
        include_dirs=[np.get_include(), "src/resample"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )
    for name in names
]

setup(
    ext_modules=extensions if REUSE else cythonize(extensions, compiler_directives=CYTHON_DIRECTIVES),
    cmdclass={"build_ext": BuildExt},
)
