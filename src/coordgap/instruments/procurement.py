"""Procurement preference: filers win public contracts at a price margin or score bonus."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import Instrument, PolicyModel, role_mask

__all__ = ["ProcurementPreference"]


@dataclass(frozen=True, slots=True, eq=False)
class ProcurementPreference(Instrument):
    """Preference in public procurement, conditional on filing (and honouring) a plan.

    Worth the expected margin on contracts the actor could win: margin × volume × win
    probability per period. The public purse pays the premium, so the fiscal cost is the same
    sum over filers (a transfer: no deadweight).

    Parameters
    ----------
    margin : float
        Price margin or score bonus as a share of contract value, ≥ 0.
    volume : float
        Contract volume open to the actor per period (USD m), ≥ 0.
    win_prob : float
        Probability of winning, in [0, 1].
    roles : sequence of str, optional
        Eligible roles (default: every actor).

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> pp = cg.ProcurementPreference(margin=0.1, volume=10.0, win_prob=0.5,
    ...                               roles=["cloud_provider"])
    >>> float(pp.value_to_actors(model).max())
    0.5
    """

    margin: float = param(0.0, bounds=(0, math.inf), unit="1", doc="price margin")
    volume: float = param(0.0, bounds=(0, math.inf), unit="USD m per period", doc="contract volume")
    win_prob: float = param(1.0, bounds=(0, 1), unit="1", doc="win probability")
    roles: tuple | None = None
    level = "margin"

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        value = self.margin * self.volume * self.win_prob
        return value * role_mask(model, self.roles, type(self).__name__)

    def apply(self, model: PolicyModel) -> PolicyModel:
        return model.add_incentive(self.value_to_actors(model))

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        return float(np.sum(np.asarray(joined, dtype=bool) * self.value_to_actors(model)))

    def describe(self) -> str:
        return f"procurement preference of {self.margin:g} on {self.volume:g} of contracts"
