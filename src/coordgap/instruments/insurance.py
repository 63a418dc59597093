"""Liability insurance: a premium discount for verified preparedness."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import FilerIncentive, PolicyModel, member_total, role_mask

__all__ = ["LiabilityInsurance"]


@dataclass(frozen=True, slots=True, eq=False)
class LiabilityInsurance(FilerIncentive):
    """Insurers discount the liability premium of filers with verified plans.

    The discount is paid by insurers, not by the public purse: fiscal cost zero. It is a
    member-only flow to the filer. The part of it not backed by a fall in the insurer's expected
    claims (``claims_fall`` per filer) is not free: it is an insurer's cost, reported in its own
    column and counted in welfare (in a competitive market it must be recovered by loading
    other premiums). With the default ``claims_fall = 0`` the whole discount is such a cost.

    Parameters
    ----------
    premium : float
        Liability premium per period (USD m), ≥ 0.
    discount : float
        Share of the premium waived for filers, in [0, 1].
    claims_fall : float
        Fall in the insurer's expected claims per filer and period (USD m), ≥ 0.
    roles : sequence of str, optional
        Eligible roles (default: every actor).

    Examples
    --------
    >>> import coordgap as cg
    >>> ins = cg.LiabilityInsurance(premium=2.0, discount=0.25)
    >>> float(ins.value_to_actors(cg.PolicyModel.default()).max())
    0.5
    """

    premium: float = param(
        0.0, bounds=(0, math.inf), unit="USD m per period", doc="liability premium"
    )
    discount: float = param(0.0, bounds=(0, 1), unit="1", doc="premium discount for filers")
    claims_fall: float = param(
        0.0, bounds=(0, math.inf), unit="USD m per period", doc="fall in expected claims per filer"
    )
    roles: tuple | None = None
    level = "discount"

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """The premium discount each actor receives if it files: premium × discount.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period); 0 for ineligible roles.
        """
        return self.premium * self.discount * role_mask(model, self.roles, "LiabilityInsurance")

    # The docstring is FilerIncentive.payment's: here zeros, since insurers, not the public
    # purse, grant the discount (its unfunded part is insurer_cost).
    def payment(self, model: PolicyModel) -> np.ndarray:
        return np.zeros(model.n_actors)

    def insurer_cost(self, model: PolicyModel, joined) -> float:
        """Discounts not backed by lower claims: Σ_members max(discount value − claims_fall, 0).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Insurers' unfunded cost per period (USD m), ≥ 0.
        """
        unfunded = np.maximum(self.value_to_actors(model) - self.claims_fall, 0.0)
        return member_total(joined, unfunded)

    def describe(self) -> str:
        """Short plain-language description of the discount.

        Returns
        -------
        str
            E.g. ``"a 25% discount on a liability premium of 2 USD m per year"``.

        Examples
        --------
        >>> LiabilityInsurance(premium=2.0, discount=0.25).describe()
        'a 25% discount on a liability premium of 2 USD m per year'
        """
        return f"a {100 * self.discount:.3g}% discount on a liability premium of " + (
            self.quantity("premium")
        )
