"""Certificates: the max regret of a profile, computed independently of any solver.

Continuous games (the preparedness game) have two certificates; both bound each actor's gain
from its best unilateral deviation without using the solver's first-order conditions.

``bound`` (default): a rigorous upper bound from concavity
    Actor i's payoff f(y) = s_i·B(R0 + A(y)) − φ_i c_i y^γ/γ, as a function of its own
    investment y with the others held fixed, is concave on [0, x̄_i] for ``sum`` and ``ces``
    (A is concave and nondecreasing in y, B is concave and increasing, the cost is convex) and
    for ``weakest_link`` (a minimum of concave functions); for ``best_shot`` it is concave on
    each side of the kink y = max_{j≠i} w_j x_j / w_i. Deviations above
    x̄_i = (γ s_i p H/(φ_i c_i))^(1/γ) cost more than the whole stake s_i·p·H and are never
    better than y = 0, so [0, max(x̄_i, x_i)] holds every best reply. For a concave f and any
    anchor z, f(y) <= f(z) + f'(z+)(y − z) for y >= z and f(y) <= f(z) + f'(z−)(y − z) for
    y <= z (supergradient inequality), and on any interval [a, b] f(y) <= s_i·B(R0 + A(b)) −
    cost(a) (the benefit rises and the cost rises with y). The first pass anchors at x_i
    itself: regret_i <= max(f'(x_i+)·(x̄_i − x_i), −f'(x_i−)·x_i, 0), which costs a few
    vectorized passes and is at rounding level at an equilibrium. Actors whose first-pass bound
    exceeds the target are refined piece by piece: bisection on the sign of f' brackets the
    maximizer of each concave piece in [lo, hi], and the tangent bounds at lo and hi plus the
    interval bound on [lo, hi] bound the piece's maximum; the bound then converges to the true
    regret. Every derivative is an analytic one-sided derivative; every computed quantity is
    widened by a floating-point allowance (numpy's pairwise sums: (22 + log2(N/128))·ε
    relative; elementary functions and products: a few ε; errors in the aggregate carried to
    B and B' through κ), so the bound holds up to that error model.
``grid``
    Each actor's best response found by its own bounded 1-D maximization — a grid over
    [0, x̄_i] split at the payoff's kinks, refined by golden-section search around the best
    grid point. An estimate (a lower bound on the regret up to the search's resolution), about
    80 payoff evaluations per actor; kept as an option and as a cross-check.

Both are vectorized over actors and processed in chunks, so memory stays bounded.

The planner's certificate, :func:`welfare_gap_bound`, bounds sup W − W(x) for the social
optimum the same way (joint concavity of welfare, or a reduction to one variable); see
``docs/certificates.md`` for every argument.

Normal-form games are certified by contracting the payoff array with the profile (exactly, for
exact payoffs); a logit QRE by its residual max |p − logit(λ·u(p))| and its regret, from that
contraction and a logit response of this module's own (the QRE solver has its own action
values, so the two share no numerical routine).
"""

from __future__ import annotations

import math
import operator

import numpy as np

from ..games.preparedness import power_cost

__all__ = [
    "max_regret_continuous",
    "regrets_continuous",
    "regret_bounds",
    "max_regret_bound",
    "concave_gap_1d",
    "welfare_gap_bound",
]

_GRID = 17  # grid points per segment
_GOLDEN_STEPS = 48  # shrinks the bracket by 0.618**48 ≈ 1e-10
_CHUNK_ELEMENTS = 1 << 21
_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0

_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).smallest_subnormal)
_ULPS = 16 * _EPS  # allowance of one elementary function or product chain
_BISECTION_STEPS = 160  # enough to shrink any bracket within the float range to one ulp
_BOUND_CHUNK = 1 << 17  # actors refined at once
_FIRST_BLOCK = 1 << 14  # actors per block of the first pass (fits in cache)


def _maximize_segment(f, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Largest value of f found on [lo, hi] (per actor) by grid then golden-section search."""
    t = np.linspace(0.0, 1.0, _GRID)[:, None]
    grid = lo + t * (hi - lo)
    values = f(grid)
    best = values.max(axis=0)
    k = values.argmax(axis=0)
    cols = np.arange(grid.shape[1])
    a = grid[np.maximum(k - 1, 0), cols]
    b = grid[np.minimum(k + 1, _GRID - 1), cols]
    c = b - _INV_PHI * (b - a)
    d = a + _INV_PHI * (b - a)
    fc, fd = f(c[None])[0], f(d[None])[0]
    for _ in range(_GOLDEN_STEPS):
        left = fc >= fd  # maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        new_c = b - _INV_PHI * (b - a)
        new_d = a + _INV_PHI * (b - a)
        # Reuse the surviving interior point; evaluate only the new one.
        c_next = np.where(left, new_c, d)
        d_next = np.where(left, c, new_d)
        fresh = np.where(left, c_next, d_next)
        f_fresh = f(fresh[None])[0]
        fc, fd = np.where(left, f_fresh, fd), np.where(left, fc, f_fresh)
        c, d = c_next, d_next
        best = np.maximum(best, np.maximum(fc, fd))
    return best


def regrets_continuous(game, investment) -> np.ndarray:
    """Each actor's regret estimated by search (the ``grid`` certificate).

    The best deviation payoff found by a grid and golden-section search, minus the payoff at
    ``investment``. ``game`` must provide ``others(x)``, ``deviation_payoffs(others, own,
    actors)``, ``kinks(others)`` and ``useful_bound()`` (see
    :class:`~coordgap.PreparednessGame`).

    Parameters
    ----------
    game : PreparednessGame
        The game (or any game with the same deviation interface).
    investment : array_like
        The profile x, shape (n_actors,).

    Returns
    -------
    ndarray
        Regret of each actor, shape (n_actors,), each ≥ 0: a lower bound on the true regret
        (a search can miss the best deviation).
    """
    x = np.asarray(investment, dtype=float)
    n = x.shape[0]
    others = game.others(x)
    kinks = game.kinks(others)
    bound = np.maximum(game.useful_bound(), x)
    chunk = max(1, _CHUNK_ELEMENTS // (2 * _GRID))
    out = np.empty(n)
    for start in range(0, n, chunk):
        sl = slice(start, min(n, start + chunk))

        def f(own, sl=sl):
            return game.deviation_payoffs(others, own, sl)

        hi = bound[sl]
        current = f(x[sl][None])[0]
        best = np.maximum(current, f(np.zeros((1, hi.size)))[0])
        if kinks is None:
            best = np.maximum(best, _maximize_segment(f, np.zeros_like(hi), hi))
        else:
            k = np.nan_to_num(np.minimum(kinks[sl], hi), nan=0.0)
            best = np.maximum(best, f(k[None])[0])
            best = np.maximum(best, _maximize_segment(f, np.zeros_like(hi), k))
            best = np.maximum(best, _maximize_segment(f, k, hi))
        with np.errstate(invalid="ignore"):
            out[sl] = np.maximum(best - current, 0.0)
    return out


def max_regret_continuous(game, investment) -> float:
    """Largest regret over actors found by search (0 means no deviation found that gains).

    Parameters
    ----------
    game : PreparednessGame
        The game (or any game with the same deviation interface).
    investment : array_like
        The profile x, shape (n_actors,).

    Returns
    -------
    float
        max_i of :func:`regrets_continuous` (0 with no actors).
    """
    regrets = regrets_continuous(game, investment)
    return float(regrets.max()) if regrets.size else 0.0


# --- the concavity bound (default certificate of the preparedness game) ---------------------
def _sum_allowance(n: int) -> float:
    """Relative error allowance of numpy's sum of n nonnegative terms, each itself rounded.

    numpy sums blocks of up to 128 terms with 8 accumulators (at most 15 + 3 roundings per
    term) and adds the blocks pairwise (one more per level); n − 1 roundings bound a short sum.
    Four more ulps cover the rounding of each term and of the subtraction of one term.
    """
    levels = math.ceil(math.log2(n / 128)) if n > 128 else 0
    return (min(n - 1, 18 + levels) + 4) * _EPS * 1.01


def regret_bounds(game, investment, *, target=0.0) -> np.ndarray:
    """Rigorous upper bounds on each actor's regret at ``investment`` (the ``bound`` certificate).

    Parameters
    ----------
    game : PreparednessGame
    investment : array_like
        The profile x.
    target : float or array_like
        Actors whose first-pass bound (anchored at x_i) is at most ``target`` keep it; the
        others are refined until the bound is tight. With the default 0 every positive bound is
        refined, so the result is close to the true regret.

    Returns
    -------
    ndarray
        One bound per actor, finite whenever the payoffs are; a true regret never exceeds it
        (up to the floating-point error model described in the module docstring).

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0,
    ...                         efficacy=0.5, cost_exponent=2.0)
    >>> x = cg.solve(g)[0].investment
    >>> bool(regret_bounds(g, x).max() < 1e-12)
    True
    >>> np.round(regret_bounds(g, np.zeros(2)), 6)  # the best replies to 0 gain this much
    array([2.042805, 0.691264])
    >>> np.round(regrets_continuous(g, np.zeros(2)), 6)  # the search finds the same gains
    array([2.042805, 0.691264])
    """
    x = np.asarray(investment, dtype=float)
    n = x.shape[0]
    target = np.broadcast_to(np.asarray(target, dtype=float), (n,))
    if game.aggregator in ("sum", "ces"):
        bounds = _first_pass(game, x)
    else:
        bounds = np.full(n, np.inf)
    with np.errstate(invalid="ignore"):
        refine = np.flatnonzero(~(bounds <= target))
    if refine.size:
        if game.aggregator == "sum":  # pairwise total minus own term: error (log2 N)·ε·total
            e = game.weight * x
            with np.errstate(invalid="ignore"):
                others = float(e.sum()) - e
        else:
            others = game.others(x)
        for start in range(0, refine.size, _BOUND_CHUNK):
            idx = refine[start : start + _BOUND_CHUNK]
            bounds[idx] = np.fmin(bounds[idx], _Deviations(game, x, others, idx).bound())
    return bounds


def max_regret_bound(game, investment) -> float:
    """Largest of :func:`regret_bounds` over actors (a rigorous upper bound on max regret).

    Parameters
    ----------
    game : PreparednessGame
        The game (or any game with the same deviation interface).
    investment : array_like
        The profile x, shape (n_actors,).

    Returns
    -------
    float
        The bound (0 with no actors).
    """
    bounds = regret_bounds(game, investment)
    return float(bounds.max()) if bounds.size else 0.0


def _first_pass(game, x: np.ndarray) -> np.ndarray:
    """The bound anchored at x_i for ``sum``/``ces``: max(f'(x+)(U − x), −f'(x−)·x, 0).

    Every actor sees the same aggregate at its own x_i, so B'(R) is one number; the pass is a
    handful of vectorized operations over blocks that stay in cache.
    """
    n = x.shape[0]
    kappa, scale = game.efficacy, game.scale
    eta = _sum_allowance(n)
    ces = game.aggregator == "ces"
    a = float(game.effort(x))
    r = game.baseline + a
    if not math.isfinite(r) or (ces and a <= 0 and scale > 0):
        return np.full(n, np.inf)  # left to the refinement (no slope at a zero aggregate)
    if scale > 0:
        eta_r = eta / abs(game.ces_rho) + _ULPS * (1.0 + abs(math.log(a))) if ces else eta
        log_mb = math.log(scale * kappa) - kappa * r
        spread = kappa * (eta_r * a + 2 * _EPS * (game.baseline + a)) + _ULPS * (
            1.0 + abs(math.log(scale * kappa)) + kappa * r
        )
    else:  # nothing at stake: no benefit slope at all
        eta_r, log_mb, spread = 0.0, -math.inf, 0.0
    out = np.empty(n)
    step = _FIRST_BLOCK
    for start in range(0, n, step):
        sl = slice(start, start + step)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out[sl] = _first_pass_block(game, x[sl], sl, a, log_mb, spread, eta_r)
    top = float(out.max()) if n else 0.0
    if math.isnan(top):
        out[np.isnan(out)] = np.inf
    return out


def _first_pass_block(game, x, sl, a, log_mb, spread, eta_r):
    gamma, scale = game.cost_exponent, game.scale
    s = game.share[sl]
    pc = game.cost[sl] * game.cost_share[sl]
    # t1: the benefit slope s_i·B'(R)·∂A/∂x_i, bracketed by [t1_lo, t1_hi]
    if scale <= 0:  # nothing at stake: no benefit slope
        t1_hi = np.zeros_like(x)
        t1_lo = t1_hi
    elif game.aggregator == "ces":
        rho = game.ces_rho
        # ∂A/∂x_i = w_i (x_i/A)^(ρ−1), in logs; its error follows the aggregate's.
        log_slope = np.log(s * game.weight[sl]) + (rho - 1.0) * (np.log(x) - math.log(a))
        widen = spread + abs(1.0 - rho) * eta_r + _ULPS * np.abs(log_slope)
        t1_hi = np.exp(log_slope + log_mb + widen)
        t1_lo = np.exp(log_slope + log_mb - widen)
    else:
        t1_hi = s * game.weight[sl]
        t1_lo = t1_hi * (math.exp(log_mb - spread) * (1.0 - 4 * _EPS))
        t1_hi *= math.exp(log_mb + spread + 4 * _EPS)
    # t2: the cost slope φ_i c_i x_i^(γ−1); x̄_i = (γ s_i pH/(φ_i c_i))^(1/γ)
    if gamma == 2.0:
        t2 = pc * x
        room = np.sqrt((2.0 * scale) * s / pc)
    else:
        t2 = pc * x ** (gamma - 1.0) if gamma != 1.0 else pc.copy()
        room = ((gamma * scale) * s / pc) ** (1.0 / gamma)
    room *= 1.0 + _ULPS
    room -= x  # x̄ − x: how far a deviation can rise
    np.maximum(room, 0.0, out=room)
    up = t2 * (1.0 - _ULPS)
    np.subtract(t1_hi, up, out=up)  # >= f'(x+)
    np.maximum(up, 0.0, out=up)
    up *= room
    down = t2
    down *= 1.0 + _ULPS
    down -= t1_lo  # >= −f'(x−)
    np.maximum(down, 0.0, out=down)
    down *= x
    np.maximum(up, down, out=up)
    if game.aggregator == "ces" and scale > 0:  # x_i = 0: ∂A/∂x_i is infinite or needs
        up[~(x > 0)] = np.inf  # the others

    return up


class _Deviations:
    """Own-payoff pieces of the actors ``idx`` at profile x, with rigorous value/slope bounds."""

    def __init__(self, game, x, others, idx):
        self.game, self.others, self.idx = game, others, idx
        self.x = x[idx]
        n = x.shape[0]
        self.s = game.share[idx]
        self.pc = game.private_cost[idx]
        self.w = game.weight[idx]
        self.gamma, self.kappa = game.cost_exponent, game.efficacy
        self.ph, self.r0 = game.scale, game.baseline
        self.stake = self.s * self.ph
        agg = game.aggregator
        eta = _sum_allowance(n)
        if agg == "sum":
            self.eta_r = eta
        elif agg == "ces":
            self.eta_r = eta / abs(game.ces_rho) + 64 * _EPS
        else:
            self.eta_r = 4 * _EPS
        self.eta = eta
        self.eta_slope = (
            2 * abs(1.0 - game.ces_rho) / abs(game.ces_rho) * eta if agg == "ces" else 0.0
        )
        self.a_ref = float(game.effort(x))  # the aggregate at the profile
        if agg == "ces":  # Σ_j w_j (x_j/m)^ρ, the total that each actor's "rest" is taken from
            rho, m = game.ces_rho, float(np.max(x)) if np.max(x) > 0 else 1.0
            with np.errstate(divide="ignore", over="ignore"):
                terms = game.weight * np.where(x > 0, x / m, 0.0 if rho > 0 else 1.0) ** rho
            self.inner_total = float(np.sum(terms))
        self.upper = np.maximum(game.useful_bound()[idx] * (1.0 + _ULPS), self.x)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.kink = (others[idx] / self.w) if agg in ("weakest_link", "best_shot") else None

    # -- pointwise quantities ----------------------------------------------------------------
    def _sub(self, sel):
        return self.idx if sel is None else self.idx[sel]

    def _pick(self, arr, sel):
        return arr if sel is None else arr[sel]

    def aggregate(self, y, sel=None):
        return self.game.deviation_aggregate(self.others, y, self._sub(sel))

    def _err_r(self, y, a, sel):
        """A bound on the rounding error of R0 + A(y) at a deviation to y."""
        agg = self.game.aggregator
        if agg == "sum":  # rest = total − own term: absolute error η·total
            return self.eta_r * np.maximum(a, max(self.a_ref, 0.0)) + 2 * _EPS * (self.r0 + a)
        if agg != "ces":
            return self.eta_r * (self.r0 + a)
        # inner(y) = rest + w (y/m)^ρ, with rest = total − own term (absolute error η·total);
        # A = m·inner^(1/ρ) turns a relative error δ of inner into δ/|ρ|.
        rho = self.game.ces_rho
        sub = self._sub(sel)
        rest, scale = self.others[0][sub], self.others[1][sub]
        w = self._pick(self.w, sel)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            own = np.where(y > 0, w * (y / scale) ** rho, 0.0)
            inner = np.abs(rest + own)
            rel = self.eta * self.inner_total / inner / abs(rho) + _ULPS * (
                1.0 + np.abs(np.log(np.where(a > 0, a, 1.0)))
            )
            err = np.where(a > 0, a * rel, 0.0)
        return _ULPS * self.r0 + np.where(np.isnan(err), np.inf, err)

    def cost(self, y, sel=None):
        return power_cost(self._pick(self.pc, sel), y, self.gamma)

    def value(self, y, sel=None):
        """(f(y), allowance): the own payoff and a bound on its rounding error."""
        a = self.aggregate(y, sel)
        r = self.r0 + a
        with np.errstate(over="ignore", invalid="ignore"):
            benefit = -self.ph * np.expm1(-self.kappa * r)
            cost = self.cost(y, sel)
            stake = self._pick(self.stake, sel)
            err_r = self._err_r(y, a, sel)
            spread = self.kappa * err_r * np.exp(-self.kappa * np.maximum(r - err_r, 0.0))
            spread = np.where(np.isfinite(spread), np.minimum(spread, 1.0), 1.0)
            spread = np.where(np.isinf(r) & (r > 0), 0.0, spread)
            f = self._pick(self.s, sel) * benefit - cost
            allowance = stake * (spread + 4 * _EPS) + _ULPS * (cost + np.abs(f))
        return f, np.where(np.isfinite(allowance), allowance, np.inf)

    def top(self, y, sel=None):
        """Upper bound on s·B(R0 + A(y)) (the benefit at the right end of an interval)."""
        a = self.aggregate(y, sel)
        r = self.r0 + a
        with np.errstate(over="ignore", invalid="ignore"):
            benefit = -self.ph * np.expm1(-self.kappa * r)
            err_r = self._err_r(y, a, sel)
            spread = self.kappa * err_r * np.exp(-self.kappa * np.maximum(r - err_r, 0.0))
            spread = np.where(np.isfinite(spread), np.minimum(spread, 1.0), 1.0)
            spread = np.where(np.isinf(r) & (r > 0), 0.0, spread)
        stake = self._pick(self.stake, sel)
        return self._pick(self.s, sel) * benefit + stake * (spread + 4 * _EPS)

    def slopes(self, y, active, sel=None):
        """(upper bound of f'(y+), lower bound of f'(y−), computed f'(y)) on a smooth piece.

        ``active`` says whether A moves with y on this piece (always for sum/ces; below the
        kink for weakest_link, above it for best_shot).
        """
        g = self.game
        sub = self._sub(sel)
        a = self.aggregate(y, sel)
        r = self.r0 + a
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            log_d = g.log_aggregate_slope(self.others, y, sub)
            log_d = np.where(active, log_d, -np.inf)
            log_front = np.log(self._pick(self.s, sel) * self.ph * self.kappa)
            log_t1 = log_front - self.kappa * r + log_d
            err_r = self._err_r(y, a, sel)
            widen = (
                self.kappa * err_r
                + self.eta_slope
                + _ULPS
                * (
                    1.0
                    + np.abs(log_front)
                    + self.kappa * np.abs(r)
                    + np.abs(np.where(np.isfinite(log_d), log_d, 0.0))
                )
            )
            dead = np.isneginf(log_t1) | np.isneginf(log_d) | (self.ph <= 0)
            t1 = np.where(dead, 0.0, np.exp(log_t1))
            t1_hi = np.where(dead, 0.0, np.exp(log_t1 + widen))
            t1_lo = np.where(dead, 0.0, np.exp(log_t1 - widen))
            t2 = self._pick(self.pc, sel) * y ** (self.gamma - 1.0)
            hi = t1_hi - t2 * (1.0 - _ULPS)
            lo = t1_lo - t2 * (1.0 + _ULPS)
            mid = t1 - t2
        # inf − inf cannot occur with finite y (t2 finite) unless y**(γ−1) overflows: then the
        # cost dominates and the slope is −inf.
        hi = np.where(np.isnan(hi), -np.inf, hi)
        lo = np.where(np.isnan(lo), -np.inf, lo)
        mid = np.where(np.isnan(mid), -np.inf, mid)
        return hi, lo, mid

    # -- pieces --------------------------------------------------------------------------------
    def pieces(self):
        """[(a, b, active, smooth)] covering [0, upper]; kinks get a tiny box piece."""
        zero = np.zeros_like(self.x)
        up = self.upper
        agg = self.game.aggregator
        if agg in ("sum", "ces"):
            return [(zero, up, True, True)]
        assert self.kink is not None  # set for weakest_link and best_shot
        k = np.where(np.isnan(self.kink), 0.0, self.kink)
        k_lo = np.clip(k * (1.0 - 8 * _EPS), 0.0, up)
        k_hi = np.clip(k * (1.0 + 8 * _EPS), 0.0, up)
        below = agg == "weakest_link"  # A moves with y below the kink (wl) or above (bs)
        return [(zero, k_lo, below, True), (k_lo, k_hi, None, False), (k_hi, up, not below, True)]

    def _bracket(self, a, b, active):
        """[lo, hi] around the maximizer of f on each smooth concave piece [a, b]."""
        lo, hi = a.copy(), b.copy()
        _, _, at_a = self.slopes(a, active)
        _, _, at_b = self.slopes(b, active)
        lo = np.where(at_b >= 0, b, lo)
        hi = np.where(at_a <= 0, a, hi)
        live = np.flatnonzero(lo < hi)
        for _ in range(_BISECTION_STEPS):
            if live.size == 0:
                break
            low, h = lo[live], hi[live]
            floor = np.maximum(low, _TINY)
            # geometric steps while the bracket spans orders of magnitude, then halving
            mid = np.where(h > 1024.0 * floor, np.sqrt(floor) * np.sqrt(h), 0.5 * (low + h))
            inside = (mid > low) & (mid < h)
            _, _, at_mid = self.slopes(mid, active, live)
            rise = at_mid > 0
            low = np.where(inside & rise, mid, low)
            h = np.where(inside & ~rise, mid, h)
            lo[live], hi[live] = low, h
            live = live[inside & (h - low > 2 * _EPS * h)]
        return lo, hi

    def _piece_max(self, a, b, active):
        """Upper bound on max f over the smooth concave piece [a, b] (per actor)."""
        lo, hi = self._bracket(a, b, active)
        f_lo, e_lo = self.value(lo)
        f_hi, e_hi = self.value(hi)
        _, left_lo, _ = self.slopes(lo, active)  # f'(lo−) lower bound: covers [a, lo]
        right_hi, _, _ = self.slopes(hi, active)  # f'(hi+) upper bound: covers [hi, b]
        with np.errstate(invalid="ignore", over="ignore"):
            left = f_lo + e_lo + np.where(lo > a, np.maximum(-left_lo, 0.0) * (lo - a), 0.0)
            right = f_hi + e_hi + np.where(b > hi, np.maximum(right_hi, 0.0) * (b - hi), 0.0)
            box = np.where(hi > lo, self.top(hi) - self.cost(lo), -np.inf)
        best = np.fmax(np.fmax(left, right), box)
        return np.where(np.isnan(best), np.inf, best)

    def _anchor_x(self, a, b, active, f_x):
        """Upper bound on max f over [a, b] from the tangents at x (inf where x is outside)."""
        hi, lo, _ = self.slopes(self.x, active)
        with np.errstate(invalid="ignore", over="ignore"):
            right = np.where(b > self.x, np.maximum(hi, 0.0) * (b - self.x), 0.0)
            left = np.where(self.x > a, np.maximum(-lo, 0.0) * (self.x - a), 0.0)
            gain = np.maximum(right, left)
        inside = (a <= self.x) & (self.x <= b)
        return np.where(inside & ~np.isnan(gain), f_x + gain, np.inf)

    def bound(self) -> np.ndarray:
        f_x, e_x = self.value(self.x)
        best = np.full_like(self.x, -np.inf)
        for a, b, active, smooth in self.pieces():
            if smooth:
                piece = np.fmin(self._piece_max(a, b, active), self._anchor_x(a, b, active, f_x))
            else:  # a kink interval of a few ulps: benefit at its right end, cost at its left
                with np.errstate(invalid="ignore", over="ignore"):
                    piece = self.top(b) - self.cost(a)
            best = np.fmax(best, piece)
        # Leaving x (down to 0) never gains more than the cost it saves.
        with np.errstate(invalid="ignore", over="ignore"):
            regret = best - f_x + e_x
        regret = np.where(np.isnan(regret), np.inf, regret)
        return np.maximum(regret, 0.0)


# --- 1-D concave maximization bound (the planner's certificates) -----------------------------
def concave_gap_1d(value, slope, top, cost, point: float, upper: float) -> float:
    """Rigorous bound on max_{[0, upper]} f − f(point) for a concave f of one variable.

    Parameters
    ----------
    value : callable
        y ↦ (f(y), allowance), the value and a bound on its rounding error.
    slope : callable
        y ↦ (upper bound of f'(y+), lower bound of f'(y−), computed f'(y)).
    top, cost : callable
        y ↦ an upper bound on the benefit part at y, and the cost part at y (both
        nondecreasing), so that f <= top(b) − cost(a) on [a, b].
    point : float
        The candidate maximizer.
    upper : float
        Right end of the interval that holds the maximizer.

    Returns
    -------
    float
        An upper bound on max f − f(point) (0 when ``point`` is optimal to rounding).

    Examples
    --------
    >>> f = lambda y: (-(y - 1.0) ** 2, 1e-16)
    >>> d = lambda y: (-2 * (y - 1.0), -2 * (y - 1.0), -2 * (y - 1.0))
    >>> top, cost = (lambda y: 0.0), (lambda y: 0.0)
    >>> concave_gap_1d(f, d, top, cost, 1.0, 3.0) < 1e-15
    True
    >>> round(concave_gap_1d(f, d, top, cost, 0.5, 3.0), 12)
    0.25
    """
    f_p, e_p = value(point)
    hi_p, lo_p, _ = slope(point)
    anchored = f_p + max(
        max(hi_p, 0.0) * (upper - point) if upper > point else 0.0,
        max(-lo_p, 0.0) * point if point > 0 else 0.0,
    )
    lo, hi = 0.0, float(upper)
    if slope(hi)[2] >= 0:
        lo = hi
    elif slope(lo)[2] <= 0:
        hi = lo
    for _ in range(_BISECTION_STEPS):
        if not lo < hi or hi - lo <= 2 * _EPS * hi:
            break
        floor = max(lo, _TINY)
        mid = math.sqrt(floor) * math.sqrt(hi) if hi > 1024.0 * floor else 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        if slope(mid)[2] > 0:
            lo = mid
        else:
            hi = mid
    f_lo, e_lo = value(lo)
    f_hi, e_hi = value(hi)
    left = f_lo + e_lo + (max(-slope(lo)[1], 0.0) * lo if lo > 0 else 0.0)
    right = f_hi + e_hi + (max(slope(hi)[0], 0.0) * (upper - hi) if upper > hi else 0.0)
    box = top(hi) - cost(lo) if hi > lo else -math.inf
    bracketed = max(left, right, box)
    best = min(anchored, bracketed) if math.isfinite(anchored) else bracketed
    gap = best - f_p + e_p
    return max(gap, 0.0) if not math.isnan(gap) else math.inf


# --- the planner's certificate ------------------------------------------------------------------
def welfare_gap_bound(game, investment) -> tuple[float, str]:
    """A rigorous bound on sup W − W(x) for the preparedness game's welfare, and why it holds.

    W(x) = B(R0 + A(x)) − Σ c_i x_i^γ/γ. Its supremum lies in the box 0 <= y_i <= x̄_i with
    x̄_i = (γ·p·H/c_i)^(1/γ) (one actor's cost above p·H already makes W < W(0)).

    * ``sum``/``ces``: W is concave (A concave and nondecreasing for ρ <= 1, B concave and
      increasing, costs convex). Replacing B and A by their tangents at x bounds
      W(y) − W(x) by Σ_i φ_i(y_i), φ_i(y) = g_i·(y − x_i) − c_i·(y^γ − x_i^γ)/γ with
      g_i = B'(R)·∂A/∂x_i (widened for rounding), and each concave φ_i is bounded around its
      maximizer (g_i/c_i)^(1/(γ−1)). Where some x_i = 0 and ρ > 0 (∂A/∂x_i infinite) the bound is
      taken at x̃ = max(x, tiny) plus W(x̃) − W(x). At x = 0 the CES aggregate
      is not differentiable; there Hölder's inequality A(y) <= M·Σ c_i y_i with
      M = (Σ w_i (w_i/c_i)^(ρ/(1−ρ)))^((1−ρ)/ρ) bounds the gain instead. A second bound,
      B(R0 + A(x̄)) − B(R) + Σ c_i x_i^γ/γ, covers huge γ; the smaller one is used.
    * ``weakest_link``: W is concave too; with weights λ_i >= 0 summing to 1,
      min_i w_i y_i <= Σ λ_i w_i y_i turns the same separable bound into a valid one
      (λ_i ∝ the marginal cost of raising i's effective level).
    * one actor, ``best_shot``: the problem reduces to a concave function of one actor's
      investment (the one actor; the provider with the lowest effective cost c_j/w_j^γ, which
      dominates every other) and :func:`concave_gap_1d` bounds it.

    Parameters
    ----------
    game : PreparednessGame
        The game; welfare uses the full costs c_i.
    investment : array_like
        The profile x, shape (n_actors,), e.g. a candidate social optimum.

    Returns
    -------
    gap : float
        The bound (inf when no bound applies, e.g. a profile where W is not differentiable).
    argument : str
        One sentence on why the bound holds.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0,
    ...                         efficacy=0.5, aggregator="best_shot")
    >>> gap, why = welfare_gap_bound(g, cg.optimum(g).investment)
    >>> bool(gap < 1e-9), why.split(",")[0]
    (True, 'one provider is optimal (only the largest effective investment counts)')
    """
    x = np.asarray(investment, dtype=float)
    agg, n, gamma = game.aggregator, game.n_actors, game.cost_exponent
    if agg in ("sum", "ces") and not (n == 1 and agg == "ces"):
        return _concave_welfare_gap(game, x), (
            "welfare is concave (ρ <= 1: a concave, nondecreasing aggregate inside the concave, "
            "increasing B, minus convex costs), so its supergradient bounds the gain over the "
            "box [0, x̄] that holds the optimum"
        )
    if agg == "weakest_link" and n > 1:
        return _weakest_link_welfare_gap(game, x), (
            "welfare is concave (the minimum of w_i·x_i is concave), so for any weights λ on "
            "the actors B(R0 + min_i w_i y_i) <= B(R) + B'(R)·(Σ λ_i w_i y_i − min_i w_i x_i) "
            "gives a supergradient bound over the box [0, x̄] that holds the optimum"
        )
    log_w = np.log(game.weight)
    if n == 1:
        j = 0
        log_lone = float(log_w[0] / game.ces_rho if agg == "ces" else log_w[0])
        why = "one actor: welfare in its own investment is concave"
    else:
        j = int(np.argmin(np.log(game.cost) - gamma * log_w))
        log_lone = float(log_w[j])
        why = (
            "one provider is optimal (only the largest effective investment counts), the "
            "lowest effective cost c_j/w_j^γ dominates every other, and welfare in its "
            "investment is concave"
        )
    one_d = _OneDimWelfare(game, float(game.cost[j]), log_lone)
    point = float(x[j])
    gap = concave_gap_1d(
        one_d.value, one_d.slope, one_d.top, one_d.cost, point, max(one_d.upper(), point)
    )
    # sup W = sup of the 1-D welfare; x is that profile (others at zero) up to rounding.
    w_x = float(game.welfare(x))
    f_point, err = one_d.value(point)
    gap += max(f_point - w_x, 0.0) + err + _ULPS * (abs(w_x) + float(game.costs(x).sum()))
    return (gap if math.isfinite(gap) else math.inf), why


def _logsumexp(v: np.ndarray) -> float:
    top = float(np.max(v))
    if not math.isfinite(top):
        return top
    return top + math.log(float(np.sum(np.exp(v - top))))


class _OneDimWelfare:
    """W(y) = p·H·(1 − e^(−κ(R0 + w'·y))) − c·y^γ/γ in one actor's own investment y.

    ``log_weight`` is ln w' (w' = w^(1/ρ) for a lone ces actor, which may overflow).
    """

    def __init__(self, game, cost: float, log_weight: float):
        self.ph, self.kappa, self.r0 = game.scale, game.efficacy, game.baseline
        self.gamma, self.c, self.log_w = game.cost_exponent, cost, log_weight

    def upper(self) -> float:
        with np.errstate(over="ignore", divide="ignore"):
            return float(
                np.exp((np.log(self.gamma * self.ph) - math.log(self.c)) / self.gamma)
                * (1.0 + _ULPS)
            )

    def _effort(self, y: float) -> tuple[float, float]:
        """(A(y), its rounding bound)."""
        if y <= 0:
            return 0.0, 0.0
        log_a = self.log_w + math.log(y)
        a = math.exp(min(log_a, 709.0)) if log_a < 709.5 else math.inf
        return a, a * _ULPS * (1.0 + abs(log_a))

    def _benefit(self, y: float) -> tuple[float, float]:
        a, da = self._effort(y)
        r = self.r0 + a
        b = -self.ph * math.expm1(-self.kappa * r) if math.isfinite(r) else self.ph
        if math.isfinite(r) and da > 0:
            spread = min(1.0, self.kappa * da * math.exp(-self.kappa * max(r - da, 0.0)))
        else:
            spread = 0.0
        return b, self.ph * (spread + 4 * _EPS)

    def cost(self, y: float) -> float:
        return float(power_cost(self.c, y, self.gamma))

    def top(self, y: float) -> float:
        b, err = self._benefit(y)
        return b + err

    def value(self, y: float) -> tuple[float, float]:
        b, err = self._benefit(y)
        cost = self.cost(y)
        f = b - cost
        allowance = err + _ULPS * (cost + abs(f)) if math.isfinite(cost) else err
        return f, allowance

    def slope(self, y: float) -> tuple[float, float, float]:
        a, da = self._effort(y)
        r = self.r0 + a
        if self.ph > 0 and math.isfinite(r):
            front = math.log(self.ph * self.kappa) + self.log_w
            log_t1 = front - self.kappa * r
            widen = self.kappa * da + _ULPS * (1.0 + abs(front) + self.kappa * r)
            t1, t1_hi, t1_lo = (
                math.exp(min(log_t1, 709.0)),
                math.exp(min(log_t1 + widen, 709.0)),
                math.exp(min(log_t1 - widen, 709.0)),
            )
        else:
            t1 = t1_hi = t1_lo = 0.0
        with np.errstate(over="ignore"):
            t2 = float(self.c * np.float64(y) ** (self.gamma - 1.0))
        return t1_hi - t2 * (1.0 - _ULPS), t1_lo - t2 * (1.0 + _ULPS), t1 - t2


def _weakest_link_welfare_gap(game, x: np.ndarray) -> float:
    """sup W − W(x) for weakest link: supergradient with λ_i ∝ c_i x_i^(γ−1)/w_i, or a box."""
    n = x.shape[0]
    gamma, kappa, ph, r0 = game.cost_exponent, game.efficacy, game.scale, game.baseline
    c, w = game.cost, game.weight
    eta = _sum_allowance(n)
    e = w * x
    m = float(e.min())
    r = r0 + m
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        useful = np.exp((np.log(gamma * ph) - np.log(c)) / gamma) * (1.0 + _ULPS)
        upper = np.maximum(np.minimum(useful, np.finfo(float).max), x)
        costs = game.costs(x)
        m_top = float(np.min(w * upper)) * (1.0 + 4 * _EPS)
        box = (
            ph * (math.exp(-kappa * r) - math.exp(-kappa * (r0 + m_top)))
            + float(costs.sum()) * (1.0 + eta)
            + 8 * _EPS * ph
        )
        if ph <= 0:
            return float(box)
        log_mb = math.log(ph * kappa) - kappa * r
        widen = _ULPS * (1.0 + abs(math.log(ph * kappa)) + kappa * r)
        t2 = c * x ** (gamma - 1.0)
        # λ_i ∝ the marginal cost of raising i's effective level; at x = 0 (zero marginal cost
        # when γ > 1) the unit costs c_i/w_i: then the bound is 0 iff B'(R0) <= Σ c_i/w_i
        q = t2 / w
        total = float(q.sum())
        if not (total > 0 and math.isfinite(total)):
            q = c / w
            total = float(q.sum())
        lam = q / total
        slack = max(float(np.sum(lam * e)) * (1.0 + eta) - m * (1.0 - 2 * _EPS), 0.0)
        g_hi = lam * w * math.exp(log_mb + widen) * (1.0 + 4 * _EPS)
        g_lo = lam * w * math.exp(log_mb - widen) * (1.0 - 4 * _EPS)
        linear = (
            float(_separable_gap(g_lo, g_hi, c, gamma, x, upper).sum()) * (1.0 + eta)
            + math.exp(log_mb + widen) * slack
        )
    return float(min(linear, box)) if not math.isnan(box) else float(linear)


def _concave_welfare_gap(game, x: np.ndarray) -> float:
    """sup W − W(x) for ``sum``/``ces`` (n >= 2 for ces): supergradient or Hölder bound."""
    n = x.shape[0]
    gamma, kappa, ph, r0 = game.cost_exponent, game.efficacy, game.scale, game.baseline
    c = game.cost
    eta = _sum_allowance(n)
    ces = game.aggregator == "ces"
    eta_r = eta / abs(game.ces_rho) + 64 * _EPS if ces else eta
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        useful = (gamma * ph / c) ** (1.0 / gamma) * (1.0 + _ULPS)
        upper = np.maximum(np.minimum(useful, np.finfo(float).max), x)
        a_top = float(game.effort(upper))
        box = _box_welfare_gap(game, x, a_top, eta_r)
    if ph <= 0:
        return float(box)
    if ces and game.ces_rho > 0 and np.any(x > 0) and not np.all(x > 0):
        # ∂A/∂x_i is infinite at x_i = 0: bound at x̃ = max(x, tiny) instead, where A is
        # differentiable, and add W(x̃) − W(x) (at most a few ulps of the stake)
        smooth = np.maximum(x, _TINY)
        lift = max(float(game.welfare(smooth)) - float(game.welfare(x)), 0.0)
        lift += _ULPS * (ph + float(game.costs(smooth).sum()))
        return float(min(_concave_welfare_gap(game, smooth) + lift, box))
    a = float(game.effort(x))
    r = r0 + a
    if not math.isfinite(r):  # B'(R) = 0: only costs move
        return float(
            min(
                float(_separable_gap(np.zeros(n), np.zeros(n), c, gamma, x, upper).sum())
                * (1.0 + eta),
                box,
            )
        )
    log_mb = math.log(ph * kappa) - kappa * r
    spread = kappa * (eta_r * max(a, 0.0) + 2 * _EPS * (r0 + a)) + _ULPS * (
        1.0 + abs(math.log(ph * kappa)) + kappa * r
    )
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if not ces or (a > 0 and np.all(x > 0)):
            if ces:
                rho = game.ces_rho
                log_d = np.log(game.weight) + (rho - 1.0) * (np.log(x) - math.log(a))
                widen = spread + abs(1.0 - rho) * eta_r + _ULPS * np.abs(log_d)
            else:
                log_d = np.log(game.weight)
                widen = spread + _ULPS * np.abs(log_d)
            g_hi = np.exp(log_d + log_mb + widen)
            g_lo = np.exp(log_d + log_mb - widen)
            linear = float(_separable_gap(g_lo, g_hi, c, gamma, x, upper).sum()) * (1.0 + eta)
        elif not np.any(x > 0):
            linear = _holder_gap_at_zero(game, log_mb, spread, upper)
        else:
            linear = math.inf  # ρ < 0 with some zeros: A = 0 and W is not differentiable
    return float(min(linear, box)) if not math.isnan(box) else float(linear)


def _box_welfare_gap(game, x, a_top: float, eta_r: float) -> float:
    """B(R0 + A(x̄)) − B(R) + Σ c_i x_i^γ/γ: the benefit can rise at most to its value at the
    top of the box and the costs can fall at most to zero."""
    kappa, ph, r0 = game.efficacy, game.scale, game.baseline
    a = float(game.effort(x))
    r = r0 + a
    costs = float(game.costs(x).sum())
    rise = (
        ph * (math.exp(-kappa * r) - math.exp(-kappa * (r0 + a_top))) if math.isfinite(r) else 0.0
    )

    def rounding(effort: float) -> float:  # p·H·κ·ΔR·e^(−κ(R − ΔR)): B's error from R's
        if not math.isfinite(effort):
            return 0.0
        err = eta_r * effort + 2 * _EPS * (r0 + effort)
        return min(1.0, kappa * err * math.exp(-kappa * max(r0 + effort - err, 0.0)))

    slack = rounding(a_top) + rounding(a)
    return rise + costs * (1.0 + _sum_allowance(x.shape[0])) + ph * (4 * _EPS + slack)


def _separable_gap(g_lo, g_hi, c, gamma: float, x, upper) -> np.ndarray:
    """Per actor, an upper bound on max_{0<=y<=U} φ(y), φ(y) = g·(y − x) − c·(y^γ − x^γ)/γ.

    This is the planner's gain once B is replaced by its tangent at R (valid: B is concave) and
    A by its tangent or supergradient at x: W(y) − W(x) <= Σ_i φ_i(y_i). φ is concave with
    slope g − c·y^(γ−1) (g ∈ [g_lo, g_hi]: g_hi right of x, g_lo left of it). Three bounds,
    the smallest is kept: the tangent at x; the tangents at the ends of a bracket a few ulps
    wide around y* = (g/c)^(1/(γ−1)) (the maximizer, up to rounding) with the interval bound
    inside it; and g·(U − x) + c·x^γ/γ (cost dropped, benefit at U).
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        cost_x = power_cost(c, x, gamma)

        def slopes(y):
            t2 = c * y ** (gamma - 1.0)
            g_right = np.where(y >= x, g_hi, g_lo)  # φ'(y+) uses g_hi from x on
            g_left = np.where(y > x, g_hi, g_lo)  # φ'(y−) uses g_lo up to x
            return g_right - t2 * (1.0 - _ULPS), g_left - t2 * (1.0 + _ULPS)

        def tangent(z, phi_z):
            right, left = slopes(z)
            gain_r = np.where(upper > z, np.maximum(right, 0.0) * (upper - z), 0.0)
            gain_l = np.where(z > 0, np.maximum(-left, 0.0) * z, 0.0)
            return phi_z + np.maximum(gain_r, gain_l)

        at_x = tangent(x, 0.0)
        g_mid = 0.5 * (g_lo + g_hi)
        if gamma > 1.0:
            star = np.exp((np.log(g_mid) - np.log(c)) / (gamma - 1.0))
        else:
            star = np.where(g_mid > c, upper, 0.0)
        star = np.clip(np.where(np.isnan(star), 0.0, star), 0.0, upper)
        # bracket the maximizer: [lo, hi] a few ulps around y* (at least [0, tiny] when y*
        # underflows); tangents bound φ outside it, the interval bound inside it
        lo = star * (1.0 - 4 * _EPS)
        hi = np.minimum(np.maximum(star * (1.0 + 4 * _EPS), _TINY), upper)
        lo = np.minimum(lo, hi)

        def phi(y):
            cost_y = power_cost(c, y, gamma)
            g_used = np.where(y >= x, g_hi, g_lo)
            value = g_used * (y - x) - (cost_y - cost_x)
            return value + _ULPS * (np.abs(g_used * (y - x)) + cost_y + cost_x)

        _, left_lo = slopes(lo)
        right_hi, _ = slopes(hi)
        left_part = phi(lo) + np.where(lo > 0, np.maximum(-left_lo, 0.0) * lo, 0.0)
        right_part = phi(hi) + np.where(upper > hi, np.maximum(right_hi, 0.0) * (upper - hi), 0.0)
        inside = (
            np.where(hi >= x, g_hi, g_lo) * (hi - x)
            - (power_cost(c, lo, gamma) - cost_x)
            + _ULPS * (cost_x + np.abs(hi - x))
        )
        at_star = np.fmax(np.fmax(left_part, right_part), inside)
        box = g_hi * (upper - x) + cost_x * (1.0 + _ULPS)
        best = np.fmin(np.fmin(at_x, at_star), box)
    return np.where(np.isnan(best), np.inf, np.maximum(best, 0.0))


def _holder_gap_at_zero(game, log_mb: float, spread: float, upper: np.ndarray) -> float:
    """sup W − W(0) for ces: B(R0 + A) − B(R0) <= B'(R0)·A(y) <= B'(R0)·M·Σ c_i y_i."""
    rho, gamma, c = game.ces_rho, game.cost_exponent, game.cost
    log_w = np.log(game.weight)
    if rho == 1.0:
        # Perfect substitutes: A(y) = Σ w_i y_i <= max_i(w_i/c_i)·Σ c_i y_i (the limit of M).
        log_m = float(np.max(log_w - np.log(c)))
        widen = spread + _ULPS * (1.0 + abs(log_m))
    else:
        log_s = _logsumexp(log_w + rho / (1.0 - rho) * (log_w - np.log(c)))
        log_m = (1.0 - rho) / rho * log_s
        widen = (
            spread
            + _ULPS * (1.0 + abs(log_m) / max(abs(rho), _EPS))
            + _sum_allowance(c.size) * abs((1.0 - rho) / rho)
        )
    log_t = log_mb + log_m + widen  # upper bound of ln(B'(R0)·M)
    if gamma == 1.0:
        return max(math.exp(min(log_t, 700.0)) - 1.0, 0.0) * float(np.sum(c * upper))
    with np.errstate(over="ignore"):
        per_unit = float(np.exp(gamma / (gamma - 1.0) * log_t)) * (gamma - 1.0) / gamma
    return per_unit * float(np.sum(c)) * (1.0 + _ULPS)


# --- normal-form games ------------------------------------------------------------------------
# These certificates contract the payoff array with the profile directly (no solver code), in
# floats or, for exact payoffs and rational profiles, in exact rational arithmetic.


def _contract_others(values: np.ndarray, strategies, player: int) -> np.ndarray:
    """Expected payoff of each action of ``player`` against the others' mixed strategies."""
    out = values
    for j in reversed(range(len(strategies))):
        if j != player:
            out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def action_values_normal_form(payoffs, strategies) -> list[np.ndarray]:
    """Float expected payoff of every pure action of every player at a mixed profile.

    ``payoffs`` has shape (n_0, ..., n_{N-1}, N) (player on the last axis).

    Parameters
    ----------
    payoffs : array_like
        Float payoffs, shape (n_0, ..., n_{N-1}, N) (player on the last axis).
    strategies : sequence of array_like
        One probability vector per player.

    Returns
    -------
    list of ndarray
        Per player, the expected payoff of each of its actions against the others' mix.
    """
    payoffs = np.asarray(payoffs, dtype=float)
    probs = [np.asarray(p, dtype=float) for p in strategies]
    if len(probs) == 2:  # bimatrix: two matrix-vector products
        return [payoffs[..., 0] @ probs[1], probs[0] @ payoffs[..., 1]]
    if payoffs.size <= 4096 and len(probs) <= 26:
        # small tables: one einsum per player beats a chain of tensordot calls
        letters = "abcdefghijklmnopqrstuvwxyz"[: len(probs)]
        return [
            np.einsum(
                f"{letters},{','.join(c for j, c in enumerate(letters) if j != i)}->{letters[i]}",
                payoffs[..., i],
                *(p for j, p in enumerate(probs) if j != i),
            )
            for i in range(len(probs))
        ]
    return [
        np.asarray(_contract_others(payoffs[..., i], probs, i), dtype=float)
        for i in range(len(probs))
    ]


def regrets_normal_form(payoffs, strategies) -> np.ndarray:
    """Each player's regret at a mixed profile: best pure value minus expected payoff (floats).

    Parameters
    ----------
    payoffs : array_like
        Float payoffs, shape (n_0, ..., n_{N-1}, N) (player on the last axis).
    strategies : sequence of array_like
        One probability vector per player.

    Returns
    -------
    ndarray
        Shape (n_players,), each ≥ 0.
    """
    probs = [np.asarray(p, dtype=float) for p in strategies]
    values = action_values_normal_form(payoffs, probs)
    return np.array([max(0.0, float(v.max() - v @ p)) for v, p in zip(values, probs)])


def regrets_bimatrix(payoffs, profiles) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs and regrets of many mixed profiles of one two-player game (floats).

    The same contraction as :func:`regrets_normal_form`, for a batch of profiles at once:
    the action values ``A y`` and ``B^T x`` of every profile come from one matrix product.

    Parameters
    ----------
    payoffs : array_like
        Float payoffs, shape (m, n, 2) (player on the last axis).
    profiles : array_like
        Shape (p, m + n): row k is the row player's mixed strategy followed by the column
        player's.

    Returns
    -------
    payoffs : ndarray
        Shape (p, 2): each player's expected payoff at each profile.
    regrets : ndarray
        Shape (p, 2), each >= 0: best pure value minus expected payoff.
    """
    payoffs = np.asarray(payoffs, dtype=float)
    profiles = np.asarray(profiles, dtype=float)
    m, n = payoffs.shape[:2]
    # [x | y] @ [[0, B], [A^T, 0]] = [A y | B^T x]: every action value of both players
    block = np.zeros((m + n, m + n))
    block[:m, m:] = payoffs[..., 1]
    block[m:, :m] = payoffs[..., 0].T
    values = profiles @ block
    starts = [0, m]
    expected = np.add.reduceat(values * profiles, starts, axis=1)
    best = np.maximum.reduceat(values, starts, axis=1)
    return expected, np.maximum(best - expected, 0.0)


def regrets_binary_actions(payoffs, strategies) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs and regrets of many profiles of a game with two actions per player.

    For N >= 3 players and a C-ordered payoff array the numbers are those of
    :func:`regrets_normal_form` and of the record's expected-payoff contraction for each
    profile: every product is formed in the order of those contractions (payoff times each
    other player's probability, players in order) and summed in theirs (profiles in C order;
    a player's action values in blocks over the later players' profiles), so with numpy's
    present ``einsum`` they agree to the last bit, and to rounding in any case. Other payoff arrays raise ValueError: take those routines profile by profile.

    Parameters
    ----------
    payoffs : ndarray
        Float payoffs, shape (2, ..., 2, N) with N >= 3 (player on the last axis), C-ordered.
    strategies : ndarray
        Shape (K, N, 2): row k holds each player's mixed strategy at profile k.

    Returns
    -------
    payoffs : ndarray
        Shape (K, N): each player's expected payoff at each profile.
    regrets : ndarray
        Shape (K, N), each >= 0: best pure value minus expected payoff.
    """
    strategies = np.asarray(strategies, dtype=float)
    k, n = strategies.shape[:2]
    if n < 3 or payoffs.dtype != float or not payoffs.flags.c_contiguous:
        raise ValueError("a C-ordered float payoff array of three or more players")
    mask, base_index = _binary_layout(n)
    # each player's probability of its action at every profile (C order): (K, N, 2^N)
    chosen = strategies[:, np.arange(n)[:, None], _corner_bits(n)]
    # factor j of the products of column r: player j's probability, or 1.0 (exact) where the
    # column is player j's own action value
    factors = np.where(mask, chosen[:, :, None, :], 1.0)
    terms = payoffs.reshape(1 << n, n).T[base_index]  # (2N, 2^N): expected, then values
    for j in range(n):
        terms = terms * factors[:, j]
    # every sum in its contraction's order: the expected payoff over the profiles in C order;
    # player i's action values in blocks over the later players' profiles (each summed
    # from 0.0), the blocks in order
    expected = np.cumsum(terms[:, :n], axis=2)[..., -1] + 0.0
    values = np.empty((k, n, 2))
    for i in range(n):
        blocks = terms[:, n + i].reshape(k, 1 << i, 2, 1 << (n - 1 - i))
        inner = np.cumsum(blocks, axis=3)[..., -1] + 0.0
        values[:, i] = np.cumsum(inner, axis=1)[:, -1] + 0.0
    # the dot product of the action values with the strategy, as ``v @ p`` forms it
    mean = np.matmul(values[:, :, None, :], strategies[:, :, :, None])[:, :, 0, 0]
    gap = values.max(axis=2) - mean
    return expected, np.where(gap > 0.0, gap, 0.0)


_CORNER_BITS: dict[int, np.ndarray] = {}
_LAYOUTS: dict[int, tuple] = {}


def _corner_bits(n: int) -> np.ndarray:
    if n not in _CORNER_BITS:
        profiles = np.arange(1 << n)
        _CORNER_BITS[n] = np.array([(profiles >> (n - 1 - j)) & 1 for j in range(n)])
    return _CORNER_BITS[n]


def _binary_layout(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Which factors multiply which products in :func:`regrets_binary_actions` (cached).

    Column r < N of the products holds player r's expected payoff terms (all N factors),
    column N + i player i's action value terms (the others' factors).
    """
    if n not in _LAYOUTS:
        mask = np.ones((n, 2 * n, 1), dtype=bool)
        for i in range(n):
            mask[i, n + i] = False
        _LAYOUTS[n] = (mask, np.concatenate((np.arange(n), np.arange(n))))
    return _LAYOUTS[n]


def exact_binary_actions(tables, numerators, denominators):
    """Exact action values of many rational profiles of a game with two actions per player.

    Parameters
    ----------
    tables : ndarray of int
        Shape (N, 2, 2^(N-1)): row ``[i, a]`` holds player i's payoffs (integers; each
        player's may be scaled by its own positive factor s_i) when it takes action a, over
        the others' profiles in C order.
    numerators, denominators : sequence of sequence of int
        P(action 0) of player j at profile k is ``numerators[k][j] / denominators[k][j]``,
        in [0, 1].

    Returns
    -------
    values : list of list of pairs of int
        ``values[k][i] = (v0, v1)``: player i's payoff from each action at profile k, times
        s_i and the product of the others' denominators.
    expected : list of list of int
        Player i's expected payoff times s_i and the product of all denominators.

    A profile is a Nash equilibrium exactly when, for every player, ``v0 == v1`` if it
    mixes, ``v0 >= v1`` if it takes action 0 and ``v1 >= v0`` if it takes action 1.
    """
    k = len(numerators)
    n = tables.shape[0]
    if k * n << n <= 400:  # few profiles: Python integers, without numpy's fixed costs
        rows = tables.tolist()
        values, expected = [], []
        for num, den in zip(numerators, denominators):
            weights = [(a, d - a) for a, d in zip(num, den)]
            row = []
            for i in range(n):
                others = [1]
                for j in range(n):
                    if j != i:
                        a, b = weights[j]
                        others = [x for o in others for x in (o * a, o * b)]
                row.append(
                    (
                        sum(map(operator.mul, rows[i][0], others)),
                        sum(map(operator.mul, rows[i][1], others)),
                    )
                )
            values.append(row)
            expected.append([w0 * v0 + w1 * v1 for (w0, w1), (v0, v1) in zip(weights, row)])
        return values, expected
    num = np.array(numerators, dtype=object).reshape(k, n)
    den = np.array(denominators, dtype=object).reshape(k, n)
    # int64 when no sum can overflow: every sum is at most max|table| times a product of
    # denominators (the weights are nonnegative and sum to the denominator)
    biggest = max(int(abs(v)) for v in tables.flat) if tables.size else 0
    bound = max(biggest, 1) * max((math.prod(r) for r in den.tolist()), default=1)
    dtype = np.int64 if bound < 1 << 62 else object
    # (K, N, 2): the weight of each action
    shares = np.stack([num, den - num], axis=2).astype(dtype)
    table = tables.astype(dtype)
    action_values = np.empty((k, n, 2), dtype=dtype)
    for i in range(n):
        product = np.ones((k, 1), dtype=dtype)
        for j in range(n):
            if j != i:
                product = (product[:, :, None] * shares[:, j, None, :]).reshape(k, -1)
        action_values[:, i] = product @ table[i].T
    return action_values.tolist(), (action_values * shares).sum(axis=2).tolist()


def exact_certificate_normal_form(exact_payoffs, strategies) -> tuple[tuple, tuple]:
    """Exact expected payoffs and regrets of a rational profile in a game with exact payoffs.

    Parameters
    ----------
    exact_payoffs : ndarray of object
        Python ints / :class:`fractions.Fraction`, shape (n_0, ..., n_{N-1}, N).
    strategies : sequence of sequences of Fraction
        One probability vector per player.

    Returns
    -------
    (payoffs, regrets) : tuple of tuples of Fraction
        A regret of exactly 0 for every player certifies a Nash equilibrium.
    """
    import math
    from fractions import Fraction

    # Python integers are much cheaper than Fractions: scale the payoffs by their common
    # denominator and each strategy by its own, contract exactly, and divide once at the end.
    fractions = [Fraction(v) for v in np.asarray(exact_payoffs, dtype=object).ravel()]
    scale = math.lcm(*(v.denominator for v in fractions))
    ints = np.array(
        [v.numerator * (scale // v.denominator) for v in fractions], dtype=object
    ).reshape(np.shape(exact_payoffs))
    probs, dens = [], []
    for p in strategies:
        p = [Fraction(v) for v in p]
        den = math.lcm(*(v.denominator for v in p))
        probs.append(np.array([v.numerator * (den // v.denominator) for v in p], dtype=object))
        dens.append(den)
    total = scale * math.prod(dens)  # u = value / total for every player
    payoffs, regrets = [], []
    for i in range(len(probs)):
        values = _contract_others(ints[..., i], probs, i)  # action values × total / dens[i]
        expected = sum(int(v) * int(q) for v, q in zip(values, probs[i]))
        payoffs.append(Fraction(expected, total))
        regrets.append(max(Fraction(int(max(values)) * dens[i] - expected, total), Fraction(0)))
    return tuple(payoffs), tuple(regrets)


def regret_symmetric_binary(payoff_0, payoff_1, probability: float) -> float:
    """Regret of the symmetric profile where every player takes action 0 with ``probability``.

    ``payoff_0[k]`` (``payoff_1[k]``) is the payoff of action 0 (1) when k of the other N − 1
    players take action 0. Expected values use the binomial distribution of k directly.

    Parameters
    ----------
    payoff_0, payoff_1 : array_like
        Payoffs of actions 0 and 1, length N, indexed by k.
    probability : float
        P(action 0) of every player, in [0, 1].

    Returns
    -------
    float
        Value of the better pure action minus the expected payoff of the mix (≥ 0).
    """
    from scipy import stats

    payoff_0 = np.asarray(payoff_0, dtype=float)
    payoff_1 = np.asarray(payoff_1, dtype=float)
    others = payoff_0.size - 1
    weights = stats.binom.pmf(np.arange(others + 1), others, probability)
    value_0, value_1 = float(weights @ payoff_0), float(weights @ payoff_1)
    expected = probability * value_0 + (1.0 - probability) * value_1
    return max(0.0, max(value_0, value_1) - expected)


# --- logit quantal response equilibria --------------------------------------------------------
# The QRE solver (coordgap.solvers.qre) computes action values, expected payoff differences and
# logit responses with code of its own; these certificates use only the routines of this module
# and SciPy, so a QRE is checked by code that shares no numerical routine with the code that
# found it.


def _logit_response(values: np.ndarray, lam: float) -> np.ndarray:
    """exp(λ·v(a)) / Σ_b exp(λ·v(b)), shifted by max v so that no exponential overflows."""
    z = lam * (values - values.max())
    e = np.exp(z)
    return e / e.sum()


def logit_certificate_normal_form(payoffs, strategies, lam: float):
    """Expected payoffs, Nash max regret and logit-QRE residual of a mixed profile (floats).

    Parameters
    ----------
    payoffs : array_like
        Shape (n_0, ..., n_{N-1}, N), player on the last axis.
    strategies : sequence of array_like
        One probability vector per player.
    lam : float
        Precision λ of the logit response.

    Returns
    -------
    expected : ndarray
        Each player's expected payoff.
    max_regret : float
        Largest gain of a player from its best pure deviation (0 at a Nash equilibrium).
    residual : float
        max |p − logit(λ·u(p))| over players and actions (0 at a logit QRE).

    Examples
    --------
    Matching pennies: the uniform profile is the logit QRE at every λ.

    >>> import numpy as np
    >>> a = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> payoffs = np.stack([a, -a], axis=-1)
    >>> expected, regret, residual = logit_certificate_normal_form(
    ...     payoffs, [np.array([0.5, 0.5])] * 2, 3.0
    ... )
    >>> expected.tolist(), regret, residual
    ([0.0, 0.0], 0.0, 0.0)
    """
    probs = [np.asarray(p, dtype=float) for p in strategies]
    values = action_values_normal_form(payoffs, probs)
    expected = np.array([float(v @ p) for v, p in zip(values, probs)])
    regret = max(max(0.0, float(v.max() - pay)) for v, pay in zip(values, expected))
    residual = float(
        max(np.max(np.abs(p - _logit_response(v, lam))) for p, v in zip(probs, values))
    )
    return expected, regret, residual


def logit_certificate_symmetric_binary(payoff_0, payoff_1, probability: float, lam: float):
    """Expected payoff, regret and logit-QRE residual of a symmetric binary-action profile.

    Every player takes action 0 with ``probability``; ``payoff_0[k]`` (``payoff_1[k]``) is the
    payoff of action 0 (1) when k of the other N − 1 players take action 0. Expected values use
    the binomial distribution of k directly (:func:`scipy.stats.binom.pmf`).

    Parameters
    ----------
    payoff_0, payoff_1 : array_like
        Length N each.
    probability : float
        P(action 0) of every player.
    lam : float
        Precision λ of the logit response.

    Returns
    -------
    expected : float
        Each player's expected payoff.
    regret : float
        Gain from the best pure deviation.
    residual : float
        |p − σ(λ·Δ(p))|, Δ the expected payoff difference of action 0 over action 1.

    Examples
    --------
    >>> cert = logit_certificate_symmetric_binary([0.0, 1.0, 2.0], [0.5, 1.5, 1.5], 0.5, 0.0)
    >>> [round(v, 12) for v in cert]
    [1.125, 0.125, 0.0]
    """
    from scipy import special, stats

    payoff_0 = np.asarray(payoff_0, dtype=float)
    payoff_1 = np.asarray(payoff_1, dtype=float)
    weights = stats.binom.pmf(np.arange(payoff_0.size), payoff_0.size - 1, probability)
    values = np.array([weights @ payoff_0, weights @ payoff_1])
    expected = float(values @ np.array([probability, 1.0 - probability]))
    regret = float(max(0.0, values.max() - expected))
    delta = float(weights @ (payoff_0 - payoff_1))
    residual = abs(probability - float(special.expit(lam * delta)))
    return expected, regret, residual


__all__ += [
    "action_values_normal_form",
    "regrets_normal_form",
    "regrets_bimatrix",
    "exact_certificate_normal_form",
    "regret_symmetric_binary",
    "logit_certificate_normal_form",
    "logit_certificate_symmetric_binary",
]
