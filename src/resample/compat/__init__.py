"""Other libraries' resizes, reproduced bit for bit on NumPy arrays.

A model trained on images resized by one library and served with another sees different
pixels; these functions give the pixels of the library a model was trained with, with no
Pillow or torch at run time, on resample's kernels (multithreaded):

* `pil_resize`: Pillow 13's ``Image.resize`` (every filter and mode, ``box``,
  ``reducing_gap``).
* `torchvision_resize`: torchvision 0.28's ``transforms.v2.functional.resize`` on tensors
  (its output-size rules and its uint8 path choice).
* `cv2_resize`: OpenCV 5.0's ``cv2.resize`` (every interpolation, ``dsize`` or ``fx/fy``,
  any channel count).
* `matlab_imresize`: MATLAB's ``imresize`` (every method, antialiasing, symmetric
  padding, its dimension order and output sizes), in double.

* `tf_resize`, `tf_resize_v1`: TensorFlow 2.21's ``tf.image.resize`` (every method, with
  and without antialias) and ``tf.compat.v1.image.resize``.
* `jax_resize`, `jax_scale_and_translate`: JAX 0.10.2's ``jax.image`` functions (nearest
  bit for bit, the others within the rounding of XLA's dot).
* `ndimage_zoom`: SciPy 1.17's ``scipy.ndimage.zoom`` (every order, mode and grid_mode;
  orders 0 and 1 bit for bit, 2..5 within 1e-12 in float64).
* `skimage_resize`: scikit-image 0.26's ``skimage.transform.resize`` (its conversions,
  Gaussian anti-aliasing and clip, over ndimage_zoom).
* `resize_segmentation`: batchgenerators 0.25.5's label-map resize (nnU-Net's): every
  label's indicator resized, the argmax with its tie-break.
* `nnunet_resample`, `nnunet_resample_to_shape`: nnunetv2 2.8.1's resampling of data and
  segmentations (its separate-z rule).

Each one's exactness rule, and where it departs from its original on purpose, is in its
docstring and in docs/compat.md. One module per reproduced library (pillow, torchvision,
opencv, matlab, tensorflow, jax, ndimage, skimage,
batchgenerators, nnunet), each over resample's engine and per-axis plans.
"""
from .matlab import MATLAB_METHODS, matlab_imresize
from .opencv import CV2_INTERPOLATIONS, cv2_resize
from .pillow import PIL_FILTERS, pil_resize
from .torchvision import TORCHVISION_MODES, torchvision_output_size, torchvision_resize
from .tensorflow import TF_METHODS, tf_resize, tf_resize_v1
from .jax import JAX_METHODS, jax_resize, jax_scale_and_translate
from .ndimage import NDIMAGE_MODES, ndimage_zoom
from .skimage import SKIMAGE_MODES, skimage_resize
from .batchgenerators import SEG_TIEBREAKS, resize_segmentation
from .nnunet import nnunet_resample, nnunet_resample_to_shape

__all__ = ["pil_resize", "torchvision_resize", "torchvision_output_size", "cv2_resize",
           "matlab_imresize", "tf_resize", "tf_resize_v1", "jax_resize", "jax_scale_and_translate",
           "ndimage_zoom", "skimage_resize", "resize_segmentation",
           "nnunet_resample", "nnunet_resample_to_shape",
           "PIL_FILTERS", "TORCHVISION_MODES", "CV2_INTERPOLATIONS", "MATLAB_METHODS", "TF_METHODS",
           "JAX_METHODS", "NDIMAGE_MODES",
           "SKIMAGE_MODES", "SEG_TIEBREAKS"]
