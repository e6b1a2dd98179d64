"""The C API's Python half (include/resample.h): resample_plan_new's arguments checked as
resize checks them and turned into a Program with its buffers' strides. The package hands
embedded_program to the compiled kernels at import (_kernels.c_api), so compiled code
never imports a front door."""
import math

import numpy as np

from . import _engine
from ._arrays import check_fits
from ._resize import normalise_axes, resolve_resize
from ._runtime import kernels as _kernels

# resample.h's dtype codes, from 1
C_DTYPES = tuple(np.dtype(t) for t in ("uint8", "int16", "uint16", "float16", "float32", "float64"))


def embedded_program(in_shape, in_strides, dtype_code, out_shape, axes, scales, mode, antialias,
                     align_corners):
    """The C API's resample_plan_new (include/resample.h): (program, input strides, output
    strides) that resize arrays of `in_shape` (with byte strides `in_strides`, None for
    C-contiguous) and resample.h's dtype code to `out_shape`, exactly as ``resize`` does.
    `axes` None: the axes whose length changes; `scales` None, or resize's scale_factor per
    axis (out_shape must hold the lengths they give). align_corners -1 means unset. Any dense
    layout is read in place and the output gets the same one (its strides are returned)."""
    if not 1 <= dtype_code <= len(C_DTYPES):
        raise ValueError(f"dtype must be one of resample.h's codes 1 to {len(C_DTYPES)} "
                         f"({', '.join(t.name for t in C_DTYPES)}), got {dtype_code}")
    dtype = C_DTYPES[dtype_code - 1]
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if min(in_shape + out_shape) < 0:
        raise ValueError(f"shapes must not be negative: in {in_shape}, out {out_shape}")
    if axes is None:
        axes = [a for a in range(len(in_shape)) if in_shape[a] != out_shape[a]]
        if not axes:
            raise ValueError(f"in_shape and out_shape are both {in_shape}: name the axes to resize")
    if align_corners not in (-1, 0, 1) or antialias not in (0, 1):
        raise ValueError(f"antialias must be 0 or 1 and align_corners -1, 0 or 1; got "
                         f"{antialias} and {align_corners}")
    sizes = None if scales is not None else [out_shape[a] for a in normalise_axes(axes, in_shape)]
    call = resolve_resize(in_shape, sizes, scales, axes, mode, bool(antialias),
                           None if align_corners == -1 else bool(align_corners))
    if _engine.resized_shape(in_shape, call) != out_shape:
        raise ValueError(f"out_shape {out_shape} is not what resizing axes {tuple(call.axes)} of "
                         f"in_shape {in_shape} gives: {_engine.resized_shape(in_shape, call)}")
    perm = _dense_order(in_shape, in_strides, dtype.itemsize)
    check_fits(out_shape, dtype.itemsize,
                extra_bytes=_engine.plan_bytes(out_shape, [in_shape[a] for a in call.axes], call))
    if math.prod(out_shape) == 0:
        program = _kernels.Program([], [], [], math.prod(in_shape) * dtype.itemsize, 0)
    else:
        program = _engine.forward_program(in_shape, dtype, out_shape, perm, call)
    return (program, _byte_strides(in_shape, perm, dtype.itemsize),
            _byte_strides(out_shape, perm, dtype.itemsize))


def _dense_order(shape, strides, itemsize):
    """The axis order (outermost first) in which byte `strides` lay `shape` out densely."""
    if strides is None:
        return tuple(range(len(shape)))
    order = tuple(sorted(range(len(shape)), key=lambda a: -strides[a]))
    expected = _byte_strides(shape, order, itemsize)
    if math.prod(shape) and any(n > 1 and s != e for n, s, e in zip(shape, strides, expected)):
        raise ValueError(f"strides {tuple(strides)} do not lay shape {tuple(shape)} out densely "
                         f"(C-contiguous, or its axes in another order): copy the array first")
    return order


def _byte_strides(shape, order, itemsize):
    """The byte strides of `shape` laid out densely with its axes in `order`."""
    step = itemsize
    strides = [0] * len(shape)
    for axis in reversed(order):
        strides[axis] = step
        step *= shape[axis]
    return tuple(strides)


