"""Smoke test of the benchmark suite: `benchmarks/run.py --quick` on a few workloads in a
subprocess, against the installed package. Checks the shape of results.json and
RESULTS.md, and that resample agrees with every peer that computes the same thing;
never a timing (the machine may be busy)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
pytestmark = pytest.mark.skipif(not RUN.exists(), reason="benchmarks/ is not next to tests/")

# one each: NHWC antialias (torch, Pillow), NCHW bicubic (torch, OpenCV), a backward, and the
# tiny call (all three peers)
FILTERS = ["1080p nhwc bilinear-aa down2", "1080p nchw bicubic down2",
           "1080p nchw backward bilinear up2", "tiny32"]


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

    assert "| workload | threads | resample |" in markdown
    assert all(f"`{name}`" in markdown for name in names)
    assert "Memory-copy bandwidth" in markdown


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
