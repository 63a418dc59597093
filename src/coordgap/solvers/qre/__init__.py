"""Logit quantal response equilibria (McKelvey & Palfrey 1995).

A logit QRE at precision λ ≥ 0 is a mixed profile p with

    p_i(a) = exp(λ·u_i(a, p_−i)) / Σ_b exp(λ·u_i(b, p_−i))

for every player i, with the raw payoffs u (no normalization). λ = 0 gives the uniform profile;
as λ → ∞ the QRE approach Nash equilibria.

Two algorithms:

``"all"`` (2x2 games; symmetric games with two actions per player)
    The fixed point reduces to one scalar equation g(x) = x − φ(x) = 0 in a log-odds x ∈ ℝ,
    with φ bounded by M = λ·max|payoff difference|, so every root lies in [−M, M]. The
    equation is scanned on a grid that is uniform in x, uniform in probability, and dense
    around every point where φ has a steep step (the mixing points of the inner response);
    each sign change is refined by Brent's method and each local extremum of g that comes
    close to zero is checked for a tangency (double) root. For a 2x2 game this lists every
    QRE; for an N-player symmetric game every *symmetric* QRE (asymmetric ones, which exist in
    some games at large λ, are not searched, and ``complete`` is False).
``"branch"`` (any game)
    The principal branch (the one connected to the uniform profile at λ = 0) is followed by
    pseudo-arclength predictor–corrector continuation in (log p, λ), so it can go round folds,
    with the step control of Allgower and Georg (1990) (as in Gambit). Turning points (λ
    reverses) are recorded; a bifurcation point — where the Jacobian loses rank and other
    branches cross the principal one — is detected by a sign change of the augmented
    Jacobian's determinant (odd multiplicity) or by a sampled dip of its absolute value that
    may reach zero (even multiplicity), confirmed by locating a singular point, and the
    solver then stops with :class:`QREBifurcationWarning` instead of returning a point that
    may lie on another branch. If the branch folds back so that it meets λ several times, all
    those points are returned with :class:`QREBranchWarning`. The branch is followed to
    ``follow``·λ, or, for two players, only until it is proved not to come back to λ (near a
    strict pure equilibrium, by a contraction argument). Two-player games use matrix products
    for the equations.

Every returned record carries its certificate: ``residual`` = max |p − logit(λ·u(p))| and
the Nash ``max_regret`` of the profile (with its expected payoffs). They are computed by
:mod:`coordgap.solvers.certify` from the full payoff array (or, for a symmetric game given by
its payoff vectors, by direct binomial summation), with action values and logit responses of
its own: the certificate shares no numerical routine with the solver, whose action values
(``values``), scalar scan and branch equations are separate code.

The package is split by role: ``records`` (:class:`LogitQRE`, the warnings and the
certificate attached to each record), ``values`` (the solver's own action values
u_i(a, p_−i) and their cross-derivatives), ``scan`` (the ``"all"`` method: the scalar scan for
2x2 games and symmetric QRE), ``equations`` (the branch equations H(w, λ) = 0 and their
Jacobians) and ``continuation`` (the ``"branch"`` method: the path-following engine). This
module holds the entry point :func:`qre`.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10, 6–38.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51, 243–263.
Allgower, E. L. and Georg, K. (1990). *Numerical Continuation Methods*. Springer.
"""

from __future__ import annotations

import numpy as np

from ...errors import InvalidParameterError, did_you_mean
from ...games.normal_form import NormalFormGame
from ...results import EquilibriumSet

# The private names re-exported here (noqa: F401) are reached through this package by the
# replicator dynamics (the solver's action values) and by the tests.
from .continuation import _frame, _principal_branch, _trace_branch  # noqa: F401
from .equations import _BimatrixBranch, _Branch, _make_branch  # noqa: F401
from .records import (
    LogitQRE,
    QREBifurcationWarning,
    QREBranchWarning,
    _check_lam,
    _record,
    logit_residual,
)
from .scan import _qre_2x2, _symmetric_set, qre_symmetric, symmetric_binary_table
from .values import _action_values, _cross_values  # noqa: F401

__all__ = [
    "qre",
    "qre_symmetric",
    "LogitQRE",
    "QREBifurcationWarning",
    "QREBranchWarning",
    "logit_residual",
    "symmetric_binary_table",
]

_METHODS = ("auto", "all", "branch")


# -- public entry point ----------------------------------------------------------------------
def qre(
    game: NormalFormGame,
    lam: float,
    *,
    method: str = "auto",
    tol: float = 1e-11,
    max_steps: int = 20_000,
    follow: float = 2.0,
) -> EquilibriumSet:
    """Logit quantal response equilibria of a normal-form game at precision ``lam``.

    Parameters
    ----------
    game : NormalFormGame or symmetric binary game
        A normal-form game, or any object with ``payoff_0`` and ``payoff_1`` vectors (payoff
        of action 0/1 when k of the N − 1 others take action 0), e.g.
        ``cg.SymmetricBinaryGame``; the latter is never expanded, so N can be large.
    lam : float
        Precision λ ≥ 0; P(a) ∝ exp(λ·u(a)) with the raw payoffs.
    method : {"auto", "all", "branch"}
        ``"all"``: every QRE of a 2x2 game, or every symmetric QRE of a symmetric game with two
        actions per player. ``"branch"``: the principal branch by arclength continuation.
        ``"auto"`` uses ``"all"`` where it applies, else ``"branch"``.
    tol : float
        Residual tolerance of the points returned by ``"branch"`` (each crossing of λ found
        by the continuation is polished to it by Newton's method at fixed λ).
    max_steps : int
        Step budget of the continuation.
    follow : float
        The branch is followed up to λ·follow (at least λ + 1), so that folds that bring it
        back to λ are seen; for two players it stops earlier where it provably cannot come
        back.

    Returns
    -------
    EquilibriumSet
        Of :class:`LogitQRE` records, each with its ``residual`` certificate. ``complete`` is
        True only for the 2x2 ``"all"`` path. On a bifurcation before λ the set is empty,
        ``success`` is False, ``status`` is 2 and ``details["bifurcation_lam"]`` says where.

    Raises
    ------
    InvalidParameterError
        If ``lam`` is negative, NaN or infinite, or ``method`` is unknown or does not apply.

    Warns
    -----
    QREBifurcationWarning
        The principal branch bifurcates before λ.
    QREBranchWarning
        The principal branch folds back and meets λ more than once.

    Examples
    --------
    McKelvey and Palfrey's (1995) asymmetric matching pennies (row player's payoff 9 when
    both play "left") has one QRE at every λ; the row player over-plays "left":

    >>> import numpy as np, coordgap as cg
    >>> A = np.array([[9, 0], [0, 1]]); B = np.array([[0, 1], [1, 0]])
    >>> res = cg.qre(cg.NormalFormGame.from_bimatrix(A, B), 2.0)
    >>> len(res), res.complete, res[0].residual < 1e-12
    (1, True, True)
    >>> [round(float(p[0]), 4) for p in res[0].strategies]
    [0.8608, 0.1911]
    """
    lam = _check_lam(lam)
    if method not in _METHODS:
        raise InvalidParameterError(
            "qre",
            "method",
            "one of " + ", ".join(map(repr, _METHODS)),
            method,
            did_you_mean(str(method), _METHODS),
        )
    if (
        not isinstance(game, NormalFormGame)
        and hasattr(game, "payoff_0")
        and hasattr(game, "payoff_1")
    ):
        # A symmetric binary-action game given by its two payoff vectors (never expanded).
        if method == "branch":
            raise InvalidParameterError(
                "qre", "method", "'all' or 'auto' for a symmetric binary-action game", method
            )
        return _symmetric_set(
            np.vstack(
                [np.asarray(game.payoff_0, dtype=float), np.asarray(game.payoff_1, dtype=float)]
            ),
            lam,
            game,
        )
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError(
            "qre",
            "game",
            "a NormalFormGame or a symmetric binary game (payoff_0, payoff_1)",
            type(game).__name__,
        )
    is_2x2 = game.shape == (2, 2)
    table = symmetric_binary_table(game) if (not is_2x2 and game.n_players <= 12) else None
    if method == "all" and not is_2x2 and table is None:
        raise InvalidParameterError(
            "qre",
            "method",
            "'branch' or 'auto' for a game that is neither 2x2 nor symmetric with two actions",
            method,
        )
    if method == "branch" or (method == "auto" and not is_2x2 and table is None):
        return _principal_branch(game, lam, tol, max_steps, follow)
    if is_2x2:
        found = _qre_2x2(game, lam)
        return EquilibriumSet(
            equilibria=tuple(found),
            method="logit-2x2-all",
            complete=True,
            n_equilibria=len(found),
            message=f"all {len(found)} QRE",
            game=game,
        )
    found = []
    for p, _ in qre_symmetric(table, lam):
        probs = [np.array([p, 1.0 - p])] * game.n_players
        found.append(_record(game, probs, lam, "all"))
    return EquilibriumSet(
        equilibria=tuple(found),
        method="logit-symmetric-all",
        complete=False,
        message=f"all {len(found)} symmetric QRE (asymmetric QRE not searched)",
        details={"complete_symmetric": True},
        game=game,
    )
