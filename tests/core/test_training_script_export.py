"""The exported training script with each optimizer, with and without mini-batches, on
the learner's points: it ends at the Trainer's parameters, bit for bit."""

import pytest

from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.script_export import export_training_script
from gui_backprop.core.training import Trainer, TrainingProblem, TrainingSettings
from gui_backprop.core.training_data import LearnerPoints
from tests.shared_helpers import run_exported_script

POINTS = LearnerPoints((1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0),
                       (3.1, 4.9, 7.2, 8.8, 11.1, 12.7, 15.2))


@pytest.mark.parametrize("rule, batch_size", [
    ("manual", None), ("momentum", None), ("adam", 3), ("manual", 2), ("sgd", 4)])
def test_the_script_trains_as_the_app_did(tmp_path, rule, batch_size):
    problem = TrainingProblem.from_lesson(find_lesson("linear-regression", load_lessons()))
    settings = TrainingSettings(40, 0.01, rule, POINTS, batch_size=batch_size, seed=9)
    trainer = Trainer(problem, settings)
    snapshots = list(trainer.run())
    final = snapshots[-1]
    source = export_training_script(
        problem.program, trainer.values, problem.parameters, problem.output, 0.01, 40,
        rule=rule, batch_size=batch_size, seed=9, data_names=("x", "y"))
    path = tmp_path / "run.py"
    path.write_text(source)
    printed = run_exported_script(path)
    assert printed[(40, "w")] == final.parameters["w"]
    assert printed[(40, "b")] == final.parameters["b"]
    assert printed[(40, "J")] == final.loss
    assert printed[(0, "J")] == snapshots[0].losses[0]
    assert ("torch.randperm" in source) == (batch_size is not None)
    assert "x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])" in source \
        or "x_all = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])" in source
