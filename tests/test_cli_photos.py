"""`resample resize` as a photo tool (issue #12), end to end on files made by Pillow:
EXIF orientation and metadata, permissions, quality, formats and names, folders,
fit targets, animations, draft decoding, progress output and one-line errors."""
import io
import os
import subprocess
import sys

import numpy as np
import pytest

import resample
from resample._cli import _Progress, draft_scale, main

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
from cli_photos import photo_like  # noqa: E402  (the benchmark's photo-like images)

Image = pytest.importorskip("PIL.Image")
from PIL import ImageCms, ImageOps  # noqa: E402

XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
       b'tiff:Orientation="6" tiff:Make="Cam"/></rdf:RDF></x:xmpmeta>')


def run(*args, code=None):
    """`python -m resample ARGS` (or the Python code `code` first, then main(ARGS))."""
    if code is None:
        command = [sys.executable, "-m", "resample", *args]
    else:
        command = [sys.executable, "-c", f"import sys; {code}; from resample._cli import main; "
                   "sys.exit(main(sys.argv[1:]))", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def pixels(path):
    with Image.open(path) as img:
        return np.asarray(img)


# ----------------------------------------------------------------------------- orientation, metadata

@pytest.fixture
def rotated_photo(tmp_path):
    """A camera JPEG stored 600 wide, 400 high, EXIF Orientation 6 (show turned 90° clockwise):
    stored left half red, right half blue, so upright the top is red, the bottom blue."""
    stored = np.zeros((400, 600, 3), np.uint8)
    stored[:, :300] = (220, 30, 30)
    stored[:, 300:] = (30, 30, 220)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Cam"
    exif.get_ifd(0x8769)[0xA002] = 600          # PixelXDimension, PixelYDimension
    exif.get_ifd(0x8769)[0xA003] = 400
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = tmp_path / "camera.jpg"
    Image.fromarray(stored).save(path, quality=95, exif=exif.tobytes(), icc_profile=icc,
                                 dpi=(300, 300), xmp=XMP)
    return path, icc


def xmp_of(img):
    xmp = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp") or b""
    return xmp.encode() if isinstance(xmp, str) else xmp


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "tiff"])
def test_exif_orientation_is_applied_and_metadata_kept(rotated_photo, tmp_path, fmt):
    path, icc = rotated_photo
    out = tmp_path / "out"
    assert main(["resize", str(path), "-o", str(out), "--scale", "0.5", "--format", fmt]) == 0
    written = next(out.iterdir())
    with Image.open(written) as img:
        assert img.size == (200, 300)                       # upright: 400 wide, 600 high, halved
        exif = img.getexif()
        assert exif[0x0112] == 1 and exif[0x010F] == "Cam"
        assert exif.get_ifd(0x8769)[0xA002] == 200 and exif.get_ifd(0x8769)[0xA003] == 300
        assert img.info["icc_profile"] == icc
        if fmt != "webp":                                   # WebP has no DPI
            assert tuple(round(v) for v in img.info["dpi"]) == (300, 300)
        assert b'tiff:Orientation="1"' in xmp_of(img) and b'tiff:Make="Cam"' in xmp_of(img)
        result = np.asarray(img.convert("RGB"), np.int16)
    assert (abs(result[:140] - (220, 30, 30)) < 12).all()      # red on top
    assert (abs(result[160:] - (30, 30, 220)) < 12).all()      # blue at the bottom
    if fmt in ("png", "tiff"):                                 # lossless: exactly exif_transpose + resize
        with Image.open(path) as img:
            upright = np.asarray(ImageOps.exif_transpose(img))
        np.testing.assert_array_equal(result, resample.resize(upright, (300, 200), mode="bicubic"))


# ----------------------------------------------------------------------------- files and names

@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, umask, mode):
    Image.fromarray(np.zeros((20, 30, 3), np.uint8)).save(tmp_path / "a.png")
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    Image.fromarray(np.zeros((20, 30), np.uint8)).save(tmp_path / "tree" / "sub" / "b.png")
    done = run("resize", str(tmp_path / "a.png"), str(tmp_path / "tree"), "-r", "-o",
               str(tmp_path / "out"), "--scale", "0.5", "-j", "2", code=f"import os; os.umask({umask})")
    assert done.returncode == 0, done.stderr
    assert os.stat(tmp_path / "out" / "a.png").st_mode & 0o777 == mode
    assert os.stat(tmp_path / "out" / "sub" / "b.png").st_mode & 0o777 == mode
    assert os.stat(tmp_path / "out" / "sub").st_mode & 0o777 == 0o777 & ~umask


def test_quality_changes_the_jpeg_size(tmp_path):
    Image.fromarray(photo_like(300, 400)).save(tmp_path / "p.jpg", quality=95)
    sizes = {}
    for quality in ("30", "90", "95", None):
        out = tmp_path / f"q{quality}"
        extra = ["--quality", quality] if quality else []
        assert main(["resize", str(tmp_path / "p.jpg"), "-o", str(out), "--scale", "0.5", *extra]) == 0
        sizes[quality] = (out / "p.jpg").stat().st_size
    assert sizes["30"] < 0.6 * sizes["90"] < 0.6 * sizes["95"]
    assert sizes[None] == sizes["90"]                        # the default is 90


def test_format_and_suffix_name_the_outputs(tmp_path):
    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[:, 30:, 3] = 255                                    # left half transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "logo.png")
    Image.fromarray(photo_like(40, 60)).save(tmp_path / "photo.jpeg")
    Image.fromarray(np.full((40, 60), 40000, np.uint16)).save(tmp_path / "deep.png")
    out = tmp_path / "out"
    inputs = [str(tmp_path / n) for n in ("logo.png", "photo.jpeg", "deep.png")]
    assert main(["resize", *inputs, "-o", str(out), "--scale", "0.5", "--format", "webp",
                 "--suffix", "_small"]) == 0
    assert sorted(os.listdir(out)) == ["deep_small.webp", "logo_small.webp", "photo_small.webp"]
    for name in os.listdir(out):
        with Image.open(out / name) as img:
            assert (img.format, img.size) == ("WEBP", (30, 20))
    assert main(["resize", *inputs, "-o", str(out / "j"), "--size", "30x20", "--format", "jpeg"]) == 0
    assert sorted(os.listdir(out / "j")) == ["deep.jpg", "logo.jpg", "photo.jpeg"]  # .jpeg is JPEG
    with Image.open(out / "j" / "logo.jpg") as img:
        assert (img.format, img.mode) == ("JPEG", "RGB")
        flat = np.asarray(img, np.int16)
    assert (abs(flat[:, :12] - 255) < 8).all()               # transparent: flattened onto white
    assert (abs(flat[:, 18:] - (200, 0, 0)) < 12).all()
    assert abs(int(pixels(out / "j" / "deep.jpg").mean()) - round(40000 / 257)) <= 2   # 16 -> 8 bits


def test_recursive_mirrors_the_tree_and_skips_other_files(tmp_path):
    tree = tmp_path / "photos"
    (tree / "2024" / "june").mkdir(parents=True)
    (tree / ".cache").mkdir()
    Image.fromarray(photo_like(40, 60)).save(tree / "a.jpg")
    Image.fromarray(photo_like(40, 60, 1)).save(tree / "2024" / "b.png")
    Image.fromarray(photo_like(40, 60, 2)).save(tree / "2024" / "june" / "c.tif")
    Image.fromarray(photo_like(40, 60, 3)).save(tree / ".cache" / "d.png")        # hidden folder
    Image.fromarray(photo_like(40, 60, 3)).save(tree / ".e.png")                  # hidden file
    (tree / "notes.txt").write_text("not an image")
    out = tree / "small"                    # inside the tree: must not be walked (now or next time)
    for _ in range(2):
        done = run("resize", str(tree), "-r", "-o", str(out), "--max-side", "30")
        assert done.returncode == 0, done.stderr
        assert "3 files resized" in done.stdout and "2 non-image or hidden files skipped" in done.stdout
    found = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert found == ["2024/b.png", "2024/june/c.tif", "a.jpg"]
    assert pixels(out / "2024" / "june" / "c.tif").shape == (20, 30, 3)
    refused = run("resize", str(tree), "-o", str(tmp_path / "x"), "--max-side", "30")   # no -r
    assert refused.returncode == 1 and "is a folder; use -r" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, wide, tall", [         # 90x60 and 60x90 images
    (["--fit", "30x30"], (30, 20), (20, 30)),
    (["--fit", "60x10"], (15, 10), (7, 10)),
    (["--fit", "10x60"], (10, 7), (10, 15)),
    (["--fit", "200x200"], (90, 60), (60, 90)),             # never enlarges ...
    (["--fit", "200x200", "--enlarge"], (200, 133), (133, 200)),   # ... unless asked
    (["--fit", "100x50"], (75, 50), (33, 50)),              # shrinks the one side too big
    (["--max-side", "45"], (45, 30), (30, 45)),
    (["--short-side", "30"], (45, 30), (30, 45)),
    (["--short-side", "100"], (90, 60), (60, 90)),
    (["--short-side", "100", "--enlarge"], (150, 100), (100, 150)),
    (["--size", "20x50"], (20, 50), (20, 50)),
])
def test_fit_and_short_side_sizes(tmp_path, args, wide, tall):
    Image.fromarray(photo_like(60, 90)).save(tmp_path / "wide.png")
    Image.fromarray(photo_like(90, 60)).save(tmp_path / "tall.png")
    assert main(["resize", str(tmp_path / "wide.png"), str(tmp_path / "tall.png"),
                 "-o", str(tmp_path / "out"), *args]) == 0
    for name, size in (("wide.png", wide), ("tall.png", tall)):
        with Image.open(tmp_path / "out" / name) as img:
            assert img.size == size, name


# ----------------------------------------------------------------------------- animations

@pytest.fixture
def animation(tmp_path):
    colours = [(250, 0, 0), (0, 250, 0), (0, 0, 250)]
    frames = [Image.fromarray(np.full((40, 60, 3), c, np.uint8)) for c in colours]
    for ext in ("gif", "webp"):
        frames[0].save(tmp_path / f"anim.{ext}", save_all=True, append_images=frames[1:],
                       duration=[100, 200, 300], loop=0)
    frames[0].save(tmp_path / "pages.tif", save_all=True, append_images=frames[1:])
    return tmp_path, colours


@pytest.mark.parametrize("name", ["anim.gif", "anim.webp", "pages.tif"])
def test_every_frame_is_resized_and_written(animation, name):
    folder, colours = animation
    assert main(["resize", str(folder / name), "-o", str(folder / "out"), "--scale", "0.5"]) == 0
    with Image.open(folder / "out" / name) as img:
        assert img.n_frames == 3
        for index, colour in enumerate(colours):
            img.seek(index)
            frame = np.asarray(img.convert("RGB"), np.int16)
            assert frame.shape == (20, 30, 3) and (abs(frame - colour) <= 8).all(), index
            if not name.endswith("tif"):
                assert img.info["duration"] == 100 * (index + 1)
        if not name.endswith("tif"):
            assert img.info["loop"] == 0


def test_an_animation_to_a_one_frame_format_is_refused(animation, capsys):
    folder, _ = animation
    code = main(["resize", str(folder / "anim.gif"), "-o", str(folder / "out"), "--scale", "0.5",
                 "--format", "jpeg"])
    err = capsys.readouterr().err
    assert code == 1 and not (folder / "out" / "anim.jpg").exists()
    assert "it has 3 frames and JPEG holds one" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- draft decoding

@pytest.mark.parametrize("size, target, scale", [
    ((4000, 3000), (1024, 768), 2),      # 12 MP to 1024: 2000x1500 at 1/2 is 1.95x the target
    ((4000, 3000), (1142, 856), 2),      # 2000 >= 1.75 x 1142, 1500 >= 1.75 x 856
    ((4000, 3000), (1143, 857), 1),      # 2000 < 1.75 x 1143
    ((4000, 3000), (500, 375), 4),
    ((4000, 3000), (286, 214), 4),       # 1/8 gives 500 columns < 1.75 x 286
    ((4000, 3000), (285, 214), 8),
    ((4000, 3000), (10, 8), 8),          # never beyond 1/8
    ((4001, 3001), (286, 214), 8),       # libjpeg rounds up: 501x376 at 1/8
    ((3000, 4000), (375, 500), 4),       # portrait: both axes count
    ((3000, 4000), (500, 375), 2),       # a distorting --size: the tighter axis decides
    ((640, 480), (1280, 960), 1),        # enlarging
])
def test_draft_scale_rule(size, target, scale):
    assert draft_scale(*size, *target) == scale


@pytest.fixture(scope="module")
def photo_jpeg(tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "photo.jpg"
    Image.fromarray(photo_like(1200, 1600, seed=5)).save(path, quality=90)
    return path


@pytest.mark.parametrize("side, scale", [
    (200, 4),       # 1600x1200 to 200x150: decoded at 1/4 (400x300, 2x the target)
    (456, 2),       # to 456x342: decoded at 1/2 (800x600, 1.75x the target: the rule's edge)
])
def test_draft_decode_is_close_to_the_exact_one(photo_jpeg, tmp_path, side, scale):
    height = round(side * 0.75)
    assert draft_scale(1600, 1200, side, height) == scale
    for name, extra in (("draft", []), ("exact", ["--exact"])):
        assert main(["resize", str(photo_jpeg), "-o", str(tmp_path / name), "--max-side", str(side),
                     "--format", "png", *extra]) == 0
    draft = pixels(tmp_path / "draft" / "photo.png").astype(np.int16)
    exact = pixels(tmp_path / "exact" / "photo.png").astype(np.int16)
    assert draft.shape == exact.shape == (height, side, 3)
    with Image.open(photo_jpeg) as img:        # --exact is the full decode, resized
        np.testing.assert_array_equal(exact, resample.resize(np.asarray(img), (height, side), mode="bicubic"))
    # Measured on such images: 0.34-0.37 levels with a 2x margin, 0.47-0.48 at the rule's
    # 1.75x, 0.62-0.71 with no margin; 0.5 tells the margin from none.
    bound = 0.5
    assert 0 < abs(draft - exact).mean() < bound, abs(draft - exact).mean()     # 0: no draft used
    with Image.open(photo_jpeg) as img:        # what no margin would give: straight to the target
        img.draft("RGB", (side, height))
        if img.size != (1600 // scale, 1200 // scale):
            no_margin = resample.resize(np.asarray(img), (height, side), mode="bicubic").astype(np.int16)
            assert abs(no_margin - exact).mean() > bound


def test_no_draft_without_the_headroom(photo_jpeg, tmp_path):
    # 458 wide: 1/2 would decode 800 < 1.75 x 458, so the default must be the exact decode
    for name, extra in (("default", []), ("exact", ["--exact"])):
        assert main(["resize", str(photo_jpeg), "-o", str(tmp_path / name), "--max-side", "458",
                     "--format", "png", *extra]) == 0
    np.testing.assert_array_equal(pixels(tmp_path / "default" / "photo.png"),
                                  pixels(tmp_path / "exact" / "photo.png"))


# ----------------------------------------------------------------------------- output and errors

def test_progress_in_a_log_is_plain_lines(tmp_path):
    for i in range(12):
        Image.fromarray(np.full((8, 8), i, np.uint8)).save(tmp_path / f"{i:02d}.png")
    done = run("resize", *[str(tmp_path / f"{i:02d}.png") for i in range(12)], "-o",
               str(tmp_path / "out"), "--size", "4x4", "-j", "2")
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "\r" not in done.stdout
    lines = done.stderr.splitlines()
    assert lines[-1] == "resample: 12/12 files (100%)" and 5 <= len(lines) <= 12


def test_progress_on_a_terminal_is_a_bar():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = _Progress(4, stream)
    for done in range(1, 5):
        progress.update(done)
    assert stream.getvalue().count("\r") == 4 and stream.getvalue().endswith("] 4/4 files\n")


def test_version():
    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"resample {resample.__version__}"


@pytest.mark.parametrize("args, message", [
    (["--scale", "abc"], "resample resize: --scale: expected a positive number, got 'abc'"),
    (["--scale", "nan"], "--scale: expected a positive number, got 'nan'"),
    (["--max-side", "1.5"], "--max-side: expected a positive integer, got '1.5'"),
    (["--size", "10by10"], "--size: expected WxH such as 640x480, got '10by10'"),
    (["--fit", "0x10"], "--fit: width and height must be positive, got '0x10'"),
    (["--scale", "2", "--quality", "101"], "--quality: expected an integer from 1 to 100, got '101'"),
    (["--scale", "2", "--format", "bmp"], "--format: invalid choice: 'bmp'"),
    (["--scale", "2", "--max-side", "4"], "--max-side: not allowed with argument --scale"),
])
def test_bad_arguments_are_one_line(tmp_path, args, message):
    done = run("resize", str(tmp_path / "a.png"), "-o", str(tmp_path), *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "_positive" not in done.stderr


def test_demo_into_a_missing_folder_is_one_line(tmp_path):
    done = run("demo", "-o", str(tmp_path / "missing" / "dir" / "x.png"))
    assert done.returncode == 2
    assert done.stderr.startswith("resample demo: cannot write ") and "No such file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_unreadable_files_are_reported_one_by_one(tmp_path):
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "good.png")
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    done = run("resize", str(tmp_path / "missing.png"), str(tmp_path / "bad.jpg"),
               str(tmp_path / "good.png"), "-o", str(tmp_path / "out"), "--size", "4x4")
    assert done.returncode == 1 and "1 file resized" in done.stdout and "2 failed" in done.stdout
    errors = done.stderr.strip().splitlines()[-2:]
    assert errors[0] == f"resample: failed {tmp_path / 'missing.png'}: No such file or directory"
    prefix = f"resample: failed {tmp_path / 'bad.jpg'}: "
    assert errors[1].startswith(prefix) and len(errors[1]) > len(prefix) + 5, errors[1]
    assert "Traceback" not in done.stderr
