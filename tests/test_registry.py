"""The Scenario Response Registry (M6): schema, loading, checks.

Hand-built registries: a clean one where the check finds nothing, and variants where exactly one
kind of finding is planted and found. Credibility is checked against an independent lognormal
CDF (scipy.stats.lognorm) of the stake b + L + δ/(1−δ)·I + s·ΔB.
"""

import dataclasses
import json
import math
import tomllib

import numpy as np
import pytest
from scipy import stats

import coordgap as cg
from coordgap.errors import InvalidParameterError, SpecError
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
    registry_from_dict,
    synthetic,
)
from reference import membership_rent

# Credibility 1 in floating point: the stake (liability 1000) is 10^3 times the median cost
# with σ = 0.1, so P(A ≤ stake) = Φ(ln(1000)/0.1) = Φ(69) = 1.0 exactly.
CLEAN = """
[registry]
name = "clean"
discount = 0.5

[actors.dev]
role = "ai_developer"
liability = 1000.0
decision_latency = 1.0
[actors.cloud]
role = "cloud_provider"
liability = 1000.0
decision_latency = 1.0
[actors.agency]
role = "government_agency"
liability = 1000.0
decision_latency = 1.0

[scenarios.s1]
domain = "security"
severity = "major"
harm = 1000.0
[scenarios.s1.indicators.x]
start = 0.0
threshold = 10.0
rate = 1.0
[scenarios.s1.functions.model_rollback]
capacity = 1.0
window = 10.0
[scenarios.s1.functions.compute_suspension]
capacity = 2.0
window = 10.0
[scenarios.s1.functions.public_communication]
capacity = 1.0
window = 20.0

[[filings]]
id = "f_dev"
actor = "dev"
scenarios = ["s1"]
triggers = [{ indicator = "x", comparator = ">=", threshold = 8.0 }]
responses = [{ function = "model_rollback", capacity = 1.0, time_to_act = 1.0 }]
decision = { owner = "dev", max_latency = 1.0 }
response_cost = 1.0
cost_sigma = 0.1

[[filings]]
id = "f_cloud"
actor = "cloud"
scenarios = ["s1"]
triggers = [{ indicator = "x", comparator = ">=", threshold = 8.0 }]
responses = [{ function = "compute_suspension", capacity = 2.0, time_to_act = 1.0 }]
decision = { owner = "cloud", max_latency = 1.0 }
response_cost = 1.0
cost_sigma = 0.1

[[filings]]
id = "f_agency"
actor = "agency"
scenarios = ["s1"]
triggers = [{ indicator = "x", comparator = ">=", threshold = 8.0 }]
responses = [{ function = "public_communication", capacity = 1.0, time_to_act = 1.0 }]
decision = { owner = "agency", max_latency = 1.0 }
response_cost = 1.0
cost_sigma = 0.1
"""


@pytest.fixture
def clean():
    return registry_from_dict(tomllib.loads(CLEAN), "clean.toml")


def _filing(reg, fid):
    return next(f for f in reg.filings if f.id == fid)


def _with_filings(reg, filings):
    return dataclasses.replace(reg, filings=tuple(filings))


def _change(reg, fid, **changes):
    return _with_filings(
        reg, [dataclasses.replace(f, **changes) if f.id == fid else f for f in reg.filings]
    )


def kinds(report):
    return sorted(f.kind for f in report.findings)


# --------------------------------------------------------------------------- schema, sample


def test_clean_registry_has_no_finding(clean):
    report = clean.check()
    assert report.findings == ()
    assert report.success and report.status == 0
    assert report.credible_coverage == 1.0
    np.testing.assert_array_equal(report.coverage["credible"], report.coverage["required"])
    assert list(report.coverage["status"]) == ["ok"] * 3
    assert report.to_frame().empty


def test_sample_registry_is_realistic():
    reg = cg.load_registry()
    assert 10 <= len(reg.scenarios) <= 14 and 18 <= len(reg.actors) <= 22
    assert {s.domain for s in reg.scenarios} == {
        "technical",
        "economic",
        "security",
        "cross_domain",
    }
    assert {a.role for a in reg.actors} == set(cg.registry.ROLES)
    assert "illustrative" in reg.description.lower()
    report = reg.check()
    assert {f.category for f in report.findings} == {"gap", "overlap", "conflict", "library"}
    for f in report.findings:
        assert f.message and f.kind in cg.registry.checks.CATEGORIES


def test_severity_ladder_and_weights():
    ind = [Indicator("x", start=0.0, threshold=1.0)]
    s = Scenario(
        "s",
        "technical",
        "critical",
        indicators=ind,
        functions=[
            RequiredFunction("model_rollback", capacity=1.0, window=1.0, weight=0.5),
            RequiredFunction("user_support", capacity=1.0, window=1.0),
            RequiredFunction("public_communication", capacity=1.0, window=1.0),
        ],
    )
    assert s.severity_level == 5
    assert s.weights == (0.5, 0.25, 0.25)
    with pytest.raises(InvalidParameterError, match="'severity' parameter of Scenario"):
        Scenario("s", "technical", "catastrophic", indicators=ind, functions=s.functions)
    with pytest.raises(InvalidParameterError, match="weights summing to at most 1"):
        Scenario(
            "s",
            "technical",
            "major",
            indicators=ind,
            functions=[
                RequiredFunction("model_rollback", capacity=1.0, window=1.0, weight=0.7),
                RequiredFunction("user_support", capacity=1.0, window=1.0, weight=0.7),
            ],
        )


def test_records_reject_nan_and_bad_values():
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of Trigger"):
        Trigger("x", ">=", float("nan"))
    with pytest.raises(InvalidParameterError, match="'comparator' parameter of Trigger"):
        Trigger("x", "=>", 1.0)
    with pytest.raises(InvalidParameterError, match="'capacity' parameter of Response"):
        Response("model_rollback", capacity=0.0)
    with pytest.raises(InvalidParameterError, match="'cost_sigma' parameter of Filing"):
        Filing(
            "f",
            "a",
            [Trigger("x", ">=", 1.0)],
            [Response("user_support", 1.0)],
            DecisionProcess("a"),
            cost_sigma=0.0,
        )


def test_python_registry_reports_every_cross_reference(clean):
    bad = dataclasses.replace(
        _filing(clean, "f_dev"),
        actor="ghost",
        scenarios=("s9",),
        decision=DecisionProcess("dev", ("nobody",)),
    )
    with pytest.raises(SpecError) as exc:
        Registry(actors=clean.actors, scenarios=clean.scenarios, filings=(bad,) + clean.filings[1:])
    paths = [p.split(":")[0] for p in exc.value.problems]
    assert paths == [
        "filings[0].actor",
        "filings[0].scenarios[0]",
        "filings[0].decision.escalation[0]",
    ]


def test_actors_frame_parameterizes_commitment(clean):
    frame = clean.actors_frame()
    assert list(frame["actor"]) == ["dev", "cloud", "agency"]
    assert list(frame["role"]) == ["ai_developer", "cloud_provider", "government_agency"]
    np.testing.assert_array_equal(frame["committed_capacity"], [1.0, 2.0, 1.0])
    np.testing.assert_array_equal(frame["bond"], [0.0, 0.0, 0.0])


# --------------------------------------------------------------------------- planted findings


def test_removing_the_only_provider_creates_exactly_that_gap(clean):
    reg = _with_filings(clean, [f for f in clean.filings if f.id != "f_cloud"])
    report = reg.check()
    assert kinds(report) == ["gap"]
    gap = report.gaps[0]
    assert (gap.scenario, gap.function, gap.actors) == ("s1", "compute_suspension", ())
    assert gap.value == 2.0
    assert "no filing provides it" in gap.message


def test_duplicating_a_filing_creates_an_overlap(clean):
    dup = dataclasses.replace(_filing(clean, "f_dev"), id="f_dev_copy")
    report = _with_filings(clean, clean.filings + (dup,)).check()
    assert kinds(report) == ["overlap"]
    over = report.overlaps[0]
    assert (over.scenario, over.function, over.actors) == ("s1", "model_rollback", ("dev",))
    assert over.value == 1.0  # credible 2 against 1 required


def test_two_actor_escalation_cycle_is_reported(clean):
    reg = _change(clean, "f_dev", decision=DecisionProcess("dev", ("cloud",), 1.0))
    reg = _change(reg, "f_cloud", decision=DecisionProcess("cloud", ("dev",), 1.0))
    report = reg.check()
    assert kinds(report) == ["circular_escalation"]
    cycle = report.conflicts[0]
    assert set(cycle.actors) == {"dev", "cloud"} and cycle.scenario == "s1"
    assert set(cycle.function.split(", ")) == {"model_rollback", "compute_suspension"}
    assert "cycle" in cycle.message


def test_contradictory_actions_are_reported(clean):
    reg = _change(
        clean,
        "f_cloud",
        responses=(Response("compute_suspension", 2.0, 1.0, suspends=("dev_cluster",)),),
    )
    reg = _change(
        reg, "f_dev", responses=(Response("model_rollback", 1.0, 1.0, requires=("dev_cluster",)),)
    )
    report = reg.check()
    assert kinds(report) == ["contradictory_actions"]
    found = report.conflicts[0]
    assert (found.scenario, found.function, found.actors) == (
        "s1",
        "model_rollback",
        ("cloud", "dev"),
    )
    assert "'dev_cluster'" in found.message


def test_incompatible_thresholds_are_reported(clean):
    # rate 1 per hour: dev and cloud fire at 8 h, agency at 30 h -> 22 h apart > 10 h window
    reg = _change(clean, "f_agency", triggers=(Trigger("x", ">=", 30.0),))
    report = reg.check()
    assert kinds(report) == ["incompatible_thresholds"]
    found = report.conflicts[0]
    assert found.actors == ("dev", "agency") and found.function == "public_communication"
    assert found.value == pytest.approx(22.0, rel=1e-12)
    # within tolerance: 17 h apart, tolerance 2 x 10 h
    reg = _change(clean, "f_agency", triggers=(Trigger("x", ">=", 25.0),))
    assert reg.check(threshold_tolerance=2.0).findings == ()
    # a trigger pointing against the indicator's movement never fires
    reg = _change(clean, "f_agency", triggers=(Trigger("x", "<=", -5.0),))
    found = reg.check().conflicts[0]
    assert found.kind == "incompatible_thresholds" and math.isinf(found.value)


def test_latency_beyond_window_is_reported(clean):
    reg = _change(clean, "f_dev", decision=DecisionProcess("dev", (), 12.0))
    report = reg.check()
    assert kinds(report) == ["latency_beyond_window"]
    found = report.conflicts[0]
    assert (found.scenario, found.function, found.actors) == ("s1", "model_rollback", ("dev",))
    assert found.value == pytest.approx(3.0)  # 12 h decision + 1 h to act - 10 h window
    # escalation adds the escalated actor's decision latency: 1 + 1 (agency) + 1 = 3 h
    reg = _change(clean, "f_dev", decision=DecisionProcess("dev", ("agency",), 1.0))
    assert reg.check().findings == ()


def test_library_diagnostics(clean):
    extra = Scenario(
        "s2",
        "economic",
        "incident",
        indicators=[Indicator("y", start=0.0, threshold=5.0)],
        functions=[RequiredFunction("service_continuity", 1.0, 5.0)],
    )
    report = dataclasses.replace(clean, scenarios=clean.scenarios + (extra,)).check()
    assert kinds(report) == ["gap", "unaddressed_scenario"]
    assert report.diagnostics[0].scenario == "s2"
    # a trigger on an indicator no scenario has: the library is too narrow
    reg = _change(clean, "f_dev", triggers=(Trigger("x", ">=", 8.0), Trigger("z", ">=", 1.0)))
    report = reg.check()
    assert kinds(report) == ["unmatched_trigger"]
    assert report.diagnostics[0].actors == ("dev",) and "'z'" in report.diagnostics[0].message


def test_filing_without_scenarios_addresses_scenarios_by_indicator(clean):
    reg = _change(clean, "f_dev", scenarios=())
    assert reg.addressed(_filing(reg, "f_dev")) == ("s1",)
    assert reg.check().findings == ()


# --------------------------------------------------------------------------- credibility


@pytest.mark.slow
def test_credible_capacity_matches_lognormal_closed_form(clean):
    # stake S = b + L + s·ΔB + δ·W with ΔB = H·ω·min(1, q/Q), A ~ lognormal(median m, σ) and
    # W the membership rent of incentive I = 0.5 (no joining cost; every trigger fires)
    reg = dataclasses.replace(
        clean,
        actors=(
            Actor(
                "dev",
                "ai_developer",
                share=0.01,
                liability=2.0,
                incentive=0.5,
                decision_latency=1.0,
            ),
        )
        + clean.actors[1:],
    )
    reg = _change(reg, "f_dev", bond=1.5, response_cost=6.0, cost_sigma=0.8)
    report = reg.check()
    benefit = 1000.0 * (1 / 3) * min(1.0, 1.0 / 1.0)
    dist = stats.lognorm(s=0.8, scale=6.0)
    s0 = 1.5 + 2.0 + 0.01 * benefit
    rent = membership_rent(0.5, s0, 3.5, 0.5, 1.0, [dist], rounds=80)[0]
    expected = dist.cdf(s0 + 0.5 * rent)
    row = report.coverage.set_index("function").loc["model_rollback"]
    assert row["credible"] == pytest.approx(expected, rel=1e-12)
    assert row["committed"] == 1.0
    gap = report.gaps[0]
    assert gap.function == "model_rollback" and gap.value == pytest.approx(1 - expected)
    assert report.credible_coverage == pytest.approx((2 + expected) / 3)


def test_gap_tolerance_controls_small_shortfalls(clean):
    reg = _change(clean, "f_dev", response_cost=900.0, cost_sigma=0.5)  # stake 1000
    c = stats.lognorm(s=0.5, scale=900.0).cdf(1000.0)
    assert 0.5 < c < 0.99
    assert kinds(reg.check()) == ["gap"]
    assert reg.check(gap_tolerance=1 - c + 1e-6).findings == ()
    with pytest.raises(InvalidParameterError, match="'gap_tolerance' parameter of check"):
        reg.check(gap_tolerance=-0.1)


# --------------------------------------------------------------------------- bad files

BAD = """
[registry]
name = "bad"

[actors.a1]
role = "ai_develop"
[actors.a2]
share = 0.1

[scenarios.s1]
domain = "security"
severity = "major"
[scenarios.s1.indicators.x]
start = 0.0
threshold = 10.0
[scenarios.s1.functions.model_rolback]
capacity = 1.0
window = 4.0

[[filings]]
id = "f1"
actor = "a1"
bnd = 2.0
triggers = [{ indicator = "x", comparator = ">=", threshold = "high" }]
responses = [{ function = "model_rollback", capacity = 1.0 }]
decision = { owner = "a1", escalation = ["nobody"] }

[[filings]]
id = "f2"
actor = "ghost"
scenarios = ["s9"]
triggers = [{ indicator = "x", comparator = ">=", threshold = 1.0 }]
responses = [{ function = "user_supprt", capacity = 1.0 }]
decision = { owner = "a1" }
"""

BAD_PATHS = [
    "actors.a2.role",  # missing field
    "filings[0].bnd",  # unknown key, did you mean 'bond'
    "filings[0].triggers[0].threshold",  # wrong type
    "actors.a1.role",  # unknown role
    "scenarios.s1.functions.model_rolback",  # unknown function
    "filings[0].decision.escalation[0]",  # unknown actor
    "filings[1].actor",  # nonexistent actor
    "filings[1].scenarios[0]",  # nonexistent scenario
    "filings[1].responses[0].function",  # unknown function
]


def _paths(exc):
    return sorted(p.split(":")[0] for p in exc.problems)


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_bad_file_reports_every_problem_with_dotted_path(tmp_path, fmt):
    path = tmp_path / f"bad.{fmt}"
    path.write_text(BAD if fmt == "toml" else json.dumps(tomllib.loads(BAD)))
    with pytest.raises(SpecError) as exc:
        cg.load_registry(path)
    assert _paths(exc.value) == sorted(BAD_PATHS)
    text = str(exc.value)
    assert "Did you mean 'bond'?" in text and "Did you mean 'ai_developer'?" in text
    assert "Did you mean 'model_rollback'?" in text and "got 'high'" in text
    assert "is required" in text and "unknown scenario 's9'" in text


def test_syntax_errors_name_the_line(tmp_path):
    toml = tmp_path / "broken.toml"
    toml.write_text("[actors\nrole = 1\n")
    with pytest.raises(SpecError, match="TOML syntax error.*line 1"):
        cg.load_registry(toml)
    js = tmp_path / "broken.json"
    js.write_text('{"actors": {}\n,,}')
    with pytest.raises(SpecError, match="JSON syntax error.*line 2"):
        cg.load_registry(js)
    with pytest.raises(SpecError, match="cannot read"):
        cg.load_registry(tmp_path / "missing.toml")


@pytest.mark.slow
def test_json_and_toml_load_the_same_registry(tmp_path):
    from importlib import resources

    doc = tomllib.loads(
        resources.files("coordgap.data")
        .joinpath("sample_registry.toml")
        .read_text(encoding="utf-8")
    )
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(doc))
    a, b = cg.load_registry(), cg.load_registry(path)
    assert [f.id for f in a.filings] == [f.id for f in b.filings]
    ra, rb = a.check(), b.check()
    assert [f.message for f in ra.findings] == [f.message for f in rb.findings]


def test_quantity_tables_and_user_defined_roles_and_functions():
    doc = tomllib.loads(CLEAN)
    doc["registry"]["roles"] = ["standards_body"]
    doc["registry"]["functions"] = ["audit_trail"]
    doc["actors"]["board"] = {
        "role": "standards_body",
        "liability": {"value": 1000.0, "unit": "USD m", "source": "illustrative"},
    }
    doc["filings"].append(
        {
            "id": "f_board",
            "actor": "board",
            "scenarios": ["s1"],
            "triggers": [{"indicator": "x", "comparator": ">=", "threshold": 8.0}],
            "responses": [{"function": "audit_trail", "capacity": 1.0}],
            "decision": {"owner": "board"},
            "cost_sigma": 0.1,
        }
    )
    reg = registry_from_dict(doc)
    assert reg.actor("board").liability == 1000.0
    assert "standards_body" in reg.all_roles and "audit_trail" in reg.all_functions
    assert _filing(reg, "f_board").role == "standards_body"


# --------------------------------------------------------------------------- scale


@pytest.mark.slow
def test_synthetic_registry_is_reproducible_and_checkable():
    a, b = synthetic(30, 200, rng=5), synthetic(30, 200, rng=5)
    assert [f.id for f in a.filings] == [f.id for f in b.filings]
    ra, rb = a.check(), b.check()
    assert [f.message for f in ra.findings] == [f.message for f in rb.findings]
    assert len(ra.coverage) == sum(len(s.functions) for s in a.scenarios)
    # committed capacity per (scenario, function) equals a brute-force sum over filings
    brute = {}
    for f in a.filings:
        for sid in f.scenarios:
            needed = {rf.function for rf in a.scenario(sid).functions}
            for r in f.responses:
                if r.function in needed:
                    brute[(sid, r.function)] = brute.get((sid, r.function), 0.0) + r.capacity
    got = {
        (s, fn): c
        for s, fn, c in ra.coverage[["scenario", "function", "committed"]].itertuples(index=False)
        if c > 0
    }
    assert got == pytest.approx(brute)


@pytest.mark.slow
def test_commitment_model_of_a_scenario_reproduces_coverage():
    # the incentives link: a scenario's plans as a CommitmentModel (M3)
    reg = cg.load_registry()
    model = reg.commitment_model("weights_exfiltration")
    assert isinstance(model, cg.CommitmentModel)
    coverage = reg.check().coverage
    rows = coverage[coverage["scenario"] == "weights_exfiltration"]
    assert model.required == rows["required"].sum()
    assert model.credible_coverage() == pytest.approx(
        rows["credible"].sum() / rows["required"].sum(), rel=1e-12
    )
    # a bigger bond never lowers credibility
    assert np.all(model.with_bond(5.0).credibility() >= model.credibility())
    with pytest.raises(InvalidParameterError, match="a scenario that some filing addresses"):
        reg.commitment_model("companion_chatbot_harm")


@pytest.mark.slow
def test_removing_a_filing_never_raises_credible_capacity():
    reg = synthetic(10, 40, rng=1)
    base = reg.check().coverage["credible"].to_numpy()
    for k in range(0, 40, 7):
        smaller = _with_filings(reg, reg.filings[:k] + reg.filings[k + 1 :])
        assert np.all(smaller.check().coverage["credible"].to_numpy() <= base + 1e-12)
