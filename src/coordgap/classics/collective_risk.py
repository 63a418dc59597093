"""Santos & Pacheco (2011): the collective-risk dilemma.

Groups of N individuals, each with endowment b. Cooperators (C) contribute a fraction c of it;
defectors (D) contribute nothing. If fewer than M group members cooperate, everybody loses
what is left with probability r. With j cooperators in the group (θ(x) = 1 for x ≥ 0):

    Π_D(j) = b·{θ(j − M) + (1 − r)·[1 − θ(j − M)]},     Π_C(j) = Π_D(j) − c·b.

Infinite population (replicator): ẋ = x(1 − x)(f_C − f_D) with co-players drawn binomially,
and, in closed form, f_C − f_D = b·[r·C(N−1, M−1)·x^(M−1)(1 − x)^(N−M) − c]: a cooperator
changes the outcome only when exactly M − 1 others cooperate. Finite population of Z:
pairwise comparison with the Fermi rule (``coordgap.solvers.dynamics.fermi_gradient``).

Critical risk. Cooperation is favoured by selection at a composition when f_C > f_D there.
Since f_C − f_D = b·[r·Δ − c] with Δ the probability that one cooperator is pivotal,
cooperation is favoured somewhere iff r > r* = c / max Δ. In an infinite population
Δ(x) = C(N−1, M−1)·x^(M−1)(1 − x)^(N−M), maximal at x = (M − 1)/(N − 1); at r = r* the two
interior rest points x_L < x_R of Santos & Pacheco's Fig. 1 are born in a saddle-node. In a
population of Z the maximum runs over k = 1..Z−1 with hypergeometric group sampling.

Mutation. With probability μ an individual chosen to update switches to the other strategy
instead of imitating (random exploration):

    T⁺(k) = (1 − μ)·(k/Z)·w(k)·[1 + e^(−β(f_C − f_D))]⁻¹ + μ·(Z − k)/Z,
    T⁻(k) = (1 − μ)·(k/Z)·w(k)·[1 + e^(+β(f_C − f_D))]⁻¹ + μ·k/Z,

with w(k) = (Z − k)/Z or (Z − k)/(Z − 1) (the two drawing conventions). The chain on
k = 0..Z is a birth–death chain, so its stationary law is exact by detailed balance,
p_(k+1)/p_k = T⁺(k)/T⁻(k+1), summed in log space. The group achievement is
η_G = Σ_k p_k·a_G(k), with a_G(k) the probability that a group of N drawn without
replacement from a population with k cooperators contains at least M of them.

The model is a symmetric binary-action game; its payoff table feeds the general machinery
(:mod:`coordgap.solvers.dynamics`, :func:`coordgap.qre`, ``normal_form()`` for ``cg.solve``).

Reference
---------
Santos, F. C. and Pacheco, J. M. (2011). Risk of collective failure provides an escape from the
tragedy of the commons. *PNAS* 108(26), 10421–10425. Eq. (1) payoffs, Fig. 1 (infinite
population, N = 6, M = 3, c = 0.1) and Fig. 2 (finite population, Z = 50, β = 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import special, stats

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..params import param, validate
from ..results import Result
from ..solvers import dynamics

__all__ = ["CollectiveRiskDilemma", "RestPoint", "FiniteStationary"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RestPoint(Result):
    """An interior rest point of the replicator gradient.

    Attributes
    ----------
    x : float
        Fraction of cooperators.
    stability : str
        ``"stable"``, ``"unstable"`` or ``"semi-stable"`` (a tangency).
    """

    x: float
    stability: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FiniteStationary(Result):
    """Stationary law of the finite-population process with mutation.

    Attributes
    ----------
    distribution : ndarray
        Shape (Z + 1,): p_k, the long-run share of time with k cooperators, k = 0..Z.
    achievement : ndarray
        Shape (Z + 1,): a_G(k), the probability that a group drawn from a population with k
        cooperators reaches the threshold M.
    group_achievement : float
        η_G = Σ_k p_k·a_G(k).
    mean_cooperation : float
        Σ_k p_k·k/Z, the average fraction of cooperators.
    population, beta, mutation, convention
        The process's parameters (Z, β, μ and the drawing convention).

    Examples
    --------
    >>> import coordgap as cg
    >>> res = cg.classics.CollectiveRiskDilemma(6, 3, 0.9, 0.1).stationary(50, 2.0, 0.01)
    >>> res.distribution.shape, round(float(res.distribution.sum()), 12)
    ((51,), 1.0)
    """

    distribution: np.ndarray
    achievement: np.ndarray
    group_achievement: float
    mean_cooperation: float
    population: int
    beta: float
    mutation: float
    convention: str


@dataclass(frozen=True, slots=True, eq=False)
class CollectiveRiskDilemma:
    """The one-shot collective-risk dilemma (Santos & Pacheco 2011).

    Parameters
    ----------
    group_size : int
        N ≥ 2, players per group.
    threshold : int
        M ∈ [1, N], cooperators needed to avert the risk.
    risk : float
        r ∈ [0, 1], probability of losing everything when the threshold is missed.
    cost : float
        c ∈ [0, 1], fraction of the endowment a cooperator contributes.
    endowment : float
        b > 0.

    Raises
    ------
    InvalidParameterError
        If threshold > group_size, risk or cost outside [0, 1], or any value NaN/inf.

    Examples
    --------
    >>> import coordgap as cg
    >>> crd = cg.classics.CollectiveRiskDilemma(group_size=6, threshold=3, risk=0.9, cost=0.1,
    ...                                         endowment=1.0)
    >>> [(round(p.x, 4), p.stability) for p in crd.fixed_points()]
    [(0.1299, 'unstable'), (0.723, 'stable')]
    """

    group_size: int = param(kind="integer", bounds=(2, math.inf), symbol="N", doc="group size")
    threshold: int = param(
        kind="integer",
        bounds=(1, math.inf),
        symbol="M",
        doc="cooperators needed to avert the collective risk",
    )
    risk: float = param(bounds=(0, 1), symbol="r", doc="probability of collective loss")
    cost: float = param(bounds=(0, 1), symbol="c", doc="fraction of the endowment contributed")
    endowment: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="right",
        unit="payoff",
        symbol="b",
        doc="initial endowment",
    )

    def __post_init__(self) -> None:
        validate(self)
        if self.threshold > self.group_size:
            raise InvalidParameterError(
                type(self).__name__,
                "threshold",
                f"an integer <= group_size ({self.group_size})",
                self.threshold,
            )

    # -- payoffs -------------------------------------------------------------------------
    def payoff_defector(self, cooperators):
        """Π_D(j) for j cooperators in the group (vectorized).

        Parameters
        ----------
        cooperators : int or array_like of int
            Number j of cooperators in the group.

        Returns
        -------
        ndarray
            b if j ≥ M, else (1 − r)·b (the expected payoff), same shape as ``cooperators``.
        """
        j = np.asarray(cooperators)
        ok = j >= self.threshold
        return self.endowment * np.where(ok, 1.0, 1.0 - self.risk)

    def payoff_cooperator(self, cooperators):
        """Π_C(j) = Π_D(j) − c·b for j cooperators (including the focal one).

        Parameters
        ----------
        cooperators : int or array_like of int
            Number j of cooperators in the group, the focal cooperator included.

        Returns
        -------
        ndarray
            Π_C(j), same shape as ``cooperators``.
        """
        return self.payoff_defector(cooperators) - self.cost * self.endowment

    def payoff_table(self) -> np.ndarray:
        """table[a, m]: payoff of C (a = 0) or D (a = 1) when m of the N − 1 others cooperate.

        Returns
        -------
        ndarray
            Shape (2, N), m = 0..N−1.
        """
        m = np.arange(self.group_size)
        return np.vstack([self.payoff_cooperator(m + 1), self.payoff_defector(m)])

    def normal_form(self):
        """The group game as an N-player :class:`~coordgap.NormalFormGame` (action 0 = C).

        The array has 2^N·N entries: meant for small groups (cross-checks with ``cg.solve``).

        Returns
        -------
        NormalFormGame
            N players with actions ``("C", "D")``.

        Raises
        ------
        InvalidParameterError
            If N > 12.
        """
        n = self.group_size
        if n > 12:
            raise InvalidParameterError(
                type(self).__name__, "group_size", "<= 12 for a full normal form", n
            )
        grids = np.indices((2,) * n)
        coop = (grids == 0).sum(axis=0)
        table = self.payoff_table()
        pay = np.stack([table[grids[i], coop - (grids[i] == 0)] for i in range(n)], axis=-1)
        return NormalFormGame(pay, actions=[("C", "D")] * n, title="collective-risk dilemma")

    # -- infinite population -------------------------------------------------------------
    def fitness_difference(self, x):
        """f_C(x) − f_D(x) in an infinite population with a fraction x of cooperators.

        Parameters
        ----------
        x : float or array_like
            Fraction of cooperators in the population, in [0, 1].

        Returns
        -------
        ndarray
            f_C(x) − f_D(x), expected payoffs in groups drawn binomially, same shape as ``x``.
        """
        fc, fd = dynamics.binary_fitness(self.payoff_table(), x)
        return fc - fd

    def gradient(self, x):
        """Replicator gradient ẋ = x(1 − x)(f_C − f_D), vectorized over x ∈ [0, 1].

        Parameters
        ----------
        x : float or array_like
            Fraction of cooperators in the population, in [0, 1].

        Returns
        -------
        ndarray
            ẋ, same shape as ``x``.

        Raises
        ------
        InvalidParameterError
            If some x is not finite or lies outside [0, 1].
        """
        x = np.asarray(x, dtype=float)
        if np.any(~np.isfinite(x)) or np.any((x < 0) | (x > 1)):
            raise InvalidParameterError(
                type(self).__name__ + ".gradient",
                "x",
                "fractions in [0, 1]",
                np.asarray(x).tolist(),
            )
        return dynamics.binary_gradient(self.payoff_table(), x)

    def fixed_points(self) -> tuple[RestPoint, ...]:
        """Interior roots of the gradient in (0, 1), with their stability under the replicator.

        Returns
        -------
        tuple of RestPoint
            The rest points, ascending in x.
        """
        roots = dynamics.binary_interior_roots(self.payoff_table())
        return tuple(RestPoint(x=x, stability=s) for x, s in roots)

    # -- finite population ---------------------------------------------------------------
    def gradient_finite(self, k, population: int, beta: float, convention: str = "Z"):
        """Gradient of selection G(k) of the pairwise-comparison process in a population of Z.

        Parameters
        ----------
        k : int or array_like of int
            Number of cooperators, 0 ≤ k ≤ Z.
        population : int
            Z ≥ N.
        beta : float
            Intensity of selection β ≥ 0.
        convention : {"Z", "Z-1"}
            (Z − k)/Z as in Santos & Pacheco (2011), or (Z − k)/(Z − 1) as in Traulsen et al.
            (2006) and EGTtools. See :mod:`coordgap.solvers.dynamics`.

        Returns
        -------
        ndarray or float
            G(k); 0 at k = 0 and k = Z.

        Raises
        ------
        InvalidParameterError
            If ``population`` is not an integer ≥ N.
        """
        return dynamics.fermi_gradient(
            self.payoff_table(), k, self._check_population(population), beta, convention=convention
        )

    def _check_population(self, population) -> int:
        if (
            isinstance(population, bool)
            or not isinstance(population, (int, np.integer, float))
            or int(population) != population
            or population < self.group_size
        ):
            raise InvalidParameterError(
                type(self).__name__,
                "population",
                f"an integer >= group_size ({self.group_size})",
                population,
            )
        return int(population)

    def pivotal_probability(self, population: int | None = None) -> float:
        """max Δ: the largest probability that one cooperator is pivotal for the group.

            Parameters
            ----------
            population : int, optional
                Z ≥ N for a finite population (maximum over k = 1..Z−1); None for an infinite
                population (maximum over x ∈ [0, 1], at x = (M − 1)/(N − 1)).

            Returns
            -------
            float
                max Δ, so that f_C − f_D = b·(r·Δ − c) is positive somewhere iff r·max Δ > c.

        Examples
        --------
        >>> import coordgap as cg
        >>> crd = cg.classics.CollectiveRiskDilemma(6, 3, 0.5, 0.1)
        >>> round(crd.pivotal_probability(), 6)    # C(5, 2)·0.4²·0.6³
        0.3456
        """
        n, m = self.group_size, self.threshold
        if population is None:
            x = (m - 1) / (n - 1)
            return float(math.comb(n - 1, m - 1) * x ** (m - 1) * (1.0 - x) ** (n - m))
        z = self._check_population(population)
        unit = replace(self, risk=1.0, cost=0.0, endowment=1.0)
        fc, fd = dynamics.binary_finite_fitness(unit.payoff_table(), z)
        return float(np.max((fc - fd)[1:z]))

    def critical_risk(self, population: int | None = None) -> float:
        """Critical risk r* = c / max Δ above which selection favours cooperation somewhere.

        For r < r* defection is favoured at every composition (f_C < f_D); for r > r* there is
        an interval of compositions where cooperators do better: in an infinite population the
        unstable and stable interior rest points x_L < x_R appear at r = r* (a saddle-node),
        in a finite population the gradient of selection G(k) becomes positive for some k.

        Parameters
        ----------
        population : int, optional
            Z for a finite population; None (default) for an infinite one.

        Returns
        -------
        float
            r*; a value above 1 means that no admissible risk favours cooperation.

        Raises
        ------
        InvalidParameterError
            If ``population`` is not an integer ≥ N.

        Examples
        --------
        N = 6, M = 3, c = 0.1: r* = 0.1 / [C(5, 2)·0.4²·0.6³] = 0.1 / 0.3456.

        >>> import coordgap as cg
        >>> crd = cg.classics.CollectiveRiskDilemma(group_size=6, threshold=3, risk=0.5,
        ...                                         cost=0.1)
        >>> round(crd.critical_risk(), 6), round(0.1 / 0.3456, 6)
        (0.289352, 0.289352)
        """
        delta = self.pivotal_probability(population)
        return math.inf if delta <= 0 else self.cost / float(delta)

    def transition_probabilities(
        self, population: int, beta: float, mutation: float = 0.0, convention: str = "Z"
    ) -> tuple[np.ndarray, np.ndarray]:
        """T⁺(k) and T⁻(k), k = 0..Z, of the pairwise-comparison process with mutation.

        Parameters
        ----------
        population : int
            Z ≥ N.
        beta : float
            Intensity of selection β ≥ 0.
        mutation : float
            μ ∈ [0, 1], probability that an updating individual switches strategy at random.
        convention : {"Z", "Z-1"}
            Weight (Z − k)/Z (Santos & Pacheco 2011) or (Z − k)/(Z − 1) (Traulsen et al.
            2006; EGTtools).

        Returns
        -------
        t_plus, t_minus : ndarray
            Shape (Z + 1,) each: probabilities of k → k + 1 and k → k − 1 in one step.

        Raises
        ------
        InvalidParameterError
            If a parameter is out of range or the convention is unknown.

        Examples
        --------
        Only mutation moves the chain away from the monomorphic states:

        >>> import coordgap as cg
        >>> crd = cg.classics.CollectiveRiskDilemma(6, 3, 0.5, 0.1)
        >>> up, down = crd.transition_probabilities(50, 2.0, mutation=0.01)
        >>> float(up[0]), float(down[-1])
        (0.01, 0.01)
        """
        z = self._check_population(population)
        owner = type(self).__name__ + ".transition_probabilities"
        dynamics._check_convention(convention, owner)
        if isinstance(beta, bool) or not np.isfinite(beta) or beta < 0:
            raise InvalidParameterError(owner, "beta", "a finite float >= 0", beta)
        if isinstance(mutation, bool) or not np.isfinite(mutation) or not 0 <= mutation <= 1:
            raise InvalidParameterError(owner, "mutation", "a float in [0, 1]", mutation)
        fc, fd = dynamics.binary_finite_fitness(self.payoff_table(), z)
        diff = np.nan_to_num(fc - fd)
        k = np.arange(z + 1)
        denom = z if convention == "Z" else z - 1
        pair = (k / z) * ((z - k) / denom)
        t_plus = (1 - mutation) * pair * special.expit(beta * diff) + mutation * (z - k) / z
        t_minus = (1 - mutation) * pair * special.expit(-beta * diff) + mutation * k / z
        return t_plus, t_minus

    def group_achievement_curve(self, population: int) -> np.ndarray:
        """a_G(k): probability that a group drawn from k cooperators among Z reaches M.

        Parameters
        ----------
        population : int
            Z ≥ N.

        Returns
        -------
        ndarray
            Shape (Z + 1,): a_G(k) = C(Z, N)⁻¹·Σ_(j ≥ M) C(k, j)·C(Z − k, N − j).

        Examples
        --------
        >>> import coordgap as cg
        >>> a = cg.classics.CollectiveRiskDilemma(6, 3, 0.5, 0.1).group_achievement_curve(50)
        >>> float(a[0]), float(a[-1]), round(float(a[25]), 4)
        (0.0, 1.0, 0.6664)
        """
        z = self._check_population(population)
        n, m = self.group_size, self.threshold
        k = np.arange(z + 1)
        return np.asarray(stats.hypergeom(z, k, n).sf(m - 1), dtype=float)

    def stationary(
        self, population: int, beta: float, mutation: float, convention: str = "Z"
    ) -> FiniteStationary:
        """Stationary distribution over k = 0..Z with mutation, and the group achievement η_G.

        Detailed balance of the birth–death chain, p_(k+1)/p_k = T⁺(k)/T⁻(k+1), accumulated
        as a sum of logarithms and normalized with log-sum-exp.

        Parameters
        ----------
        population : int
            Z ≥ N.
        beta : float
            Intensity of selection β ≥ 0.
        mutation : float
            μ ∈ (0, 1]; with μ = 0 the monomorphic states are absorbing and the chain has no
            unique stationary law.
        convention : {"Z", "Z-1"}
            Drawing convention (see :meth:`transition_probabilities`).

        Returns
        -------
        FiniteStationary
            p_k, a_G(k), η_G and the mean fraction of cooperators.

        Raises
        ------
        InvalidParameterError
            If μ = 0 or another parameter is out of range.

        Examples
        --------
        Santos & Pacheco's Fig. 2 set-up (Z = 50, N = 6, M = 3, c = 0.1, β = 2, μ = 0.01):
        a high risk makes groups reach the threshold far more often.

        >>> import coordgap as cg
        >>> low = cg.classics.CollectiveRiskDilemma(6, 3, 0.1, 0.1).stationary(50, 2.0, 0.01)
        >>> high = cg.classics.CollectiveRiskDilemma(6, 3, 0.9, 0.1).stationary(50, 2.0, 0.01)
        >>> bool(high.group_achievement > 0.5 > low.group_achievement)
        True
        """
        if isinstance(mutation, bool) or not np.isfinite(mutation) or not 0 < mutation <= 1:
            raise InvalidParameterError(
                type(self).__name__ + ".stationary", "mutation", "a float in (0, 1]", mutation
            )
        t_plus, t_minus = self.transition_probabilities(population, beta, mutation, convention)
        z = len(t_plus) - 1
        log_ratio = np.log(t_plus[:-1]) - np.log(t_minus[1:])
        log_p = np.concatenate([[0.0], np.cumsum(log_ratio)])
        dist = np.exp(log_p - special.logsumexp(log_p))
        achievement = self.group_achievement_curve(z)
        return FiniteStationary(
            distribution=dist,
            achievement=achievement,
            group_achievement=float(dist @ achievement),
            mean_cooperation=float(dist @ (np.arange(z + 1) / z)),
            population=z,
            beta=float(beta),
            mutation=float(mutation),
            convention=convention,
        )

    def group_achievement(
        self, population: int, beta: float, mutation: float, convention: str = "Z"
    ) -> float:
        """η_G, the average fraction of groups that reach the threshold (stationary law).

        Parameters
        ----------
        population : int
            Z ≥ N.
        beta : float
            Intensity of selection β ≥ 0.
        mutation : float
            μ ∈ (0, 1].
        convention : {"Z", "Z-1"}
            Drawing convention.

        Returns
        -------
        float
            η_G = Σ_k p_k·a_G(k) (see :meth:`stationary`).

        Examples
        --------
        >>> import coordgap as cg
        >>> crd = cg.classics.CollectiveRiskDilemma(6, 3, 0.9, 0.1)
        >>> round(crd.group_achievement(50, 2.0, 0.01), 3)
        0.909
        """
        return self.stationary(population, beta, mutation, convention).group_achievement
