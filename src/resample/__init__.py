"""resample: torch.nn.functional.interpolate on NumPy arrays, exact and fast."""
from ._api import MODES, interpolate, interpolate_backward
from ._config import show_config
from ._image import resize, resize_backward

__version__ = "0.1.0"
__all__ = ["interpolate", "interpolate_backward", "resize", "resize_backward", "show_config", "MODES",
           "__version__"]
