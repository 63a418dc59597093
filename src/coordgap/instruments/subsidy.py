"""Matching subsidy: the public purse matches private spending on preparedness."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import FilerIncentive, PolicyModel, role_mask

__all__ = ["MatchingSubsidy"]


@dataclass(frozen=True, slots=True, eq=False)
class MatchingSubsidy(FilerIncentive):
    """For each unit an actor spends on preparedness, the public purse adds ``rate`` units.

    In the preparedness game (M1) the actor's private cost share becomes φ/(1 + rate); in the
    participation game (M2) a filer receives ``rate × unit_cost`` per committed capacity unit.
    The fiscal cost is what the purse pays: Σ_filers rate·unit_cost·q_i in M2 here; the M1
    transfers (1 − φ_i)·c_i·x_i^γ/γ are public payments counted once, by the design comparison.

    Parameters
    ----------
    rate : float
        Match per unit of private spending, ≥ 0.
    unit_cost : float
        Cost of one unit of committed capacity in M2 (USD m per unit), ≥ 0.
    roles : sequence of str, optional
        Eligible roles (default: every actor).

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> sub = cg.MatchingSubsidy(rate=1.0).apply(model)
    >>> float(sub.preparedness.cost_share.max())
    0.5
    """

    rate: float = param(0.0, bounds=(0, math.inf), unit="1", doc="match per unit spent")
    unit_cost: float = param(
        0.1,
        bounds=(0, math.inf),
        unit="USD m per unit",
        doc="cost of a capacity unit in the participation game",
    )
    roles: tuple | None = None
    level = "rate"

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """The match a filer receives on its committed capacity: rate × unit_cost × q_i.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period); 0 for ineligible roles.
        """
        mask = role_mask(model, self.roles, type(self).__name__)
        return self.rate * self.unit_cost * model.actors.capacity * mask

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the match added to filers' incentives and their cost share lowered.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with :meth:`value_to_actors` added to ``actors.incentive`` and the
            eligible actors' ``cost_share`` divided by (1 + ``rate``); ``model`` itself when
            ``rate`` is 0.
        """
        if self.rate == 0:
            return model
        out = model.add_incentive(self.value_to_actors(model))
        mask = role_mask(model, self.roles, type(self).__name__)
        share = out.actors.cost_share
        return out.with_actors(cost_share=np.where(mask, share / (1.0 + self.rate), share))

    def describe(self) -> str:
        """Short plain-language description of the match.

        Returns
        -------
        str
            E.g. ``"a 1:1 matching subsidy on capacity at 0.1 USD m per unit"``.

        Examples
        --------
        >>> MatchingSubsidy(rate=1.0).describe()
        'a 1:1 matching subsidy on capacity at 0.1 USD m per unit'
        """
        return f"a {self.rate:.3g}:1 matching subsidy on capacity at {self.quantity('unit_cost')}"
