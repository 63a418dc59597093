"""The façade: ``solve``, ``optimum`` and ``gap`` dispatch on the game's type to a solver."""

from __future__ import annotations

from functools import singledispatch

from .errors import InvalidParameterError, did_you_mean
from .games.preparedness import PreparednessGame
from .results import EquilibriumSet, SocialOptimum

__all__ = ["solve", "optimum"]


@singledispatch
def solve(game, **options) -> EquilibriumSet:
    """Every Nash equilibrium of ``game`` the structure allows, each with its max regret.

    Dispatches on the game's type: the preparedness game goes to the aggregative solver
    (:func:`coordgap.solvers.aggregative.solve_preparedness`); other game families register
    their own solver with ``solve.register``.

    Parameters
    ----------
    game
        A coordgap game.
    **options
        Solver options, e.g. ``limit`` or ``method``.

    Returns
    -------
    EquilibriumSet
        With ``complete=True`` when the method proves that the list is all equilibria.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0,
    ...                         efficacy=0.5, cost_exponent=2.0)
    >>> eq = cg.solve(g)
    >>> eq.complete, len(eq), eq[0].max_regret < 1e-9
    (True, 1, True)
    """
    raise InvalidParameterError("solve", "game", "a coordgap game (e.g. PreparednessGame)",
                                type(game).__name__)


@solve.register
def _(game: PreparednessGame, *, method: str = "auto", **options) -> EquilibriumSet:
    from .solvers.aggregative import solve_preparedness

    methods = ("auto", "aggregative")
    if method not in methods:
        raise InvalidParameterError("solve", "method", "one of " + ", ".join(map(repr, methods)),
                                    method, did_you_mean(method, methods))
    return solve_preparedness(game, **options)


@singledispatch
def optimum(game) -> SocialOptimum:
    """The social optimum of ``game`` (the planner internalizes the whole benefit).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=0.1, cost=1.0, prob=1.0, harm=100.0, efficacy=1.0,
    ...                         n_actors=3)
    >>> round(cg.optimum(g).robustness, 6)  # ln(pHκ·w/c)/κ = ln(100)
    4.60517
    """
    raise InvalidParameterError("optimum", "game", "a coordgap game with a social optimum",
                                type(game).__name__)


@optimum.register
def _(game: PreparednessGame) -> SocialOptimum:
    from .solvers.aggregative import optimum_preparedness

    return optimum_preparedness(game)
