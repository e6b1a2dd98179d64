"""
Speed against torch, OpenCV and Pillow
======================================

``benchmarks/run.py`` times resample and its peers in one process, on the same data,
interleaved, and writes ``benchmarks/RESULTS.md``. This example reads the one-thread rows
of the results table in that file and plots resample's time over each peer's: below 1
(the dashed line) resample is faster. Rerun the benchmark on your machine
(``python benchmarks/run.py``) and rebuild the page to see your own figures.
"""
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


def repository():
    """The checkout this example lives in (sphinx-gallery runs it from its folder)."""
    here = Path(globals().get("__file__", "plot_benchmark_ratios.py")).resolve()
    for folder in [here.parent, *here.parents, Path.cwd(), *Path.cwd().parents]:
        if (folder / "benchmarks" / "RESULTS.md").exists():
            return folder
    raise FileNotFoundError("benchmarks/RESULTS.md: run this example inside a checkout")


def one_thread_rows(text):
    """{workload: {peer: ratio}} from the main table's 1-thread rows."""
    lines = text.split("## Results", 1)[1].split("\n## ", 1)[0].splitlines()
    header = next(line for line in lines if line.startswith("| workload"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(columns) or not cells[0].startswith("`") or cells[1] != "1":
            continue
        ratios = {}
        for peer in ("torch", "cv2", "PIL"):
            value = cells[columns.index(f"vs {peer}")]
            match = re.fullmatch(r"([0-9.]+)", value)       # '—' no such op, '≠' other result
            if match:
                ratios[peer] = float(match.group(1))
        rows[cells[0].strip("`")] = ratios
    return rows


text = (repository() / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
rows = one_thread_rows(text)
machine = re.search(r"\* CPU: ([^;\n]*)", text).group(1)

# %%
# One bar per peer and workload, on a log scale.
names = list(rows)
peers = [("torch", "tab:red"), ("cv2", "tab:green"), ("PIL", "tab:blue")]
fig, ax = plt.subplots(figsize=(9, 0.22 * len(names) + 1.5))
for k, (peer, colour) in enumerate(peers):
    ys = np.arange(len(names)) + (k - 1) * 0.27
    values = [rows[name].get(peer, np.nan) for name in names]
    ax.barh(ys, values, height=0.27, color=colour, label=f"vs {peer}")
ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
ax.set_xscale("log")
ax.set_yticks(np.arange(len(names)), names, fontsize=7)
ax.invert_yaxis()
ax.set_xlabel("resample time / peer time (1 thread; < 1: resample is faster)")
ax.set_title(f"benchmarks/RESULTS.md, {machine}")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

faster = sum(r < 1 for ratios in rows.values() for r in ratios.values())
total = sum(len(ratios) for ratios in rows.values())
print(f"{len(rows)} workloads at 1 thread: resample faster in {faster} of {total} comparisons")
