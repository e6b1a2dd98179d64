"""The `resample` command line.

  resample                     configuration and a timing table over every mode
  resample demo [-o FILE]      the zone-plate comparison image (aliasing at a glance)
  resample resize IN... -o OUTDIR (--size WxH | --scale S | --max-side N)
                               [--mode M] [--no-antialias] [-j JOBS]

Image files are read and written with Pillow (the `image` extra).
"""
import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._image import IMAGE_MODES, resize, round_to_dtype


def main(argv=None):
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ._config import show_config
        from ._demo import timing_table
        show_config()
        timing_table()
        return 0
    return args.run(args)


def _parser():
    parser = argparse.ArgumentParser(prog="resample", description="Resize arrays and images exactly "
                                     "as torch.nn.functional.interpolate does.")
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo", help="render the zone-plate aliasing comparison image")
    demo.add_argument("-o", "--output", default="demo.png", help="where to write it (default demo.png)")
    demo.set_defaults(run=_run_demo)

    rs = commands.add_parser("resize", help="resize image files")
    rs.add_argument("inputs", nargs="+", metavar="IN", help="image files (PNG, JPEG, TIFF, ...)")
    rs.add_argument("-o", "--output-dir", required=True, metavar="OUTDIR",
                    help="directory for the results (created if missing); inputs are never overwritten")
    target = rs.add_mutually_exclusive_group(required=True)
    target.add_argument("--size", type=_width_x_height, metavar="WxH", help="exact output size, e.g. 640x480")
    target.add_argument("--scale", type=_positive_float, metavar="S", help="scale both sides by S")
    target.add_argument("--max-side", type=_positive_int, metavar="N",
                        help="shrink so the longer side is at most N (never enlarges)")
    rs.add_argument("--mode", choices=IMAGE_MODES, default="bicubic", help="default bicubic")
    rs.add_argument("--no-antialias", action="store_true", help="plain interpolation when shrinking")
    rs.add_argument("-j", "--jobs", type=_positive_int, default=1, help="files resized in parallel")
    rs.set_defaults(run=_run_resize)
    return parser


def _width_x_height(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH such as 640x480, got {text!r}") from None
    if width < 1 or height < 1:
        raise argparse.ArgumentTypeError(f"width and height must be positive, got {text!r}")
    return height, width


def _positive_float(text):
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _need_pillow():
    try:
        import PIL  # noqa: F401
    except ImportError:
        sys.exit("resample: image files need Pillow: pip install 'resample-interp[image]'")


# ----------------------------------------------------------------------------- demo

def _run_demo(args):
    _need_pillow()
    from ._demo import comparison_image
    start = time.perf_counter()
    labels = comparison_image(args.output)
    print(f"wrote {args.output}: a 1024x1024 zone plate reduced 4x with {len(labels) - 1} modes "
          f"({', '.join(labels[1:])}) in {time.perf_counter() - start:.2f} s.\n"
          "Without antialias the fine rings alias into false rings; with antialias (and area) "
          "they fade to grey.")
    return 0


# ----------------------------------------------------------------------------- resize

# Pillow mode -> (how to read it, the dtype resample works in, how to write it back)
_WIDE_INTEGER_MODES = {"I;16": np.uint16, "I;16B": np.uint16, "I;16L": np.uint16, "I": np.int32}


def _new_size(height, width, args):
    if args.size:
        return args.size
    if args.scale:
        return max(1, round(height * args.scale)), max(1, round(width * args.scale))
    if max(height, width) <= args.max_side:
        return height, width
    factor = args.max_side / max(height, width)
    return max(1, int(height * factor + 0.5)), max(1, int(width * factor + 0.5))


def _resize_file(path, out_path, args, threads):
    """Read, resize and atomically write one image; returns input megapixels."""
    from PIL import Image

    with Image.open(path) as img:
        img.load()
        fmt, mode, info = img.format, img.mode, img.info
        if mode == "1":
            img = img.convert("L")
        elif mode == "P":
            img = img.convert("RGBA" if "transparency" in info else "RGB")
        pixels = np.asarray(img)
    mode = img.mode
    height, width = pixels.shape[:2]
    size = _new_size(height, width, args)
    antialias = not args.no_antialias
    wide = _WIDE_INTEGER_MODES.get(mode)
    if wide is not None:
        # 16- and 32-bit integers: computed in float64 (exact for them), rounded back
        result = resize(pixels.astype(np.float64), size, mode=args.mode, antialias=antialias,
                        num_threads=threads)
        result = round_to_dtype(result, wide, threads).astype(pixels.dtype)   # keeps byte order
    else:
        result = resize(pixels, size, mode=args.mode, antialias=antialias, num_threads=threads)
    # frombytes with the source mode keeps modes fromarray would guess wrong (CMYK, LA, I;16B)
    out_image = Image.frombytes(mode, (size[1], size[0]), np.ascontiguousarray(result).tobytes())
    save_options = {"quality": 95} if fmt == "JPEG" else {}
    if "icc_profile" in info:
        save_options["icc_profile"] = info["icc_profile"]
    directory = os.path.dirname(out_path)
    handle, tmp = tempfile.mkstemp(prefix=".resample-", suffix=os.path.splitext(out_path)[1], dir=directory)
    try:
        with os.fdopen(handle, "wb") as f:
            out_image.save(f, format=fmt, **save_options)
        os.replace(tmp, out_path)       # atomic: readers see the old file or the new one
    except BaseException:
        os.unlink(tmp)
        raise
    return height * width / 1e6


def _progress(done, total, stream=sys.stderr):
    width = 30
    filled = width * done // total
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
    if done == total:
        stream.write("\n")
    stream.flush()


def _run_resize(args):
    _need_pillow()
    try:
        os.makedirs(args.output_dir, exist_ok=True)
    except OSError as exc:
        print(f"resample: cannot create output directory {args.output_dir}: {exc}", file=sys.stderr)
        return 2
    inputs = {os.path.realpath(p) for p in args.inputs}
    jobs, failures, seen = [], [], set()
    for path in args.inputs:
        out_path = os.path.join(args.output_dir, os.path.basename(path))
        real_out = os.path.realpath(out_path)
        if real_out in inputs:
            failures.append((path, f"output {out_path} is an input file; refusing to overwrite it"))
        elif real_out in seen:
            failures.append((path, f"another input already writes {out_path}"))
        else:
            seen.add(real_out)
            jobs.append((path, out_path))
    start = time.perf_counter()
    megapixels, resized = 0.0, 0
    threads = 1 if args.jobs > 1 else None     # parallel files, or parallel rows: not both
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [(path, pool.submit(_resize_file, path, out_path, args, threads)) for path, out_path in jobs]
        for done, (path, future) in enumerate(futures, 1):
            try:
                megapixels += future.result()
                resized += 1
            except Exception as exc:     # unreadable or unwritable: report, go on
                failures.append((path, f"{type(exc).__name__}: {exc}"))
            if len(futures) > 1:
                _progress(done, len(futures))
    seconds = time.perf_counter() - start
    for path, reason in failures:
        print(f"resample: skipped {path}: {reason}", file=sys.stderr)
    sys.stderr.flush()
    print(f"{resized} files resized ({megapixels:.2f} megapixels in) in {seconds:.2f} s; "
          f"{len(failures)} failed")
    return 1 if failures else 0
