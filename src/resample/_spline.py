"""B-spline interpolation on the kernels, as SciPy 1.17's scipy.ndimage.zoom computes it:
either SciPy's own order (the input widened to float64 and padded where SciPy pads, the
recursive prefilter along whole lines of each axis in turn, spline_prefilter, then every
output's whole footprint summed, spline_tensor: bit for bit) or one pass per axis (spline_axis: its lines
widened, padded where SciPy pads, prefiltered along their whole length by SciPy's
recursion, and resampled by a per-axis plan, taps and float64 weights: the same weights,
summed axis by axis), then SciPy's store into the output type. compat.ndimage_zoom and resize's spline mode meet here; no pixel arithmetic happens
here."""
import functools
import math

import numpy as np

from . import _modes, _plans
from ._arrays import new_output
from ._runtime import kernels as _kernels

SCIPY_PAD = 12            # the samples SciPy pads on either side for nearest and grid-constant
INIT_REFLECT_117 = 3      # _spline.pxi's reflect initialisation as SciPy 1.17 computes it
# dtypes the kernels read and store (SciPy's, but for complex, which is split into two)
DTYPES = tuple(np.dtype(t) for t in (np.bool_, np.uint8, np.uint16, np.uint32, np.uint64, np.int8,
                                     np.int16, np.int32, np.int64, np.float32, np.float64))


@functools.lru_cache(maxsize=256)
def axis_tables(n, n_out, zoom, order, code, grid_mode, npad):
    """_plans.spline_plan's (taps, weights, outside), cached and read-only."""
    tables = _plans.spline_plan(n, n_out, zoom, order, code, grid_mode, npad)
    for t in tables:
        t.flags.writeable = False
    return tables


def _kernel_view(a):
    """a's flat memory as the kernels take it (bool as uint8)."""
    flat = a.reshape(-1)
    return flat.view(np.uint8) if flat.dtype == np.bool_ else flat


def pad_value(cval, dtype):
    """cval as np.pad writes it into an array of `dtype` (SciPy pads its input before
    prefiltering: the constant is cast to the input's type), as a float."""
    return float(np.pad(np.zeros(1, dtype), 1, mode="constant", constant_values=cval)[0])


class Passes:
    """zoom_into's per-axis form for an input of `shape`: the axes in the order they run
    (the most shrunk first, then the innermost), each axis's tables (taps, weights,
    outside), and what every pass and the final store read. A pass needs whole lines of its
    axis and nothing else, so resample.dask runs it on blocks that hold them."""

    __slots__ = ("shape", "out_shape", "order", "sequence", "tables", "pad", "edge", "fill",
                 "init", "pre", "cval", "plane")

    def __init__(self, shape, out_shape, order, sequence, tables, pad, edge, fill, init, pre, cval,
                 plane=False):
        self.shape, self.out_shape, self.order, self.sequence = shape, out_shape, order, sequence
        self.tables, self.pad, self.edge, self.fill = tables, pad, edge, fill
        self.init, self.pre, self.cval = init, pre, cval
        # the sequence ends with the last axis and the one before it, and zoom_into runs
        # those two passes and the store plane by plane (spline_plane_store)
        self.plane = plane


def spline_passes(shape, dtype, out_shape, axes, zooms, order, boundary, cval, prefilter,
                  grid_mode, exact=False, legacy_reflect=True):
    """The Passes of zoom_into (whose arguments these are) for an input of `shape` and
    `dtype`."""
    axes, shape, out_shape = tuple(axes), tuple(shape), tuple(out_shape)
    if not axes:
        raise ValueError("zoom_into needs at least one axis")
    pre = prefilter and order > 1
    # SciPy pads 12 samples before prefiltering for nearest and grid-constant, the
    # constant cast to x's type; the passes also pad grid-constant's taps that read cval
    # (raw cval), which the exact sum reads as cval itself
    pad, fill = 0, 0.0
    if pre and boundary.pad:
        pad = SCIPY_PAD
        fill = pad_value(cval, dtype) if boundary.pad == "constant" else 0.0
    elif boundary.pad == "constant" and not exact:
        pad, fill = order // 2 + 2, float(cval)
    init = INIT_REFLECT_117 if legacy_reflect and boundary.init == 2 else boundary.init
    tables = {a: axis_tables(shape[a] + 2 * pad, out_shape[a], float(z), order, boundary.code,
                             bool(grid_mode), pad) for a, z in zip(axes, zooms)}
    sequence, plane = _sequence(shape, out_shape, axes)
    return Passes(shape, out_shape, order, sequence, tables, pad, boundary.pad == "edge", fill,
                  init, pre, float(cval), plane)


def _sequence(shape, out_shape, axes):
    """The order of the passes, and whether its last two run plane by plane: the most
    shrunk axis first (the intermediates smallest), ties innermost first; or, for three
    axes or more whose last two are the array's last two, the others that way and then
    the last axis and the one before it, fused plane by plane (no float64 array of the
    second-to-last pass), where that costs no more. The cost model (fitted to
    benchmarks/science.py's volumes): a pass costs the samples it reads and writes, and
    a float64 intermediate it writes costs its samples once more."""
    def by_ratio(chosen):
        return tuple(sorted(chosen, key=lambda a: (out_shape[a] / shape[a], -a)))

    def cost(sequence, fused):
        now, total = list(shape), 0
        for i, a in enumerate(sequence):
            before = math.prod(now)
            now[a] = out_shape[a]
            total += before + math.prod(now)
            if i < len(sequence) - (2 if fused else 1):
                total += math.prod(now)
        return total
    plain = by_ratio(axes)
    last = len(shape) - 1
    if len(axes) < 3 or last not in axes or last - 1 not in axes:
        return plain, False
    planes = by_ratio(set(axes) - {last, last - 1}) + (last, last - 1)
    if cost(planes, True) <= cost(plain, False):
        return planes, True
    return plain, False


def spline_pass(src, passes, axis, threads, smooth=None):
    """One pass of `passes` on src (C-contiguous, whole along `axis`, any extent along the
    others): a new float64 array, `axis` resampled. smooth: (weights, index, cval), float
    src smoothed along `axis` first as correlate_symmetric smooths it (fused)."""
    taps, weights, _ = passes.tables[axis]
    shape = list(src.shape)
    outer, inner = math.prod(shape[:axis]), math.prod(shape[axis + 1:])
    n, shape[axis] = shape[axis], taps.shape[0]
    dst = new_output(tuple(shape), np.float64)
    _kernels.spline_axis(_kernel_view(src), dst.reshape(-1), outer, n, inner, passes.pad, passes.edge,
                         passes.fill, taps, weights, passes.order, passes.init, passes.pre, threads,
                         *(smooth or ()))
    return dst


def _outside_marks(passes, out_shape):
    """Per output axis, which of its outputs lie outside the input (zeros where unzoomed)."""
    return [passes.tables[a][2] if a in passes.tables else np.zeros(n, np.uint8)
            for a, n in enumerate(out_shape)]


def _combined(flags):
    """Any mark over a run of axes, flattened in C order, as uint8."""
    m = np.zeros((), bool)
    for f in flags:
        m = np.logical_or.outer(m, f.astype(bool))
    return np.ascontiguousarray(m.reshape(-1), np.uint8)


def spline_last_pass(src, out, passes, axis, threads):
    """spline_pass then spline_store in one kernel (spline_axis_store: no float64 array of
    the output's size), for the last pass, whose src (float64, whole along `axis`) has
    every other axis at its output size already: the same bits."""
    taps, weights, _ = passes.tables[axis]
    marks = _outside_marks(passes, out.shape)
    outer, inner = _combined(marks[:axis]), _combined(marks[axis + 1:])
    _kernels.spline_axis_store(src.reshape(-1), _kernel_view(out), len(outer), src.shape[axis], len(inner),
                               passes.pad, passes.edge, passes.fill, taps, weights, passes.order,
                               passes.init, passes.pre, outer, np.ascontiguousarray(marks[axis], np.uint8),
                               inner, passes.cval, out.dtype == np.bool_, threads)


def spline_plane_store(src, out, passes, threads):
    """The passes of the last axis, then of the one before, then spline_store, plane by
    plane in one kernel (passes.plane; src: float64, every other axis at its output size
    already): the same bits as spline_pass, spline_pass and spline_store."""
    rows, cols = out.ndim - 2, out.ndim - 1
    col_taps, col_weights, _ = passes.tables[cols]
    row_taps, row_weights, _ = passes.tables[rows]
    marks = _outside_marks(passes, out.shape)
    outer = _combined(marks[:rows])
    _kernels.spline_plane_store(src.reshape(-1), _kernel_view(out), len(outer), src.shape[rows],
                                src.shape[cols], passes.pad, passes.edge, passes.fill, col_taps,
                                col_weights, row_taps, row_weights, passes.order, passes.init,
                                passes.pre, outer, np.ascontiguousarray(marks[rows], np.uint8),
                                np.ascontiguousarray(marks[cols], np.uint8), passes.cval,
                                out.dtype == np.bool_, threads)


def spline_store(result, out, passes, threads, start=None):
    """out = SciPy's store of the float64 `result` (of out's shape; the block of the whole
    output that begins at `start`, default the origin): cval where an axis marks an output
    outside the input."""
    start = (0,) * out.ndim if start is None else start
    outside = [passes.tables[a][2][s:s + n] if a in passes.tables else np.zeros(n, np.uint8)
               for a, (s, n) in enumerate(zip(start, out.shape))]
    offsets = np.cumsum([0] + [len(o) for o in outside[:-1]]).astype(np.intp)
    _kernels.scipy_store(result.reshape(-1), _kernel_view(out), np.array(out.shape, np.intp),
                         np.concatenate(outside), offsets, passes.cval, out.dtype == np.bool_, threads)


def zoom_into(x, out, axes, zooms, order, boundary, cval, prefilter, grid_mode, threads,
              exact=False, legacy_reflect=True, smooth=None):
    """out = x zoomed along `axes` (the other axes are carried through), SciPy's way.

    x: C-contiguous ndarray of a DTYPES dtype; out: C-contiguous, of x's shape but for
    the zoomed axes, any DTYPES dtype; zooms: per zoomed axis, the input step per output
    (SciPy's recomputed zoom); boundary: a _modes.Boundary. exact: SciPy's own order (the
    whole input padded and prefiltered axis by axis, then every footprint point summed,
    each product axis by axis; every axis must be zoomed); else one pass per axis
    (spline_axis: its lines padded, prefiltered and resampled at once), the axes one after
    another (spline_passes). legacy_reflect: the reflect prefilter's initial value as SciPy
    1.17 computes it. smooth: (axis, weights, index, cval), float x correlated along that
    axis first (correlate_symmetric, stored in x's type): fused into the first pass where
    that is the axis's pass, else run before."""
    axes = tuple(axes)
    passes = spline_passes(x.shape, x.dtype, out.shape, axes, zooms, order, boundary, cval,
                           prefilter, grid_mode, exact, legacy_reflect)
    fused = None
    if smooth is not None:
        axis, fw, index, fill = smooth
        if not exact and len(passes.sequence) > 1 and passes.sequence[0] == axis:
            fused = (fw, index, float(fill))
        else:
            smoothed = new_output(x.shape, x.dtype)
            _kernels.correlate_symmetric(x.reshape(-1), smoothed.reshape(-1), math.prod(x.shape[:axis]),
                                         x.shape[axis], math.prod(x.shape[axis + 1:]), fw, index,
                                         float(fill), threads)
            x = smoothed
    if exact and order == 0 and x.dtype == out.dtype:
        # the type kept: SciPy's float64 round trip gives every sample back (floats as
        # 0.0 + x), so a gather
        strides, shape, taps, _, outside, offsets = _tensor_tables(x.shape, out.shape, passes.tables, 0)
        _kernels.nearest_gather(_kernel_view(x), _kernel_view(out), strides, shape, taps, outside, offsets,
                                float(cval), out.dtype == np.bool_, threads)
        return
    if exact:
        pad, tables = passes.pad, passes.tables
        padded = [n + 2 * pad if a in tables else n for a, n in enumerate(x.shape)]
        buf = new_output((math.prod(padded),), np.float64)
        _kernels.to_double_padded(_kernel_view(x), buf, np.array(x.shape, np.intp),
                                  np.array([pad if a in tables else 0 for a in range(x.ndim)], np.intp),
                                  passes.edge, passes.fill, threads)
        for a in axes if passes.pre else ():          # SciPy's order: axis 0 first
            _kernels.spline_prefilter(buf, math.prod(padded[:a]), padded[a], math.prod(padded[a + 1:]),
                                      order, passes.init, threads)
        result = new_output((out.size,), np.float64)
        _tensor(buf, result, padded, out.shape, tables, order, cval, threads)
    else:
        result = x
        for a in passes.sequence[:-2] if passes.plane else passes.sequence[:-1]:
            result = spline_pass(result, passes, a, threads, fused if result is x else None)
        if passes.plane:
            spline_plane_store(result, out, passes, threads)
            return
        if len(passes.sequence) > 1:          # (the last pass reads float64: no input dtypes)
            spline_last_pass(result, out, passes, passes.sequence[-1], threads)
            return
        result = spline_pass(result, passes, passes.sequence[-1], threads)
    spline_store(result, out, passes, threads)


def _tensor_tables(shape, out_shape, tables, order):
    """(strides, out_shape, taps, weights, outside, offsets) as spline_tensor takes them, for
    an input of `shape`. An axis without tables (not zoomed) keeps its samples: one tap of
    weight 1 and order taps of weight 0, exact for finite samples (SciPy zooms every axis;
    the label votes zoom some)."""
    k = order + 1
    columns = [[], [], []]
    for a, n in enumerate(out_shape):
        if a in tables:
            taps, weights, outside = tables[a]
        else:
            taps = np.repeat(np.arange(n, dtype=np.intp)[:, None], k, axis=1)
            weights = np.zeros((n, k))
            weights[:, 0] = 1
            outside = np.zeros(n, np.uint8)
        for column, table in zip(columns, (taps, weights, outside)):
            column.append(table.reshape(-1))
    offsets = np.cumsum([0] + list(out_shape[:-1])).astype(np.intp)
    strides = np.array([math.prod(shape[a + 1:]) for a in range(len(shape))], np.intp)
    taps, weights, outside = (np.concatenate(c) for c in columns)
    return strides, np.array(out_shape, np.intp), taps, weights, outside, offsets


def _tensor(buf, result, shape, out_shape, tables, order, cval, threads):
    """spline_tensor over every axis of buf (of `shape`), per _tensor_tables."""
    _kernels.spline_tensor(buf, result, *_tensor_tables(shape, out_shape, tables, order), order,
                           float(cval), threads)


LABEL_TIEBREAKS = ("nearest", "lowest", "highest")     # batchgenerators' seg_tiebreak names
EDGE = _modes.SCIPY_BOUNDARY["nearest"]          # scikit-image's mode="edge"
MOST_LABELS = 1024        # resize's label mode: more distinct values are not a label map


def _label_bits(values):
    """values flat and contiguous as the label kernels read them (bool as uint8), or None
    for a type they do not take."""
    if values.dtype.kind not in "uib":
        return None
    flat = np.ascontiguousarray(values).reshape(-1)
    return flat.view(np.uint8) if flat.dtype == np.bool_ else flat


def _table_span(low, high, size):
    """The length of a table from low to high, where it is no longer than the `size`
    values it serves (or 65536 entries), else None."""
    span = int(high) - int(low) + 1
    return span if span <= max(size, 1 << 16) else None


def distinct_labels(values):
    """np.unique(values): for integer and bool label maps of a compact range, from one
    sweep of the label_presence kernel over a table of that range."""
    flat = _label_bits(values)
    if flat is None or flat.size == 0:
        return np.unique(values)
    low = flat.min()
    span = _table_span(low, flat.max(), flat.size)
    if span is None:
        return np.unique(values)
    present = np.zeros(span, np.uint8)
    _kernels.label_presence(flat, low, present)
    # each value low + k, in the values' own type (wrapping where k does not fit it)
    found = np.flatnonzero(present).astype(flat.dtype) + low
    return found.view(np.bool_) if values.dtype == np.bool_ else found


def label_indices(values, labels, threads):
    """Each value's index in `labels` (its sorted distinct values) as a C-contiguous int32
    array: a table lookup (label_lookup) over the labels' range where it is compact, else
    a binary search."""
    flat = _label_bits(values)
    span = None if flat is None or len(labels) == 0 else _table_span(labels[0], labels[-1], flat.size)
    if span is None:
        return np.ascontiguousarray(np.searchsorted(labels, values), np.int32)
    keys = labels.view(flat.dtype) if labels.dtype == np.bool_ else labels
    low = keys[0]
    index = np.zeros(span, np.int32)
    offsets = (keys - low).view(f"u{flat.dtype.itemsize}")        # (exact: wrapped, then unsigned)
    index[offsets.astype(np.intp)] = np.arange(len(labels), dtype=np.int32)
    out = new_output(values.shape, np.int32)
    _kernels.label_lookup(flat, low, index, out.reshape(-1), threads)
    return out


def label_zoom(seg, out_shape, axes, steps, order, tiebreak, threads, most=None):
    """batchgenerators' resize_segmentation rule (order >= 1) on the zoomed `axes` of seg:
    every label's indicator zoomed as scikit-image zooms it (edge mode, pixel centres,
    SciPy's own summation order, clipped to [0, 1]), each voxel the label of the largest
    score, exact ties settled by `tiebreak` (LABEL_TIEBREAKS). Returns a new array.
    most: ValueError for more distinct labels (each costs a zoom of the whole array)."""
    if tuple(out_shape) == seg.shape and all(s == 1 for s in steps):
        return seg.copy()           # every indicator comes back as it is: each voxel its label
    labels = distinct_labels(seg)
    if most is not None and len(labels) > most:
        raise ValueError(f"mode='label' takes label maps of at most {most} labels (each is resized on "
                         f"its own); this array has {len(labels)} distinct values: is it a label map?")
    if len(labels) == 1:
        return np.full(out_shape, labels[0], seg.dtype)
    index = label_indices(seg, labels, threads)
    code = {"lowest": 0, "highest": 1, "nearest": 2}[tiebreak]
    if order == 1:            # one sweep scores only the labels in each footprint
        tables = {a: axis_tables(seg.shape[a], out_shape[a], float(z), 1, EDGE.code, True, 0)
                  for a, z in zip(axes, steps)}
        nearest = {a: axis_tables(seg.shape[a], out_shape[a], float(z), 0, EDGE.code, True, 0)
                   for a, z in zip(axes, steps)}
        strides, shape, taps, weights, _, offsets = _tensor_tables(seg.shape, out_shape, tables, 1)
        near = _tensor_tables(seg.shape, out_shape, nearest, 0)[2]
        win = new_output(out_shape, np.int32)
        _kernels.label_linear_vote(index.reshape(-1), win.reshape(-1), strides, shape, taps, weights, near,
                                   offsets, len(labels), code, threads)
        return np.take(labels, win)
    nearest = new_output(out_shape, np.int32)
    zoom_into(index, nearest, axes, steps, 0, EDGE, 0.0, True, True, threads, exact=True)
    flat_nearest = nearest.reshape(-1)
    indicator = new_output(seg.shape, np.float64)
    score, best = new_output(out_shape, np.float64), new_output(out_shape, np.float64)
    win, top = new_output(out_shape, np.int32), new_output(out_shape, np.uint8)
    unit = np.array([0.0, 1.0])
    for i in range(len(labels)):
        _kernels.label_indicator(index.reshape(-1), i, indicator.reshape(-1), threads)
        zoom_into(indicator, score, axes, steps, order, EDGE, 0.0, True, True, threads, exact=True)
        _kernels.clip_range(score.reshape(-1), unit, 1, 1, threads)
        _kernels.label_vote(score.reshape(-1), best.reshape(-1), win.reshape(-1), flat_nearest,
                            top.reshape(-1), i, code, threads)
    if code == 2:
        _kernels.label_choose(win.reshape(-1), flat_nearest, top.reshape(-1), threads)
    return labels[win]          # each voxel's label from its index (a table lookup)


def check_cval(cval):
    """TypeError unless cval (the value past the edges) is a finite real number."""
    if isinstance(cval, bool) or not isinstance(cval, (int, float, np.integer, np.floating)) \
            or not math.isfinite(cval):
        raise TypeError(f"cval must be a finite real number, got {cval!r}")


def resize_spline(call, x, order, boundary, cval):
    """resize's spline mode for a resolved call on x: None for the other modes (which take
    no order), else an OwnKernel run(x, out, threads) (as the label and majority modes), SciPy's zoom of the resized axes
    with pixel-centre coordinates (grid_mode), output i sampling (i + 0.5) * step - 0.5 with
    step n_in / n_out (1 / scale_factor where one is given); ValueError or TypeError naming
    the argument otherwise."""
    if call.filter not in _modes.OWN_KERNELS:
        if order is not None:
            raise ValueError(f"order= is for mode='spline' and 'label'; mode {call.mode!r} takes none")
        return None         # (boundary= and cval= are _resize.filter_boundary's)
    if call.filter == "label":
        return _resize_labels(call, x, order, boundary, cval)
    if call.filter == "majority":
        return _resize_majority(call, x, order, boundary, cval)
    order = 3 if order is None else order
    if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order not in _modes.SPLINE_ORDERS:
        raise ValueError(f"order must be an int 0..5 (the B-spline order), got {order!r}")
    boundary = "reflect" if boundary is None else boundary
    rule = _modes.SCIPY_BOUNDARY.get(boundary) if isinstance(boundary, str) else None
    if rule is None:
        raise ValueError(f"boundary must be one of {', '.join(_modes.SCIPY_BOUNDARY)}, got {boundary!r}")
    check_cval(cval)
    if x.dtype not in DTYPES:
        raise TypeError(f"mode='spline' takes uint8, uint16, int16, float32 and float64 arrays, not "
                        f"{x.dtype}: convert with x.astype(np.float32)")
    steps = [1.0 / s if s > 0 else x.shape[a] / n for a, n, s in zip(call.axes, call.out_size, call.scales)]

    return OwnKernel(zoom_into, axes=call.axes, zooms=steps, order=int(order), boundary=rule,
                     cval=float(cval), prefilter=True, grid_mode=True, legacy_reflect=False)


class OwnKernel:
    """A resolved call's computation by its mode's own kernels: run(x, out, threads) is
    function(x, out, threads=threads, **arguments); resample.dask reads the two to compute
    it block by block."""

    __slots__ = ("function", "arguments")

    def __init__(self, function, **arguments):
        self.function, self.arguments = function, arguments

    def __call__(self, x, out, threads):
        self.function(x, out, threads=threads, **self.arguments)


def _resize_labels(call, x, order, boundary, cval):
    """resize's label mode: label_zoom of the resized axes (order default 1, edge
    boundary, 'nearest' tie-break)."""
    order = 1 if order is None else order
    if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or not 0 <= order <= 5:
        raise ValueError(f"order must be an int 0..5 (the indicators' B-spline order), got {order!r}")
    if boundary not in (None, "nearest") or cval != 0.0:
        raise ValueError("mode='label' resizes with the edge boundary (batchgenerators' rule): leave "
                         "boundary=None (or 'nearest') and cval=0")
    if x.dtype not in DTYPES:
        raise TypeError(f"mode='label' takes integer, bool, float32 and float64 label maps, not {x.dtype}")
    steps = [1.0 / s if s > 0 else x.shape[a] / n for a, n, s in zip(call.axes, call.out_size, call.scales)]

    return OwnKernel(label_into, axes=call.axes, steps=steps, order=int(order))


def label_into(x, out, axes, steps, order, threads):
    """out = resize's label mode of x along `axes` (steps: the input step per output):
    label_zoom, or SciPy's nearest zoom for order 0."""
    if order == 0:
        zoom_into(x, out, axes, steps, 0, _modes.SCIPY_BOUNDARY["nearest"], 0.0, True, True,
                  threads, exact=True)
    else:
        out[...] = label_zoom(x, out.shape, axes, steps, order, "nearest", threads, most=MOST_LABELS)


MAJORITY_BOX = 1 << 22          # samples one output's window may hold (4 bytes each, per thread)


def _resize_majority(call, x, order, boundary, cval):
    """resize's majority mode: each output the most frequent value of its area window
    (torch's adaptive windows on every resized axis), the lowest among ties."""
    if order is not None or boundary is not None or cval != 0.0:
        raise ValueError("mode='majority' takes no order=, boundary= or cval= (its windows never "
                         "reach past the edges)")
    if x.dtype not in DTYPES:
        raise TypeError(f"mode='majority' takes integer, bool, float32 and float64 label maps, not {x.dtype}")
    lengths = [(x.shape[a], n) for a, n in zip(call.axes, call.out_size)]
    if any(n_out > n_in for n_in, n_out in lengths):
        raise ValueError(f"mode='majority' shrinks label maps (a vote over each output's window); "
                         f"sizes {call.out_size} enlarge an axis of {x.shape}: enlarge with "
                         f"mode='nearest' or mode='label'")
    box = math.prod(-(-n_in // n_out) + 1 for n_in, n_out in lengths if n_out)
    if box > MAJORITY_BOX:
        raise ValueError(f"mode='majority' windows of up to {box} samples (more than {MAJORITY_BOX}): "
                         f"shrink in steps")

    sizes = dict(zip(call.axes, lengths))
    return OwnKernel(majority_into, windows=tuple(_plans.area_windows(*sizes.get(a, (n, n)))
                                                  for a, n in enumerate(x.shape)))


def majority_into(x, out, windows, threads):
    """out = the majority vote of x (the lowest label among ties) over every output's box:
    windows[a] = (starts, ends), the window of x along axis a of each output coordinate."""
    if out.size == 0:
        return
    labels = distinct_labels(x)
    index = label_indices(x, labels, threads)
    win = new_output(out.shape, np.int32)
    _kernels.label_majority(index.reshape(-1), win.reshape(-1), np.array(x.shape, np.intp),
                            np.array(out.shape, np.intp), np.concatenate([w[0] for w in windows]),
                            np.concatenate([w[1] for w in windows]), threads)
    out[...] = labels[win]          # each voxel's label from its index (a table lookup)


def refuse(call, what):
    """NotImplementedError for a call of a mode with its own kernels where `what` has no
    such variant."""
    if call.filter in _modes.OWN_KERNELS:
        raise NotImplementedError(f"mode={call.filter!r} has no {what} yet: use resample.resize")
