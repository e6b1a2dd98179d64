"""resample.dask: lazy resizes of dask arrays, bit for bit the in-memory functions, for any
input and output chunking; pyramids; OME-Zarr output; a real multi-process cluster.
Skipped where dask (or zarr, ome-zarr, distributed for their tests) is not installed."""
import logging
import re

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import resample  # noqa: E402
import resample.dask as rd  # noqa: E402

RESIZE_MODES = ["nearest", "nearest-exact", "linear", "cubic", "lanczos", "area"]
DTYPES = ["uint8", "uint16", "int16", "float16", "float32", "float64"]
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


def random_array(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    return (rng.standard_normal(shape) * 10).astype(dtype)


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
        np.ascontiguousarray(a).view(np.uint8), np.ascontiguousarray(b).view(np.uint8))


@st.composite
def partitions(draw, n):
    """Chunk sizes of an axis of length n: random cuts (chunks of 1, uneven last ones),
    all ones, or dask's regular chunks with a shorter last one."""
    if n == 0:
        return (0,)
    kind = draw(st.sampled_from(["cuts", "ones", "regular", "whole"]))
    if kind == "ones":
        return (1,) * n
    if kind == "whole":
        return (n,)
    if kind == "regular":
        c = draw(st.integers(1, n))
        return (c,) * (n // c) + ((n % c,) if n % c else ())
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=min(n - 1, 6)))) if n > 1 else []
    bounds = [0, *cuts, n]
    return tuple(b - a for a, b in zip(bounds, bounds[1:]))


class cuts_of_any_size:
    """Cut halos out of chunks of any size (not only of 1 MiB and up), so that small test
    arrays take that path too."""

    def __init__(self, on):
        self.on = on

    def __enter__(self):
        self.saved = rd._CUT_MIN_BYTES
        if self.on:
            rd._CUT_MIN_BYTES = 0

    def __exit__(self, *exc):
        rd._CUT_MIN_BYTES = self.saved


def chunked(draw, x):
    return da.from_array(x, chunks=tuple(draw(partitions(n)) for n in x.shape))


def output_chunks(draw, shape):
    if draw(st.booleans()):
        return None
    return tuple(draw(partitions(n)) for n in shape)


# ----------------------------------------------------------------------------- resize

@settings(max_examples=400, **SETTINGS)
@given(st.data())
def test_resize_bits_equal_in_memory_for_any_chunking(data):
    draw = data.draw
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 11), min_size=ndim, max_size=ndim)))
    axes = sorted(draw(st.sets(st.integers(0, ndim - 1), min_size=1)))
    if draw(st.booleans()):
        axes = [a - ndim for a in draw(st.permutations(axes))]   # negative, any order
    mode = draw(st.sampled_from(RESIZE_MODES))
    dtype = draw(st.sampled_from(DTYPES))
    antialias = True if mode == "lanczos" else draw(st.booleans())
    align_corners = draw(st.sampled_from([None, False, True])) if mode in ("linear", "cubic") else None
    kwargs = dict(axes=axes, mode=mode, antialias=antialias, align_corners=align_corners)
    if draw(st.booleans()):
        kwargs["size"] = [draw(st.integers(1, 14)) for _ in axes]
    else:
        scales = [draw(st.sampled_from([0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 2.6])) for _ in axes]
        kwargs["scale_factor"] = [s if int(shape[a] * s) >= 1 else 1.0 for s, a in zip(scales, axes)]
    x = random_array(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), shape, dtype)
    expected = resample.resize(x, **kwargs)
    with cuts_of_any_size(draw(st.booleans())):
        lazy = rd.resize(chunked(draw, x), chunks=output_chunks(draw, expected.shape), **kwargs)
    assert lazy.shape == expected.shape and lazy.dtype == expected.dtype
    assert same_bits(lazy.compute(scheduler="sync"), expected)


def test_resize_threads_scheduler_and_numpy_input(rng):
    x = random_array(rng, (40, 52, 3), "uint8")
    expected = resample.resize(x, (17, 71))
    assert same_bits(rd.resize(da.from_array(x, chunks=(7, 9, 2)), (17, 71)).compute(), expected)
    assert same_bits(rd.resize(x, (17, 71)).compute(), expected)          # wrapped for us


def test_resize_big_endian_chunks(rng):
    x = random_array(rng, (30, 20), "float32").astype(">f4")
    got = rd.resize(da.from_array(x, chunks=7), (11, 9), mode="cubic").compute()
    assert got.dtype == np.float32 and same_bits(got, resample.resize(x, (11, 9), mode="cubic"))


def test_resize_with_other_dask_operations(rng):
    x = random_array(rng, (64, 48), "float32")
    lazy = rd.resize(da.from_array(x, chunks=16)[5:60].T, (20, 13), mode="lanczos") * 2
    assert same_bits(lazy.compute(), resample.resize(np.ascontiguousarray(x[5:60].T), (20, 13),
                                                     mode="lanczos") * 2)


# ----------------------------------------------------------------------------- interpolate

TORCH_CASES = [  # (rank, mode, antialias allowed, align_corners allowed)
    (3, "nearest", False, False), (4, "nearest", False, False), (5, "nearest", False, False),
    (3, "nearest-exact", False, False), (5, "nearest-exact", False, False),
    (3, "area", False, False), (4, "area", False, False), (5, "area", False, False),
    (3, "linear", False, True), (4, "bilinear", True, True), (5, "trilinear", False, True),
    (4, "bicubic", True, True), (4, "lanczos", True, False),
]


@settings(max_examples=250, **SETTINGS)
@given(st.data())
def test_interpolate_bits_equal_in_memory(data):
    draw = data.draw
    rank, mode, aa_ok, ac_ok = draw(st.sampled_from(TORCH_CASES))
    dtype = draw(st.sampled_from(["uint8", "float16", "float32", "float64"]))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)),
             *draw(st.lists(st.integers(1, 9), min_size=rank - 2, max_size=rank - 2)))
    antialias = True if mode == "lanczos" else (draw(st.booleans()) if aa_ok else False)
    kwargs = dict(mode=mode, antialias=antialias)
    if ac_ok and mode != "lanczos":
        kwargs["align_corners"] = draw(st.sampled_from([None, False, True]))
    if draw(st.booleans()):
        kwargs["size"] = [draw(st.integers(1, 12)) for _ in shape[2:]]
    else:
        scales = [draw(st.sampled_from([0.5, 0.7, 1.0, 1.6, 2.0])) for _ in shape[2:]]
        kwargs["scale_factor"] = [s if int(n * s) >= 1 else 1.0 for s, n in zip(scales, shape[2:])]
        kwargs["recompute_scale_factor"] = draw(st.sampled_from([None, True]))
    x = random_array(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), shape, dtype)
    expected = resample.interpolate(x, **kwargs)
    with cuts_of_any_size(draw(st.booleans())):
        lazy = rd.interpolate(chunked(draw, x), chunks=output_chunks(draw, expected.shape),
                              **kwargs)
    assert same_bits(lazy.compute(scheduler="sync"), expected)


def test_interpolate_defaults_are_torchs(rng):
    x = random_array(rng, (1, 2, 9, 13), "float32")
    got = rd.interpolate(da.from_array(x, chunks=(1, 1, 4, 5)), size=(5, 21)).compute()
    assert same_bits(got, resample.interpolate(x, size=(5, 21)))        # nearest, no antialias


# ----------------------------------------------------------------------------- graph

def task_count(lazy):
    return len(dict(lazy.__dask_graph__()))


def dependency_counts(lazy):
    """Per task of the result's own layer, how many other tasks it depends on."""
    graph = lazy.__dask_graph__()
    layer = graph.layers[lazy.name]
    deps = graph.get_all_dependencies()
    return [len(deps[key]) for key in layer]


def test_graph_is_linear_in_chunks_1d():
    x = da.ones(10_000, dtype="float32", chunks=37)           # 271 chunks
    lazy = rd.resize(x, 3_333, axes=0, mode="cubic")
    n_in, n_out = x.numblocks[0], lazy.numblocks[0]
    assert task_count(lazy) <= n_in + 2 * n_out + 2
    assert task_count(lazy) == task_count(x) + n_out                    # one task per chunk
    assert max(dependency_counts(lazy)) <= 3


def test_halos_are_cut_out_of_big_chunks():
    # ↓2 of 128³ float32 chunks (8 MiB) into 128³ chunks (a pyramid's): a block's slab
    # reaches one sample into 2 more chunks per axis; it gets the 8 chunks under it whole
    # and cuts of the 56 others
    x = da.zeros((768, 768, 768), dtype="float32", chunks=128)
    lazy = rd.resize(x, (384, 384, 384), axes=(0, 1, 2), mode="linear", chunks=128)
    graph = lazy.__dask_graph__()
    deps = graph.get_all_dependencies()
    whole = [sum(1 for d in deps[key] if d[0] == x.name) for key in graph.layers[lazy.name]]
    cuts = [sum(1 for d in deps[key] if d[0].startswith("resample-halo-"))
            for key in graph.layers[lazy.name]]
    assert max(whole) == 8 and max(cuts) == 56
    assert task_count(lazy) <= 2 * x.npartitions + lazy.npartitions + 2


def test_halo_cuts_give_the_same_bits(rng):
    x = random_array(rng, (48, 40, 36), "uint16")
    expected = resample.resize(x, (24, 20, 18), axes=(0, 1, 2), mode="linear")
    for on in (False, True):
        with cuts_of_any_size(on):
            lazy = rd.resize(da.from_array(x, chunks=12), (24, 20, 18), axes=(0, 1, 2),
                             mode="linear", chunks=6)
        layers = lazy.__dask_graph__().layers
        assert any(name.startswith("resample-halo-") for name in layers) == on
        assert same_bits(lazy.compute(), expected)


def test_graph_is_linear_in_chunks_2d():
    x = da.ones((600, 500), dtype="uint16", chunks=(25, 20))          # 24 x 25 chunks
    for chunks in (None, (17, 40), 9):
        lazy = rd.resize(x, (290, 777), axes=(0, 1), mode="linear", chunks=chunks)
        n_in, n_out = x.npartitions, lazy.npartitions
        assert task_count(lazy) <= n_in + 2 * n_out + 2
        # a task reads the input chunks under its slab: a few per axis, never all of them
        assert max(dependency_counts(lazy)) <= 9


def test_default_output_chunks_scale_the_input_chunks():
    x = da.zeros((256, 100, 3), dtype="float32", chunks=(64, 30, 3))
    lazy = rd.resize(x, (128, 50), axes=(0, 1))
    assert lazy.chunks == ((32,) * 4, (15, 15, 15, 5), (3,))
    up = rd.resize(da.zeros(10, chunks=3), 25, axes=0)
    assert sum(up.chunks[0]) == 25 and min(up.chunks[0]) >= 1 and len(up.chunks[0]) == 4
    tiny = rd.resize(da.zeros(100, chunks=1), 3, axes=0)                # 100 chunks -> 3
    assert tiny.chunks == ((1, 1, 1),)


def test_output_chunks_argument():
    x = da.zeros((256, 100, 3), dtype="float32", chunks=(64, 30, 3))
    assert rd.resize(x, (128, 50), axes=(0, 1), chunks=40).chunks == (
        (40, 40, 40, 8), (40, 10), (3,))
    assert rd.resize(x, (128, 50), axes=(0, 1), chunks={1: 25}).chunks == (
        (32,) * 4, (25, 25), (3,))
    assert rd.resize(x, (128, 50), axes=(0, 1), chunks=(None, -1, 1)).chunks == (
        (32,) * 4, (50,), (1, 1, 1))


# ----------------------------------------------------------------------------- errors

RESIZE_ERRORS = [
    dict(size=(4, 4), axes=(0, 5)),
    dict(size=(4, 4), axes=(1, 1)),
    dict(size=(4, 4), axes="x"),
    dict(size=(4, 4, 4), axes=(0, 1)),
    dict(size=(0, 4), axes=(0, 1)),
    dict(size=4.5, axes=(0, 1)),
    dict(axes=(0, 1)),
    dict(size=(4, 4), scale_factor=2, axes=(0, 1)),
    dict(scale_factor=0.01, axes=(0, 1)),
    dict(scale_factor=-1.0, axes=(0, 1)),
    dict(size=(4, 4), axes=(0, 1), mode="bogus"),
    dict(size=(4, 4), axes=(0, 1), mode="lanczos", antialias=False),
    dict(size=(4, 4), axes=(0, 1), mode="area", align_corners=True),
    dict(size=(4, 4), axes=(0, 1), antialias="yes"),
    dict(size=(4, 4)),                                                  # axes=None, rank 3
    dict(size=(4, 4), axes=(0, 1), num_threads=0),
]


@pytest.mark.parametrize("kwargs", RESIZE_ERRORS)
def test_errors_are_resizes_and_come_before_any_task(kwargs):
    x = np.zeros((3, 20, 30), np.float32)
    with pytest.raises(Exception) as expected:
        resample.resize(x, **kwargs)
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        rd.resize(exploding(x.shape, x.dtype), **kwargs)


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint32", "bool", "complex64"])
def test_dtype_errors_are_resizes(dtype):
    x = np.zeros((8, 8), dtype)
    with pytest.raises(TypeError) as expected:
        resample.resize(x, (4, 4))
    with pytest.raises(TypeError, match=re.escape(str(expected.value))):
        rd.resize(exploding(x.shape, x.dtype), (4, 4))


INTERPOLATE_ERRORS = [
    ((1, 1, 8, 8), dict(size=(4, 4), mode="linear")),
    ((1, 1, 8, 8), dict(size=(4, 4), mode="area", align_corners=True)),
    ((1, 1, 8), dict(size=4, mode="bilinear", antialias=True)),
    ((1, 1, 8, 8), dict(size=(4,), mode="bilinear")),
    ((1, 1, 8, 8), dict(mode="bilinear")),
    ((1, 1, 8, 8), dict(size=(4, 4), mode="lanczos")),
    ((8, 8), dict(size=(4, 4))),
]


@pytest.mark.parametrize("shape, kwargs", INTERPOLATE_ERRORS)
def test_interpolate_errors_are_interpolates(shape, kwargs):
    x = np.zeros(shape, np.float32)
    with pytest.raises(Exception) as expected:
        resample.interpolate(x, **kwargs)
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        rd.interpolate(exploding(shape, np.float32), **kwargs)
    with pytest.raises(TypeError, match="input dtype uint16 is not supported"):
        rd.interpolate(exploding((1, 1, 8, 8), np.uint16), size=(4, 4))


def exploding(shape, dtype):
    """A dask array that raises if any chunk is ever computed."""
    def boom(block):
        raise AssertionError("a task ran")
    return da.zeros(shape, dtype=dtype, chunks=4).map_blocks(boom, dtype=dtype)


class ChunkUnreadable(Exception):
    pass


def test_task_failure_is_the_original_exception():
    def fail(block, block_info=None):
        if block_info[0]["chunk-location"] == (1, 0):
            raise ChunkUnreadable("chunk (1, 0) is corrupt")
        return block
    x = da.zeros((20, 20), dtype="float32", chunks=10).map_blocks(fail, dtype="float32")
    lazy = rd.resize(x, (7, 7), mode="area")
    with pytest.raises(ChunkUnreadable, match=r"chunk \(1, 0\) is corrupt"):
        lazy.compute()


def test_pyramid_errors():
    x = da.zeros((16, 16, 16), dtype="float32", chunks=8)
    with pytest.raises(ValueError, match="levels must be a positive int"):
        rd.pyramid(x, 0)
    with pytest.raises(ValueError, match="factor must be an int >= 1"):
        rd.pyramid(x, 2, factor=1.5)
    with pytest.raises(ValueError, match="shrinks no axis"):
        rd.pyramid(x, 2, factor=1)
    with pytest.raises(ValueError, match="lanczos is always antialiased"):
        rd.pyramid(x, 2, mode="lanczos", antialias=False)
    with pytest.raises(ValueError, match="names an axis twice"):
        rd.pyramid(x, 2, axes=(0, 0))


# ----------------------------------------------------------------------------- pyramid

@pytest.mark.parametrize("mode, dtype", [("area", "float32"), ("linear", "uint16"),
                                         ("nearest", "uint8"), ("cubic", "float64")])
def test_pyramid_levels_follow_the_documented_rule(rng, mode, dtype):
    x = random_array(rng, (2, 37, 50, 21), dtype)
    levels = rd.pyramid(da.from_array(x, chunks=(1, 16, 16, 16)), 4, axes=(1, 2, 3), mode=mode,
                        factor=(2, 2, 3))
    assert levels[0].shape == x.shape
    above = x
    for level in levels[1:]:
        sizes = [max(1, n // f) for n, f in zip(above.shape[1:], (2, 2, 3))]
        expected = resample.resize(above, sizes, axes=(1, 2, 3), mode=mode)
        assert level.chunksize == tuple(min(c, n) for c, n in zip((1, 16, 16, 16), level.shape))
        got = level.compute()
        assert same_bits(got, expected)
        above = expected
    assert levels[-1].shape == (2, 4, 6, 1)


def test_pyramid_area_cascade_matches_one_resize_up_to_rounding(rng):
    x = rng.random((64, 48, 32))
    levels = rd.pyramid(da.from_array(x, chunks=16), 3)
    direct = resample.resize(x, (16, 12, 8), axes=(0, 1, 2), mode="area")
    np.testing.assert_allclose(levels[2].compute(), direct, rtol=1e-14, atol=0)


# ----------------------------------------------------------------------------- OME-Zarr

def ome_reader(path, version):
    io = pytest.importorskip("ome_zarr.io")
    reader = pytest.importorskip("ome_zarr.reader")
    fmt = pytest.importorskip("ome_zarr.format").format_from_version(version)
    nodes = list(reader.Reader(io.parse_url(str(path), fmt=fmt))())
    assert nodes, "ome-zarr found no image"
    return nodes[0]


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_ome_zarr_round_trip(tmp_path, rng, version):
    zarr = pytest.importorskip("zarr")
    x = random_array(rng, (20, 36, 30), "uint16")
    levels = rd.pyramid(da.from_array(x, chunks=(8, 16, 16)), 3, mode="area")
    path = tmp_path / "image.ome.zarr"
    group = rd.write_ome_zarr(levels, path, scale=(2.0, 0.5, 0.25), translation=(10, 0, -1),
                              units=("micrometer",) * 3, mode="area", name="vol", version=version)
    expected = [x, resample.resize(x, (10, 18, 15), axes=(0, 1, 2), mode="area")]
    expected.append(resample.resize(expected[1], (5, 9, 7), axes=(0, 1, 2), mode="area"))

    reopened = zarr.open_group(str(path), mode="r")
    attrs = reopened.attrs.asdict()
    multiscale = (attrs["multiscales"] if version == "0.4" else attrs["ome"]["multiscales"])[0]
    assert [d["path"] for d in multiscale["datasets"]] == ["0", "1", "2"]
    assert [a["name"] for a in multiscale["axes"]] == ["z", "y", "x"]
    assert all(a["type"] == "space" and a["unit"] == "micrometer" for a in multiscale["axes"])
    for k, (dataset, want) in enumerate(zip(multiscale["datasets"], expected)):
        assert same_bits(reopened[str(k)][...], want)
        scale, translation = dataset["coordinateTransformations"]
        n0, nk = np.array(x.shape), np.array(want.shape)
        s = np.array([2.0, 0.5, 0.25]) * n0 / nk
        assert scale == {"type": "scale", "scale": s.tolist()}
        t = np.array([10.0, 0.0, -1.0]) + (s - [2.0, 0.5, 0.25]) / 2     # pixel centres
        assert translation == {"type": "translation", "translation": t.tolist()}
    assert multiscale["datasets"][1]["coordinateTransformations"][1]["translation"] == [11.0, 0.25, -0.875]
    assert group.attrs.asdict() == attrs

    node = ome_reader(path, version)
    assert [d.shape for d in node.data] == [e.shape for e in expected]
    for data, want in zip(node.data, expected):
        assert same_bits(np.asarray(data.compute()), want)
    transforms = node.metadata["coordinateTransformations"]
    assert [t[0]["scale"] for t in transforms] == [d["coordinateTransformations"][0]["scale"]
                                                   for d in multiscale["datasets"]]
    assert [a["name"] for a in node.metadata["axes"]] == ["z", "y", "x"]

    models = pytest.importorskip(f"ome_zarr_models.v0{version[-1]}")
    models.Image.from_zarr(reopened)             # the NGFF schema's checks, strictly


def test_ome_zarr_metadata_choices(tmp_path):
    pytest.importorskip("zarr")
    x = da.zeros((2, 3, 8, 16, 16), dtype="float32", chunks=(1, 3, 8, 8, 8))
    levels = rd.pyramid(x, 2, axes=(2, 3, 4), mode="nearest")
    group = rd.write_ome_zarr(levels, tmp_path / "a.zarr", mode="nearest")
    multiscale = group.attrs["multiscales"][0]
    assert [(a["name"], a["type"]) for a in multiscale["axes"]] == [
        ("t", "time"), ("c", "channel"), ("z", "space"), ("y", "space"), ("x", "space")]
    assert multiscale["type"] == "nearest"
    level1 = multiscale["datasets"][1]["coordinateTransformations"]
    assert level1[0]["scale"] == [1.0, 1.0, 2.0, 2.0, 2.0]
    assert level1[1]["translation"] == [0.0] * 5        # nearest: pixel 0 is the base's
    with pytest.raises(Exception):                      # no overwrite unless asked
        rd.write_ome_zarr(levels, tmp_path / "a.zarr")
    rd.write_ome_zarr(levels, tmp_path / "a.zarr", overwrite=True)
    delayed = rd.write_ome_zarr(levels, tmp_path / "b.zarr", compute=False)
    dask.compute(delayed)
    with pytest.raises(ValueError, match="entries for arrays of rank 5"):
        rd.write_ome_zarr(levels, tmp_path / "c.zarr", axes=("z", "y", "x"))
    with pytest.raises(ValueError, match="2 to 5 axes"):
        rd.write_ome_zarr([da.zeros(4)], tmp_path / "d.zarr")


def test_ome_zarr_irregular_chunks_are_made_regular(tmp_path):
    zarr = pytest.importorskip("zarr")
    x = np.arange(30 * 20, dtype=np.float32).reshape(30, 20)
    level = da.from_array(x, chunks=((7, 3, 20), (20,)))
    rd.write_ome_zarr([level], tmp_path / "a.zarr")
    stored = zarr.open_group(str(tmp_path / "a.zarr"), mode="r")["0"]
    assert stored.chunks == (20, 20) and same_bits(stored[...], x)


# ----------------------------------------------------------------------------- a cluster

@pytest.fixture(scope="module")
def cluster_client():
    """Two single-threaded worker processes; closed however the tests end."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, memory_limit="2GiB",
                                       silence_logs=logging.ERROR)
    try:
        client = distributed.Client(cluster, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def test_local_cluster_resize_and_pyramid(cluster_client, tmp_path, rng):
    zarr = pytest.importorskip("zarr")
    x = random_array(rng, (64, 96, 80), "uint16")
    volume = da.from_array(x, chunks=(24, 40, 32))
    with dask.config.set(scheduler=cluster_client):
        lazy = rd.resize(volume, (27, 50, 33), axes=(0, 1, 2), mode="linear", chunks=(10, 20, 16))
        assert same_bits(lazy.compute(), resample.resize(x, (27, 50, 33), axes=(0, 1, 2),
                                                         mode="linear"))
        with cuts_of_any_size(True):          # the workers run halo cuts too
            levels = rd.pyramid(volume, 3, mode="linear")
        assert any(name.startswith("resample-halo-") for name in levels[1].dask.layers)
        rd.write_ome_zarr(levels, tmp_path / "v.ome.zarr", mode="linear")
    stored = zarr.open_group(str(tmp_path / "v.ome.zarr"), mode="r")
    above = x
    for k in range(3):
        assert same_bits(stored[str(k)][...], above)
        above = resample.resize(above, [n // 2 for n in above.shape], axes=(0, 1, 2), mode="linear")


def test_local_cluster_task_failure_is_the_original_exception(cluster_client):
    def fail(block, block_info=None):
        if block_info[0]["chunk-location"] == (2,):
            raise ChunkUnreadable("chunk 2 is corrupt")
        return block
    x = da.zeros(40, dtype="float32", chunks=10).map_blocks(fail, dtype="float32")
    with dask.config.set(scheduler=cluster_client):
        with pytest.raises(ChunkUnreadable, match="chunk 2 is corrupt"):
            rd.resize(x, 13, axes=0).compute()


@pytest.mark.parametrize("call", [
    lambda y: rd.resize(y, 20, axes=(0, 1)),                 # one size for the shortest axis
    lambda y: rd.resize(y, (20, 20), axes=(0, 1)),
    lambda y: rd.interpolate(y[None, None], size=(20, 20)),
    lambda y: rd.pyramid(y, 2),
])
def test_unknown_chunk_sizes_are_named_before_any_plan(call):
    x = da.from_array(np.arange(1600, dtype=np.float32).reshape(40, 40), chunks=10)
    unknown = x[x[:, 0] > 500]                               # boolean indexing: NaN chunk sizes
    with pytest.raises(ValueError, match=r"unknown chunk sizes: call array.compute_chunk_sizes\(\)"):
        call(unknown)


@pytest.mark.parametrize("chunks", [0, -3, 2.5, (5, -2), (5, 0), {0: -5}, {1: 0}, ((10, -1), (20,))])
def test_bad_chunks_are_refused_before_any_task(chunks):
    # dask would divide by zero (0), or build a graph that only fails when computed (-3)
    x = exploding((40, 40), np.float32)
    for call in (lambda: rd.resize(x, (20, 20), axes=(0, 1), chunks=chunks),
                 lambda: rd.interpolate(x[None, None], size=(20, 20), chunks=chunks),
                 lambda: rd.pyramid(x, 2, chunks=chunks)):
        with pytest.raises(ValueError, match=r"chunks=.*(chunk size must be an int|explicit "
                                             r"chunk sizes must be ints)"):
            call()


def test_good_chunk_spellings_still_work():
    x = da.zeros((40, 40), dtype="float32", chunks=10)
    assert rd.resize(x, (20, 20), axes=(0, 1), chunks=-1).chunks == ((20,), (20,))
    assert rd.resize(x, (20, 20), axes=(0, 1), chunks="auto").chunks == ((20,), (20,))
    assert rd.resize(x, (20, 20), axes=(0, 1), chunks=((15, 5), 7)).chunks == ((15, 5), (7, 7, 6))
    assert rd.resize(x, (20, 20), axes=(0, 1), chunks={1: None}).chunks == ((5,) * 4, (5,) * 4)


def test_writing_over_a_store_names_it_and_the_fix(tmp_path):
    pytest.importorskip("zarr")
    levels = rd.pyramid(da.zeros((16, 16), np.float32, chunks=8), levels=2)
    rd.write_ome_zarr(levels, tmp_path / "once.zarr")
    with pytest.raises(FileExistsError, match=r"once\.zarr.*already holds data.*overwrite=True"):
        rd.write_ome_zarr(levels, tmp_path / "once.zarr")
