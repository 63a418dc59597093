"""Equilibria and social optimum of the preparedness game (M1) from its aggregative structure.

The game is aggregative: each actor's payoff depends on its own investment and on robustness R.
That turns the N-dimensional fixed point into one monotone equation in the aggregate.

``sum``/``ces`` with γ > 1
    Given the aggregate A = R − R0, actor i's best response is
    x_i = (s_i w_i B'(R) A^(1−ρ) / c_i)^(1/(γ−ρ)) (ρ = 1 for ``sum``). Substituting into the
    aggregator gives, with u = ln A,  h(u) = (γ−1)u + κe^u − K = 0, where
    K = ((γ−ρ)/ρ)·ln C + ln(pHκ) − κR0 and C = Σ w_i (s_i w_i / c_i)^(ρ/(γ−ρ)). h is strictly
    increasing, so the root is unique; C costs one O(N) pass and each root-finding step O(1).
    Each x_i is then computed in logs, from B'(R) when γ − ρ >= 1 and from the shares of A
    (x_i ∝ (s_i w_i/c_i)^(1/(γ−ρ)), scaled so that the aggregate is A) when γ − ρ < 1, where
    dividing by γ − ρ would amplify rounding.
``sum`` with γ = 1
    Bergstrom–Blume–Varian (1986): R* = max(R0, ln(pHκ·max_i s_i w_i/c_i)/κ); only actors with
    the highest s_i w_i/c_i may invest, and any split of R* − R0 among them is an equilibrium.
``ces`` with γ = 1
    Degree-one homogeneity pins R*: Σ w_i (s_i w_i B'(R*)/c_i)^(ρ/(1−ρ)) = 1.
``weakest_link``
    Varian (2004): every common effective level m ∈ [0, min_i ê_i] is an equilibrium, ê_i being
    actor i's stand-alone optimum; the set is a segment reported by its two ends.
``best_shot``
    One actor j provides its stand-alone optimum ê_j; it is an equilibrium iff no actor with a
    larger stand-alone optimum prefers to overtake it (ê_j >= τ_i for all i with ê_i > ê_j).

Why the ``ces`` list is complete. A = (Σ w_j x_j^ρ)^(1/ρ) is concave, nondecreasing and
homogeneous of degree one for every ρ <= 1, so each actor's payoff is concave in its own
investment and a profile where every x_i > 0 satisfies the first-order conditions is an
equilibrium — and there is exactly one (the root above). Profiles with some x_i = 0 are
equilibria only when all are zero: with ρ > 0, ∂A/∂x_i is infinite at x_i = 0 when anyone else
invests, so that actor would start; with ρ < 0 (and two or more actors) one absent actor makes
A = 0 whatever the others do, so every investing actor would stop, and then nobody invests.
All-zero is an equilibrium when ρ < 0, or when γ = 1 and no lone actor gains from starting.

Investments below the double range. The unnormalized CES aggregate makes A = n^(1/ρ)·x for n
equal inputs, so near ρ = 0 the interior equilibrium can need investments like e^(−1000) (with
ρ → 0+ the aggregate explodes; with ρ → 0− it vanishes). Those are computed in logs; when some
fall below 1e-300 the whole profile is scaled up by one factor (same ratios) so that every x_i
is representable, the scaling is reported in ``details["lifted"]``, and the scaled profile is
certified like any other: success then says it is an equilibrium to the certificate's tolerance.

Every reported equilibrium is certified (``certify="bound"``, the default; see
:mod:`coordgap.solvers.certify`) and ``success`` is the certificate's verdict
(:mod:`coordgap.solvers.verdict`): each actor's regret must be at most 1e-9 of its stake
s_i·p·H, plus rounding.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import (
    CertificateWarning,
    ConvergenceWarning,
    DegenerateGameWarning,
    InvalidParameterError,
)
from ..games.preparedness import interior_aggregate, linear_sum_robustness, power_cost
from ..results import EquilibriumSet, PreparednessEquilibrium, SocialOptimum
from ..tolerances import ROOT_XTOL, TIE_RTOL
from .certify import regret_bounds, regrets_continuous, welfare_gap_bound
from .verdict import DEFAULT_TOL, ROUNDING, certified

__all__ = [
    "solve_preparedness",
    "optimum_preparedness",
    "standalone_effective",
    "solve_game",
    "METHOD_OPTIONS",
]

#: The options each method accepts (one method: aggregative best responses).
METHOD_OPTIONS = {"auto": ("limit", "certify"), "aggregative": ("limit", "certify")}

_TIE_RTOL = TIE_RTOL
_LOG_FLOOR = math.log(1e-300)  # lift CES profiles with investments below this
_CERTIFY = (True, False, "bound", "grid")


def standalone_effective(game, share, effective_cost, *, log_cost=None) -> np.ndarray:
    """Effective investment e = w·x that maximizes s·B(R0 + e) − c'·e^γ/γ (vectorized).

    Closed form through the Wright omega function ω (ω + ln ω = z): with
    L = ln(s·p·H·κ/c') − κR0, e = (γ−1)/κ · ω(ln(κ/(γ−1)) + L/(γ−1)) for γ > 1 and
    e = max(0, L/κ) for γ = 1. Two Newton steps on (γ−1)·ln e + κe = L polish it: for huge γ
    the optimum sits within 1/γ of 1 and the product (γ−1)/κ·ω loses that precision.

    Parameters
    ----------
    game : PreparednessGame
    share : float or array_like
    effective_cost : float or array_like
        c' (ignored when ``log_cost`` is given).
    log_cost : array_like, optional
        ln c', for effective costs c/w^γ that overflow (huge γ).

    Returns
    -------
    ndarray
        The optimal effective investment e ≥ 0, of the broadcast shape of ``share`` and the
        cost.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=1.0, cost=1.0, prob=1.0, harm=10.0, efficacy=1.0,
    ...                         cost_exponent=1e150, n_actors=1)
    >>> float(standalone_effective(g, 1.0, 1.0))
    1.0
    """
    share = np.asarray(share, dtype=float)
    if log_cost is None:
        log_cost = np.log(np.asarray(effective_cost, dtype=float))
    log_cost = np.asarray(log_cost, dtype=float)
    kappa, gamma = game.efficacy, game.cost_exponent
    scale = game.scale * kappa
    if scale <= 0:
        return np.zeros(np.broadcast(share, log_cost).shape)
    # Sums of logs, not the log of a product: tiny costs must not overflow the ratio.
    big_l = np.log(share) + math.log(scale) - log_cost - kappa * game.baseline
    if gamma == 1.0:
        return np.maximum(big_l / kappa, 0.0)
    g1 = gamma - 1.0
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        e = interior_aggregate(big_l, kappa, gamma)
        v = np.log(e)
        for _ in range(2):
            ev = np.exp(v)
            step = (g1 * v + kappa * ev - big_l) / (g1 + kappa * ev)
            v = np.where(np.isfinite(step), v - step, v)
        polished = np.exp(v)
    return np.where((e > 0) & np.isfinite(polished), polished, np.maximum(e, 0.0))


def _root_log_aggregate(kappa: float, gamma: float, k_const: float) -> tuple[float, bool]:
    """Solve (γ−1)u + κe^u = K for u (strictly increasing left side) by a bracketed root find."""

    def h(u: float) -> float:
        return (gamma - 1.0) * u + kappa * math.exp(min(u, 700.0)) - k_const

    def slope(u: float) -> float:
        return (gamma - 1.0) + kappa * math.exp(min(u, 700.0))

    lo, hi = -1.0, 1.0
    while h(lo) > 0:
        lo = 2.0 * lo - 1.0
    while h(hi) < 0:
        hi = 2.0 * hi + 1.0
    # h is increasing and convex: Newton from the right end stays right of the root and
    # converges monotonically; a step that leaves the bracket is replaced by bisection.
    u = hi
    rtol = 4 * np.finfo(float).eps
    for _ in range(200):
        value = h(u)
        if value == 0.0:
            return u, True
        if value > 0:
            hi = u
        else:
            lo = u
        new = u - value / slope(u)
        if not lo <= new <= hi:
            new = 0.5 * (lo + hi)
        if abs(new - u) <= ROOT_XTOL + rtol * abs(new) or hi - lo <= ROOT_XTOL + rtol * abs(u):
            return new, True
        u = new
    return u, False


def _interior_profile(game, share, cost) -> tuple[np.ndarray | None, bool, dict]:
    """The interior fixed point for ``sum``/``ces`` (None if it does not exist).

    Returns the profile, whether the root find converged, and facts for ``details``
    (``lifted`` when the profile was scaled up into the double range).
    """
    kappa, gamma = game.efficacy, game.cost_exponent
    rho = 1.0 if game.aggregator == "sum" else game.ces_rho
    scale = game.scale * kappa
    if scale <= 0:
        return np.zeros(game.n_actors), True, {}
    log_w = np.log(game.weight)
    log_sw_c = _log_ratio(share, game.weight, cost, log_w)
    # q_i = (s_i w_i/c_i)^(1/(γ−ρ)) relative to the largest: ln q_i = M/(γ−ρ) + d_i with
    # d_i <= 0. The huge common term M/(γ−ρ) (γ − ρ near 0) cancels from every formula below.
    top = float(np.max(log_sw_c))
    if gamma > 1.0:
        d = log_sw_c - top
        d *= 1.0 / (gamma - rho)
        spread = _logsumexp(log_w + rho * d)  # ln C = ρM/(γ−ρ) + spread
        k_const = top + (gamma - rho) / rho * spread + math.log(scale) - kappa * game.baseline
        u, converged = _root_log_aggregate(kappa, gamma, k_const)
        if gamma - rho >= 1.0:  # through B'(R): the division by γ − ρ shrinks rounding
            log_mb = math.log(scale) - kappa * (game.baseline + math.exp(min(u, 700.0)))
            common = (top + log_mb + (1.0 - rho) * u) / (gamma - rho)
        else:  # through the shares of A: x_i ∝ q_i, scaled so that the aggregate is A = e^u
            common = u - spread / rho
        x, info = _representable(game, common, d, u)
        return x, converged, info
    # γ = 1 with ρ < 1 (the sum case is handled by the BBV branch).
    d = (log_sw_c - top) / (1.0 - rho)
    spread = _logsumexp(log_w + rho * d)
    r_star = (math.log(scale) + top + (1.0 - rho) / rho * spread) / kappa
    if r_star <= game.baseline:
        return None, True, {}
    log_a = math.log(r_star - game.baseline)
    x, info = _representable(game, log_a - spread / rho, d, log_a)
    return x, True, info


def _log_ratio(share, weight, cost, log_w) -> np.ndarray:
    """ln(s_i w_i / c_i): one log of the ratio when it is safely in range, else a sum of logs
    (tiny costs must not overflow the ratio, tiny shares not underflow it)."""
    ratio = share * weight
    ratio /= cost
    if ratio.size and float(ratio.min()) > 1e-300 and float(ratio.max()) < 1e300:
        return np.log(ratio, out=ratio)
    return np.log(share) + log_w - np.log(cost)


def _logsumexp(v: np.ndarray) -> float:
    """ln Σ exp(v), shifted by the maximum (one pass for the max, one for the sum)."""
    top = float(np.max(v))
    if not math.isfinite(top):
        return top
    return top + math.log(float(np.exp(v - top).sum()))


def _representable(game, common: float, d: np.ndarray, log_aggregate: float):
    """x = exp(common + d), scaled up by one factor when CES investments fall below 1e-300.

    ``common`` is the part of ln x_i shared by every actor (it can be huge when ρ is near 0)
    and ``d`` the rest, so the scaling never adds and subtracts that huge term. It applies only
    where a zero would change the aggregate: with ρ < 0 one zero makes A = 0, and with small
    ρ > 0 even the smallest double y has y^ρ far from 0 (y^ρ > 1e-16 when ρ < 0.05).
    Elsewhere an investment that underflows to 0 is 0 to double precision, and the scaling is
    skipped when it would push the largest investment out of range.
    """
    low = common + float(np.min(d)) if game.aggregator == "ces" else 0.0
    if low >= _LOG_FLOOR or not math.isfinite(low) or game.ces_rho >= 0.05:
        d += common
        return np.exp(d, out=d), {}
    spread = float(np.max(d) - np.min(d))
    info = {
        "lifted": {
            "log_shift": _LOG_FLOOR - low,
            "smallest_log_investment": low,
            "log_aggregate": log_aggregate,
        }
    }
    if _LOG_FLOOR + spread > 700.0:
        info = {
            "unrepresentable": {
                "smallest_log_investment": low,
                "largest_log_investment": common + float(np.max(d)),
                "log_aggregate": log_aggregate,
            }
        }
        d += common
        return np.exp(d, out=d), info
    return np.exp(_LOG_FLOOR + (d - float(np.min(d)))), info


def _certify_mode(certify):
    if isinstance(certify, (bool, np.bool_)):
        return "bound" if certify else None
    if certify in ("bound", "grid"):
        return certify
    raise InvalidParameterError("solve", "certify", "True, False, 'bound' or 'grid'", certify)


def _stakes(game) -> np.ndarray:
    """s_i·p·H: actor i's stake, the payoff scale its regret is measured against."""
    return game.share * game.scale


def _regrets(game, x, mode, target=0.0) -> np.ndarray:
    if mode == "grid":
        return regrets_continuous(game, x)
    return regret_bounds(game, x, target=target)


def _record(game, x: np.ndarray, kind: str, mode) -> PreparednessEquilibrium:
    x = np.asarray(x, dtype=float)
    x.flags.writeable = False
    r = float(game.aggregate(x))
    costs = game.costs(x)
    benefit = float(game.benefit(r))
    payoffs = game.share * benefit - game.cost_share * costs  # subsidies are transfers
    payoffs.flags.writeable = False
    if mode is None:
        regret = math.nan
    else:
        target = (DEFAULT_TOL + ROUNDING) * _stakes(game)
        regrets = _regrets(game, x, mode, target)
        regret = float(regrets.max()) if regrets.size else 0.0
    return PreparednessEquilibrium(
        investment=x,
        robustness=r,
        residual_harm=float(game.residual_harm(r)),
        welfare=benefit - float(costs.sum()),
        payoffs=payoffs,
        max_regret=regret,
        kind=kind,
    )


class _ActorRegrets:
    """An equilibrium's per-actor regrets, computed only when the verdict asks for them."""

    __slots__ = ("game", "mode", "record")

    def __init__(self, record, game, mode):
        self.record, self.game, self.mode = record, game, mode

    @property
    def max_regret(self) -> float:
        return self.record.max_regret

    @property
    def regrets(self) -> np.ndarray:
        target = (DEFAULT_TOL + ROUNDING) * _stakes(self.game)
        return _regrets(self.game, self.record.investment, self.mode, target)


def _linear_sum_candidates(game, share) -> tuple[float, np.ndarray]:
    """BBV: the equilibrium aggregate and the mask of actors who may provide it."""
    with np.errstate(over="ignore"):  # an infinite ratio is caught by the magnitude rule
        ratio = share * game.weight / game.private_cost
    top = float(ratio.max())
    r_star = float(
        linear_sum_robustness(game.scale * game.efficacy, top, game.efficacy, game.baseline)
    )
    may_invest = ratio >= top * (1.0 - _TIE_RTOL)
    return r_star, may_invest


def _finish(
    game,
    records,
    *,
    method,
    complete,
    mode,
    continuum=False,
    n_total=None,
    details=None,
    converged=True,
    message="",
):
    """The result: ``success`` and ``complete`` only when every listed equilibrium is certified."""
    details = dict(details or {})
    details["certificate"] = mode
    if not converged:
        message = (message + " " if message else "") + "root finding did not converge."
        warnings.warn(f"{method}: {message}", ConvergenceWarning, stacklevel=4)
    success, status = converged, 0 if converged else 1
    if mode is not None:
        stakes = _stakes(game)
        details["tolerance"] = f"regret_i <= {DEFAULT_TOL:g}·s_i·p·H + rounding"
        smallest = float((DEFAULT_TOL + ROUNDING) * stakes.min()) if stakes.size else 0.0
        checked = [r if r.max_regret <= smallest else _ActorRegrets(r, game, mode) for r in records]
        verdict = certified(
            checked,
            scale=stakes,
            floor=ROUNDING * stakes,
            method=method,
            message=message,
            stacklevel=4,
        )
        message = verdict.message
        if not verdict.success:
            success, status, complete = False, verdict.status, False
    return EquilibriumSet(
        equilibria=tuple(records),
        method=method,
        complete=complete,
        success=success,
        status=status,
        message=message,
        continuum=continuum,
        n_equilibria=len(records) if n_total is None else n_total,
        details=details,
        game=game,
    )


def solve_game(game, *, method: str = "auto", **options) -> EquilibriumSet:
    """The ``cg.solve`` entry point for a :class:`~coordgap.PreparednessGame`.

    Parameters
    ----------
    game : PreparednessGame
        The game.
    method : str
        ``"auto"`` or ``"aggregative"`` (the same method).
    **options
        ``limit`` and ``certify``, passed to :func:`solve_preparedness`.

    Returns
    -------
    EquilibriumSet
        As :func:`solve_preparedness`.
    """
    return solve_preparedness(game, **options)


def solve_preparedness(game, *, limit: int = 100, certify=True) -> EquilibriumSet:
    """All Nash equilibria of a :class:`~coordgap.PreparednessGame`.

    Parameters
    ----------
    game : PreparednessGame
    limit : int
        Most equilibria to list when there are many (best shot, ties under linear cost); the
        total is in ``n_equilibria``.
    certify : {True, "bound", "grid", False}
        How each equilibrium's ``max_regret`` is computed, independently of the solver:
        ``True``/``"bound"`` (default) a rigorous upper bound from the concavity of each
        actor's payoff in its own investment; ``"grid"`` a grid and golden-section search
        (an estimate, about 20x slower); ``False`` none (``max_regret`` is NaN and ``success``
        only says that the root find converged; use for timing and sweeps).

    Returns
    -------
    EquilibriumSet
        ``success`` and ``complete`` are True only when every listed equilibrium's regret is
        at most 1e-9 of each actor's stake s_i·p·H (plus rounding); otherwise ``status`` is 1,
        the message names the failing equilibrium and a
        :class:`~coordgap.errors.CertificateWarning` is emitted.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.1, 0.05], cost=[1.0, 2.0, 0.5], prob=0.5,
    ...                         harm=100.0, efficacy=0.2, cost_exponent=2.0,
    ...                         aggregator="ces", ces_rho=-0.5)
    >>> eq = solve_preparedness(g)
    >>> eq.success, eq.complete, [e.kind for e in eq]
    (True, True, ['least', 'greatest'])
    """
    mode = _certify_mode(certify)
    agg, n, gamma = game.aggregator, game.n_actors, game.cost_exponent
    if n == 1 and agg != "sum":
        return _solve_single_actor(game, mode)
    if agg == "ces" and game.ces_rho == 1.0:  # CES with ρ = 1 is the weighted sum
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CertificateWarning)
            inner = solve_preparedness(game.replace(aggregator="sum"), limit=limit, certify=False)
        records = [_record(game, e.investment, e.kind, mode) for e in inner]
        return _finish(
            game,
            records,
            method="aggregative (ces with ρ = 1: sum)",
            complete=inner.complete,
            mode=mode,
            continuum=inner.continuum,
            n_total=inner.n_equilibria,
            details=inner.details,
            converged=inner.success,
            message=inner.message,
        )
    if agg == "sum" and gamma == 1.0:
        return _solve_linear_sum(game, limit, mode)
    if agg in ("sum", "ces"):
        return _solve_interior(game, mode)
    log_eff = np.log(game.private_cost) - gamma * np.log(game.weight)
    e_hat = standalone_effective(game, game.share, None, log_cost=log_eff)
    if agg == "weakest_link":
        return _solve_weakest_link(game, e_hat, mode)
    return _solve_best_shot(game, e_hat, limit, mode)


def _solve_interior(game, mode):
    agg, n, gamma = game.aggregator, game.n_actors, game.cost_exponent
    x, converged, details = _interior_profile(game, game.share, game.private_cost)
    missing = False
    if x is not None and not np.any(x > 0):
        # nothing at stake (the interior point is the zero profile), or investments that no
        # double can hold
        missing = "unrepresentable" in details
        x = None
    zero_is_eq = x is None or (
        agg == "ces"
        and n >= 2
        and (game.ces_rho < 0 or (gamma == 1.0 and _zero_is_ces_equilibrium(game)))
    )
    records, method = [], f"aggregative-root ({agg})"
    if x is not None:
        records.append(_record(game, x, "greatest" if zero_is_eq else "unique", mode))
    if zero_is_eq:
        records.insert(0, _record(game, np.zeros(n), "least" if records else "unique", mode))
    message = (
        (
            "two equilibria: the all-zero profile (with ρ < 0 one absent actor makes "
            "the aggregate zero; with ρ > 0 and linear cost no actor gains by starting "
            "alone) and the interior fixed point"
        )
        if len(records) == 2
        else "unique equilibrium"
    )
    if "lifted" in details:
        lift = details["lifted"]
        message += (
            f"; the interior equilibrium's investments go down to "
            f"exp({lift['smallest_log_investment']:.6g}), below the double range, so "
            f"the listed profile is it scaled by exp({lift['log_shift']:.6g}) (same "
            f"ratios, every x_i >= 1e-300)"
        )
    if "unrepresentable" in details:
        gone = details["unrepresentable"]
        message += (
            f"; the interior equilibrium has ln x_i from "
            f"{gone['smallest_log_investment']:.6g} to "
            f"{gone['largest_log_investment']:.6g} (ln A = {gone['log_aggregate']:.6g}), "
            "a spread no double precision profile can hold"
            + ("; it is not listed" if missing else "")
        )
    return _finish(
        game,
        records,
        method=method,
        complete=not missing,
        mode=mode,
        details=details,
        converged=converged,
        message=message,
    )


def _zero_is_ces_equilibrium(game) -> bool:
    """CES with 0 < ρ < 1 and γ = 1: from all-zero, a lone actor i faces R = R0 + w_i^(1/ρ)·x,
    so no one moves iff s_i·w_i^(1/ρ)·B'(R0) <= c_i for every i (payoffs are concave)."""
    mb = float(game.marginal_benefit(game.baseline))
    if mb <= 0:
        return True
    log_lone = np.log(game.share) + np.log(game.weight) / game.ces_rho + math.log(mb)
    return bool(np.all(log_lone <= np.log(game.private_cost)))


def _log_lone_weight(game) -> np.ndarray:
    """ln w' with A = w'·x for one actor: w' = w^(1/ρ) for ces (in logs: it may overflow)."""
    log_w = np.log(game.weight)
    return log_w / game.ces_rho if game.aggregator == "ces" else log_w


def _single_actor_profile(game, share, cost) -> np.ndarray:
    """With one actor every aggregator is linear, A = w'·x: the stand-alone optimum.

    For ``ces`` w' = w^(1/ρ) may be far outside the double range; an optimum below 1e-300 is
    lifted to 1e-300 (its payoff is the same to double precision) and then certified.
    """
    log_w = _log_lone_weight(game)
    log_eff = np.log(cost) - game.cost_exponent * log_w
    e = standalone_effective(game, share, None, log_cost=log_eff)
    with np.errstate(divide="ignore", over="ignore"):
        log_x = np.log(e) - log_w
    if game.aggregator == "ces" and np.all(e > 0):
        log_x = np.maximum(log_x, _LOG_FLOOR)
    with np.errstate(over="ignore"):
        x = np.where(e > 0, np.exp(log_x), 0.0)
    return np.minimum(x, _useful(game, share, cost))


def _useful(game, share, cost) -> np.ndarray:
    """(γ·s·p·H/c)^(1/γ): no optimum exceeds it (its cost alone is the whole stake).

    Clamping to it keeps huge γ safe: there the optimum is within 1/γ of this bound and a
    rounding above it would make the cost overflow.
    """
    g = game.cost_exponent
    with np.errstate(over="ignore", divide="ignore"):
        return (
            np.exp((np.log(g * share * game.scale) - np.log(cost)) / g)
            if g > 1e6
            else (g * share * game.scale / cost) ** (1.0 / g)
        )


def _solve_single_actor(game, mode):
    x = _single_actor_profile(game, game.share, game.private_cost)
    return _finish(
        game,
        [_record(game, x, "unique", mode)],
        method=f"single-actor ({game.aggregator})",
        complete=True,
        mode=mode,
        message="one actor: its stand-alone optimum",
    )


def _solve_linear_sum(game, limit, mode):
    n = game.n_actors
    r_star, may_invest = _linear_sum_candidates(game, game.share)
    aggregate = r_star - game.baseline
    method = "aggregative-linear (Bergstrom-Blume-Varian)"
    if aggregate <= 0:
        return _finish(
            game,
            [_record(game, np.zeros(n), "unique", mode)],
            method=method,
            complete=True,
            mode=mode,
            details={"may_invest": ()},
            message="unique equilibrium: no actor invests",
        )
    providers = np.flatnonzero(may_invest)
    details = {"aggregate": r_star, "may_invest": tuple(game.names[i] for i in providers)}
    records = []
    for j in providers[:limit]:
        x = np.zeros(n)
        x[j] = aggregate / game.weight[j]
        records.append(_record(game, x, "unique" if providers.size == 1 else "extreme", mode))
    if providers.size == 1:
        return _finish(
            game,
            records,
            method=method,
            complete=True,
            mode=mode,
            details=details,
            message="unique equilibrium",
        )
    warnings.warn(
        f"{providers.size} actors tie for the highest s_i·w_i/c_i: the aggregate is "
        "unique but who provides it is not",
        DegenerateGameWarning,
        stacklevel=4,
    )
    message = (
        f"continuum: R = {r_star:.6g} is unique; any split of it among the "
        f"{providers.size} actors in details['may_invest'] is an equilibrium; "
        f"listed: the extreme allocations (one actor provides)"
    )
    return _finish(
        game,
        records,
        method=method,
        complete=providers.size <= limit,
        mode=mode,
        continuum=True,
        n_total=int(providers.size),
        details=details,
        message=message,
    )


def _solve_weakest_link(game, e_hat, mode):
    n = game.n_actors
    top = float(e_hat.min())
    if top <= 0:
        return _finish(
            game,
            [_record(game, np.zeros(n), "unique", mode)],
            method="weakest-link",
            complete=True,
            mode=mode,
            message="unique equilibrium: no actor invests",
        )
    records = [
        _record(game, np.zeros(n), "least", mode),
        _record(
            game,
            np.minimum(top / game.weight, _useful(game, game.share, game.private_cost)),
            "greatest",
            mode,
        ),
    ]
    return _finish(
        game,
        records,
        method="weakest-link",
        complete=True,
        mode=mode,
        continuum=True,
        n_total=2,
        details={"effective_level_max": top},
        message="continuum: every common effective level w_i·x_i = m with "
        f"0 <= m <= {top:.6g} is an equilibrium (Varian 2004)",
    )


def _solve_best_shot(game, e_hat, limit, mode):
    n = game.n_actors
    method = "best-shot"
    if float(e_hat.max()) <= 0:
        return _finish(
            game,
            [_record(game, np.zeros(n), "unique", mode)],
            method=method,
            complete=True,
            mode=mode,
            message="unique equilibrium: no actor invests",
        )
    gamma, share = game.cost_exponent, game.share
    value = share * game.benefit(game.baseline + e_hat) - power_cost(
        game.private_cost, e_hat / game.weight, gamma
    )
    # τ_i: the provision by someone else that leaves i as well off as providing alone.
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.clip(value / (share * game.scale), 0.0, 1.0)
        tau = -np.log1p(-frac) / game.efficacy - game.baseline
    order = np.argsort(-e_hat, kind="stable")
    e_sorted = e_hat[order]
    tau_prefix = np.maximum.accumulate(tau[order])
    n_above = np.searchsorted(-e_sorted, -e_sorted * (1.0 + _TIE_RTOL), side="left")
    threshold = np.where(n_above > 0, tau_prefix[np.maximum(n_above - 1, 0)], -np.inf)
    ok = (e_sorted > 0) & (e_sorted >= threshold - _TIE_RTOL * np.maximum(e_sorted, 1.0))
    providers = order[ok]
    records = []
    for j in providers[:limit]:
        x = np.zeros(n)
        x[j] = min(
            e_hat[j] / game.weight[j], float(_useful(game, game.share[j], game.private_cost[j]))
        )
        records.append(_record(game, x, "unique" if providers.size == 1 else "provider", mode))
    message = (
        "unique equilibrium"
        if providers.size == 1
        else f"{providers.size} equilibria, each with one provider (Varian 2004)"
    )
    return _finish(
        game,
        records,
        method=method,
        complete=providers.size <= limit,
        mode=mode,
        n_total=int(providers.size),
        details={"providers": tuple(game.names[i] for i in providers)},
        message=message,
    )


# -- the social optimum -------------------------------------------------------------------------
def optimum_preparedness(game) -> SocialOptimum:
    """The social planner's optimum: maximize W(x) = B(R) − Σ c_i x_i^γ/γ, certified global.

    ``sum`` and ``ces`` (ρ <= 1): W is jointly concave (A is a concave, nondecreasing
    aggregator, B is concave and increasing, costs are convex), so the planner's first-order
    conditions — the equilibrium conditions with every share set to 1 — give the global
    optimum when they have an interior solution; otherwise, or when it is worse, the zero
    profile. ``weakest_link``: every actor provides one common effective level m (any excess
    over the weakest level only costs), a concave 1-D problem with total effective cost
    Σ c_i/w_i^γ. ``best_shot``: one provider is optimal (only the largest effective investment
    counts) and the one with the lowest effective cost c_j/w_j^γ dominates every other. Ties
    are broken towards the lowest index.

    The result is certified by :func:`coordgap.solvers.certify.welfare_gap_bound`, a rigorous
    bound on sup W − W(x) (the supergradient inequality of the concave W over the box where
    the optimum lies, or of the 1-D problem); ``success`` is True only when that bound is at
    most 1e-9·p·H plus rounding, and the message states the bound and the argument.

    Parameters
    ----------
    game : PreparednessGame
        The game; shares are ignored (the planner internalizes the whole benefit), the full
        cost c_i is used (subsidies are transfers).

    Returns
    -------
    SocialOptimum
        The optimal investments, robustness, residual harm and welfare, with the certificate
        in ``success`` and ``message``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.1, 0.05], cost=[1.0, 2.0, 0.5], prob=0.5,
    ...                         harm=100.0, efficacy=0.2, cost_exponent=2.0,
    ...                         aggregator="ces", ces_rho=0.001)
    >>> opt = optimum_preparedness(g)
    >>> opt.success, round(opt.welfare, 6)  # every actor invests a little: A explodes
    (True, 50.0)
    """
    n, gamma, agg = game.n_actors, game.cost_exponent, game.aggregator
    ones = np.ones(n)
    converged = True
    x: np.ndarray | None
    if n == 1 and agg != "sum":
        x, method = _single_actor_profile(game, ones, game.cost), f"planner ({agg}, one actor)"
    elif agg == "ces" and game.ces_rho == 1.0:
        inner = optimum_preparedness(game.replace(aggregator="sum"))
        x, method, converged = inner.investment, "planner (ces with ρ = 1: sum)", inner.success
    elif agg == "sum" and gamma == 1.0:
        ratio = game.weight / game.cost
        j = int(np.argmax(ratio))
        r_opt = float(
            linear_sum_robustness(
                game.scale * game.efficacy, ratio[j], game.efficacy, game.baseline
            )
        )
        x = np.zeros(n)
        x[j] = (r_opt - game.baseline) / game.weight[j]
        method = "planner-linear"
    elif agg in ("sum", "ces"):
        x, converged, _ = _interior_profile(game, ones, game.cost)
        zero = np.zeros(n)
        if x is None or float(game.welfare(x)) < float(game.welfare(zero)):
            x = zero
        method = f"planner-aggregative-root ({agg})"
    else:
        log_eff = np.log(game.cost) - gamma * np.log(game.weight)
        if agg == "weakest_link":
            log_total = _logsumexp(log_eff)  # everyone provides the same level
            m = float(standalone_effective(game, 1.0, None, log_cost=log_total))
            x = np.minimum(m / game.weight, _useful(game, 1.0, game.cost))
            method = "planner-weakest-link"
        else:
            j = int(np.argmin(log_eff))
            x = np.zeros(n)
            x[j] = min(
                float(standalone_effective(game, 1.0, None, log_cost=log_eff[j])) / game.weight[j],
                float(_useful(game, 1.0, game.cost[j])),
            )
            method = "planner-best-shot"
    x = np.asarray(x, dtype=float)
    x.flags.writeable = False
    return _optimum_result(game, x, method, converged)


def _optimum_result(game, x, method, converged) -> SocialOptimum:
    r = float(game.aggregate(x))
    gap, argument = welfare_gap_bound(game, x)
    allowed = (DEFAULT_TOL + ROUNDING) * game.scale
    certified_ok = gap <= allowed
    message = (
        f"certified global optimum: {argument}; sup W − W(x) <= {gap:.3g}"
        if certified_ok
        else f"optimality not certified: {argument}, but the bound on sup W − W(x) is "
        f"{gap:.3g} > tolerance {allowed:.3g}"
    )
    status = 0
    if not converged:
        message += "; root finding did not converge"
        warnings.warn(f"{method}: {message}", ConvergenceWarning, stacklevel=3)
        status = 1
    elif not certified_ok:
        warnings.warn(f"{method}: {message}", CertificateWarning, stacklevel=3)
        status = 1
    return SocialOptimum(
        investment=x,
        robustness=r,
        residual_harm=float(game.residual_harm(r)),
        welfare=float(game.welfare(x)),
        method=method,
        success=bool(converged and certified_ok),
        status=status,
        message=message,
    )
