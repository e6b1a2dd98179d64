"""Benchmark of resize beyond torch's edges (issue #11): antialiased and cubic resizing of
volumes, against what users do today (scikit-image's resize with anti_aliasing, SciPy's
zoom), next to resample's own trilinear calls without antialias, all at one thread, in
one process, interleaved, medians over repeats. Also checks the 3-D antialias quality
claim and writes a picture of it.

    python benchmarks/resize_nd.py [--repeats 7] [--picture benchmarks/volume_aliasing.png]

It rewrites the "Beyond torch" section of benchmarks/RESULTS.md (between its markers) and
leaves the rest of the file alone.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")       # peers that use OpenMP: one thread too

import numpy as np  # noqa: E402

import resample  # noqa: E402
from report import write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- resize-nd: begin -->", "<!-- resize-nd: end -->"


def median_time(call, repeats):
    call()                                      # warm-up (plans, page faults of the peers)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def workloads(rng):
    big = rng.random((192, 192, 192), np.float32)
    small = rng.random((96, 96, 96), np.float32)
    axes = dict(axes=(0, 1, 2), num_threads=1)
    rows = {
        "192³ → 96³ linear antialias": {
            "resample": lambda: resample.resize(big, (96,) * 3, mode="linear", antialias=True, **axes),
            "skimage": ("skimage.transform", lambda m: m.resize(big, (96,) * 3, order=1,
                                                                anti_aliasing=True)),
        },
        "192³ → 96³ trilinear (no antialias)": {
            "resample": lambda: resample.resize(big, (96,) * 3, mode="linear", antialias=False, **axes),
        },
        "96³ → 192³ cubic": {
            "resample": lambda: resample.resize(small, (192,) * 3, mode="cubic", antialias=False, **axes),
            "scipy": ("scipy.ndimage", lambda m: m.zoom(small, 2, order=3)),
        },
        "96³ → 192³ trilinear": {
            "resample": lambda: resample.resize(small, (192,) * 3, mode="linear", antialias=False, **axes),
        },
        "1080p RGB float32 ↓2 bilinear antialias, resize (H, W, C)": {
            "resample": lambda: resample.resize(hwc, (540, 960), mode="linear", num_threads=1),
            "interpolate": ("resample", lambda m: m.interpolate(nchw, size=(540, 960), mode="bilinear",
                                                                antialias=True, num_threads=1)),
        },
    }
    hwc = rng.random((1080, 1920, 3), np.float32)
    nchw = hwc[None].transpose(0, 3, 1, 2)
    return rows


def run(repeats):
    import importlib
    rng = np.random.default_rng(0)
    results = {}
    for name, calls in workloads(rng).items():
        timed = {"resample": calls["resample"]}
        for peer, spec in calls.items():
            if peer == "resample":
                continue
            module_name, make = spec
            try:
                module = importlib.import_module(module_name)
            except ImportError as error:
                print(f"{peer}: not available ({error})", file=sys.stderr)
                continue
            timed[peer] = (lambda m=module, f=make: f(m))
        times = {peer: [] for peer in timed}
        for _ in range(repeats):               # round-robin: noise hits every peer alike
            for peer, call in timed.items():
                times[peer].append(median_time(call, 1))
        results[name] = {peer: statistics.median(t) for peer, t in times.items()}
        print(name, {k: f"{v * 1e3:.1f} ms" for k, v in results[name].items()}, flush=True)
    return results


def quality(picture):
    """Aliased energy of a 128³ zone plate shrunk 4x, with and without antialias (the
    measure of tests/test_resize_nd.py), and the middle slices side by side."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from test_resize_nd import aliased_energy, zone_plate_volume
    volume = zone_plate_volume(128)
    energies = {aa: aliased_energy(volume, 4, aa) for aa in (False, True)}
    if picture:
        from PIL import Image
        slices = [volume[64]] + [resample.resize(volume, (32,) * 3, axes=(0, 1, 2), mode="linear",
                                                 antialias=aa)[16] for aa in (False, True)]
        tiles = [resample.resize(s, (256, 256), mode="nearest") for s in slices]
        strip = np.concatenate([np.pad(t, 4, constant_values=1.0) for t in tiles], axis=1)
        Image.fromarray(np.clip((strip + 1) * 127.5, 0, 255).astype(np.uint8)).save(picture)
    return energies


def section(results, energies, picture):
    lines = [BEGIN, "## Beyond torch: volumes (issue #11)", "",
             "`python benchmarks/resize_nd.py`: 1 thread, medians over the repeats, interleaved; "
             "float32.", "",
             "| workload | resample | peer | peer time | ratio |", "|---|---|---|---|---|"]
    for name, row in results.items():
        peers = [p for p in row if p != "resample"] or ["—"]
        for peer in peers:
            other = row.get(peer)
            ours = f"| {name} | {row['resample'] * 1e3:.1f} ms |"
            lines.append(f"{ours} {peer} | {other * 1e3:.1f} ms | {row['resample'] / other:.3f}× |"
                         if other else f"{ours} — | — | — |")
    aa = results["192³ → 96³ linear antialias"]["resample"]
    plain_down = results["192³ → 96³ trilinear (no antialias)"]["resample"]
    cubic = results["96³ → 192³ cubic"]["resample"]
    plain_up = results["96³ → 192³ trilinear"]["resample"]
    checks = [
        ("antialias ↓2 ≤ 1/10 of scikit-image", aa / results["192³ → 96³ linear antialias"].get("skimage", float("nan")), 0.1),
        ("antialias ↓2 within 2× of trilinear ↓2", aa / plain_down, 2.0),
        ("cubic ↑2 ≤ 1/50 of scipy zoom(order=3)", cubic / results["96³ → 192³ cubic"].get("scipy", float("nan")), 0.02),
        ("cubic ↑2 within 1.5× of trilinear ↑2", cubic / plain_up, 1.5),
        ("resize (H, W, C) as fast as interpolate on the same memory",
         results["1080p RGB float32 ↓2 bilinear antialias, resize (H, W, C)"]["resample"]
         / results["1080p RGB float32 ↓2 bilinear antialias, resize (H, W, C)"]["interpolate"], 1.1),
    ]
    lines += ["", "| target | measured | limit | met |", "|---|---|---|---|"]
    for label, value, limit in checks:
        lines.append(f"| {label} | {value:.3f} | {limit:g} | {'yes' if value <= limit else 'NO'} |")
    lines += ["", f"Quality: a 128³ zone plate shrunk 4× keeps a mean-square aliased energy of "
              f"{energies[True]:.2e} with antialias against {energies[False]:.2e} without "
              f"({energies[False] / energies[True]:.0f}× less; the test asks ≥ 10×)."]
    if picture:
        lines += ["", f"![middle slices: the zone plate, ↓4 without antialias, ↓4 with]"
                      f"({Path(picture).name})"]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--picture", default=str(HERE / "volume_aliasing.png"))
    parser.add_argument("--no-write", action="store_true", help="print, don't touch RESULTS.md")
    args = parser.parse_args(argv)
    results = run(args.repeats)
    energies = quality(args.picture)
    text = section(results, energies, args.picture)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
