"""Speed and responsiveness measurements of Backprop Lab (run ``python -m benchmarks``)."""
