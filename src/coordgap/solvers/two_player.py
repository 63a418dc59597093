"""All extreme Nash equilibria of two-player games, degenerate games included.

Method (Mangasarian 1964; Avis, Rosenberg, Savani & von Stengel 2010). Shift both payoff
matrices so every entry is positive and consider the best-response polytopes

    P = {x >= 0 : B^T x <= 1}        Q = {y >= 0 : A y <= 1}.

A point of P carries label i when x_i = 0 and label m + j when (B^T x)_j = 1; a point of Q
carries label m + j when y_j = 0 and label i when (A y)_i = 1. The pairs of vertices
(x, y) != (0, 0) that are *completely labelled* (every label in 0..m+n-1 appears at x or at y)
are exactly the extreme equilibria (x / sum x, y / sum y); in a degenerate game they are the
extreme points of the maximal Nash subsets, so every equilibrium is a convex combination of
listed ones within a clique of partners.

Vertices are enumerated by a depth-first search over the feasible bases of each polytope,
pivoting on every entering column and on *every* row that ties in the ratio test, so degenerate
vertices (several bases) are handled: every vertex is reached because the simplex method, run
from the start basis with an objective that the vertex uniquely optimizes (and Bland's rule),
is itself a path of such pivots. With exact payoffs the tableau is kept in integers by Edmonds' integer pivoting
(every entry a subdeterminant; divisions are exact), so labels are decided without any
tolerance and every reported equilibrium has exact regret 0. With float payoffs a float
tableau with a tolerance is used and the regret is reported. For small games (at most
``MINOR_LIMIT`` candidate bases C(m + n, m), up to 8 x 8) every basis of both polytopes is
read off the minors of [M | 1], computed for all bases at once by Laplace expansion: the
determinant, Cramer's rule for the vertex and a Schur complement for each slack. When the
payoffs are integers small enough that every minor is an integer below 2**53, these floats
are exact, and the float path decides every sign and tie exactly (no tolerance); otherwise it
uses the tolerance, with the same safeguards as the batched solves. Up to ``BATCH_LIMIT``
bases every basis is instead solved with batched LU factorizations; beyond ``PARTNER_LIMIT``
bases only P is enumerated in full, and for each vertex x of P only the bases of Q made of the
labels x lacks (completed by x's own labels when x is degenerate) are solved, about one
system per vertex of P. Float equilibria are certified in one batched regret computation.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import ConvergenceWarning, InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..results import EquilibriumSet
from ..tolerances import RANK_TOL, SAME_POINT, SINGULAR_DET, VERTEX_TOL
from .normal_form import (
    NormalFormEquilibrium,
    bimatrix_equilibria,
    check_limit,
    finish,
    limited,
    make_equilibrium,
    normalized,
    unit_payoffs,
)

__all__ = [
    "solve_two_player",
    "polytope_vertices_exact",
    "polytope_vertices_float",
    "polytope_vertices_batched",
]


# -- exact (integer) vertex enumeration ---------------------------------------------------


def _claim(basis: tuple, r: int, e: int, seen: set, max_bases: int, truncated: bool):
    """The basis after pivoting column ``e`` into row ``r``, if it is new and the budget allows.

    Returns ``(new_basis or None, truncated)``; ``seen`` records every basis visited, so
    degenerate vertices reached through several bases are explored once.
    """
    new_basis = basis[:r] + (e,) + basis[r + 1 :]
    key = frozenset(new_basis)
    if key in seen:
        return None, truncated
    if len(seen) >= max_bases:
        return None, True
    seen.add(key)
    return new_basis, truncated


def _to_positive_integers(matrix) -> np.ndarray:
    """Scale by the common denominator and shift so every entry is an integer >= 1.

    Positive scaling and adding a constant to a player's payoffs leave equilibria unchanged.
    """
    fr = [[Fraction(v) for v in row] for row in matrix]
    denominator = math.lcm(*(v.denominator for row in fr for v in row))
    ints = [[int(v * denominator) for v in row] for row in fr]
    low = min(min(row) for row in ints)
    out = np.empty((len(ints), len(ints[0])), dtype=object)
    for i, row in enumerate(ints):
        for j, v in enumerate(row):
            out[i, j] = v - low + 1
    return out


def polytope_vertices_exact(matrix, *, max_bases: int = 1_000_000):
    """Vertices of {z >= 0 : M z <= 1} for a positive integer matrix M (k x d).

    Parameters
    ----------
    matrix : ndarray
        Shape (k, d), positive Python or numpy integers (exact pivoting with Fractions).
    max_bases : int
        Most feasible bases visited before the search stops.

    Returns
    -------
    vertices : list of (tuple of Fraction, int)
        Each vertex z with the bit mask of its zero variables: bit v < d for z_v = 0 and bit
        d + r for a tight row r.
    n_bases : int
        Feasible bases visited.
    truncated : bool
        True when ``max_bases`` stopped the search (the list may then be incomplete).
    """
    k, d = matrix.shape
    tableau = np.zeros((k, d + k + 1), dtype=object)
    tableau[:, :d] = matrix
    for r in range(k):
        tableau[r, d + r] = 1
    tableau[:, -1] = 1
    basis = tuple(range(d, d + k))
    seen = {frozenset(basis)}
    stack = [(basis, tableau, 1)]
    vertices: dict[tuple, tuple] = {}
    truncated = False
    all_vars = range(d + k)
    while stack:
        basis, tableau, det = stack.pop()
        rhs = tableau[:, -1].tolist()
        in_basis = set(basis)
        zero_mask = 0
        for v in all_vars:
            if v not in in_basis:
                zero_mask |= 1 << v
        numerators = [0] * d
        for r, b in enumerate(basis):
            if rhs[r] == 0:
                zero_mask |= 1 << b
            elif b < d:
                numerators[b] = rhs[r]
        g = math.gcd(*numerators, det)
        key = tuple(v // g for v in numerators) + (det // g,)
        if key not in vertices:
            vertices[key] = (tuple(Fraction(v, det) for v in numerators), zero_mask)
        for e in all_vars:
            if e in in_basis:
                continue
            column = tableau[:, e].tolist()
            best_num, best_den, rows = None, None, []
            for r in range(k):
                c = column[r]
                if c > 0:
                    if best_num is None:
                        best_num, best_den, rows = rhs[r], c, [r]
                        continue
                    cmp = rhs[r] * best_den - best_num * c
                    if cmp < 0:
                        best_num, best_den, rows = rhs[r], c, [r]
                    elif cmp == 0:
                        rows.append(r)
            for r in rows:
                new_basis, truncated = _claim(basis, r, e, seen, max_bases, truncated)
                if new_basis is None:
                    continue
                pivot = column[r]
                new = (pivot * tableau - np.multiply.outer(tableau[:, e], tableau[r])) // det
                new[r] = tableau[r]
                stack.append((new_basis, new, pivot))
    return list(vertices.values()), len(seen), truncated


# -- float vertex enumeration -------------------------------------------------------------
def polytope_vertices_float(matrix, *, tol: float = VERTEX_TOL, max_bases: int = 1_000_000):
    """Floating-point version of :func:`polytope_vertices_exact` (ties within ``tol``).

    Parameters
    ----------
    matrix : array_like
        Shape (k, d), positive entries.
    tol : float
        Right-hand sides within ``tol`` of 0 count as 0 (degenerate), and pivots must exceed
        it.
    max_bases : int
        Most feasible bases visited before the search stops.

    Returns
    -------
    vertices : list of (tuple of float, int)
        Each vertex z with the bit mask of its zero variables, as for
        :func:`polytope_vertices_exact`.
    n_bases : int
        Feasible bases visited.
    truncated : bool
        True when ``max_bases`` stopped the search.
    """
    matrix = np.asarray(matrix, dtype=float)
    k, d = matrix.shape
    tableau = np.zeros((k, d + k + 1))
    tableau[:, :d] = matrix
    tableau[:, d : d + k] = np.eye(k)
    tableau[:, -1] = 1.0
    basis = tuple(range(d, d + k))
    seen = {frozenset(basis)}
    stack = [(basis, tableau)]
    vertices: dict[tuple, tuple] = {}
    truncated = False
    while stack:
        basis, tableau = stack.pop()
        rhs = np.where(np.abs(tableau[:, -1]) <= tol, 0.0, tableau[:, -1])
        nonbasic = np.setdiff1d(np.arange(d + k), basis)
        zero_mask = 0
        for v in nonbasic:
            zero_mask |= 1 << int(v)
        z = np.zeros(d)
        for r, b in enumerate(basis):
            if rhs[r] == 0.0:
                zero_mask |= 1 << b
            elif b < d:
                z[b] = rhs[r]
        key = tuple(np.round(z, 9)) + (zero_mask,)
        vertices.setdefault(key, (tuple(z), zero_mask))
        for e in nonbasic:
            column = tableau[:, e]
            positive = column > tol
            if not positive.any():
                continue
            ratios = np.where(positive, rhs / np.where(positive, column, 1.0), np.inf)
            low = ratios.min()
            for row in np.flatnonzero(ratios <= low + tol * (1.0 + abs(low))):
                new_basis, truncated = _claim(basis, int(row), int(e), seen, max_bases, truncated)
                if new_basis is None:
                    continue
                pivot_row = tableau[row] / column[row]
                new = tableau - np.outer(column, pivot_row)
                new[row] = pivot_row
                stack.append((new_basis, new))
    return list(vertices.values()), len(seen), truncated


# -- batched float vertex enumeration (small polytopes) ------------------------------------
#: Largest number of candidate bases C(d + k, d) for which every basis is solved at once.
BATCH_LIMIT = 200_000
#: Up to this many candidate bases both polytopes are enumerated in full; beyond it only the
#: bases of Q complementary to a vertex of P are solved (fewer systems, more Python per one).
PARTNER_LIMIT = 2_000
#: Up to this many candidate bases every basis is one d x d system in a single batch.
TINY_LIMIT = 300


@functools.lru_cache(maxsize=32)
def _basis_index(d: int, k: int) -> tuple[tuple[int, np.ndarray, np.ndarray], ...]:
    """For each size s, the choices of s free variables (f, s) and of s tight rows (r, s).

    A vertex of {z >= 0 : M z <= 1} has d tight constraints: d − s zero variables and s tight
    rows, the s free variables solving the s x s system M[rows, free] z = 1. The candidate
    bases of size s are all f·r pairs, numbered free-major.
    """
    return tuple(
        (
            s,
            np.array(list(itertools.combinations(range(d), s)), dtype=np.intp),
            np.array(list(itertools.combinations(range(k), s)), dtype=np.intp),
        )
        for s in range(1, min(d, k) + 1)
    )


def polytope_vertices_batched(matrix, *, tol: float = VERTEX_TOL):
    """Every vertex of {z >= 0 : M z <= 1} (M positive, k x d) by solving all bases at once.

    The C(d + k, d) candidate bases are grouped by size and solved with one batched LU per size;
    feasible solutions are rounded to merge the bases of a degenerate vertex. A candidate whose
    basis is near singular is kept only if its active constraints have full rank d, so points
    inside a face (a singular system that happens to be consistent) are never reported as
    vertices. Same return convention as :func:`polytope_vertices_float`; meant for small
    polytopes (C(d + k, d) <= ``BATCH_LIMIT``), where it is much faster than pivoting.

    Parameters
    ----------
    matrix : array_like
        Shape (k, d), positive entries.
    tol : float
        Feasibility and rounding tolerance.

    Returns
    -------
    vertices : list of (tuple of float, int)
        Each vertex z with the bit mask of its zero variables and tight rows.
    n_bases : int
        Candidate bases considered.
    truncated : bool
        Always False (every basis is solved).
    """
    return _stack_vertices(np.asarray(matrix, dtype=float)[None], tol)[0]


def _solve_ones(systems: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Determinants of a batch of s x s systems and, for s <= 3, their solutions of A z = 1.

    Small systems use Cramer's rule elementwise (far cheaper than one LAPACK call per
    matrix); larger ones return None for the solutions, which the caller gets from
    :func:`numpy.linalg.solve` on the nonsingular systems (det != 0 means the LU that computed
    it has no zero pivot).
    """
    s = systems.shape[1]
    if s == 1:
        det = systems[:, 0, 0]
        return det, 1.0 / np.where(det == 0.0, 1.0, det)[:, None]
    if s == 2:
        a, b, c, d = systems[:, 0, 0], systems[:, 0, 1], systems[:, 1, 0], systems[:, 1, 1]
        det = a * d - b * c
        safe = np.where(det == 0.0, 1.0, det)
        return det, np.stack([(d - b) / safe, (a - c) / safe], axis=1)
    if s == 3:
        m = systems
        # cofactors of the transposed matrix: inverse = adj / det, and z = inverse @ 1
        c00 = m[:, 1, 1] * m[:, 2, 2] - m[:, 1, 2] * m[:, 2, 1]
        c01 = m[:, 0, 2] * m[:, 2, 1] - m[:, 0, 1] * m[:, 2, 2]
        c02 = m[:, 0, 1] * m[:, 1, 2] - m[:, 0, 2] * m[:, 1, 1]
        c10 = m[:, 1, 2] * m[:, 2, 0] - m[:, 1, 0] * m[:, 2, 2]
        c11 = m[:, 0, 0] * m[:, 2, 2] - m[:, 0, 2] * m[:, 2, 0]
        c12 = m[:, 0, 2] * m[:, 1, 0] - m[:, 0, 0] * m[:, 1, 2]
        c20 = m[:, 1, 0] * m[:, 2, 1] - m[:, 1, 1] * m[:, 2, 0]
        c21 = m[:, 0, 1] * m[:, 2, 0] - m[:, 0, 0] * m[:, 2, 1]
        c22 = m[:, 0, 0] * m[:, 1, 1] - m[:, 0, 1] * m[:, 1, 0]
        det = m[:, 0, 0] * c00 + m[:, 0, 1] * c10 + m[:, 0, 2] * c20
        safe = np.where(det == 0.0, 1.0, det)
        return det, np.stack(
            [(c00 + c01 + c02) / safe, (c10 + c11 + c12) / safe, (c20 + c21 + c22) / safe], axis=1
        )
    return np.linalg.det(systems), None


def _solve_bases(systems: np.ndarray, tol: float):
    """Solve M[rows, free] z = 1 for a batch (p, s, s) of basis matrices.

    Returns the indices of the bases kept (nonsingular, z >= −tol), their solutions and a
    near-singular flag per kept basis.
    """
    s = systems.shape[1]
    det, z_free = _solve_ones(systems)
    idx = np.flatnonzero(det != 0.0)
    if not idx.size:
        return idx, np.zeros((0, s)), np.zeros(0, dtype=bool)
    z_free = (
        z_free[idx]
        if z_free is not None
        else np.linalg.solve(systems[idx], np.ones((idx.size, s, 1)))[..., 0]
    )
    keep = z_free.min(axis=1) >= -tol  # most bases are infeasible: drop them early
    idx = idx[keep]
    return idx, z_free[keep], np.abs(det[idx]) < SINGULAR_DET


def _finish_vertices(z, slack, suspect, matrix, tol) -> list[tuple[tuple, int]]:
    """Feasible, deduplicated vertices with their zero masks, from candidate basic solutions.

    A candidate from a near-singular basis is kept only if its active constraints have full
    rank d (otherwise it is a point inside a face that a consistent singular system returned).
    """
    k, d = matrix.shape
    feasible = slack.min(axis=1) >= -tol if len(z) else np.zeros(0, dtype=bool)
    z, slack, suspect = z[feasible], slack[feasible], suspect[feasible]
    z = np.where(z <= tol, 0.0, z)
    if suspect.any():  # near-singular bases first: a sound basis of the same vertex wins below
        order = np.argsort(~suspect, kind="stable")
        z, slack, suspect = z[order], slack[order], suspect[order]
    # one basis per vertex (a dict of rounded rows is faster than np.unique at this size),
    # rounded to 9 significant digits coordinate by coordinate: an absolute rounding would
    # overflow on huge coordinates or merge distinct tiny ones (a vertex split in two by
    # rounding only repeats an equilibrium, which the caller merges)
    mantissa, exponent = np.frexp(z)
    keys = np.concatenate([np.round(mantissa, 9), exponent], axis=1)
    one = list({key: i for i, key in enumerate(map(tuple, keys.tolist()))}.values())
    z, slack, suspect = z[one], slack[one], suspect[one]
    zero = np.concatenate([z == 0.0, np.abs(slack) <= tol], axis=1)
    if suspect.any():  # a vertex has d linearly independent active constraints
        constraints = np.concatenate([np.eye(d), matrix])
        norms = np.linalg.norm(constraints, axis=1, keepdims=True)
        constraints /= np.where(norms > 0.0, norms, 1.0)  # a scale-free rank
        vertex = np.array(
            [
                not flag or np.linalg.matrix_rank(constraints[active], tol=RANK_TOL) == d
                for flag, active in zip(suspect, zero)
            ]
        )
        z, zero = z[vertex], zero[vertex]
    if d + k <= 62:
        masks = (zero.astype(np.int64) << np.arange(d + k, dtype=np.int64)).sum(axis=1).tolist()
    else:  # beyond an int64: Python integers
        masks = [sum(1 << int(v) for v in np.flatnonzero(row)) for row in zero]
    return [(tuple(row), int(mask)) for row, mask in zip(z.tolist(), masks)]


@functools.lru_cache(maxsize=32)
def _tight_sets(d: int, k: int) -> np.ndarray:
    """Every choice of d of the d + k constraints of {z >= 0 : M z <= 1}, as rows (p, d)."""
    return np.array(list(itertools.combinations(range(d + k), d)), dtype=np.intp)


def _stack_vertices_tiny(stack: np.ndarray, tol: float) -> list[tuple[list, int, bool]]:
    """:func:`_stack_vertices` for tiny polytopes: one d x d system per basis, one batch.

    The constraints are C = [I; M] with right-hand side [0; 1]; a basis is d rows of C. With
    few bases, two LAPACK calls on uniform d x d systems cost less than a batch per size s.
    """
    q, k, d = stack.shape
    constraints = np.concatenate([np.broadcast_to(np.eye(d), (q, d, d)), stack], axis=1)
    rhs = np.concatenate([np.zeros(d), np.ones(k)])
    sets = _tight_sets(d, k)
    systems = constraints[:, sets].reshape(-1, d, d)
    det = np.linalg.det(systems)
    idx = np.flatnonzero(det != 0.0)  # the LU of solve below then has no zero pivot
    z = np.linalg.solve(systems[idx], np.tile(rhs[sets], (q, 1))[idx][..., None])[..., 0]
    keep = z.min(axis=1) >= -tol
    idx, z = idx[keep], z[keep]
    owners = idx // len(sets)
    slacks = 1.0 - np.einsum("id,ikd->ik", z, stack[owners])
    suspects = np.abs(det[idx]) < SINGULAR_DET
    return [
        (_finish_vertices(z[mine], slacks[mine], suspects[mine], stack[o], tol), len(sets), False)
        for o in range(q)
        for mine in [owners == o]
    ]


def _stack_vertices(stack: np.ndarray, tol: float) -> list[tuple[list, int, bool]]:
    """:func:`polytope_vertices_batched` for q polytopes of one shape (q, k, d) in one pass."""
    q, k, d = stack.shape
    if math.comb(d + k, d) <= TINY_LIMIT:
        return _stack_vertices_tiny(stack, tol)
    flat = stack.reshape(q, -1)
    point_parts, owner_parts = [np.zeros((q, d))], [np.arange(q)]
    suspect_parts = [np.zeros(q, dtype=bool)]
    for s, free, rows in _basis_index(d, k):
        p = len(free) * len(rows)
        # flat positions of M[rows, free] in M.ravel(): one take is faster than 2-D indexing
        positions = (rows[None, :, :, None] * d + free[:, None, None, :]).reshape(p, s, s)
        systems = flat[:, positions].reshape(q * p, s, s)
        idx, z_free, suspect = _solve_bases(systems, tol)
        z = np.zeros((idx.size, d))
        np.put_along_axis(z, free[(idx % p) // len(rows)], z_free, axis=1)
        point_parts.append(z)
        owner_parts.append(idx // p)
        suspect_parts.append(suspect)
    points, owners, suspects = (
        np.concatenate(v) for v in (point_parts, owner_parts, suspect_parts)
    )
    slacks = 1.0 - np.einsum("id,ikd->ik", points, stack[owners])
    n_bases = math.comb(d + k, d)
    return [
        (
            _finish_vertices(points[mine], slacks[mine], suspects[mine], stack[o], tol),
            n_bases,
            False,
        )
        for o in range(q)
        for mine in [owners == o]
    ]


# -- all bases from the minors of [M | 1] (small polytopes) ---------------------------------
#: Up to this many candidate bases C(m + n, m) every basis is read off the minors of [M | 1]
#: (up to 8 x 8 games; the index plan of one size is cached, a few MB at this limit).
MINOR_LIMIT = 15_000


@dataclass(frozen=True)
class _MinorPlan:
    """Index arrays that compute every minor of N = [M | 1] and every basis of a polytope.

    ``steps`` builds the minors of size s >= 2 (one slot each in a flat array: slot 0 the
    empty minor 1, then the entries of N row by row, ..., the last slot 0) from those of size
    s − 1 by Laplace expansion along the last row: per size, the entries of N and the
    sub-minors to multiply, and the cofactor signs.
    A basis (tight rows R, free variables F, |R| = |F| = s) has determinant D = det M[R, F];
    by Cramer's rule D·z_j is the minor with column j of F replaced by the ones column, and
    D times the slack of a row r outside R is the minor on R ∪ {r} and F ∪ {ones} (a Schur
    complement), each with a sign; ``det`` and ``num`` (q, bases, d) index them (the last
    slot where z_j is 0 by the basis), with the signs ``num_sign``, and ``both`` (q, bases,
    d + k) the numerators followed by the slacks (the last slot for a tight row), with
    ``both_sign``. Offsets already add polytope o's block of the flat arrays, for q
    polytopes at once. ``bits`` turns a zero pattern (variables, then slacks) into a mask.
    """

    size: int
    steps: tuple
    det: np.ndarray
    num: np.ndarray
    num_sign: np.ndarray
    both: np.ndarray
    both_sign: np.ndarray
    bits: np.ndarray


@functools.lru_cache(maxsize=4)  # about 10 MB for two 8 x 8 polytopes
def _minor_plan(k: int, d: int, q: int) -> _MinorPlan:
    """The :class:`_MinorPlan` of q polytopes {z >= 0 : M z <= 1} with M of shape (k, d)."""
    w = d + 1  # columns of N: M's, then the ones column d
    top = min(k, w)
    rows = [list(itertools.combinations(range(k), s)) for s in range(top + 1)]
    cols = [list(itertools.combinations(range(w), s)) for s in range(top + 1)]
    row_rank = [{c: i for i, c in enumerate(r)} for r in rows]
    col_rank = [{c: i for i, c in enumerate(c_)} for c_ in cols]
    offset = [0] * (top + 2)
    offset[1] = 1  # slot 0: the empty minor
    for s in range(1, top + 1):
        offset[s + 1] = offset[s] + len(rows[s]) * len(cols[s])
    pad = offset[top + 1]  # the zero slot
    size = pad + 1
    n_of = (np.arange(q) * (k * w))[:, None, None]
    m_of = (np.arange(q) * size)[:, None, None]
    steps = []
    for s in range(2, top + 1):  # size 1 (entry r·w + c in slot 1 + r·w + c) is a copy
        last = np.array([r[-1] for r in rows[s]], dtype=np.intp)
        rest = np.array([row_rank[s - 1][r[:-1]] for r in rows[s]], dtype=np.intp)
        cs = np.array(cols[s], dtype=np.intp)
        drop = np.array(
            [[col_rank[s - 1][c[:t] + c[t + 1 :]] for t in range(s)] for c in cols[s]],
            dtype=np.intp,
        )
        entry = (last[:, None, None] * w + cs[None, :, :]).reshape(-1, s)
        sub = (offset[s - 1] + rest[:, None, None] * len(cols[s - 1]) + drop[None]).reshape(-1, s)
        sign = np.where(np.arange(s) % 2 == (s - 1) % 2, 1.0, -1.0)
        steps.append((offset[s], offset[s + 1], entry[None] + n_of, sub[None] + m_of, sign))
    dets, nums, num_signs, slacks, slack_signs = [], [], [], [], []
    for s in range(min(k, d) + 1):
        free = list(itertools.combinations(range(d), s))
        r_idx = np.array([row_rank[s][r] for r in rows[s]], dtype=np.intp)
        f_idx = np.array([col_rank[s][f] for f in free], dtype=np.intp)
        dets.append((offset[s] + r_idx[None, :] * len(cols[s]) + f_idx[:, None]).ravel())
        # D·z_j: column j of F replaced by the ones column (moved to the end: s-1-t swaps)
        num_col = np.full((len(free), d), -1, dtype=np.intp)
        num_sign = np.zeros((len(free), d))
        for i, f in enumerate(free):
            for t, j in enumerate(f):
                num_col[i, j] = col_rank[s][f[:t] + f[t + 1 :] + (d,)]
                num_sign[i, j] = (-1.0) ** (s - 1 - t)
        num = offset[s] + r_idx[None, :, None] * len(cols[s]) + num_col[:, None, :]
        nums.append(np.where(num_col[:, None, :] >= 0, num, pad).reshape(-1, d))
        num_signs.append(np.broadcast_to(num_sign[:, None, :], num.shape).reshape(-1, d))
        # D·slack_r for r outside R: rows R ∪ {r} (r moved from the end: s-p swaps) and
        # columns F ∪ {ones}
        slack_row = np.full((len(rows[s]), k), -1, dtype=np.intp)
        slack_sign = np.zeros((len(rows[s]), k))
        if s < k:
            for i, r in enumerate(rows[s]):
                for v in range(k):
                    if v not in r:
                        p = sum(u < v for u in r)
                        slack_row[i, v] = row_rank[s + 1][tuple(sorted(r + (v,)))]
                        slack_sign[i, v] = (-1.0) ** (s - p)
            plus = np.array([col_rank[s + 1][f + (d,)] for f in free], dtype=np.intp)
            slack = offset[s + 1] + slack_row[None] * len(cols[s + 1]) + plus[:, None, None]
        else:
            slack = np.zeros((len(free), len(rows[s]), k), dtype=np.intp)
        slacks.append(np.where(slack_row[None] >= 0, slack, pad).reshape(-1, k))
        slack_signs.append(
            np.broadcast_to(slack_sign[None], (len(free), len(rows[s]), k)).reshape(-1, k)
        )
    num = np.concatenate(nums)[None] + m_of
    slack = np.concatenate(slacks)[None] + m_of
    num_sign, slack_sign = np.concatenate(num_signs), np.concatenate(slack_signs)
    arrays = {
        "det": np.concatenate(dets)[None] + m_of[:, :, 0],
        "num": num,
        "num_sign": num_sign,
        "both": np.concatenate([num, slack], axis=2),
        "both_sign": np.concatenate([num_sign, slack_sign], axis=1),
        "bits": 1 << np.arange(d + k, dtype=np.int64),
    }
    for array in [*arrays.values(), *(a for step in steps for a in step[2:])]:
        array.flags.writeable = False  # shared by every call (cached)
    return _MinorPlan(size=size, steps=tuple(steps), **arrays)


def _minor_vertices(
    stack: np.ndarray, tol: float, *, exact: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The vertices other than the origin of q polytopes {z >= 0 : M z <= 1}, M positive.

    Every basis read off the minors of N = [M | 1]: one Laplace expansion per minor size
    gives every minor, and from them every basis's determinant, solution (Cramer's rule) and
    slacks, with a few dozen array operations in all (solving each basis costs one LAPACK
    call per matrix). Returns, per polytope of ``stack`` (q, k, d), the vertices (v, d) and
    their zero masks (v,), int64: bit j < d for z_j = 0, bit d + r for a tight row r. The
    float mode (``exact=False``) decides as :func:`polytope_vertices_batched` does: values
    within ``tol`` of 0 are 0, and a vertex found only from near-singular bases must have
    d linearly independent active constraints.

    With ``exact`` the entries of ``stack`` are positive integers small enough that every
    minor and every partial sum of its expansion is an integer below 2**53
    (:func:`_exact_in_floats`): the floats then hold the minors exactly, singular bases have
    determinant exactly 0, and signs and zeros are decided without a tolerance (``tol``
    should be 0); no basis is near singular, so no rank check is needed.
    """
    q, k, d = stack.shape
    plan = _minor_plan(k, d, q)
    entries = np.ones((q, k, d + 1))
    entries[:, :, :d] = stack
    entries = entries.reshape(-1)
    flat = np.empty(q * plan.size)
    minors = flat.reshape(q, plan.size)
    minors[:, 0], minors[:, -1] = 1.0, 0.0
    minors[:, 1 : 1 + entries.size // q] = entries.reshape(q, -1)  # size 1: the entries
    for start, stop, entry, sub, sign in plan.steps:
        minors[:, start:stop] = (entries.take(entry) * flat.take(sub)) @ sign
    det = flat.take(plan.det)
    nonsingular = det != 0.0
    scale = np.where(nonsingular, det, 1.0)[..., None]
    if exact:
        # z and the slacks, each an exact minor over D: signs and zeros are exact, and the
        # active constraints of a vertex determine it, so its zero mask identifies it
        values = flat.take(plan.both) * plan.both_sign / scale
        owners, idx = np.nonzero(nonsingular & (values.min(axis=2) >= 0.0))
        values = values[owners, idx] + 0.0  # -0.0 -> 0.0
        masks = (values == 0.0) @ plan.bits
        origin = (1 << d) - 1  # every variable zero
        first: list[dict] = [{} for _ in range(q)]
        for i, (o, mask) in enumerate(zip(owners.tolist(), masks.tolist())):
            if mask & origin != origin:
                first[o].setdefault(mask, i)
        return [(values[list(f.values()), :d], masks[list(f.values())]) for f in first]
    z = flat.take(plan.num) * plan.num_sign / scale
    # slacks recomputed from z, as a solver would: a near-singular basis returns a z that
    # misses its own rows, and they must not count as tight
    slack = 1.0 - np.einsum("qbd,qkd->qbk", z, stack)
    keep = nonsingular & (z.min(axis=2) >= -tol) & (slack.min(axis=2) >= -tol)
    owners, idx = np.nonzero(keep)
    return _finish_candidates(
        z[owners, idx],
        slack[owners, idx],
        np.abs(det[owners, idx]) < SINGULAR_DET,
        owners,
        stack,
        tol,
    )


def _finish_candidates(z, slack, suspect, owners, stack, tol) -> list[tuple]:
    """:func:`_finish_vertices` for feasible candidates of q polytopes at once.

    ``owners`` says which polytope each candidate belongs to; as in
    :func:`_finish_vertices`, rounded keys merge the bases of a vertex and a candidate from
    a near-singular basis is kept only if its active constraints have full rank. Returns
    ``(points, zero masks)`` of each polytope's vertices other than the origin.
    """
    q, k, d = stack.shape
    z = np.where(z <= tol, 0.0, z)  # also turns -0.0 into 0.0
    if suspect.any():  # near-singular bases first: a sound basis of the same vertex wins
        order = np.argsort(~suspect, kind="stable")
        z, slack, suspect, owners = z[order], slack[order], suspect[order], owners[order]
    mantissa, exponent = np.frexp(z)
    keys = np.concatenate([np.round(mantissa, 9), exponent], axis=1)
    rows = keys.tolist()
    one = list({(o, *row): i for i, (o, row) in enumerate(zip(owners.tolist(), rows))}.values())
    z, slack, suspect, owners = z[one], slack[one], suspect[one], owners[one]
    zero = np.concatenate([z == 0.0, np.abs(slack) <= tol], axis=1)
    if suspect.any():  # a vertex has d linearly independent active constraints
        vertex = np.ones(len(z), dtype=bool)
        for i in np.flatnonzero(suspect):
            constraints = np.concatenate([np.eye(d), stack[owners[i]]])
            norms = np.linalg.norm(constraints, axis=1, keepdims=True)
            constraints /= np.where(norms > 0.0, norms, 1.0)  # a scale-free rank
            vertex[i] = np.linalg.matrix_rank(constraints[zero[i]], tol=RANK_TOL) == d
        z, zero, owners = z[vertex], zero[vertex], owners[vertex]
    masks = zero @ (1 << np.arange(d + k, dtype=np.int64))
    nonzero = z.any(axis=1)
    return [(z[mine], masks[mine]) for o in range(q) for mine in [nonzero & (owners == o)]]


def _exact_in_floats(shapes) -> bool:
    """Whether float minors of positive integer matrices (and of [M | 1]) are exact.

    ``shapes`` holds ``(k, d, largest entry)`` per matrix. Every partial sum of the Laplace
    expansion of an s x s minor is a sum of distinct terms of its Leibniz expansion, so it
    is at most s!·max^s in magnitude; below 2**53 every product and sum of these integers
    is exact in float64.
    """
    for k, d, largest in shapes:
        top = min(k, d + 1)
        if math.factorial(top) * float(largest) ** top >= 2.0**53:
            return False
    return True


def _partner_vertices(x_vertices, matrix: np.ndarray, tol: float):
    """The vertices of Q = {y >= 0 : M y <= 1} (M positive, m x n) that complete some vertex x.

    ``x_vertices`` are the vertices of P with their game-label masks (label i: x_i = 0, label
    m + j: column j tight). A partner y must carry every label C that x lacks; when x has
    exactly m labels these are n constraints and y solves one n x n system. A degenerate x
    with m + e labels leaves n − e labels to y, completed by e of x's own labels in every
    way. If the constraints C are linearly dependent that completion could miss partners:
    returns None, and the caller enumerates all of Q instead. Returns ``(vertices, n_bases)``
    in the convention of :func:`polytope_vertices_batched` otherwise.
    """
    m, n = matrix.shape
    # Q's constraint rows in polytope order: y_j >= 0 (j < n), then row i of M (n + i).
    constraints = np.concatenate([np.eye(n), matrix])
    groups: dict[int, list] = {}
    for point, mask in x_vertices:
        if not any(point):
            continue
        have = [label for label in range(m + n) if mask >> label & 1]
        lack = [label for label in range(m + n) if not mask >> label & 1]
        extra = n - len(lack)
        if extra < 0:
            return None
        if extra and np.linalg.matrix_rank(
            constraints[[lab - m if lab >= m else n + lab for lab in lack]], tol=RANK_TOL
        ) < len(lack):
            return None
        for more in itertools.combinations(have, extra):
            chosen = lack + list(more)
            zero = {lab - m for lab in chosen if lab >= m}
            rows = sorted(lab for lab in chosen if lab < m)
            if rows:  # no tight row: y = 0, not a partner
                groups.setdefault(len(rows), []).append(
                    (rows, [j for j in range(n) if j not in zero])
                )
    flat = matrix.ravel()
    point_parts, suspect_parts, count = [np.zeros((0, n))], [np.zeros(0, dtype=bool)], 0
    for bases in groups.values():
        tight = np.array([r for r, _ in bases], dtype=np.intp)
        free = np.array([f for _, f in bases], dtype=np.intp)
        count += len(bases)
        idx, z_free, suspect = _solve_bases(flat[tight[:, :, None] * n + free[:, None, :]], tol)
        z = np.zeros((idx.size, n))
        np.put_along_axis(z, free[idx], z_free, axis=1)
        point_parts.append(z)
        suspect_parts.append(suspect)
    points, suspects = np.concatenate(point_parts), np.concatenate(suspect_parts)
    return _finish_vertices(points, 1.0 - points @ matrix.T, suspects, matrix, tol), count


# -- matching -------------------------------------------------------------------------------
def _label_masks(zero_masks, d: int, k: int, offset_vars: int, offset_slacks: int) -> list[int]:
    """Turn zero-variable masks into game-label masks (variables then slacks)."""
    low = (1 << d) - 1
    return [((mask & low) << offset_vars) | ((mask >> d) << offset_slacks) for mask in zero_masks]


def _complete_pairs(x_masks: list[int], y_masks: list[int], n_labels: int) -> list[tuple]:
    full = (1 << n_labels) - 1
    if n_labels <= 62 and x_masks and y_masks:
        xs, ys = np.array(x_masks, dtype=np.int64), np.array(y_masks, dtype=np.int64)
        i, j = np.nonzero((xs[:, None] | ys[None, :]) == full)
        return list(zip(i.tolist(), j.tolist()))
    return [
        (i, j) for i, mx in enumerate(x_masks) for j, my in enumerate(y_masks) if mx | my == full
    ]


def solve_two_player(
    game,
    *,
    arithmetic: str = "auto",
    tol: float = VERTEX_TOL,
    max_bases: int = 1_000_000,
    limit: int = 10_000,
) -> EquilibriumSet:
    """All extreme Nash equilibria of a two-player :class:`~coordgap.NormalFormGame`.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    arithmetic : {"auto", "exact", "float"}
        ``"auto"`` uses exact integer arithmetic when the payoffs are exact (ints or
        Fractions), integer-valued floats, or floats that each player's affine map onto
        [0, 1] sends to small fractions (a scaled or shifted integer game; see
        :func:`~coordgap.solvers.normal_form.normalized`), or when two distinct payoffs of a
        player are closer than ``tol`` times 1e3 relative to that player's payoff range (the
        float path could not tell them apart), and floats with tolerance ``tol`` on the
        payoffs mapped onto [0, 1] otherwise; ``"exact"`` takes any float payoffs at their
        exact binary values.
    tol : float
        Tie tolerance of the float path, relative to each player's payoff range.
    max_bases : int
        Safety limit on the feasible bases visited per polytope.
    limit : int
        Largest number of equilibria listed (``n_equilibria`` counts them all).

    Returns
    -------
    EquilibriumSet
        ``complete`` is True for the exact path (unless ``max_bases`` or ``limit`` was hit);
        ``continuum`` says whether some equilibria lie on segments between listed extreme
        ones; ``success`` says whether every listed equilibrium passed its certificate.

    Examples
    --------
    A degenerate game (Nashpy issue 222): the column player's first action is a best reply to
    every row mix with P(row 0) <= 2/7, so the extreme equilibria are the two ends.

    >>> import coordgap as cg
    >>> g = cg.NormalFormGame.from_bimatrix([[-3, 3], [-3, 5]], [[2, 7], [4, 2]])
    >>> eqs = cg.solve(g)
    >>> eqs.complete, eqs.continuum, len(eqs)
    (True, True, 2)
    >>> sorted(str(e.exact_strategies[0][0]) for e in eqs)
    ['0', '2/7']
    >>> [e.max_regret for e in eqs]
    [0.0, 0.0]

    Scaling the payoffs changes nothing (matching pennies at 1e-12):

    >>> import numpy as np
    >>> A = np.array([[1, -1], [-1, 1]]) * 1e-12
    >>> eqs = cg.solve(cg.NormalFormGame.from_bimatrix(A, -A))
    >>> [e.strategies[0].tolist() for e in eqs], eqs.success, eqs.complete
    ([[0.5, 0.5]], True, True)
    """
    if game.n_players != 2:
        raise InvalidParameterError(
            "solve_two_player", "game", "a two-player game", f"{game.n_players} players"
        )
    if arithmetic not in ("auto", "exact", "float"):
        raise InvalidParameterError(
            "solve_two_player", "arithmetic", "one of 'auto', 'exact', 'float'", arithmetic
        )
    check_limit(limit)
    norm, how = None, "float"
    snapped = False
    if arithmetic == "float":
        source = None
    elif arithmetic == "exact" or game.is_exact or _integral(game.payoffs):
        # integer-valued floats lose nothing in exact arithmetic (and have no tie ambiguity)
        source = game.exact_payoffs if game.is_exact else _exact_copy(game).exact_payoffs
    else:
        norm, how = normalized(game)
        if how == "snapped":  # a scaled integer game: solved exactly as that game
            source, snapped = norm.exact_payoffs, True
        elif _beyond_tolerance(norm.payoffs, tol):
            source = _exact_copy(game).exact_payoffs
        else:
            source = None
    exact = source is not None
    m, n = game.shape
    n_bases = math.comb(m + n, m)
    by_minors = n_bases <= MINOR_LIMIT and m + n <= 62  # label masks fit in an int64
    in_floats = False  # float path on integer payoffs whose minors floats hold exactly
    x_cut = y_cut = False
    # Vertices other than the origin: as lists of (point, zero mask) on the exact path and
    # the pivoting float paths, as arrays (points, zero masks) on the minors paths.
    if exact:
        assert source is not None
        a = _to_positive_integers(source[..., 0])
        b = _to_positive_integers(source[..., 1])
        x_vertices, x_bases, x_cut = polytope_vertices_exact(b.T.copy(), max_bases=max_bases)
        y_vertices, y_bases, y_cut = polytope_vertices_exact(a, max_bases=max_bases)
    elif by_minors and (shifted := _small_integers(game.payoffs)) is not None:
        # every basis from exact minors: no tolerance, no rank test (see _minor_vertices)
        in_floats = True
        a, b = shifted
        x_found, y_found = _both_minor_vertices(b.T, a, 0.0, exact=True)
        x_bases = y_bases = n_bases
    else:
        # payoffs mapped onto [1, 2], then into (0, 1]: the tolerance is relative to the range
        unit = norm.payoffs if norm is not None else unit_payoffs(game.payoffs)
        a = unit[..., 0] + 1.0
        b = unit[..., 1] + 1.0
        a, b = a / a.max(), b / b.max()
        if by_minors:  # small: every basis of both polytopes from minors
            x_found, y_found = _both_minor_vertices(b.T, a, tol)
            x_bases = y_bases = n_bases
        elif n_bases <= BATCH_LIMIT:  # solve every basis of P at once ...
            x_vertices, x_bases, x_cut = polytope_vertices_batched(b.T, tol=tol)
            # ... and of Q only the bases complementary to a vertex of P
            partners = _partner_vertices(x_vertices, a, tol) if n_bases > PARTNER_LIMIT else None
            if partners is None:
                y_vertices, y_bases, y_cut = polytope_vertices_batched(a, tol=tol)
            else:
                (y_vertices, y_bases), y_cut = partners, False
        else:
            x_vertices, x_bases, x_cut = polytope_vertices_float(b.T, tol=tol, max_bases=max_bases)
            y_vertices, y_bases, y_cut = polytope_vertices_float(a, tol=tol, max_bases=max_bases)
    # P: x_i -> label i, slack of column j -> label m + j. Q: y_j -> m + j, slack of row i -> i.
    if by_minors and not exact:
        (x_points, x_zero), (y_points, y_zero) = x_found, y_found
        y_labels = ((y_zero & ((1 << n) - 1)) << m) | (y_zero >> n)
        pair_x, pair_y = np.nonzero((x_zero[:, None] | y_labels[None, :]) == (1 << (m + n)) - 1)
        n_vertices = (len(x_points), len(y_points))
    else:
        x_vertices = [v for v in x_vertices if any(v[0])]
        y_vertices = [v for v in y_vertices if any(v[0])]
        x_masks = _label_masks([v[1] for v in x_vertices], m, n, 0, m)
        y_masks = _label_masks([v[1] for v in y_vertices], n, m, m, 0)
        pairs = _complete_pairs(x_masks, y_masks, m + n)
        pair_x = np.array([i for i, _ in pairs], dtype=np.intp)
        pair_y = np.array([j for _, j in pairs], dtype=np.intp)
        n_vertices = (len(x_vertices), len(y_vertices))
        if not exact:
            x_points = np.array([v[0] for v in x_vertices], dtype=float).reshape(-1, m)
            y_points = np.array([v[0] for v in y_vertices], dtype=float).reshape(-1, n)

    records: list[NormalFormEquilibrium] = []
    if exact:
        # exactly certified on exact payoffs (or floats taken at their binary values); for a
        # scaled integer game the fractions are certified in floats on the game
        record_game = game if game.is_exact or snapped else _exact_copy(game)
        for i, j in pairs:
            x, y = x_vertices[i][0], y_vertices[j][0]
            sx, sy = sum(x), sum(y)
            profile = ([v / sx for v in x], [v / sy for v in y])
            records.append(make_equilibrium(record_game, profile, exact=True))
        records.sort(key=lambda e: tuple(-np.concatenate(e.strategies)))
    elif pair_x.size:
        points = np.concatenate([x_points[pair_x], y_points[pair_y]], axis=1)
        points /= np.repeat(np.add.reduceat(points, [0, m], axis=1), [m, n], axis=1)
        # tolerance ties can report one vertex under two label sets: keep the first (exact
        # minors give distinct vertices, and distinct nonzero vertices of a polytope that
        # contains the origin have distinct directions, so distinct pairs are distinct points)
        if not in_floats:
            points = points[_first_of_each(points)]
        if len(points) > 1:  # as sorting by the tuple of -p
            points = points[np.lexsort((-points).T[::-1])]
        records = bimatrix_equilibria(game, points, support_tol=tol)

    # a vertex with two partners: the segment between the two equilibria is equilibria too
    listed_x, listed_y = pair_x.tolist(), pair_y.tolist()
    continuum = len(set(listed_x)) < len(listed_x) or len(set(listed_y)) < len(listed_y)
    truncated = x_cut or y_cut
    if exact:
        name = "vertex-enumeration-exact"
        message = "exact integer pivoting"
        if snapped:
            message += (
                " on the payoffs mapped onto [0, 1], recognized as small fractions "
                "(a scaled integer game); regrets in floats on the given payoffs"
            )
    elif in_floats:
        name = "vertex-enumeration-float"
        message = (
            "floating-point vertex enumeration on integer payoffs small enough that every "
            "minor is exact in floats (no tie tolerance); regrets in floats (use "
            "method='exact' for exact certificates)"
        )
    else:
        name = "vertex-enumeration-float"
        message = (
            f"floating-point pivoting with tie tolerance {tol:g} relative to the "
            "payoff ranges; complete up to rounding (use method='exact' for a proof)"
        )
    if continuum:
        message += (
            "; degenerate game: some equilibria form segments between listed extreme "
            "equilibria (maximal Nash subsets)"
        )
    if truncated:
        message += f"; stopped after max_bases={max_bases} bases, list may be incomplete"
        warnings.warn(f"two-player vertex enumeration: {message}", ConvergenceWarning, stacklevel=4)
    total = len(records)
    listed, shown = limited(records, limit)
    return finish(
        game,
        listed,
        method=name,
        complete=exact and not truncated and not shown,
        message=message + shown,
        ok=not truncated,
        stacklevel=4,
        continuum=continuum,
        n_equilibria=total,
        details={"bases_visited": (x_bases, y_bases), "vertices": n_vertices},
    )


def _integral(payoffs: np.ndarray) -> bool:
    """Whether every payoff is an integer-valued float below 2**53 (exact as an integer)."""
    return bool(np.all(np.abs(payoffs) < 2.0**53) and np.all(payoffs == np.round(payoffs)))


def _small_integers(payoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(A', B'): each player's integer payoffs shifted to integers >= 1, if exact in floats.

    None unless every payoff is an integer-valued float and the minors of the best-response
    polytopes' matrices are exact in float64 (:func:`_exact_in_floats`). Adding a constant to
    a player's payoffs leaves the equilibria unchanged.
    """
    flat = payoffs.reshape(-1, 2)
    low, high = flat.min(axis=0), flat.max(axis=0)
    (low_a, low_b), (high_a, high_b) = low.tolist(), high.tolist()
    m, n = payoffs.shape[:2]
    # the largest entries of A' and B' are high - low + 1 (exact: integers below 2**53)
    if not (
        min(low_a, low_b) > -(2.0**52)
        and max(high_a, high_b) < 2.0**52
        and _exact_in_floats(((n, m, high_b - low_b + 1.0), (m, n, high_a - low_a + 1.0)))
        and (flat == np.rint(flat)).all()
    ):
        return None
    shifted = payoffs - (low - 1.0)
    return shifted[..., 0], shifted[..., 1]


def _both_minor_vertices(p_matrix, q_matrix, tol: float, *, exact: bool = False) -> list:
    """:func:`_minor_vertices` of P and Q, in one pass when their shapes agree."""
    if p_matrix.shape == q_matrix.shape:
        return _minor_vertices(np.stack([p_matrix, q_matrix]), tol, exact=exact)
    return [_minor_vertices(mat[None], tol, exact=exact)[0] for mat in (p_matrix, q_matrix)]


def _first_of_each(points: np.ndarray) -> np.ndarray:
    """Indices of the points not within ``SAME_POINT`` (max-norm) of an earlier kept one."""
    count = len(points)
    if count < 2:
        return np.arange(count)
    if count <= 256:
        close = np.abs(points[:, None, :] - points[None, :, :]).max(axis=2) <= SAME_POINT
        if not np.triu(close, 1).any():  # the usual case: all distinct
            return np.arange(count)
        keep: list[int] = []
        for i in range(count):
            if not close[i, keep].any():
                keep.append(i)
        return np.array(keep, dtype=np.intp)
    keep = [0]
    for i in range(1, count):
        if np.abs(points[keep] - points[i]).max(axis=1).min() > SAME_POINT:
            keep.append(i)
    return np.array(keep, dtype=np.intp)


def _beyond_tolerance(payoffs: np.ndarray, tol: float) -> bool:
    """Whether some player's distinct payoffs differ by less than 1e3·tol of their range.

    The float path maps each player's payoffs onto [1, 2] and decides ties with ``tol``; a
    smaller relative gap (say 1 next to 1e140) could be taken for a tie or lost in rounding.
    """
    for k in range(payoffs.shape[-1]):
        values = np.unique(payoffs[..., k])
        if values.size > 1 and np.diff(values).min() < 1e3 * tol * (values[-1] - values[0]):
            return True
    return False


def _exact_copy(game):
    """The game with its float payoffs taken as exact binary fractions."""
    values = np.empty(game.payoffs.shape, dtype=object)
    for idx, v in np.ndenumerate(game.payoffs):
        values[idx] = Fraction(float(v))
    return NormalFormGame(values, players=game.players, actions=game.actions, title=game.title)
