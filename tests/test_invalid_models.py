"""A corpus of invalid model files: each gives exit status 2 and its message, never a traceback.

Every file in ``tests/invalid_models/`` is a small valid model with one kind of mistake (its first
line says which). The table below lists the message fragments each must produce — dotted path,
rule and offending value — under both ``coordgap check`` and ``coordgap compare``.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from coordgap.cli import main

CORPUS = Path(__file__).parent / "invalid_models"

EXPECTED = {
    "bad_toml_syntax": ["TOML syntax error", "at line 35"],
    "unknown_section": ["preparednes: unknown key", "Did you mean 'preparedness'?"],
    "unknown_keys": [
        "8 problems found",
        "model.titel: unknown key. Did you mean 'title'?",
        "preparedness.harms: unknown key. Did you mean 'harm'?",
        "participation.steepnes: unknown key. Did you mean 'steepness'?",
        "commitment.trigger: unknown key. Did you mean 'trigger_prob'?",
        "actors.ai_developer.counts: unknown key. Did you mean 'count'?",
        "actors.ai_developer.share.units: unknown key. Did you mean 'unit'?",
        "actors.ai_developer.registry.join_cots: unknown key. Did you mean 'join_cost'?",
        "designs.bond.descripton: unknown key. Did you mean 'description'?",
    ],
    "nan_value": ["preparedness.prob: must be a finite float >= 0 and <= 1, got nan"],
    "inf_value": ["preparedness.harm: must be a finite float >= 0, got inf"],
    "negative_cost": ["actors.ai_developer.cost: must be a finite float > 0, got -1"],
    # 2 developers × 0.3 + 4 civil-society organizations × 0.2 = 1.4
    "share_sum": ["actors: the benefit shares must sum to at most 1", "got 1.4"],
    "wrong_types": [
        "3 problems found",
        "preparedness.harm: must be a finite float >= 0, got 'large'",
        "actors.civil_society.count: must be an integer >= 1 and <= 1000000, got 2.5",
        "actors.civil_society.share: must be a finite float > 0 and <= 1, got True",
    ],
    "bad_choice": [
        "participation.critical_mass: must be one of 'none', 'step', 'logistic', got 'logistc'",
        "Did you mean 'logistic'?",
    ],
    "bad_bounds": [
        "3 problems found",
        "commitment.discount: must be a finite float >= 0 and < 1, got 1.0",
        "commitment.trigger_prob: must be a finite float >= 0 and <= 1, got 1.5",
        "commitment.required: must be a finite float > 0, got 0.0",
    ],
    "bad_registry_values": [
        "3 problems found",
        "actors.ai_developer.registry.capacity: must be a finite float >= 0, got 'lots'",
        "actors.ai_developer.registry.liability: must be a finite float >= 0, got nan",
        "actors.ai_developer.registry.response_cost_sigma: must be a finite float > 0, got -0.5",
    ],
    "quantity_without_value": ["actors.ai_developer.share: a quantity table needs a 'value' key"],
    "names_length": ["actors.ai_developer.names: must be a list of 2 strings, got ['lab_alpha']"],
    "unknown_instrument": [
        "designs.bond.instruments[0].type: unknown instrument 'PerformanceBnd'",
        "Did you mean 'PerformanceBond'?",
    ],
    "unknown_role": [
        "designs.bond.instruments[0].roles: unknown role 'ai_developr'",
        "Did you mean 'ai_developer'?",
    ],
    "unknown_instrument_parameter": [
        "designs.bond.instruments[0].amont: unknown key",
        "Did you mean 'amount'?",
    ],
    "instrument_bad_value": [
        "designs.bond.instruments[0].amount: must be a finite float >= 0, got -1.0"
    ],
    "instruments_not_list": ["designs.bond.instruments: must be a list of instrument tables"],
    "figure_unknown_design": [
        "figures.bond_curve.design: unknown design 'bnd'",
        "Did you mean 'bond'?",
    ],
    "figure_bad_kind": [
        "3 problems found",
        "figures.chart.kind: must be one of",
        "got 'pie'",
        "figures.robust.n: must be an integer >= 1, got -5",
        "figures.robust.distributions: must be a table",
    ],
    "instrument_two_bad_values": [
        "2 problems found",
        "designs.bond.instruments[0].amount: must be",
        "designs.bond.instruments[0].per: must be one of 'filer', 'capacity', got 'actor'",
    ],
    "instrument_type_not_string": ["designs.bond.instruments[0].type: must be"],
    "wrong_unit": ["actors.ai_developer.share", "unit"],
    "dangling_role_value": ["designs.bond.instruments[0].role_value", "ai_developr"],
    "incompatible_unit": [
        "1 problem found",
        "preparedness.harm.unit: 'capacity units' cannot "
        "be converted to the parameter's unit 'USD m'",
    ],
    "unparseable_unit": [
        "preparedness.harm.unit: cannot read the unit 'USD m per widget'",
        "'widget' is not a known unit",
    ],
    "missing_harm": ["1 problem found", "preparedness.harm: is required"],
    "missing_commitment": [
        "3 problems found",
        "commitment.discount: is required",
        "commitment.carry_rate: is required",
        "commitment.trigger_prob: is required",
    ],
    "huge_count": [
        "actors.civil_society.count: must be an integer >= 1 and <= 1000000, got 1000000000000"
    ],
    "integer_too_large": [
        "preparedness.harm: must be a finite float >= 0, got an integer of "
        "about 401 digits, too large for a float"
    ],
    "magnitude": [
        "actors.ai_developer.registry.liability: must be 0 or a float of magnitude "
        "between 1e-150 and 1e+150",
        "got 1e-200",
    ],
    "ces_rho_zero": ["preparedness.ces_rho: must be a finite float <= 1 and != 0, got 0.0"],
    "missing_registry_key": [
        "1 problem found",
        "actors.civil_society.registry.join_cost: is required",
    ],
    "bad_welfare": ["welfare.public_funds_cost: must be a finite float >= 0, got -0.1"],
}

KNOWN_PROBLEMS: dict = {}  # every loader problem found so far is fixed


def _cases():
    return [
        pytest.param(name, marks=KNOWN_PROBLEMS.get(name, ()), id=name) for name in sorted(EXPECTED)
    ]


def test_corpus_and_table_agree():
    files = {p.stem for p in CORPUS.glob("*.toml")}
    assert files == set(EXPECTED)
    assert len(files) - len(KNOWN_PROBLEMS) >= 10
    for path in CORPUS.glob("*.toml"):
        assert path.read_text(encoding="utf-8").startswith("# Invalid model file: ")


@pytest.mark.slow
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


def _problem_lines(err: str, path: Path) -> list[str]:
    return sorted(
        line[line.index(f"{path}: ") :] for line in err.splitlines() if f"{path}: " in line
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.toml")), ids=lambda p: p.stem)
def test_check_and_compare_report_the_same_problems(path, capsys):
    """check == compare: both exit 2 on every file of the corpus, with the same problems."""
    lines = {}
    for command in ("check", "compare"):
        assert main([command, str(path)]) == 2, command
        lines[command] = _problem_lines(capsys.readouterr().err, path)
        assert lines[command], command
    assert lines["check"] == lines["compare"]


ROOT = Path(__file__).parent.parent
PACKAGED = Path(str(resources.files("coordgap.data").joinpath("default_model.toml")))
# Every valid model file of the repository, each once (models/default.toml may be a link to the
# packaged default): the model directory, the packaged default and the valid test fixtures.
VALID = sorted(
    {
        p.resolve(): p
        for p in [
            PACKAGED,
            *(ROOT / "models").glob("*.toml"),
            *(Path(__file__).parent / "valid_models").glob("*.toml"),
        ]
    }.values()
)


@pytest.mark.slow
@pytest.mark.parametrize("path", VALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_check_ok_implies_compare_ok(path, capsys):
    """If check says ok, compare runs. A preparedness-only file is the one exception, and
    both commands say so: check says what compare needs, compare lists the missing paths."""
    from coordgap.spec import load_model

    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    checked = capsys.readouterr().out
    spec = load_model(path)
    if not spec.has_registry:
        assert "preparedness only" in checked
        assert main(["solve", str(path)]) == 0
        capsys.readouterr()
        assert main(["compare", str(path)]) == 2
        err = capsys.readouterr().err
        for group in spec.actors:
            assert f"actors.{group.role}.registry: is required" in err
        assert "commitment.discount: is required" in err
        return
    assert main(["compare", "--json", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()


@pytest.mark.slow
def test_console_script_exits_2_without_traceback():
    script = Path(sys.executable).with_name("coordgap")
    if not script.exists():
        pytest.skip("the coordgap console script is not installed next to this Python")
    path = CORPUS / "negative_cost.toml"
    run = subprocess.run(
        [str(script), "compare", str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "actors.ai_developer.cost: must be a finite float > 0, got -1" in run.stderr
    assert run.stdout == ""
