"""Certificates: the max regret of a profile, computed independently of any solver.

For continuous games each actor's best response to the others is found by its own bounded
1-D maximization of its payoff — a grid over [0, x̄_i] split at the payoff's kinks, refined by
golden-section search around the best grid point — without using any first-order condition.
The maximization is vectorized over actors and processed in chunks, so memory stays bounded.
"""

from __future__ import annotations

import numpy as np

__all__ = ["max_regret_continuous", "regrets_continuous"]

_GRID = 17          # grid points per segment
_GOLDEN_STEPS = 48  # shrinks the bracket by 0.618**48 ≈ 1e-10
_CHUNK_ELEMENTS = 1 << 21
_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0


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
    """Each actor's regret: best deviation payoff minus its payoff at ``investment``.

    ``game`` must provide ``others(x)``, ``deviation_payoffs(others, own, actors)``,
    ``kinks(others)`` and ``useful_bound()`` (see :class:`~coordgap.PreparednessGame`).
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
        out[sl] = np.maximum(best - current, 0.0)
    return out


def max_regret_continuous(game, investment) -> float:
    """Largest regret over actors (0 means no actor gains by deviating alone)."""
    regrets = regrets_continuous(game, investment)
    return float(regrets.max()) if regrets.size else 0.0


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
    """
    payoffs = np.asarray(payoffs, dtype=float)
    probs = [np.asarray(p, dtype=float) for p in strategies]
    if len(probs) == 2:  # bimatrix: two matrix-vector products
        return [payoffs[..., 0] @ probs[1], probs[0] @ payoffs[..., 1]]
    if payoffs.size <= 4096 and len(probs) <= 26:
        # small tables: one einsum per player beats a chain of tensordot calls
        letters = "abcdefghijklmnopqrstuvwxyz"[:len(probs)]
        return [np.einsum(f"{letters},{','.join(c for j, c in enumerate(letters) if j != i)}"
                          f"->{letters[i]}", payoffs[..., i],
                          *(p for j, p in enumerate(probs) if j != i))
                for i in range(len(probs))]
    return [np.asarray(_contract_others(payoffs[..., i], probs, i), dtype=float)
            for i in range(len(probs))]


def regrets_normal_form(payoffs, strategies) -> np.ndarray:
    """Each player's regret at a mixed profile: best pure value minus expected payoff (floats)."""
    probs = [np.asarray(p, dtype=float) for p in strategies]
    values = action_values_normal_form(payoffs, probs)
    return np.array([max(0.0, float(v.max() - v @ p)) for v, p in zip(values, probs)])


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
    ints = np.array([v.numerator * (scale // v.denominator) for v in fractions],
                    dtype=object).reshape(np.shape(exact_payoffs))
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
    """
    from scipy import stats

    payoff_0 = np.asarray(payoff_0, dtype=float)
    payoff_1 = np.asarray(payoff_1, dtype=float)
    others = payoff_0.size - 1
    weights = stats.binom.pmf(np.arange(others + 1), others, probability)
    value_0, value_1 = float(weights @ payoff_0), float(weights @ payoff_1)
    expected = probability * value_0 + (1.0 - probability) * value_1
    return max(0.0, max(value_0, value_1) - expected)


__all__ += ["action_values_normal_form", "regrets_normal_form", "exact_certificate_normal_form",
            "regret_symmetric_binary"]
