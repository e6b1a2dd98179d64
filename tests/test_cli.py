"""The `resample` command line, end to end on generated files."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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


# ----------------------------------------------------------------------------- interrupts

SLOW_SAVE_CLI = os.path.join(os.path.dirname(__file__), "slow_save_cli.py")
posix_signals = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals (SIGINT, SIGTERM)")


@pytest.fixture(scope="module")
def many_inputs(tmp_path_factory):
    """40 inputs of 1500x1500 RGB: with -j 2 a batch takes seconds, time enough to interrupt it."""
    folder = tmp_path_factory.mktemp("many")
    y, x = np.mgrid[0:1500, 0:1500]
    noise = np.random.default_rng(4).integers(0, 16, (1500, 1500, 3), dtype=np.uint8)
    pixels = np.stack([x * 255 // 1499, y * 255 // 1499, (x + y) % 256], -1).astype(np.uint8) ^ noise
    first = folder / "00.png"
    Image.fromarray(pixels).save(first, compress_level=1)
    paths = [first] + [folder / f"{i:02d}.png" for i in range(1, 40)]
    for path in paths[1:]:
        try:
            os.link(first, path)           # same bytes, no extra disk
        except OSError:
            shutil.copy(first, path)
    return [str(p) for p in paths]


def start(tmp_path, *args, script=None):
    """The command line in the background, its stdout and stderr going to files in tmp_path."""
    command = [sys.executable, *([script] if script else ["-m", "resample"]), *args]
    with open(tmp_path / "stdout", "w") as out, open(tmp_path / "stderr", "w") as err:
        return subprocess.Popen(command, stdout=out, stderr=err)


def outputs(tmp_path):
    """(stdout, stderr) of the command started with start()."""
    return (tmp_path / "stdout").read_text(), (tmp_path / "stderr").read_text()


def kill(proc):
    """Ends proc if a failed check left it running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)


def wait_for(condition, timeout=60):
    """Polls condition until it holds (True) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def listing(folder):
    """(finished outputs, temporary files) in folder; both empty while it does not exist."""
    names = os.listdir(folder) if os.path.isdir(folder) else []
    return ([n for n in names if not n.startswith(".")], [n for n in names if n.startswith(".resample-")])


def assert_outputs_whole(out, size):
    """Every finished output opens in full at the expected size."""
    for name in listing(out)[0]:
        with Image.open(out / name) as img:
            img.load()                  # decodes every byte: a truncated file raises here
            assert img.size == size, name


@posix_signals
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_stops_the_batch_with_a_summary(many_inputs, tmp_path, signum):
    out = tmp_path / "out"
    proc = start(tmp_path, "resize", *many_inputs, "-o", str(out), "--max-side", "300", "-j", "2")
    try:
        assert wait_for(lambda: listing(out)[0]), "no output appeared"
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
    finally:
        kill(proc)
    stdout, stderr = outputs(tmp_path)
    assert code == 128 + signum, (code, stdout, stderr)
    assert "Traceback" not in stderr and "interrupted" in stderr, stderr
    summary = re.search(r"(\d+) files? resized .* (\d+) failed", stdout)
    written, temporaries = listing(out)
    assert summary and int(summary[1]) == len(written) and summary[2] == "0", stdout
    assert 0 < len(written) < 40                     # the rest were never started
    assert temporaries == []
    assert_outputs_whole(out, (300, 300))


@posix_signals
def test_a_second_interrupt_exits_at_once(many_inputs, tmp_path):
    out = tmp_path / "out"
    proc = start(tmp_path, "resize", *many_inputs, "-o", str(out), "--max-side", "300", "-j", "2")
    try:
        assert wait_for(lambda: listing(out)[0]), "no output appeared"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        kill(proc)
    stdout, stderr = outputs(tmp_path)
    assert code == 130, (code, stdout, stderr)
    assert "Traceback" not in stderr, stderr
    written, temporaries = listing(out)
    assert 0 < len(written) < 40 and temporaries == []
    assert_outputs_whole(out, (300, 300))


@posix_signals
def test_a_second_interrupt_removes_the_files_being_written(inputs, tmp_path):
    """Saves that never end (slow_save_cli.py): the first SIGINT waits for them, the second
    must exit at once and remove their temporary files."""
    folder, _ = inputs
    out = tmp_path / "out"
    names = ["rgb.png", "rgba.png", "gray.png", "photo.jpg"]
    proc = start(tmp_path, "resize", *[str(folder / n) for n in names], "-o", str(out),
                 "--size", "45x30", "-j", "2", script=SLOW_SAVE_CLI)
    try:
        assert wait_for(lambda: len(listing(out)[1]) == 2), "the two saves did not start"
        proc.send_signal(signal.SIGINT)
        assert wait_for(lambda: "interrupted" in (tmp_path / "stderr").read_text(), timeout=30)
        time.sleep(0.2)
        assert proc.poll() is None                   # still waiting for the two saves
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)                 # the saves would take 600 s
    finally:
        kill(proc)
    stdout, stderr = outputs(tmp_path)
    assert code == 130, (code, stdout, stderr)
    assert "Traceback" not in stderr, stderr
    assert listing(out) == ([], [])


def test_console_script_is_installed():
    script = shutil.which("resample")
    if script is None:
        pytest.skip("console script not on PATH")
    assert subprocess.run([script, "--help"], capture_output=True, timeout=60).returncode == 0
