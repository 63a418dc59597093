"""Morris & Shin (1998), AER 88:587 — unique cutoff equilibrium of a currency attack.

Reproduces the closed-form cutoff of the uniform-prior game, θ* = 1 − t and
x* = θ* + σΦ⁻¹(θ*) (Morris & Shin 2003, eq. 2.4), its Laplacian small-noise characterization,
and, with a normal prior of precision α, the uniqueness condition α/√β ≤ √(2π) (β = 1/σ²):
below it exactly one cutoff for every prior mean, above it three for some prior means.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import coordgap as cg

RC = cg.classics.RegimeChange


@pytest.mark.parametrize("t,sigma", [(0.25, 0.1), (0.6, 0.01), (0.1, 1.0)])
def test_uniform_prior_closed_form(t, sigma):
    g = RC(attack_cost=t, noise=sigma)
    ((theta, x),) = g.cutoffs()
    assert_allclose(theta, 1 - t, rtol=1e-15)
    assert_allclose(x, 1 - t + sigma * stats.norm.ppf(1 - t), rtol=1e-14)
    # equilibrium conditions checked directly: mass attacking at θ* equals θ*, and the
    # marginal speculator's posterior probability of collapse equals t
    assert_allclose(stats.norm.cdf((x - theta) / sigma), theta, rtol=1e-12)
    assert_allclose(stats.norm.cdf((theta - x) / sigma), t, rtol=1e-12)
    assert_allclose(g.laplacian_cutoff(), 1 - t, atol=1e-10)


def count_cutoffs(alpha, sigma, t=0.5):
    return max(
        len(RC(attack_cost=t, noise=sigma, prior_precision=alpha, prior_mean=y).cutoffs())
        for y in np.linspace(-0.5, 1.5, 81)
    )


def test_normal_prior_uniqueness_threshold():
    sigma = 0.1
    alpha_crit = np.sqrt(2 * np.pi) / sigma  # α/√β = α σ = √(2π)
    assert count_cutoffs(0.8 * alpha_crit, sigma) == 1
    assert count_cutoffs(1.6 * alpha_crit, sigma) == 3
    assert RC(attack_cost=0.5, noise=sigma, prior_precision=0.8 * alpha_crit).unique
    assert not RC(attack_cost=0.5, noise=sigma, prior_precision=1.6 * alpha_crit).unique


def test_invalid():
    with pytest.raises(cg.InvalidParameterError, match="'attack_cost'"):
        RC(attack_cost=1.0, noise=0.1)
    with pytest.raises(cg.InvalidParameterError, match="'noise'"):
        RC(attack_cost=0.5, noise=float("inf"))
