"""resample.torch (issue #15): torch's signature on CPU tensors, the same bits as
resample.interpolate, gradients through the exact adjoint (gradcheck in float64), and a
torch.compile trace through the custom ops' fake implementations."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import resample  # noqa: E402
import resample.torch as rt  # noqa: E402

CASES = [
    ((2, 3, 9, 11), dict(size=(5, 17), mode="bilinear")),
    ((2, 3, 9, 11), dict(size=(4, 5), mode="bicubic", antialias=True)),
    ((1, 2, 13), dict(scale_factor=2.5, mode="linear", align_corners=True)),
    ((1, 2, 5, 6, 7), dict(size=3, mode="trilinear")),
    ((2, 3, 9, 11), dict(size=(4, 5), mode="area")),
    ((2, 3, 9, 11), dict(scale_factor=1.7, mode="nearest-exact")),
    ((1, 3, 16, 12), dict(size=(5, 7), mode="lanczos", antialias=True)),
]


@pytest.mark.parametrize("shape, kw", CASES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_bits_as_resample(shape, kw, dtype):
    x = torch.rand(shape, dtype=dtype)
    got = rt.interpolate(x, **kw)
    assert isinstance(got, torch.Tensor) and got.dtype == dtype
    np.testing.assert_array_equal(got.numpy(), resample.interpolate(x.numpy(), **kw))


def test_channels_last_in_place_and_uint8():
    x = torch.randint(0, 256, (2, 3, 20, 30), dtype=torch.uint8).contiguous(memory_format=torch.channels_last)
    got = rt.interpolate(x, size=(9, 13), mode="bilinear", antialias=True)
    assert got.is_contiguous(memory_format=torch.channels_last)
    np.testing.assert_array_equal(got.numpy(), resample.interpolate(x.numpy(), size=(9, 13),
                                                                   mode="bilinear", antialias=True))


@pytest.mark.parametrize("shape, kw", CASES)
def test_gradcheck(shape, kw):
    x = torch.rand(shape, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: rt.interpolate(t, **kw), (x,), eps=1e-6, atol=1e-8)


def test_gradient_is_resample_backward():
    x = torch.rand(2, 3, 9, 11, dtype=torch.float64, requires_grad=True)
    g = torch.rand(2, 3, 5, 17, dtype=torch.float64)
    rt.interpolate(x, size=(5, 17), mode="bicubic").backward(g)
    np.testing.assert_array_equal(x.grad.numpy(), resample.interpolate_backward(
        g.numpy(), x.shape, size=(5, 17), mode="bicubic"))


def test_torch_compile_traces_the_custom_op():
    def f(t):
        return rt.interpolate(t * 2, size=(6, 7), mode="bilinear", antialias=True).sum()

    x = torch.rand(1, 3, 12, 14, dtype=torch.float64, requires_grad=True)
    compiled = torch.compile(f, backend="aot_eager", fullgraph=True)
    value = compiled(x)
    value.backward()
    assert torch.allclose(value, f(x.detach()))
    assert x.grad.shape == x.shape


def test_errors():
    with pytest.raises(TypeError, match="torch.Tensor"):
        rt.interpolate(np.zeros((1, 1, 4)), size=2)
    with pytest.raises(ValueError, match="align_corners"):
        rt.interpolate(torch.zeros(1, 1, 4), size=2, align_corners=True)
    with pytest.raises(TypeError, match="float8_e5m2"):
        rt.interpolate(torch.zeros(1, 1, 4, dtype=torch.float8_e5m2), size=2)
    with pytest.raises(ValueError, match="same number of spatial dimensions"):
        rt.interpolate(torch.zeros(1, 1, 4, 4), size=[2])


class _DLPackOnly:
    """An object that only exports DLPack (as JAX arrays and others do)."""

    def __init__(self, array, device=1):
        self.array, self.device = array, device

    def __dlpack__(self, **kwargs):
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return (self.device, 0)


def test_dlpack_inputs_are_read_in_place():
    x = torch.rand(2, 3, 10, 12).contiguous(memory_format=torch.channels_last)
    got = resample.interpolate(x, size=(5, 6), mode="bilinear")     # a tensor for a tensor
    assert isinstance(got, torch.Tensor)
    got = got.numpy()
    assert got.strides == resample.interpolate(x.numpy(), size=(5, 6), mode="bilinear").strides
    np.testing.assert_array_equal(got, resample.interpolate(x.numpy(), size=(5, 6), mode="bilinear"))
    array = np.random.default_rng(0).random((1, 2, 7, 9))
    np.testing.assert_array_equal(resample.interpolate(_DLPackOnly(array), size=3, mode="bicubic"),
                                  resample.interpolate(array, size=3, mode="bicubic"))
    assert np.shares_memory(np.from_dlpack(_DLPackOnly(array)), array)


def test_dlpack_refusals_name_the_problem():
    with pytest.raises(TypeError, match="CUDA"):
        resample.interpolate(_DLPackOnly(np.zeros((1, 1, 4)), device=2), size=2)
    with pytest.raises(TypeError, match="detach"):
        resample.interpolate(torch.zeros(1, 1, 4, requires_grad=True), size=2)
