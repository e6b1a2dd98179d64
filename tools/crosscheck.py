"""A platform's bits, as one digest: thousands of seeded random calls of interpolate,
interpolate_backward, resize and compat.pil_resize (every mode, dtype, layout, antialias
and thread count), each output hashed. Two platforms, or two kernel builds, that give the
same digest gave the same bits on every call.

    python tools/crosscheck.py --out x86-avx2.json
    RESAMPLE_SIMD=baseline python tools/crosscheck.py --out x86-baseline.json
    python tools/crosscheck.py --compare x86-avx2.json x86-baseline.json aarch64.json

tools/arm64.sh crosscheck runs it on this machine's two builds and under aarch64
emulation and compares. The calls depend only on the seed and the count (NumPy's PCG64
gives the same numbers everywhere), so the lists match across platforms.
"""
import argparse
import hashlib
import json
import platform
import sys

import numpy as np

import resample
from resample import _modes, _runtime

DTYPES = ["uint8", "uint16", "int16", "float16", "float32", "float64"]
RESIZE_MODES = ["nearest", "nearest-exact", "linear", "cubic", "lanczos", "area"]


def _data(rng, shape, dtype):
    if dtype == "uint8":
        return rng.integers(0, 256, shape, dtype=np.uint8)
    if dtype == "uint16":
        return rng.integers(0, 65536, shape, dtype=np.uint16)
    if dtype == "int16":
        return rng.integers(-32768, 32768, shape, dtype=np.int16)
    return (rng.random(shape) * 2 - 0.5).astype(dtype)


def _interpolate_call(rng):
    mode = str(rng.choice(_modes.TORCH_MODES))
    spec = _modes.BY_TORCH_NAME[mode]
    rank = _modes.torch_rank(mode) or int(rng.integers(3, 6))
    antialias = bool(_modes.torch_antialias(mode) and (spec.antialias_only or rng.random() < 0.5))
    dtype = str(rng.choice(["uint8", "float16", "float32", "float64"]))
    if dtype == "uint8" and mode not in ("nearest", "nearest-exact", "bilinear", "bicubic", "area",
                                         "linear", "trilinear", "lanczos"):
        dtype = "float32"
    spatial = tuple(int(n) for n in rng.integers(1, 24 if rank < 5 else 9, rank - 2))
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 5))) + spatial
    x = _data(rng, shape, dtype)
    if rank == 4 and rng.random() < 0.4:                       # channels-last memory
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    kwargs = {"mode": mode, "antialias": antialias, "num_threads": int(rng.integers(1, 4))}
    scale = float(rng.choice([0.3, 0.5, 0.75, 1.5, 2.0, 2.7]))
    if rng.random() < 0.5 or min(spatial) * scale < 1:      # a scale must leave >= 1 sample
        kwargs["size"] = tuple(int(n) for n in rng.integers(1, 30 if rank < 5 else 12, rank - 2))
    else:
        kwargs["scale_factor"] = scale
    if mode in ("linear", "bilinear", "bicubic", "trilinear") and rng.random() < 0.3:
        kwargs["align_corners"] = True
    return x, kwargs


def _resize_call(rng):
    mode = str(rng.choice(RESIZE_MODES))
    ndim = int(rng.integers(1, 5))
    shape = tuple(int(n) for n in rng.integers(1, 20, ndim))
    axes = tuple(sorted(rng.choice(ndim, int(rng.integers(1, ndim + 1)), replace=False).tolist()))
    size = tuple(int(n) for n in rng.integers(1, 26, len(axes)))
    x = _data(rng, shape, str(rng.choice(DTYPES)))
    antialias = mode == "lanczos" or bool(rng.random() < 0.6)     # lanczos always is
    return x, {"size": size, "axes": axes, "mode": mode, "antialias": antialias,
               "num_threads": int(rng.integers(1, 4))}


def calls(count, seed):
    """The seeded list of (name, function, args, kwargs), the same on every platform."""
    rng = np.random.default_rng(seed)
    from resample.compat import pil_resize
    out = []
    for number in range(count):
        kind = number % 4
        if kind == 0:
            x, kw = _interpolate_call(rng)
            out.append(("interpolate", resample.interpolate, (x,), kw))
        elif kind == 1:
            x, kw = _interpolate_call(rng)
            if x.dtype == np.uint8:
                x = x.astype(np.float32)
            y = resample.interpolate(x, **kw)
            g = _data(rng, y.shape, str(x.dtype))
            out.append(("interpolate_backward", resample.interpolate_backward, (g, x.shape), kw))
        elif kind == 2:
            x, kw = _resize_call(rng)
            out.append(("resize", resample.resize, (x,), kw))
        else:
            shape = tuple(int(n) for n in rng.integers(1, 40, 2)) + ((int(rng.choice([1, 3, 4])),))
            x = _data(rng, shape, str(rng.choice(["uint8", "int32", "float32", "uint16"])))
            x = x[..., 0] if x.dtype != np.uint8 else (x[..., 0] if shape[2] == 1 else x)
            size = tuple(int(n) for n in rng.integers(1, 50, 2))
            # both Pillow arithmetics, named: the default follows the machine's Pillow wheels
            out.append(("pil_resize", pil_resize, (x, size, str(rng.choice(list(_PIL_FILTERS)))),
                        {"num_threads": int(rng.integers(1, 4)),
                         "fused_multiply_add": bool(rng.random() < 0.5)}))
    return out


_PIL_FILTERS = ["nearest", "box", "bilinear", "hamming", "bicubic", "lanczos"]


def run(count, seed):
    """{digest, per-function digests, per-call digests} of the calls' outputs."""
    total = hashlib.sha256()
    per_function = {}
    per_call = []
    for name, function, args, kwargs in calls(count, seed):
        result = np.ascontiguousarray(function(*args, **kwargs))
        digest = hashlib.sha256(str((result.shape, result.dtype.str)).encode() + result.tobytes()).hexdigest()
        per_call.append(f"{name}:{digest[:16]}")
        per_function.setdefault(name, hashlib.sha256()).update(digest.encode())
        total.update(digest.encode())
    return {"platform": f"{platform.system()} {platform.machine()}",
            "kernels": _runtime.SIMD_VARIANT,
            "count": count, "seed": seed, "digest": total.hexdigest(),
            "functions": {k: v.hexdigest() for k, v in sorted(per_function.items())},
            "calls": per_call}


def compare(paths):
    """0 when every file holds the same digest; else names the first differing calls."""
    runs = [json.load(open(p)) for p in paths]
    status = 0
    for path, other in zip(paths[1:], runs[1:]):
        base = runs[0]
        same = (other["digest"] == base["digest"] and other["count"] == base["count"]
                and other["seed"] == base["seed"])
        print(f"{paths[0]} ({base['platform']}, {base['kernels']}) vs {path} "
              f"({other['platform']}, {other['kernels']}): "
              f"{'same bits on all ' + str(base['count']) + ' calls' if same else 'DIFFERENT'}")
        if not same:
            status = 1
            differ = [i for i, (a, b) in enumerate(zip(base["calls"], other["calls"])) if a != b]
            print(f"  {len(differ)} calls differ; first: {differ[:10]}")
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--out", help="write the digests here (JSON)")
    parser.add_argument("--compare", nargs="+", metavar="JSON", help="compare digest files")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args.compare)
    result = run(args.count, args.seed)
    print(f"{result['platform']} ({result['kernels']}): {result['count']} calls, digest {result['digest'][:16]}")
    if args.out:
        with open(args.out, "w") as file:
            json.dump(result, file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
