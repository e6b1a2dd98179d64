"""Build and runtime facts, for bug reports and `python -m resample`."""
import platform

from . import _openmp, _runtime


def config():
    """A dict: version, OpenMP (compiled in, version, runtime library), the threads a call
    gets by default and the cap on them (the CPUs this process may use), whether this is a
    child forked after threads started (then every call runs on one thread), the kernel
    build and the platform."""
    from ._version import __version__
    version = _openmp.openmp_version()
    return {
        "version": __version__,
        "openmp": bool(version),
        "openmp_version": version,
        "openmp_runtime": _openmp_runtime(),
        "threads": _runtime.resolve_threads(None),
        "cpus": _runtime._State.cpu_limit,
        "forked_child": _runtime._State.forked_child,
        "simd_variant": _runtime.SIMD_VARIANT,
        "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
    }


def _openmp_runtime():
    """The OpenMP shared library this process loaded, as threadpoolctl reports it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (install threadpoolctl to see it)"
    libs = [i for i in threadpool_info() if i.get("user_api") == "openmp"]
    return ", ".join(f"{i['prefix']} {i.get('version') or ''} ({i['filepath']})".strip() for i in libs) or "none loaded"


def show_config():
    """Print the build and runtime configuration, one fact a line (see ``config``).

    Returns
    -------
    None

    Examples
    --------
    >>> import resample
    >>> resample.show_config()                      # doctest: +ELLIPSIS
            version: ...
    """
    for key, value in config().items():
        print(f"{key:>15}: {value}")
