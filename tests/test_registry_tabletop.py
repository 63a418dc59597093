"""Tabletop exercises (M6): determinism, hand-computed critical paths, closed forms.

Expected values come from hand computation (deterministic paths and latencies), from the
inverse-Gaussian first-passage law of Brownian motion with drift (mean a/μ, variance aσ²/μ³) and
from the lognormal credibility Φ(ln(S/m)/σ) with binomial sampling error.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

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
)

SURE = dict(response_cost=1.0, cost_sigma=0.1)  # with liability 1000: credibility exactly 1


def actors(**latency):
    return [
        Actor(name, role, liability=1000.0, decision_latency=lat)
        for (name, role), lat in zip(
            [
                ("dev", "ai_developer"),
                ("cloud", "cloud_provider"),
                ("cloud2", "cloud_provider"),
                ("agency", "government_agency"),
            ],
            [latency.get(n, 1.0) for n in ("dev", "cloud", "cloud2", "agency")],
        )
    ]


def plan(fid, actor, level, responses, latency, escalation=(), comparator=">=", **kw):
    return Filing(
        fid,
        actor,
        [Trigger("x", comparator, level)],
        responses,
        DecisionProcess(actor, escalation, latency),
        scenarios=("s",),
        **{**SURE, **kw},
    )


def scenario(volatility=0.0, windows=(10.0, 8.0, 5.0), harm=900.0):
    return Scenario(
        "s",
        "security",
        "major",
        harm=harm,
        indicators=[Indicator("x", start=0.0, threshold=10.0, rate=2.0, volatility=volatility)],
        functions=[
            RequiredFunction("model_rollback", 1.0, windows[0], 1 / 3),
            RequiredFunction("compute_suspension", 2.0, windows[1], 1 / 3),
            RequiredFunction("public_communication", 1.0, windows[2], 1 / 3),
        ],
    )


def critical_path_registry(**kw):
    # Indicator x rises at 2/h from 0; the scenario begins at x = 10, i.e. at t = 5 h.
    #   dev:    fires at x=4 (t=2), decides 1.5 h, escalates to agency (2.5 h), acts 3 h -> t=9
    #   cloud:  fires at x=12 (t=6), decides 1 h, acts 0.5 h -> t=7.5 (1 unit of suspension)
    #   cloud2: fires at x=16 (t=8), decides 2 h, acts 1 h -> t=11 (second unit)
    #   agency: fires at x=10 (t=5), decides 1 h, acts 0.5 h -> t=6.5
    # After onset: rollback 4 h, suspension met when both units are in: 6 h, communication 1.5 h.
    filings = [
        plan("f_dev", "dev", 4.0, [Response("model_rollback", 1.0, 3.0)], 1.5, ("agency",)),
        plan("f_cloud", "cloud", 12.0, [Response("compute_suspension", 1.0, 0.5)], 1.0),
        plan("f_cloud2", "cloud2", 16.0, [Response("compute_suspension", 1.0, 1.0)], 2.0),
        plan("f_agency", "agency", 10.0, [Response("public_communication", 1.0, 0.5)], 1.0),
    ]
    return Registry(actors(agency=2.5), [scenario(**kw)], filings)


def test_deterministic_time_to_response_is_the_critical_path():
    ex = critical_path_registry().tabletop("s", 50, rng=0, latency_spread=0.0)
    runs = ex.to_frame()
    np.testing.assert_allclose(runs["onset"], 5.0, rtol=1e-15)
    np.testing.assert_allclose(runs["time_to_response"], 6.0, rtol=1e-15)
    assert ex.p_coordinated == 1.0 and ex.residual_harm_mean == 0.0
    np.testing.assert_allclose(ex.functions["median_time_to_meet"], [4.0, 6.0, 1.5])
    assert list(ex.filings["credibility"]) == [1.0] * 4
    assert list(runs["n_fired"]) == [4] * 50 and list(runs["n_honoured"]) == [4] * 50


def test_deterministic_window_miss_gives_closed_form_residual_harm():
    # the suspension window of 5.5 h catches the first unit (2.5 h) but not the second (6 h)
    ex = critical_path_registry(windows=(10.0, 5.5, 5.0)).tabletop(
        "s", 20, rng=0, latency_spread=0.0
    )
    runs = ex.to_frame()
    assert runs["unmet:compute_suspension"].all() and not runs["unmet:model_rollback"].any()
    np.testing.assert_allclose(runs["residual_harm"], 900.0 * (1 / 3) * (1 - 1 / 2))
    assert ex.p_coordinated == 0.0
    assert ex.time_to_response_median == 6.0  # met after its window, still met


def test_same_seed_same_results_and_different_seed_differs():
    reg = critical_path_registry(volatility=3.0)
    a = reg.tabletop("s", 500, rng=42)
    b = reg.tabletop("s", 500, rng=42)
    c = reg.tabletop("s", 500, rng=43)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.to_dict() == b.to_dict()
    assert not np.array_equal(a.to_frame()["onset"], c.to_frame()["onset"])
    gen = np.random.default_rng(7)
    d = reg.tabletop("s", 500, rng=gen)
    pd.testing.assert_frame_equal(d.to_frame(), reg.tabletop("s", 500, rng=7).to_frame())


def test_credibility_one_leaves_no_function_unmet():
    # Stochastic paths and latencies, but every trigger is at or below the scenario threshold
    # (so it fires no later than onset, on the same path) and every maximum decision latency
    # plus time to act fits in its window: with credibility 1 nothing can be missed.
    filings = [
        plan("f_dev", "dev", 4.0, [Response("model_rollback", 1.0, 3.0)], 1.5, ("agency",)),
        plan("f_cloud", "cloud", 10.0, [Response("compute_suspension", 1.0, 0.5)], 1.0),
        plan("f_cloud2", "cloud2", 6.0, [Response("compute_suspension", 1.0, 1.0)], 2.0),
        plan("f_agency", "agency", 10.0, [Response("public_communication", 1.0, 0.5)], 1.0),
    ]
    reg = Registry(actors(agency=2.5), [scenario(volatility=4.0)], filings)
    ex = reg.tabletop("s", 4000, rng=3)
    assert ex.p_coordinated == 1.0
    np.testing.assert_array_equal(ex.functions["p_unmet"], 0.0)
    assert ex.residual_harm_p90 == 0.0
    assert (ex.to_frame()["time_to_response"] <= 8.0).all()


def test_credibility_zero_delivers_nothing():
    filings = [
        plan(
            "f_dev",
            "dev",
            4.0,
            [Response("model_rollback", 1.0, 1.0)],
            1.0,
            response_cost=1e6,
            cost_sigma=0.1,
        )
    ]
    ex = Registry(actors(), [scenario()], filings).tabletop("s", 100, rng=0)
    assert ex.filings["credibility"].iloc[0] == 0.0
    assert ex.p_coordinated == 0.0 and ex.residual_harm_mean == 900.0
    assert (ex.to_frame()["n_honoured"] == 0).all()


def test_honour_rate_matches_lognormal_credibility():
    filings = [
        plan(
            "f_dev",
            "dev",
            4.0,
            [Response("model_rollback", 1.0, 1.0)],
            1.0,
            response_cost=1000.0,
            cost_sigma=0.6,
        )
    ]
    reg = Registry(
        [Actor("dev", "ai_developer", share=0.5, liability=800.0)], [scenario()], filings
    )
    n = 20_000
    ex = reg.tabletop("s", n, rng=11)
    # stake = L + s·ΔB, ΔB = H·ω·min(1, q/Q) = 900 · 1/3 · 1 = 300
    c = stats.lognorm(s=0.6, scale=1000.0).cdf(800.0 + 0.5 * 300.0)
    assert ex.filings["credibility"].iloc[0] == pytest.approx(c, rel=1e-12)
    se = math.sqrt(c * (1 - c) / n)
    assert abs(ex.filings["p_honoured"].iloc[0] - c) < 4.5 * se


def test_first_passage_times_follow_inverse_gaussian():
    # onset = first passage of a Brownian motion with drift μ = 2 and σ = 3 to a = 10:
    # mean a/μ = 5 h, variance aσ²/μ³ = 11.25 h²
    reg = critical_path_registry(volatility=3.0)
    n = 20_000
    onset = reg.tabletop("s", n, rng=5).to_frame()["onset"].to_numpy()
    assert abs(onset.mean() - 5.0) < 4.5 * math.sqrt(11.25 / n)
    assert onset.var() == pytest.approx(11.25, rel=0.1)
    # triggers on one path fire in the order of their levels
    runs = reg.tabletop("s", 2000, rng=5, latency_spread=0.0)
    assert (runs.to_frame()["n_fired"] == 4).all()


def test_escalation_cycle_deadlocks_the_plans_on_it():
    filings = [
        plan("f_dev", "dev", 4.0, [Response("model_rollback", 1.0, 1.0)], 1.0, ("agency",)),
        plan(
            "f_agency", "agency", 4.0, [Response("public_communication", 1.0, 1.0)], 1.0, ("dev",)
        ),
        plan("f_cloud", "cloud", 4.0, [Response("compute_suspension", 2.0, 1.0)], 1.0),
    ]
    ex = Registry(actors(), [scenario()], filings).tabletop("s", 100, rng=0)
    assert list(ex.filings["deadlocked"]) == [True, True, False]
    np.testing.assert_array_equal(ex.functions["p_unmet"], [1.0, 0.0, 1.0])
    np.testing.assert_allclose(ex.to_frame()["residual_harm"], 900.0 * 2 / 3)


def test_suspension_blocks_a_later_response_that_requires_the_service():
    # cloud suspends the cluster at t = 4 + 1 + 0.5; dev's rollback needs it and arrives later
    def registry(dev_act):
        filings = [
            plan(
                "f_dev",
                "dev",
                8.0,
                [Response("model_rollback", 1.0, dev_act, requires=("cluster",))],
                1.0,
            ),
            plan(
                "f_cloud",
                "cloud",
                8.0,
                [Response("compute_suspension", 2.0, 0.5, suspends=("cluster",))],
                1.0,
            ),
        ]
        return Registry(actors(), [scenario()], filings)

    blocked = registry(2.0).tabletop("s", 50, rng=0, latency_spread=0.0)
    assert blocked.functions["p_unmet"].iloc[0] == 1.0
    assert registry(2.0).check().conflicts[0].kind == "contradictory_actions"
    before = registry(0.25).tabletop("s", 50, rng=0, latency_spread=0.0)
    assert before.functions["p_unmet"].iloc[0] == 0.0


def test_sample_registry_exercise_and_bad_arguments():
    reg = cg.load_registry()
    ex = reg.tabletop("agent_self_replication", 3000, rng=2)
    # the cloud's suspension cuts off the developer's rollback in most runs
    unmet = ex.functions.set_index("function")["p_unmet"]
    assert unmet["model_rollback"] > 0.5 and unmet["compute_suspension"] < 0.05
    assert ex.runs["run"].tolist() == list(range(3000))
    with pytest.raises(InvalidParameterError, match="Did you mean 'grid_intrusion'"):
        reg.tabletop("grid_intrusio", 10)
    with pytest.raises(InvalidParameterError, match="'n_runs' parameter of tabletop"):
        reg.tabletop("grid_intrusion", 0)
    with pytest.raises(InvalidParameterError, match="'latency_spread' parameter"):
        reg.tabletop("grid_intrusion", 10, latency_spread=1.5)
    # an unaddressed scenario: nothing delivered, full harm
    empty = reg.tabletop("companion_chatbot_harm", 10, rng=0)
    assert empty.residual_harm_mean == empty.harm and empty.filings.empty
