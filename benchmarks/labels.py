"""resize(mode="majority") against scipy.stats.mode over the blocks of an integer factor
(the usual NumPy recipe: reshape into blocks, then the mode of each), and the cost of a
boundary rule (boundary=) over torch's edges on the same resize (issue #26), in one
process, interleaved, medians over repeats, at one thread (scipy.stats.mode has none)
and at all cores.

    python benchmarks/labels.py [--repeats 5]

It rewrites the "Label maps and boundary rules" section of benchmarks/RESULTS.md.
"""
import argparse
import os

import numpy as np

from report import write_section
from run import medians
import resample

BEGIN, END = "<!-- labels: begin -->", "<!-- labels: end -->"
MAJORITY = [("256³ uint8, 5 labels, ↓2", (256, 256, 256), np.uint8, 5, 2),
            ("4096² int32, 1000 ids, ↓4", (4096, 4096), np.int32, 1000, 4)]


def _blocks_mode(x, f):
    """scipy.stats.mode of every f^ndim block (the lowest of tied values)."""
    import scipy.stats
    shape = [n // f for n in x.shape]
    split = [v for n in shape for v in (n, f)]
    order = list(range(0, 2 * x.ndim, 2)) + list(range(1, 2 * x.ndim, 2))
    blocks = x.reshape(split).transpose(order).reshape(*shape, -1)
    return scipy.stats.mode(blocks, axis=-1, keepdims=False).mode


def main():
    import scipy
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    rng = np.random.default_rng(0)
    rows = []
    for label, shape, dtype, labels, f in MAJORITY:
        x = rng.integers(0, labels, shape).astype(dtype)
        size, axes = [n // f for n in shape], tuple(range(len(shape)))
        t = medians({"scipy": lambda: _blocks_mode(x, f),
                     "one": lambda: resample.resize(x, size, axes=axes, mode="majority", num_threads=1),
                     "all": lambda: resample.resize(x, size, axes=axes, mode="majority", num_threads=-1)},
                    args.repeats)
        same = np.array_equal(_blocks_mode(x, f), resample.resize(x, size, axes=axes, mode="majority"))
        rows.append(f"| majority: {label} | {t['scipy'] * 1e3:.0f} ms | {t['one'] * 1e3:.0f} ms "
                    f"| {t['scipy'] / t['one']:.2f}× | {t['all'] * 1e3:.0f} ms ({cores}) "
                    f"| {t['scipy'] / t['all']:.2f}× | {'yes' if same else 'NO'} |")
        print(rows[-1])
    frame = rng.random((1080, 1920, 3), dtype=np.float32)
    boundary_rows = []
    for mode, antialias, size in [("lanczos", True, (540, 960)), ("cubic", False, (2160, 3840))]:
        calls = {name: (lambda b=b: resample.resize(frame, size, mode=mode, antialias=antialias,
                                                    boundary=b, num_threads=1))
                 for name, b in [("torch", None), ("grid-wrap", "grid-wrap"), ("reflect", "reflect"),
                                 ("grid-constant", "grid-constant")]}
        t = medians(calls, args.repeats)
        boundary_rows.append(f"| {mode}{' antialias' if antialias else ''}: 1080p RGB float32 → "
                             f"{size[1]}×{size[0]} | {t['torch'] * 1e3:.1f} ms | "
                             + " | ".join(f"{t[b] / t['torch']:.2f}×" for b in
                                          ("reflect", "grid-wrap", "grid-constant")) + " |")
        print(boundary_rows[-1])
    write_section("\n".join([
        BEGIN, "## Label maps and boundary rules (issue #26)", "",
        f"`python benchmarks/labels.py --repeats {args.repeats}` (SciPy {scipy.__version__}): medians "
        "of interleaved runs in one process. `resize(mode=\"majority\")` against "
        "`scipy.stats.mode` over the reshaped blocks of an integer factor (which only that case "
        "allows; one thread), resample at one thread and at every core of the affinity mask.", "",
        "| workload | scipy.stats.mode | resample, 1 thread | ratio | all cores | ratio | same labels |",
        "|---|---|---|---|---|---|---|", *rows, "",
        "The cost of a boundary rule over torch's edges on the same call, one thread (the rule "
        "only changes the tables' edge taps; grid-constant also copies the input one sample "
        "longer per axis):", "",
        "| call | torch's edges | reflect | grid-wrap | grid-constant |", "|---|---|---|---|---|",
        *boundary_rows, END]))


if __name__ == "__main__":
    main()
