"""Procurement preference: filers win public contracts at a price margin or score bonus."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import FilerIncentive, PolicyModel, role_mask

__all__ = ["ProcurementPreference"]


@dataclass(frozen=True, slots=True, eq=False)
class ProcurementPreference(FilerIncentive):
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
        """Expected procurement margin of each actor if it files: margin × volume × win_prob.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period); 0 for ineligible roles.
        """
        value = self.margin * self.volume * self.win_prob
        return value * role_mask(model, self.roles, type(self).__name__)

    def describe(self) -> str:
        """Short plain-language description of the preference.

        Returns
        -------
        str
            E.g. ``"a 10% procurement price preference on 10 USD m per year of public
            contracts"``.

        Examples
        --------
        >>> ProcurementPreference(margin=0.1, volume=10.0).describe()
        'a 10% procurement price preference on 10 USD m per year of public contracts'
        """
        text = (
            f"a {100 * self.margin:.3g}% procurement price preference on "
            f"{self.quantity('volume')} of public contracts"
        )
        if self.win_prob < 1:
            text += f" (won with probability {100 * self.win_prob:.3g}%)"
        return text
