"""resample on torch CPU tensors: `interpolate` with torch's signature, differentiable
through resample's deterministic adjoint, and traceable by torch.compile.

    import torch, resample.torch
    y = resample.torch.interpolate(x, size=(224, 224), mode="bicubic", antialias=True)

The forward and the backward are registered as the custom ops ``resample::interpolate``
and ``resample::interpolate_backward`` with fake (meta) implementations, so
``torch.compile`` traces them as single nodes. Tensors are read in place (C-contiguous
and channels-last memory, through NumPy views of the same memory); results are new
tensors in the input's layout. torch is an optional dependency (the `torch` extra).
"""
from typing import List, Optional

import torch

from . import _interpolate
from ._interop import tensor_from_numpy, tensor_to_numpy

__all__ = ["interpolate"]


def _as_list(values, dims):
    """A list for the op schema, which takes no bare scalars: a scalar stands for every
    spatial axis, as in torch. Anything else is passed on for resample to check."""
    if values is None or isinstance(values, (list, tuple)):
        return None if values is None else list(values)
    return [values] * dims


def _output_shape(shape, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias):
    call = _interpolate.resolve_call(tuple(shape), size, scale_factor, mode, align_corners,
                                     recompute_scale_factor, antialias)
    return (*shape[:2], *call.out_size)


def _like(x, shape, dtype):
    """An empty tensor of `shape` in x's layout (the layout resample's result has)."""
    channels_last = {4: torch.channels_last, 5: torch.channels_last_3d}.get(x.dim())
    if channels_last is not None and not x.is_contiguous() and x.is_contiguous(memory_format=channels_last):
        return torch.empty(shape, dtype=dtype, device=x.device, memory_format=channels_last)
    return torch.empty(shape, dtype=dtype, device=x.device)


@torch.library.custom_op("resample::interpolate", mutates_args=())
def _forward(x: torch.Tensor, size: Optional[List[int]], scale_factor: Optional[List[float]],
             mode: str, align_corners: Optional[bool], recompute_scale_factor: Optional[bool],
             antialias: bool) -> torch.Tensor:
    result = _interpolate.interpolate(tensor_to_numpy(x, "input"), size, scale_factor, mode,
                                      align_corners, recompute_scale_factor, antialias)
    return tensor_from_numpy(result)


@_forward.register_fake
def _forward_fake(x, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias):
    shape = _output_shape(x.shape, size, scale_factor, mode, align_corners, recompute_scale_factor,
                          antialias)
    return _like(x, shape, x.dtype)


@torch.library.custom_op("resample::interpolate_backward", mutates_args=())
def _backward(grad: torch.Tensor, input_size: List[int], size: Optional[List[int]],
              scale_factor: Optional[List[float]], mode: str, align_corners: Optional[bool],
              recompute_scale_factor: Optional[bool], antialias: bool) -> torch.Tensor:
    result = _interpolate.interpolate_backward(tensor_to_numpy(grad, "grad_output"),
                                               tuple(input_size), size, scale_factor, mode,
                                               align_corners, recompute_scale_factor, antialias)
    return tensor_from_numpy(result)


@_backward.register_fake
def _backward_fake(grad, input_size, size, scale_factor, mode, align_corners,
                   recompute_scale_factor, antialias):
    return _like(grad, tuple(input_size), grad.dtype)


def _setup_context(ctx, inputs, output):
    x, *arguments = inputs
    ctx.input_size = list(x.shape)
    ctx.arguments = arguments


def _gradient(ctx, grad):
    grad_input = _backward(grad.contiguous() if not grad.is_contiguous() else grad,
                           ctx.input_size, *ctx.arguments)
    return grad_input, None, None, None, None, None, None


_forward.register_autograd(_gradient, setup_context=_setup_context)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """torch.nn.functional.interpolate on CPU tensors, computed by resample.

    Parameters
    ----------
    input : torch.Tensor
        (N, C, W), (N, C, H, W) or (N, C, D, H, W) on the CPU: uint8, float16, bfloat16
        (read as ml_dtypes.bfloat16: the `bf16` extra), float32 or float64; contiguous or
        channels-last.
    size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
        As in ``torch.nn.functional.interpolate`` (and ``resample.interpolate``).

    Returns
    -------
    torch.Tensor
        The result, bit for bit ``resample.interpolate``'s (which is torch's portable
        kernels'), in the input's layout. Gradients flow to `input` through
        ``resample.interpolate_backward``: the exact adjoint, deterministic, the same bits
        for any thread count.

    Raises
    ------
    TypeError
        A tensor on another device, a dtype NumPy has no equivalent for, or a bfloat16
        tensor without ml_dtypes installed (the message names the extra).
    ValueError, NotImplementedError, RuntimeError
        torch's exception types for bad arguments, as ``resample.interpolate``.

    Examples
    --------
    >>> import torch, resample.torch
    >>> x = torch.rand(1, 3, 8, 8, dtype=torch.float64, requires_grad=True)
    >>> y = resample.torch.interpolate(x, size=(4, 4), mode="bilinear", antialias=True)
    >>> y.sum().backward()
    >>> tuple(x.grad.shape)
    (1, 3, 8, 8)
    """
    if not isinstance(input, torch.Tensor):
        raise TypeError(f"input must be a torch.Tensor, got {type(input).__name__}")
    dims = input.dim() - 2
    # resample's argument checks first, on the real values, with its messages
    _output_shape(tuple(input.shape), size, scale_factor, mode, align_corners,
                  recompute_scale_factor, antialias)
    return _forward(input, _as_list(size, dims), _as_list(scale_factor, dims), mode, align_corners,
                    recompute_scale_factor, bool(antialias))
