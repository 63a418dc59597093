"""The preparedness game M1: equilibria, optimum and gap against closed forms.

Expected values come from closed forms derived here (Bergstrom, Blume & Varian 1986 for the
linear sum; the Lambert-W solution of the first-order conditions for convex cost; Varian 2004
for weakest link and best shot) or from independent numerical methods (scipy.optimize on the
welfare function written out below, brute-force grids) — never from the solver's own output.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special

import coordgap as cg
from coordgap.errors import DegenerateGameWarning
from coordgap.solvers.certify import max_regret_continuous

TOL = 1e-9


# -- reference formulas written out independently of the package -------------------------------
def benefit(p, harm, kappa, r):
    return p * harm * (1.0 - np.exp(-kappa * np.asarray(r, dtype=float)))


def aggregate(x, w, aggregator, rho=1.0, baseline=0.0):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if aggregator == "sum":
        a = np.sum(w * x, axis=-1)
    elif aggregator == "weakest_link":
        a = np.min(w * x, axis=-1)
    elif aggregator == "best_shot":
        a = np.max(w * x, axis=-1)
    else:
        with np.errstate(divide="ignore"):
            if rho < 0 and np.any(x <= 0):
                return baseline + 0.0
            a = np.sum(w * x**rho, axis=-1) ** (1.0 / rho)
    return baseline + a


def welfare(x, s, c, w, p, harm, kappa, gamma, aggregator, rho=1.0, baseline=0.0):
    r = aggregate(x, w, aggregator, rho, baseline)
    return benefit(p, harm, kappa, r) - np.sum(c * np.asarray(x) ** gamma / gamma)


def lambert_sum_aggregate(s, c, w, p, harm, kappa, gamma, baseline):
    """R − R0 for ``sum`` with γ > 1, from the FOC x_i = (s_i w_i B'(R)/c_i)^(1/(γ−1)).

    Σ w_i x_i = C·(pHκ e^{−κR0})^{1/(γ−1)}·e^{−κA/(γ−1)} with C = Σ w_i (s_i w_i/c_i)^{1/(γ−1)},
    so (κA/(γ−1))·exp(κA/(γ−1)) = κ/(γ−1)·exp(K/(γ−1)), K = (γ−1) ln C + ln(pHκ) − κR0,
    and A = (γ−1)/κ · W(κ/(γ−1)·exp(K/(γ−1))).
    Returns the value from scipy.special.lambertw and from wrightomega (W(e^z) = ω(z)).
    """
    s, c, w = (np.asarray(v, dtype=float) for v in (s, c, w))
    g1 = gamma - 1.0
    big_c = np.sum(w * (s * w / c) ** (1.0 / g1))
    k = g1 * math.log(big_c) + math.log(p * harm * kappa) - kappa * baseline
    z = math.log(kappa / g1) + k / g1
    via_omega = g1 / kappa * float(np.real(special.wrightomega(z)))
    via_w = math.nan
    if z < 600:
        via_w = g1 / kappa * float(np.real(special.lambertw(math.exp(z))))
    return via_w, via_omega


def standalone_effective(s, ceff, p, harm, kappa, gamma, baseline):
    """ê = argmax_e s·B(R0 + e) − c'·e^γ/γ, by a bracketed root of the FOC (γ > 1) or in
    closed form (γ = 1)."""
    mb0 = s * p * harm * kappa * math.exp(-kappa * baseline)
    if gamma == 1.0:
        return max(0.0, math.log(mb0 / ceff) / kappa) if mb0 > 0 else 0.0
    hi = (mb0 / ceff) ** (1.0 / (gamma - 1.0)) + 1.0
    return optimize.brentq(
        lambda e: mb0 * math.exp(-kappa * e) - ceff * e ** (gamma - 1.0),
        0.0,
        hi,
        xtol=1e-15,
        rtol=1e-15,
    )


def game_dict(**kw):
    base = dict(prob=0.8, harm=50.0, efficacy=0.5)
    base.update(kw)
    return base


# == Bergstrom–Blume–Varian: sum with linear cost ============================================
class TestLinearSum:
    def test_only_highest_ratio_invests_closed_form(self):
        s, c, w = np.array([0.1, 0.3, 0.2]), np.array([1.0, 2.0, 0.5]), np.array([1.0, 1.0, 2.0])
        p, harm, kappa = 0.8, 50.0, 0.5
        game = cg.PreparednessGame(share=s, cost=c, weight=w, prob=p, harm=harm, efficacy=kappa)
        eqs = cg.solve(game)
        ratio = s * w / c  # 0.1, 0.15, 0.8
        r_star = max(0.0, math.log(p * harm * kappa * ratio.max()) / kappa)  # ln(16)/0.5
        assert eqs.complete and not eqs.continuum and eqs.success and len(eqs) == 1
        eq = eqs[0]
        assert_allclose(eq.robustness, r_star, rtol=1e-12)
        assert_allclose(eq.investment, [0.0, 0.0, r_star / 2.0], rtol=1e-12, atol=0)
        assert eq.n_investing == 1
        assert eq.kind == "unique"
        assert eq.max_regret <= TOL
        assert_allclose(eq.residual_harm, p * harm * math.exp(-kappa * r_star), rtol=1e-12)
        assert_allclose(
            eq.welfare, benefit(p, harm, kappa, r_star) - 0.5 * r_star / 2.0, rtol=1e-12
        )
        assert eqs.details["may_invest"] == ("actor 2",)

    @pytest.mark.parametrize("baseline", [0.0, 1.5, 5.0, 20.0])
    def test_baseline_closed_form(self, baseline):
        s, c, w = [0.05, 0.2], [1.0, 1.5], [3.0, 1.0]  # ratios 0.15, 0.1333
        p, harm, kappa = 1.0, 100.0, 0.7
        game = cg.PreparednessGame(
            share=s, cost=c, weight=w, prob=p, harm=harm, efficacy=kappa, baseline=baseline
        )
        eqs = cg.solve(game)
        r_free = math.log(p * harm * kappa * 0.15) / kappa  # ≈ 3.3
        r_star = max(baseline, r_free)
        assert len(eqs) == 1 and eqs.complete
        eq = eqs[0]
        assert_allclose(eq.robustness, r_star, rtol=1e-12)
        assert_allclose(eq.investment, [(r_star - baseline) / 3.0, 0.0], rtol=1e-12, atol=1e-15)
        assert eq.max_regret <= TOL
        if baseline >= r_free:
            assert eq.n_investing == 0
            assert eqs.details["may_invest"] == ()

    def test_nobody_invests_when_marginal_benefit_below_cost(self):
        # pHκ·max s w/c = 0.9 < 1: R* = max(0, ln 0.9) = 0.
        game = cg.PreparednessGame(share=[0.09, 0.05], cost=1.0, prob=1.0, harm=10.0, efficacy=1.0)
        eqs = cg.solve(game)
        assert len(eqs) == 1 and eqs.complete
        assert_allclose(eqs[0].investment, 0.0, atol=0)
        assert eqs[0].robustness == 0.0 and eqs[0].max_regret <= TOL

    def test_zero_probability_means_zero_investment(self):
        game = cg.PreparednessGame(share=[0.3, 0.2], cost=1.0, prob=0.0, harm=10.0)
        eqs = cg.solve(game)
        assert_allclose(eqs[0].investment, 0.0, atol=0)
        assert cg.optimum(game).robustness == 0.0

    def test_tie_gives_continuum_with_extreme_allocations(self):
        # s w / c = 0.2 for actors 0 and 1 (with different weights), 0.1 for actor 2.
        s, c, w = [0.2, 0.1, 0.1], [1.0, 1.0, 1.0], [1.0, 2.0, 1.0]
        p, harm, kappa = 1.0, 100.0, 1.0
        game = cg.PreparednessGame(
            share=s,
            cost=c,
            weight=w,
            prob=p,
            harm=harm,
            efficacy=kappa,
            names=["lab", "cloud", "agency"],
        )
        with pytest.warns(DegenerateGameWarning, match="tie"):
            eqs = cg.solve(game)
        r_star = math.log(p * harm * kappa * 0.2) / kappa  # ln 20
        assert eqs.continuum and eqs.complete and eqs.n_equilibria == 2
        assert eqs.details["may_invest"] == ("lab", "cloud")
        assert_allclose(eqs.details["aggregate"], r_star, rtol=1e-12)
        profiles = sorted((tuple(e.investment) for e in eqs), reverse=True)
        assert_allclose(profiles, [(r_star, 0.0, 0.0), (0.0, r_star / 2.0, 0.0)], rtol=1e-12)
        for e in eqs:
            assert e.kind == "extreme"
            assert_allclose(e.robustness, r_star, rtol=1e-12)
            assert e.max_regret <= TOL
        # Any split among the tied actors is an equilibrium; bringing in actor 2 is not.
        split = np.array([0.3 * r_star, 0.35 * r_star, 0.0])
        assert max_regret_continuous(game, split) <= TOL
        bad = np.array([0.5 * r_star, 0.0, 0.5 * r_star])
        assert max_regret_continuous(game, bad) > 1e-3

    def test_tie_listing_respects_limit(self):
        game = cg.PreparednessGame(share=0.1, cost=1.0, prob=1.0, harm=100.0, n_actors=5)
        with pytest.warns(DegenerateGameWarning):
            eqs = cg.solve(game, limit=2)
        assert len(eqs) == 2 and eqs.n_equilibria == 5 and not eqs.complete
        assert len(eqs.details["may_invest"]) == 5

    def test_highest_ratio_with_heterogeneous_weights(self):
        # Weight turns the cheapest actor into a low-ratio one: ratios 0.1·1/0.5 = 0.2 vs
        # 0.05·5/1 = 0.25, so actor 1 provides although its share is half and its cost double.
        game = cg.PreparednessGame(
            share=[0.1, 0.05],
            cost=[0.5, 1.0],
            weight=[1.0, 5.0],
            prob=0.5,
            harm=80.0,
            efficacy=0.25,
        )
        eq = cg.solve(game)[0]
        r_star = math.log(0.5 * 80.0 * 0.25 * 0.25) / 0.25
        assert_allclose(eq.investment, [0.0, r_star / 5.0], rtol=1e-12, atol=0)

    @pytest.mark.parametrize("n_actors", [1, 3])
    @pytest.mark.parametrize("share", [0.25, 0.1])
    @pytest.mark.parametrize("kappa", [0.5, 2.0])
    def test_symmetric_gap_is_log_inverse_share_over_kappa(self, n_actors, share, kappa):
        game = cg.PreparednessGame(
            share=share,
            cost=2.0,
            weight=1.5,
            prob=0.9,
            harm=400.0,
            efficacy=kappa,
            n_actors=n_actors,
        )
        if n_actors > 1:
            with pytest.warns(DegenerateGameWarning):
                report = cg.gap(game)
        else:
            report = cg.gap(game)
        r_opt = math.log(0.9 * 400.0 * kappa * 1.5 / 2.0) / kappa
        r_nash = math.log(0.9 * 400.0 * kappa * share * 1.5 / 2.0) / kappa
        assert r_nash > 0
        assert_allclose(report.robustness_opt, r_opt, rtol=1e-12)
        assert_allclose(report.robustness_worst, r_nash, rtol=1e-12)
        assert_allclose(
            report.robustness_opt - report.robustness_worst,
            math.log(1.0 / share) / kappa,
            rtol=1e-10,
        )
        # Residual harm at equilibrium is 1/s times the optimum's.
        assert_allclose(report.residual_harm_ratio_worst, 1.0 / share, rtol=1e-10)

    def test_optimum_closed_form_cheapest_provider(self):
        game = cg.PreparednessGame(
            share=[0.1, 0.3], cost=[2.0, 1.0], weight=[3.0, 1.0], prob=1.0, harm=10.0, efficacy=1.0
        )
        opt = cg.optimum(game)
        r_opt = math.log(10.0 * 1.5)  # max w/c = 1.5 (actor 0)
        assert_allclose(opt.robustness, r_opt, rtol=1e-12)
        assert_allclose(opt.investment, [r_opt / 3.0, 0.0], rtol=1e-12, atol=0)
        assert_allclose(opt.welfare, 10.0 * (1 - math.exp(-r_opt)) - 2.0 * r_opt / 3.0, rtol=1e-12)


# == sum with convex cost: the Lambert-W closed form ============================================
CONVEX_CASES = [
    # s, c, w, p, H, κ, γ, R0
    ([0.3, 0.2], [1.0, 2.0], [1.0, 1.0], 0.5, 40.0, 0.5, 2.0, 0.0),
    ([0.1, 0.05, 0.2], [0.5, 1.0, 3.0], [2.0, 1.0, 0.5], 0.8, 100.0, 1.2, 1.5, 0.0),
    ([0.1, 0.05, 0.2], [0.5, 1.0, 3.0], [2.0, 1.0, 0.5], 0.8, 100.0, 1.2, 3.0, 0.7),
    ([0.01] * 7, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [1.0] * 7, 1.0, 1e4, 0.01, 2.0, 2.0),
    ([0.5], [1e-3], [1.0], 1.0, 1e6, 3.0, 4.0, 0.0),  # very large W argument
    ([0.02, 0.01], [50.0, 80.0], [1.0, 1.0], 0.1, 1.0, 0.3, 2.5, 10.0),  # tiny aggregate
]


@pytest.mark.parametrize("s, c, w, p, harm, kappa, gamma, r0", CONVEX_CASES)
def test_convex_sum_equals_lambert_w_closed_form(s, c, w, p, harm, kappa, gamma, r0):
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        baseline=r0,
    )
    eqs = cg.solve(game)
    assert eqs.complete and eqs.success and len(eqs) == 1 and not eqs.continuum
    eq = eqs[0]
    via_w, via_omega = lambert_sum_aggregate(s, c, w, p, harm, kappa, gamma, r0)
    if math.isfinite(via_w):
        assert_allclose(via_w, via_omega, rtol=1e-10)
    assert_allclose(eq.robustness - r0, via_omega, rtol=1e-9)
    # Each actor's first-order condition: s_i w_i B'(R) = c_i x_i^(γ−1).
    s, c, w = (np.asarray(v, dtype=float) for v in (s, c, w))
    marginal = p * harm * kappa * math.exp(-kappa * eq.robustness)
    assert_allclose(c * eq.investment ** (gamma - 1.0), s * w * marginal, rtol=1e-9)
    assert_allclose(eq.robustness, r0 + np.sum(w * eq.investment), rtol=1e-12)
    assert np.all(eq.investment > 0)
    assert eq.max_regret <= TOL


def test_convex_sum_many_actors_closed_form():
    rng = np.random.default_rng(20260)
    n = 2000
    s = rng.uniform(0.1, 1.0, n) / n
    c, w = rng.uniform(0.5, 5.0, n), rng.uniform(0.5, 2.0, n)
    game = cg.PreparednessGame(
        share=s, cost=c, weight=w, prob=0.3, harm=1e4, efficacy=0.2, cost_exponent=2.0
    )
    eq = cg.solve(game)[0]
    _, via_omega = lambert_sum_aggregate(s, c, w, 0.3, 1e4, 0.2, 2.0, 0.0)
    assert_allclose(eq.robustness, via_omega, rtol=1e-9)
    marginal = 0.3 * 1e4 * 0.2 * math.exp(-0.2 * eq.robustness)
    assert_allclose(c * eq.investment, s * w * marginal, rtol=1e-9)
    assert eq.max_regret <= TOL


def test_convex_sum_optimum_is_lambert_w_with_unit_shares():
    s, c, w = [0.1, 0.2], [1.0, 3.0], [1.0, 2.0]
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=0.6,
        harm=30.0,
        efficacy=0.8,
        cost_exponent=2.0,
        baseline=0.3,
    )
    opt = cg.optimum(game)
    _, via_omega = lambert_sum_aggregate([1.0, 1.0], c, w, 0.6, 30.0, 0.8, 2.0, 0.3)
    assert_allclose(opt.robustness - 0.3, via_omega, rtol=1e-9)


# == CES ====================================================================================
@pytest.mark.parametrize("gamma", [1.5, 2.0, 3.0])
def test_ces_with_rho_one_equals_sum(gamma):
    s, c, w = [0.2, 0.1, 0.3], [1.0, 2.0, 0.5], [1.0, 1.5, 0.5]
    kw = dict(
        share=s,
        cost=c,
        weight=w,
        prob=0.7,
        harm=60.0,
        efficacy=0.4,
        cost_exponent=gamma,
        baseline=0.2,
    )
    ces = cg.solve(cg.PreparednessGame(aggregator="ces", ces_rho=1.0, **kw))
    assert len(ces) == 1 and ces.complete
    _, via_omega = lambert_sum_aggregate(s, c, w, 0.7, 60.0, 0.4, gamma, 0.2)
    assert_allclose(ces[0].robustness - 0.2, via_omega, rtol=1e-9)
    total = cg.solve(cg.PreparednessGame(aggregator="sum", **kw))
    assert_allclose(ces[0].investment, total[0].investment, rtol=1e-9)
    assert ces[0].max_regret <= TOL


def test_ces_with_rho_one_and_linear_cost_equals_bbv():
    s, c = [0.2, 0.1], [1.0, 1.0]
    game = cg.PreparednessGame(
        share=s, cost=c, prob=1.0, harm=100.0, efficacy=1.0, aggregator="ces", ces_rho=1.0
    )
    eqs = cg.solve(game)
    assert_allclose(eqs[0].robustness, math.log(100.0 * 0.2), rtol=1e-12)
    assert_allclose(eqs[0].investment, [math.log(20.0), 0.0], rtol=1e-12, atol=0)


def ces_foc_residual(x, s, c, w, p, harm, kappa, gamma, rho, r0):
    """∂u_i/∂x_i = s_i B'(R) w_i x_i^(ρ−1) A^(1−ρ) − c_i x_i^(γ−1), relative."""
    a = np.sum(w * x**rho) ** (1.0 / rho)
    marginal = p * harm * kappa * math.exp(-kappa * (r0 + a))
    lhs = s * marginal * w * x ** (rho - 1.0) * a ** (1.0 - rho)
    rhs = c * x ** (gamma - 1.0)
    return lhs / rhs - 1.0


@pytest.mark.parametrize("rho", [-0.5, -2.0])
@pytest.mark.parametrize("gamma", [1.0, 2.0])
def test_ces_complements_zero_and_interior_equilibrium(rho, gamma):
    s, c, w = np.array([0.3, 0.2, 0.25]), np.array([1.0, 1.5, 0.8]), np.array([1.0, 0.7, 1.2])
    p, harm, kappa, r0 = 1.0, 5000.0, 0.5, 0.1
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        aggregator="ces",
        ces_rho=rho,
        baseline=r0,
    )
    eqs = cg.solve(game)
    assert eqs.complete and len(eqs) == 2
    assert_allclose(eqs.least.investment, 0.0, atol=0)
    assert eqs.least.robustness == r0
    interior = eqs.greatest
    assert np.all(interior.investment > 0)
    for e in eqs:
        assert e.max_regret <= TOL
    # Independent: solve the FOC system in log x from a generic start with scipy.
    args = (s, c, w, p, harm, kappa, gamma, rho, r0)
    if gamma > 1.0:
        sol = optimize.root(
            lambda y: ces_foc_residual(np.exp(y), *args), np.zeros(3), method="hybr", tol=1e-13
        )
        assert np.max(np.abs(ces_foc_residual(np.exp(sol.x), *args))) < 1e-10
        assert_allclose(interior.investment, np.exp(sol.x), rtol=1e-8)
    else:
        # Linear cost, degree-one aggregate: the FOC gives x_i = A·q_i^(1/(1−ρ)) with
        # q_i = s_i w_i B'(R)/c_i, and A^ρ = Σ w_i x_i^ρ forces Σ w_i q_i^(ρ/(1−ρ)) = 1, so
        # B'(R*) = (Σ w_i (s_i w_i/c_i)^(ρ/(1−ρ)))^(−(1−ρ)/ρ) and R* = (ln(pHκ) − ln B')/κ.
        total = np.sum(w * (s * w / c) ** (rho / (1.0 - rho)))
        log_mb = -(1.0 - rho) / rho * math.log(total)
        r_star = (math.log(p * harm * kappa) - log_mb) / kappa
        assert_allclose(interior.robustness, r_star, rtol=1e-10)
        q = s * w * math.exp(log_mb) / c
        assert_allclose(interior.investment, (r_star - r0) * q ** (1.0 / (1.0 - rho)), rtol=1e-9)
    assert_allclose(
        interior.robustness, aggregate(interior.investment, w, "ces", rho, r0), rtol=1e-12
    )
    assert_allclose(ces_foc_residual(interior.investment, *args), 0.0, atol=1e-9)


@pytest.mark.parametrize("gamma", [1.5, 2.0])
def test_ces_substitutes_convex_cost_unique_interior(gamma):
    s, c, w = np.array([0.3, 0.2]), np.array([1.0, 2.0]), np.array([1.0, 1.0])
    args = (s, c, w, 1.0, 20.0, 0.5, gamma, 0.5, 0.0)
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=1.0,
        harm=20.0,
        efficacy=0.5,
        cost_exponent=gamma,
        aggregator="ces",
        ces_rho=0.5,
    )
    eqs = cg.solve(game)
    assert len(eqs) == 1 and eqs.complete
    sol = optimize.root(lambda y: ces_foc_residual(np.exp(y), *args), np.zeros(2), tol=1e-13)
    assert np.max(np.abs(ces_foc_residual(np.exp(sol.x), *args))) < 1e-10
    assert_allclose(eqs[0].investment, np.exp(sol.x), rtol=1e-8)
    assert eqs[0].max_regret <= TOL


def test_ces_substitutes_linear_cost_lists_zero_equilibrium_when_it_is_one():
    s, c = np.array([0.3, 0.3, 0.3]), np.array([1.0, 1.0, 1.0])
    game = cg.PreparednessGame(
        share=s, cost=c, prob=1.0, harm=2.0, efficacy=1.0, aggregator="ces", ces_rho=0.5
    )
    # A lone deviation from the all-zero profile: A = w^(1/ρ)·x, marginal payoff at 0 is
    # s·pHκ·w^(1/ρ) − c = 0.6 − 1 < 0 and the payoff is concave, so zero is an equilibrium.
    assert 0.3 * 2.0 * 1.0 - 1.0 < 0
    zero = np.zeros(3)
    assert max_regret_continuous(game, zero) <= TOL
    eqs = cg.solve(game)
    assert eqs.complete
    assert any(np.all(e.investment == 0) for e in eqs)


# == weakest link (Varian 2004) ===============================================================
@pytest.mark.slow
@pytest.mark.parametrize("gamma", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("baseline", [0.0, 0.4])
def test_weakest_link_continuum_ends(gamma, baseline):
    s, c, w = [0.3, 0.2, 0.4], [1.0, 0.5, 2.0], [1.0, 2.0, 0.5]
    p, harm, kappa = 1.0, 30.0, 0.6
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        aggregator="weakest_link",
        baseline=baseline,
    )
    eqs = cg.solve(game)
    e_hat = [
        standalone_effective(si, ci / wi**gamma, p, harm, kappa, gamma, baseline)
        for si, ci, wi in zip(s, c, w)
    ]
    top = min(e_hat)
    assert top > 0
    assert eqs.continuum and eqs.complete and len(eqs) == 2
    assert_allclose(eqs.details["effective_level_max"], top, rtol=1e-9)
    assert eqs.least.robustness == baseline
    assert_allclose(eqs.least.investment, 0.0, atol=0)
    assert_allclose(eqs.greatest.robustness, baseline + top, rtol=1e-9)
    assert_allclose(eqs.greatest.investment, top / np.asarray(w), rtol=1e-9)
    for e in eqs:
        assert e.max_regret <= TOL
    # Interior points of the segment are equilibria; above it or off the diagonal they are not.
    w = np.asarray(w)
    for frac in (0.25, 0.5, 0.9):
        assert max_regret_continuous(game, frac * top / w) <= TOL
    assert max_regret_continuous(game, 1.2 * top / w) > 1e-6
    off = 0.5 * top / w
    off[0] *= 1.5
    assert max_regret_continuous(game, off) > 1e-6


def test_weakest_link_closed_form_linear_cost():
    # γ = 1: ê_i = ln(s_i pHκ w_i/c_i)/κ − R0; min over actors.
    s, c, w = np.array([0.3, 0.2]), np.array([1.0, 2.0]), np.array([1.0, 4.0])
    game = cg.PreparednessGame(
        share=s, cost=c, weight=w, prob=1.0, harm=100.0, efficacy=1.0, aggregator="weakest_link"
    )
    top = float(np.min(np.log(s * 100.0 * w / c)))  # min(ln 30, ln 40) = ln 30
    eqs = cg.solve(game)
    assert_allclose(eqs.greatest.robustness, math.log(30.0), rtol=1e-12)
    assert_allclose(eqs.greatest.investment, top / w, rtol=1e-12)


def test_weakest_link_unique_zero_when_one_actor_would_not_invest():
    game = cg.PreparednessGame(
        share=[0.3, 0.005], cost=1.0, prob=1.0, harm=100.0, aggregator="weakest_link"
    )  # 0.005·100 < 1
    eqs = cg.solve(game)
    assert len(eqs) == 1 and eqs.complete and not eqs.continuum
    assert_allclose(eqs[0].investment, 0.0, atol=0)


def test_weakest_link_optimum_common_level():
    # Planner: everyone provides m, maximize B(m) − m^γ/γ·Σ c_i/w_i^γ (brute 1-D grid here).
    s, c, w = [0.3, 0.2], [1.0, 0.5], [1.0, 2.0]
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=1.0,
        harm=30.0,
        efficacy=0.6,
        cost_exponent=2.0,
        aggregator="weakest_link",
    )
    opt = cg.optimum(game)
    m = np.linspace(0, 10, 2_000_001)
    values = 30.0 * (1 - np.exp(-0.6 * m)) - m**2 / 2 * (1.0 + 0.5 / 4.0)
    assert_allclose(opt.robustness, m[np.argmax(values)], atol=1e-5)
    assert opt.welfare >= values.max() - 1e-12


# == best shot (Varian 2004) =================================================================
def best_shot_brute_force(s, c, w, p, harm, kappa, gamma, r0, n_grid=200_001):
    """Indices j whose 'j alone provides its stand-alone optimum' profile survives every
    unilateral deviation on a fine grid, with the stand-alone optima."""
    s, c, w = (np.asarray(v, dtype=float) for v in (s, c, w))
    n = len(s)
    ceff = c / w**gamma
    e_hat = np.array(
        [standalone_effective(s[i], ceff[i], p, harm, kappa, gamma, r0) for i in range(n)]
    )
    grid = np.linspace(0.0, 3.0 * e_hat.max() + 1.0, n_grid)
    survivors = []
    for j in range(n):
        if e_hat[j] <= 0:
            continue
        ok = True
        for i in range(n):
            others = 0.0 if i == j else e_hat[j]
            current = e_hat[i] if i == j else 0.0
            u_now = (
                s[i] * benefit(p, harm, kappa, r0 + max(others, current))
                - ceff[i] * current**gamma / gamma
            )
            u_dev = (
                s[i] * benefit(p, harm, kappa, r0 + np.maximum(others, grid))
                - ceff[i] * grid**gamma / gamma
            )
            if u_dev.max() > u_now + 1e-9:
                ok = False
                break
        if ok:
            survivors.append(j)
    return survivors, e_hat


BEST_SHOT_CASES = [
    ([0.5, 0.05, 0.3], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 2.0, 0.0),
    ([0.3, 0.25, 0.05], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 2.0, 0.0),
    ([0.6, 0.1, 0.2], [1.0, 0.3, 2.0], [1.0, 2.0, 1.5], 1.5, 0.2),
    ([0.2, 0.2, 0.2, 0.2], [1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0], 3.0, 0.0),
    ([0.4, 0.3], [1.0, 1.0], [1.0, 1.0], 1.0, 0.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("s, c, w, gamma, r0", BEST_SHOT_CASES)
def test_best_shot_providers_match_brute_force(s, c, w, gamma, r0):
    p, harm, kappa = 1.0, 10.0, 1.0
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        aggregator="best_shot",
        baseline=r0,
    )
    eqs = cg.solve(game)
    expected, e_hat = best_shot_brute_force(s, c, w, p, harm, kappa, gamma, r0)
    providers = [int(np.flatnonzero(e.investment)[0]) for e in eqs]
    assert sorted(providers) == expected
    assert eqs.complete and eqs.n_equilibria == len(expected)
    for e, j in zip(eqs, providers):
        assert e.n_investing == 1
        assert_allclose(e.investment[j], e_hat[j] / w[j], rtol=1e-9)
        assert_allclose(e.robustness, r0 + e_hat[j], rtol=1e-9)
        assert e.max_regret <= TOL
    assert eqs.details["providers"] == tuple(f"actor {j}" for j in providers)


def test_best_shot_overtaking_excludes_weak_provider():
    # Actor 1 alone would provide ê_1 small; actor 0 (share 0.5) prefers to overtake it.
    s, c = [0.5, 0.05, 0.3], [1.0, 1.0, 1.0]
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        prob=1.0,
        harm=10.0,
        efficacy=1.0,
        cost_exponent=2.0,
        aggregator="best_shot",
    )
    names = cg.solve(game).details["providers"]
    assert "actor 1" not in names and "actor 0" in names
    e1 = standalone_effective(0.05, 1.0, 1.0, 10.0, 1.0, 2.0, 0.0)
    assert max_regret_continuous(game, np.array([0.0, e1, 0.0])) > 1e-3


def test_best_shot_optimum_cheapest_effective_cost():
    s, c, w = [0.3, 0.25], [1.0, 2.0], [1.0, 2.0]  # effective costs c/w^2: 1, 0.5
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=1.0,
        harm=10.0,
        efficacy=1.0,
        cost_exponent=2.0,
        aggregator="best_shot",
    )
    opt = cg.optimum(game)
    e_opt = standalone_effective(1.0, 0.5, 1.0, 10.0, 1.0, 2.0, 0.0)
    assert_allclose(opt.investment, [0.0, e_opt / 2.0], rtol=1e-9, atol=0)


# == the social optimum against scipy.optimize ================================================
OPT_CASES = [
    # aggregator, rho, gamma, s, c, w, R0
    ("sum", 1.0, 1.0, [0.2, 0.3], [1.0, 2.0], [1.0, 1.0], 0.0),
    ("sum", 1.0, 2.0, [0.2, 0.3], [1.0, 2.0], [1.0, 1.5], 0.0),
    ("sum", 1.0, 3.0, [0.1, 0.3, 0.2], [1.0, 2.0, 0.5], [1.0, 1.5, 0.7], 0.5),
    ("ces", 0.5, 1.5, [0.1, 0.3, 0.2], [1.0, 2.0, 0.5], [1.0, 1.5, 0.7], 0.0),
    ("ces", 0.5, 2.0, [0.2, 0.3], [1.0, 2.0], [1.0, 1.5], 0.3),
    ("ces", -1.0, 2.0, [0.2, 0.3], [1.0, 2.0], [1.0, 1.5], 0.0),
    ("ces", -0.5, 1.5, [0.1, 0.3, 0.2], [1.0, 2.0, 0.5], [1.0, 1.5, 0.7], 0.2),
    ("ces", 0.5, 1.0, [0.2, 0.3], [1.0, 2.0], [1.0, 1.5], 0.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("aggregator, rho, gamma, s, c, w, r0", OPT_CASES)
def test_optimum_matches_scipy_minimize(aggregator, rho, gamma, s, c, w, r0):
    p, harm, kappa = 0.8, 20.0, 0.5
    s, c, w = (np.asarray(v, dtype=float) for v in (s, c, w))
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        aggregator=aggregator,
        ces_rho=rho,
        baseline=r0,
    )
    opt = cg.optimum(game)
    assert opt.success

    def negative(y):
        x = np.exp(y)  # positive investments; the optimum here is interior or at a vertex
        return -welfare(x, s, c, w, p, harm, kappa, gamma, aggregator, rho, r0)

    best = -math.inf
    rng = np.random.default_rng(7)
    for start in [np.zeros(len(s)), *rng.normal(0.0, 1.0, (4, len(s)))]:
        res = optimize.minimize(
            negative,
            start,
            method="Nelder-Mead",
            options=dict(xatol=1e-10, fatol=1e-13, maxiter=20_000),
        )
        res = optimize.minimize(
            negative, res.x, method="L-BFGS-B", options=dict(ftol=1e-15, gtol=1e-12)
        )
        best = max(best, -res.fun)
    best = max(best, welfare(np.zeros(len(s)), s, c, w, p, harm, kappa, gamma, aggregator, rho, r0))
    own = welfare(opt.investment, s, c, w, p, harm, kappa, gamma, aggregator, rho, r0)
    assert_allclose(opt.welfare, own, rtol=1e-12)
    assert opt.welfare >= best - 1e-9 * max(1.0, abs(best))
    assert opt.welfare <= best + 1e-6 * max(1.0, abs(best))
    assert_allclose(opt.residual_harm, p * harm * math.exp(-kappa * opt.robustness), rtol=1e-12)


# == the gap report ===========================================================================
def test_gap_report_fields_convex_sum():
    s, c, w = np.array([0.3, 0.2]), np.array([1.0, 2.0]), np.array([1.0, 1.0])
    p, harm, kappa, gamma = 0.5, 40.0, 0.5, 2.0
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        names=["lab", "cloud"],
    )
    report = cg.gap(game)
    _, a_nash = lambert_sum_aggregate(s, c, w, p, harm, kappa, gamma, 0.0)
    _, a_opt = lambert_sum_aggregate([1.0, 1.0], c, w, p, harm, kappa, gamma, 0.0)
    assert_allclose(report.robustness_worst, a_nash, rtol=1e-9)
    assert_allclose(report.robustness_best, a_nash, rtol=1e-9)
    assert_allclose(report.robustness_opt, a_opt, rtol=1e-9)
    assert_allclose(report.robustness_ratio_worst, a_nash / a_opt, rtol=1e-9)
    assert_allclose(report.residual_harm_worst, p * harm * math.exp(-kappa * a_nash), rtol=1e-9)
    assert_allclose(report.residual_harm_opt, p * harm * math.exp(-kappa * a_opt), rtol=1e-9)
    assert_allclose(report.residual_harm_ratio_worst, math.exp(kappa * (a_opt - a_nash)), rtol=1e-9)
    # Investments from the FOC at the closed-form aggregates.
    x_nash = s * w * p * harm * kappa * math.exp(-kappa * a_nash) / c
    x_opt = w * p * harm * kappa * math.exp(-kappa * a_opt) / c
    w_nash = welfare(x_nash, s, c, w, p, harm, kappa, gamma, "sum")
    w_opt = welfare(x_opt, s, c, w, p, harm, kappa, gamma, "sum")
    assert_allclose(report.welfare_worst, w_nash, rtol=1e-9)
    assert_allclose(report.welfare_opt, w_opt, rtol=1e-9)
    assert_allclose(report.welfare_loss_worst, w_opt - w_nash, rtol=1e-7)
    assert report.welfare_loss_worst > 0
    assert_allclose(report.price_of_anarchy, w_opt / w_nash, rtol=1e-9)
    assert report.price_of_anarchy >= 1.0 and report.price_of_stability >= 1.0
    assert report.free_riders == ()
    costs = c * x_nash**2 / 2
    assert_allclose(report.cost_shares, costs / costs.sum(), rtol=1e-9)
    assert_allclose(report.cost_shares.sum(), 1.0, rtol=1e-12)
    assert_allclose(report.benefit_shares, s)
    assert report.names == ("lab", "cloud")
    assert report.success and report.status == 0 and report.n_equilibria == 1


def test_gap_report_linear_sum_free_riders():
    game = cg.PreparednessGame(
        share=[0.1, 0.3, 0.2],
        cost=[1.0, 2.0, 0.5],
        prob=1.0,
        harm=100.0,
        efficacy=1.0,
        names=["a", "b", "c"],
    )
    report = cg.gap(game)
    r_nash, r_opt = math.log(100.0 * 0.4), math.log(100.0 * 2.0)  # max s/c = 0.4, max 1/c = 2
    assert_allclose(report.robustness_worst, r_nash, rtol=1e-12)
    assert_allclose(report.robustness_opt, r_opt, rtol=1e-12)
    assert_allclose(report.robustness_ratio_worst, r_nash / r_opt, rtol=1e-12)
    assert report.free_riders == ("a", "b")
    assert_allclose(report.cost_shares, [0.0, 0.0, 1.0], atol=0)
    w_nash = 100.0 * (1 - math.exp(-r_nash)) - 0.5 * r_nash
    w_opt = 100.0 * (1 - math.exp(-r_opt)) - 0.5 * r_opt
    assert_allclose(report.welfare_loss_worst, w_opt - w_nash, rtol=1e-10)
    assert_allclose(report.price_of_anarchy, w_opt / w_nash, rtol=1e-12)
    frame = report.actors_frame()
    assert list(frame["free_rider"]) == [True, True, False]


def test_gap_report_several_equilibria_worst_and_best():
    # ces with ρ < 0 and no baseline: the all-zero equilibrium has welfare 0, so the
    # price of anarchy is infinite; the best equilibrium is the interior one.
    game = cg.PreparednessGame(
        share=[0.3, 0.3],
        cost=1.0,
        prob=1.0,
        harm=20.0,
        efficacy=0.5,
        cost_exponent=2.0,
        aggregator="ces",
        ces_rho=-1.0,
    )
    report = cg.gap(game)
    assert report.n_equilibria == 2
    assert report.robustness_worst == 0.0 and report.welfare_worst == 0.0
    assert report.robustness_ratio_worst == 0.0
    assert_allclose(report.residual_harm_worst, 20.0, rtol=1e-15)
    assert report.price_of_anarchy == math.inf
    assert report.robustness_best > 0 and 1.0 <= report.price_of_stability < math.inf
    assert report.welfare_loss_best <= report.welfare_loss_worst
    assert report.free_riders == ("actor 0", "actor 1")
    assert_allclose(report.cost_shares, 0.0, atol=0)
    # Symmetric interior: x = A / 2^(−1/ρ)... check through the FOC instead.
    interior = cg.solve(game).greatest.investment
    args = (np.array([0.3, 0.3]), np.ones(2), np.ones(2), 1.0, 20.0, 0.5, 2.0, -1.0, 0.0)
    assert_allclose(ces_foc_residual(interior, *args), 0.0, atol=1e-9)


def test_gap_report_weakest_link_with_baseline():
    game = cg.PreparednessGame(
        share=[0.3, 0.2],
        cost=[1.0, 0.5],
        weight=[1.0, 2.0],
        prob=1.0,
        harm=30.0,
        efficacy=0.6,
        cost_exponent=2.0,
        aggregator="weakest_link",
        baseline=0.5,
    )
    report = cg.gap(game)
    b0 = 30.0 * (1 - math.exp(-0.6 * 0.5))
    assert report.robustness_worst == 0.5
    assert_allclose(report.welfare_worst, b0, rtol=1e-12)
    assert_allclose(report.price_of_anarchy, report.welfare_opt / b0, rtol=1e-12)
    assert report.price_of_anarchy >= report.price_of_stability >= 1.0
    assert report.robustness_best > report.robustness_worst


# == result objects ===========================================================================
def test_result_conversions():
    game = cg.PreparednessGame(
        share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0, efficacy=0.5, cost_exponent=2.0
    )
    eqs, opt, report = cg.solve(game), cg.optimum(game), cg.gap(game)
    for obj in (eqs, eqs[0], opt, report):
        data = obj.to_dict()
        json.dumps(data)
        frame = obj.to_frame()
        assert isinstance(frame, pd.DataFrame) and len(frame) >= 1
        text = repr(obj)
        assert type(obj).__name__ in text
        html = obj._repr_html_()
        assert "<table" in html and type(obj).__name__ in html
    assert "game" not in eqs.to_dict()
    assert len(eqs.to_dict()["equilibria"]) == 1
    assert eqs.to_dict()["equilibria"][0]["investment"] == list(eqs[0].investment)
    assert list(report.to_frame().columns) == ["optimum", "worst", "best"]
    assert "max_regret" in eqs.to_frame().columns
    assert report.to_dict()["free_riders"] == []
    assert eqs.least is eqs.greatest is eqs[0]
    assert eqs.max_regret == eqs[0].max_regret


def test_results_are_frozen():
    game = cg.PreparednessGame(share=0.2, cost=1.0, cost_exponent=2.0, harm=10.0)
    eq = cg.solve(game)[0]
    with pytest.raises(AttributeError):
        eq.robustness = 0.0
    with pytest.raises(ValueError):
        eq.investment[0] = 1.0
    with pytest.raises(AttributeError):
        game.cost = 2.0


def test_inf_price_of_anarchy_serializes():
    game = cg.PreparednessGame(
        share=[0.3, 0.3],
        cost=1.0,
        prob=1.0,
        harm=20.0,
        efficacy=0.5,
        cost_exponent=2.0,
        aggregator="ces",
        ces_rho=-1.0,
    )
    data = cg.gap(game).to_dict()
    assert data["price_of_anarchy"] == "inf"
    json.dumps(data)


# == one actor: every aggregator is a sum, the equilibrium is the stand-alone optimum ==========
ONE_ACTOR_CASES = [
    (agg, rho, gamma)
    for agg, rho in (
        ("sum", 1.0),
        ("ces", 0.5),
        ("ces", -2.0),
        ("weakest_link", 1.0),
        ("best_shot", 1.0),
    )
    for gamma in (1.0, 2.0)
]


@pytest.mark.parametrize(
    "agg, rho, gamma",
    [pytest.param(*case, id="-".join(map(str, case))) for case in ONE_ACTOR_CASES],
)
def test_one_actor_equilibrium_is_standalone_optimum(agg, rho, gamma):
    s, c, w, p, harm, kappa, r0 = 0.8, 1.5, 1.3, 0.9, 20.0, 0.4, 0.25
    game = cg.PreparednessGame(
        share=s,
        cost=c,
        weight=w,
        prob=p,
        harm=harm,
        efficacy=kappa,
        cost_exponent=gamma,
        aggregator=agg,
        ces_rho=rho,
        baseline=r0,
    )
    # A = w_eff·x with w_eff = w^(1/ρ) for ces ((w x^ρ)^(1/ρ)) and w otherwise.
    w_eff = w ** (1.0 / rho) if agg == "ces" else w
    e_hat = standalone_effective(s, c / w_eff**gamma, p, harm, kappa, gamma, r0)
    assert e_hat > 0
    eqs = cg.solve(game)
    assert len(eqs) == 1 and eqs.complete and not eqs.continuum
    assert_allclose(eqs[0].investment, [e_hat / w_eff], rtol=1e-9)
    assert_allclose(eqs[0].robustness, r0 + e_hat, rtol=1e-9)
    assert eqs[0].max_regret <= TOL


def test_ces_complements_with_tiny_stakes_does_not_overflow():
    game = cg.PreparednessGame(
        share=[0.5, 0.5], cost=1.0, prob=1.0, harm=1.3e-150, aggregator="ces", ces_rho=-2.0
    )
    eqs = cg.solve(game)
    for e in eqs:
        assert e.max_regret <= TOL
    # Below 1e-150 the magnitude rule rejects the stake before any arithmetic.
    with pytest.raises(cg.InvalidParameterError, match="'harm'.*1e-150.*6.3e-277"):
        cg.PreparednessGame(
            share=[0.5, 0.5], cost=1.0, prob=1.0, harm=6.3e-277, aggregator="ces", ces_rho=-2.0
        )


@pytest.mark.parametrize("n_actors", [1, 2])
@pytest.mark.parametrize("harm", [1e-3, 1e-100, 1e-150])
def test_ces_complements_with_tiny_stakes(n_actors, harm):
    # Symmetric: A = n^(1/ρ)·x, ∂A/∂x_i = n^((1−ρ)/ρ) = n^(−3/2), so x = s·B'(R)·n^(−3/2)/c
    # ≈ 0.4·pH·n^(−3/2) (γ = 2, B'(R) ≈ pH as the aggregate is negligible); x^ρ is huge.
    game = cg.PreparednessGame(
        share=0.4,
        cost=1.0,
        prob=1.0,
        harm=harm,
        cost_exponent=2.0,
        aggregator="ces",
        ces_rho=-2.0,
        n_actors=n_actors,
    )
    eqs = cg.solve(game)
    for e in eqs:
        assert e.max_regret <= TOL
    x = 0.4 * harm * n_actors**-1.5
    interior = [e for e in eqs if np.all(e.investment > 0)]
    assert len(interior) == 1
    assert_allclose(interior[0].investment, x, rtol=1e-2)
    assert_allclose(interior[0].robustness, n_actors**-0.5 * x, rtol=1e-2)
    assert eqs.greatest is interior[0]


def test_gap_report_linear_sum_tie_worst_and_best_allocation():
    # s w / c = 0.2 for both; providing R* costs c_j/w_j·R*: 1·R* for actor 0, R*/2 for
    # actor 1, so the worst equilibrium has actor 0 pay and the best has actor 1 pay.
    game = cg.PreparednessGame(
        share=[0.2, 0.1],
        cost=[1.0, 1.0],
        weight=[1.0, 2.0],
        prob=1.0,
        harm=100.0,
        efficacy=1.0,
        names=["lab", "cloud"],
    )
    with pytest.warns(DegenerateGameWarning):
        report = cg.gap(game)
    r_star = math.log(100.0 * 0.2)
    b = 100.0 * (1 - math.exp(-r_star))
    assert_allclose([report.robustness_worst, report.robustness_best], r_star, rtol=1e-12)
    assert_allclose(report.welfare_worst, b - r_star, rtol=1e-12)
    assert_allclose(report.welfare_best, b - r_star / 2.0, rtol=1e-12)
    r_opt = math.log(100.0 * 2.0)  # planner: max w/c = 2
    w_opt = 100.0 * (1 - math.exp(-r_opt)) - r_opt / 2.0
    assert_allclose(report.welfare_opt, w_opt, rtol=1e-12)
    assert_allclose(report.price_of_anarchy, w_opt / (b - r_star), rtol=1e-12)
    assert_allclose(report.price_of_stability, w_opt / (b - r_star / 2.0), rtol=1e-12)
    assert report.free_riders == ("cloud",)
    assert_allclose(report.cost_shares, [1.0, 0.0], atol=0)
    assert report.n_equilibria == 2


def test_cost_share_subsidy_closed_form():
    # A matching subsidy leaves actor i paying φ_i·c_i: the equilibrium is the Lambert-W
    # closed form with private costs, welfare counts the full cost, the optimum is unchanged.
    s, c, w, phi = [0.3, 0.2], [1.0, 2.0], [1.0, 1.5], [0.5, 0.8]
    p, harm, kappa, gamma = 0.5, 40.0, 0.5, 2.0
    kw = dict(share=s, cost=c, weight=w, prob=p, harm=harm, efficacy=kappa, cost_exponent=gamma)
    game = cg.PreparednessGame(cost_share=phi, **kw)
    eq = cg.solve(game)[0]
    private = np.multiply(c, phi)
    _, via_omega = lambert_sum_aggregate(s, private, w, p, harm, kappa, gamma, 0.0)
    assert_allclose(eq.robustness, via_omega, rtol=1e-9)
    assert_allclose(
        eq.welfare,
        welfare(eq.investment, np.array(s), np.array(c), np.array(w), p, harm, kappa, gamma, "sum"),
        rtol=1e-12,
    )
    assert eq.max_regret <= TOL
    assert_allclose(
        cg.optimum(game).robustness, cg.optimum(cg.PreparednessGame(**kw)).robustness, rtol=1e-12
    )
