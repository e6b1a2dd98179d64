"""Runtime choices, made in one place: which kernel build runs on this CPU, and how many
threads a call gets.

Thread-count rules (as scikit-learn's): `None` is the OpenMP default (OMP_NUM_THREADS,
threadpoolctl) capped at the CPUs this process may use; `-1` is all of those CPUs; a
positive int is taken as asked but capped at those CPUs; `0`, other negatives and
non-integers raise ValueError. Results never depend on the count.

Fork safety: GNU OpenMP's thread pool does not survive `fork()`. A child forked after
this process started OpenMP threads would block forever in its first parallel region,
so in such a child every call runs on one thread (`config()["forked_child"]` says so),
the C API's (include/resample.h) included.
Children started with `spawn` or `forkserver` are fresh processes and keep their threads.
"""
import os

from . import _kernels as _baseline_kernels
from . import _openmp
from ._arrays import is_int


def _pick_kernels():
    """The fastest kernel build this CPU runs; RESAMPLE_SIMD=baseline forces the portable
    one. Every build gives the same bits (no fused multiply-add anywhere)."""
    if os.environ.get("RESAMPLE_SIMD", "").lower() != "baseline" and _baseline_kernels.cpu_has_avx2():
        try:
            from . import _kernels_avx2
            return _kernels_avx2, "avx2"
        except ImportError:
            pass
    return _baseline_kernels, "baseline"


kernels, SIMD_VARIANT = _pick_kernels()


def available_cpus():
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _State:
    """Process-wide facts the thread rules need (reset in a forked child)."""
    cpu_limit = available_cpus()      # the cap on threads; tests may raise it
    threads_started = False           # a call of this process ran with more than one thread
    forked_child = False              # forked after threads_started: one thread from now on


def _after_fork_in_child():
    started = _State.threads_started or kernels.c_api_threads_started()
    _State.forked_child = _State.forked_child or started
    if _State.forked_child:
        kernels.c_api_one_thread()        # the C API's applies, too


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def resolve_threads(num_threads):
    """The threads a call runs with, by the rules in this module's docstring."""
    if num_threads is None:
        threads = _openmp.default_threads()
    elif type(num_threads) is int and num_threads > 0:     # the common case, checked first
        threads = num_threads
    elif not is_int(num_threads) or (num_threads < 1 and num_threads != -1):
        raise ValueError(
            f"num_threads must be a positive int, -1 (all CPUs) or None (the OpenMP default), "
            f"got {num_threads!r}")
    elif num_threads == -1:
        threads = _State.cpu_limit
    else:
        threads = num_threads
    if _State.forked_child:
        return 1
    threads = max(1, min(int(threads), _State.cpu_limit))
    if threads > 1:
        _State.threads_started = True
    return threads
