"""Bergstrom, Blume & Varian (1986), J. Public Econ. 29:25, and Varian (2004).

BBV: in the linear-cost private-provision game only the actors with the highest benefit–cost
ratio contribute, total provision is R* = ln(pHκ·max s/c)/κ, and redistributing among the
others changes nothing (neutrality). Varian (2004): total effort equals the best stand-alone
level; weakest link has the continuum [0, min_i ê_i]; best shot has one provider per
equilibrium, at its stand-alone level. All equilibria come from ``cg.solve``; expected values
from the closed forms ê_i = ln(s_i pHκ/c_i)/κ.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg

P, H, K = 0.5, 100.0, 0.5


def test_bbv_only_highest_ratio_contributes_and_closed_form():
    share = np.array([0.3, 0.2, 0.1, 0.25])
    cost = np.array([1.0, 1.0, 0.5, 1.2])
    g = cg.classics.private_provision(share, cost, prob=P, harm=H, efficacy=K)
    eq = cg.solve(g)
    ratio = share / cost
    expected = np.log(P * H * K * ratio.max()) / K
    assert_allclose(eq[0].robustness, expected, rtol=1e-12)
    assert_allclose(cg.classics.provision_closed_form(g), expected, rtol=1e-15)
    for e in eq:
        assert np.all(e.investment[ratio < ratio.max()] == 0)
        assert e.max_regret < 1e-9


def test_bbv_neutrality_to_the_others_shares():
    base = cg.classics.private_provision([0.3, 0.2, 0.1], 1.0, prob=P, harm=H, efficacy=K)
    moved = cg.classics.private_provision([0.3, 0.05, 0.25], 1.0, prob=P, harm=H, efficacy=K)
    assert_allclose(cg.solve(moved)[0].robustness, cg.solve(base)[0].robustness, rtol=1e-12)


def test_varian_total_effort():
    g = cg.classics.reliability_game(
        "total_effort", [0.3, 0.2, 0.1], [1.0, 2.0, 0.5], prob=P, harm=H, efficacy=K
    )
    levels = np.log(P * H * K * np.array([0.3, 0.1, 0.2])) / K
    assert_allclose(cg.solve(g).greatest.robustness, levels.max(), rtol=1e-12)


def test_varian_weakest_link_continuum():
    share, cost = np.array([0.3, 0.2, 0.1]), np.array([1.0, 2.0, 0.5])
    g = cg.classics.reliability_game("weakest_link", share, cost, prob=P, harm=H, efficacy=K)
    eq = cg.solve(g)
    standalone = np.maximum(0, np.log(share * P * H * K / cost) / K)
    assert_allclose(cg.classics.standalone_levels(g), standalone, rtol=1e-15)
    assert eq.continuum
    assert_allclose(eq.least.robustness, 0.0, atol=1e-15)
    assert_allclose(eq.greatest.robustness, standalone.min(), rtol=1e-12)


def test_varian_best_shot_single_provider():
    share, cost = np.array([0.3, 0.2, 0.1]), np.array([1.0, 2.0, 0.5])
    g = cg.classics.reliability_game("best_shot", share, cost, prob=P, harm=H, efficacy=K)
    standalone = np.log(share * P * H * K / cost) / K
    for e in cg.solve(g):
        providers = np.flatnonzero(e.investment > 0)
        assert providers.size == 1
        assert_allclose(e.investment[providers[0]], standalone[providers[0]], rtol=1e-12)
        assert e.max_regret < 1e-9


def test_unknown_kind():
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'best_shot'"):
        cg.classics.reliability_game("best_shoot", 0.2, 1.0)
