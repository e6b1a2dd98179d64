"""The libraries resample is timed against. Each adapter turns a Workload into a call on
that library's native data (prepared once, outside the timing) and says when it has no
equivalent operation. A library that does not import is kept with a note, never an error.
Each also says how far its uint8 result may be from resample's and still count as the same
operation (uint8_tolerance)."""
import importlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


@dataclass
class Runner:
    call: Callable[[], Any]              # the timed operation
    to_array: Callable[[Any], np.ndarray]  # its result as an (N, C, *spatial) array


class Peer:
    name = ""        # the key in results.json
    module = ""      # what to import

    def __init__(self):
        try:
            self.lib = importlib.import_module(self.module)
            self.version = self._version()
            self.note = ""
        except Exception as error:  # any import failure means "not on this machine"
            self.lib, self.version = None, None
            self.note = f"not available ({type(error).__name__}: {error}); skipped"

    @property
    def available(self):
        return self.lib is not None

    def _version(self):
        return self.lib.__version__

    def set_threads(self, threads):
        pass

    def applies(self, workload, threads):
        raise NotImplementedError

    def uint8_tolerance(self, workload):
        """The largest |peer - resample| of a uint8 result that still agrees: 0 where the peer
        runs the same fixed-point arithmetic."""
        return 0

    def prepare(self, workload, operand):
        raise NotImplementedError

    @property
    def label(self):
        """The table column's name."""
        return self.name

    def describe(self):
        return {"available": self.available, "label": self.label, "version": self.version,
                "note": self.note}


class Torch(Peer):
    """F.interpolate on the same memory (torch.from_numpy keeps the channels-last strides, so
    torch picks its channels-last kernels); the backward calls the aten backward op directly,
    so no autograd bookkeeping is timed."""
    name, module = "torch", "torch"

    def __init__(self):
        super().__init__()
        if self.available:
            import torch.nn.functional
            self.functional = torch.nn.functional

    def _version(self):
        return f"{self.lib.__version__} ({self.lib.backends.cpu.get_cpu_capability()} kernels)"

    def set_threads(self, threads):
        self.lib.set_num_threads(threads)

    def applies(self, workload, threads):
        if workload.backward:
            return workload.mode in {"linear", "bilinear", "trilinear", "bicubic"}
        if workload.dtype == "uint8" and workload.mode in {"linear", "trilinear"}:
            return False     # torch refuses these on uint8
        if workload.dtype == "bfloat16" and workload.antialias:
            return False     # and antialias on bfloat16
        return workload.mode != "lanczos"

    def uint8_tolerance(self, workload):
        # resample reproduces torch's uint8 kernels (int16 weights, uint8 between passes) bit
        # for bit, so any difference is a disagreement
        return 0

    def prepare(self, workload, operand):
        to_array = lambda r: r.numpy()  # noqa: E731
        if workload.dtype == "bfloat16":     # the same memory as torch.bfloat16
            tensor = self.lib.from_numpy(operand.view(np.int16)).view(self.lib.bfloat16)
            to_array = lambda r: r.view(self.lib.int16).numpy().view(operand.dtype)  # noqa: E731
        else:
            tensor = self.lib.from_numpy(operand)
        kwargs = workload.kwargs()
        if not workload.backward:
            return Runner(lambda: self.functional.interpolate(tensor, **kwargs), to_array)
        if workload.antialias:
            op = getattr(self.lib.ops.aten, f"_upsample_{workload.mode}2d_aa_backward")
        else:
            op = getattr(self.lib.ops.aten, f"upsample_{workload.mode}{workload.rank}d_backward")
        args = (tensor, list(workload.out_shape[2:]), list(workload.shape),
                kwargs["align_corners"], *[workload.scale] * workload.rank)
        return Runner(lambda: op(*args), to_array)


class OpenCV(Peer):
    """cv2.resize on HWC images of the workload's dtype (float32 or uint8), one call per batch
    item. A 1-D signal (C, L) is a one-channel image whose rows are the channels: resizing its
    width is the same operation. Its uint8 INTER_LINEAR keeps the W pass's sums in 11-bit fixed
    point instead of rounding them to uint8, so it is within ±1 of torch's, not equal."""
    name, module = "cv2", "cv2"

    def __init__(self):
        super().__init__()
        if self.available:
            self.flags = {"nearest": self.lib.INTER_NEAREST, "linear": self.lib.INTER_LINEAR,
                          "bilinear": self.lib.INTER_LINEAR, "bicubic": self.lib.INTER_CUBIC,
                          "area": self.lib.INTER_AREA}

    def set_threads(self, threads):
        self.lib.setNumThreads(threads)

    def applies(self, workload, threads):
        # no antialias filters for bilinear/bicubic; INTER_AREA is an average only when
        # shrinking (enlarging, it is a bilinear variant)
        return (not workload.backward and not workload.antialias and workload.rank <= 2
                and workload.mode in self.flags and workload.dtype != "bfloat16"
                and (workload.mode != "area" or workload.scale < 1))

    def uint8_tolerance(self, workload):
        return 1

    def prepare(self, workload, operand):
        flag, out_shape = self.flags[workload.mode], workload.out_shape
        if workload.rank == 2:
            # a view, not a copy, when the operand is channels-last
            images = [np.ascontiguousarray(item.transpose(1, 2, 0)) for item in operand]
            dsize = (out_shape[3], out_shape[2])
            hwc = (out_shape[2], out_shape[3], out_shape[1])   # cv2 drops a single channel

            def to_array(outs):
                return np.stack([o.reshape(hwc) for o in outs]).transpose(0, 3, 1, 2)
        else:
            images = [np.ascontiguousarray(item) for item in operand]
            dsize = (out_shape[2], out_shape[1])
            to_array = np.stack
        resize = self.lib.resize
        return Runner(lambda: [resize(im, dsize, interpolation=flag) for im in images], to_array)


class Pillow(Peer):
    """Image.resize on one mode-'F' (float32) image per channel, or for uint8 on one RGB image
    per batch item (one mode-'L' image per channel where C != 3). Pillow always filters with
    the support widened by the downscale factor: that is resample's antialias=True. Its
    NEAREST picks pixel centres (resample's "nearest-exact"); the agreement check flags where
    that differs. Its uint8 weights have 22 fraction bits, torch's (and resample's) int16
    ones fewer, and it rounds to uint8 between passes as they do: within ±1 (lanczos ±2).
    Pillow is single-threaded, so it is compared at 1 thread only."""
    name, module = "PIL", "PIL.Image"

    def __init__(self):
        super().__init__()
        if self.available:
            r = self.lib.Resampling
            self.filters = {("nearest", False): r.NEAREST, ("bilinear", True): r.BILINEAR,
                            ("bicubic", True): r.BICUBIC, ("lanczos", True): r.LANCZOS,
                            # enlarging, Pillow's triangle filter is plain bilinear
                            ("bilinear", False): r.BILINEAR}

    def _version(self):
        import PIL
        return PIL.__version__

    @property
    def label(self):
        # Pillow-SIMD releases carry a ".postN" suffix; its times are not Pillow's
        return "Pillow-SIMD" if self.version and ".post" in self.version else "PIL"

    def applies(self, workload, threads):
        key = (workload.mode, workload.antialias)
        return (threads == 1 and not workload.backward and workload.rank == 2
                and workload.dtype != "bfloat16" and key in self.filters and (key != ("bilinear", False) or workload.scale >= 1))

    def uint8_tolerance(self, workload):
        return 2 if workload.mode == "lanczos" else 1

    def prepare(self, workload, operand):
        n, c, h, w = workload.out_shape
        flt = self.filters[(workload.mode, workload.antialias)]
        if operand.dtype == np.uint8 and c == 3:
            # (not RGBA: Pillow premultiplies alpha while resizing, torch does not)
            images = [self.lib.fromarray(np.ascontiguousarray(item.transpose(1, 2, 0)))
                      for item in operand]
            return Runner(lambda: [im.resize((w, h), flt) for im in images],
                          lambda outs: np.stack([np.asarray(o) for o in outs]).transpose(0, 3, 1, 2))
        images = [self.lib.fromarray(np.ascontiguousarray(plane)) for item in operand for plane in item]
        return Runner(lambda: [im.resize((w, h), flt) for im in images],
                      lambda outs: np.stack([np.asarray(o) for o in outs]).reshape(n, c, h, w))


def all_peers():
    return [Torch(), OpenCV(), Pillow()]
