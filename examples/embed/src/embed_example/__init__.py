"""resample embedded from compiled code (see examples/embed/README.md)."""
from ._capsule import resize_into
from ._cython import resize_many

__all__ = ["resize_many", "resize_into"]
