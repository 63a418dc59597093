"""Audit by an independent technical panel: deters inflated capacity declarations."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import param
from .base import Instrument, PolicyModel

__all__ = ["Audit", "inflation"]


def inflation(model: PolicyModel) -> float:
    """Declared-capacity inflation per filer: α/(2aφ), capped at ``inflation_cap``.

    With no per-unit incentive there is nothing to gain; with no audit (or no fine) nothing
    deters inflation and filers declare up to the cap (see :attr:`PolicyModel.inflation`).

    Parameters
    ----------
    model : PolicyModel
        The policy model, with any audit applied.

    Returns
    -------
    float
        Inflation of declared capacity per filer (capacity units), in [0, ``inflation_cap``].
    """
    return model.inflation


@dataclass(frozen=True, slots=True, eq=False)
class Audit(Instrument):
    """Random audits of filings with a fine per squared unit of shortfall.

    Filers paid α per declared unit inflate by α/(2aφ) (docs/guide/m3-commitment.md); audits shrink the
    overstatement of coverage at a fiscal cost of a × filers × cost per audit. The audit panel's
    work is a real resource cost as well as public spending: with λ the marginal cost of public
    funds, an audit programme that changes nothing else lowers welfare by (1 + λ)·its cost.

    Parameters
    ----------
    prob : float
        a ∈ [0, 1], audit probability.
    fine : float
        φ ≥ 0, fine per squared unit of shortfall.
    cost : float
        Cost of one audit (USD m), ≥ 0.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default(declared_unit_rate=0.2)
    >>> audited = cg.Audit(prob=0.5, fine=2.0).apply(model)
    >>> cg.instruments.audit.inflation(audited)
    0.1
    """

    prob: float = param(0.0, bounds=(0, 1), unit="1", symbol="a", doc="audit probability")
    fine: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m per unit²",
        symbol="φ",
        doc="fine per squared shortfall",
    )
    cost: float = param(0.0, bounds=(0, math.inf), unit="USD m", doc="cost of one audit")
    level = "prob"

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the audit programme in force (pure: ``model`` is not changed).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with the larger of the model's and this audit's probability and fine,
            and the audit cost added; ``model`` itself when ``prob`` is 0.
        """
        if self.prob == 0:
            return model
        return model.replace(
            audit_prob=max(model.audit_prob, self.prob),
            fine=max(model.fine, self.fine),
            audit_cost=model.audit_cost + self.cost,
        )

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        """Public spending on audits: prob × cost × number of members.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Expected audit spending per period (USD m).
        """
        return float(self.prob * self.cost * np.count_nonzero(joined))

    def programme_cost(self, model: PolicyModel, joined) -> float:
        """Real resources of the audit panel: the same as its fiscal cost.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Expected audit cost per period (USD m).
        """
        return self.fiscal_cost(model, joined)

    def describe(self) -> str:
        """Short plain-language description of the audits.

        Returns
        -------
        str
            E.g. ``"audits of 50% of filings, with a fine of 2 USD m per unit² of shortfall"``.

        Examples
        --------
        >>> Audit(prob=0.5, fine=2.0, cost=0.1).describe()
        'audits of 50% of filings, with a fine of 2 USD m per unit² of shortfall, costing 0.1 USD m per audit'
        """
        fine = self.quantity("fine")
        fine += " of shortfall" if fine.endswith("unit²") else ""
        text = f"audits of {100 * self.prob:.3g}% of filings, with a fine of {fine}"
        if self.cost > 0:
            text += f", costing {self.quantity('cost')} per audit"
        return text
