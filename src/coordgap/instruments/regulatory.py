"""Regulatory flexibility: compliance-cost relief for filers, at a possible risk cost."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import Instrument, PolicyModel, role_mask

__all__ = ["RegulatoryFlexibility"]


@dataclass(frozen=True, slots=True, eq=False)
class RegulatoryFlexibility(Instrument):
    """Compliance-cost relief for filers; optionally a rise in incident probability.

    Relief is a real saving to the filer (no fiscal cost). Its risk cost multiplies the incident
    probability p by (1 + ``risk_increase``), capped at 1, in the participation and
    preparedness games.

    Parameters
    ----------
    relief : float
        Compliance cost saved per filer per period (USD m), ≥ 0.
    risk_increase : float
        Relative rise in incident probability, ≥ 0.
    roles : sequence of str, optional

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> flex = cg.RegulatoryFlexibility(relief=0.2, risk_increase=0.1).apply(model)
    >>> round(flex.participation.prob / model.participation.prob, 6)
    1.1
    """

    relief: float = param(0.0, bounds=(0, math.inf), unit="USD m per period",
                          doc="compliance relief per filer")
    risk_increase: float = param(0.0, bounds=(0, math.inf), unit="1",
                                 doc="relative rise in incident probability")
    roles: tuple | None = None
    level = "relief"

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        return self.relief * role_mask(model, self.roles, type(self).__name__)

    def apply(self, model: PolicyModel) -> PolicyModel:
        value = self.value_to_actors(model)
        out = model.add_incentive(value)
        if np.any(value):
            out = out.replace(relief=out.relief + value)
        if self.risk_increase > 0 and self.relief > 0:
            factor = 1.0 + self.risk_increase
            out = out.replace(participation=out.participation.replace(
                prob=min(1.0, out.participation.prob * factor)))
            if out.preparedness is not None:
                out = out.replace(preparedness=out.preparedness.replace(
                    prob=min(1.0, out.preparedness.prob * factor)))
        return out

    def describe(self) -> str:
        text = f"regulatory relief of {self.relief:g} per filer"
        return text + (f" (+{100 * self.risk_increase:g}% incident risk)"
                       if self.risk_increase else "")
