"""Incentives tied to plan quality: pay per unit of audited credible capacity, not declared.

A procurement preference or a compute grant sized by the response capacity a filing *declares*
rewards declaring more: a filer paid α per declared unit, audited with probability a and fined
φ per squared unit of shortfall, inflates its declaration by α/(2aφ) (performative compliance,
:mod:`coordgap.games.inflation`). The same incentive sized by the capacity an audit *verifies
as credible* — the capacity the filer is expected to deliver, q_i·c_i with c_i the
probability that it honours its plan (M3) — gives nothing for inflating the declaration.

An audit of precision π ∈ [0, 1] verifies a share π of the score; the rest (1 − π) rests on
the declaration. A filer paid α per unit of that score is paid απ·q_i·c_i + α(1 − π)·q̂_i and
inflates by (1 − π)·α/(2aφ): the declared-basis incentive is the case π = 0, and a perfect
audit (π = 1) removes the inflation. See ``docs/living-registry-instruments.md`` for why, at
equal fiscal cost, the credible basis never inflates more than the declared basis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..params import param
from .base import FilerIncentive, Instrument, PolicyModel

__all__ = [
    "QualityIncentive",
    "QUALITY_BASES",
    "equal_cost_rates",
]

#: What a quality incentive is sized by: credible (audited) or declared capacity.
QUALITY_BASES = ("credible", "declared")

# The credible part of the payment depends on credibility, which depends on the payment (the
# payment is membership rent a defaulting filer loses): a monotone map, iterated to this
# tolerance from the credibility without the payment.
_FIXED_POINT_TOL = 1e-12
_FIXED_POINT_ITER = 200


@dataclass(frozen=True, slots=True, eq=False)
class QualityIncentive(FilerIncentive):
    """A per-unit incentive (procurement preference, compute access) sized by plan quality.

    Each filer is paid ``rate`` per period per unit of its *score*. With
    ``basis="declared"`` the score is the declared capacity q̂_i = q_i + d, and the payment
    enters the model as its declared-unit rate α (:attr:`PolicyModel.declared_unit_rate`),
    so filers inflate by d = α/(2aφ) under the model's audits (a, φ). With
    ``basis="credible"`` an audit of precision π verifies a share π of the score as the
    filer's credible capacity q_i·c_i and the rest rests on the declaration: the payment is
    α·[π·q_i·c_i + (1 − π)·q̂_i], so the inflation is (1 − π)·α/(2aφ).

    The declared part is paid through the model's declared-unit payment (the comparison counts
    it in the fiscal cost, with the expected fines netted from the filers' gain); the credible
    part is a member-only incentive whose public cost is :meth:`fiscal_cost`. Both are
    transfers (no deadweight). The credibility c_i is that of the model with the payment in
    force (a fixed point: the payment is membership rent lost on default, so it raises c_i);
    instruments placed after this one in a design that change c_i change what the audit would
    verify, so put a quality incentive last.

    Parameters
    ----------
    rate : float
        α ≥ 0, payment per unit of score per period (USD m per capacity unit).
    basis : {"credible", "declared"}
        What the score measures (default ``"credible"``).
    precision : float
        π ∈ [0, 1], share of the score the audit verifies (default 1; only with
        ``basis="credible"``: a declared basis verifies nothing).

    Raises
    ------
    InvalidParameterError
        For a negative or non-finite rate, a precision outside [0, 1], an unknown basis, or a
        precision below 1 with ``basis="declared"`` (ambiguous: a declared basis has π = 0).

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.instruments import QualityIncentive
    >>> model = cg.PolicyModel.default(audit_prob=0.5, fine=2.0)
    >>> declared = QualityIncentive(rate=0.2, basis="declared").apply(model)
    >>> declared.inflation                    # α/(2aφ) = 0.2/2
    0.1
    >>> half = QualityIncentive(rate=0.2, basis="credible", precision=0.5).apply(model)
    >>> round(half.inflation, 12)             # (1 − π)·α/(2aφ)
    0.05
    >>> QualityIncentive(rate=0.2, precision=0.5).describe()
    'a quality incentive of 0.2 USD m per unit of credible capacity (audit verifies 50%)'
    """

    rate: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m per unit",
        symbol="α",
        doc="payment per unit of score; per period",
    )
    basis: str = param(
        "credible",
        kind="choice",
        choices=QUALITY_BASES,
        doc="whether the score is credible (audited) or declared capacity",
    )
    precision: float = param(
        1.0, bounds=(0, 1), unit="1", symbol="π", doc="audit precision; share of score verified"
    )
    level = "rate"

    def __post_init__(self) -> None:
        Instrument.__post_init__(self)
        if self.basis == "declared" and self.precision != 1.0:
            raise InvalidParameterError(
                "QualityIncentive",
                "precision",
                "left at its default with basis='declared' (a declared basis verifies "
                "nothing; use basis='credible' with precision 0 for the same incentive)",
                self.precision,
            )

    @property
    def verified(self) -> float:
        """π_eff: the share of the score the audit verifies (0 for a declared basis)."""
        return 0.0 if self.basis == "declared" else float(self.precision)

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the incentive in force (pure: ``model`` is not changed).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy whose declared-unit rate is raised by (1 − π)·α and whose members earn
            α·π·q_i·c_i more (c_i at the fixed point); ``model`` itself when ``rate`` is 0.
        """
        if self.rate == 0:
            return model
        pi = self.verified
        out = model
        if pi < 1:
            out = out.replace(declared_unit_rate=model.declared_unit_rate + (1 - pi) * self.rate)
        if pi == 0:
            return out
        base = out.actors.incentive
        per_unit = self.rate * pi * out.actors.capacity
        credibility = out._honouring()[0]
        trial = out
        for _ in range(_FIXED_POINT_ITER):
            trial = out.with_actors(incentive=base + per_unit * credibility)
            new = trial._honouring()[0]
            done = float(np.max(np.abs(new - credibility), initial=0.0)) <= _FIXED_POINT_TOL
            credibility = new
            if done:
                break
        return trial

    def payment(self, model: PolicyModel) -> np.ndarray:
        """Public payment to each actor on the credible part, α·π·q_i·c_i (``model``: applied).

        The fiscal cost is its sum over the members. The declared part is the model's
        declared-unit payment, which the design comparison counts itself
        (Σ_members α(1 − π)·(q_i + d)).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.

        Returns
        -------
        ndarray
            One value per actor (USD m per period); zeros for a declared basis.
        """
        c = model._honouring()[0]
        return self.rate * self.verified * model.actors.capacity * c

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """What the incentive is worth to each actor per period if it files.

        The change in the member's flows: the credible payment, plus the declared-unit payment
        net of the expected fine on the inflation it induces.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period).
        """
        return self.apply(model).member_flows - model.member_flows

    def describe(self) -> str:
        """Short plain-language description with units.

        Returns
        -------
        str
            E.g. ``"a quality incentive of 0.2 USD m per unit of declared capacity"``.
        """
        text = f"a quality incentive of {self.rate:g} USD m per unit of {self.basis} capacity"
        if self.basis == "credible":
            text += f" (audit verifies {100 * self.precision:g}%)"
        return text


def equal_cost_rates(
    budget: float, capacity: float, credibility: float, precision: float, audit_prob, fine
) -> tuple[float, float]:
    """Rates (declared, credible) that cost ``budget`` per member, in closed form.

    For one member of capacity q and credibility c under audits (a, φ) with uncapped
    inflation: a declared-basis rate α pays α·(q + α/(2aφ)); a credible-basis rate α′ with
    precision π pays α′·[π·q·c + (1 − π)·(q + (1 − π)α′/(2aφ))]. Each is the positive root of
    its quadratic. Credibility is held fixed (the per-member cost identity behind the
    comparison in ``docs/living-registry-instruments.md``).

    Parameters
    ----------
    budget : float
        Public spending per member per period (USD m), ≥ 0.
    capacity, credibility : float
        q > 0 (capacity units) and c ∈ [0, 1].
    precision : float
        π ∈ [0, 1].
    audit_prob, fine : float
        a ∈ (0, 1] and φ > 0.

    Returns
    -------
    tuple of float
        (α_declared, α_credible), USD m per capacity unit.

    Raises
    ------
    InvalidParameterError
        For values outside the ranges above.

    Examples
    --------
    >>> d, c = equal_cost_rates(0.3, 1.0, 1.0, 1.0, 0.5, 2.0)
    >>> round(d, 12), round(c, 12)           # d(1 + d/2) = 0.3; c·1 = 0.3
    (0.264911064067, 0.3)
    """
    owner = "equal_cost_rates"
    checks = (
        ("budget", budget, 0.0, math.inf),
        ("capacity", capacity, 0.0, math.inf),
        ("credibility", credibility, 0.0, 1.0),
        ("precision", precision, 0.0, 1.0),
        ("audit_prob", audit_prob, 0.0, 1.0),
        ("fine", fine, 0.0, math.inf),
    )
    for name, v, lo, hi in checks:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        strict = name in ("capacity", "audit_prob", "fine")
        if not ok or v < lo or v > hi or (strict and v == 0):
            rule = f"a finite float in {'(' if strict else '['}{lo:g}, {hi:g}]"
            raise InvalidParameterError(owner, name, rule, v)
    k = 1.0 / (2.0 * audit_prob * fine)  # inflation per unit of rate on the declaration

    def root(quad: float, lin: float) -> float:  # positive root of quad·x² + lin·x = budget
        if quad == 0:
            return budget / lin if lin > 0 else math.inf
        return 2.0 * budget / (lin + math.sqrt(lin * lin + 4.0 * quad * budget))

    declared = root(k, capacity)
    lin = precision * capacity * credibility + (1.0 - precision) * capacity
    credible = root((1.0 - precision) ** 2 * k, lin)
    return declared, credible
