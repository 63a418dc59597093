"""Morris & Shin (2003) investment game (payoff θ + l − 1): cutoff and uniqueness.

Independent checks: the marginal investor's indifference E[θ | x*] + E[l | x*] − 1 = 0 solved
directly in the signal x with the expected share of investors E[l | x] obtained by quadrature
over the posterior of θ (l(θ) = P(x_j ≥ x* | θ) = 1 − Φ(√β (x* − θ))), and the number of
equilibria counted from that same signal-space equation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermegauss
from scipy import optimize, stats

import coordgap as cg

IG = cg.classics.InvestmentGame
NODES = hermegauss(120)


def _indifference(x, alpha, beta, y):
    """E[θ | x] + E[l | x] − 1 with E[l | x] by quadrature; x is both signal and cutoff."""
    if alpha == 0:
        mean = x
    else:
        mean = (alpha * y + beta * x) / (alpha + beta)
    sd = 1 / math.sqrt(alpha + beta)
    # Gauss–Hermite quadrature (probabilists' weights) over θ = mean + sd·z, z ~ N(0, 1)
    z, w = NODES
    share = float(np.dot(w, stats.norm.sf(math.sqrt(beta) * (x - mean - sd * z)))) / math.sqrt(
        2 * math.pi
    )
    return mean + share - 1


@pytest.mark.parametrize("alpha", [0.0, 1e-9])
@pytest.mark.parametrize("beta", [0.5, 4.0, 100.0])
def test_uniform_prior_limit_is_one_half(alpha, beta):
    # Laplacian belief: with an (almost) uninformative prior the marginal investor expects
    # half the others to invest, so θ* = x* = 1/2 (Morris & Shin 2003, Section 2).
    c = IG(prior_precision=alpha, signal_precision=beta, prior_mean=3.0).cutoff()
    assert c.posterior_cutoff == pytest.approx(0.5, abs=1e-8)
    assert c.signal_cutoff == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize(("alpha", "beta", "y"), [(1.0, 4.0, 0.2), (2.0, 3.0, 1.5), (0.5, 1.0, -1)])
def test_cutoff_against_numeric_fixed_point(alpha, beta, y):
    expected = optimize.brentq(lambda x: _indifference(x, alpha, beta, y), -20, 20, xtol=1e-13)
    c = IG(prior_precision=alpha, signal_precision=beta, prior_mean=y).cutoff()
    assert c.signal_cutoff == pytest.approx(expected, abs=1e-9)
    posterior_mean = (alpha * y + beta * expected) / (alpha + beta)
    assert c.posterior_cutoff == pytest.approx(posterior_mean, abs=1e-9)
    assert c.investing_share == pytest.approx(1 - posterior_mean, abs=1e-9)


def test_multiple_equilibria_when_condition_fails():
    # α = 10, β = 2: γ² = (α²/β)(α+β)/(α+2β) = 50·12/14 > 2π. At y = 1/2 the signal-space
    # equation has three roots (≈ −2.497, 1/2, 3.497); cutoff() refuses, cutoffs() lists all.
    alpha, beta, y = 10.0, 2.0, 0.5
    game = IG(prior_precision=alpha, signal_precision=beta, prior_mean=y)
    assert not game.unique
    xs = np.linspace(-5.0037, 6.0011, 1101)  # no grid point on a root
    vals = np.array([_indifference(x, alpha, beta, y) for x in xs])
    roots = [
        optimize.brentq(lambda x: _indifference(x, alpha, beta, y), xs[k], xs[k + 1])
        for k in np.flatnonzero(vals[:-1] * vals[1:] < 0)
    ]
    got = [c.signal_cutoff for c in game.cutoffs()]
    assert len(roots) == 3
    assert got == pytest.approx(roots, abs=1e-8)
    with pytest.raises(cg.InvalidParameterError, match="signal_precision"):
        game.cutoff()


def test_uniqueness_condition():
    # Exact condition α²(α+β) ≤ 2πβ(α+2β); β ≥ α²/(2π) (the regime-change condition) is
    # sufficient. At the boundary the slope of ρ ↦ Φ(γ(ρ − y)) at ρ = y is exactly 1.
    for alpha in (0.5, 2.0, 7.0):
        for beta in (0.1, 1.0, 10.0):
            game = IG(prior_precision=alpha, signal_precision=beta)
            assert game.unique == (
                alpha**2 * (alpha + beta) <= 2 * math.pi * beta * (alpha + 2 * beta)
            )
            if beta >= alpha**2 / (2 * math.pi):
                assert game.unique
    # just inside vs just outside the boundary, at y = 1/2 (where multiplicity starts)
    alpha = 5.0
    beta_star = optimize.brentq(
        lambda b: alpha**2 * (alpha + b) - 2 * math.pi * b * (alpha + 2 * b), 0.1, 100
    )
    assert len(IG(alpha, beta_star * 1.01, 0.5).cutoffs()) == 1
    assert len(IG(alpha, beta_star * 0.9, 0.5).cutoffs()) == 3


def test_invalid_precision():
    with pytest.raises(cg.InvalidParameterError, match="signal_precision"):
        IG(prior_precision=1.0, signal_precision=0.0)
    with pytest.raises(cg.InvalidParameterError, match="prior_precision"):
        IG(prior_precision=-1.0, signal_precision=1.0)
