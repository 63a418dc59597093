"""Brute force for the preparedness game M1, written out from docs/guide/m1-preparedness.md (no package code).

Payoffs, welfare and each actor's best deviation (a dense 1-D grid refined by scipy's bounded
scalar minimizer), and the approximate equilibria of a small game found on a joint grid. Shared
by the preparedness tests; the CES aggregate is computed in logarithms so that no power
overflows at ρ near 0.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize


def aggregate(x, w, aggregator, rho):
    """A(x) for profiles of shape (..., n); CES in logs so that no power overflows."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if aggregator == "sum":
        return np.sum(w * x, axis=-1)
    if aggregator == "weakest_link":
        return np.min(w * x, axis=-1)
    if aggregator == "best_shot":
        return np.max(w * x, axis=-1)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        logs = np.log(w) + rho * np.log(x)  # ln(w_i x_i^ρ)
        if rho > 0:
            logs = np.where(x > 0, logs, -np.inf)
        top = np.max(logs, axis=-1, keepdims=True)
        inner = top[..., 0] + np.log(np.sum(np.exp(logs - top), axis=-1))
        a = np.exp(inner / rho)
    if rho < 0:
        a = np.where(np.all(x > 0, axis=-1), a, 0.0)
    return np.where(np.isnan(a), 0.0, a)


class Spec:
    def __init__(self, game):
        self.s, self.c, self.w = game.share, game.private_cost, game.weight
        self.full_cost = game.cost
        self.ph, self.kappa, self.gamma = game.prob * game.harm, game.efficacy, game.cost_exponent
        self.r0, self.agg, self.rho = game.baseline, game.aggregator, game.ces_rho
        self.n = len(self.s)

    def benefit(self, a):
        with np.errstate(over="ignore", invalid="ignore"):
            return self.ph * -np.expm1(-self.kappa * (self.r0 + a))

    def cost(self, c, x):
        with np.errstate(over="ignore"):
            return c * np.asarray(x, dtype=float) ** self.gamma / self.gamma

    def payoff(self, x, i):
        return self.s[i] * self.benefit(aggregate(x, self.w, self.agg, self.rho)) - self.cost(
            self.c[i], np.asarray(x)[..., i]
        )

    def welfare(self, x):
        return self.benefit(aggregate(x, self.w, self.agg, self.rho)) - np.sum(
            self.cost(self.full_cost, x), axis=-1
        )

    def upper(self, i):
        return (self.gamma * self.s[i] * self.ph / self.c[i]) ** (1.0 / self.gamma)


def best_reply(spec, x, i, n_grid=4001):
    """Actor i's best reply to x and its payoff: a dense 1-D grid over [0, x̄_i] (with the
    kink, x_i and the smallest positive investments added), refined around the best point."""
    x = np.array(x, dtype=float)
    hi = max(spec.upper(i), x[i])
    grid = np.concatenate((np.linspace(0.0, hi, n_grid), [x[i], np.nextafter(0.0, 1.0), 1e-300]))
    if spec.agg in ("weakest_link", "best_shot") and spec.n > 1:
        others = np.delete(spec.w * x, i)
        kink = (others.min() if spec.agg == "weakest_link" else others.max()) / spec.w[i]
        grid = np.concatenate((grid, [min(kink, hi)]))
    profiles = np.repeat(x[None], grid.size, axis=0)
    profiles[:, i] = grid
    values = spec.payoff(profiles, i)
    k = int(np.nanargmax(values))
    best, arg = float(values[k]), float(grid[k])
    order = np.sort(grid)
    j = int(np.searchsorted(order, grid[k]))
    lo, up = order[max(j - 1, 0)], order[min(j + 1, order.size - 1)]
    if up > lo:

        def negative(v):
            y = x.copy()
            y[i] = v
            return -float(spec.payoff(y, i))

        res = optimize.minimize_scalar(
            negative, bounds=(lo, up), method="bounded", options=dict(xatol=1e-14)
        )
        if -res.fun > best:
            best, arg = -res.fun, float(res.x)
    return arg, best


def brute_regret(spec, x, i, n_grid=4001):
    """Actor i's regret at x: its best reply's payoff minus its payoff at x."""
    _, best = best_reply(spec, x, i, n_grid)
    return max(best - float(spec.payoff(np.asarray(x, dtype=float), i)), 0.0)


def best_response_limit(spec, x, n_grid=801, rounds=80, tol=1e-9):
    """Iterated best responses (one actor at a time) from x; the limit, or None if the
    iteration has not settled after ``rounds`` rounds."""
    x = np.array(x, dtype=float)
    for _ in range(rounds):
        previous = x.copy()
        for i in range(spec.n):
            x[i] = best_reply(spec, x, i, n_grid)[0]
        if np.max(np.abs(x - previous)) <= tol * (1.0 + np.max(np.abs(x))):
            return x
    return None


def grid_equilibria(spec, n_grid, steps=1, regret=0.01):
    """Approximate equilibria on a joint grid, and the grid step of each actor.

    A profile qualifies when every actor's grid choice is within ``steps`` grid steps of its
    best grid reply and gains at most ``regret`` times its stake s_i·p·H by switching to it (a
    tiny move can gain a lot where the CES aggregate jumps, near ρ = 0).
    """
    axes = [np.linspace(0.0, spec.upper(i), n_grid) for i in range(spec.n)]
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
    idx = np.indices((n_grid,) * spec.n)
    ok = np.ones((n_grid,) * spec.n, dtype=bool)
    for i in range(spec.n):
        u = spec.payoff(mesh, i)
        best = np.expand_dims(np.nanargmax(u, axis=i), i)
        gain = np.nanmax(u, axis=i, keepdims=True) - u
        ok &= (np.abs(idx[i] - best) <= steps) & (gain <= regret * spec.s[i] * spec.ph)
    return mesh[ok], np.array([spec.upper(i) / (n_grid - 1) for i in range(spec.n)])
