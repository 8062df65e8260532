"""What a session file keeps of a classifier's Train tab settings (the data set and the
network), checked before anything is restored so that a bad file changes nothing.

The keys sit beside the regression's in the session's ``"training"`` object (old files
without them open with the defaults); the learner's 2-D points are the session's
``learner_points``, as for a regression (one more input column).
"""

from __future__ import annotations

from gui_backprop.core.datasets import NOISE_RANGE, POINTS_RANGE
from gui_backprop.core.errors import ProgramError
from gui_backprop.core.training_data import SEED_RANGE, LearnerPoints
from gui_backprop.ui.training.network_form import (
    ACTIVATIONS,
    DATA_SETS,
    HIDDEN_RANGE,
    MAX_FORM_POINTS,
    NetworkForm,
)

_WHOLE = {"data_points": (POINTS_RANGE[0], MAX_FORM_POINTS), "data_seed": SEED_RANGE,
          "hidden_units": HIDDEN_RANGE, "init_seed": SEED_RANGE}


def classifier_settings(form: NetworkForm) -> dict:
    """The form's settings as plain values."""
    choice = form.data_choice()
    hidden, activation, seed = form.network_values()
    return {"data_set": choice.name, "data_points": choice.points, "data_noise": choice.noise,
            "data_seed": choice.seed, "hidden_units": hidden, "activation": activation,
            "init_seed": seed}


def check_classifier_settings(training: dict) -> None:
    """Raise :class:`ProgramError` for a classifier setting the form cannot show."""
    name = training.get("data_set", "moons")
    if name not in {key for key, _text in DATA_SETS}:
        raise ProgramError(f"'{str(name)[:40]}' is not a data set")
    for key, (low, high) in _WHOLE.items():
        value = training.get(key, low)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ProgramError(f"{key} must be a whole number from {low} to {high:,}")
    noise = training.get("data_noise", 0.0)
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) \
            or not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ProgramError(f"data_noise must be a number from {NOISE_RANGE[0]:g} to "
                           f"{NOISE_RANGE[1]:g}")
    if training.get("activation", "tanh") not in ACTIVATIONS:
        raise ProgramError(f"the activation must be one of {', '.join(ACTIVATIONS)}")


def restore_classifier_settings(form: NetworkForm, training: dict) -> None:
    """Put checked settings into the form (the ones the file lacks stay)."""
    if "data_set" in training:
        form.data_set.setCurrentIndex(form.data_set.findData(training["data_set"]))
    for box, key in ((form.points, "data_points"), (form.noise, "data_noise"),
                     (form.data_seed, "data_seed"), (form.hidden, "hidden_units"),
                     (form.init_seed, "init_seed")):
        if key in training:
            box.setValue(training[key])
    if "activation" in training and form.activation.isEnabled():
        form.activation.setCurrentText(training["activation"])


def classifier_fits(points: LearnerPoints, classes: int) -> bool:
    """True when the learner's points are 2-D with class numbers ``0 … classes - 1``."""
    return points.columns == 2 and all(
        0 <= label < classes and float(label).is_integer() for label in points.targets)
