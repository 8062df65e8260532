"""Seeded 2-D classification data: shapes, classes, determinism, geometry."""

import pytest
import torch

from gui_backprop.core.datasets import GENERATORS, circles, make_dataset, spirals, two_moons, xor
from gui_backprop.core.errors import ProgramError


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_data_set_is_seeded_and_well_formed(name):
    first = make_dataset(name, 101, 0.1, seed=7)
    again = make_dataset(name, 101, 0.1, seed=7)
    other = make_dataset(name, 101, 0.1, seed=8)
    assert first.inputs.shape == (101, 2) and first.labels.shape == (101,)
    assert first.inputs.dtype == torch.float64 and first.labels.dtype == torch.float64
    assert torch.equal(first.inputs, again.inputs) and torch.equal(first.labels, again.labels)
    assert not torch.equal(first.inputs, other.inputs)
    assert set(first.labels.tolist()) == set(map(float, range(first.classes)))
    assert torch.isfinite(first.inputs).all()
    points, labels = first.as_lists()
    assert len(points) == 101 and all(len(p) == 2 for p in points)
    assert all(isinstance(label, int) for label in labels)


def test_circles_put_class_one_inside_class_zero():
    data = circles(400, noise=0.0, seed=1)
    radius = data.inputs.norm(dim=1)
    assert torch.allclose(radius[data.labels == 0], torch.ones(200, dtype=torch.float64))
    assert torch.allclose(radius[data.labels == 1], torch.full((200,), 0.5,
                                                               dtype=torch.float64))


def test_moons_without_noise_lie_on_their_half_circles():
    data = two_moons(100, noise=0.0)
    top = data.inputs[data.labels == 0]
    bottom = data.inputs[data.labels == 1]
    assert torch.allclose(top.norm(dim=1), torch.ones(50, dtype=torch.float64))
    assert torch.allclose((bottom - torch.tensor([1.0, 0.5], dtype=torch.float64)).norm(dim=1),
                          torch.ones(50, dtype=torch.float64))
    assert (top[:, 1] >= 0).all() and (bottom[:, 1] <= 0.5).all()


def test_xor_labels_follow_the_quadrants():
    data = xor(500, seed=3)
    product = data.inputs[:, 0] * data.inputs[:, 1]
    assert torch.equal(data.labels, (product < 0).to(torch.float64))
    assert (data.inputs.abs() >= 0.05).all()  # the margin around the axes


def test_spirals_have_k_classes_of_nearly_equal_size():
    data = spirals(301, noise=0.0, classes=5)
    counts = [int((data.labels == c).sum()) for c in range(5)]
    assert data.classes == 5 and sum(counts) == 301 and max(counts) - min(counts) <= 1


@pytest.mark.parametrize("call, message", [
    (lambda: two_moons(3), "number of points"),
    (lambda: circles(10, noise=-1), "noise"),
    (lambda: spirals(10, classes=1), "number of classes"),
    (lambda: make_dataset("gauss", 10, 0.1, 0), "not a data set"),
])
def test_bad_settings_are_refused_with_a_message(call, message):
    with pytest.raises(ProgramError, match=message):
        call()
