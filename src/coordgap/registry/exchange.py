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
    parallel: latency max_k D_k; no deadlock; conflicts with the plan (a suspension cutting
    off a service another response needs) are visible ex ante and sequenced, so they block
    nothing (sequencing is assumed to cost no time).

With e = 0 and d = 0 the exercise is the plain tabletop on the same seed. Because an
exchanged plan decides no later than it would unexchanged, never deadlocks and is never
blocked, while unexchanged plans are unaffected by others' exchange, **more exchange never
slows the coordinated response**: on every run the time to a coordinated response is
non-increasing in e, and the residual harm too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..limits import check_size
from ..results import Result
from .tabletop import TabletopResult, outcome, sample

__all__ = ["ExchangeResult", "exchange_exercise", "decision_times"]


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
    """

    _hidden = ("summary", "runs", "exercises")

    scenario: str
    n_runs: int
    observation_delay: float
    levels: np.ndarray
    summary: pd.DataFrame = field(repr=False)
    runs: pd.DataFrame = field(repr=False)
    exercises: tuple = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per exchange level (what a figure of time to response against e draws).

        Returns
        -------
        pandas.DataFrame
            :attr:`summary` itself (not a copy).
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
    grid = np.unique(grid)
    if not isinstance(n_runs, bool) and isinstance(n_runs, (int, np.integer)):
        check_size(
            "exchange_exercise", "n_runs", int(n_runs) * max(1, len(levels)), "exchange_runs"
        )
    draws = sample(registry, scenario_id, n_runs, rng=rng, latency_spread=latency_spread)
    uniforms = draws.rng.random(draws.honour.shape)
    exercises, rows, parts = [], [], []
    for e in grid:
        exchanged = uniforms < e
        decision, deadlocked = decision_times(draws, exchanged, float(observation_delay))
        result: TabletopResult = outcome(
            registry, draws, decision, deadlocked.mean(axis=0), no_block=exchanged
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
    )
