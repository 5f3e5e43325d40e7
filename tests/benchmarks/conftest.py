"""Benchmarks run on their own (`pytest tests/benchmarks -s`); they print their figures."""
