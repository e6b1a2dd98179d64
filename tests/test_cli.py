"""The `resample` command line, end to end on generated files."""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pytest

import resample

Image = pytest.importorskip("PIL.Image")


def run(*args, user=None):
    command = [sys.executable, "-m", "resample", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def inputs(tmp_path):
    rng = np.random.default_rng(8)
    folder = tmp_path / "in"
    folder.mkdir()
    rgb = rng.integers(0, 256, (60, 90, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(folder / "rgb.png")
    Image.fromarray(rng.integers(0, 256, (60, 90, 4), dtype=np.uint8), "RGBA").save(folder / "rgba.png")
    Image.fromarray(rgb[..., 0]).save(folder / "gray.png")
    Image.fromarray(np.full((60, 90), 40000, np.uint16)).save(folder / "deep.png")   # 16-bit
    Image.fromarray(rgb).save(folder / "photo.jpg", quality=90)
    Image.fromarray(rgb).save(folder / "scan.tif")
    (folder / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not a png")
    return folder, rgb


def test_resize_batch_keeps_format_and_mode_and_skips_the_corrupt_file(inputs, tmp_path):
    folder, rgb = inputs
    out = tmp_path / "out"
    names = ["rgb.png", "rgba.png", "gray.png", "deep.png", "photo.jpg", "scan.tif", "corrupt.png"]
    done = run("resize", *[str(folder / n) for n in names], "-o", str(out), "--size", "45x30", "-j", "2")
    assert done.returncode == 1, done.stderr
    assert "corrupt.png" in done.stderr and "6 files resized" in done.stdout and "1 failed" in done.stdout
    assert "6/7 files" in done.stderr or "7/7 files" in done.stderr       # the progress bar
    expected = {"rgb.png": ("PNG", "RGB"), "rgba.png": ("PNG", "RGBA"), "gray.png": ("PNG", "L"),
                "photo.jpg": ("JPEG", "RGB"), "scan.tif": ("TIFF", "RGB")}
    for name, (fmt, mode) in expected.items():
        with Image.open(out / name) as img:
            assert (img.format, img.mode, img.size) == (fmt, mode, (45, 30)), name
    with Image.open(out / "deep.png") as img:
        assert img.size == (45, 30) and img.mode.startswith("I")
        assert set(np.asarray(img).ravel().tolist()) == {40000}      # 16 bits survive
    with Image.open(out / "rgb.png") as img:
        np.testing.assert_array_equal(np.asarray(img), resample.resize(rgb, (30, 45), mode="bicubic"))
    assert not (out / "corrupt.png").exists()
    assert not [p for p in os.listdir(out) if p.startswith(".resample-")]   # no temporary left


def test_scale_and_max_side(inputs, tmp_path):
    folder, _ = inputs
    done = run("resize", str(folder / "rgb.png"), "-o", str(tmp_path / "a"), "--scale", "0.5",
               "--mode", "lanczos")
    assert done.returncode == 0, done.stderr
    assert Image.open(tmp_path / "a" / "rgb.png").size == (45, 30)
    run("resize", str(folder / "rgb.png"), "-o", str(tmp_path / "b"), "--max-side", "30")
    assert Image.open(tmp_path / "b" / "rgb.png").size == (30, 20)
    run("resize", str(folder / "rgb.png"), "-o", str(tmp_path / "c"), "--max-side", "500", "--no-antialias")
    assert Image.open(tmp_path / "c" / "rgb.png").size == (90, 60)     # never enlarges


def test_never_overwrites_an_input(inputs):
    folder, _ = inputs
    before = (folder / "rgb.png").read_bytes()
    done = run("resize", str(folder / "rgb.png"), "-o", str(folder), "--size", "10x10")
    assert done.returncode == 1 and "refusing to overwrite" in done.stderr
    assert (folder / "rgb.png").read_bytes() == before


def test_read_only_output_directory():
    root = os.geteuid() == 0
    if root and not shutil.which("setpriv"):
        pytest.skip("root ignores permissions and setpriv is missing")
    if root and subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                sys.executable, "-c", "import resample"], capture_output=True).returncode:
        pytest.skip("the unprivileged user cannot read this Python environment")
    work = tempfile.mkdtemp()
    try:
        os.chmod(work, 0o755)
        source = os.path.join(work, "in.png")
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(source)
        os.chmod(source, 0o644)
        locked = os.path.join(work, "locked")
        os.mkdir(locked, 0o555)
        os.chmod(locked, 0o555)
        done = run("resize", source, "-o", locked, "--size", "4x4", user=65534 if root else None)
        assert done.returncode == 1, (done.stdout, done.stderr)
        assert "in.png" in done.stderr and "Permission" in done.stderr
        assert os.listdir(locked) == []
    finally:
        shutil.rmtree(work)


def test_bad_arguments_exit_2(inputs, tmp_path):
    folder, _ = inputs
    assert run("resize", str(folder / "rgb.png"), "-o", str(tmp_path), "--size", "10by10").returncode == 2
    assert run("resize", str(folder / "rgb.png"), "-o", str(tmp_path)).returncode == 2   # no target
    assert run("resize", str(folder / "rgb.png"), "-o", str(tmp_path), "--scale", "-1").returncode == 2


def test_demo_writes_the_comparison_image(tmp_path):
    target = tmp_path / "demo.png"
    done = run("demo", "-o", str(target))
    assert done.returncode == 0, done.stderr
    with Image.open(target) as img:
        assert img.mode == "L" and img.size[0] > 512
    assert "antialias" in done.stdout


def test_console_script_is_installed():
    script = shutil.which("resample")
    if script is None:
        pytest.skip("console script not on PATH")
    assert subprocess.run([script, "--help"], capture_output=True, timeout=60).returncode == 0
