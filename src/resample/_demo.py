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


# The comparison image: one tile per mode, without and with antialias, and whether its
# result is right (the rings fade to grey where they are finer than the new grid) or
# aliased (false rings).
COMPARISON = [("nearest", False), ("bilinear", False), ("bicubic", False), ("area", False),
              ("bilinear", True), ("bicubic", True), ("lanczos", True)]


def _verdict(mode, antialias):
    if antialias:
        return "right"
    return "nearly right (faint rings)" if mode == "area" else "aliased"    # a box filter


def _draw_words(draw, xy, text, font, fill=0):
    """text at xy with a space a third of the font size wide (the bundled font's own is
    too narrow to read at label sizes)."""
    x, y = xy
    for word in text.split(" "):
        draw.text((x, y), word, font=font, fill=fill)
        x += draw.textlength(word, font=font) + font.size // 3


def comparison_image(path, size=1024, factor=4):
    """Downsample a size x size zone plate (uint8) by `factor` with each mode and save a
    titled, labelled grid: the original at full scale (its centre, and rings halfway out
    enlarged 2x), then each mode's result marked right (the fine rings fade to grey) or
    aliased (false rings). Returns the modes' labels."""
    from PIL import Image, ImageDraw, ImageFont

    from ._resize import resize

    plate = np.rint(zone_plate(size, size) * 255).astype(np.uint8)
    tile = size // factor
    title_font, text_font = ImageFont.load_default(size=22), ImageFont.load_default(size=16)
    label_height, gap, header = 26, 10, 78
    centre = (size - tile) // 2
    # halfway from the centre to the left edge the rings are half the finest: enlarged 2x,
    # each of them shows (the finest, at the edges, would only show as a pixel pattern)
    halfway = plate[centre + tile // 4:centre + 3 * tile // 4, size // 4 - tile // 4:size // 4 + tile // 4]
    tiles = [("original, centre (1:1)", plate[centre:centre + tile, centre:centre + tile]),
             ("original, halfway out (2x)", resize(halfway, (tile, tile), mode="nearest"))]
    labels = []
    for mode, antialias in COMPARISON:
        label = f"{mode}{' antialias' if antialias else ''}"
        labels.append(label)
        small = resize(plate, (tile, tile), mode=mode, antialias=antialias)
        tiles.append((f"{label}: {_verdict(mode, antialias)}", small))
    columns = 5
    rows = -(-len(tiles) // columns)
    canvas = Image.new("L", (columns * (tile + gap) + gap,
                             header + rows * (tile + label_height + gap) + gap), 255)
    draw = ImageDraw.Draw(canvas)
    _draw_words(draw, (gap, 8), f"A {size}x{size} zone plate reduced {factor}x to {tile}x{tile} "
                f"by each mode", title_font)
    _draw_words(draw, (gap, 40), "Its rings get finer towards the edges. Right: they fade to "
                "flat grey where they are finer than the new pixels. Aliased: false rings "
                "appear there.", text_font)
    for n, (label, pixels) in enumerate(tiles):
        left = gap + (n % columns) * (tile + gap)
        top = header + (n // columns) * (tile + label_height + gap)
        _draw_words(draw, (left, top + 3), label, text_font)
        canvas.paste(Image.fromarray(pixels), (left, top + label_height))
    canvas.save(path)
    return labels
