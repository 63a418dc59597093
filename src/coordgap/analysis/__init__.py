"""Analyses built on solved games: the gap report, comparisons, sweeps."""

from .gap import gap

__all__ = ["gap"]
