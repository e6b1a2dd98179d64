"""`resample resize` and colour (docs/guide/colour.md): alpha premultiplied always,
--linear opt-in, ICC profiles kept, --linear refused on a profile that is not sRGB."""
import io
import subprocess
import sys

import numpy as np
import pytest

import resample

Image = pytest.importorskip("PIL.Image")
ImageCms = pytest.importorskip("PIL.ImageCms")


def run(*args):
    return subprocess.run([sys.executable, "-m", "resample", *args], capture_output=True,
                          text=True, timeout=120)


def profile(kind):
    return ImageCms.ImageCmsProfile(ImageCms.createProfile(kind)).tobytes()


@pytest.fixture
def folder(tmp_path):
    edge = np.zeros((64, 64, 4), np.uint8)
    edge[:, :32] = (255, 0, 0, 0)
    edge[:, 32:] = (0, 255, 0, 255)
    Image.fromarray(edge, "RGBA").save(tmp_path / "edge.png")
    board = ((np.indices((512, 512)).sum(0) % 2) * 255).astype(np.uint8)
    Image.fromarray(np.stack([board] * 3, -1)).save(tmp_path / "board.png",
                                                    icc_profile=profile("sRGB"))
    Image.fromarray(np.stack([board] * 3, -1)).save(tmp_path / "lab.png", icc_profile=profile("LAB"))
    return tmp_path


@pytest.mark.parametrize("fmt", ["png", "webp"])
def test_alpha_is_premultiplied_by_default(folder, fmt):
    out = folder / "out"
    done = run("resize", str(folder / "edge.png"), "-o", str(out), "--size", "16x16",
               "--mode", "bilinear", "--format", fmt)
    assert done.returncode == 0, done.stderr
    with Image.open(out / f"edge.{fmt}") as im:
        got = np.asarray(im.convert("RGBA"))
    visible = got[..., 3] > 0
    assert visible[:, 7].all()
    if fmt == "png":                      # lossless: the very pixels resize gives
        assert (got[visible][:, :3] == (0, 255, 0)).all()
    else:                                 # lossy: no red fringe at the edge
        assert got[visible][:, 0].max() < 40


def test_linear_is_opt_in_and_keeps_the_profile(folder):
    out = folder / "out"
    plain = run("resize", str(folder / "board.png"), "-o", str(out / "plain"), "--size", "32x32")
    linear = run("resize", str(folder / "board.png"), "-o", str(out / "linear"), "--size", "32x32",
                 "--linear")
    assert plain.returncode == 0 and linear.returncode == 0, (plain.stderr, linear.stderr)
    with Image.open(out / "plain" / "board.png") as a, Image.open(out / "linear" / "board.png") as b:
        assert set(np.unique(np.asarray(a))) <= {127, 128}
        assert set(np.unique(np.asarray(b))) <= {187, 188}
        with Image.open(folder / "board.png") as original:
            assert b.info.get("icc_profile") == original.info["icc_profile"]


def test_linear_refuses_a_profile_that_is_not_srgb(folder):
    out = folder / "out"
    done = run("resize", str(folder / "lab.png"), "-o", str(out), "--size", "32x32", "--linear")
    assert done.returncode == 1
    assert "Lab identity built-in" in done.stderr and "convert it to sRGB" in done.stderr
    assert not (out / "lab.png").exists()
    # without --linear the file is resized and keeps its profile
    assert run("resize", str(folder / "lab.png"), "-o", str(out), "--size", "32x32").returncode == 0
    with Image.open(out / "lab.png") as im, Image.open(folder / "lab.png") as original:
        assert im.info.get("icc_profile") == original.info["icc_profile"]


def test_linear_matches_the_library(folder):
    """The command line's --linear is resize's gamma='srgb' on the decoded image."""
    out = folder / "out"
    assert run("resize", str(folder / "edge.png"), "-o", str(out), "--size", "20x12",
               "--linear").returncode == 0
    with Image.open(folder / "edge.png") as im, Image.open(out / "edge.png") as got:
        expected = resample.resize(im, (20, 12), mode="bicubic", gamma="srgb")
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
