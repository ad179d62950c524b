"""Demonstration data: service points in every district and synthetic responses from a stated model."""
