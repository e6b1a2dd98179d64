"""resample.dask for the science modes: mode='spline' (every order and boundary rule),
mode='label', mode='majority' and nan='ignore' give resample.resize's bits for any input
and output chunking; their errors come before any task; the spline graph holds whole lines
of one axis at a time. Skipped where dask is not installed."""
import re

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import resample  # noqa: E402
import resample.dask as rd  # noqa: E402

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True,
                max_examples=40)
BOUNDARIES = ["reflect", "grid-mirror", "mirror", "nearest", "constant", "grid-constant", "wrap",
              "grid-wrap"]


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
        np.ascontiguousarray(a).view(np.uint8), np.ascontiguousarray(b).view(np.uint8))


def chunking(draw, shape):
    """Random chunk sizes per axis (chunks of 1 and uneven last ones included)."""
    out = []
    for n in shape:
        if n == 0:
            out.append((0,))
            continue
        cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=4))) if n > 1 else []
        out.append(tuple(np.diff([0, *cuts, n]).tolist()))
    return tuple(out)


def random_array(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        top = min(int(info.max), 1000)
        return rng.integers(max(int(info.min), -1000), top, size=shape, endpoint=True).astype(dtype)
    return (rng.standard_normal(shape) * 10).astype(dtype)


@st.composite
def spline_calls(draw):
    rank = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 14), min_size=rank, max_size=rank)))
    axes = tuple(sorted(draw(st.sets(st.integers(0, rank - 1), min_size=1))))
    size = tuple(draw(st.integers(1, 20)) for _ in axes)
    kw = dict(axes=axes, mode="spline", order=draw(st.integers(0, 5)),
              boundary=draw(st.sampled_from(BOUNDARIES)))
    if kw["boundary"] in ("constant", "grid-constant"):
        kw["cval"] = draw(st.sampled_from([0.0, 3.0, -2.5]))
    dtype = draw(st.sampled_from(["uint8", "int16", "uint16", "float32", "float64"]))
    out_shape = list(shape)
    for a, n in zip(axes, size):
        out_shape[a] = n
    return shape, dtype, size, kw, chunking(draw, shape), chunking(draw, out_shape)


@settings(**SETTINGS)
@given(spline_calls(), st.integers(0, 2**32 - 1))
def test_spline_bits_equal_in_memory_for_any_chunking(call, seed):
    shape, dtype, size, kw, in_chunks, out_chunks = call
    x = random_array(np.random.default_rng(seed), shape, dtype)
    want = resample.resize(x, size, **kw)
    got = rd.resize(da.from_array(x, chunks=in_chunks), size, chunks=out_chunks, **kw)
    assert got.chunks == out_chunks
    assert same_bits(got.compute(), want)


@pytest.mark.parametrize("order", [0, 1, 2, 3])
@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "uint16"])
def test_label_bits_equal_in_memory(order, dtype):
    rng = np.random.default_rng(order)
    seg = rng.integers(0, 5, (19, 23, 4)).astype(dtype)
    want = resample.resize(seg, (31, 9), axes=(0, 1), mode="label", order=order)
    for in_chunks, out_chunks in [((5, 7, 1), None), ((19, 23, 4), (4, 3, 2)), ((1, 23, 3), 5)]:
        got = rd.resize(da.from_array(seg, chunks=in_chunks), (31, 9), axes=(0, 1), mode="label",
                        order=order, chunks=out_chunks)
        assert same_bits(got.compute(), want)


@settings(**SETTINGS)
@given(st.data())
def test_majority_bits_equal_in_memory_for_any_chunking(data):
    rank = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.lists(st.integers(1, 16), min_size=rank, max_size=rank)))
    axes = tuple(sorted(data.draw(st.sets(st.integers(0, rank - 1), min_size=1))))
    size = tuple(data.draw(st.integers(1, shape[a])) for a in axes)
    dtype = data.draw(st.sampled_from(["uint8", "int32", "uint64", "bool", "float32"]))
    labels = data.draw(st.integers(1, 6))
    x = (np.random.default_rng(data.draw(st.integers(0, 99))).integers(0, labels, shape)).astype(dtype)
    out_shape = list(shape)
    for a, n in zip(axes, size):
        out_shape[a] = n
    in_chunks, out_chunks = chunking(data.draw, shape), chunking(data.draw, out_shape)
    want = resample.resize(x, size, axes=axes, mode="majority")
    got = rd.resize(da.from_array(x, chunks=in_chunks), size, axes=axes, mode="majority",
                    chunks=out_chunks)
    assert got.chunks == out_chunks
    assert same_bits(got.compute(), want)


def test_majority_pyramid_of_a_label_volume():
    """A label pyramid (neuroglancer's downsampling): every level the majority vote of the
    one above, as resample.resize computes it."""
    seg = np.random.default_rng(3).integers(0, 7, (40, 36, 28)).astype(np.uint32)
    levels = rd.pyramid(da.from_array(seg, chunks=16), 3, mode="majority")
    above = seg
    for level in levels[1:]:
        want = resample.resize(above, [max(1, n // 2) for n in above.shape], axes=(0, 1, 2),
                               mode="majority")
        assert same_bits(level.compute(), want)
        above = want


@pytest.mark.parametrize("kw", [dict(mode="bilinear"), dict(mode="bicubic", antialias=False),
                                dict(mode="lanczos", boundary="grid-constant", cval=1.5),
                                dict(mode="area"), dict(mode="bilinear", boundary="reflect")])
def test_nan_ignore_bits_equal_in_memory(kw):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((33, 27, 3))
    x[rng.random(x.shape) < 0.3] = np.nan
    x[4:12, 3:15] = np.nan                        # a gap wider than the filters
    for dtype in (np.float32, np.float64):
        xd = x.astype(dtype)
        for size in [(12, 50), (70, 9)]:
            want = resample.resize(xd, size, nan="ignore", **kw)
            for chunks in [(7, 5, 3), (33, 27, 1)]:
                got = rd.resize(da.from_array(xd, chunks=chunks), size, nan="ignore", **kw)
                assert same_bits(got.compute(), want)


def test_spline_threads_and_a_bigger_volume():
    x = np.random.default_rng(7).random((48, 40, 36)).astype(np.float32)
    kw = dict(axes=(0, 1, 2), mode="spline", order=3, boundary="mirror")
    want = resample.resize(x, (37, 64, 30), **kw)
    got = rd.resize(da.from_array(x, chunks=(16, 20, 12)), (37, 64, 30), num_threads=2, **kw)
    assert same_bits(got.compute(scheduler="threads"), want)


def test_spline_tasks_hold_whole_lines_of_one_axis():
    """Each pass's blocks are whole along its axis only: the chunks of the other axes are
    the input's, or the output's for the axes resized before (cut back after their pass)."""
    x = da.zeros((64, 48, 40), np.float32, chunks=(16, 16, 10))
    y = rd.resize(x, (32, 96), axes=(0, 1), mode="spline")
    grids = {}
    for key in dict(y.__dask_graph__()):
        if isinstance(key, tuple) and "resample-spline-pass" in str(key[0]):
            grid = grids.setdefault(key[0].split("-")[2], [set(), set(), set()])
            for axis, i in enumerate(key[1:]):
                grid[axis].add(i)
    blocks = {name: [len(s) for s in grid] for name, grid in grids.items()}
    # axis 0 (shrunk) first: whole along 0, 48/16 and 40/10 blocks; then axis 1: axis 0 in
    # the output's four chunks of 8, whole along 1
    assert blocks == {"pass0": [1, 3, 4], "pass1": [4, 1, 4]}
    assert y.chunks == ((8,) * 4, (32,) * 3, (10,) * 4)


def _exploding(shape, dtype):
    def boom(block):
        raise AssertionError("a task ran")
    return da.zeros(shape, dtype=dtype, chunks=4).map_blocks(boom, dtype=dtype)


ERRORS = [
    dict(mode="spline", order=6),
    dict(mode="spline", boundary="bogus"),
    dict(mode="spline", cval=float("nan")),
    dict(mode="label", boundary="reflect"),
    dict(mode="majority", order=1),
    dict(mode="majority", size=(40, 4)),
    dict(mode="nearest", nan="ignore"),
    dict(mode="bilinear", nan="sometimes"),
    dict(mode="bilinear", order=3),
]


@pytest.mark.parametrize("kwargs", ERRORS)
def test_errors_are_resizes_and_come_before_any_task(kwargs):
    kwargs = {"size": (4, 4), "axes": (0, 1), **kwargs}
    x = np.zeros((20, 30), np.float32)
    with pytest.raises(Exception) as expected:
        resample.resize(x, **kwargs)
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        rd.resize(_exploding(x.shape, x.dtype), **kwargs)


def test_label_dtypes_are_resizes():
    """Label maps take every integer dtype (int32, uint64, bool), as in memory."""
    x = np.arange(64, dtype=np.uint64).reshape(8, 8) % 3
    got = rd.resize(da.from_array(x, chunks=3), (4, 4), mode="majority").compute()
    assert same_bits(got, resample.resize(x, (4, 4), mode="majority"))
    with pytest.raises(TypeError):
        rd.resize(da.from_array(x, chunks=3), (4, 4), mode="linear")
