"""N-player games: every equilibrium of binary-action games; symmetric binary games to N=1000.

Expected values: closed forms for the threshold public good, brute force for pure
equilibria, and two independent algebraic methods (exact Groebner bases in sympy against
box subdivision with Krawczyk proofs) on random games.
"""

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import coordgap as cg
from coordgap.solvers.binary_symmetric import bernstein_roots
from coordgap.solvers.n_player import solve_binary_actions

R3 = math.sqrt(3) / 6


def _contribute_probabilities(eqs):
    return sorted(tuple(round(float(s[0]), 12) for s in e.strategies) for e in eqs)


def test_threshold_public_good_three_players_all_equilibria():
    # Each gains 3 if at least 2 of 3 contribute, contributing costs 1. Closed forms:
    # a contributor's gain from contributing is 3·P(exactly one other contributes) − 1.
    # Pure: nobody; exactly two. Partly mixed: one contributes, the other two contribute with
    # q where 3(1 − q) = 1, q = 2/3 (the contributor's gain 3·2q(1 − q) − 1 = 1/3 >= 0).
    # Totally mixed: 3·2p(1 − p) = 1, p = 1/2 ± sqrt(3)/6 (symmetric only: subtracting two
    # indifference conditions gives (p_i − p_j)(1 − 2p_k) = 0 and p_k = 1/2 is infeasible).
    g = cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1).to_normal_form()
    eqs = cg.solve(g)
    q = 2 / 3
    expected = sorted(
        tuple(round(v, 12) for v in p)
        for p in [
            (0, 0, 0),
            (1, 1, 0),
            (1, 0, 1),
            (0, 1, 1),
            (1, q, q),
            (q, 1, q),
            (q, q, 1),
            (0.5 - R3,) * 3,
            (0.5 + R3,) * 3,
        ]
    )
    assert _contribute_probabilities(eqs) == expected
    assert eqs.complete and not eqs.continuum and eqs.method == "support-polynomial"
    assert all(e.max_regret <= 1e-12 for e in eqs)
    for e in eqs:  # rational equilibria are certified in exact arithmetic
        if all(
            min(abs(float(v) - r) for r in (0, 1, q)) < 1e-12 for v in (s[0] for s in e.strategies)
        ):
            assert e.exact and e.max_regret == 0.0
            assert {v[0] for v in e.exact_strategies} <= {F(0), F(1), F(2, 3)}


def test_threshold_public_good_symmetric_solver_closed_form():
    eqs = cg.solve(cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1))
    probs = [e.probability for e in eqs]
    assert probs[0] == 0.0
    np.testing.assert_allclose(probs[1:], [0.5 - R3, 0.5 + R3], rtol=0, atol=1e-14)
    assert eqs.complete and eqs.details["symmetric_only"]
    assert eqs.least.probability == 0.0 and eqs.greatest.probability == pytest.approx(0.5 + R3)


@pytest.mark.slow
@pytest.mark.parametrize(
    "n_players, threshold",
    [(10, 2), (10, 5), (10, 10), (100, 30), (100, 100), (1000, 2), (1000, 500), (1000, 1000)],
)
def test_threshold_games_large_n_against_independent_root_finding(n_players, threshold):
    # Gain of contributing = b·Binom(T−1; N−1, p) − c. The pmf is unimodal in p with its
    # maximum at p* = (T−1)/(N−1): two roots if b·pmf(p*) > c (one if T = 1 or T = N).
    benefit = 1.5 / stats.binom.pmf(threshold - 1, n_players - 1, (threshold - 1) / (n_players - 1))
    cost = 1.0
    eqs = cg.solve(
        cg.SymmetricBinaryGame.threshold_public_good(
            n_players, threshold, benefit=benefit, cost=cost
        )
    )

    def log_gain(p):
        return math.log(benefit) + stats.binom.logpmf(threshold - 1, n_players - 1, p)

    peak = (threshold - 1) / (n_players - 1)
    roots = []
    if peak > 0:
        roots.append(optimize.brentq(log_gain, 1e-300, peak, xtol=1e-300, rtol=1e-15))
    if peak < 1:
        roots.append(optimize.brentq(log_gain, peak, 1 - 1e-16, xtol=1e-300, rtol=1e-15))
    mixed = [e.probability for e in eqs if e.kind == "mixed"]
    np.testing.assert_allclose(mixed, roots, rtol=1e-9)
    pure = [e.probability for e in eqs if e.kind == "pure"]
    assert pure == ([0.0, 1.0] if threshold == n_players else [0.0])
    assert eqs.complete and all(e.max_regret <= 1e-9 * benefit for e in eqs)


def test_root_near_zero_is_not_lost():
    # T = 1: gain b(1 − p)^(N−1) − c, root 1 − (c/b)^(1/(N−1)) ≈ 1e-12 for N = 1000.
    n_players, benefit, cost = 1000, 1.0 + 1e-9, 1.0
    eqs = cg.solve(
        cg.SymmetricBinaryGame.threshold_public_good(n_players, 1, benefit=benefit, cost=cost)
    )
    expected = -math.expm1(math.log(cost / benefit) / (n_players - 1))
    mixed = [e.probability for e in eqs if e.kind == "mixed"]
    assert len(mixed) == 1
    assert mixed[0] == pytest.approx(expected, rel=1e-6)
    assert expected < 2e-12


def test_bernstein_roots_double_and_end_roots():
    # (1 − 2p)^2: one double root; p(1 − p): roots only at the ends (not in (0, 1)).
    roots, ok = bernstein_roots([1.0, -1.0, 1.0])
    assert ok and roots == pytest.approx([0.5])
    assert bernstein_roots([0.0, 0.5, 0.0])[0] == []
    assert bernstein_roots(np.zeros(4)) == ([], True)


def test_indifferent_everywhere_is_a_continuum():
    eqs = cg.solve(cg.SymmetricBinaryGame([1, 1, 1], [1, 1, 1]))
    assert eqs.continuum and [e.probability for e in eqs] == [0.0, 1.0]


def test_symmetric_binary_bad_input():
    with pytest.raises(cg.InvalidParameterError, match="'threshold' parameter"):
        cg.SymmetricBinaryGame.threshold_public_good(3, 4)
    with pytest.raises(cg.InvalidParameterError, match="finite"):
        cg.SymmetricBinaryGame([1, np.nan], [0, 0])
    with pytest.raises(cg.InvalidParameterError, match="'payoff_1' parameter"):
        cg.SymmetricBinaryGame([1, 2], [0])
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'bernstein'"):
        cg.solve(cg.SymmetricBinaryGame([1, 2], [0, 0]), method="bernstien")


def _brute_force_pure(payoffs):
    shape = payoffs.shape[:-1]
    out = set()
    for profile in itertools.product(*(range(k) for k in shape)):
        if all(
            payoffs[profile + (i,)]
            >= max(payoffs[profile[:i] + (d,) + profile[i + 1 :] + (i,)] for d in range(shape[i]))
            for i in range(len(shape))
        ):
            out.add(tuple(float(a == 0) for a in profile))
    return out


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.integers(2, 3), st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_binary_games_two_independent_methods_agree(n_players, seed, spread):
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(-spread, spread + 1, size=(2,) * n_players + (n_players,))
    g = cg.NormalFormGame(payoffs)
    by_boxes = solve_binary_actions(g, algebra="subdivision")
    by_sympy = solve_binary_actions(g, algebra="sympy")
    by_auto = solve_binary_actions(g)  # closed form for one or two mixers, boxes beyond
    assert all(e.max_regret <= 1e-9 for e in by_boxes)
    assert all(e.max_regret <= 1e-9 for e in by_sympy)
    b = sorted(np.concatenate(e.strategies).round(9).tolist() for e in by_sympy)
    if by_sympy.complete and by_boxes.complete:
        a = sorted(np.concatenate(e.strategies).round(9).tolist() for e in by_boxes)
        assert a == b
    # The closed forms find what the Groebner bases find. A positive-dimensional basis makes
    # sympy report a continuum even when it lies outside the open box (e.g. D = p2·(p1 − 2),
    # zero only on the face p2 = 0), so the default may prove a pattern empty where sympy
    # gives up, never the other way round.
    auto_points = sorted(np.concatenate(e.strategies).round(9).tolist() for e in by_auto)
    assert by_auto.details["segment_patterns"] == by_sympy.details["segment_patterns"]
    continua = by_auto.details["continuum_patterns"], by_sympy.details["continuum_patterns"]
    assert set(continua[0]) <= set(continua[1])
    assert by_auto.complete or not by_sympy.complete
    if by_sympy.complete:
        assert auto_points == b
    else:
        assert set(map(tuple, b)) <= set(map(tuple, auto_points))
    pure = {tuple(float(s[0]) for s in e.strategies) for e in by_boxes if e.kind == "pure"}
    assert pure == _brute_force_pure(payoffs)
    assert all(e.max_regret == 0.0 for e in by_boxes if e.exact)


def test_five_player_generic_game_every_equilibrium_certified():
    # A generic 5-player binary game (continuous payoffs): the number of equilibria of a
    # non-degenerate game is odd (Wilson's oddness theorem).
    rng = np.random.default_rng(7)
    g = cg.NormalFormGame(rng.normal(size=(2,) * 5 + (5,)))
    eqs = cg.solve(g)
    assert eqs.complete and eqs.success
    assert len(eqs) % 2 == 1
    assert all(e.max_regret <= 1e-9 for e in eqs)


def test_segment_of_equilibria_reports_its_ends():
    # Gains of action 0 over action 1 (p_j = P(action 0)): D_0 = p_1 + p_2 − 2 (player 0
    # is indifferent only when both others take action 0), D_1 = 3 p_0 − 1, D_2 = 1
    # (action 0 dominant). Equilibria: the pure profile (1, 1, 0) [actions], and the segment
    # p_0 in [1/3, 1] with players 1 and 2 on action 0, whose ends must be listed.
    gains = [lambda c: c[1] + c[2] - 2, lambda c: 3 * c[0] - 1, lambda c: 1]
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    for a in itertools.product(range(2), repeat=3):
        corner = [1 - v for v in a]
        for i in range(3):
            payoffs[a + (i,)] = gains[i](corner) if a[i] == 0 else 0
    eqs = cg.solve(cg.NormalFormGame(payoffs))
    assert eqs.continuum and eqs.complete
    found = {tuple(s[0] for s in e.exact_strategies) for e in eqs}
    assert found == {(F(0), F(0), F(1)), (F(1, 3), F(1), F(1)), (F(1), F(1), F(1))}
    assert all(e.max_regret == 0.0 for e in eqs)


@pytest.mark.slow
def test_large_symmetric_table_pure_and_symmetric_views_agree():
    # N = 7 threshold game as a full table: pure equilibria are "nobody" and every set of
    # exactly T = 3 contributors (C(7, 3) = 35); the anonymous form recovers the same game.
    small = cg.SymmetricBinaryGame.threshold_public_good(7, 3, benefit=4, cost=1)
    table = small.to_normal_form()
    pure = cg.solve(table)
    assert pure.method == "pure-enumeration" and len(pure) == 1 + math.comb(7, 3)
    assert "SymmetricBinaryGame.from_normal_form" in pure.message
    back = cg.SymmetricBinaryGame.from_normal_form(table)
    assert back.exact_payoff_0 == small.exact_payoff_0
    assert back.exact_payoff_1 == small.exact_payoff_1
    symmetric = cg.solve(back)
    assert [e.kind for e in symmetric].count("pure") == 1  # only "nobody" is symmetric pure


@pytest.mark.parametrize("seed", range(6))
def test_three_mixer_closed_form_agrees_with_subdivision_on_generic_games(seed):
    # Continuous payoffs: the three-mixer patterns are generic and take the quadratic route
    # under "auto"; certified box subdivision is the independent method.
    rng = np.random.default_rng(seed)
    g = cg.NormalFormGame(rng.normal(size=(2, 2, 2, 3)))
    auto, boxes = solve_binary_actions(g), solve_binary_actions(g, algebra="subdivision")
    assert auto.complete and boxes.complete
    assert sorted(np.concatenate(e.strategies).round(9).tolist() for e in auto) == sorted(
        np.concatenate(e.strategies).round(9).tolist() for e in boxes
    )
    assert all(e.max_regret <= 1e-12 for e in auto)
