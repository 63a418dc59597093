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
    Abatement is a dominant strategy, so the timing does not matter.
``"quadratic"`` — Barrett's own benefit function π_i = (b/N)(a·Q − Q²/2) − c·q_i²/2. With
    γ = c/b, a non-signatory's first-order condition (b/N)(a − Q) = c·q_n gives, all
    non-signatories alike, q_n = (a − k·q_s)/(Nγ + N − k).

    *Stackelberg* timing (the paper's case: the signatories lead, anticipating the
    non-signatories' reaction): with λ = Nγ/(Nγ + N − k), total abatement responds to q_s with
    dQ/dq_s = kλ and a − Q = λ(a − k·q_s), so the coalition's first-order condition
    (b/N)(a − Q)·kλ = c·q_s gives

        q_s = k·λ²·a / (Nγ + k²λ²),    q_n = λ·(a − k·q_s) / (Nγ).

    *Cournot* timing (the coalition and the non-signatories move simultaneously): the
    coalition's condition k(b/N)(a − Q) = c·q_s and the non-signatories' give, with
    D = Nγ + k² + N − k,

        q_s = k·a / D,    q_n = a / D,    Q = a(k² + N − k) / D.

    Both solutions are interior (0 ≤ k·q_s ≤ a, so q_n ≥ 0 and Q ≤ a) and both reduce at
    k = N to full cooperation, q = a/(N + γ), and at k = 0 to the non-cooperative
    equilibrium, q = a/(N + Nγ).

**A single signatory.** A "coalition" of one is ambiguous: ``singleton="no_agreement"`` (the
default) treats it as no agreement, so k = 1 is the non-cooperative equilibrium, a leaving
member of a two-country agreement returns every country to it, and only sizes k ≥ 2 are
reported as self-enforcing; ``singleton="leader"`` lets one country act as the coalition
(a Stackelberg leader under Stackelberg timing) and reports k = 1 when it is stable.

Payoffs for each k come from the closed forms above; stability is checked by
:func:`stable_sizes` for any such payoff functions.

Reference
---------
Barrett, S. (1994). Self-enforcing international environmental agreements. *Oxford Economic
Papers* 46, 878–894 (Section 3; the linear-benefit case gives the stable size 3, cf. Carraro and
Siniscalco 1993, *Journal of Public Economics* 52, 309–328). d'Aspremont, C., Jacquemin, A.,
Gabszewicz, J. J. and Weymark, J. A. (1983). On the stability of collusive price leadership.
*Canadian Journal of Economics* 16, 17–25.
Rubio, S. J. and Ulph, A. (2006). Self-enforcing international environmental agreements
revisited. *Oxford Economic Papers* 58, 233–263.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..errors import InvalidParameterError
from ..params import param, validate

__all__ = ["EnvironmentalAgreement", "stable_sizes"]


def stable_sizes(signatory_payoff, non_signatory_payoff, n_countries: int) -> list[int]:
    """Coalition sizes k ∈ [1, N] that are internally and externally stable.

    ``signatory_payoff(k)`` and ``non_signatory_payoff(k)`` are a member's and an outsider's
    payoff when the coalition has k members. k = 1 counts as internally stable (its member
    has no smaller coalition to leave to).

    Parameters
    ----------
    signatory_payoff : callable
        k -> a member's payoff with k members (called for k = 1..N).
    non_signatory_payoff : callable
        k -> an outsider's payoff with k members (called for k = 1..N−1).
    n_countries : int
        N, the number of countries.

    Returns
    -------
    list of int
        The stable sizes, ascending: no member gains by leaving (internal stability, with a
        relative tolerance of 1e-12) and no outsider gains by joining (external stability).

    Examples
    --------
    >>> # the linear model with b = c = 1: π_s(k) = k²/2 + N − k, π_n(k) = k² + N − k − 1/2
    >>> stable_sizes(lambda k: k * k / 2 + 10 - k, lambda k: k * k + 10 - k - 0.5, 10)
    [3]
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
        Benefit specification (see the module notes).
    timing : {"stackelberg", "cournot"}
        Whether the signatories lead (Barrett's case) or move with the non-signatories.
    singleton : {"no_agreement", "leader"}
        What a coalition of one is: no agreement (default; self-enforcing sizes are then
        k ≥ 2) or a one-country coalition acting as the signatories do.

    Examples
    --------
    >>> import coordgap as cg
    >>> cg.classics.EnvironmentalAgreement(n_countries=100, benefit=1.0, cost=2.0).stable_sizes()
    [3]
    >>> iea = cg.classics.EnvironmentalAgreement(n_countries=10, cost=0.5, intercept=50.0,
    ...                                          model="quadratic")
    >>> round(iea.abatement(10)[0], 6)   # full cooperation: a/(N + γ) = 50/10.5
    4.761905
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
    timing: str = param(
        "stackelberg",
        kind="choice",
        choices=("stackelberg", "cournot"),
        doc="order of moves; signatories lead or move simultaneously",
    )
    singleton: str = param(
        "no_agreement",
        kind="choice",
        choices=("no_agreement", "leader"),
        doc="what a coalition of one country is",
    )

    def __post_init__(self) -> None:
        validate(self)

    @property
    def gamma(self) -> float:
        """γ = c/b, the cost–benefit ratio that, with N, determines the quadratic model.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.EnvironmentalAgreement(n_countries=5, benefit=2.0, cost=1.0).gamma
        0.5
        """
        return self.cost / self.benefit

    def _size(self, k: int) -> int:
        n = self.n_countries
        whole = isinstance(k, numbers.Integral) or (
            isinstance(k, numbers.Real) and math.isfinite(k) and float(k).is_integer()
        )
        if isinstance(k, bool) or not whole or not 0 <= int(k) <= n:
            raise InvalidParameterError(type(self).__name__, "k", f"an integer in [0, {n}]", k)
        return int(k)

    def abatement(self, k: int) -> tuple[float, float]:
        """(signatory abatement, non-signatory abatement) with a coalition of k.

        Parameters
        ----------
        k : int
            Number of signatories, 0 ≤ k ≤ N (k = 0, and k = 1 under
            ``singleton="no_agreement"``, is the non-cooperative equilibrium: both entries
            are then the common non-cooperative abatement). At k = N the second entry is
            the abatement a non-signatory would choose, though none is left.

        Returns
        -------
        q_s, q_n : float
            Abatement of each signatory and of each non-signatory, from the closed-form
            first-order conditions of the module notes.

        Examples
        --------
        >>> import coordgap as cg
        >>> iea = cg.classics.EnvironmentalAgreement(n_countries=10, cost=0.5, intercept=50.0,
        ...                                          model="quadratic")
        >>> [round(q, 6) for q in iea.abatement(0)]   # non-cooperative: a/(N + Nγ) = 50/15
        [3.333333, 3.333333]
        """
        k = self._size(k)
        n, b, c = self.n_countries, self.benefit, self.cost
        if self.model == "linear":
            if k == 0 or (k == 1 and self.singleton == "no_agreement"):
                return b / c, b / c
            return k * b / c, b / c
        a, ng = self.intercept, n * self.gamma
        if k == 0 or (k == 1 and self.singleton == "no_agreement"):
            q = a / (ng + n)
            return q, q
        if self.timing == "cournot":
            d = ng + k * k + n - k
            return k * a / d, a / d
        lam = ng / (ng + n - k)
        qs = k * lam * lam * a / (ng + k * k * lam * lam)
        return qs, lam * (a - k * qs) / ng

    def total(self, k: int) -> float:
        """Q(k) = k·q_s + (N − k)·q_n, total abatement with k signatories.

        Parameters
        ----------
        k : int
            Number of signatories, 0 ≤ k ≤ N.

        Returns
        -------
        float
            Total abatement.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.EnvironmentalAgreement(n_countries=4, benefit=1.0, cost=1.0).total(2)
        6.0
        """
        k = self._size(k)
        qs, qn = self.abatement(k)
        if k == 0 or (k == 1 and self.singleton == "no_agreement"):
            return self.n_countries * qn
        return k * qs + (self.n_countries - k) * qn

    def payoffs(self, k: int) -> tuple[float, float]:
        """(π_s(k), π_n(k)): a signatory's and a non-signatory's payoff with k signatories.

        Parameters
        ----------
        k : int
            Number of signatories, 0 ≤ k ≤ N (with no agreement both entries are the
            non-cooperative payoff).

        Returns
        -------
        pi_s, pi_n : float
            Benefit of total abatement less the own abatement cost c·q²/2.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.EnvironmentalAgreement(n_countries=4, benefit=1.0, cost=1.0).payoffs(2)
        (4.0, 5.5)
        """
        b, c = self.benefit, self.cost
        qs, qn = self.abatement(k)
        q = self.total(k)
        if self.model == "linear":
            gross = b * q
        else:
            gross = (b / self.n_countries) * (self.intercept * q - q * q / 2.0)
        return gross - c * qs * qs / 2.0, gross - c * qn * qn / 2.0

    def stable_sizes(self) -> list[int]:
        """Self-enforcing coalition sizes (internally and externally stable).

        Returns
        -------
        list of int
            The stable sizes, ascending (see :func:`stable_sizes`); k ≥ 2 under
            ``singleton="no_agreement"``, k ≥ 1 under ``"leader"``.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.EnvironmentalAgreement(n_countries=100, cost=0.1,
        ...                                    model="quadratic").stable_sizes()
        [11]
        """
        sizes = stable_sizes(
            lambda k: self.payoffs(k)[0], lambda k: self.payoffs(k)[1], self.n_countries
        )
        if self.singleton == "no_agreement":
            sizes = [k for k in sizes if k >= 2]
        return sizes
