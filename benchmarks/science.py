"""compat.ndimage_zoom's and compat.skimage_resize's speed against SciPy's
scipy.ndimage.zoom and scikit-image's transform.resize (issue #26), order 3 on float32
volumes, in one process, interleaved, medians over repeats; at one thread (SciPy's
zoom has no threads) and at all cores (resample's OpenMP threads; SciPy's time is its one
thread's, as is scikit-image's).

    python benchmarks/science.py [--repeats 3]

It rewrites the "Science" section of benchmarks/RESULTS.md (between its markers).
"""
import argparse
import os
import statistics
import time

import numpy as np

from report import write_section
from resample.compat import ndimage_zoom, skimage_resize

BEGIN, END = "<!-- science: begin -->", "<!-- science: end -->"
WORKLOADS = [("96×256×256 → 77×205×205", (96, 256, 256), (77 / 96, 205 / 256, 205 / 256)),
             ("128³ → 256³", (128, 128, 128), (2.0, 2.0, 2.0))]


def _median_times(calls, repeats):
    for call in calls.values():
        call()
    times = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    import scipy
    import scipy.ndimage as ndi
    import skimage
    from skimage.transform import resize
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    rng = np.random.default_rng(0)
    rows = []
    for label, shape, zoom in WORKLOADS:
        x = rng.random(shape, dtype=np.float32)
        t = _median_times({"scipy": lambda: ndi.zoom(x, zoom, order=3),
                           "one": lambda: ndimage_zoom(x, zoom, order=3, num_threads=1),
                           "all": lambda: ndimage_zoom(x, zoom, order=3, num_threads=-1)}, args.repeats)
        same = np.mean(ndi.zoom(x, zoom, order=3) == ndimage_zoom(x, zoom, order=3))
        rows.append(f"| ndimage_zoom: {label} float32, order 3 | {t['scipy'] * 1e3:.0f} ms | {t['one'] * 1e3:.0f} ms "
                    f"| {t['scipy'] / t['one']:.1f}× | {t['all'] * 1e3:.0f} ms ({cores}) "
                    f"| {t['scipy'] / t['all']:.1f}× | {same:.6f} |")
        print(rows[-1])
    x = rng.random((192, 192, 192), dtype=np.float32)
    t = _median_times({"scipy": lambda: resize(x, (96, 96, 96), order=3, anti_aliasing=True),
                       "one": lambda: skimage_resize(x, (96, 96, 96), order=3, anti_aliasing=True,
                                                     num_threads=1),
                       "all": lambda: skimage_resize(x, (96, 96, 96), order=3, anti_aliasing=True,
                                                     num_threads=-1)}, args.repeats)
    same = np.mean(resize(x, (96, 96, 96), order=3, anti_aliasing=True)
                   == skimage_resize(x, (96, 96, 96), order=3, anti_aliasing=True))
    rows.append(f"| skimage_resize: 192³ → 96³ float32, order 3, anti_aliasing | {t['scipy'] * 1e3:.0f} ms "
                f"| {t['one'] * 1e3:.0f} ms | {t['scipy'] / t['one']:.1f}× | {t['all'] * 1e3:.0f} ms ({cores}) "
                f"| {t['scipy'] / t['all']:.1f}× | {same:.6f} |")
    print(rows[-1])
    write_section("\n".join([
        BEGIN, "## Science: ndimage_zoom and skimage_resize against SciPy and scikit-image (issue #26)", "",
        f"`python benchmarks/science.py --repeats {args.repeats}` (SciPy {scipy.__version__}, scikit-image "
        f"{skimage.__version__}): medians of interleaved runs in one process; the peers run on one "
        "thread, resample at one thread and at every core of the affinity mask. Targets: ≥ 50× "
        "(ndimage_zoom) and ≥ 20× (skimage_resize) at one thread.", "",
        "| workload | peer | resample, 1 thread | ratio | all cores | ratio | equal to the peer's float32 |",
        "|---|---|---|---|---|---|---|", *rows, END]))


if __name__ == "__main__":
    main()
