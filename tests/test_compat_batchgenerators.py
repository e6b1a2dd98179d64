"""compat.resize_segmentation against the real batchgenerators 0.25.5 resize_segmentation
(nnU-Net's label-map resize): every order, every seg_tiebreak, ranks 2 and 3, label dtypes,
even factors (exact ties at every boundary) and odd ones: bit for bit."""
import itertools
import warnings

import numpy as np
import pytest

from resample.compat import SEG_TIEBREAKS, resize_segmentation

utils = pytest.importorskip("batchgenerators.augmentations.utils",
                            reason="batchgenerators (the oracle of resize_segmentation) is not installed")
batchgenerators = pytest.importorskip("batchgenerators")


def _cases(seed):
    rng = np.random.default_rng(seed)
    for rank, dtype in itertools.product((2, 3), (np.uint8, np.int16, np.float32, np.int64)):
        shape = tuple(int(v) for v in rng.integers(3, 11, rank))
        for new in (tuple(2 * v for v in shape), tuple(int(v) for v in rng.integers(2, 17, rank))):
            yield rng.integers(0, 5, shape).astype(dtype) - (dtype == np.int16), new


@pytest.mark.parametrize("order", range(6))
@pytest.mark.parametrize("seg_tiebreak", SEG_TIEBREAKS)
def test_bit_for_bit_with_batchgenerators(order, seg_tiebreak):
    for seg, new in _cases(order * 3 + len(seg_tiebreak)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = utils.resize_segmentation(seg, new, order, seg_tiebreak=seg_tiebreak)
        got = resize_segmentation(seg, new, order, seg_tiebreak=seg_tiebreak)
        assert got.dtype == ref.dtype and got.shape == ref.shape
        np.testing.assert_array_equal(got, ref)


def test_single_label_empty_and_bool():
    seg = np.full((4, 5), 7, np.uint8)
    np.testing.assert_array_equal(resize_segmentation(seg, (8, 3), 1), utils.resize_segmentation(seg, (8, 3), 1))
    empty = np.zeros((0, 5), np.uint8)
    assert resize_segmentation(empty, (3, 3), 1).shape == (3, 3)
    b = np.random.default_rng(1).random((9, 7)) > 0.5
    for order in (0, 1, 3):
        np.testing.assert_array_equal(resize_segmentation(b, (14, 15), order),
                                      utils.resize_segmentation(b, (14, 15), order))


def test_threads_and_errors():
    seg = np.random.default_rng(2).integers(0, 4, (20, 18, 16)).astype(np.uint8)
    one = resize_segmentation(seg, (31, 9, 16), 1, num_threads=1)
    np.testing.assert_array_equal(one, resize_segmentation(seg, (31, 9, 16), 1, num_threads=2))
    with pytest.raises(ValueError, match="same dimensionality"):
        resize_segmentation(seg, (4, 4))
    with pytest.raises(ValueError, match="unknown seg_tiebreak"):
        resize_segmentation(seg, (4, 4, 4), seg_tiebreak="random")


@pytest.mark.parametrize("seg_tiebreak", SEG_TIEBREAKS)
def test_order_1_single_sweep_for_many_labels_and_ranks(seg_tiebreak):
    """Order 1 scores only the labels of each output's footprint in one sweep (_labels.pxi's
    label_linear_vote): ranks 1 to 4, up to 150 labels (a score kept for every label up to
    64, for the labels met past that), shrinking, enlarging and axes left alone, exact ties
    (even factors, label stripes) included."""
    rng = np.random.default_rng(len(seg_tiebreak))
    for case in range(24):
        rank = 1 + case % 4
        shape = tuple(int(v) for v in rng.integers(1, 9, rank))
        labels = int(rng.integers(2, 151))
        seg = rng.integers(0, labels, shape).astype(np.int32)
        if case % 3 == 0:
            seg = np.broadcast_to(np.arange(shape[-1]) % 3, shape).astype(np.int32)   # stripes: ties
        new = tuple(int(v) for v in (rng.integers(1, 13, rank) if case % 2 else np.array(shape) * 2))
        new = tuple(n if rng.random() > 0.2 else s for n, s in zip(new, shape))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = utils.resize_segmentation(seg, new, 1, seg_tiebreak=seg_tiebreak)
        np.testing.assert_array_equal(resize_segmentation(seg, new, 1, seg_tiebreak=seg_tiebreak,
                                                          num_threads=2), ref, err_msg=f"{shape}->{new}")
