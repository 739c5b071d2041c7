"""The shared layer below every algorithm: numbers, deadlines, profiles and exact linear algebra.

Nothing here knows about games as files or as models; the model, the algorithms and the
presenters all build on it.
"""
