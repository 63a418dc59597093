"""Note-exchange as speed: the tabletop with and without exchanged decision logic.

Expected values come from hand-computed critical paths (deterministic indicator paths and
latencies), from the plain tabletop on the same seed (exchange 0, no observation delay) and,
for the property that more exchange never slows the coordinated response, from a run-by-run
comparison on random synthetic registries.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.registry import (
    Actor,
    DecisionProcess,
    Filing,
    Indicator,
    Registry,
    RequiredFunction,
    Response,
    Scenario,
    Trigger,
    synthetic,
)
from strategies import floats

SURE = dict(response_cost=1.0, cost_sigma=0.1)  # with liability 1000: credibility 1


def actors(agency=1.0):
    return [
        Actor(n, r, liability=1000.0, decision_latency=lat)
        for n, r, lat in (
            ("dev", "ai_developer", 1.0),
            ("cloud", "cloud_provider", 1.0),
            ("agency", "government_agency", agency),
        )
    ]


def plan(fid, actor, level, responses, latency, escalation=()):
    return Filing(
        fid,
        actor,
        [Trigger("x", ">=", level)],
        responses,
        DecisionProcess(actor, escalation, latency),
        scenarios=("s",),
        **SURE,
    )


def scenario(windows=(10.0, 8.0, 5.0)):
    # x rises at 2/h from 0; onset at x = 10 (t = 5 h)
    return Scenario(
        "s",
        "security",
        "major",
        harm=900.0,
        indicators=[Indicator("x", start=0.0, threshold=10.0, rate=2.0)],
        functions=[
            RequiredFunction("model_rollback", 1.0, windows[0], 1 / 3),
            RequiredFunction("compute_suspension", 1.0, windows[1], 1 / 3),
            RequiredFunction("public_communication", 1.0, windows[2], 1 / 3),
        ],
    )


def chain_registry():
    # dev fires at t = 2, decides 1.5 h, escalates to the agency (2.5 h), acts in 3 h
    #   sequential: 2 + 1.5 + d + 2.5 + 3 = 9 + d  -> 4 + d after onset
    #   parallel:   2 + max(1.5, 2.5) + 3 = 7.5    -> 2.5 after onset
    filings = [
        plan("f_dev", "dev", 4.0, [Response("model_rollback", 1.0, 3.0)], 1.5, ("agency",)),
        plan("f_cloud", "cloud", 10.0, [Response("compute_suspension", 1.0, 0.5)], 1.0),
        plan("f_agency", "agency", 10.0, [Response("public_communication", 1.0, 0.5)], 1.0),
    ]
    return Registry(actors(agency=2.5), [scenario()], filings)


def test_hand_computed_sequential_and_parallel_decisions():
    ex = cg.exchange_exercise(
        chain_registry(),
        "s",
        20,
        levels=[0.0, 1.0],
        observation_delay=1.0,
        rng=0,
        latency_spread=0.0,
    )
    seq, par = ex.exercises
    np.testing.assert_allclose(seq.functions["median_time_to_meet"], [5.0, 1.5, 1.5])
    np.testing.assert_allclose(par.functions["median_time_to_meet"], [2.5, 1.5, 1.5])
    np.testing.assert_allclose(seq.to_frame()["time_to_response"], 5.0)
    np.testing.assert_allclose(par.to_frame()["time_to_response"], 2.5)
    assert ex.to_frame()["time_to_response_median"].tolist() == [5.0, 2.5]
    # the rollback window of 4.5 h is missed only without exchange
    tight = Registry(
        actors(agency=2.5), [scenario(windows=(4.5, 8.0, 5.0))], chain_registry().filings
    )
    ex = cg.exchange_exercise(tight, "s", 20, levels=[0.0, 1.0], rng=0, latency_spread=0.0)
    assert ex.to_frame()["p_coordinated"].tolist() == [0.0, 1.0]
    assert ex.to_frame()["residual_harm_mean"].tolist() == pytest.approx([300.0, 0.0])


def test_no_exchange_and_no_delay_is_the_plain_tabletop():
    reg = cg.load_registry()
    for sid in ("agent_self_replication", "lab_systems_disruption", "grid_intrusion"):
        plain = reg.tabletop(sid, 500, rng=9)
        ex = cg.exchange_exercise(reg, sid, 500, levels=[0.0], observation_delay=0.0, rng=9)
        pd.testing.assert_frame_equal(ex.exercises[0].runs, plain.runs)
        pd.testing.assert_frame_equal(ex.exercises[0].functions, plain.functions)


def test_exchange_resolves_escalation_deadlock():
    filings = [
        plan("f_dev", "dev", 4.0, [Response("model_rollback", 1.0, 1.0)], 1.0, ("agency",)),
        plan(
            "f_agency", "agency", 4.0, [Response("public_communication", 1.0, 1.0)], 1.0, ("dev",)
        ),
        plan("f_cloud", "cloud", 4.0, [Response("compute_suspension", 1.0, 1.0)], 1.0),
    ]
    reg = Registry(actors(), [scenario()], filings)
    ex = cg.exchange_exercise(reg, "s", 100, levels=[0.0, 1.0], rng=0, latency_spread=0.0)
    none, full = ex.exercises
    np.testing.assert_array_equal(none.functions["p_unmet"], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(full.functions["p_unmet"], [0.0, 0.0, 0.0])
    assert ex.to_frame()["p_deadlock"].tolist() == [1.0, 0.0]
    # fired at t = 2, parallel decision max(1, 1) = 1 h, act 1 h: 4 h, i.e. 0 h after onset
    np.testing.assert_allclose(full.functions["median_time_to_meet"], [0.0, 0.0, 0.0])


def test_exchange_sequences_a_suspension_conflict():
    filings = [
        plan(
            "f_dev", "dev", 8.0, [Response("model_rollback", 1.0, 2.0, requires=("cluster",))], 1.0
        ),
        plan(
            "f_cloud",
            "cloud",
            8.0,
            [Response("compute_suspension", 1.0, 0.5, suspends=("cluster",))],
            1.0,
        ),
    ]
    reg = Registry(actors(), [scenario()], filings)
    ex = cg.exchange_exercise(reg, "s", 50, levels=[0.0, 1.0], rng=0, latency_spread=0.0)
    assert ex.exercises[0].functions["p_unmet"].iloc[0] == 1.0
    assert ex.exercises[1].functions["p_unmet"].iloc[0] == 0.0


def test_share_of_exchanged_plans_matches_the_level():
    # a single plan with a long escalation: the share of fast runs estimates e
    ex = cg.exchange_exercise(chain_registry(), "s", 4000, levels=[0.3], rng=2, latency_spread=0.0)
    fast = (ex.runs["time_to_response"] < 3.0).mean()
    assert abs(fast - 0.3) < 4.5 * math.sqrt(0.3 * 0.7 / 4000)


def assert_never_slower(ex):
    runs = ex.runs.pivot(index="run", columns="exchange")
    ttr = runs["time_to_response"].to_numpy()
    harm = runs["residual_harm"].to_numpy()
    coordinated = runs["coordinated"].to_numpy()
    with np.errstate(invalid="ignore"):
        assert np.all((np.diff(ttr, axis=1) <= 1e-9) | (ttr[:, 1:] == ttr[:, :-1]))
    assert np.all(np.diff(harm, axis=1) <= 1e-9)
    assert np.all(np.diff(coordinated.astype(int), axis=1) >= 0)
    assert np.all(np.diff(ex.to_frame()["p_coordinated"]) >= 0)


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_scen=st.integers(2, 8),
    n_fil=st.integers(3, 30),
    delay=floats(0.0, 5.0),
    spread=floats(0.0, 1.0),
    levels=st.lists(floats(0.0, 1.0), min_size=2, max_size=5),
)
def test_more_exchange_never_slows_the_coordinated_response(
    seed, n_scen, n_fil, delay, spread, levels
):
    reg = synthetic(n_scen, n_fil, rng=seed)
    sid = reg.scenarios[seed % n_scen].id
    assert_never_slower(
        cg.exchange_exercise(
            reg,
            sid,
            120,
            levels=levels,
            observation_delay=delay,
            rng=seed + 1,
            latency_spread=spread,
        )
    )


SAMPLE = cg.load_registry()


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(
    sid=st.sampled_from([s.id for s in SAMPLE.scenarios]),
    seed=st.integers(0, 2**31 - 1),
    delay=floats(0.0, 5.0),
    levels=st.lists(floats(0.0, 1.0), min_size=2, max_size=5),
)
def test_more_exchange_never_slows_the_sample_registry(sid, seed, delay, levels):
    # the sample registry has suspension conflicts and an escalation cycle
    assert_never_slower(
        cg.exchange_exercise(SAMPLE, sid, 200, levels=levels, observation_delay=delay, rng=seed)
    )


def test_bad_input():
    reg = cg.load_registry()
    with pytest.raises(InvalidParameterError, match="'levels' parameter"):
        cg.exchange_exercise(reg, "grid_intrusion", 10, levels=[0.0, 1.5])
    with pytest.raises(InvalidParameterError, match="'observation_delay' parameter"):
        cg.exchange_exercise(reg, "grid_intrusion", 10, observation_delay=-1.0)
    with pytest.raises(InvalidParameterError, match="'n_runs' parameter"):
        cg.exchange_exercise(reg, "grid_intrusion", 0)
    with pytest.raises(InvalidParameterError, match="Did you mean 'grid_intrusion'"):
        cg.exchange_exercise(reg, "grid_intrusio", 10)
