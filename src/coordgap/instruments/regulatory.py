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

    Relief is a real saving to the member (no fiscal cost) and a member-only flow (a gain of
    joining, lost on expulsion). Its risk cost multiplies the incident probability p of the
    policy model by (1 + ``risk_increase``), capped at 1; every view sees the new p, and the
    higher expected residual harm lowers welfare.

    Parameters
    ----------
    relief : float
        Compliance cost saved per filer per period (USD m), ≥ 0.
    risk_increase : float
        Relative rise in incident probability, ≥ 0.
    roles : sequence of str, optional
        Eligible roles (default: every actor).

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> flex = cg.RegulatoryFlexibility(relief=0.2, risk_increase=0.1).apply(model)
    >>> round(flex.prob / model.prob, 6), flex.preparedness.prob == flex.participation.prob
    (1.1, True)
    """

    relief: float = param(
        0.0, bounds=(0, math.inf), unit="USD m per period", doc="compliance relief per filer"
    )
    risk_increase: float = param(
        0.0, bounds=(0, math.inf), unit="1", doc="relative rise in incident probability"
    )
    roles: tuple | None = None
    level = "relief"

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """The compliance cost each actor saves if it files.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            ``relief`` for eligible actors, 0 otherwise (USD m per period).
        """
        return self.relief * role_mask(model, self.roles, type(self).__name__)

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the relief granted and the incident probability raised.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with :meth:`value_to_actors` added to ``actors.relief`` and ``prob``
            multiplied by (1 + ``risk_increase``), capped at 1; ``model`` itself when no
            actor gets relief.
        """
        value = self.value_to_actors(model)
        if not np.any(value):
            return model
        out = model.with_actors(relief=model.actors.relief + value)
        if self.risk_increase > 0:
            out = out.replace(prob=min(1.0, out.prob * (1.0 + self.risk_increase)))
        return out

    def describe(self) -> str:
        """Short plain-language description of the relief (and its risk cost, if any).

        Returns
        -------
        str
            E.g. ``"regulatory relief worth 0.2 USD m per year per filer, raising the
            incident probability by 10%"``.

        Examples
        --------
        >>> RegulatoryFlexibility(relief=0.2, risk_increase=0.1).describe()
        'regulatory relief worth 0.2 USD m per year per filer, raising the incident probability by 10%'
        """
        text = f"regulatory relief worth {self.quantity('relief')} per filer"
        return text + (
            f", raising the incident probability by {100 * self.risk_increase:.3g}%"
            if self.risk_increase
            else ""
        )
