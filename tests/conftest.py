"""Hypothesis runs the same examples on every machine (derandomized), so CI is reproducible and a
rare slow example found once stays found; the property tests still cover many games each run."""
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")
