"""resize(): images as image libraries hold them — (H, W), (H, W, C), (N, H, W, C) —
through the same kernels as interpolate, without copying the input."""
import numpy as np

from ._api import _as_array, _check_flag, interpolate
from ._runtime import _is_int, kernels as _kernels, resolve_threads as _resolve_threads

_ANTIALIAS_MODES = ("bilinear", "bicubic", "lanczos")
IMAGE_MODES = ("nearest", "nearest-exact", "bilinear", "bicubic", "area", "lanczos")


def _as_nchw(image):
    """An (N, C, H, W) view of an image array in channels-last memory (no copy)."""
    if image.ndim == 2:
        return image[None, None]
    if image.ndim == 3:
        return image[None].transpose(0, 3, 1, 2)
    if image.ndim == 4:
        return image.transpose(0, 3, 1, 2)
    raise ValueError(f"image must be (H, W), (H, W, C) or (N, H, W, C); got shape {image.shape}")


def _from_nchw(result, ndim):
    if ndim == 2:
        return result[0, 0]
    if ndim == 3:
        return result[0].transpose(1, 2, 0)
    return result.transpose(0, 2, 3, 1)


def target_size(height, width, size):
    """(H, W) from `size`: a pair (H, W), or one int for the shorter side, the longer side
    scaled by the same factor and rounded to the nearest int (at least 1)."""
    if height == 0 or width == 0:
        raise ValueError(f"cannot resize an empty image: its height and width are {height} and {width}")
    if _is_int(size):
        if size < 1:
            raise ValueError(f"size must be positive, got {size}")
        short, long = (height, width) if height <= width else (width, height)
        other = max(1, int(long * size / short + 0.5))
        return (int(size), other) if height <= width else (other, int(size))
    if isinstance(size, (tuple, list)) and len(size) == 2 and all(_is_int(v) for v in size):
        return int(size[0]), int(size[1])
    raise TypeError(f"size must be an int (shorter side) or a pair of ints (H, W), got {size!r}")


def resize(image, size, *, mode="bilinear", antialias=True, align_corners=None, out=None,
           num_threads=None):
    """Resize an image array held channels-last: (H, W), (H, W, C) or (N, H, W, C).

    `size` is (H, W), or one int for the shorter side keeping the aspect ratio.
    `antialias` applies to bilinear, bicubic and lanczos (nearest and area have no
    antialias variant and ignore it). Same kernels and results as `interpolate` on the
    equivalent (N, C, H, W) view; the input is not copied; the result has the input's
    layout and dtype.
    """
    image = _as_array(image)
    _check_flag("antialias", antialias)
    if mode not in IMAGE_MODES:
        raise ValueError(f"mode must be one of {', '.join(IMAGE_MODES)}; got {mode!r}")
    view = _as_nchw(image)
    new_size = target_size(view.shape[2], view.shape[3], size)
    if out is not None and not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a NumPy array, got {type(out).__name__}")
    if out is not None and out.ndim != image.ndim:
        raise ValueError(f"out must have the image's rank {image.ndim}, got shape {out.shape}")
    out_view = None if out is None else _as_nchw(out)
    result = interpolate(view, size=new_size, mode=mode, align_corners=align_corners,
                         antialias=antialias and mode in _ANTIALIAS_MODES, out=out_view,
                         num_threads=num_threads)
    return _from_nchw(result, image.ndim) if out is None else out


def round_to_dtype(values, dtype, num_threads=None):
    """Float results back to an integer image dtype: round half to even, clamp to its range."""
    info = np.iinfo(dtype)
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    rounded = np.empty(flat.shape, np.int64)
    _kernels.round_to_integers(flat, rounded, int(info.min), int(info.max),
                               _resolve_threads(num_threads))
    return rounded.astype(dtype).reshape(np.shape(values))
