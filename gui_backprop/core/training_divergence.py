"""What a learner is told when a training run diverges, and when a loss counts as
growing without bound."""

from __future__ import annotations

import math

from gui_backprop.core.formatting import format_number
from gui_backprop.core.training_stability import StabilityLimit

# A finite loss "grows without bound" when it has risen at every one of the last
# RISING_STEPS steps and stands GROWTH_FACTOR times its scale above the lowest loss seen:
# gradient descent past its stability limit grows geometrically, a slow climb does not.
RISING_STEPS = 10
GROWTH_FACTOR = 1e6


def divergence_message(step: int, loss: float, learning_rate: float,
                       stability: StabilityLimit | None = None, kept: int | None = None,
                       kept_loss: float | None = None) -> str:
    """What to tell a learner when training diverges at ``step`` with ``loss``.

    ``kept`` and ``kept_loss`` name the step whose state was kept (the last with a finite
    loss; ``step`` itself when the loss is finite but grows without bound);
    ``stability`` is the Hessian's limit at that state, when it is known.
    """
    if loss == -math.inf or (math.isfinite(loss) and kept_loss is not None
                             and loss < 0 and loss <= kept_loss):
        curvature = ""
        if stability is not None and stability.has_negative_curvature:
            curvature = (f" The loss's Hessian has a negative eigenvalue (λmin = "
                         f"{format_number(stability.lambda_min, 4)}): along that direction "
                         "the output curves down, so no learning rate can settle.")
        return (f"Training stopped at step {step}: the output fell without bound, to "
                f"{format_number(loss, 4)}, so it has no minimum to find.{curvature} "
                "Minimize an output that is bounded below, such as a square.")
    if math.isfinite(loss):
        what = (f"Training diverged: the loss grew without bound, at every one of the last "
                f"{RISING_STEPS} steps, to {format_number(loss, 4)} at step {step}.")
    else:
        kind = "not a number (NaN)" if math.isnan(loss) else "infinite"
        if step == 0:
            return (f"The loss is {kind} at the starting values, so there is nothing to "
                    "train. Change the starting values.")
        what = f"Training diverged: at step {step} the loss became {kind}."
    if kept is not None and kept_loss is not None:
        what += (f" Kept step {kept:,} (loss {format_number(kept_loss, 4)}), the last "
                 "with a finite loss." if kept != step else
                 f" Kept step {kept:,}, where it stopped.")
    rate = format_number(learning_rate, 6)
    limit = stability.limit if stability is not None else None
    if limit is None:
        smaller = format_number(learning_rate / 10, 3)
        return (f"{what} The learning rate {rate} is too large: each step overshoots the "
                f"minimum. Try a smaller one, such as {smaller}.")
    bound = (f"2/λmax = 2/{format_number(stability.lambda_max, 4)} = "
             f"{format_number(limit, 4)}, where λmax is the largest eigenvalue of the "
             "loss's Hessian (its steepest curvature, computed by autograd)")
    if learning_rate >= limit:
        return (f"{what} The learning rate {rate} is too large: gradient descent is stable "
                f"only while lr < {bound}. Above it each step overshoots along the steepest "
                f"direction (the line on the landscape) by more than it corrects. Try a "
                f"smaller one, such as {format_number(stability.suggestion(), 6)}.")
    return (f"{what} Here lr = {rate} is below the stability limit {bound}, but the "
            "curvature was larger along the path. Try a smaller one, such as "
            f"{format_number(learning_rate / 10, 3)}.")
