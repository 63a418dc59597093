"""Designs: named bundles of instruments, folded over a model in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from .base import Instrument, PolicyModel

__all__ = ["Design"]


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Design:
    """A named bundle of instruments; ``Design("baseline")`` has none.

    Parameters
    ----------
    name : str
        Non-empty name of the design (a row label in comparisons).
    instruments : sequence of Instrument, optional
        Instruments applied in this order (default: none); held as a tuple.

    Examples
    --------
    >>> import coordgap as cg
    >>> d = cg.Design("bond", [cg.PerformanceBond(amount=2.0)])
    >>> d.name, len(d.instruments), d.describe()
    ('bond', 1, 'a performance bond of 2 USD m per filer')
    """

    name: str
    instruments: tuple[Instrument, ...]

    def __init__(self, name: str, instruments: Sequence[Instrument] = ()):
        if not isinstance(name, str) or not name:
            raise InvalidParameterError("Design", "name", "a non-empty string", name)
        items = tuple(instruments)
        for item in items:
            if not isinstance(item, Instrument):
                raise InvalidParameterError(
                    "Design",
                    "instruments",
                    "a sequence of instruments (e.g. cg.PerformanceBond(...))",
                    type(item).__name__,
                )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "instruments", items)

    def apply(self, model: PolicyModel) -> PolicyModel:
        """Fold the instruments over ``model`` in order.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            The model with every instrument applied (``model`` itself for no
            instruments).
        """
        # Each instrument's apply runs inside params.derived() (Instrument.__init_subclass__).
        for instrument in self.instruments:
            model = instrument.apply(model)
        return model

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        """Instruments' public spending per period when ``joined`` are members of a binding
        registry (``model``: applied).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Sum of the instruments' fiscal costs (USD m per period).
        """
        return float(sum(i.fiscal_cost(model, joined) for i in self.instruments))

    def deadweight(self, model: PolicyModel, joined) -> float:
        """Public spending not matched by value to the members who receive it.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Sum of the instruments' deadweight losses (USD m per period).
        """
        return float(sum(i.deadweight(model, joined) for i in self.instruments))

    def insurer_cost(self, model: PolicyModel, joined) -> float:
        """Insurers' cost beyond the fall in their expected claims.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Sum of the instruments' insurer costs (USD m per period).
        """
        return float(sum(i.insurer_cost(model, joined) for i in self.instruments))

    def programme_cost(self, model: PolicyModel, joined) -> float:
        """Real resources used by the instruments' programmes (e.g. audits).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Sum of the instruments' programme costs (USD m per period).
        """
        return float(sum(i.programme_cost(model, joined) for i in self.instruments))

    def refund_cost(self, model: PolicyModel, filed) -> float:
        """Public payments to filers of a registry that does not bind.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        filed : array_like of bool
            One flag per actor: True for the actors that filed.

        Returns
        -------
        float
            Sum of the instruments' refunds (USD m per period).
        """
        return float(sum(i.refund_cost(model, filed) for i in self.instruments))

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """Per-actor value of the whole bundle if the actor files.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            Sum of the instruments' values to each actor (USD m per period).
        """
        total = np.zeros(model.n_actors)
        for instrument in self.instruments:
            total = total + instrument.value_to_actors(model)
        return total

    def describe(self) -> str:
        """Plain-language description of the bundle, one clause per instrument.

        Returns
        -------
        str
            The instruments' descriptions joined by ``"; "``, or ``"no instruments"``.
        """
        return "; ".join(i.describe() for i in self.instruments) or "no instruments"

    def __repr__(self) -> str:
        return f"Design({self.name!r}, {list(self.instruments)!r})"
