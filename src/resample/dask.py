"""Lazy, out-of-core resizing of dask arrays, bit for bit ``resample.resize``.

Every output chunk is one task. It reads the slab of input its filter taps cover (the
input chunks overlapping that slab are its only dependencies), and computes its block with
the rows of the whole call's per-axis plans, so the blocks together are the in-memory
result, however the input and the output are chunked: no overlap depth to guess, no seams.

``pyramid`` builds multiscale levels from this, ``write_ome_zarr`` streams them into an
OME-Zarr (NGFF 0.4 or 0.5) multiscales group. Needs ``dask[array]``; ``write_ome_zarr``
needs ``zarr`` (``pip install resample-interp[dask]``).
"""
import functools
import itertools
import math
from bisect import bisect_right

import numpy as np

from . import _modes, _nan, _spline
from ._arrays import check_dtype, is_int
from ._engine import block_span, for_input, resize_block
from ._interpolate import resolve_call
from ._resize import constant_of, normalise_axes, resize_call

__all__ = ["resize", "interpolate", "pyramid", "write_ome_zarr"]

try:
    import dask.array as da
    from dask.array.core import normalize_chunks
    from dask.base import tokenize
    from dask.highlevelgraph import HighLevelGraph, MaterializedLayer
except ImportError as exc:          # pragma: no cover - the module is useless without dask
    raise ImportError("resample.dask needs dask: pip install 'dask[array]' "
                      "(or resample-interp[dask])") from exc

from ._ome_zarr import write_ome_zarr  # noqa: E402 (after the check that dask is there)


# ----------------------------------------------------------------------------- public

def resize(array, size=None, *, scale_factor=None, axes=None, mode="bilinear", antialias=True,
           align_corners=None, boundary=None, cval=0.0, order=None, nan=None, chunks=None,
           num_threads=1):
    """Resize the chosen axes of a dask array, lazily: ``resample.resize`` chunk by chunk.

    Parameters
    ----------
    array : dask.array.Array or array_like
        uint8, uint16, int16, float16, float32 or float64 (the label modes: every integer
        dtype and bool too), any rank, any chunking (other array-likes are wrapped with
        ``dask.array.asarray``). Chunk sizes must be known.
    size, scale_factor, axes, mode, antialias, align_corners, boundary, cval, order, nan
        As for ``resample.resize``, every mode included, checked the same way with the same
        messages, here, before any task runs. ``axes=None`` is resize's image convention,
        ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)``; name the axes of a volume, e.g.
        ``(0, 1, 2)``.
    chunks : int, tuple, dict or str, optional
        Chunks of the result, anything ``dask.array`` takes (a dict ``{axis: chunks}``
        and ``None`` entries keep the default on the axes they leave out). Default: the
        input's chunks, scaled along every resized axis by ``n_out / n_in`` (chunk
        boundaries mapped and rounded, chunks at least 1 long), the others unchanged.
    num_threads : int
        Threads of one task (the scheduler already runs tasks in parallel): 1 by default;
        None: the OpenMP default; -1: every CPU. Results never depend on it.

    Returns
    -------
    dask.array.Array
        Of the shape and dtype ``resample.resize`` returns; computing it gives that
        array bit for bit, for any input and output chunking.

    Raises
    ------
    TypeError, ValueError
        Bad arguments, at once (as ``resample.resize`` raises them). A task's failure
        (a chunk that cannot be read, ...) is raised by ``compute`` as the original
        exception, as dask does.

    Notes
    -----
    The graph has one task per output chunk (plus the input's own tasks), so it is linear
    in the number of chunks. A task depends on the input chunks that overlap its slab:
    along a resized axis, the inputs its filter taps read (about ``out_chunk * n_in /
    n_out`` plus the filter's support, which antialias widens by the shrink factor; for
    area exactly the averaged windows), along the other axes the block itself. Where the
    slab only reaches a thin part into an input chunk of 1 MiB or more (the filter's
    support past a chunk edge) and those thin parts add up to at most half of the chunk,
    one more task per such chunk cuts them out, and the blocks depend on the cuts instead
    of the whole chunk: at most one cut task per input chunk, and much less to move between
    workers and to hold (a ↓2 pyramid level of 128³ chunks: 8 whole chunks and 56 thin
    cuts per task, instead of 64 whole chunks).

    Memory of one task, at most about: the input chunks it depends on, plus the slab
    when it spans more than one chunk (copied out of them), plus the slab widened to
    float32 for float16, uint16 and int16 (the compute type; none for the others), plus
    the intermediates of the per-axis passes (at most the slab in the compute type, with
    some axes already resized), plus the output chunk. Example: ↓2 linear antialias of
    128³ uint16 chunks into 128³ chunks reads a 258³ slab: 8 whole chunks (34 MB) and
    thin cuts of 56 others (under 1 MB), 34 MB of slab, 69 MB widened, about 10 MB more
    in the passes, 4 MB out: about 150 MB, next to the worker's own footprint and the
    chunks it holds for other tasks. Upsampling
    with the default chunks makes output chunks larger by the scale factor; pass
    ``chunks=`` to cut them.

    ``mode="spline"`` and ``mode="label"`` run otherwise, as their arithmetic needs
    whole lines: spline runs one stage per resized axis (that axis rechunked to a single
    chunk, resampled into float64, cut back into the output chunks; a task holds whole
    lines of one axis across a chunk of the others, 8 bytes a sample in and out), then
    stores into the output dtype; label resizes each chunk of the other axes whole along
    every resized axis (a label map of C channels: at most C tasks when every spatial axis
    is resized). ``mode="majority"`` and ``nan="ignore"`` are block-wise as above.

    Examples
    --------
    >>> import dask.array as da, resample.dask
    >>> volume = da.zeros((256, 256, 256), dtype="uint16", chunks=64)
    >>> small = resample.dask.resize(volume, (128, 128, 128), axes=(0, 1, 2))
    >>> small.shape, small.chunksize
    ((128, 128, 128), (32, 32, 32))
    """
    array = _as_dask(array)
    _check_chunks(chunks)
    dtype = _native(array.dtype)
    call, own = resize_call(array.shape, dtype, size, scale_factor=scale_factor, axes=axes,
                            mode=mode, antialias=antialias, align_corners=align_corners,
                            boundary=boundary, cval=cval, order=order, nan=nan)
    _check_threads(num_threads)
    if call.filter == "spline":
        return _spline_passes(array, call, own, chunks, num_threads)
    if call.filter == "label":
        return _whole_axes(array, call, own, chunks, num_threads)
    source, runner = array, resize_block
    if call.filter == "majority":
        runner = functools.partial(_majority_block, own.arguments["windows"])
    elif own is not None:           # nan="ignore"
        runner = _nan_block
    if call.padded:        # the constant rule reads one more sample past each padded axis
        array = da.pad(array, [(0, int(a in call.padded)) for a in range(array.ndim)],
                       constant_values=constant_of(cval, dtype))
    return _blocks(array, call, chunks, num_threads, "resample-resize", like=source, runner=runner)


def interpolate(array, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False, *, chunks=None, num_threads=1):
    """``resample.interpolate`` (torch's ``F.interpolate``) on an (N, C, ...) dask array.

    Parameters
    ----------
    array : dask.array.Array or array_like
        (N, C, W), (N, C, H, W) or (N, C, D, H, W); uint8, float16, float32 or float64;
        any chunking.
    size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
        torch's arguments and defaults (``mode="nearest"``, ``antialias=False``), checked
        here, in torch's order and with ``resample.interpolate``'s messages, before any
        task runs.
    chunks : int, tuple, dict or str, optional
        As for ``resample.dask.resize``: by default the input's chunks, scaled along the
        spatial axes.
    num_threads : int
        Threads of one task; 1 by default. Results never depend on it.

    Returns
    -------
    dask.array.Array
        ``(N, C, *size)``: computing it gives ``resample.interpolate(array.compute(), ...)``
        bit for bit (a C-contiguous array; interpolate's channels-last layout does not
        apply to dask chunks), for every mode, dtype and chunking ``interpolate`` takes.

    Raises
    ------
    TypeError, ValueError, NotImplementedError, RuntimeError
        torch's exception types, as ``resample.interpolate`` raises them.

    Notes
    -----
    The blocks run interpolate's own resolved call (the same per-axis plans and kernels
    as ``resample.interpolate``), so nothing is mapped to ``resize``'s names and no mode
    is left out. Tasks and memory as for ``resample.dask.resize``.

    Examples
    --------
    >>> import dask.array as da, resample.dask
    >>> x = da.zeros((2, 3, 64, 64), dtype="float32", chunks=(1, 3, 32, 32))
    >>> resample.dask.interpolate(x, scale_factor=0.5, mode="bilinear", antialias=True).shape
    (2, 3, 32, 32)
    """
    array = _as_dask(array)
    _check_chunks(chunks)
    dtype = _native(array.dtype)
    check_dtype(dtype, _modes.TORCH_DTYPES)
    call = for_input(resolve_call(array.shape, size, scale_factor, mode, align_corners,
                                  recompute_scale_factor, antialias), array.shape, dtype)
    _check_threads(num_threads)
    return _blocks(array, call, chunks, num_threads, "resample-interpolate")


def pyramid(array, levels=3, *, axes=None, mode="area", antialias=True, factor=2, chunks=None,
            num_threads=1):
    """Multiscale levels of a dask array: level 0 the input, each next one ``factor`` times
    smaller along `axes`.

    Parameters
    ----------
    array : dask.array.Array or array_like
        Any rank, any dtype ``resample.resize`` takes.
    levels : int
        Number of levels, the input included (at least 1).
    axes : int or sequence of int, optional
        The axes to shrink. None: every axis (an image or a volume without channel or
        time axes); name the spatial axes otherwise, e.g. ``(2, 3, 4)`` for (T, C, Z, Y, X).
    mode : str
        Any ``resample.resize`` mode. ``area`` (the default) averages the ``factor**d``
        samples under every output sample; ``linear`` with antialias is a triangle filter
        over twice that footprint (smoother, less aliasing); ``nearest`` keeps sample
        values (labels, masks).
    antialias : bool
        As for ``resample.resize`` (linear, cubic, lanczos).
    factor : int or sequence of int
        Shrink factor per level, one for all axes or one per axis of `axes` (1 leaves an
        axis alone: anisotropic volumes). Level k+1 has ``max(1, n_k // factor)``
        samples along an axis where level k has ``n_k``.
    chunks : optional
        Chunks of levels 1 and up. Default: level 0's chunk shape (capped at the level's
        shape), so every level of a Zarr pyramid has the same chunk shape; each output
        chunk then reads the ``factor**d`` input chunks under it, and thin cuts of their
        neighbours (the filter's reach past the edges; see ``resize``).
    num_threads : int
        Threads of one task; 1 by default.

    Returns
    -------
    list of dask.array.Array
        ``levels`` arrays; the first is `array` itself.

    Notes
    -----
    Every level is computed from the level above it, ``level[k+1] =
    resample.resize(level[k], size=max(1, n_k // factor), axes=axes, mode=mode)``, not
    from the base. That is the streaming choice: a level's tasks read only the level above
    (for a 3-D ↓2 pyramid, 1/8 of the data the previous level read), so all levels cost
    about 8/7 of the first and are computed in one pass over the input when written
    together (``write_ome_zarr``); from the base, level k would read the whole base with
    filters ``factor**k`` wide. The price: level k is not exactly one resize of the base
    by ``factor**k``. For ``area`` and axes that stay divisible by the factor the values
    agree up to floating-point rounding (a mean of means of equal windows; for integer
    dtypes each level also rounds to integers); for the other filters a cascade is a
    (slightly different) filter of its own, as in every pyramid built this way.

    Examples
    --------
    >>> import dask.array as da, resample.dask
    >>> volume = da.zeros((200, 256, 256), dtype="uint16", chunks=64)
    >>> [level.shape for level in resample.dask.pyramid(volume, 3)]
    [(200, 256, 256), (100, 128, 128), (50, 64, 64)]
    """
    array = _as_dask(array)
    _check_chunks(chunks)
    if not is_int(levels) or levels < 1:
        raise ValueError(f"levels must be a positive int (the number of levels, the input "
                         f"included), got {levels!r}")
    # resize's axis checks and messages; None: every axis
    axes = list(range(array.ndim)) if axes is None else normalise_axes(axes, array.shape)
    factors = list(factor) if isinstance(factor, (tuple, list)) else [factor] * len(axes)
    if len(factors) != len(axes) or not all(is_int(f) and f >= 1 for f in factors):
        raise ValueError(f"factor must be an int >= 1 or one per axis of {tuple(axes)}, "
                         f"got {factor!r}")
    if all(f == 1 for f in factors):
        raise ValueError(f"factor {factor!r} shrinks no axis: give at least one factor >= 2")
    # the levels' graphs are built here, so the first level's call checks mode and antialias
    # before anything runs
    out = [array]
    for _ in range(levels - 1):
        above = out[-1]
        sizes = [max(1, above.shape[a] // f) for a, f in zip(axes, factors)]
        shape = list(above.shape)
        for a, n in zip(axes, sizes):
            shape[a] = n
        level_chunks = chunks
        if level_chunks is None:
            level_chunks = tuple(min(max(c, default=1), n) for c, n in zip(array.chunks, shape))
        out.append(resize(above, sizes, axes=axes, mode=mode, antialias=antialias,
                          chunks=level_chunks, num_threads=num_threads))
    return out


# ----------------------------------------------------------------------------- graph

class _Block:
    """What one output chunk's task needs besides its input pieces: the call, the block's
    outputs on every resized axis, the slab [start, stop) on every axis, where each input
    piece starts, and for pieces that come as a chunk's cuts (_cut), which cut is this
    block's. Opaque to dask (not a tuple or list it would look into)."""

    __slots__ = ("call", "region", "start", "stop", "origins", "picks", "dtype", "threads", "runner")

    def __init__(self, call, region, start, stop, origins, picks, dtype, threads, runner):
        self.call, self.region, self.start, self.stop = call, region, start, stop
        self.origins, self.picks, self.dtype, self.threads = origins, picks, dtype, threads
        self.runner = runner


def _run_block(block, pieces):
    """One output chunk: the slab out of its input pieces, then the block's runner
    (resize_block's signature)."""
    return block.runner(_slab(block, pieces), block.call, block.region, block.threads)


def _nan_block(slab, call, region, threads):
    """resize_block for nan='ignore': the valid samples and their mask resized, divided."""
    slab = np.ascontiguousarray(slab)
    shape = [region[a][1] - region[a][0] if a in region else n for a, n in enumerate(slab.shape)]
    out = np.empty(shape, slab.dtype)
    if out.size:
        _nan.divide_valid(slab, out, lambda a: resize_block(a, call, region, threads), threads)
    return out


def _majority_block(windows, slab, call, region, threads):
    """resize_block for mode='majority': the whole call's windows of the block's outputs,
    moved to the slab's origin (block_span gives the slab: area's windows)."""
    slab = np.ascontiguousarray(slab)
    local = []
    for a, n in enumerate(slab.shape):
        if a in region:
            (o0, o1), (starts, ends) = region[a], windows[a]
            local.append((starts[o0:o1] - starts[o0], ends[o0:o1] - starts[o0]))
        else:
            local.append((np.arange(n, dtype=np.intp), np.arange(1, n + 1, dtype=np.intp)))
    out = np.empty([len(s) for s, _ in local], slab.dtype)
    _spline.majority_into(slab, out, local, threads)
    return out


def _slab(block, pieces):
    """The input [start, stop) on every axis, from the chunks that overlap it."""
    pieces = [p if pick is None else p[pick] for p, pick in zip(pieces, block.picks)]
    if len(pieces) == 1:         # one chunk holds the slab: a view, no copy
        origin = block.origins[0]
        return np.asarray(pieces[0])[tuple(slice(a - o, b - o) for a, b, o in
                                           zip(block.start, block.stop, origin))]
    slab = np.empty([b - a for a, b in zip(block.start, block.stop)], block.dtype)
    for piece, origin in zip(pieces, block.origins):
        piece = np.asarray(piece)
        src, dst = [], []
        for a, b, o, n in zip(block.start, block.stop, origin, piece.shape):
            lo, hi = max(a, o), min(b, o + n)
            src.append(slice(lo - o, hi - o))
            dst.append(slice(lo - a, hi - a))
        slab[tuple(dst)] = piece[tuple(src)]
    return slab


def _empty_block(shape, dtype):
    return np.empty(shape, dtype)


def _blocks(array, call, chunks, threads, prefix, like=None, runner=resize_block):
    """The dask array of `call` on `array`: one task per output chunk (the default output
    chunks scaled from those of `like`, the array before any constant samples, or array),
    computed by runner(slab, call, region, threads)."""
    in_chunks = array.chunks
    out_shape = tuple(call.out_shape)
    like = array if like is None else like
    out_chunks = _output_chunks(like.chunks, like.shape, out_shape, call.axes, chunks, call.dtype)
    name = f"{prefix}-" + tokenize(
        array.name, prefix, call.mode, call.filter, call.axes, call.out_size, call.scales,
        call.align_corners, call.antialias, call.boundary, call.padded, str(call.dtype),
        out_chunks, threads, _runner_token(runner))

    in_bounds = [np.cumsum((0, *c)).tolist() for c in in_chunks]
    # per axis and output chunk: (o0, o1), the slab (lo, hi) and the input chunks over it
    per_axis = []
    for axis, sizes in enumerate(out_chunks):
        rows, o0 = [], 0
        for n in sizes:
            o1 = o0 + n
            lo, hi = block_span(call, axis, o0, o1) if n else (o0, o0)
            bounds = in_bounds[axis]
            first = min(bisect_right(bounds, lo) - 1, len(bounds) - 2)
            last = max(first, bisect_right(bounds, hi - 1) - 1) if hi > lo else first
            rows.append((o0, o1, lo, hi, range(first, last + 1)))
            o0 = o1
        per_axis.append(rows)

    # every block's input pieces: (input chunk, the box of it that the block reads)
    layer, blocks, reads = {}, {}, {}
    for index in itertools.product(*(range(len(c)) for c in out_chunks)):
        rows = [per_axis[axis][i] for axis, i in enumerate(index)]
        if any(r[0] == r[1] for r in rows):      # an empty block reads nothing
            layer[(name, *index)] = (_empty_block, [r[1] - r[0] for r in rows], call.dtype)
            continue
        pieces = []
        for source in itertools.product(*(r[4] for r in rows)):
            box = tuple((max(r[2], in_bounds[a][i]), min(r[3], in_bounds[a][i + 1]))
                        for a, (r, i) in enumerate(zip(rows, source)))
            pieces.append((source, box))
            reads.setdefault(source, []).append((index, box))
        blocks[index] = (rows, pieces)

    # Halos: a block's slab usually reaches a few samples into the neighbouring chunks
    # (the filter's support). Where the parts of a chunk that blocks read only partly are
    # small next to the chunk, one task per chunk cuts them out (copies), and those blocks
    # depend on the cuts instead of the whole chunk: less to move between workers and to
    # hold in memory (↓2 of aligned 3-D chunks: 8 whole chunks and 56 thin cuts per block
    # instead of 64 whole chunks).
    # Chunks under _CUT_MIN_BYTES are moved whole (a task costs more than the bytes).
    halo_name = "resample-halo-" + name.rsplit("-", 1)[1]
    halo, cut = {}, set()
    for source, uses in reads.items():
        volume = math.prod(in_bounds[a][i + 1] - in_bounds[a][i] for a, i in enumerate(source))
        if volume * call.dtype.itemsize < _CUT_MIN_BYTES:
            continue
        partial = {index: box for index, box in uses if _volume(box) < volume}
        if partial and 2 * sum(map(_volume, partial.values())) <= volume:
            origin = tuple(in_bounds[a][i] for a, i in enumerate(source))
            halo[(halo_name, *source)] = (_cut, (array.name, *source), _Cuts(origin, partial))
            cut.update((source, index) for index in partial)

    for index, (rows, pieces) in blocks.items():
        keys, origins, picks = [], [], []
        for source, box in pieces:
            if (source, index) in cut:           # this block's cut of the chunk
                keys.append((halo_name, *source))
                origins.append(tuple(lo for lo, _ in box))
                picks.append(index)
            else:
                keys.append((array.name, *source))
                origins.append(tuple(in_bounds[a][i] for a, i in enumerate(source)))
                picks.append(None)
        region = {axis: rows[axis][:2] for axis in call.axes}
        block = _Block(call, region, tuple(r[2] for r in rows), tuple(r[3] for r in rows),
                       origins, picks, call.dtype, threads, runner)
        layer[(name, *index)] = (_run_block, block, keys)

    meta = np.empty((0,) * len(out_shape), call.dtype)
    if _array_expr_enabled():
        # dask's experimental array expressions (array.query-planning): a graph collection
        from dask.array._array_expr._collection import from_graph
        return from_graph({**dict(array.__dask_graph__()), **halo, **layer}, meta, out_chunks,
                          list(layer), name.rsplit("-", 1)[0])
    graph = array.__dask_graph__()
    below = set(array.__dask_layers__())
    layers, dependencies = dict(graph.layers), dict(graph.dependencies)
    layers[name], dependencies[name] = MaterializedLayer(layer), set(below)
    if halo:
        layers[halo_name], dependencies[halo_name] = MaterializedLayer(halo), set(below)
        dependencies[name].add(halo_name)
    return da.Array(HighLevelGraph(layers, dependencies), name, out_chunks, meta=meta)


def _runner_token(runner):
    """What tokenize reads of a block runner: its name (and a majority vote's windows)."""
    if isinstance(runner, functools.partial):
        return runner.func.__name__, tokenize(*runner.args)
    return runner.__name__


def _spline_passes(array, call, own, chunks, threads):
    """mode='spline': one stage per resized axis, in zoom_into's order. A stage rechunks its
    axis to a single chunk (the prefilter runs along whole lines) and resamples it, a float64
    array; then that axis is cut back into the output's chunks. Last, SciPy's store into
    the output dtype on the output's chunks. The same kernels on the same lines as
    resample.resize: the same bits."""
    out_shape = tuple(call.out_shape)
    out_chunks = _output_chunks(array.chunks, array.shape, out_shape, call.axes, chunks, call.dtype)
    passes = _spline.spline_passes(array.shape, call.dtype, out_shape, **own.arguments)
    token = tokenize(array.name, call.axes, call.out_size, call.scales, str(call.dtype), out_chunks,
                     threads, sorted((k, repr(v)) for k, v in own.arguments.items()))
    x = array
    for axis in passes.sequence:
        x = x.rechunk({axis: -1})
        shape = list(x.chunks)
        shape[axis] = (out_shape[axis],)
        x = x.map_blocks(_spline_pass_block, passes, axis, threads, chunks=tuple(shape),
                         dtype=np.float64, meta=np.empty((0,) * x.ndim, np.float64),
                         name=f"resample-spline-pass{axis}-{token}")
        x = x.rechunk({axis: out_chunks[axis]})
    x = x.rechunk(out_chunks)
    return x.map_blocks(_spline_store_block, passes, threads, dtype=call.dtype,
                        meta=np.empty((0,) * x.ndim, call.dtype), name=f"resample-spline-{token}")


def _spline_pass_block(block, passes, axis, threads):
    return _spline.spline_pass(np.ascontiguousarray(block), passes, axis, threads)


def _spline_store_block(block, passes, threads, block_info=None):
    out = np.empty(block.shape, block_info[None]["dtype"])
    start = tuple(lo for lo, _ in block_info[None]["array-location"])
    _spline.spline_store(np.ascontiguousarray(block), out, passes, threads, start)
    return out


def _whole_axes(array, call, own, chunks, threads):
    """mode='label': each task resizes its chunk of the other axes whole along every resized
    axis (the labels' scores are SciPy's zoom in its own summation order, over the whole
    footprint), then the result is cut into the output's chunks."""
    out_shape = tuple(call.out_shape)
    out_chunks = _output_chunks(array.chunks, array.shape, out_shape, call.axes, chunks, call.dtype)
    x = array.rechunk({axis: -1 for axis in call.axes})
    shape = [(out_shape[a],) if a in call.axes else c for a, c in enumerate(x.chunks)]
    token = tokenize(array.name, call.axes, call.out_size, call.scales, str(call.dtype), threads,
                     sorted((k, repr(v)) for k, v in own.arguments.items()))
    x = x.map_blocks(_own_block, own, threads, chunks=tuple(shape), dtype=call.dtype,
                     meta=np.empty((0,) * x.ndim, call.dtype), name=f"resample-label-{token}")
    return x.rechunk(out_chunks)


def _own_block(block, own, threads, block_info=None):
    out = np.empty(block_info[None]["chunk-shape"], block_info[None]["dtype"])
    if out.size:
        own(np.ascontiguousarray(block), out, threads)
    return out


_CUT_MIN_BYTES = 2**20


def _volume(box):
    return math.prod(hi - lo for lo, hi in box)


class _Cuts:
    """The boxes of one input chunk that blocks read only a thin part of (block index ->
    ((lo, hi) per axis), in array coordinates), and where the chunk starts."""

    __slots__ = ("origin", "boxes")

    def __init__(self, origin, boxes):
        self.origin, self.boxes = origin, boxes


def _cut(chunk, cuts):
    """{block index: a copy of the box it reads}: copies, so the chunk itself can go."""
    chunk = np.asarray(chunk)
    return {index: np.array(chunk[tuple(slice(lo - o, hi - o) for (lo, hi), o in
                                        zip(box, cuts.origin))])
            for index, box in cuts.boxes.items()}


def _output_chunks(in_chunks, in_shape, out_shape, axes, chunks, dtype):
    """The result's chunks: the default (input chunks, scaled on resized axes) where
    `chunks` says nothing, dask's normalisation of what it says."""
    default = []
    for axis, c in enumerate(in_chunks):
        n_in, n_out = in_shape[axis], out_shape[axis]
        if axis not in axes or n_in == n_out:
            default.append(tuple(c))
        elif n_out == 0:
            default.append((0,))
        else:
            # chunk boundaries mapped by n_out / n_in, rounded half up, duplicates dropped
            bounds = sorted({(2 * b * n_out + n_in) // (2 * n_in) for b in np.cumsum((0, *c)).tolist()}
                            | {0, n_out})
            default.append(tuple(np.diff(bounds).tolist()))
    default = tuple(default)
    if chunks is None:
        return default
    ndim = len(out_shape)
    if isinstance(chunks, dict):
        bad = [a for a in chunks if not is_int(a) or not -ndim <= a < ndim]
        if bad:
            raise ValueError(f"chunks names axis {bad[0]!r}, out of range for rank {ndim}")
        spec = {int(a) % ndim: c for a, c in chunks.items()}
        chunks = tuple(spec.get(a) for a in range(ndim))
    if isinstance(chunks, (tuple, list)) and len(chunks) == ndim:
        chunks = tuple(d if c is None else c for c, d in zip(chunks, default))
    return normalize_chunks(chunks, out_shape, dtype=dtype, previous_chunks=default)


# ----------------------------------------------------------------------------- helpers

def _as_dask(array):
    """array as a dask array whose chunk sizes are known (the plan needs its shape)."""
    if not isinstance(array, da.Array):
        array = da.asarray(array)
    if any(math.isnan(c) for axis in array.chunks for c in axis):
        raise ValueError("the input has unknown chunk sizes: call array.compute_chunk_sizes() "
                         "first")
    return array


def _check_chunks(chunks):
    """Refuses a `chunks=` that dask would only fail on when computing (or divide by): an
    axis given as an int must be -1 (whole axis) or at least 1, explicit sizes at least 0."""
    if chunks is None or isinstance(chunks, str):
        return
    specs = chunks.values() if isinstance(chunks, dict) else (
        chunks if isinstance(chunks, (tuple, list)) else [chunks])
    for spec in specs:
        if spec is None or isinstance(spec, str):
            continue
        if isinstance(spec, (tuple, list)):
            if not all(is_int(c) and c >= 0 for c in spec):
                raise ValueError(f"chunks={chunks!r}: explicit chunk sizes must be ints >= 0, "
                                 f"got {tuple(spec)!r}")
        elif not is_int(spec) or not (spec == -1 or spec >= 1):
            raise ValueError(f"chunks={chunks!r}: a chunk size must be an int >= 1, -1 (the "
                             f"whole axis), None or a string such as 'auto', got {spec!r}")


def _array_expr_enabled():
    enabled = getattr(da, "array_expr_enabled", None)
    return bool(enabled and enabled())


def _native(dtype):
    """The dtype in native byte order (big-endian chunks are converted in the tasks)."""
    return dtype if dtype.isnative else dtype.newbyteorder("=")


def _check_threads(num_threads):
    from ._runtime import resolve_threads
    resolve_threads(num_threads)             # its TypeError/ValueError, now
