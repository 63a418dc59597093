"""Equilibria of normal-form games: the record type and the ``cg.solve`` entry point.

The algorithms live in their own modules: :mod:`~coordgap.solvers.two_player` (all extreme
equilibria of bimatrix games by vertex enumeration of the best-response polytopes),
:mod:`~coordgap.solvers.n_player` (pure equilibria of any game; every equilibrium of games
where each player has two actions) and :mod:`~coordgap.solvers.binary_symmetric` (symmetric
equilibria of symmetric binary-action games with up to thousands of players).
Every record's ``max_regret`` comes from :mod:`~coordgap.solvers.certify`, which shares no
code with these solvers.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..api import solve
from ..errors import InvalidParameterError, did_you_mean
from ..games.normal_form import NormalFormGame
from ..results import EquilibriumSet, Result, to_plain
from .certify import exact_certificate_normal_form, regrets_normal_form

__all__ = ["NormalFormEquilibrium", "make_equilibrium", "METHODS"]

#: Methods accepted by ``cg.solve(game, method=...)`` for a :class:`NormalFormGame`.
METHODS = ("auto", "vertex", "exact", "float", "pure", "support-polynomial")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class NormalFormEquilibrium(Result):
    """One Nash equilibrium of a :class:`~coordgap.NormalFormGame`.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player (floats).
    payoffs : ndarray
        Each player's expected payoff.
    max_regret : float
        Largest gain any player gets from a pure deviation, computed by
        :mod:`coordgap.solvers.certify`. When ``exact`` is True it was computed in exact
        rational arithmetic and is exactly 0.
    support : tuple of tuple of int
        Actions each player uses with positive probability.
    exact : bool
        Whether ``exact_strategies`` hold the equilibrium exactly and the regret was checked
        in exact arithmetic.
    exact_strategies : tuple of tuple of Fraction or None
        The strategies as fractions (exact path only).
    kind : str
        ``"pure"`` or ``"mixed"``.
    """

    strategies: tuple
    payoffs: np.ndarray
    max_regret: float
    support: tuple
    exact: bool = False
    exact_strategies: tuple | None = None
    kind: str = "mixed"

    @property
    def order_key(self) -> float:
        """Total payoff (utilitarian welfare); orders ``EquilibriumSet.least/greatest``."""
        return float(np.sum(self.payoffs))

    @property
    def is_pure(self) -> bool:
        return self.kind == "pure"

    def to_dict(self) -> dict[str, Any]:
        out = {name: to_plain(value) for name, value in self._fields()
               if name != "exact_strategies"}
        if self.exact_strategies is not None:
            out["exact_strategies"] = [[str(v) for v in s] for s in self.exact_strategies]
        else:
            out["exact_strategies"] = None
        return out

    def summary(self) -> dict[str, Any]:
        row = {f"p{i}": np.array2string(np.asarray(s), precision=6, separator=", ")
               for i, s in enumerate(self.strategies)}
        row.update({f"u{i}": float(u) for i, u in enumerate(self.payoffs)})
        row.update(max_regret=float(self.max_regret), exact=self.exact, kind=self.kind)
        return row


def make_equilibrium(game: NormalFormGame, strategies, *, exact: bool = False,
                     support_tol: float = 0.0) -> NormalFormEquilibrium:
    """Build a certified record from a profile (Fractions when ``exact``, else floats).

    With ``exact=True`` the game must have exact payoffs and ``strategies`` must hold
    Fractions; payoffs and regrets are then computed exactly.
    """
    if exact:
        fr = tuple(tuple(Fraction(v) for v in s) for s in strategies)
        payoffs, regrets = exact_certificate_normal_form(game.exact_payoffs, fr)
        floats = tuple(np.array([float(v) for v in s]) for s in fr)
        support = tuple(tuple(k for k, v in enumerate(s) if v > 0) for s in fr)
        record_payoffs = np.array([float(u) for u in payoffs])
        regret = float(max(regrets))
    else:
        fr = None
        floats = tuple(np.clip(np.asarray(s, dtype=float), 0.0, None) for s in strategies)
        floats = tuple(s / s.sum() for s in floats)
        support = tuple(tuple(int(k) for k in np.flatnonzero(s > support_tol)) for s in floats)
        regret = float(regrets_normal_form(game.payoffs, floats).max())
        record_payoffs = _expected(game.payoffs, floats)
    for s in floats:
        s.flags.writeable = False
    record_payoffs.flags.writeable = False
    kind = "pure" if all(len(s) == 1 for s in support) else "mixed"
    return NormalFormEquilibrium(strategies=floats, payoffs=record_payoffs, max_regret=regret,
                                 support=support, exact=exact, exact_strategies=fr, kind=kind)


def _expected(payoffs: np.ndarray, strategies) -> np.ndarray:
    if len(strategies) == 2:  # bimatrix: x·A·y and x·B·y
        x, y = strategies
        return np.array([x @ payoffs[..., 0] @ y, x @ payoffs[..., 1] @ y], dtype=float)
    if payoffs.size <= 4096 and len(strategies) < 26:  # one einsum beats a tensordot chain
        letters = "abcdefghijklmnopqrstuvwxy"[:len(strategies)]
        return np.einsum(f"{letters}z,{','.join(letters)}->z", payoffs, *strategies)
    out = payoffs
    for p in reversed(strategies):
        out = np.tensordot(out, p, axes=([out.ndim - 2], [0]))
    return np.asarray(out, dtype=float)


def _check_method(method: str, allowed) -> None:
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidParameterError("solve", "method", "one of " + ", ".join(map(repr, METHODS)),
                                    method, did_you_mean(str(method), METHODS))
    if method not in allowed:
        raise InvalidParameterError("solve", "method", "one of " + ", ".join(map(repr, allowed))
                                    + " for this game", method,
                                    did_you_mean(method, allowed))


@solve.register
def _(game: NormalFormGame, *, method: str = "auto", **options) -> EquilibriumSet:
    """Equilibria of a normal-form game.

    ``method``: ``"auto"`` (default) picks ``"vertex"`` for two players (exact arithmetic when
    the payoffs are exact or integer-valued, else floats with a tolerance), ``"support-polynomial"`` for games
    where every player has two actions and N <= 5, and ``"pure"`` otherwise. ``"exact"``
    forces exact vertex enumeration (floats are taken at their exact binary values),
    ``"float"`` forces the floating-point one.
    """
    from . import n_player, two_player

    if game.n_players == 2:
        _check_method(method, ("auto", "vertex", "exact", "float", "pure"))
        if method == "pure":
            return n_player.solve_pure(game, **options)
        arithmetic = {"auto": "auto", "vertex": "auto", "exact": "exact", "float": "float"}[method]
        return two_player.solve_two_player(game, arithmetic=arithmetic, **options)
    binary = all(n == 2 for n in game.shape)
    allowed = ("auto", "pure", "support-polynomial") if binary else ("auto", "pure")
    _check_method(method, allowed)
    if method == "support-polynomial" or (method == "auto" and binary and game.n_players <= 5):
        return n_player.solve_binary_actions(game, **options)
    return n_player.solve_pure(game, **options)
