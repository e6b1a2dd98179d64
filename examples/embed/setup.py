"""A downstream package that embeds resample: a Cython extension that cimports resample.capi
and a C extension that uses resample.h directly. Both compile against the installed
resample (its get_include() and its capi.pxd), never against resample's source tree:

    pip install --no-build-isolation ./examples/embed     (needs cython, setuptools, resample)
"""
import resample
from Cython.Build import cythonize
from setuptools import Extension, setup

include = [resample.get_include()]
extensions = cythonize(
    [Extension("embed_example._cython", ["src/embed_example/_cython.pyx"], include_dirs=include,
               extra_compile_args=["-fopenmp"], extra_link_args=["-fopenmp"])],
    compiler_directives={"language_level": 3, "boundscheck": False, "wraparound": False})
extensions.append(Extension("embed_example._capsule", ["src/embed_example/_capsule.c"],
                            include_dirs=include))

setup(name="resample-embed-example", version="0.1", package_dir={"": "src"},
      packages=["embed_example"], ext_modules=extensions)
