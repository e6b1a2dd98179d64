#!/usr/bin/env bash
# resample on aarch64, emulated: cross-build the extension and run tests under qemu-user.
#
#   bash tools/arm64.sh setup        # Debian's qemu-user-static, aarch64 cross gcc, debootstrap;
#                                    # an arm64 Debian root; aarch64 wheels of the test deps
#   bash tools/arm64.sh build        # cross-build this checkout for aarch64 (no -mavx2)
#   bash tools/arm64.sh test [ARGS]  # pytest under emulation (default: the chosen files)
#   bash tools/arm64.sh crosscheck   # tools/crosscheck.py on x86 (AVX2, portable) and aarch64
#   bash tools/arm64.sh all          # setup, build, test, crosscheck
#   bash tools/arm64.sh down         # remove the root and the qemu registration
#
# The root is the first stage of debootstrap (its packages downloaded and unpacked, none
# configured), which is all an emulated Python needs; the cross build uses its Python and
# NumPy headers. Calls of aarch64 programs (the suite's subprocesses) go through a
# binfmt_misc entry named resample-aarch64 for qemu-aarch64-static, with QEMU_LD_PREFIX
# pointing at the root. Needs root (apt-get, mounting binfmt_misc) and Debian's packages;
# when the emulation cannot be set up it says so and exits 3, which .ci/run reports as a
# skip. Everything lives under $RESAMPLE_ARM64_DIR (default build/arm64).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${RESAMPLE_ARM64_DIR:-$repo/build/arm64}
sysroot=$work/root
tree=$work/tree
site=/opt/site                       # inside the root: the aarch64 wheels of the test deps
suite=(tests/test_golden.py tests/test_simd_variants.py tests/test_layout_threads.py
       tests/test_layout_crosscheck.py tests/test_uint8.py tests/test_resize_nd.py
       tests/test_compat_pillow.py tests/test_capi.py tests/test_bfloat16.py)
host_python=${PYTHON:-python3}

cannot() { echo "tools/arm64.sh: emulation not available here: $*" >&2; exit 3; }

register_binfmt() {
    local dir=/proc/sys/fs/binfmt_misc
    [[ -e $dir/register ]] || mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null \
        || cannot "binfmt_misc cannot be mounted (needs root and a kernel with it)"
    [[ -e $dir/resample-aarch64 ]] && return 0
    printf '%s' ':resample-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:F' \
        > "$dir/register" 2>/dev/null || cannot "qemu-aarch64 cannot be registered with binfmt_misc"
}

emulated() {    # run an aarch64 program of the root, with the root as its library prefix
    QEMU_LD_PREFIX=$sysroot PYTHONPATH="$tree/src:$site" PYTHONDONTWRITEBYTECODE=1 "$@"
}

setup() {
    if ! command -v qemu-aarch64-static >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null \
            || ! command -v debootstrap >/dev/null; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            qemu-user-static gcc-aarch64-linux-gnu debootstrap >/dev/null) \
            || cannot "apt-get could not install qemu-user-static, gcc-aarch64-linux-gnu, debootstrap"
    fi
    register_binfmt
    if [[ ! -x $sysroot/usr/bin/python3 ]]; then
        rm -rf "$sysroot"
        debootstrap --foreign --arch=arm64 --variant=minbase \
            --include=python3,libpython3.11-dev,python3-dev,libgomp1 bookworm "$sysroot" \
            http://deb.debian.org/debian >"$work.debootstrap.log" 2>&1 \
            || cannot "debootstrap of an arm64 root failed (see $work.debootstrap.log)"
        for deb in "$sysroot"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$sysroot"; done
    fi
    # the test dependencies as aarch64 wheels, at the versions this machine runs (no
    # emulated pip: pip picks the wheels for the other platform)
    local versions
    versions=$("$host_python" - <<'EOF'
import importlib.metadata as m
names = ["numpy", "pillow", "pytest", "hypothesis", "threadpoolctl", "ml_dtypes"]
out = []
for n in names:
    try:
        out.append(f"{n}=={m.version(n)}")
    except m.PackageNotFoundError:
        out.append(n)
print(" ".join(out))
EOF
)
    # shellcheck disable=SC2086
    "$host_python" -m pip install --quiet --disable-pip-version-check --upgrade --target "$sysroot$site" \
        --platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 \
        --platform manylinux_2_17_aarch64 --implementation cp --python-version 3.11 \
        --only-binary=:all: $versions || cannot "aarch64 wheels of the test dependencies did not download"
    emulated "$sysroot/usr/bin/python3" -c "import numpy, platform; print('aarch64 Python', platform.python_version(), 'NumPy', numpy.__version__, 'on', platform.machine())" \
        || cannot "the emulated Python does not run"
}

build() {
    [[ -x $sysroot/usr/bin/python3 ]] || { echo "run: bash tools/arm64.sh setup" >&2; exit 1; }
    rm -rf "$tree" && mkdir -p "$tree"
    (cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree")
    local venv=$work/build-venv
    [[ -x $venv/bin/python ]] || { "$host_python" -m venv "$venv" && "$venv/bin/pip" install --quiet \
        --disable-pip-version-check "setuptools>=77" "Cython>=3.0" "numpy>=2.0"; }
    local numpy_include=$sysroot$site/numpy/_core/include
    # CFLAGS come before the build's own -I options, so the aarch64 Python and NumPy
    # headers win; -idirafter finds Debian's multiarch pyconfig.h last
    (cd "$tree" && _PYTHON_HOST_PLATFORM=linux-aarch64 CC=aarch64-linux-gnu-gcc \
        LDSHARED="aarch64-linux-gnu-gcc -shared" \
        SETUPTOOLS_EXT_SUFFIX=.cpython-311-aarch64-linux-gnu.so \
        CFLAGS="-I$sysroot/usr/include/python3.11 -I$numpy_include -idirafter $sysroot/usr/include" \
        "$venv/bin/python" setup.py build_ext --inplace >"$work/build.log" 2>&1) \
        || { tail -30 "$work/build.log"; echo "the aarch64 cross build failed" >&2; exit 1; }
    file "$tree"/src/resample/_kernels.*.so
    emulated "$sysroot/usr/bin/python3" -c "import resample; resample.show_config()"
}

run_tests() {
    register_binfmt
    local args=("$@")
    [[ ${#args[@]} -gt 0 ]] || args=("${suite[@]}" -q -p no:cacheprovider)
    (cd "$tree" && emulated "$sysroot/usr/bin/python3" -m pytest "${args[@]}")
}

crosscheck() {
    register_binfmt
    local out=$work/crosscheck
    mkdir -p "$out"
    "$host_python" "$repo/tools/crosscheck.py" --out "$out/x86_64-native.json"
    RESAMPLE_SIMD=baseline "$host_python" "$repo/tools/crosscheck.py" --out "$out/x86_64-baseline.json"
    (cd "$tree" && emulated "$sysroot/usr/bin/python3" tools/crosscheck.py --out "$out/aarch64.json")
    "$host_python" "$repo/tools/crosscheck.py" --compare "$out/x86_64-native.json" \
        "$out/x86_64-baseline.json" "$out/aarch64.json"
}

down() {
    [[ -e /proc/sys/fs/binfmt_misc/resample-aarch64 ]] && echo -1 > /proc/sys/fs/binfmt_misc/resample-aarch64
    rm -rf "$work" "$work.debootstrap.log"
}

mkdir -p "$work"
case ${1:-} in
    setup) setup ;;
    build) build ;;
    test) shift; run_tests "$@" ;;
    crosscheck) crosscheck ;;
    all) setup; build; run_tests; crosscheck ;;
    down) down ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
esac
