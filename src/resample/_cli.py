"""The `resample` command line.

  resample                     configuration and a timing table over every mode
  resample --version           the package version
  resample demo [-o FILE]      the zone-plate comparison image (aliasing at a glance)
  resample resize IN... -o OUTDIR
        (--size WxH | --scale S | --fit WxH | --max-side N | --short-side N) [--enlarge]
        [--mode M] [--no-antialias] [--exact] [--linear] [--quality Q] [--format FMT]
        [--suffix S] [-r] [-j JOBS]

Image files are read and written with Pillow (the `image` extra).

`resample resize` is a photo tool, after vipsthumbnail, Pillow's thumbnail() and
ImageMagick's `mogrify -resize`:

* Targets: --size and --scale are exact (they may enlarge or change the aspect ratio);
  --fit WxH (the largest size inside WxH with the image's aspect ratio), --max-side N
  (--fit NxN) and --short-side N (the shorter side becomes N) keep the aspect ratio and
  only shrink: an image already within the target keeps its size unless --enlarge.
* The EXIF orientation is applied first (as PIL.ImageOps.exif_transpose does), so the
  result is upright, and the written EXIF (and XMP) says Orientation 1. EXIF, the ICC
  profile, DPI and XMP are kept where the output format holds them (JPEG, PNG and TIFF
  hold all four, WebP all but DPI); EXIF's pixel dimensions are updated.
* JPEG and WebP are written at --quality (default 90, not Pillow's 75). --format writes
  another format (jpeg, png, webp, tiff, gif) under that format's extension; for JPEG,
  alpha is flattened onto white, and 16-bit images become 8-bit (value / 257) for
  JPEG, WebP and GIF. --suffix S goes before the extension.
* Colour: images with alpha (RGBA, LA, PA, palettes with transparency) are always
  resized premultiplied, so colour under transparent pixels never bleeds into the
  visible edge. --linear resizes in linear light (sRGB's curve decoded, the result
  encoded back; alpha never), as vipsthumbnail --linear does: right for fine detail
  (a black-and-white checkerboard becomes the grey of half the light, not a darker
  one), but not the default, because it changes the look every other tool gives and
  people compare against. It needs sRGB data: an input whose ICC profile is not sRGB is
  refused with a message (convert it to sRGB first), never treated as sRGB. JPEGs are
  decoded at full size with --linear (DCT scaling averages in sRGB's curve).
* Inputs are files, or with -r folders, walked in full: their tree is mirrored into
  OUTDIR (the folder's contents go straight into OUTDIR), hidden files and files without
  an image extension are skipped and counted, and OUTDIR itself is never walked.
* Animations and multi-page files (GIF, WebP, APNG, TIFF) have every frame resized and
  written, keeping frame durations and the loop count, when the output format holds
  several frames (GIF, WebP, PNG, TIFF); otherwise the file is refused with a message.
  A camera's MPO file is its first picture, written as JPEG.
* Decode-time reduction: a JPEG is decoded at 1/2, 1/4 or 1/8 scale (libjpeg's DCT
  scaling, Pillow's draft mode) when that still leaves the decoded image at least 1.75x
  the target size on both axes (the largest such scale; so shrinks of 3.5x or more use
  it; libvips and Pillow's thumbnail() keep 2x); resample's antialias filter does the
  rest. --exact decodes at full size. Measured on generated photo-like 4000x3000 JPEGs
  (smooth gradients, noise, hard edges; quality 90; bicubic antialias), draft against
  exact, in 8-bit levels:
      --max-side          1024    1000    500     250     100
      decoded at          1/2     1/2     1/4     1/8     1/8
      mean abs diff       0.38    0.37    0.33    0.35    0.18
      max abs diff        12      11      7       7       2
  (6 images; `python benchmarks/cli_photos.py --draft` reproduces it). The margin is
  what keeps it small: the mean difference is 0.37 at 2x, 0.48 at 1.67x, 0.56 at 1.5x,
  0.74 at 1.25x and 1.0 with none; a 1600x1200 one fitted into 200x200 differs by
  0.34-0.37 at 1/4 (the rule's pick) and by 0.62-0.71 at 1/8 (no margin); the tests
  hold it under 0.5, at the rule's edge too.
* New files get the permissions the umask gives (0o666 & ~umask), like any other
  program's; each is written to a temporary file and renamed into place when complete.
* Progress: a redrawn bar when stderr is a terminal, otherwise a plain line every 10%
  (or 5 seconds). Every error is one line and an exit code: 2 for bad arguments or an
  output that cannot be made, 1 when some files failed (each named with its reason).

`resample resize` stops on the first SIGINT (Ctrl-C) or SIGTERM: files not yet started are
cancelled, those in progress finish, the summary is printed and the exit code is 128 + the
signal number (130 for Ctrl-C). A second signal exits at once. Either way no temporary file
is left behind and every output present is complete.
"""
import argparse
import contextlib
import os
import queue
import re
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._version import __version__
from ._resize import IMAGE_MODES, resize


def main(argv=None):
    """Runs the command line on argv (default sys.argv[1:]); returns the exit code."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ._config import show_config
        from ._demo import timing_table
        show_config()
        timing_table()
        return 0
    try:
        return args.run(args)
    except KeyboardInterrupt:       # before `resize` routes the signals itself (or in the demo)
        print("\nresample: interrupted", file=sys.stderr)
        return 130


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: 'resample resize: --scale: expected ...' and exit 2."""

    def error(self, message):
        message = message[len("argument "):] if message.startswith("argument ") else message
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser():
    parser = _Parser(prog="resample", description="Resize arrays and images exactly as "
                     "torch.nn.functional.interpolate does.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo", help="render the zone-plate aliasing comparison image")
    demo.add_argument("-o", "--output", default="demo.png", help="where to write it (default demo.png)")
    demo.set_defaults(run=_run_demo)

    rs = commands.add_parser(
        "resize", help="resize image files",
        description="Resize image files (photos first): EXIF orientation applied, metadata kept, "
                    "every frame of an animation resized, written atomically with the umask's "
                    "permissions. Inputs are never overwritten.")
    rs.add_argument("inputs", nargs="+", metavar="IN",
                    help="image files (JPEG, PNG, WebP, TIFF, GIF, ...), or folders with -r")
    rs.add_argument("-o", "--output-dir", required=True, metavar="OUTDIR",
                    help="directory for the results (created if missing)")
    target = rs.add_mutually_exclusive_group(required=True)
    target.add_argument("--size", type=_width_x_height, metavar="WxH",
                        help="exact output size, e.g. 640x480 (the aspect ratio may change)")
    target.add_argument("--scale", type=_positive_float, metavar="S", help="scale both sides by S")
    target.add_argument("--fit", type=_width_x_height, metavar="WxH",
                        help="shrink to the largest size inside WxH with the image's aspect ratio")
    target.add_argument("--max-side", type=_positive_int, metavar="N",
                        help="shrink so that the longer side is N (--fit NxN)")
    target.add_argument("--short-side", type=_positive_int, metavar="N",
                        help="shrink so that the shorter side is N")
    rs.add_argument("--enlarge", action="store_true",
                    help="let --fit, --max-side and --short-side enlarge images smaller than the "
                         "target (by default those keep their size)")
    rs.add_argument("--mode", choices=IMAGE_MODES, default="bicubic", help="default bicubic")
    rs.add_argument("--no-antialias", action="store_true", help="plain interpolation when shrinking")
    rs.add_argument("--exact", action="store_true",
                    help="decode JPEGs at full size. By default a JPEG is decoded at 1/2, 1/4 or "
                         "1/8 scale when that leaves the decoded image at least 1.75 times the "
                         "target size on both axes (the largest such scale), then resized")
    rs.add_argument("--linear", action="store_true",
                    help="resize in linear light (decode sRGB, resize, encode); refuses inputs "
                         "whose ICC profile is not sRGB")
    rs.add_argument("--quality", type=_quality, default=90, metavar="Q",
                    help="JPEG and WebP quality, 1-100 (default 90)")
    rs.add_argument("--format", type=str.lower, choices=sorted(_FORMATS), metavar="FMT",
                    help=f"write this format ({', '.join(sorted(_FORMATS))}) and its extension "
                         "(default: the input's)")
    rs.add_argument("--suffix", type=_suffix, default="", metavar="S",
                    help="added to each name before the extension, e.g. _small")
    rs.add_argument("-r", "--recursive", action="store_true",
                    help="inputs may be folders: resize the images in them and their subfolders, "
                         "mirroring the tree into OUTDIR")
    rs.add_argument("-j", "--jobs", type=_positive_int, default=1, help="files resized in parallel")
    rs.set_defaults(run=_run_resize)
    return parser


# argparse type functions: ArgumentTypeError carries the message argparse prints

def _width_x_height(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH such as 640x480, got {text!r}") from None
    if width < 1 or height < 1:
        raise argparse.ArgumentTypeError(f"width and height must be positive, got {text!r}")
    return height, width


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _quality(text):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected an integer from 1 to 100, got {text!r}")
    return value


def _suffix(text):
    if "/" in text or os.sep in text:
        raise argparse.ArgumentTypeError(f"a suffix cannot contain a path separator, got {text!r}")
    return text


def _need_pillow():
    try:
        import PIL  # noqa: F401
    except ImportError:
        sys.exit("resample: image files need Pillow: pip install 'resample-interp[image]'")


class _Refused(Exception):
    """A file this command will not do, with the reason (no traceback, no type name)."""


def _describe(exc):
    """One line for a failure: the OS's words for OS errors (the path is said elsewhere), the
    message for refusals and Pillow's OSErrors, the exception's type and message otherwise."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, (_Refused, OSError)) and str(exc):
        return str(exc)
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


# ----------------------------------------------------------------------------- demo

def _run_demo(args):
    _need_pillow()
    from ._demo import comparison_image
    start = time.perf_counter()
    try:
        labels = comparison_image(args.output)
    except (OSError, ValueError) as exc:     # ValueError: Pillow does not know the extension
        print(f"resample demo: cannot write {args.output}: {_describe(exc)}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}: a 1024x1024 zone plate reduced 4x with {len(labels)} modes "
          f"({', '.join(labels)}) in {time.perf_counter() - start:.2f} s.\n"
          "Without antialias the fine rings alias into false rings; with antialias (and area) "
          "they fade to grey.")
    return 0


# ----------------------------------------------------------------------------- resize

# --format name -> (Pillow format, extension for names that have none of that format's)
_FORMATS = {"jpeg": ("JPEG", ".jpg"), "jpg": ("JPEG", ".jpg"), "png": ("PNG", ".png"),
            "webp": ("WEBP", ".webp"), "tiff": ("TIFF", ".tif"), "tif": ("TIFF", ".tif"),
            "gif": ("GIF", ".gif")}
_MULTI_FRAME_FORMATS = {"GIF", "WEBP", "PNG", "TIFF"}      # Pillow writes these with save_all
_EIGHT_BIT_FORMATS = {"JPEG", "WEBP", "GIF"}
_WIDE_INTEGER_MODES = {"I;16", "I;16B", "I;16L", "I"}      # more than 8 bits a sample
_ORIENTATION = 0x0112
_EXIF_IFD, _PIXEL_X, _PIXEL_Y = 0x8769, 0xA002, 0xA003
# TIFF tags that describe a file's pixel layout (or that are written separately): a TIFF
# source's getexif() holds them, and they must not reach another file's EXIF
_LAYOUT_TAGS = frozenset({254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 284, 317,
                          320, 322, 323, 324, 325, 338, 339, 347, 513, 514, 530, 532, 700, 34675})


def _new_size(height, width, args):
    """The (height, width) the target options give an upright image of height x width."""
    if args.size:
        return args.size
    if args.scale:
        return max(1, round(height * args.scale)), max(1, round(width * args.scale))
    if args.short_side:
        side = args.short_side
        box = (side, None) if height <= width else (None, side)
    else:
        box = args.fit or (args.max_side, args.max_side)
    if not args.enlarge and (box[0] is None or box[0] >= height) and (box[1] is None or box[1] >= width):
        return height, width
    if box[1] is None or (box[0] is not None and box[0] * width <= box[1] * height):
        return box[0], max(1, int(width * box[0] / height + 0.5))        # the height binds
    return max(1, int(height * box[1] / width + 0.5)), box[1]


def draft_scale(width, height, target_width, target_height):
    """The JPEG decode reduction for a width x height JPEG resized to the target: 8, 4 or 2
    (decode at 1/8, 1/4, 1/2 scale), the largest that leaves the decoded image at least
    DRAFT_HEADROOM (1.75) times the target size on both axes, or 1 (decode at full size).

    A margin, because libjpeg's scaled decode is a crude filter: resample's antialias then
    still has a reduction of 1.75x or more to smooth it. The mean difference from a full
    decode grows as the margin shrinks (photo-like JPEGs, 8-bit levels): 0.37 at 2x, 0.38
    at 1.95x, 0.48 at 1.67x, 0.56 at 1.5x, 0.74 at 1.25x, 1.0 at 1.05x; 1.75 keeps it
    under 0.5 and lets the common 12-megapixel to 1024 shrink (1.95x at 1/2) use it.
    libvips and Pillow's thumbnail() keep 2x.
    """
    for scale in (8, 4, 2):
        # libjpeg rounds a reduced side up
        if (-(-width // scale) >= DRAFT_HEADROOM * target_width
                and -(-height // scale) >= DRAFT_HEADROOM * target_height):
            return scale
    return 1


DRAFT_HEADROOM = 1.75


def _umask():
    """The process umask. Reading it means setting it, so call this before threads start."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _TempFiles:
    """The temporary files being written, so that an interrupt can remove every one of them.

    A writer creates its file here and renames it into place (or deletes it) here too;
    remove_all() deletes whatever is left and closes the registry, so that no thread can
    create a temporary file afterwards that nobody would remove. Committed files get
    file_mode (mkstemp makes them 0600; an output should have what the umask gives).
    """

    def __init__(self, file_mode=0o666 & ~0o022):
        self._paths = set()
        self._closed = False
        self._file_mode = file_mode
        # reentrant: a second signal can interrupt the main thread inside remove_all()
        self._lock = threading.RLock()

    def create(self, out_path):
        """A new temporary file beside out_path, registered: returns (os-level handle, path)."""
        with self._lock:            # mkstemp and registration together: cleanup sees both or neither
            if self._closed:
                raise RuntimeError("interrupted")
            handle, tmp = tempfile.mkstemp(prefix=".resample-", suffix=os.path.splitext(out_path)[1],
                                           dir=os.path.dirname(out_path))
            self._paths.add(tmp)
        return handle, tmp

    def commit(self, tmp, out_path):
        """Gives the finished tmp its permissions, renames it to out_path and forgets it."""
        with self._lock:
            os.chmod(tmp, self._file_mode)
            os.replace(tmp, out_path)   # atomic: readers see the old file or the new one
            self._paths.discard(tmp)

    def discard(self, tmp):
        """Deletes tmp (its write failed) and forgets it."""
        with self._lock:
            self._paths.discard(tmp)
            with contextlib.suppress(FileNotFoundError):    # remove_all() may have been first
                os.unlink(tmp)

    def remove_all(self):
        """Deletes every registered file and refuses new ones from now on."""
        with self._lock:
            self._closed = True
            for tmp in list(self._paths):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                self._paths.discard(tmp)


def _output_name(name, args):
    """name with the --suffix, and the --format's extension unless it has one of that format's."""
    from PIL import Image
    stem, ext = os.path.splitext(name)
    if args.format:
        fmt, default_ext = _FORMATS[args.format]
        if Image.registered_extensions().get(ext.lower()) != fmt:
            ext = default_ext
    return stem + args.suffix + ext


def _plan(args):
    """The work: ([(input, output path)], [(input, reason refused)], files skipped).

    Folders (with -r) are walked in sorted order; files in them that are hidden or have no
    extension Pillow opens are skipped and counted; OUTDIR is not walked.
    """
    openable = None         # extensions Pillow opens; only a walk needs them (loads every plugin)
    out_real = os.path.realpath(args.output_dir)
    sources, failures, skipped = [], [], 0
    for path in args.inputs:
        if not os.path.isdir(path):
            sources.append((path, os.path.basename(path)))
            continue
        if not args.recursive:
            failures.append((path, "is a folder; use -r to resize the images in it"))
            continue
        if openable is None:
            from PIL import Image
            openable = {ext for ext, fmt in Image.registered_extensions().items() if fmt in Image.OPEN}
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".")
                                   and os.path.realpath(os.path.join(folder, d)) != out_real)
            for name in sorted(names):
                if name.startswith(".") or os.path.splitext(name)[1].lower() not in openable:
                    skipped += 1
                    continue
                source = os.path.join(folder, name)
                sources.append((source, os.path.relpath(source, path)))
    inputs = {os.path.realpath(p) for p, _ in sources}
    jobs, seen = [], set()
    for path, relative in sources:
        out_path = os.path.join(args.output_dir, os.path.dirname(relative),
                                _output_name(os.path.basename(relative), args))
        real_out = os.path.realpath(out_path)
        if real_out in inputs:
            failures.append((path, f"output {out_path} is an input file; refusing to overwrite it"))
        elif real_out in seen:
            failures.append((path, f"another input already writes {out_path}"))
        else:
            seen.add(real_out)
            jobs.append((path, out_path))
    return jobs, failures, skipped


def _metadata(img):
    """(orientation, exif, icc profile, dpi, xmp) of an open image. The EXIF (a PIL.Image.Exif,
    fully read) and the XMP come with Orientation reset to 1, the file's layout tags removed."""
    from PIL import Image

    source = img.getexif()
    orientation = source.get(_ORIENTATION, 1)
    # a copy in memory: Pillow reloads the image's own on seek, and the file closes first
    exif = Image.Exif()
    if len(source):
        exif.load(source.tobytes())
    for tag in _LAYOUT_TAGS & set(exif):
        del exif[tag]
    if _ORIENTATION in exif:
        exif[_ORIENTATION] = 1
    xmp = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode()
    if xmp:
        xmp = re.sub(rb'(tiff:Orientation="|<tiff:Orientation>)[0-9]', rb"\g<1>1", xmp)
    return orientation, exif, img.info.get("icc_profile"), img.info.get("dpi"), xmp


def _resize_file(path, out_path, args, threads, temps):
    """Read, orient, resize and atomically write one image; returns input megapixels.

    Every frame of a multi-frame input is resized and written (refused where the output
    format holds one frame). The result is written to a temporary file registered in temps
    (a _TempFiles) and renamed to out_path only once complete, so out_path is never seen
    half-written.
    """
    from PIL import Image

    with Image.open(path) as img:
        fmt = _FORMATS[args.format][0] if args.format else "JPEG" if img.format == "MPO" else img.format
        if fmt not in Image.SAVE:
            raise _Refused(f"Pillow cannot write {fmt} files; choose another with --format")
        frames = 1 if img.format == "MPO" else getattr(img, "n_frames", 1)   # MPO: the photo
        if frames > 1 and fmt not in _MULTI_FRAME_FORMATS:
            raise _Refused(f"it has {frames} frames and {fmt} holds one; use --format gif, webp, "
                           "png or tiff to keep them all")
        orientation, exif, icc, dpi, xmp = _metadata(img)
        if args.linear and icc and not _is_srgb_profile(icc):
            raise _Refused(f"--linear decodes sRGB, and its ICC profile is "
                           f"{_profile_name(icc)!r}: convert it to sRGB first, or leave out --linear")
        pictures, durations, megapixels = [], [], 0.0
        for index in range(frames):
            img.seek(index)
            megapixels += img.width * img.height / 1e6
            pictures.append(_writable(_resize_picture(img, orientation, args, threads, frames == 1), fmt))
            durations.append(img.info.get("duration"))       # after the load: WebP sets it then
        loop = img.info.get("loop")

    options = _save_options(fmt, pictures[0].size, exif, icc, dpi, xmp, args)
    if frames > 1:
        options.update(save_all=True, append_images=pictures[1:])
        if fmt != "TIFF" and None not in durations:
            options["duration"] = durations
        if fmt != "TIFF" and loop is not None:
            options["loop"] = loop
        if fmt == "GIF" and "A" in pictures[0].mode:
            options["disposal"] = 2     # whole frames: clear each one, or transparency shows the last
    handle, tmp = temps.create(out_path)
    try:
        with os.fdopen(handle, "w+b") as f:      # w+: Pillow reads back a multi-page TIFF
            pictures[0].save(f, format=fmt, **options)
        temps.commit(tmp, out_path)
    except BaseException:
        temps.discard(tmp)
        raise
    return megapixels


def _save_options(fmt, size, exif, icc, dpi, xmp, args):
    """Pillow's save() options for fmt: the quality, and the metadata the format holds
    (JPEG, PNG, WebP, TIFF), EXIF's pixel dimensions set to size (width, height)."""
    from PIL import PngImagePlugin

    options = {"quality": args.quality} if fmt in ("JPEG", "WEBP") else {}
    if fmt not in ("JPEG", "PNG", "WEBP", "TIFF"):
        return options
    exif_ifd = exif.get_ifd(_EXIF_IFD) if _EXIF_IFD in exif else {}
    for tag, value in zip((_PIXEL_X, _PIXEL_Y), size):
        if tag in exif_ifd:
            exif_ifd[tag] = value
    if xmp and fmt == "TIFF":
        exif[700] = xmp                 # TIFF keeps XMP as a tag
    elif xmp and fmt == "PNG":
        options["pnginfo"] = PngImagePlugin.PngInfo()
        options["pnginfo"].add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8", "replace"))
    elif xmp:
        options["xmp"] = xmp            # Pillow 11+ writes it (older ones ignore it)
    if len(exif):
        options["exif"] = exif.tobytes()
    if icc:
        options["icc_profile"] = icc
    if dpi and fmt != "WEBP":
        options["dpi"] = dpi
    return options


_TRANSPOSE = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE",
              6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}    # as ImageOps.exif_transpose


def _resize_picture(img, orientation, args, threads, may_draft):
    """The current frame of img upright and resized, as a new PIL image of its mode (1-bit
    as L, palette as RGB or RGBA). A JPEG not yet loaded is decoded reduced (draft_scale)
    when may_draft and not --exact."""
    from PIL import Image

    width, height = img.size
    turned = orientation in (5, 6, 7, 8)
    out_height, out_width = _new_size(*((width, height) if turned else (height, width)), args)
    if may_draft and not args.exact and not args.linear and img.format in ("JPEG", "MPO"):
        scale = draft_scale(width, height, *((out_height, out_width) if turned else (out_width, out_height)))
        if scale > 1:
            img.draft(img.mode, (width // scale, height // scale))   # Pillow picks exactly 1/scale
    img.load()
    picture = img
    if orientation in _TRANSPOSE:
        picture = picture.transpose(getattr(Image.Transpose, _TRANSPOSE[orientation]))
    # resize reads the picture as it reads any PIL image (_interop.from_pil): 1-bit as L,
    # palette as RGB or RGBA, 32-bit integers in float64, the result in that mode
    # (alpha premultiplied: resize's default for images with alpha)
    return resize(picture, (out_width, out_height), mode=args.mode,      # PIL: (W, H)
                  antialias=not args.no_antialias, gamma="srgb" if args.linear else None,
                  num_threads=threads)


def _profile_name(icc):
    """An ICC profile's description ('' where Pillow's ImageCms cannot read it)."""
    try:
        import io
        from PIL import ImageCms
        return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
    except Exception:        # no ImageCms (Pillow without littlecms), or an unreadable profile
        return ""


def _is_srgb_profile(icc):
    """Whether an embedded ICC profile is an sRGB one (by its description, as sRGB IEC61966-2.1
    and its variants name themselves); unreadable profiles are not."""
    return "srgb" in _profile_name(icc).lower()


def _writable(picture, fmt):
    """picture in a mode fmt can write: 16- and 32-bit integers become 8-bit (value / 257,
    rounded) for JPEG, WebP and GIF; JPEG gets alpha flattened onto white."""
    from PIL import Image

    if fmt in _EIGHT_BIT_FORMATS and picture.mode in _WIDE_INTEGER_MODES:
        values = np.rint(np.asarray(picture, dtype=np.float64) / 257)
        picture = Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))
    if fmt == "JPEG" and picture.mode in ("RGBA", "LA"):
        flat = Image.new("RGBA", picture.size, "white")
        flat.alpha_composite(picture.convert("RGBA"))
        picture = flat.convert("RGB" if picture.mode == "RGBA" else "L")
    return picture


class _Progress:
    """Progress on stderr: a bar redrawn in place (\\r) on a terminal; elsewhere (logs, pipes)
    a plain line each time another 10% is done, or 5 seconds after the last line."""

    def __init__(self, total, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done, self.tenths, self.last = 0, 0, time.monotonic()

    def update(self, done):
        """done files of total are finished."""
        self.done = done
        if self.tty:
            filled = 30 * done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} files"
                              + ("\n" if done == self.total else ""))
        elif 10 * done // self.total > self.tenths or time.monotonic() - self.last >= 5:
            self.tenths, self.last = 10 * done // self.total, time.monotonic()
            self.stream.write(f"resample: {done}/{self.total} files ({100 * done // self.total}%)\n")
        else:
            return
        self.stream.flush()

    def stop(self):
        """Ends a bar left unfinished by an interrupt."""
        if self.tty and 0 < self.done < self.total:
            self.stream.write("\n")


def _count(n, noun):
    """n and the noun, plural unless n is 1."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _say(text):
    """Writes text to stderr from a signal handler: a raw write cannot re-enter sys.stderr."""
    with contextlib.suppress(OSError):
        os.write(2, text.encode())


@contextlib.contextmanager
def _signals_to(handler):
    """Routes SIGINT and SIGTERM to handler while the block runs.

    Only the main thread may install handlers; elsewhere (main() called from a thread)
    the defaults stay.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, signal.SIG_DFL if old is None else old)


def _run_resize(args):
    """`resample resize`: resizes every input into args.output_dir, then prints a summary.

    Returns the exit code: 0, 1 if some file failed, 2 if the output directory cannot be
    made, or 128 + the number of the signal (SIGINT, SIGTERM) that stopped the batch.
    """
    _need_pillow()
    file_mode = 0o666 & ~_umask()       # first: the umask is set while read, before any thread
    try:
        os.makedirs(args.output_dir, exist_ok=True)
    except OSError as exc:
        print(f"resample: cannot create output directory {args.output_dir}: {_describe(exc)}",
              file=sys.stderr)
        return 2
    jobs, failures, skipped = _plan(args)
    temps = _TempFiles(file_mode)
    events = queue.SimpleQueue()        # finished futures, and signal numbers from on_signal
    signals = []

    def on_signal(number, frame):
        # Runs in the main thread between two bytecodes, wherever it is, so it raises nothing
        # and takes no lock the main thread may hold: SimpleQueue.put is reentrant, and the
        # temps lock is reentrant.
        signals.append(number)
        if len(signals) > 1:
            temps.remove_all()
            _say("\nresample: interrupted again; stopped at once\n")
            os._exit(128 + number)      # sys.exit would wait for the files in progress
        _say(f"\nresample: interrupted by {signal.Signals(number).name}; finishing the files in "
             "progress (interrupt again to stop at once)\n")
        events.put(number)

    start = time.perf_counter()
    with _signals_to(on_signal):      # held through the summary: a late signal gets no traceback
        try:
            futures = _resize_all(jobs, args, temps, events)
            seconds = time.perf_counter() - start
            megapixels, resized, cancelled = _tally(futures, failures)
            for path, reason in failures:
                print(f"resample: failed {path}: {reason}", file=sys.stderr)
            if signals:
                print(f"resample: interrupted by {signal.Signals(signals[0]).name}; "
                      f"{cancelled} of {len(jobs)} files not started", file=sys.stderr)
            sys.stderr.flush()
            print(f"{_count(resized, 'file')} resized ({megapixels:.2f} megapixels in) in {seconds:.2f} s; "
                  f"{len(failures)} failed" + (f"; {_count(skipped, 'non-image or hidden file')} "
                                               "skipped" if skipped else ""))
            sys.stdout.flush()          # before a late second signal could exit without it
        finally:
            temps.remove_all()          # normally empty: each writer renamed or deleted its own
    if signals:
        return 128 + signals[0]
    return 1 if failures else 0


def _resize_all(jobs, args, temps, events):
    """Resizes the (input, output) pairs of jobs in a thread pool, showing progress.

    Every future reports to the queue events when it finishes or is cancelled; a signal
    number arriving there cancels the files not yet started. Returns [(input, future)]
    once none is in progress.
    """
    threads = 1 if args.jobs > 1 else None     # parallel files, or parallel rows: not both
    progress = _Progress(len(jobs))
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = []
        for path, out_path in jobs:
            future = pool.submit(_resize_into, path, out_path, args, threads, temps)
            future.add_done_callback(events.put)
            futures.append((path, future))
        ended = finished = 0
        while ended < len(futures):
            event = events.get()
            if isinstance(event, int):      # a signal: the running files cannot be cancelled
                for _, future in futures:
                    future.cancel()         # each cancelled one reports to events
                continue
            ended += 1
            if not event.cancelled():
                finished += 1
                if len(futures) > 1:
                    progress.update(finished)
    progress.stop()
    return futures


def _resize_into(path, out_path, args, threads, temps):
    """_resize_file, making out_path's folder first (-r mirrors subfolders)."""
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    return _resize_file(path, out_path, args, threads, temps)


def _tally(futures, failures):
    """Sums up finished futures: returns (input megapixels, files resized, files cancelled)
    and appends (input, reason) to failures for each file that failed."""
    megapixels, resized, cancelled = 0.0, 0, 0
    for path, future in futures:
        if future.cancelled():
            cancelled += 1
        elif future.exception() is None:
            megapixels += future.result()
            resized += 1
        else:                           # unreadable or unwritable: report, go on
            failures.append((path, _describe(future.exception())))
    return megapixels, resized, cancelled
