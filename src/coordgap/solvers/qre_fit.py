"""Maximum-likelihood estimation of the logit QRE precision λ from observed choice counts.

Given a normal-form game and, for each player, the number of times each action was chosen
(pooled over independent plays), the log-likelihood of λ is

    ℓ(λ) = Σ_i Σ_a n_i(a)·log p_i(a; λ),

where p(λ) is the logit QRE at λ on the **principal branch** (the branch connected to the
uniform profile at λ = 0), computed by :func:`coordgap.qre`: for a 2×2 game with a unique QRE
at λ the exact scalar method, otherwise arclength continuation. No multinomial constant is
added (so ℓ matches the values reported by McKelvey & Palfrey 1995 and by Gambit's
``logit_estimate``). The estimate λ̂ maximizes ℓ on [0, λ_max] (coarse grid, bounded Brent
refinement, then the root of a five-point finite-difference score, since ℓ is flat at its
maximum); a maximum at λ = 0 (uniform play fits best) is reported as exactly 0, and one on
λ_max sets ``success=False``. Inference:

- standard error from the observed information, se = [−ℓ''(λ̂)]^(−1/2), with ℓ'' by central
  differences;
- profile-likelihood interval {λ : 2[ℓ(λ̂) − ℓ(λ)] ≤ χ²_1(level)} (one parameter, so the
  profile is ℓ itself), its ends found by Brent's method; an end is 0 or +inf when the
  likelihood does not fall far enough within [0, λ_max];
- goodness of fit: the likelihood-ratio statistic 2[ℓ_sat − ℓ(λ̂)] against the saturated model
  (each player's own multinomial, ℓ_sat = Σ n log(n/N_i)), with Σ_i (m_i − 1) − 1 degrees of
  freedom, referred to χ².

Payoffs can be rescaled per player (``payoff_scale``) before fitting, so the transformed games of
McKelvey & Palfrey (1995), whose payoffs are in expected dollars per player, can be entered as
published.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10, 6–38 (Section 5, estimation on Ochs's data).
Ochs, J. (1995). Games with unique, mixed strategy equilibria: an experimental study. *Games and
Economic Behavior* 10, 202–217.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..results import Result
from .qre import qre

__all__ = ["fit_logit_qre", "QREFit"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class QREFit(Result):
    """A maximum-likelihood fit of the logit QRE precision.

    Attributes
    ----------
    lam : float
        λ̂, the maximum-likelihood estimate.
    log_likelihood : float
        ℓ(λ̂) = Σ n·log p (no multinomial constant).
    std_error : float
        [−ℓ''(λ̂)]^(−1/2) (NaN if the curvature is not negative, e.g. λ̂ on a bound).
    interval : tuple of float
        Profile-likelihood interval at ``level``.
    level : float
        Confidence level of ``interval``.
    profile : tuple of ndarray
        The fitted QRE, one probability vector per player.
    saturated_log_likelihood : float
        ℓ_sat = Σ n·log(n/N_i).
    lr_statistic : float
        2(ℓ_sat − ℓ(λ̂)), the goodness-of-fit statistic.
    df : int
        Σ_i (m_i − 1) − 1.
    p_value : float
        P(χ²_df ≥ lr_statistic) (NaN when df = 0).
    n_observations : float
        Total number of choices.
    payoff_scale : tuple of float
        The per-player payoff multipliers applied before fitting.
    method : str
        ``"logit-qre-mle"``.
    success : bool
        False if λ̂ sits on the upper bound λ_max or a QRE could not be computed.
    message : str
        What happened.

    Examples
    --------
    >>> import coordgap as cg
    >>> fit = cg.fit_logit_qre(cg.classics.mp95_transformed_game(), cg.classics.OCHS_A4_COUNTS)
    >>> fit.df, round(fit.std_error, 3), [round(x, 3) for x in fit.interval]
    (1, 0.771, [0.411, 4.056])
    """

    lam: float
    log_likelihood: float
    std_error: float
    interval: tuple
    level: float
    profile: tuple
    saturated_log_likelihood: float
    lr_statistic: float
    df: int
    p_value: float
    n_observations: float
    payoff_scale: tuple
    method: str = "logit-qre-mle"
    success: bool = True
    message: str = ""


def _scaled(game: NormalFormGame, scale) -> tuple[NormalFormGame, tuple[float, ...]]:
    if scale is None:
        return game, (1.0,) * game.n_players
    factors = np.asarray(scale, dtype=float)
    if factors.shape != (game.n_players,) or not np.all(np.isfinite(factors) & (factors > 0)):
        raise InvalidParameterError(
            "fit_logit_qre",
            "payoff_scale",
            f"{game.n_players} finite floats > 0 (one per player)",
            scale,
        )
    scaled = NormalFormGame(
        game.payoffs * factors, players=game.players, actions=game.actions, title=game.title
    )
    return scaled, tuple(float(f) for f in factors)


def _counts(game: NormalFormGame, counts) -> list[np.ndarray]:
    rule = "one sequence of non-negative finite counts per player, one count per action"
    try:
        arrays = [np.asarray(c, dtype=float) for c in counts]
    except (TypeError, ValueError):
        raise InvalidParameterError("fit_logit_qre", "counts", rule, counts) from None
    if len(arrays) != game.n_players or any(
        a.shape != (n,) or not np.all(np.isfinite(a) & (a >= 0)) or a.sum() <= 0
        for a, n in zip(arrays, game.shape, strict=False)
    ):
        raise InvalidParameterError("fit_logit_qre", "counts", rule, counts)
    return arrays


def _principal_profile(game: NormalFormGame, lam: float) -> list[np.ndarray] | None:
    """The principal-branch QRE at λ, or None when it cannot be computed."""
    if game.shape == (2, 2):
        found = qre(game, lam, method="all")
        if len(found) == 1:
            return list(found[0].strategies)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = qre(game, lam, method="branch")
    if not found.success or len(found) == 0:
        return None
    return list(found[0].strategies)


def _polish(loglik, lam_hat: float, ll_hat: float, lam_max: float) -> tuple[float, float]:
    h = 1e-3 * max(1.0, lam_hat)

    def slope(x):
        # five-point stencil: truncation O(h⁴), rounding O(ε·|ℓ|/h)
        return (-loglik(x + 2 * h) + 8 * loglik(x + h) - 8 * loglik(x - h) + loglik(x - 2 * h)) / (
            12.0 * h
        )

    width = 1e-4 * max(1.0, lam_hat)
    a, b = lam_hat - width, lam_hat + width
    if a - 2 * h <= 0 or b + 2 * h >= lam_max:
        return lam_hat, ll_hat
    sa, sb = slope(a), slope(b)
    if not (sa > 0 > sb):
        return lam_hat, ll_hat
    root = optimize.brentq(slope, a, b, xtol=1e-14, rtol=1e-15)
    ll_root = loglik(root)
    return (root, ll_root) if ll_root >= ll_hat - 1e-9 else (lam_hat, ll_hat)


def fit_logit_qre(
    game: NormalFormGame,
    counts,
    *,
    payoff_scale=None,
    lam_max: float | None = None,
    level: float = 0.95,
) -> QREFit:
    """Maximum-likelihood logit QRE precision λ̂ from observed choice counts.

    Parameters
    ----------
    game : NormalFormGame
        The game as played (payoffs as published; see ``payoff_scale``).
    counts : sequence of array_like
        counts[i][a]: how often player (role) i chose action a. Need not be integers (pooled
        frequencies times a sample size are accepted, as in published tables).
    payoff_scale : sequence of float, optional
        One positive multiplier per player applied to that player's payoffs before fitting.
    lam_max : float, optional
        Upper end of the search; default 50 divided by the largest payoff range of a player.
    level : float
        Confidence level of the profile-likelihood interval, in (0, 1).

    Returns
    -------
    QREFit
        λ̂, ℓ(λ̂), standard error, profile interval, fitted profile and the goodness-of-fit test.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a NormalFormGame, ``counts`` do not match its actions, or a scale,
        ``lam_max`` or ``level`` is out of range.

    Examples
    --------
    McKelvey & Palfrey's (1995) fit to Ochs's asymmetric matching pennies (a = 4 block), as
    reproduced in Gambit's QRE tutorial:

    >>> import coordgap as cg
    >>> fit = cg.fit_logit_qre(cg.classics.mp95_transformed_game(), cg.classics.OCHS_A4_COUNTS)
    >>> round(fit.lam, 4), round(fit.log_likelihood, 4)
    (1.8456, -174.7645)
    """
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError(
            "fit_logit_qre", "game", "a NormalFormGame", type(game).__name__
        )
    if isinstance(level, bool) or not (0 < level < 1):
        raise InvalidParameterError("fit_logit_qre", "level", "a float in (0, 1)", level)
    game, scale = _scaled(game, payoff_scale)
    data = _counts(game, counts)
    spread = max(float(np.ptp(game.payoffs[..., i])) for i in range(game.n_players)) or 1.0
    if lam_max is None:
        lam_max = 50.0 / spread
    if isinstance(lam_max, bool) or not math.isfinite(lam_max) or lam_max <= 0:
        raise InvalidParameterError("fit_logit_qre", "lam_max", "a finite float > 0", lam_max)

    def loglik(lam: float) -> float:
        probs = _principal_profile(game, float(lam))
        if probs is None:
            return -math.inf
        total = 0.0
        for n, p in zip(data, probs, strict=True):
            with np.errstate(divide="ignore"):
                total += float(np.sum(np.where(n > 0, n * np.log(p), 0.0)))
        return total

    grid = np.concatenate([[0.0], np.geomspace(lam_max * 1e-4, lam_max, 48)])
    values = np.array([loglik(x) for x in grid])
    best = int(np.argmax(values))
    lo = grid[max(best - 1, 0)]
    hi = grid[min(best + 1, grid.size - 1)]
    res = optimize.minimize_scalar(
        lambda x: -loglik(x), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
    )
    lam_hat, ll_hat = float(res.x), -float(res.fun)
    if values[best] > ll_hat:
        lam_hat, ll_hat = float(grid[best]), float(values[best])
    # Polish: the likelihood is flat at its maximum, so locate the root of its central-
    # difference derivative instead (λ to ~1e-9 rather than ~sqrt(machine epsilon)).
    lam_hat, ll_hat = _polish(loglik, lam_hat, ll_hat, lam_max)
    if values[0] >= ll_hat - 1e-12 * abs(ll_hat):  # maximum at λ = 0 (to rounding)
        lam_hat, ll_hat = 0.0, float(values[0])

    h = 1e-3 * max(1.0, lam_hat)
    if lam_hat - h > 0 and lam_hat + h < lam_max:
        second = (loglik(lam_hat + h) - 2.0 * ll_hat + loglik(lam_hat - h)) / h**2
        std_error = 1.0 / math.sqrt(-second) if second < 0 else math.nan
    else:
        std_error = math.nan

    target = ll_hat - 0.5 * float(stats.chi2.ppf(level, 1))
    lower = (
        0.0
        if loglik(0.0) >= target
        else optimize.brentq(lambda x: loglik(x) - target, 0.0, lam_hat, xtol=1e-12)
    )
    upper = math.inf
    step = max(lam_hat, 0.1 / spread)
    a = lam_hat
    while a < lam_max:
        b = min(a + step, lam_max)
        if loglik(b) < target:
            upper = optimize.brentq(lambda x: loglik(x) - target, a, b, xtol=1e-12)
            break
        a, step = b, 2.0 * step

    with np.errstate(divide="ignore", invalid="ignore"):
        sat = sum(float(np.sum(np.where(n > 0, n * np.log(n / n.sum()), 0.0))) for n in data)
    lr = max(2.0 * (sat - ll_hat), 0.0)
    df = sum(len(n) - 1 for n in data) - 1
    p_value = float(stats.chi2.sf(lr, df)) if df > 0 else math.nan
    profile = _principal_profile(game, lam_hat)
    on_bound = lam_hat >= lam_max * (1 - 1e-9)
    ok = profile is not None and not on_bound
    message = (
        "maximum on the upper bound lam_max: raise lam_max"
        if on_bound
        else ("converged" if ok else "QRE not computable at the estimate")
    )
    return QREFit(
        lam=lam_hat,
        log_likelihood=ll_hat,
        std_error=std_error,
        interval=(float(lower), float(upper)),
        level=float(level),
        profile=tuple(profile) if profile is not None else (),
        saturated_log_likelihood=sat,
        lr_statistic=lr,
        df=df,
        p_value=p_value,
        n_observations=float(sum(n.sum() for n in data)),
        payoff_scale=scale,
        success=ok,
        message=message,
    )
