"""resample: torch.nn.functional.interpolate on NumPy arrays, exact and fast."""
from ._config import show_config
from ._embed import embedded_program as _embedded_program
from ._interpolate import MODES, interpolate, interpolate_backward
from ._resize import resize, resize_backward
from ._runtime import kernels as _kernels
from ._version import __version__

_C_API = _kernels.c_api(_embedded_program)     # the C API's table (include/resample.h)


def get_include():
    """The folder holding ``resample.h``, for extensions that use resample's C API (add it
    to their include path; Cython users ``from resample.capi cimport ...``)."""
    import os
    return os.path.join(os.path.dirname(__file__), "include")


__all__ = ["interpolate", "interpolate_backward", "resize", "resize_backward", "show_config", "MODES",
           "get_include", "__version__"]
