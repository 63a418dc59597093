"""Symmetric equilibria of symmetric binary-action games, robustly, for N up to thousands.

If every player takes action 0 with probability p, a player's gain from action 0 over
action 1 is

    D(p) = sum_k d_k C(N−1, k) p^k (1 − p)^(N−1−k),      d_k = payoff_0[k] − payoff_1[k],

a polynomial whose **Bernstein coefficients on [0, 1] are the d_k themselves**. The symmetric
equilibria are p = 1 if d_{N−1} >= 0, p = 0 if d_0 <= 0, and every root of D in (0, 1).
Roots are isolated by Bernstein subdivision (de Casteljau halving; by the variation-diminishing
property an interval whose coefficients show no sign change holds no root, one change exactly
one root) and each isolated root is polished by Brent's method on the interval's own
coefficients. No power-basis conversion or companion matrix is formed, so nothing is lost near
0 and 1 and N = 1000 (degree 999) is routine.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from ..errors import ConvergenceWarning, InvalidParameterError, did_you_mean
from ..games.symmetric_binary import SymmetricBinaryGame
from ..results import EquilibriumSet, Result
from ..tolerances import NEAR_ZERO, ROOT_XTOL, SAME_POLY_ROOT
from .certify import regret_symmetric_binary
from .verdict import certified_set, payoff_scale

__all__ = ["SymmetricBinaryEquilibrium", "solve_symmetric_binary", "bernstein_roots"]

_MAX_DEPTH = 60


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SymmetricBinaryEquilibrium(Result):
    """A symmetric equilibrium: every player takes action 0 with the same probability.

    Attributes
    ----------
    probability : float
        P(action 0) of every player.
    payoff : float
        Every player's expected payoff.
    max_regret : float
        Gain from the better pure action over the mix, from
        :func:`coordgap.solvers.certify.regret_symmetric_binary` (binomial weights, not the
        Bernstein code that found the root).
    n_players : int
    kind : str
        ``"pure"`` (p = 0 or 1) or ``"mixed"``.
    """

    probability: float
    payoff: float
    max_regret: float
    n_players: int
    kind: str = "mixed"

    @property
    def order_key(self) -> float:
        """P(action 0); ``least``/``greatest`` give the lowest/highest probability."""
        return self.probability

    @property
    def strategies(self) -> tuple[np.ndarray, ...]:
        """One probability vector (P(action 0), P(action 1)) per player."""
        mix = np.array([self.probability, 1.0 - self.probability])
        mix.flags.writeable = False
        return (mix,) * self.n_players

    @property
    def payoffs(self) -> np.ndarray:
        """Every player's expected payoff, shape (n_players,) (all equal)."""
        return np.full(self.n_players, self.payoff)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Per player, the actions played with positive probability (the same for all)."""
        own = tuple(a for a, q in enumerate((self.probability, 1 - self.probability)) if q > 0)
        return (own,) * self.n_players


def _split(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bernstein coefficients of the two halves (de Casteljau at t = 1/2)."""
    d = coef.size - 1
    left, right = np.empty(d + 1), np.empty(d + 1)
    work = coef.astype(float, copy=True)
    left[0], right[d] = work[0], work[d]
    for j in range(1, d + 1):
        work = 0.5 * (work[:-1] + work[1:])
        left[j], right[d - j] = work[0], work[-1]
    return left, right


def _evaluate(coef: np.ndarray, t: float) -> float:
    """Value at t in [0, 1] of the Bernstein polynomial (de Casteljau, stable)."""
    work = coef.astype(float, copy=True)
    for _ in range(coef.size - 1):
        work = (1.0 - t) * work[:-1] + t * work[1:]
    return float(work[0])


def _sign_changes(coef: np.ndarray) -> int:
    signs = np.sign(coef)
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def bernstein_roots(coef, *, xtol: float = ROOT_XTOL) -> tuple[list[float], bool]:
    """Roots in (0, 1) of the polynomial with Bernstein coefficients ``coef`` on [0, 1].

    Parameters
    ----------
    coef : array_like
        Bernstein coefficients b_0..b_n of p(t) = Σ b_k·C(n, k)·t^k·(1 − t)^(n−k).
    xtol : float
        Absolute tolerance of each root, relative to the subinterval that isolates it.

    Returns
    -------
    roots : list of float
        Sorted; a root of even multiplicity is reported once when it is found.
    certain : bool
        False when an interval narrower than 2^-60 still showed two or more sign changes
        (a cluster or multiple root); its midpoint is then reported if the value there is
        negligible.

    Examples
    --------
    >>> roots, ok = bernstein_roots([1.0, -1.0, 1.0])  # 1 - 4p + 4p^2 = (1 - 2p)^2
    >>> [round(r, 6) for r in roots], ok
    ([0.5], True)
    """
    coef = np.asarray(coef, dtype=float)
    scale = float(np.abs(coef).max()) if coef.size else 0.0
    if scale == 0.0:
        return [], True
    coef = coef / scale
    roots: list[float] = []
    certain = True
    stack = [(coef, 0.0, 1.0, 0)]
    while stack:
        c, lo, hi, depth = stack.pop()
        changes = _sign_changes(c)
        if changes == 0:
            continue
        if changes == 1 and c[0] != 0.0 and c[-1] != 0.0:
            root = optimize.brentq(lambda t, c=c: _evaluate(c, t), 0.0, 1.0, xtol=xtol)
            roots.append(lo + root * (hi - lo))
            continue
        if depth >= _MAX_DEPTH:
            mid = 0.5 * (lo + hi)
            if abs(_evaluate(c, 0.5)) <= NEAR_ZERO:
                roots.append(mid)
            certain = False
            continue
        left, right = _split(c)
        mid = 0.5 * (lo + hi)
        if left[-1] == 0.0 and 0.0 < mid < 1.0:
            roots.append(mid)
        stack.append((right, mid, hi, depth + 1))
        stack.append((left, lo, mid, depth + 1))
    roots = sorted(set(roots))
    merged: list[float] = []
    for r in roots:
        if not merged or r - merged[-1] > SAME_POLY_ROOT:
            merged.append(r)
    return merged, certain


def solve_symmetric_binary(game: SymmetricBinaryGame, *, tol: float = 1e-9) -> EquilibriumSet:
    """All symmetric Nash equilibria of a :class:`~coordgap.SymmetricBinaryGame`.

    ``tol`` is the certificate's tolerance relative to the range of the payoffs: ``success``
    holds only if every listed equilibrium's regret is within it.

    The list is complete for *symmetric* equilibria (asymmetric ones are not searched; for
    N <= 5 use ``cg.solve(game.to_normal_form())`` to get every equilibrium).

    Parameters
    ----------
    game : SymmetricBinaryGame
        The game.
    tol : float
        Certificate tolerance, relative to the range of the payoffs.

    Returns
    -------
    EquilibriumSet
        Of :class:`SymmetricBinaryEquilibrium`, by increasing probability of action 0;
        ``continuum`` is True (listing p = 0 and p = 1) when every player is indifferent
        everywhere.

    Examples
    --------
    Threshold public good with N = 3, T = 2, benefit 3, cost 1: besides "nobody
    contributes", the symmetric mixed equilibria are p = 1/2 ± sqrt(3)/6.

    >>> import coordgap as cg
    >>> eqs = cg.solve(cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1))
    >>> [round(e.probability, 12) for e in eqs]
    [0.0, 0.211324865405, 0.788675134595]
    >>> eqs.complete, eqs.max_regret < 1e-12
    (True, True)
    """
    gain = game.gain
    n = game.n_players
    if game.is_exact:
        assert game.exact_payoff_0 is not None and game.exact_payoff_1 is not None  # is_exact
        exact_gain = [a - b for a, b in zip(game.exact_payoff_0, game.exact_payoff_1)]
        all_zero = all(v == 0 for v in exact_gain)
        first_sign, last_sign = _sign(exact_gain[0]), _sign(exact_gain[-1])
    else:
        all_zero = not np.any(gain)
        first_sign, last_sign = _sign(gain[0]), _sign(gain[-1])
    if all_zero:
        probabilities, certain, continuum = [0.0, 1.0], True, True
    else:
        interior, certain = bernstein_roots(gain)
        probabilities = (
            ([0.0] if first_sign <= 0 else []) + interior + ([1.0] if last_sign >= 0 else [])
        )
        continuum = False
    records = []
    for p in probabilities:
        regret = regret_symmetric_binary(game.payoff_0, game.payoff_1, p)
        payoff = _expected_payoff(game, p)
        kind = "pure" if p in (0.0, 1.0) else "mixed"
        records.append(
            SymmetricBinaryEquilibrium(
                probability=float(p), payoff=payoff, max_regret=regret, n_players=n, kind=kind
            )
        )
    message = (
        "all symmetric equilibria (Bernstein subdivision of the gain polynomial); "
        "asymmetric equilibria not searched"
    )
    if continuum:
        message = (
            "every player is indifferent at every profile: every p in [0, 1] is an "
            "equilibrium (listed are the ends)"
        )
    if not certain:
        message += "; a root cluster could not be separated at double precision"
        warnings.warn(f"symmetric binary solver: {message}", ConvergenceWarning, stacklevel=4)
    # one player's payoffs: the certificate's tolerance is relative to their range
    scale, floor = payoff_scale(np.concatenate([game.payoff_0, game.payoff_1])[:, None])
    return certified_set(
        records,
        method="bernstein-subdivision",
        complete=bool(certain),
        scale=scale,
        floor=floor,
        tol=tol,
        message=message,
        ok=bool(certain),
        stacklevel=4,
        continuum=continuum,
        n_equilibria=len(records),
        details={"symmetric_only": True},
        game=game,
    )


def _sign(v: Any) -> int:
    return int(v > 0) - int(v < 0)


def _expected_payoff(game: SymmetricBinaryGame, p: float) -> float:
    from scipy import stats

    weights = stats.binom.pmf(np.arange(game.n_players), game.n_players - 1, p)
    return float(p * (weights @ game.payoff_0) + (1 - p) * (weights @ game.payoff_1))


#: The options each method accepts.
METHOD_OPTIONS = {"auto": ("tol",), "bernstein": ("tol",)}


def solve_game(game: SymmetricBinaryGame, *, method: str = "auto", **options) -> EquilibriumSet:
    """The ``cg.solve`` entry point for a :class:`~coordgap.SymmetricBinaryGame`.

    Parameters
    ----------
    game : SymmetricBinaryGame
        The game.
    method : str
        ``"auto"`` or ``"bernstein"`` (the same method: roots of the gain polynomial in the
        Bernstein basis).
    **options
        ``tol``, passed to :func:`solve_symmetric_binary`.

    Returns
    -------
    EquilibriumSet
        The symmetric equilibria, each with its certified max regret.
    """
    methods = tuple(METHOD_OPTIONS)
    if method not in methods:
        raise InvalidParameterError(
            "solve",
            "method",
            "one of " + ", ".join(map(repr, methods)),
            method,
            did_you_mean(str(method), methods),
        )
    return solve_symmetric_binary(game, **options)
