"""
Agreement with Pillow, OpenCV and torchvision
=============================================

``resample.compat`` reproduces other libraries' resizes bit for bit. This example checks
it against the libraries themselves, where they are installed: one generated 8-bit RGB
photograph (smooth shapes and noise, 480x640) shrunk to 0.4x and enlarged to 1.7x with
every filter, and the number of output values that differ from the library's.

OpenCV is run with Intel IPP switched off (``cv2.ipp.setUseIPP(False)``), whose closed
arithmetic the pip wheels use for a few cases; ``docs/compat.md`` has those differences.
"""
import importlib.util

import matplotlib.pyplot as plt
import numpy as np

from resample.compat import (CV2_INTERPOLATIONS, PIL_FILTERS, cv2_resize, pil_resize,
                             torchvision_resize)

rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:480, 0:640]
photo = np.stack([128 + 100 * np.sin(xx / 37.0 + c) * np.cos(yy / 23.0 - c) for c in range(3)], -1)
photo = np.clip(photo + rng.normal(0, 12, photo.shape), 0, 255).astype(np.uint8)
sizes = {"0.4x": (256, 192), "1.7x": (1088, 816)}            # (W, H), as both libraries take


def pillow_rows():
    from PIL import Image
    image = Image.fromarray(photo)
    for name, code in PIL_FILTERS.items():
        diffs = [np.count_nonzero(np.asarray(image.resize(wh, code)) != pil_resize(photo, wh, name))
                 for wh in sizes.values()]
        yield "Pillow", name, diffs


def opencv_rows():
    import cv2
    cv2.ipp.setUseIPP(False)
    for name, code in CV2_INTERPOLATIONS.items():
        diffs = [np.count_nonzero(cv2.resize(photo, wh, interpolation=code)
                                  != cv2_resize(photo, wh, interpolation=name))
                 for wh in sizes.values()]
        yield "OpenCV", name, diffs


def import_torchvision():
    """torchvision's resize functions, which are pure Python over torch.

    A torchvision wheel built for another torch build (a CUDA wheel beside the CPU torch,
    say) fails to register its compiled ops at import ("operator torchvision::nms does not
    exist"); resizing uses none of them, so that registration module is skipped there."""
    try:
        import torchvision  # noqa: F401
    except RuntimeError as error:
        if "torchvision::" not in str(error):
            raise
        import sys
        import types
        for name in [m for m in sys.modules if m.startswith("torchvision")]:
            del sys.modules[name]
        sys.modules["torchvision._meta_registrations"] = types.ModuleType("stub")
    from torchvision.transforms.v2 import InterpolationMode, functional
    return InterpolationMode, functional


def torchvision_rows():
    import torch
    InterpolationMode, functional = import_torchvision()
    chw = np.ascontiguousarray(photo.transpose(2, 0, 1))
    for name in ["nearest", "nearest-exact", "bilinear", "bicubic"]:
        mode = InterpolationMode(name)
        diffs = []
        for w, h in sizes.values():
            theirs = functional.resize(torch.from_numpy(chw), [h, w], interpolation=mode,
                                       antialias=True).numpy()
            diffs.append(np.count_nonzero(theirs != torchvision_resize(chw, [h, w], name)))
        yield "torchvision", name, diffs


rows = []
for module, make in [("PIL", pillow_rows), ("cv2", opencv_rows), ("torchvision", torchvision_rows)]:
    if importlib.util.find_spec(module) is None:
        rows.append([module, "not installed", "-", "-"])
        continue
    rows += [[library, name, *map(str, diffs)] for library, name, diffs in make()]

# %%
# The table: values that differ from the library's own result (0 is bit for bit).
for row in rows:
    print(f"{row[0]:<12} {row[1]:<14} {row[2]:>6} {row[3]:>6}")

fig, ax = plt.subplots(figsize=(7, 0.32 * len(rows) + 0.8))
ax.set_axis_off()
table = ax.table(cellText=rows, colLabels=["library", "filter", "0.4x: values off",
                                           "1.7x: values off"], loc="center")
table.auto_set_font_size(False)
table.set_fontsize(9)
table.scale(1, 1.25)
counts = " and ".join(f"{w * h * 3:,}" for w, h in sizes.values())
ax.set_title(f"resample.compat against the libraries ({counts} values per result)")
fig.tight_layout()
plt.show()
