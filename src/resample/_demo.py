"""The built-in demos: a timing table over every mode, and a comparison image that
shows aliasing, both on a generated zone plate (nothing is downloaded)."""
import time

import numpy as np

from . import _modes
from ._interpolate import interpolate

# (label, mode, antialias, rank): every interpolate mode, in the rank torch accepts it (4-D
# where it takes any), then every antialiased one (torch's are 4-D only)
DEMO_MODES = [(name, name, False, _modes.torch_rank(name) or 4) for name in _modes.TORCH_MODES
              if not _modes.BY_TORCH_NAME[name].antialias_only]
DEMO_MODES += [(f"{name} antialias", name, True, 4) for name in _modes.TORCH_MODES
               if _modes.torch_antialias(name)]


def zone_plate(height, width):
    """A radial chirp (zone plate), float32 (H, W) in [0, 1]: the local frequency rises
    linearly from the centre to the Nyquist limit at the edges, so aliasing in a
    downscale shows up as false rings (moire) away from the centre."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r2 = (x - width / 2) ** 2 + (y - height / 2) ** 2
    return (0.5 + 0.5 * np.cos(np.pi * r2 / max(height, width))).astype(np.float32)


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


def timing_table(height=512, width=768):
    """Resize a (1, 3, H, W) zone plate by 0.5 and by 2 with every mode; print shapes and
    the best of 5 timings."""
    image = np.stack([zone_plate(height, width)] * 3)[None]
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


# The comparison image: one tile per mode, without and with antialias.
COMPARISON = [("nearest", False), ("bilinear", False), ("bicubic", False), ("area", False),
              ("bilinear", True), ("bicubic", True), ("lanczos", True)]


def comparison_image(path, size=1024, factor=4):
    """Downsample a size x size zone plate (uint8) by `factor` with each mode, and save a
    labelled grid: the aliasing modes show false rings, antialias and area show grey."""
    from PIL import Image, ImageDraw

    from ._resize import resize

    plate = np.rint(zone_plate(size, size) * 255).astype(np.uint8)
    tile = size // factor
    label_height, gap = 18, 6
    columns = 4
    rows = -(-(len(COMPARISON) + 1) // columns)
    canvas = Image.new("L", (columns * (tile + gap) + gap, rows * (tile + label_height + gap) + gap), 255)
    draw = ImageDraw.Draw(canvas)
    centre = (size - tile) // 2
    tiles = [("original, centre crop", plate[centre:centre + tile, centre:centre + tile])]
    for mode, antialias in COMPARISON:
        small = resize(plate, (tile, tile), mode=mode, antialias=antialias)
        tiles.append((f"{mode}{' antialias' if antialias else ''}", small))
    for n, (label, pixels) in enumerate(tiles):
        left = gap + (n % columns) * (tile + gap)
        top = gap + (n // columns) * (tile + label_height + gap)
        draw.text((left, top + 2), label, fill=0)
        canvas.paste(Image.fromarray(pixels), (left, top + label_height))
    canvas.save(path)
    return [label for label, _ in tiles]
