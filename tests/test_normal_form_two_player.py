"""Two-player games: all extreme equilibria, degenerate games included, exactly certified.

Expected values come from published examples (bug reports against other libraries, with the
equilibria the reporters computed independently), from brute-force exact support enumeration
over every support pair, and from nashpy's vertex enumeration on non-degenerate games.
"""

import itertools
import math
from fractions import Fraction as F

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.solvers.two_player import (
    polytope_vertices_batched,
    polytope_vertices_exact,
    polytope_vertices_float,
)


def _exact_set(eqs):
    return {tuple(tuple(s) for s in e.exact_strategies) for e in eqs}


def _fr(*rows):
    return tuple(tuple(F(v) for v in row) for row in rows)


def test_nashpy_issue_82_degenerate_game_all_eight_equilibria():
    # Nashpy issue #82: players minimize costs A, B; eight extreme equilibria were listed by
    # the reporter (own support enumeration, confirmed with an online solver).
    a = np.array([[0, 0, 6, 0, 0], [0, 0, 3, 2, 1], [4, 3, 0, 0, 1]])
    b = np.array([[3, 0, 2, 1, 0], [0, 2, 0, 0, 4], [4, 0, 2, 4, 4]])
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(-a, -b))
    expected = {
        _fr([1, 0, 0], [0, 1, 0, 0, 0]),
        _fr([1, 0, 0], [0, 0, 0, 0, 1]),
        _fr([F(2, 3), F(1, 3), 0], [0, 1, 0, 0, 0]),
        _fr([F(1, 3), F(1, 2), F(1, 6)], [0, F(4, 9), F(2, 9), F(1, 3), 0]),
        _fr([0, F(1, 2), F(1, 2)], [0, F(1, 2), F(1, 2), 0, 0]),
        _fr([0, 1, 0], [F(3, 7), 0, F(4, 7), 0, 0]),
        _fr([0, 1, 0], [1, 0, 0, 0, 0]),
        _fr([0, 1, 0], [F(3, 8), 0, F(1, 4), F(3, 8), 0]),
    }
    assert _exact_set(eqs) == expected
    assert eqs.complete and eqs.continuum and eqs.method == "vertex-enumeration-exact"
    # The issue lists the costs J1 = 4/3, J2 = 1 at the totally mixed one (payoffs negated).
    for e in eqs:
        assert e.max_regret == 0.0 and e.exact
        if e.exact_strategies[0] == (F(1, 3), F(1, 2), F(1, 6)):
            assert e.payoffs.tolist() == pytest.approx([-4 / 3, -1.0], abs=1e-15)


def test_quantecon_pr_326_degenerate_game():
    # QuantEcon.py PR #326: support enumeration misses (e0, (2/3, 1/3)).
    a = [[3, 3], [2, 5], [0, 6]]
    b = [[3, 3], [2, 6], [3, 1]]
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a, b))
    assert _exact_set(eqs) == {
        _fr([1, 0, 0], [1, 0]),
        _fr([1, 0, 0], [F(2, 3), F(1, 3)]),
        _fr([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]),
    }


def test_nashpy_issue_222_segment_endpoints():
    # Nashpy issue #222: (p, 1 - p) against column 0 is an equilibrium for p in [0, 2/7].
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix([[-3, 3], [-3, 5]], [[2, 7], [4, 2]]))
    assert _exact_set(eqs) == {_fr([0, 1], [1, 0]), _fr([F(2, 7), F(5, 7)], [1, 0])}
    assert eqs.continuum


def test_rock_paper_scissors_unique_mixed():
    a = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a))
    assert _exact_set(eqs) == {_fr([F(1, 3)] * 3, [F(1, 3)] * 3)}
    assert not eqs.continuum


def test_all_zero_game_every_pure_profile_is_extreme():
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(np.zeros((3, 2), int), np.zeros((3, 2), int)))
    assert _exact_set(eqs) == {
        tuple(tuple(F(int(k == r)) for k in range(n)) for r, n in zip(p, (3, 2)))
        for p in itertools.product(range(3), range(2))
    }


def test_fraction_payoffs_stay_exact():
    half = F(1, 2)
    a = np.array([[half, 0], [0, F(1, 3)]], dtype=object)
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a, a))
    # Coordination game: mixed equilibrium p = (1/3) / (1/2 + 1/3) = 2/5 on action 0.
    assert _fr([F(2, 5), F(3, 5)], [F(2, 5), F(3, 5)]) in _exact_set(eqs)
    assert len(eqs) == 3 and all(e.max_regret == 0.0 for e in eqs)


def _solve_exact(matrix, rhs):
    """Unique solution of a square-or-tall rational system, or None."""
    rows = [list(r) + [v] for r, v in zip(matrix, rhs)]
    n_unknowns = len(matrix[0])
    pivots = []
    r = 0
    for c in range(n_unknowns):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            return None
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                rows[i] = [u - rows[i][c] * w for u, w in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
    if any(row[-1] != 0 for row in rows[r:]):
        return None
    return [rows[i][-1] for i in range(n_unknowns)]


def brute_force_support_enumeration(a, b):
    """Every equilibrium that is the unique solution of its support pair's equations."""
    m, n = a.shape
    found = set()
    for size_i in range(1, m + 1):
        for rows in itertools.combinations(range(m), size_i):
            for size_j in range(1, n + 1):
                for cols in itertools.combinations(range(n), size_j):
                    # x on rows: column player indifferent over cols; unknowns x_I and v.
                    mat = [[F(int(b[i, j])) for i in rows] + [F(-1)] for j in cols]
                    mat.append([F(1)] * size_i + [F(0)])
                    sx = _solve_exact(mat, [F(0)] * size_j + [F(1)])
                    mat = [[F(int(a[i, j])) for j in cols] + [F(-1)] for i in rows]
                    mat.append([F(1)] * size_j + [F(0)])
                    sy = _solve_exact(mat, [F(0)] * size_i + [F(1)])
                    if sx is None or sy is None:
                        continue
                    if min(sx[:-1]) <= 0 or min(sy[:-1]) <= 0:
                        continue
                    x = [F(0)] * m
                    y = [F(0)] * n
                    for i, v in zip(rows, sx):
                        x[i] = v
                    for j, v in zip(cols, sy):
                        y[j] = v
                    row_values = [sum(F(int(a[i, j])) * y[j] for j in range(n)) for i in range(m)]
                    col_values = [sum(F(int(b[i, j])) * x[i] for i in range(m)) for j in range(n)]
                    if (
                        max(row_values) == row_values[rows[0]]
                        and max(col_values) == col_values[cols[0]]
                    ):
                        found.add((tuple(x), tuple(y)))
    return found


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_random_small_games_complete_and_exact(m, n, seed, spread):
    # Small payoff ranges make degenerate games frequent.
    rng = np.random.default_rng(seed)
    a = rng.integers(-spread, spread + 1, size=(m, n))
    b = rng.integers(-spread, spread + 1, size=(m, n))
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a, b))
    assert eqs.complete and eqs.success
    assert all(e.exact and e.max_regret == 0.0 for e in eqs)
    assert brute_force_support_enumeration(a, b) <= _exact_set(eqs)
    assert len(eqs) >= 1
    # The float path finds the same extreme equilibria (regret <= 1e-9).
    float_game = cg.NormalFormGame.from_bimatrix(a.astype(float), b.astype(float))
    assert cg.solve(float_game).complete  # integer-valued floats take the exact path
    floats = cg.solve(float_game, method="float")
    assert floats.method == "vertex-enumeration-float" and not floats.complete
    assert all(e.max_regret <= 1e-9 for e in floats)
    exact_points = sorted(
        np.concatenate([np.array(s, dtype=float) for s in p]).tolist() for p in _exact_set(eqs)
    )
    float_points = sorted(np.concatenate(e.strategies).tolist() for e in floats)
    np.testing.assert_allclose(float_points, exact_points, atol=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_nondegenerate_random_games_match_nashpy_vertex_enumeration(seed):
    # Continuous random payoffs are non-degenerate with probability one; there nashpy's
    # vertex enumeration is complete and serves as an independent method.
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    ours = cg.solve(cg.NormalFormGame.from_bimatrix(a, b))
    theirs = list(nashpy.Game(a, b).vertex_enumeration())
    assert len(ours) == len(theirs) and len(ours) % 2 == 1
    for x, y in theirs:
        assert any(
            np.allclose(e.strategies[0], x, atol=1e-9)
            and np.allclose(e.strategies[1], y, atol=1e-9)
            for e in ours
        )
    assert all(e.max_regret <= 1e-12 for e in ours)
    # Exact arithmetic on the floats' binary values gives the same equilibria, certified.
    exact = cg.solve(cg.NormalFormGame.from_bimatrix(a, b), method="exact")
    assert exact.complete and len(exact) == len(ours)
    assert all(e.max_regret == 0.0 for e in exact)


def test_one_action_player():
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix([[1, 3, 3]], [[0, 2, 2]]))
    assert _exact_set(eqs) == {_fr([1], [0, 1, 0]), _fr([1], [0, 0, 1])}
    assert eqs.continuum


def test_max_bases_truncation_warns_and_is_incomplete():
    g = cg.NormalFormGame.from_bimatrix(np.zeros((4, 4), int), np.zeros((4, 4), int))
    with pytest.warns(cg.ConvergenceWarning):
        eqs = cg.solve(g, max_bases=3)
    assert not eqs.complete and not eqs.success and eqs.status == 1


def test_records_round_trip_to_dict_and_frame():
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix([[1, 0], [0, 1]]))
    d = eqs.to_dict()
    assert d["equilibria"][0]["exact_strategies"] == [["1/2", "1/2"], ["1/2", "1/2"]]
    assert len(eqs.to_frame()) == 1


def _vertex_set(vertices, digits=9):
    return {(tuple(np.round(np.array(z, dtype=float), digits)), mask) for z, mask in vertices}


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_batched_vertices_match_exact_pivoting(d, k, seed, spread):
    # Small integer ranges make degenerate polytopes (vertices with several bases) frequent;
    # exact integer pivoting is the reference, float pivoting a second independent method.
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, spread + 1, size=(k, d))
    exact, _, _ = polytope_vertices_exact(matrix.astype(object))
    batched, n_bases, truncated = polytope_vertices_batched(matrix.astype(float))
    pivoted, _, _ = polytope_vertices_float(matrix.astype(float))
    assert _vertex_set(batched) == _vertex_set(exact) == _vertex_set(pivoted)
    assert n_bases == math.comb(d + k, d) and not truncated


def test_batched_vertices_skip_points_inside_a_face():
    # Row 2 is the mean of rows 0 and 1, so the 3 x 3 system of all rows is singular but
    # consistent: its solutions form the edge where rows 0 and 1 are tight. Here the float LU
    # has determinant 4e-17, not 0, and returns (1.31, 0.31, 0.15), a point inside that edge
    # with three "tight" rows that is no vertex.
    assert np.linalg.det(np.array([[13, 7, 5], [9, 17, 19], [11, 12, 12]]) / 20.0) != 0.0
    integer = np.array([[13, 7, 5], [9, 17, 19], [11, 12, 12]])
    exact, _, _ = polytope_vertices_exact(integer.astype(object))
    batched, _, _ = polytope_vertices_batched(integer / 20.0)
    assert _vertex_set([(np.array(z, dtype=float) / 20.0, m) for z, m in batched]) == _vertex_set(
        exact
    )


@pytest.mark.slow
def test_two_player_float_path_batches_small_games_and_pivots_beyond():
    rng = np.random.default_rng(7)
    small = cg.NormalFormGame.from_bimatrix(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))
    assert cg.solve(small).details["bases_visited"] == (math.comb(7, 3), math.comb(7, 4))
    # up to MINOR_LIMIT bases every basis of both polytopes is read off the minors
    seven = cg.NormalFormGame.from_bimatrix(rng.normal(size=(7, 7)), rng.normal(size=(7, 7)))
    assert cg.solve(seven).details["bases_visited"] == (math.comb(14, 7),) * 2
    medium = cg.NormalFormGame.from_bimatrix(rng.normal(size=(9, 9)), rng.normal(size=(9, 9)))
    x_bases, y_bases = cg.solve(medium).details["bases_visited"]
    # every basis of P; of Q only the bases complementary to a vertex of P
    assert x_bases == math.comb(18, 9) and y_bases < math.comb(18, 9) / 10
    large = cg.NormalFormGame.from_bimatrix(rng.normal(size=(8, 13)), rng.normal(size=(8, 13)))
    visited = cg.solve(large).details["bases_visited"]
    assert math.comb(21, 8) > 200_000  # beyond the batch limit:
    assert all(v < 10_000 for v in visited)  # pivoting visits feasible bases only


@pytest.mark.parametrize("s", [1, 2, 3, 4])
def test_small_systems_by_cramers_rule_match_lapack(s):
    from coordgap.solvers.two_player import _solve_ones

    rng = np.random.default_rng(s)
    systems = rng.normal(size=(40, s, s))
    systems[0] = 0.0  # singular: det exactly 0
    det, z = _solve_ones(systems)
    np.testing.assert_allclose(det, np.linalg.det(systems), rtol=1e-10, atol=1e-14)
    assert det[0] == 0.0
    if s <= 3:
        expected = np.linalg.solve(systems[1:], np.ones((39, s, 1)))[..., 0]
        np.testing.assert_allclose(z[1:], expected, rtol=1e-9, atol=1e-12)
    else:
        assert z is None


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_partner_vertices_are_exactly_the_complementary_vertices_of_q(m, n, seed, spread):
    # Against enumerating every vertex of Q and matching labels: the same vertices of Q take
    # part in some completely labelled pair (degenerate games included, or a fallback).
    from coordgap.solvers.two_player import _complete_pairs, _label_masks, _partner_vertices

    rng = np.random.default_rng(seed)
    a = rng.integers(1, spread + 1, size=(m, n)) / spread
    b = rng.integers(1, spread + 1, size=(m, n)) / spread
    x_vertices = [v for v in polytope_vertices_batched(b.T)[0] if any(v[0])]
    y_all = [v for v in polytope_vertices_batched(a)[0] if any(v[0])]
    x_masks = _label_masks([v[1] for v in x_vertices], m, n, 0, m)
    pairs = _complete_pairs(x_masks, _label_masks([v[1] for v in y_all], n, m, m, 0), m + n)
    expected = _vertex_set([y_all[j] for _, j in pairs])
    partners = _partner_vertices(x_vertices, a, 1e-10)
    if partners is not None:
        y_found, _ = partners
        y_masks = _label_masks([v[1] for v in y_found], n, m, m, 0)
        used = {j for _, j in _complete_pairs(x_masks, y_masks, m + n)}
        assert _vertex_set([y_found[j] for j in used]) == expected


def test_float_path_keeps_vertices_of_very_different_scales():
    # Payoffs 1e140 next to 1: after scaling, vertices of P have coordinates 1 and 5e139 and
    # constraint rows of norm 1e-140. Rounding vertices to absolute digits merged (0, 0) with
    # (0, 1), and an unnormalized rank test dropped the vertex (5e139, 0).
    a = np.array([[1e140, 0.0], [0.0, 1.0]]) + 0.25
    b = np.array([[1.0, 0.0], [0.0, 1e140]]) + 0.5
    game = cg.NormalFormGame.from_bimatrix(a, b)
    floats = cg.solve(game, method="float")
    exact = cg.solve(game, method="exact")
    assert floats.method == "vertex-enumeration-float" and len(exact) == 3
    assert sorted(np.concatenate(e.strategies).round(9).tolist() for e in floats) == sorted(
        np.concatenate(e.strategies).round(9).tolist() for e in exact
    )


def test_auto_takes_exact_arithmetic_when_payoff_gaps_are_below_the_tolerance():
    # Payoffs from 1e-100 to 1e140 in one game: relative to each player's range, the gaps
    # between most payoffs are far below the float tolerance, and the float path finds 1 of
    # the 3 extreme equilibria. "auto" therefore takes the payoffs' exact binary values.
    a = np.array([[1e140, 0, 3], [0, 1, 2], [5, 1e100, 0]]) + 0.25
    b = np.array([[1, 0, 7], [0, 1e140, 1], [2, 2, 1e-100]]) + 0.5
    game = cg.NormalFormGame.from_bimatrix(a, b)
    eqs = cg.solve(game)
    assert eqs.method == "vertex-enumeration-exact" and eqs.complete and len(eqs) == 3
    assert all(e.max_regret == 0.0 for e in eqs)
    # ordinary float payoffs stay on the float path
    rng = np.random.default_rng(3)
    usual = cg.NormalFormGame.from_bimatrix(rng.normal(size=(6, 6)), rng.normal(size=(6, 6)))
    assert cg.solve(usual).method == "vertex-enumeration-float"
