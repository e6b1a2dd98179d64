"""compat.nnunet_resample and nnunet_resample_to_shape: nnunetv2 2.8.1's
resample_data_or_seg_to_spacing / _to_shape (nnunetv2/preprocessing/resampling/
default_resampling.py) on resample's kernels: its separate-z decision and low-resolution
axis, scikit-image's resize in-plane (compat.skimage_resize), SciPy's map_coordinates along
z (compat.ndimage_zoom: the same coordinates), batchgenerators' label rule for
segmentations (compat.resize_segmentation). Its exactness rule is in the docstring."""
import numpy as np

from .. import _spline
from .._arrays import new_output
from .._runtime import kernels as _kernels, resolve_threads
from .batchgenerators import resize_labels, resize_segmentation
from .ndimage import ndimage_zoom
from .skimage import resize_slices, skimage_resize

ANISO_THRESHOLD = 3       # nnunetv2.configuration.ANISO_THRESHOLD


def nnunet_resample(data, current_spacing, new_spacing, is_seg=False, order=3, order_z=0,
                    force_separate_z=False, separate_z_anisotropy_threshold=ANISO_THRESHOLD, *,
                    exact=False, num_threads=None):
    """nnunetv2 2.8.1's ``resample_data_or_seg_to_spacing`` on a ``(C, X, Y, Z)`` array.

    Parameters
    ----------
    data : ndarray
        (C, X, Y, Z): channels of a volume, or of a segmentation (is_seg).
    current_spacing, new_spacing : sequence of float
        The voxel spacing per spatial axis, now and wanted; the new shape is
        ``round(spacing / new_spacing * shape)`` per axis.
    is_seg : bool
        A segmentation: batchgenerators' resize_segmentation instead of scikit-image's
        resize (edge mode, no anti-aliasing).
    order : int
        The spline order (in-plane where z is resampled separately).
    order_z : int
        The order along the low-resolution axis where it is resampled separately.
    force_separate_z : bool or None
        True: resample z separately; False (default): never; None: where either spacing is
        anisotropic (max / min above the threshold), along its lowest-resolution axis.
    separate_z_anisotropy_threshold : float
        That threshold (nnU-Net's 3).
    exact : bool
        The data path's orders 2..5 in SciPy's own summation order (bit for bit, slower).
    num_threads : int, optional
        Threads (None: resample's default, -1: all). The result does not depend on it.

    Returns
    -------
    ndarray
        ``(C, *new_shape)``, of data's dtype; data itself where the shape does not change.

    Raises
    ------
    ValueError
        data not 4-D, spacings of the wrong length.

    Notes
    -----
    Exactness: nnU-Net's steps in its order, each as compat reproduces its library:
    segmentations bit for bit; data bit for bit at orders 0 and 1 (and at any order with
    exact=True), else within 1e-12 of max|x| (skimage_resize's rule); the separate z pass
    (map_coordinates at ``scale * (i + 0.5) - 0.5``, edge mode) bit for bit. Checked
    against nnunetv2 2.8.1 in tests/test_compat_nnunet.py.

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import nnunet_resample
    >>> ct = np.random.rand(1, 20, 64, 64).astype(np.float32)
    >>> nnunet_resample(ct, (5.0, 0.8, 0.8), (2.5, 1.6, 1.6), force_separate_z=None).shape
    (1, 40, 32, 32)
    """
    data = _check(data, current_spacing, new_spacing)
    new_shape = [int(round(i / j * k)) for i, j, k in zip(current_spacing, new_spacing, data.shape[1:])]
    return nnunet_resample_to_shape(data, new_shape, current_spacing, new_spacing, is_seg, order, order_z,
                                    force_separate_z, separate_z_anisotropy_threshold, exact=exact,
                                    num_threads=num_threads)


def nnunet_resample_to_shape(data, new_shape, current_spacing, new_spacing, is_seg=False, order=3,
                             order_z=0, force_separate_z=False,
                             separate_z_anisotropy_threshold=ANISO_THRESHOLD, *, exact=False,
                             num_threads=None):
    """nnunetv2 2.8.1's ``resample_data_or_seg_to_shape``: as `nnunet_resample`, to
    `new_shape` (X, Y, Z) given; the spacings decide only the separate-z rule.

    Parameters
    ----------
    data : ndarray
        (C, X, Y, Z).
    new_shape : sequence of int
        The output's spatial shape.
    current_spacing, new_spacing, is_seg, order, order_z, force_separate_z
        As for `nnunet_resample`.
    separate_z_anisotropy_threshold : float
        As for `nnunet_resample`.
    exact : bool
        As for `nnunet_resample`.
    num_threads : int, optional
        As for `nnunet_resample`.

    Returns
    -------
    ndarray
        As `nnunet_resample`'s, of the given shape.

    Raises
    ------
    ValueError
        As `nnunet_resample`, and a new_shape without 3 entries.

    Examples
    --------
    >>> import numpy as np
    >>> from resample.compat import nnunet_resample_to_shape
    >>> seg = np.random.randint(0, 3, (1, 10, 32, 32)).astype(np.uint8)
    >>> nnunet_resample_to_shape(seg, (20, 16, 16), (3, 1, 1), (1.5, 2, 2), is_seg=True, order=1).shape
    (1, 20, 16, 16)
    """
    data = _check(data, current_spacing, new_spacing)
    new_shape = np.array([int(v) for v in new_shape])
    if len(new_shape) != 3:
        raise ValueError(f"new_shape must have 3 entries (X, Y, Z), got {len(new_shape)}")
    separate, axis = _separate_z(force_separate_z, current_spacing, new_spacing,
                                 separate_z_anisotropy_threshold)
    shape = np.array(data.shape[1:])
    if not np.any(shape != new_shape):
        return data
    threads = resolve_threads(num_threads)
    # nnU-Net resizes data.astype(float). The same values in float32 give the same results
    # where nothing is rounded between the in-plane and the z pass (every pass widens to
    # float64; the store into float32 and the clip to the input's range commute), and
    # labels of up to 32 bits are the same labels: those are resized as they are
    floats = data.dtype in (np.float32, np.float64)
    if (floats and not is_seg and (not separate or order_z == 0)) or \
            (is_seg and data.dtype in _spline.DTYPES and (floats or data.dtype.itemsize <= 4)):
        wide = np.ascontiguousarray(data)
    else:
        wide = new_output(data.shape, np.float64)
        flat = data.reshape(-1).view(np.uint8) if data.dtype == bool else data.reshape(-1)
        _kernels.to_double_padded(flat, wide.reshape(-1), np.array(data.shape, np.intp),
                                  np.zeros(4, np.intp), False, 0.0, threads)

    def resize_fn(x, shape):
        if is_seg:
            return resize_segmentation(x, shape, order, num_threads=num_threads)
        return skimage_resize(x, shape, order, mode="edge", anti_aliasing=False, exact=exact,
                              num_threads=num_threads)

    final = np.zeros((data.shape[0], *new_shape), data.dtype)
    for c in range(data.shape[0]):
        if not separate:
            final[c] = resize_fn(wide[c], tuple(new_shape))
            continue
        in_plane = tuple(int(v) for a, v in enumerate(new_shape) if a != axis)
        here_shape = new_shape.copy()
        here_shape[axis] = shape[axis]
        plane = [a for a in range(3) if a != axis]
        if is_seg:        # every slice's resize_segmentation in one call over the in-plane axes
            here = resize_labels(wide[c], tuple(here_shape), plane, order, "nearest", threads)
        elif order >= 2 and not exact and wide.dtype.char in "fd":      # (the same, for data)
            here = resize_slices(wide[c], tuple(here_shape), plane, order, threads)
        else:
            here = np.zeros(tuple(here_shape))
            for k in range(shape[axis]):
                where = (slice(None),) * axis + (k,)
                here[where] = resize_fn(wide[c][where], in_plane)
        if shape[axis] == new_shape[axis]:
            final[c] = here
            continue
        # map_coordinates at scale * (i + 0.5) - 0.5, edge mode: SciPy's zoom with grid_mode
        zoom = [n / h for n, h in zip(new_shape, here.shape)]
        if not is_seg or order_z == 0:
            final[c] = ndimage_zoom(here, zoom, order=order_z, mode="nearest", grid_mode=True, exact=True,
                                    num_threads=num_threads)
            continue
        _paint_labels(here, final[c], zoom, order_z, threads, num_threads)
    return final


def _paint_labels(here, out, zoom, order_z, threads, num_threads):
    """nnU-Net's order_z > 0 rule for segmentations: every label of `here` in ascending
    order painted into out where its indicator, resampled along z, rounds above 0.5."""
    labels = _spline.distinct_labels(here)
    index = _spline.label_indices(here, labels, threads)
    indicator = new_output(here.shape, np.float64)
    target = np.ascontiguousarray(out)
    for i, value in enumerate(labels):
        _kernels.label_indicator(index.reshape(-1), i, indicator.reshape(-1), threads)
        score = ndimage_zoom(indicator, zoom, order=order_z, mode="nearest", grid_mode=True, exact=True,
                             num_threads=num_threads)
        paint = np.array([value], out.dtype)
        view = (lambda a: a.view(np.uint8)) if out.dtype == bool else (lambda a: a)
        _kernels.label_paint(score.reshape(-1), view(target.reshape(-1)), view(paint), threads)
    out[...] = target


def _check(data, current_spacing, new_spacing):
    data = np.asarray(data)
    if data.ndim != 4:
        raise ValueError(f"data must be (c, x, y, z): got an array of shape {data.shape}")
    if len(current_spacing) != 3 or len(new_spacing) != 3:
        raise ValueError(f"current_spacing and new_spacing must have 3 entries, got {len(current_spacing)} "
                         f"and {len(new_spacing)}")
    return data


def _separate_z(force, current, new, threshold):
    """nnU-Net's determine_do_sep_z_and_axis: (separate, axis)."""
    def anisotropic(spacing):
        return np.max(spacing) / np.min(spacing) > threshold

    def lowres_axis(spacing):
        return np.where(max(spacing) / np.array(spacing) == 1)[0]

    axis = None
    if force is not None:
        separate = force
        if force:
            axis = lowres_axis(current)
    elif anisotropic(current):
        separate, axis = True, lowres_axis(current)
    elif anisotropic(new):
        separate, axis = True, lowres_axis(new)
    else:
        separate = False
    if axis is not None:
        if len(axis) in (2, 3):
            return False, None
        axis = int(axis[0])
    return separate, axis
