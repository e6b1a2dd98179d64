"""compat.resize_segmentation: batchgenerators 0.25.5's resize_segmentation (the label-map
resize nnU-Net uses) on resample's kernels: every label's indicator resized as
scikit-image resizes it (compat.skimage_resize), the per-voxel argmax over labels with its
tie-break. Its exactness rule is in the docstring and docs/exactness.md."""
import numpy as np

from .. import _spline
from .._runtime import resolve_threads

#: the ``seg_tiebreak`` names resize_segmentation takes (batchgenerators')
SEG_TIEBREAKS = _spline.LABEL_TIEBREAKS


def resize_segmentation(segmentation, new_shape, order=3, *, seg_tiebreak="nearest", num_threads=None):
    """batchgenerators 0.25.5's ``resize_segmentation``: a label map resized without
    inventing labels.

    Parameters
    ----------
    segmentation : array_like
        A label map of any rank (integers, floats or bool).
    new_shape : sequence of int
        The output shape, one entry per axis.
    order : int
        0: the nearest label; 1..5: every label's indicator resized with that spline order
        (scikit-image's resize, edge mode, clipped, no anti-aliasing) and the label with the
        largest score wins each voxel.
    seg_tiebreak : str
        Exact ties: ``nearest`` (the nearest neighbour's label where it is among the tied
        ones, else the smallest), ``lowest`` or ``highest``.
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        The resized label map, of segmentation's dtype.

    Raises
    ------
    ValueError
        A new_shape of another length than the rank, an unknown seg_tiebreak, an order
        outside 0..5.

    Notes
    -----
    Exactness: batchgenerators' algorithm step by step (its label order: ascending; its
    first label as the starting winner; its 'nearest' bookkeeping, which leaves a voxel to
    the nearest neighbour's label only where that label holds the top score and scores
    above 0). The scores are scikit-image's resize of each indicator (edge mode, SciPy's
    zoom in its own summation order, clipped to [0, 1]), bit for bit at every order, and so
    are the labels (tests/test_compat_batchgenerators.py).

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import resize_segmentation
    >>> seg = np.array([[0, 0, 2, 2], [0, 1, 1, 2]], np.uint8)
    >>> resize_segmentation(seg, (4, 8), order=1).shape
    (4, 8)
    """
    seg = np.asarray(segmentation)
    new_shape = tuple(int(v) for v in new_shape)
    if len(new_shape) != seg.ndim:
        raise ValueError(f"new shape must have same dimensionality as segmentation: new_shape has "
                         f"{len(new_shape)} entries for a segmentation of rank {seg.ndim}")
    if seg_tiebreak not in SEG_TIEBREAKS:
        raise ValueError(f"unknown seg_tiebreak: {seg_tiebreak!r}; it must be one of {', '.join(SEG_TIEBREAKS)}")
    if not 0 <= order <= 5:
        raise ValueError(f"order must be 0..5, got {order!r}")
    if seg.size == 0:
        return np.zeros(new_shape, seg.dtype)
    return resize_labels(seg, new_shape, range(seg.ndim), order, seg_tiebreak, resolve_threads(num_threads))


def resize_labels(seg, new_shape, axes, order, seg_tiebreak, threads):
    """resize_segmentation of the `axes` of a non-empty seg (the others of new_shape's
    length already): on each line of the other axes, what resize_segmentation gives for
    it alone (the labels of other lines score 0 there and never win)."""
    steps = [seg.shape[a] / new_shape[a] for a in axes]     # scikit-image's 1 / zoom, grid_mode
    if order == 0:
        out = np.empty(tuple(new_shape), seg.dtype)
        _spline.zoom_into(np.ascontiguousarray(seg), out, axes, steps, 0, _spline.EDGE, 0.0, True, True,
                          threads, exact=True)
        return out
    return _spline.label_zoom(seg, tuple(new_shape), axes, steps, int(order), seg_tiebreak, threads)
