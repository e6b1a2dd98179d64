"""The engine under every front door: a resolved call (Call) becomes a cached Program of
kernel steps (passes over the resized axes, fused where their memory axes are adjacent,
dtype widening and narrowing around them), which runs on flat buffers. The known-call cache
lets a repeated call skip everything but the kernels; the block contract (block_span,
resize_block) computes any block of a call, bit for bit, from the same tables.

Vocabulary: a *plan* is one axis's table of taps and weights (made by _plans, held by
AxisPlan, read by the kernels as their struct Plan); a *pass* applies one plan along one
axis; a *step* is one kernel call of a Program (a fused run of passes, a gather, a dtype
conversion). No pixel arithmetic happens here."""
import dataclasses
import functools
import math

import numpy as np

from . import _modes, _plans
from ._arrays import RECYCLE_FROM, as_array, c_order, new_output
from ._runtime import kernels as _kernels, resolve_threads

_UINT8 = np.dtype(np.uint8)
_NEAREST = ("nearest", "nearest-exact")      # filters that copy samples


# ----------------------------------------------------------------------------- calls

@dataclasses.dataclass(frozen=True)
class Call:
    """A validated call: the resized axes (ascending) with their output sizes and user
    scales (0.0: none), the per-axis filter (_modes) and the flags. Immutable and hashable:
    it is part of the program cache's key."""
    mode: str                  # the name the caller used
    filter: str                # what the per-axis plans compute (_modes.Mode.filter)
    out_size: tuple
    scales: tuple
    align_corners: bool
    antialias: bool
    axes: tuple
    # a block of a larger call (resize_block): ((axis, (n_in, n_out) of the whole call)),
    # ((axis, (o0, o1, lo, hi))): the block's outputs [o0, o1) read the slab [lo, hi)
    lengths: tuple = ()
    region: tuple = ()
    # the input the call was resolved for (for_input), which block_span needs
    in_shape: tuple = None
    out_shape: tuple = None
    dtype: np.dtype = None
    # bfloat16 only: the forward's linear and cubic weights are rounded to bfloat16, as in
    # torch's generic kernel; False keeps them in float32, as torch's channels-last kernel
    # does and resize always does (docs §3.9)
    bfloat16_weights: bool = True
    # what the separable filters read past the edges: -1 torch's rule, else a
    # _modes.Boundary.filter_code; with the constant rule, `padded` names the axes whose
    # input carries one more sample, the constant, at its end (constant_input appends it)
    boundary: int = -1
    padded: tuple = ()

    @classmethod
    def of(cls, mode, out_size, scales, align_corners, antialias, axes=None, filter=None):
        """A Call; axes None: interpolate's spatial axes 2, 3, ...; filter None: the
        torch mode's."""
        return cls(mode, filter or _modes.BY_TORCH_NAME[mode].filter, tuple(out_size),
                   tuple(scales), align_corners, antialias,
                   tuple(range(2, 2 + len(out_size))) if axes is None else tuple(axes))


def for_input(call, shape, dtype):
    """`call` resolved for an input of `shape` and `dtype` (its in_shape, out_shape and
    dtype set), as block_span and resize_block take it."""
    return dataclasses.replace(call, in_shape=tuple(shape), out_shape=resized_shape(shape, call),
                               dtype=np.dtype(dtype))


def resized_shape(shape, call):
    """The shape `call` gives an input of `shape`."""
    resized = list(shape)
    for axis, n in zip(call.axes, call.out_size):
        resized[axis] = n
    return tuple(resized)


def size_from_scale(n, s):
    """The output length of an axis of n samples scaled by s: trunc(double(n) * s) into an
    int64, as aten's .vec overload computes it (RuntimeError, torch's, past int64)."""
    v = float(n) * s
    if not math.isfinite(v) or not -(2.0**63) <= v < 2.0**63:
        raise RuntimeError(
            f"value cannot be converted to type int64_t without overflow: "
            f"input size {n} times scale_factor {s} is {v}"
        )
    return int(v)


# ----------------------------------------------------------------------------- repeats

def repeat(function, x, out, arguments, num_threads):
    """(result, key): a repeat of an earlier call of `function` (same input shape, strides
    and dtype, arguments of the same values and types) runs its program at once and is the
    result; otherwise result is None and key is what run_forward remembers the call under
    (None: not remembered). The key, the lookup and the run are compiled (_known.pxi): for
    a small image they are the whole call."""
    return _kernels.repeat_known(_KNOWN_CALLS, function, x, out, arguments, num_threads,
                                 _kernels, resolve_threads)


def run_forward(x, out, perm, call, threads, remember=None):
    """The forward call's kernels, on x whose transpose(perm) is C-contiguous; remember: the
    key (from repeat) under which a repeat of this call may skip straight to the kernels."""
    program = forward_program(x.shape, x.dtype, out.shape, perm, call)
    program.run(_flat(x, perm), _flat(out, perm), threads)
    if remember is not None:
        if len(_KNOWN_CALLS) >= _KNOWN_CALLS_KEPT:
            _KNOWN_CALLS.pop(next(iter(_KNOWN_CALLS), None), None)      # the oldest
        memory_shape = tuple(out.shape[p] for p in perm)
        # outputs too small for the recycled pool come straight from np.empty
        allocate = np.empty if out.nbytes < RECYCLE_FROM else new_output
        _KNOWN_CALLS[remember] = _kernels.KnownCall(program, memory_shape, tuple(perm), allocate)


# Repeated calls: the same function, input shape, strides and dtype, and arguments of the
# same values and types, resolve to the same program and output layout. A repeat (a NumPy
# input read in place, no out=) skips the argument checks and runs the kernels. The key
# (_known.pxi's call_key) holds the values and their types (2, 2.0 and True are different
# calls) and the kernel build (tests switch it); calls with out=, an input other than an
# aligned NumPy array, or arguments other than None, numbers, strings and tuples or lists
# of numbers are not remembered. A repeated small call is mostly this, so it is compiled.
_KNOWN_CALLS = {}
_KNOWN_CALLS_KEPT = 256


_PROGRAMS = {}           # recent calls' programs (immutable, shared by threads)
_PROGRAMS_KEPT = 64


def forward_program(in_shape, dtype, out_shape, perm, call):
    """The forward call's kernels prepared (a _kernels.Program) for an input of in_shape and
    dtype whose memory is C-contiguous in the axis order perm; the output has that layout.
    The last _PROGRAMS_KEPT are kept, so a repeated call prepares nothing."""
    key = (tuple(in_shape), np.dtype(dtype).str, tuple(out_shape), tuple(perm), call, _kernels)
    program = _PROGRAMS.get(key)
    if program is None:
        program = _new_forward_program(in_shape, dtype, out_shape, perm, call)
        if len(_PROGRAMS) >= _PROGRAMS_KEPT:
            _PROGRAMS.pop(next(iter(_PROGRAMS), None), None)      # the oldest
        _PROGRAMS[key] = program
    return program


def _new_forward_program(in_shape, dtype, out_shape, perm, call):
    steps = _Steps(in_shape, out_shape, dtype)
    if call.filter in _NEAREST:
        _nearest_steps(steps, in_shape, out_shape, dtype, perm, call)
    elif call.filter == "area":
        _area_steps(steps, in_shape, out_shape, dtype, perm, call)
    else:
        _separable_steps(steps, in_shape, dtype, perm,
                         _separable_passes(in_shape, out_shape, call, dtype))
    return steps.program()

def plan_bytes(result_shape, in_size, call, backward=False):
    """About the bytes of the per-axis tables a call builds (an entry: a tap and a weight,
    16 bytes), so giant sizes fail before the tables are built. Nothing is built for an
    empty result."""
    if math.prod(result_shape) == 0:
        return 0
    entries = 0
    for n, o in zip(in_size, call.out_size):
        if call.filter in _NEAREST:
            width = 1
        elif call.filter == "area":     # the forward keeps only window bounds
            width = -(-n // max(o, 1)) + 1 if backward else 2
        elif call.antialias:            # the filter's support, widened by the shrink factor
            support = _modes.BY_FILTER[call.filter].support * max(n / max(o, 1), 1.0)
            width = min(n, 2 * math.ceil(support) + 1)
        else:
            width = 4
        entries += o * width + (n if backward else 0)
    rows = math.prod(result_shape[:-1]) if call.filter in _NEAREST and not backward else 0
    return 16 * entries + 8 * rows      # nearest: the source offset of every output row

# ----------------------------------------------------------------------------- runs

def _flat(a, perm):
    """The memory of a (C-contiguous in perm order) as a 1-D view."""
    return a.transpose(perm).reshape(-1)


def _padded(per_axis, fill):
    return [fill] * (3 - len(per_axis)) + list(per_axis)


class _Steps:
    """A call's prepared kernel steps, each from one buffer into another: INPUT (the
    input's memory), OUTPUT, or a temporary (allocated by the kernels when they run)."""
    INPUT, OUTPUT = 0, 1

    def __init__(self, in_shape, out_shape, dtype, out_dtype=None):
        self.itemsize = np.dtype(dtype).itemsize
        self.in_bytes = math.prod(in_shape) * self.itemsize
        self.out_bytes = math.prod(out_shape) * np.dtype(out_dtype or dtype).itemsize
        self.steps, self.links, self.temporaries = [], [], []

    def temporary(self, samples, dtype):
        self.temporaries.append(samples * np.dtype(dtype).itemsize)
        return len(self.temporaries) + 1

    def add(self, step, src, dst):
        self.steps.append(step)
        self.links += [src, dst]

    def program(self):
        return _kernels.Program(self.steps, self.links, self.temporaries, self.in_bytes,
                                self.out_bytes)


def _nearest_steps(steps, in_shape, out_shape, dtype, perm, call):
    """Nearest with torch's index rule on the call's axes."""
    index = {axis: _restricted(_nearest_index(call, axis, in_shape, out_shape, dtype), call, axis)
             for axis in call.axes}
    steps.add(_gather_step(in_shape, np.dtype(dtype).itemsize, perm, index), steps.INPUT,
              steps.OUTPUT)


def _nearest_index(call, axis, in_shape, out_shape, dtype):
    """The whole call's nearest input index of every output along axis."""
    n_in, n_out = _lengths(call, axis, in_shape, out_shape)
    return _plans.nearest_plan(n_in, n_out, call.scales[call.axes.index(axis)],
                               call.filter == "nearest-exact", np.dtype(dtype) == np.float64)


def gather(x, out, perm, index, threads):
    """out = x at the input indices index[axis] (an array per resized axis; the others are
    copied). Bits are copied."""
    steps = _Steps(x.shape, out.shape, x.dtype)
    steps.add(_gather_step(x.shape, x.itemsize, perm, index), steps.INPUT, steps.OUTPUT)
    steps.program().run(_flat(x, perm), _flat(out, perm), threads)


def _gather_step(in_shape, itemsize, perm, index):
    """The gather of gather as row gathers in memory order: every output row (all memory
    axes up to the innermost resized one, with the unresized axes after it, e.g. channels,
    flattened into the row) reads one input row."""
    tables = [np.asarray(index[p], np.intp) if p in index else np.arange(in_shape[p])
              for p in perm]                                 # in memory order
    in_shape = [in_shape[p] for p in perm]
    last = max(perm.index(axis) for axis in index)
    inner = math.prod(in_shape[last + 1:])
    # whole pixels (of `inner` samples): one row of the last resized axis at a time
    tables[last:] = [(tables[last][:, None] * inner + np.arange(inner)).ravel()]
    in_shape[last:] = [in_shape[last] * inner]
    # the input row each output row reads (an offset in elements), in output row order
    strides = _contiguous_strides(in_shape)[:-1]
    sources = np.zeros([len(t) for t in tables[:-1]], np.intp)
    for axis, (table, stride) in enumerate(zip(tables[:-1], strides)):
        shape = [1] * len(strides)
        shape[axis] = len(table)
        sources += (table * stride).reshape(shape)
    sources = sources.ravel()
    runs = np.append(np.flatnonzero(np.diff(sources, prepend=-1)), len(sources))
    return _kernels.nearest_step(itemsize, sources, runs, tables[-1], in_shape[-1])


def _contiguous_strides(shape):
    return [math.prod(shape[i + 1:]) for i in range(len(shape))]


_WIDENED = (*_modes.HALF_DTYPES, np.dtype(np.uint16), np.dtype(np.int16))   # computed in float32
# what a float32 step reads widened as it reads it (its src_half; _half_rows.pxi): those,
# and uint8 where a float32 result is asked of it (TensorFlow's and JAX's)
_READ_AS_FLOAT32 = (*_WIDENED, _UINT8)


def _compute_input(steps, samples, dtype):
    """(buffer, dtype) of the input in the compute type: the 16-bit floats and integers
    are float32, the steps widening them as they read the input (_half_io); uint8 and the
    float compute types are used as they are. No float32 copy of the input is made."""
    dtype = np.dtype(dtype)
    return steps.INPUT, (np.dtype(np.float32) if dtype in _WIDENED else dtype)


def _half_io(steps, dtype, buf, last, compute, out_dtype):
    """(src_half, dst_half) of a step computing in `compute` that reads buf: in float32, an
    input of a narrow type is read as it is (widened as read: 16-bit floats and integers,
    uint8 to float32), and the last step writes a 16-bit float output as it is (narrowed
    as written, the call's one rounding); "" otherwise."""
    if compute != np.float32:
        return "", ""
    dtype, out_dtype = np.dtype(dtype), np.dtype(out_dtype)
    return (dtype.name if buf == steps.INPUT and dtype in _READ_AS_FLOAT32 else "",
            out_dtype.name if last and out_dtype in _modes.HALF_DTYPES else "")


def _store(steps, buf, samples, out_dtype):
    """Write a compute-type result into the output: the round-half-to-even and clamp of
    16-bit integers, or a copy (a 16-bit float output is written by its last step; the
    input itself is copied where no step ran)."""
    out_dtype = np.dtype(out_dtype)
    if buf == steps.OUTPUT:
        return
    if out_dtype in _WIDENED and out_dtype not in _modes.HALF_DTYPES and buf != steps.INPUT:
        steps.add(_kernels.elementwise_step("narrow_integers", out_dtype.name, samples), buf,
                  steps.OUTPUT)
    else:
        steps.add(_kernels.elementwise_step("copy", "uint8", samples * out_dtype.itemsize), buf,
                  steps.OUTPUT)


def _adjacent_groups(positions, most):
    """Sorted memory positions split into runs of adjacent ones, at most `most` long."""
    groups = []
    for p in positions:
        if groups and p == groups[-1][-1] + 1 and len(groups[-1]) < most:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _area_steps(steps, in_shape, out_shape, dtype, perm, call):
    """Adaptive average pooling of the resized axes: up to three adjacent memory axes at
    once (the window summed and divided as torch does), seen as (planes, D, H, W, step)
    where step is the samples after them (channels-last pixels) and planes those before.
    Other groups of axes run one after the other, innermost first."""
    memory_shape = [in_shape[p] for p in perm]
    memory_out = [out_shape[p] for p in perm]
    samples = math.prod(memory_shape)
    if dtype == _UINT8:
        buf, compute = steps.INPUT, np.dtype(dtype)
    else:
        buf, compute = _compute_input(steps, samples, dtype)
    groups = _adjacent_groups(sorted(perm.index(a) for a in call.axes), 3)[::-1]
    for number, group in enumerate(groups):
        planes = math.prod(memory_shape[:group[0]])
        step = math.prod(memory_shape[group[-1] + 1:])
        sizes_in = [memory_shape[p] for p in group]
        sizes_out = [memory_out[p] for p in group]
        windows = [[_restricted(bounds, call, perm[p]) for bounds in
                    _area_windows(call, perm[p], in_shape, out_shape)] for p in group]
        windows = [a for w in _padded(windows, (np.zeros(1, np.intp), np.ones(1, np.intp))) for a in w]
        for p in group:
            memory_shape[p] = memory_out[p]
        last = number == len(groups) - 1
        src_half, dst_half = _half_io(steps, dtype, buf, last, compute, dtype)
        if last and (compute == dtype or dst_half):
            dst = steps.OUTPUT
        else:
            dst = steps.temporary(math.prod(memory_shape), compute)
        steps.add(_kernels.area_step(compute.name, planes, step, _padded(sizes_in, 1),
                                     _padded(sizes_out, 1), *windows, src_half, dst_half), buf, dst)
        buf = dst
    _store(steps, buf, math.prod(memory_out), dtype)


def _area_windows(call, axis, in_shape, out_shape):
    """The whole call's (starts, ends) of every output's window along axis."""
    return _plans.area_windows(*_lengths(call, axis, in_shape, out_shape))


class AxisPlan:
    """One axis's plan as the kernels take it: output i = sum over k < counts[i] of
    weights[i, k] * x[taps[i, k]]. For uint8 the weights are int16 in fixed point with
    `precision` bits, and the table has an even width (the kernels take taps in pairs; a
    padding entry repeats a real tap with weight 0). lerp: TensorFlow's bilinear form
    instead, two taps a, b and the weight w in the first column, output a + (b - a) * w.
    post (float types): every output multiplied by it after its sum (0: none). Read-only,
    because plans are cached."""

    def __init__(self, n_in, taps, weights, counts, precision=0, lerp=False, post=0.0):
        self.n_in = n_in
        self.taps, self.weights, self.counts = taps, weights, counts
        self.precision = precision
        self.lerp, self.post = lerp, float(post)
        self.weight_bytes = weights.view(np.uint8)
        # torch's same-size linear rule (x*1 + x*0 everywhere): no transposes needed
        n_out = len(counts)
        self.identity = bool(
            not lerp and not post and n_out == n_in and taps.shape[1] == 2 and (counts == 2).all()
            and (taps[:, 0] == np.arange(n_out)).all() and (taps[:, 1] == taps[:, 0]).all()
            and (weights[:, 0] == 1).all() and (weights[:, 1] == 0).all())
        for table in (taps, weights, counts, self.weight_bytes):
            table.flags.writeable = False


class Pass:
    """One separable pass: along `axis`, n_in -> n_out with a AxisPlan (made with the
    user scale `scale`)."""

    def __init__(self, axis, n_in, n_out, plan, scale=0.0):
        self.axis, self.n_in, self.n_out, self.plan, self.scale = axis, n_in, n_out, plan, scale


@functools.lru_cache(maxsize=128)
def uint8_axis_plan(mode, antialias, n_in, n_out, align_corners, scale, boundary=-1):
    taps, weights, counts, precision = _plans.uint8_plan(mode, antialias, n_in, n_out,
                                                         align_corners, scale, boundary)
    return fixed_point_plan(n_in + (boundary == CONSTANT), taps, weights.astype(np.int16),
                            counts, precision)


def fixed_point_plan(n_in, taps, weights, counts, precision):
    """A uint8 AxisPlan from a fixed-point table (int16 weights: torch's; int32: Pillow's
    22-bit ones), its width made even: a padding entry repeats the row's last real tap with
    weight 0."""
    n_out = len(counts)
    width = taps.shape[1] + taps.shape[1] % 2
    padded_taps = np.empty((n_out, width), np.intp)
    padded_weights = np.zeros((n_out, width), weights.dtype)
    used = np.arange(width)[None, :] < counts[:, None]
    last = taps[np.arange(n_out), np.maximum(counts - 1, 0)]
    padded_taps[...] = last[:, None]
    padded_taps[used] = taps[used[:, :taps.shape[1]]]
    padded_weights[used] = weights[used[:, :taps.shape[1]]]
    return AxisPlan(n_in, padded_taps, padded_weights, counts, precision)


def _resized_axes(call):
    """(axis, user scale) of every resized axis, the last axis first: the innermost memory
    axis first, as torch nests W inside H inside D."""
    return sorted(zip(call.axes, call.scales), reverse=True)


def _lengths(call, axis, in_shape, out_shape):
    """(n_in, n_out) of the whole call along axis (a block's call knows its parent's),
    n_in without the constant sample of a padded axis."""
    n_in, n_out = dict(call.lengths).get(axis) or (in_shape[axis], out_shape[axis])
    return n_in - (axis in call.padded), n_out


# ----------------------------------------------------------------------------- boundaries
#
# A boundary rule other than torch's folds every tap past an edge into the axis (_plans'
# fold_tap), except the constant rule: its taps read one extra sample holding the constant,
# appended to each axis that runs a pass (the others read nothing past their edges).

CONSTANT = _modes.SCIPY_BOUNDARY["grid-constant"].filter_code     # (constant's too)


def with_boundary(call, shape, rule):
    """call reading past the edges of an input of `shape` by `rule` (a filter_code, -1
    torch's); unchanged for the filters that read nothing past the edges (nearest, area)
    and for torch's rule."""
    if rule < 0 or call.filter in _NEAREST or call.filter == "area":
        return call
    padded = ()
    if rule == CONSTANT:
        out_shape = resized_shape(shape, call)
        padded = tuple(a for a in call.axes if not (call.antialias and shape[a] == out_shape[a]))
    return dataclasses.replace(call, boundary=rule, padded=padded)


def padded_shape(shape, call):
    """shape with the constant sample on every axis in call.padded."""
    return tuple(n + (a in call.padded) for a, n in enumerate(shape))


def constant_input(x, call, value):
    """x with `value` (already of x's dtype) appended along every axis in call.padded: the
    one sample the constant rule's taps read (a copy; x itself where none is padded)."""
    if not call.padded:
        return x
    padded = np.full(padded_shape(x.shape, call), value, x.dtype)
    padded[tuple(slice(0, n) for n in x.shape)] = x
    return padded


def _restricted(plan, call, axis):
    """The rows of `plan` (a AxisPlan, or a 1-D table such as nearest's index or area's
    window bounds) that a block computes, reading its slab: taps shifted by the slab's
    start. Weights and their order are the whole call's, so the block's results are
    bit for bit the whole call's."""
    region = dict(call.region).get(axis)
    if region is None:
        return plan
    o0, o1, lo, hi = region
    if not isinstance(plan, AxisPlan):
        return plan[o0:o1] - lo
    taps = np.clip(plan.taps[o0:o1] - lo, 0, hi - lo - 1)    # (unused padding entries too)
    return AxisPlan(hi - lo, taps, plan.weights[o0:o1], plan.counts[o0:o1], plan.precision,
                    plan.lerp, plan.post)


def _pass(axis, plan, scale, call):
    plan = _restricted(plan, call, axis)
    return Pass(axis, plan.n_in, len(plan.counts), plan, scale)


def _uint8_passes(in_shape, out_shape, call):
    """torch's uint8 fixed-point passes (docs §3.6): W, then H, then D, uint8 between
    passes, unchanged axes skipped. linear and trilinear (which torch refuses for uint8)
    use the bilinear weights along each axis."""
    passes = []
    for axis, scale in _resized_axes(call):
        n_in, n_out = _lengths(call, axis, in_shape, out_shape)
        if n_in != n_out or axis in call.padded:
            plan = uint8_axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners,
                                   scale, call.boundary)
            passes.append(_pass(axis, plan, scale, call))
    return passes


def _separable_passes(in_shape, out_shape, call, dtype):
    """The passes the forward runs for the separable filters: uint8's fixed-point ones, or
    the floating-point ones."""
    if np.dtype(dtype) == _UINT8:
        return _uint8_passes(in_shape, out_shape, call)
    return _forward_passes(in_shape, out_shape, call, dtype)


def _forward_passes(in_shape, out_shape, call, dtype):
    """The forward's passes, W first, then H, then D (torch's nesting order, innermost
    spatial axis first). Nearest and area become plans too (weights 1 and 1/k): the
    backward transposes them; the forward has exact kernels of their own for them."""
    passes = []
    for axis, scale in _resized_axes(call):
        n_in, n_out = _lengths(call, axis, in_shape, out_shape)
        if call.antialias and n_in == n_out:
            continue     # torch skips an unchanged axis in the antialias kernels
        plan = axis_plan(call.filter, call.antialias, n_in, n_out, call.align_corners, scale,
                          dtype == np.float64, _weights16(dtype, call), boundary=call.boundary)
        passes.append(_pass(axis, plan, scale, call))
    return passes


def _weights16(dtype, call, backward=False):
    """The 16-bit float a call's linear and cubic weights are rounded to, as torch's kernels
    store them: float16's always (docs §3.8); bfloat16's in the forward where
    call.bfloat16_weights says so (§3.9: torch's backward and channels-last kernel keep
    float32 weights); "" (the compute type) otherwise."""
    name = np.dtype(dtype).name
    if name == "float16" or (name == _modes.BFLOAT16 and call.bfloat16_weights and not backward):
        return name
    return ""


@functools.lru_cache(maxsize=128)
def axis_plan(mode, antialias, n_in, n_out, align_corners, scale, double, weights16,
               transposed=False, boundary=-1):
    """One axis's plan, cached: the same arguments always give the same table
    (weights16 and boundary: as separable_plan's; the constant rule's plan reads n_in + 1
    samples)."""
    if transposed:
        forward = axis_plan(mode, antialias, n_in, n_out, align_corners, scale, double, weights16,
                            boundary=boundary)
        return AxisPlan(n_out, *_plans.transpose_plan(forward.taps, forward.weights,
                                                        forward.counts, forward.n_in))
    if mode in _NEAREST:
        tables = _plans.nearest_as_plan(n_in, n_out, scale, mode == "nearest-exact", double)
    elif mode == "area":
        tables = _plans.area_as_plan(n_in, n_out, double)
    else:
        tables = _plans.separable_plan(mode, antialias, n_in, n_out, align_corners, scale, double,
                                       weights16=weights16, boundary=boundary)
    return AxisPlan(n_in + (boundary == CONSTANT), *tables)


def backward_passes(in_shape, out_shape, call, dtype):
    """The adjoint of the forward's passes, in reverse order (D, then H, then W): every
    input index gathers from the outputs that read it."""
    passes = []
    for p in reversed(_forward_passes(in_shape, out_shape, call, dtype)):
        n_in = p.n_in - (p.axis in call.padded)
        plan = axis_plan(call.filter, call.antialias, n_in, p.n_out, call.align_corners,
                          p.scale, dtype == np.float64, _weights16(dtype, call, backward=True),
                          transposed=True, boundary=call.boundary)
        passes.append(Pass(p.axis, p.n_out, p.n_in, plan))
    return passes


def run_separable(x, out, perm, passes, threads):
    """Run the passes in order on x (C-contiguous in the axis order perm) into out, of
    x's dtype, or float32: then x is read as float32 first (C's conversion, as
    TensorFlow's kernels cast every sample) and the passes run in float32."""
    steps = _Steps(x.shape, out.shape, x.dtype, out.dtype)
    _separable_steps(steps, x.shape, x.dtype, perm, passes, out.dtype)
    src = _flat(x, perm)
    if x.dtype.name == "bfloat16":          # (ml_dtypes' arrays have no buffer format)
        src = src.view(np.uint16)
    steps.program().run(src, _flat(out, perm), threads)


def _separable_steps(steps, in_shape, dtype, perm, passes, out_dtype=None):
    """The passes in order, each from the previous one's buffer. Passes over adjacent
    memory axes run fused in one kernel step (up to three), so their intermediates stay in
    cache; fusing never changes a bit. out_dtype float32 (x of another dtype): the passes
    run in float32 on x converted. A float32 computation of narrow samples (16-bit floats
    and integers, uint8 to float32) reads them widened as its first step reads them
    (_half_rows.pxi), so no float32 copy of the input is made."""
    memory_shape = [in_shape[p] for p in perm]
    dtype, out_dtype = np.dtype(dtype), np.dtype(out_dtype or dtype)
    fused = _fused_steps(passes, perm)
    if out_dtype != dtype:
        if out_dtype != np.float32:
            raise TypeError(f"passes convert {dtype} to float32 only, not {out_dtype}")
        buf, compute = steps.INPUT, out_dtype
        if not (fused and dtype in _READ_AS_FLOAT32):
            buf = steps.temporary(math.prod(memory_shape), np.float32)
            steps.add(_kernels.elementwise_step("to_float", dtype.name, math.prod(memory_shape)),
                      steps.INPUT, buf)
    else:
        buf, compute = _compute_input(steps, math.prod(memory_shape), dtype)
    for number, step in enumerate(fused):
        positions = [perm.index(p.axis) for p in step]
        first = min(positions)
        outer = math.prod(memory_shape[:first])
        inner = math.prod(memory_shape[max(positions) + 1:])
        for p, pos in zip(step, positions):
            memory_shape[pos] = p.n_out
        last = number == len(fused) - 1
        src_half, dst_half = _half_io(steps, dtype, buf, last, compute, out_dtype)
        if last and (compute == out_dtype or dst_half):
            dst = steps.OUTPUT
        else:
            dst = steps.temporary(math.prod(memory_shape), compute)
        by_position = [p.plan for _, p in sorted(zip(positions, step), key=lambda t: t[0])]
        forward = positions[0] == max(positions)      # the innermost axis first
        steps.add(_kernels.separable_step(compute.name, by_position, outer, inner, forward,
                                          src_half, dst_half), buf, dst)
        buf = dst
    _store(steps, buf, math.prod(memory_shape), out_dtype)


def _fused_steps(passes, perm):
    """Group the passes into kernel calls: runs of up to three passes in a row whose memory
    axes are adjacent, in the order the fused kernels take (innermost first, W H D, or
    outermost first, D H W)."""
    steps = []
    for p in passes:
        position = perm.index(p.axis)
        if steps and len(steps[-1]) < 3:
            previous = [perm.index(q.axis) for q in steps[-1]]
            step = previous[-1] - previous[0] if len(previous) > 1 else position - previous[0]
            if abs(step) == 1 and position == previous[-1] + step:
                steps[-1] = (*steps[-1], p)
                continue
        steps.append((p,))
    return steps


# ----------------------------------------------------------------------------- blocks
#
# A resize computed block by block (resample.dask): every output block reads the slab of
# input its taps cover and applies the rows of the whole call's plans, so the blocks
# together are the whole call's result, bit for bit, however the arrays are cut. The
# spans come from the very tables the forward program uses.

def block_span(call, axis, o0, o1):
    """The inputs [lo, hi) that outputs [o0, o1) of `axis` read (the axis itself where it
    is not resized, or is skipped as unchanged); `call` as for_input gives it."""
    if axis not in call.axes:
        return o0, o1
    in_shape, out_shape = call.in_shape, call.out_shape
    if call.filter in _NEAREST:
        index = _nearest_index(call, axis, in_shape, out_shape, call.dtype)[o0:o1]
        return int(index.min()), int(index.max()) + 1
    if call.filter in ("area", "majority"):          # (the majority vote reads area's windows)
        starts, ends = _area_windows(call, axis, in_shape, out_shape)
        return int(starts[o0:o1].min()), int(ends[o0:o1].max())
    plan = {p.axis: p.plan for p in _separable_passes(in_shape, out_shape, call, call.dtype)}.get(axis)
    if plan is None:
        return o0, o1                                 # the axis is skipped
    counts = plan.counts[o0:o1]
    used = np.arange(plan.taps.shape[1])[None, :] < counts[:, None]
    taps = plan.taps[o0:o1][used]
    if taps.size == 0:
        return o0, o0
    return int(taps.min()), int(taps.max()) + 1


def resize_block(slab, call, region, num_threads=None):
    """Outputs region[axis] = (o0, o1) of every resized axis, computed from `slab`, the
    input x[..., lo:hi, ...] with (lo, hi) = block_span(call, axis, o0, o1) on each resized
    axis and whole along the others. Bit for bit the same as that block of the whole call."""
    x = c_order(as_array(slab, _modes.RESIZE_DTYPES))
    lengths, regions, out_shape = [], [], list(x.shape)
    for axis in call.axes:
        o0, o1 = region[axis]
        lo, hi = block_span(call, axis, o0, o1)
        if x.shape[axis] != hi - lo:
            raise ValueError(f"slab has {x.shape[axis]} samples along axis {axis}; outputs "
                             f"[{o0}, {o1}) read inputs [{lo}, {hi})")
        lengths.append((axis, (call.in_shape[axis], call.out_shape[axis])))
        regions.append((axis, (o0, o1, lo, hi)))
        out_shape[axis] = o1 - o0
    block = dataclasses.replace(call, lengths=tuple(lengths), region=tuple(regions))
    out = np.empty(out_shape, x.dtype)
    if out.size:
        run_forward(x, out, tuple(range(x.ndim)), block, resolve_threads(num_threads))
    return out
