"""`python -m resample`: the configuration, then a demo that resizes a generated image
with every mode and prints shapes and timings."""
import sys
import time

import numpy as np

from . import interpolate, show_config

# (label, mode, antialias, rank): every mode, in the rank torch accepts it
DEMO_MODES = [
    ("nearest", "nearest", False, 4),
    ("nearest-exact", "nearest-exact", False, 4),
    ("linear", "linear", False, 3),
    ("bilinear", "bilinear", False, 4),
    ("bicubic", "bicubic", False, 4),
    ("trilinear", "trilinear", False, 5),
    ("area", "area", False, 4),
    ("bilinear antialias", "bilinear", True, 4),
    ("bicubic antialias", "bicubic", True, 4),
    ("lanczos antialias", "lanczos", True, 4),
]


def zone_plate(height, width, channels=3):
    """A radial chirp (zone plate): frequencies rise towards the corners, so any
    aliasing in a downscale shows up as moire rings. float32, (1, C, H, W)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r2 = (x - width / 2) ** 2 + (y - height / 2) ** 2
    plate = 0.5 + 0.5 * np.cos(np.pi * r2 / max(height, width))
    return np.stack([plate] * channels)[None].astype(np.float32)


def _as_rank(image, rank):
    if rank == 3:
        return image[:, :, 0, :]                 # one row per channel
    if rank == 5:
        return np.stack([image] * 4, axis=2)     # a short stack of frames
    return image


def _best_time(fn, repeats=5):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best


def demo(height=512, width=768):
    image = zone_plate(height, width)
    print(f"\ndemo: zone plate {image.shape} float32, resized by 0.5 and by 2 with every mode\n")
    print(f"{'mode':<20} {'input':<18} {'x0.5 output':<20} {'ms':>7}   {'x2 output':<20} {'ms':>7}")
    for label, mode, antialias, rank in DEMO_MODES:
        x = _as_rank(image, rank)
        cells = []
        for scale in (0.5, 2.0):
            result, seconds = _best_time(lambda: interpolate(
                x, scale_factor=scale, mode=mode, antialias=antialias))
            cells.append(f"{str(result.shape):<20} {seconds * 1e3:7.2f}")
        print(f"{label:<20} {str(x.shape):<18} {cells[0]}   {cells[1]}")
    # what antialias is for: the plate's fine rings survive a 1/8 bilinear reduction
    # as moire without it and average out to grey with it
    small = [interpolate(image, scale_factor=0.125, mode="bilinear", antialias=aa) for aa in (False, True)]
    print(f"\n1/8 bilinear of the zone plate, pixel std (aliasing shows as contrast that should be gone): "
          f"without antialias {small[0].std():.3f}, with antialias {small[1].std():.3f}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print("usage: python -m resample   (prints the configuration and runs the demo)")
        return 2
    show_config()
    demo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
