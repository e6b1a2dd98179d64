"""Benchmark resample against torch, OpenCV and Pillow: `python benchmarks/run.py`.

Times the fixed suite (workloads.py) at each thread count, every library in this process on
the same data, round-robin within each repeat, and writes results.json and RESULTS.md.
Every peer's result is checked against resample's once, before timing."""
import argparse
import datetime
import gc
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

import resample
from peers import Runner, all_peers
from report import format_ratio, format_scaling, format_time, markdown, read_sections, table, write_section
from workloads import suite

HERE = Path(__file__).resolve().parent
MIN_SAMPLE_S = 0.02   # shorter calls are repeated within one sample: timer resolution, overhead
PAUSE_S = 0.005       # lets the previous library's OpenMP workers stop spinning
COPY_BYTES = 200_000_000


def measure(calls, repeats, budget_s):
    """Seconds per call of each callable, one list per name. The callables must be warm.
    A calibration call fixes how many calls make one sample and how many rounds fit in
    budget_s (at least 3, at most `repeats`); the rounds are round-robin, so a drift of the
    machine (clock, other load) hits every library alike."""
    def sample(call, number):
        start = time.perf_counter()
        for _ in range(number):
            call()
        return (time.perf_counter() - start) / number

    numbers = {name: max(1, math.ceil(MIN_SAMPLE_S / sample(call, 1))) for name, call in calls.items()}
    round_s = sum(sample(call, numbers[name]) * numbers[name] for name, call in calls.items())
    rounds = max(min(3, repeats), min(repeats, int(budget_s / round_s)))
    times = {name: [] for name in calls}
    gc.disable()
    try:
        for _ in range(rounds):
            for name, call in calls.items():
                time.sleep(PAUSE_S)
                times[name].append(sample(call, numbers[name]))
    finally:
        gc.enable()
    return times


def medians(calls, repeats):
    """Median seconds per call of each callable, warmed up first, by measure's interleaved
    rounds: `repeats` of them (the scripts beside run.py time their rows this way)."""
    for call in calls.values():
        call()
    every_repeat = 1e9      # a budget (s) no round of repeats reaches
    return {name: statistics.median(t) for name, t in measure(calls, repeats, every_repeat).items()}


def copy_bandwidth(repeats):
    """GB/s (read + written) of a single-threaded copy far larger than any cache."""
    src = np.ones(COPY_BYTES // 4, np.float32)
    dst = np.zeros_like(src)
    copy = lambda: np.copyto(dst, src)  # noqa: E731
    copy()
    seconds = statistics.median(measure({"copy": copy}, repeats, budget_s=2.0)["copy"])
    return 2 * src.nbytes / seconds / 1e9


def peak_memory(call):
    """Peak bytes traced during one call (NumPy reports its allocations to tracemalloc)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        call()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def agreement(theirs, ours, uint8_tolerance=0):
    """Whether a peer computes resample's result `ours`. Floats: to float32 rounding
    differences (fused multiply-adds, summation order), which are far below these tolerances.
    uint8: every element within uint8_tolerance (the peer's, 0 = identical), and the fraction
    of elements that differ at all."""
    theirs = np.asarray(theirs)
    if theirs.shape != ours.shape:
        return {"agrees": False, "max_abs_diff": None}
    if ours.dtype == np.uint8:
        if theirs.dtype != np.uint8:
            return {"agrees": False, "max_abs_diff": None}
        diff = np.abs(theirs.astype(np.int16) - ours.astype(np.int16))
        worst = int(diff.max())
        return {"agrees": worst <= uint8_tolerance, "max_abs_diff": worst,
                "tolerance": uint8_tolerance, "differing": float(np.count_nonzero(diff) / diff.size)}
    # 16-bit floats: a float32 difference that crosses a rounding boundary is 1 ulp of
    # the 16-bit type (bfloat16: 2**-8 relative), so the tolerance is one such ulp
    rtol = 2.0**-7 if ours.dtype.itemsize == 2 else 1e-4
    theirs, ours = theirs.astype(np.float64), ours.astype(np.float64)
    diff = float(np.max(np.abs(theirs - ours)))
    scale = max(1.0, float(np.max(np.abs(ours))))
    return {"agrees": bool(np.allclose(theirs, ours, rtol=rtol, atol=rtol / 10 * scale)), "max_abs_diff": diff}


def resample_runner(workload, operand, threads):
    kwargs = dict(workload.kwargs(), num_threads=threads)
    if workload.backward:
        return Runner(lambda: resample.interpolate_backward(operand, workload.shape, **kwargs), np.asarray)
    return Runner(lambda: resample.interpolate(operand, **kwargs), np.asarray)


def run_workload(workload, peers, args, copy_gbps, rng):
    """One row per thread count."""
    operand = workload.make_operand(rng)
    prepared = {}            # each peer's native copy of the data, made once
    agreements = {}          # peer -> agreement, checked at the peer's first run
    rows = []
    for threads in args.threads:
        runners = {"resample": resample_runner(workload, operand, threads)}
        for peer in peers:
            if peer.available and peer.applies(workload, threads):
                if peer.name not in prepared:
                    prepared[peer.name] = peer.prepare(workload, operand)
                peer.set_threads(threads)
                runners[peer.name] = prepared[peer.name]
        outputs = {name: runner.call() for name, runner in runners.items()}   # the warm-up
        ours = outputs["resample"]
        out_bytes = ours.nbytes            # at the workload's dtype: 1 byte a uint8 element
        for name, result in outputs.items():
            if name != "resample" and name not in agreements:
                peer = next(p for p in peers if p.name == name)
                agreements[name] = agreement(runners[name].to_array(result), ours,
                                             peer.uint8_tolerance(workload))
        del outputs, ours
        times = measure({name: runner.call for name, runner in runners.items()},
                        args.repeats, args.budget)
        median = {name: statistics.median(t) for name, t in times.items()}
        moved = operand.nbytes + out_bytes
        rows.append({
            "workload": workload.name,
            "shape": list(workload.shape),
            "layout": workload.layout,
            "dtype": workload.dtype,
            "mode": workload.mode,
            "antialias": workload.antialias,
            "scale": workload.scale,
            "backward": workload.backward,
            "threads": threads,
            "repeats": len(times["resample"]),
            "resample": {"median_s": median["resample"], "times_s": times["resample"]},
            "peers": {name: {"median_s": median[name], "times_s": times[name],
                             "ratio": median["resample"] / median[name], **agreements[name]}
                      for name in runners if name != "resample"},
            # the check the issue asks for: resample against torch wherever both run
            "agrees": agreements["torch"]["agrees"] if "torch" in agreements else None,
            "in_bytes": operand.nbytes,
            "out_bytes": out_bytes,
            "gbps": moved / median["resample"] / 1e9,
            "fraction_of_copy": moved / median["resample"] / 1e9 / copy_gbps,
            "peak_bytes": peak_memory(runners["resample"].call),
        })
    one = next((row["resample"]["median_s"] for row in rows if row["threads"] == 1), None)
    for row in rows:           # speed-up over resample's own 1-thread time
        row["scaling"] = one / row["resample"]["median_s"] if one else None
    return rows


def cpu_seconds():
    """(CPU seconds used by the whole machine, including hypervisor steal, and by this
    process and its waited-for children) so far; the machine's part is None where
    /proc/stat is missing."""
    own = sum(os.times()[:4])
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None, own
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"), own


def background_load(start, wall_s):
    """The fraction of the machine's CPU time that others used since `start` (cpu_seconds())."""
    (machine0, own0), (machine1, own1) = start, cpu_seconds()
    if machine0 is None or machine1 is None:
        return None
    return max(0.0, (machine1 - machine0) - (own1 - own0)) / (wall_s * (os.cpu_count() or 1))


def machine_info():
    info = {"cpu": platform.processor() or platform.machine(), "logical_cores": os.cpu_count(),
            "usable_cores": usable_cores(),
            "memory_gib": None, "platform": platform.platform()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                           if line.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gib"] = int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20
    except (OSError, StopIteration, ValueError):
        pass          # not Linux: keep the platform module's answer
    try:
        info["resample_openmp"] = " ".join(resample_config()["openmp_runtime"].split())
    except Exception:
        pass
    return info


def resample_config():
    from resample._config import config  # private; only for the record
    return config()


def resample_version():
    """The version, the kernel variant in use, and the checkout's commit (which the installed
    build is expected to come from)."""
    details = []
    try:
        details.append(f"{resample_config()['simd_variant']} kernels")
    except Exception:
        pass
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=HERE,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        if commit:
            details.append(f"checkout {commit}")
    except (OSError, subprocess.SubprocessError):
        pass
    return resample.__version__ + (f" ({', '.join(details)})" if details else "")


def versions(peers):
    found = {"python": platform.python_version(), "numpy": np.__version__, "resample": resample_version()}
    for peer in peers:
        found[peer.label] = peer.version or "not installed"
    return found


def usable_cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def thread_counts(text, cores):
    """The thread counts --threads names, in order, each once."""
    if text == "sweep":
        counts = [1 << i for i in range(cores.bit_length()) if 1 << i < cores] + [cores]
    else:
        counts = [cores if t.strip() == "all" else int(t) for t in text.split(",")]
    return list(dict.fromkeys(counts))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, help="timed rounds per workload (default 7; --quick: 2); "
                        "slow workloads run fewer, never fewer than 3, to fit --budget")
    parser.add_argument("--budget", type=float, default=5.0,
                        help="seconds of timed rounds per workload and thread count (default 5)")
    parser.add_argument("--threads", default="1,2,all",
                        help="comma-separated thread counts, 'all' for every usable core (default "
                        "1,2,all); 'sweep': 1, 2, 4, 8, ... and all, for machines with many cores")
    parser.add_argument("--filter", action="append", default=[], metavar="SUBSTRING",
                        help="only workloads whose name contains SUBSTRING (repeatable: any of them)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: every image about 8x smaller per axis, 2 repeats")
    parser.add_argument("--out-dir", type=Path, help="where results.json and RESULTS.md go (default: "
                        "benchmarks/; a --quick or --filter run then writes only results.json)")
    args = parser.parse_args(argv)
    args.threads = thread_counts(args.threads, usable_cores())
    if args.repeats is None:
        args.repeats = 2 if args.quick else 7
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started, cpu_at_start = time.perf_counter(), cpu_seconds()
    workloads, sizes = suite(quick=args.quick)
    if args.filter:
        wanted = [f.lower() for f in args.filter]
        workloads = [w for w in workloads if any(f in w.name.lower() for f in wanted)]
        if not workloads:
            sys.exit(f"no workload name contains any of {args.filter}; names look like '{suite()[0][0].name}'")
    peers = all_peers()
    for peer in peers:
        if peer.note:
            print(f"{peer.name}: {peer.note}", flush=True)
    copy_gbps = copy_bandwidth(args.repeats)
    print(f"memory copy: {copy_gbps:.2f} GB/s", flush=True)

    rng = np.random.default_rng(0)
    rows = []
    for workload in workloads:
        for row in run_workload(workload, peers, args, copy_gbps, rng):
            ratios = "  ".join(f"{name} {format_ratio(peer)}" for name, peer in row["peers"].items())
            print(f"{row['workload']:<38} {row['threads']}t {format_time(row['resample']['median_s']):>9}  "
                  f"{format_scaling(row)}  {ratios}", flush=True)
            rows.append(row)

    results = {
        "command": shlex.join(["python", "benchmarks/run.py", *argv]),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": versions(peers),
        "peers": {peer.name: peer.describe() for peer in peers},
        "settings": {"repeats": args.repeats, "budget_s": args.budget, "threads": args.threads,
                     "quick": args.quick, "filter": args.filter},
        "copy_gbps": copy_gbps,
        "copy_mb": COPY_BYTES / 1e6,
        "sizes": {group: list(shape) for group, shape in sizes.items()},
        "rows": rows,
        "total_s": time.perf_counter() - started,
    }
    results["background_load"] = background_load(cpu_at_start, results["total_s"])
    out_dir = args.out_dir or HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    saved_sections = read_sections()
    (out_dir / "results.json").write_text(json.dumps(results, indent=1))
    print("\n" + table(results))
    # a partial run must not overwrite the committed table unless asked to
    if args.out_dir or not (args.quick or args.filter):
        (out_dir / "RESULTS.md").write_text(markdown(results))
        if out_dir == HERE:     # the other scripts' sections, from their own runs
            for section in saved_sections:
                write_section(section)
    load = results["background_load"]
    print(f"\nwrote {out_dir}; total {results['total_s']:.0f} s; other load "
          + ("unknown" if load is None else f"{load:.0%} of the machine"))
    return results


if __name__ == "__main__":
    main()
