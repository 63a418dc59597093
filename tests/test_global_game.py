"""Global participation game: cutoff equilibria, their small-noise limit and incentives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

import coordgap as cg


def chi_integral_by_quadrature(game):
    return integrate.quad(
        lambda lam: float(game.critical_mass_curve(lam)),
        0.0,
        1.0,
        points=[game.threshold],
        epsabs=1e-13,
    )[0]


@pytest.mark.parametrize("beta", [0.01, 0.2])
@pytest.mark.parametrize(
    "curve, t, expected_chi",
    [
        ("step", 0.5, 0.5),
        ("step", 0.8, 0.2),
        ("linear", 0.5, 0.5),
        ("logistic", 0.5, 0.5),
        ("logistic", 0.7, None),
        ("logistic", 0.2, None),
    ],
)
def test_limit_cutoff_closed_form(curve, t, expected_chi, beta):
    # Laplacian belief: θ*·∫₀¹ψ = k − I with ψ = β + (1 − β)χ.
    g = cg.GlobalParticipationGame(
        cost=1.3, incentive=0.3, curve=curve, threshold=t, steepness=6.0, standalone=beta
    )
    chi = expected_chi if expected_chi is not None else chi_integral_by_quadrature(g)
    psi = beta + (1 - beta) * chi
    assert g.mean_benefit_fraction() == pytest.approx(psi, rel=1e-10)
    assert g.limit_cutoff() == pytest.approx(1.0 / psi, rel=1e-10)
    eq = cg.solve(g)  # noise = 0: the limit
    assert eq.complete and len(eq) == 1
    assert eq[0].signal_cutoff == pytest.approx(1.0 / psi, rel=1e-10)


@pytest.mark.parametrize("t", [0.2, 0.5, 0.9])
@pytest.mark.parametrize("sigma", [0.05, 0.3, 1.0])
def test_finite_noise_uniform_prior_step_closed_form(t, sigma):
    # Uninformative prior: x*·Ψ + σ(1 − β)φ(Φ⁻¹(ℓ*)) = k − I, Ψ = β + (1 − β)(1 − ℓ*).
    beta = 0.1
    g = cg.GlobalParticipationGame(
        cost=1.0, incentive=0.2, noise=sigma, curve="step", threshold=t, standalone=beta
    )
    expected = (0.8 - sigma * (1 - beta) * stats.norm.pdf(stats.norm.ppf(t))) / (
        beta + (1 - beta) * (1 - t)
    )
    eq = cg.solve(g)
    assert eq.complete and len(eq) == 1
    assert eq[0].signal_cutoff == pytest.approx(expected, rel=1e-12)
    assert eq[0].state_cutoff == pytest.approx(expected + sigma * stats.norm.ppf(t), rel=1e-12)
    assert eq[0].max_regret < 1e-9


@pytest.mark.parametrize("curve", ["linear", "logistic"])
def test_finite_noise_uniform_prior_smooth_curves_by_independent_root(curve):
    g = cg.GlobalParticipationGame(cost=1.0, noise=0.4, curve=curve, threshold=0.6, steepness=8.0)

    def indifference(x):  # E[θ·ψ(Φ((θ − x)/σ))] − k with θ ~ N(x, σ²), by adaptive quadrature
        def f(th):
            return (
                th
                * float(g.benefit_fraction(stats.norm.cdf((th - x) / 0.4)))
                * stats.norm.pdf(th, x, 0.4)
            )

        return integrate.quad(f, x - 10, x + 10, epsabs=1e-13)[0] - 1.0

    expected = optimize.brentq(indifference, -5, 10, xtol=1e-12)
    assert cg.solve(g)[0].signal_cutoff == pytest.approx(expected, abs=1e-8)
    if curve == "linear":  # Ψ = β + (1 − β)/2 = 0.55, J = (1 − β)/(2√π)
        assert expected == pytest.approx(
            (1.0 - 0.4 * 0.9 / (2 * math.sqrt(math.pi))) / 0.55, rel=1e-9
        )


def test_cutoff_converges_to_the_laplacian_limit_with_a_normal_prior():
    base = cg.GlobalParticipationGame(
        cost=1.0, prior_mean=1.5, prior_sd=1.0, curve="step", threshold=0.5
    )
    errors = [
        abs(cg.solve(base.replace(noise=s))[0].signal_cutoff - 1.0 / 0.55)
        for s in (0.2, 0.05, 0.0125)
    ]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.02


def test_cutoff_equilibrium_by_simulating_a_large_population():
    # The marginal actor (signal x*) is indifferent when the others' actual share joining is
    # counted in a finite population of 4000 actors (independent of the closed form).
    sigma = 0.3
    g = cg.GlobalParticipationGame(cost=1.0, noise=sigma, curve="step", threshold=0.5)
    x_star = cg.solve(g)[0].signal_cutoff
    rng = np.random.default_rng(3)
    theta = x_star + sigma * rng.standard_normal(4000)  # posterior of the marginal actor
    signals = theta[:, None] + sigma * rng.standard_normal((4000, 2000))
    share = (signals >= x_star).mean(axis=1)
    gain = theta * (0.1 + 0.9 * (share >= 0.5)) - 1.0
    assert abs(gain.mean()) < 4 * gain.std() / math.sqrt(gain.size)


def test_incentives_move_the_cutoff_down_one_for_one_over_psi():
    g = cg.GlobalParticipationGame(cost=2.0, noise=0.2, curve="step", threshold=0.75)
    inc = np.array([0.0, 0.5, 1.0, 1.5])
    cut = g.cutoff(inc)
    psi = 0.1 + 0.9 * 0.25
    np.testing.assert_allclose(np.diff(cut), -0.5 / psi, rtol=1e-10)
    np.testing.assert_allclose(g.limit_cutoff(inc), (2.0 - inc) / psi)
    normal = g.replace(prior_mean=3.0, prior_sd=2.0)
    assert np.all(np.diff(normal.cutoff(inc)) < 0)


def test_public_information_can_restore_multiplicity():
    g = cg.GlobalParticipationGame(
        cost=1.0, noise=2.0, prior_mean=1.5, prior_sd=0.5, curve="step", threshold=0.5
    )
    eq = cg.solve(g)
    assert len(eq) >= 2 and not eq.complete
    assert eq.max_regret < 1e-6
    precise = cg.solve(g.replace(noise=0.05))
    assert len(precise) == 1 and precise.max_regret < 1e-6


def test_default_global_game_selects_non_participation_without_incentives():
    g = cg.GlobalParticipationGame.default()
    theta = g.prior_mean
    # Complete information: at θ = μ everybody joining is an equilibrium (θ·ψ(1) ≥ k), and
    # so is nobody joining (θ·ψ(0) < k)...
    assert (
        theta * float(g.benefit_fraction(1.0)) - g.cost
        >= 0
        > theta * float(g.benefit_fraction(0.0)) - g.cost
    )
    # ...but with private noise the marginal actor needs θ above the cutoff: nobody is selected.
    eq = cg.solve(g)
    assert len(eq) == 1 and eq[0].signal_cutoff > theta
    assert g.participation(theta) < 0.01
    # Incentives large enough select participation; slightly smaller ones do not.
    need = g.critical_incentive()
    assert 0 < need < g.cost
    assert g.replace(incentive=need + 1e-6).cutoff() <= theta
    assert g.replace(incentive=max(need - 0.05, 0)).cutoff() > theta
    # In the limit the needed incentive is k − μ·Ψ.
    assert g.replace(noise=0.0).critical_incentive() == pytest.approx(1.0 - 1.5 * 0.55)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(cost=np.nan), "cost"),
        (dict(cost=-1.0), "cost"),
        (dict(cost=1.0, noise=-0.1), "noise"),
        (dict(cost=1.0, noise=np.inf), "noise"),
        (dict(cost=1.0, prior_sd=0.0), "prior_sd"),
        (dict(cost=1.0, threshold=1.0), "threshold"),
        (dict(cost=1.0, threshold=0.0), "threshold"),
        (dict(cost=1.0, curve="stp"), "curve"),
        (dict(cost=1.0, incentive=-0.5), "incentive"),
        (dict(cost=1.0, standalone=0.0), "standalone"),
        (dict(cost=1.0, standalone=1.0), "standalone"),
    ],
)
def test_invalid_parameters(kwargs, name):
    with pytest.raises(
        cg.InvalidParameterError, match=f"'{name}' parameter of GlobalParticipationGame"
    ):
        cg.GlobalParticipationGame(**kwargs)


@pytest.mark.parametrize("shift", [-0.5, -0.05, 0.05, 0.5])
def test_regret_of_a_wrong_cutoff_is_at_least_the_gain_at_the_cutoff(shift):
    """A cutoff that is not an equilibrium has regret ≥ |E[gain | x*]| (types at the cutoff are
    not indifferent); the gain is computed here by adaptive quadrature, independently."""
    g = cg.GlobalParticipationGame(cost=1.0, noise=0.4, curve="linear", threshold=0.6)
    root = cg.solve(g)[0].signal_cutoff
    cut = root + shift

    def f(th):
        share = stats.norm.cdf((th - cut) / 0.4)
        return th * float(g.benefit_fraction(share)) * stats.norm.pdf(th, cut, 0.4)

    gain = integrate.quad(f, cut - 10, cut + 10, epsabs=1e-13)[0] - g.net_cost
    assert abs(gain) > 1e-3
    assert g.regret(cut) >= abs(gain) - 1e-9


@pytest.mark.parametrize("shift", [-0.3, 0.3])
def test_disclosure_regret_of_a_wrong_cutoff_is_the_gain_at_the_cutoff(shift):
    g = cg.DisclosureGame(private_precision=4.0, public_precision=1.0)
    x = cg.solve(g)[0].signal_cutoff + shift
    a, b, y = g.public_precision, g.private_precision, g.public_signal
    theta_s = optimize.brentq(lambda t: stats.norm.cdf(np.sqrt(b) * (x - t)) - t, 0, 1, xtol=1e-15)
    mean = (a * y + b * x) / (a + b)
    gain = g.benefit * stats.norm.cdf(np.sqrt(a + b) * (theta_s - mean)) - (g.cost - g.incentive)
    assert abs(gain) > 1e-3
    assert g.regret(x) == pytest.approx(abs(gain), rel=1e-9)
