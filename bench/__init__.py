"""Benchmarks: performance targets are measured here, never in unit tests."""
