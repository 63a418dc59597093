"""Regulatory capture: the captured body's choice, closed-form corners and the property that
capture never raises credible coverage.

Independent checks: the objective is re-implemented from its definition here (lognormal
E[min(A, S)] by numerical quadrature from scipy.stats, participation and profit from the
exponential cost distribution by quadrature) and optimized with bounded L-BFGS-B from several
starts; the corner solutions (θ = 1: statutory limits; θ = 0 with no costs: the tightest
instruments) follow from monotonicity by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import integrate, optimize, stats

import coordgap as cg
from coordgap.errors import InvalidParameterError
from strategies import floats


def independent_objective(m, tau, a):
    A = stats.lognorm(s=m.response_cost_sigma, scale=m.response_cost_median)
    stake = m.bond + m.liability + a * m.sanction
    ex_post = integrate.quad(lambda v: A.sf(v), 0.0, stake, epsabs=1e-13)[0]  # E[min(A, S)]
    x = (
        m.incentive
        + m.rate * m.capacity
        + m.rate**2 / (4 * a * m.fine)
        - m.audit_burden * a
        - m.firing_rate * math.exp(-tau / m.severity_scale) * ex_post
        - m.carry_rate * m.bond
    )
    K = stats.expon(scale=m.cost_scale)
    part = K.cdf(max(x, 0.0))
    profit = integrate.quad(lambda k: (x - k) * K.pdf(k), 0.0, x)[0] if x > 0 else 0.0
    # harm-weighted share of incidents with severity ≥ τ: E[S·1{S ≥ τ}]/E[S]
    S = stats.expon(scale=m.severity_scale)
    share = integrate.quad(lambda v: v * S.pdf(v), tau, np.inf)[0] / m.severity_scale
    cover = part * share * A.cdf(stake)
    return (1 - m.capture) * m.harm * cover + m.capture * profit, cover


def numeric_best(m):
    best = -np.inf
    bounds = [(0.0, m.threshold_cap), (m.audit_floor, 1.0)]
    for t0 in np.linspace(0.5, m.threshold_cap - 0.5, 2):
        for a0 in np.linspace(m.audit_floor + 0.1, 0.9, 2):
            res = optimize.minimize(
                lambda v: -independent_objective(m, v[0], v[1])[0],
                [t0, a0],
                bounds=bounds,
                method="L-BFGS-B",
            )
            best = max(best, -res.fun)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("capture", [0.0, 0.4, 0.8])
def test_grid_optimum_against_independent_numeric_optimum(capture):
    m = cg.CaptureModel(capture=capture, resolution=321)
    out = m.solve()
    value, cover = independent_objective(m, out.threshold, out.audit_prob)
    assert out.objective == pytest.approx(value, rel=1e-8)
    assert out.credible_coverage == pytest.approx(cover, rel=1e-8)
    best = numeric_best(m)
    # the grid optimum is within grid resolution of the continuous one (found from 4 starts)
    assert out.objective >= best - 2e-3 * abs(best)


@pytest.mark.parametrize(
    "changes", [{}, {"audit_floor": 0.2, "threshold_cap": 2.0}, {"firing_rate": 3.0, "bond": 0.0}]
)
def test_full_capture_drives_discretionary_instruments_to_statutory_limits(changes):
    # θ = 1: the body maximizes profit, which falls with audits (burden, smaller rent, larger
    # expected ex-post cost) and rises with the threshold (fewer firings).
    m = cg.CaptureModel(capture=1.0, **changes)
    out = m.solve()
    assert out.audit_prob == m.audit_floor
    assert out.threshold == m.threshold_cap
    assert out.inflation == pytest.approx(m.rate / (2 * m.audit_floor * m.fine))
    assert out.inflation == cg.declared_inflation(m.rate, m.audit_floor, m.fine)


def test_mandate_without_costs_chooses_the_tightest_instruments():
    # no firing costs, no audit burden, no per-unit incentive: participation does not depend on
    # (τ, a), so the uncaptured body maximizes A(τ)·c(a): τ = 0 and a = 1
    m = cg.CaptureModel(capture=0.0, firing_rate=0.0, audit_burden=0.0, rate=0.0)
    out = m.solve()
    assert out.threshold == 0.0 and out.audit_prob == 1.0
    assert out.harm_share_triggered == 1.0
    c = stats.lognorm(s=m.response_cost_sigma, scale=m.response_cost_median).cdf(
        m.bond + m.liability + m.sanction
    )
    assert out.credibility == pytest.approx(c, rel=1e-12)
    assert out.inflation == 0.0


def test_capture_raises_participation_and_inflation_but_not_credible_coverage():
    frame = cg.CaptureModel().curve(np.linspace(0, 1, 11)).to_frame()
    assert frame["credible_coverage"].iloc[-1] < frame["credible_coverage"].iloc[0]
    assert frame["participation"].iloc[-1] > frame["participation"].iloc[0]
    assert frame["inflation"].iloc[-1] > frame["inflation"].iloc[0]
    assert np.all(np.diff(frame["audit_prob"]) <= 1e-12)
    assert list(frame.columns[:3]) == ["capture", "threshold", "audit_prob"]


def test_statutory_instruments_are_robust_to_capture():
    m = cg.CaptureModel()
    table = m.instrument_survival().set_index("instrument")
    captured = m.replace(capture=1.0).solve()
    # the captured body sits on the floor and the cap, so raising the floor or lowering the
    # cap raises captured coverage; without capture neither binds, so it gains nothing
    for name in ("audit_floor", "threshold_cap"):
        assert table.loc[name, "gain_captured"] > 0
        # (a different grid of instrument values moves the clean optimum by grid error only)
        assert table.loc[name, "gain_clean"] == pytest.approx(0.0, abs=1e-4)
        assert table.loc[name, "capture_loss"] < (
            m.solve().credible_coverage - captured.credible_coverage
        )
    with pytest.raises(InvalidParameterError, match="'changes' parameter"):
        m.instrument_survival({"threshold": 1.0})


@settings(max_examples=30, deadline=None)
@given(
    harm=floats(0.5, 50.0),
    burden=floats(0.0, 1.0),
    firing=floats(0.0, 3.0),
    bond=floats(0.0, 2.0),
    sanction=floats(0.0, 4.0),
    rate=floats(0.0, 1.0),
    incentive=floats(0.0, 3.0),
    floor=floats(0.01, 0.5),
    sigma=floats(0.2, 1.5),
    cost_scale=floats(0.2, 3.0),
)
def test_capture_never_raises_credible_coverage(
    harm, burden, firing, bond, sanction, rate, incentive, floor, sigma, cost_scale
):
    m = cg.CaptureModel(
        harm=harm,
        audit_burden=burden,
        firing_rate=firing,
        bond=bond,
        sanction=sanction,
        rate=rate,
        incentive=incentive,
        audit_floor=floor,
        response_cost_sigma=sigma,
        cost_scale=cost_scale,
        resolution=41,
    )
    frame = m.curve(np.linspace(0.0, 1.0, 6)).to_frame()
    cc = frame["credible_coverage"].to_numpy()
    assert np.all(np.diff(cc) <= 1e-12 * max(1.0, cc.max()))
    # and profit, the other side of the trade-off, never falls
    assert np.all(np.diff(frame["incumbent_profit"].to_numpy()) >= -1e-12)


@pytest.mark.parametrize(
    "name, value",
    [
        ("capture", -0.1),
        ("capture", 1.5),
        ("capture", math.nan),
        ("firing_rate", -1.0),
        ("audit_floor", 0.0),
        ("fine", 0.0),
        ("audit_burden", -0.2),
        ("resolution", 3),
    ],
)
def test_bad_input(name, value):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of CaptureModel"):
        cg.CaptureModel(**{name: value})
    with pytest.raises(InvalidParameterError, match="'captures' parameter"):
        cg.CaptureModel().curve([0.0, 2.0])
