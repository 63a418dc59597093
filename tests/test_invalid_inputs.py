"""Bad input to the preparedness game raises InvalidParameterError at once.

Every error names the parameter, the rule it breaks and the offending value, in the one
template "The 'x' parameter of PreparednessGame must be <rule>. Got <value> instead."
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import coordgap as cg
from coordgap.errors import InvalidParameterError

BASE = dict(share=[0.2, 0.3], cost=[1.0, 2.0], prob=0.5, harm=10.0, efficacy=1.0)

NUMERIC_SCALARS = ("prob", "harm", "efficacy", "cost_exponent", "ces_rho", "baseline")
NUMERIC_ACTORS = ("share", "cost", "weight", "cost_share")


def make(**changes):
    kwargs = dict(BASE)
    kwargs.update(changes)
    return cg.PreparednessGame(**kwargs)


def check_error(excinfo, name, rule, value):
    """The error is an InvalidParameterError/ValueError naming parameter, rule and value."""
    err = excinfo.value
    assert isinstance(err, InvalidParameterError)
    assert isinstance(err, ValueError)
    message = str(err)
    assert err.name == name
    assert message.startswith(f"The {name!r} parameter of PreparednessGame must be ")
    assert rule in message, message
    assert value.lower() in message.lower(), message
    assert " instead." in message


# -- the template itself --------------------------------------------------------------------
def test_template_reads_as_documented():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(cost_exponent=0.5)
    assert str(excinfo.value) == (
        "The 'cost_exponent' parameter of PreparednessGame must be "
        "a finite float >= 1. Got 0.5 instead."
    )


def test_per_actor_value_is_shown_unquoted_with_its_actor():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(cost=[1.0, -1.0], names=["lab_a", "cloud_b"])
    assert str(excinfo.value) == (
        "The 'cost' parameter of PreparednessGame must be a finite "
        'float > 0 for every actor. Got -1.0 at actor 1 ("cloud_b") '
        "instead."
    )


# -- cost <= 0 --------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [[1.0, 0.0], [1.0, -1.0], [-3.0, 2.0]])
def test_cost_must_be_positive(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(cost=bad)
    shown = min(v for v in bad if v <= 0)
    check_error(excinfo, "cost", "a finite float > 0 for every actor", repr(float(shown)))
    assert f"actor {bad.index(shown)}" in str(excinfo.value)


@pytest.mark.parametrize(
    "name, bad",
    [("cost", 0.0), ("cost", -1.0), ("share", 0.0), ("weight", 0.0), ("share", math.nan)],
)
def test_scalar_per_actor_value_out_of_bounds(name, bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(**{**dict(share=0.2, cost=1.0, n_actors=2), name: bad})
    check_error(excinfo, name, "for every actor", "nan" if math.isnan(bad) else repr(bad))


# -- share outside (0, 1] and sum of shares > 1 ---------------------------------------------
@pytest.mark.parametrize(
    "bad, where", [([0.0, 0.2], 0), ([0.2, -0.1], 1), ([1.5, 0.1], 0), ([0.1, 1.0 + 1e-9], 1)]
)
def test_share_outside_unit_interval(bad, where):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(share=bad)
    check_error(excinfo, "share", "a finite float > 0 and <= 1 for every actor", repr(bad[where]))
    assert f"actor {where}" in str(excinfo.value)


def test_share_of_one_is_allowed():
    assert make(share=[1.0], cost=[1.0]).n_actors == 1


@pytest.mark.parametrize("shares", [[0.6, 0.6], [0.5, 0.5, 0.1], [1.0, 1e-6]])
def test_sum_of_shares_above_one(shares):
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(share=shares, cost=1.0)
    check_error(excinfo, "share", "sum <= 1", "sum")
    total = float(np.sum(shares))
    assert re.search(r"sum '?" + re.escape(repr(total)[:6]), str(excinfo.value))


def test_sum_of_shares_above_one_from_broadcast_scalar():
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(share=0.3, cost=1.0, n_actors=4)
    check_error(excinfo, "share", "sum <= 1", "1.2")


def test_sum_of_shares_exactly_one_is_allowed():
    game = cg.PreparednessGame(share=[0.1] * 10, cost=1.0)  # sums to 0.9999999999999999
    assert game.n_actors == 10
    game = cg.PreparednessGame(share=[0.5, 0.5], cost=1.0)
    assert float(np.sum(game.share)) == 1.0


# -- prob outside [0, 1], cost exponent < 1, other scalar bounds ------------------------------
@pytest.mark.parametrize("bad", [-0.1, 1.5, -1e-12, 1.0 + 1e-9])
def test_prob_outside_unit_interval(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(prob=bad)
    check_error(excinfo, "prob", "a finite float >= 0 and <= 1", repr(bad))


@pytest.mark.parametrize("ok", [0.0, 1.0])
def test_prob_ends_are_allowed(ok):
    assert make(prob=ok).prob == ok


@pytest.mark.parametrize("bad", [0.5, 0.0, -2.0, 1.0 - 1e-9])
def test_cost_exponent_below_one(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(cost_exponent=bad)
    check_error(excinfo, "cost_exponent", "a finite float >= 1", repr(bad))


@pytest.mark.parametrize(
    "name, bad, rule",
    [
        ("harm", -1.0, "a finite float >= 0"),
        ("efficacy", 0.0, "a finite float > 0"),
        ("efficacy", -0.5, "a finite float > 0"),
        ("baseline", -1.0, "a finite float >= 0"),
        ("ces_rho", 2.0, "a finite float <= 1"),
    ],
)
def test_scalar_bounds(name, bad, rule):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: bad})
    check_error(excinfo, name, rule, repr(bad))


def test_ces_rho_zero_is_rejected_for_ces():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(aggregator="ces", ces_rho=0.0)
    check_error(excinfo, "ces_rho", "!= 0", "0.0")


@pytest.mark.parametrize("name, bad", [("weight", [1.0, 0.0]), ("weight", [-1.0, 1.0])])
def test_weight_must_be_positive(name, bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: bad})
    check_error(excinfo, name, "a finite float > 0 for every actor", "actor")


@pytest.mark.parametrize("bad", [[1.0, 0.0], [1.5, 1.0], [-0.2, 0.5]])
def test_cost_share_outside_unit_interval(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(cost_share=bad)
    check_error(excinfo, "cost_share", "a finite float > 0 and <= 1 for every actor", "actor")


# -- NaN and inf in every numeric parameter -----------------------------------------------------
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", NUMERIC_SCALARS)
def test_nonfinite_scalar(name, bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: bad})
    check_error(excinfo, name, "a finite float", "nan" if math.isnan(bad) else "inf")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", NUMERIC_ACTORS)
def test_nonfinite_per_actor(name, bad):
    values = {
        "share": [0.2, bad],
        "cost": [1.0, bad],
        "weight": [1.0, bad],
        "cost_share": [1.0, bad],
    }[name]
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: values})
    check_error(excinfo, name, "a finite float", "nan" if math.isnan(bad) else "inf")
    assert "actor 1" in str(excinfo.value)


@pytest.mark.parametrize("name", NUMERIC_ACTORS)
def test_nonfinite_per_actor_numpy_array(name):
    values = np.array([1e-3, np.nan]) if name == "share" else np.array([1.0, np.nan])
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: values})
    check_error(excinfo, name, "a finite float", "nan")


# -- lengths ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes",
    [
        dict(cost=[1.0, 2.0, 3.0]),
        dict(weight=[1.0, 1.0, 1.0]),
        dict(share=[0.1], cost=[1.0, 2.0, 3.0]),
        dict(names=["only_one"]),
        dict(roles=["a", "b", "c"]),
    ],
)
def test_mismatched_lengths(changes):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**changes)
    err = excinfo.value
    assert err.name in ("share", "cost", "weight", "names", "roles")
    message = str(err)
    assert "same length" in message
    assert "lengths" in message
    for key, value in changes.items():
        assert f"{key}={len(value)}" in message, message


def test_n_actors_mismatch():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(n_actors=3)
    message = str(excinfo.value)
    assert "same length" in message and "n_actors=3" in message and "share=2" in message


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_n_actors_must_be_positive_integer(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(share=0.1, cost=1.0, n_actors=bad)
    check_error(excinfo, "n_actors", "an integer", repr(bad))


def test_empty_actor_arrays():
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(share=[], cost=[])
    assert "at least one actor" in str(excinfo.value)


def test_two_dimensional_share():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(share=[[0.1, 0.2]])
    check_error(excinfo, "share", "1-D", "(1, 2)")


@pytest.mark.parametrize(
    "name, bad", [("prob", "0.5"), ("harm", True), ("cost", "1.0"), ("share", None)]
)
def test_wrong_types(name, bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: bad})
    assert excinfo.value.name == name


# -- unknown aggregator, with a did-you-mean -------------------------------------------------------
@pytest.mark.parametrize(
    "bad, suggestion",
    [
        ("summ", "sum"),
        ("weakest-link", "weakest_link"),
        ("best shot", "best_shot"),
        ("CES", None),
        ("sum ", "sum"),
    ],
)
def test_unknown_aggregator(bad, suggestion):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(aggregator=bad)
    check_error(
        excinfo, "aggregator", "one of 'sum', 'ces', 'weakest_link', 'best_shot'", repr(bad)
    )
    message = str(excinfo.value)
    if suggestion is not None:
        assert f"Did you mean {suggestion!r}?" in message
    else:
        assert "Did you mean" in message or "Valid choices" in message


def test_unrelated_aggregator_lists_the_choices():
    with pytest.raises(InvalidParameterError) as excinfo:
        make(aggregator="xyz")
    assert "Valid choices: 'sum', 'ces', 'weakest_link', 'best_shot'." in str(excinfo.value)


# -- the façade -----------------------------------------------------------------------------------
def test_solve_unknown_method_did_you_mean():
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.solve(make(cost_exponent=2.0), method="agregative")
    message = str(excinfo.value)
    assert "'method'" in message and "Did you mean 'aggregative'?" in message


@pytest.mark.parametrize("func", [cg.solve, cg.optimum])
def test_facade_rejects_non_games(func):
    with pytest.raises(InvalidParameterError) as excinfo:
        func([[1, 2], [3, 4]])
    assert "'game'" in str(excinfo.value) and "list" in str(excinfo.value)


def test_replace_validates_again():
    game = make()
    with pytest.raises(InvalidParameterError) as excinfo:
        game.replace(prob=2.0)
    check_error(excinfo, "prob", "<= 1", "2.0")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_nonfinite_n_actors(bad):
    with pytest.raises(InvalidParameterError) as excinfo:
        cg.PreparednessGame(share=0.1, cost=1.0, n_actors=bad)
    check_error(excinfo, "n_actors", "an integer >= 1", "nan" if math.isnan(bad) else "inf")


@pytest.mark.parametrize("name", NUMERIC_SCALARS)
def test_numpy_nan_scalar(name):
    with pytest.raises(InvalidParameterError) as excinfo:
        make(**{name: np.float64("nan")})
    check_error(excinfo, name, "a finite float", "nan")


def test_huge_values_are_rejected_with_the_magnitude_rule():
    with pytest.raises(
        cg.InvalidParameterError, match=r"magnitude between 1e-150 and 1e\+150.*1e\+200 at actor 1"
    ):
        cg.PreparednessGame(share=0.1, cost=[1.0, 1e200], n_actors=2)
    with pytest.raises(cg.InvalidParameterError, match="'harm' parameter"):
        cg.PreparednessGame(share=0.1, cost=1.0, harm=1e300)
