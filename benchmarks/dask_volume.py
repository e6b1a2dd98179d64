"""Benchmark of resample.dask (issue #14): an OME-Zarr pyramid of a volume larger than the
workers' memory, on a LocalCluster, and the tools users reach for today on a smaller one.

    python benchmarks/dask_volume.py [--size 4] [--workers 2] [--memory-limit 1GiB]
                                     [--chunk 128] [--small 384] [--tmp DIR] [--write]

1. Writes a synthetic uint16 volume of about --size GB (smooth field plus noise, chunks of
   --chunk³) to a Zarr store in a temporary folder, with the cluster.
2. Restarts the workers (fresh memory peaks), then reads it back lazily and writes a
   3-level OME-Zarr pyramid (↓2 per level, linear with antialias) with
   resample.dask.pyramid + write_ome_zarr: wall time, peak memory of every worker process
   (sampled RSS and the kernel's high-water mark), memory spilled to disk, graph size.
3. On a --small³ cube of the same data, in this process (threaded scheduler, 2 threads):
   in-memory resample.resize, resample.dask on the chunked array, a naive per-chunk
   map_blocks(resample.resize) (seams), dask.array.coarsen(np.mean) against resample's
   area ↓2 (speed and values), and ome-zarr-py's dask resize (skimage per chunk), with
   the max error of each chunked result against its own in-memory computation.

Prints a markdown section; --write puts it between "<!-- dask: begin -->" and
"<!-- dask: end -->" in benchmarks/RESULTS.md (appended when absent), leaving the rest alone.
"""
import argparse
import logging
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402  (the one writer of RESULTS.md sections)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- dask: begin -->", "<!-- dask: end -->"


# ----------------------------------------------------------------------------- data

def synthetic_block(block, block_info=None):
    """A smooth field plus noise, uint16, from the block's position (deterministic)."""
    info = block_info[None]
    (z0, z1), (y0, y1), (x0, x1) = info["array-location"]
    shape = info["chunk-shape"]
    z = np.arange(z0, z1, dtype=np.float32)[:, None, None]
    y = np.arange(y0, y1, dtype=np.float32)[None, :, None]
    x = np.arange(x0, x1, dtype=np.float32)[None, None, :]
    field = 20000 + 8000 * np.sin(z / 37.0) + 6000 * np.cos(y / 23.0) + 5000 * np.sin(x / 11.0 + z / 53.0)
    seed = (z0 * 1_000_003 + y0) * 1_000_003 + x0
    noise = np.random.default_rng(seed).integers(0, 2048, size=shape, dtype=np.uint16)
    return (field + noise).astype(np.uint16)


def write_volume(da, side, chunk, path):
    volume = da.zeros((side,) * 3, dtype=np.uint16, chunks=chunk).map_blocks(
        synthetic_block, dtype=np.uint16)
    da.to_zarr(volume, str(path), mode="w")


# ----------------------------------------------------------------------------- memory

def _rss():
    import psutil
    return psutil.Process().memory_info().rss


def _worker_memory(dask_worker):
    """(process RSS, whether the worker is paused for memory)."""
    return _rss(), str(dask_worker.status) == "Status.paused"


def _high_water():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024     # Linux: KiB


def _spilled(dask_worker):
    """Bytes this worker wrote to its spill disk (cumulative), 0 if not known."""
    data = dask_worker.data
    total = getattr(data, "spilled_total", None)
    if total is not None:
        return int(getattr(total, "disk", 0))
    return 0


class MemorySampler:
    """Samples every worker's RSS while a computation runs."""

    def __init__(self, client, interval=0.25):
        self.client, self.interval = client, interval
        self.peaks, self.total_peak, self.paused = {}, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                sample = self.client.run(_worker_memory)
            except Exception:                    # a worker going away mid-sample
                sample = {}
            for worker, (rss, paused) in sample.items():
                self.peaks[worker] = max(self.peaks.get(worker, 0), rss)
                self.paused += paused
            self.total_peak = max(self.total_peak, sum(v[0] for v in sample.values()))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ----------------------------------------------------------------------------- timing

def timed(call, repeats=1):
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def gb(nbytes):
    return f"{nbytes / 1e9:.2f} GB"


def mib(nbytes):
    return f"{nbytes / 2**20:.0f} MiB"


def fmt_time(seconds):
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def max_error(a, b):
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


# ----------------------------------------------------------------------------- runs

def large_run(args, workdir):
    import dask
    import dask.array as da
    import zarr
    from distributed import Client, LocalCluster, get_task_stream

    import resample.dask as rd

    side = max(args.chunk, int(round((args.size * 1e9 / 2) ** (1 / 3) / args.chunk)) * args.chunk)
    source, target = workdir / "volume.zarr", workdir / "pyramid.ome.zarr"
    out = {"side": side, "chunk": args.chunk, "bytes": side**3 * 2, "workers": args.workers,
           "memory_limit": args.memory_limit}
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      memory_limit=args.memory_limit, dashboard_address=None,
                      local_directory=str(workdir / "dask-worker-space"),
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        out["limit_bytes"] = next(iter(client.scheduler_info()["workers"].values()))["memory_limit"]
        print(f"writing a {side}³ uint16 volume ({gb(side**3 * 2)}) to {source} ...", flush=True)
        out["generate_s"], _ = timed(lambda: write_volume(da, side, args.chunk, source))
        client.restart()                                    # fresh processes: fresh peaks

        volume = da.from_zarr(str(source))
        levels = rd.pyramid(volume, 3, mode="linear", antialias=True)
        written = rd.write_ome_zarr(levels, target, mode="linear", compute=False,
                                    scale=(1.0, 1.0, 1.0), units=("micrometer",) * 3)
        graph = written.__dask_graph__()
        out["tasks"] = len(graph)
        out["chunks"] = [level.npartitions for level in levels]
        out["shapes"] = [level.shape for level in levels]
        print(f"pyramid: {out['tasks']} tasks for chunks {out['chunks']} ...", flush=True)
        with MemorySampler(client) as sampler, get_task_stream(client) as stream:
            out["pyramid_s"], _ = timed(lambda: dask.compute(written))
        out["task_seconds"] = task_seconds(stream.data)
        out["rss_peaks"] = sorted(sampler.peaks.values())
        out["rss_total_peak"] = sampler.total_peak
        out["paused_samples"] = sampler.paused
        out["high_water"] = sorted(client.run(_high_water).values())
        out["spilled"] = sum(client.run(_spilled).values())
        stored = zarr.open_group(str(target), mode="r")
        out["stored"] = [stored[str(k)].shape for k in range(3)]
        out["stored_bytes"] = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
        # level 1 checked on the block in the middle against the same block recomputed from
        # the input slab it reads (resample.dask's contract, on real stored data)
        out["check"] = check_middle_block(source, stored, levels)

        if args.ome_zarr_big:
            out["ome_zarr_big"] = ome_zarr_big(client, source, workdir)
    return out


def task_seconds(records):
    """Seconds of compute and of transfers by kind of task, from the task stream."""
    from dask.utils import key_split
    kinds = {}
    for record in records:
        kind = key_split(record["key"])
        for part in record["startstops"]:
            action = "transfer" if part["action"] == "transfer" else kind
            kinds[action] = kinds.get(action, 0.0) + part["stop"] - part["start"]
    return dict(sorted(kinds.items(), key=lambda item: -item[1]))


def check_middle_block(source, stored, levels):
    """|stored level 1 - in-memory resize| on a centre block, with the in-memory result from
    resample._engine.resize_block on the exact input slab (the whole volume need not fit)."""
    import zarr

    from resample._engine import block_span, resize_block
    from resample._resize import resize_call as plan_resize
    base = zarr.open_array(str(source), mode="r")
    call, _ = plan_resize(base.shape, base.dtype, levels[1].shape, axes=(0, 1, 2), mode="linear")
    region, slab = {}, []
    for axis, n in enumerate(levels[1].shape):
        o0 = n // 2 - 16
        region[axis] = (o0, o0 + 32)
        slab.append(slice(*block_span(call, axis, o0, o0 + 32)))
    expected = resize_block(base[tuple(slab)], call, region)
    got = stored["1"][tuple(slice(*region[a]) for a in range(3))]
    return max_error(got, expected)


def ome_zarr_big(client, source, workdir):
    """ome-zarr-py's write_image (skimage resize per chunk) on the same volume and cluster."""
    import dask
    import dask.array as da
    from ome_zarr.writer import write_image

    volume = da.from_zarr(str(source))
    client.restart()
    target = workdir / "ome-zarr-py.ome.zarr"
    with MemorySampler(client) as sampler:
        seconds, _ = timed(lambda: dask.compute(write_image(
            volume, str(target), scale_factors=[{"z": 2, "y": 2, "x": 2}, {"z": 4, "y": 4, "x": 4}],
            axes="zyx", compute=False)))
    return {"seconds": seconds, "rss_peaks": sorted(sampler.peaks.values()),
            "high_water": sorted(client.run(_high_water).values())}


def seam_note(wrong, chunk):
    """Where a per-chunk result differs: how many voxels, and how far from a chunk face."""
    if not wrong.any():
        return "no seams"
    distance = np.full(wrong.shape, np.inf)
    for axis, n in enumerate(wrong.shape):
        i = np.arange(n)[:, None]
        faces = np.arange(chunk, n, chunk)[None, :]             # the inner chunk faces
        if faces.size == 0:
            continue
        d = np.where(i >= faces, i - faces, faces - 1 - i).min(axis=1)
        shape = [1] * wrong.ndim
        shape[axis] = n
        distance = np.minimum(distance, d.reshape(shape))
    far = int(distance[wrong].max())
    return (f"seams: {np.count_nonzero(wrong)} of {wrong.size} voxels "
            f"({100 * np.count_nonzero(wrong) / wrong.size:.1f}%) differ, all within {far + 1} "
            f"voxel{'s' * (far > 0)} of an inner chunk face")


def small_runs(args, workdir):
    """Peers and seams on a --small³ cube of the volume, threaded scheduler, 2 threads."""
    import dask
    import dask.array as da
    import zarr

    import resample
    import resample.dask as rd

    n, c = args.small, args.chunk
    source = workdir / "volume.zarr"
    x = zarr.open_array(str(source), mode="r")[:n, :n, :n]
    half = tuple(s // 2 for s in x.shape)
    chunked = da.from_array(x, chunks=c)
    rows, out = [], {"side": n, "chunk": c}
    axes = (0, 1, 2)

    with dask.config.set(scheduler="threads", num_workers=2):
        t_mem, linear = timed(lambda: resample.resize(x, half, axes=axes, mode="linear",
                                                      num_threads=2), args.repeats)
        rows.append(("resample.resize, in memory (2 threads)", "linear aa ↓2", t_mem, 0.0,
                     "the reference"))
        t, got = timed(lambda: rd.resize(chunked, half, axes=axes, mode="linear").compute(),
                       args.repeats)
        rows.append(("resample.dask.resize", "linear aa ↓2", t, max_error(got, linear),
                     "vs in memory: exact"))

        def per_chunk(block):
            return resample.resize(block, [s // 2 for s in block.shape], axes=axes, mode="linear",
                                   num_threads=1)
        naive = chunked.map_blocks(per_chunk, chunks=tuple(tuple(s // 2 for s in cs)
                                                           for cs in chunked.chunks), dtype=x.dtype)
        t, got = timed(lambda: naive.compute(), args.repeats)
        seam = np.abs(got.astype(np.int32) - linear.astype(np.int32)) > 0
        rows.append(("map_blocks(resample.resize) per chunk", "linear aa ↓2", t,
                     max_error(got, linear), seam_note(seam, c // 2)))

        t_area_mem, area = timed(lambda: resample.resize(x, half, axes=axes, mode="area",
                                                         num_threads=2), args.repeats)
        t, got = timed(lambda: rd.resize(chunked, half, axes=axes, mode="area").compute(),
                       args.repeats)
        rows.append(("resample.dask.resize", "area ↓2", t, max_error(got, area),
                     f"vs in memory ({fmt_time(t_area_mem)}): exact"))
        mean = da.coarsen(np.mean, chunked, {0: 2, 1: 2, 2: 2})
        t, got = timed(lambda: mean.compute(), args.repeats)
        rows.append(("dask.array.coarsen(np.mean)", "mean ↓2", t, max_error(got, area),
                     f"float64 result; vs resample's area (uint16, rounded half to even)"))
        rounded = mean.round().astype(np.uint16)
        t, got = timed(lambda: rounded.compute(), args.repeats)
        rows.append(("coarsen(np.mean).round().astype(uint16)", "mean ↓2", t, max_error(got, area),
                     "same rounding as resample's area: equal"))
        area32 = resample.resize(x.astype(np.float32), half, axes=axes, mode="area")
        out["area_float32_vs_mean"] = max_error(area32, da.coarsen(
            np.mean, da.from_array(x.astype(np.float32), chunks=c), {0: 2, 1: 2, 2: 2}).compute())

        try:
            import skimage.transform
            from ome_zarr.dask_utils import resize as ome_resize
        except ImportError:
            rows.append(("ome-zarr-py dask resize (skimage)", "—", None, None, "not installed"))
        else:
            kwargs = dict(order=1, mode="reflect", anti_aliasing=True, preserve_range=True)
            t, got = timed(lambda: ome_resize(chunked, half, **kwargs).compute(), 1)
            t_sk, whole = timed(lambda: skimage.transform.resize(x, half, **kwargs).astype(x.dtype), 1)
            rows.append(("ome-zarr-py's dask resize (skimage per chunk)", "linear aa ↓2", t,
                         max_error(got, whole),
                         f"vs skimage.transform.resize of the whole cube ({fmt_time(t_sk)}, "
                         f"1 thread); {seam_note(got != whole, c // 2)}"))
    out["rows"] = rows
    return out


# ----------------------------------------------------------------------------- report

def machine():
    import dask
    import zarr

    import resample
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        import psutil
        memory = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        memory = "?"
    load = f", load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") else ""
    return (f"{platform.processor() or platform.machine()}, {cpus} CPUs, {memory}{load}; python "
            f"{platform.python_version()}, numpy {np.__version__}, dask {dask.__version__}, "
            f"zarr {zarr.__version__}, resample {resample.__version__}")


def section(args, big, small):
    lines = [BEGIN, "## Out of core: dask and OME-Zarr (issue #14)", "",
             f"`python benchmarks/dask_volume.py --size {args.size:g}` on {machine()}.", ""]
    if big:
        limit = big["limit_bytes"]
        lines += [
            f"A {big['side']}³ uint16 volume ({gb(big['bytes'])}, chunks {big['chunk']}³, "
            f"Zarr v3 + zstd on local disk) → 3-level OME-Zarr 0.4 pyramid, ↓2 per level, "
            f"linear with antialias (`resample.dask.pyramid` + `write_ome_zarr`; level 0 is "
            f"copied into the pyramid too), on a `LocalCluster` of {big['workers']} worker "
            f"processes × 1 thread, memory_limit {mib(limit)} each "
            f"(the volume is {big['bytes'] / (big['workers'] * limit):.2g}× the workers' total memory).",
            "",
            "| measure | value |", "|---|---|",
            f"| wall time, whole pyramid | {fmt_time(big['pyramid_s'])} "
            f"({big['bytes'] / big['pyramid_s'] / 1e9:.2f} GB/s of input) |",
            f"| peak RSS per worker (sampled every 0.25 s) | "
            f"{', '.join(mib(v) for v in big['rss_peaks'])} |",
            f"| peak RSS per worker (kernel high-water mark) | "
            f"{', '.join(mib(v) for v in big['high_water'])} |",
            f"| spilled to disk by the workers | {mib(big['spilled'])}; samples with a worker "
            f"paused (memory > 80% of its limit): {big['paused_samples']} |",
            f"| graph | {big['tasks']} tasks; chunks per level {big['chunks']} |",
            f"| where the workers' time went (task stream, both workers) | "
            f"{'; '.join(f'`{k}` {fmt_time(v)}' for k, v in big['task_seconds'].items() if v >= 0.01 * sum(big['task_seconds'].values()))} |",
            f"| levels | {' → '.join('×'.join(map(str, s)) for s in big['stored'])} |",
            f"| written | {gb(big['stored_bytes'])} |",
            f"| centre block of level 1 vs in-memory | max error {big['check']:g} |",
            f"| writing the source volume (for scale) | {fmt_time(big['generate_s'])} |",
        ]
        if "ome_zarr_big" in big:
            o = big["ome_zarr_big"]
            lines.append(f"| ome-zarr-py `write_image` (skimage resize per chunk), same volume "
                         f"and cluster | {fmt_time(o['seconds'])}; peak RSS "
                         f"{', '.join(mib(v) for v in o['high_water'])} |")
        lines.append("")
    if small:
        lines += [f"Same data, a {small['side']}³ cube in chunks of {small['chunk']}³, in one "
                  "process (threaded scheduler, 2 threads); best of the repeats. Error: max "
                  "|result − in-memory result| in uint16 steps.", "",
                  "| what | filter | time | max error | note |", "|---|---|---|---|---|"]
        for name, what, seconds, error, note in small["rows"]:
            lines.append(f"| {name} | {what} | {fmt_time(seconds) if seconds else '—'} | "
                         f"{'—' if error is None else f'{error:g}'} | {note} |")
            diff = small["area_float32_vs_mean"]
        lines += ["", "For float32 input, resample's area ↓2 and `coarsen(np.mean)` (float64) "
                  + ("are equal on this data (sums of 8 values, exact in float32)." if diff == 0 else
                     f"differ by at most {diff:.2g} (float32 rounding).")]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=4.0, help="volume size in GB (default 4)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GiB", help="per worker (default 1GiB)")
    parser.add_argument("--chunk", type=int, default=128, help="chunk side (default 128)")
    parser.add_argument("--small", type=int, default=384, help="side of the comparison cube")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="folder for the temporary stores")
    parser.add_argument("--keep", action="store_true", help="keep the stores")
    parser.add_argument("--skip-large", action="store_true", help="only the small comparisons "
                        "(the volume is still written, at --size)")
    parser.add_argument("--ome-zarr-big", action="store_true",
                        help="also time ome-zarr-py's write_image on the large volume")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.small % (2 * args.chunk) and args.small % args.chunk:
        parser.error("--small must be a multiple of --chunk (even chunks for the per-chunk peer)")

    workdir = Path(tempfile.mkdtemp(prefix="resample-dask-", dir=args.tmp))
    try:
        if args.skip_large:
            import dask
            import dask.array as da
            side = max(args.small, args.chunk)
            with dask.config.set(scheduler="threads", num_workers=2):
                write_volume(da, side, args.chunk, workdir / "volume.zarr")
            big = None
        else:
            big = large_run(args, workdir)
        small = small_runs(args, workdir)
    finally:
        if args.keep:
            print(f"stores kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    text = section(args, big, small)
    print(text)
    if args.write:
        write_section(text)
        print(f"updated {RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
