"""
A volume zoomed by SciPy and by resample
========================================

``resample.compat.ndimage_zoom`` is SciPy's ``scipy.ndimage.zoom``: the same B-spline
prefilter, boundary rules and weights, on resample's threaded kernels. Here a 3-D zone
plate, 96x96x64, is zoomed by 1.6 with cubic B-splines (order 3, SciPy's default
``constant`` mode) by both, and the middle slice of each is shown with their difference.
Without SciPy installed, only resample's slice is drawn.
"""
import time

import matplotlib.pyplot as plt
import numpy as np

from resample.compat import ndimage_zoom

z, y, x = np.mgrid[0:64, 0:96, 0:96].astype(np.float64) - np.array([32, 48, 48])[:, None, None, None]
volume = (0.5 + 0.5 * np.cos(np.pi * (x * x + y * y + z * z) / 160)).astype(np.float32)

start = time.perf_counter()
ours = ndimage_zoom(volume, 1.6, order=3)
ours_s = time.perf_counter() - start
try:
    import scipy.ndimage as ndi
except ImportError:
    ndi = None

# %%
# The middle slices and, where SciPy is here, their difference: orders 2 to 5 sum the same
# weights one axis at a time, so the float32 results may differ by one rounding on a few
# elements in a million (the rule: equal on at least 99.9%); printed below.
slices = [("resample.compat.ndimage_zoom", ours[ours.shape[0] // 2])]
if ndi is not None:
    start = time.perf_counter()
    theirs = ndi.zoom(volume, 1.6, order=3)
    theirs_s = time.perf_counter() - start
    slices += [("scipy.ndimage.zoom", theirs[theirs.shape[0] // 2]),
               ("difference", ours[ours.shape[0] // 2] - theirs[theirs.shape[0] // 2])]
fig, axes = plt.subplots(1, len(slices), figsize=(4 * len(slices), 4), squeeze=False)
for ax, (title, image) in zip(axes[0], slices):
    limits = dict(vmin=-1e-6, vmax=1e-6) if title == "difference" else dict(vmin=0, vmax=1)
    ax.imshow(image, cmap="gray", **limits)
    ax.set_title(title)
    ax.set_axis_off()
fig.tight_layout()
plt.show()

print(f"output {ours.shape}, resample {ours_s * 1e3:.0f} ms")
if ndi is not None:
    print(f"SciPy {theirs_s * 1e3:.0f} ms; equal float32 elements: {np.mean(ours == theirs):.6f}; "
          f"largest difference {np.abs(ours - theirs).max():.2e}")
