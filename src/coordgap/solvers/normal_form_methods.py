"""Which method solves which normal-form game: the entry point behind ``cg.solve``.

Two players go to vertex enumeration (:mod:`~coordgap.solvers.two_player`); games where
every player has two actions and N <= 5 to the support polynomials of
:mod:`~coordgap.solvers.n_player`; anything else to pure-profile enumeration.
"""

from __future__ import annotations

from ..errors import InvalidParameterError, did_you_mean
from ..games.normal_form import NormalFormGame
from ..results import EquilibriumSet
from . import n_player, two_player
from .normal_form import METHODS

__all__ = ["solve_normal_form", "METHOD_OPTIONS"]

#: The options each method accepts (``arithmetic`` is set by ``method``, not by the caller).
METHOD_OPTIONS = {
    "auto": ("limit", "tol", "max_bases", "algebra", "engine"),
    "vertex": ("limit", "tol", "max_bases"),
    "exact": ("limit", "tol", "max_bases"),
    "float": ("limit", "tol", "max_bases"),
    "pure": ("limit", "tol"),
    "support-polynomial": ("limit", "algebra", "engine"),
}


def _check_method(method: str, allowed) -> None:
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidParameterError(
            "solve",
            "method",
            "one of " + ", ".join(map(repr, METHODS)),
            method,
            did_you_mean(str(method), METHODS),
        )
    if method not in allowed:
        raise InvalidParameterError(
            "solve",
            "method",
            "one of " + ", ".join(map(repr, allowed)) + " for this game",
            method,
            did_you_mean(method, allowed),
        )


def solve_normal_form(game: NormalFormGame, *, method: str = "auto", **options) -> EquilibriumSet:
    """Equilibria of a normal-form game.

    ``method``: ``"auto"`` (default) picks ``"vertex"`` for two players (exact arithmetic when
    the payoffs are exact, integer-valued or a scaled integer game, else floats with a
    tolerance relative to each player's payoff range), ``"support-polynomial"`` for games
    where every player has two actions and N <= 5, and ``"pure"`` otherwise. ``"exact"``
    forces exact vertex enumeration (floats are taken at their exact binary values),
    ``"float"`` forces the floating-point one. Options: ``limit`` (every method), ``tol``
    (``vertex``/``exact``/``float``: tie tolerance; ``pure``: relative payoff tolerance),
    ``max_bases`` (vertex enumeration), ``algebra`` and ``engine`` (``support-polynomial``).

    Parameters
    ----------
    game : NormalFormGame
        The game.
    method : str
        One of :data:`~coordgap.solvers.normal_form.METHODS`.
    **options
        The options of the chosen method (:data:`METHOD_OPTIONS`).

    Returns
    -------
    EquilibriumSet
        Of :class:`~coordgap.solvers.normal_form.NormalFormEquilibrium` records, each with its
        independently computed max regret.

    Examples
    --------
    >>> import numpy as np
    >>> from coordgap import NormalFormGame
    >>> pennies = NormalFormGame(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    >>> [e.strategies[0].tolist() for e in solve_normal_form(pennies)]
    [[0.5, 0.5]]
    """
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
