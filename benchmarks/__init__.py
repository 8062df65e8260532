"""Speed and responsiveness measurements of Backprop Lab (run ``python -m benchmarks``)."""

import os

# As the app runs (gui_backprop/cli.py sets it before torch is imported): idle OpenMP
# threads sleep instead of spinning and taking a core from the training loop.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
