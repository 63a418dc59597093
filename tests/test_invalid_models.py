"""A corpus of invalid model files: each gives exit status 2 and its message, never a traceback.

Every file in ``tests/invalid_models/`` is a small valid model with one kind of mistake (its first
line says which). The table below lists the message fragments each must produce — dotted path,
rule and offending value — under both ``coordgap check`` and ``coordgap compare``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coordgap.cli import main

CORPUS = Path(__file__).parent / "invalid_models"

EXPECTED = {
    "bad_toml_syntax": ["TOML syntax error", "at line 35"],
    "unknown_section": ["preparednes: unknown key", "Did you mean 'preparedness'?"],
    "unknown_keys": ["8 problems found",
                     "model.titel: unknown key. Did you mean 'title'?",
                     "preparedness.harms: unknown key. Did you mean 'harm'?",
                     "participation.steepnes: unknown key. Did you mean 'steepness'?",
                     "commitment.trigger: unknown key. Did you mean 'trigger_prob'?",
                     "actors.ai_developer.counts: unknown key. Did you mean 'count'?",
                     "actors.ai_developer.share.units: unknown key. Did you mean 'unit'?",
                     "actors.ai_developer.registry.join_cots: unknown key. "
                     "Did you mean 'join_cost'?",
                     "designs.bond.descripton: unknown key. Did you mean 'description'?"],
    "nan_value": ["preparedness.prob: must be a finite float >= 0 and <= 1, got nan"],
    "inf_value": ["preparedness.harm: must be a finite float >= 0, got inf"],
    "negative_cost": ["actors.ai_developer.cost: must be a finite float > 0, got -1"],
    # 2 developers × 0.3 + 4 civil-society organizations × 0.2 = 1.4
    "share_sum": ["actors: the benefit shares must sum to at most 1", "got 1.4"],
    "wrong_types": ["3 problems found",
                    "preparedness.harm: must be a finite float >= 0, got 'large'",
                    "actors.civil_society.count: must be an integer >= 1, got 2.5",
                    "actors.civil_society.share: must be a finite float > 0 and <= 1, got True"],
    "bad_choice": ["participation.critical_mass: must be one of 'none', 'step', 'logistic', "
                   "got 'logistc'", "Did you mean 'logistic'?"],
    "bad_bounds": ["3 problems found",
                   "commitment.discount: must be a finite float >= 0 and < 1, got 1.0",
                   "commitment.trigger_prob: must be a finite float >= 0 and <= 1, got 1.5",
                   "commitment.required: must be a finite float > 0, got 0.0"],
    "bad_registry_values": [
        "3 problems found",
        "actors.ai_developer.registry.capacity: must be a finite float >= 0, got 'lots'",
        "actors.ai_developer.registry.liability: must be a finite float >= 0, got nan",
        "actors.ai_developer.registry.response_cost_sigma: must be a finite float > 0, got -0.5"],
    "quantity_without_value": ["actors.ai_developer.share: a quantity table needs a 'value' key"],
    "names_length": ["actors.ai_developer.names: must be a list of 2 strings, got ['lab_alpha']"],
    "unknown_instrument": ["designs.bond.instruments[0].type: unknown instrument "
                           "'PerformanceBnd'", "Did you mean 'PerformanceBond'?"],
    "unknown_role": ["designs.bond.instruments[0].roles: unknown role 'ai_developr'",
                     "Did you mean 'ai_developer'?"],
    "unknown_instrument_parameter": ["designs.bond.instruments[0].amont: unknown key",
                                     "Did you mean 'amount'?"],
    "instrument_bad_value": ["designs.bond.instruments[0].amount: must be a finite float >= 0, "
                             "got -1.0"],
    "instruments_not_list": ["designs.bond.instruments: must be a list of instrument tables"],
    "figure_unknown_design": ["figures.bond_curve.design: unknown design 'bnd'",
                              "Did you mean 'bond'?"],
    "figure_bad_kind": ["3 problems found", "figures.chart.kind: must be one of",
                        "got 'pie'", "figures.robust.n: must be an integer >= 1, got -5",
                        "figures.robust.distributions: must be a table"],
    "instrument_two_bad_values": ["2 problems found",
                                  "designs.bond.instruments[0].amount: must be",
                                  "designs.bond.instruments[0].per: must be one of 'filer', "
                                  "'capacity', got 'actor'"],
    "instrument_type_not_string": ["designs.bond.instruments[0].type: must be"],
    "wrong_unit": ["actors.ai_developer.share", "unit"],
    "dangling_role_value": ["designs.bond.instruments[0].role_value", "ai_developr"],
}

KNOWN_PROBLEMS: dict = {}  # every loader problem found so far is fixed


def _cases():
    return [pytest.param(name, marks=KNOWN_PROBLEMS.get(name, ()), id=name)
            for name in sorted(EXPECTED)]


def test_corpus_and_table_agree():
    files = {p.stem for p in CORPUS.glob("*.toml")}
    assert files == set(EXPECTED)
    assert len(files) - len(KNOWN_PROBLEMS) >= 10
    for path in CORPUS.glob("*.toml"):
        assert path.read_text(encoding="utf-8").startswith("# Invalid model file: ")


@pytest.mark.parametrize("command", ["check", "compare"])
@pytest.mark.parametrize("name", _cases())
def test_invalid_model_exits_2_with_message(name, command, capsys):
    path = CORPUS / f"{name}.toml"
    status = main([command, str(path)])
    out, err = capsys.readouterr()
    assert status == 2, f"exit status {status}; stdout: {out!r}"
    assert "Traceback" not in err and "Traceback" not in out
    for fragment in EXPECTED[name]:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    # every problem line names the file it comes from
    assert f"{path}: " in err


def test_console_script_exits_2_without_traceback():
    script = Path(sys.executable).with_name("coordgap")
    if not script.exists():
        pytest.skip("the coordgap console script is not installed next to this Python")
    path = CORPUS / "negative_cost.toml"
    run = subprocess.run([str(script), "compare", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "actors.ai_developer.cost: must be a finite float > 0, got -1" in run.stderr
    assert run.stdout == ""
