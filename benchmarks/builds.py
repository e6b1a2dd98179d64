"""Two builds of resample side by side: `python benchmarks/builds.py OLD_SRC NEW_SRC`.

For a refactor that must change no speed: each SRC is a `src/` folder whose compiled
modules are built in place (`python setup.py build_ext --inplace` in its checkout). Every
workload of the fixed suite (workloads.py) is timed with resample alone, in a fresh process
per build, the builds alternating round after round so that a drift of this machine hits
both alike; the table gives each build's median over the rounds and their ratio.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# one process: time every workload with the resample found first on sys.path
WORKER = r"""
import json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import resample
from workloads import suite

def per_call(call, budget):
    call()
    number, start = 1, time.perf_counter()
    while True:                      # calls per sample: at least 20 ms a sample
        start = time.perf_counter()
        for _ in range(number):
            call()
        took = time.perf_counter() - start
        if took >= 0.02:
            break
        number *= 2
    samples = [took / number]
    while sum(samples) * number < budget and len(samples) < 9:
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return min(samples)

quick, threads, budget = sys.argv[2] == "1", int(sys.argv[3]), float(sys.argv[4])
rng = np.random.default_rng(0)
times = {}
for w in suite(quick)[0]:
    x = w.make_operand(rng)
    kw = w.kwargs()
    if w.backward:
        call = lambda: resample.interpolate_backward(x, w.shape, **kw, num_threads=threads)
    else:
        call = lambda: resample.interpolate(x, **kw, num_threads=threads)
    times[w.name] = per_call(call, budget)
print(json.dumps({"file": resample.__file__, "times": times}))
"""


def run_build(src, quick, threads, budget):
    """{workload: seconds per call} of the build in src, from a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(HERE))
    out = subprocess.run([sys.executable, "-c", WORKER, str(src), "1" if quick else "0",
                          str(threads), str(budget)], env=env, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if not result["file"].startswith(str(Path(src).resolve())):
        raise SystemExit(f"{src} did not provide resample (got {result['file']}): build it in place")
    return result["times"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="the src/ folder of the first build")
    parser.add_argument("new", type=Path, help="the src/ folder of the second build")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--threads", type=int, default=2, help="num_threads of every call")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per workload per round")
    parser.add_argument("--quick", action="store_true", help="the suite's small shapes")
    args = parser.parse_args()
    runs = {"old": [], "new": []}
    for r in range(args.rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for which in order:
            runs[which].append(run_build(getattr(args, which), args.quick, args.threads, args.budget))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    names = list(runs["old"][0])
    print(f"| workload ({args.threads} threads) | {args.old} ms | {args.new} ms | new / old |")
    print("|---|---:|---:|---:|")
    for name in names:
        old = statistics.median(t[name] for t in runs["old"]) * 1e3
        new = statistics.median(t[name] for t in runs["new"]) * 1e3
        print(f"| {name} | {old:.3f} | {new:.3f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
