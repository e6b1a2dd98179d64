"""Outputs of 32 MiB and more reuse the memory of earlier outputs that are gone (#16: a
fresh mapping's page faults cost a third of an enlargement), and never memory still seen
by an array."""
import threading

import numpy as np
import pytest

import resample
from resample import _arrays

BIG = (1, 2, 1024, 4096)          # float32: 32 MiB, the smallest recycled size
SMALL_INPUT = (1, 2, 512, 2048)


def address(a):
    return a.__array_interface__["data"][0]


def owner(a):
    """What owns an array's memory (the end of its chain of bases)."""
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return a


@pytest.fixture
def empty_pool(monkeypatch):
    monkeypatch.setattr(_arrays, "_RECYCLED", [])
    return _arrays._RECYCLED


def upscale(x, **kw):
    return resample.interpolate(x, scale_factor=2.0, mode="bilinear", **kw)


def test_a_freed_output_is_reused_with_the_right_values(empty_pool):
    rng = np.random.default_rng(0)
    a, b = (rng.random(SMALL_INPUT, dtype=np.float32) for _ in range(2))
    first = upscale(a)
    assert first.shape == BIG and isinstance(owner(first), _arrays._Recycled)
    where = address(first)
    del first
    assert len(empty_pool) == 1
    second = upscale(b)                      # the repeated-call path
    assert address(second) == where and not empty_pool
    expected = np.empty_like(second)
    upscale(b, out=expected)
    np.testing.assert_array_equal(second, expected)
    third = resample.resize(a, scale_factor=(2, 2), axes=(2, 3))      # resize, first call
    np.testing.assert_array_equal(third, upscale(a, out=np.empty(BIG, np.float32)))


def test_memory_seen_by_a_view_is_never_reused(empty_pool):
    rng = np.random.default_rng(1)
    first = upscale(rng.random(SMALL_INPUT, dtype=np.float32))
    view = first[0, 1, ::7]
    kept = view.copy()
    del first                                # the view still holds the block
    assert not empty_pool
    second = upscale(rng.random(SMALL_INPUT, dtype=np.float32))
    np.testing.assert_array_equal(view, kept)
    assert address(second) != owner(view).__array_interface__["data"][0]
    del view
    assert len(empty_pool) == 1


def test_small_outputs_and_a_zero_limit_are_plain_arrays(empty_pool, monkeypatch):
    small = upscale(np.zeros((1, 2, 64, 64), np.float32))
    assert not isinstance(owner(small), _arrays._Recycled)
    monkeypatch.setattr(_arrays, "_RECYCLE_LIMIT", 0)        # RESAMPLE_RECYCLE_MB=0
    big = upscale(np.zeros(SMALL_INPUT, np.float32))
    assert not isinstance(owner(big), _arrays._Recycled)
    del big
    assert not empty_pool


def test_the_pool_holds_at_most_two_blocks(empty_pool):
    outputs = [upscale(np.full(SMALL_INPUT, i, np.float32)) for i in range(4)]
    del outputs
    assert len(empty_pool) == _arrays._RECYCLED_KEPT == 2


def test_threads_sharing_the_pool_get_their_own_results(empty_pool):
    rng = np.random.default_rng(2)
    inputs = [rng.random((1, 1, 512, 2048), dtype=np.float32) for _ in range(4)]
    expected = [upscale(x, out=np.empty((1, 1, 1024, 4096), np.float32)) for x in inputs]
    wide = [np.concatenate([x, x], axis=1) for x in inputs]     # 32 MiB outputs
    failures = []

    def work(i):
        for _ in range(6):
            y = upscale(wide[i])
            if not (np.array_equal(y[:, :1], expected[i]) and np.array_equal(y[:, 1:], expected[i])):
                failures.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
