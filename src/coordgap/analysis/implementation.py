"""The cheapest incentive scheme that makes full participation the unique equilibrium.

A regulator pays each filer a *signing payment* p_i (per period, paid to an actor that files,
whatever the others do). The question is the least total Σ p_i at which full participation is
the **only** equilibrium of the participation game, not merely one of them. That is unique
implementation, the concern of Segal (2003, "Coordination and discrimination in contracting
with externalities: divide and conquer?", JET 113) and Winter (2004, "Incentives and
discrimination", AER 94).

Discriminatory scheme: divide and conquer
    Order the actors π(1), ..., π(N) and pay each just enough that filing is *strictly
    dominant* once its predecessors file: p_π(k) = max(0, −min_S g_π(k)(P_k ∪ S)) + margin.
    Here P_k holds the predecessors, S runs over every set of successors, and g_i(Q) is i's
    gain from filing when the actors in Q file. Iterated strict dominance then leaves full
    participation as the only equilibrium (the only rationalizable profile), whatever the
    game's externalities.

    - Under increasing differences the worst S is empty: this is Segal's scheme. Without
      them, the worst S is found exactly. For a given count the gain is monotone in joined
      capacity (see :mod:`coordgap.solvers.cells`), so the worst set of each size is the j
      smallest or the j largest successors.
    - The order matters. It is optimal exactly:

      - in anonymous games by an assignment of actors to positions (Hungarian method;
        sorting by net cost when shares are equal and no refund applies);
      - in games of up to 12 actors by dynamic programming over the set of actors secured
        first.

      Larger heterogeneous games get greedy securing plus pairwise swaps, and the result
      gives a lower bound (every actor paid at least what it needs when all others file)
      and says the order is not proven optimal.

Uniform scheme
    The least payment u to every filer with full participation the unique equilibrium. It is
    found by bisection, with every trial solved by a complete method. The predicate is
    monotone under increasing differences (Topkis: the least equilibrium rises with u), and
    ``monotone`` says whether that was verified.

Certificate
    The equilibrium set under each scheme is computed by a complete method and must be
    exactly {full participation}. For the discriminatory scheme, each positive payment is
    also lowered below its infimum by the margin, to check that another equilibrium then
    appears (``minimal``). A payment that can be lowered is lowered by bisection, keeping
    uniqueness (``tightened``).

Signing payments are paid on filing and are not withdrawn on expulsion. So they change the
decision to file but not the membership rent, and they leave the credibility of a filing (M3)
unchanged: the ex ante game of a :class:`~coordgap.PolicyModel` shifts by exactly p_i.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..games.participation import ParticipationGame
from ..instruments.base import PolicyModel
from ..results import Result
from ..solvers.cells import _coefficients
from ..solvers.lattice import solve_participation, supermodularity
from .participation import unique_participation_incentive

__all__ = ["cheapest_implementation", "Implementation", "worst_gains"]

_EXACT_SUBSETS = 12  # dynamic programming over the set secured first up to this many actors
_ASSIGNMENT_MAX = 3000  # Hungarian method up to this many actors (an N x N cost matrix)
_MINIMALITY_MAX = 200  # per-actor minimality checks (one complete solve each) up to here


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Implementation(Result):
    """The cheapest discriminatory and uniform schemes that make full participation unique.

    Attributes
    ----------
    order : tuple of str
        The actors in the order they are secured (divide and conquer).
    payments : ndarray
        Each actor's signing payment (USD m per period, in actor order), margins included.
    total : float
        Σ payments: the public cost of the discriminatory scheme when everyone files.
    infimum : float
        The infimum of the discriminatory scheme's cost (margins left out).
    order_optimal : bool
        Whether the order is proven cost-minimal among divide-and-conquer orders.
    order_method : str
        ``"sort"``, ``"assignment"``, ``"subsets"`` or ``"greedy-swaps"``.
    lower_bound : float
        Σ_i max(0, −g_i(all others)): no scheme costs less.
    uniform_payment : float
        The least uniform signing payment with full participation unique (margin included).
    uniform_total : float
        N × ``uniform_payment``.
    monotone : bool or None
        Whether uniqueness was verified to be monotone in the uniform payment (increasing
        differences).
    unique : bool
        Certificate: under the discriminatory scheme, a complete method finds exactly one
        equilibrium, full participation.
    uniform_unique : bool
        The same under the uniform scheme.
    minimal : ndarray of bool or None
        Per actor: lowering its payment by the margin below its infimum admits another
        equilibrium (True for unpaid actors). None: not checked (more than 200 actors).
    tightened : int
        Number of payments lowered below their divide-and-conquer level, uniqueness kept.
    margin : float
        The strict-dominance margin added to each payment (USD m).
    public_funds_cost : float
        λ: each unit of public money costs 1 + λ (0 for a bare game).
    names : tuple of str
        Actor names, in actor order.
    message : str
        One paragraph on what was found and how global it is.
    """

    order: tuple
    payments: np.ndarray
    total: float
    infimum: float
    order_optimal: bool
    order_method: str
    lower_bound: float
    uniform_payment: float
    uniform_total: float
    monotone: bool | None
    unique: bool
    uniform_unique: bool
    minimal: np.ndarray | None
    tightened: int
    margin: float
    public_funds_cost: float
    names: tuple
    message: str = ""

    @property
    def saving(self) -> float:
        """How much cheaper discrimination is: uniform_total − total (USD m per period)."""
        return self.uniform_total - self.total

    @property
    def social_cost(self) -> float:
        """(1 + λ)·total: the discriminatory scheme's cost in welfare units."""
        return (1.0 + self.public_funds_cost) * self.total

    def to_frame(self):
        """One row per actor, in the order secured: name, position, payment.

        Returns
        -------
        pandas.DataFrame
            Columns ``actor``, ``position`` (1 first), ``payment``, ``minimal``.
        """
        import pandas as pd

        place = {name: k + 1 for k, name in enumerate(self.order)}
        rows = [
            {
                "actor": name,
                "position": place[name],
                "payment": float(self.payments[i]),
                "minimal": None if self.minimal is None else bool(self.minimal[i]),
            }
            for i, name in enumerate(self.names)
        ]
        return pd.DataFrame(rows).sort_values("position", ignore_index=True)


def _prepared(target) -> tuple[ParticipationGame, float]:
    if isinstance(target, PolicyModel):
        return target.game, float(target.public_funds_cost)
    if isinstance(target, ParticipationGame):
        return target, 0.0
    raise InvalidParameterError(
        "cheapest_implementation",
        "target",
        "a PolicyModel or a ParticipationGame",
        type(target).__name__,
    )


def worst_gains(game: ParticipationGame, secured, actors=None, *, binding=None) -> np.ndarray:
    """Each actor's least gain from filing when ``secured`` file, over every set of the others.

    Parameters
    ----------
    game : ParticipationGame
        The game.
    secured : array_like of bool
        The actors known to file (one flag per actor).
    actors : array_like of int, optional
        The actors to evaluate, all outside ``secured`` (default: every one outside).
    binding : bool, optional
        Only the sets where the filings bind once the actor files (True) or where an
        assurance contract voids them (False); +inf where there is none. Default: all sets.

    Returns
    -------
    ndarray
        min over S ⊆ others∖secured of g_i(secured ∪ S), one per actor of ``actors``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.3, 0.3], cost=[10.0, 10.0], capacity=[1.0, 1.0],
    ...                          prob=0.5, harm=100.0, critical_mass="step", threshold=2)
    >>> worst_gains(g, [False, False]).round(3).tolist()  # no value until both file
    [-10.0, -10.0]
    >>> worst_gains(g, [True, False]).round(3).tolist()
    [2.97]
    """
    n = game.n_actors
    assert n is not None  # set when the game was validated
    secured = np.asarray(secured, dtype=bool)
    who = np.flatnonzero(~secured) if actors is None else np.asarray(actors, dtype=np.intp)
    if np.any(secured[who]):
        raise InvalidParameterError(
            "worst_gains", "actors", "actors outside the secured set", who[secured[who]].tolist()
        )
    if who.size == 0:
        return np.zeros(0)
    a = game.contribution
    base_m, base_u = int(secured.sum()), float(np.sum(a[secured]))
    rest = np.flatnonzero(~secured)
    ordered = rest[np.argsort(a[rest], kind="stable")]
    q = ordered.size - 1  # others outside the secured set, for an actor outside it
    counts = base_m + np.arange(q + 1)
    a_out, g_out = _coefficients(game, counts)[2:]
    rows = None if binding is None else (game.binding(counts + 1) > 0) == binding
    # The j smallest (largest) capacities among the others outside, without the actor itself.
    rank = np.empty(n, dtype=np.intp)
    rank[ordered] = np.arange(ordered.size)
    small = np.concatenate(([0.0], np.cumsum(a[ordered])))
    large = np.concatenate(([0.0], np.cumsum(a[ordered][::-1])))
    j = np.arange(q + 1)
    out = np.empty(who.size)
    for k, i in enumerate(who):
        r = rank[i]  # the actor's place among those outside (it is one of them)
        low = np.where(j <= r, small[j], small[np.minimum(j + 1, ordered.size)] - a[i])
        high = np.where(
            j <= ordered.size - 1 - r, large[j], large[np.minimum(j + 1, ordered.size)] - a[i]
        )
        gains = []
        for extra in (low, high):
            u = base_u + extra
            gains.append(a_out[:, i] - np.exp(-game.efficacy * u) * g_out[:, i])
        least = np.minimum(*gains)
        if rows is not None:
            least = least[rows]
        out[k] = float(np.min(least, initial=np.inf))
    return out


class _Anonymous:
    """Worst gains of an anonymous game by position, in O(N): at position k + 1 (k actors
    secured) actor i's worst gain is min over m ≥ k of s_i·D(m) − c_i(m + 1), with
    D(m) = V(m + 1) − V(m) and c_i(m + 1) = k_i − I_i where the registry binds at m + 1 and −β
    where it is void: min(s_i·D₁(k) − (k_i − I_i), s_i·D₂(k) + β) with D₁, D₂ the suffix
    minima of D over the binding and the void counts."""

    def __init__(self, game: ParticipationGame) -> None:
        n = game.n_actors
        assert n is not None  # set when the game was validated
        counts = np.arange(n + 1)
        bind = game.binding(counts)
        if game.value is not None:
            v = game.value * bind
        else:
            a = game.contribution[0] if n else 0.0
            factor = game.critical_mass_curve(counts) * bind
            v = game.registry_value(game.baseline + counts * a, factor)
        d = np.diff(v)  # D(m), m = 0..N−1
        binds = bind[1:] > 0  # at m + 1
        self.d1 = np.minimum.accumulate(np.where(binds, d, np.inf)[::-1])[::-1]
        self.d2 = np.minimum.accumulate(np.where(binds, np.inf, d)[::-1])[::-1]
        self.game = game

    def worst(self, actors, positions) -> tuple[np.ndarray, np.ndarray]:
        """Worst gains of ``actors`` at 0-based ``positions`` (broadcasting), over the counts
        where the filings bind and over those where they are void."""
        g = self.game
        s, net = g.share[actors], g.net_cost[actors]
        with np.errstate(invalid="ignore"):  # inf·0 where a share is 0
            one = np.where(np.isinf(self.d1[positions]), np.inf, s * self.d1[positions] - net)
            two = np.where(
                np.isinf(self.d2[positions]), np.inf, s * self.d2[positions] + g.refund_bonus
            )
        return one, two


def _need(wb, wv) -> np.ndarray:
    """The infimum payment that makes filing strictly dominant: max(0, −least gain where the
    filings bind); +inf where a void registry leaves a gain ≤ 0 (a payment to members cannot
    reach it)."""
    return np.where(np.asarray(wv) > 0, np.maximum(-np.asarray(wb, dtype=float), 0.0), np.inf)


def _split(game: ParticipationGame, secured, who) -> tuple[np.ndarray, np.ndarray]:
    """Least gains of ``who`` where the filings bind and where they are void."""
    return (
        worst_gains(game, secured, who, binding=True),
        worst_gains(game, secured, who, binding=False),
    )


def _order_anonymous(game: ParticipationGame, parts: _Anonymous) -> tuple[np.ndarray, bool, str]:
    n = game.n_actors
    assert n is not None  # set when the game was validated
    share = game.share
    if bool(np.all(share == share[0])) and not game.has_refund:
        # The payment max(0, k_i − I_i − s·D₁(k)) is a convex function of k_i − I_i − s·D₁(k),
        # with D₁ non-decreasing in k: the cheapest match puts the cheapest actors first.
        return np.argsort(game.net_cost, kind="stable"), True, "sort"
    if n <= _ASSIGNMENT_MAX:
        from scipy.optimize import linear_sum_assignment

        actors = np.arange(n)
        costs = _need(*parts.worst(actors[:, None], actors[None, :]))
        costs = np.where(np.isfinite(costs), costs, 1e300)  # the assignment needs numbers
        rows, positions = linear_sum_assignment(costs)
        order = np.empty(n, dtype=np.intp)
        order[positions] = rows
        return order, True, "assignment"
    return np.argsort(game.net_cost / np.maximum(share, 1e-300), kind="stable"), False, "sort"


def _worst_in_order(game: ParticipationGame, order: np.ndarray, parts):
    """Each actor's least gains (actor order) at its place in ``order``: where the filings
    bind and where they are void."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    wb, wv = np.zeros(n), np.zeros(n)
    if parts is not None:
        wb[order], wv[order] = parts.worst(order, np.arange(n))
        return wb, wv
    secured = np.zeros(n, dtype=bool)
    for i in order:
        (wb[i],), (wv[i],) = _split(game, secured, [i])
        secured[i] = True
    return wb, wv


def _order_subsets(game: ParticipationGame) -> tuple[np.ndarray, bool, str]:
    """The cheapest order by dynamic programming over the set secured first."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    size = 1 << n
    best = np.full(size, np.inf)
    last = np.full(size, -1, dtype=np.intp)
    best[0] = 0.0
    for mask in range(size - 1):  # every set is reached (at infinite cost if need be)
        secured = np.array([(mask >> i) & 1 for i in range(n)], dtype=bool)
        who = np.flatnonzero(~secured)
        pay = _need(*_split(game, secured, who))
        for i, p in zip(who.tolist(), pay.tolist()):
            nxt = mask | (1 << i)
            if best[mask] + p < best[nxt] or last[nxt] < 0:
                best[nxt], last[nxt] = best[mask] + p, i
    order = []
    mask = size - 1
    while mask:
        order.append(int(last[mask]))
        mask &= ~(1 << int(last[mask]))
    return np.array(order[::-1], dtype=np.intp), True, "subsets"


def _order_greedy(game: ParticipationGame) -> tuple[np.ndarray, bool, str]:
    """Greedy securing (the actor cheapest to secure next), then improving pairwise swaps of
    neighbours until none lowers the total."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    secured = np.zeros(n, dtype=bool)
    order = []
    for _ in range(n):
        who = np.flatnonzero(~secured)
        wb, wv = _split(game, secured, who)
        need = _need(wb, wv)
        i = int(who[np.lexsort((-wb, need))[0]])  # the least payment (ties: the most slack)
        order.append(i)
        secured[i] = True
    seq = np.array(order, dtype=np.intp)
    pay = _need(*_worst_in_order(game, seq, None))
    improved = True
    while improved:
        improved = False
        for k in range(n - 1):
            i, j = seq[k], seq[k + 1]
            before = np.zeros(n, dtype=bool)
            before[seq[:k]] = True
            p_j = float(_need(*_split(game, before, [j]))[0])
            before[j] = True
            p_i = float(_need(*_split(game, before, [i]))[0])
            if np.isfinite(p_i + p_j) and p_i + p_j < pay[i] + pay[j] - 1e-12 * (
                1.0 + pay[i] + pay[j]
            ):
                seq[k], seq[k + 1] = j, i
                pay[i], pay[j] = p_i, p_j
                improved = True
    return seq, False, "greedy-swaps"


def _unique_full(game: ParticipationGame, payments: np.ndarray) -> bool:
    """Whether a complete method finds full participation as the only equilibrium."""
    paid = game.replace(incentive=game.incentive + payments)
    eqs = solve_participation(paid, limit=2)
    if not eqs.complete:  # not settled by a complete method: not certified
        return False
    return bool(eqs.full_participation_unique)


def cheapest_implementation(
    target, *, margin: float | None = None, check_minimal: bool = True
) -> Implementation:
    """The cheapest discriminatory and uniform signing payments with full participation the
    unique equilibrium.

    Parameters
    ----------
    target : PolicyModel or ParticipationGame
        A policy model (its ex ante participation game, with any design already applied) or
        a participation game.
    margin : float, optional
        Strict-dominance margin added to each payment (USD m; default 1e-9 of p·H, at least
        1e-12).
    check_minimal : bool
        Check, actor by actor, that lowering a payment admits another equilibrium, and lower
        the payments that can be lowered (default True; skipped above 200 actors).

    Returns
    -------
    Implementation
        Both schemes, the order, and their certificates.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.2, 0.2, 0.2], cost=[3.0, 5.0, 8.0],
    ...                          capacity=[1.0, 1.0, 1.0], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=3)
    >>> imp = cheapest_implementation(g)
    >>> imp.order, round(imp.infimum, 6), round(imp.uniform_total, 6), imp.unique
    (('actor 0', 'actor 1', 'actor 2'), 8.0, 15.0, True)
    """
    game, lam = _prepared(target)
    n = game.n_actors
    assert n is not None  # set when the game was validated
    names = tuple(game.names) if game.names is not None else tuple(f"actor_{i}" for i in range(n))
    if margin is None:
        margin = max(1e-9 * game.scale, 1e-12)
    if not (isinstance(margin, (int, float)) and math.isfinite(margin) and margin > 0):
        raise InvalidParameterError(
            "cheapest_implementation", "margin", "a finite number > 0", margin
        )
    parts = _Anonymous(game) if game.is_anonymous else None
    if parts is not None:
        order, optimal, method = _order_anonymous(game, parts)
    elif n <= _EXACT_SUBSETS:
        order, optimal, method = _order_subsets(game)
    else:
        order, optimal, method = _order_greedy(game)
    wb, wv = _worst_in_order(game, order, parts)
    infimum = _need(wb, wv)
    # Filing strictly dominant, by the margin where the filings bind.
    payments = np.where(np.isfinite(infimum), np.maximum(margin - wb, 0.0), np.inf)
    # No scheme costs less: each actor needs at least what it needs when all others file.
    if parts is not None:
        last = _need(*parts.worst(np.arange(n), np.full(n, n - 1)))
    else:
        last = np.array([_need(*_split(game, np.arange(n) != i, [i]))[0] for i in range(n)])
    lower = float(np.sum(last[np.isfinite(last)]))
    feasible = bool(np.all(np.isfinite(payments)))
    unique = feasible and _unique_full(game, payments)
    minimal, tightened = None, 0
    if check_minimal and n <= _MINIMALITY_MAX and unique:
        payments, minimal, tightened = _tighten(game, payments, margin)
    uniform, uniform_unique, monotone = _uniform(game, margin, parts)
    total = float(payments.sum())
    notes = [
        f"divide and conquer over {n} actors: total {total:.6g} (infimum "
        f"{float(infimum.sum()):.6g}), order "
        + ("proven cost-minimal" if optimal else "not proven cost-minimal")
        + f" ({method}); no scheme costs less than {lower:.6g}",
        f"uniform payment {uniform:.6g} per filer, total {n * uniform:.6g}",
    ]
    if not feasible:
        notes.append(
            "no payment to members makes full participation unique: below the assurance "
            "contract's threshold the registry is void, no payment is made, and an actor's "
            "gain there (its refund bonus) is not positive"
        )
    failed = [
        name for name, ok in (("discriminatory", unique), ("uniform", uniform_unique)) if not ok
    ]
    notes.append(
        "full participation is the unique equilibrium under both schemes (complete method)"
        if not failed
        else "uniqueness NOT certified for the " + " and the ".join(failed) + " scheme"
    )
    if tightened:
        notes.append(f"{tightened} payment(s) lowered below divide and conquer, uniqueness kept")
    return Implementation(
        order=tuple(names[i] for i in order),
        payments=payments,
        total=total,
        infimum=float(infimum.sum()),
        order_optimal=optimal,
        order_method=method,
        lower_bound=lower,
        uniform_payment=uniform,
        uniform_total=n * uniform,
        monotone=monotone,
        unique=unique,
        uniform_unique=uniform_unique,
        minimal=minimal,
        tightened=tightened,
        margin=float(margin),
        public_funds_cost=lam,
        names=names,
        message="; ".join(notes),
    )


def _tighten(game, payments, margin):
    """Check that each positive payment cannot be lowered (by the margin below what uniqueness
    needs); lower by bisection the ones that can. Returns the payments, the per-actor flags
    and the number lowered."""
    n = game.n_actors
    payments = payments.copy()
    minimal = np.ones(n, dtype=bool)
    tightened = 0
    for i in np.argsort(-payments, kind="stable"):
        if payments[i] <= 0.0:
            continue
        trial = payments.copy()
        trial[i] = max(0.0, payments[i] - 2.0 * margin)
        if not _unique_full(game, trial):
            continue
        lo, hi = 0.0, trial[i]  # unique at hi; find the least payment that keeps it
        trial[i] = 0.0
        if _unique_full(game, trial):
            hi = 0.0
        else:
            for _ in range(60):
                if hi - lo <= margin:
                    break
                mid = 0.5 * (lo + hi)
                trial[i] = mid
                lo, hi = (lo, mid) if _unique_full(game, trial) else (mid, hi)
        payments[i] = hi
        tightened += 1
    for i in range(n):  # the final certificate, actor by actor
        if payments[i] > 0.0:
            trial = payments.copy()
            trial[i] = max(0.0, payments[i] - 2.0 * margin)
            minimal[i] = not _unique_full(game, trial)
    return payments, minimal, tightened


def _uniform(game: ParticipationGame, margin: float, parts) -> tuple[float, bool, bool | None]:
    """The least uniform payment with full participation unique, by bisection."""
    n = game.n_actors
    assert n is not None  # set when the game was validated
    if parts is not None:
        first = _need(*parts.worst(np.arange(n), np.zeros(n, dtype=np.intp)))
    else:
        first = _need(*_split(game, np.zeros(n, dtype=bool), np.arange(n)))
    top = float(np.max(first, initial=0.0)) + margin  # filing dominant for everyone
    verdict, _ = supermodularity(game)
    if not math.isfinite(top):  # a void registry leaves someone indifferent or worse
        return math.inf, False, verdict
    found = unique_participation_incentive(game, tol=margin, upper=top)
    level = float(found.level)
    return level, bool(np.isfinite(level)) and _unique_full(game, np.full(n, level)), verdict
