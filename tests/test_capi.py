"""The C API (include/resample.h) called through its capsule with ctypes: plans built once,
applied without the GIL from many threads at once, the same bits as resize(). (The
examples in examples/embed/ build real C and Cython extensions against it in CI.)"""
import ctypes
import os
import threading

import numpy as np
import pytest

import resample
from resample import _embed

P_SSIZE = ctypes.POINTER(ctypes.c_ssize_t)
# resample_api, field by field as resample.h declares it. plan_new and plan_free hold the
# GIL (PYFUNCTYPE); plan_apply releases it (CFUNCTYPE), as a C caller would.
PLAN_NEW = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_int, P_SSIZE, P_SSIZE, ctypes.c_int,
                             P_SSIZE, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                             ctypes.POINTER(ctypes.c_double), ctypes.c_char_p, ctypes.c_int,
                             ctypes.c_int)
PLAN_FREE = ctypes.PYFUNCTYPE(None, ctypes.c_void_p)
PLAN_LAYOUT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int),
                               ctypes.POINTER(ctypes.c_int), P_SSIZE, P_SSIZE, P_SSIZE, P_SSIZE)
PLAN_APPLY = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, P_SSIZE, P_SSIZE,
                              ctypes.c_void_p, P_SSIZE, P_SSIZE, ctypes.c_int)
STATUS_MESSAGE = ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_int)


class Api(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("size", ctypes.c_uint), ("plan_new", PLAN_NEW),
                ("plan_free", PLAN_FREE), ("plan_layout", PLAN_LAYOUT), ("plan_apply", PLAN_APPLY),
                ("status_message", STATUS_MESSAGE)]


DTYPES = {np.dtype(t): code + 1 for code, t in enumerate(_embed.C_DTYPES)}


def load_api():
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return Api.from_address(get(resample._C_API, b"resample._C_API"))


@pytest.fixture(scope="module")
def api():
    table = load_api()
    assert table.version == 1 and table.size == ctypes.sizeof(Api)
    return table


def ssizes(values):
    return (ctypes.c_ssize_t * len(values))(*values) if values is not None else None


class Plan:
    """A resample_plan for arrays like `x`, freed when garbage collected."""

    def __init__(self, api, x, out_shape, mode, antialias=False, align_corners=-1, axes=None,
                 scales=None):
        self.api, self.handle = api, None
        self.handle = api.plan_new(
            x.ndim, ssizes(x.shape), ssizes(x.strides), DTYPES[x.dtype], ssizes(out_shape),
            len(axes) if axes else 0, (ctypes.c_int * len(axes))(*axes) if axes else None,
            (ctypes.c_double * len(scales))(*scales) if scales else None,
            mode.encode(), antialias, align_corners)
        ndim, dtype = ctypes.c_int(), ctypes.c_int()
        in_shape, in_strides, shape, strides = (ssizes([0] * x.ndim) for _ in range(4))
        api.plan_layout(self.handle, ctypes.byref(ndim), ctypes.byref(dtype), in_shape,
                        in_strides, shape, strides)
        assert (ndim.value, dtype.value, tuple(in_shape), tuple(in_strides)) == \
            (x.ndim, DTYPES[x.dtype], x.shape, x.strides)
        self.out_shape, self.out_strides, self.dtype = tuple(shape), tuple(strides), x.dtype

    def empty(self):
        """An output array of the plan's shape and strides."""
        span = sum((n - 1) * s for n, s in zip(self.out_shape, self.out_strides)) + self.dtype.itemsize
        buffer = np.empty(max(span, 0) // self.dtype.itemsize, self.dtype)
        return np.lib.stride_tricks.as_strided(buffer, self.out_shape, self.out_strides)

    def apply(self, x, out, threads=1, shapes=True):
        return self.api.plan_apply(self.handle, x.ctypes.data, ssizes(x.shape) if shapes else None,
                                   ssizes(x.strides) if shapes else None, out.ctypes.data,
                                   ssizes(out.shape) if shapes else None,
                                   ssizes(out.strides) if shapes else None, threads)

    def __del__(self):
        if self.handle:
            self.api.plan_free(self.handle)


CASES = [   # (shape, dtype, out_shape, mode, antialias, axes, channels-last memory)
    ((37, 53, 3), np.uint8, (20, 90, 3), "linear", True, None, False),
    ((37, 53, 3), np.uint8, (74, 26, 3), "cubic", False, None, False),
    ((2, 3, 40, 41), np.float32, (2, 3, 17, 63), "linear", False, None, True),
    ((2, 3, 40, 41), np.float32, (2, 3, 17, 63), "lanczos", True, None, True),
    ((9, 10, 11), np.float64, (5, 21, 7), "linear", False, (0, 1, 2), False),
    ((9, 10, 11), np.float16, (5, 21, 7), "cubic", True, None, False),
    ((30, 31), np.uint16, (12, 77), "area", False, None, False),
    ((30, 31), np.int16, (12, 77), "nearest", False, None, False),
    ((64,), np.float32, (23,), "nearest-exact", False, None, False),
    ((16, 12, 5), np.float32, (16, 12, 5), "linear", False, (0, 1), False),   # same size
]


def sample(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("shape, dtype, out_shape, mode, antialias, axes, channels_last", CASES)
def test_apply_equals_resize(api, shape, dtype, out_shape, mode, antialias, axes, channels_last):
    x = sample(shape, dtype)
    if channels_last:       # (N, C, H, W) with channels-last memory: read in place
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    if axes is None:
        axes_arg = [a for a in range(len(shape)) if shape[a] != out_shape[a]]
    else:
        axes_arg = list(axes)
    expected = resample.resize(np.ascontiguousarray(x), [out_shape[a] for a in axes_arg],
                               axes=axes_arg, mode=mode, antialias=antialias)
    plan = Plan(api, x, out_shape, mode, antialias, axes=axes)
    out = plan.empty()
    assert plan.apply(x, out, threads=2) == 0
    np.testing.assert_array_equal(out, expected, strict=True)
    if channels_last:
        assert out.transpose(0, 2, 3, 1).flags.c_contiguous      # the input's layout kept
    again = plan.empty()
    assert plan.apply(x, again, threads=1, shapes=False) == 0     # NULL shapes: the plan's
    np.testing.assert_array_equal(again, expected, strict=True)


def test_scales_sample_as_torch(api):
    """With scales the filters sample at 1 / scale (torch's rule without
    recompute_scale_factor): the plan equals interpolate's scale_factor call, not the size
    call, bit for bit."""
    x = sample((1, 2, 21, 34), np.float32)
    expected = resample.interpolate(x, scale_factor=(1.7, 0.45), mode="bilinear")
    plan = Plan(api, x, expected.shape, "linear", axes=[2, 3], scales=[1.7, 0.45])
    out = plan.empty()
    assert plan.apply(x, out) == 0
    np.testing.assert_array_equal(out, expected)
    by_size = resample.interpolate(x, size=expected.shape[2:], mode="bilinear")
    assert not np.array_equal(by_size, expected)          # the scales mattered
    with pytest.raises(ValueError, match="is not what resizing"):
        Plan(api, x, (1, 2, 36, 15), "linear", axes=[2, 3], scales=[1.7, 0.45])


def test_one_plan_many_threads(api):
    """One plan applied from 8 Python threads at once, each call without the GIL and with
    its own thread count: every result equals the serial one."""
    images = [sample((120, 97, 3), np.uint8, seed) for seed in range(16)]
    plan = Plan(api, images[0], (61, 200, 3), "cubic", True)
    serial = []
    for image in images:
        out = plan.empty()
        assert plan.apply(image, out) == 0
        serial.append(out)
    results = [[None] * len(images) for _ in range(8)]

    def work(worker):
        for i, image in enumerate(images):
            out = plan.empty()
            assert plan.apply(image, out, threads=1 + worker % 3) == 0
            results[worker][i] = out

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for worker in results:
        for got, want in zip(worker, serial):
            np.testing.assert_array_equal(got, want)


def test_reuse_on_other_shapes_refused(api):
    x = sample((40, 50), np.float32)
    plan = Plan(api, x, (20, 25), "linear")
    out = plan.empty()
    other = sample((41, 50), np.float32)
    assert plan.apply(other, out) == 2                                   # RESAMPLE_ERROR_SHAPE
    assert b"shape" in api.status_message(2)
    assert plan.apply(np.asfortranarray(x), out) == 3                    # RESAMPLE_ERROR_STRIDES
    assert plan.apply(x, np.empty((20, 26), np.float32)) == 2
    assert plan.apply(x, out, threads=0) == 1                            # RESAMPLE_ERROR_ARGUMENT
    assert api.plan_apply(None, x.ctypes.data, None, None, out.ctypes.data, None, None, 1) == 1
    assert api.status_message(0) == b"success"


@pytest.mark.parametrize("change, message", [
    (dict(mode=b"bilinearr"), "mode must be one of"),
    (dict(dtype=9), "dtype must be one of"),
    (dict(out_shape=(20, 30), axes=[0]), "is not what resizing axes"),
    (dict(out_shape=(40, 50)), "name the axes"),
    (dict(strides=(4, 8)), "do not lay shape"),
    (dict(ndim=0), "ndim must be"),
    (dict(antialias=2), "antialias must be 0 or 1"),
])
def test_plan_new_errors(api, change, message):
    """Bad plans raise a Python exception naming the problem (NULL returned in C)."""
    args = dict(ndim=2, shape=(40, 50), strides=(200, 4), dtype=5, out_shape=(20, 50),
                mode=b"linear", antialias=0, axes=[])
    args.update(change)
    axes = args["axes"]
    with pytest.raises(ValueError, match=message):
        api.plan_new(args["ndim"], ssizes(args["shape"]), ssizes(args["strides"]), args["dtype"],
                     ssizes(args["out_shape"]), len(axes), (ctypes.c_int * len(axes))(*axes),
                     None, args["mode"], args["antialias"], -1)


def test_forked_child_after_threads(tmp_path):
    """A child forked after a C API apply ran threads runs its applies on one thread
    (GNU OpenMP's pool would block it forever) and gets the same bits."""
    from test_reliability import _run
    done = _run(f"""
        import os, sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        import numpy as np
        import test_capi as t
        from resample import _runtime
        api = t.load_api()
        x = t.sample((300, 400, 3), np.float32)
        plan = t.Plan(api, x, (150, 200, 3), "cubic", True)
        expected = plan.empty()
        assert plan.apply(x, expected, threads=4) == 0     # only the C API starts threads
        pid = os.fork()
        if pid == 0:
            out = plan.empty()
            os._exit(0 if plan.apply(x, out, threads=4) == 0 and np.array_equal(out, expected) else 1)
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), _runtime.kernels.c_api_threads_started())
        """, timeout=60)
    assert done.stdout.split() == ["0", "True"], done.stderr


def test_get_include_holds_the_header():
    assert os.path.isfile(os.path.join(resample.get_include(), "resample.h"))
