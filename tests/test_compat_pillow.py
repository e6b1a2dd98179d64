"""resample.compat.pil_resize against the installed Pillow, bit for bit: every filter, every
mode, shrinking and enlarging, source boxes, reducing_gap, threads, and Pillow's errors."""
import numpy as np
import pytest

from resample.compat import PIL_FILTERS, pil_resize

Image = pytest.importorskip("PIL.Image")

MODES = ["L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "La", "RGBa", "P", "1",
         "I;16", "I", "F"]
FILTERS = list(PIL_FILTERS)


def random_image(rng, mode, height, width):
    """An array for mode and the Pillow image holding the same pixels."""
    if mode == "1":
        a = rng.random((height, width)) > 0.5
        return a, Image.fromarray(a)
    if mode == "I;16":
        a = rng.integers(0, 65536, (height, width), dtype=np.uint16)
    elif mode == "I":
        a = rng.integers(-2**24, 2**24, (height, width), dtype=np.int32)
    elif mode == "F":
        a = (rng.standard_normal((height, width)) * 100).astype(np.float32)
    else:
        bands = Image.getmodebands(mode)
        shape = (height, width) if bands == 1 else (height, width, bands)
        a = rng.integers(0, 256, shape, dtype=np.uint8)
        if mode in ("LA", "RGBA", "La", "RGBa"):
            a[..., -1] = rng.choice([0, 1, 128, 254, 255], (height, width))   # alpha edge cases
        return a, Image.frombytes(mode, (width, height), a.tobytes())
    return a, Image.fromarray(a)


def pillow(img, *args):
    return np.asarray(img.resize(*args))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("resample", FILTERS)
def test_every_mode_and_filter(mode, resample):
    rng = np.random.default_rng(abs(hash((mode, resample))) % 2**32)
    for (h, w), (ow, oh) in [((37, 53), (20, 11)), ((13, 9), (31, 40)), ((40, 7), (7, 40)),
                             ((1, 30), (4, 1)), ((50, 50), (50, 17))]:
        a, img = random_image(rng, mode, h, w)
        want = pillow(img, (ow, oh), PIL_FILTERS[resample])
        got = pil_resize(a, (ow, oh), resample, mode=mode)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want, err_msg=f"{mode} {resample} {(h, w)}->{(oh, ow)}")


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "I;16", "I", "F"])
def test_boxes(mode):
    rng = np.random.default_rng(7)
    for trial in range(40):
        h, w = (int(v) for v in rng.integers(2, 60, 2))
        a, img = random_image(rng, mode, h, w)
        x0, y0 = rng.uniform(0, w / 2), rng.uniform(0, h / 2)
        box = (x0, y0, rng.uniform(x0, w), rng.uniform(y0, h))
        if trial % 5 == 0:                  # whole-pixel boxes: Pillow crops when sizes match
            box = (1, 1, w, h)
        size = (int(rng.integers(1, 70)), int(rng.integers(1, 70)))
        if trial % 5 == 0:
            size = (w - 1, h - 1)
        resample = FILTERS[trial % len(FILTERS)]
        want = pillow(img, size, PIL_FILTERS[resample], box)
        np.testing.assert_array_equal(pil_resize(a, size, resample, box, mode=mode), want,
                                      err_msg=f"{mode} {resample} {box} {size}")


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "CMYK", "LAB", "HSV", "YCbCr", "I", "F"])
def test_reducing_gap(mode):
    rng = np.random.default_rng(11)
    for trial in range(30):
        h, w = (int(v) for v in rng.integers(20, 160, 2))
        a, img = random_image(rng, mode, h, w)
        size = (int(rng.integers(1, w // 2)), int(rng.integers(1, h // 2)))
        gap = float(rng.choice([1.0, 1.5, 2.0, 3.0]))
        box = None if trial % 3 else (1.5, 2.25, w - 0.5, h - 1.0)
        resample = FILTERS[1 + trial % (len(FILTERS) - 1)]        # not nearest (it ignores gaps)
        want = pillow(img, size, PIL_FILTERS[resample], box, gap)
        np.testing.assert_array_equal(pil_resize(a, size, resample, box, gap, mode=mode), want,
                                      err_msg=f"{mode} {resample} {(h, w)} {size} {box} {gap}")


def test_sixteen_bit_overshoot_is_clamped_as_pillow_does():
    # bicubic and lanczos overshoot at hard edges: Pillow 13 clamps I;16 to 0..65535
    a = np.zeros((8, 16), np.uint16)
    a[:, 8:] = 65535
    want = pillow(Image.fromarray(a), (40, 8), Image.Resampling.LANCZOS)
    got = pil_resize(a, (40, 8), "lanczos")
    np.testing.assert_array_equal(got, want)
    assert got.max() == 65535 and got.min() == 0


def test_same_size_is_a_copy_and_threads_do_not_matter():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (300, 257, 3), dtype=np.uint8)
    same = pil_resize(a, (257, 300))
    assert same is not a and np.array_equal(same, a)
    one = pil_resize(a, (101, 455), "lanczos", num_threads=1)
    for threads in (2, 3, 7):
        np.testing.assert_array_equal(pil_resize(a, (101, 455), "lanczos", num_threads=threads), one)


def test_filter_spellings():
    a = np.arange(48, dtype=np.uint8).reshape(6, 8)
    want = pil_resize(a, (3, 5), 1)
    for spelling in ("lanczos", "LANCZOS", Image.Resampling.LANCZOS):
        np.testing.assert_array_equal(pil_resize(a, (3, 5), spelling), want)


@pytest.mark.parametrize("call, error, message", [
    (lambda a: pil_resize(a, (3, 3), "sinc"), ValueError, "Unknown resampling filter"),
    (lambda a: pil_resize(a, (3, 3), 9), ValueError, "Unknown resampling filter"),
    (lambda a: pil_resize(a, (0, 3)), ValueError, "height and width must be > 0"),
    (lambda a: pil_resize(a, (2.5, 3)), TypeError, "size must be two integers"),
    (lambda a: pil_resize(a, (3, 3), reducing_gap=0.5), ValueError, "reducing_gap must be 1.0"),
    (lambda a: pil_resize(a, (3, 3), box=(-1, 0, 4, 4)), ValueError, "box offset can't be negative"),
    (lambda a: pil_resize(a, (3, 3), box=(0, 0, 9, 4)), ValueError, "box can't exceed"),
    (lambda a: pil_resize(a, (3, 3), box=(3, 0, 2, 4)), ValueError, "box can't be empty"),
    (lambda a: pil_resize(a, (3, 3), box=(0, 0, 1)), TypeError, "box must be four numbers"),
    (lambda a: pil_resize(a, (3, 3), mode="RGB"), ValueError, "mode 'RGB' is uint8 with 3"),
    (lambda a: pil_resize(a, (3, 3), mode="XYZ"), ValueError, "unknown Pillow mode"),
    (lambda a: pil_resize(a.astype(np.int8), (3, 3)), ValueError, "no Pillow mode holds int8"),
    (lambda a: pil_resize(a[0], (3, 3)), TypeError, "expected an image array"),
    (lambda a: pil_resize(a, (10**7, 10**7)), MemoryError, "more than this machine's"),
])
def test_errors_name_the_problem(call, error, message):
    a = np.zeros((6, 8), np.uint8)
    with pytest.raises(error, match=message):
        call(a)


def test_errors_match_pillows_types():
    img = Image.fromarray(np.zeros((6, 8), np.uint8))
    for args, kwargs in [(((3, 3), 9), {}), (((0, 3),), {}), (((3, 3),), {"reducing_gap": 0.5}),
                         (((3, 3),), {"box": (-1, 0, 4, 4)}), (((3, 3),), {"box": (0, 0, 9, 4)})]:
        with pytest.raises(ValueError):
            img.resize(*args, **kwargs)
        with pytest.raises(ValueError):
            pil_resize(np.zeros((6, 8), np.uint8), *args, **kwargs)


def test_sixteen_bit_reducing_gap_is_refused_as_pillow_does():
    a = np.zeros((40, 40), np.uint16)
    with pytest.raises(ValueError):
        Image.fromarray(a).resize((5, 5), Image.Resampling.BILINEAR, reducing_gap=2.0)
    with pytest.raises(ValueError, match="reduce"):
        pil_resize(a, (5, 5), "bilinear", reducing_gap=2.0)


@pytest.mark.parametrize("mode", ["L", "RGB", "I;16", "I", "F"])
def test_nearest_follows_each_modes_index_rule(mode):
    # Pillow steps the source position by adding the scale per output for 8- and 32-bit
    # images and multiplies it out for I;16; the two disagree at these sizes (2 -> 7 at
    # output 3, ...), so each mode must use its own rule
    from resample import _plans
    pairs = [(n_in, n_out) for n_in in (2, 3, 5, 7) for n_out in range(3, 60)
             if not np.array_equal(_plans.pillow_nearest(n_in, 0.0, float(n_in), n_out, True),
                                   _plans.pillow_nearest(n_in, 0.0, float(n_in), n_out, False))]
    assert len(pairs) >= 10
    rng = np.random.default_rng(5)
    for n_in, n_out in pairs:
        a, img = random_image(rng, mode, n_in, n_in + 1)
        want = pillow(img, (n_out, n_out), Image.Resampling.NEAREST)
        np.testing.assert_array_equal(pil_resize(a, (n_out, n_out), "nearest", mode=mode), want,
                                      err_msg=f"{mode} {n_in} -> {n_out}")


def test_pillow_simd_arithmetic_differs_and_has_no_mks():
    # 22-bit against int16 weights: some pixels of a large shrink round the other way,
    # which is why the option exists (tests/test_compat_pillow_simd.py checks its bits)
    a = np.random.default_rng(1).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    assert not np.array_equal(pil_resize(a, (97, 61), "lanczos"),
                              pil_resize(a, (97, 61), "lanczos", pillow_simd=True))
    with pytest.raises(ValueError, match="Magic Kernel Sharp"):
        pil_resize(a, (97, 61), "mks2013", pillow_simd=True)


def test_lab_resamples_its_a_and_b_bands_as_signed_bytes():
    # Pillow keeps LAB's a and b with their top bit flipped, so 127 and 129 (127 and -127)
    # average to 0, not to 128
    lab = np.array([[[50, 127, 127], [50, 129, 129]]], np.uint8)
    want = pillow(Image.frombytes("LAB", (2, 1), lab.tobytes()), (1, 1), Image.Resampling.BOX)
    np.testing.assert_array_equal(want, [[[50, 0, 0]]])
    np.testing.assert_array_equal(pil_resize(lab, (1, 1), "box", mode="LAB"), want)


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "LAB", "I;16", "F"])
@pytest.mark.parametrize("layout", ["fortran", "transposed", "rot90", "reversed"])
def test_any_memory_layout_gives_pillows_result(mode, layout):
    # the kernels read flat C-ordered buffers: a view in any other order must be read, and
    # the output written, in full (an RGBA view once came back as never-written memory)
    rng = np.random.default_rng(21)
    a, _ = random_image(rng, mode, 48, 40)
    view = {"fortran": np.asfortranarray(a), "transposed": a.swapaxes(0, 1),
            "rot90": np.rot90(a), "reversed": a[::-1, ::-2]}[layout]
    img = Image.frombytes(mode, view.shape[1::-1], np.ascontiguousarray(view).tobytes())
    for resample, gap in [("bilinear", None), ("lanczos", None), ("bicubic", 2.0)]:
        if mode == "I;16" and gap:
            continue                  # Pillow cannot reduce() I;16
        want = pillow(img, (13, 21), PIL_FILTERS[resample], None, gap)
        first = pil_resize(view, (13, 21), resample, reducing_gap=gap, mode=mode)
        np.testing.assert_array_equal(first, want, err_msg=f"{mode} {layout} {resample}")
        np.testing.assert_array_equal(pil_resize(view, (13, 21), resample, reducing_gap=gap,
                                                 mode=mode), first)



def test_fused_multiply_add_default_is_this_machines_pillow():
    import platform
    import sys
    a, img = random_image(np.random.default_rng(3), "F", 3, 28)
    fused = sys.platform != "win32" and platform.machine().lower() in ("aarch64", "arm64")
    np.testing.assert_array_equal(pil_resize(a, (12, 3), "bicubic"),
                                  pil_resize(a, (12, 3), "bicubic", fused_multiply_add=fused))
    with pytest.raises(TypeError, match="fused_multiply_add"):
        pil_resize(a, (12, 3), "bicubic", fused_multiply_add="yes")
