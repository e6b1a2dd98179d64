"""Reliability (issue #10): forked children never block, thread counts are bounded, odd
memory (misaligned, other-endian, broadcast, masked) is handled or refused clearly, and
the reproducers of that issue raise the documented exceptions."""
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest

import resample
from resample import _engine, _interpolate, _runtime

F32 = np.float32


def _run(script, timeout=120, env=None):
    """Run a Python script file in a fresh interpreter (a file: spawn and forkserver
    children import the main module); a hang fails the test, not the suite."""
    full_env = dict(os.environ, **(env or {}))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "script.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent(script))
        try:
            return subprocess.run([sys.executable, path], capture_output=True, text=True,
                                  timeout=timeout, env=full_env)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the script hung for {timeout} s")


# ----------------------------------------------------------------------------- fork

FORK_SCRIPT = """
import multiprocessing as mp
import numpy as np
import resample
from resample import _config, _runtime

_runtime._State.cpu_limit = 4        # real threads even on a 1-CPU machine
image = np.random.default_rng(0).random((300, 400, 3)).astype(np.float32)
expected = resample.resize(image, 150, mode="bicubic", num_threads=4)   # the parent starts threads

def child(threads):
    result = resample.resize(image, 150, mode="bicubic", num_threads=threads)
    return bool(np.array_equal(result, expected)), _config.config()["forked_child"]

if __name__ == "__main__":
    with mp.get_context("{method}").Pool(2) as pool:
        print(pool.map(child, [None, 2, 4, -1]))
"""


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_pool_children_after_parent_threads(method):
    if method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"{method} is not available on this platform")
    done = _run(FORK_SCRIPT.replace("{method}", method))
    assert done.returncode == 0, done.stderr
    results = eval(done.stdout.strip())
    assert all(same for same, _ in results)
    # only a forked child runs single-threaded; spawn and forkserver start afresh
    assert all(forked == (method == "fork") for _, forked in results)


def test_fork_before_any_threads_keeps_threads():
    done = _run("""
        import os
        from resample import _runtime
        _runtime._State.cpu_limit = 4
        pid = os.fork()
        if pid == 0:
            os._exit(0 if _runtime.resolve_threads(4) == 4 else 1)
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        """)
    assert done.stdout.strip() == "0", done.stderr


def test_torch_dataloader_workers():
    pytest.importorskip("torch")
    done = _run("""
        import numpy as np, torch, resample
        from resample import _runtime
        _runtime._State.cpu_limit = 4
        images = np.random.default_rng(0).integers(0, 256, (8, 120, 160, 3), dtype=np.uint8)
        resample.resize(images[0], 64, num_threads=4)

        class Frames(torch.utils.data.Dataset):
            def __len__(self):
                return len(images)
            def __getitem__(self, i):
                return torch.from_numpy(resample.resize(images[i], 64, mode="bilinear"))

        loader = torch.utils.data.DataLoader(Frames(), batch_size=4, num_workers=2)
        batches = [b.numpy() for b in loader]
        expected = resample.resize(images, 64, mode="bilinear")
        print(np.array_equal(np.concatenate(batches), expected))
        """, timeout=240)
    assert done.stdout.strip() == "True", done.stderr


# ----------------------------------------------------------------------------- threads

def test_thread_count_capped_at_cpus(monkeypatch):
    monkeypatch.setattr(_runtime._State, "cpu_limit", 3)
    assert _runtime.resolve_threads(10**6) == 3
    assert _runtime.resolve_threads(2**31) == 3
    assert _runtime.resolve_threads(-1) == 3
    assert _runtime.resolve_threads(2) == 2
    assert 1 <= _runtime.resolve_threads(None) <= 3
    for bad in (0, -2, 1.5, "2", True, None.__class__):
        with pytest.raises(ValueError, match="num_threads"):
            _runtime.resolve_threads(bad)


def test_available_cpus_follows_affinity():
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no affinity masks here")
    assert _runtime.available_cpus() == len(os.sched_getaffinity(0))


HUGE_THREADS_SCRIPT = """
import numpy as np, resample
rng = np.random.default_rng(0)
x = rng.random((2, 3, 64, 80)).astype(np.float32)
calls = [dict(size=(20, 30), mode="nearest"), dict(size=(20, 30), mode="area"),
         dict(size=(20, 80), mode="bilinear", antialias=True), dict(size=(130, 90), mode="bicubic")]
for kw in calls:
    one = resample.interpolate(x, **kw, num_threads=1)
    assert np.array_equal(resample.interpolate(x, **kw, num_threads={threads}), one), kw
    assert np.array_equal(resample.interpolate(x.astype(np.float16), **kw, num_threads={threads}),
                          resample.interpolate(x.astype(np.float16), **kw, num_threads=1)), kw
print("ok")
"""


@pytest.mark.parametrize("threads, env", [(10**6, {}), (2**31, {}), ("None", {"OMP_NUM_THREADS": "200000"})],
                         ids=["1e6", "2^31", "OMP_NUM_THREADS"])
def test_huge_thread_counts_run(threads, env):
    done = _run(HUGE_THREADS_SCRIPT.replace("{threads}", str(threads)), env=env)
    assert done.stdout.strip() == "ok", done.stderr


# ----------------------------------------------------------------------------- memory

def _misaligned_copy(a):
    buf = np.zeros(a.nbytes + 1, np.uint8)
    view = np.ndarray(a.shape, a.dtype, buffer=buf, offset=1)
    view[...] = a
    assert not view.flags.aligned
    return view


@pytest.mark.parametrize("dtype", [np.float16, F32, np.float64])
@pytest.mark.parametrize("mode", ["nearest", "area", "bilinear", "bicubic"])
def test_misaligned_input_is_copied(dtype, mode):
    x = np.random.default_rng(1).random((1, 2, 9, 13)).astype(dtype)
    kw = dict(size=(5, 20), mode=mode)
    expected = resample.interpolate(x, **kw)
    np.testing.assert_array_equal(resample.interpolate(_misaligned_copy(x), **kw), expected)
    g = np.ones_like(expected)
    np.testing.assert_array_equal(resample.interpolate_backward(_misaligned_copy(g), x.shape, **kw),
                                  resample.interpolate_backward(g, x.shape, **kw))


def test_misaligned_out_is_refused():
    x = np.zeros((1, 1, 4, 4), F32)
    out = _misaligned_copy(np.zeros((1, 1, 2, 2), F32))
    with pytest.raises(ValueError, match="out must be an aligned array"):
        resample.interpolate(x, size=2, out=out)


@pytest.mark.parametrize("dtype", [">f2", ">f4", ">f8"])
def test_big_endian_input_is_converted(dtype):
    x = np.random.default_rng(2).random((1, 2, 6, 7)).astype(dtype)
    native = x.astype(np.dtype(dtype).newbyteorder("="))
    got = resample.interpolate(x, size=(3, 9), mode="bilinear")
    assert got.dtype == native.dtype and got.dtype.isnative
    np.testing.assert_array_equal(got, resample.interpolate(native, size=(3, 9), mode="bilinear"))


def test_masked_arrays_are_refused():
    x = np.ma.masked_array(np.zeros((1, 1, 4, 4), F32), mask=False)
    with pytest.raises(TypeError, match="masked"):
        resample.interpolate(x, size=2)
    with pytest.raises(TypeError, match="masked"):
        resample.resize(np.ma.masked_array(np.zeros((4, 4), F32)), 2)


def test_broadcast_view_checked_before_copy():
    x = np.broadcast_to(np.zeros(1, F32), (1, 1, 2**25, 2**25))
    with pytest.raises(MemoryError, match="contiguous copy of the input"):
        resample.interpolate(x, size=(2, 2))
    small = np.broadcast_to(np.arange(5, dtype=F32), (1, 3, 4, 5))
    np.testing.assert_array_equal(resample.interpolate(small, size=(2, 10), mode="bilinear"),
                                  resample.interpolate(np.ascontiguousarray(small), size=(2, 10),
                                                       mode="bilinear"))


def test_table_estimate_is_close_for_area_and_antialias():
    """A 4-element area output of a 2**30-sample axis needs tables of a few entries, not
    GiB (the old estimate refused it); an antialias table really grows with the input."""
    area = _interpolate.resolve_call((1, 1, 1, 2**30), (1, 4), None, "area", None, None, False)
    assert _engine.plan_bytes((1, 1, 1, 4), (1, 2**30), area) < 2**10
    aa = _interpolate.resolve_call((1, 1, 1, 2**20), (1, 4), None, "bilinear", None, None, True)
    assert 2**20 * 16 <= _engine.plan_bytes((1, 1, 1, 4), (1, 2**20), aa) <= 2**20 * 16 * 3
    empty = _interpolate.resolve_call((0, 1, 4), (2**40,), None, "linear", None, None, False)
    assert _engine.plan_bytes((0, 1, 2**40), (4,), empty) == 0


def test_empty_batch_with_huge_size_is_empty():
    out = resample.interpolate(np.zeros((0, 1, 4), F32), size=2**40, mode="linear")
    assert out.shape == (0, 1, 2**40)


# ----------------------------------------------------------------------------- reproducers

def test_issue_reproducers():
    with pytest.raises(ValueError, match="empty axis"):
        resample.resize(np.zeros((0, 5, 3), np.uint8), 4)  # noqa
    img = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(TypeError, match="out must be a NumPy array"):
        resample.resize(img, (5, 6), out=[1])
    x = np.zeros((1, 1, 4, 4), F32)
    with pytest.raises(TypeError, match="antialias must be True or False"):
        resample.interpolate(x, size=2, mode="bilinear", antialias="no")
    with pytest.raises(TypeError, match="align_corners must be True or False"):
        resample.interpolate(x, size=2, mode="bilinear", align_corners="x")
    with pytest.raises(TypeError, match="mode must be a str"):
        resample.interpolate(x, size=2, mode=["bilinear"])


def test_nan_positions_agree_across_layouts_and_threads():
    """NaN outputs are NaN in every layout, build and thread count (only the sign and
    payload bits of a NaN may differ: docs/reliability.md)."""
    rng = np.random.default_rng(3)
    x = rng.random((1, 3, 20, 24)).astype(F32)
    x[0, rng.integers(0, 3, 30), rng.integers(0, 20, 30), rng.integers(0, 24, 30)] = np.nan
    x[0, 1, 3, 4] = -np.nan
    cl = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    for kw in (dict(size=(9, 50), mode="bicubic"), dict(size=(7, 9), mode="bilinear", antialias=True)):
        a = resample.interpolate(x, **kw, num_threads=1)
        b = resample.interpolate(cl, **kw, num_threads=2)
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_array_equal(a[~np.isnan(a)], b[~np.isnan(b)])


NO_SCRATCH_SCRIPT = """
import resource
import numpy as np
from resample._runtime import kernels

n, lines = 2_000_000, 4
src = np.ones(lines * n, np.float32)
dst = np.full(lines * n, 7.0)
taps = np.arange(n, dtype=np.intp)[:, None]
weights = np.ones((n, 1))
fw, index = np.array([0.25, 0.5, 0.25]), np.arange(-1, n + 1, dtype=np.intp).clip(0, n - 1)
calls = {{"spline_axis": lambda: kernels.spline_axis(src, dst, lines, n, 1, 0, True, 0.0, taps, weights,
                                                     3, 0, True, 1),
         "correlate_symmetric": lambda: kernels.correlate_symmetric(src, src.copy(), lines, n, 1, fw, index,
                                                                    0.0, 1)}}
call = calls["{kernel}"]
with open("/proc/self/status") as f:
    size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize"))
# room for Python, not for a line's float64 scratch (16 MB)
resource.setrlimit(resource.RLIMIT_AS, (size + (4 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
try:
    call()
except MemoryError as e:
    print("MemoryError", e)
else:
    print("returned")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
@pytest.mark.parametrize("kernel", ["spline_axis", "correlate_symmetric"])
def test_a_kernel_without_scratch_memory_raises(kernel):
    """A per-thread buffer the kernel cannot get is a MemoryError, not blocks of the output
    left unwritten (the malloc failures in the parallel loops are counted and raised)."""
    result = _run(NO_SCRATCH_SCRIPT.format(kernel=kernel))
    assert result.stdout.startswith("MemoryError"), result.stdout + result.stderr
