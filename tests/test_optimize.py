"""Design optimization against independent searches: a fine grid over two instruments and
the critical level of one."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design


@pytest.fixture(scope="module")
def model():
    return cg.load_model().policy_model()


def _fine_grid(model, instruments, ranges, n, *, target=None, budget=None):
    """The best objective over an n x n grid, evaluated directly."""
    goal = None if target is None else cg.Target(*target)
    lam = model.public_funds_cost
    best = np.inf
    for levels in itertools.product(*(np.linspace(lo, hi, n) for lo, hi in ranges)):
        design = cg.Design("grid", [i.with_level(v) for i, v in zip(instruments, levels)])
        outcome = evaluate_design(model, design)
        worst = outcome.worst
        if budget is not None and worst["fiscal_cost"] > budget:
            continue
        if goal is not None:
            if not goal.holds(outcome, design.apply(model)):
                continue
            value = (1 + lam) * worst["fiscal_cost"] + worst["actor_cost"]
        else:
            value = -worst["welfare"]
        best = min(best, value)
    return best


INSTRUMENTS = [cg.ComputeAccess(units=1.0), cg.PerformanceBond(amount=1.0)]


@pytest.mark.slow
def test_two_instruments_to_a_target_agree_with_a_fine_grid(model):
    found = cg.optimize_design(model, INSTRUMENTS, target=("credible_coverage", 0.4))
    assert found.feasible
    assert found.outcome.worst["credible_coverage"] >= 0.4
    fine = _fine_grid(model, INSTRUMENTS, [(0, 4), (0, 4)], 33, target=("credible_coverage", 0.4))
    assert found.objective <= fine * (1 + 1e-3)


@pytest.mark.slow
def test_two_instruments_within_a_budget_agree_with_a_fine_grid(model):
    found = cg.optimize_design(model, INSTRUMENTS, budget=20.0)
    assert found.feasible and found.outcome.worst["fiscal_cost"] <= 20.0
    fine = _fine_grid(model, INSTRUMENTS, [(0, 1), (0, 4)], 33, budget=20.0)
    assert found.objective >= -fine - 1e-3 * abs(fine)  # welfare at least the grid's best


def test_one_instrument_is_no_worse_than_its_critical_level(model):
    item = cg.ComputeAccess(units=1.0)
    target = ("credible_coverage", 0.3)
    found = cg.optimize_design(model, [item], target=target, grid=9, tol=1e-4)
    critical = cg.critical_level(model, item, target=target)
    at_critical = cg.Design("critical", [item.with_level(critical.level * (1 + 1e-9))])
    worst = evaluate_design(model, at_critical).worst
    cost = (1 + model.public_funds_cost) * worst["fiscal_cost"] + worst["actor_cost"]
    assert found.feasible
    assert found.objective <= cost * (1 + 1e-3)


def test_an_unreachable_target_and_bad_input_are_refused(model):
    with pytest.raises(cg.InvalidParameterError, match="target"):
        cg.optimize_design(model, [cg.PerformanceBond(amount=1.0)], target=("participation", 59))
    with pytest.raises(cg.InvalidParameterError, match="instruments"):
        cg.optimize_design(model, [], budget=1.0)
    with pytest.raises(cg.InvalidParameterError, match="instruments"):
        cg.optimize_design(model, [cg.PerformanceBond(), cg.PerformanceBond()], budget=1.0)
    with pytest.raises(cg.InvalidParameterError, match="budget"):
        cg.optimize_design(model, INSTRUMENTS, budget=float("nan"))
    with pytest.raises(cg.InvalidParameterError, match="target"):
        cg.optimize_design(model, INSTRUMENTS)
    with pytest.raises(cg.InvalidParameterError, match="bounds"):
        cg.optimize_design(model, INSTRUMENTS, budget=1.0, bounds={"PerformanceBond": (2, 1)})


def test_the_command_optimizes_a_design_of_the_model_file():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coordgap",
            "optimize",
            "--design",
            "compute_access",
            "--budget",
            "20",
            "--grid",
            "5",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["feasible"] and out["worst"]["fiscal_cost"] <= 20.0
    assert set(out["levels"]) == {"ComputeAccess"}
    for argv, needle in (
        (["--design", "compute_access"], "--target, --budget"),
        (["--design", "nope", "--budget", "1"], "no such design"),
        (["--design", "bond", "--target", "credible_coverage:x"], "VALUE"),
        (["--design", "bond", "--budget", "-1"], "--budget"),
    ):
        bad = subprocess.run(
            [sys.executable, "-m", "coordgap", "optimize", *argv], capture_output=True, text=True
        )
        assert bad.returncode == 2 and needle in bad.stderr, (argv, bad.stderr)
