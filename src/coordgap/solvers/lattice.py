"""Equilibria of the participation game (M2): lattice extremes and exact anonymous enumeration.

Supermodularity (increasing differences)
    A binary game is supermodular when each actor's gain from joining,
    g_i(P) = s_i·[V(P ∪ {i}) − V(P)] − k_i + I_i, is non-decreasing in the set P of other
    joiners — i.e. when V has increasing differences. Then (Topkis 1979; Milgrom & Roberts
    1990; Vives 1990) the pure equilibria form a complete lattice under set inclusion, and
    simultaneous best-response iteration from "nobody joins" rises monotonically to the
    **least** equilibrium, from "everybody joins" falls to the **greatest** one (Tarski).
    With V(P) = B(R0 + Σ_P a_j)·φ(|P|), B(R) = pH(1 − e^{−κR}), a_j = w_j q_j, u_j = e^{−κa_j}
    and E = e^{−κR}, adding a joiner j to a set P of size m changes i's marginal value by

        pH·{Δ²φ(m) + E·[(u_i + u_j)·φ(m+1) − φ(m) − u_i·u_j·φ(m+2)]}.

    The critical-mass curve φ creates complementarity (Δ²φ > 0 where φ is convex); the
    concavity of B creates substitutability (the −u_i·u_j·φ(m+2) term): with φ = 1 joiners are
    strategic substitutes and the game is *not* supermodular. :func:`supermodularity` checks
    the bracket at its extreme points (it is bilinear in (u_i, u_j) and linear in E, whose range
    for each m is known after sorting the a_j) — exact for anonymous games, sufficient
    otherwise — and says when the property fails or is not verified. The iteration also checks
    that each step is monotone; when it is not, the result says so.

Anonymous games, all pure equilibria, O(N log N)
    When V depends on the count m only, actor i joins against m others iff its threshold
    t_i = (k_i − I_i)/s_i ≤ ΔV[m] = V[m+1] − V[m]. A profile with m joiners is an equilibrium iff
    every joiner has t_i ≤ ΔV[m−1] and every non-joiner t_i ≥ ΔV[m]. Actors with t_i < ΔV[m]
    must join, actors with t_i > ΔV[m−1] must stay out, actors with ΔV[m] ≤ t_i ≤ ΔV[m−1] are
    free. With thresholds sorted, two binary searches per m give the number forced in,
    ``lo(m)``, and the number who may join, ``hi(m)``; count m admits an equilibrium iff
    lo(m) ≤ m ≤ hi(m), and then exactly C(hi − lo, m − lo) of them. This holds for *any* V
    (supermodular or not), so the list is complete.

Few actor types, all pure equilibria
    Actors with the same (s_i, k_i − I_i, w_i·q_i) are interchangeable; a profile is an
    equilibrium iff its vector of joiners per type is, so checking the Π_r (n_r + 1) count
    vectors (vectorized) lists every equilibrium of a heterogeneous game with a few roles —
    e.g. the default calibration's five roles, 87,048 vectors — exactly, with no
    supermodularity assumption (:func:`solve_types`).

Actors that all differ, all pure equilibria
    Best responses are thresholds in the joined capacity u = Σ_P a_j: for each count m, the
    capacity range splits into cells where each actor is forced in, forced out or free, and
    the few free choices give candidate count vectors for the same exact test
    (:func:`coordgap.solvers.cells.solve_cells`). Complete, with no supermodularity
    assumption.

``cg.solve(game)`` uses the anonymous method when V depends on the count only, the type-count
method when there are at most 2^20 count vectors, the thresholds in joined capacity
otherwise, and lattice iteration only when the free choices of those cells exceed
``max_candidates``.

Every listed profile carries its certificate, the largest gain any actor gets by switching
alone (:meth:`~coordgap.ParticipationGame.regrets`, computed from V directly), and ``success``
is the certificate's verdict (:mod:`coordgap.solvers.verdict`): each actor's gain must be at
most 1e-9 of its payoff scale s_i·max|V| + |k_i − I_i| + β, plus rounding. Otherwise
``success`` and ``complete`` are False, ``status`` is 1, the message names the profile and a
:class:`~coordgap.errors.CertificateWarning` is emitted.
"""

from __future__ import annotations

import functools
import math
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import ConvergenceWarning, InvalidParameterError, did_you_mean
from ..games.participation import ParticipationGame
from ..results import EquilibriumSet, Result
from .verdict import DEFAULT_TOL, ROUNDING, certified

__all__ = [
    "ParticipationEquilibrium",
    "ParticipationEquilibria",
    "solve_participation",
    "solve_anonymous",
    "solve_types",
    "solve_lattice",
    "actor_types",
    "actor_classes",
    "monotone_iteration",
    "sequential_iteration",
    "supermodularity",
]

_EXACT_COUNT_MAX_FREE = 2000  # above this many free actors, profile counts are given in log10


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ParticipationEquilibrium(Result):
    """One pure equilibrium (or one class of tied equilibria) of a participation game.

    Attributes
    ----------
    joined : ndarray of bool
        Who joins. When some actors are ``free``, this is the representative profile in which
        the free actors with the lowest thresholds join.
    count : int
        Number of joiners m.
    coverage : float
        Capacity-weighted participation Σ_{i∈P} q_i / Σ q_i.
    value : float
        Coordination value V(P).
    max_regret : float
        Largest gain any actor gets by switching alone, from
        :meth:`~coordgap.ParticipationGame.regrets` (independent of the solver).
    free : ndarray of bool
        Actors free to be in or out: any ``n_free_in`` of them may join (the others stay
        out) and the profile is still an equilibrium with the same count.
    n_free_in : int
        How many of the free actors join.
    n_profiles : int or None
        Number of distinct equilibrium profiles with this count, C(n_free, n_free_in); None
        when it is too large to write out (see ``log10_profiles``).
    log10_profiles : float
        log10 of the number of profiles.
    kind : str
        ``"least"``, ``"greatest"``, ``"unique"`` or ``""``.
    """

    joined: np.ndarray
    count: int
    coverage: float
    value: float
    max_regret: float
    free: np.ndarray
    n_free_in: int = 0
    n_profiles: int | None = 1
    log10_profiles: float = 0.0
    kind: str = ""

    @property
    def order_key(self) -> tuple:
        """(count, coverage), by which equilibria are ordered (least, greatest)."""
        return (self.count, self.coverage)

    @property
    def n_free(self) -> int:
        """Number of actors free to be in or out."""
        return int(np.count_nonzero(self.free))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ParticipationEquilibria(EquilibriumSet):
    """Equilibria of a participation game, with the participation facts policy needs.

    Attributes
    ----------
    full_participation_unique : bool or None
        Whether "everybody joins" is the unique pure equilibrium (None: not decided).
    supermodular : bool or None
        Whether the game has increasing differences (None: not verified).
    equilibria, method, complete, success, status, message, continuum, n_equilibria, details, game
        As for :class:`~coordgap.EquilibriumSet`; ``equilibria`` holds
        :class:`ParticipationEquilibrium` records.
    """

    full_participation_unique: bool | None = None
    supermodular: bool | None = None


def _record(game, joined, kind="", free=None, n_free_in=0, n_profiles=1, log10=0.0, coverage=None):
    joined = np.asarray(joined, dtype=bool)
    joined.flags.writeable = False
    if free is None:
        free = np.zeros(game.n_actors, dtype=bool)
    free.flags.writeable = False
    return ParticipationEquilibrium(
        joined=joined,
        count=int(joined.sum()),
        # a caller that ordered records by coverage passes its numbers, so they keep the order
        coverage=float(game.coverage(joined) if coverage is None else coverage),
        value=float(game.coordination_value(joined)),
        max_regret=float(game.regrets(joined).max(initial=0.0)),
        free=free,
        n_free_in=int(n_free_in),
        n_profiles=n_profiles,
        log10_profiles=float(log10),
        kind=kind,
    )


def _n_profiles(n_free: int, k: int) -> tuple[int | None, float]:
    log10 = (math.lgamma(n_free + 1) - math.lgamma(k + 1) - math.lgamma(n_free - k + 1)) / math.log(
        10
    )
    if n_free <= _EXACT_COUNT_MAX_FREE:
        return math.comb(n_free, k), log10
    return None, log10


def _payoff_scale(game: ParticipationGame) -> np.ndarray:
    """Each actor's payoff scale s_i·max|V| + |k_i − I_i| + β, against which regrets are judged.

    max|V| is p·H for the structural value (V lies in [0, p·H]) and the largest |V[m]| for a
    game built from a value array.
    """
    top = float(np.max(np.abs(game.value))) if game.value is not None else game.scale
    return game.share * top + np.abs(game.net_cost) + game.refund_bonus


class _ActorGains:
    """A listed profile's per-actor regrets, computed only when the verdict asks for them."""

    __slots__ = ("game", "record")

    def __init__(self, record, game):
        self.record, self.game = record, game

    @property
    def max_regret(self) -> float:
        return self.record.max_regret

    @property
    def regrets(self) -> np.ndarray:
        return self.game.regrets(self.record.joined)


def _verdict(game, records, *, method: str, message: str) -> tuple[bool, int, str]:
    """(success, status, message) from the listed profiles' certificates."""
    scale = _payoff_scale(game)
    smallest = float((DEFAULT_TOL + ROUNDING) * scale.min()) if scale.size else 0.0
    checked = [r if r.max_regret <= smallest else _ActorGains(r, game) for r in records]
    return certified(
        checked, scale=scale, floor=ROUNDING * scale, method=method, message=message, stacklevel=4
    )


# -- supermodularity ------------------------------------------------------------------------
def supermodularity(game: ParticipationGame, *, tol: float = 1e-12) -> tuple[bool | None, str]:
    """Whether the game has increasing differences, and why.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    tol : float
        Tolerance on the second differences: relative to the largest |ΔV| for an anonymous
        game, otherwise absolute on the differences divided by p·H·e^{−κR0}.

    Returns
    -------
    verdict : bool or None
        True when verified, False when shown to fail, None when the sufficient check fails
        on a game that is not anonymous (the property may still hold).
    reason : str
        One sentence.

    Examples
    --------
    >>> import coordgap as cg
    >>> supermodularity(cg.ParticipationGame.anonymous([0, 1, 3, 6], 1.0, [1.0, 2.0, 2.5]))
    (True, 'ΔV = V[m+1] − V[m] is non-decreasing in m')
    >>> supermodularity(cg.ParticipationGame(share=0.3, cost=0.1, n_actors=3))[0]
    False
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    if game.has_refund:
        return None, (
            "an assurance contract (refund below the threshold) pays filers when "
            "few file: increasing differences are not checked"
        )
    if game.value is not None or game.is_anonymous:
        dv = np.diff(game.value_curve())
        scale = max(1.0, float(np.max(np.abs(dv), initial=0.0)))
        bad = np.flatnonzero(np.diff(dv) < -tol * scale)
        if bad.size == 0:
            return True, "ΔV = V[m+1] − V[m] is non-decreasing in m"
        k = int(bad[0])
        return False, (
            f"ΔV falls from {dv[k]:.6g} to {dv[k + 1]:.6g} between m = {k} and "
            f"m = {k + 1} joiners: joining is a strategic substitute there"
        )
    if game.scale * game.efficacy <= 0 or n < 2:
        return True, "the coordination value is zero or there is one actor"
    if game.critical_mass == "none":
        return False, (
            "with no critical mass (φ = 1) the concavity of B makes joiners strategic substitutes"
        )
    a = np.sort(game.contribution)
    kappa = game.efficacy
    m = np.arange(n - 1, dtype=float)  # size of P (others than i and j), 0..N−2
    phi0, phi1, phi2 = (
        game.critical_mass_curve(m),
        game.critical_mass_curve(m + 1),
        game.critical_mass_curve(m + 2),
    )
    d2 = phi2 - 2 * phi1 + phi0
    small = np.concatenate(([0.0], np.cumsum(a)))[: n - 1]
    large = np.concatenate(([0.0], np.cumsum(a[::-1])))[: n - 1]
    # φ scales the registry's increment B(R0 + x) − B(R0) = p·H·e^{−κR0}·(1 − e^{−κx}): the
    # positive factor e^{−κR0} does not change the sign of any difference below.
    e_max = np.exp(-kappa * small)
    e_min = np.exp(-kappa * large)
    u = np.exp(-kappa * np.array([a[0], a[-1]]))
    worst = np.full(n - 1, np.inf)
    # The pairs (u_i, u_j) of the smallest and the largest contribution; f is symmetric in
    # them (the same floats either way), so the mixed pair is taken once.
    for ui, uj in ((u[0], u[0]), (u[0], u[1]), (u[1], u[1])):
        f = (ui + uj) * phi1 - phi0 - ui * uj * phi2
        worst = np.minimum(worst, np.minimum(e_min * f, e_max * f))
    if np.all(d2 + worst >= -tol):
        return True, (
            "increasing differences verified: the complementarity of φ outweighs "
            "the concavity of B for every count and contribution"
        )
    return None, (
        "increasing differences not verified (the sufficient check fails; the "
        "concavity of B may outweigh the complementarity of φ)"
    )


class _Gains:
    """g_i(P) of :meth:`ParticipationGame.gains` (the same formulas), with what depends on the
    game alone — φ(m)·bind(m) and the net cost at every count — tabulated once, for the
    best-response iterations, which evaluate it at many profiles of one game. The
    certificates use :meth:`ParticipationGame.gains` itself."""

    def __init__(self, game: ParticipationGame) -> None:
        n = game.n_actors
        assert n is not None  # set when the game was validated
        counts = np.arange(n + 2)
        self.game = game
        self.binds = game.binding(counts) >= 1.0
        if game.value is not None:
            self.value = np.concatenate((game.value, [game.value[n]])) * game.binding(counts)
        else:
            self.factor = game.critical_mass_curve(counts) * game.binding(counts)
            self.a = game.contribution
            self.b0 = game.benefit(game.baseline)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        game = self.game
        others = int(x.sum()) - x  # joiners other than i
        if game.value is not None:
            v_in, v_out = self.value[others + 1], self.value[others]
        else:
            a, b0 = self.a, self.b0
            r_others = game.baseline + float(np.sum(a[x])) - a * x
            v_in = b0 + self.factor[others + 1] * (game.benefit(r_others + a) - b0)
            v_out = b0 + self.factor[others] * (game.benefit(r_others) - b0)
        net_in = np.where(self.binds[others + 1], game.net_cost, -game.refund_bonus)
        return game.share * (v_in - v_out) - net_in


# -- monotone (Tarski/Topkis) iteration ------------------------------------------------------
def monotone_iteration(
    game: ParticipationGame, start: str = "out", *, max_iter: int | None = None, tol: float = 0.0
) -> tuple[np.ndarray, bool, bool, int]:
    """Simultaneous best-response iteration from all-out (``"out"``) or all-in (``"in"``).

    From all-out an actor joins when its gain is > tol (smallest best response); from all-in
    it stays when its gain is >= −tol (largest best response).

    Parameters
    ----------
    game : ParticipationGame
        The game.
    start : {"out", "in"}
        Start from all-out (upward iteration) or all-in (downward).
    max_iter : int, optional
        Most iterations (default N + 2).
    tol : float
        Gain threshold of a move, in payoff units.

    Returns
    -------
    joined : ndarray of bool
        The last profile.
    converged : bool
        Whether a fixed point (an equilibrium) was reached.
    monotone : bool
        Whether every step moved in one direction (guaranteed under increasing differences).
    iterations : int
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    up = start == "out"
    x: np.ndarray = np.zeros(n, dtype=bool) if up else np.ones(n, dtype=bool)
    max_iter = n + 2 if max_iter is None else max_iter
    monotone = True
    gains = _Gains(game)
    for it in range(1, max_iter + 1):
        g = gains(x)
        new = g > tol if up else g >= -tol
        monotone &= bool(np.all(new >= x) if up else np.all(new <= x))
        if np.array_equal(new, x):
            return x, True, monotone, it
        x = new
    return x, False, monotone, max_iter


def sequential_iteration(
    game: ParticipationGame, start: str = "out", *, max_iter: int | None = None, tol: float = 0.0
) -> tuple[np.ndarray, bool, int]:
    """One-at-a-time best-response dynamics, used when simultaneous iteration cycles.

    From all-out, the non-joiner with the largest positive gain joins; from all-in, the
    joiner with the most negative gain leaves; any other actor whose choice is no longer a
    best response is switched afterwards, largest regret first. Returns the last profile,
    whether it is an equilibrium, and the number of switches.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    start : {"out", "in"}
        Start from all-out or all-in.
    max_iter : int, optional
        Most switches (default 4N + 4).
    tol : float
        Only regrets above ``tol`` (payoff units) make an actor switch.

    Returns
    -------
    joined : ndarray of bool
        The last profile.
    converged : bool
        Whether no actor wants to switch (an equilibrium).
    switches : int
        The number of switches made.
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    up = start == "out"
    x = np.zeros(n, dtype=bool) if up else np.ones(n, dtype=bool)
    max_iter = 4 * n + 4 if max_iter is None else max_iter
    gains = _Gains(game)
    for it in range(max_iter):
        g = gains(x)
        regret = np.where(x, -g, g)
        wants = regret > tol  # only strict improvements move; indifferent actors stay
        if not wants.any():
            return x, True, it
        i = int(np.argmax(np.where(wants, regret, -np.inf)))
        x = x.copy()
        x[i] = not x[i]
    return x, False, max_iter


# -- solvers --------------------------------------------------------------------------------
def solve_anonymous(game: ParticipationGame, *, limit: int = 256) -> ParticipationEquilibria:
    """Every pure equilibrium of an anonymous participation game, in O(N log N).

    Parameters
    ----------
    game : ParticipationGame
        An anonymous game (``game.is_anonymous``).
    limit : int
        Most equilibrium classes (one per count) to list; the least and greatest are always
        listed and ``n_equilibria`` counts all profiles.

    Returns
    -------
    ParticipationEquilibria
        One record per equilibrium count (a representative profile plus the actors free to
        be in or out), ``complete`` unless the listing was cut at ``limit``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame.anonymous([0.0, 0.0, 4.0, 4.0], 1.0, [1.0, 1.0, 1.0])
    >>> eq = solve_anonymous(g)
    >>> [(e.count, e.n_free, e.n_profiles) for e in eq]
    [(0, 0, 1), (2, 3, 3)]
    >>> eq.n_equilibria, eq.full_participation_unique
    (4, False)
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    dv = np.diff(game.value_curve())
    t = game.thresholds
    order = np.argsort(t, kind="stable")
    ts = t[order]
    d_in = np.concatenate(([np.inf], dv))  # ΔV[m−1]: a joiner's marginal value
    d_out = np.concatenate((dv, [-np.inf]))  # ΔV[m]: a non-joiner's marginal value
    if game.has_refund:
        # Below the assurance threshold a filer is refunded and paid the bonus β ≥ 0: a joiner
        # never leaves, and a non-joiner whose filing would still leave the registry void
        # joins iff β > 0 (it is indifferent at β = 0).
        counts_ = np.arange(n + 1)
        d_in = np.where(counts_ < game.refund_threshold, np.inf, d_in)
        void_after = counts_ + 1 < game.refund_threshold
        d_out = np.where(void_after, np.inf if game.refund_bonus > 0 else -np.inf, d_out)
    lo = np.searchsorted(ts, d_out, side="left")  # t < ΔV[m]: must join
    hi = np.searchsorted(ts, d_in, side="right")  # t <= ΔV[m−1]: may join
    counts = np.arange(n + 1)
    feasible = np.flatnonzero((lo <= counts) & (counts <= hi))
    listed = feasible
    if feasible.size > limit:
        half = max(limit // 2, 1)
        listed = np.concatenate((feasible[:half], feasible[-max(limit - half, 1) :]))
    records = []
    total, total_known, log_terms = 0, True, []
    for m in feasible:
        n_free = int(max(hi[m] - lo[m], 0))
        k = int(m - lo[m])
        n_prof, log10 = _n_profiles(n_free, k)
        log_terms.append(log10)
        if n_prof is None:
            total_known = False
        else:
            total += n_prof
    for m in listed:
        joined = np.zeros(n, dtype=bool)
        joined[order[:m]] = True
        free = np.zeros(n, dtype=bool)
        n_free = int(max(hi[m] - lo[m], 0))
        n_free_in = int(m - lo[m])
        n_prof, log10 = _n_profiles(n_free, n_free_in)
        if 0 < n_free_in < n_free:  # otherwise the profile is determined: nobody is free
            free[order[lo[m] : lo[m] + n_free]] = True
        else:
            n_free_in = 0
        kind = "unique" if feasible.size == 1 and n_prof == 1 else ""
        records.append(_record(game, joined, kind, free, n_free_in, n_prof, log10))
    if len(records) > 1 or (records and records[0].kind != "unique"):
        records[0] = _with_kind(records[0], "least")
        records[-1] = _with_kind(records[-1], "greatest")
    verdict, reason = supermodularity(game)
    unique_full = bool(feasible.size == 1 and feasible[0] == n)
    log_total = (
        float(np.logaddexp.reduce(np.array(log_terms) * math.log(10)) / math.log(10))
        if log_terms
        else -math.inf
    )
    complete = listed.size == feasible.size
    message = (
        f"{len(feasible)} participation count(s) admit an equilibrium "
        f"({_fmt_total(total if total_known else None, log_total)} profiles); "
        + (
            "full participation is the unique equilibrium"
            if unique_full
            else "full participation is not the unique equilibrium"
        )
    )
    if not complete:
        message += f"; listing the lowest and highest {len(listed)} of {len(feasible)} counts"
    details = {"counts": feasible, "supermodular_reason": reason, "log10_n_equilibria": log_total}
    success, status, message = _verdict(
        game, records, method="anonymous-threshold", message=message
    )
    return ParticipationEquilibria(
        equilibria=tuple(records),
        method="anonymous-threshold",
        complete=complete and success,
        success=success,
        status=status,
        message=message,
        n_equilibria=total if total_known else None,
        details=details,
        game=game,
        full_participation_unique=unique_full,
        supermodular=verdict,
    )


def _fmt_total(total, log10) -> str:
    return str(total) if total is not None else f"about 10^{log10:.1f}"


def _with_kind(rec: ParticipationEquilibrium, kind: str) -> ParticipationEquilibrium:
    from dataclasses import replace

    return replace(rec, kind=kind)


def solve_lattice(game: ParticipationGame, *, tol: float = 0.0) -> ParticipationEquilibria:
    """Least and greatest equilibria by monotone iteration from all-out and all-in.

    Under increasing differences (see :func:`supermodularity`) the two profiles are the least
    and greatest equilibria under set inclusion and every equilibrium lies between them; the
    list is therefore not ``complete``. When the property is not verified the two profiles
    are still certified equilibria if the iteration converged (their ``max_regret`` says so)
    but need not be the extremes; when it did not converge, ``success`` is False and a
    :class:`~coordgap.errors.ConvergenceWarning` is emitted.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    tol : float
        Gain threshold of a move in the iteration, in payoff units.

    Returns
    -------
    ParticipationEquilibria
        The least and the greatest equilibrium found (one record when they coincide).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.3, 0.3, 0.2], cost=[1.0, 2.0, 3.0],
    ...                          capacity=[1.0, 2.0, 0.5], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=2)
    >>> eq = solve_lattice(g)
    >>> eq.least.count, eq.greatest.count, eq.full_participation_unique
    (0, 2, False)
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    verdict, reason = supermodularity(game)
    low, ok_low, mono_low, it_low = monotone_iteration(game, "out", tol=tol)
    high, ok_high, mono_high, it_high = monotone_iteration(game, "in", tol=tol)
    fallback = []
    if not ok_low:
        low, ok_low, it_low = sequential_iteration(game, "out", tol=tol)
        fallback.append("from all-out")
    if not ok_high:
        high, ok_high, it_high = sequential_iteration(game, "in", tol=tol)
        fallback.append("from all-in")
    converged = ok_low and ok_high
    records = []
    if ok_low:
        records.append(_record(game, low, "least"))
    if ok_high and not (ok_low and np.array_equal(low, high)):
        records.append(_record(game, high, "greatest"))
    elif ok_high and ok_low:
        records[0] = _with_kind(records[0], "unique" if verdict else "least")
    if verdict is True and not (mono_low and mono_high):  # cannot happen; guard rounding
        verdict = None
    if not (mono_low and mono_high) and verdict is None:
        verdict = False
        reason = "best-response iteration was not monotone, so increasing differences fail"
    full = np.ones(n, dtype=bool)
    full_is_eq = float(game.regrets(full).max()) <= 0.0
    if not full_is_eq:
        unique_full = False
    elif verdict and ok_low:
        unique_full = bool(low.all())
    elif ok_low and not low.all():
        unique_full = False
    else:
        unique_full = None
    parts = [f"least/greatest by monotone iteration ({it_low} and {it_high} rounds)", reason]
    if fallback:
        parts.append(
            "simultaneous best responses cycled "
            + " and ".join(fallback)
            + "; one-at-a-time best responses were used there, so the listed "
            "profiles are equilibria but need not be the least/greatest"
        )
    status = 0
    if not converged:
        status = 1
        parts.append("best-response iteration did not reach a fixed point")
        warnings.warn(
            "lattice: best-response iteration did not reach a fixed point; the game "
            "is not supermodular",
            ConvergenceWarning,
            stacklevel=3,
        )
    if unique_full is True:
        parts.append("full participation is the unique equilibrium")
    elif unique_full is False:
        parts.append("full participation is not the unique equilibrium")
    message = "; ".join(parts)
    if converged:
        converged, status, message = _verdict(
            game, records, method="lattice-iteration", message=message
        )
    return ParticipationEquilibria(
        equilibria=tuple(records),
        method="lattice-iteration",
        complete=False,
        success=converged,
        status=status,
        message=message,
        n_equilibria=None,
        details={
            "supermodular_reason": reason,
            "iterations": (it_low, it_high),
            "monotone": (mono_low, mono_high),
        },
        game=game,
        full_participation_unique=unique_full,
        supermodular=verdict,
    )


def actor_types(game: ParticipationGame) -> tuple[np.ndarray, np.ndarray]:
    """Group actors with identical (share, net cost, contribution): their payoffs coincide.

    Returns the type index of every actor and the number of actors of each type.

    Parameters
    ----------
    game : ParticipationGame
        The game.

    Returns
    -------
    kind : ndarray of int
        Type index of every actor, shape (N,).
    sizes : ndarray of int
        Number of actors of each type, shape (T,).
    """
    return _group((game.share, game.net_cost, game.contribution))


def actor_classes(game: ParticipationGame) -> tuple[np.ndarray, np.ndarray]:
    """Group actors with identical (share, contribution); their net costs may differ.

    Within a class, whoever joins, the coordination value depends only on how many join, so
    an equilibrium's joiners of a class can be taken to be its cheapest (see
    :func:`solve_types`).

    Parameters
    ----------
    game : ParticipationGame
        The game.

    Returns
    -------
    kind : ndarray of int
        Class index of every actor, shape (N,).
    sizes : ndarray of int
        Number of actors of each class, shape (T,).
    """
    return _group((game.share, game.contribution))


def _group(columns) -> tuple[np.ndarray, np.ndarray]:
    # Rows in lexicographic order (as np.unique(rows, axis=0) numbers them), by one lexsort.
    order = np.lexsort(columns[::-1])
    ordered = [c[order] for c in columns]
    changed = np.zeros(order.size - 1, dtype=bool)
    for c in ordered:
        changed |= c[1:] != c[:-1]
    label = np.concatenate(([0], np.cumsum(changed)))
    kind = np.empty(order.size, dtype=np.intp)
    kind[order] = label
    return kind, np.bincount(label)


_CACHED_COUNT_ENTRIES = 1 << 22  # count-vector tables up to this many entries are kept


def _count_vectors(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every count vector (m_1, ..., m_T), 0 <= m_r <= n_r, in mixed radix with m_T fastest:
    the vectors (int and float) and their sums, read-only; small tables are built once."""
    if math.prod(k + 1 for k in sizes) * len(sizes) <= _CACHED_COUNT_ENTRIES:
        return _cached_count_vectors(sizes)
    return _build_count_vectors(sizes)


@functools.lru_cache(maxsize=8)
def _cached_count_vectors(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _build_count_vectors(sizes)


def _build_count_vectors(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_types = len(sizes)
    n_vectors = math.prod(k + 1 for k in sizes)
    index = np.arange(n_vectors)
    m = np.empty((n_vectors, n_types), dtype=np.int64)
    for r in range(n_types - 1, -1, -1):
        index, m[:, r] = np.divmod(index, sizes[r] + 1)
    out = (m, m.astype(float), m.sum(axis=1))
    for arr in out:
        arr.flags.writeable = False
    return out


def solve_types(
    game: ParticipationGame,
    *,
    limit: int = 256,
    max_vectors: int = 1 << 21,
    neighbours: str = "tensor",
) -> ParticipationEquilibria:
    """Every pure equilibrium of a game whose actors fall into a few classes, exactly.

    Actors of one class (same s_i and w_i·q_i, :func:`actor_classes`) change the coordination
    value alike, so V depends only on the vector of joiners per class (m_1, ..., m_T). Their
    net costs k_i − I_i may differ: within a class, order the actors by net cost. A profile
    with m_r joiners in class r is an equilibrium only if its most expensive joiner stays and
    its cheapest outsider stays out, so the profile that takes the m_r cheapest of every
    class is one too (it passes the same two tests with the same V). The count vector m is
    therefore an equilibrium vector iff, for every class,
    s_r·[V(m) − V(m − e_r)] ≥ c_r,(m_r) when m_r > 0 and s_r·[V(m + e_r) − V(m)] ≤ c_r,(m_r+1)
    when m_r < n_r, with c_r,(k) the k-th smallest net cost of the class (−β where an
    assurance contract voids the registry). All Π_r (n_r + 1) count vectors are checked at
    once (vectorized). Each equilibrium vector is reported by that representative, and its
    profiles are counted exactly: actors whose net cost passes both tests are free, the others
    are forced in or out. Actors with equal net costs as well (:func:`actor_types`) are the
    special case of Π_r C(n_r, m_r) profiles. This needs no supermodularity, so the list is
    complete.

    ``neighbours="tensor"`` (the default) holds V as an array over the count vectors, with the
    largest class last (its neighbours one entry apart). The registry's increment
    B(R0 + Σ_r m_r a_r) − B(R0) is a product of per-class powers, one ``exp`` per class and
    count instead of one per vector. The largest class is tested on every vector, the others on
    the vectors that pass. The gain of a class's actor at m + e_r decides both whether it stays
    at m + e_r and whether it joins at m. ``"lookup"`` computes V once per count vector and reads
    V(m ± e_r) from the neighbouring vector (one stride away in the mixed-radix order);
    ``"recompute"`` evaluates V(m ± e_r) afresh for every class, the slowest and most direct
    reference. All three test the same inequalities; they can differ only where a gain is zero
    to within rounding.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    limit : int
        Most equilibrium count vectors to list; ``n_equilibria`` counts all profiles.
    max_vectors : int
        Largest number of count vectors Π_r (n_r + 1) to check.
    neighbours : {"tensor", "lookup", "recompute"}
        How V(m ± e_r) is found (see above).

    Returns
    -------
    ParticipationEquilibria
        One record per equilibrium count vector, ``complete`` unless cut at ``limit``.

    Raises
    ------
    InvalidParameterError
        For an unknown ``neighbours``, or more than ``max_vectors`` count vectors.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.3, 0.3, 0.2], cost=[1.0, 1.0, 3.0],
    ...                          capacity=[1.0, 1.0, 0.5], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=2)
    >>> eq = solve_types(g)
    >>> [(e.count, e.n_profiles) for e in eq], eq.complete
    ([(0, 1), (2, 1)], True)
    """
    if neighbours not in _NEIGHBOURS:
        raise InvalidParameterError(
            "solve_types",
            "neighbours",
            "one of " + ", ".join(map(repr, _NEIGHBOURS)),
            neighbours,
            did_you_mean(str(neighbours), _NEIGHBOURS),
        )
    n = game.n_actors
    assert n is not None  # set when the game was validated
    kind, sizes = actor_classes(game)
    n_types = sizes.size
    n_vectors = int(np.prod(sizes.astype(float) + 1.0))
    if n_vectors > max_vectors:
        raise InvalidParameterError(
            "solve",
            "method",
            f"'lattice' for a game with "
            f"Π(n_r + 1) = {n_vectors} > {max_vectors} class-count "
            "vectors",
            "types",
        )
    classes = _ordered_classes(game, kind, sizes)
    size_key = tuple(int(k) for k in classes.sizes)
    if neighbours == "tensor":
        alive, values = _equilibrium_mask(game, classes.first, size_key, classes.nets)
    else:
        alive, values = _equilibrium_mask_by_vectors(
            game, classes.first, size_key, classes.nets, neighbours
        )
    note = f"among {n_vectors} ({{profiles}} profiles, {n_types} actor classes)"
    return _type_equilibria(
        game, classes, _digits(alive, size_key), values, limit, method="type-counts", note=note
    )


@dataclass(frozen=True)
class _Classes:
    """The actor classes of :func:`solve_types`, numbered by size (largest last), each with
    its actors cheapest first (ties by actor index), their net costs and its first actor."""

    kind: np.ndarray
    sizes: np.ndarray
    members: list
    nets: list
    first: np.ndarray
    order: np.ndarray  # the actors class by class, cheapest first (``members`` joined)
    starts: np.ndarray  # where each class begins in ``order``
    rank: np.ndarray  # each actor's place in its class (0: cheapest)


def _ordered_classes(game: ParticipationGame, kind: np.ndarray, sizes: np.ndarray) -> _Classes:
    # Largest class last (fastest in the mixed-radix order): the arrays over count vectors
    # then have long contiguous inner runs.
    n_types = sizes.size
    number = np.empty(n_types, dtype=np.intp)
    number[np.argsort(sizes, kind="stable")] = np.arange(n_types)
    kind, sizes = number[kind], np.sort(sizes, kind="stable")
    order = np.lexsort((game.net_cost, kind))  # class, then net cost, then index
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    members = [order[b : b + k] for b, k in zip(starts.tolist(), sizes.tolist(), strict=True)]
    nets = [game.net_cost[who] for who in members]
    first = order[starts]
    rank = np.empty(order.size, dtype=np.intp)
    rank[order] = np.arange(order.size) - starts[kind[order]]
    return _Classes(kind, sizes, members, nets, first, order, starts, rank)


def _test_vectors(game: ParticipationGame, classes: _Classes, vectors: np.ndarray):
    """The equilibrium test of :func:`solve_types` on the count vectors ``vectors`` (rows),
    every class at once (the ``"recompute"`` reference's numbers): which pass, and V and
    V(m ∓ e_r) at each vector (per class)."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    sizes, first = classes.sizes, classes.first
    s, a = game.share[first], game.contribution[first]
    joiners = vectors.sum(axis=1)
    counts = np.arange(-1, n + 2)
    bind_table = game.binding(counts)
    if game.value is not None:  # V given as a function of the count
        value_table = np.concatenate(([game.value[0]], game.value, [game.value[n]]))
        v_table = value_table * bind_table
        v_now = v_table[joiners + 1]
        v_less = np.broadcast_to(v_table[joiners][:, None], vectors.shape)
        v_more = np.broadcast_to(v_table[joiners + 2][:, None], vectors.shape)
    else:
        curve_table = game.critical_mass_curve(counts) * bind_table
        total_r = game.baseline + vectors.astype(float) @ a
        v_now = game.registry_value(total_r, curve_table[joiners + 1])
        v_less = game.registry_value(total_r[:, None] - a, curve_table[joiners][:, None])
        v_more = game.registry_value(total_r[:, None] + a, curve_table[joiners + 2][:, None])
    # The dearest joiner of each class must stay, its cheapest outsider stay out.
    nets = np.full((sizes.size, int(sizes.max(initial=0)) + 1), np.nan)
    for r, net in enumerate(classes.nets):
        nets[r, : net.size] = net
    has, room = vectors > 0, vectors < sizes
    cls = np.arange(sizes.size)
    j = joiners[:, None] + 1
    net_now = _net_at(game, bind_table[j], nets[cls, np.maximum(vectors - 1, 0)])
    net_more = _net_at(game, bind_table[j + 1], nets[cls, np.minimum(vectors, sizes)])
    keep = ~has | (s * (v_now[:, None] - v_less) - net_now >= 0)
    keep &= ~room | (s * (v_more - v_now[:, None]) - net_more <= 0)
    return keep.all(axis=1), (v_now, v_less, v_more)


def _net_at(game: ParticipationGame, bind, net):
    """The net cost where the registry binds (``bind``), −β where an assurance contract voids
    it; ``net`` a scalar or an array broadcasting against ``bind``."""
    if not game.has_refund:
        return net
    return np.where(bind > 0, net, -game.refund_bonus)


def _equilibrium_mask(game: ParticipationGame, first: np.ndarray, sizes: tuple[int, ...], nets):
    """The equilibrium test of :func:`solve_types` on V held as an array over the count
    vectors: the mixed-radix indices of the equilibrium vectors (increasing), and V and
    V(m ∓ e_r) there (see :func:`_neighbour_values`)."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    s = game.share[first]
    index, strides, edges, last_count = _tensor_tables(sizes)  # index: count + 1 per vector
    counts = np.arange(-1, n + 2)
    bind_table = game.binding(counts)  # at m = −1..N+1
    # Arrays over all vectors go to work arrays kept per thread: fresh arrays of this size
    # would be new memory mappings, and their page faults cost more than the arithmetic.
    w, work, ok, flag, net_work = _workspace(index.size)
    if game.value is not None:  # V given as a function of the count
        value_table = np.concatenate(([game.value[0]], game.value, [game.value[n]]))
        np.take(value_table * bind_table, index, out=w, mode="clip")
    else:
        # V − B(R0) = φ(m)·bind(m)·p·H·e^{−κR0}·(1 − Π_r e^{−κ a_r m_r}): the product of
        # per-class powers needs one exp per class and count, not one per vector.
        a = game.contribution[first]
        keep = np.ones(())
        for r, k in enumerate(sizes[:-1]):
            keep = np.multiply.outer(keep, np.exp(-game.efficacy * a[r] * np.arange(k + 1.0)))
        powers = np.exp(-game.efficacy * a[-1] * np.arange(sizes[-1] + 1.0))
        increment = work.reshape(keep.shape + powers.shape)
        np.multiply.outer(keep, powers, out=increment)
        np.subtract(1.0, work, out=work)
        work *= game.scale * math.exp(-game.efficacy * game.baseline)
        np.take(game.critical_mass_curve(counts) * bind_table, index, out=w, mode="clip")
        w *= work
    # The largest class (the last axis, stride 1) on every vector at once: vector i and i + 1
    # differ by one actor of that class, its (m_T(i) + 1)-th cheapest (unless m_T = n_T at i).
    # Its gain from joining at i is its gain from staying at i + 1; its net cost is that of a
    # binding registry at i + 1, −β when an assurance contract voids it. Few vectors pass (a
    # few per cent on the default model): the other classes are tested on those only.
    last = len(sizes) - 1
    gain, flag = work[:-1], flag[:-1]
    np.subtract(w[1:], w[:-1], out=gain)
    gain *= s[last]
    # Per-pair net costs that vary go to a work array (``out=``): the same numbers as the fresh
    # arrays of ``np.take``/``np.where``, without their page faults (about 0.5 ms each here).
    cheapest, dearest = nets[last][0], nets[last][-1]
    if cheapest == dearest and not game.has_refund:
        gain -= cheapest
    else:
        net_pair = net_work[:-1]
        if cheapest == dearest:
            net_pair.fill(cheapest)
        else:
            np.take(nets[last], last_count[:-1], out=net_pair, mode="clip")
        if game.has_refund:  # −β where the registry does not bind at the pair's upper vector
            voided = ~(bind_table[1:] > 0)  # at count m + 1, read at index = m + 1 (in range)
            np.take(voided, index[:-1], out=flag, mode="clip")
            np.copyto(net_pair, -game.refund_bonus, where=flag)
        gain -= net_pair
    gain[edges[last]] = 0.0  # pairs that are not neighbours decide nothing
    ok.fill(True)
    ok[1:] &= np.greater_equal(gain, 0.0, out=flag)  # members of the class stay
    ok[:-1] &= np.less_equal(gain, 0.0, out=flag)  # outsiders of the class stay out
    alive = np.flatnonzero(ok)

    def digit(alive, r):
        return (alive // strides[r]) % (sizes[r] + 1)

    def around(alive, r):
        st, m_r = strides[r], digit(alive, r)
        has, room = m_r > 0, m_r < sizes[r]
        return w[alive], w[np.where(has, alive - st, alive)], w[np.where(room, alive + st, alive)]

    for r in range(last - 1, -1, -1):
        if alive.size == 0:
            break
        alive = alive[
            _passes(
                game,
                s[r],
                nets[r],
                sizes[r],
                digit(alive, r),
                index[alive],
                bind_table,
                around(alive, r),
            )
        ]
    return alive, _neighbour_values(alive, len(sizes), around)


def _passes(game, s_r, nets_r, size_r, m_r, j, bind_table, values) -> np.ndarray:
    """Which of the vectors (joiners of class r: ``m_r``; count + 1: ``j``) pass the test of
    class r, from V and V(m ∓ e_r) there (``values``)."""
    v_now, v_less, v_more = values
    has, room = m_r > 0, m_r < size_r
    # The dearest joiner (the m_r-th cheapest) must stay, the cheapest outsider stay out.
    net_now = _net_at(game, bind_table[j], np.take(nets_r, m_r - 1, mode="clip"))
    net_more = _net_at(game, bind_table[j + 1], np.take(nets_r, m_r, mode="clip"))
    keep = ~has | (s_r * (v_now - v_less) - net_now >= 0)
    keep &= ~room | (s_r * (v_more - v_now) - net_more <= 0)
    return keep


def _neighbour_values(alive, n_types, around):
    """V at the vectors ``alive`` and, per class, V(m − e_r) and V(m + e_r) (rows: vectors)."""
    parts = [around(alive, r) for r in range(n_types)]  # V itself is the same in each
    less = np.column_stack([part[1] for part in parts]).reshape(alive.size, n_types)
    more = np.column_stack([part[2] for part in parts]).reshape(alive.size, n_types)
    return parts[0][0], less, more


_WORK = threading.local()


def _workspace(
    size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two float and two bool work arrays of ``size`` entries, and a third float one (the net
    costs of the largest class's pairs), kept per thread."""
    held = getattr(_WORK, "arrays", None)
    if held is None or held[0].size != size:
        held = (
            np.empty(size),
            np.empty(size),
            np.empty(size, bool),
            np.empty(size, bool),
            np.empty(size),
        )
        _WORK.arrays = held
    return held


@functools.lru_cache(maxsize=8)
def _tensor_tables(sizes: tuple[int, ...]):
    """For :func:`_equilibrium_mask`: count + 1 of every vector (read-only), the stride of
    each m_r, per class the indices i < N_vec − stride with m_r = n_r at i, and m_T of every
    vector; built by broadcasting, without the table of count vectors."""
    total = math.prod(k + 1 for k in sizes)
    counts = np.zeros((), dtype=np.intp)
    for k in sizes:
        counts = np.add.outer(counts, np.arange(k + 1, dtype=np.intp))
    index = counts.reshape(-1) + 1
    strides = [math.prod(k + 1 for k in sizes[r + 1 :]) for r in range(len(sizes))]
    edges = []
    for r, st in enumerate(strides):
        blocks = np.arange(total).reshape(-1, sizes[r] + 1, st)[:, sizes[r], :].reshape(-1)
        edges.append(blocks[blocks < total - st])
    last_count = np.tile(np.arange(sizes[-1] + 1, dtype=np.intp), total // (sizes[-1] + 1))
    for arr in (index, *edges, last_count):
        arr.flags.writeable = False
    return index, tuple(strides), tuple(edges), last_count


def _digits(vectors: np.ndarray, sizes) -> np.ndarray:
    """The count vectors (m_1, ..., m_T) at mixed-radix indices ``vectors`` (m_T fastest)."""
    out = np.empty((vectors.size, len(sizes)), dtype=np.int64)
    rest = np.asarray(vectors, dtype=np.int64)
    for r in range(len(sizes) - 1, -1, -1):
        rest, out[:, r] = np.divmod(rest, int(sizes[r]) + 1)
    return out


def _equilibrium_mask_by_vectors(game, first, sizes, nets, neighbours, vectors=None):
    """The equilibrium test of :func:`solve_types` over the list of count vectors (the
    ``"lookup"`` and ``"recompute"`` references): the indices of the equilibrium vectors and
    V and V(m ∓ e_r) there, as :func:`_equilibrium_mask` returns them.

    With ``vectors`` (count vectors, one per row; ``neighbours="recompute"``) only those are
    tested, and the positions of the equilibrium vectors among them are returned."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    n_types = len(sizes)
    s, a = game.share[first], game.contribution[first]
    if vectors is None:
        # every count vector (m_1, ..., m_T), 0 <= m_r <= n_r, in mixed radix (m_T fastest)
        m, m_float, joiners = _count_vectors(sizes)
    else:
        m = np.asarray(vectors, dtype=np.int64).reshape(-1, n_types)
        m_float, joiners = m.astype(float), m.sum(axis=1)
    n_vectors = m.shape[0]
    total_r = game.baseline + m_float @ a
    # φ and the binding indicator depend on the count only: tabulate them at −1..N+1 once.
    # An assurance contract voids the registry below its threshold: no value, cost refunded
    # and the bonus β paid (binding = 1 and net = k − I when there is no refund).
    counts = np.arange(-1, n + 2)
    bind_table = game.binding(counts)
    if game.value is not None:  # V given as a function of the count
        value_table = np.concatenate(([game.value[0]], game.value, [game.value[n]]))
        v_table = value_table * bind_table  # V[clip(m, 0, N)] times binding(m), m = −1..N+1
        v = v_table[joiners + 1]
    else:
        curve_table = game.critical_mass_curve(counts) * bind_table
        v = game.registry_value(total_r, curve_table[joiners + 1])
    # V(m ± e_r) is V at the vector one stride away (only used where m_r > 0, resp. < n_r).
    strides = np.ones(n_types, dtype=np.int64)  # stride of m_r: Π_{k>r} (n_k + 1)
    for r in range(n_types - 2, -1, -1):
        strides[r] = strides[r + 1] * (sizes[r + 1] + 1)

    def around(alive, r):
        j = joiners[alive]
        if game.value is not None:
            return v[alive], v_table[j], v_table[j + 2]
        if neighbours == "lookup":
            has, room = m[alive, r] > 0, m[alive, r] < sizes[r]
            less = v[np.where(has, alive - strides[r], alive)]
            return v[alive], less, v[np.where(room, alive + strides[r], alive)]
        t_r = total_r[alive]
        less = game.registry_value(t_r - a[r], curve_table[j])  # one of class r leaves
        return v[alive], less, game.registry_value(t_r + a[r], curve_table[j + 2])  # one joins

    # Test the classes one at a time on the vectors that passed so far (elementwise the same
    # inequalities as on all vectors; most vectors fail early).
    alive = np.arange(n_vectors)
    for r in range(n_types):
        if alive.size == 0:
            break
        values = around(alive, r)
        alive = alive[
            _passes(
                game, s[r], nets[r], sizes[r], m[alive, r], joiners[alive] + 1, bind_table, values
            )
        ]
    return alive, _neighbour_values(alive, n_types, around)


def _type_equilibria(
    game, classes, eq_vectors, values, limit, *, method, note
) -> ParticipationEquilibria:
    """The records of :func:`solve_types` from the equilibrium count vectors ``eq_vectors``
    (one per row) and V and V(m ∓ e_r) there (``values``). ``note`` follows the number of
    equilibrium vectors in the message (``{profiles}`` is replaced by the number of
    profiles)."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    sizes, first = classes.sizes, classes.first
    n_types = sizes.size
    v_now, v_less, v_more = values
    totals = eq_vectors.sum(axis=1)
    # Ordered as the records are (count, then coverage of the representative profile, the
    # cheapest m_r of each class): the first and the last are the least and the greatest.
    # The records carry these coverages, so their order keys follow this order to the last
    # bit; vectors that tie on both are ordered by the vector itself, so the order does not
    # depend on the search that found them (the cells and the exhaustive test give the same
    # ends).
    joined_all = classes.rank < eq_vectors[:, classes.kind]
    cover = game.coverage(joined_all)
    order = np.lexsort((*eq_vectors.T[::-1], cover, totals))
    joined_all, cover = joined_all[order], cover[order]
    eq_vectors, v_now, v_less, v_more = (
        eq_vectors[order],
        v_now[order],
        v_less[order],
        v_more[order],
    )
    totals = totals[order]
    listed = np.arange(eq_vectors.shape[0])
    if listed.size > limit:
        half = max(limit // 2, 1)
        listed = np.concatenate((listed[:half], listed[-max(limit - half, 1) :]))
    listed_set = set(listed.tolist())
    # Per actor: it can be in if it would stay (the test of its class's dearest joiner with
    # its own net cost), out if it would stay out; forced actors are fixed, the rest free.
    kind = classes.kind
    bind = game.binding(np.arange(n + 2))
    k_actor = eq_vectors[:, kind]
    net_now = _net_at(game, bind[totals][:, None], game.net_cost)
    net_more = _net_at(game, bind[totals + 1][:, None], game.net_cost)
    s = game.share[first][kind]
    with np.errstate(invalid="ignore"):  # V(m ∓ e_r) is unused (and may be inf) at the ends
        can_in = (k_actor == 0) | (s * (v_now[:, None] - v_less[:, kind]) - net_now >= 0)
        can_out = (k_actor == sizes[kind]) | (
            s * (v_more[:, kind] - v_now[:, None]) - net_more <= 0
        )
    per_class = functools.partial(np.add.reduceat, indices=classes.starts, axis=1)
    forced_in = per_class((~can_out)[:, classes.order].astype(np.int64))
    width = per_class((can_in & can_out)[:, classes.order].astype(np.int64))
    choose = eq_vectors - forced_in
    valid = ((choose >= 0) & (choose <= width)).all(axis=1)
    partial = (choose > 0) & (choose < width)
    free_all = partial[:, kind] & can_in & can_out
    n_free_in = np.where(partial, choose, 0).sum(axis=1)
    # Profile counts in Python ints (exact), from plain lists: a few vectors, many small reads.
    n_profs = [
        math.prod(math.comb(w, c) for w, c, p in zip(widths, chosen, part, strict=True) if p)
        if ok
        else 0
        for ok, widths, chosen, part in zip(
            valid.tolist(), width.tolist(), choose.tolist(), partial.tolist(), strict=True
        )
    ]
    total = sum(n_profs)
    shown = sorted(listed_set)
    # The kinds the records are built with: one record of a single profile is the unique
    # equilibrium; otherwise the first is the least and the last the greatest.
    kinds = [""] * len(shown)
    if len(shown) == 1 and n_profs[shown[0]] <= 1:
        kinds[0] = "unique"
    elif shown:
        kinds[0] = "least"
        kinds[-1] = "greatest"
    records = [
        _record(
            game,
            joined_all[idx].copy(),
            kind,
            free_all[idx].copy(),
            int(n_free_in[idx]),
            max(n_profs[idx], 1),
            math.log10(n_profs[idx]) if n_profs[idx] > 0 else 0.0,
            float(cover[idx]),
        )
        for idx, kind in zip(shown, kinds, strict=True)
    ]
    unique_full = bool(eq_vectors.shape[0] == 1 and totals.max(initial=-1) == n)
    verdict, reason = supermodularity(game)
    complete = listed.size == eq_vectors.shape[0]
    message = (
        f"{eq_vectors.shape[0]} equilibrium class-count vector(s) "
        + note.replace("{profiles}", str(total))
        + "; "
        + (
            "full participation is the unique equilibrium"
            if unique_full
            else "full participation is not the unique equilibrium"
        )
    )
    success, status, message = _verdict(game, records, method=method, message=message)
    return ParticipationEquilibria(
        equilibria=tuple(records),
        method=method,
        complete=complete and success,
        success=success,
        status=status,
        message=message,
        n_equilibria=total,
        details={"n_types": n_types, "type_sizes": sizes, "supermodular_reason": reason},
        game=game,
        full_participation_unique=unique_full,
        supermodular=verdict,
    )


_NEIGHBOURS = ("tensor", "lookup", "recompute")
#: The options each method accepts.
METHOD_OPTIONS = {
    "auto": ("limit", "max_vectors", "neighbours", "max_candidates", "engine", "tol"),
    "anonymous": ("limit",),
    "types": ("limit", "max_vectors", "neighbours"),
    "cells": ("limit", "max_candidates", "engine"),
    "lattice": ("tol",),
}
_METHODS = tuple(METHOD_OPTIONS)
_AUTO_MAX_VECTORS = 1 << 20


def _options(options: dict, method: str) -> dict:
    """The options ``method`` accepts, out of those given to ``"auto"``."""
    return {k: v for k, v in options.items() if k in METHOD_OPTIONS[method]}


def solve_participation(
    game: ParticipationGame, *, method: str = "auto", **options
) -> ParticipationEquilibria:
    """Dispatch: every equilibrium, exactly, wherever the structure allows; lattice iteration
    only where it does not.

    ``"auto"`` uses the anonymous method when V depends on the count only, the class-count
    method when there are at most 2^20 class-count vectors, and otherwise the thresholds in
    joined capacity (:func:`coordgap.solvers.cells.solve_cells`). All three list every
    equilibrium. When the free choices of the threshold cells exceed ``max_candidates`` it
    falls back to lattice iteration, whose two profiles are certified equilibria but are the
    least and greatest only under increasing differences; its message says so. Within
    :func:`~coordgap.solvers.compiled.compiled_search` (numba installed) the thresholds, with
    their cells searched by compiled code, come before the class-count method on games with
    many class-count vectors: the same list, found faster.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    method : {"auto", "anonymous", "types", "cells", "lattice"}
        The algorithm; ``"auto"`` picks as above.
    **options
        Options of the chosen solver (see :data:`METHOD_OPTIONS`): ``limit`` for
        :func:`solve_anonymous`; ``limit``, ``max_vectors`` and ``neighbours`` for
        :func:`solve_types`; ``limit``, ``max_candidates`` and ``engine`` for
        :func:`~coordgap.solvers.cells.solve_cells`; ``tol`` for :func:`solve_lattice`.
        ``"auto"`` passes each solver the options it accepts.

    Returns
    -------
    ParticipationEquilibria
        The equilibria found by the chosen method.

    Raises
    ------
    InvalidParameterError
        For an unknown method, or ``"anonymous"`` on a game that is not anonymous.
    """
    if method not in _METHODS:
        raise InvalidParameterError(
            "solve",
            "method",
            "one of " + ", ".join(map(repr, _METHODS)),
            method,
            did_you_mean(method, _METHODS),
        )
    if method == "anonymous" or (method == "auto" and game.is_anonymous):
        if not game.is_anonymous:
            raise InvalidParameterError(
                "solve",
                "method",
                "'lattice' or 'auto' for a game whose actors contribute unequal w_i·q_i",
                method,
            )
        return solve_anonymous(game, **_options(options, "anonymous"))
    if method == "types":
        return solve_types(game, **options)
    from .cells import TooManyCandidates, prefers_compiled, solve_cells  # cells builds on this

    if method == "cells":
        return solve_cells(game, **options)
    if method == "lattice":
        return solve_lattice(game, **options)
    _, sizes = actor_classes(game)
    n_vectors = float(np.prod(sizes.astype(float) + 1.0))
    if prefers_compiled(game, n_vectors):
        try:
            return solve_cells(game, **_options(options, "cells"))
        except TooManyCandidates:
            pass
    if n_vectors <= _AUTO_MAX_VECTORS:
        return solve_types(game, **_options(options, "types"))
    try:
        return solve_cells(game, **_options(options, "cells"))
    except TooManyCandidates:
        return solve_lattice(game, **_options(options, "lattice"))
