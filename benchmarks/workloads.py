"""The fixed benchmark suite: what is resized, how, and in which memory layout."""
from dataclasses import dataclass

import numpy as np

# align_corners is a required choice (False, torch's default) for these modes and must be
# None for the others, as in torch.
_ALIGNABLE = {"linear", "bilinear", "bicubic", "trilinear"}
# the dtype's tag in a workload's name; float32, the default, has none
_DTYPE_TAGS = {"float32": "", "uint8": "u8", "float16": "f16", "float64": "f64", "bfloat16": "bf16"}


@dataclass(frozen=True)
class Workload:
    group: str                  # size class; the legend of the table gives its shape
    shape: tuple                # the forward input, (N, C, *spatial)
    mode: str
    scale: float                # the same factor on every spatial axis
    antialias: bool = False
    channels_last: bool = False
    backward: bool = False      # time the gradient wrt the input instead of the forward
    dtype: str = "float32"      # of the operand and the result: "float32", "uint8", "bfloat16"

    @property
    def rank(self):
        return len(self.shape) - 2

    @property
    def layout(self):
        spatial = "DHW"[-self.rank:] if self.rank > 1 else "L"
        return f"N{spatial}C" if self.channels_last else f"NC{spatial}"

    @property
    def name(self):
        """Unique and ASCII, so --filter can select it."""
        direction = f"up{self.scale:g}" if self.scale > 1 else f"down{1 / self.scale:g}"
        mode = self.mode + ("-aa" if self.antialias else "")
        kind = "backward " if self.backward else ""
        tag = _DTYPE_TAGS.get(self.dtype, self.dtype)
        return f"{self.group} {self.layout.lower()} {tag + ' ' if tag else ''}{kind}{mode} {direction}"

    @property
    def out_shape(self):
        """torch's output length rule: trunc(in * scale)."""
        return self.shape[:2] + tuple(int(d * self.scale) for d in self.shape[2:])

    def kwargs(self):
        """Keyword arguments shared by resample.interpolate(_backward) and F.interpolate."""
        return dict(scale_factor=self.scale, mode=self.mode, antialias=self.antialias,
                    align_corners=False if self.mode in _ALIGNABLE else None)

    def make_operand(self, rng):
        """The array the timed call reads: the input (forward) or the output gradient
        (backward), in the workload's layout: float32 in [0, 1), or uint8 in 0..255 (noise,
        the hardest case for rounding agreement). Channels-last is an (N, C, *spatial) view
        of (N, *spatial, C) memory: for an image, hwc[None].transpose(0, 3, 1, 2)."""
        shape = self.out_shape if self.backward else self.shape
        memory_shape = (shape[0], *shape[2:], shape[1]) if self.channels_last else shape
        if self.dtype == "uint8":
            memory = rng.integers(0, 256, memory_shape, dtype=np.uint8)
        elif self.dtype == "bfloat16":
            import ml_dtypes
            memory = rng.random(memory_shape, np.float32).astype(ml_dtypes.bfloat16)
        else:
            memory = rng.random(memory_shape, np.float32).astype(self.dtype, copy=False)
        if not self.channels_last:
            return memory
        return memory.transpose(0, self.rank + 1, *range(1, self.rank + 1))


def _shrink(shape):
    """--quick: about 8x smaller per spatial axis, kept even so that x0.5 and x2 stay exact
    (OpenCV derives its scale from the output size)."""
    return shape[:2] + tuple(max(4, d // 16 * 2) for d in shape[2:])


def suite(quick=False):
    """The workloads of the issue, in table order."""
    sizes = {
        "1080p": (1, 3, 1080, 1920),
        "batch32": (32, 3, 224, 224),
        "vol128": (1, 1, 128, 128, 128),
        "sig100k": (1, 64, 100000),
        "tiny32": (1, 3, 32, 32),
    }
    if quick:
        sizes = {group: _shrink(shape) for group, shape in sizes.items()}

    def hd(**kw):
        return Workload("1080p", sizes["1080p"], **kw)

    down2 = [("nearest", False), ("bilinear", False), ("bicubic", False), ("area", False),
             ("bilinear", True), ("bicubic", True), ("lanczos", True)]
    up2 = [("nearest", False), ("bilinear", False), ("bicubic", False), ("bilinear", True)]
    workloads = []
    for channels_last in (False, True):
        workloads += [hd(mode=m, scale=0.5, antialias=aa, channels_last=channels_last) for m, aa in down2]
        workloads += [hd(mode=m, scale=2.0, antialias=aa, channels_last=channels_last) for m, aa in up2]
    # 8-bit images (the image issue): the same 1080p RGB frame as uint8, channels-last as
    # image libraries hold it and planar; antialiased downscaling and plain bilinear enlarging
    u8 = [("bilinear", True, 0.5), ("bicubic", True, 0.5), ("bilinear", False, 2.0)]
    for channels_last in (False, True):
        workloads += [hd(mode=m, scale=s, antialias=aa, channels_last=channels_last, dtype="uint8")
                      for m, aa, s in u8]
    # bfloat16 (#25): the float32 1080p rows' modes, planar, beside their float32 twins
    bf16 = [("nearest", False, 0.5), ("bilinear", False, 0.5), ("bicubic", False, 0.5),
            ("area", False, 0.5), ("bilinear", True, 0.5), ("bicubic", True, 0.5),
            ("nearest", False, 2.0), ("bilinear", False, 2.0), ("bicubic", False, 2.0)]
    workloads += [hd(mode=m, scale=s, antialias=aa, dtype="bfloat16") for m, aa, s in bf16]
    workloads.append(hd(mode="bilinear", scale=2.0, backward=True, dtype="bfloat16"))
    workloads += [Workload("batch32", sizes["batch32"], "bilinear", s) for s in (0.5, 2.0)]
    workloads += [Workload("vol128", sizes["vol128"], m, s)
                  for m in ("trilinear", "nearest") for s in (2.0, 0.5)]
    workloads.append(Workload("sig100k", sizes["sig100k"], "linear", 2.0))
    workloads.append(Workload("tiny32", sizes["tiny32"], "bilinear", 2.0))
    workloads += [hd(mode="bilinear", scale=2.0, backward=True),
                  hd(mode="bicubic", scale=2.0, backward=True),
                  hd(mode="bicubic", scale=0.5, antialias=True, backward=True)]
    return workloads, sizes
