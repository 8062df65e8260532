"""The training worker and its controller: threads, queued signals, pause, stop, errors."""

import time

import pytest

from gui_backprop.core.lessons import find_lesson
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings, TrainingStatus
from gui_backprop.core.training_data import DataSettings
from gui_backprop.ui.training import worker
from gui_backprop.ui.training.controller import TrainingController, TrainingState


def regression_trainer(epochs, **settings):
    problem = TrainingProblem.from_lesson(find_lesson("linear-regression"))
    return Trainer(problem, TrainingSettings(epochs=epochs, data=DataSettings(), **settings))


@pytest.fixture
def controller():
    ctrl = TrainingController()
    yield ctrl
    ctrl.stop()
    assert not worker._LIVE_THREADS


def test_a_run_delivers_throttled_snapshots_and_the_final_one(qtbot, controller):
    received = []
    controller.snapshot_received.connect(received.append)
    start = time.perf_counter()
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        controller.start(regression_trainer(3000))
    elapsed = time.perf_counter() - start
    assert blocker.args[0] is received[-1]
    assert received[-1].status is TrainingStatus.FINISHED and received[-1].step == 3000
    assert len(received) <= elapsed * 60 + 3  # at most about 60 a second
    assert sum(len(s.losses) for s in received) == 3001
    assert controller.state is TrainingState.IDLE and not worker._LIVE_THREADS


def test_the_landscape_arrives_and_holds_the_end_of_the_path(qtbot, controller):
    landscapes = []
    controller.landscape_received.connect(landscapes.append)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        controller.start(regression_trainer(2000))
    final = blocker.args[0]
    assert landscapes and landscapes[-1].names == ("w", "b")
    assert landscapes[-1].contains(final.parameters["w"], final.parameters["b"])
    assert landscapes[-1].contours


def test_pause_holds_the_worker_until_resume_and_stop_while_paused_ends_it(qtbot, controller):
    received = []
    controller.snapshot_received.connect(received.append)
    controller.start(regression_trainer(1_000_000))
    qtbot.waitUntil(lambda: len(received) >= 3)
    asked = time.perf_counter()
    with qtbot.waitSignal(controller.paused) as blocker:
        controller.pause()
    assert time.perf_counter() - asked < 2.0
    assert controller.state is TrainingState.PAUSED
    count = len(received)
    qtbot.wait(200)
    assert len(received) == count and received[-1].step == blocker.args[0]
    with qtbot.waitSignal(controller.finished) as finished:
        controller.stop(discard=False)
    assert finished.args[0].status is TrainingStatus.STOPPED
    assert finished.args[0].step == blocker.args[0]


def test_a_discarded_run_sends_nothing_more(qtbot, controller):
    received = []
    controller.snapshot_received.connect(received.append)
    controller.start(regression_trainer(1_000_000))
    qtbot.waitUntil(lambda: len(received) >= 2)
    controller.stop()
    count = len(received)
    qtbot.wait(100)
    assert len(received) == count and controller.state is TrainingState.IDLE


def test_an_error_in_the_worker_comes_back_as_a_message(qtbot, controller, monkeypatch):
    trainer = regression_trainer(10)

    def broken(until=None):
        raise RuntimeError("the tensors went away")
        yield  # pragma: no cover - makes this a generator

    monkeypatch.setattr(trainer, "run", broken)
    with qtbot.waitSignal(controller.failed) as blocker:
        controller.start(trainer)
    assert blocker.args == ["Training failed: the tensors went away"]
    assert controller.state is TrainingState.IDLE and not worker._LIVE_THREADS


def test_commands_that_do_not_apply_are_ignored(qtbot, controller):
    controller.pause()
    controller.resume()
    controller.step()
    controller.stop()
    assert controller.state is TrainingState.IDLE
    with qtbot.waitSignal(controller.paused):
        controller.start(regression_trainer(100), stepping=True)
    controller.pause()  # already paused: nothing happens
    assert controller.state is TrainingState.PAUSED
