"""Performance bond: a stake forfeited when a trigger fires and the filer does not act."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._deprecation import REMOVAL, SINCE
from ..errors import InvalidParameterError
from ..params import param
from .base import Instrument, PolicyModel, role_mask

__all__ = ["PerformanceBond", "BOND_BASES", "bond_basis"]

#: What a bond amount is per: each filer, or each unit of capacity it commits (the spelling of
#: model files, :class:`PerformanceBond` and :func:`coordgap.optimal_bond`).
BOND_BASES = ("filer", "capacity")
#: Spellings of earlier versions, accepted with a DeprecationWarning for one release.
_DEPRECATED_BASES = {"actor": "filer"}


def bond_basis(per, owner: str = "optimal_bond") -> str:
    """Check ``per`` against :data:`BOND_BASES`; the old spelling ``"actor"`` means ``"filer"``.

    Parameters
    ----------
    per : str
        ``"filer"`` or ``"capacity"`` (``"actor"``, deprecated, is read as ``"filer"``).
    owner : str
        The function or class named in the error message and the warning.

    Returns
    -------
    str
        ``"filer"`` or ``"capacity"``.

    Raises
    ------
    InvalidParameterError
        For any other value.

    Examples
    --------
    >>> bond_basis("capacity")
    'capacity'
    """
    if isinstance(per, str) and per in _DEPRECATED_BASES:
        new = _DEPRECATED_BASES[per]
        warnings.warn(
            f"{owner}: per={per!r} is deprecated since coordgap {SINCE} and will be removed "
            f"in {REMOVAL}; use per={new!r}",
            DeprecationWarning,
            stacklevel=3,
        )
        return new
    if not (isinstance(per, str) and per in BOND_BASES):
        raise InvalidParameterError(owner, "per", "one of 'filer', 'capacity'", per)
    return per


@dataclass(frozen=True, slots=True, eq=False)
class PerformanceBond(Instrument):
    """A performance bond posted with a filing (docs/guide/m3-commitment.md, docs/guide/m4-designs.md).

    The bond raises each filer's stake S_i, hence its credibility P(A_i ≤ S_i); its carrying
    cost r·b and the larger expected ex post cost p_trigger·E[min(A_i, S_i)] raise the cost of
    joining (the carrying cost is a real cost of capital; forfeitures are transfers). Forfeitures
    are revenue, not spending: the fiscal cost is zero.

    Parameters
    ----------
    amount : float
        b ≥ 0, bond per filer (``per="filer"``) or per committed capacity unit.
    per : {"filer", "capacity"}
        Whether ``amount`` is per filer (default) or per committed capacity unit.
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
        choices=BOND_BASES,
        doc="whether the amount is per filer or per capacity unit",
    )
    carry_rate: float | None = param(
        None, bounds=(0, math.inf), unit="1 per period", symbol="r", doc="carrying cost of the bond"
    )
    roles: tuple | None = None
    level = "amount"

    def bonds(self, model: PolicyModel) -> np.ndarray:
        """Bond posted by each actor if it files.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            ``amount`` (times the actor's capacity when ``per="capacity"``) for the
            bonded roles, 0 for the others (USD m).
        """
        base = model.actors.capacity if self.per == "capacity" else 1.0
        return self.amount * base * role_mask(model, self.roles, type(self).__name__)

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the bonds posted (pure: ``model`` is not changed).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with :meth:`bonds` added to ``actors.bond`` and, if given, the
            carrying rate replaced.
        """
        if self.amount > 0:
            model = model.with_actors(bond=model.actors.bond + self.bonds(model))
        if self.carry_rate is not None:
            model = model.replace(carry_rate=self.carry_rate)
        return model

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """The bond's carrying cost to each filer, as a (negative) value: −r·b_i.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period), ≤ 0.
        """
        rate = model.carry_rate if self.carry_rate is None else self.carry_rate
        return -rate * self.bonds(model)

    def describe(self) -> str:
        """Short plain-language description of the bond.

        Returns
        -------
        str
            E.g. ``"a performance bond of 2 USD m per filer"``.

        Examples
        --------
        >>> PerformanceBond(amount=2.0).describe()
        'a performance bond of 2 USD m per filer'
        """
        unit = "per capacity unit" if self.per == "capacity" else "per filer"
        return f"a performance bond of {self.quantity('amount')} {unit}"
