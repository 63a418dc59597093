"""Readouts are grammatical sentences with units and, where equilibria differ, ranges.

The expectations are written here, independently of the formatting code: the numbers are read
back out of the sentences with regular expressions and compared with the result fields they
describe; the units are the declared units of the parameters (the model's period is one year,
as ``coordgap.spec.units`` defines ``period = year``).
"""

import re

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design, readout
from coordgap.cli import main
from coordgap.params import parameters
from coordgap.results import format_number, format_quantity, format_range, format_unit
from coordgap.spec.units import convert

NUMBER = r"-?[\d,]+(?:\.\d+)?"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _sentences(text: str) -> list[str]:
    """Split at ". " followed by a capital letter (numbers such as 0.5 are not split)."""
    return [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text.strip()) if s]


def _is_sentence(text: str) -> bool:
    return text[:1].isupper() and text.endswith(".") and "  " not in text


# -- number and unit formatting: closed cases --------------------------------------------------
def test_period_is_a_year_so_per_period_reads_per_year():
    # the unit registry says a period is a year; the readouts must say "per year"
    assert convert(1.0, "USD m per period", "USD m per year") == pytest.approx(1.0)
    assert format_unit("USD m per period") == "USD m per year"
    assert format_unit("1") == "" and format_unit("actors", 1) == "actor"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (45, "45"),
        (45.0, "45"),
        (0.125, "0.125"),
        (-922.13, "-922"),
        (1234.4, "1,234"),
        (float("nan"), "—"),
        (float("inf"), "unbounded"),
        (None, "—"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_no_raw_nan_or_inf_in_quantities_and_ranges():
    for value in (float("nan"), float("inf"), -float("inf")):
        for unit in ("USD m per period", "%", "1", "actors"):
            for text in (format_quantity(value, unit), format_range(value, 1.0, unit)):
                assert not re.search(r"\b(nan|inf)\b", text, re.IGNORECASE), text


def test_range_over_equilibria_states_its_reading():
    assert format_range(12, 45, "actors") == "between 12 and 45 actors (worst to best equilibrium)"
    assert format_range(0.1, 0.25, "%") == "between 10% and 25% (worst to best equilibrium)"
    assert format_range(6.0, 6.0, "USD m per period") == "6 USD m per year"


# -- instrument descriptions: the declared unit of every level appears --------------------------
INSTRUMENTS = [
    (cg.PerformanceBond(amount=2.0), r"a performance bond of (N) USD m per filer", 2.0),
    (
        cg.ComputeAccess(units=1.0),
        r"compute access worth (N) USD m per year per filer, paid from public funds",
        1.0,
    ),
    (
        cg.ProcurementPreference(margin=0.1, volume=10.0),
        r"a (N)% procurement price preference on 10 USD m per year of public contracts",
        10.0,
    ),
    (
        cg.RegulatoryFlexibility(relief=0.3),
        r"regulatory relief worth (N) USD m per year per filer",
        0.3,
    ),
    (cg.AssuranceRefund(threshold=30, bonus=0.05), r"binding from (N) filers", 30.0),
]


@pytest.mark.parametrize(("item", "pattern", "number"), INSTRUMENTS)
def test_instrument_descriptions_carry_numbers_and_units(item, pattern, number):
    text = item.describe()
    match = re.search(pattern.replace("N", NUMBER), text)
    assert match, text
    assert _num(match.group(1)) == pytest.approx(number)
    # the old garbled forms are gone
    assert "of contracts" not in text and "at public cost" not in text.removesuffix("funds")


def test_every_instrument_description_names_the_unit_of_its_level():
    for item, *_ in INSTRUMENTS:
        unit = parameters(item)[item.level].unit
        shown = format_unit(unit)
        if shown == "actors":  # "filer" is the unit registry's other name for an actor
            assert convert(1.0, "actors", "filers") == 1.0 and "filers" in item.describe()
        elif shown:  # a dimensionless level is a share, written with %
            assert shown in item.describe(), (type(item).__name__, item.describe())
        else:
            assert "%" in item.describe()


# -- comparison readouts: sentences whose numbers are the outcome's numbers ----------------------
@pytest.fixture(scope="module")
def default_comparison():
    spec = cg.load_model()
    return spec, cg.compare(spec.policy_model(), spec.designs)


def test_compare_readouts_are_sentences_with_units(default_comparison):
    _, comparison = default_comparison
    for outcome, text in zip(comparison.outcomes, comparison.readouts):
        sentences = _sentences(text)
        assert len(sentences) >= 3, text
        assert all(_is_sentence(s) for s in sentences), sentences
        assert "USD m per year" in text and "of the required capacity" in text
        assert not re.search(r"\b(nan|inf)\b", text)
        n = outcome.n_actors
        pw, pb = outcome.worst["participation"], outcome.best["participation"]
        between = re.search(r"between (\d+) and (\d+) of (\d+) actors file", text)
        every = re.search(r"(\d+) of (\d+) actors? files? in every equilibrium", text)
        everyone = re.search(r"all (\d+) actors file", text)
        if pw != pb:
            assert between and (int(between[1]), int(between[2]), int(between[3])) == (pw, pb, n)
            assert "(worst to best equilibrium)" in text
        elif outcome.full_participation_unique:
            assert everyone and int(everyone[1]) == n == pw
        else:
            assert every and (int(every[1]), int(every[2])) == (pw, n)
        fiscal = re.search(rf"fiscal cost is (?:between )?({NUMBER})(?: and ({NUMBER}))?", text)
        assert fiscal, text
        assert _num(fiscal[1]) == pytest.approx(outcome.worst["fiscal_cost"], rel=5e-3, abs=5e-3)
        high = _num(fiscal[2]) if fiscal[2] else _num(fiscal[1])
        assert high == pytest.approx(outcome.best["fiscal_cost"], rel=5e-3, abs=5e-3)
        cover = re.search(rf"Credible coverage is (?:between )?({NUMBER})%", text)
        assert cover, text
        assert _num(cover[1]) / 100 == pytest.approx(
            outcome.worst["credible_coverage"], rel=5e-3, abs=5e-5
        )


def test_readout_of_one_design_reads_as_prose():
    model = cg.PolicyModel.default()
    design = cg.Design("compute", [cg.ComputeAccess(units=1.0)])
    outcome = evaluate_design(model, design)
    text = readout(outcome, design)
    assert text.startswith("With compute access worth 1 USD m per year per filer")
    assert all(_is_sentence(s) for s in _sentences(text))


def test_cli_compare_prints_sentences(capsys):
    assert main(["compare"]) == 0
    out = capsys.readouterr().out
    lines = out.split("Readouts:")[1].split("Pareto frontier")[0].strip().splitlines()
    assert len(lines) >= 2
    for line in lines:
        name, _, text = line.strip().partition(": ")
        assert name and _is_sentence(text), line


def test_cli_solve_ends_with_a_sentence(capsys):
    assert main(["solve"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert _is_sentence(last) and last.startswith("The price of anarchy is"), last
    assert "actors invest nothing in the worst equilibrium" in last


def test_registry_check_messages_carry_capacity_units(capsys):
    main(["registry", "check"])
    out = capsys.readouterr().out
    gaps = [line for line in out.splitlines() if "[gap]" in line]
    assert gaps
    for line in gaps:
        assert "capacity unit" in line and re.search(r"within \d+(\.\d+)? h", line), line
        needs = re.search(rf"needs ({NUMBER}) capacity units?", line)
        assert needs, line
        if "of which" in line:  # committed, credible and short are all in capacity units
            credible = re.search(rf"of which ({NUMBER}) capacity units? (is|are) credible", line)
            short = re.search(rf"({NUMBER}) capacity units? short", line)
            assert credible and short, line
            # the shortfall is the requirement less the credible capacity (each printed to
            # three significant digits, so each may be off by half a unit in the third digit)
            slack = 0.005 * (_num(needs[1]) + _num(credible[1])) + 0.005 * _num(short[1])
            assert abs(_num(short[1]) - (_num(needs[1]) - _num(credible[1]))) <= slack, line
            assert (credible[2] == "is") == (credible[1] == "1"), line


def test_instrument_quantity_uses_the_declared_unit():
    bond = cg.PerformanceBond(amount=2.5)
    assert bond.quantity("amount") == "2.5 USD m"
    assert cg.ComputeAccess(units=3.0).quantity("units") == "3 USD m per year"
    assert np.isfinite(bond.amount)
