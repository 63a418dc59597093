"""Equilibria do not depend on the payoffs' units, and ``success`` means certified (hypothesis).

1. Multiplying every payoff of a normal-form game by 10^k (k in [−12, 12]) and adding a
   constant leaves the listed equilibria, their number, ``complete``, ``continuum`` and
   ``success`` unchanged — for two-player games (vertex enumeration), binary-action games
   (support patterns) and larger games (pure enumeration), with integer-valued and with
   continuous payoffs, and for symmetric binary games.
2. Whenever a solver reports ``success``, every listed equilibrium's regret, recomputed here
   from its definition with plain numpy/scipy, is within 1e-9 of each player's payoff range
   (a little more for the global games, whose expected payoffs are integrals). A result that
   fails its certificate must say so (``success`` False, a CertificateWarning).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

import coordgap as cg
from coordgap.errors import CertificateWarning
from strategies import floats

SETTINGS = dict(deadline=None, max_examples=20)
TOL = 1e-9

seeds = st.integers(0, 2**32 - 1)
powers = st.integers(-12, 12)


# -- independent regrets --------------------------------------------------------------------
def _regrets(payoffs: np.ndarray, strategies) -> np.ndarray:
    """Each player's best pure payoff minus its expected payoff, by tensor contraction."""
    n = payoffs.ndim - 1
    out = np.empty(n)
    for i in range(n):
        values = payoffs[..., i]
        for j in reversed(range(n)):
            if j != i:
                values = np.tensordot(values, np.asarray(strategies[j], float), axes=([j], [0]))
        out[i] = max(0.0, values.max() - values @ np.asarray(strategies[i], float))
    return out


def _ranges(payoffs: np.ndarray) -> np.ndarray:
    return np.ptp(payoffs.reshape(-1, payoffs.shape[-1]), axis=0)


def _assert_certified(game, eqs):
    if not eqs.success:
        return
    scale = _ranges(game.payoffs)
    floor = 1e-13 * np.abs(game.payoffs.reshape(-1, game.n_players)).max(axis=0)
    for e in eqs:
        assert np.all(_regrets(game.payoffs, e.strategies) <= TOL * scale + floor), e


def _solve_flagged(game):
    """``cg.solve``, with a certificate failure allowed only together with ``success=False``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CertificateWarning)
        eqs = cg.solve(game)
    flagged = any(issubclass(w.category, CertificateWarning) for w in caught)
    assert flagged == (not eqs.success)
    if flagged:
        assert eqs.status == 1 and not eqs.complete and "certificate failed" in eqs.message
    return eqs


def _points(eqs, decimals=9):
    return sorted(tuple(np.round(np.concatenate(e.strategies), decimals)) for e in eqs)


def _assert_same(base, other, *, atol=0.0):
    assert len(base) == len(other) and base.n_equilibria == other.n_equilibria
    assert (base.complete, base.continuum, base.success) == (
        other.complete,
        other.continuum,
        other.success,
    )
    if atol:
        np.testing.assert_allclose(np.array(_points(base)), np.array(_points(other)), atol=atol)
    else:
        assert _points(base) == _points(other)


def _transformed(payoffs, k: int, shift):
    """(payoffs + shift) · 10^k, with the shift per player."""
    return (np.asarray(payoffs, dtype=float) + np.asarray(shift, dtype=float)) * 10.0**k


# -- 1. scale invariance --------------------------------------------------------------------
@settings(**SETTINGS)
@given(
    seeds, st.integers(2, 4), st.integers(2, 4), st.integers(1, 4), powers, st.integers(-100, 100)
)
def test_two_player_integer_games(seed, m, n, spread, k, shift):
    payoffs = np.random.default_rng(seed).integers(-spread, spread + 1, size=(m, n, 2))
    base = cg.solve(cg.NormalFormGame(payoffs))
    game = cg.NormalFormGame(_transformed(payoffs, k, [shift, -shift]))
    other = cg.solve(game)
    _assert_same(base, other)
    assert other.success and other.complete
    _assert_certified(game, other)


def _check_invariant(payoffs, k, shift, atol):
    """Scaling by 10^k and shifting leave the equilibria unchanged, certified."""
    base = cg.solve(cg.NormalFormGame(payoffs))
    game = cg.NormalFormGame(_transformed(payoffs, k, shift))
    other = cg.solve(game)
    _assert_same(base, other, atol=atol)
    assert other.success
    _assert_certified(game, other)
    return base, other


@settings(**SETTINGS)
@given(seeds, st.integers(2, 4), st.integers(2, 4), powers, st.floats(-10, 10))
def test_two_player_continuous_games(seed, m, n, k, shift):
    payoffs = np.random.default_rng(seed).normal(size=(m, n, 2))
    _check_invariant(payoffs, k, shift, atol=1e-8)


@settings(**SETTINGS)
@given(seeds, st.integers(1, 3), powers, st.integers(-20, 20))
def test_three_player_binary_integer_games(seed, spread, k, shift):
    payoffs = np.random.default_rng(seed).integers(-spread, spread + 1, size=(2, 2, 2, 3))
    base = cg.solve(cg.NormalFormGame(payoffs))
    game = cg.NormalFormGame(_transformed(payoffs, k, shift))
    other = cg.solve(game)
    _assert_same(base, other)
    assert other.details["continuum_patterns"] == base.details["continuum_patterns"]
    assert other.success
    _assert_certified(game, other)


@settings(**SETTINGS)
@given(seeds, st.integers(3, 4), powers, st.floats(-10, 10))
def test_binary_continuous_games(seed, n_players, k, shift):
    payoffs = np.random.default_rng(seed).normal(size=(2,) * n_players + (n_players,))
    _check_invariant(payoffs, k, shift, atol=1e-8)


@settings(**SETTINGS)
@given(seeds, st.integers(0, 2), powers, st.integers(-20, 20))
def test_pure_enumeration_games(seed, spread, k, shift):
    # Three actions for one player: pure enumeration. spread 0 is the all-constant game.
    payoffs = np.random.default_rng(seed).integers(-spread, spread + 1, size=(3, 2, 2, 3))
    base = cg.solve(cg.NormalFormGame(payoffs))
    game = cg.NormalFormGame(_transformed(payoffs, k, shift))
    other = cg.solve(game)
    _assert_same(base, other)
    assert other.success and base.continuum == (spread == 0)
    _assert_certified(game, other)


@settings(**SETTINGS)
@given(st.integers(2, 30), seeds, st.integers(1, 4), powers, st.integers(-20, 20))
def test_symmetric_binary_games(n_players, seed, spread, k, shift):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-spread, spread + 1, size=(2, n_players))
    base = cg.solve(cg.SymmetricBinaryGame(a, b))
    other = cg.solve(cg.SymmetricBinaryGame(_transformed(a, k, shift), _transformed(b, k, shift)))
    assert [e.probability for e in other] == [e.probability for e in base] or np.allclose(
        [e.probability for e in other], [e.probability for e in base], rtol=0, atol=1e-9
    )
    assert (other.success, other.complete, other.continuum) == (
        base.success,
        base.complete,
        base.continuum,
    )


# -- 2. success means certified -------------------------------------------------------------
def _symmetric_regret(a, b, p):
    others = len(a) - 1
    w = stats.binom.pmf(np.arange(others + 1), others, p)
    v0, v1 = w @ a, w @ b
    return max(v0, v1) - (p * v0 + (1 - p) * v1)


@settings(**SETTINGS)
@given(st.integers(2, 40), seeds, powers)
def test_symmetric_binary_success_is_certified(n_players, seed, k):
    a, b = np.random.default_rng(seed).normal(size=(2, n_players)) * 10.0**k
    eqs = _solve_flagged(cg.SymmetricBinaryGame(a, b))
    if eqs.success:
        scale = np.ptp(np.concatenate([a, b]))
        for e in eqs:
            assert (
                _symmetric_regret(a, b, e.probability)
                <= TOL * scale + 1e-13 * np.abs(np.concatenate([a, b])).max()
            )


def _disclosure_regret(game, x_star: float) -> float:
    """Forgone gain over signals, from the definition (act iff x <= x*)."""
    beta, alpha, y = game.private_precision, game.public_precision, game.public_signal
    net = game.cost - game.incentive
    if math.isfinite(x_star):
        theta_s = optimize.brentq(
            lambda t: special.ndtr(math.sqrt(beta) * (x_star - t)) - t, 0.0, 1.0, xtol=1e-15
        )
        centre = x_star
    else:
        theta_s, centre = (1.0 if x_star > 0 else 0.0), y
    x = centre + np.linspace(-10, 10, 2001) / math.sqrt(alpha + beta)
    mean = (alpha * y + beta * x) / (alpha + beta)
    gain = game.benefit * special.ndtr(math.sqrt(alpha + beta) * (theta_s - mean)) - net
    return float(np.max(np.where(x <= x_star, -gain, gain).clip(0.0)))


@settings(**SETTINGS)
@given(
    floats(0.5, 10),
    floats(0.05, 8),
    floats(0.05, 0.95),
    floats(0.1, 2),
    floats(0.5, 3),
    floats(0, 1),
)
def test_disclosure_success_is_certified(beta, alpha, y, cost, benefit, incentive):
    game = cg.DisclosureGame(
        private_precision=beta,
        public_precision=alpha,
        public_signal=y,
        cost=cost,
        benefit=benefit,
        incentive=incentive,
    )
    eqs = _solve_flagged(game)
    if eqs.success:
        for e in eqs:
            assert _disclosure_regret(game, e.signal_cutoff) <= 1e-8 * benefit


_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(200)
_WEIGHTS = _WEIGHTS / math.sqrt(2 * math.pi)


def _global_regret(game, x_star: float) -> float:
    """Forgone gain over signals (join iff x >= x*), by Gauss–Hermite quadrature."""
    sigma = game.noise
    if game.prior_sd is None:
        rho, prior = 1.0, 0.0
    else:
        rho = game.prior_sd**2 / (game.prior_sd**2 + sigma**2)
        prior = game.prior_mean
    x = x_star + np.linspace(-6, 6, 241) * math.sqrt(rho) * sigma
    mean = rho * x + (1 - rho) * prior
    theta = mean[:, None] + math.sqrt(rho) * sigma * _NODES
    share = special.ndtr((theta - x_star) / sigma)
    if game.curve == "linear":
        chi = share
    else:
        chi = 0.5 * (1 + np.tanh(0.5 * game.steepness * (share - game.threshold)))
    psi = game.standalone + (1 - game.standalone) * chi
    gain = (theta * psi) @ _WEIGHTS - (game.cost - game.incentive)
    return float(np.max(np.where(x >= x_star, -gain, gain).clip(0.0)))


@pytest.mark.slow
@settings(**SETTINGS)
@given(
    floats(0.1, 5),
    floats(0, 1),
    floats(0.05, 2),
    st.sampled_from(["linear", "logistic"]),
    st.none() | floats(0.5, 3),
    floats(-2, 4),
    st.sampled_from([1.0, 10.0, 50.0]),
)
def test_global_game_success_is_certified(
    cost, incentive, noise, curve, prior_sd, prior_mean, steepness
):
    game = cg.GlobalParticipationGame(
        cost=cost,
        incentive=incentive,
        noise=noise,
        curve=curve,
        prior_sd=prior_sd,
        prior_mean=prior_mean,
        steepness=steepness,
    )
    eqs = _solve_flagged(game)
    if eqs.success:
        spread = 6 * (noise + (prior_sd or 0.0))
        scale = max([cost, incentive, *(abs(e.signal_cutoff) + spread for e in eqs)])
        for e in eqs:
            assert _global_regret(game, e.signal_cutoff) <= 1e-7 * scale
