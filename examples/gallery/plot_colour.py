"""
Colour: linear light and premultiplied alpha
============================================

Two errors every naive resize makes, side by side with their fixes
(``docs/guide/colour.md``):

* **Gamma.** sRGB samples are not light: averaging them darkens. A black-and-white
  checkerboard, seen from afar, is the grey of half the light, sRGB 188; averaged as
  samples it becomes 128, far darker. Fine bright detail (stars) fades and fine dark
  detail (text) thickens the same way. ``gamma="srgb"`` resizes in linear light.
* **Alpha.** Colour under fully transparent pixels is invisible, but a channel-by-channel
  resize mixes it into the visible edge: a red fringe round a green disc on transparent
  red. Premultiplied alpha (the default for PIL images with alpha, ``alpha=True`` for
  arrays) weights every colour by its alpha.

Run as a script with a path, it writes the comparison as a PNG (the README's picture:
``python examples/gallery/plot_colour.py docs/images/colour.png``).
"""
import sys

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageDraw

import resample

TILE = 160          # every panel's side, in output pixels
SHRINK = 4

# %%
# The inputs, 4x the panels' size: a one-pixel checkerboard; a photo-like scene, fine
# dark text on a light page above a starfield; a green disc on transparent red.
big = TILE * SHRINK
board = ((np.indices((big, big)).sum(0) % 2) * 255).astype(np.uint8)
board = np.stack([board] * 3, axis=-1)

page = Image.new("RGB", (big, big), (236, 232, 222))
draw = ImageDraw.Draw(page)
for row in range(0, big // 2 - 12, 12):          # the default bitmap font, 1-pixel strokes
    draw.text((6, row + 4), "resample: linear light keeps fine text and stars" [row % 17:],
              fill=(24, 24, 30))
scene = np.asarray(page).copy()
rng = np.random.default_rng(3)
scene[big // 2:] = (6, 8, 20)                      # night sky
stars = rng.integers(0, (big // 2, big), (700, 2))
scene[big // 2 + stars[:, 0], stars[:, 1]] = 255   # single-pixel stars

y, x = np.mgrid[0:big, 0:big]
disc = (x - big / 2) ** 2 + (y - big / 2) ** 2 < (big * 0.3) ** 2
sticker = np.zeros((big, big, 4), np.uint8)
sticker[...] = (255, 0, 0, 0)                      # transparent, but red underneath
sticker[disc] = (0, 200, 0, 255)
sticker = Image.fromarray(sticker, "RGBA")

# %%
# Each resized plain and in linear light (RGB arrays: ``gamma``), and the RGBA image
# channel by channel (``alpha=False``) and premultiplied (the default for RGBA images),
# both shown over white.
size = (TILE, TILE)


def over_white(image):
    flat = Image.new("RGBA", image.size, "white")
    flat.alpha_composite(image)
    return np.asarray(flat.convert("RGB"))


def edge_zoom(image):
    """The disc's left edge, 4x enlarged (nearest) so the fringe shows."""
    crop = over_white(image)[TILE // 2 - 20:TILE // 2 + 20, TILE // 5 - 12:TILE // 5 + 28]
    return np.asarray(Image.fromarray(crop).resize((TILE, TILE), Image.Resampling.NEAREST))


crop = (slice(big // 2 - TILE // 2, big // 2 + TILE // 2),) * 2      # the input at 1:1
panels = [
    ("checkerboard, 1:1 crop", board[crop]),
    ("4x smaller, plain", resample.resize(board, size)),
    ("4x smaller, linear light", resample.resize(board, size, gamma="srgb")),
    ("text and stars, 1:1 crop", scene[big // 2 - TILE // 2:big // 2 + TILE // 2, :TILE]),
    ("4x smaller, plain", resample.resize(scene, size, mode="lanczos")),
    ("4x smaller, linear light", resample.resize(scene, size, mode="lanczos", gamma="srgb")),
    ("RGBA input, its edge", edge_zoom(sticker.resize(size, Image.Resampling.NEAREST))),
    ("4x smaller, by channel", edge_zoom(resample.resize(sticker, size, alpha=False))),
    ("4x smaller, premultiplied", edge_zoom(resample.resize(sticker, size))),
]
for name, panel in panels[1:3]:
    print(f"checkerboard {name}: sRGB level {panel.mean():.1f}")   # 128, and 188: half the light


def mosaic(panels, columns=3, label=18, gap=6):
    """The panels as one labelled uint8 image (PIL's own font; no matplotlib)."""
    rows = -(-len(panels) // columns)
    out = Image.new("RGB", (columns * (TILE + gap) + gap, rows * (TILE + label + gap) + gap),
                    "white")
    draw = ImageDraw.Draw(out)
    for i, (name, panel) in enumerate(panels):
        left = gap + (i % columns) * (TILE + gap)
        top = gap + (i // columns) * (TILE + label + gap)
        draw.text((left, top + 3), name, fill="black")
        out.paste(Image.fromarray(panel), (left, top + label))
    return out


picture = mosaic(panels)
if len(sys.argv) > 1 and sys.argv[1].endswith(".png"):
    picture.save(sys.argv[1], optimize=True)

fig, ax = plt.subplots(figsize=(9, 9))
ax.imshow(np.asarray(picture), interpolation="nearest")
ax.set_axis_off()
fig.suptitle("4x reduced: plain vs linear light, channel by channel vs premultiplied")
fig.tight_layout()
plt.show()
