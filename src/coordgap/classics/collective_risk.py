"""Santos & Pacheco (2011): the collective-risk dilemma.

Groups of N individuals, each with endowment b. Cooperators (C) contribute a fraction c of it;
defectors (D) contribute nothing. If fewer than M group members cooperate, everybody loses
what is left with probability r. With j cooperators in the group (θ(x) = 1 for x ≥ 0):

    Π_D(j) = b·{θ(j − M) + (1 − r)·[1 − θ(j − M)]},     Π_C(j) = Π_D(j) − c·b.

Infinite population (replicator): ẋ = x(1 − x)(f_C − f_D) with co-players drawn binomially,
and, in closed form, f_C − f_D = b·[r·C(N−1, M−1)·x^(M−1)(1 − x)^(N−M) − c]: a cooperator
changes the outcome only when exactly M − 1 others cooperate. Finite population of Z:
pairwise comparison with the Fermi rule (``coordgap.solvers.dynamics.fermi_gradient``).

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
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..params import param, validate
from ..results import Result
from ..solvers import dynamics

__all__ = ["CollectiveRiskDilemma", "RestPoint"]


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
        if (
            isinstance(population, bool)
            or int(population) != population
            or population < self.group_size
        ):
            raise InvalidParameterError(
                type(self).__name__,
                "population",
                f"an integer >= group_size ({self.group_size})",
                population,
            )
        return dynamics.fermi_gradient(
            self.payoff_table(), k, int(population), beta, convention=convention
        )
