"""Barrett (1994): self-enforcing international environmental agreements.

N identical countries choose abatement q_i. A coalition of k signatories chooses its members'
abatement to maximize their joint payoff; the N − k non-signatories each maximize their own.
An agreement of size k is **self-enforcing** (d'Aspremont et al. 1983 cartel stability) when it
is internally stable, π_s(k) ≥ π_n(k − 1) (no signatory gains by leaving), and externally
stable, π_n(k) > π_s(k + 1) (no non-signatory gains by joining; a country indifferent between
joining and staying out joins, so the inequality is strict).

Two payoff specifications:

``"linear"`` — π_i = b·Q − c·q_i²/2 (constant marginal benefit; dominant-strategy abatement,
    "orthogonal" reaction functions). Closed form: signatories abate k·b/c, non-signatories b/c,
    π_s(k) = (b²/c)(k²/2 + N − k), π_n(k) = (b²/c)(k² + N − k − 1/2); internal stability
    ⇔ (k − 1)(k − 3) ≤ 0, external stability ⇔ k(k − 2) > 0, so **k* = 3** for every N ≥ 3.
``"quadratic"`` — Barrett's own benefit function π_i = (b/N)(a·Q − Q²/2) − c·q_i²/2 with the
    coalition acting as a Stackelberg leader, solved numerically (abatement floored at 0).

Payoffs for each k come from a small general routine :func:`coalition_payoffs`; stability is
checked by :func:`stable_sizes` for any such payoff functions.

Reference
---------
Barrett, S. (1994). Self-enforcing international environmental agreements. *Oxford Economic
Papers* 46, 878–894 (Section 3; the linear-benefit case gives the stable size 3, cf. Carraro and
Siniscalco 1993, *Journal of Public Economics* 52, 309–328).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..params import param, validate

__all__ = ["EnvironmentalAgreement", "stable_sizes"]


def stable_sizes(signatory_payoff, non_signatory_payoff, n_countries: int) -> list[int]:
    """Coalition sizes k ∈ [1, N] that are internally and externally stable.

    ``signatory_payoff(k)`` and ``non_signatory_payoff(k)`` are a member's and an outsider's
    payoff when the coalition has k members. k = 1 means "no agreement" (a singleton).

    Parameters
    ----------
    signatory_payoff : callable
        k -> a member's payoff with k members (called for k = 1..N).
    non_signatory_payoff : callable
        k -> an outsider's payoff with k members (called for k = 0..N−1).
    n_countries : int
        N, the number of countries.

    Returns
    -------
    list of int
        The stable sizes, ascending: no member gains by leaving (internal stability, with a
        relative tolerance of 1e-12) and no outsider gains by joining (external stability).
    """
    out = []
    tol = 1e-12
    for k in range(1, n_countries + 1):
        internal = k == 1 or signatory_payoff(k) >= non_signatory_payoff(k - 1) - tol * (
            1 + abs(non_signatory_payoff(k - 1))
        )
        external = k == n_countries or non_signatory_payoff(k) > signatory_payoff(k + 1) + tol * (
            1 + abs(signatory_payoff(k + 1))
        )
        if internal and external:
            out.append(k)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class EnvironmentalAgreement:
    """Coalition formation for abatement of a global pollutant (Barrett 1994).

    Parameters
    ----------
    n_countries : int
        N ≥ 2.
    benefit : float
        b > 0: marginal benefit of abatement (``"linear"``) or its slope parameter
        (``"quadratic"``).
    cost : float
        c > 0: abatement cost parameter, cost c·q²/2.
    intercept : float
        a > 0: only for ``"quadratic"``, the abatement level beyond which benefits fall.
    model : {"linear", "quadratic"}

    Examples
    --------
    >>> import coordgap as cg
    >>> cg.classics.EnvironmentalAgreement(n_countries=100, benefit=1.0, cost=2.0).stable_sizes()
    [3]
    """

    n_countries: int = param(
        kind="integer", bounds=(2, math.inf), symbol="N", doc="number of countries"
    )
    benefit: float = param(
        1.0, bounds=(0, math.inf), closed="neither", symbol="b", doc="benefit parameter"
    )
    cost: float = param(
        1.0, bounds=(0, math.inf), closed="neither", symbol="c", doc="abatement cost parameter"
    )
    intercept: float = param(
        100.0,
        bounds=(0, math.inf),
        closed="neither",
        symbol="a",
        doc="abatement at which marginal benefit vanishes (quadratic)",
    )
    model: str = param(
        "linear", kind="choice", choices=("linear", "quadratic"), doc="benefit specification"
    )

    def __post_init__(self) -> None:
        validate(self)

    def abatement(self, k: int) -> tuple[float, float]:
        """(signatory abatement, non-signatory abatement) with a coalition of k.

        Parameters
        ----------
        k : int
            Number of signatories, 1 ≤ k ≤ N.

        Returns
        -------
        q_s, q_n : float
            Abatement of each signatory (chosen to maximize the coalition's joint payoff,
            anticipating the outsiders) and of each non-signatory (its best response).
        """
        n, b, c = self.n_countries, self.benefit, self.cost
        if self.model == "linear":
            return k * b / c, b / c
        # Quadratic: outsiders' best response q_n = (b/(N c))(a − Q), linear in Q. Given the
        # members' total X = k q_s, Q = X + (N − k) q_n solves Q = X + (N − k)(b/(Nc))(a − Q).
        g = b / (n * c)
        a = self.intercept

        def total(x):
            q = (x + (n - k) * g * a) / (1.0 + (n - k) * g)
            return q, max(0.0, g * (a - q))

        # Leader: maximize k·π_s over q_s >= 0 with the outsiders' response (a concave problem).
        from scipy import optimize

        def neg_joint(qs):
            q, qn = total(k * qs)
            q = k * qs + (n - k) * qn
            return -(k * (b / n) * (a * q - q * q / 2.0) - k * c * qs * qs / 2.0)

        res = optimize.minimize_scalar(
            neg_joint, bounds=(0.0, a), method="bounded", options={"xatol": 1e-12}
        )
        qs = float(res.x)
        return qs, total(k * qs)[1]

    def payoffs(self, k: int) -> tuple[float, float]:
        """(π_s(k), π_n(k)): a signatory's and a non-signatory's payoff with k signatories.

        Parameters
        ----------
        k : int
            Number of signatories, 1 ≤ k ≤ N.

        Returns
        -------
        pi_s, pi_n : float
            Benefit of total abatement less the own abatement cost c·q²/2.
        """
        n, b, c = self.n_countries, self.benefit, self.cost
        qs, qn = self.abatement(k)
        total = k * qs + (n - k) * qn
        if self.model == "linear":
            gross = b * total
        else:
            gross = (b / n) * (self.intercept * total - total * total / 2.0)
        return gross - c * qs * qs / 2.0, gross - c * qn * qn / 2.0

    def stable_sizes(self) -> list[int]:
        """Self-enforcing coalition sizes (internally and externally stable).

        Returns
        -------
        list of int
            The stable sizes k ∈ [1, N], ascending (see :func:`stable_sizes`).
        """
        return stable_sizes(
            lambda k: self.payoffs(k)[0], lambda k: self.payoffs(k)[1], self.n_countries
        )
