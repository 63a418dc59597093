"""Equilibria of normal-form games: the record type and the helpers every algorithm shares.

The entry point (which method for which game) is :mod:`~coordgap.solvers.normal_form_methods`;
the algorithms live in their own modules: :mod:`~coordgap.solvers.two_player` (all extreme
equilibria of bimatrix games by vertex enumeration of the best-response polytopes),
:mod:`~coordgap.solvers.n_player` (pure equilibria of any game; every equilibrium of games
where each player has two actions) and :mod:`~coordgap.solvers.binary_symmetric` (symmetric
equilibria of symmetric binary-action games with up to thousands of players).
Every record's ``max_regret`` comes from :mod:`~coordgap.solvers.certify`, which shares no
code with these solvers, and every result's ``success`` is the verdict of those certificates
(:mod:`~coordgap.solvers.verdict`): each player's regret within ``1e-9`` of that player's
payoff range.

Solvers work on each player's payoffs mapped affinely onto [0, 1] (:func:`normalized`), which
leaves the equilibria unchanged, so multiplying a game's payoffs by any positive factor or
adding a constant changes nothing but the reported payoffs and regrets (which are always in
the game's own units).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..results import EquilibriumSet, Result, to_plain
from ..tolerances import NEAR_ZERO
from .certify import (
    exact_binary_actions,
    exact_certificate_normal_form,
    regrets_bimatrix,
    regrets_binary_actions,
    regrets_normal_form,
)
from .verdict import DEFAULT_TOL, ROUNDING, certified_set, payoff_scale

__all__ = [
    "NormalFormEquilibrium",
    "make_equilibrium",
    "bimatrix_equilibria",
    "binary_action_equilibria",
    "normalized",
    "unit_payoffs",
    "finish",
    "METHODS",
]

_ZERO = Fraction(0)

#: Methods accepted by ``cg.solve(game, method=...)`` for a :class:`NormalFormGame`.
METHODS = ("auto", "vertex", "exact", "float", "pure", "support-polynomial")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class NormalFormEquilibrium(Result):
    """One Nash equilibrium of a :class:`~coordgap.NormalFormGame`.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player (floats).
    payoffs : ndarray
        Each player's expected payoff.
    max_regret : float
        Largest gain any player gets from a pure deviation, computed by
        :mod:`coordgap.solvers.certify`. When ``exact`` is True it was computed in exact
        rational arithmetic and is exactly 0.
    support : tuple of tuple of int
        Actions each player uses with positive probability.
    exact : bool
        Whether ``exact_strategies`` hold the equilibrium exactly and the regret was checked
        in exact arithmetic.
    exact_strategies : tuple of tuple of Fraction or None
        The strategies as fractions (exact path only; with float payoffs that are an affine
        image of small rationals, found exactly for those, while ``exact`` is False).
    kind : str
        ``"pure"`` or ``"mixed"``.
    regrets : ndarray
        Each player's regret (``max_regret`` is the largest); hidden from ``to_dict``.
    """

    strategies: tuple
    payoffs: np.ndarray
    max_regret: float
    support: tuple
    exact: bool = False
    exact_strategies: tuple | None = None
    kind: str = "mixed"
    regrets: np.ndarray | None = field(default=None, repr=False)

    @property
    def order_key(self) -> float:
        """Total payoff (utilitarian welfare); orders ``EquilibriumSet.least/greatest``."""
        return float(np.sum(self.payoffs))

    @property
    def is_pure(self) -> bool:
        """Whether every player plays one action with probability 1."""
        return self.kind == "pure"

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable dictionary; exact strategies become strings like ``"1/3"``.

        Returns
        -------
        dict
            The visible fields (see :func:`~coordgap.results.to_plain`), ``exact_strategies``
            a list of lists of strings or None.
        """
        out = {
            name: to_plain(value) for name, value in self._fields() if name != "exact_strategies"
        }
        if self.exact_strategies is not None:
            out["exact_strategies"] = [[str(v) for v in s] for s in self.exact_strategies]
        else:
            out["exact_strategies"] = None
        return out

    def summary(self) -> dict[str, Any]:
        """One table row: each player's strategy and payoff, the regret, exactness and kind.

        Returns
        -------
        dict
            Keys ``p0``, ``p1``, ... (strategies as text), ``u0``, ``u1``, ... (payoffs),
            ``max_regret``, ``exact`` and ``kind``.
        """
        row: dict[str, Any] = {
            f"p{i}": np.array2string(np.asarray(s), precision=6, separator=", ")
            for i, s in enumerate(self.strategies)
        }
        row.update({f"u{i}": float(u) for i, u in enumerate(self.payoffs)})
        row.update(max_regret=float(self.max_regret), exact=self.exact, kind=self.kind)
        return row


def make_equilibrium(
    game: NormalFormGame, strategies, *, exact: bool = False, support_tol: float = 0.0
) -> NormalFormEquilibrium:
    """Build a certified record from a profile (Fractions when ``exact``, else floats).

    With ``exact=True`` ``strategies`` must hold Fractions; if the game has exact payoffs,
    payoffs and regrets are then computed exactly, otherwise in floats on the game's payoffs
    (the fractions are kept in ``exact_strategies`` and ``exact`` is False).

    Parameters
    ----------
    game : NormalFormGame
        The game the profile is certified on.
    strategies : sequence of sequence
        One probability vector per player (Fractions when ``exact``); float vectors are
        clipped at 0 and renormalized.
    exact : bool
        Whether ``strategies`` are exact fractions.
    support_tol : float
        Float probabilities above this count as in the support.

    Returns
    -------
    NormalFormEquilibrium
        The record with payoffs, regrets and ``max_regret``.
    """
    if exact:
        fr = tuple(tuple(Fraction(v) for v in s) for s in strategies)
        floats = tuple(np.array([float(v) for v in s]) for s in fr)
        support = tuple(tuple(k for k, v in enumerate(s) if v > 0) for s in fr)
    else:
        fr = None
        floats = tuple(np.clip(np.asarray(s, dtype=float), 0.0, None) for s in strategies)
        floats = tuple(s / s.sum() for s in floats)
        support = tuple(tuple(int(k) for k in np.flatnonzero(s > support_tol)) for s in floats)
    exact = exact and game.is_exact
    if exact:
        payoffs, exact_regrets = exact_certificate_normal_form(game.exact_payoffs, fr)
        record_payoffs = np.array([float(u) for u in payoffs])
        regrets = np.array([float(r) for r in exact_regrets])
    else:
        regrets = regrets_normal_form(game.payoffs, floats)
        record_payoffs = _expected(game.payoffs, floats)
    for s in floats:
        s.flags.writeable = False
    record_payoffs.flags.writeable = False
    regrets.flags.writeable = False
    kind = "pure" if all(len(s) == 1 for s in support) else "mixed"
    return NormalFormEquilibrium(
        strategies=floats,
        payoffs=record_payoffs,
        max_regret=float(regrets.max(initial=0.0)),
        support=support,
        exact=exact,
        exact_strategies=fr,
        kind=kind,
        regrets=regrets,
    )


def bimatrix_equilibria(
    game: NormalFormGame, profiles, *, support_tol: float = 0.0
) -> list[NormalFormEquilibrium]:
    """:func:`make_equilibrium` for many float profiles of a two-player game at once.

    One batched certificate (:func:`~coordgap.solvers.certify.regrets_bimatrix`) replaces
    a contraction per profile; each record is the one :func:`make_equilibrium` builds from
    the profile with ``exact=False``.

    Parameters
    ----------
    game : NormalFormGame
        Two players, with m and n actions; the game the profiles are certified on.
    profiles : array_like
        Shape (p, m + n): row k is the row player's strategy followed by the column
        player's; each is clipped at 0 and renormalized.
    support_tol : float
        Probabilities above this count as in the support.

    Returns
    -------
    list of NormalFormEquilibrium
        One record per profile, in order.
    """
    m, n = game.shape
    profiles = np.maximum(np.asarray(profiles, dtype=float), 0.0)
    profiles /= np.repeat(np.add.reduceat(profiles, [0, m], axis=1), [m, n], axis=1)
    profiles.flags.writeable = False  # the records hold read-only views of its rows
    payoffs, regrets = regrets_bimatrix(game.payoffs, profiles)
    payoffs.flags.writeable = False
    regrets.flags.writeable = False
    records = []
    for k, (row, worst) in enumerate(zip(profiles.tolist(), regrets.max(axis=1).tolist())):
        support = (
            tuple(i for i in range(m) if row[i] > support_tol),
            tuple(j for j in range(n) if row[m + j] > support_tol),
        )
        records.append(
            NormalFormEquilibrium(
                strategies=(profiles[k, :m], profiles[k, m:]),
                payoffs=payoffs[k],
                max_regret=worst,
                support=support,
                kind="pure" if len(support[0]) == len(support[1]) == 1 else "mixed",
                regrets=regrets[k],
            )
        )
    return records


def binary_action_equilibria(
    game: NormalFormGame, probabilities, *, exact: bool = False, check=None, fallback=None
) -> list[NormalFormEquilibrium | None]:
    """:func:`make_equilibrium` for many profiles of a game where every player has two actions.

    Row k of ``probabilities`` gives each player's probability p of action 0; its record is
    the one :func:`make_equilibrium` builds from the profile ``[[p, 1 - p], ...]`` (with
    ``exact``), field for field. Exact profiles are checked with integers (action values over
    a common denominator) instead of Fractions, and the float certificates of all profiles
    are computed at once.

    Parameters
    ----------
    game : NormalFormGame
        Every player has two actions; the game the profiles are certified on.
    probabilities : sequence of sequence
        Shape (K, n_players): Fractions when ``exact``, else floats.
    exact : bool
        Whether the probabilities are exact fractions (a row may then be None: no exact
        profile).
    check : ndarray of object, optional
        Exact payoffs of a game with the same equilibria as ``game`` (with ``exact``; default
        the game's own exact payoffs, required when they are floats): a profile whose exact
        regret on it is not 0 gets its ``fallback`` record, or None.
    fallback : sequence of sequence of float, optional
        With ``exact``, a float row per row, certified as with ``exact=False`` in place of an
        exact row that is None or fails ``check``.

    Returns
    -------
    list of NormalFormEquilibrium or None
        One entry per row, in order.
    """
    n = game.n_players
    rows: list[Any] = [None if row is None else list(row) for row in probabilities]
    if not exact:
        rows, fallback = [None] * len(rows), rows
    elif fallback is None:
        fallback = [None] * len(rows)
    out: list[NormalFormEquilibrium | None] = [None] * len(rows)
    given = [k for k, row in enumerate(rows) if row is not None]
    kept: list[int] = []
    if given:
        exact_rows = {
            k: [v if isinstance(v, Fraction) else Fraction(v) for v in rows[k]] for k in given
        }
        nums = {k: [v.numerator for v in exact_rows[k]] for k in given}
        dens = {k: [v.denominator for v in exact_rows[k]] for k in given}
        tables, scales = _integer_tables(game.exact_payoffs if check is None else check)
        values, expected = exact_binary_actions(
            tables, [nums[k] for k in given], [dens[k] for k in given]
        )
        owed = dict(zip(given, expected))
        for k, row in zip(given, values):
            if all(
                (v0 >= v1 if p == d else v1 >= v0 if p == 0 else v0 == v1)
                for (v0, v1), p, d in zip(row, nums[k], dens[k])
            ):
                kept.append(k)
    exact_floats = np.array(
        [[[p / d, (d - p) / d] for p, d in zip(nums[k], dens[k])] for k in kept], dtype=float
    ).reshape(len(kept), n, 2)
    if kept and game.is_exact:
        if check is not None:  # the game's own expected payoffs
            tables, scales = _integer_tables(game.exact_payoffs)
            _, expected = exact_binary_actions(
                tables, [nums[k] for k in kept], [dens[k] for k in kept]
            )
            owed = dict(zip(kept, expected))
        payoffs = np.array(
            [[e / (s * math.prod(dens[k])) for e, s in zip(owed[k], scales)] for k in kept],
            dtype=float,
        ).reshape(len(kept), n)
        regrets = _read_only(exact_floats, payoffs, np.zeros((len(kept), n)))
        for r, k in enumerate(kept):
            out[k] = _exact_binary_record(
                exact_floats[r], payoffs[r], regrets[r], 0.0, exact_rows[k], nums[k], dens[k], True
            )
    # float certificates, all at once: exact profiles of a float game, then float profiles
    done = set(kept)
    floating = [k for k in range(len(rows)) if k not in done and fallback[k] is not None]
    inexact = kept if not game.is_exact else []
    if not floating and not inexact:
        return out
    stacked = exact_floats
    if floating:
        probs = np.array([fallback[k] for k in floating], dtype=float).reshape(len(floating), n)
        floats = np.clip(np.stack([probs, 1.0 - probs], axis=2), 0.0, None)
        floats = floats / floats.sum(axis=2, keepdims=True)
        stacked = np.concatenate((exact_floats, floats)) if inexact else floats
    payoffs, regrets = _binary_certificates(game.payoffs, stacked)
    regrets = _read_only(stacked, payoffs, regrets)
    worst = regrets.max(axis=1, initial=0.0).tolist()
    positive = (stacked > 0.0).tolist()
    for r, k in enumerate(inexact):
        out[k] = _exact_binary_record(
            stacked[r], payoffs[r], regrets[r], worst[r], exact_rows[k], nums[k], dens[k], False
        )
    for r, k in enumerate(floating, start=len(inexact)):
        support = tuple(tuple(a for a in (0, 1) if s[a]) for s in positive[r])
        out[k] = _binary_record(stacked[r], payoffs[r], regrets[r], worst[r], support, False, None)
    return out


def _read_only(*arrays):
    """Mark the arrays read-only (the records hold views of their rows); the last one back."""
    for array in arrays:
        array.flags.writeable = False
    return arrays[-1]


def _exact_binary_record(floats, payoffs, regrets, worst, row, nums, dens, exact):
    fr = tuple((p, Fraction(d - a, d)) for p, a, d in zip(row, nums, dens))
    support = tuple(((0,) if p == 1 else (1,) if p == 0 else (0, 1)) for p in row)
    return _binary_record(floats, payoffs, regrets, worst, support, exact, fr)


def _binary_certificates(payoffs: np.ndarray, floats: np.ndarray):
    """Expected payoffs and regrets of profiles (K, N, 2), as :func:`make_equilibrium` has them."""
    if payoffs.ndim > 3 and payoffs.dtype == float and payoffs.flags.c_contiguous:
        return regrets_binary_actions(payoffs, floats)
    expected = np.array([_expected(payoffs, list(row)) for row in floats], dtype=float)
    regrets = np.array([regrets_normal_form(payoffs, list(row)) for row in floats], dtype=float)
    n = payoffs.ndim - 1
    return expected.reshape(-1, n), regrets.reshape(-1, n)


def _integer_tables(exact_payoffs) -> tuple[np.ndarray, list[int]]:
    """Each player's exact payoffs times the least common denominator, as integers.

    Shape (N, 2, 2^(N-1)): row ``[i, a]`` over the others' profiles in C order.
    """
    n = exact_payoffs.ndim - 1
    flat = exact_payoffs.reshape(-1, n).tolist()  # profiles in C order
    tables = np.empty((n, 2, 1 << (n - 1)), dtype=object)
    scales = []
    for i, order in enumerate(_action_orders(n)):
        ratios = [
            (v.numerator, v.denominator) if isinstance(v, Fraction) else (int(v), 1)
            for v in (flat[c][i] for c in order)
        ]
        scale = math.lcm(*(d for _, d in ratios))
        tables[i].flat[:] = [p * (scale // d) for p, d in ratios]
        scales.append(scale)
    return tables, scales


_ACTION_ORDERS: dict[int, list] = {}


def _action_orders(n: int) -> list:
    """Per player, the profiles (C order numbers) where it takes action 0, then action 1."""
    if n not in _ACTION_ORDERS:
        profiles = range(1 << n)
        _ACTION_ORDERS[n] = [
            [c for c in profiles if not c >> (n - 1 - i) & 1]
            + [c for c in profiles if c >> (n - 1 - i) & 1]
            for i in range(n)
        ]
    return _ACTION_ORDERS[n]


def _binary_record(floats, payoffs, regrets, worst, support, exact, fr) -> NormalFormEquilibrium:
    return NormalFormEquilibrium(
        strategies=tuple(floats),
        payoffs=payoffs,
        max_regret=worst,
        support=support,
        exact=exact,
        exact_strategies=fr,
        kind="pure" if all(len(s) == 1 for s in support) else "mixed",
        regrets=regrets,
    )


def rebase(record: NormalFormEquilibrium, game: NormalFormGame) -> NormalFormEquilibrium:
    """The same profile certified on ``game`` (e.g. found on the :func:`normalized` game)."""
    if record.exact_strategies is not None:
        return make_equilibrium(game, record.exact_strategies, exact=True)
    return make_equilibrium(game, record.strategies, support_tol=0.0)


#: Float payoffs are solved exactly when, mapped onto [0, 1], every one lies within
#: ``SNAP_TOL`` of a fraction with denominator at most ``SNAP_DENOMINATOR`` (scaled integer
#: games); a random float does so with probability about 1e-4.
SNAP_DENOMINATOR = 10_000
SNAP_TOL = NEAR_ZERO  # a payoff this close to a fraction of SNAP_DENOMINATOR is it


def _snap(values: np.ndarray) -> list | None:
    """The fractions near the values in [0, 1] (see ``SNAP_DENOMINATOR``), or None.

    Distinct values must snap to distinct fractions, so every tie and strict order between
    payoffs is kept (such fractions differ by at least 1e-8, far more than ``SNAP_TOL``).
    """
    flat = values.ravel().tolist()
    fractions: list[Fraction] = []
    common = 1  # a denominator that served so far: most payoffs are multiples of 1 / common
    unique = sorted(set(flat))  # np.unique's values; Python sets are faster on few payoffs
    for v in unique:
        # The fraction p / common nearest v is what limit_denominator gives whenever it passes
        # the test below: fractions with denominators at most SNAP_DENOMINATOR are 1e-8 apart,
        # so one within SNAP_TOL of v is the nearest; and its float is p / common.
        p = round(v * common)
        if abs(v - p / common) <= SNAP_TOL:
            f = Fraction(p, common)
        else:
            f = Fraction(v).limit_denominator(SNAP_DENOMINATOR)
            if abs(v - f) > SNAP_TOL:
                return None
            if math.lcm(common, f.denominator) <= SNAP_DENOMINATOR:
                common = math.lcm(common, f.denominator)
        if fractions and f == fractions[-1]:
            return None
        fractions.append(f)
    snapped = dict(zip(unique, fractions))
    return [snapped[v] for v in flat]


def normalized(game: NormalFormGame) -> tuple[NormalFormGame, str]:
    """The game with each player's payoffs mapped affinely onto [0, 1] (0 if constant).

    Such a map leaves every Nash equilibrium unchanged. Returns ``(game, how)``: ``how`` is
    ``"exact"`` for exact payoffs (mapped exactly), ``"snapped"`` for float payoffs whose
    images are, to ``SNAP_TOL``, fractions with denominator at most ``SNAP_DENOMINATOR``
    (returned as those exact fractions: a scaled integer game is solved as the integer game),
    and ``"float"`` otherwise.

    Parameters
    ----------
    game : NormalFormGame
        The game.

    Returns
    -------
    game : NormalFormGame
        The normalized game.
    how : {"exact", "snapped", "float"}
        How it was mapped (see above).

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> A = np.array([[1, -1], [-1, 1]]) * 1e-12
    >>> g, how = normalized(cg.NormalFormGame.from_bimatrix(A, -A))
    >>> how, g.exact_payoffs[..., 0].tolist()
    ('snapped', [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]])
    """
    n = game.n_players
    if game.is_exact:
        assert game.exact_payoffs is not None  # is_exact
        values = np.empty(game.payoffs.shape, dtype=object)
        floats = np.empty(game.payoffs.shape, dtype=float)
        for i in range(n):
            # over a common denominator: one Fraction per payoff instead of two operations
            ratios = [(v.numerator, v.denominator) for v in game.exact_payoffs[..., i].flat]
            scale = math.lcm(*(d for _, d in ratios))
            ints = [p * (scale // d) for p, d in ratios]
            low, span = min(ints), max(ints) - min(ints)
            values[..., i].flat[:] = [Fraction(v - low, span) if span else _ZERO for v in ints]
            # the float of (v - low) / span, correctly rounded as the Fraction's float is
            floats[..., i].flat[:] = [(v - low) / span if span else 0.0 for v in ints]
        return NormalFormGame._from_checked(floats, values, game), "exact"
    floats = unit_payoffs(game.payoffs)
    values = np.empty(floats.shape, dtype=object)
    for i in range(n):
        snapped = _snap(floats[..., i])
        if snapped is None:
            return NormalFormGame._from_checked(floats, None, game), "float"
        values[..., i] = np.array(snapped, dtype=object).reshape(game.shape)
    return NormalFormGame._from_checked(values.astype(float), values, game), "snapped"


def unit_payoffs(payoffs: np.ndarray) -> np.ndarray:
    """Float payoffs with each player's mapped affinely onto [0, 1] (0 if constant).

    The float part of :func:`normalized`, without building a game.

    Parameters
    ----------
    payoffs : ndarray
        Float payoffs, player on the last axis.

    Returns
    -------
    ndarray
        The same shape, every player's payoffs spanning [0, 1].
    """
    n = payoffs.shape[-1]
    # divide by the largest magnitude first, so a range beyond the largest float is no overflow
    size = np.abs(payoffs.reshape(-1, n)).max(axis=0)
    unit = payoffs / np.where(size > 0, size, 1.0)
    low = unit.reshape(-1, n).min(axis=0)
    span = unit.reshape(-1, n).max(axis=0) - low
    floats = (unit - low) / np.where(span > 0, span, 1.0)
    return np.clip(floats, 0.0, 1.0)  # rounding may step outside by an ulp


def finish(
    game: NormalFormGame,
    records,
    *,
    method: str,
    complete: bool,
    message: str,
    ok: bool = True,
    tol: float = DEFAULT_TOL,
    stacklevel: int = 1,
    **fields,
) -> EquilibriumSet:
    """The :class:`~coordgap.results.EquilibriumSet` of a normal-form solver.

    ``success`` (and ``complete``) hold only if every record's regrets are within ``tol``
    times each player's payoff range (:func:`coordgap.solvers.verdict.certified`).

    Parameters
    ----------
    game : NormalFormGame
        The game solved (its payoffs set the certificate's scale).
    records : iterable of NormalFormEquilibrium
        The equilibria found.
    method : str
        Name of the algorithm.
    complete : bool
        Whether the method proves the list complete.
    message : str
        The solver's message.
    ok : bool
        The solver's own verdict (False when it stopped early).
    tol : float
        Certificate tolerance, relative to each player's payoff range.
    stacklevel : int
        As for :func:`warnings.warn`, counted from the caller of this function.
    **fields
        Other :class:`~coordgap.results.EquilibriumSet` fields (``continuum``,
        ``n_equilibria``, ``details``).

    Returns
    -------
    EquilibriumSet
        With ``success`` the certificate's verdict.
    """
    if game.n_players == 2:  # payoff_scale's numbers, with fewer steps for a bimatrix
        flat = game.payoffs.reshape(-1, 2)
        high, low = flat.max(axis=0), flat.min(axis=0)
        with np.errstate(over="ignore"):  # a range beyond the largest float is inf: all pass
            scale = high - low
        floor = ROUNDING * np.maximum(high, -low)
    else:
        scale, floor = payoff_scale(game.payoffs)
    return certified_set(
        tuple(records),
        method=method,
        complete=complete,
        scale=scale,
        floor=floor,
        tol=tol,
        message=message,
        ok=ok,
        stacklevel=stacklevel + 1,
        game=game,
        **fields,
    )


def limited(records, limit: int) -> tuple[tuple, str]:
    """The first ``limit`` records and a message clause when some were left out."""
    records = tuple(records)
    if len(records) <= limit:
        return records, ""
    return records[:limit], f"; showing the first {limit} of {len(records)}"


def check_limit(limit, owner: str = "solve") -> None:
    """``limit`` must be an integer >= 1."""
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise InvalidParameterError(owner, "limit", "an integer >= 1", limit)


def indifferent_players(game: NormalFormGame) -> np.ndarray:
    """Whether each player gets the same payoff from all its actions at every profile.

    Compared exactly (a tie stays a tie when payoffs are scaled or shifted).
    """
    out = []
    for i in range(game.n_players):
        # floats first: rounding keeps equal payoffs equal, so payoffs whose floats differ
        # differ exactly too, and only a player tied in floats needs the exact comparison
        values = game.payoffs[..., i]
        same = bool(np.all(values == np.take(values, [0], axis=i)))
        if same and game.exact_payoffs is not None:
            values = game.exact_payoffs[..., i]
            same = bool(np.all(values == np.take(values, [0], axis=i)))
        out.append(same)
    return np.array(out)


def solve_indifferent(game: NormalFormGame, *, limit: int, method: str) -> EquilibriumSet:
    """Every player is indifferent everywhere: every profile is an equilibrium.

    The equilibria form the whole product of simplices, whose extreme points are the pure
    profiles; they are listed in lexicographic order up to ``limit``.
    """
    total = math.prod(game.shape)
    exact = game.is_exact
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    records = []
    for profile in itertools.islice(itertools.product(*map(range, game.shape)), limit):
        strategies = [
            [one if k == a else zero for k in range(n)] for a, n in zip(profile, game.shape)
        ]
        records.append(make_equilibrium(game, strategies, exact=exact))
    shown = f"; showing the first {limit} of {total}" if total > limit else ""
    return finish(
        game,
        records,
        method=method,
        complete=total <= limit,
        stacklevel=5,
        message="every player is indifferent between its actions at every profile: "
        "every mixed profile is an equilibrium (listed are the pure "
        "profiles, the extreme points)" + shown,
        continuum=total > 1,
        n_equilibria=total,
        details={"indifferent_players": tuple(range(game.n_players))},
    )


def _expected(payoffs: np.ndarray, strategies) -> np.ndarray:
    if len(strategies) == 2:  # bimatrix: x·A·y and x·B·y
        x, y = strategies
        return np.array([x @ payoffs[..., 0] @ y, x @ payoffs[..., 1] @ y], dtype=float)
    if payoffs.size <= 4096 and len(strategies) < 26:  # one einsum beats a tensordot chain
        letters = "abcdefghijklmnopqrstuvwxy"[: len(strategies)]
        return np.einsum(f"{letters}z,{','.join(letters)}->z", payoffs, *strategies)
    out = payoffs
    for p in reversed(strategies):
        out = np.tensordot(out, p, axes=([out.ndim - 2], [0]))
    return np.asarray(out, dtype=float)
