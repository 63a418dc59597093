"""Note-exchange as information: the public/private-signal global game (Morris & Shin 2003,
Hellwig 2002).

Expected values come from an independent computation that never uses the solver's reduced
equation in Φ⁻¹(θ*): equilibria are searched over the *signal* cutoff x*, with the set of
critical masses the strategy overcomes found by bisection of Φ(√β(x* − θ)) = θ and the
marginal actor's posterior payoff evaluated directly; roots are counted by a dense scan plus
brentq. Probabilities of a coordinated response are checked against a Monte Carlo of the game
with a finite population of actors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import optimize, stats

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.games.disclosure import UNIQUENESS_BOUND
from strategies import floats

N = stats.norm


def overcome(beta, x_star):
    """θ_s with Φ(√β(x* − θ)) = θ: the largest critical mass the cutoff strategy overcomes.

    Vectorized bisection (the left side falls and the right side rises in θ).
    """
    x = np.asarray(x_star, dtype=float)
    lo, hi = np.zeros_like(x), np.ones_like(x)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = N.cdf(math.sqrt(beta) * (x - mid)) > mid
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    out = 0.5 * (lo + hi)
    return float(out) if out.ndim == 0 else out


def marginal_gain(game, x_star):
    a, b, y = game.public_precision, game.private_precision, game.public_signal
    x = np.asarray(x_star, dtype=float)
    mean = (a * y + b * x) / (a + b)
    p = N.cdf(math.sqrt(a + b) * (overcome(b, x) - mean))
    out = game.benefit * p - (game.cost - game.incentive)
    return float(out) if out.ndim == 0 else out


def equilibria_by_scan(game, n=20001):
    """Every equilibrium θ* by a dense scan of the marginal gain over signal cutoffs x*."""
    b = game.private_precision
    # x* = θ + Φ⁻¹(θ)/√β; a fine probit grid of θ covers x* monotonically
    z = np.linspace(-8.0, 8.0, n)
    xs = N.cdf(z) + z / math.sqrt(b)
    vals = marginal_gain(game, xs)
    roots = [overcome(b, xs[i]) for i in np.flatnonzero(vals == 0.0)]
    for i in np.flatnonzero(vals[:-1] * vals[1:] < 0):
        x = optimize.brentq(lambda v: marginal_gain(game, v), xs[i], xs[i + 1], xtol=1e-14)
        roots.append(overcome(b, x))
    return np.unique(np.round(np.array(roots), 10))


def shift(game):
    return math.sqrt(1 + game.public_precision / game.private_precision) * N.ppf(game.cost_ratio)


@pytest.mark.slow
@pytest.mark.parametrize(
    "beta, alpha", [(4.0, 1.0), (4.0, 5.0), (1.0, 2.5), (9.0, 7.5), (0.5, 1.77)]
)
def test_unique_when_private_information_dominates(beta, alpha):
    # α/√β ≤ √(2π): one equilibrium for every public signal (Morris & Shin 2003, Hellwig 2002)
    assert alpha / math.sqrt(beta) <= UNIQUENESS_BOUND
    for y in np.linspace(-0.3, 1.3, 9):
        for cost in (0.2, 0.5, 0.8):
            g = cg.DisclosureGame(
                private_precision=beta, public_precision=alpha, public_signal=float(y), cost=cost
            )
            assert g.unique()
            scan = equilibria_by_scan(g, n=4001)
            eq = cg.solve(g)
            assert len(scan) == len(eq) == 1
            assert eq[0].state_cutoff == pytest.approx(scan[0], abs=1e-9)


@pytest.mark.parametrize(
    "beta, alpha, cost", [(4.0, 5.2, 0.5), (4.0, 12.0, 0.3), (1.0, 4.0, 0.7), (0.25, 2.0, 0.5)]
)
def test_multiple_when_public_information_is_precise(beta, alpha, cost):
    # α/√β > √(2π): at the public signal y = 1/2 − K/r the root z = 0 sits on the rising
    # piece of g, so there are three equilibria; the scan must find the same three.
    r = alpha / math.sqrt(beta)
    assert r > UNIQUENESS_BOUND
    g = cg.DisclosureGame(private_precision=beta, public_precision=alpha, cost=cost)
    y = 0.5 - shift(g) / r
    g = g.replace(public_signal=y)
    assert not g.unique()
    scan = np.sort(equilibria_by_scan(g))
    eq = cg.solve(g)
    assert len(scan) == len(eq) == 3
    np.testing.assert_allclose([e.state_cutoff for e in eq], scan, atol=1e-9)
    assert eq[1].state_cutoff == pytest.approx(0.5, abs=1e-12)
    assert [e.kind for e in eq] == ["worst", "middle", "best"]
    assert eq.least.state_cutoff < eq.greatest.state_cutoff


def test_uniqueness_bound_is_sharp():
    # just above the bound and at the inflection signal, g is increasing at z = 0 with slope
    # r/√(2π) − 1 > 0: three roots close together; just below, one.
    beta = 1.0
    for factor, count in ((0.999, 1), (1.05, 3)):
        g = cg.DisclosureGame(
            private_precision=beta,
            public_precision=factor * UNIQUENESS_BOUND,
            cost=0.5,
            public_signal=0.5,
        )
        assert len(equilibria_by_scan(g, n=40001)) == count == len(cg.solve(g))


def test_laplacian_limit_and_symmetric_closed_form():
    # α → 0: θ* → 1 − c (uniform belief over the share of others acting)
    for cost in (0.1, 0.35, 0.8):
        g = cg.DisclosureGame(
            private_precision=2.0, public_precision=1e-10, cost=cost, public_signal=0.9
        )
        assert cg.solve(g)[0].state_cutoff == pytest.approx(1 - cost, abs=1e-6)
        assert g.limit_cutoff() == pytest.approx(1 - cost)
    # c = 1/2 and y = 1/2: g(0) = 0 exactly, so θ* = 1/2, x* = 1/2 and P = 1/2
    g = cg.DisclosureGame(private_precision=3.0, public_precision=2.0, cost=0.5, public_signal=0.5)
    eq = cg.solve(g)
    assert len(eq) == 1
    assert eq[0].state_cutoff == pytest.approx(0.5, abs=1e-13)
    assert eq[0].signal_cutoff == pytest.approx(0.5, abs=1e-12)
    assert eq[0].p_coordinated == pytest.approx(0.5, abs=1e-12)


def test_dominance_regions():
    g = cg.DisclosureGame(private_precision=2.0, public_precision=1.0, cost=1.0, incentive=1.5)
    eq = cg.solve(g)
    assert eq[0].kind == "dominant" and eq[0].state_cutoff == 1.0
    assert eq[0].p_coordinated == pytest.approx(N.cdf(1.0 * (1 - 0.5)))
    g = cg.DisclosureGame(private_precision=2.0, public_precision=1.0, cost=2.0, benefit=1.0)
    eq = cg.solve(g)
    assert eq[0].kind == "dominated" and eq[0].state_cutoff == 0.0
    assert eq[0].max_regret == 0.0


def test_probability_of_coordination_matches_a_simulated_population():
    # Draw θ ~ N(y, 1/α), 4000 actors with x_i = θ + N(0, 1/β); actors act iff x_i ≤ x*;
    # the response works iff the share acting ≥ θ.
    g = cg.DisclosureGame(private_precision=6.0, public_precision=3.0, public_signal=0.45, cost=0.4)
    eq = cg.solve(g)[0]
    rng = np.random.default_rng(12)
    n_runs, n_actors = 4000, 4000
    theta = g.public_signal + rng.standard_normal(n_runs) / math.sqrt(g.public_precision)
    works = np.empty(n_runs, dtype=bool)
    for k in range(0, n_runs, 500):
        th = theta[k : k + 500, None]
        x = th + rng.standard_normal((th.shape[0], n_actors)) / math.sqrt(g.private_precision)
        works[k : k + 500] = (x <= eq.signal_cutoff).mean(axis=1) >= th[:, 0]
    se = math.sqrt(eq.p_coordinated * (1 - eq.p_coordinated) / n_runs)
    assert abs(works.mean() - eq.p_coordinated) < 4.5 * se + 0.005


def worst_probability_by_scan(game):
    roots = equilibria_by_scan(game, n=6001)
    return float(N.cdf(math.sqrt(game.public_precision) * (roots.min() - game.public_signal)))


@pytest.mark.parametrize(
    "alpha, y, target", [(1.0, 0.4, 0.6), (4.0, 0.3, 0.8), (12.0, 0.35, 0.7), (12.0, 0.2, 0.9)]
)
def test_critical_incentive_closed_form_against_bisection(alpha, y, target):
    g = cg.DisclosureGame(
        private_precision=4.0, public_precision=alpha, public_signal=y, cost=0.7, benefit=1.0
    )
    closed = g.critical_incentive(target)
    assert 0.0 < closed < 0.7

    def shortfall(inc):
        return worst_probability_by_scan(g.replace(incentive=inc)) - target

    assert shortfall(closed + 1e-6) >= -1e-6
    assert shortfall(max(closed - 1e-3, 0.0)) < 0
    # the best equilibrium never needs more than the worst
    assert g.critical_incentive(target, "best") <= closed + 1e-12


def test_critical_incentive_unreachable_and_free():
    g = cg.DisclosureGame(private_precision=4.0, public_precision=1.0, public_signal=0.4)
    # θ_p = y + Φ⁻¹(0.95)/√α > 1: even if everyone acts, P(θ > 1) > 5 %
    assert g.critical_incentive(0.95) == math.inf
    assert g.critical_incentive(0.05) == 0.0
    with pytest.raises(InvalidParameterError, match="'target' parameter"):
        g.critical_incentive(1.5)
    with pytest.raises(InvalidParameterError, match="'equilibrium' parameter"):
        g.critical_incentive(0.5, "middle")


@pytest.mark.slow
def test_disclosure_helps_with_good_news_and_hurts_with_bad_news():
    base = cg.DisclosureGame(private_precision=4.0, public_precision=1.0, cost=0.5)
    alphas = [0.25, 1.0, 2.0, 4.0]
    good = base.replace(public_signal=0.2).curve(alphas, target=0.6)
    bad = base.replace(public_signal=0.8).curve(alphas, target=0.6)
    assert good.helps and not bad.helps
    for curve, y in ((good, 0.2), (bad, 0.8)):
        frame = curve.to_frame()
        expected = [
            worst_probability_by_scan(base.replace(public_signal=y, public_precision=a))
            for a in alphas
        ]
        np.testing.assert_allclose(frame["p_coordinated_worst"], expected, atol=1e-8)
        assert list(frame.columns[:4]) == [
            "public_precision",
            "ratio",
            "unique_for_all_signals",
            "n_equilibria",
        ]
    assert "helps" in good.verdict and "hurts" in bad.verdict
    assert good.critical_precision == pytest.approx(math.sqrt(2 * math.pi * 4.0))
    # c = y = 1/2: θ* = 1/2 = y at every precision (g(0) = 0), so P = 1/2 throughout
    neutral = base.replace(public_signal=0.5).curve([0.5, 2.0, 5.0])
    assert not neutral.helps and "neither helps nor hurts" in neutral.verdict
    np.testing.assert_allclose(neutral.to_frame()["p_coordinated_worst"], 0.5, atol=1e-12)
    # precise public information beyond the bound: multiple equilibria reported
    multi = base.replace(public_signal=0.5).curve([1.0, 20.0])
    assert multi.to_frame()["n_equilibria"].tolist() == [1, 3]
    assert "multiple" in multi.verdict


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    beta=floats(0.1, 30.0), ratio=floats(0.05, 4.0), y=floats(-0.5, 1.5), cost=floats(0.05, 0.95)
)
def test_equilibria_satisfy_the_independent_conditions(beta, ratio, y, cost):
    alpha = ratio * UNIQUENESS_BOUND * math.sqrt(beta)
    g = cg.DisclosureGame(
        private_precision=beta, public_precision=alpha, public_signal=y, cost=cost
    )
    eq = cg.solve(g)
    assert eq.complete and len(eq) in (1, 2, 3)
    if ratio <= 1.0:
        assert len(eq) == 1
    for e in eq:
        assert e.max_regret <= 1e-8
        if 1e-9 < e.state_cutoff < 1 - 1e-9 and math.isfinite(e.signal_cutoff):
            assert abs(marginal_gain(g, e.signal_cutoff)) < 1e-7
            assert overcome(beta, e.signal_cutoff) == pytest.approx(e.state_cutoff, abs=1e-8)


@pytest.mark.parametrize(
    "name, value",
    [
        ("private_precision", -1.0),
        ("private_precision", 0.0),
        ("public_precision", -0.5),
        ("public_precision", 0.0),
        ("public_precision", math.nan),
        ("cost", -1.0),
        ("benefit", 0.0),
        ("incentive", math.inf),
    ],
)
def test_bad_input(name, value):
    kwargs = dict(private_precision=1.0, public_precision=1.0)
    kwargs[name] = value
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of DisclosureGame"):
        cg.DisclosureGame(**kwargs)
    with pytest.raises(InvalidParameterError, match="'precisions' parameter"):
        cg.DisclosureGame(private_precision=1.0, public_precision=1.0).curve([1.0, -2.0])
