"""Compute access: preferential compute priced below market, worth most to AI developers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidParameterError
from ..params import param
from .base import FilerIncentive, Instrument, PolicyModel, member_total, role_mask

__all__ = ["ComputeAccess", "DEFAULT_COMPUTE_VALUE"]

#: Value of one unit of subsidized compute to each role, as a fraction of its market price
#: (illustrative: developers use it fully; civil society has little use for it).
DEFAULT_COMPUTE_VALUE = {
    "ai_developer": 1.0,
    "cloud_provider": 0.4,
    "government_agency": 0.3,
    "infrastructure_operator": 0.2,
    "civil_society": 0.1,
}


@dataclass(frozen=True, slots=True, eq=False)
class ComputeAccess(FilerIncentive):
    """Preferential compute for filers, priced below market.

    The public purse pays ``discount × units`` per filer; the filer values it at
    ``discount × units × role_value[role]``. The difference is a deadweight loss — compute
    access is cheap to give developers and wasteful to give civil society.

    Parameters
    ----------
    units : float
        Compute granted per filer per period (market value in USD m at full price), ≥ 0.
    discount : float
        Share of the market price waived, in [0, 1].
    role_value : dict, optional
        Role → value of compute to that role per unit of market price, in [0, 1]
        (default :data:`DEFAULT_COMPUTE_VALUE`; unknown roles value it at 0.1).
    roles : sequence of str, optional
        Eligible roles.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> v = cg.ComputeAccess(units=2.0, discount=0.5).value_to_actors(model)
    >>> float(v.max()), float(v.min())
    (1.0, 0.1)
    """

    units: float = param(
        0.0, bounds=(0, math.inf), unit="USD m per period", doc="compute granted per filer"
    )
    discount: float = param(1.0, bounds=(0, 1), unit="1", doc="share of market price waived")
    role_value: dict = field(default_factory=lambda: dict(DEFAULT_COMPUTE_VALUE))
    roles: tuple | None = None
    level = "units"

    def __post_init__(self) -> None:
        Instrument.__post_init__(self)
        if not isinstance(self.role_value, dict):
            raise InvalidParameterError(
                "ComputeAccess", "role_value", "a dict of role to value in [0, 1]", self.role_value
            )
        for role, v in self.role_value.items():
            if not isinstance(v, (int, float)) or not 0 <= v <= 1 or isinstance(v, bool):
                raise InvalidParameterError(
                    "ComputeAccess", "role_value", "a dict of role to value in [0, 1]", {role: v}
                )

    # The docstring is FilerIncentive.payment's: here the waived market price, discount × units,
    # per eligible filer (0 for ineligible roles).
    def payment(self, model: PolicyModel) -> np.ndarray:
        return self.units * self.discount * role_mask(model, self.roles, "ComputeAccess")

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """Value of the granted compute to each actor if it files: discount × units × role value.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period); 0 for ineligible roles.
        """
        share = np.array([self.role_value.get(r, 0.1) for r in model.roles])
        return self.payment(model) * share

    def deadweight(self, model: PolicyModel, joined) -> float:
        """Spending not valued by the members who receive it: Σ_members cost × (1 − role value).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Deadweight loss per period (USD m), ≥ 0.
        """
        lost = self.payment(model) - self.value_to_actors(model)
        return member_total(joined, lost)

    def describe(self) -> str:
        """Short plain-language description of the grant.

        Returns
        -------
        str
            E.g. ``"compute access worth 1 USD m per year per filer, paid from public
            funds"``.

        Examples
        --------
        >>> ComputeAccess(units=1.0).describe()
        'compute access worth 1 USD m per year per filer, paid from public funds'
        >>> ComputeAccess(units=2.0, discount=0.5).describe()
        'compute access of 2 USD m per year per filer at market prices with 50% of the price waived (public cost 1 USD m per year per filer)'
        """
        if self.discount == 1:
            return (
                f"compute access worth {self.quantity('units')} per filer, paid from public funds"
            )
        cost = self.quantity("units", self.units * self.discount)
        return (
            f"compute access of {self.quantity('units')} per filer at market prices with "
            f"{100 * self.discount:.3g}% of the price waived (public cost {cost} per filer)"
        )
