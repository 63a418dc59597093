"""Assurance refund: a dominant assurance contract for filing (Tabarrok 1998)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import Instrument, PolicyModel, member_total

__all__ = ["AssuranceRefund"]


@dataclass(frozen=True, slots=True, eq=False)
class AssuranceRefund(Instrument):
    """Filings bind only if at least ``threshold`` actors file; otherwise every filer's cost is
    refunded and it receives a ``bonus`` (a dominant assurance contract).

    Filing is then safe when few file — the fear of filing alone, which sustains the
    no-participation equilibrium, disappears. The public purse pays only when the threshold
    fails: Σ_filers (k_i + bonus) in a void registry, zero otherwise. A threshold close to the
    number of actors is a knife edge: one actor whose cost rises voids the registry (see
    :func:`coordgap.robustness` with idiosyncratic shocks).

    Parameters
    ----------
    threshold : float
        m_A ≥ 0, filings needed for the registry to bind (0: the instrument is off).
    bonus : float
        β ≥ 0, paid to each filer of a void registry (USD m).

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.compare import evaluate_design
    >>> model = cg.PolicyModel.default()
    >>> design = cg.Design("assurance", [cg.AssuranceRefund(threshold=30, bonus=0.05)])
    >>> evaluate_design(model, design).worst["participation"] >= 30
    True
    """

    threshold: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="actors",
        symbol="m_A",
        doc="assurance threshold; filings needed for the registry to bind",
    )
    bonus: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="β",
        doc="assurance bonus; paid to each filer of a void registry",
    )
    level = "threshold"  # threshold 0: filings always bind, the contract is off

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the assurance contract in force (pure: ``model`` is not changed).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with ``refund_threshold`` and ``refund_bonus`` set; ``model`` itself
            when the threshold is 0.
        """
        if self.threshold == 0:
            return model
        return model.replace(refund_threshold=self.threshold, refund_bonus=self.bonus)

    def refund_cost(self, model: PolicyModel, filed) -> float:
        """Public payments when the registry is void: Σ_filers (k_i + bonus), else 0.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        filed : array_like of bool
            One flag per actor: True for the actors that filed.

        Returns
        -------
        float
            Refunded joining costs plus bonuses (USD m per period); 0 when at least
            ``threshold`` actors filed or the contract is off.
        """
        filed = np.asarray(filed, dtype=bool)
        if self.threshold == 0 or filed.sum() >= self.threshold:
            return 0.0
        return member_total(filed, model.actors.join_cost + self.bonus)

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """The bonus an actor receives if it files and the threshold fails.

        Parameters
        ----------
        model : PolicyModel
            The policy model (only its number of actors is used).

        Returns
        -------
        ndarray
            ``bonus`` for every actor (USD m), or zeros when the contract is off.
        """
        return np.full(model.n_actors, self.bonus if self.threshold > 0 else 0.0)

    def describe(self) -> str:
        """Short plain-language description of the contract.

        Returns
        -------
        str
            E.g. ``"an assurance contract binding from 30 filers, with a bonus of 0.05 USD m
            to each filer if it does not bind"``.

        Examples
        --------
        >>> AssuranceRefund(threshold=30, bonus=0.05).describe()
        'an assurance contract binding from 30 filers, with a bonus of 0.05 USD m to each filer if it does not bind'
        """
        filers = "filer" if self.threshold == 1 else "filers"
        text = f"an assurance contract binding from {self.threshold:g} {filers}"
        if self.bonus > 0:
            text += f", with a bonus of {self.quantity('bonus')} to each filer if it does not bind"
        return text
