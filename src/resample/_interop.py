"""Other libraries' objects in and out: PIL images, torch tensors and Python lists become
arrays, and results go back in the caller's kind. resize and the photo CLI both read PIL
images through here, so an image is converted by one rule wherever it comes in. No pixel
arithmetic happens here (rounding back to an integer dtype is a kernel)."""
import numpy as np

from . import _modes
from ._runtime import kernels as _kernels, resolve_threads

# Pillow modes whose samples are palette indices or single bits: resized as what they show
_PIL_CONVERTED = {"1": "L", "P": "RGB", "PA": "RGBA"}
# Pillow modes with an alpha band (the last): straight, or already premultiplied
_PIL_STRAIGHT_ALPHA = ("RGBA", "LA", "PA")
_PIL_PREMULTIPLIED = ("RGBa", "La")


def as_image_array(x):
    """(array, back): the array resize works on, and the function that gives a result back
    in x's kind: PIL images come back as PIL images, torch tensors as tensors, everything
    else as NumPy arrays. Lists and tuples of integers compute in float64."""
    if is_pil_image(x):
        return from_pil(x)
    if _is_tensor(x):
        if x.requires_grad:
            raise TypeError("input is a torch tensor that requires grad, and resize computes "
                            "no gradient: pass tensor.detach(), or use resample.torch.interpolate "
                            "(differentiable)")
        return tensor_to_numpy(x, "input"), result_kind(x)
    if isinstance(x, (list, tuple)):
        array = np.asarray(x)
        if array.dtype.kind in "iu":
            array = array.astype(np.float64)
        return array, unchanged
    return x, unchanged


def is_pil_image(x):
    """Whether x is a PIL image (without importing PIL)."""
    return type(x).__module__.split(".")[0] == "PIL" and hasattr(x, "getbands")


def pil_alpha(x):
    """What the image x's alpha band is: "straight" (RGBA, LA, PA, and P with a
    transparency, which from_pil makes RGBA), "premultiplied" (RGBa, La), "" (none); None
    when x is not a PIL image."""
    if not is_pil_image(x):
        return None
    if x.mode in _PIL_STRAIGHT_ALPHA or (x.mode == "P" and "transparency" in x.info):
        return "straight"
    return "premultiplied" if x.mode in _PIL_PREMULTIPLIED else ""


def _is_tensor(x):
    """Whether x is a torch tensor (without importing torch)."""
    return type(x).__module__.split(".")[0] == "torch" and hasattr(x, "device")


def result_kind(x):
    """How a result goes back to the caller who passed x: a torch tensor sharing the
    result's memory (and layout) for a torch tensor, the NumPy array itself otherwise.
    interpolate and resize both follow it."""
    if _is_tensor(x):
        return tensor_from_numpy
    return unchanged


def unchanged(result):
    """A result given back as it is (NumPy in, NumPy out)."""
    return result


def bfloat16_dtype(what):
    """NumPy's bfloat16, ml_dtypes.bfloat16 (imported here, on first need); TypeError
    naming `what` and the extra to install when ml_dtypes is missing."""
    try:
        import ml_dtypes
    except ImportError:
        raise TypeError(f"{what} is bfloat16, which NumPy holds as ml_dtypes.bfloat16: install "
                        "ml_dtypes (pip install 'resample-interp[bf16]')") from None
    return np.dtype(ml_dtypes.bfloat16)


def tensor_to_numpy(tensor, name):
    """A NumPy view of a CPU tensor's memory (detached from autograd; bfloat16 as
    ml_dtypes.bfloat16); TypeError naming `name` for a tensor on another device or of a
    dtype NumPy lacks."""
    if tensor.device.type != "cpu":
        raise TypeError(f"{name} is a torch tensor on device {tensor.device}; resample runs on "
                        "the CPU: pass tensor.cpu()")
    import torch
    if tensor.dtype == torch.bfloat16:      # same memory, same strides, read as 16-bit words
        dtype = bfloat16_dtype(f"{name} torch tensor")
        return tensor.detach().view(torch.int16).numpy().view(dtype)
    try:
        return tensor.detach().numpy()
    except (TypeError, RuntimeError) as exc:
        raise TypeError(f"{name} torch tensor of dtype {tensor.dtype} has no NumPy equivalent: "
                        f"{exc}") from None


def tensor_from_numpy(array):
    """A tensor sharing `array`'s memory and layout (bfloat16 back to torch.bfloat16)."""
    import torch
    if array.dtype == _modes.BFLOAT16:
        return torch.from_numpy(array.view(np.int16)).view(torch.bfloat16)
    return torch.from_numpy(array)


def from_pil(image):
    """A PIL image as an (H, W[, C]) array, and how to make a result an image of its mode.

    1-bit images are resized as L and palette images (P, PA) as RGB or RGBA (with
    transparency), the result in that mode: indices and bits have no in-between values.
    The result keeps the image's info (EXIF with its orientation, ICC profile, DPI) as
    Pillow's own resize does, less a palette's transparency index once converted.
    32-bit integer images ('I') compute in float64 and are rounded back half to even;
    16-bit ones (I;16, I;16L, I;16B) compute as uint16 arrays do and come back in the
    mode's byte order."""
    from PIL import Image
    mode = image.mode
    info = dict(image.info)
    if mode in _PIL_CONVERTED:
        info.pop("transparency", None)          # a palette index, meaningless once converted
        transparent = mode == "PA" or (mode == "P" and "transparency" in image.info)
        mode = "RGBA" if transparent else _PIL_CONVERTED[mode]
        image = image.convert(mode)
    array = np.asarray(image)
    stored = array.dtype                 # as the mode stores it (I;16B: big-endian)

    def back(result):
        if stored == np.int32:
            result = round_to_dtype(result, np.int32)
        height, width = result.shape[:2]
        data = np.ascontiguousarray(result, dtype=stored).tobytes()
        # frombytes with the mode itself keeps modes fromarray would guess wrong (CMYK, LA, I;16B)
        picture = Image.frombytes(mode, (width, height), data)
        picture.info.update(info)
        return picture

    return (array.astype(np.float64) if stored == np.int32 else array), back


def round_to_dtype(values, dtype, num_threads=None):
    """Float results back to an integer dtype: round half to even, clamp to its range."""
    info = np.iinfo(dtype)
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    rounded = np.empty(flat.shape, np.int64)
    _kernels.round_to_integers(flat, rounded, int(info.min), int(info.max),
                               resolve_threads(num_threads))
    return rounded.astype(dtype).reshape(np.shape(values))
