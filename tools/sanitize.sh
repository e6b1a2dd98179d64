#!/usr/bin/env bash
# Build resample with AddressSanitizer + UndefinedBehaviorSanitizer (gcc) in its own
# virtual environment, then run the test suite and a fuzz loop (tools/fuzz_loop.py) on
# both kernel builds: the default one (AVX2 where the CPU has it) and RESAMPLE_SIMD=baseline
# (the portable build). Non-zero exit status on any sanitizer report, test failure or
# unexpected exception.
#
# usage: tools/sanitize.sh [--quick] [--fuzz-seconds S] [--fuzz-iterations N] [--seed N]
#                          [--rebuild] [PYTEST ARGS...]
#
#   (default)            the whole test suite and 300 s (at most 200000 calls) of fuzzing
#                        per kernel build
#   --quick              for CI: tests/test_kernel_blocks.py, test_layout_threads.py,
#                        test_layout_crosscheck.py (every entry point in every layout),
#                        test_errors.py, test_compat_pillow.py (resample.compat's own
#                        kernels) and test_capi.py (plans shared by threads without the
#                        GIL), and 20 s of fuzzing per kernel build
#
# Times on 2 cores: the instrumented build about 3 min (reused while the sources do not
# change), a fresh venv with torch 1 min; --quick then about 1 min per kernel build
# (6 min from nothing, under 2 min with the build reused); the default about 4 min of tests
# per kernel build plus the fuzzing.
#   --fuzz-seconds S     fuzzing time per kernel build (also FUZZ_SECONDS); 0: no fuzzing
#   --fuzz-iterations N  at most N fuzz calls per kernel build (also FUZZ_ITERATIONS)
#   --seed N             fuzz seed (also FUZZ_SEED; default random, printed)
#   --rebuild            build again even when the sources have not changed
#   PYTEST ARGS          replace the test selection: files, -k EXPR, ... (run from the copy
#                        of the tree that was built, so paths are relative to the root)
#
# environment:
#   RESAMPLE_SANITIZE_DIR    work directory (default build/sanitize): venv/ (the virtual
#                            environment), src/ (the copy of the tree that is built and
#                            tested), reports/ (sanitizer reports), build.log
#   RESAMPLE_SANITIZE_TORCH  torch requirement for the tests' oracle (default torch==2.13.0,
#                            a local CPU wheel); empty: no torch (the tests that need it skip)
#   RESAMPLE_SANITIZE_JOBS   compile jobs for the build (default 1: one compiler at a time)
#   CC                       the compiler (gcc; its libasan.so is preloaded)
#
# The build runs on a copy of the tree (git's tracked and untracked-but-not-ignored files)
# so that the instrumented objects never land in the tree's own build/ (setuptools would
# reuse them for a later normal build). The build is reused while its inputs (src/,
# setup.py, pyproject.toml, the flags, the compiler) stay the same.
#
# Running: the extensions are instrumented but python is not, so gcc's libasan.so is
# preloaded (LD_PRELOAD) to come first in the process, and libstdc++ with it (torch's C++
# exceptions go through ASan's __cxa_throw interceptor). ASAN_OPTIONS has detect_leaks=0:
# CPython does not free everything at exit (interned strings, static types, module
# state), so LeakSanitizer would report every run. Reports are written to files under
# reports/ (log_path), also for subprocesses the tests start, and any report file fails
# the run. torch imports and runs under the preloaded ASan runtime (checked with 2.13.0
# CPU), so the suite runs with its oracle; if torch does not install, the tests that need
# it skip (pytest.importorskip / skipif in tests/) and the rest still run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
rebuild=0
fuzz_seconds=${FUZZ_SECONDS:-}
fuzz_iterations=${FUZZ_ITERATIONS:-}
seed=${FUZZ_SEED:-}
pytest_args=()
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --rebuild) rebuild=1 ;;
        --fuzz-seconds) fuzz_seconds=$2; shift ;;
        --fuzz-iterations) fuzz_iterations=$2; shift ;;
        --seed) seed=$2; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; pytest_args+=("$@"); break ;;
        *) pytest_args+=("$1") ;;
    esac
    shift
done
if ((quick)); then
    : "${fuzz_seconds:=20}" "${fuzz_iterations:=100000}"
    ((${#pytest_args[@]})) || pytest_args=(tests/test_kernel_blocks.py tests/test_layout_threads.py
                                          tests/test_layout_crosscheck.py
                                          tests/test_errors.py tests/test_compat_pillow.py
                                          tests/test_capi.py)
else
    : "${fuzz_seconds:=300}" "${fuzz_iterations:=200000}"
    ((${#pytest_args[@]})) || pytest_args=(tests)
fi

# one fuzz seed for the run (both kernel builds), printed by the fuzz loop, for replays
[[ -n $seed ]] || seed=$(( (RANDOM << 15 | RANDOM) + 1 ))
work=${RESAMPLE_SANITIZE_DIR:-$root/build/sanitize}
mkdir -p "$work"
work=$(cd "$work" && pwd)
venv=$work/venv
src=$work/src
reports=$work/reports
torch_req=${RESAMPLE_SANITIZE_TORCH-torch==2.13.0}
started=$SECONDS

say() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }
die() { printf 'sanitize.sh: %s\n' "$*" >&2; exit 1; }

# ----------------------------------------------------------------------------- compiler
cc=${CC:-gcc}
libasan=$("$cc" -print-file-name=libasan.so)
[[ $libasan == /* && -e $libasan ]] || die "$cc has no libasan.so (install its AddressSanitizer runtime, e.g. libasan8)"
libasan=$(readlink -f "$libasan")
# preloaded after libasan: torch throws C++ exceptions, and ASan's __cxa_throw interceptor
# needs the real one present when ASan starts ("CHECK failed: ... real___cxa_throw != 0")
libstdcxx=$(readlink -f "$("$cc" -print-file-name=libstdc++.so)")
[[ -e $libstdcxx ]] || die "$cc has no libstdc++.so"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "python3 is older than 3.10"
# The environment's CFLAGS replace Python's own (newer setuptools) or follow them (older):
# start from Python's (-fwrapv, -DNDEBUG, -g: the normal build's semantics) so both give the
# normal build plus the sanitizers. setup.py adds -O3 -ffp-contract=off after these, so the
# optimised kernels are what is checked.
py_cflags=$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("CFLAGS") or "")')
cflags="$py_cflags -g $sanitize"
ldflags="$sanitize"

# ----------------------------------------------------------------------------- venv
if [[ ! -x $venv/bin/python ]]; then
    say "virtual environment $venv"
    python3 -m venv "$venv"
fi
py=$venv/bin/python
# the build requirements, the dependencies and the test extra, read from pyproject.toml
mapfile -t reqs < <("$py" - "$root/pyproject.toml" <<'EOF'
import sys
try:
    import tomllib
except ImportError:        # Python 3.10: the same lists, by hand
    print("\n".join(["setuptools>=69", "Cython>=3.0", "numpy>=2.0", "pytest>=7", "hypothesis>=6",
                     "threadpoolctl>=3", "Pillow>=10"]))
    sys.exit()
with open(sys.argv[1], "rb") as f:
    d = tomllib.load(f)
project = d["project"]
print("\n".join(d["build-system"]["requires"] + project.get("dependencies", [])
                + project.get("optional-dependencies", {}).get("test", [])))
EOF
)
deps_key="${reqs[*]} | $torch_req"
if [[ $(cat "$venv/.sanitize-deps" 2>/dev/null) != "$deps_key" ]]; then
    say "installing ${reqs[*]} $torch_req"
    "$py" -m pip install --quiet --disable-pip-version-check "${reqs[@]}"
    if [[ -n $torch_req ]] && ! "$py" -m pip install --quiet --disable-pip-version-check "$torch_req"; then
        echo "sanitize.sh: $torch_req did not install: the tests that need torch will skip" >&2
    fi
    echo "$deps_key" > "$venv/.sanitize-deps"
fi

# ----------------------------------------------------------------------------- build
list_files() {    # the tree's source files, NUL-separated, relative to $root
    if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$root" ls-files -co --exclude-standard -z
    else
        (cd "$root" && find . \( -name build -o -name .venv -o -name .ci-venv -o -name .git \
             -o -name __pycache__ -o -name '*.so' \) -prune -o -type f -print0)
    fi | (cd "$root" && while IFS= read -r -d '' f; do
        # skip deleted files and the work directory itself (when it lies in the tree)
        [[ -f $f && $root/$f != "$work"/* ]] && printf '%s\0' "$f"
    done)
}
# the tree is copied afresh every run (tests and tools as they are now); the build is
# reused while its inputs (src/, setup.py, pyproject.toml, flags, compiler) are unchanged
say "copying the tree to $src"
rm -rf "$src"
mkdir -p "$src"
(cd "$root" && list_files | tar --null -T - -cf -) | tar -xf - -C "$src"
fingerprint=$( { (cd "$src" && find src setup.py pyproject.toml MANIFEST.in -type f -print0 2>/dev/null \
                     | sort -z | xargs -0 sha256sum);
                 echo "$cflags | $ldflags | $cc | $("$cc" --version | head -1) | $("$py" -VV)"; } \
               | sha256sum | cut -d' ' -f1)
if ((rebuild)) || [[ $(cat "$work/build.stamp" 2>/dev/null) != "$fingerprint" ]]; then
    say "building with $sanitize (log: $work/build.log)"
    rm -f "$work/build.stamp"
    build_start=$SECONDS
    # build_ext's parallel jobs through a setuptools config file (pip passes no options to it)
    extra_config=()
    if ((${RESAMPLE_SANITIZE_JOBS:-1} > 1)); then
        printf '[build_ext]\nparallel = %s\n' "$RESAMPLE_SANITIZE_JOBS" > "$work/build.cfg"
        extra_config=(DIST_EXTRA_CONFIG="$work/build.cfg")
    fi
    # RESAMPLE_REQUIRE_OPENMP=1: the threaded build is the one to check
    if ! (cd "$src" && env CFLAGS="$cflags" LDFLAGS="$ldflags" RESAMPLE_REQUIRE_OPENMP=1 \
            "${extra_config[@]}" \
            "$py" -m pip install -v --no-build-isolation --no-deps --force-reinstall \
            --disable-pip-version-check . ) > "$work/build.log" 2>&1; then
        tail -n 60 "$work/build.log" >&2
        die "the sanitizer build failed (log: $work/build.log)"
    fi
    echo "built in $((SECONDS - build_start)) s"
    echo "$fingerprint" > "$work/build.stamp"
else
    say "build inputs unchanged since the last sanitizer build: reusing it (--rebuild to build again)"
fi

# every compiled module must carry the ASan runtime (a silently plain build checks nothing)
# (found without importing it: the instrumented modules load only under LD_PRELOAD)
mapfile -t modules < <(cd "$work" && "$py" -c '
import glob, importlib.util, os
spec = importlib.util.find_spec("resample")
print("\n".join(sorted(glob.glob(os.path.join(spec.submodule_search_locations[0], "_*.so")))))' \
    2>/dev/null || true)
((${#modules[@]})) || die "no compiled resample modules in $venv"
for so in "${modules[@]}"; do
    [[ $so == "$venv"/* ]] || die "resample imports from $so, not from $venv"
    readelf -d "$so" | grep -q 'NEEDED.*libasan' || die "$so is not built with AddressSanitizer"
done

# ----------------------------------------------------------------------------- run
rm -rf "$reports" "$work/last-call"
mkdir -p "$reports"
# only the Python processes (and their children) get the sanitizer runtime
san=(env PATH="$venv/bin:$PATH"    # the console script, for tests/test_cli.py
     LD_PRELOAD="$libasan:$libstdcxx${LD_PRELOAD:+:$LD_PRELOAD}"
     ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:log_path=$reports/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
     UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
     PYTHONMALLOC=malloc         # Python's objects in ASan's heap too (pymalloc would hide them)
     PYTHONFAULTHANDLER=1)       # a Python traceback first; ASan's report follows (chained)

check_reports() {   # $1: what ran; fails on any sanitizer report file
    local files
    files=$(find "$reports" -type f | sort)
    if [[ -n $files ]]; then
        echo "SANITIZER REPORT(S) after $1:" >&2
        for f in $files; do echo "--- $f" >&2; cat "$f" >&2; done
        if [[ -s $work/last-call ]]; then
            echo "--- the fuzz call that was running:" >&2
            cat "$work/last-call" >&2
        fi
        exit 1
    fi
}

failed=()
variants=(default baseline)
for variant in "${variants[@]}"; do
    if [[ $variant == baseline ]]; then export RESAMPLE_SIMD=baseline; else unset RESAMPLE_SIMD; fi
    say "kernel build: $variant"
    config=$(cd "$work" && "${san[@]}" "$py" -c 'import resample; resample.show_config()') || {
        check_reports "import resample ($variant)"; die "import resample failed ($variant)"; }
    echo "$config"
    grep -Eq 'openmp: True' <<<"$config" || die "the sanitizer build has no OpenMP"
    simd=$(sed -n 's/^ *simd_variant: //p' <<<"$config")
    if [[ $variant == default && $simd == baseline ]]; then
        echo "(this CPU has no AVX2: the default is the baseline build, run next)"
        continue
    fi
    say "pytest ${pytest_args[*]} ($variant / $simd)"
    if ! (cd "$src" && "${san[@]}" "$py" -m pytest -q -x -p no:cacheprovider "${pytest_args[@]}"); then
        check_reports "pytest ($variant)"
        failed+=("pytest ($variant)")
    fi
    check_reports "pytest ($variant)"
    if [[ $fuzz_seconds != 0 ]]; then
        say "fuzz loop, $fuzz_seconds s / $fuzz_iterations calls at most ($variant / $simd)"
        fuzz=("${san[@]}" "$py" "$src/tools/fuzz_loop.py" --seconds "$fuzz_seconds"
              --iterations "$fuzz_iterations" --last-call "$work/last-call" --seed "$seed")
        if ! (cd "$work" && "${fuzz[@]}"); then
            check_reports "the fuzz loop ($variant)"
            failed+=("fuzz ($variant)")
        fi
        check_reports "the fuzz loop ($variant)"
    fi
done

say "done"
if ((${#failed[@]})); then
    die "FAILED: ${failed[*]}"
fi
echo "sanitize.sh: clean on ${variants[*]} (no sanitizer report, no failure) in $((SECONDS - started)) s"
