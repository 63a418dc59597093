"""Note-exchange as speed: the tabletop exercise with and without exchanged decision logic.

The seeds' first claim has a second side: with exchanged if-then logic actors act on shared
triggers in parallel; without it they wait to observe each other. The exercise below uses the
tabletop's draws (indicator paths, firing, latencies, honouring; see
:mod:`coordgap.registry.tabletop`) and changes only how each plan's **decision process** — its
owner and escalation path, from the registry — turns a fired trigger into a decision.

A share e ∈ [0, 1] of the plans (the **exchange level**) has its decision logic exchanged:
in each run plan j is exchanged iff U_j < e, with U_j uniform and common to all levels (so
levels are compared on the same draws).

Without exchange (as filed)
    Decisions move along the escalation path one actor at a time, each waiting to observe the
    previous decision: latency D₀ + Σ_k (d + D_k), d the observation delay per hand-off. A
    plan whose filer is on an escalation cycle deadlocks (everyone on the cycle waits for
    someone else). A suspension by such a plan blocks a later response of another such plan
    that needs the suspended service.
With exchange
    Every actor on the path reads the shared trigger and the exchanged logic and decides in
    parallel: latency max_k D_k; no deadlock.

Conflicts (a response suspending a service another response requires) are where exchange can
fail. A conflict is a pair (suspending response, requiring response). It can be seen only if
one of the two plans is exchanged, and then it is **revealed** with probability ``reveal``
(drawn per run and per conflict, common to all levels). A revealed conflict is sequenced:
both plans' responses wait ``resolve_time`` hours (the owners agree on the order) and then
neither blocks the other. A conflict that is not revealed — hidden, or between two plans whose
logic was not exchanged — **collides** at response time when the suspension arrives first:
the requiring response is delivered ``collide`` hours late (inf, the default: it is lost).

With the defaults (reveal 1, resolve_time 0, collide inf) exchanged conflicts are sequenced at
no cost, and with e = 0 and d = 0 the exercise is the plain tabletop on the same seed. Then an
exchanged plan decides no later than it would unexchanged, never deadlocks and is never
blocked, while unexchanged plans are unaffected by others' exchange, so **more exchange never
slows the coordinated response**: on every run the time to a coordinated response is
non-increasing in e, and the residual harm too. With hidden or costly conflicts this fails,
and it is the seeds' falsification test: exchange speeds up a suspension so that it now
reaches a service before the response that needs it (a collision nobody could see), and
sequencing a revealed conflict costs time. :func:`exchange_region` maps (reveal, resolve_time)
to the sign of the effect of exchange on the probability of a timely response, and
:class:`TwoPlanConflict` gives that region in closed form for a registry of two plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..limits import check_size
from ..results import Result
from .tabletop import TabletopResult, _plan_of_rows, _score, sample

__all__ = [
    "ExchangeResult",
    "ExchangeRegion",
    "TwoPlanConflict",
    "exchange_exercise",
    "exchange_region",
    "decision_times",
    "conflict_pairs",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ExchangeResult(Result):
    """Tabletop results at several exchange levels, on common draws.

    Attributes
    ----------
    scenario : str
    n_runs : int
    observation_delay : float
        d, hours to observe a decision before acting on it without exchange.
    levels : ndarray
        Exchange levels e, ascending.
    summary : DataFrame
        One row per level: ``exchange``, ``p_coordinated``, ``time_to_response_median``,
        ``time_to_response_p90``, ``residual_harm_mean``, ``p_deadlock`` (share of runs with
        a deadlocked plan), ``mean_decision_latency`` (finite decisions, h).
    runs : DataFrame
        Long format: ``run``, ``exchange``, ``time_to_response``, ``coordinated``,
        ``residual_harm``.
    exercises : tuple of TabletopResult
        The full tabletop result at each level.
    reveal : float
        Share of the conflicts that exchange reveals (default 1).
    resolve_time : float
        Hours both plans of a revealed conflict wait while it is sequenced (default 0).
    collide : float
        Hours a response hit by a hidden conflict is delayed (inf: lost; the default).
    n_conflicts : int
        Conflicts (suspending response, requiring response) among the scenario's plans.
    """

    _hidden = ("summary", "runs", "exercises")

    scenario: str
    n_runs: int
    observation_delay: float
    levels: np.ndarray
    summary: pd.DataFrame = field(repr=False)
    runs: pd.DataFrame = field(repr=False)
    exercises: tuple = field(repr=False)
    reveal: float = 1.0
    resolve_time: float = 0.0
    collide: float = np.inf
    n_conflicts: int = 0

    def to_frame(self) -> pd.DataFrame:
        """One row per exchange level (what a figure of time to response against e draws).

        Returns
        -------
        pandas.DataFrame
            ``summary`` itself (not a copy).
        """
        return self.summary


def decision_times(draws, exchanged: np.ndarray, observation_delay: float):
    """Time from firing to decision of every plan in every run, and the deadlocks.

    Parameters
    ----------
    draws : TabletopDraws
    exchanged : ndarray of bool (n_runs, n_plans)
    observation_delay : float

    Returns
    -------
    decision : ndarray (n_runs, n_plans)
        Exchanged: max_k D_k (parallel). Otherwise D₀ + Σ_k (d + D_k) (sequential), inf on an
        escalation cycle.
    deadlocked : ndarray of bool (n_runs, n_plans)
    """
    steps = draws.latency * draws.factors  # (runs, plans, depth)
    sequential = steps.sum(axis=2) + observation_delay * (draws.n_steps - 1)
    parallel = steps.max(axis=2)
    deadlocked = draws.on_cycle[None, :] & ~exchanged
    decision = np.where(exchanged, parallel, sequential)
    decision = np.where(deadlocked, np.inf, decision)
    return decision, deadlocked


def exchange_exercise(
    registry,
    scenario_id: str,
    n_runs: int = 1000,
    *,
    levels=(0.0, 0.5, 1.0),
    observation_delay: float = 1.0,
    rng=None,
    latency_spread: float = 0.5,
    reveal: float = 1.0,
    resolve_time: float = 0.0,
    collide: float = np.inf,
) -> ExchangeResult:
    """Time to a coordinated response with and without exchanged decision logic.

    Parameters
    ----------
    registry : Registry
    scenario_id : str
    n_runs : int
    levels : sequence of float
        Exchange levels e ∈ [0, 1] (share of plans whose decision logic is exchanged).
    observation_delay : float
        d ≥ 0, hours each hand-off along an escalation path takes to be observed without
        exchange.
    rng : int, Generator or None
    latency_spread : float
        As in :func:`~coordgap.registry.tabletop.tabletop`.
    reveal : float
        In [0, 1]: probability that exchange reveals a conflict one of whose plans is
        exchanged (default 1: every such conflict).
    resolve_time : float
        τ ≥ 0, hours both plans of a revealed conflict wait while it is sequenced (default 0).
    collide : float
        c ≥ 0 or inf, hours by which a hidden conflict delays the response that needs the
        suspended service, when the suspension arrives first (default inf: the response is
        lost, as in the plain tabletop).

    Returns
    -------
    ExchangeResult

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> ex = cg.exchange_exercise(reg, "grid_intrusion", 2000, rng=1)
    >>> frame = ex.to_frame()
    >>> frame["exchange"].tolist()
    [0.0, 0.5, 1.0]
    >>> bool(frame["time_to_response_median"].is_monotonic_decreasing)
    True
    >>> plain = reg.tabletop("grid_intrusion", 2000, rng=1)
    >>> same = cg.exchange_exercise(reg, "grid_intrusion", 2000, levels=[0.0],
    ...                             observation_delay=0.0, rng=1)
    >>> same.exercises[0].residual_harm_mean == plain.residual_harm_mean
    True

    Costly, partly hidden conflicts (the falsification test): in the sample registry's
    agent self-replication, exchange with half the conflicts hidden and 6 h to sequence the
    others lowers the chance of a coordinated response below that of no exchange.

    >>> slow = cg.exchange_exercise(reg, "agent_self_replication", 2000, levels=[0.0, 1.0],
    ...                             rng=1, reveal=0.5, resolve_time=6.0)
    >>> p = slow.to_frame()["p_coordinated"].tolist()
    >>> bool(p[1] < p[0])
    True
    """
    grid = np.asarray(levels, dtype=float).ravel()
    if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any((grid < 0) | (grid > 1)):
        raise InvalidParameterError(
            "exchange_exercise",
            "levels",
            "a non-empty sequence of floats in [0, 1]",
            np.asarray(levels).tolist(),
        )
    if (
        isinstance(observation_delay, bool)
        or not isinstance(observation_delay, (int, float))
        or not np.isfinite(observation_delay)
        or observation_delay < 0
    ):
        raise InvalidParameterError(
            "exchange_exercise", "observation_delay", "a finite float >= 0", observation_delay
        )
    _share("exchange_exercise", "reveal", reveal)
    _hours("exchange_exercise", "resolve_time", resolve_time)
    _hours("exchange_exercise", "collide", collide, infinite=True)
    grid = np.unique(grid)
    if not isinstance(n_runs, bool) and isinstance(n_runs, (int, np.integer)):
        check_size(
            "exchange_exercise", "n_runs", int(n_runs) * max(1, len(levels)), "exchange_runs"
        )
    draws = sample(registry, scenario_id, n_runs, rng=rng, latency_spread=latency_spread)
    uniforms = draws.rng.random(draws.honour.shape)
    pairs = conflict_pairs(registry, draws)
    revealed = draws.rng.random((draws.n_runs, len(pairs))) < reveal
    exercises, rows, parts = [], [], []
    for e in grid:
        exchanged = uniforms < e
        decision, deadlocked = decision_times(draws, exchanged, float(observation_delay))
        result: TabletopResult = conflict_outcome(
            registry,
            draws,
            decision,
            deadlocked.mean(axis=0),
            exchanged,
            pairs=pairs,
            revealed=revealed,
            resolve_time=float(resolve_time),
            collide=float(collide),
        )
        exercises.append(result)
        finite = decision[np.isfinite(decision)]
        ttr = result.runs["time_to_response"].to_numpy()
        rows.append(
            {
                "exchange": float(e),
                "p_coordinated": result.p_coordinated,
                "time_to_response_median": result.time_to_response_median,
                "time_to_response_p90": result.time_to_response_p90,
                "residual_harm_mean": result.residual_harm_mean,
                "p_deadlock": float(deadlocked.any(axis=1).mean()),
                "mean_decision_latency": float(finite.mean()) if finite.size else np.inf,
            }
        )
        parts.append(
            pd.DataFrame(
                {
                    "run": np.arange(draws.n_runs),
                    "exchange": float(e),
                    "time_to_response": ttr,
                    "coordinated": result.runs["coordinated"].to_numpy(),
                    "residual_harm": result.runs["residual_harm"].to_numpy(),
                }
            )
        )
    return ExchangeResult(
        scenario=draws.scenario.id,
        n_runs=draws.n_runs,
        observation_delay=float(observation_delay),
        levels=grid,
        summary=pd.DataFrame(rows),
        runs=pd.concat(parts, ignore_index=True),
        exercises=tuple(exercises),
        reveal=float(reveal),
        resolve_time=float(resolve_time),
        collide=float(collide),
        n_conflicts=len(pairs),
    )


def _share(owner: str, name: str, value) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating, np.integer))
        or not 0.0 <= float(value) <= 1.0
    ):
        raise InvalidParameterError(owner, name, "a finite float >= 0 and <= 1", value)
    return float(value)


def _hours(owner: str, name: str, value, *, infinite: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating, np.integer))
        or np.isnan(value)
        or value < 0
        or (np.isinf(value) and not infinite)
    ):
        rule = "a float >= 0 or inf" if infinite else "a finite float >= 0"
        raise InvalidParameterError(owner, name, rule, value)
    return float(value)


def conflict_pairs(registry, draws) -> list[tuple[int, int]]:
    """The conflicts among the plans of one exercise: pairs of rows of ``draws.table``.

    Parameters
    ----------
    registry : Registry
        The registry the draws were taken from.
    draws : TabletopDraws
        The exercise's draws (:func:`~coordgap.registry.tabletop.sample`).

    Returns
    -------
    list of tuple of int
        ``(s, q)``: response row s suspends a service that response row q requires.
    """
    table = draws.table
    responses = [
        registry.filings[i].responses[j]
        for i, j in zip(table["filing"].to_numpy(), table["response"].to_numpy())
    ]
    return [
        (s, q)
        for s, rs in enumerate(responses)
        for q, rq in enumerate(responses)
        if set(rs.suspends) & set(rq.requires)
    ]


def conflict_outcome(
    registry,
    draws,
    decision: np.ndarray,
    deadlocked,
    exchanged: np.ndarray,
    *,
    pairs: list[tuple[int, int]],
    revealed: np.ndarray,
    resolve_time: float = 0.0,
    collide: float = np.inf,
) -> TabletopResult:
    """Steps 5-6 of the exercise with revealed, sequenced and hidden conflicts.

    Conflict k = (s, q) is visible in a run when the plan of s or of q is exchanged and
    ``revealed[:, k]``. Every plan party to a visible conflict waits ``resolve_time`` before it
    acts, and a visible conflict blocks nothing. Response q is hit by a hidden conflict when
    the suspending response s is honoured and arrives no later than q; it then arrives
    ``collide`` hours late (inf: never). With ``revealed`` all true, ``resolve_time`` 0 and
    ``collide`` inf this is :func:`~coordgap.registry.tabletop.outcome` with
    ``no_block=exchanged``.

    Parameters
    ----------
    registry : Registry
        The registry the draws were taken from.
    draws : TabletopDraws
        The exercise's draws.
    decision : ndarray (n_runs, n_plans)
        Time from firing to decision (inf: never decides).
    deadlocked : ndarray (n_plans,)
        Reported per plan (the share of runs deadlocked).
    exchanged : ndarray of bool (n_runs, n_plans)
        Plans whose decision logic is exchanged.
    pairs : list of tuple of int
        :func:`conflict_pairs` of the draws.
    revealed : ndarray of bool (n_runs, len(pairs))
        Whether exchange would reveal each conflict in each run.
    resolve_time, collide : float
        As in :func:`exchange_exercise`.

    Returns
    -------
    TabletopResult
        The exercise's result on these draws.
    """
    table, fire, honour = draws.table, draws.fire, draws.honour
    n_runs, n_plans = draws.n_runs, len(draws.filings)
    plan = _plan_of_rows(registry, draws)

    # 5. delivery: sequencing delays of visible conflicts, collisions of hidden ones
    visible = np.zeros((n_runs, len(pairs)), dtype=bool)
    waits = np.zeros((n_runs, n_plans), dtype=bool)
    for k, (s, q) in enumerate(pairs):
        visible[:, k] = (exchanged[:, plan[s]] | exchanged[:, plan[q]]) & revealed[:, k]
        waits[:, plan[s]] |= visible[:, k]
        waits[:, plan[q]] |= visible[:, k]
    ready = fire + decision + np.where(waits, resolve_time, 0.0)
    arrival = ready[:, plan] + table["time_to_act"].to_numpy()  # (runs, rows)
    active = honour[:, plan] & np.isfinite(arrival)
    hit = np.zeros_like(active)
    for k, (s, q) in enumerate(pairs):
        hit[:, q] |= ~visible[:, k] & active[:, s] & (arrival[:, q] >= arrival[:, s])
    arrival = np.where(hit, arrival + collide, arrival)
    active &= np.isfinite(arrival)

    # 6. functions met, time to coordinated response, residual harm (as in the tabletop)
    return _score(draws, decision, deadlocked, arrival, active)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ExchangeRegion(Result):
    """Sign of the effect of exchange on the probability of a timely response, over a grid
    of (reveal, resolve_time), on common draws.

    Attributes
    ----------
    scenario : str
    n_runs : int
    level : float
        The exchange level compared with no exchange.
    collide : float
        Hours a hidden conflict delays the response it hits (inf: lost).
    reveals, resolve_times : ndarray
        The grid, ascending.
    effect : ndarray (len(reveals), len(resolve_times))
        P(timely | exchange level) − P(timely | no exchange): a timely response meets every
        required function within its window.
    stderr : ndarray
        Standard error of ``effect`` from the paired run-by-run differences.
    sign : ndarray of int
        +1 (exchange helps), −1 (exchange hurts) where ``effect`` is more than ``z`` standard
        errors from 0, else 0 (not distinguishable at this number of runs).
    z : float
    """

    _hidden = ("reveals", "resolve_times", "effect", "stderr", "sign")

    scenario: str
    n_runs: int
    level: float
    collide: float
    reveals: np.ndarray
    resolve_times: np.ndarray
    effect: np.ndarray
    stderr: np.ndarray
    sign: np.ndarray
    z: float

    @property
    def hurts(self) -> bool:
        """Whether exchange lowers the chance of a timely response somewhere on the grid."""
        return bool((self.sign < 0).any())

    def to_frame(self) -> pd.DataFrame:
        """One row per grid point: ``reveal``, ``resolve_time``, ``effect``, ``stderr``,
        ``sign``.

        Returns
        -------
        pandas.DataFrame
            Rows in reveal-major order.
        """
        r, t = np.meshgrid(self.reveals, self.resolve_times, indexing="ij")
        return pd.DataFrame(
            {
                "reveal": r.ravel(),
                "resolve_time": t.ravel(),
                "effect": self.effect.ravel(),
                "stderr": self.stderr.ravel(),
                "sign": self.sign.ravel(),
            }
        )


def _grid(owner: str, name: str, values, *, upper: float | None) -> np.ndarray:
    grid = np.asarray(values, dtype=float).ravel()
    bad = grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0)
    if bad or (upper is not None and np.any(grid > upper)):
        rule = "floats in [0, 1]" if upper == 1 else "finite floats >= 0"
        raise InvalidParameterError(owner, name, f"a non-empty sequence of {rule}", values)
    return np.unique(grid)


def exchange_region(
    registry,
    scenario_id: str,
    reveals=(0.0, 0.25, 0.5, 0.75, 1.0),
    resolve_times=(0.0, 1.0, 2.0, 4.0),
    n_runs: int = 2000,
    *,
    level: float = 1.0,
    collide: float = np.inf,
    observation_delay: float = 1.0,
    latency_spread: float = 0.5,
    rng=None,
    z: float = 3.0,
) -> ExchangeRegion:
    """Where exchange helps and where it hurts: the sign of its effect over (reveal, resolve_time).

    Every grid point runs :func:`exchange_exercise` at levels 0 and ``level`` with the same
    seed, so all points and both levels share their draws (common random numbers) and the
    effect at a point is a paired difference of run outcomes.

    Parameters
    ----------
    registry : Registry
    scenario_id : str
    reveals : sequence of float
        Shares of conflicts revealed, in [0, 1].
    resolve_times : sequence of float
        Hours to sequence a revealed conflict (≥ 0).
    n_runs : int
        Runs per grid point.
    level : float
        Exchange level compared with no exchange (default 1: every plan).
    collide : float
        As in :func:`exchange_exercise` (default inf).
    observation_delay, latency_spread
        As in :func:`exchange_exercise`.
    rng : int or None
        Seed (a Generator is not accepted: every point must restart the same stream).
    z : float
        Standard errors the effect must clear to get a sign (default 3).

    Returns
    -------
    ExchangeRegion

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> region = cg.exchange_region(reg, "agent_self_replication", [0.0, 1.0], [0.0, 6.0],
    ...                             2000, rng=1)
    >>> region.sign.tolist()        # rows: reveal 0, 1; columns: resolve_time 0, 6 h
    [[0, 0], [1, -1]]
    """
    reveal_grid = _grid("exchange_region", "reveals", reveals, upper=1.0)
    time_grid = _grid("exchange_region", "resolve_times", resolve_times, upper=None)
    _share("exchange_region", "level", level)
    if rng is not None and not isinstance(rng, (int, np.integer)):
        raise InvalidParameterError("exchange_region", "rng", "an integer seed or None", rng)
    if isinstance(z, bool) or not isinstance(z, (int, float)) or not 0 <= z < np.inf:
        raise InvalidParameterError("exchange_region", "z", "a finite float >= 0", z)
    seed = int(np.random.default_rng().integers(2**62)) if rng is None else int(rng)
    check_size(
        "exchange_region",
        "n_runs",
        int(n_runs) * reveal_grid.size * time_grid.size,
        "exchange_runs",
    )
    effect = np.empty((reveal_grid.size, time_grid.size))
    stderr = np.empty_like(effect)
    for a, r in enumerate(reveal_grid):
        for b, t in enumerate(time_grid):
            res = exchange_exercise(
                registry,
                scenario_id,
                n_runs,
                levels=(0.0, level),
                observation_delay=observation_delay,
                latency_spread=latency_spread,
                rng=seed,
                reveal=float(r),
                resolve_time=float(t),
                collide=collide,
            )
            runs = res.runs
            base = runs.loc[runs["exchange"] == 0.0, "coordinated"].to_numpy(dtype=float)
            other = runs.loc[runs["exchange"] == level, "coordinated"].to_numpy(dtype=float)
            diff = other - base if level > 0 else np.zeros_like(base)
            effect[a, b] = diff.mean()
            stderr[a, b] = diff.std(ddof=1) / np.sqrt(diff.size) if diff.size > 1 else np.inf
    sign = np.where(np.abs(effect) > z * stderr, np.sign(effect), 0.0).astype(int)
    return ExchangeRegion(
        scenario=registry.scenario(scenario_id).id,
        n_runs=int(n_runs),
        level=float(level),
        collide=float(collide),
        reveals=reveal_grid,
        resolve_times=time_grid,
        effect=effect,
        stderr=stderr,
        sign=sign,
        z=float(z),
    )


@dataclass(frozen=True, slots=True, eq=False)
class TwoPlanConflict:
    """A registry of two conflicting plans, with the effect of exchange in closed form.

    One indicator rises from 0 at rate μ with volatility σ; the scenario begins when it reaches
    ``threshold``. Plan A (the *suspender*) triggers at the threshold, so it fires at onset; its
    owner decides in ``owner_latency`` hours and escalates to an actor who decides in
    ``escalation_latency`` hours; it suspends a shared service and delivers function 1
    (window ``window_a``) ``act_a`` hours after deciding. Plan B (the *requirer*) triggers
    ``lead`` below the threshold, so it fires G hours before onset, G ~ inverse Gaussian with
    mean lead/μ and shape lead²/σ² (first passage of the drifting path over ``lead``); it
    decides in ``latency_b`` hours, needs the shared service and delivers function 2 (window
    ``window_b``) ``act_b`` hours after deciding. Latencies are at their maximum
    (``latency_spread`` 0) and the plans' credibilities c_A, c_B come from the commitment
    model (near 1 with the large liabilities used here).

    Closed form. After onset A arrives at x₀ = a + d + b + α_A without exchange and at
    x₁ = max(a, b) + α_A with it; B arrives at y = k − G, k = β + α_B. Write F(t) = P(y ≤ t) =
    P(G ≥ k − t). A hidden conflict hits B when y ≥ x, delaying it by c; so

    * hidden: H(x) = 1[x ≤ W_A]·(F(min(x, W_B)) + max(0, F(W_B − c) − F(x)));
    * revealed and sequenced in τ hours: R(τ) = 1[x₁ + τ ≤ W_A]·F(W_B − τ);
    * P(timely | no exchange) = c_A c_B·H(x₀), P(timely | exchange) = c_A c_B·(r·R(τ) +
      (1 − r)·H(x₁)),

    and the effect of exchange is c_A c_B·(r·(R(τ) − H(x₁)) + H(x₁) − H(x₀)): linear in the
    share r of conflicts revealed. Exchange helps iff r > r*(τ) = (H(x₀) − H(x₁)) /
    (R(τ) − H(x₁)) when R(τ) > H(x₁); when R(τ) ≤ H(x₁) it helps iff H(x₁) > H(x₀) and
    hurts for every r otherwise.

    Parameters
    ----------
    threshold, rate, volatility : float
        h, μ > 0, σ > 0 of the indicator (defaults 20, 1, 1).
    lead : float
        g ∈ (0, h): how far below the threshold B triggers (default 3).
    owner_latency, escalation_latency, observation_delay, act_a, window_a : float
        a, b, d, α_A, W_A of plan A (defaults 1, 2, 2, 1, 10 h).
    latency_b, act_b, window_b : float
        β, α_B, W_B of plan B (defaults 2, 6, 8 h).

    Examples
    --------
    >>> from coordgap.registry.exchange import TwoPlanConflict
    >>> m = TwoPlanConflict()
    >>> m.arrival_a(False), m.arrival_a(True)          # a + d + b + α_A and max(a, b) + α_A
    (6.0, 3.0)
    >>> round(m.effect(1.0, 0.0), 3) > 0, m.effect(0.0, 0.0) < 0
    (True, True)
    >>> round(m.critical_reveal(0.0), 3)   # (H(x₀) − H(x₁)) / (R(0) − H(x₁))
    0.636
    """

    threshold: float = 20.0
    rate: float = 1.0
    volatility: float = 1.0
    lead: float = 3.0
    owner_latency: float = 1.0
    escalation_latency: float = 2.0
    observation_delay: float = 2.0
    act_a: float = 1.0
    window_a: float = 10.0
    latency_b: float = 2.0
    act_b: float = 6.0
    window_b: float = 8.0

    def __post_init__(self):
        for name in (
            "threshold",
            "rate",
            "volatility",
            "lead",
            "owner_latency",
            "escalation_latency",
            "observation_delay",
            "act_a",
            "window_a",
            "latency_b",
            "act_b",
            "window_b",
        ):
            value = getattr(self, name)
            positive = name in ("threshold", "rate", "volatility", "lead", "window_a", "window_b")
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not np.isfinite(value)
                or value < 0
                or (positive and value == 0)
            ):
                rule = "a finite float > 0" if positive else "a finite float >= 0"
                raise InvalidParameterError("TwoPlanConflict", name, rule, value)
        if self.lead >= self.threshold:
            raise InvalidParameterError("TwoPlanConflict", "lead", "below the threshold", self.lead)

    def registry(self):
        """The two-plan registry (A suspends the service ``shared`` that B requires).

        Returns
        -------
        Registry
            Scenario ``"conflict"``, filings ``"suspender"`` and ``"requirer"``.
        """
        from .schema import (
            Actor,
            DecisionProcess,
            Filing,
            Indicator,
            Registry,
            RequiredFunction,
            Response,
            Scenario,
            Trigger,
        )

        # response cost 1 with log-scale 0.1 against a liability of 1e6: credibility 1
        scenario = Scenario(
            "conflict",
            "technical",
            "major",
            harm=100.0,
            indicators=(
                Indicator(
                    "x",
                    start=0.0,
                    threshold=self.threshold,
                    rate=self.rate,
                    volatility=self.volatility,
                ),
            ),
            functions=(
                RequiredFunction("compute_suspension", 1.0, self.window_a, 0.5),
                RequiredFunction("service_continuity", 1.0, self.window_b, 0.5),
            ),
        )
        actors = [
            Actor("a", "cloud_provider", liability=1e6),
            Actor("escalated", "government_agency", decision_latency=self.escalation_latency),
            Actor("b", "infrastructure_operator", liability=1e6),
        ]
        filings = [
            Filing(
                "suspender",
                "a",
                (Trigger("x", ">=", self.threshold),),
                (Response("compute_suspension", 1.0, self.act_a, suspends=("shared",)),),
                DecisionProcess("a", ("escalated",), self.owner_latency),
                scenarios=("conflict",),
                response_cost=1.0,
                cost_sigma=0.1,
            ),
            Filing(
                "requirer",
                "b",
                (Trigger("x", ">=", self.threshold - self.lead),),
                (Response("service_continuity", 1.0, self.act_b, requires=("shared",)),),
                DecisionProcess("b", (), self.latency_b),
                scenarios=("conflict",),
                response_cost=1.0,
                cost_sigma=0.1,
            ),
        ]
        return Registry(tuple(actors), (scenario,), tuple(filings), name="two_plan_conflict")

    def arrival_a(self, exchanged: bool) -> float:
        """Hours after onset at which A's suspension arrives: x₁ with exchange, x₀ without.

        Parameters
        ----------
        exchanged : bool

        Returns
        -------
        float
        """
        if exchanged:
            return max(self.owner_latency, self.escalation_latency) + self.act_a
        return self.owner_latency + self.observation_delay + self.escalation_latency + self.act_a

    def _f(self, t) -> np.ndarray:
        """F(t) = P(y ≤ t) = P(G ≥ k − t), G inverse Gaussian."""
        from scipy import stats

        mean, shape = self.lead / self.rate, (self.lead / self.volatility) ** 2
        u = self.latency_b + self.act_b - np.asarray(t, dtype=float)
        return np.where(u <= 0, 1.0, stats.invgauss.sf(np.maximum(u, 0), mean / shape, scale=shape))

    def _credibility(self) -> float:
        table = self.registry().responses("conflict")
        return float(np.prod(table.groupby("filing")["credibility"].first().to_numpy()))

    def hidden(self, exchanged: bool, collide: float = np.inf) -> float:
        """H(x): P(timely | the conflict is not revealed), before credibility.

        Parameters
        ----------
        exchanged : bool
            Whether A decides in parallel (x₁) or along its escalation path (x₀).
        collide : float
            Hours a collision delays B (inf: B is lost).

        Returns
        -------
        float
        """
        x = self.arrival_a(exchanged)
        if x > self.window_a:
            return 0.0
        late = 0.0
        if np.isfinite(collide) and self.window_b - collide > x:
            late = float(self._f(self.window_b - collide) - self._f(x))
        return float(self._f(min(x, self.window_b))) + late

    def revealed(self, resolve_time) -> np.ndarray:
        """R(τ): P(timely | the conflict is revealed and sequenced in τ hours), before
        credibility.

        Parameters
        ----------
        resolve_time : float or array_like

        Returns
        -------
        ndarray
        """
        tau = np.asarray(resolve_time, dtype=float)
        on_time = self.arrival_a(True) + tau <= self.window_a
        return np.where(on_time, self._f(self.window_b - tau), 0.0)

    def p_timely(self, exchange: bool, reveal=1.0, resolve_time=0.0, collide=np.inf):
        """P(timely response) without (``exchange`` False) or with exchange of both plans.

        Parameters
        ----------
        exchange : bool
        reveal, resolve_time : float or array_like
            r and τ (broadcast).
        collide : float

        Returns
        -------
        ndarray
        """
        c = self._credibility()
        if not exchange:
            return np.broadcast_to(
                c * self.hidden(False, collide), np.broadcast(reveal, resolve_time).shape
            ).astype(float)
        r = np.asarray(reveal, dtype=float)
        return c * (r * self.revealed(resolve_time) + (1 - r) * self.hidden(True, collide))

    def effect(self, reveal, resolve_time, collide=np.inf):
        """P(timely | exchange) − P(timely | no exchange), in closed form.

        Parameters
        ----------
        reveal, resolve_time : float or array_like
        collide : float

        Returns
        -------
        ndarray or float
        """
        out = self.p_timely(True, reveal, resolve_time, collide) - self.p_timely(
            False, reveal, resolve_time, collide
        )
        return float(out) if np.ndim(out) == 0 else out

    def critical_reveal(self, resolve_time: float, collide: float = np.inf) -> float:
        """r*(τ): exchange helps iff the share of conflicts revealed exceeds it.

        Parameters
        ----------
        resolve_time : float
        collide : float

        Returns
        -------
        float
            In [0, 1]; 0 when exchange helps even with every conflict hidden, inf when it
            cannot help at this τ.
        """
        h0, h1 = self.hidden(False, collide), self.hidden(True, collide)
        r_tau = float(self.revealed(resolve_time))
        if h1 > h0:
            return 0.0
        if r_tau <= h1:
            return np.inf
        star = (h0 - h1) / (r_tau - h1)
        return float(star) if star < 1 else np.inf
