"""Library scope: the closed-form optimal breadth against numeric optimization.

The objective is re-implemented here from its definition, c·exp(−max(0, k₀ + k₁L − I)/μ)·
(1 − ν)(1 − e^{−L/s}), and maximized with a dense grid refined by a bounded scalar search,
independently of the module's closed form; observed frequencies are checked by brute force.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import optimize

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.registry.checks import response_table
from strategies import floats


def objective(L, s, nu, k1, k0, inc, mu, c):
    return c * math.exp(-max(0.0, k0 + k1 * L - inc) / mu) * (1 - nu) * (1 - math.exp(-L / s))


def numeric_optimum(s, nu, k1, k0, inc, mu, c, top):
    grid = np.linspace(0.0, top, 20001)
    vals = np.array([objective(L, s, nu, k1, k0, inc, mu, c) for L in grid])
    k = int(np.argmax(vals))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    res = optimize.minimize_scalar(
        lambda L: -objective(L, s, nu, k1, k0, inc, mu, c),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return float(res.x), -float(res.fun)


@pytest.mark.parametrize(
    "s, k1, mu, k0, inc",
    [
        (10.0, 0.05, 1.0, 0.0, 0.0),
        (3.0, 0.2, 2.0, 0.5, 0.1),
        (25.0, 0.01, 0.5, 0.0, 0.0),
        (5.0, 0.1, 1.0, 0.0, 1.2),
    ],
)
def test_closed_form_optimum_against_numeric_optimization(s, k1, mu, k0, inc):
    m = cg.LibraryScopeModel(
        spread=s,
        cost_per_scenario=k1,
        value_scale=mu,
        base_cost=k0,
        incentive=inc,
        novelty=0.1,
        credibility=0.8,
        max_breadth=200.0,
    )
    L_num, v_num = numeric_optimum(s, 0.1, k1, k0, inc, mu, 0.8, 200.0)
    curve = m.curve()
    assert curve.closed_form and curve.interior
    assert curve.optimal_breadth == pytest.approx(L_num, abs=1e-5)
    # the numeric search is no better than the closed form (and close to it: at a kink, L₀,
    # the bounded search converges more slowly)
    assert curve.optimal_credible_coverage >= v_num - 1e-12
    assert curve.optimal_credible_coverage == pytest.approx(v_num, rel=1e-8)


def test_closed_form_special_case_by_hand():
    # a s = 1: L* = s ln 2, and CC(L*) = e^{−a s ln 2}·(1 − 1/2) = 2^{−1}/2 = 1/4
    m = cg.LibraryScopeModel(spread=4.0, cost_per_scenario=0.25, value_scale=1.0)
    assert m.optimal_breadth_closed_form() == pytest.approx(4.0 * math.log(2.0), rel=1e-14)
    assert m.curve().optimal_credible_coverage == pytest.approx(0.25, rel=1e-12)
    # the incentive makes breadth free up to L₀ = (I − k₀)/k₁ = 8 > s ln 2
    m2 = m.replace(incentive=2.0)
    assert m2.optimal_breadth_closed_form() == pytest.approx(8.0)


def test_free_filing_pushes_the_optimum_to_the_edge():
    m = cg.LibraryScopeModel(spread=5.0, cost_per_scenario=0.0, max_breadth=40.0)
    curve = m.curve()
    assert m.optimal_breadth_closed_form() == math.inf
    assert not curve.closed_form and not curve.interior
    assert curve.optimal_breadth == pytest.approx(40.0)


def test_observed_frequencies_brute_force_and_shapes():
    freq = [5.0, 1.0, 3.0, 0.5, 0.5]
    m = cg.LibraryScopeModel(
        frequencies=freq, cost_per_scenario=0.3, value_scale=1.0, credibility=0.9
    )
    ordered = np.sort(np.asarray(freq))[::-1] / 10.0
    brute = [0.9 * math.exp(-0.3 * L) * ordered[:L].sum() for L in range(6)]
    curve = m.curve()
    assert curve.optimal_breadth == float(np.argmax(brute)) == 2.0
    np.testing.assert_allclose(curve.to_frame()["credible_coverage"], brute, rtol=1e-12)
    assert list(curve.to_frame().columns) == [
        "breadth",
        "coverage",
        "participation",
        "credible_coverage",
    ]
    with pytest.raises(InvalidParameterError, match="'frequencies' parameter"):
        m.optimal_breadth_closed_form()


def test_registry_scenarios_and_credibility():
    reg = cg.load_registry()
    m = cg.LibraryScopeModel.from_registry(reg, cost_per_scenario=0.05)
    harms = np.sort([s.harm for s in reg.scenarios])[::-1]
    np.testing.assert_allclose(m.frequencies, harms / harms.sum())
    table = response_table(reg)
    used = table[table["required"].notna()]
    expected_c = np.average(used["credibility"], weights=used["capacity"])
    assert m.credibility == pytest.approx(expected_c, rel=1e-12)
    curve = m.curve()
    assert curve.interior
    ids = [s.id for s in reg.scenarios]
    one = cg.LibraryScopeModel.from_registry(reg, frequencies={ids[0]: 1.0}, credibility=1.0)
    assert one.curve().optimal_breadth == 1.0
    with pytest.raises(InvalidParameterError, match="'frequencies' parameter"):
        cg.LibraryScopeModel.from_registry(reg, frequencies={"nope": 1.0})


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    s=floats(0.5, 50.0),
    k1=floats(0.001, 1.0),
    mu=floats(0.1, 5.0),
    k0=floats(0.0, 2.0),
    inc=floats(0.0, 2.0),
    nu=floats(0.0, 0.9),
)
def test_optimum_is_interior_and_beats_every_grid_point(s, k1, mu, k0, inc, nu):
    m = cg.LibraryScopeModel(
        spread=s,
        cost_per_scenario=k1,
        value_scale=mu,
        base_cost=k0,
        incentive=inc,
        novelty=nu,
        max_breadth=1e6,
    )
    L_star = m.optimal_breadth_closed_form()
    assert 0 < L_star < 1e6
    grid = np.concatenate(
        (np.linspace(0, 3 * L_star + 10, 2001), L_star * (1 + np.array([-1e-3, 1e-3])))
    )
    best = float(m.credible_coverage(L_star))
    assert np.all(m.credible_coverage(grid) <= best * (1 + 1e-12) + 1e-300)
    # coverage rises and participation falls with breadth
    assert np.all(np.diff(m.coverage(grid[:-2])) >= 0)
    assert np.all(np.diff(m.participation(grid[:-2])) <= 0)


@pytest.mark.parametrize(
    "name, value",
    [
        ("spread", 0.0),
        ("spread", -1.0),
        ("cost_per_scenario", -0.1),
        ("novelty", 1.0),
        ("credibility", 1.5),
        ("value_scale", 0.0),
        ("incentive", math.nan),
    ],
)
def test_bad_input(name, value):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of LibraryScopeModel"):
        cg.LibraryScopeModel(**{name: value})
    with pytest.raises(InvalidParameterError, match="'frequencies' parameter"):
        cg.LibraryScopeModel(frequencies=[1.0, -1.0])
    with pytest.raises(InvalidParameterError, match="'frequencies' parameter"):
        cg.LibraryScopeModel(frequencies=[0.0, 0.0])
    with pytest.raises(InvalidParameterError, match="'breadth' parameter"):
        cg.LibraryScopeModel().curve([-1.0, 2.0])
