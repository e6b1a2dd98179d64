"""
Which order a size is in
========================

Each library's users write sizes their own way, and resample takes each way where its
users meet it, so a call written from habit means what its writer meant. Every row below
is checked by running it on a 480-row, 640-column picture (a 3:4 landscape): each call asks
for half the size, and the result must be 240 rows by 320 columns.

=====================================  ==============  ==================================
call                                   size order      why
=====================================  ==============  ==================================
``resample.resize(array, size)``       ``(H, W)``      the order of the array's axes
``resample.interpolate(x, size)``      ``(H, W)``      torch's ``F.interpolate``
``resample.resize(pil_image, size)``   ``(W, H)``      Pillow's ``Image.resize``, ``.size``
``compat.pil_resize(array, size)``     ``(W, H)``      Pillow's order
``compat.cv2_resize(array, dsize)``    ``(W, H)``      OpenCV's ``dsize``
``compat.torchvision_resize``          ``[H, W]``      torchvision's ``size``
``resample resize --size WxH``         ``W x H``       ImageMagick and vips on the CLI
=====================================  ==============  ==================================
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

import resample
from resample.compat import cv2_resize, pil_resize, torchvision_resize

hwc = np.zeros((480, 640, 3), np.uint8)
hwc[:, :320] = (200, 60, 40)                             # left half red: shows the orientation
picture = Image.fromarray(hwc)

results = {
    "resize(array, (240, 320))": resample.resize(hwc, (240, 320)).shape[:2],
    "interpolate(x, size=(240, 320))": resample.interpolate(
        hwc.transpose(2, 0, 1)[None].astype(np.float32), size=(240, 320)).shape[2:],
    "resize(pil_image, (320, 240))": resample.resize(picture, (320, 240)).size[::-1],
    "pil_resize(array, (320, 240))": pil_resize(hwc, (320, 240)).shape[:2],
    "cv2_resize(array, (320, 240))": cv2_resize(hwc, (320, 240)).shape[:2],
    "torchvision_resize(chw, [240, 320])": torchvision_resize(
        np.ascontiguousarray(hwc.transpose(2, 0, 1)), [240, 320]).shape[1:],
}

with tempfile.TemporaryDirectory() as folder:
    source = Path(folder) / "in.png"
    picture.save(source)
    subprocess.run([sys.executable, "-m", "resample", "resize", str(source), "-o",
                    str(Path(folder) / "out"), "--size", "320x240"], check=True,
                   capture_output=True)
    with Image.open(Path(folder) / "out" / "in.png") as written:
        results["resample resize --size 320x240"] = written.size[::-1]

# %%
# Every call gives 240 rows by 320 columns.
for call, shape in results.items():
    print(f"{call:<40} -> {tuple(shape)} (rows, columns)")
    assert tuple(shape) == (240, 320), call

fig, ax = plt.subplots(figsize=(8, 2.8))
ax.set_axis_off()
table = ax.table(cellText=[[call, f"{shape[0]} x {shape[1]}"] for call, shape in results.items()],
                 colLabels=["call (half of a 480 x 640 picture)", "rows x columns"],
                 loc="center")
table.auto_set_font_size(False)
table.set_fontsize(9)
table.scale(1, 1.3)
fig.tight_layout()
plt.show()
