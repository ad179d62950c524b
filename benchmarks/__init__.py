"""Benchmarks, one command each (``python -m benchmarks.<name>``), printing figures and ratios."""
