"""The small-game float path of two-player vertex enumeration: every basis from minors.

Up to ``MINOR_LIMIT`` candidate bases the float path reads every basis of both best-response
polytopes off the minors of [M | 1] (exactly, in floats, for small integer payoffs; with the
tie tolerance otherwise) and certifies all equilibria with one batched regret computation.
Every check here is against an independent method: exact integer pivoting
(``polytope_vertices_exact`` and ``method="exact"``, rational arithmetic throughout), a
brute-force support enumeration in fractions, or the per-profile certificate.
"""

import itertools
import math
import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.solvers.certify import regrets_bimatrix, regrets_normal_form
from coordgap.solvers.normal_form import bimatrix_equilibria, make_equilibrium
from coordgap.solvers.two_player import (
    MINOR_LIMIT,
    _exact_in_floats,
    _minor_vertices,
    _small_integers,
    polytope_vertices_exact,
)


def _vertex_set(points, masks, scale=1.0, digits=9):
    return {
        (tuple(np.round(np.asarray(z, dtype=float) * scale, digits)), int(mask))
        for z, mask in zip(points, masks)
        if any(z)
    }


def _exact_vertex_set(matrix, digits=9):
    vertices, _, truncated = polytope_vertices_exact(matrix.astype(object))
    assert not truncated
    return _vertex_set([v[0] for v in vertices], [v[1] for v in vertices], digits=digits)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_exact_minor_vertices_match_exact_pivoting(d, k, seed, spread):
    # Small integer ranges make degenerate polytopes (vertices with several bases, singular
    # bases) frequent; exact integer pivoting is the reference.
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, spread + 1, size=(k, d))
    assert _exact_in_floats([(k, d, spread)])
    expected = _exact_vertex_set(matrix)
    points, masks = _minor_vertices(matrix.astype(float)[None], 0.0, exact=True)[0]
    assert _vertex_set(points, masks) == expected
    assert len(points) == len(expected)  # each vertex once
    # two polytopes of one shape in one pass: each gets its own vertices
    other = rng.integers(1, spread + 1, size=(k, d))
    both = _minor_vertices(np.stack([matrix, other]).astype(float), 0.0, exact=True)
    assert _vertex_set(*both[0]) == expected
    assert _vertex_set(*both[1]) == _exact_vertex_set(other)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.integers(1, 5),
    st.sampled_from([3, 7, 10]),
)
def test_float_minor_vertices_match_exact_pivoting(d, k, seed, spread, divisor):
    # The tolerance mode on degenerate matrices whose entries are not binary fractions
    # (k / 3, k / 7, k / 10): ties and singular bases only hold up to rounding.
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, spread + 1, size=(k, d))
    points, masks = _minor_vertices(matrix[None] / divisor, 1e-10)[0]
    # {z : (M / c) z <= 1} = c·{z : M z <= 1}; compare at 7 digits (rounding of the scaling)
    assert _vertex_set(points, masks, 1.0 / divisor, 7) == _exact_vertex_set(matrix, 7)


def test_float_minor_vertices_skip_points_inside_a_face():
    # Row 2 is the mean of rows 0 and 1: the 3 x 3 system of all rows is singular but
    # consistent, and rounding makes its determinant tiny rather than 0. The point it
    # returns lies inside an edge and must not be reported as a vertex.
    integer = np.array([[13, 7, 5], [9, 17, 19], [11, 12, 12]])
    points, masks = _minor_vertices(integer[None] / 20.0, 1e-10)[0]
    assert _vertex_set(points, masks, 1.0 / 20.0, 7) == _exact_vertex_set(integer, 7)


def _points(eqs):
    return np.array(
        [np.concatenate([np.asarray(s, dtype=float) for s in e.strategies]) for e in eqs]
    )


def _same_points(found, expected, atol=1e-9):
    if found.shape != expected.shape:
        return False
    if not len(found):
        return True
    near = np.abs(found[:, None, :] - expected[None, :, :]).max(axis=2) <= atol
    return bool(near.any(axis=0).all() and near.any(axis=1).all())


def _games(kind, m, n, rng):
    if kind == "integers":  # small ranges: degenerate games are frequent
        return rng.integers(-3, 4, size=(m, n)), rng.integers(-3, 4, size=(m, n))
    if kind == "wide integers":
        return rng.integers(-10, 11, size=(m, n)), rng.integers(-10, 11, size=(m, n))
    if kind == "thirds":  # degenerate, and not integers: the tolerance mode
        return rng.integers(-3, 4, size=(m, n)) / 3.0, rng.integers(-3, 4, size=(m, n)) / 7.0
    return rng.normal(size=(m, n)), rng.normal(size=(m, n))


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["integers", "wide integers", "thirds", "normal"]),
)
def test_float_path_finds_the_exact_extreme_equilibria(m, n, seed, kind):
    rng = np.random.default_rng(seed)
    a, b = _games(kind, m, n, rng)
    game = cg.NormalFormGame.from_bimatrix(a, b)
    assert math.comb(m + n, m) <= MINOR_LIMIT
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no certificate or convergence warning
        floats = cg.solve(game, method="float")
    # exact rational enumeration: the payoffs' binary values, or for k / 3 and k / 7 the
    # rationals themselves (auto recognizes the scaled integer game)
    exact = cg.solve(game) if kind == "thirds" else cg.solve(game, method="exact")
    assert exact.complete and exact.success  # (regrets in floats for the scaled game)
    assert floats.method == "vertex-enumeration-float" and floats.success
    assert not floats.complete  # the float path never claims a proof
    assert _same_points(_points(floats), _points(exact))
    assert floats.continuum == exact.continuum
    scale = np.ptp(game.payoffs.reshape(-1, 2), axis=0)
    assert all(np.all(e.regrets <= 1e-9 * scale + 1e-15) for e in floats)
    # no two listed equilibria are the same point
    pts = _points(floats)
    assert all(np.abs(p - q).max() > 1e-9 for p, q in itertools.combinations(pts, 2))


def _brute_force(a, b):
    """Equilibria in fractions that are the unique solution of their support pair."""
    m, n = a.shape
    found = set()
    for rows in itertools.chain.from_iterable(
        itertools.combinations(range(m), s) for s in range(1, m + 1)
    ):
        for cols in itertools.chain.from_iterable(
            itertools.combinations(range(n), s) for s in range(1, n + 1)
        ):
            x = _indifferent([[F(int(b[i, j])) for i in rows] for j in cols])
            y = _indifferent([[F(int(a[i, j])) for j in cols] for i in rows])
            if x is None or y is None or min(x) <= 0 or min(y) <= 0:
                continue
            xs, ys = [F(0)] * m, [F(0)] * n
            for i, v in zip(rows, x):
                xs[i] = v
            for j, v in zip(cols, y):
                ys[j] = v
            rv = [sum(F(int(a[i, j])) * ys[j] for j in range(n)) for i in range(m)]
            cv = [sum(F(int(b[i, j])) * xs[i] for i in range(m)) for j in range(n)]
            if max(rv) == rv[rows[0]] and max(cv) == cv[cols[0]]:
                found.add(tuple(float(v) for v in xs + ys))
    return found


def _indifferent(rows):
    """Probabilities p (sum 1) making every row of ``rows`` @ p equal, if unique."""
    size = len(rows[0])
    system = [list(r) + [F(-1), F(0)] for r in rows] + [[F(1)] * size + [F(0), F(1)]]
    width = size + 1
    pivot_row = 0
    for c in range(width):
        pivot = next((i for i in range(pivot_row, len(system)) if system[i][c] != 0), None)
        if pivot is None:
            return None
        system[pivot_row], system[pivot] = system[pivot], system[pivot_row]
        lead = system[pivot_row][c]
        system[pivot_row] = [v / lead for v in system[pivot_row]]
        for i in range(len(system)):
            if i != pivot_row and system[i][c] != 0:
                f = system[i][c]
                system[i] = [u - f * w for u, w in zip(system[i], system[pivot_row])]
        pivot_row += 1
    if any(row[-1] != 0 for row in system[pivot_row:]):
        return None
    return [system[i][-1] for i in range(size)]


@pytest.mark.parametrize("seed", range(6))
def test_float_path_contains_every_isolated_equilibrium_found_by_brute_force(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-2, 3, size=(4, 4)), rng.integers(-2, 3, size=(4, 4))
    floats = _points(cg.solve(cg.NormalFormGame.from_bimatrix(a, b), method="float"))
    for point in _brute_force(a, b):
        assert np.abs(floats - np.array(point)).max(axis=1).min() <= 1e-12


def test_integer_games_use_exact_minors_and_large_ranges_the_tolerance():
    rng = np.random.default_rng(4)
    small = cg.NormalFormGame.from_bimatrix(
        rng.integers(-9, 10, (5, 5)), rng.integers(0, 3, (5, 5))
    )
    assert "exact in floats" in cg.solve(small, method="float").message
    assert _small_integers(small.payoffs) is not None
    # 6! · (2·10^6)^6 is far beyond 2^53: the tolerance mode, with the same answer
    a, b = rng.integers(-(10**6), 10**6, (6, 6)), rng.integers(-(10**6), 10**6, (6, 6))
    wide = cg.NormalFormGame.from_bimatrix(a, b)
    assert _small_integers(wide.payoffs) is None
    floats = cg.solve(wide, method="float")
    assert "tie tolerance" in floats.message
    assert _same_points(_points(floats), _points(cg.solve(wide, method="exact")))
    # integer-valued floats are integers too; non-integers are not
    assert _small_integers(np.asarray(small.payoffs, dtype=float)) is not None
    assert _small_integers(small.payoffs + 0.5 * (small.payoffs > 0)) is None


def test_exact_in_floats_bound():
    # s!·max^s < 2**53 for the largest minor size s = min(k, d + 1)
    assert _exact_in_floats([(8, 8, 21)])  # 8!·21^8 ≈ 1.5e15
    assert not _exact_in_floats([(8, 8, 40)])  # 8!·40^8 ≈ 2.6e17
    assert _exact_in_floats([(1, 70, 10**15)])  # one row: minors of size 1


def test_one_row_player_with_many_columns():
    # 1 x 70: 71 labels do not fit an int64 mask; the batched path keeps Python integers.
    rng = np.random.default_rng(0)
    game = cg.NormalFormGame.from_bimatrix(rng.integers(0, 5, (1, 70)), rng.integers(0, 5, (1, 70)))
    floats, exact = cg.solve(game, method="float"), cg.solve(game, method="exact")
    assert len(exact) == 13 and exact.continuum
    assert _same_points(_points(floats), _points(exact)) and floats.continuum


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_batched_records_equal_one_record_per_profile(m, n, seed, count):
    rng = np.random.default_rng(seed)
    game = cg.NormalFormGame.from_bimatrix(rng.normal(size=(m, n)), rng.normal(size=(m, n)))
    profiles = rng.random((count, m + n)) * (rng.random((count, m + n)) < 0.7)
    profiles[:, 0] += 0.1  # every strategy has some mass
    profiles[:, m] += 0.1
    expected_payoffs, expected_regrets = [], []
    for row in profiles:
        x, y = row[:m] / row[:m].sum(), row[m:] / row[m:].sum()
        expected_regrets.append(regrets_normal_form(game.payoffs, [x, y]))
        expected_payoffs.append([x @ game.payoffs[..., 0] @ y, x @ game.payoffs[..., 1] @ y])
    normalized = np.concatenate(
        [
            profiles[:, :m] / profiles[:, :m].sum(1, keepdims=True),
            profiles[:, m:] / profiles[:, m:].sum(1, keepdims=True),
        ],
        axis=1,
    )
    payoffs, regrets = regrets_bimatrix(game.payoffs, normalized)
    np.testing.assert_allclose(payoffs, expected_payoffs, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(regrets, expected_regrets, rtol=1e-12, atol=1e-13)
    records = bimatrix_equilibria(game, profiles, support_tol=1e-10)
    for record, row in zip(records, profiles):
        one = make_equilibrium(game, (row[:m], row[m:]), support_tol=1e-10)
        for got, want in zip(record.strategies, one.strategies):
            np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)
            assert not got.flags.writeable
        assert record.support == one.support and record.kind == one.kind
        assert record.exact is False and record.exact_strategies is None
        np.testing.assert_allclose(record.payoffs, one.payoffs, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(record.regrets, one.regrets, rtol=1e-12, atol=1e-13)
        assert record.max_regret == pytest.approx(one.max_regret, rel=1e-12, abs=1e-13)
