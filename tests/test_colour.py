"""resize's colour options (docs/guide/colour.md): alpha= (premultiplied alpha) and
gamma='srgb' (linear light), against a float64 NumPy reference of the same pipeline:
decode with IEC 61966-2-1's curve, premultiply, resize in float64, un-premultiply,
encode, round half to even. The reference's resize step applies the very per-axis plans
(taps and weights) the pipeline's float32 (float64) resize uses, in float64 NumPy
arithmetic, in the engine's order (last axis first): the plans themselves are checked
against torch elsewhere; here the colour steps and the float32 sums are."""
import numpy as np
import pytest

import resample
from resample import _colour, _engine
from resample._resize import resolve_resize

PIL = pytest.importorskip("PIL.Image")

TOPS = {np.dtype(np.uint8): 255, np.dtype(np.uint16): 65535}
MARGIN = 1e-6        # docs/guide/colour.md: the rule's band around a rounding boundary


def decode(c):
    """IEC 61966-2-1's decoding in float64, odd-symmetric below 0."""
    a = np.abs(c)
    v = np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)
    return np.copysign(v, c)


def encode(v):
    a = np.abs(v)
    c = np.where(a <= 0.0031308, a * 12.92, 1.055 * a ** (1 / 2.4) - 0.055)
    return np.copysign(c, v)


def resize64(v, size, work_dtype, axes=None, mode="bilinear", antialias=True, align_corners=None):
    """v resized in float64 through the passes (plans) resize runs for work_dtype."""
    call = resolve_resize(v.shape, size, None, axes, mode, antialias, align_corners)
    out_shape = _engine.resized_shape(v.shape, call)
    for p in _engine._forward_passes(v.shape, out_shape, call, np.dtype(work_dtype)):
        plan = p.plan
        matrix = np.zeros((p.n_out, p.n_in))
        for k in range(plan.taps.shape[1]):
            used = k < plan.counts
            np.add.at(matrix, (np.flatnonzero(used), plan.taps[used, k]),
                      plan.weights[used, k].astype(np.float64))
        v = np.moveaxis(np.tensordot(matrix, np.moveaxis(v, p.axis, 0), axes=1), 0, p.axis)
    return v


def reference(x, size, alpha, gamma, **kw):
    """(result before rounding, in [0, 1] units for integers; rounded result; the values
    whose rounding the rule compares: linear light before encoding, or the [0, 1] value)."""
    top = TOPS.get(x.dtype)
    v = x.astype(np.float64) / (top or 1)
    colour = v[..., :-1] if alpha else v
    colour = decode(colour) if gamma else colour
    if alpha:
        colour = colour * v[..., -1:]
        v = np.concatenate([colour, v[..., -1:]], axis=-1)
    else:
        v = colour
    r = resize64(v, size, np.float64 if x.dtype == np.float64 else np.float32, **kw)
    if alpha:
        a = r[..., -1:]
        if top:
            a = np.clip(a, 0, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            colour = np.where(a > 0, r[..., :-1] / a, 0.0)
        linear = np.concatenate([colour, a], axis=-1)
    else:
        linear = r
    if top:
        linear = np.clip(linear, 0, 1)
    encoded = linear.copy()
    if gamma:
        if alpha:
            encoded[..., :-1] = encode(linear[..., :-1])
        else:
            encoded = encode(linear)
    if top is None:
        return encoded, encoded.astype(x.dtype), linear
    return encoded, np.rint(encoded * top).astype(x.dtype), linear


def near_boundary(linear, x_dtype, gamma, alpha):
    """Where the reference's value (linear light for sRGB colour, else the [0, 1] value)
    lies within MARGIN of a value where the rounded code changes."""
    top = TOPS[np.dtype(x_dtype)]
    halves = (np.arange(top) + 0.5) / top
    colour_bounds, plain_bounds = (decode(halves) if gamma else halves), halves
    near = np.zeros(linear.shape, bool)
    parts = [(Ellipsis, colour_bounds)] if not alpha else [
        ((Ellipsis, slice(0, -1)), colour_bounds), ((Ellipsis, slice(-1, None)), plain_bounds)]
    for where, bounds in parts:
        values = linear[where]
        i = np.clip(np.searchsorted(bounds, values), 1, len(bounds) - 1)
        gap = np.minimum(np.abs(values - bounds[i - 1]), np.abs(values - bounds[i]))
        near[where] = gap < MARGIN
    return near


def photo(shape, dtype, rng, alpha=False):
    """Random samples of the dtype's range; alpha (the last channel) with clear, opaque and
    in-between pixels."""
    dtype = np.dtype(dtype)
    top = TOPS.get(dtype)
    if top:
        x = rng.integers(0, top + 1, shape).astype(dtype)
    else:
        x = rng.random(shape).astype(dtype)
    if alpha:
        pick = rng.random(shape[:-1])
        a = x[..., -1]
        a[pick < 0.2] = 0
        a[pick > 0.8] = top or 1
    return x


def check_against_reference(x, size, alpha, gamma, **kw):
    """Integer results: equal to the reference's rounding but where its value is within
    MARGIN of a boundary (returned: how many such samples differ, and how many are near).
    Float results: within a measured bound of the reference."""
    got = resample.resize(x, size, alpha=alpha, gamma="srgb" if gamma else None, **kw)
    encoded, rounded, linear = reference(x, size, alpha, gamma, **kw)
    assert got.dtype == x.dtype and got.shape == rounded.shape
    if x.dtype in TOPS:
        differ = got != rounded
        near = near_boundary(linear, x.dtype, gamma, alpha)
        assert not (differ & ~near).any(), (
            f"{(differ & ~near).sum()} samples differ away from a boundary: got "
            f"{got[differ & ~near][:5]}, reference {encoded[differ & ~near][:5] * TOPS[x.dtype]}")
        assert (np.abs(got.astype(np.int64) - rounded.astype(np.int64)) <= 1).all()
        return int(differ.sum()), int(near.sum())
    # floats: relative to the value, and where alpha divides, to the value / alpha (a
    # resized alpha near 0 amplifies the sums' rounding; integers clamp it away)
    tolerance = {np.float64: 1e-13, np.float32: 2e-6}[x.dtype.type]
    bound = tolerance * (1 + np.abs(encoded))
    if alpha:
        with np.errstate(divide="ignore"):
            bound[..., :-1] /= np.minimum(1, np.abs(linear[..., -1:]))
    error = np.abs(got.astype(np.float64) - encoded)
    assert (error <= bound).all(), f"worst error / bound {np.max(error / bound)}"
    return 0, 0


MODES = [dict(mode="nearest"), dict(mode="linear"), dict(mode="linear", antialias=False),
         dict(mode="cubic"), dict(mode="lanczos"), dict(mode="area")]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64])
@pytest.mark.parametrize("alpha, gamma", [(False, True), (True, False), (True, True)])
@pytest.mark.parametrize("kw", MODES, ids=lambda kw: "-".join(map(str, kw.values())))
def test_matches_float64_reference(rng, dtype, alpha, gamma, kw):
    x = photo((37, 53, 4), dtype, rng, alpha)
    for size in ((13, 21), (61, 90)):
        check_against_reference(x, size, alpha, gamma, **kw)


def test_boundary_cases_are_few(rng):
    """The samples the rule excuses (within 1e-6 of a boundary) are rare and every one
    that differs is counted; shown with -s."""
    counts = {}
    for dtype in (np.uint8, np.uint16):
        for alpha in (False, True):
            x = photo((300, 400, 4), dtype, rng, alpha)
            differ, near = check_against_reference(x, (97, 131), alpha, True, mode="lanczos")
            counts[(np.dtype(dtype).name, alpha)] = (differ, near)
            assert differ <= near and differ < x.size // 1000
    print("lanczos 300x400x4 -> 97x131, (differ, near boundary):", counts)


@pytest.mark.parametrize("kw", [dict(axes=(1, 2)), dict(axes=(0, 1, 2))])
def test_videos_and_volumes(rng, kw):
    """Any axes: a (T, H, W, C) video of RGBA frames, a volume of sRGB samples."""
    x = photo((6, 20, 24, 4), np.uint8, rng, alpha=True)
    size = (3, 9, 11) if len(kw["axes"]) == 3 else (9, 11)
    check_against_reference(x, size, True, True, mode="cubic", **kw)
    check_against_reference(x, (5, 7, 9, 4) if len(kw["axes"]) == 3 else (7, 9), False, True,
                            mode="linear", axes=tuple(range(len(size) + 1)) if len(kw["axes"]) == 3 else (1, 2))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_floats(rng, dtype):
    if dtype == "bfloat16":
        dtype = pytest.importorskip("ml_dtypes").bfloat16
    x = rng.random((20, 30, 4)).astype(dtype)
    got = resample.resize(x, (9, 13), alpha=True, gamma="srgb", mode="cubic")
    assert got.dtype == x.dtype
    wide = resample.resize(x.astype(np.float32), (9, 13), alpha=True, gamma="srgb", mode="cubic")
    # one rounding to the 16-bit float at the end, from the float32 pipeline's result
    np.testing.assert_array_equal(got.astype(np.float32), wide.astype(dtype).astype(np.float32))


@pytest.mark.parametrize("mode", ["linear", "cubic", "lanczos", "area", "nearest"])
def test_threads_and_builds_agree(monkeypatch, kernel_builds, rng, mode):
    x = photo((64, 70, 4), np.uint8, rng, alpha=True)
    y = photo((64, 70, 3), np.float32, rng)
    runs = [lambda t: resample.resize(x, (23, 41), alpha=True, gamma="srgb", mode=mode, num_threads=t),
            lambda t: resample.resize(y, (23, 41), gamma="srgb", mode=mode, num_threads=t)]
    for run in runs:
        one = run(1)
        for threads in (2, 3, 7):
            np.testing.assert_array_equal(run(threads), one)
        for module in kernel_builds:
            monkeypatch.setattr(_engine, "_kernels", module)
            monkeypatch.setattr(_colour, "_kernels", module)
            np.testing.assert_array_equal(run(3), one)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_round_trip_is_identity(dtype):
    """Same size: decode then encode gives every code back (8-bit: all 256; 16-bit: all
    65536), with alpha too wherever alpha is not 0."""
    top = TOPS[np.dtype(dtype)]
    codes = np.arange(top + 1, dtype=dtype)
    x = codes.reshape(-1, 256)
    np.testing.assert_array_equal(resample.resize(x, x.shape, gamma="srgb"), x)
    rgba = np.stack([codes, codes[::-1], codes, np.maximum(codes, 1)], axis=-1).reshape(-1, 256, 4)
    np.testing.assert_array_equal(resample.resize(rgba, rgba.shape[:2], gamma="srgb", alpha=True), rgba)


def test_checkerboard_is_half_light():
    board = ((np.indices((512, 512)).sum(0) % 2) * 255).astype(np.uint8)
    for mode in ("linear", "cubic", "lanczos", "area"):
        linear = resample.resize(board, (32, 32), gamma="srgb", mode=mode)
        assert set(np.unique(linear)) <= {187, 188}, mode
        assert set(np.unique(resample.resize(board, (32, 32), mode=mode))) <= {127, 128}


def _edge_image():
    a = np.zeros((64, 64, 4), np.uint8)
    a[:, :32] = (255, 0, 0, 0)
    a[:, 32:] = (0, 255, 0, 255)
    return a


@pytest.mark.parametrize("gamma", [None, "srgb"])
def test_transparent_colour_does_not_bleed(gamma):
    """The issue's test: every visible pixel is pure green, as Pillow's own resize gives,
    for a PIL image by default and for an array with alpha=True; transparent pixels are
    (0, 0, 0, 0)."""
    a = _edge_image()
    image = PIL.fromarray(a, "RGBA")
    for got in (np.asarray(resample.resize(image, (16, 16), mode="bilinear", gamma=gamma)),
                resample.resize(a, (16, 16), mode="bilinear", alpha=True, gamma=gamma)):
        visible = got[..., 3] > 0
        assert visible[:, 7].all() and not visible[:, 6].any()     # the edge column shows
        assert (got[visible][:, :3] == (0, 255, 0)).all()
        assert (got[~visible] == 0).all()
    pillow = np.asarray(image.resize((16, 16), PIL.Resampling.BILINEAR))
    np.testing.assert_array_equal(np.asarray(resample.resize(image, (16, 16), mode="bilinear"))[..., :3],
                                  pillow[..., :3])
    # alpha=False keeps the old channel-by-channel result: the red fringe
    fringe = np.asarray(resample.resize(image, (16, 16), mode="bilinear", alpha=False))
    assert fringe[0, 7, 0] > 200


def test_pil_modes(rng):
    """LA and PA are straight alpha too (PA read as RGBA); RGBa and La are already
    premultiplied and resized as they are; RGB is not touched by alpha."""
    a = _edge_image()
    la = PIL.fromarray(a[..., [1, 3]], "LA")
    got = np.asarray(resample.resize(la, (16, 16)))
    assert (got[got[..., 1] > 0][:, 0] == 255).all()
    pa = PIL.fromarray(a, "RGBA").convert("PA")
    assert np.asarray(resample.resize(pa, (16, 16))).shape == (16, 16, 4)
    rgba = PIL.fromarray(photo((20, 30, 4), np.uint8, rng, alpha=True), "RGBA")
    premultiplied = rgba.convert("RGBa")
    plain = np.asarray(resample.resize(premultiplied, (13, 9), alpha=False))
    np.testing.assert_array_equal(np.asarray(resample.resize(premultiplied, (13, 9))), plain)
    with pytest.raises(ValueError, match="already premultiplied.*convert"):
        resample.resize(premultiplied, (13, 9), gamma="srgb")
    rgb = PIL.fromarray(photo((20, 30, 3), np.uint8, rng))
    np.testing.assert_array_equal(np.asarray(resample.resize(rgb, (13, 9))),
                                  resample.resize(np.asarray(rgb), (9, 13)))
    with pytest.raises(ValueError, match="mode RGB has no alpha band"):
        resample.resize(rgb, (13, 9), alpha=True)
    with pytest.raises(ValueError, match="CMYK"):
        resample.resize(rgb.convert("CMYK"), (13, 9), gamma="srgb")


def test_default_is_unchanged(rng):
    """gamma=None and alpha=None (False for arrays) keep today's results, and a repeated
    call with the options is not served the plain call's program."""
    x = photo((30, 40, 4), np.uint8, rng, alpha=True)
    plain = resample.resize(x, (11, 17))
    assert np.array_equal(resample.resize(x, (11, 17), alpha=False, gamma=None), plain)
    first = resample.resize(x, (11, 17), alpha=True, gamma="srgb")
    assert not np.array_equal(first, plain)
    np.testing.assert_array_equal(resample.resize(x, (11, 17), alpha=True, gamma="srgb"), first)
    np.testing.assert_array_equal(resample.resize(x, (11, 17)), plain)


def test_out_argument(rng):
    x = photo((30, 40, 4), np.uint16, rng, alpha=True)
    out = np.empty((11, 17, 4), np.uint16)
    assert resample.resize(x, (11, 17), alpha=True, gamma="srgb", out=out) is out
    np.testing.assert_array_equal(out, resample.resize(x, (11, 17), alpha=True, gamma="srgb"))


@pytest.mark.parametrize("kw, error, match", [
    (dict(gamma="linear"), ValueError, "gamma must be None .* or 'srgb'"),
    (dict(gamma=2.2), ValueError, "gamma must be"),
    (dict(alpha="yes"), TypeError, "alpha"),
    (dict(alpha=True, axes=(0, 2)), ValueError, "last axis .* cannot be resized"),
])
def test_bad_arguments(rng, kw, error, match):
    x = photo((10, 12, 4), np.uint8, rng)
    with pytest.raises(error, match=match):
        resample.resize(x, (5, 6), **kw)


def test_bad_inputs(rng):
    with pytest.raises(TypeError, match="int16"):
        resample.resize(np.zeros((10, 12, 3), np.int16), (5, 6), gamma="srgb")
    with pytest.raises(ValueError, match="alpha=True means the last axis holds"):
        resample.resize(np.zeros((10, 12), np.uint8), (5, 6), alpha=True)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
@pytest.mark.parametrize("mode", ["nearest", "linear", "cubic", "lanczos", "area"])
def test_bands_equal_one_piece(monkeypatch, rng, dtype, mode):
    """Images are done in bands of output rows (resize_block's slabs): any band height
    gives the one-piece result, bit for bit."""
    x = photo((90, 70, 4), dtype, rng, alpha=True)
    monkeypatch.setattr(_colour, "_BAND_BYTES", 1 << 40)
    whole = [resample.resize(x, size, alpha=True, gamma="srgb", mode=mode) for size in ((31, 23), (150, 41))]
    for band in (1, 5000, 20000):
        monkeypatch.setattr(_colour, "_BAND_BYTES", band)
        for size, expected in zip(((31, 23), (150, 41)), whole):
            np.testing.assert_array_equal(resample.resize(x, size, alpha=True, gamma="srgb",
                                                          mode=mode), expected)


def test_frames_in_slabs_equal_one_piece(monkeypatch, rng):
    """A video (T, H, W, C) resized on (1, 2) is done a few frames at a time."""
    x = photo((7, 20, 24, 4), np.uint8, rng, alpha=True)
    monkeypatch.setattr(_colour, "_BAND_BYTES", 1 << 40)
    whole = resample.resize(x, (9, 13), axes=(1, 2), alpha=True, gamma="srgb", mode="cubic")
    for band in (1, 20 * 24 * 4 * 4 * 3):
        monkeypatch.setattr(_colour, "_BAND_BYTES", band)
        np.testing.assert_array_equal(
            resample.resize(x, (9, 13), axes=(1, 2), alpha=True, gamma="srgb", mode="cubic"), whole)


@pytest.mark.parametrize("dtype, alpha", [("uint8", True), ("uint8", False), ("uint16", False)])
@pytest.mark.parametrize("gamma", [False, True])
def test_lookup_tables_are_the_computation(rng, dtype, alpha, gamma):
    """Integers look their working values up (uint8 with alpha: every (alpha, code)
    product); the tables hold what the kernel computes without them."""
    from resample._runtime import kernels
    x = photo((200, 300, 4), dtype, rng, alpha=True).reshape(-1)
    looked_up, computed = np.empty(x.size, np.float32), np.empty(x.size, np.float32)
    table = _colour._decode_table(dtype, gamma)
    channels = 4 if alpha else 1
    kernels.decode_colour(x, looked_up, channels, alpha, gamma, table,
                          _colour._pairs(dtype, alpha, gamma, "float32"), 1)
    kernels.decode_colour(x, computed, channels, alpha, gamma, table, np.zeros(0, np.float32), 1)
    np.testing.assert_array_equal(looked_up, computed)


def test_pil_images_in_linear_light(rng):
    """A PIL image with gamma='srgb' is its array's resize (16-bit modes as uint16, LA
    with alpha), in the image's own mode."""
    wide = photo((20, 30), np.uint16, rng)
    image = PIL.frombytes("I;16", (30, 20), wide.astype("<u2").tobytes())
    got = resample.resize(image, (13, 9), gamma="srgb", mode="cubic")
    assert got.mode == "I;16"
    np.testing.assert_array_equal(np.asarray(got),
                                  resample.resize(wide, (9, 13), gamma="srgb", mode="cubic"))
    la = photo((20, 30, 2), np.uint8, rng, alpha=True)
    got = resample.resize(PIL.fromarray(la, "LA"), (13, 9), gamma="srgb")
    np.testing.assert_array_equal(np.asarray(got), resample.resize(la, (9, 13), gamma="srgb", alpha=True))


def test_tensors(rng):
    torch = pytest.importorskip("torch")
    x = photo((20, 30, 4), np.uint8, rng, alpha=True)
    got = resample.resize(torch.from_numpy(x), (9, 13), alpha=True, gamma="srgb")
    assert isinstance(got, torch.Tensor)
    np.testing.assert_array_equal(got.numpy(), resample.resize(x, (9, 13), alpha=True, gamma="srgb"))


def test_benchmark_script_runs(tmp_path):
    """benchmarks/colour.py renders its section (no timing is checked: the machine may be
    busy); with pyvips its agreement table holds vips's lanczos3 within 1 level."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "colour.py"
    if not script.exists():
        pytest.skip("benchmarks/ is not next to tests/")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(resample.__file__).parents[1]),
                                                        os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(script), "--repeats", "1", "--count", "0"],
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "<!-- colour: begin -->" in done.stdout and "`lanczos srgb`" in done.stdout
    if "pyvips not installed" not in done.stdout:
        row = next(line for line in done.stdout.splitlines() if "kernel='lanczos3', gap=0" in line)
        cells = [c.strip() for c in row.strip(" |").split("|")]
        assert cells[1] == "100.00%" and int(cells[3]) <= 1, row


@pytest.mark.parametrize("channels", [4, 2])
def test_uint8_premultiply_is_the_double_product(kernel_builds, channels):
    """uint8 with alpha, no curve, in float32: the kernel's float32(c * a) / 65025 is, for
    every (alpha, code) pair, the double (c / 255) * (a / 255) rounded to float32 (what the
    other paths compute), on both builds; the alpha channel is a / 255 rounded."""
    codes = np.arange(256, dtype=np.uint8)
    pixels = np.zeros((256, 256, channels), np.uint8)
    pixels[..., :-1] = codes[None, :, None]
    pixels[..., -1] = codes[:, None]                       # row: alpha, column: code
    expected = np.empty(pixels.shape, np.float32)
    expected[..., :-1] = ((codes[None, :, None] / 255.0) * (codes[:, None, None] / 255.0))
    expected[..., -1] = codes[:, None] / 255.0
    for module in kernel_builds:
        got = np.empty(pixels.size, np.float32)
        module.decode_colour(pixels.reshape(-1), got, channels, True, False,
                             _colour._decode_table("uint8", False), np.zeros(0, np.float32), 1)
        np.testing.assert_array_equal(got.reshape(pixels.shape), expected)
