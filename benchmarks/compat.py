"""Benchmark of resample.compat against the libraries it reproduces (issue #13): a 1080p RGB
uint8 frame shrunk and enlarged 2x by pil_resize and Pillow's Image.resize, by
torchvision_resize and torchvision's resize, and by cv2_resize and cv2.resize, at one
thread in one process, interleaved, medians over repeats; each row also checks that the two
results are the same bits (OpenCV as its wheel runs, with IPP; cubic also with IPP off, the
code cv2_resize reproduces); by tf_resize and tf.image.resize (TensorFlow on one intra-op
thread), and by jax_resize and jax.image.resize (XLA's CPU client on one thread; jax's
interpolating methods are a dense dot, whose rounding jax_resize does not reproduce, so
those rows report the largest difference in float32 epsilons of 255). Pillow is
single-threaded, so pil_resize also runs on every core. OpenCV's other image types
(uint16, int16, float64, int8, int32: the same frame scaled to each type's range) are
timed shrunk and enlarged 1.5x, with IPP off too where the wheel's IPP takes over (uint16
and int16 linear and cubic, float64 linear).

    python benchmarks/compat.py [--repeats 7] [--no-write] [--only opencv-types tensorflow jax ...]

It rewrites the "compat" section of benchmarks/RESULTS.md (between its markers) and leaves
the rest of the file alone.
"""
import argparse
import os
import platform
import statistics
import sys
import time
import types

os.environ.setdefault("OMP_NUM_THREADS", "1")       # peers that use OpenMP: one thread too
# jax's XLA CPU client on one thread (read when jax starts)
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import resample  # noqa: E402
from report import write_section  # noqa: E402
from resample.compat import pil_resize, torchvision_resize  # noqa: E402
from resize_nd import median_time  # noqa: E402

BEGIN, END = "<!-- compat: begin -->", "<!-- compat: end -->"
HEIGHT, WIDTH = 1080, 1920


def pillow_rows(frame):
    """(label, resample call, peer call, threads) for Pillow's filters, ↓2 and ↑2."""
    from PIL import Image
    picture = Image.fromarray(frame)
    rows = []
    for name, code in (("bilinear", Image.Resampling.BILINEAR), ("bicubic", Image.Resampling.BICUBIC),
                       ("lanczos", Image.Resampling.LANCZOS)):
        for label, size in (("↓2", (WIDTH // 2, HEIGHT // 2)), ("↑2", (WIDTH * 2, HEIGHT * 2))):
            if name != "bicubic" and label == "↑2":
                continue
            for threads in (1, -1):
                rows.append((f"Pillow {name} {label}", threads,
                             lambda s=size, n=name, t=threads: pil_resize(frame, s, n, num_threads=t),
                             lambda s=size, c=code: np.asarray(picture.resize(s, c))))
    return rows


def torchvision_rows(frame):
    """The same for torchvision's resize of a (3, H, W) uint8 tensor, antialiased bilinear."""
    import torch
    sys.modules.setdefault("torchvision._meta_registrations",
                           types.ModuleType("torchvision._meta_registrations"))
    from torchvision.transforms.v2 import functional as F
    torch.set_num_threads(1)
    chw = np.ascontiguousarray(frame.transpose(2, 0, 1))
    tensor = torch.from_numpy(chw)
    rows = []
    for label, size in (("↓2", [HEIGHT // 2, WIDTH // 2]), ("↑2", [HEIGHT * 2, WIDTH * 2])):
        rows.append((f"torchvision bilinear {label}", 1,
                     lambda s=size: torchvision_resize(chw, s, num_threads=1),
                     lambda s=size: F.resize(tensor, s).numpy()))
    return rows


def opencv_rows(frame):
    """The same for cv2.resize of the HWC frame, one OpenCV thread."""
    import cv2

    from resample.compat import cv2_resize
    cv2.setNumThreads(1)
    rows = []
    for name, flag in (("linear", cv2.INTER_LINEAR), ("area", cv2.INTER_AREA),
                       ("cubic", cv2.INTER_CUBIC), ("lanczos4", cv2.INTER_LANCZOS4)):
        for label, size in (("↓2", (WIDTH // 2, HEIGHT // 2)), ("↑2", (WIDTH * 2, HEIGHT * 2))):
            ours = lambda s=size, f=flag: cv2_resize(frame, s, interpolation=f, num_threads=1)  # noqa: E731
            rows.append((f"OpenCV {name} {label}", 1, ours,
                         lambda s=size, f=flag: cv2.resize(frame, s, interpolation=f)))
            if name == "cubic":       # the wheel's IPP computes other bits: also OpenCV's own code
                rows.append((f"OpenCV {name} {label}, IPP off", 1, ours,
                             lambda s=size, f=flag: without_ipp(cv2, lambda: cv2.resize(frame, s, interpolation=f))))
    return rows


# OpenCV's other image types: the frame in each type's range (float64 outside 0..255), and
# where the wheel's IPP computes other bits than OpenCV's own code (docs/compat.md)
OTHER_TYPES = {
    "uint16": lambda f: f.astype(np.uint16) * 257,
    "int16": lambda f: (f.astype(np.int16) - 128) * 256,
    "float64": lambda f: f.astype(np.float64) * 4.0 - 300.0,
    "int8": lambda f: (f.astype(np.int16) - 128).astype(np.int8),
    "int32": lambda f: (f.astype(np.int32) - 128) * (1 << 23),
}
IPP_TAKES = {("uint16", "linear"), ("uint16", "cubic"), ("int16", "linear"), ("int16", "cubic"),
             ("float64", "linear")}


def opencv_type_rows(frame):
    """cv2_resize against cv2.resize for OpenCV's other image types, one OpenCV thread:
    linear, cubic, area and lanczos4 shrinking 1.5x and linear enlarging 1.5x (int8 and
    int32, which OpenCV resizes only with nearest and linear-exact: linear-exact both ways)."""
    import cv2

    from resample.compat import cv2_resize
    cv2.setNumThreads(1)
    flags = {"linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA,
             "lanczos4": cv2.INTER_LANCZOS4, "linear-exact": cv2.INTER_LINEAR_EXACT}
    down, up = (WIDTH * 2 // 3, HEIGHT * 2 // 3), (WIDTH * 3 // 2, HEIGHT * 3 // 2)
    rows = []
    for dtype, convert in OTHER_TYPES.items():
        image = convert(frame)
        if dtype in ("int8", "int32"):
            work = [("linear-exact", "↓1.5", down), ("linear-exact", "↑1.5", up)]
        else:
            work = [(name, "↓1.5", down) for name in ("linear", "cubic", "area", "lanczos4")]
            work.append(("linear", "↑1.5", up))
        for name, label, size in work:
            flag = flags[name]
            ours = lambda s=size, f=flag, x=image: cv2_resize(x, s, interpolation=f, num_threads=1)  # noqa: E731
            rows.append((f"OpenCV {dtype} {name} {label}", 1, ours,
                         lambda s=size, f=flag, x=image: cv2.resize(x, s, interpolation=f)))
            if (dtype, name) in IPP_TAKES:
                rows.append((f"OpenCV {dtype} {name} {label}, IPP off", 1, ours,
                             lambda s=size, f=flag, x=image: without_ipp(
                                 cv2, lambda: cv2.resize(x, s, interpolation=f))))
    return rows


def tensorflow_rows(frame):
    """The same for tf.image.resize of the HWC frame (a tf.constant), one intra-op thread:
    bilinear, bicubic and lanczos3 antialiased when shrinking (bilinear also without, Keras'
    default), area, nearest."""
    import tensorflow as tf

    from resample.compat import tf_resize
    tf.config.threading.set_intra_op_parallelism_threads(1)     # before any op runs
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tensor = tf.constant(frame)
    rows = []
    for method, shrink_aa in (("bilinear", True), ("bilinear", False), ("bicubic", True),
                              ("lanczos3", True), ("area", False), ("nearest", False)):
        for label, size in (("↓2", (HEIGHT // 2, WIDTH // 2)), ("↑2", (HEIGHT * 2, WIDTH * 2))):
            aa = shrink_aa and label == "↓2"
            if label == "↑2" and not shrink_aa and method == "bilinear":
                continue                                  # (the same call as the row above)
            name = f"TensorFlow {method}{' antialias' if aa else ''} {label}"
            rows.append((name, 1,
                         lambda s=size, m=method, a=aa: tf_resize(frame, s, m, antialias=a, num_threads=1),
                         lambda s=size, m=method, a=aa: tf.image.resize(tensor, s, m, antialias=a).numpy()))
    return rows


def jax_rows(frame):
    """The same for jax.image.resize of the HWC frame (on the device already): linear and
    lanczos3 (antialiased, jax's default), cubic, nearest."""
    import jax

    from resample.compat import jax_resize
    array = jax.device_put(frame)
    rows = []
    for method in ("linear", "lanczos3", "cubic", "nearest"):
        for label, shape in (("↓2", (HEIGHT // 2, WIDTH // 2, 3)), ("↑2", (HEIGHT * 2, WIDTH * 2, 3))):
            rows.append((f"JAX {method} {label}", 1,
                         lambda s=shape, m=method: jax_resize(frame, s, m, num_threads=1),
                         lambda s=shape, m=method: np.asarray(jax.image.resize(array, s, m))))
    return rows


def agreement(label, ours, theirs):
    """True when the bits are the same; for jax's dot-based methods, its bound instead."""
    if np.array_equal(ours, theirs):
        return True
    if label.startswith("JAX") and ours.dtype == theirs.dtype == np.float32:
        eps = np.abs(ours.astype(np.float64) - theirs).max() / (np.finfo(np.float32).eps * 255)
        return f"within {eps:.1f} eps"
    return False


def without_ipp(cv2, call):
    """call() with OpenCV's Intel IPP switched off (its own code, the arithmetic cv2_resize
    reproduces), then back as it was."""
    saved = cv2.ipp.useIPP()
    cv2.ipp.setUseIPP(False)
    try:
        return call()
    finally:
        cv2.ipp.setUseIPP(saved)


LIBRARIES = {"pillow": pillow_rows, "torchvision": torchvision_rows, "opencv": opencv_rows,
             "opencv-types": opencv_type_rows, "tensorflow": tensorflow_rows, "jax": jax_rows}


def run(repeats, only=None):
    from cli_photos import photo_like
    frame = photo_like(HEIGHT, WIDTH)
    rows, results = [], []
    for name, make in LIBRARIES.items():
        if only and name not in only:
            continue
        try:
            rows += make(frame)
        except ImportError as error:
            print(f"{make.__name__}: not available ({error})", file=sys.stderr)
    for label, threads, ours, peer in rows:
        same = agreement(label, ours(), peer())
        times = {"resample": [], "peer": []}
        for _ in range(repeats):                     # round-robin: noise hits both alike
            times["resample"].append(median_time(ours, 1))
            times["peer"].append(median_time(peer, 1))
        result = {k: statistics.median(v) for k, v in times.items()}
        results.append((label, threads, result["resample"], result["peer"], same))
        print(label, threads, {k: f"{v * 1e3:.1f} ms" for k, v in result.items()}, same, flush=True)
    return results


def section(results, repeats):
    import PIL
    versions = [f"Pillow {PIL.__version__}"]
    try:
        import cv2
        versions.append(f"OpenCV {cv2.__version__}")
    except ImportError:
        pass
    try:
        import torch
        sys.modules.setdefault("torchvision._meta_registrations",      # as torchvision_rows
                               types.ModuleType("torchvision._meta_registrations"))
        import torchvision
        versions.append(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    except ImportError:
        pass
    for module in ("tensorflow", "jax"):
        if module in sys.modules:
            versions.append(f"{module} {sys.modules[module].__version__}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [BEGIN, "## Compatibility: resample.compat against the libraries it reproduces", "",
             f"`python benchmarks/compat.py` on {time.strftime('%Y-%m-%d')}: a {WIDTH}x{HEIGHT} RGB "
             f"uint8 photo-like frame (HWC for Pillow, CHW for torchvision; for OpenCV's other "
             f"image types the same frame scaled to their range), medians of {repeats} "
             f"interleaved runs, one process; {cores} cores, Python {platform.python_version()}, "
             f"resample {resample.__version__}, {', '.join(versions)}. The peer runs on one thread "
             "(Pillow has no other; torch is set to 1); resample on the threads shown (all = every "
             "core). \"same bits\" compares the two results (OpenCV's cubic, and its uint16, int16 "
             "and float64 linear and 16-bit cubic, go to Intel IPP in "
             "its wheel, which cv2_resize does not reproduce: docs/compat.md; the \"IPP off\" rows "
             "time OpenCV's own code, whose bits cv2_resize gives).", "",
             "| workload | resample threads | resample | peer | resample / peer | same bits |",
             "|---|---|---|---|---|---|"]
    for label, threads, ours, peer, same in results:
        lines.append(f"| {label} | {'all' if threads == -1 else threads} | {ours * 1e3:.1f} ms | "
                     f"{peer * 1e3:.1f} ms | {ours / peer:.2f} | "
                     f"{'yes' if same is True else 'NO' if same is False else same} |")
    lines.append("")
    for library in ("Pillow", "torchvision", "OpenCV", "TensorFlow", "JAX"):
        ratios = [ours / peer for label, threads, ours, peer, _ in results
                  if threads == 1 and label.startswith(library) and not label.endswith("IPP off")
                  and not _other_type(label)]
        if ratios:
            lines.append(f"Target for {library}: at least as fast at one thread: "
                         f"{'met' if max(ratios) <= 1 else 'not met'} (worst ratio {max(ratios):.2f}).")
    own = [ours / peer for label, _, ours, peer, _ in results
           if label.endswith("IPP off") and not _other_type(label)]
    if own:
        lines.append(f"Against OpenCV's own cubic code (IPP off): worst ratio {max(own):.2f}.")
    typed = [(label, ours / peer) for label, _, ours, peer, _ in results if _other_type(label)]
    if typed:
        wheel = [r for label, r in typed if not label.endswith("IPP off")]
        own = [r for label, r in typed if label.endswith("IPP off")]
        lines.append(f"OpenCV's other image types ({', '.join(OTHER_TYPES)}): worst ratio "
                     f"{max(wheel):.2f} against the wheel" + (f", {max(own):.2f} against OpenCV's "
                                                             "own code where IPP takes over"
                                                             if own else "") + ".")
    lines.append(END)
    return "\n".join(lines) + "\n"


def _other_type(label):
    return label.startswith("OpenCV ") and label.split()[1] in OTHER_TYPES


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print, don't touch RESULTS.md")
    parser.add_argument("--only", nargs="+", choices=sorted(LIBRARIES),
                        help="time these libraries only (then RESULTS.md is left alone)")
    args = parser.parse_args(argv)
    text = section(run(args.repeats, args.only), args.repeats)
    print(text)
    if not args.no_write and not args.only:
        write_section(text)


if __name__ == "__main__":
    main()
