"""Result records and warnings of the logit-QRE solver, and the certificate each record carries.

:class:`LogitQRE` is one quantal response equilibrium. :func:`_record` makes it from a
profile found by the solver, with the profile's expected payoffs, Nash ``max_regret`` and
logit ``residual`` computed by :func:`coordgap.solvers.certify.logit_certificate_normal_form`
— by the certificate's own contraction of the full payoff array and its own logit response,
not by the solver's action values (:mod:`coordgap.solvers.qre.values`), so a fault in the
solver's payoff algebra cannot hide in its own certificate. :func:`logit_residual` is that
certificate for any profile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import CoordgapWarning, InvalidParameterError
from ...games.normal_form import NormalFormGame
from ...results import Result
from ..certify import logit_certificate_normal_form


class QREBifurcationWarning(CoordgapWarning):
    """The principal logit-QRE branch bifurcates before the requested λ: it is not unique there."""


class QREBranchWarning(CoordgapWarning):
    """The principal branch folds back and meets the requested λ more than once."""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LogitQRE(Result):
    """One logit quantal response equilibrium.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player.
    lam : float
        Precision λ.
    payoffs : ndarray
        Each player's expected payoff (from the certificate).
    residual : float
        Fixed-point certificate max |p − logit(λ·u(p))| over players and actions, computed by
        :mod:`coordgap.solvers.certify` (no code shared with the solver).
    max_regret : float
        Nash regret of the profile (tends to 0 as λ → ∞ along a branch that converges), from
        the same certificate.
    branch : str
        ``"principal"`` for a point on the principal branch, ``"all"`` for a root of the
        reduced equation.
    success, status, message
        As in SciPy; ``status`` 0 is success.
    """

    strategies: tuple
    lam: float
    payoffs: np.ndarray
    residual: float
    max_regret: float
    branch: str = "all"
    success: bool = True
    status: int = 0
    message: str = ""

    @property
    def order_key(self) -> float:
        """Total expected payoff (orders QRE from worst to best for ``least``/``greatest``)."""
        return float(np.sum(self.payoffs))


def logit_residual(game: NormalFormGame, strategies, lam: float) -> float:
    """Certificate of a logit QRE: max |p − logit(λ·u(p))| over players and actions.

    Computed from the full payoff array by :mod:`coordgap.solvers.certify`, which shares no
    numerical routine with the QRE solver.

    Parameters
    ----------
    game : NormalFormGame
        The game.
    strategies : sequence of array_like
        One probability vector per player.
    lam : float
        Precision λ.

    Returns
    -------
    float
        The residual; 0 at a logit QRE.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> g = cg.NormalFormGame.from_bimatrix(np.eye(2), np.eye(2))
    >>> logit_residual(g, [np.array([0.5, 0.5])] * 2, 1.0)
    0.0
    """
    return logit_certificate_normal_form(game.payoffs, strategies, lam)[2]


def _record(game: NormalFormGame, strategies, lam: float, branch: str) -> LogitQRE:
    """The record of a profile found by the solver, with its certificate."""
    probs = tuple(np.asarray(p, dtype=float) for p in strategies)
    payoffs, regret, residual = logit_certificate_normal_form(game.payoffs, probs, lam)
    return LogitQRE(
        strategies=probs,
        lam=float(lam),
        payoffs=payoffs,
        residual=residual,
        max_regret=regret,
        branch=branch,
    )


def _check_lam(lam, owner: str = "qre") -> float:
    """λ as a float, or InvalidParameterError unless it is a finite number ≥ 0."""
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)):
        raise InvalidParameterError(owner, "lam", "a finite float >= 0", lam)
    value = float(lam)
    if not math.isfinite(value) or value < 0:
        raise InvalidParameterError(owner, "lam", "a finite float >= 0", value)
    return value
