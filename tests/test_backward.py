"""interpolate_backward: the exact adjoint of the forward, deterministic, close to torch."""
import itertools

import numpy as np
import pytest

import resample
from oracle import ALIGNABLE, MODES_BY_RANK, split_mode

IN_SHAPES = {3: (2, 3, 11), 4: (2, 3, 11, 9), 5: (1, 2, 5, 6, 7)}
# per call: size or scale_factor (with recompute), covering down, up, equal and odd ratios
CALLS = {
    3: [dict(size=4), dict(size=11), dict(size=30), dict(scale_factor=1.7),
        dict(scale_factor=0.29, recompute_scale_factor=True), dict(size=1)],
    4: [dict(size=(4, 20)), dict(size=(11, 9)), dict(size=(30, 3)), dict(scale_factor=(1.7, 0.5)),
        dict(scale_factor=(1.2, 1.0)), dict(scale_factor=1 / 3, recompute_scale_factor=True),
        dict(size=(1, 1)), dict(size=(3, 1))],
    5: [dict(size=(2, 9, 4)), dict(size=(5, 6, 7)), dict(scale_factor=(2.2, 0.5, 1.7)), dict(size=(1, 1, 1))],
}


def cases():
    for rank, modes in MODES_BY_RANK.items():
        for mode, call in itertools.product(modes, CALLS[rank]):
            for align in ([False, True] if mode in ALIGNABLE else [None]):
                base, aa = split_mode(mode)
                yield pytest.param(rank, dict(call, mode=base, antialias=aa, align_corners=align),
                                   id=f"{rank}d-{mode}-{call}-ac{align}".replace(" ", ""))


def forward_and_backward(x, g_seed=0, **kw):
    y = resample.interpolate(x, **kw)
    g = np.random.default_rng(g_seed).standard_normal(y.shape).astype(x.dtype)
    return y, g, resample.interpolate_backward(g, x.shape, **kw)


@pytest.mark.parametrize("rank, kw", list(cases()))
def test_adjoint_identity_float64(rank, kw):
    """<A x, g> == <x, A^T g> to rounding: the backward is the true adjoint."""
    x = np.random.default_rng(1).standard_normal(IN_SHAPES[rank])
    y, g, gx = forward_and_backward(x, **kw)
    assert gx.shape == x.shape and gx.dtype == x.dtype
    lhs, rhs = np.vdot(y, g), np.vdot(x, gx)
    scale = np.vdot(np.abs(y), np.abs(g)) + np.vdot(np.abs(x), np.abs(gx))
    assert abs(lhs - rhs) <= 1e-12 * scale, (lhs, rhs)


@pytest.mark.parametrize("rank, kw", list(cases())[::4])
def test_central_differences_float64(rank, kw):
    """The directional derivative of L(x) = <interpolate(x), g> along v is <v, grad>."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal(IN_SHAPES[rank])
    v = rng.standard_normal(x.shape)
    _, g, gx = forward_and_backward(x, **kw)
    h = 1e-3
    loss = lambda z: np.vdot(resample.interpolate(z, **kw), g)  # noqa: E731
    numeric = (loss(x + h * v) - loss(x - h * v)) / (2 * h)
    assert numeric == pytest.approx(np.vdot(v, gx), rel=1e-9, abs=1e-9)


def torch_differs_by_design(x_shape, kw):
    """Cases where torch's backward is not the adjoint of its own forward (docs/exactness.md, difference 9)."""
    mode, aa = kw["mode"], kw["antialias"]
    in_sp = x_shape[2:]
    out_sp = resample.interpolate(np.zeros(x_shape, np.float32), **kw).shape[2:]
    user_scale = "scale_factor" in kw and not kw.get("recompute_scale_factor")
    if mode in ("nearest", "nearest-exact") and user_scale:
        return True      # torch's backward uses another index rule (docs §4.1, §3.1)
    if mode == "bicubic" and tuple(in_sp) == tuple(out_sp) and user_scale:
        return True      # torch copies the gradient (docs §4.4)
    if aa and user_scale and any(i == o for i, o in zip(in_sp, out_sp)):
        return True      # torch does not skip the unchanged axis backward (docs §4.5)
    return False


@pytest.mark.parametrize("rank, kw", [c for c in cases() if c.values[1]["antialias"]])
def test_float16_antialias_backward_is_float32_rounded_once(rank, kw):
    """torch has no float16 antialias backward; resample's rule (docs §3.8, §4.8): the
    float32 backward of the widened gradient (antialias plans are float32 for float16),
    rounded once to float16."""
    x = np.random.default_rng(3).standard_normal(IN_SHAPES[rank]).astype(np.float16)
    _, g, gx = forward_and_backward(x, **kw)
    want = resample.interpolate_backward(g.astype(np.float32), x.shape, **kw).astype(np.float16)
    np.testing.assert_array_equal(gx.view(np.uint16), want.view(np.uint16))


def torch_cases():
    """Every case in every float dtype, but float16 antialias, which torch lacks
    (test_float16_antialias_backward_is_float32_rounded_once)."""
    for dtype, tag in ((np.float32, "f32"), (np.float64, "f64"), (np.float16, "f16")):
        for case in cases():
            rank, kw = case.values
            if not (dtype == np.float16 and kw["antialias"]):
                yield pytest.param(rank, kw, dtype, id=f"{case.id}-{tag}")


@pytest.mark.parametrize("rank, kw, dtype", list(torch_cases()))
def test_matches_torch_backward(rank, kw, dtype):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    if torch_differs_by_design(IN_SHAPES[rank], kw):
        pytest.skip("torch's backward is not the adjoint of its forward here (docs/exactness.md, difference 9)")
    x = np.random.default_rng(3).standard_normal(IN_SHAPES[rank]).astype(dtype)
    _, g, gx = forward_and_backward(x, **kw)
    xt = torch.from_numpy(x).requires_grad_()
    F.interpolate(xt, **kw).backward(torch.from_numpy(g))
    want = xt.grad.numpy()
    # a few ulp of the largest sum of contributions reaching an input (the two sum in
    # different orders; cubic and Lanczos weights have both signs)
    magnitude = np.abs(resample.interpolate_backward(np.abs(g).astype(np.float64), x.shape, **kw)).max()
    tol = 16 * np.finfo(dtype).eps * magnitude
    np.testing.assert_allclose(gx, want, rtol=0, atol=tol)


@pytest.mark.parametrize("rank, kw", list(cases())[::3])
def test_thread_count_does_not_change_bits(rank, kw):
    shape = {3: (4, 16, 3000), 4: (2, 8, 120, 97), 5: (1, 4, 20, 30, 40)}[rank]
    x_shape = shape
    y_shape = resample.interpolate(np.zeros(x_shape, np.float32), **kw).shape
    g = np.random.default_rng(4).standard_normal(y_shape).astype(np.float32)
    one = resample.interpolate_backward(g, x_shape, **kw, num_threads=1)
    for threads in (2, 5):
        np.testing.assert_array_equal(one, resample.interpolate_backward(g, x_shape, **kw, num_threads=threads))


def test_channels_last_gradient_keeps_layout():
    x_shape = (2, 5, 13, 17)
    kw = dict(size=(7, 30), mode="bicubic")
    g = np.random.default_rng(5).standard_normal((2, 7, 30, 5)).astype(np.float32).transpose(0, 3, 1, 2)
    got = resample.interpolate_backward(g, x_shape, **kw)
    want = resample.interpolate_backward(np.ascontiguousarray(g), x_shape, **kw)
    assert got.transpose(0, 2, 3, 1).flags.c_contiguous
    np.testing.assert_array_equal(got, want)


def test_out_argument():
    g = np.ones((1, 1, 6), np.float32)
    out = np.full((1, 1, 3), np.nan, np.float32)
    got = resample.interpolate_backward(g, (1, 1, 3), size=6, mode="linear", out=out)
    assert got is out and np.isfinite(out).all()


def test_zero_sized_outputs_give_zero_gradients():
    g = np.zeros((1, 2, 0, 0), np.float32)
    np.testing.assert_array_equal(resample.interpolate_backward(g, (1, 2, 4, 4), size=(0, 0), mode="area"),
                                  np.zeros((1, 2, 4, 4), np.float32))
    assert resample.interpolate_backward(np.zeros((0, 3, 8), np.float32), (0, 3, 4), size=8).shape == (0, 3, 4)


# docs §12.2 backward vectors (DEFAULT torch); resample sums per axis, so rounding can differ
@pytest.mark.parametrize("name, in_size, kw, g, want", [
    ("TV19-bilinear", (1, 1, 3, 3), dict(size=(5, 4), mode="bilinear"), np.ones((1, 1, 5, 4)),
     [2.2, 2.0, 2.2, 2.4749999999999996, 2.25, 2.4749999999999996, 2.2, 2.0000000000000004, 2.2]),
    ("TV20-nearest", (1, 1, 3), dict(size=7), np.arange(1.0, 8.0).reshape(1, 1, 7), [6.0, 9.0, 13.0]),
    ("TV21-bicubic-aa", (1, 1, 4, 4), dict(size=(2, 3), mode="bicubic", antialias=True), np.ones((1, 1, 2, 3)),
     [0.3024844825303747, 0.3297469224283029, 0.3297469224283032, 0.3024844825303747,
      0.41517477994365154, 0.45259381509767066, 0.45259381509767105, 0.41517477994365154,
      0.4151747799436515, 0.4525938150976707, 0.45259381509767105, 0.41517477994365154,
      0.3024844825303747, 0.32974692242830295, 0.32974692242830317, 0.3024844825303747]),
    ("TV22-area", (1, 1, 5), dict(size=3, mode="area"), np.ones((1, 1, 3)),
     [0.5, 0.8333333333333333, 0.3333333333333333, 0.8333333333333333, 0.5]),
    ("TV23-bicubic-align", (1, 1, 2, 3), dict(size=(4, 5), mode="bicubic", align_corners=True), np.ones((1, 1, 4, 5)),
     [2.812499999999999, 4.374999999999998, 2.812499999999999, 2.8125, 4.375, 2.8125]),
])
def test_spec_backward_vectors(name, in_size, kw, g, want):
    got = resample.interpolate_backward(g, in_size, **kw).ravel()
    np.testing.assert_allclose(got, want, rtol=4e-15, atol=0)


def test_errors():
    g = np.ones((1, 1, 8), np.float32)
    with pytest.raises(ValueError, match=r"\(1, 1, 8\).*\(1, 1, 6\)"):
        resample.interpolate_backward(g, (1, 1, 3), size=6, mode="linear")
    with pytest.raises(TypeError, match="uint8"):
        resample.interpolate_backward(g.astype(np.uint8), (1, 1, 4), size=8)
    with pytest.raises(TypeError, match="input_size"):
        resample.interpolate_backward(g, (1, 1, 2.5), size=8)
    with pytest.raises(TypeError, match="input_size"):
        resample.interpolate_backward(g, 4, size=8)
    with pytest.raises(ValueError, match="align_corners"):
        resample.interpolate_backward(g, (1, 1, 4), size=8, align_corners=True)
    with pytest.raises(NotImplementedError, match="bilinear mode needs 4D"):
        resample.interpolate_backward(g, (1, 1, 4), size=8, mode="bilinear")


@pytest.mark.parametrize("shape, kw, resample_grad, torch_grad", [
    # nearest 1-D, 4 -> 8 with scale 2.2: the forward reads [0,0,0,1,1,2,2,3] (rule G);
    # torch's backward scatters with rule S as if it read [0,0,1,1,2,2,3,3]
    ((1, 1, 4), dict(scale_factor=2.2), [3, 2, 2, 1], [2, 2, 2, 2]),
    # bicubic, same size with a user scale: the forward interpolates, torch's backward copies
    ((1, 1, 1, 4), dict(scale_factor=(1.0, 1.2), mode="bicubic"), None, [1, 1, 1, 1]),
])
def test_where_torch_backward_is_not_its_forwards_adjoint(shape, kw, resample_grad, torch_grad):
    torch = pytest.importorskip("torch")
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    g = np.ones(resample.interpolate(x, **kw).shape)
    ours = resample.interpolate_backward(g, shape, **kw).ravel()
    if resample_grad is not None:
        np.testing.assert_array_equal(ours, resample_grad)
    xt = torch.from_numpy(x).requires_grad_()
    torch.nn.functional.interpolate(xt, **kw).backward(torch.from_numpy(g))
    np.testing.assert_array_equal(xt.grad.numpy().ravel(), torch_grad)
    # torch's forward equals ours here, so its gradient is not the forward's adjoint
    np.testing.assert_array_equal(torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy(),
                                  resample.interpolate(x, **kw))
    assert not np.allclose(ours, torch_grad)
