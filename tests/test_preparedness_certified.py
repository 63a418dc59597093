"""The preparedness game M1: success is the certificate's verdict, at the edges of the model.

CES near ρ = 0 (both signs), extreme cost exponents, the global optimum where welfare is not
concave (best shot) or not differentiable, the concavity bound against brute force, and the
verdict itself (a profile that is not an equilibrium makes ``success`` False). Payoffs used as
references are written out here from docs/guide/m1-preparedness.md, not taken from the package.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg
from bruteforce_preparedness import Spec, brute_regret
from coordgap.errors import CertificateWarning, DegenerateGameWarning
from coordgap.solvers import aggregative
from coordgap.solvers.certify import (
    max_regret_bound,
    regret_bounds,
    regrets_continuous,
    welfare_gap_bound,
)
from coordgap.solvers.lattice import solve_lattice

REL_TOL = 1e-9  # regrets are judged relative to each actor's stake s_i·p·H


def stakes(game):
    return np.asarray(game.share) * game.prob * game.harm


def certified(eqs) -> bool:
    """Every listed equilibrium's regret bound is within 1e-9 of each actor's stake (plus
    rounding), actor by actor."""
    allowed = (REL_TOL + 1e-13) * stakes(eqs.game)
    return all(np.all(regret_bounds(eqs.game, e.investment) <= allowed) for e in eqs)


def quiet_solve(game, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        warnings.simplefilter("error", RuntimeWarning)  # no overflow anywhere
        return cg.solve(game, **options)


def quiet_optimum(game):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return cg.optimum(game)


# == CES near ρ = 0 ============================================================================
REPORTED = dict(
    share=[0.2, 0.1, 0.05],
    cost=[1.0, 2.0, 0.5],
    prob=0.5,
    harm=100.0,
    efficacy=0.2,
    cost_exponent=2.0,
    aggregator="ces",
)


def test_ces_near_zero_from_above_every_actor_invests_and_the_aggregate_explodes():
    # With ρ = 1e-3, n equal investments give A = n^1000·x: the interior equilibrium needs
    # x_i ≈ e^(−1089), below the double range; the listed profile keeps its ratios, scaled.
    game = cg.PreparednessGame(ces_rho=0.001, **REPORTED)
    eqs = quiet_solve(game)
    assert eqs.success and eqs.complete and eqs.status == 0 and len(eqs) == 1
    assert certified(eqs)
    x = eqs[0].investment
    assert np.all(x > 0) and x.min() == pytest.approx(1e-300, rel=1e-12)
    assert "lifted" in eqs.details and eqs.details["lifted"]["smallest_log_investment"] < -700
    assert eqs[0].welfare == pytest.approx(50.0, rel=1e-12)  # B saturates at p·H
    spec = Spec(game)
    assert max(brute_regret(spec, x, i) for i in range(3)) <= 1e-12
    # The all-zero profile the old solver reported is not an equilibrium: actor 0 alone gains.
    zero = np.zeros(3)
    assert brute_regret(spec, zero, 0) > 1.4
    assert max_regret_bound(game, zero) == pytest.approx(brute_regret(spec, zero, 0), rel=1e-6)


def test_ces_near_zero_optimum_beats_every_profile_and_the_gap_is_nil():
    game = cg.PreparednessGame(ces_rho=0.001, **REPORTED)
    opt = quiet_optimum(game)
    assert opt.success and opt.status == 0
    assert "certified global optimum" in opt.message
    spec = Spec(game)
    assert opt.welfare >= float(spec.welfare([2.0, 0.0, 0.0]))  # 14.48, reported as better
    assert opt.welfare == pytest.approx(50.0, rel=1e-12)  # = p·H, the supremum
    report = cg.gap(game)
    assert report.success
    assert report.price_of_anarchy == pytest.approx(1.0, rel=1e-12)


def test_ces_near_zero_from_below_zero_and_interior_are_both_listed():
    # ρ = −1e-3: A = 3^(−1000)·x for equal x. All-zero is an equilibrium (one absent actor
    # makes A = 0); the interior one needs x ≈ e^(−1100) and is listed scaled up.
    game = cg.PreparednessGame(ces_rho=-0.001, **REPORTED)
    eqs = quiet_solve(game)
    assert eqs.success and eqs.complete and len(eqs) == 2
    assert [e.kind for e in eqs] == ["least", "greatest"]
    # (both have R = R0 to double precision: the interior A is e^(−2200))
    assert np.all(eqs[0].investment == 0) and np.all(eqs[1].investment > 0)
    spec = Spec(game)
    for e in eqs:
        assert max(brute_regret(spec, e.investment, i) for i in range(3)) <= 1e-12
    assert quiet_optimum(game).success


@pytest.mark.slow
@pytest.mark.parametrize("rho", [1e-3, -1e-3, -2.0, 0.5, 1e-6, -1e-6])
@pytest.mark.parametrize("gamma", [1.0, 1.5, 2.0, 4.0])
def test_ces_every_rho_is_certified_and_overflow_free(rho, gamma):
    rng = np.random.default_rng(int(1e3 * abs(rho) + 10 * gamma))
    share = rng.uniform(0.1, 1.0, 4)
    game = cg.PreparednessGame(
        share=0.8 * share / share.sum(),
        cost=rng.uniform(0.5, 2.0, 4),
        weight=rng.uniform(0.5, 1.5, 4),
        prob=0.6,
        harm=50.0,
        efficacy=0.3,
        cost_exponent=gamma,
        aggregator="ces",
        ces_rho=rho,
        baseline=0.2,
    )
    eqs = quiet_solve(game)
    assert eqs.success and eqs.complete and certified(eqs)
    assert all(math.isfinite(e.max_regret) for e in eqs)
    spec = Spec(game)
    for e in eqs:
        assert (
            max(brute_regret(spec, e.investment, i, 1001) for i in range(4))
            <= REL_TOL * stakes(game).min()
        )
    opt = quiet_optimum(game)
    assert opt.success
    # the optimum beats random profiles spread over orders of magnitude
    xs = 10.0 ** rng.uniform(-8, 1, (3000, 4))
    assert opt.welfare >= float(np.max(spec.welfare(xs))) - 1e-9 * game.prob * game.harm


# == extreme cost exponents =====================================================================
@pytest.mark.slow
@pytest.mark.parametrize("aggregator", ["sum", "ces", "weakest_link", "best_shot"])
@pytest.mark.parametrize("gamma", [1e150, 1e6, 1.0 + 1e-9])
def test_extreme_cost_exponents_are_certified_without_overflow(aggregator, gamma):
    game = cg.PreparednessGame(
        share=[0.2, 0.1, 0.05],
        cost=[1.0, 2.0, 0.5],
        weight=[1.0, 0.8, 1.3],
        prob=0.5,
        harm=100.0,
        efficacy=0.2,
        cost_exponent=gamma,
        aggregator=aggregator,
        ces_rho=-0.5,
    )
    eqs = quiet_solve(game)
    assert eqs.success and certified(eqs)
    assert all(math.isfinite(e.max_regret) and math.isfinite(e.welfare) for e in eqs)
    spec = Spec(game)
    for e in eqs:
        assert (
            max(brute_regret(spec, e.investment, i) for i in range(3))
            <= REL_TOL * stakes(game).min()
        )
    opt = quiet_optimum(game)
    assert opt.success and math.isfinite(opt.welfare)
    assert opt.welfare >= max(e.welfare for e in eqs) - 1e-9 * game.prob * game.harm


def test_huge_cost_exponent_caps_investment_at_one_effective_unit():
    # With γ = 1e150 the cost c·x^γ/γ is 0 below x = 1 and infinite above: every actor invests
    # x = 1 exactly (never 1 + ulp, whose cost would overflow).
    game = cg.PreparednessGame(
        share=[0.2, 0.1, 0.05],
        cost=[1.0, 2.0, 0.5],
        prob=0.5,
        harm=100.0,
        efficacy=0.2,
        cost_exponent=1e150,
        aggregator="weakest_link",
    )
    eqs = quiet_solve(game)
    assert_allclose(eqs.greatest.investment, 1.0, rtol=0, atol=0)
    assert_allclose(quiet_optimum(game).investment, 1.0, rtol=0, atol=0)


def test_cost_exponent_near_one_approaches_bergstrom_blume_varian():
    s, c = np.array([0.3, 0.1]), np.array([1.0, 1.0])
    near = cg.PreparednessGame(
        share=s, cost=c, prob=1.0, harm=30.0, efficacy=0.5, cost_exponent=1.0 + 1e-9
    )
    eqs = quiet_solve(near)
    assert eqs.success and eqs.complete
    # BBV: only the highest s_i/c_i invests, R* = ln(pHκ·s_0/c_0)/κ
    assert_allclose(eqs[0].robustness, math.log(30.0 * 0.5 * 0.3) / 0.5, rtol=1e-6)
    assert eqs[0].investment[1] < 1e-100


# == the verdict ================================================================================
def test_a_wrong_equilibrium_fails_its_certificate(monkeypatch):
    game = cg.PreparednessGame(
        share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0, efficacy=0.5, cost_exponent=2.0
    )
    honest = aggregative._interior_profile

    def off_by_ten_percent(*args):
        x, converged, info = honest(*args)
        return 1.1 * x, converged, info

    monkeypatch.setattr(aggregative, "_interior_profile", off_by_ten_percent)
    with pytest.warns(CertificateWarning, match="equilibrium 0 has max regret"):
        eqs = cg.solve(game)
    assert not eqs.success and eqs.status == 1 and not eqs.complete
    assert "certificate failed: equilibrium 0" in eqs.message
    assert eqs[0].max_regret == pytest.approx(
        max(regrets_continuous(game, eqs[0].investment)), rel=1e-6
    )
    with pytest.warns(CertificateWarning, match="optimality not certified"):
        opt = cg.optimum(game)
    assert not opt.success and opt.status == 1
    with pytest.warns(CertificateWarning):  # the gap report carries both verdicts
        report = cg.gap(game)
    assert not report.success and "optimum: optimality not certified" in report.message


def test_certify_options():
    game = cg.PreparednessGame(
        share=[0.3, 0.2, 0.1],
        cost=[1.0, 2.0, 0.5],
        prob=0.5,
        harm=40.0,
        efficacy=0.5,
        cost_exponent=1.5,
        aggregator="ces",
        ces_rho=-1.0,
    )
    bound, grid, none = (cg.solve(game, certify=c) for c in (True, "grid", False))
    assert bound.success and grid.success and none.success
    assert bound.details["certificate"] == "bound" and grid.details["certificate"] == "grid"
    for b, g in zip(bound, grid):
        assert g.max_regret <= b.max_regret + 1e-15  # the search never exceeds the bound
        assert b.max_regret <= 1e-12
    assert all(math.isnan(e.max_regret) for e in none)
    with pytest.raises(cg.InvalidParameterError, match="'certify'"):
        cg.solve(game, certify="exact")


# == the concavity bound against brute force =====================================================
@pytest.mark.slow
@pytest.mark.parametrize(
    "aggregator, rho",
    [
        ("sum", 1.0),
        ("ces", 0.5),
        ("ces", -2.0),
        ("ces", 1e-3),
        ("ces", -1e-3),
        ("weakest_link", 1.0),
        ("best_shot", 1.0),
    ],
)
@pytest.mark.parametrize("gamma", [1.0, 2.0, 3.5])
def test_regret_bound_is_an_upper_bound_and_tight(aggregator, rho, gamma):
    rng = np.random.default_rng(3)
    game = cg.PreparednessGame(
        share=[0.3, 0.2, 0.15],
        cost=[1.0, 2.0, 0.5],
        weight=[1.0, 1.5, 0.8],
        prob=0.5,
        harm=20.0,
        efficacy=0.4,
        cost_exponent=gamma,
        aggregator=aggregator,
        ces_rho=rho,
    )
    spec = Spec(game)
    for _ in range(4):
        x = rng.uniform(0.0, 1.0, 3) * np.array([spec.upper(i) for i in range(3)])
        bounds = regret_bounds(game, x)
        brute = np.array([brute_regret(spec, x, i) for i in range(3)])
        assert np.all(bounds >= brute - 1e-9)  # an upper bound ...
        assert np.all(bounds <= brute + 1e-7 * (1.0 + brute))  # ... and a tight one


def test_best_shot_optimum_one_dimensional_certificate():
    game = cg.PreparednessGame(
        share=[0.3, 0.2],
        cost=[1.0, 2.0],
        weight=[1.0, 2.0],
        prob=0.5,
        harm=40.0,
        efficacy=0.5,
        cost_exponent=2.0,
        aggregator="best_shot",
    )
    opt = cg.optimum(game)
    gap, why = welfare_gap_bound(game, opt.investment)
    assert opt.success and gap <= 1e-9 and "one provider is optimal" in why
    # Welfare is not concave here; a grid over the square finds nothing better.
    spec = Spec(game)
    axes = np.linspace(0.0, 6.0, 601)
    mesh = np.stack(np.meshgrid(axes, axes, indexing="ij"), axis=-1)
    assert opt.welfare >= float(spec.welfare(mesh).max()) - 1e-12
    # A non-optimal profile is not certified.
    assert welfare_gap_bound(game, [opt.investment[1], opt.investment[1]])[0] > 1e-3


# == participation: success is the verdict too ===================================================
def test_participation_lattice_profile_that_is_not_an_equilibrium_fails():
    game = cg.ParticipationGame(
        share=[0.3, 0.3, 0.2],
        cost=[1.0, 2.0, 3.0],
        capacity=[1.0, 2.0, 0.5],
        prob=0.5,
        harm=100.0,
        critical_mass="step",
        threshold=0,
    )
    assert solve_lattice(game).success
    # A tolerance of 50 stops the iteration at "nobody joins", where joining gains up to ~16.
    with pytest.warns(CertificateWarning, match="equilibrium 0 has max regret"):
        loose = solve_lattice(game, tol=50.0)
    assert not loose.success and loose.status == 1
    assert loose.max_regret > 1.0


# == default names are built on demand ===========================================================
def test_default_names_behave_as_a_tuple():
    game = cg.PreparednessGame(share=1e-7, cost=1.0, n_actors=1_000_000)
    names = game.names
    assert len(names) == 1_000_000 and names[0] == "actor 0" and names[-1] == "actor 999999"
    assert "actor 17" in names and "actor 1000000" not in names and "actor 01" not in names
    small = cg.PreparednessGame(share=[0.1, 0.2], cost=1.0)
    assert small.names == ("actor 0", "actor 1") and tuple(small.names) == ("actor 0", "actor 1")
    assert small.replace(prob=0.3).names == ("actor 0", "actor 1")


def test_ces_with_rho_one_is_certified_like_the_sum():
    # ρ = 1 is the perfect-substitutes limit of CES: the certificate's Hölder constant is
    # max_i w_i/c_i there (it divided by 1 − ρ before), and the optimum equals the sum game's.
    kwargs = dict(share=[0.5, 0.5], cost=[1.0, 1.0], prob=1.0, harm=1.0, efficacy=1.0)
    ces = cg.optimum(cg.PreparednessGame(aggregator="ces", ces_rho=1.0, **kwargs))
    linear = cg.optimum(cg.PreparednessGame(**kwargs))
    assert ces.success
    assert math.isclose(ces.welfare, linear.welfare, rel_tol=1e-9, abs_tol=1e-12)
