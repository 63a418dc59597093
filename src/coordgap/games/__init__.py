"""Game definitions: each class knows its parameters and payoffs, never how to solve itself."""

from .normal_form import NormalFormGame
from .preparedness import AGGREGATORS, PreparednessGame

__all__ = ["PreparednessGame", "NormalFormGame", "AGGREGATORS"]
