"""Regrets recomputed from a game's payoffs, for :func:`coordgap.check_game`.

A solver reports each equilibrium's ``max_regret``; :func:`coordgap.check_game` does not take
that number on trust. For every game family :func:`coordgap.solve` accepts, this module
recomputes the largest gain any player gets by deviating alone, from the game's definition,
with code that shares nothing with the solvers or their certificates:

* normal-form games: the value of each pure action against the others' mixes, contracted
  from the payoff tensor, minus the player's expected payoff;
* symmetric binary-action games: the same, with binomial weights computed in logs;
* the preparedness game: each actor's best deviation payoff found by a bounded search (a
  linear and a logarithmic grid over [0, x̄_i], refined by bounded Brent), with the aggregate
  recomputed from its definition (sum, CES in logs, min, max) and B(R) from the game;
* the participation game: each actor's payoff after switching alone, from
  :meth:`~coordgap.ParticipationGame.payoffs` of the switched profiles;
* the global participation game and the disclosure game: each signal type's expected gain
  from acting, by composite Gauss–Legendre quadrature (global game) or the normal posterior
  (disclosure game), on a grid of signals on both sides of the cutoff;
* the participation game with private costs (up to 14 actors): the cutoff type's expected
  gain from filing, summed over every pattern of the others' filings with the probabilities
  their cutoffs imply, each pattern's gain from the complete-information game's
  :meth:`~coordgap.ParticipationGame.payoffs` (the regret of a cutoff strategy is the cutoff
  type's |expected gain|: the gain is linear in the own cost).

Each function returns ``(regret, scale)``: the regret in the game's payoff units and the size
of the payoffs it was computed from, for a rounding allowance.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from .games.bayesian_participation import BayesianParticipationGame
from .games.disclosure import DisclosureGame
from .games.global_game import GlobalParticipationGame
from .games.normal_form import NormalFormGame
from .games.participation import ParticipationGame
from .games.preparedness import PreparednessGame
from .games.symmetric_binary import SymmetricBinaryGame

__all__ = ["independent_regret"]

_BLOCK = 2**21  # entries of switched participation profiles built at once
_LEG_NODES, _LEG_WEIGHTS = np.polynomial.legendre.leggauss(48)


def independent_regret(game, record) -> tuple[float, float] | None:
    """``(regret, payoff scale)`` of ``record`` recomputed from ``game``, or None.

    None when the game is not of a built-in family (nor a subclass of one) or the record does
    not hold the profile the family's equilibria are described by.
    """
    if isinstance(game, PreparednessGame) and hasattr(record, "investment"):
        return preparedness_regret(game, record.investment)
    if isinstance(game, NormalFormGame) and hasattr(record, "strategies"):
        return normal_form_regret(game, record.strategies)
    if isinstance(game, SymmetricBinaryGame) and hasattr(record, "probability"):
        return symmetric_binary_regret(game, record.probability)
    if isinstance(game, ParticipationGame) and hasattr(record, "joined"):
        return participation_regret(game, record)
    if isinstance(game, GlobalParticipationGame) and hasattr(record, "signal_cutoff"):
        return global_game_regret(game, record.signal_cutoff)
    if isinstance(game, DisclosureGame) and hasattr(record, "signal_cutoff"):
        return disclosure_regret(game, record.signal_cutoff)
    if isinstance(game, BayesianParticipationGame) and hasattr(record, "cutoffs"):
        return bayesian_participation_regret(game, record)
    return None


_BAYES_MAX_ACTORS = 14  # 2^(N−1) patterns of the others' filings at most


def bayesian_participation_regret(game, record) -> tuple[float, float] | None:
    """The largest |expected gain| of a cutoff type, over every pattern of the others' filings
    (None above 14 actors)."""
    n = game.n_actors
    if n > _BAYES_MAX_ACTORS:
        return None
    counts = game.counts
    rep = np.repeat(np.arange(counts.size), counts)
    cutoffs = np.asarray(record.cutoffs, dtype=float)
    median, sigma = np.asarray(game.cost_median, float), np.asarray(game.cost_sigma, float)
    # The chance that each actor files: its cost below its class's cutoff (lognormal); at a
    # point mass the record's mixing probability is the strategy itself.
    with np.errstate(divide="ignore"):
        z = (np.log(np.maximum(cutoffs, 0.0)) - np.log(median)) / np.where(sigma > 0, sigma, 1.0)
    files = np.where(sigma > 0, special.ndtr(z), np.asarray(record.join_prob, dtype=float))
    prob = files[rep]
    complete = game.complete_information_game()
    others_patterns = np.array(
        [[(b >> j) & 1 for j in range(n - 1)] for b in range(1 << (n - 1))], dtype=bool
    )
    worst, scale = 0.0, 0.0
    for r in range(counts.size):
        if counts[r] == 0:
            continue
        i = int(np.flatnonzero(rep == r)[0])
        rest = np.delete(np.arange(n), i)
        # The cutoff type's own cost (clipped to the costs a lognormal can take).
        k = float(np.clip(cutoffs[r], 0.0, median[r] * math.exp(8.0 * sigma[r])))
        game_k = complete.replace(cost=np.where(np.arange(n) == i, k, complete.cost))
        out = np.zeros((others_patterns.shape[0], n), dtype=bool)
        out[:, rest] = others_patterns
        joined = out.copy()
        joined[:, i] = True
        gain = game_k.payoffs(joined)[:, i] - game_k.payoffs(out)[:, i]
        weight = np.prod(np.where(others_patterns, prob[rest], 1.0 - prob[rest]), axis=1)
        worst = max(worst, abs(float(weight @ gain)))
        scale = max(
            scale,
            float(np.abs(gain).max(initial=0.0)) + k + abs(float(complete.incentive[i])),
        )
    return worst, scale


# -- finite games ------------------------------------------------------------------------------
def normal_form_regret(game, strategies) -> tuple[float, float]:
    """Best pure-action value minus expected payoff, largest over players."""
    payoffs = np.asarray(game.payoffs, dtype=float)
    n = payoffs.ndim - 1
    probs = [np.asarray(s, dtype=float) for s in strategies]
    worst = 0.0
    for i in range(n):
        values = payoffs[..., i]
        for j in reversed(range(n)):  # the last axes first: lower axis numbers stay put
            if j != i:
                values = np.tensordot(values, probs[j], axes=([j], [0]))
        worst = max(worst, float(values.max() - values @ probs[i]))
    return worst, float(np.abs(payoffs).max(initial=0.0))


def symmetric_binary_regret(game, probability) -> tuple[float, float]:
    """Gain of the better pure action over the symmetric mix (binomial weights in logs)."""
    p = float(probability)
    pay_0 = np.asarray(game.payoff_0, dtype=float)
    pay_1 = np.asarray(game.payoff_1, dtype=float)
    n = pay_0.size
    k = np.arange(n)
    if p <= 0.0 or p >= 1.0:
        weights = (k == (n - 1 if p >= 1.0 else 0)).astype(float)
    else:
        log_choose = special.gammaln(n) - special.gammaln(k + 1) - special.gammaln(n - k)
        weights = np.exp(log_choose + k * math.log(p) + (n - 1 - k) * math.log1p(-p))
    value_0, value_1 = float(weights @ pay_0), float(weights @ pay_1)
    mix = p * value_0 + (1.0 - p) * value_1
    scale = float(max(np.abs(pay_0).max(), np.abs(pay_1).max()))
    return max(0.0, max(value_0, value_1) - mix), scale


def participation_regret(game, record) -> tuple[float, float]:
    """Largest payoff gain of an actor switching alone, from the switched profiles' payoffs.

    When the record declares actors free to be in or out, a second profile of its class (a
    different choice of which free actors join) is checked as well.
    """
    joined = np.asarray(record.joined, dtype=bool)
    profiles = [joined]
    free = getattr(record, "free", None)
    if free is not None and np.any(free):
        free_idx = np.flatnonzero(np.asarray(free, dtype=bool))
        k = int(getattr(record, "n_free_in", int(joined[free_idx].sum())))
        order = np.concatenate((free_idx[~joined[free_idx]], free_idx[joined[free_idx]]))
        other = joined & ~np.asarray(free, dtype=bool)
        other[order[:k]] = True
        if not np.array_equal(other, joined):
            profiles.append(other)
    worst, scale = 0.0, 0.0
    for x in profiles:
        regret, size = _switch_regret(game, x)
        worst, scale = max(worst, regret), max(scale, size)
    return worst, scale


def _switch_regret(game, joined: np.ndarray) -> tuple[float, float]:
    n = joined.size
    base = np.asarray(game.payoffs(joined), dtype=float)
    worst = 0.0
    rows = max(1, _BLOCK // max(n, 1))
    for start in range(0, n, rows):
        idx = np.arange(start, min(n, start + rows))
        switched = np.repeat(joined[None, :], idx.size, axis=0)
        switched[np.arange(idx.size), idx] = ~joined[idx]
        moved = np.asarray(game.payoffs(switched), dtype=float)[np.arange(idx.size), idx]
        worst = max(worst, float(np.max(moved - base[idx])))
    scale = float(np.abs(base).max(initial=0.0)) + float(
        np.max(np.abs(game.cost) + np.abs(game.incentive) + game.refund_bonus, initial=0.0)
    )
    return max(worst, 0.0), scale


# -- the preparedness game ---------------------------------------------------------------------
def preparedness_regret(game, investment) -> tuple[float, float]:
    """Largest gain of an actor from its best deviation over [0, x̄_i] (bounded search).

    Actors with the same share, private cost, weight and investment face the same deviation
    problem (every aggregator is symmetric in the (w_j, x_j) pairs), so each such group is
    searched once.
    """
    x = np.asarray(investment, dtype=float)
    n = x.size
    share = np.broadcast_to(np.asarray(game.share, dtype=float), (n,))
    private = np.broadcast_to(np.asarray(game.cost, dtype=float) * game.cost_share, (n,))
    weight = np.broadcast_to(np.asarray(game.weight, dtype=float), (n,))
    keys = np.stack([share, private, weight, x], axis=1)
    _, first = np.unique(keys, axis=0, return_index=True)
    worst = 0.0
    scale = float(game.prob * game.harm)
    for i in first:
        regret, size = _actor_regret(game, x, int(i), share, private, weight)
        worst, scale = max(worst, regret), max(scale, size)
    return worst, scale


def _actor_regret(game, x, i, share, private, weight) -> tuple[float, float]:
    aggregate = _deviation_aggregate(game, x, i, weight)
    s, c, gamma = float(share[i]), float(private[i]), float(game.cost_exponent)

    def payoff(own):
        own = np.asarray(own, dtype=float)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            cost = c * own**gamma / gamma
            return s * game.benefit(game.baseline + aggregate(own)) - cost

    # Beyond x̄ the cost alone exceeds the whole benefit share s·p·H: never a best response.
    with np.errstate(over="ignore", divide="ignore"):
        bound = (gamma * s * game.prob * game.harm / c) ** (1.0 / gamma)
    bound = float(min(bound, np.finfo(float).max / 4))
    own = float(x[i])
    near = own * (1.0 + np.array([-1e-2, -1e-4, -1e-6, -1e-9, 1e-9, 1e-6, 1e-4, 1e-2]))
    grid: list[np.ndarray | list[float]] = [np.linspace(0.0, bound, 513), near, [own]]
    if bound > 0:
        grid.append(np.geomspace(bound * 1e-15, bound, 481))
    kink = _kink(game, x, i, weight)
    if kink is not None:
        grid.append(kink * (1.0 + np.array([-1e-9, 0.0, 1e-9])))
    candidates = np.unique(np.clip(np.concatenate(grid), 0.0, max(bound, own)))
    values = payoff(candidates)
    values = np.where(np.isnan(values), -np.inf, values)
    k = int(np.argmax(values))
    best = float(values[k])
    lo, hi = candidates[max(k - 1, 0)], candidates[min(k + 1, candidates.size - 1)]
    if hi > lo:
        found = optimize.minimize_scalar(
            lambda t: -float(payoff(t)),
            bounds=(float(lo), float(hi)),
            method="bounded",
            options={"xatol": max(1e-300, 1e-13 * float(hi))},
        )
        if np.isfinite(found.fun):
            best = max(best, -float(found.fun))
    at_own = float(payoff(own))
    return max(best - at_own, 0.0), abs(at_own) + abs(best)


def _deviation_aggregate(game, x, i, weight):
    """A(own) with actor ``i`` investing ``own`` and every other actor as in ``x``."""
    rest_w, rest_x = np.delete(weight, i), np.delete(x, i)
    w_i = float(weight[i])
    kind = game.aggregator
    if kind == "sum":
        rest = math.fsum(rest_w * rest_x)
        return lambda own: rest + w_i * own
    if kind == "weakest_link":
        rest = float(np.min(rest_w * rest_x)) if rest_x.size else math.inf
        return lambda own: np.minimum(rest, w_i * own)
    if kind == "best_shot":
        rest = float(np.max(rest_w * rest_x)) if rest_x.size else -math.inf
        return lambda own: np.maximum(rest, w_i * own)
    rho = float(game.ces_rho)  # CES, (Σ w_j x_j^ρ)^(1/ρ) summed in logs
    with np.errstate(divide="ignore"):
        logs = np.log(rest_w) + rho * np.log(rest_x)
    if rho < 0 and np.any(rest_x <= 0):
        return lambda own: np.zeros_like(np.asarray(own, dtype=float))
    log_rest = float(special.logsumexp(logs)) if logs.size else -math.inf

    def ces(own):
        own = np.asarray(own, dtype=float)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            log_own = np.where(own > 0, math.log(w_i) + rho * np.log(own), -np.inf)
            value = np.exp(np.logaddexp(log_rest, log_own) / rho)
        if rho < 0:
            value = np.where(own > 0, value, 0.0)
        return np.where(np.isnan(value), 0.0, value)

    return ces


def _kink(game, x, i, weight):
    """Own investment at which a min or max aggregate switches from the others to the actor."""
    if game.aggregator not in ("weakest_link", "best_shot") or x.size < 2:
        return None
    others = np.delete(weight * x, i)
    level = others.min() if game.aggregator == "weakest_link" else others.max()
    return float(level / weight[i])


# -- games with a continuum of actors ----------------------------------------------------------
def _gauss(integrand, lo: float, hi: float, breaks=(), pieces: int = 24) -> float:
    """∫ integrand over [lo, hi] by composite Gauss–Legendre, split at ``breaks``.

    ``integrand`` maps an array of nodes to values (last axis: the nodes).
    """
    edges = sorted({lo, hi, *(b for b in breaks if lo < b < hi)})
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        cuts = np.linspace(a, b, pieces + 1)
        half = np.diff(cuts)[:, None] / 2.0
        nodes = (cuts[:-1, None] + half) + half * _LEG_NODES[None, :]
        values = integrand(nodes.ravel()).reshape(nodes.shape)
        total += float(np.sum(values * half * _LEG_WEIGHTS[None, :]))
    return total


def global_game_regret(game, signal_cutoff) -> tuple[float, float]:
    """Largest expected gain a signal type forgoes by following "join iff signal ≥ x*"."""
    c = float(signal_cutoff)
    sigma, net = float(game.noise), float(game.cost - game.incentive)
    scale = max(abs(c), abs(game.cost), abs(game.incentive), 1.0)
    offsets = np.array([-1e-9, -1e-6, -1e-3, 0.0, 1e-6, 1e-3])
    if sigma == 0.0:  # every actor sees θ: the others' share joining is 1{θ ≥ x*}
        span = 6.0 * max(1.0, abs(c))
        theta = np.unique(c + span * np.concatenate((np.linspace(-1.0, 1.0, 2001), offsets)))
        joins = theta >= c
        gain = theta * game.benefit_fraction(joins.astype(float)) - net
        regret = np.where(joins, -gain, gain).max()
        return max(float(regret), 0.0), scale + span
    if game.prior_sd is None:
        rho, prior = 1.0, 0.0
    else:
        rho = game.prior_sd**2 / (game.prior_sd**2 + sigma**2)
        prior = (1.0 - rho) * game.prior_mean
    spread = math.sqrt(rho) * sigma
    signals = c + spread * np.concatenate((np.linspace(-8.0, 8.0, 161), offsets))
    worst = 0.0
    for x in np.unique(signals):
        mean = rho * x + prior

        def integrand(z, mean=mean):
            theta = mean + spread * z
            share = special.ndtr((theta - c) / sigma)
            return (
                theta
                * game.benefit_fraction(share)
                * np.exp(-0.5 * z * z)
                / math.sqrt(2.0 * math.pi)
            )

        breaks: tuple[float, ...] = ()
        if game.curve == "step":  # ψ jumps where the share of others joining reaches ℓ*
            breaks = ((c + sigma * float(special.ndtri(game.threshold)) - mean) / spread,)
        gain = float(_gauss(integrand, -14.0, 14.0, breaks)) - net
        worst = max(worst, -gain if x >= c else gain)
        scale = max(scale, abs(mean) + 6.0 * spread)
    return max(worst, 0.0), scale


def disclosure_regret(game, signal_cutoff) -> tuple[float, float]:
    """Largest expected gain a signal type forgoes by following "act iff signal ≤ x*"."""
    alpha, beta = float(game.public_precision), float(game.private_precision)
    y, benefit = float(game.public_signal), float(game.benefit)
    net = float(game.cost - game.incentive)
    x_star = float(signal_cutoff)
    if math.isinf(x_star):  # everybody (nobody) acts: the response works iff θ ≤ 1 (θ ≤ 0)
        works, centre = (1.0 if x_star > 0 else 0.0), y
    else:
        # The largest critical mass the acting share Φ(√β(x* − θ)) still reaches.
        works = optimize.brentq(
            lambda t: special.ndtr(math.sqrt(beta) * (x_star - t)) - t, 0.0, 1.0, xtol=1e-15
        )
        centre = x_star
    spread = 10.0 / math.sqrt(alpha + beta)
    offsets = np.array([-1e-9, -1e-6, -1e-3, 0.0, 1e-6, 1e-3])
    signals = centre + spread * np.concatenate((np.linspace(-1.0, 1.0, 401), offsets))
    mean = (alpha * y + beta * signals) / (alpha + beta)
    gain = benefit * special.ndtr(math.sqrt(alpha + beta) * (works - mean)) - net
    acts = signals <= x_star
    regret = float(np.max(np.where(acts, -gain, gain)))
    return max(regret, 0.0), max(benefit, abs(net))
