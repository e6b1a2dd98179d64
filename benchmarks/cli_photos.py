"""Benchmark of `resample resize` as a photo tool (issue #12): N generated photo-like
12-megapixel JPEGs (4000x3000, quality 90) shrunk to fit 1024x1024, wall clock of the
whole batch with 2 workers each, median of 3 runs, round-robin:

* resample:          `resample resize --max-side 1024 -j 2` (one process, 2 threads)
* Pillow thumbnail:  `Image.thumbnail((1024, 1024))` and save, in a multiprocessing Pool(2)
* vipsthumbnail:     `vipsthumbnail --size 1024`, the files split over 2 processes
                     (skipped with a note when vipsthumbnail is not on PATH; Debian/Ubuntu:
                     apt-get install libvips-tools)

Every tool writes JPEG at quality 90 and pays its own interpreter or program start-up.
The issue's target: resample at most 0.5x the wall time of each peer.

    python benchmarks/cli_photos.py [--count 24] [--repeats 3] [--write]
    python benchmarks/cli_photos.py --draft [--count 4]

--write replaces the section between `<!-- cli-photos: begin -->` and
`<!-- cli-photos: end -->` in benchmarks/RESULTS.md (appending it if the markers are
missing) and leaves the rest of the file alone. --draft measures instead how far the
draft (reduced-scale) JPEG decode moves the result from the exact full decode, through
the command line with PNG output, for targets that pick each draft scale.
"""
import argparse
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from report import RESULTS, write_section  # the one writer of RESULTS.md sections
from run import background_load, cpu_seconds

BEGIN, END = "<!-- cli-photos: begin -->", "<!-- cli-photos: end -->"
WIDTH, HEIGHT, SIDE, QUALITY = 4000, 3000, 1024, 90


def photo_like(height, width, seed=0):
    """A uint8 (height, width, 3) image with what photos have: smooth gradients (a bicubic
    blow-up of a coarse random field and a vertical ramp), hard-edged patches and noise."""
    import resample

    rng = np.random.default_rng(seed)
    image = resample.resize(rng.random((6, 8, 3), np.float32) * 255, (height, width),
                            mode="bicubic", antialias=False)
    image += 40 * (np.linspace(0, 1, height, dtype=np.float32)[:, None, None] - 0.5)
    for _ in range(12):
        y, x = rng.integers(0, height), rng.integers(0, width)
        h, w = rng.integers(height // 20, height // 4), rng.integers(width // 20, width // 4)
        image[y:y + h, x:x + w] = image[y:y + h, x:x + w] * 0.3 + rng.random(3, np.float32) * 180
    image += rng.integers(-12, 13, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def make_photos(folder, count):
    """count photo-like JPEGs in folder; returns their paths."""
    from PIL import Image

    paths = []
    for i in range(count):
        path = Path(folder) / f"photo{i:03d}.jpg"
        Image.fromarray(photo_like(HEIGHT, WIDTH, seed=i)).save(path, quality=QUALITY)
        paths.append(str(path))
    return paths


PILLOW_SCRIPT = """
import os, sys
from multiprocessing import Pool
from PIL import Image

def thumb(path):
    with Image.open(path) as img:
        img.thumbnail(({side}, {side}))
        img.save(os.path.join(sys.argv[1], os.path.basename(path)), quality={quality})

if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(thumb, sys.argv[2:], chunksize=1)
"""


def commands(paths, out):
    """{tool: function running the batch into out}; vipsthumbnail only if it is on PATH."""
    def resample_cli():
        run([sys.executable, "-m", "resample", "resize", *paths, "-o", out,
             "--max-side", str(SIDE), "-j", "2"])

    def pillow():
        run([sys.executable, "-c", PILLOW_SCRIPT.format(side=SIDE, quality=QUALITY), out, *paths])

    def vips():
        half = (len(paths) + 1) // 2
        procs = [subprocess.Popen(["vipsthumbnail", "--size", str(SIDE),
                                   "-o", os.path.join(out, f"%s.jpg[Q={QUALITY}]"), *part])
                 for part in (paths[:half], paths[half:]) if part]
        if any(p.wait() for p in procs):
            raise RuntimeError("vipsthumbnail failed")

    tools = {"resample": resample_cli, "Pillow thumbnail": pillow}
    if shutil.which("vipsthumbnail"):
        tools["vipsthumbnail"] = vips
    return tools


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{command[:4]} failed: {done.stderr.strip()}")


def time_tools(paths, work, repeats):
    """({tool: median wall seconds} over repeats rounds, one run of each tool per round,
    the fraction of the machine's CPU time other processes took meanwhile, or None)."""
    out = os.path.join(work, "out")
    tools = commands(paths, out)
    for path in paths:                          # into the page cache: every tool reads warm
        Path(path).read_bytes()
    samples = {name: [] for name in tools}
    cpu_at_start, began = cpu_seconds(), time.perf_counter()
    for _ in range(repeats):
        for name, call in tools.items():
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
            if len(os.listdir(out)) != len(paths):
                raise RuntimeError(f"{name} wrote {len(os.listdir(out))} of {len(paths)} files")
    load = background_load(cpu_at_start, time.perf_counter() - began)
    return {name: statistics.median(s) for name, s in samples.items()}, load


def vips_version():
    if not shutil.which("vipsthumbnail"):
        return "not installed"
    return subprocess.run(["vipsthumbnail", "--version"], capture_output=True, text=True).stdout.strip()


def markdown(times, load, count, repeats, breakdown):
    """The section for RESULTS.md, markers included."""
    import PIL

    import resample

    mine = times["resample"]
    lines = [BEGIN, "## Photos: `resample resize` against vipsthumbnail and Pillow", "",
             f"Generated by `python benchmarks/cli_photos.py --count {count} --write` on "
             f"{time.strftime('%Y-%m-%d')}: {count} generated photo-like {WIDTH}x{HEIGHT} JPEGs "
             f"(quality {QUALITY}) fitted into {SIDE}x{SIDE} and written as JPEG quality {QUALITY}, "
             f"2 workers per tool, wall clock of the batch with start-up, median of {repeats} runs. "
             f"{os.cpu_count()} logical cores; Python {platform.python_version()}, resample "
             f"{resample.__version__}, Pillow {PIL.__version__}, {vips_version()}. Other load "
             "during the runs: " + ("unknown" if load is None else f"{load:.0%} of the machine's "
                                    "CPU time") + ".", "",
             "| tool | how | wall time | resample / tool |", "|---|---|---|---|"]
    how = {"resample": f"`resample resize --max-side {SIDE} -j 2`",
           "Pillow thumbnail": f"`Image.thumbnail(({SIDE}, {SIDE}))`, `Pool(2)`",
           "vipsthumbnail": f"`vipsthumbnail --size {SIDE}`, 2 processes"}
    for name, seconds in times.items():
        ratio = "—" if name == "resample" else f"{mine / seconds:.2f}"
        lines.append(f"| {name} | {how[name]} | {seconds:.2f} s | {ratio} |")
    if "vipsthumbnail" not in times:
        lines += ["", "vipsthumbnail is not on PATH here: its column is missing."]
    peers = [name for name in times if name != "resample"]
    verdict = ", ".join(f"{name} {'met' if mine <= 0.5 * times[name] else 'not met'} "
                        f"({mine / times[name]:.2f})" for name in peers)
    lines += ["", f"Target: resample at most 0.5× each peer's time: {verdict}.", "",
              "Where resample's time goes, per photo (one process, medians of 7):", "",
              "| stage | ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in breakdown.items()]
    per_file = sum(ms for name, ms in breakdown.items() if not name.startswith("start-up"))
    lines += ["", f"So a photo costs about {per_file:.0f} ms of one core, "
              f"{breakdown[next(iter(breakdown))] / per_file:.0%} of it libjpeg-turbo's decode "
              "(the entropy decoding, which the reduced-scale decode does not shorten); "
              f"{count} photos on 2 cores cannot take less than about "
              f"{(count / 2 * per_file + next(v for k, v in breakdown.items() if k.startswith('start-up'))) / 1e3:.2f} s "
              "this way.", END]
    return "\n".join(lines) + "\n"


def draft_report(paths, work):
    """Prints, per target, the draft scale picked and the max and mean absolute difference
    (8-bit levels, all files) between the default (draft) and --exact outputs, as PNG."""
    from PIL import Image

    from resample._cli import draft_scale

    print(f"draft against exact decode, {len(paths)} photo-like {WIDTH}x{HEIGHT} JPEGs, "
          "bicubic antialias, --max-side N\n")
    print("| --max-side | draft scale | max abs diff | mean abs diff | time draft / exact |")
    print("|---|---|---|---|---|")
    for side in (1024, 1000, 500, 250, 100):
        outputs, seconds = {}, {}
        for name, extra in (("draft", []), ("exact", ["--exact"])):
            out = os.path.join(work, f"{name}{side}")
            start = time.perf_counter()
            run([sys.executable, "-m", "resample", "resize", *paths, "-o", out, "--max-side",
                 str(side), "--format", "png", "-j", "2", *extra])
            seconds[name] = time.perf_counter() - start
            outputs[name] = [np.asarray(Image.open(os.path.join(out, Path(p).stem + ".png")), np.int16)
                             for p in paths]
        diffs = np.concatenate([np.abs(a - b).ravel() for a, b in zip(outputs["draft"], outputs["exact"])])
        scale = draft_scale(WIDTH, HEIGHT, side, side * HEIGHT // WIDTH)
        print(f"| {side} | 1/{scale} | {diffs.max()} | {diffs.mean():.3f} | "
              f"{seconds['draft']:.2f} s / {seconds['exact']:.2f} s |")


def stages(path, repeats=7):
    """{stage: median milliseconds} for one photo going the CLI's way (draft decode,
    Pillow to NumPy, resize on 1 thread, NumPy to Pillow, JPEG encode) and the start-up
    of `python -m resample --version`: where the batch's time goes."""
    import io

    from PIL import Image

    import resample
    from resample._cli import draft_scale

    samples = {}

    def timed(name, call):
        start = time.perf_counter()
        value = call()
        samples.setdefault(name, []).append(time.perf_counter() - start)
        return value

    out_w, out_h = SIDE, SIDE * HEIGHT // WIDTH
    scale = draft_scale(WIDTH, HEIGHT, out_w, out_h)
    for _ in range(repeats):
        def decode():
            img = Image.open(path)
            img.draft("RGB", (WIDTH // scale, HEIGHT // scale))
            img.load()
            return img
        img = timed(f"JPEG decode at 1/{scale}", decode)
        pixels = timed("Pillow to NumPy", lambda: np.asarray(img))
        small = timed("resize (1 thread)", lambda: resample.resize(pixels, (out_h, out_w), mode="bicubic",
                                                                    num_threads=1))
        picture = timed("NumPy to Pillow", lambda: Image.fromarray(small))
        timed(f"JPEG encode (quality {QUALITY})", lambda: picture.save(io.BytesIO(), "JPEG", quality=QUALITY))
        timed("start-up (`python -m resample --version`)",
              lambda: run([sys.executable, "-m", "resample", "--version"]))
    return {name: 1e3 * statistics.median(s) for name, s in samples.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=24, help="photos to generate (default 24)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument("--draft", action="store_true",
                        help="measure draft against exact decoding instead of timing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cli-photos-") as work:
        print(f"generating {args.count} photo-like {WIDTH}x{HEIGHT} JPEGs ...", file=sys.stderr)
        paths = make_photos(work, args.count)
        if args.draft:
            draft_report(paths, work)
            return 0
        times, load = time_tools(paths, work, args.repeats)
        breakdown = stages(paths[0])
    text = markdown(times, load, args.count, args.repeats, breakdown)
    print(text)
    if args.write:
        write_section(text)
        print(f"wrote the section into {RESULTS}")
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
