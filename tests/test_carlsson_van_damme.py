"""Carlsson & van Damme (1993) two-player global game: the cutoff selects risk dominance.

Expected values are computed here from the payoff matrices: the risk-dominance boundary by
comparing Nash products (Harsanyi & Selten 1988) with a root finder, the symmetric cutoff in
closed form, and finite-noise cutoffs from reductions derived in the comments below, with the
posterior probabilities obtained by quadrature rather than the module's normal formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

import coordgap as cg

TPG = cg.classics.TwoPlayerGlobalGame


def _asymmetric():
    """Player 1: gain from A is 2θ + 1 if the other plays A, 2θ − 3 if B; player 2: θ + 1/2
    and θ − 1. (Payoffs of B are 0, so u_i(A, ·) is the gain.)"""
    base = np.zeros((2, 2, 2))
    slope = np.zeros((2, 2, 2))
    base[0, 0, 0], base[0, 1, 0], slope[0, :, 0] = 1.0, -3.0, 2.0
    base[0, 0, 1], base[1, 0, 1], slope[:, 0, 1] = 0.5, -1.0, 1.0
    return base, slope


def _rd_boundary(base, slope):
    """θ where the Nash products at (A, A) and (B, B) are equal, from the payoff matrices."""

    def products(theta):
        u = base + theta * slope
        u1, u2 = u[..., 0], u[..., 1]
        at_aa = (u1[0, 0] - u1[1, 0]) * (u2[0, 0] - u2[0, 1])
        at_bb = (u1[1, 1] - u1[0, 1]) * (u2[1, 1] - u2[1, 0])
        return at_aa - at_bb

    # search inside the region where both (A, A) and (B, B) are strict equilibria
    return optimize.brentq(products, -0.4999, 0.9999, xtol=1e-15)


def test_limit_cutoff_is_risk_dominance_boundary():
    base, slope = _asymmetric()
    expected = _rd_boundary(base, slope)
    game = TPG(base, slope, noise=1e-5)
    assert game.limit_cutoff() == pytest.approx(expected, abs=1e-13)
    k1, k2 = game.cutoffs().signal_cutoffs
    assert k1 == pytest.approx(expected, abs=1e-4) and k2 == pytest.approx(expected, abs=1e-4)
    # the same limit under a normal prior: the prior washes out as σ → 0
    with_prior = TPG(base, slope, noise=1e-5, prior_precision=1.0, prior_mean=-2.0)
    assert max(abs(k - expected) for k in with_prior.cutoffs().signal_cutoffs) < 1e-4


@pytest.mark.parametrize("noise", [0.05, 0.5, 3.0])
@pytest.mark.parametrize(("s", "a", "b"), [(1.0, 0.0, -1.0), (2.0, 1.0, -4.0), (0.5, 3.0, 1.0)])
def test_symmetric_uniform_prior_closed_form(noise, s, a, b):
    # Symmetric game, improper uniform prior: at a common cutoff k the other's signal exceeds
    # k with probability 1/2 and E[θ | k] = k, so s·k + b + (a − b)/2 = 0 for every σ.
    base = np.zeros((2, 2, 2))
    slope = np.zeros((2, 2, 2))
    base[0, 0, 0], base[0, 1, 0], slope[0, :, 0] = a, b, s
    base[0, 0, 1], base[1, 0, 1], slope[:, 0, 1] = a, b, s
    res = TPG(base, slope, noise=noise).cutoffs()
    expected = -(a + b) / (2 * s)
    assert res.success
    assert res.signal_cutoffs == pytest.approx((expected, expected), abs=1e-12)
    assert res.limit_cutoff == pytest.approx(expected, abs=1e-14)


def test_investment_example_cutoff_one_half():
    # Morris & Shin (2003) §2.1 / Carlsson & van Damme: invest pays θ or θ − 1; k = 1/2.
    for noise in (0.01, 1.0):
        assert TPG.investment(noise).cutoffs().signal_cutoffs == pytest.approx((0.5, 0.5))


@pytest.mark.parametrize("noise", [0.1, 1.0])
def test_asymmetric_uniform_prior_reduces_to_one_equation(noise):
    # Uniform prior: E[θ | k_i] = k_i and P(x_j ≥ k_j | x_i = k_i) = Φ((k_i − k_j)/(σ√2)).
    # With Q = that probability for player 1 (1 − Q for player 2), the conditions are linear:
    # k_1 = −(b_1 + (a_1 − b_1)Q)/s_1, k_2 = −(b_2 + (a_2 − b_2)(1 − Q))/s_2, and Q solves
    # Q = Φ((k_1(Q) − k_2(Q))/(σ√2)).
    base, slope = _asymmetric()
    s1, a1, b1, s2, a2, b2 = 2.0, 1.0, -3.0, 1.0, 0.5, -1.0

    def ks(q):
        return -(b1 + (a1 - b1) * q) / s1, -(b2 + (a2 - b2) * (1 - q)) / s2

    q = optimize.brentq(
        lambda q: q - stats.norm.cdf((ks(q)[0] - ks(q)[1]) / (noise * math.sqrt(2))),
        0.0,
        1.0,
        xtol=1e-15,
    )
    got = TPG(base, slope, noise=noise).cutoffs().signal_cutoffs
    assert got == pytest.approx(ks(q), abs=1e-10)


def test_symmetric_normal_prior_against_quadrature():
    # Investment game, θ ~ N(y, 1/α): the marginal player's expected gain
    # E[θ | k] − P(x_j < k | x_i = k), with both terms integrated numerically over the
    # posterior of θ (θ | x ~ N((αy + x/σ²)/(α + 1/σ²), 1/(α + 1/σ²))).
    alpha, y, sigma = 2.0, 0.0, 0.5

    def gain(k):
        prec = alpha + 1 / sigma**2
        mean, sd = (alpha * y + k / sigma**2) / prec, 1 / math.sqrt(prec)
        lose = integrate.quad(
            lambda t: stats.norm.pdf(t, mean, sd) * stats.norm.cdf((k - t) / sigma),
            mean - 12 * sd,
            mean + 12 * sd,
            epsabs=1e-14,
        )[0]
        return mean - lose

    expected = optimize.brentq(gain, -5.0, 5.0, xtol=1e-13)
    got = TPG.investment(sigma, prior_precision=alpha, prior_mean=y).cutoffs().signal_cutoffs
    assert got == pytest.approx((expected, expected), abs=1e-9)


def test_invalid_games():
    base, slope = _asymmetric()
    with pytest.raises(cg.InvalidParameterError, match="noise"):
        TPG(base, slope, noise=0.0)
    with pytest.raises(cg.InvalidParameterError, match="base"):
        TPG(np.zeros((2, 2)), slope, noise=1.0)
    flipped = base.copy()
    flipped[0, 0, 0], flipped[0, 1, 0] = -3.0, 1.0  # gain larger when the other plays B
    with pytest.raises(cg.InvalidParameterError, match="base"):
        TPG(flipped, slope, noise=1.0)
    with pytest.raises(cg.InvalidParameterError, match="slope"):
        TPG(base, -slope, noise=1.0)
    uneven = slope.copy()
    uneven[0, 1, 0] = 3.0
    with pytest.raises(cg.InvalidParameterError, match="slope"):
        TPG(base, uneven, noise=1.0)
