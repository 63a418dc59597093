"""Kunreuther & Heal (2003): interdependent security, with tipping.

Each of n actors decides whether to invest in protection at cost c. An unprotected actor
suffers a loss L directly with probability p; every unprotected actor also contaminates each
other actor with probability q (protection does not stop contagion). An actor facing j
unprotected others loses L with probability 1 − (1 − q)^j if protected and
1 − (1 − p)(1 − q)^j if not, so it invests iff

    c < p·L·(1 − q)^j                                   (Kunreuther & Heal 2003, eq. 2)

With two actors: investing is dominant iff c < p(1 − q)L; both (invest, invest) and
(not, not) are equilibria iff p(1 − q)L < c < pL; (not, not) is the only one iff c > pL.
With n actors the incentive falls as more others stay unprotected, so the game is one of
coordination; **tipping**: once enough actors invest, the rest follow. The tipping number is
the smallest count of committed investors that makes every remaining actor invest.

Heterogeneous costs are allowed (one c_i per actor); pure equilibria are found by brute force
over the :class:`~coordgap.NormalFormGame` (small n) or, in general, by the anonymous
threshold structure.

Reference
---------
Kunreuther, H. and Heal, G. (2003). Interdependent security. *Journal of Risk and
Uncertainty* 26(2/3), 231–249 — Table 1 (two-actor payoff matrix) and the equilibrium
conditions of Section 2; tipping in Section 4 (see also Heal & Kunreuther 2007, *Risk
Analysis* 27(3)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..params import Actors, param, validate

__all__ = ["InterdependentSecurity"]


@dataclass(frozen=True, slots=True, eq=False)
class InterdependentSecurity:
    """The interdependent-security game.

    Parameters
    ----------
    cost : float or array_like
        c_i > 0, cost of protection of each actor.
    prob : float
        p ∈ [0, 1], probability of a direct loss when unprotected.
    contagion : float
        q ∈ [0, 1], probability that an unprotected actor contaminates another.
    loss : float
        L > 0.
    n_actors : int, optional
        Number of actors when ``cost`` is a scalar (default 2).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.InterdependentSecurity(cost=7.0, prob=0.1, contagion=0.2, loss=100.0)
    >>> g.pure_equilibria()      # p(1−q)L = 8 > c = 7: investing (action 0) is dominant
    [(0, 0)]
    """

    cost: Actors = param(
        kind="actors", bounds=(0, math.inf), closed="neither", symbol="c", doc="cost of protection"
    )
    prob: float = param(bounds=(0, 1), symbol="p", doc="probability of a direct loss")
    contagion: float = param(bounds=(0, 1), symbol="q", doc="probability of contagion")
    loss: float = param(bounds=(0, math.inf), closed="neither", symbol="L", doc="loss")
    n_actors: int | None = param(None, kind="integer", bounds=(2, math.inf), doc="number of actors")

    def __post_init__(self) -> None:
        if self.n_actors is None and np.ndim(self.cost) == 0:
            object.__setattr__(self, "n_actors", 2)
        validate(self)

    # -- payoffs -------------------------------------------------------------------------
    def expected_payoff(self, invest: bool, unprotected_others, cost=None):
        """Expected payoff (minus loss and cost) given j unprotected others (vectorized).

        Parameters
        ----------
        invest : bool
            Whether the actor protects itself.
        unprotected_others : int or array_like
            Number j of other actors who do not protect.
        cost : float, optional
            The actor's cost of protection; default the first actor's c.

        Returns
        -------
        float or ndarray
            −c − L·(1 − (1 − q)^j) when investing, −L·(1 − (1 − p)(1 − q)^j) otherwise (≤ 0),
            same shape as ``unprotected_others``.
        """
        c = self.cost[0] if cost is None else cost
        safe = (1.0 - self.contagion) ** np.asarray(unprotected_others, dtype=float)
        if invest:
            return -c - self.loss * (1.0 - safe)
        return -self.loss * (1.0 - (1.0 - self.prob) * safe)

    def normal_form(self):
        """The game as a :class:`~coordgap.NormalFormGame` (action 0 = invest, 1 = not).

        Returns
        -------
        NormalFormGame
            N players with actions ``("invest", "not")``.

        Raises
        ------
        InvalidParameterError
            If N > 12.
        """
        n = self.n_actors
        assert n is not None  # set by validation
        if n > 12:
            raise InvalidParameterError(
                type(self).__name__, "n_actors", "<= 12 for a full normal form", n
            )
        grids = np.indices((2,) * n)
        unprot = (grids == 1).sum(axis=0)
        pay = []
        for i in range(n):
            others = unprot - (grids[i] == 1)
            pay.append(
                np.where(
                    grids[i] == 0,
                    self.expected_payoff(True, others, self.cost[i]),
                    self.expected_payoff(False, others, self.cost[i]),
                )
            )
        return NormalFormGame(
            np.stack(pay, axis=-1), actions=[("invest", "not")] * n, title="interdependent security"
        )

    def pure_equilibria(self) -> list[tuple[int, ...]]:
        """Every pure Nash equilibrium, by checking each profile's regret on the normal form.

        Returns
        -------
        list of tuple of int
            The equilibrium profiles (0 = invest), in lexicographic order.
        """
        game = self.normal_form()
        out = []
        assert self.n_actors is not None  # set by validation
        for profile in product((0, 1), repeat=self.n_actors):
            probs = [np.eye(2)[a] for a in profile]
            if game.max_regret(probs) <= 1e-12 * self.loss:
                out.append(profile)
        return out

    # -- thresholds and tipping ----------------------------------------------------------
    def tolerance(self) -> np.ndarray:
        """Largest number j of unprotected others at which each actor still invests (−1: never).

        From c_i < p·L·(1 − q)^j.

        Returns
        -------
        ndarray of int
            The tolerance of each actor, shape (n_actors,), in −1..N−1.
        """
        n = self.n_actors
        assert n is not None  # set by validation
        j = np.arange(n)
        ok = self.cost[:, None] < self.prob * self.loss * (1.0 - self.contagion) ** j[None, :]
        return ok.sum(axis=1) - 1  # the condition is monotone in j: true for j <= tolerance

    def tipping_number(self) -> int | None:
        """Smallest number of committed investors after which all others invest (cascade).

        The committed set is chosen as the actors least willing to invest (lowest tolerance),
        which is the cheapest way to tip an anonymous game; the cascade is then iterated.
        Returns None if even with everyone else committed some actor would not invest.

        Returns
        -------
        int or None
            The number of committed actors (0 when everyone invests anyway), or None.
        """
        tol = self.tolerance()
        order = np.argsort(tol)  # least willing first
        n = self.n_actors
        assert n is not None  # set by validation
        for m in range(n):
            committed = np.zeros(n, bool)
            committed[order[:m]] = True
            changed = True
            while changed:
                unprot = n - committed.sum()
                # an uncommitted actor sees unprot − 1 unprotected others
                newly = (~committed) & (tol >= unprot - 1)
                changed = bool(newly.any())
                committed |= newly
            if committed.all():
                return m
        return None
