"""compat.torchvision_resize: torchvision 0.28's transforms.v2.functional.resize on image
arrays, bit for bit: its output-size rules, its choice between torch's uint8 and float
paths, over resample's interpolate. Its exactness rule is in the docstring and in
docs/compat.md."""
import numbers

import numpy as np

from .._arrays import c_order, check_fits, native_order
from .._interpolate import interpolate
from .._runtime import kernels as _kernels, resolve_threads
from .. import _engine, _plans
from .pillow import PIL_FILTERS

#: torchvision's InterpolationMode values by name, and their Pillow integer codes.
TORCHVISION_MODES = {name: PIL_FILTERS.get(name) for name in
                     ("nearest", "nearest-exact", "bilinear", "bicubic", "box", "hamming", "lanczos")}


def torchvision_resize(image, size, interpolation="bilinear", max_size=None, antialias=True, *,
                       native_uint8_bilinear=True, torch_single_thread=False, num_threads=None):
    """torchvision 0.28's ``transforms.v2.functional.resize`` on an image array, bit for bit.

    Parameters
    ----------
    image : ndarray
        (..., C, H, W), torchvision's layout for tensors: uint8, float32 or float64.
    size : int or sequence of int or None
        As torchvision: an int or a 1-sequence sets the shorter edge (the longer one is
        scaled and truncated), a 2-sequence is (H, W), None needs ``max_size``.
    interpolation : str or int or InterpolationMode
        "nearest", "nearest-exact", "bilinear", "bicubic", "lanczos" (antialias only), an
        ``InterpolationMode`` or Pillow's integer code, as torchvision takes them.
    max_size : int, optional
        The longest edge allowed after an int `size` (or the longest edge, with size None).
    antialias : bool or None
        As torchvision (None means False); always off for the nearest modes.
    native_uint8_bilinear : bool
        Which of torchvision's uint8 bilinear paths to reproduce: True (default) its native
        uint8 kernel, which torchvision uses on x86 CPUs with AVX2 or AVX-512 and on ARM;
        False the float32 round trip (resize in float32, round half to even, cast) it
        takes on other x86 CPUs. bicubic and lanczos are always native on CPU.
    torch_single_thread : bool
        Whether torch runs on one thread where the model was trained (as in DataLoader
        workers, which torch sets to one thread): for 3-channel float bilinear images torch
        then switches kernels, and the last bit of some pixels changes. Like torch's own
        choice for outputs with height + width <= 128, this is reproduced.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        (..., C, new_H, new_W) of the input's dtype; the input itself when the size does
        not change (as torchvision returns its input).

    Raises
    ------
    ValueError
        torchvision's errors: an unknown interpolation, lanczos without antialias, a
        max_size not above the requested shorter edge, max_size with a 2-sequence; also
        box and hamming, which torchvision passes on to torch and torch refuses; an image
        whose height or width is 0.
    TypeError
        An image of fewer than 3 dimensions or of another dtype.

    Notes
    -----
    Exactness: uint8 bit for bit (resample's torch-exact fixed point); float32 and
    float64 bit for bit against torch's portable CPU kernels and within a few ulp of its
    AVX2 builds (torch's own promise for interpolate), except nearest-exact at some exact
    half-way ties, where their fused multiply-add takes the upper sample (docs/compat.md).
    Tested against torchvision 0.28 (tests/test_compat_torchvision.py).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import torchvision_resize
    >>> torchvision_resize(np.zeros((3, 480, 640), np.uint8), 224).shape
    (3, 224, 298)
    """
    image = native_order(np.asarray(image))
    if image.ndim < 3:
        raise TypeError(f"expected an array of shape (..., C, H, W), got shape {image.shape}")
    if image.dtype not in (np.uint8, np.float32, np.float64):
        raise TypeError(f"torchvision_resize reproduces uint8, float32 and float64 images, got "
                        f"{image.dtype}")
    mode = _torchvision_mode(interpolation)
    antialias = bool(antialias)
    if mode in ("bilinear", "bicubic", "lanczos"):
        if mode == "lanczos" and not antialias:
            raise ValueError("InterpolationMode.LANCZOS requires antialias=True")
    else:
        antialias = False
    if mode in ("box", "hamming"):
        raise ValueError(f"torchvision cannot resize tensors with {mode!r} interpolation "
                         "(torch's interpolate has no such mode); use pil_resize for Pillow's")
    channels, old_h, old_w = image.shape[-3:]
    for name, axis in (("height", image.ndim - 2), ("width", image.ndim - 1)):
        if image.shape[axis] == 0:
            raise ValueError(f"the image's {name} (axis {axis}) is 0: there are no pixels to "
                             f"resize (shape {image.shape})")
    new_h, new_w = torchvision_output_size((old_h, old_w), size, max_size)
    if (new_h, new_w) == (old_h, old_w):
        return image
    out_shape = image.shape[:-3] + (channels, new_h, new_w)
    if image.size == 0:                  # an empty batch or no channels: nothing to compute
        return np.empty(out_shape, image.dtype)
    batch = image.reshape((-1, channels, old_h, old_w))
    float_path = (image.dtype == np.uint8 and mode == "bilinear" and not native_uint8_bilinear)
    threads = resolve_threads(num_threads)
    # torch's own kernel choice for 2-D nearest and bilinear (docs §3.1, §3.3): its
    # channels-last kernels for small outputs, channels-last input (here only a 1x1 image)
    # with more than 3 channels, and (bilinear) 3 channels on one thread
    small = new_h + new_w <= 128 or (old_h * old_w == 1 and channels > 3)
    if float_path:
        wide = np.empty(batch.shape, np.float32)
        _kernels.widen_integers(batch.reshape(-1), wide.reshape(-1), threads)
        result = _torch_2d(wide, (new_h, new_w), mode, antialias, small, torch_single_thread, threads)
        out = np.empty(result.shape, np.uint8)
        _kernels.narrow_integers(result.reshape(-1), out.reshape(-1), threads)
    else:
        out = _torch_2d(batch, (new_h, new_w), mode, antialias, small, torch_single_thread, threads)
    return out.reshape(out_shape)


def _torch_2d(batch, size, mode, antialias, small, single_thread, threads):
    """torch's interpolate of an (N, C, H, W) batch as torch dispatches it (the result
    contiguous, whatever the batch's layout: the values do not depend on it)."""
    batch = c_order(batch)
    (n, channels, old_h, old_w), (new_h, new_w) = batch.shape, size
    if new_h <= 0 or new_w <= 0:        # torch's check and message
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"(H: {old_h}, W: {old_w}) output (H: {new_h}, W: {new_w})")
    check_fits((n, channels, new_h, new_w), batch.dtype.itemsize)
    out = np.empty((n, channels, new_h, new_w), batch.dtype)
    if mode in ("nearest", "nearest-exact") and small:
        exact = mode == "nearest-exact"
        index = {2: _plans.nearest_plan_small(old_h, new_h, exact),
                 3: _plans.nearest_plan_small(old_w, new_w, exact)}
        _engine.gather(batch, out, (0, 1, 2, 3), index, threads)
        return out
    if (mode == "bilinear" and not antialias and batch.dtype != np.uint8
            and (small or (single_thread and channels == 3))):
        double = batch.dtype == np.float64
        taps_h, weights_h, _ = _plans.separable_plan("bilinear", False, old_h, new_h, False, 0.0, double)
        taps_w, weights_w, _ = _plans.separable_plan("bilinear", False, old_w, new_w, False, 0.0, double)
        _kernels.bilinear_corners(batch.reshape(-1), out.reshape(-1), n,
                                  channels, old_h, old_w, taps_h, weights_h, taps_w, weights_w, threads)
        return out
    align = False if mode in ("bilinear", "bicubic", "lanczos") else None
    return interpolate(batch, size=size, mode=mode, antialias=antialias, align_corners=align,
                            out=out, num_threads=threads)


def torchvision_output_size(image_size, size, max_size=None):
    """torchvision 0.28's output (height, width) for an image of (height, width), from its
    `size` and `max_size` rules (see `torchvision_resize`)."""
    h, w = image_size
    if isinstance(size, numbers.Integral):
        size = [size]
    elif max_size is not None and size is not None and len(size) != 1:
        raise ValueError("max_size should only be passed if size is None or specifies the length "
                         "of the smaller edge, i.e. size should be an int or a sequence of length 1")
    short, long = (w, h) if w <= h else (h, w)
    if size is None:
        if not isinstance(max_size, numbers.Integral):
            raise ValueError(f"max_size must be an integer when size is None, but got {max_size} instead.")
        new_short, new_long = int(max_size * short / long), max_size
    elif len(size) == 1:
        requested = size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                                 f"size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
    elif len(size) == 2:
        return int(size[0]), int(size[1])
    else:
        raise ValueError(f"size must be an int or a sequence of 1 or 2 ints, got {size!r}")
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return new_h, new_w


def _torchvision_mode(interpolation):
    value = getattr(interpolation, "value", interpolation)    # an InterpolationMode enum
    if isinstance(value, str):
        if value in TORCHVISION_MODES:
            return value
        raise ValueError(f"Invalid interpolation mode: {value!r}. Supported string values are: "
                         f"{list(TORCHVISION_MODES)}.")
    if isinstance(value, numbers.Integral):
        for name, code in TORCHVISION_MODES.items():
            if code == value:
                return name
    raise ValueError(f"interpolation should be an InterpolationMode, its name, or a Pillow integer "
                     f"constant; got {interpolation!r}")
