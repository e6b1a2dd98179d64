"""The `resample` command line.

  resample                     configuration and a timing table over every mode
  resample demo [-o FILE]      the zone-plate comparison image (aliasing at a glance)
  resample resize IN... -o OUTDIR (--size WxH | --scale S | --max-side N)
                               [--mode M] [--no-antialias] [-j JOBS]

Image files are read and written with Pillow (the `image` extra).

`resample resize` stops on the first SIGINT (Ctrl-C) or SIGTERM: files not yet started are
cancelled, those in progress finish, the summary is printed and the exit code is 128 + the
signal number (130 for Ctrl-C). A second signal exits at once. Either way no temporary file
is left behind and every output present is complete.
"""
import argparse
import contextlib
import os
import queue
import signal
import sys
import tempfile
import threading
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


class _TempFiles:
    """The temporary files being written, so that an interrupt can remove every one of them.

    A writer creates its file here and renames it into place (or deletes it) here too;
    remove_all() deletes whatever is left and closes the registry, so that no thread can
    create a temporary file afterwards that nobody would remove.
    """

    def __init__(self):
        self._paths = set()
        self._closed = False
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
        """Renames the finished tmp to out_path and forgets it."""
        with self._lock:
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


def _resize_file(path, out_path, args, threads, temps):
    """Read, resize and atomically write one image; returns input megapixels.

    The result is written to a temporary file registered in temps (a _TempFiles) and renamed
    to out_path only once complete, so out_path is never seen half-written.
    """
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
    handle, tmp = temps.create(out_path)
    try:
        with os.fdopen(handle, "wb") as f:
            out_image.save(f, format=fmt, **save_options)
        temps.commit(tmp, out_path)
    except BaseException:
        temps.discard(tmp)
        raise
    return height * width / 1e6


def _progress(done, total, stream=sys.stderr):
    width = 30
    filled = width * done // total
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
    if done == total:
        stream.write("\n")
    stream.flush()


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
    temps = _TempFiles()
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
                print(f"resample: skipped {path}: {reason}", file=sys.stderr)
            if signals:
                print(f"resample: interrupted by {signal.Signals(signals[0]).name}; "
                      f"{cancelled} of {len(jobs)} files not started", file=sys.stderr)
            sys.stderr.flush()
            print(f"{resized} files resized ({megapixels:.2f} megapixels in) in {seconds:.2f} s; "
                  f"{len(failures)} failed")
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
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = []
        for path, out_path in jobs:
            future = pool.submit(_resize_file, path, out_path, args, threads, temps)
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
                    _progress(finished, len(futures))
    if 0 < finished < len(futures):
        sys.stderr.write("\n")             # interrupted: end the unfinished progress bar
    return futures


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
            exc = future.exception()
            failures.append((path, f"{type(exc).__name__}: {exc}"))
    return megapixels, resized, cancelled
