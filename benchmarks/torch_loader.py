"""A torchvision-style CPU data-loading loop, decode-free: random uint8 HWC frames resized
with antialias to 224 on the shorter side and center-cropped, in batches of 64, by
DataLoader workers — torch's resize (F.interpolate on the uint8 tensor, as torchvision's
Resize does) against resample.resize. Images per second, best of the repeats.

    python benchmarks/torch_loader.py [--workers 2] [--images 512] [--repeats 3]
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

import resample

SIZE = 224


class Frames(torch.utils.data.Dataset):
    """Deterministic random 480x640 RGB frames, resized by `how`."""

    def __init__(self, count, how):
        self.count, self.how = count, how

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        frame = np.random.default_rng(i).integers(0, 256, (480, 640, 3), dtype=np.uint8)
        if self.how == "torch":
            chw = torch.from_numpy(frame).permute(2, 0, 1)[None]
            out = F.interpolate(chw, size=(SIZE, SIZE * 640 // 480), mode="bilinear",
                                antialias=True, align_corners=False)[0]
        else:
            out = torch.from_numpy(resample.resize(frame, SIZE, mode="linear", num_threads=1))
            out = out.permute(2, 0, 1)
        left = (out.shape[2] - SIZE) // 2
        return out[:, :, left:left + SIZE]


def images_per_second(how, workers, images, repeats):
    loader = torch.utils.data.DataLoader(Frames(images, how), batch_size=64, num_workers=workers,
                                         persistent_workers=workers > 0)
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        count = sum(batch.shape[0] for batch in loader)
        best = max(best, count / (time.perf_counter() - start))
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--images", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    rates = {how: images_per_second(how, args.workers, args.images, args.repeats)
             for how in ("torch", "resample")}
    print(f"| loader ({args.workers} workers, batch 64, 480x640 -> 224 antialias) | images/s |")
    print("|---|---|")
    for how, rate in rates.items():
        print(f"| {how} | {rate:.0f} |")
    print(f"\nresample / torch: {rates['resample'] / rates['torch']:.2f}x the throughput")


if __name__ == "__main__":
    main()
