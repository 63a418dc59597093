"""Learning at the pace of relevance: closed forms against independent computation.

Independent checks: the critical sharing level is found again by bisection on the long-run
slope of the mean gap computed by summing the Poisson distribution of lessons (not from the
closed form); means and tails are compared with Monte Carlo of the incident process and with
direct Poisson sums; the pooled-never-lags property is checked on every simulated path.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import coordgap as cg
from coordgap.errors import InvalidParameterError
from strategies import floats


def mean_gap_by_poisson_sum(m, t, sharing):
    """E[G(t)] from the Poisson law of lessons (thinning of others' incidents)."""
    rate = m.incident_rate * (1 + sharing * (m.n_actors - 1)) * t
    k = np.arange(0, int(rate + 20 * math.sqrt(rate + 1) + 50))
    pmf = stats.poisson.pmf(k, rate)
    gained = k if m.curve == "exponential" else np.log1p(k)
    return m.initial_gap + m.growth * t - m.learning_rate * float(np.sum(pmf * gained))


def test_critical_sharing_against_bisection_on_the_gap_slope():
    m = cg.LearningModel(
        n_actors=12, growth=0.9, incident_rate=1.5, learning_rate=0.15, initial_gap=0.5
    )

    def slope(sigma):  # long-run growth of the mean gap, from Poisson sums at two dates
        return (
            mean_gap_by_poisson_sum(m, 60.0, sigma) - mean_gap_by_poisson_sum(m, 40.0, sigma)
        ) / 20.0

    numeric = optimize.brentq(slope, 0.0, 1.0, xtol=1e-12)
    assert m.critical_sharing() == pytest.approx(numeric, abs=1e-8)
    assert m.critical_sharing() == pytest.approx((0.9 / (0.15 * 1.5) - 1) / 11, rel=1e-12)
    assert not m.keeps_up(numeric - 1e-3) and m.keeps_up(numeric + 1e-3)


def test_critical_number_of_actors_by_search():
    m = cg.LearningModel(n_actors=1, growth=1.0, incident_rate=1.0, learning_rate=0.2, sharing=0.25)
    # smallest N with 0.2·(1 + 0.25(N − 1)) ≥ 1: N − 1 ≥ 16
    n_star = next(n for n in range(1, 1000) if m.replace(n_actors=n).keeps_up())
    assert m.critical_actors() == n_star == 17
    assert m.replace(sharing=0.0).critical_actors() == math.inf
    assert m.replace(learning_rate=2.0).critical_actors() == 1


def test_edge_cases_of_the_critical_levels():
    m = cg.LearningModel(n_actors=5, growth=1.0, incident_rate=1.0, learning_rate=0.1)
    assert m.critical_sharing() == math.inf  # 0.1·5 < 1 even with σ = 1
    assert m.replace(n_actors=1).critical_sharing() == math.inf
    assert m.replace(learning_rate=1.5).critical_sharing() == 0.0
    assert m.replace(curve="power").critical_sharing() == math.inf
    assert m.replace(growth=0.0, curve="power").keeps_up()
    assert m.replace(incident_rate=0.0).critical_sharing() == math.inf


def test_expected_gap_and_prepared_probability_match_monte_carlo():
    m = cg.LearningModel(
        n_actors=8, growth=0.6, incident_rate=1.2, learning_rate=0.12, sharing=0.4, initial_gap=1.0
    )
    paths = m.simulate(8.0, 4000, 80, rng=3)
    frame = paths.to_frame()
    for regime, sharing in (("isolated", 0.0), ("pooled", 0.4)):
        rows = frame[frame["regime"] == regime]
        closed = (
            m.initial_gap
            + (m.growth - m.learning_rate * m.incident_rate * (1 + sharing * 7))
            * rows["time"].to_numpy()
        )
        np.testing.assert_allclose(rows["expected_gap"], closed, rtol=1e-12, atol=1e-12)
        # MC mean within 5 standard errors: Var G(t) = η² λ_eff t
        se = m.learning_rate * np.sqrt(
            m.incident_rate * (1 + sharing * 7) * rows["time"].to_numpy() / 4000
        )
        assert np.all(np.abs(rows["mean_gap"].to_numpy() - closed) <= 5 * se + 1e-12)
        # P(prepared at t) vs Poisson tail summed directly
        t_end = 8.0
        rate = m.incident_rate * (1 + sharing * 7) * t_end
        need = (m.initial_gap + m.growth * t_end) / m.learning_rate
        k = np.arange(int(math.ceil(need - 1e-12)), int(rate + 200))
        direct = float(stats.poisson.pmf(k, rate).sum())
        assert m.prob_prepared(t_end, sharing) == pytest.approx(direct, rel=1e-9)
        share = rows["share_prepared"].iloc[-1]
        assert abs(share - direct) < 5 * math.sqrt(direct * (1 - direct) / 4000) + 1e-3


def test_power_curve_expected_gap_and_failure_of_the_claim():
    m = cg.LearningModel(
        n_actors=20, growth=0.3, incident_rate=2.0, learning_rate=0.8, sharing=1.0, curve="power"
    )
    for t in (1.0, 5.0, 30.0):
        assert float(m.expected_gap(t)) == pytest.approx(
            mean_gap_by_poisson_sum(m, t, 1.0), abs=1e-9
        )
    assert not m.keeps_up()  # diminishing returns never keep up with g > 0
    gaps = m.expected_gap([50.0, 100.0, 200.0])
    assert np.all(np.diff(gaps) > 0)
    assert m.catch_up_time() == math.inf


def test_catch_up_time_closed_form():
    m = cg.LearningModel(
        n_actors=4, growth=0.5, incident_rate=1.0, learning_rate=0.25, sharing=1.0, initial_gap=2.0
    )
    t = m.catch_up_time()  # 2 / (0.25·4 − 0.5)
    assert t == pytest.approx(4.0)
    assert float(m.expected_gap(t)) == pytest.approx(0.0, abs=1e-12)
    assert m.replace(sharing=0.0).catch_up_time() == math.inf
    assert m.replace(initial_gap=-1.0).catch_up_time() == 0.0


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    g=floats(0.0, 3.0),
    lam=floats(0.0, 5.0),
    eta=floats(0.0, 0.5),
    sigma=floats(0.0, 1.0),
    g0=floats(-2.0, 3.0),
    curve=st.sampled_from(["exponential", "power"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_pooled_learning_never_lags_isolated_learning(n, g, lam, eta, sigma, g0, curve, seed):
    m = cg.LearningModel(
        n_actors=n,
        growth=g,
        incident_rate=lam,
        learning_rate=eta,
        sharing=sigma,
        initial_gap=g0,
        curve=curve,
    )
    paths = m.simulate(5.0, 50, 20, rng=seed)
    assert np.all(paths.pooled <= paths.isolated + 1e-12)
    times = paths.times
    assert np.all(m.expected_gap(times) <= m.expected_gap(times, 0.0) + 1e-9)
    assert np.all(m.prob_prepared(times) >= m.prob_prepared(times, 0.0) - 1e-12)
    assert m.keeps_up() >= m.keeps_up(0.0)
    # the critical level is consistent with the keep-up test
    crit = m.critical_sharing()
    if math.isfinite(crit):
        assert m.keeps_up(min(1.0, crit + 1e-9))
        if crit > 1e-6:
            assert not m.keeps_up(crit * (1 - 1e-6))


def test_same_seed_same_paths():
    m = cg.LearningModel(n_actors=3, growth=0.5, incident_rate=1.0, learning_rate=0.1, sharing=0.5)
    a, b = m.simulate(3.0, 20, 10, rng=5), m.simulate(3.0, 20, 10, rng=5)
    np.testing.assert_array_equal(a.pooled, b.pooled)
    assert not np.array_equal(a.pooled, m.simulate(3.0, 20, 10, rng=6).pooled)


@pytest.mark.parametrize(
    "name, value",
    [
        ("growth", -0.1),
        ("incident_rate", -1.0),
        ("learning_rate", -0.5),
        ("sharing", 1.5),
        ("sharing", -0.1),
        ("n_actors", 0),
        ("growth", math.nan),
        ("curve", "linear"),
    ],
)
def test_bad_input(name, value):
    kwargs = dict(n_actors=3, growth=0.5, incident_rate=1.0, learning_rate=0.1)
    kwargs[name] = value
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of LearningModel"):
        cg.LearningModel(**kwargs)
    m = cg.LearningModel(n_actors=3, growth=0.5, incident_rate=1.0, learning_rate=0.1)
    with pytest.raises(InvalidParameterError, match="'horizon' parameter"):
        m.simulate(-1.0)
    with pytest.raises(InvalidParameterError, match="'sharing' parameter"):
        m.keeps_up(2.0)
