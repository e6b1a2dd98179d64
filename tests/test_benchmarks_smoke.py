"""Smoke test of the benchmark suite: `benchmarks/run.py --quick` on a few workloads in a
subprocess, against the installed package. Checks the shape of results.json and
RESULTS.md, and that resample agrees with every peer that computes the same thing;
never a timing (the machine may be busy)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
pytestmark = pytest.mark.skipif(not RUN.exists(), reason="benchmarks/ is not next to tests/")

# one each: NHWC antialias (torch, Pillow), NCHW bicubic (torch, OpenCV), a backward, the
# tiny call (all three peers), and a uint8 image (all three peers; cv2 within ±1)
U8 = "1080p nhwc u8 bilinear up2"
FILTERS = ["1080p nhwc bilinear-aa down2", "1080p nchw bicubic down2",
           "1080p nchw backward bilinear up2", "tiny32", U8]


def run_quick(out_dir, filters, threads="1,2", pythonpath=None):
    env = dict(os.environ)
    env.pop("ATEN_CPU_CAPABILITY", None)   # conftest pins it; benchmark torch as users run it
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    command = [sys.executable, str(RUN), "--quick", "--budget", "0", "--threads", threads,
               "--out-dir", str(out_dir)]
    for f in filters:
        command += ["--filter", f]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((out_dir / "results.json").read_text()), (out_dir / "RESULTS.md").read_text()


def test_quick_suite_structure_and_agreement(tmp_path):
    results, markdown = run_quick(tmp_path, FILTERS)

    assert {"command", "date", "machine", "versions", "peers", "settings", "copy_gbps",
            "sizes", "rows", "total_s"} <= results.keys()
    assert results["copy_gbps"] > 0
    assert set(results["peers"]) == {"torch", "cv2", "PIL"}
    names = {row["workload"] for row in results["rows"]}
    assert all(any(f in name for name in names) for f in FILTERS)
    assert len(results["rows"]) == 2 * len(names)             # one row per thread count

    available = {name for name, peer in results["peers"].items() if peer["available"]}
    for row in results["rows"]:
        assert row["threads"] in (1, 2) and row["repeats"] >= 1
        one = next(r for r in results["rows"] if r["workload"] == row["workload"] and r["threads"] == 1)
        assert row["scaling"] == pytest.approx(one["resample"]["median_s"] / row["resample"]["median_s"])
        assert row["resample"]["median_s"] > 0 and row["gbps"] > 0
        assert row["peak_bytes"] >= row["out_bytes"] > 0       # the output is a traced NumPy array
        assert set(row["peers"]) <= available
        for name, peer in row["peers"].items():
            assert peer["median_s"] > 0 and peer["ratio"] > 0
            assert peer["agrees"], (row["workload"], name, peer["max_abs_diff"])
        if "torch" in available:
            assert row["agrees"] is True and "torch" in row["peers"]
        if "PIL" in row["peers"]:
            assert row["threads"] == 1                          # Pillow has one thread
        if "cv2" in available and "bicubic down2" in row["workload"]:
            assert "cv2" in row["peers"]
        if "backward" in row["workload"]:
            assert set(row["peers"]) <= {"torch"}
        if row["workload"] == U8:
            # uint8 byte counts, and the uint8 tolerances: torch exact, cv2 and Pillow ±1
            assert row["dtype"] == "uint8" and row["layout"] == "NHWC"
            n, c, h, w = row["shape"]
            assert row["in_bytes"] == n * c * h * w and row["out_bytes"] == 4 * row["in_bytes"]
            for name, peer in row["peers"].items():
                assert peer["tolerance"] == (0 if name == "torch" else 1)
                assert peer["max_abs_diff"] <= peer["tolerance"]
            if "cv2" in available:
                assert "cv2" in row["peers"]
        else:
            assert row["dtype"] == "float32"

    assert "| workload | threads | resample | scaling |" in markdown
    assert all(f"`{name}`" in markdown for name in names)
    assert "Memory-copy bandwidth" in markdown
    assert "uint8" in markdown


def test_uint8_agreement_flags_a_difference():
    sys.path.insert(0, str(RUN.parent))
    try:
        from run import agreement
    finally:
        sys.path.remove(str(RUN.parent))
    ours = np.array([[0, 128, 255]], np.uint8)
    assert agreement(ours.copy(), ours)["agrees"]
    off_by_one = np.array([[1, 127, 255]], np.uint8)
    assert not agreement(off_by_one, ours)["agrees"]                 # torch: exact
    found = agreement(off_by_one, ours, uint8_tolerance=1)           # cv2, Pillow: ±1
    assert found["agrees"] and found["max_abs_diff"] == 1 and found["differing"] == 2 / 3
    assert not agreement(ours.astype(np.float32), ours)["agrees"]    # another dtype


def test_missing_peers_are_skipped_with_a_note(tmp_path):
    # modules that shadow OpenCV and Pillow and fail to import, as on a machine without them
    stubs = tmp_path / "stubs"
    (stubs / "PIL").mkdir(parents=True)
    (stubs / "cv2.py").write_text("raise ImportError('hidden by the test')\n")
    (stubs / "PIL" / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    out = tmp_path / "out"
    results, markdown = run_quick(out, ["tiny32"], threads="1", pythonpath=stubs)

    for name in ("cv2", "PIL"):
        assert not results["peers"][name]["available"]
        assert "not available" in results["peers"][name]["note"]
        assert results["versions"][name] == "not installed"
    assert all(set(row["peers"]) <= {"torch"} for row in results["rows"])
    assert "not available" in markdown


def test_targets_report_met_and_missed_rows():
    sys.path.insert(0, str(RUN.parent))
    try:
        from targets import markdown_section
    finally:
        sys.path.remove(str(RUN.parent))

    def row(workload, threads, seconds, torch_ratio, peak=1.0, scaling=1.0):
        return {"workload": workload, "threads": threads, "scaling": scaling,
                "dtype": "float32", "backward": False,
                "antialias": False, "resample": {"median_s": seconds},
                "peers": {"torch": {"ratio": torch_ratio}}, "fraction_of_copy": 0.5,
                "in_bytes": 100, "out_bytes": 400, "peak_bytes": 400 + peak}
    results = {"peers": {"torch": {"label": "torch"}},
               "rows": [row("1080p nchw bilinear up2", 1, 0.020, 0.2),
                        row("1080p nchw bilinear up2", 2, 0.015, 0.2, scaling=0.02 / 0.015),  # missed
                        row("1080p nchw nearest down2", 1, 0.001, 0.9, peak=60),
                        row("1080p nchw nearest down2", 2, 0.0011, 0.9, scaling=1 / 1.1)]}
    text = "\n".join(markdown_section(results))
    assert "**every forward mode: at most 1/3 of torch's time (float32, 1 thread)**: missed on 1 of 2" in text
    assert "`1080p nchw nearest down2`, 1 thread: 0.90× torch" in text and "85% of the kernel" in text
    assert ("**2 threads at least 1.8× faster than 1 thread (1080p, batch and volume ↑2)**: "
            "missed on 1 of 1") in text
    assert "1.33× faster" in text
    assert "**never slower with more threads (rows of 1 ms or more)**: missed on 1 of 2" in text
    assert "`1080p nchw nearest down2`, 2 threads: 0.91× faster" in text
    assert "**peak memory: the output plus at most a quarter of the input**: missed on 1 of 4" in text
    assert "**every backward mode: at most 1/3 of torch's time (1 thread)**: not measured" in text


def test_thread_counts_sweep_and_all():
    sys.path.insert(0, str(RUN.parent))
    try:
        from run import thread_counts
    finally:
        sys.path.remove(str(RUN.parent))
    assert thread_counts("1,2,all", 2) == [1, 2]
    assert thread_counts("1,2,all", 16) == [1, 2, 16]
    assert thread_counts("sweep", 16) == [1, 2, 4, 8, 16]
    assert thread_counts("sweep", 12) == [1, 2, 4, 8, 12]
    assert thread_counts("sweep", 1) == [1]
