"""Random bad arguments (issue #10): every public entry point, given a valid call with one
argument replaced by a bad value, either still works (some "bad" values are legal in
some calls) or raises one of the documented exception types with a message that names
the argument. Never a crash, a hang, another exception type or a nameless message."""
import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import resample  # noqa: E402

# OverflowError too: torch's own type for an infinite scale_factor on its Python path
# (recompute_scale_factor=True, and area), which interpolate keeps
ALLOWED = (TypeError, ValueError, RuntimeError, NotImplementedError, MemoryError, OverflowError)
MODES_BY_RANK = {3: ["nearest", "nearest-exact", "linear", "area"],
                 4: ["nearest", "nearest-exact", "bilinear", "bicubic", "area", "bilinear-aa",
                     "bicubic-aa", "lanczos"],
                 5: ["nearest", "nearest-exact", "trilinear", "area"]}
DTYPES = [np.uint8, np.float16, np.float32, np.float64]


def _misaligned(shape, dtype):
    buf = np.zeros(int(np.prod(shape)) * np.dtype(dtype).itemsize + 1, np.uint8)
    return np.ndarray(shape, dtype, buffer=buf, offset=1)


class MAYBE:
    """A value that is legal in some calls (an empty output is fine for area)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"MAYBE({self.value!r})"


# argument -> (the words a message about it may use, its bad values)
BAD = {
    "x": (("input", "dtype", "array", "tensor", "masked"),
          [None, "abc", [[1, 2], [3]], np.zeros((1, 1, 4), bool), np.zeros((1, 1, 4), complex),
           np.zeros((1, 1, 4), np.int64), np.zeros(()), np.zeros((4,)), np.zeros((1, 4)),
           np.zeros((1,) * 6), np.ma.masked_array(np.zeros((1, 1, 4)), mask=[[[1, 0, 0, 0]]]),
           np.zeros((1, 1, 4), object)]),
    "size": (("size",), [-1, MAYBE(0), 2.5, "4", (1, 2, 3, 4), (None,), 2**70, float("nan"), [True], {}]),
    "scale_factor": (("scale_factor", "size"),
                     [float("nan"), float("inf"), -1.0, MAYBE(0.0), "2", (1.0,) * 4, 1e300, (None,),
                      MAYBE(1e-300)]),
    "mode": (("mode",), ["foo", 3, None, ["bilinear"], "BILINEAR", "cubic"]),
    "align_corners": (("align_corners",), ["x", 2, 1.0, []]),
    "antialias": (("antialias", "anti-alias"), ["no", 2, None, 1.0]),
    "out": (("out",), [[1], "out", np.zeros(3), "misaligned", "readonly"]),
    "num_threads": (("num_threads",), [0, -2, 1.5, "2", True, []]),
}


def _valid_call(draw):
    rank = draw(st.sampled_from([3, 4, 5]))
    mode = draw(st.sampled_from(MODES_BY_RANK[rank]))
    dtype = draw(st.sampled_from(DTYPES))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)),
             *[draw(st.integers(1, 9)) for _ in range(rank - 2)])
    x = np.random.default_rng(0).random(shape) * 255
    kwargs = {"mode": mode.replace("-aa", "")}
    if mode.endswith("-aa") or mode == "lanczos":
        kwargs["antialias"] = True
    if draw(st.booleans()):
        kwargs["size"] = [draw(st.integers(1, 12)) for _ in range(rank - 2)]
    else:
        kwargs["scale_factor"] = draw(st.sampled_from([1.0, 1.5, 2.0, 3.0]))
    return x.astype(dtype), kwargs


def _apply_bad(call_kwargs, x, argument, value):
    if argument == "out":
        if isinstance(value, str) and value == "misaligned":
            x = x.astype(np.float32)          # (any offset is aligned for bytes)
            value = _misaligned(resample.interpolate(x, **call_kwargs).shape, x.dtype)
        elif isinstance(value, str) and value == "readonly":
            value = resample.interpolate(x, **call_kwargs)
            value.flags.writeable = False
    if argument == "x":
        return value, call_kwargs
    if argument == "out":
        return x, dict(call_kwargs, out=value)
    kwargs = dict(call_kwargs)
    if argument in ("size", "scale_factor"):
        kwargs.pop("size", None)
        kwargs.pop("scale_factor", None)
    kwargs[argument] = value
    return x, kwargs


def _check(fn, argument, may_work, *args, words=None, **kwargs):
    """fn(*args, **kwargs) raises an ALLOWED exception naming `argument` (one of `words`),
    or, where the bad value may be legal in this call, returns an array."""
    words = words or BAD[argument][0]
    try:
        result = fn(*args, **kwargs)
    except ALLOWED as exc:
        message = str(exc).lower()
        assert any(w in message for w in words), (
            f"{type(exc).__name__} for a bad {argument} does not name it: {exc}")
        return
    assert may_work, f"a bad {argument} was accepted"
    assert isinstance(result, np.ndarray)


def _unwrap(value):
    return (value.value, True) if isinstance(value, MAYBE) else (value, False)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), argument=st.sampled_from(sorted(BAD)))
def test_interpolate_bad_arguments(data, argument):
    x, kwargs = _valid_call(data.draw)
    value, may_work = _unwrap(data.draw(st.sampled_from(BAD[argument][1])))
    x, kwargs = _apply_bad(kwargs, x, argument, value)
    _check(resample.interpolate, argument, may_work, x, **kwargs)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), argument=st.sampled_from(sorted(set(BAD) - {"x"})))
def test_interpolate_backward_bad_arguments(data, argument):
    x, kwargs = _valid_call(data.draw)
    x = x.astype(np.float32)
    grad = np.ones_like(resample.interpolate(x, **kwargs))
    grad_kwargs = dict(kwargs)
    value, may_work = _unwrap(data.draw(st.sampled_from(BAD[argument][1])))
    if argument == "out":
        if isinstance(value, str) and value == "misaligned":
            value = _misaligned(x.shape, x.dtype)
        elif isinstance(value, str) and value == "readonly":
            value = np.zeros_like(x)
            value.flags.writeable = False
        grad_kwargs["out"] = value
    else:
        _, grad_kwargs = _apply_bad(kwargs, x, argument, value)
    # a changed size or scale no longer matches grad's shape: that is named too
    words = BAD[argument][0] + (("grad_output",) if argument in ("size", "scale_factor") else ())
    _check(resample.interpolate_backward, argument, may_work, grad, x.shape, words=words,
           **grad_kwargs)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(bad=st.sampled_from([None, "abc", (1, -2, 3), (2, 2.5), [[1]], -1, 2**70]))
def test_interpolate_backward_bad_input_size(bad):
    grad = np.ones((1, 1, 4), np.float32)
    with pytest.raises(ALLOWED, match="input_size|size"):
        resample.interpolate_backward(grad, bad, size=4, mode="linear")


RESIZE_BAD = {
    "image": (("image", "input", "dtype", "array", "masked"),
              [None, "abc", np.zeros((2, 3, 4, 5, 6)), np.zeros((0, 5, 3), np.uint8),
               np.zeros((4, 4), complex), np.ma.masked_array(np.zeros((4, 4)), mask=True)]),
    "size": (("size",), [0, -3, 2.5, (1, 2, 3), "4", (None, 2), 2**70, None]),
    "mode": (("mode",), ["foo", 3, None, "linear-ish"]),
    "antialias": (("antialias", "anti-alias"), ["no", 2, None]),
    "out": (("out",), [[1], np.zeros(3), np.zeros((2, 2), np.float64)]),
    "num_threads": (("num_threads",), [0, -2, 1.5, "2", True]),
}


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), argument=st.sampled_from(sorted(RESIZE_BAD)))
def test_resize_bad_arguments(data, argument):
    shape = data.draw(st.sampled_from([(6, 7), (6, 7, 3), (2, 6, 7, 1)]))
    image = np.random.default_rng(1).random(shape).astype(data.draw(st.sampled_from(DTYPES)))
    kwargs = {"size": (4, 5), "mode": "bilinear"}
    value = data.draw(st.sampled_from(RESIZE_BAD[argument][1]))
    if argument == "image":
        image = value
    else:
        kwargs[argument] = value
    _check(resample.resize, argument, False, image, words=RESIZE_BAD[argument][0], **kwargs)
