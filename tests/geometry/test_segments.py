import numpy as np
import pytest

from colorize.geometry import SegmentChroma, SegmentChromaConfig, segment_means

HEIGHT, WIDTH = 48, 64


@pytest.fixture
def scene():
    """Two segments (left, right halves) with textured chroma, and a 4-pixel segment 2 below ``min_fraction``."""
    labels = np.zeros((HEIGHT, WIDTH), np.int32)
    labels[:, WIDTH // 2:] = 1
    labels[:2, :2] = 2
    truth = np.zeros((HEIGHT, WIDTH, 2), np.float32)
    truth[labels == 0], truth[labels == 1], truth[labels == 2] = (30, -10), (-20, 25), (0, 0)
    truth += np.random.default_rng(0).normal(0, 5, truth.shape).astype(np.float32)
    return labels, truth


def test_segment_means_and_counts(scene):
    labels, truth = scene
    means, counts = segment_means(truth, labels)
    assert counts.tolist() == [HEIGHT * WIDTH // 2 - 4, HEIGHT * WIDTH // 2, 4]
    np.testing.assert_allclose(means[1], truth[labels == 1].mean(axis=0), atol=1e-4)
    unlabelled = np.where(labels == 2, -1, labels)
    assert len(segment_means(truth, unlabelled)[0]) == 2  # negative labels are left out


def test_drift_of_a_segment_falls_and_its_detail_is_kept(scene):
    """Segment 0's chroma drifts by 0.6 ab units per frame over 40 frames (as propagation drifts)."""
    labels, truth = scene
    consistency = SegmentChroma(SegmentChromaConfig(strength=0.8, momentum=0.95))
    raw, kept = [], []
    for t in range(40):
        ab = truth.copy()
        ab[labels == 0, 0] += 0.6 * t
        out = consistency(ab, labels)
        means, true_means = segment_means(out, labels)[0], segment_means(truth, labels)[0]
        raw.append(0.6 * t)
        kept.append(abs(means[0, 0] - true_means[0, 0]))
        np.testing.assert_allclose(means[1], true_means[1], atol=1e-3)  # the segment that does not drift
        np.testing.assert_array_equal(out[labels == 2], ab[labels == 2])  # too small: left alone
        # The whole segment moves by one offset: its texture is unchanged.
        np.testing.assert_allclose(out[labels == 0].std(axis=0), ab[labels == 0].std(axis=0), rtol=1e-4)
    assert np.mean(kept) < 0.35 * np.mean(raw), (np.mean(kept), np.mean(raw))  # measured 3.4 vs 11.7
    assert kept[-1] < 0.4 * raw[-1]  # 7.8 vs 23.4


def test_a_color_change_at_a_cut_is_followed(scene):
    labels, truth = scene
    consistency = SegmentChroma()
    for _ in range(10):
        consistency(truth, labels)
    changed = truth.copy()
    changed[labels == 0] += (-40.0, 30.0)  # the next shot: segment 0 has another color
    pulled = consistency(changed, labels)
    assert abs(segment_means(pulled, labels)[0][0, 0] - segment_means(changed, labels)[0][0, 0]) > 15  # held back
    consistency.reset()  # the scene cut
    for _ in range(5):
        np.testing.assert_allclose(consistency(changed, labels), changed, atol=1e-4)


def test_first_frame_and_mismatched_sizes(scene):
    labels, truth = scene
    assert SegmentChroma()(truth, labels) is truth  # nothing to pull towards yet
    with pytest.raises(ValueError, match="differ in size"):
        SegmentChroma()(truth[:10], labels)
    with pytest.raises(ValueError, match="strength must be in"):
        SegmentChromaConfig(strength=1.5)
