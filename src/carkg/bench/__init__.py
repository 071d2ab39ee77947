"""Benchmarks: each one prints its figures and the machine it ran on."""
