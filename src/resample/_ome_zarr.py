"""resample.dask.write_ome_zarr: multiscale levels streamed into an OME-Zarr (NGFF 0.4 or
0.5) multiscales group, with its axes, scales and the method that made the levels. Needs
dask and zarr (``pip install resample-interp[dask]``)."""
import math
import os

import dask
import dask.array as da
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph

from . import _modes

def write_ome_zarr(levels, store, *, axes=None, scale=None, translation=None, units=None,
                   mode=None, name=None, version="0.4", overwrite=False, compute=True,
                   zarr_array_kwargs=None):
    """Write multiscale levels as an OME-Zarr image (NGFF 0.4 or 0.5), streaming.

    Parameters
    ----------
    levels : sequence of dask.array.Array
        The levels, full resolution first (``pyramid``'s result), all of one rank (2 to 5,
        as NGFF allows). Written with their chunks as the Zarr chunks (irregular chunks are
        made regular first).
    store : str, os.PathLike or zarr store
        Where the group goes (a local path, or any store ``zarr.open_group`` takes).
    axes : sequence of str or dict, optional
        One per axis: a name (``t``/``time`` gets type time, ``c``/``channel`` type
        channel, others type space) or an NGFF axis dict ``{"name", "type", "unit"}``.
        Default by rank: ``yx``, ``zyx``, ``czyx``, ``tczyx``.
    scale : sequence of float, optional
        Level 0's pixel size per axis, in the axes' units (default 1).
    translation : sequence of float, optional
        Level 0's position of pixel 0's centre per axis (default 0).
    units : sequence of str or None, optional
        Units of the space/time axes (e.g. ``"micrometer"``), where `axes` gives names.
    mode : str, optional
        The ``resample`` mode the levels were made with. It sets the multiscales ``type``
        and the translation rule (Notes): ``nearest`` keeps every level's pixel 0 at the
        base's; every other mode (None too) uses pixel centres.
    name : str, optional
        The multiscales name.
    version : {"0.4", "0.5"}
        NGFF 0.4: Zarr v2 arrays (``/`` chunk separator) and a ``multiscales`` group
        attribute; 0.5: Zarr v3 arrays with ``dimension_names`` and the metadata under the
        group's ``ome`` attribute (needs zarr-python 3; 0.4 works with 2.18 too).
    overwrite : bool
        Replace an existing group at `store`; otherwise refuse one.
    compute : bool
        True: write now (all levels in one ``dask.compute``, so a level's chunks are
        computed once, serve the next level and are released). False: return the delayed
        write to compute later, e.g. with other work.
    zarr_array_kwargs : dict, optional
        More arguments of ``zarr.Group.create_array`` (``compressors``, ``shards``, ...;
        with zarr-python 2, of ``create_dataset``).

    Returns
    -------
    zarr.Group or dask.delayed.Delayed
        The written group (compute=True), or the delayed write (compute=False; the group
        and its metadata exist already, the arrays are filled when it runs).

    Notes
    -----
    Level k's ``coordinateTransformations`` are a ``scale`` and a ``translation``.
    Along an axis of ``n_0`` samples at level 0 and ``n_k`` at level k, with level 0's
    pixel size ``s_0`` and pixel-0 position ``t_0``:

    * resize with ``align_corners=False`` (resample's convention, torch's) maps output
      sample ``i`` of a level made from ``n`` samples into ``m`` to input coordinate
      ``(i + 1/2) * n/m - 1/2``: pixel centres line up, the edges of the two grids meet.
    * Chaining the levels' maps gives ``x_0 = (x_k + 1/2) * n_0/n_k - 1/2``, so level k's
      pixel size is ``s_k = s_0 * n_0 / n_k`` (``s_0 * factor**k`` when the axis stays
      divisible) and its physical position ``t_0 + s_0 * x_0 = t_0 + s_k * x_k + (s_k - s_0)
      / 2``: translation ``t_k = t_0 + (s_k - s_0) / 2``. Level k's pixel 0 centre sits
      ``(n_0/n_k - 1) / 2`` base pixels in, ``(factor_k - 1) / 2`` for ``factor_k = n_0/n_k``.
    * ``nearest`` (torch's) reads input ``floor(i * n/m)``: pixel 0 is the base's pixel 0,
      ``t_k = t_0``. ``area`` averages the windows ``[floor(i n/m), ceil((i+1) n/m))``,
      centred as above when ``m`` divides ``n`` (and to within a pixel otherwise).

    Examples
    --------
    >>> import dask.array as da, resample.dask
    >>> volume = da.zeros((64, 96, 80), dtype="uint16", chunks=32)
    >>> group = resample.dask.write_ome_zarr(
    ...     resample.dask.pyramid(volume, 3), "/tmp/doctest-volume.ome.zarr",
    ...     scale=(2.0, 0.5, 0.5), units=("micrometer",) * 3, overwrite=True)
    >>> [d["coordinateTransformations"][0]["scale"]
    ...  for d in group.attrs["multiscales"][0]["datasets"]]
    [[2.0, 0.5, 0.5], [4.0, 1.0, 1.0], [8.0, 2.0, 2.0]]
    """
    import zarr

    from .dask import _as_dask           # here: resample.dask imports this module
    levels = [_as_dask(level) for level in levels]
    if not levels:
        raise ValueError("levels is empty: give at least the full-resolution array")
    ndim = levels[0].ndim
    if any(level.ndim != ndim for level in levels):
        raise ValueError(f"levels have ranks {[level.ndim for level in levels]}; they must all "
                         "have one rank")
    if not 2 <= ndim <= 5:
        raise ValueError(f"NGFF images have 2 to 5 axes; these levels have {ndim}")
    if version not in ("0.4", "0.5"):
        raise ValueError(f"version must be '0.4' or '0.5', got {version!r}")
    axes_meta = _ngff_axes(axes, units, ndim)
    base_scale = _per_axis("scale", scale, ndim, 1.0)
    base_translation = _per_axis("translation", translation, ndim, 0.0)
    if any(not s > 0 for s in base_scale):
        raise ValueError(f"scale must be positive, got {tuple(base_scale)}")
    if mode is not None:
        _modes.resize_mode(mode)             # a known name (ValueError otherwise)
    centred = mode != "nearest"

    datasets = []
    for k, level in enumerate(levels):
        # s_k = s_0 n_0 / n_k; t_k = t_0 + (s_k - s_0) / 2 (pixel centres; Notes)
        s = [s0 * n0 / max(n, 1) for s0, n0, n in zip(base_scale, levels[0].shape, level.shape)]
        t = [t0 + ((sk - s0) / 2 if centred else 0.0)
             for t0, sk, s0 in zip(base_translation, s, base_scale)]
        datasets.append({"path": str(k), "coordinateTransformations": [
            {"type": "scale", "scale": s}, {"type": "translation", "translation": t}]})
    multiscale = {"axes": axes_meta, "datasets": datasets}
    if name is not None:
        multiscale["name"] = str(name)
    if mode is not None:
        multiscale["type"] = _modes.resize_mode(mode).name
    from ._version import __version__
    multiscale["metadata"] = {"method": "resample.dask.pyramid", "version": __version__}

    fmt = 2 if version == "0.4" else 3
    legacy = int(zarr.__version__.split(".")[0]) < 3          # zarr-python 2: Zarr v2 only
    if legacy and fmt == 3:
        raise ValueError("NGFF 0.5 stores are Zarr v3, which needs zarr-python 3 "
                         f"(this is {zarr.__version__}): use version='0.4'")
    if isinstance(store, os.PathLike):
        store = os.fspath(store)
    try:
        group = zarr.open_group(store, mode="w" if overwrite else "w-",
                                **({} if legacy else {"zarr_format": fmt}))
    except (FileExistsError, ValueError) as exc:
        # zarr names the path inside the store (empty for its root): name the store
        # (zarr-python 2 raises ContainsGroupError/ContainsArrayError, ValueErrors)
        if not isinstance(exc, FileExistsError) and not type(exc).__name__.startswith("Contains"):
            raise
        raise FileExistsError(f"{store!r} already holds data: pass overwrite=True to replace "
                              "it, or write to a new store") from None
    if fmt == 2:
        group.attrs["multiscales"] = [{"version": "0.4", **multiscale}]
    else:
        group.attrs["ome"] = {"version": "0.5", "multiscales": [multiscale]}

    sources, targets = [], []
    for k, level in enumerate(levels):
        if not _regular(level.chunks):
            level = level.rechunk(tuple(max(c) for c in level.chunks))
        kwargs = dict(zarr_array_kwargs or {})
        chunks = tuple(max(c[0], 1) for c in level.chunks)
        if legacy:          # NGFF 0.4 wants "/" between the chunk indices
            kwargs.setdefault("dimension_separator", "/")
            target = group.create_dataset(str(k), shape=level.shape, dtype=level.dtype,
                                          chunks=chunks, **kwargs)
        else:
            if fmt == 2:
                kwargs.setdefault("chunk_key_encoding", {"name": "v2", "separator": "/"})
            else:
                kwargs.setdefault("dimension_names", [a["name"] for a in axes_meta])
            target = group.create_array(str(k), shape=level.shape, dtype=level.dtype,
                                        chunks=chunks, **kwargs)
        sources.append(level)
        targets.append(target)
    # one store call: the levels share their tasks (level k's chunks feed level k+1), and
    # chunks aligned with Zarr's need no lock
    written = _one_delayed(da.store(sources, targets, lock=False, compute=False))
    if not compute:
        return written
    dask.compute(written)
    return group


def _one_delayed(stored):
    """da.store's lazy result as one Delayed (older dask returns one; newer dask a tuple of
    arrays whose chunks are None once written): a last task that waits for every chunk."""
    from dask.core import flatten
    from dask.delayed import Delayed
    if isinstance(stored, Delayed):
        return stored
    arrays = stored if isinstance(stored, (tuple, list)) else (stored,)
    name = "write-ome-zarr-" + tokenize(*(a.name for a in arrays))
    keys = [key for a in arrays for key in flatten(a.__dask_keys__())]
    graph = HighLevelGraph.from_collections(name, {name: (_written, keys)}, dependencies=arrays)
    return Delayed(name, graph)


def _written(chunks):
    return None


def _regular(chunks):
    """Zarr can store these chunks as they are: per axis all equal but a shorter last."""
    return all(len(c) < 2 or (len(set(c[:-1])) == 1 and c[-1] <= c[0]) for c in chunks)


_AXIS_TYPES = {"t": "time", "time": "time", "c": "channel", "channel": "channel"}
_DEFAULT_AXES = {2: "yx", 3: "zyx", 4: "czyx", 5: "tczyx"}


def _ngff_axes(axes, units, ndim):
    names = list(_DEFAULT_AXES[ndim]) if axes is None else list(axes)
    if len(names) != ndim:
        raise ValueError(f"axes {tuple(names)} has {len(names)} entries for arrays of rank {ndim}")
    units = [None] * ndim if units is None else list(units)
    if len(units) != ndim:
        raise ValueError(f"units {tuple(units)} has {len(units)} entries for arrays of rank {ndim}")
    out = []
    for entry, unit in zip(names, units):
        if isinstance(entry, dict):
            axis = dict(entry)
            if "name" not in axis:
                raise ValueError(f"axis {entry!r} has no name")
        elif isinstance(entry, str):
            axis = {"name": entry, "type": _AXIS_TYPES.get(entry.lower(), "space")}
        else:
            raise TypeError(f"axes must hold names (str) or NGFF axis dicts, got {entry!r}")
        if unit is not None:
            axis["unit"] = unit
        out.append(axis)
    if len({a["name"] for a in out}) != ndim:
        raise ValueError(f"axes {[a['name'] for a in out]} repeats a name")
    return out


def _per_axis(what, values, ndim, default):
    if values is None:
        return [default] * ndim
    values = [float(v) for v in values]
    if len(values) != ndim or not all(math.isfinite(v) for v in values):
        raise ValueError(f"{what} must be {ndim} finite numbers, got {tuple(values)}")
    return values
