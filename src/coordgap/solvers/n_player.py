"""Equilibria of N-player normal-form games.

* :func:`solve_pure` — every pure Nash equilibrium of any finite game, by one vectorized pass
  over the payoff array (compare each payoff with the best reply along the player's own axis).
* :func:`solve_binary_actions` — every Nash equilibrium (pure, partly mixed, totally mixed,
  asymmetric) of a game where each player has two actions, N <= 5: for each of the 3^N
  support patterns (each player plays action 0, action 1, or mixes) the mixing players'
  indifference conditions form a system of multilinear polynomial equations in the mixing
  probabilities. Systems with one or two unknowns are affine and solved exactly in closed
  form (or with sympy: lex Groebner basis, exact real roots); larger ones by certified branch
  and bound on the unit box
  (:mod:`coordgap.solvers.multilinear`), all patterns with the same number of unknowns in
  one batch. Real roots in (0, 1) that also make every pure player's action a best reply
  are equilibria. Patterns where some action is strictly dominated given the supports
  (conditional dominance, read off the corner values of the gains) are skipped unsolved.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from ..errors import InvalidParameterError
from ..results import EquilibriumSet
from ..tolerances import GAIN_TOL, SAME_POINT, TIE_RTOL
from .compiled import engine_module
from .exact_polynomial import sympy_pattern_solutions
from .multilinear import _point_weights, batch_unit_box_roots, no_roots_in_unit_box
from .normal_form import (
    binary_action_equilibria,
    check_limit,
    finish,
    indifferent_players,
    limited,
    make_equilibrium,
    normalized,
    solve_indifferent,
)

__all__ = ["solve_pure", "solve_binary_actions", "pure_equilibrium_profiles"]


def pure_equilibrium_profiles(game, *, tol: float | None = None) -> np.ndarray:
    """Action profiles (rows) that are pure Nash equilibria, in lexicographic order.

    Exact payoffs are compared exactly; float payoffs with tolerance ``tol`` (default
    ``1e-12``) times each player's payoff range, so scaling or shifting a player's payoffs
    changes nothing.

    Parameters
    ----------
    game : NormalFormGame
        The game.
    tol : float, optional
        Tie tolerance relative to each player's payoff range (float payoffs only).

    Returns
    -------
    ndarray of int
        Shape (K, n_players): one row of action indices per pure equilibrium.
    """
    if game.is_exact:
        values, slack = game.exact_payoffs, [0] * game.n_players
    else:
        values = game.payoffs
        flat = values.reshape(-1, game.n_players)
        slack = (TIE_RTOL if tol is None else tol) * (flat.max(axis=0) - flat.min(axis=0))
    ok = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        u = values[..., i]
        best = u.max(axis=i, keepdims=True)
        ok &= np.asarray(u + slack[i] >= best, dtype=bool)
    return np.argwhere(ok)


def solve_pure(game, *, limit: int = 10_000, tol: float | None = None) -> EquilibriumSet:
    """All pure Nash equilibria of a :class:`~coordgap.NormalFormGame`.

    The list is complete for pure equilibria (mixed ones are not searched), except when every
    player is indifferent everywhere: then every profile is an equilibrium and the pure
    profiles listed are the extreme points of that continuum.

    Parameters
    ----------
    game : NormalFormGame
        The game.
    limit : int
        Largest number of equilibria listed (``n_equilibria`` counts them all).
    tol : float, optional
        Tie tolerance relative to each player's payoff range (float payoffs; default 1e-12).

    Returns
    -------
    EquilibriumSet
        Of :class:`~coordgap.solvers.normal_form.NormalFormEquilibrium`, in lexicographic
        order of the profiles; ``complete`` for pure equilibria unless cut at ``limit``.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> stag = cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> eqs = cg.solve(stag, method="pure")
    >>> [e.support for e in eqs]
    [((0,), (0,)), ((1,), (1,))]
    """
    check_limit(limit)
    if indifferent_players(game).all():
        return solve_indifferent(game, limit=limit, method="pure-enumeration")
    profiles = pure_equilibrium_profiles(game, tol=tol)
    shown = profiles[:limit]
    records = tuple(
        make_equilibrium(game, _one_hot(game, p, exact=game.is_exact), exact=game.is_exact)
        for p in shown
    )
    message = (
        "all pure equilibria (the list is complete for pure equilibria; mixed "
        "equilibria were not searched)"
    )
    if all(k == 2 for k in game.shape) and game.n_players > 1 and game.is_symmetric:
        message += (
            "; the game is symmetric with two actions: "
            "cg.solve(cg.SymmetricBinaryGame.from_normal_form(game)) lists every "
            "symmetric mixed equilibrium"
        )
    if len(profiles) > limit:
        message += f"; showing the first {limit} of {len(profiles)}"
    return finish(
        game,
        records,
        method="pure-enumeration",
        complete=len(profiles) <= limit,
        message=message,
        stacklevel=4,
        n_equilibria=len(profiles),
        details={"pure_only": True},
    )


def _one_hot(game, profile, *, exact: bool):
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    return [[one if k == a else zero for k in range(n)] for a, n in zip(profile, game.shape)]


# -- every equilibrium of games with two actions per player ----------------------------------
def _corner_tensors(game) -> list[np.ndarray]:
    """Gain D_i of each player at every pure profile of the others, as corner tensors.

    Axis j of ``out[i]`` is indexed by c_j = 1 when player j takes action 0 (so that p_j =
    P(action 0) interpolates between the corners); axis i has the same value at both ends.
    """
    values = game.exact_payoffs if game.is_exact else game.payoffs
    out = []
    for i in range(game.n_players):
        u = values[..., i]
        diff = np.take(u, [0], axis=i) - np.take(u, [1], axis=i)
        diff = np.broadcast_to(diff, u.shape)
        out.append(diff[(slice(None, None, -1),) * game.n_players])
    return out


def solve_binary_actions(
    game,
    *,
    algebra: str = "auto",
    max_players: int = 5,
    limit: int = 10_000,
    engine: str = "auto",
) -> EquilibriumSet:
    """Every Nash equilibrium of a game in which each player has two actions (N <= 5).

    For every support pattern (each player plays action 0, action 1, or mixes) the mixing
    players' indifference equations D_i(p) = 0 (multilinear in the others' probabilities
    p_j of action 0) are solved for real roots in (0, 1)^S, then kept if every pure player's
    action is a best reply there.

    Parameters
    ----------
    game : NormalFormGame
        A game in which every player has two actions.
    algebra : {"auto", "sympy", "subdivision"}
        ``"sympy"`` solves each system exactly (lex Groebner basis; exact real roots,
        rational or algebraic; a positive-dimensional basis is a continuum).
        ``"subdivision"`` isolates the roots by branch and bound on the unit box with a
        Krawczyk proof of existence and uniqueness per root
        (:func:`coordgap.solvers.multilinear.unit_box_roots`), falling back to sympy for a
        pattern it cannot resolve. ``"auto"`` solves patterns with one or two mixing
        players in closed form (each gain is then affine in the other mixer's probability;
        exact Fractions) and uses subdivision for larger ones.
    max_players : int
        Largest number of players accepted (3^N support patterns are solved).
    limit : int
        Largest number of equilibria listed (``n_equilibria`` counts them all).
    engine : {"auto", "numpy", "numba"}
        How the branch and bound runs (patterns with four or more mixing players):
        ``"numba"`` compiled (the ``fast`` extra), ``"numpy"`` as arrays, ``"auto"`` compiled
        inside :func:`~coordgap.solvers.compiled.compiled_search` when numba is installed.
        The roots are the same.

    Returns
    -------
    EquilibriumSet
        ``complete`` is True unless some pattern has a continuum of solutions that could not
        be described (with a single mixing player the continuum is a segment and its ends are
        listed; ``continuum`` is then True). When every player is indifferent everywhere,
        every profile is an equilibrium: the pure profiles (the extreme points) are listed.
        The patterns are solved on each player's payoffs mapped onto [0, 1], so scaling or
        shifting payoffs changes nothing; regrets are in the game's units.

    Examples
    --------
    The 3-player threshold public good (gain 3 if at least two contribute, contributing
    costs 1): nobody contributes; exactly two contribute (3 ways); one contributes and the
    other two contribute with probability 2/3 (3 ways); and all three contribute with
    probability 1/2 ± sqrt(3)/6.

    >>> import coordgap as cg
    >>> g = cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1)
    >>> eqs = cg.solve(g.to_normal_form())
    >>> len(eqs), eqs.complete, eqs.max_regret < 1e-12
    (9, True, True)
    """
    n = game.n_players
    if any(k != 2 for k in game.shape) or n > max_players:
        raise InvalidParameterError(
            "solve_binary_actions",
            "game",
            f"a game where every player has 2 actions and N <= {max_players}",
            f"shape {game.shape}",
        )
    if algebra not in ("auto", "sympy", "subdivision"):
        raise InvalidParameterError(
            "solve_binary_actions", "algebra", "one of 'auto', 'sympy', 'subdivision'", algebra
        )
    check_limit(limit)
    engine_module("solve", engine, "_multilinear_jit")  # a bad engine fails before any work
    if indifferent_players(game).all():
        return solve_indifferent(game, limit=limit, method="support-polynomial")
    solved, _ = normalized(game)
    found, unresolved, segments = _solve_patterns(solved, game, algebra, engine=engine)
    records = _dedupe(found, ordered=True)  # certified in the game's units
    message = "all equilibria by support patterns and polynomial root isolation"
    if segments:
        message += (
            "; patterns " + ", ".join(segments) + " have a segment of equilibria "
            "(one mixing player indifferent everywhere): its ends are listed"
        )
    if unresolved:
        message += (
            "; degenerate game: the indifference equations of patterns "
            + ", ".join(unresolved)
            + " have a continuum of solutions, not listed"
        )
    total = len(records)
    records, shown = limited(records, limit)
    return finish(
        game,
        records,
        method="support-polynomial",
        complete=not unresolved and not shown,
        message=message + shown,
        stacklevel=4,
        continuum=bool(unresolved or segments),
        n_equilibria=total,
        details={"continuum_patterns": tuple(unresolved), "segment_patterns": tuple(segments)},
    )


_PATTERN_TABLES: dict[int, tuple[list, np.ndarray]] = {}


def _pattern_table(n: int) -> tuple[list, np.ndarray]:
    """The 3^N support patterns in enumeration order, and their codes (cached per N).

    A code is, per player, the index of the pattern's face along that player's axis of the
    corner tensors: 1 (plays action 0, p = 1), 0 (plays action 1, p = 0) or 2 (mixes: the
    axis is free).
    """
    if n not in _PATTERN_TABLES:
        patterns = list(itertools.product((1, 0, None), repeat=n))
        codes = np.array([[2 if c is None else c for c in p] for p in patterns], dtype=np.intp)
        _PATTERN_TABLES[n] = (patterns, codes.reshape(-1, n))
    return _PATTERN_TABLES[n]


def _face_extremes(tensor: np.ndarray, first: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest corner value of ``tensor`` on every face of the unit cube.

    Shape (3,)*N each: index 0 or 1 on an axis fixes that coordinate, index 2 frees it.
    Axes before ``first`` are kept as they are (a stack of tensors).
    """
    low = high = tensor
    for axis in range(first, tensor.ndim):
        low = np.concatenate((low, low.min(axis=axis, keepdims=True)), axis=axis)
        high = np.concatenate((high, high.max(axis=axis, keepdims=True)), axis=axis)
    return low, high


def _surviving_patterns(float_tensors, codes: np.ndarray) -> np.ndarray:
    """Mask of the support patterns that can hold an equilibrium (conditional dominance).

    On a pattern's face the gain D_i of player i is multilinear in the mixing players'
    probabilities, so it lies between its least and greatest corner value there (a
    multilinear function takes its extremes at vertices). A pattern is dropped when

    * a mixing player's gain has one strict sign at every corner of the face: one of its two
      actions is strictly better against every profile of the face (the other is strictly
      dominated given the supports), so it cannot be indifferent, and the pattern's
      indifference system has no solution at all (the solvers would return nothing and
      report no continuum);
    * a pure player's action is worse than the other by more than ``GAIN_TOL`` at every
      corner: every candidate of the face fails the best-reply check that follows the solve
      (the same test, with the same tolerance, evaluated at a point of the face), so no
      equilibrium is lost (a continuum of solutions on such a face holds no equilibrium, so it
      is no longer reported as unresolved). Not applied to patterns with one mixing player,
      whose face may be a segment of solutions that is reported as such.

    Signs of float corner values are exact: each is one rounded difference of two payoffs
    (or the float of an exact Fraction), whose sign is that of the exact value.
    """
    # every player's gains at once: player on the first axis, which no face fixes
    n = len(float_tensors)
    low, high = _face_extremes(np.stack(float_tensors), first=1)
    faces, mixing, plays_0, plays_1, not_one = _pattern_masks(codes)
    low = low.reshape(n, -1)[:, faces].T
    high = high.reshape(n, -1)[:, faces].T
    dead = np.any(mixing & ((low > 0) | (high < 0)), axis=1)
    wrong = (plays_0 & (high < -GAIN_TOL)) | (plays_1 & (low > GAIN_TOL))
    dead |= np.any(wrong, axis=1) & not_one
    return ~dead


_PATTERN_MASKS: dict[bytes, tuple] = {}


def _pattern_masks(codes: np.ndarray) -> tuple:
    """Per pattern: its face's number in the (3,)*N tables, who mixes, who plays action 0, who
    plays action 1, and whether the number of mixing players is not one (cached)."""
    key = codes.tobytes() + bytes([codes.shape[1]])
    if key not in _PATTERN_MASKS:
        n = codes.shape[1]
        faces = np.ravel_multi_index(tuple(codes.T), (3,) * n)
        mixing = codes == 2
        _PATTERN_MASKS[key] = (faces, mixing, codes == 1, codes == 0, mixing.sum(axis=1) != 1)
    return _PATTERN_MASKS[key]


def _pure_conditions(float_tensors, pattern, index) -> np.ndarray:
    """Pure players' gains on the pattern's face, signed so that ``>= -GAIN_TOL`` is a best reply.

    Shape (r, 2^k): one row of face corner values per pure player (k mixing players).
    """
    rows = [
        (float_tensors[i][index] if c == 1 else -float_tensors[i][index]).ravel()
        for i, c in enumerate(pattern)
        if c is not None
    ]
    size = rows[0].size if rows else 1 << sum(c is None for c in pattern)
    return np.array(rows, dtype=float).reshape(-1, size)


def _solve_patterns(
    solved, game, algebra: str, prune: bool = True, engine: str = "auto"
) -> tuple[list, list, list]:
    """Equilibrium records of every support pattern of ``solved`` (payoffs in [0, 1]).

    Records are certified on ``game`` (the game in its own units; ``solved`` is its
    :func:`normalized` image). Returns ``(records, unresolved, segments)``: the pattern names
    whose solutions form a continuum that is not listed, and those whose segment ends are
    listed. Patterns that cannot hold an equilibrium are skipped first
    (:func:`_surviving_patterns`); the systems left for branch and bound are solved together,
    one batch per number of unknowns. ``prune=False`` visits every pattern (for tests).
    """
    n = solved.n_players
    tensors = None if solved.is_exact else _corner_tensors(solved)  # exact: when needed
    float_tensors, closed = _float_and_integer_tensors(solved, tensors)
    if closed is None:  # the closed forms' exact arithmetic: integers, else the Fractions
        tensors = tensors if tensors is not None else _corner_tensors(solved)
        closed = tensors
    patterns, codes = _pattern_table(n)
    sympy_state: dict = {}
    results: dict[int, list | None] = {}  # pattern number -> candidates (None: continuum)
    batches: dict[int, list] = {}  # number of unknowns -> [(pattern number, system, conditions)]
    quadratic: set[int] = set()  # patterns solved by the three-mixer closed form
    alive = _surviving_patterns(float_tensors, codes) if prune else np.ones(len(codes), bool)
    for number in np.flatnonzero(alive).tolist():
        pattern = patterns[number]
        mixing = [j for j, c in enumerate(pattern) if c is None]
        k = len(mixing)
        if not k:
            results[number] = [()]
            continue
        if algebra == "auto" and k <= 2:
            # One or two mixers: each gain is affine in the other's probability (closed form).
            results[number] = _affine_pattern_solutions(closed, pattern, mixing)
            continue
        if algebra == "auto" and k == 3:
            # Three mixers: a quadratic in closed form when the system is generic.
            candidates = _three_mixer_solutions(closed, pattern, mixing)
            if candidates is not None:
                results[number] = candidates
                quadratic.add(number)
                continue
        index = tuple(slice(None) if c is None else c for c in pattern)
        system = np.stack([float_tensors[i][index] for i in mixing])
        if not np.all(np.any(system.reshape(k, -1), axis=1)):
            # An equation vanishes identically: fewer equations than unknowns, so roots are
            # never isolated (subdivision could only exhaust its budget, and exact algebra
            # can only prove the system inconsistent, slowly beyond 3 unknowns).
            if no_roots_in_unit_box(system):
                results[number] = []
            elif k <= 3:
                results[number] = sympy_pattern_solutions(solved, pattern, mixing, sympy_state)
            else:
                results[number] = None
        elif algebra == "sympy":
            results[number] = sympy_pattern_solutions(solved, pattern, mixing, sympy_state)
        else:
            conditions = _pure_conditions(float_tensors, pattern, index)
            batches.setdefault(k, []).append((number, system, conditions))
    for group in batches.values():
        solutions = batch_unit_box_roots(
            np.stack([s for _, s, _ in group]),
            np.stack([c for _, _, c in group]),
            constraint_tol=GAIN_TOL,
            engine=engine,
        )
        for (number, _, _), (roots, certain) in zip(group, solutions):
            pattern = patterns[number]
            mixing = [j for j, c in enumerate(pattern) if c is None]
            results[number] = (
                list(roots)
                if certain
                else sympy_pattern_solutions(solved, pattern, mixing, sympy_state)
            )
    solved_patterns: list = []  # (pattern number, mixing players, candidates) in order
    unresolved: list[str] = []
    segments: list[str] = []
    for number in sorted(results):
        pattern, candidates = patterns[number], results[number]
        mixing = [j for j, c in enumerate(pattern) if c is None]
        if candidates is None and len(mixing) == 1:
            pure = [i for i in range(n) if pattern[i] is not None]
            gains = closed if solved.is_exact else tensors
            candidates = _segment_ends(gains, pattern, mixing[0], pure, solved.is_exact)
            segments.append(_pattern_name(pattern))
        elif candidates is None:
            unresolved.append(_pattern_name(pattern))
            continue
        if candidates:
            solved_patterns.append((number, mixing, candidates))
    # interpolation weights of every candidate point, one call per number of mixing players
    # (each row depends on its point alone)
    points: dict[int, list] = {}
    for _, mixing, candidates in solved_patterns:
        if prune and not mixing:
            continue
        points.setdefault(len(mixing), []).extend([float(v) for v in point] for point in candidates)
    weights = {
        k: _point_weights(np.array(rows, dtype=float).reshape(len(rows), k))
        for k, rows in points.items()
    }
    start = dict.fromkeys(weights, 0)
    found: list = []  # (pattern, mixing players, point, may be rational) per equilibrium
    for number, mixing, candidates in solved_patterns:
        pattern, k = patterns[number], len(mixing)
        if prune and not k:  # a pure profile: _surviving_patterns made the same test
            found.append((pattern, mixing, (), True))
            continue
        index = tuple(slice(None) if c is None else c for c in pattern)
        conditions = _pure_conditions(float_tensors, pattern, index)
        at = weights[k][start[k] : start[k] + len(candidates)]
        start[k] += len(candidates)
        # payoffs lie in [0, 1]: the tolerance is relative to the range
        best = np.all(at @ conditions.T >= -GAIN_TOL, axis=1)
        # the closed form's float roots are irrational: no exact equilibrium rounds to them
        rational = number not in quadratic or isinstance(candidates[0][0], Fraction)
        found.extend(
            (pattern, mixing, point, rational) for point, ok in zip(candidates, best) if ok
        )
    return _records(solved, game, found), unresolved, segments


def _float_and_integer_tensors(solved, tensors) -> tuple[list, list | None]:
    """The gain tensors of :func:`_corner_tensors` as floats, and :func:`_integer_tensors`.

    For exact payoffs both come from integers, without a Fraction per entry: with player
    i's payoffs over their least common denominator L, U_i / L, the gains are G / L for
    integers G, their floats G / L (correctly rounded, as the float of the Fraction) and
    their least common denominator L / gcd(L, G...), so the integer tensor is G / gcd(L, G...).
    """
    if tensors is not None:
        return [np.asarray(t, dtype=float) for t in tensors], _integer_tensors(tensors)
    n = solved.n_players
    floats: list[np.ndarray] = []
    ints: list[np.ndarray] | None = []
    for i in range(n):
        ratios = [(v.numerator, v.denominator) for v in solved.exact_payoffs[..., i].flat]
        scale = math.lcm(*(d for _, d in ratios))
        u = [p * (scale // d) for p, d in ratios]
        flat = [u[a] - u[b] for a, b in _gain_pairs(solved.shape, i)]
        floats.append(np.array([v / scale for v in flat], dtype=float).reshape(solved.shape))
        common = math.gcd(scale, *flat)
        reduced = [v // common for v in flat]
        if max(abs(v) for v in reduced).bit_length() > _MAX_BITS:
            ints = None
        if ints is not None:
            array = np.empty(solved.shape, dtype=object)
            array.flat[:] = reduced
            ints.append(array)
    return floats, ints


_GAIN_PAIRS: dict[tuple, list] = {}


def _gain_pairs(shape: tuple, i: int) -> list:
    """Per entry of player i's gain tensor (C order), the flat indices (C order) of the two
    payoffs whose difference it is, as :func:`_corner_tensors` lays them out (cached)."""
    if (shape, i) not in _GAIN_PAIRS:
        index = np.arange(math.prod(shape)).reshape(shape)
        reverse = (slice(None, None, -1),) * len(shape)
        first, second = (
            np.broadcast_to(np.take(index, [a], axis=i), shape)[reverse].ravel().tolist()
            for a in (0, 1)
        )
        _GAIN_PAIRS[shape, i] = list(zip(first, second))
    return _GAIN_PAIRS[shape, i]


#: Largest size (bits) of the integers of :func:`_integer_tensors`: the three-mixer closed
#: form forms degree-6 products (its discriminant), which must stay within float range.
_MAX_BITS = 150


def _integer_tensors(tensors) -> list | None:
    """Each player's gain tensor times the least common denominator of its entries (ints).

    Scaling a player's gains by a positive number changes neither the zeros nor the signs of
    the gain, so the closed forms give the same exact solutions; Python integers are exact
    (floats and Fractions alike convert exactly) and much faster than Fractions with large
    denominators, as float payoffs have. None when some integer would exceed ``_MAX_BITS``.
    """
    out = []
    for t in tensors:
        try:
            if t.dtype == float:  # Python floats (tolist): no type test per entry
                ratios = [v.as_integer_ratio() for v in t.ravel().tolist()]
            else:
                ratios = [_ratio(v) for v in t.flat]
        except (ValueError, OverflowError):  # not finite
            return None
        lcm = math.lcm(*(d for _, d in ratios))
        ints = [n * (lcm // d) for n, d in ratios]
        if max(abs(v) for v in ints).bit_length() > _MAX_BITS:
            return None
        array = np.empty(t.shape, dtype=object)
        array.flat[:] = ints
        out.append(array)
    return out


def _ratio(v) -> tuple[int, int]:
    if isinstance(v, Fraction):
        return v.numerator, v.denominator
    if isinstance(v, (int, np.integer)):
        return int(v), 1
    return float(v).as_integer_ratio()


def _affine_pattern_solutions(tensors, pattern, mixing) -> list | None:
    """Exact solutions in (0, 1)^k of a pattern with k <= 2 mixing players; None for a continuum.

    With one mixer i its gain D_i does not depend on p_i: the pattern has no solution unless
    D_i = 0, and then every p_i solves it (a continuum). With two mixers i and j, D_i depends on
    p_j alone and affinely, D_i(p_j) = a + (b − a)·p_j, and D_j likewise on p_i. Values are
    exact Fractions (float payoffs at their binary values), as the sympy route would give.
    """
    # per mixer m: the probability solving the *other* mixer's equation
    roots: list[Fraction | tuple[()] | None] = []
    for m in mixing:
        others = [i for i in mixing if i != m]
        i = others[0] if others else m
        index = [0 if c is None else c for c in pattern]
        index[m] = 0
        a = _exact(tensors[i][tuple(index)])
        if not others:  # D_i is a constant
            return None if a == 0 else []
        index[m] = 1
        b = _exact(tensors[i][tuple(index)])
        if a == b:
            roots.append(None if a == 0 else ())  # D_i = a for every p_m
        else:
            d = a - b  # the root a / d is in (0, 1) when a lies strictly between 0 and d
            roots.append(Fraction(a, d) if (0 < a < d if d > 0 else d < a < 0) else ())
    if any(r == () for r in roots):
        return []
    if any(r is None for r in roots):
        return None
    return [tuple(roots)]


def _exact(value):
    """An int or Fraction as it is; a float as its exact Fraction."""
    return value if isinstance(value, (int, Fraction)) else Fraction(value)


def _bilinear(tensor, pattern, a: int, b: int) -> tuple:
    """(A, B, C, E) with D = A + B·p_a + C·p_b + E·p_a·p_b, the gain along mixers a < b.

    Exact: the entries' own type (int or Fraction), so integer tensors stay integers.
    """

    def at(ca, cb):
        index = [0 if c is None else c for c in pattern]
        index[a], index[b] = ca, cb
        return tensor[tuple(index)]

    v00, v10, v01, v11 = at(0, 0), at(1, 0), at(0, 1), at(1, 1)
    return v00, v10 - v00, v01 - v00, v11 - v10 - v01 + v00


def _quadratic_roots(c2, c1, c0) -> list | None:
    """Real roots in (0, 1) of c2·z² + c1·z + c0 (Fractions when rational); None if ≡ 0.

    The coefficients are exact (ints or Fractions).
    """
    if c2 == 0:
        if c1 == 0:
            return None if c0 == 0 else []
        roots: list = [Fraction(-c0) / c1]
    else:
        disc = c1 * c1 - 4 * c2 * c0
        if disc < 0:
            return []
        num, den = disc.numerator, disc.denominator
        rn, rd = math.isqrt(num), math.isqrt(den)
        if rn * rn == num and rd * rd == den:  # rational roots
            root = Fraction(rn, rd)
            roots = [(-c1 - root) / (2 * c2), (-c1 + root) / (2 * c2)]
        else:  # stable float formula: no cancellation between −c1 and the square root
            q = -0.5 * (float(c1) + math.copysign(math.sqrt(float(disc)), float(c1)))
            roots = [q / float(c2)] + ([float(c0) / q] if q != 0 else [])
    return sorted({r for r in roots if 0 < r < 1})


def _three_mixer_solutions(tensors, pattern, mixing) -> list | None:
    """Solutions in (0, 1)^3 of a generic pattern with three mixers x, y, z; None otherwise.

    D_x(y, z) = 0 gives y = n_y(z)/d_y(z) and D_y(x, z) = 0 gives x = n_x(z)/d_x(z), each
    affine over affine; substituting into D_z(x, y)·d_x·d_y = 0 leaves a quadratic in z.
    Whenever that reduction could lose or invent solutions (a quadratic that vanishes
    identically, a denominator that vanishes identically or together with its numerator in
    [0, 1]) this returns None and the caller uses the general method.
    """
    x, y, z = mixing
    a0, b0, c0, e0 = _bilinear(tensors[x], pattern, y, z)  # D_x = a0 + b0 y + c0 z + e0 y z
    a1, b1, c1, e1 = _bilinear(tensors[y], pattern, x, z)  # D_y = a1 + b1 x + c1 z + e1 x z
    a2, b2, c2, e2 = _bilinear(tensors[z], pattern, x, y)  # D_z = a2 + b2 x + c2 y + e2 x y
    # y = (−a0 − c0 z)/(b0 + e0 z), x = (−a1 − c1 z)/(b1 + e1 z): (numerator, denominator)
    # as (constant, slope) pairs.
    ny, dy, nx, dx = (-a0, -c0), (b0, e0), (-a1, -c1), (b1, e1)
    for num, den in ((ny, dy), (nx, dx)):
        if den == (0, 0):
            return None
        if den[1] != 0:
            pole = Fraction(-den[0]) / den[1]
            if 0 <= pole <= 1 and num[0] + num[1] * pole == 0:
                return None

    def mul(p, q):
        return (p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1])

    terms = [(a2, mul(dx, dy)), (b2, mul(nx, dy)), (c2, mul(ny, dx)), (e2, mul(nx, ny))]
    quad = [sum(w * t[k] for w, t in terms) for k in range(3)]  # constant, z, z²
    roots = _quadratic_roots(quad[2], quad[1], quad[0])
    if roots is None:
        return None
    out = []
    for r in roots:
        den_x, den_y = dx[0] + dx[1] * r, dy[0] + dy[1] * r
        if den_x == 0 or den_y == 0:
            continue  # a root brought in by clearing the denominators
        vx, vy = (nx[0] + nx[1] * r) / den_x, (ny[0] + ny[1] * r) / den_y
        if 0 < vx < 1 and 0 < vy < 1:
            out.append((vx, vy, r))
    return out


def _pattern_name(pattern) -> str:
    return "".join("M" if c is None else ("0" if c == 1 else "1") for c in pattern)


def _segment_ends(tensors, pattern, j: int, pure, exact: bool) -> list:
    """Ends in (0, 1) of the interval of p_j where every pure player's action is a best reply.

    Used when the single mixing player j is indifferent whatever p_j: each pure player's gain
    is linear in p_j, so the admissible p_j form an interval (Fractions when ``exact``: the
    gains are then exact, each player's possibly scaled by a positive number, which moves
    no end).
    """
    one = Fraction(1) if exact else 1.0
    low, high = 0 * one, one
    for i in pure:
        index = [c for c in pattern]
        index[j] = 0
        at0 = tensors[i][tuple(index)]
        index[j] = 1
        at1 = tensors[i][tuple(index)]
        sign = 1 if pattern[i] == 1 else -1  # need sign * gain >= 0
        a, b = sign * at0, sign * (at1 - at0)  # sign*gain(p) = a + b p
        if b == 0:
            if a < 0:
                return []
            continue
        root = Fraction(-a) / b if exact else -a / b
        if b > 0:
            low = max(low, root)
        else:
            high = min(high, root)
    if low > high:
        return []
    return [(v,) for v in sorted({low, high}) if 0 < v < 1]


_ONE, _ZERO = Fraction(1), Fraction(0)


def _records(solved, game, found) -> list:
    """Records certified on ``game``; exact when a point is (or rounds to) an exact equilibrium.

    ``solved`` is the :func:`normalized` image of ``game`` and ``found`` lists each
    equilibrium as (pattern, mixing players, point, whether the point may be rational).
    With exact payoffs on both games, the regret of a profile is 0 on one exactly when it is
    0 on the other (each player's payoffs are mapped by a positive affine map, or are
    constant), so the exact check is made once: on ``game`` when its payoffs are exact, else
    on ``solved``. A point that fails it (not rational, or an equilibrium only to within the
    tolerances) gets a float record. All records are built in one batch.
    """
    exact_rows: list = []
    float_rows = []
    for pattern, mixing, point, rational in found:
        float_rows.append(
            [
                float(c) if c is not None else float(point[mixing.index(j)])
                for j, c in enumerate(pattern)
            ]
        )
        if not (solved.is_exact and rational):
            exact_rows.append(None)
            continue
        exact_point = [
            v if isinstance(v, Fraction) else Fraction(float(v)).limit_denominator(10**6)
            for v in point
        ]
        if all(
            isinstance(v, Fraction) or abs(float(v) - float(e)) < SAME_POINT
            for v, e in zip(point, exact_point)
        ):
            exact_rows.append(
                [
                    _ONE if c == 1 else _ZERO if c == 0 else exact_point[mixing.index(j)]
                    for j, c in enumerate(pattern)
                ]
            )
        else:
            exact_rows.append(None)
    if not solved.is_exact:
        return binary_action_equilibria(game, float_rows)
    check = None if game.is_exact else solved.exact_payoffs
    return binary_action_equilibria(game, exact_rows, exact=True, check=check, fallback=float_rows)


def _dedupe(records, ordered: bool = False):
    """The records in order, without those within ``SAME_POINT`` of an earlier one.

    ``ordered``: then sorted by their strategies (probabilities of the first actions first),
    greatest first (a stable sort, as by the key ``tuple(-np.concatenate(e.strategies))``).
    """
    if not records:
        return []
    flats = np.array([np.concatenate(r.strategies) for r in records])
    kept: list[int] = []
    for i in range(len(records)):
        if not kept or np.abs(flats[kept] - flats[i]).max(axis=1).min() >= SAME_POINT:
            kept.append(i)
    if ordered:
        keys = (-flats).tolist()
        kept.sort(key=keys.__getitem__)
    return [records[i] for i in kept]
