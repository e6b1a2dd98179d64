"""bfloat16 (ml_dtypes.bfloat16): torch 2.13's portable CPU kernels bit for bit where they
exist (docs §3.9), and one rule elsewhere: compute in float32, round once to nearest even.

Random differential tests: each draws shapes, scales and flags from a seeded generator,
so a case is reproducible from its id."""
import sys

import numpy as np
import pytest

import resample
from oracle import ulp_distance

ml_dtypes = pytest.importorskip("ml_dtypes")
BF16 = np.dtype(ml_dtypes.bfloat16)

try:
    import torch
    import torch.nn.functional as F
except ImportError:      # the rule tests run without torch
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is the oracle")


def bits(a):
    return np.ascontiguousarray(a).view(np.uint16)


def assert_same_bits(got, want):
    assert got.dtype == want.dtype == BF16 and got.shape == want.shape
    diff = bits(got) != bits(want)
    assert not diff.any(), (f"{diff.sum()} of {diff.size} differ, up to "
                            f"{ulp_distance(got.astype(np.float32), want.astype(np.float32))} "
                            "float32 ulp")


def assert_within_one_rounding(got, want, magnitude):
    """|got - want| within one bfloat16 ulp of the value, or float32's rounding of sums of
    terms up to `magnitude` (where terms cancel, two summation orders differ by that)."""
    g, w = got.astype(np.float64), want.astype(np.float64)
    ulp = np.spacing(np.abs(w).astype(np.float32)).astype(np.float64) * 2.0**16
    bound = np.maximum(ulp, 64 * 2.0**-24 * magnitude)
    assert (np.abs(g - w) <= bound).all(), f"max |diff| {np.abs(g - w).max()}"


def same_values(got, want):
    """Equal values, -0 == +0 (torch's scatter starts each sum from +0; resample's gather
    from its first term, which may be -0)."""
    g, w = got.astype(np.float32), want.astype(np.float32)
    return np.array_equal(g, w) and got.dtype == want.dtype


def round_once(values):
    """The stated rule's last step: float32 -> bfloat16, nearest even (ml_dtypes' cast)."""
    assert values.dtype == np.float32
    return values.astype(BF16)


def random_bf16(rng, shape, channels_last=False):
    """Values in [-2, 2) at bfloat16's precision, C order or channels-last memory."""
    memory = (shape[0], *shape[2:], shape[1]) if channels_last else shape
    x = (rng.random(memory, np.float32) * 4 - 2).astype(BF16)
    return x.transpose(0, x.ndim - 1, *range(1, x.ndim - 1)) if channels_last else x


def to_tensor(a):
    t = torch.from_numpy(np.ascontiguousarray(a).view(np.int16)).view(torch.bfloat16)
    if a.ndim in (4, 5) and not a.flags.c_contiguous:
        t = t.contiguous(memory_format=torch.channels_last if a.ndim == 4 else torch.channels_last_3d)
    return t


def to_array(t):
    return t.contiguous().view(torch.int16).numpy().view(BF16)


# ----------------------------------------------------------------------------- conversions

def test_conversion_kernels_match_ml_dtypes():
    """widen: every bfloat16 exactly; narrow: nearest even, ties, overflow, subnormals."""
    from resample import _kernels
    words = np.arange(2**16, dtype=np.uint32).astype(np.uint16)
    wide = np.empty(words.size, np.float32)
    _kernels.widen_half(words, wide, 2, True)
    np.testing.assert_array_equal(wide.view(np.uint32), words.view(BF16).astype(np.float32).view(np.uint32))
    rng = np.random.default_rng(11)
    ties = (words.astype(np.uint32) << 16) | 0x8000                  # exactly halfway
    samples = np.concatenate([
        rng.integers(0, 2**32, 1_000_000, dtype=np.uint64).astype(np.uint32),
        words.astype(np.uint32) << 16, ties, ties + 1, ties - 1,
        np.float32([3.3895e38, 3.39e38, 3.4e38, 1e-40, -1e-45]).view(np.uint32),
    ]).view(np.float32)
    narrow = np.empty(samples.size, np.uint16)
    _kernels.narrow_half(samples, narrow, 2, True)
    with np.errstate(over="ignore", invalid="ignore"):
        want = samples.astype(BF16)
    nan = np.isnan(samples)
    np.testing.assert_array_equal(narrow[~nan], want[~nan].view(np.uint16))
    assert np.isnan(narrow[nan].view(BF16).astype(np.float32)).all()


# ----------------------------------------------------------------------------- forward vs torch

MODES = {1: ["nearest", "nearest-exact", "linear", "area"],          # by spatial rank
         2: ["nearest", "nearest-exact", "bilinear", "bicubic", "area"],
         3: ["nearest", "nearest-exact", "trilinear", "area"]}
ALIGNABLE = {"linear", "bilinear", "bicubic", "trilinear"}


def draw_call(rng, rank, mode):
    """Random torch arguments: a size or a scale (with recompute), align_corners."""
    kw = dict(mode=mode)
    if mode in ALIGNABLE:
        kw["align_corners"] = bool(rng.integers(2))
    if rng.integers(2):
        kw["size"] = [int(rng.integers(1, 40)) for _ in range(rank)]
    else:
        kw["scale_factor"] = [float(rng.choice([0.5, 2.0, 1.0, 3.0])) if rng.integers(2)
                              else round(float(rng.uniform(0.3, 3.2)), 3) for _ in range(rank)]
        if rng.integers(2):
            kw["recompute_scale_factor"] = True
    return kw


def draw_shape(rng, rank):
    channels = int(rng.choice([1, 3, 4, 7]))
    spatial = {1: (5, 60), 2: (3, 30), 3: (2, 11)}[rank]
    return (int(rng.integers(1, 3)), channels, *(int(rng.integers(*spatial)) for _ in range(rank)))


def forward_cases(count=60):
    for rank, modes in MODES.items():
        for mode in modes:
            for k in range(count // len(modes)):
                yield pytest.param(rank, mode, k, id=f"{rank}d-{mode}-{k}")


def uses_torch_channels_last_kernel(x, kw, out_shape):
    """docs §3.3: where torch's channels-last bilinear/trilinear kernel runs."""
    if kw["mode"] not in ("bilinear", "trilinear"):
        return False
    channels_last = not x.flags.c_contiguous and x.shape[1] > 3
    return channels_last or (kw["mode"] == "bilinear" and sum(out_shape[2:]) <= 128)


def generic_torch(x, **kw):
    """torch's result on its generic kernel: 2-D bilinear/nearest lifted to 3-D with a depth
    of 1 (tests/oracle.py), contiguous input (torch's generic kernel ignores the layout)."""
    x = np.ascontiguousarray(x)
    lift = {"bilinear": "trilinear", "nearest": "nearest", "nearest-exact": "nearest-exact"}
    if x.ndim != 4 or kw["mode"] not in lift:
        return to_array(F.interpolate(to_tensor(x), **kw))
    kw = dict(kw, mode=lift[kw["mode"]])
    if "size" in kw:
        kw["size"] = [1, *kw["size"]]
    else:
        kw["scale_factor"] = [1.0, *kw["scale_factor"]]
    return to_array(F.interpolate(to_tensor(x[:, :, None]), **kw))[:, :, 0]


@needs_torch
@pytest.mark.parametrize("rank, mode, k", list(forward_cases()))
def test_forward_matches_torch(rank, mode, k):
    """Bit for bit torch's bfloat16 kernel, or where docs §3.9 says otherwise, its rule
    (channels-last kernel: float32 weights, rounded once; 3-D area: float32 sum)."""
    rng = np.random.default_rng([rank, MODES[rank].index(mode), k])
    shape = draw_shape(rng, rank)
    x = random_bf16(rng, shape, channels_last=rank > 1 and bool(rng.integers(2)))
    kw = draw_call(rng, rank, mode)
    got = resample.interpolate(x, **kw)
    assert got.flags.c_contiguous == x.flags.c_contiguous
    if mode == "area" and x.ndim == 5:
        # torch sums 3-D area windows in bfloat16; resample in float32, rounded once
        assert_same_bits(got, round_once(resample.interpolate(x.astype(np.float32), **kw)))
        return
    if uses_torch_channels_last_kernel(x, kw, got.shape):
        # float32 weights, computed in float32 and rounded once ...
        assert_same_bits(got, round_once(resample.interpolate(x.astype(np.float32), **kw)))
        # ... which is torch's kernel but for its order of the corner sums: rarely 1 ulp
        want = to_array(F.interpolate(to_tensor(x), **kw))
        assert_within_one_rounding(got, want, 4 * 2.0)
        return
    assert_same_bits(got, generic_torch(x, **kw))


@needs_torch
def test_forward_matches_torch_directly_on_its_generic_kernel():
    """Without the lift: 2-D bilinear outputs larger than out_h + out_w = 128, contiguous."""
    rng = np.random.default_rng(5)
    for size in ([70, 90], [130, 2], [65, 64]):
        x = random_bf16(rng, (1, 2, 40, 50))
        for align in (False, True):
            kw = dict(size=size, mode="bilinear", align_corners=align)
            assert_same_bits(resample.interpolate(x, **kw), to_array(F.interpolate(to_tensor(x), **kw)))


def test_weights_are_bfloat16_where_torch_keeps_them_so():
    """The generic kernels' linear and cubic weights are bfloat16: the result is not the
    float32 one rounded once (so the rule above is really tested)."""
    rng = np.random.default_rng(6)
    x = random_bf16(rng, (1, 2, 50, 60))
    for mode in ("bilinear", "bicubic"):
        kw = dict(size=(97, 101), mode=mode, align_corners=False)
        once = round_once(resample.interpolate(x.astype(np.float32), **kw))
        assert (bits(resample.interpolate(x, **kw)) != bits(once)).mean() > 0.05


# ----------------------------------------------------------------------------- beyond torch

def aa_cases():
    for mode in ("bilinear", "bicubic", "lanczos"):
        for k in range(4):
            yield pytest.param(mode, k, id=f"{mode}-aa-{k}")


@pytest.mark.parametrize("mode, k", list(aa_cases()))
def test_antialias_forward_and_backward_round_once(mode, k):
    """torch has no bfloat16 antialias; resample: float32 (plans and sums), rounded once."""
    rng = np.random.default_rng([7, k, len(mode)])
    x = random_bf16(rng, draw_shape(rng, 2), channels_last=bool(rng.integers(2)))
    kw = dict(size=[int(rng.integers(1, 25)), int(rng.integers(1, 25))], mode=mode,
              antialias=True, align_corners=None if mode == "lanczos" else bool(rng.integers(2)))
    y = resample.interpolate(x, **kw)
    assert_same_bits(y, round_once(resample.interpolate(x.astype(np.float32), **kw)))
    g = random_bf16(rng, y.shape)
    gx = resample.interpolate_backward(g, x.shape, **kw)
    assert_same_bits(gx, round_once(resample.interpolate_backward(g.astype(np.float32), x.shape, **kw)))


@needs_torch
def test_torch_refuses_antialias_in_bfloat16():
    """The reason the rule above is resample's own (torch 2.13)."""
    with pytest.raises(RuntimeError, match="BFloat16"):
        F.interpolate(torch.zeros(1, 1, 8, 8, dtype=torch.bfloat16), size=4, mode="bilinear",
                      antialias=True)


RESIZE_MODES = ["nearest", "nearest-exact", "linear", "cubic", "lanczos", "area"]


@pytest.mark.parametrize("mode", RESIZE_MODES)
@pytest.mark.parametrize("k", range(3))
def test_resize_any_axes_round_once(mode, k):
    rng = np.random.default_rng([8, k, RESIZE_MODES.index(mode)])
    rank = int(rng.integers(1, 5))
    shape = tuple(int(rng.integers(2, 12)) for _ in range(rank))
    x = (rng.random(shape, np.float32) * 4 - 2).astype(BF16)
    axes = tuple(sorted(rng.choice(rank, int(rng.integers(1, rank + 1)), replace=False).tolist()))
    size = tuple(int(rng.integers(1, 16)) for _ in axes)
    kw = dict(axes=axes, mode=mode, antialias=mode == "lanczos" or bool(rng.integers(2)))
    y = resample.resize(x, size, **kw)
    assert_same_bits(y, round_once(resample.resize(x.astype(np.float32), size, **kw)))
    g = (rng.random(y.shape, np.float32) - 0.5).astype(BF16)
    gx = resample.resize_backward(g, x.shape, size, **kw)
    assert_same_bits(gx, round_once(resample.resize_backward(g.astype(np.float32), x.shape, size, **kw)))


# ----------------------------------------------------------------------------- backward

def backward_cases(count=36):
    for rank, modes in MODES.items():
        for mode in modes:
            for k in range(count // len(modes)):
                yield pytest.param(rank, mode, k, id=f"{rank}d-{mode}-{k}")


def torch_backward(g, x_shape, channels_last, **kw):
    x = torch.zeros(x_shape, dtype=torch.bfloat16)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last if len(x_shape) == 4 else torch.channels_last_3d)
    x.requires_grad_()
    F.interpolate(x, **kw).backward(to_tensor(g))
    return to_array(x.grad)


@needs_torch
@pytest.mark.parametrize("rank, mode, k", list(backward_cases()))
def test_backward(rank, mode, k):
    """float32's backward (float32 weights, as torch's bfloat16 backward has), rounded once:
    torch bit for bit in 1-D; elsewhere torch sums cross-axis products in another order
    (docs §4.8), which moves a few results by 1 ulp; area: torch computes in bfloat16."""
    rng = np.random.default_rng([9, rank, MODES[rank].index(mode), k])
    shape = draw_shape(rng, rank)
    kw = draw_call(rng, rank, mode)
    if mode in ("nearest", "nearest-exact") and "scale_factor" in kw:
        kw["recompute_scale_factor"] = True   # torch's backward uses another index rule (§4.1)
    if mode == "bicubic" and "scale_factor" in kw:
        kw["recompute_scale_factor"] = True   # torch copies unchanged axes (§4.4)
    out_shape = resample.interpolate(np.zeros(shape, np.float32), **kw).shape
    channels_last = rank > 1 and bool(rng.integers(2))
    g = random_bf16(rng, out_shape, channels_last=channels_last)
    gx = resample.interpolate_backward(g, shape, **kw)
    assert gx.flags.c_contiguous == g.flags.c_contiguous
    assert_same_bits(gx, round_once(resample.interpolate_backward(g.astype(np.float32), shape, **kw)))
    want = torch_backward(g, shape, channels_last, **kw)
    if mode == "area":
        magnitude = np.abs(resample.interpolate_backward(np.abs(g).astype(np.float64), shape, **kw)).max()
        np.testing.assert_allclose(gx.astype(np.float32), want.astype(np.float32), rtol=0,
                                   atol=4 * 2.0**-8 * magnitude)
    elif rank == 1 and mode == "linear" or mode in ("nearest", "nearest-exact"):
        assert same_values(gx, want)
    else:
        magnitude = np.abs(resample.interpolate_backward(np.abs(g).astype(np.float64), shape, **kw)).max()
        assert_within_one_rounding(gx, want, magnitude)


# ----------------------------------------------------------------------------- threads, bridge

def test_thread_count_does_not_change_bits():
    rng = np.random.default_rng(10)
    x = random_bf16(rng, (2, 4, 150, 170), channels_last=True)
    for kw in (dict(scale_factor=0.37, mode="bicubic", align_corners=False),
               dict(size=(300, 41), mode="bilinear", antialias=True)):
        one = resample.interpolate(x, **kw, num_threads=1)
        for threads in (2, 5):
            assert_same_bits(resample.interpolate(x, **kw, num_threads=threads), one)
        g = random_bf16(rng, one.shape)
        back = resample.interpolate_backward(g, x.shape, **kw, num_threads=1)
        assert_same_bits(resample.interpolate_backward(g, x.shape, **kw, num_threads=3), back)


@needs_torch
def test_torch_bridge_forward_backward_and_layout():
    import resample.torch as rt
    rng = np.random.default_rng(12)
    x = to_tensor(random_bf16(rng, (1, 5, 20, 30), channels_last=True))
    kw = dict(size=(64, 72), mode="bicubic", align_corners=False)
    y = rt.interpolate(x, **kw)
    assert y.dtype == torch.bfloat16 and y.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(y.view(torch.int16), F.interpolate(x, **kw).view(torch.int16))
    plain = resample.interpolate(x, **kw)          # the tensor path of interpolate
    assert isinstance(plain, torch.Tensor) and torch.equal(plain.view(torch.int16), y.view(torch.int16))
    leaf = x.clone().requires_grad_()
    rt.interpolate(leaf, **kw).float().square().sum().backward()
    assert leaf.grad.dtype == torch.bfloat16 and leaf.grad.shape == x.shape
    resized = resample.resize(x[0].permute(1, 2, 0), (10, 15), axes=(0, 1))   # (H, W, C) tensor
    assert resized.dtype == torch.bfloat16 and tuple(resized.shape) == (10, 15, 5)


@needs_torch
def test_without_ml_dtypes_a_bfloat16_tensor_names_the_extra(monkeypatch):
    import resample.torch as rt
    monkeypatch.setitem(sys.modules, "ml_dtypes", None)      # import ml_dtypes fails
    x = torch.zeros(1, 1, 4, 4, dtype=torch.bfloat16)
    for call in (lambda: rt.interpolate(x, size=2), lambda: resample.interpolate(x, size=2),
                 lambda: resample.resize(x[0, 0], (2, 2))):
        with pytest.raises(TypeError, match=r"ml_dtypes.*resample-interp\[bf16\]"):
            call()
    assert rt.interpolate(x.float(), size=2).dtype == torch.float32     # the rest still works


def test_large_outputs_from_the_recycled_pool_are_bfloat16():
    """Outputs of 32 MiB and more are views of recycled blocks (_arrays.new_output)."""
    x = np.ones((1, 1, 2048, 2048), BF16)
    for _ in range(2):                       # a fresh block, then a recycled one
        y = resample.interpolate(x, scale_factor=2.0, mode="nearest")
        assert y.dtype == BF16 and y.nbytes >= 32 << 20 and float(y[0, 0, -1, -1]) == 1.0
        del y


def test_uint8_only_paths_name_bfloat16():
    from resample.compat import cv2_resize, pil_resize, torchvision_resize
    image = np.zeros((8, 8, 3), BF16)
    for call in (lambda: pil_resize(image, (4, 4)), lambda: cv2_resize(image, (4, 4)),
                 lambda: torchvision_resize(image.transpose(2, 0, 1), [4, 4])):
        with pytest.raises((TypeError, ValueError), match="bfloat16"):
            call()
    with pytest.raises(TypeError, match="bfloat16"):
        resample.interpolate_backward(np.zeros((1, 1, 2), np.uint8), (1, 1, 4), size=2)
