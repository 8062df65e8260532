"""A trace leaves nothing behind: the canvas re-traces four times a second while it
follows a training run, so anything kept per trace grows without end."""

from __future__ import annotations

import gc

import torch

from gui_backprop.core.graph_builder import GraphBuilder
from gui_backprop.core.lessons import find_lesson


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


def test_traces_free_their_builders_and_tensors():
    lesson = find_lesson("linear-regression")
    lesson.trace()  # first-use caches
    builders, tensors = _alive(GraphBuilder), _alive(torch.Tensor)
    for step in range(20):
        lesson.trace(values={"w": 0.5 + step / 100})
    # hooks on grad_fn nodes that refer back to the builder form a cycle through
    # autograd's C++ graph, which the garbage collector cannot break
    assert _alive(GraphBuilder) == builders
    assert _alive(torch.Tensor) <= tensors
