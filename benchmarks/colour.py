"""Benchmark of resize's colour options (issue #28, docs/guide/colour.md), one process,
medians of interleaved repeats, every tool at the same thread count:

* a 12-MP RGB uint8 photo (4000x3000, generated as cli_photos.py makes them) to 1/4, and a
  1080p RGBA uint8 image (such a photo cut out by a soft-edged disc) halved: resample plain, gamma="srgb", alpha=True (RGBA) and
  both, against vips `thumbnail_image` plain and `linear=True` (pyvips; its lanczos3,
  premultiplied where there is alpha), with resample in lanczos too;
* the agreement of resample's lanczos in linear light with vips's on the photo;
* `resample resize --linear` against plain on the photo command line (cli_photos.py's
  photos and target, fewer of them), in subprocesses as a user runs it.

    python benchmarks/colour.py [--threads 1] [--repeats 7] [--count 6] [--write]

--write replaces the section between `<!-- colour: begin -->` and `<!-- colour: end -->`
in benchmarks/RESULTS.md. Without pyvips (pip install pyvips-binary pyvips) its columns
say so."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from cli_photos import SIDE, make_photos, photo_like
from report import write_section
from run import background_load, cpu_seconds, medians

BEGIN, END = "<!-- colour: begin -->", "<!-- colour: end -->"


def vips_image(array):
    import pyvips
    height, width, bands = array.shape
    image = pyvips.Image.new_from_memory(np.ascontiguousarray(array).tobytes(), width, height,
                                         bands, "uchar")
    return image.copy(interpretation="srgb")


def vips_thumbnail(image, width, height, linear):
    return image.thumbnail_image(width, height=height, size="force", linear=linear)


def vips_array(image):
    return np.ndarray((image.height, image.width, image.bands), np.uint8, image.write_to_memory())


def soft_disc(height, width):
    """An alpha channel as a cut-out has one: an opaque disc with an 8-pixel soft edge on
    transparent ground (the photo's colour hidden under it)."""
    y, x = np.mgrid[0:height, 0:width]
    r = np.hypot(y - height / 2, x - width / 2)
    alpha = np.clip((0.45 * height - r) / 8, 0, 1) * 255
    return np.rint(alpha).astype(np.uint8)[..., None]


def workloads(threads, repeats):
    """[(label, {name: median s})] of the two images."""
    import resample
    try:
        import pyvips
        pyvips.cache_set_max(0)             # every call computes
    except ImportError:
        pyvips = None
    photo = photo_like(3000, 4000)
    rgba = np.concatenate([photo_like(1080, 1920, seed=1), soft_disc(1080, 1920)], axis=-1)
    rows = []
    for label, image, size, alpha in (("12-MP RGB uint8 → ¼", photo, (750, 1000), False),
                                      ("1080p RGBA uint8 ↓2", rgba, (540, 960), True)):
        calls = {}
        for mode in ("bilinear", "lanczos"):
            def call(mode=mode, **kw):
                return lambda: resample.resize(image, size, mode=mode, num_threads=threads, **kw)
            calls[f"{mode} plain"] = call(alpha=False)
            calls[f"{mode} srgb"] = call(alpha=False, gamma="srgb")
            if alpha:
                calls[f"{mode} alpha"] = call(alpha=True)
                calls[f"{mode} alpha srgb"] = call(alpha=True, gamma="srgb")
        if pyvips is not None:
            v = vips_image(image)
            calls["vips plain"] = lambda v=v: vips_array(vips_thumbnail(v, size[1], size[0], False))
            calls["vips linear"] = lambda v=v: vips_array(vips_thumbnail(v, size[1], size[0], True))
        rows.append((label, medians(calls, repeats)))
    return rows


def agreement():
    """{vips call: (max |resample - vips|, fraction within 1 level, fraction equal)} on the
    photo to ¼, resample's lanczos with gamma='srgb' against vips in linear light: its
    thumbnail (which shrinks by a box filter first, then lanczos3) and its lanczos3 alone
    (resize with gap=0 on the image made scRGB, vips's linear light); None without pyvips."""
    import resample
    try:
        import pyvips  # noqa: F401
    except ImportError:
        return None
    photo = photo_like(3000, 4000)
    mine = resample.resize(photo, (750, 1000), mode="lanczos", gamma="srgb").astype(int)
    image = vips_image(photo)
    theirs = {
        "thumbnail_image(1000, height=750, size='force', linear=True)":
            vips_thumbnail(image, 1000, 750, True),
        "colourspace('scrgb').resize(0.25, kernel='lanczos3', gap=0).colourspace('srgb')":
            image.colourspace("scrgb").resize(0.25, kernel="lanczos3", gap=0).colourspace("srgb"),
    }
    found = {}
    for call, result in theirs.items():
        diff = np.abs(mine - vips_array(result).astype(int))
        found[call] = (int(diff.max()), float((diff <= 1).mean()), float((diff == 0).mean()))
    return found


def cli(count, repeats, threads):
    """{"plain" | "--linear": median wall seconds} of `resample resize --max-side SIDE` on
    count generated photos, one worker of `threads` threads each."""
    with tempfile.TemporaryDirectory() as work:
        paths = make_photos(work, count)
        calls = {}
        for name, extra in (("plain", []), ("--linear", ["--linear"])):
            out = os.path.join(work, name.strip("-"))
            command = [sys.executable, "-m", "resample", "resize", *paths, "-o", out,
                       "--max-side", str(SIDE), "-j", "1"]
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            calls[name] = lambda c=command + extra, e=env: subprocess.run(c, check=True, env=e,
                                                                          capture_output=True)
        return medians(calls, repeats)


def markdown(rows, agree, cli_times, threads, repeats, count, load):
    import platform

    import PIL

    import resample
    try:
        import pyvips
        vips = f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)} (pyvips {pyvips.__version__})"
    except ImportError:
        vips = "pyvips not installed"
    ms = lambda s: f"{s * 1e3:.1f} ms"         # noqa: E731
    lines = [BEGIN, "## Colour: premultiplied alpha and linear light (issue #28)", "",
             f"Generated by `python benchmarks/colour.py --threads {threads} --repeats {repeats} "
             f"--count {count} --write` on {time.strftime('%Y-%m-%d')}: one process, medians of "
             f"{repeats} interleaved runs, {threads} thread(s) for every tool (vips: "
             f"VIPS_CONCURRENCY={threads}). {os.cpu_count()} logical cores; Python "
             f"{platform.python_version()}, resample {resample.__version__}, Pillow "
             f"{PIL.__version__}, {vips}. Other load during the runs: "
             f"{'unknown' if load is None else f'{load:.0%}'} of the machine's CPU time.", "",
             "| workload | call | time | / plain (same mode) | vips linear / this |",
             "|---|---|---|---|---|"]
    for label, t in rows:
        for name, s in t.items():
            mode = name.split()[0]
            plain = t.get(f"{mode} plain")
            vs_plain = f"{s / plain:.2f}" if plain and mode != "vips" else "—"
            vips_linear = t.get("vips linear")
            vs_vips = f"{vips_linear / s:.1f}" if vips_linear and mode != "vips" else "—"
            lines.append(f"| {label} | `{name}` | {ms(s)} | {vs_plain} | {vs_vips} |")
    lines += ["", "Targets (issue #28 item 5), lanczos and bilinear: `srgb` at most 1.5× plain and "
              "vips linear at least 5× resample's `srgb` time; `alpha` at most 1.2× plain RGBA. "
              "The ratio columns above are the measurement; docs/guide/colour.md says which "
              "are met and why the others are not.", ""]
    if agree is None:
        lines.append("Agreement with vips: pyvips not installed.")
    else:
        lines += ["Agreement on the 12-MP photo to ¼, resample `mode='lanczos', gamma='srgb'` "
                  "against vips in linear light (uint8 levels):", "",
                  "| vips call | within 1 level | equal | most apart |", "|---|---|---|---|"]
        for call, (worst, within, equal) in agree.items():
            lines.append(f"| `{call}` | {within:.2%} | {equal:.2%} | {worst} |")
        lines += ["", "vips's thumbnail shrinks by a box filter before its lanczos3 (so it "
                  "differs at fine detail); its lanczos3 alone is the same filter as resample's."]
    if cli_times:
        plain, linear = cli_times["plain"], cli_times["--linear"]
        lines += ["", f"Command line, {count} photos (cli_photos.py's 4000x3000 JPEGs) with "
                  f"`resample resize --max-side {SIDE} -j 1` at {threads} thread(s), wall clock "
                  f"with start-up: plain {plain:.2f} s, `--linear` {linear:.2f} s, "
                  f"{linear / plain:.2f}× (target at most 1.3×). `--linear` decodes JPEGs at "
                  f"full size (libjpeg's reduced-size decode averages in sRGB's curve), where "
                  f"plain decodes them at 1/2."]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--count", type=int, default=6, help="photos for the command line (0: skip)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    os.environ["VIPS_CONCURRENCY"] = str(args.threads)       # before pyvips starts libvips
    start, began = cpu_seconds(), time.perf_counter()
    rows = workloads(args.threads, args.repeats)
    agree = agreement()
    cli_times = cli(args.count, max(3, args.repeats // 2), args.threads) if args.count else None
    load = background_load(start, time.perf_counter() - began)
    text = markdown(rows, agree, cli_times, args.threads, args.repeats, args.count, load)
    sys.stdout.write(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
