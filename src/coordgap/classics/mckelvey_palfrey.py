"""McKelvey & Palfrey (1995): logit quantal response equilibrium in asymmetric matching pennies.

McKelvey and Palfrey illustrate the logit QRE with the asymmetric matching-pennies games of
Ochs (1995): the row player earns ``a`` (a = 1, 4 or 9 in the experiments) when both play the
first action and 1 when both play the second; the column player earns 1 on a mismatch. The
unique Nash equilibrium has the row player mix 50–50 whatever ``a`` is, and the column player
play the first action with probability 1/(1 + a). The logit QRE instead predicts that the row
player plays the first action *more* than half the time, increasingly so in ``a`` — the "own
payoff effect" observed in the data — and converges to the Nash equilibrium as λ → ∞.

McKelvey and Palfrey fit the model to Ochs's data after transforming each player's payoffs
into expected money; :func:`mp95_transformed_game` gives the a = 4 game in that form and
``OCHS_A4_COUNTS`` the matching choice counts, and :func:`coordgap.fit_logit_qre` reproduces
the published fit.

This module builds the games as :class:`~coordgap.NormalFormGame` and computes the QRE with
the general solver :func:`coordgap.qre`.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10, 6–38 (Section 5, the Ochs games; Fig. 2, the logit
equilibrium correspondence). Ochs, J. (1995). Games with unique, mixed strategy equilibria: an
experimental study. *Games and Economic Behavior* 10, 202–217. The Gambit Project, tutorial
"Quantal response equilibria" (pygambit documentation, ``doc/tutorials/05_quantal_response``):
the transformed a = 4 game, the counts 128 × (0.527, 0.473) and 128 × (0.366, 0.634), and the
fit λ̂ = 1.8456097537, ℓ = −174.7645319.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..solvers.qre import qre

__all__ = [
    "asymmetric_matching_pennies",
    "logit_correspondence",
    "mp95_transformed_game",
    "OCHS_A4_COUNTS",
]

#: Choice counts in Ochs's a = 4 game as fitted by McKelvey & Palfrey (1995): 128 choices per
#: role, the row player choosing "left" with frequency 0.527 and the column player with 0.366
#: (the block reproduced in Gambit's QRE tutorial). Frequencies × 128, hence not integers.
OCHS_A4_COUNTS: tuple[tuple[float, float], tuple[float, float]] = (
    (128 * 0.527, 128 * (1 - 0.527)),
    (128 * 0.366, 128 * (1 - 0.366)),
)


def asymmetric_matching_pennies(a: float = 9.0) -> NormalFormGame:
    """The Ochs (1995) game: row payoffs [[a, 0], [0, 1]], column payoffs [[0, 1], [1, 0]].

    Parameters
    ----------
    a : float
        Row player's payoff when both play left (> 0; the experiments used 4 and 9).

    Returns
    -------
    NormalFormGame
        Players ``"row"`` and ``"column"``, actions ``"left"`` and ``"right"``.

    Raises
    ------
    InvalidParameterError
        If ``a`` is not a finite float > 0.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.asymmetric_matching_pennies(9)
    >>> res = cg.qre(g, 3.0)
    >>> p, q = res[0].strategies
    >>> bool(p[0] > 0.5), bool(q[0] < 0.5)
    (True, True)
    """
    if isinstance(a, bool) or not isinstance(a, (int, float)) or not math.isfinite(a) or a <= 0:
        raise InvalidParameterError("asymmetric_matching_pennies", "a", "a finite float > 0", a)
    row = np.array([[a, 0], [0, 1]])
    col = np.array([[0, 1], [1, 0]])
    return NormalFormGame.from_bimatrix(
        row, col, players=("row", "column"), actions=(("left", "right"), ("left", "right"))
    )


def mp95_transformed_game() -> NormalFormGame:
    """Ochs's a = 4 game with payoffs transformed as in McKelvey & Palfrey (1995).

    Row payoffs [[1.1141, 0], [0, 0.2785]], column payoffs [[0, 1.1141], [1.1141, 0]]: each
    player's payoffs rescaled to expected money (the entries as published and as entered in
    Gambit's QRE tutorial). Equivalently :func:`asymmetric_matching_pennies` with a = 4 and
    per-player scales ≈ (0.2785, 1.1141) (see ``payoff_scale`` of
    :func:`coordgap.fit_logit_qre`), up to the rounding of the published entries.

    Returns
    -------
    NormalFormGame
        Players ``"row"`` and ``"column"``, actions ``"left"`` and ``"right"``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.mp95_transformed_game()
    >>> float(g.payoffs[0, 0, 0]), float(g.payoffs[1, 1, 0])
    (1.1141, 0.2785)
    """
    row = np.array([[1.1141, 0.0], [0.0, 0.2785]])
    col = np.array([[0.0, 1.1141], [1.1141, 0.0]])
    return NormalFormGame.from_bimatrix(
        row,
        col,
        players=("row", "column"),
        actions=(("left", "right"), ("left", "right")),
        title="Ochs (1995) a = 4, transformed as in McKelvey & Palfrey (1995)",
    )


def logit_correspondence(game: NormalFormGame, lams) -> np.ndarray:
    """Every QRE of a 2x2 game along a grid of λ: rows (λ, P(row first), P(column first)).

    Uses :func:`coordgap.qre` (all QRE at each λ), so every branch of the correspondence is
    listed, not only the principal one.

    Parameters
    ----------
    game : NormalFormGame
        A 2x2 game.
    lams : float or array_like
        Precisions λ ≥ 0 of the logit response.

    Returns
    -------
    ndarray
        Shape (K, 3), one row per QRE found: λ, the probability of the row player's first
        action and of the column player's first action.
    """
    rows = []
    for lam in np.atleast_1d(np.asarray(lams, dtype=float)):
        for e in qre(game, float(lam), method="all"):
            rows.append((lam, e.strategies[0][0], e.strategies[1][0]))
    return np.array(rows)
