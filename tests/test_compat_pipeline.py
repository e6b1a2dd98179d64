"""Issue #13's use case end to end: a CLIP preprocessing pipeline (shorter edge to 224 with
bicubic, center crop 224, rescale by 1/255, normalise with CLIP's mean and std) as Hugging
Face transformers runs it, both ways, and resample.compat giving each one's output array
for array.

* The slow processor (transformers' CLIPImageProcessor): Pillow's Image.resize, then NumPy.
* The fast processor (CLIPImageProcessorFast): torchvision's v2 resize on a uint8 (N, C, H, W)
  tensor, its center crop and its normalise with the rescale folded into mean and std.

transformers is not needed: each step below is written out and names the transformers
function it mirrors. The two processors give different arrays for the same photograph (the
last test shows it); resample reproduces each, with only the resize swapped for
resample.compat's and the rest in NumPy."""
import os
import sys

import numpy as np
import pytest

from resample.compat import pil_resize, torchvision_resize

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
from cli_photos import photo_like  # noqa: E402  (the benchmark's photo-like images)

# transformers.image_utils.OPENAI_CLIP_MEAN / OPENAI_CLIP_STD and the processors' defaults
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
RESCALE_FACTOR = 1 / 255
SHORTEST_EDGE = 224
CROP = 224

# (height, width, seed): portrait, landscape, small and tiny ones that are enlarged, a large
# one, and one whose shorter edge is 224 already (no resize, only the crop). 640x427 leaves
# a crop margin of 111 rows, where the two processors' crop offsets differ (55 and 56).
GENERATED = {"portrait-640x427": (640, 427, 1), "landscape-353x517": (353, 517, 2),
             "small-150x200": (150, 200, 3), "tiny-97x143": (97, 143, 4),
             "large-1000x700": (1000, 700, 5), "unresized-224x300": (224, 300, 6)}
SKIMAGE = ["astronaut", "chelsea", "coffee"]        # scikit-image's bundled photographs
NO_SKIMAGE = "scikit-image is not installed: its sample photographs are skipped"


def load(name):
    if name in SKIMAGE:
        data = pytest.importorskip("skimage.data", reason=NO_SKIMAGE)
        return getattr(data, name)()
    height, width, seed = GENERATED[name]
    return photo_like(height, width, seed)


@pytest.fixture(params=[*GENERATED, *SKIMAGE])
def photo(request):
    """A uint8 (H, W, 3) photograph, as np.asarray(Image.open(...).convert("RGB")) gives."""
    return load(request.param)


@pytest.fixture(scope="module")
def Image():
    return pytest.importorskip("PIL.Image", reason="Pillow is not installed")


@pytest.fixture(scope="module")
def tv():
    """torch and torchvision as tests/test_compat_torchvision.py imports them (its stub for
    torchvision's compiled ops, which do not load against torch's CPU build); skips the
    test when either is not installed."""
    import test_compat_torchvision as loaded
    return loaded


# ------------------------------------------------------------------- shared steps

def clip_output_size(height, width):
    """(height, width) after the resize: transformers.image_transforms.
    get_resize_output_image_size(image, 224, default_to_square=False), which both processors
    call for size={"shortest_edge": 224}."""
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = SHORTEST_EDGE, int(SHORTEST_EDGE * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)


def slow_center_crop(hwc):
    """transformers.image_transforms.center_crop (the slow processor's; the images are at
    least 224 on each edge after the resize, so it never pads): offsets floor-divided."""
    height, width = hwc.shape[:2]
    top, left = (height - CROP) // 2, (width - CROP) // 2
    return hwc[top:top + CROP, left:left + CROP]


def slow_rescale_normalize(hwc):
    """The slow processor's last steps, in NumPy as transformers runs them:
    image_transforms.rescale (a float64 product, cast to float32), image_transforms.normalize
    on channels-last float32 with float32 mean and std, then to_channel_dimension_format
    to (C, H, W)."""
    image = (hwc.astype(np.float64) * RESCALE_FACTOR).astype(np.float32)
    image = (image - np.array(CLIP_MEAN, np.float32)) / np.array(CLIP_STD, np.float32)
    return image.transpose(2, 0, 1)


# ------------------------------------------------------------- the slow processor

def slow_with_pillow(Image, hwc):
    """CLIPImageProcessor.preprocess on a uint8 RGB array: CLIPImageProcessor.resize ->
    image_transforms.resize (to_pil_image, PIL Image.resize((w, h), BICUBIC,
    reducing_gap=None), np.array), then center_crop, rescale, normalize.
    Returns (the resized uint8 image, pixel_values)."""
    height, width = clip_output_size(*hwc.shape[:2])
    resized = np.array(Image.fromarray(hwc).resize((width, height), Image.Resampling.BICUBIC,
                                                   reducing_gap=None))
    return resized, slow_rescale_normalize(slow_center_crop(resized))


def slow_with_resample(hwc, resample="bicubic"):
    height, width = clip_output_size(*hwc.shape[:2])
    resized = pil_resize(hwc, (width, height), resample)
    return resized, slow_rescale_normalize(slow_center_crop(resized))


# ------------------------------------------------------------- the fast processor

def fast_with_torchvision(tv, hwc):
    """CLIPImageProcessorFast.preprocess on a uint8 RGB array, in torch as transformers
    runs it: BaseImageProcessorFast._process_image (torch.from_numpy, permute to (C, H, W),
    contiguous), group_images_by_shape (a stack: a batch of one), BaseImageProcessorFast.resize
    (torchvision.transforms.v2.functional.resize to the size above, BICUBIC,
    antialias=True), center_crop (v2.functional.center_crop), rescale_and_normalize (mean and
    std as float32 tensors times 1 / rescale_factor, _fuse_mean_std_and_rescale_factor, then
    v2.functional.normalize of the image cast to float32).
    Returns (the resized uint8 (C, H, W) image, pixel_values)."""
    torch, F = tv.torch, tv.F
    batch = torch.stack([torch.from_numpy(hwc).permute(2, 0, 1).contiguous()])
    size = clip_output_size(*batch.shape[-2:])
    resized = F.resize(batch, size, interpolation=tv.InterpolationMode.BICUBIC, antialias=True)
    cropped = F.center_crop(resized, (CROP, CROP))
    mean = torch.tensor(tuple(CLIP_MEAN)) * (1.0 / RESCALE_FACTOR)
    std = torch.tensor(tuple(CLIP_STD)) * (1.0 / RESCALE_FACTOR)
    pixel_values = F.normalize(cropped.to(dtype=torch.float32), mean, std)
    return resized[0].numpy(), pixel_values[0].numpy()


def fast_with_resample(hwc, interpolation="bicubic"):
    """The same in NumPy, with resample's torchvision_resize (on the (1, C, H, W) view of
    the array, no copy): torchvision's crop offsets round((H - 224) / 2) (half to even), and
    its normalise, (x - mean) / std in float32 with the rescale folded into mean and std."""
    batch = hwc.transpose(2, 0, 1)[None]
    size = clip_output_size(*batch.shape[-2:])
    resized = torchvision_resize(batch, size, interpolation, antialias=True)
    height, width = resized.shape[-2:]
    top, left = round((height - CROP) / 2.0), round((width - CROP) / 2.0)
    cropped = resized[..., top:top + CROP, left:left + CROP]
    scale = np.float32(1.0 / RESCALE_FACTOR)
    mean = (np.array(CLIP_MEAN, np.float32) * scale)[:, None, None]
    std = (np.array(CLIP_STD, np.float32) * scale)[:, None, None]
    pixel_values = (cropped.astype(np.float32) - mean) / std
    return resized[0], pixel_values[0]


# ---------------------------------------------------------------------------- tests

def assert_same_pipeline(got_pair, want_pair):
    """(resized uint8 image, final pixel values) equal, array for array."""
    (got_resized, got), (want_resized, want) = got_pair, want_pair
    np.testing.assert_array_equal(got_resized, want_resized)
    assert got.shape == want.shape == (3, CROP, CROP) and got.dtype == want.dtype == np.float32
    np.testing.assert_array_equal(got, want)


def test_slow_processor_pipeline(Image, photo):
    assert_same_pipeline(slow_with_resample(photo), slow_with_pillow(Image, photo))


def test_fast_processor_pipeline(tv, photo):
    assert_same_pipeline(fast_with_resample(photo), fast_with_torchvision(tv, photo))


def test_the_two_processors_disagree(Image, tv):
    """The skew resample.compat exists for: the slow and the fast processor give a model
    different inputs for the same photograph, in the resized pixels (Pillow's 22-bit
    weights against torch's int16 ones), in the crop offsets (floor against round half to
    even) and in the normalisation's rounding."""
    try:
        import skimage.data  # noqa: F401
        names = [*GENERATED, *SKIMAGE]
    except ImportError:
        names = list(GENERATED)
    resized_differ, values_differ = [], []
    for name in names:
        image = load(name)
        slow_resized, slow = slow_with_pillow(Image, image)
        fast_resized, fast = fast_with_torchvision(tv, image)
        if not np.array_equal(slow_resized, fast_resized.transpose(1, 2, 0)):
            resized_differ.append(name)
        if not np.array_equal(slow, fast):
            values_differ.append(name)
    assert resized_differ, "Pillow's and torchvision's bicubic resizes agreed on every image"
    assert values_differ, "the slow and fast processors agreed on every image"
