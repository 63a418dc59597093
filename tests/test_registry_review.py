"""Iterative review of the registry: rules, invariants and review cycles.

Independent checks: hand-built registries whose revisions are known in advance; the
Brownian estimates of drift and volatility recomputed here from the observed increments
(drift = total displacement / elapsed time; volatility² = mean of (Δx − μΔt)²/Δt); property
tests on random synthetic registries for the two invariants the issue asks for (a review never
removes a scenario an exercise found uncovered; with review and a fixed world, coverage never
falls from one cycle to the next), the latter checked against a direct recount of committed
capacity per (scenario, function).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.registry import (
    Actor,
    DecisionProcess,
    Filing,
    Incident,
    Indicator,
    Registry,
    RequiredFunction,
    Response,
    Scenario,
    Trigger,
    review,
    review_cycles,
    synthetic,
)
from coordgap.registry.cycles import world_coverage

SURE = dict(response_cost=1.0, cost_sigma=0.1)


def small_registry():
    """Two scenarios; 'b' needs a rollback nobody files for it, but 'dev' files one for 'a'."""
    scenarios = [
        Scenario(
            sid,
            "technical",
            "major",
            harm=100.0,
            indicators=[Indicator(f"x_{sid}", start=0.0, threshold=10.0, rate=2.0)],
            functions=[RequiredFunction("model_rollback", 1.0, 3.0)],
        )
        for sid in ("a", "b")
    ]
    actors = [
        Actor("dev", "ai_developer", liability=1000.0),
        Actor("agency", "government_agency", liability=1000.0, decision_latency=10.0),
    ]
    filings = [
        Filing(
            "f_dev",
            "dev",
            [Trigger("x_a", ">=", 10.0)],
            [Response("model_rollback", 1.0, 1.0)],
            DecisionProcess("dev", ("agency",), 1.0),
            scenarios=("a",),
            **SURE,
        )
    ]
    return Registry(actors, scenarios, filings)


def recount(registry, world):
    """Share of (scenario, function) pairs with committed ≥ required, by a direct loop."""
    met = []
    ids = {s.id for s in registry.scenarios}
    for s in world:
        for need in s.functions:
            have = 0.0
            if s.id in ids:
                for f in registry.filings:
                    if s.id in registry.addressed(f):
                        have += sum(r.capacity for r in f.responses if r.function == need.function)
            met.append(have >= need.capacity * (1 - 1e-12))
    return float(np.mean(met))


def test_tabletop_review_extends_delegates_and_never_retires_uncovered():
    reg = small_registry()
    # 'a': dev decides 1 h, escalates to the agency (10 h), acts in 1 h: 12 h > window 3 h
    ex = reg.tabletop("a", 50, rng=0, latency_spread=0.0)
    assert ex.p_coordinated == 0.0
    rev = review(reg, ex, stale=("a", "b"))
    kinds = [r.kind for r in rev.revisions]
    assert "delegate_decision" in kinds and "flag_unmet_function" in kinds
    assert rev.uncovered == ("a",)
    # 'a' was found uncovered: kept although reported stale; 'b' was not exercised: retired
    assert [r.scenario for r in rev.of_kind("keep_uncovered")] == ["a"]
    assert [s.id for s in rev.registry.scenarios] == ["a"]
    after = rev.apply().tabletop("a", 50, rng=0, latency_spread=0.0)
    assert after.p_coordinated == 1.0  # 1 h decision + 1 h action after onset ≤ 3 h
    frame = rev.to_frame()
    assert list(frame.columns) == ["kind", "scenario", "filing", "value", "message"]


def test_tabletop_review_fills_a_gap_with_a_plan_that_delivers_the_function_elsewhere():
    reg = small_registry()
    ex = reg.tabletop("b", 50, rng=0)
    assert ex.p_coordinated == 0.0  # nobody files for 'b'
    rev = review(reg, ex)
    ext = rev.of_kind("extend_filing")
    assert [(r.scenario, r.filing) for r in ext] == [("b", "f_dev")]
    revised = rev.registry.filings[0]
    assert revised.scenarios == ("a", "b")
    assert any(t.indicator == "x_b" for t in revised.triggers)  # it now watches 'b'
    assert recount(rev.registry, rev.registry.scenarios) == 1.0
    assert rev.credible_coverage_after > rev.credible_coverage_before


def test_carve_out_of_an_unresolved_conflict():
    reg = cg.load_registry()
    rev = review(reg, reg.tabletop("agent_self_replication", 300, rng=0))
    carved = rev.of_kind("carve_out_conflict")
    assert carved
    filing = next(f for f in rev.registry.filings if f.id == carved[0].filing)
    required = {s for f in rev.registry.filings for r in f.responses for s in r.requires}
    assert not any(set(r.suspends) & required for r in filing.responses)


def test_incident_recalibrates_indicator_and_triggers_from_the_observed_path():
    reg = small_registry()
    times = np.array([0.0, 1.0, 2.0, 4.0])
    levels = np.array([0.0, 2.5, 3.5, 8.0])
    # onset observed at t = 3 h, level interpolated between (2, 3.5) and (4, 8): 5.75
    inc = Incident(
        "a", path={"x_a": (times, levels)}, onset=3.0, acted=("f_dev",), latency={"f_dev": 12.0}
    )
    rev = review(reg, inc)
    mu = 8.0 / 4.0
    dt, dx = np.diff(times), np.diff(levels)
    sigma = math.sqrt(np.mean((dx - mu * dt) ** 2 / dt))
    ind = rev.registry.scenario("a").indicators[0]
    assert ind.rate == pytest.approx(mu)
    assert ind.volatility == pytest.approx(sigma)
    assert ind.threshold == pytest.approx(5.75)
    trig = rev.registry.filings[0].triggers[0]
    assert trig.threshold == pytest.approx(5.75)  # fired only after the onset level: moved
    # latency 12 h beyond the 3 h window: flagged, and the escalation is cut
    assert rev.of_kind("flag_unmet_function")
    assert rev.registry.filings[0].decision.escalation == ()
    assert rev.uncovered == ("a",)


def test_incident_split_and_add():
    reg = small_registry()
    fast = Incident("a", path={"x_a": ([0.0, 1.0], [0.0, 20.0])}, onset=0.5, acted=("f_dev",))
    rev = review(reg, fast)  # observed rate 20 vs 2 in the library: beyond a factor 4
    assert rev.revisions[0].kind == "split_scenario"
    ids = [s.id for s in rev.registry.scenarios]
    assert "a_variant1" in ids
    assert rev.registry.scenario("a_variant1").indicators[0].rate == pytest.approx(20.0)
    assert "a_variant1" in rev.registry.filings[0].scenarios
    new = Scenario(
        "c",
        "security",
        "serious",
        harm=5.0,
        indicators=[Indicator("x_c", start=0.0, threshold=1.0)],
        functions=[RequiredFunction("model_rollback", 1.0, 5.0)],
    )
    rev = review(reg, Incident("c", definition=new))
    assert rev.of_kind("add_scenario") and rev.uncovered == ("c",)
    assert "c" in rev.registry.filings[0].scenarios
    with pytest.raises(InvalidParameterError):
        review(reg, Incident("d"))


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_review_never_removes_a_scenario_an_exercise_found_uncovered(seed):
    reg = synthetic(5, 12, rng=seed)
    rng = np.random.default_rng(seed)
    sid = reg.scenarios[int(rng.integers(5))].id
    ex = reg.tabletop(sid, 60, rng=seed)
    every = tuple(s.id for s in reg.scenarios)
    rev = review(reg, ex, stale=every)  # everything reported stale
    unmet = (ex.functions["p_unmet"] > 0.05).any()
    assert (sid in rev.uncovered) == bool(unmet)
    kept = {s.id for s in rev.registry.scenarios}
    assert set(rev.uncovered) <= kept
    assert kept == set(rev.uncovered)  # the others were retired


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_with_review_coverage_never_falls_in_a_fixed_world(seed):
    reg = synthetic(6, 15, rng=seed)
    cyc = review_cycles(reg, 6, drift=0.0, n_runs=40, rng=seed)
    frame = cyc.to_frame()
    reviewed = frame[frame["regime"] == "reviewed"]
    for col in ("coverage", "credible_coverage"):
        path = reviewed[col].to_numpy()
        assert np.all(np.diff(path) >= -1e-12), (col, path)
    # the coverage reported is the direct recount on the world (the registry's library)
    assert reviewed["coverage"].iloc[-1] == pytest.approx(recount(cyc.registry, reg.scenarios))
    never = frame[frame["regime"] == "never_reviewed"]["coverage"].to_numpy()
    assert np.all(never == never[0])
    assert cyc.drift_rate == 0.0 and cyc.keeps_pace  # a fixed world: nothing to keep up with


def test_review_cycles_learning_rate_and_determinism():
    reg = cg.load_registry()
    a = review_cycles(reg, 10, drift=0.6, n_runs=60, rng=2)
    b = review_cycles(reg, 10, drift=0.6, n_runs=60, rng=2)
    assert a.to_frame().equals(b.to_frame())
    frame = a.to_frame()
    t = np.arange(11.0)
    gap = {
        k: 1 - frame[frame["regime"] == k]["coverage"].to_numpy()
        for k in ("reviewed", "never_reviewed")
    }
    # least-squares slope by its normal equation, not by polyfit
    slope = {
        k: float(((t - t.mean()) @ (v - v.mean())) / ((t - t.mean()) @ (t - t.mean())))
        for k, v in gap.items()
    }
    assert a.drift_rate == pytest.approx(max(0.0, slope["never_reviewed"]), abs=1e-12)
    assert a.learning_rate == pytest.approx(max(0.0, a.drift_rate - slope["reviewed"]), abs=1e-12)
    assert a.keeps_pace == (a.learning_rate >= a.drift_rate)
    assert a.model.growth == pytest.approx(a.drift_rate)
    assert a.final_coverage >= a.final_coverage_never
    cov, cred = world_coverage(reg, reg.scenarios)
    assert cred == pytest.approx(reg.check().credible_coverage)


def test_bad_inputs():
    reg = small_registry()
    ex = reg.tabletop("a", 10, rng=0)
    with pytest.raises(InvalidParameterError):
        review(reg, "not a result")
    with pytest.raises(InvalidParameterError):
        review(reg, ex, tolerance=2.0)
    with pytest.raises(InvalidParameterError):
        review(reg, ex, split_ratio=1.0)
    with pytest.raises(InvalidParameterError):
        review(reg, ex, stale="a")
    with pytest.raises(InvalidParameterError):
        Incident("a", path={"x": ([0.0, 0.0], [1.0, 2.0])})
    with pytest.raises(InvalidParameterError):
        Incident("a", onset=math.inf)
    with pytest.raises(InvalidParameterError):
        review_cycles(reg, 0)
    with pytest.raises(InvalidParameterError):
        review_cycles(reg, 3, drift=1.5)


def test_cli_review_and_cycles(capsys):
    import json

    from coordgap.cli import main

    assert main(["registry", "review", "lab_systems_disruption", "--runs", "200"]) == 0
    out = capsys.readouterr().out
    assert "[delegate_decision]" in out and "uncovered: lab_systems_disruption" in out
    assert main(["registry", "review", "lab_systems_disruption", "--runs", "200", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["uncovered"] == ["lab_systems_disruption"]
    assert {r["kind"] for r in data["revision_list"]} >= {"delegate_decision"}
    args = ["registry", "cycles", "--rounds", "3", "--drift", "0.5", "--runs", "30", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rounds"] == 3 and len(data["rounds_table"]) == 8
    assert main(["registry", "cycles", "--rounds", "2", "--runs", "20"]) == 0
    assert "keeps pace" in capsys.readouterr().out
    with pytest.raises(SystemExit) as err:
        main(["registry", "cycles", "--drift", "2"])
    assert err.value.code == 2


def test_registry_review_method_is_the_function():
    reg = small_registry()
    ex = reg.tabletop("a", 50, rng=0, latency_spread=0.0)
    by_method = reg.review(ex, stale=("a", "b"))
    by_function = review(reg, ex, stale=("a", "b"))
    assert by_method.to_frame().equals(by_function.to_frame())
