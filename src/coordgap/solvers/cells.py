"""Every pure equilibrium of a participation game with unequal contributions, from thresholds
in the joined capacity.

Best responses are thresholds in the joined capacity
    For a profile with m joiners and joined capacity u = Σ_P a_j (a_j = w_j·q_j), actor i's
    gain from staying in (i ∈ P) or from joining (i ∉ P) depends on (m, u) and on its own
    numbers only. With P = p·H·e^{−κR0}, F(m) = φ(m)·bind(m) and c_i(m) the net cost when m
    actors file (−β where an assurance contract voids the registry):

        stay in:  s_i·P·[F(m)·(1 − e^{−κu}) − F(m−1)·(1 − e^{−κ(u−a_i)})] − c_i(m)
        join:     s_i·P·[F(m+1)·(1 − e^{−κ(u+a_i)}) − F(m)·(1 − e^{−κu})] − c_i(m+1)

    For a given m each is A − e^{−κv}·G in v = u − a_i (stay) or v = u (join), monotone in u.
    So "i may be in" and "i may be out" are half-lines in u, with end points in closed form.

Cells
    For each count m, the end points that fall inside the capacities m actors can have cut
    that range into cells. On a cell every actor is one of: forced in (it may be in, not out),
    forced out, free (either), or impossible (neither; the cell holds no equilibrium). An
    equilibrium with m joiners and capacity u in the cell consists of the forced-in actors and
    m − |forced in| free actors whose capacities bring u into the cell. Free actors are few
    (a handful on the default calibration, whatever its cost shocks). Their choices are
    enumerated by actor class (:func:`~coordgap.solvers.lattice.actor_classes`: actors of one
    class are interchangeable in V). Each resulting class-count vector is a candidate.

Certificate that none is missed
    The half-lines are widened so that they contain every u at which the condition holds to
    within 1e-9 of the actor's payoff scale (far above rounding). Each actor is classified at
    a cell's midpoint, and the candidate sums are kept with a margin. An equilibrium is
    therefore always among the candidates, including one whose u falls on an end point. The
    candidates then go through the exact class-count test of
    :func:`~coordgap.solvers.lattice.solve_types` (V recomputed at each vector), which also
    counts the profiles of each equilibrium vector. The list is complete with no
    supermodularity assumption. The work is O(N²) for the thresholds, plus the free choices
    of the cells that survive; when those exceed ``max_candidates`` the method gives up
    rather than guess.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameterError
from ..games.participation import ParticipationGame
from .compiled import _load, compiled_search, engine_module, switched_on
from .lattice import (
    ParticipationEquilibria,
    _ordered_classes,
    _payoff_scale,
    _test_vectors,
    _type_equilibria,
    actor_classes,
)

__all__ = ["solve_cells", "TooManyCandidates", "compiled_search", "compiled_available"]

#: Slack of a condition, relative to the actor's payoff scale (rounding is ~1e-16 of it).
_SLACK = 1e-9
#: Widening of a threshold, relative to 1 + |u|, and of a candidate's capacity sum.
_MARGIN = 1e-12
#: Most entries (counts × cells × actors) classified at once.
_CHUNK_ENTRIES = 1 << 21


class TooManyCandidates(InvalidParameterError):
    """The free choices of the cells exceed ``max_candidates`` (the method gives up)."""


def solve_cells(
    game: ParticipationGame,
    *,
    limit: int = 256,
    max_candidates: int = 1 << 20,
    engine: str = "auto",
) -> ParticipationEquilibria:
    """Every pure equilibrium of a participation game, from thresholds in joined capacity.

    Exact and complete for any contributions, net costs and shares. Supermodularity is not
    assumed. See the module docstring for the method and its certificate.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    limit : int
        Most equilibrium class-count vectors to list; ``n_equilibria`` counts all profiles.
    max_candidates : int
        Most candidate class-count vectors to enumerate from the cells' free actors.
    engine : {"auto", "numpy", "numba"}
        How the candidates are searched: compiled by numba (installed with the ``fast``
        extra), or as arrays. ``"auto"`` compiles when numba is installed. Both give the same
        candidates up to rounding at a cell's margin, and the same equilibria.

    Returns
    -------
    ParticipationEquilibria
        One record per equilibrium class-count vector (least first), ``complete`` unless cut
        at ``limit``; ``method`` is ``"threshold-cells"``.

    Raises
    ------
    TooManyCandidates
        When the free choices exceed ``max_candidates`` (an :class:`InvalidParameterError`).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.3, 0.3, 0.2], cost=[1.0, 2.0, 3.0],
    ...                          capacity=[1.0, 2.0, 0.5], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=2)
    >>> eq = solve_cells(g)
    >>> [e.joined.astype(int).tolist() for e in eq], eq.complete
    ([[0, 0, 0], [0, 1, 1], [1, 1, 0]], True)
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    kind, sizes = actor_classes(game)
    classes = _ordered_classes(game, kind, sizes)
    size_key = tuple(int(k) for k in classes.sizes)
    class_a = game.contribution[classes.first]
    candidates = _candidates(game, classes.kind, class_a, max_candidates, engine)
    passed, values = _test_vectors(game, classes, candidates)
    note = (
        f"among {candidates.shape[0]} candidates from the thresholds in joined capacity "
        f"({{profiles}} profiles, {len(size_key)} actor classes)"
    )
    return _type_equilibria(
        game,
        classes,
        candidates[passed],
        tuple(v[passed] for v in values),
        limit,
        method="threshold-cells",
        note=note,
    )


def _coefficients(game: ParticipationGame, counts: np.ndarray):
    """(A, G) of the stay-in and join conditions A − e^{−κv}·G ≥ 0 (stay) and ≤ 0 (join) at
    the counts ``counts`` (rows) for every actor (columns), from the tables of
    :func:`_tables` (rows m = −1..N+1; the ends are never used where they matter)."""
    f, bind, share_scale, keep, net, refund, flat = _tables(game)
    costs = np.where(bind[:, None] > 0, net, refund)  # c_i(m)
    c_now, c_more = costs[counts + 1], costs[counts + 2]
    f_less, f_now, f_more = f[counts, None], f[counts + 1, None], f[counts + 2, None]
    a_in = share_scale * (f_now - f_less) - c_now
    a_out = share_scale * (f_more - f_now) - c_more
    if flat:  # V(m) given: the gains do not depend on u
        zero = np.zeros_like(a_in)
        return a_in, zero, a_out, zero
    g_in = share_scale * (f_now * keep - f_less)
    g_out = share_scale * (f_more * keep - f_now)
    if game.efficacy == 0.0:  # e^{−κv} = 1: constant gains
        return a_in - g_in, np.zeros_like(g_in), a_out - g_out, np.zeros_like(g_out)
    return a_in, g_in, a_out, g_out


def _tables(game: ParticipationGame):
    """What the stay-in and join conditions are formed from, by :func:`_coefficients` and by
    the compiled search: the count tables at m = −1..N+1 and the per-actor numbers (see
    ``_cells_jit.candidates``)."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    at = np.arange(-1, n + 2)
    bind = game.binding(at)
    value = game.value
    flat = value is not None
    if value is not None:
        f = np.concatenate(([value[0]], value, [value[n]])) * bind
        share_scale = game.share
    else:
        f = game.critical_mass_curve(at) * bind
        share_scale = game.share * (game.scale * math.exp(-game.efficacy * game.baseline))
    keep = np.exp(-game.efficacy * game.contribution)
    return (
        np.ascontiguousarray(f, dtype=float),
        np.ascontiguousarray(bind, dtype=float),
        np.ascontiguousarray(share_scale, dtype=float),
        keep,
        np.ascontiguousarray(game.net_cost, dtype=float),
        -float(game.refund_bonus),
        flat,
    )


def _half_lines(x, g, kappa, above):
    """End points [lo, hi] of {v : e^{−κv}·g ≤ x} (``above`` False) or {v : e^{−κv}·g ≥ x}
    (``above`` True), widened by a relative margin; empty sets as lo = +inf, hi = −inf."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = -np.log(x / g) / kappa if kappa > 0 else np.full(x.shape, np.nan)
    t = np.where(np.isnan(t), 0.0, t)  # only where g = 0 (decided below) or κ = 0
    wide = _MARGIN * (1.0 + np.where(np.isfinite(t), np.abs(t), 0.0))
    sign_x = np.where(above, -x, x)  # {g·e ≥ x} is {(−g)·e ≤ −x}
    gg = np.where(above, -g, g)
    everywhere = (gg == 0) & (sign_x >= 0) | (gg < 0) & (sign_x >= 0)
    nowhere = (gg == 0) & (sign_x < 0) | (gg > 0) & (sign_x <= 0)
    lo = np.where(gg > 0, t - wide, -np.inf)  # g > 0: e^{−κv} ≤ x/g, v ≥ t
    hi = np.where(gg < 0, t + wide, np.inf)  # g < 0: e^{−κv} ≥ x/g, v ≤ t
    lo = np.where(everywhere, -np.inf, np.where(nowhere, np.inf, lo))
    hi = np.where(everywhere, np.inf, np.where(nowhere, -np.inf, hi))
    return lo, hi


def _regions(game: ParticipationGame, counts: np.ndarray):
    """Per count (rows) and actor (columns): the u-intervals where the actor may be in and
    where it may be out, each as (lo, hi)."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    a_in, g_in, a_out, g_out = _coefficients(game, counts)
    slack = _SLACK * _payoff_scale(game)
    kappa = game.efficacy
    a = game.contribution
    in_lo, in_hi = _half_lines(a_in + slack, g_in, kappa, above=False)
    out_lo, out_hi = _half_lines(a_out - slack, g_out, kappa, above=True)
    in_lo, in_hi = in_lo + a, in_hi + a  # the stay-in condition is in v = u − a_i
    none = counts[:, None] == 0  # nobody is in at m = 0, nobody out at m = N
    in_lo, in_hi = np.where(none, np.inf, in_lo), np.where(none, -np.inf, in_hi)
    full = counts[:, None] == n
    out_lo, out_hi = np.where(full, np.inf, out_lo), np.where(full, -np.inf, out_hi)
    return in_lo, in_hi, out_lo, out_hi


def _capacity_range(game: ParticipationGame):
    """Least and greatest capacity of m actors (m = 0..N) and the margin on a capacity sum."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    ordered = np.sort(game.contribution)
    lo_m = np.concatenate(([0.0], np.cumsum(ordered)))  # least capacity of m actors
    hi_m = np.concatenate(([0.0], np.cumsum(ordered[::-1])))  # greatest
    eps = _MARGIN * (1.0 + float(hi_m[-1])) * (n + 1)
    return lo_m, hi_m, eps


def _count_chunks(n: int):
    """The counts 0..N in chunks small enough to classify at once."""
    step = max(1, _CHUNK_ENTRIES // max(1, (2 * n + 2) * n))
    for start in range(0, n + 1, step):
        yield np.arange(start, min(n + 1, start + step))


def _viable_counts(game: ParticipationGame, counts: np.ndarray, ranges):
    """The counts (of ``counts``, in that order) that can hold an equilibrium somewhere on
    their capacity range, with their regions (see :func:`_regions`)."""
    n = game.n_actors
    lo_m, hi_m, _ = ranges
    regions = _regions(game, counts)
    in_lo, in_hi, out_lo, out_hi = regions
    lo, hi = lo_m[counts, None], hi_m[counts, None]
    may_in = (in_lo <= hi) & (in_hi >= lo)
    may_out = (out_lo <= hi) & (out_hi >= lo)
    keep = (
        (may_in | may_out).all(axis=1)
        & (may_in.sum(axis=1) >= counts)
        & (may_out.sum(axis=1) >= n - counts)
    )
    rows = np.flatnonzero(keep)
    return counts[rows], tuple(r[rows] for r in regions)


def _candidates(
    game: ParticipationGame, kind, class_a, max_candidates: int, engine: str = "auto"
) -> np.ndarray:
    """Candidate class-count vectors (rows, classes numbered as ``kind``, each contributing
    ``class_a``): a superset of the equilibrium vectors."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    ranges = _capacity_range(game)
    kernel = _kernel(engine, n)
    if kernel is not None:
        listed, status = kernel(
            *_tables(game),
            float(game.efficacy),
            _SLACK * _payoff_scale(game),
            np.ascontiguousarray(game.contribution, dtype=float),
            *ranges,
            _MARGIN,
            np.ascontiguousarray(kind, dtype=np.int64),
            np.ascontiguousarray(class_a, dtype=float),
            int(max_candidates),
        )
        if status:
            raise _too_many()
        return _unique_rows(listed)
    found: list[np.ndarray] = []
    budget = [max_candidates]
    for counts in _count_chunks(n):
        # Counts that cannot hold an equilibrium on their whole capacity range go first.
        counts, regions = _viable_counts(game, counts, ranges)
        if counts.size:
            _cells_candidates(game, kind, class_a, counts, regions, ranges, found, budget)
    if not found:
        return np.zeros((0, class_a.size), dtype=np.int64)
    return _unique_rows(np.concatenate(found))


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct rows of an integer array, in lexicographic order (``np.unique(axis=0)``
    without its structured-dtype view, which costs more than the few rows here)."""
    if rows.shape[0] <= 1:
        return rows
    rows = rows[np.lexsort(rows.T[::-1])]
    return rows[np.concatenate(([True], (rows[1:] != rows[:-1]).any(axis=1)))]


def _cells_candidates(game, kind, class_a, counts, regions, ranges, found, budget) -> None:
    """Append the candidate vectors of the counts ``counts`` (rows of ``regions``) to
    ``found``: the cells of each count's capacity range and their free choices."""
    a = game.contribution
    lo_m, hi_m, eps = ranges
    in_lo, in_hi, out_lo, out_hi = regions
    lo, hi = lo_m[counts, None], hi_m[counts, None]
    ends = np.concatenate((in_lo, in_hi, out_lo, out_hi), axis=1)
    ends = np.where((ends > lo) & (ends < hi), ends, np.nan)
    bounds = np.sort(np.concatenate((lo, ends, hi), axis=1), axis=1)  # NaN last
    bounds = bounds[:, : int(np.max(np.sum(~np.isnan(bounds), axis=1)))]
    # Each cell [b_k, b_k+1] is classified at its midpoint (a one-point range at lo).
    mids = 0.5 * (bounds[:, :-1] + bounds[:, 1:])
    mids[:, 0] = np.where(lo[:, 0] == hi[:, 0], lo[:, 0], mids[:, 0])
    x = mids[:, :, None]
    can_in = (in_lo[:, None, :] <= x) & (x <= in_hi[:, None, :])
    can_out = (out_lo[:, None, :] <= x) & (x <= out_hi[:, None, :])
    forced = (can_in & ~can_out).sum(axis=2)
    free = (can_in & can_out).sum(axis=2)
    m = counts[:, None]
    viable = (can_in | can_out).all(axis=2) & (forced <= m) & (m <= forced + free)
    rows, cells = np.nonzero(viable)
    if rows.size == 0:
        return
    low = bounds[rows, cells]
    high = np.where(np.isfinite(bounds[rows, cells + 1]), bounds[rows, cells + 1], low)
    must = can_in[rows, cells] & ~can_out[rows, cells]
    may = can_in[rows, cells] & can_out[rows, cells]
    k = counts[rows] - must.sum(axis=1)
    u_must = must @ a
    # The k cheapest and the k largest free capacities bound what the free choices can add:
    # cells whose window lies outside that range hold no candidate.
    spare = np.sort(np.where(may, a, np.inf), axis=1)
    least = np.concatenate((np.zeros((rows.size, 1)), np.cumsum(spare, axis=1)), axis=1)
    spare = np.sort(np.where(may, -a, np.inf), axis=1)
    most = -np.concatenate((np.zeros((rows.size, 1)), np.cumsum(spare, axis=1)), axis=1)
    pick = np.arange(rows.size)
    fits = (u_must + least[pick, k] <= high + eps) & (u_must + most[pick, k] >= low - eps)
    for c in np.flatnonzero(fits):
        _cell_vectors(
            kind,
            class_a,
            must[c],
            may[c],
            int(k[c]),
            (low[c] - eps, high[c] + eps),
            found,
            budget,
        )


def _cell_vectors(kind, class_a, must, may, k, window, found, budget) -> None:
    """Append the class-count vectors of one cell: the actors that must be in (``must``) plus
    ``k`` of those that may be in or out (``may``), chosen by class, whose capacity sum lies
    in ``window``."""
    n_types = class_a.size
    base = np.bincount(kind[must], minlength=n_types)
    free = np.bincount(kind[may], minlength=n_types)
    groups = np.flatnonzero(free)
    n_vectors = math.prod(int(z) + 1 for z in free[groups])
    budget[0] -= n_vectors
    if budget[0] < 0:
        raise _too_many()
    # Every choice of free actors per class (how many of each class join).
    picks = np.indices(tuple(int(z) + 1 for z in free[groups]), dtype=np.int64)
    picks = picks.reshape(groups.size, n_vectors).T
    sums = base @ class_a + picks @ class_a[groups]
    ok = (picks.sum(axis=1) == k) & (sums >= window[0]) & (sums <= window[1])
    if ok.any():
        vectors = np.repeat(base[None, :], int(ok.sum()), axis=0)
        vectors[:, groups] += picks[ok]
        found.append(vectors)


def _too_many() -> TooManyCandidates:
    return TooManyCandidates(
        "solve",
        "max_candidates",
        "enough room for the free choices of the threshold cells",
        "exceeded",
    )


_JIT: list = []  # the compiled search, once imported (None: numba is not installed)
#: Fewest class-count vectors Π(n_r + 1) for which "auto" prefers the compiled search to the
#: class-count test (below it the test on all vectors is cheaper than the thresholds).
COMPILED_MIN_VECTORS = 4096


def compiled_available() -> bool:
    """Whether the compiled cell search can run (numba is installed).

    Returns
    -------
    bool
        True when numba imports.
    """
    if not _JIT:
        _JIT.append(_load_compiled())
    return _JIT[0] is not None


def _load_compiled():
    """The compiled candidate search, None where numba is not installed."""
    module = _load("_cells_jit")
    return None if module is None else module.candidates


def prefers_compiled(game: ParticipationGame, n_vectors: float) -> bool:
    """Whether ``solve(method="auto")`` should search the cells compiled: the switch of
    :func:`compiled_search` is on, the game has at least :data:`COMPILED_MIN_VECTORS`
    class-count vectors and small enough coefficient arrays, and numba is installed."""
    n = game.n_actors or 0
    return (
        switched_on()
        and n_vectors >= COMPILED_MIN_VECTORS
        and (n + 1) * n <= _CHUNK_ENTRIES
        and compiled_available()
    )


def _kernel(engine: str, n: int):
    """The compiled candidate search for ``engine``, or None for the array version. The
    compiled one holds the coefficients of all counts at once, so "auto" uses it only where
    they fit the array version's chunk."""
    module = engine_module("solve", engine, "_cells_jit")
    if module is None or (engine == "auto" and (n + 1) * n > _CHUNK_ENTRIES):
        return None
    return module.candidates
