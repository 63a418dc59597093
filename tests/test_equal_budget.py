"""Equal-budget comparisons: each design's levels scaled to one fiscal cost."""

from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design, scale_to_budget


@pytest.fixture(scope="module")
def spec():
    return cg.load_model()


def _design(spec, name):
    return next(d for d in spec.designs if d.name == name)


def test_a_design_that_can_spend_the_budget_spends_it_exactly(spec):
    model = spec.policy_model()
    design = _design(spec, "compute_access")
    scaled = scale_to_budget(model, design, 20.0)
    assert scaled.reached and scaled.fiscal_cost == pytest.approx(20.0, rel=1e-6)
    # Independently: compute access costs units × discount per eligible member.
    (item,) = scaled.design.instruments
    assert item.units == pytest.approx(design.instruments[0].units * scaled.factor)
    outcome = evaluate_design(model, scaled.design)
    members = outcome.worst["participation"]
    assert item.roles is None  # the packaged design grants every role
    assert item.units * item.discount * members == pytest.approx(20.0, rel=1e-6)


def test_a_cost_that_jumps_past_the_budget_stops_below_it(spec):
    model = spec.policy_model()
    scaled = scale_to_budget(model, _design(spec, "procurement"), 20.0)
    assert not scaled.reached and scaled.fiscal_cost <= 20.0
    assert "jumps past the budget" in scaled.message
    above = [i.with_level(i.size * (1 + 1e-6)) for i in scaled.design.instruments]
    cost = evaluate_design(model, cg.Design("procurement", above)).worst["fiscal_cost"]
    assert cost > 20.0  # the next step up is over the budget


def test_designs_without_fiscal_cost_keep_their_levels(spec):
    model = spec.policy_model()
    for name in ("bond", "regulatory_flexibility"):
        scaled = scale_to_budget(model, _design(spec, name), 20.0)
        assert scaled.factor == 1.0 and not scaled.reached
        assert "compared at its own levels" in scaled.message


def test_compare_at_equal_budgets(spec):
    result = cg.compare(spec.policy_model(), spec.designs, budget=20.0)
    assert [b.design.name for b in result.budgets] == [o.design for o in result.outcomes]
    for outcome, scaling in zip(result.outcomes, result.budgets):
        assert outcome.worst["fiscal_cost"] == pytest.approx(scaling.fiscal_cost)
        assert outcome.worst["fiscal_cost"] <= 20.0 * (1 + 1e-6)
    with pytest.raises(cg.InvalidParameterError, match="budget"):
        cg.compare(spec.policy_model(), spec.designs, budget=-1.0)


def test_the_command_compares_at_equal_budgets():
    run = subprocess.run(
        [sys.executable, "-m", "coordgap", "compare", "--budget", "20", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["budget"] == 20.0
    reached = {row["design"]: row["reached"] for row in out["scaling"]}
    assert reached["compute_access"] is True
    bad = subprocess.run(
        [sys.executable, "-m", "coordgap", "compare", "--budget", "inf"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "--budget" in bad.stderr


def test_the_report_shows_the_scaling(tmp_path, spec):
    out = tmp_path / "report.html"
    subprocess.run(
        [sys.executable, "-m", "coordgap", "compare", "--budget", "20", "--html", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = out.read_text(encoding="utf-8")
    assert "<h2>Equal budgets: 20 USD m per year</h2>" in text
    assert "budget reached" in text and "jumps past the budget" in text
    # the designs are described at their scaled levels
    scaled = scale_to_budget(spec.policy_model(), _design(spec, "compute_access"), 20.0)
    assert html.escape(scaled.design.describe()) in text
