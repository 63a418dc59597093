"""The seeds' falsification test: exchange with hidden and costly conflicts.

Independent checks:

* the closed form of :class:`TwoPlanConflict` is recomputed here from first principles with
  scipy.stats.invgauss (the time B fires before onset is the first passage of a Brownian
  motion with drift μ and volatility σ over the lead g: inverse Gaussian with mean g/μ and
  shape g²/σ²) and compared with the Monte Carlo exercise within 4 binomial standard errors;
* with the defaults (reveal 1, resolve_time 0, collide inf) the exercise reproduces the plain
  tabletop's blocking rule (:func:`coordgap.registry.tabletop.outcome` with
  ``no_block=exchanged``) run by run, on random synthetic registries;
* hand-computed deterministic cases (volatility tiny, latencies at their maximum).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.registry import synthetic
from coordgap.registry.exchange import (
    TwoPlanConflict,
    conflict_outcome,
    conflict_pairs,
    decision_times,
)
from coordgap.registry.tabletop import outcome, sample


def first_principles(m: TwoPlanConflict, exchange: bool, r: float, tau: float, c=math.inf):
    """P(timely) derived by hand (see the TwoPlanConflict docstring), credibility 1."""
    g = stats.invgauss(
        m.lead / m.rate / (m.lead / m.volatility) ** 2, scale=(m.lead / m.volatility) ** 2
    )
    k = m.latency_b + m.act_b  # B arrives k − G after onset

    def p_y_below(t):  # P(k − G ≤ t) = P(G ≥ k − t)
        return 1.0 if k - t <= 0 else float(g.sf(k - t))

    seq = m.owner_latency + m.observation_delay + m.escalation_latency + m.act_a
    par = max(m.owner_latency, m.escalation_latency) + m.act_a

    def hidden(x):
        if x > m.window_a:
            return 0.0
        ok_first = p_y_below(min(x, m.window_b))  # B before A's suspension, in window
        late = 0.0
        if math.isfinite(c) and m.window_b - c > x:  # B hit, delayed by c, still in window
            late = p_y_below(m.window_b - c) - p_y_below(x)
        return ok_first + late

    if not exchange:
        return hidden(seq)
    revealed = (par + tau <= m.window_a) * p_y_below(m.window_b - tau)
    return r * revealed + (1 - r) * hidden(par)


@pytest.mark.parametrize(
    ("r", "tau", "c"),
    [
        (0.0, 0.0, math.inf),
        (1.0, 0.0, math.inf),
        (0.5, 1.0, math.inf),
        (0.8, 3.0, math.inf),
        (0.3, 0.5, 2.0),
    ],
)
def test_two_plan_closed_form_matches_simulation(r, tau, c):
    m = TwoPlanConflict()
    n = 20_000
    ex = cg.exchange_exercise(
        m.registry(),
        "conflict",
        n,
        levels=(0.0, 1.0),
        observation_delay=m.observation_delay,
        latency_spread=0.0,
        rng=11,
        reveal=r,
        resolve_time=tau,
        collide=c,
    )
    simulated = ex.to_frame()["p_coordinated"].to_numpy()
    for level, sim in zip((False, True), simulated):
        expected = first_principles(m, level, r, tau, c)
        assert float(m.p_timely(level, r, tau, c)) == pytest.approx(expected, abs=1e-12)
        se = math.sqrt(max(expected * (1 - expected), 1e-4) / n)
        assert abs(sim - expected) < 4 * se, (level, sim, expected)
    assert ex.n_conflicts == 1


def test_exchange_lowers_the_chance_of_a_timely_response_and_the_model_says_where():
    m = TwoPlanConflict()
    # closed form: hidden conflicts alone (r = 0) make exchange hurt, because the parallel
    # decision brings A's suspension (3 h) before B's response (y = 8 − G) more often than the
    # sequential one (6 h): P(G > 5) < P(G > 2)
    assert m.effect(0.0, 0.0) < -0.4
    assert m.effect(1.0, 0.0) > 0.25
    star = m.critical_reveal(0.0)
    h0, h1 = first_principles(m, False, 0, 0), first_principles(m, True, 0, 0)
    assert star == pytest.approx((h0 - h1) / (1.0 - h1))
    # costly sequencing: past τ where R(τ) = H(x₀) exchange cannot help at any r
    assert math.isinf(m.critical_reveal(2.5))
    # the simulated region agrees in sign wherever the closed form is clearly away from 0
    reveals, taus = [0.0, 0.4, 0.9, 1.0], [0.0, 1.0, 3.0, 8.0]
    region = cg.exchange_region(
        m.registry(),
        "conflict",
        reveals,
        taus,
        4000,
        observation_delay=m.observation_delay,
        latency_spread=0.0,
        rng=5,
    )
    closed = m.effect(np.array(reveals)[:, None], np.array(taus)[None, :])
    clear = np.abs(closed) > 0.1
    assert clear.sum() >= 10
    np.testing.assert_array_equal(region.sign[clear], np.sign(closed[clear]).astype(int))
    assert region.hurts
    assert (region.sign[0] == -1).all()  # nothing revealed: exchange hurts at every τ


def test_exchange_hurts_on_the_sample_registry():
    reg = cg.load_registry()
    # the one conflict of the sample registry: a suspension in agent self-replication
    region = cg.exchange_region(reg, "agent_self_replication", [0.0, 1.0], [0.0, 6.0], 2000, rng=1)
    # nothing revealed: exchange changes nothing there (A is not sped up past B); revealed and
    # sequenced at once it helps; sequenced in 6 h it makes the 4 h suspension window late
    assert region.sign.tolist() == [[0, 0], [1, -1]]
    cheap = cg.exchange_region(
        reg, "agent_self_replication", [1.0], [6.0], 2000, rng=1, collide=1.0
    )
    assert cheap.sign.tolist() == [[-1]]
    frame = region.to_frame()
    assert list(frame.columns) == ["reveal", "resolve_time", "effect", "stderr", "sign"]
    assert len(frame) == 4


def test_defaults_reproduce_the_cost_free_sequencing_run_by_run():
    reg = cg.load_registry()
    for sid in ("agent_self_replication", "grid_intrusion", "lab_systems_disruption"):
        old = cg.exchange_exercise(reg, sid, 800, levels=(0.0, 0.5, 1.0), rng=4)
        new = cg.exchange_exercise(
            reg, sid, 800, levels=(0.0, 0.5, 1.0), rng=4, reveal=1.0, resolve_time=0.0
        )
        pd.testing.assert_frame_equal(old.runs, new.runs)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), e=st.sampled_from([0.0, 0.5, 1.0]))
def test_conflict_outcome_with_defaults_equals_tabletop_outcome(seed, e):
    reg = synthetic(4, 30, rng=seed)
    # make conflicts likely: everyone suspends or requires one shared service
    sid = reg.scenarios[0].id
    draws = sample(reg, sid, 200, rng=seed) if not reg.responses(sid).empty else None
    if draws is None:
        return
    exchanged = draws.rng.random(draws.honour.shape) < e
    decision, dead = decision_times(draws, exchanged, 1.0)
    pairs = conflict_pairs(reg, draws)
    revealed = np.ones((draws.n_runs, len(pairs)), dtype=bool)
    a = outcome(reg, draws, decision, dead.mean(axis=0), no_block=exchanged)
    b = conflict_outcome(
        reg, draws, decision, dead.mean(axis=0), exchanged, pairs=pairs, revealed=revealed
    )
    pd.testing.assert_frame_equal(a.runs, b.runs)
    pd.testing.assert_frame_equal(a.functions, b.functions)


def test_hand_computed_resolve_and_collide_delays():
    # deterministic (σ tiny): G = lead/μ = 3; y = 8 − 3 = 5 h after onset
    m = TwoPlanConflict(volatility=1e-6)
    reg = m.registry()
    kw = dict(levels=(0.0, 1.0), observation_delay=2.0, latency_spread=0.0, rng=0)
    # no exchange: A at 6 h > y = 5: no collision; exchange, hidden: A at 3 h < 5 h: B lost
    ex = cg.exchange_exercise(reg, "conflict", 50, reveal=0.0, **kw)
    assert ex.to_frame()["p_coordinated"].tolist() == [1.0, 0.0]
    # ... or 2 h late: 7 h ≤ W_B = 8 (timely); 4 h late: 9 h > 8 (not)
    ex = cg.exchange_exercise(reg, "conflict", 50, reveal=0.0, collide=2.0, **kw)
    assert ex.to_frame()["p_coordinated"].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(ex.exercises[1].to_frame()["time_to_response"], 7.0, atol=1e-4)
    ex = cg.exchange_exercise(reg, "conflict", 50, reveal=0.0, collide=4.0, **kw)
    assert ex.to_frame()["p_coordinated"].tolist() == [1.0, 0.0]
    # revealed, sequenced in τ: B at 5 + τ, A at 3 + τ; timely iff 5 + τ ≤ 8
    for tau, timely in ((2.9, 1.0), (3.1, 0.0)):
        ex = cg.exchange_exercise(reg, "conflict", 50, reveal=1.0, resolve_time=tau, **kw)
        assert ex.to_frame()["p_coordinated"].tolist() == [1.0, timely]
    ex = cg.exchange_exercise(reg, "conflict", 50, reveal=1.0, resolve_time=2.0, **kw)
    np.testing.assert_allclose(
        ex.exercises[1].functions["median_time_to_meet"], [5.0, 7.0], atol=1e-4
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(reveal=1.5), "reveal"),
        (dict(reveal=-0.1), "reveal"),
        (dict(resolve_time=-1.0), "resolve_time"),
        (dict(resolve_time=math.inf), "resolve_time"),
        (dict(collide=math.nan), "collide"),
        (dict(collide=True), "collide"),
    ],
)
def test_bad_parameters(kwargs, name):
    with pytest.raises(InvalidParameterError) as err:
        cg.exchange_exercise(cg.load_registry(), "grid_intrusion", 10, **kwargs)
    assert err.value.name == name


def test_bad_region_and_model_parameters():
    reg = cg.load_registry()
    with pytest.raises(InvalidParameterError):
        cg.exchange_region(reg, "grid_intrusion", [2.0], [0.0], 10, rng=0)
    with pytest.raises(InvalidParameterError):
        cg.exchange_region(reg, "grid_intrusion", [0.5], [-1.0], 10, rng=0)
    with pytest.raises(InvalidParameterError):
        cg.exchange_region(reg, "grid_intrusion", [0.5], [0.0], 10, rng=np.random.default_rng())
    with pytest.raises(InvalidParameterError):
        TwoPlanConflict(lead=30.0)
    with pytest.raises(InvalidParameterError):
        TwoPlanConflict(volatility=0.0)
