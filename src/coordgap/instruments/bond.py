"""Performance bond: a stake forfeited when a trigger fires and the filer does not act."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import Instrument, PolicyModel, role_mask

__all__ = ["PerformanceBond"]


@dataclass(frozen=True, slots=True, eq=False)
class PerformanceBond(Instrument):
    """A performance bond posted with a filing (DESIGN.md, M3–M4).

    The bond raises each filer's stake S_i, hence its credibility P(A_i ≤ S_i); its carrying
    cost r·b and the larger expected ex post cost p_trigger·E[min(A_i, S_i)] raise the cost of
    joining (the carrying cost is a real cost of capital; forfeitures are transfers). Forfeitures
    are revenue, not spending: the fiscal cost is zero.

    Parameters
    ----------
    amount : float
        b ≥ 0, bond per filer (``per="filer"``) or per committed capacity unit.
    per : {"filer", "capacity"}
    carry_rate : float, optional
        r ≥ 0, overrides the commitment model's carrying cost of capital.
    roles : sequence of str, optional
        Roles that must post the bond (default: every filer).

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> bonded = cg.PerformanceBond(amount=2.0).apply(model)
    >>> bool(np.all(bonded.commitment.credibility() >= model.commitment.credibility()))
    True
    """

    amount: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="b",
        doc="bond amount; forfeited if the filer does not act",
    )
    per: str = param(
        "filer",
        kind="choice",
        choices=("filer", "capacity"),
        doc="whether the amount is per filer or per capacity unit",
    )
    carry_rate: float | None = param(
        None, bounds=(0, math.inf), unit="1 per period", symbol="r", doc="carrying cost of the bond"
    )
    roles: tuple | None = None
    level = "amount"

    def bonds(self, model: PolicyModel) -> np.ndarray:
        """Bond posted by each actor if it files."""
        base = model.actors.capacity if self.per == "capacity" else 1.0
        return self.amount * base * role_mask(model, self.roles, type(self).__name__)

    def apply(self, model: PolicyModel) -> PolicyModel:
        if self.amount > 0:
            model = model.with_actors(bond=model.actors.bond + self.bonds(model))
        if self.carry_rate is not None:
            model = model.replace(carry_rate=self.carry_rate)
        return model

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        rate = model.carry_rate if self.carry_rate is None else self.carry_rate
        return -rate * self.bonds(model)

    def describe(self) -> str:
        unit = "per capacity unit" if self.per == "capacity" else "per filer"
        return f"a bond of {self.amount:g} {unit}"
