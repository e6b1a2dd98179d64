"""`python slow_save_cli.py ARGS...`: the `resample` command line, with every image save
held up for $SLOW_SAVE_SECONDS (default 600) after it has written its temporary file.

test_cli.py runs it to interrupt a batch at a known point: while files are mid-write and
their temporary files exist in the output directory.
"""
import os
import sys
import time

from PIL import Image

from resample._cli import main

_save = Image.Image.save


def _slow_save(self, fp, *args, **kwargs):
    """Image.save, then a long pause before the caller can rename the temporary file."""
    _save(self, fp, *args, **kwargs)
    time.sleep(float(os.environ.get("SLOW_SAVE_SECONDS", "600")))


Image.Image.save = _slow_save

if __name__ == "__main__":
    sys.exit(main())
