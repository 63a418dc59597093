"""Bayesian equilibria in cutoff strategies of participation with private costs, certified.

A class-symmetric equilibrium is a vector of join probabilities p ∈ [0, 1]^R with
p_r = F_r(T_r(p)) (:mod:`coordgap.games.bayesian_participation`). Working with join
probabilities rather than cutoffs makes the search space compact: every cutoff strategy is
outcome-equivalent to one p, so a grid on [0, 1] covers every strategy.

One class (symmetric equilibria), method ``"interval"``
    With R = 1, D(p) and π(p) are polynomials in Bernstein form whose coefficients are the
    marginal values and binding indicators at m = 0..n − 1 other filers, so on any cell
    [a, b] their ranges — and those of their derivatives — are enclosed by the extreme
    Bernstein coefficients of the polynomial restricted to the cell (de Casteljau
    subdivision). These enclose φ(p) = F(T(p)) − p and φ'(p) = f(T)·T'(p) − 1 on the cell
    (F, the lognormal cdf, is monotone and its density unimodal); for σ = 0 the equilibrium
    condition is the gain of the atom type, itself a Bernstein polynomial. Starting from a
    uniform grid of 512 cells, each cell is either shown to hold no root (the enclosure of φ
    excludes 0), or shown to hold exactly one (φ is monotone there, the root is found by
    ``brentq``), or bisected. When every cell is decided the list is **complete**: it is
    every symmetric equilibrium, up to floating-point rounding (enclosures are widened by a
    relative margin). A cell still undecided after 40 bisections (a tangency — a double
    root — never is) leaves the list incomplete, and says so.
Several classes, method ``"multistart"``
    Best-response iteration p ← F(T(p)) from "nobody" and "everybody" and from points on the
    diagonal (and every corner of [0, 1]^R for R ≤ 4), each followed by a Newton-type
    polish (``scipy.optimize.root``) — which also finds unstable equilibria the iteration
    cannot. Every fixed point found is listed, but the list is **not** claimed complete.

Every listed equilibrium carries the certificate
:meth:`~coordgap.BayesianParticipationGame.regrets` (a separate computation of the expected
gains), judged by the shared verdict (:mod:`~coordgap.solvers.verdict`) against each class's
payoff scale s_r·p·H + I_r + β + c_r.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..games.bayesian_participation import (
    BayesianParticipationEquilibrium,
    BayesianParticipationGame,
)
from ..results import EquilibriumSet
from .verdict import DEFAULT_TOL, ROUNDING, certified_set

if TYPE_CHECKING:
    from scipy import optimize, special
else:  # loaded on first use (start-up time)
    from .._lazy import lazy_module

    optimize = lazy_module("scipy.optimize")
    special = lazy_module("scipy.special")

__all__ = ["solve_bayesian_participation", "symmetric_roots", "METHOD_OPTIONS"]

#: The options each method accepts.
METHOD_OPTIONS: dict[str, tuple[str, ...]] = {
    "auto": ("tol",),
    "interval": ("tol",),
    "multistart": ("tol",),
}

_CELLS = 512
_MAX_DEPTH = 40
_MAX_CELLS = 200_000
_MARGIN = 1e-12


# -- Bernstein enclosures ----------------------------------------------------------------------
def _split(coef: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """de Casteljau at t: Bernstein coefficients on [0, t] and [t, 1] (batched, shape (K, d+1))."""
    left, right = [coef[:, 0]], [coef[:, -1]]
    cur = coef
    for _ in range(coef.shape[1] - 1):
        cur = (1.0 - t)[:, None] * cur[:, :-1] + t[:, None] * cur[:, 1:]
        left.append(cur[:, 0])
        right.append(cur[:, -1])
    return np.stack(left, axis=1), np.stack(right[::-1], axis=1)


def _range(coef: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An enclosure [lo, hi] of the Bernstein polynomial ``coef`` on each cell [a, b]."""
    full = np.broadcast_to(coef, (a.size, coef.size))
    on_b, _ = _split(np.array(full), b)
    t = np.where(b > 0, a / np.where(b > 0, b, 1.0), 0.0)
    _, cell = _split(on_b, t)
    pad = _MARGIN * (np.max(np.abs(coef)) + 1e-300)
    return cell.min(axis=1) - pad, cell.max(axis=1) + pad


def _derivative(coef: np.ndarray) -> np.ndarray:
    d = coef.size - 1
    return d * np.diff(coef) if d > 0 else np.zeros(1)


def _imul(a_lo, a_hi, b_lo, b_hi):
    products = np.stack([a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi])
    with np.errstate(invalid="ignore"):
        return np.nanmin(products, axis=0), np.nanmax(products, axis=0)


# -- one class: every symmetric equilibrium ------------------------------------------------------
def _coefficients(game: BayesianParticipationGame) -> tuple[np.ndarray, np.ndarray]:
    """Bernstein coefficients (m = 0..n − 1 others) of A = D + (1 − π)β and of π."""
    n = game.n_actors
    m = np.arange(n)
    binds = (m + 1 >= game.refund_threshold).astype(float)
    a = game.share[0] * np.diff(game.value_table) + (1.0 - binds) * game.refund_bonus
    return a, binds


def symmetric_roots(game: BayesianParticipationGame) -> tuple[np.ndarray, bool, str]:
    """Every symmetric equilibrium's join probability of a one-class game, with proof.

    Parameters
    ----------
    game : BayesianParticipationGame
        A game with one class.

    Returns
    -------
    roots : ndarray
        The equilibrium join probabilities p, ascending.
    complete : bool
        Whether every cell of [0, 1] was decided (the list is every symmetric equilibrium).
    note : str
        What was proven, or which cells were left undecided.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.BayesianParticipationGame(share=0.2, cost_median=1.0, cost_sigma=0.3, count=4,
    ...                                  harm=20.0, critical_mass="step", threshold=3)
    >>> roots, complete, _ = symmetric_roots(g)
    >>> np.round(roots, 4).tolist(), complete
    ([0.0, 0.3428, 0.8422], True)
    """
    a_coef, pi_coef = _coefficients(game)
    inc = float(game.incentive[0])
    sigma, med = float(game.cost_sigma[0]), float(game.cost_median[0])
    atom = sigma == 0.0
    if atom:  # the gain of the atom type k̃, a polynomial
        coef = a_coef + pi_coef * (inc - med)
        dcoef = _derivative(coef)

        def value(p):
            return game.expected_gain(med, np.asarray(p)[..., None])[..., 0]

        def enclose(lo, hi):
            v = _range(coef, lo, hi)
            return v, _range(dcoef, lo, hi)

        if np.all(np.abs(coef) <= _MARGIN * (np.max(np.abs(a_coef)) + abs(inc - med) + 1.0)):
            return np.array([0.0, 1.0]), False, "every join probability is an equilibrium"
    else:
        da, dpi = _derivative(a_coef), _derivative(pi_coef)
        log_med = math.log(med)
        mode = med * math.exp(-(sigma**2))

        def cdf(t):
            with np.errstate(divide="ignore"):
                z = (np.log(np.maximum(t, 1e-300)) - log_med) / sigma
            return np.where(t > 0, special.ndtr(z), 0.0)

        def pdf(t):
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                z = (np.log(np.maximum(t, 1e-300)) - log_med) / sigma
                f = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * sigma * t)
            return np.where((t > 0) & np.isfinite(t), f, 0.0)

        def value(p):
            t = game.best_cutoffs(np.asarray(p)[..., None])[..., 0]
            return game.cost_cdf(t[..., None])[..., 0] - p

        def enclose(lo, hi):
            a_lo, a_hi = _range(a_coef, lo, hi)
            p_lo, p_hi = _range(pi_coef, lo, hi)
            p_lo, p_hi = np.clip(p_lo, 0.0, 1.0), np.clip(p_hi, 0.0, 1.0)
            positive = p_lo > 0
            safe_lo = np.where(positive, p_lo, 1.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                t_lo = np.where(
                    a_lo >= 0,
                    inc + a_lo / np.maximum(p_hi, 1e-300),
                    np.where(positive, inc + a_lo / safe_lo, -np.inf),
                )
                t_hi = np.where(positive, inc + np.maximum(a_hi / safe_lo, a_hi / p_hi), np.inf)
            v = (cdf(t_lo) - hi, cdf(t_hi) - lo)
            # φ' = f(T)·T' − 1, T' = (A'π − Aπ')/π²
            da_lo, da_hi = _range(da, lo, hi)
            dp_lo, dp_hi = _range(dpi, lo, hi)
            n1 = _imul(da_lo, da_hi, p_lo, p_hi)
            n2 = _imul(a_lo, a_hi, dp_lo, dp_hi)
            num_lo, num_hi = n1[0] - n2[1], n1[1] - n2[0]
            inv2 = (
                1.0 / np.where(positive, p_lo, 1.0) ** 2,
                1.0 / np.where(positive, p_hi, 1.0) ** 2,
            )
            d_lo, d_hi = _imul(num_lo, num_hi, inv2[1], inv2[0])
            f_a, f_b = pdf(t_lo), pdf(t_hi)
            inside = (t_lo <= mode) & (mode <= t_hi)
            f_hi = np.where(inside, pdf(np.array(mode)), np.maximum(f_a, f_b))
            f_lo = np.minimum(f_a, f_b)
            g_lo, g_hi = _imul(f_lo, f_hi, d_lo, d_hi)
            dv = (np.where(positive, g_lo - 1.0, -np.inf), np.where(positive, g_hi - 1.0, np.inf))
            return v, dv

    def brent(lo, hi):
        return float(optimize.brentq(lambda x: float(value(np.array(x))), lo, hi, xtol=1e-15))

    roots: list[float] = []
    undecided = 0
    edges = np.linspace(0.0, 1.0, _CELLS + 1)
    vals = value(edges)
    lo, hi, v_lo, v_hi = edges[:-1], edges[1:], vals[:-1], vals[1:]
    depth, processed = 0, 0
    while lo.size:
        processed += lo.size
        (e_lo, e_hi), (d_lo, d_hi) = enclose(lo, hi)
        no_root = (e_lo > 0) | (e_hi < 0)
        monotone = ~no_root & ((d_lo > 0) | (d_hi < 0))
        for k in np.flatnonzero(monotone):
            if v_lo[k] == 0.0:
                roots.append(float(lo[k]))
            elif v_hi[k] == 0.0:
                roots.append(float(hi[k]))
            elif v_lo[k] * v_hi[k] < 0:
                roots.append(brent(lo[k], hi[k]))
        split = ~(no_root | monotone)
        depth += 1
        if depth > _MAX_DEPTH or processed > _MAX_CELLS:
            for k in np.flatnonzero(split):  # report what is there, unproven
                undecided += 1
                if v_lo[k] * v_hi[k] < 0:
                    roots.append(brent(lo[k], hi[k]))
                else:
                    ends = [(abs(v_lo[k]), lo[k]), (abs(v_hi[k]), hi[k])]
                    gap, at = min(ends)
                    if gap <= 1e-10:
                        roots.append(float(at))
            break
        lo, hi, v_lo, v_hi = lo[split], hi[split], v_lo[split], v_hi[split]
        mid = 0.5 * (lo + hi)
        v_mid = value(mid) if mid.size else mid
        lo, hi = np.concatenate([lo, mid]), np.concatenate([mid, hi])
        v_lo, v_hi = np.concatenate([v_lo, v_mid]), np.concatenate([v_mid, v_hi])
    if atom:  # the corners: nobody or everybody at the atom
        g0, g1 = float(value(np.array(0.0))), float(value(np.array(1.0)))
        roots = [r for r in roots if 0.0 < r < 1.0]
        roots += ([0.0] if g0 <= 0 else []) + ([1.0] if g1 >= 0 else [])
    out = np.unique(np.round(np.array(roots, dtype=float), 13))
    if out.size > 1:  # roots found twice on a shared cell edge
        out = out[np.concatenate([[True], np.diff(out) > 1e-11])]
    complete = undecided == 0
    note = (
        f"every cell of [0, 1] decided by interval enclosures ({processed} cells)"
        if complete
        else f"{undecided} cells of [0, 1] left undecided after {_MAX_DEPTH} bisections"
    )
    return out, complete, note


# -- several classes ----------------------------------------------------------------------------
def _multistart(game: BayesianParticipationGame) -> np.ndarray:
    """Fixed points of p ↦ F(T(p)) from many starts (iteration, then a Newton-type polish)."""
    r = game.n_classes

    def response(p):
        t = game.best_cutoffs(np.clip(p, 0.0, 1.0))
        return game.cost_cdf(t)

    def residual(p):
        return np.asarray(p, dtype=float) - response(p)

    starts = [np.zeros(r), np.ones(r)] + [np.full(r, t) for t in np.linspace(0.1, 0.9, 5)]
    if r <= 4:
        starts += [np.array(c, dtype=float) for c in np.ndindex(*(2,) * r)]
    found: list[np.ndarray] = []

    def keep(p):
        p = np.clip(p, 0.0, 1.0)
        if np.max(np.abs(residual(p))) <= 1e-10 and not any(
            np.max(np.abs(p - q)) < 1e-7 for q in found
        ):
            found.append(p)

    for start in starts:
        p = response(start)
        for _ in range(60):
            nxt = response(p)
            step = float(np.max(np.abs(nxt - p)))
            p = nxt
            if step < 1e-13:
                break
        for x0 in (p, start):
            try:
                sol = optimize.root(residual, x0, method="hybr", options={"xtol": 1e-14})
            except (ValueError, FloatingPointError):  # pragma: no cover - defensive
                continue
            keep(sol.x)
        keep(p)
    return np.array(found).reshape(-1, r)


# -- the solver ----------------------------------------------------------------------------------
def _record(game: BayesianParticipationGame, p: np.ndarray, kind: str):
    p = np.asarray(p, dtype=float)
    # With σ > 0 the cutoff is the best response T(p) (F⁻¹(p) at a fixed point, but better
    # conditioned, and right when F(T) underflows to 0); with σ = 0 it is the atom or below.
    atom = np.where(p > 0, game.cost_median, 0.0)
    cutoffs = np.where(game.cost_sigma > 0, game.best_cutoffs(p), atom)
    facts = game.outcome(cutoffs, p)
    regrets = game.regrets(cutoffs, p)
    for arr in (cutoffs, regrets, facts["join_prob"], facts["filers_pmf"]):
        arr.flags.writeable = False
    return BayesianParticipationEquilibrium(
        cutoffs=cutoffs,
        regrets=regrets,
        max_regret=float(regrets.max(initial=0.0)),
        kind=kind,
        **facts,
    )


def solve_bayesian_participation(
    game: BayesianParticipationGame, *, method: str = "auto", tol: float = DEFAULT_TOL
) -> EquilibriumSet:
    """Every class-symmetric Bayesian equilibrium in cutoff strategies the method finds.

    Parameters
    ----------
    game : BayesianParticipationGame
        The game.
    method : {"auto", "interval", "multistart"}
        ``"interval"`` (one class only: every symmetric equilibrium, with proof),
        ``"multistart"`` (any number of classes; not claimed complete); ``"auto"`` picks
        ``"interval"`` for one class.
    tol : float
        Relative tolerance of the certificate.

    Returns
    -------
    EquilibriumSet
        Of :class:`~coordgap.games.bayesian_participation.BayesianParticipationEquilibrium`
        records, ascending in expected participation; ``complete`` as proven by the method.

    Raises
    ------
    InvalidParameterError
        For ``method="interval"`` on a game with several classes.
    """
    from ..errors import InvalidParameterError

    if method == "auto":
        method = "interval" if game.n_classes == 1 else "multistart"
    if method == "interval":
        if game.n_classes != 1:
            raise InvalidParameterError(
                "solve",
                "method",
                "'multistart' or 'auto' for a game with several classes ('interval' needs one)",
                method,
            )
        roots, complete, note = symmetric_roots(game)
        points = roots[:, None]
        message = f"{roots.size} symmetric equilibri{'um' if roots.size == 1 else 'a'}; {note}"
    else:
        points = _multistart(game)
        complete = False
        message = (
            f"{len(points)} class-symmetric equilibri{'um' if len(points) == 1 else 'a'} found "
            "from many starts; with several classes the list is not proven complete"
        )
    records = [_record(game, p, "") for p in points]
    records.sort(key=lambda e: e.expected_participation)
    if complete and records:
        kinds = (
            ["unique"]
            if len(records) == 1
            else ["least"] + [""] * (len(records) - 2) + ["greatest"]
        )
        records = [_record(game, e.join_prob, k) for e, k in zip(records, kinds, strict=True)]
    cut = np.array([e.cutoffs for e in records]).reshape(-1, game.n_classes)
    finite = np.where(np.isfinite(cut), np.abs(cut), 0.0)
    scale = (
        game.share * game.prob * game.harm
        + game.incentive
        + game.refund_bonus
        + game.cost_median
        + finite.max(axis=0, initial=0.0)
    )
    return certified_set(
        records,
        method=f"bayesian-{method}",
        complete=complete,
        scale=scale,
        tol=tol,
        floor=ROUNDING * scale,
        message=message,
        stacklevel=3,
        game=game,
    )
