"""Tabletop exercise: Monte Carlo of one scenario of the registry (docs/guide/m6-registry.md).

Each run draws, for every plan that addresses the scenario:

1. **Indicator paths.** Each indicator is a Brownian motion with drift ``rate`` toward its
   threshold and volatility ``volatility``; the first time it reaches a level at distance a is
   inverse-Gaussian with mean a/μ and shape a²/σ² (deterministic a/μ when σ = 0). Passage times
   of the increasing levels on one indicator are drawn as independent increments of one path
   (strong Markov property), so triggers on the same indicator fire in the order of their levels.
   The scenario's **onset** is the first time any indicator reaches its threshold; windows are
   counted from the onset. A trigger pointing against the indicator's movement fires at once
   if it already holds and never otherwise.
2. **Firing.** A plan fires at the first time any of its triggers holds.
3. **Decision.** The owner decides in max_latency·(1 − spread·U) hours and each actor on the
   escalation path in decision_latency·(1 − spread·U) hours, U uniform on [0, 1] (``spread`` 0:
   every latency at its maximum). Plans whose filer is on an escalation cycle never decide.
4. **Honouring.** The filer honours with its credibility from the commitment model (M3).
5. **Delivery.** A response arrives decision-time + time_to_act after firing, unless a service it
   requires was suspended (by another honoured response) before it arrives.
6. **Outcome.** A required function is met when the delivered capacity reaches the requirement
   within its window; the time to a coordinated response is the time (after onset) when the
   last function is met; residual harm is H·(1 − Σ ω_f·min(1, delivered in window / required)).

The numeric core is vectorized over runs; the Python loops run over plans, levels and
functions of the one scenario only. The stages are exposed as :func:`sample` (steps 1-4, the
random draws) and :func:`outcome` (steps 5-6, given decision times), so that variants of the
exercise reuse the same draws: :func:`coordgap.registry.exchange.exchange_exercise` changes how
decision processes turn fired triggers into decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..limits import check_size
from ..results import Result, to_plain
from .checks import escalation_cycles, response_table

__all__ = ["TabletopResult", "TabletopDraws", "tabletop", "sample", "outcome"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TabletopResult(Result):
    """Result of a tabletop exercise.

    Attributes
    ----------
    scenario : str
        Id of the scenario exercised.
    n_runs : int
        Number of simulated runs.
    p_coordinated : float
        Share of runs in which every required function is met within its window.
    time_to_response_median, time_to_response_p90 : float
        Quantiles over runs of the time (h after onset) when the last function is met
        (inf when more than that share of runs never meet some function).
    residual_harm_mean, residual_harm_p90 : float
        Residual harm per run (USD m): mean and 90th percentile.
    harm : float
        The scenario's harm if nothing is delivered (USD m).
    runs : DataFrame
        One row per run: ``onset``, ``n_fired``, ``n_honoured``, ``time_to_response``,
        ``n_unmet``, ``residual_harm``, ``coordinated`` and one ``unmet:<function>`` column per
        required function.
    functions : DataFrame
        One row per required function: ``required``, ``window``, ``p_unmet``,
        ``mean_delivered`` (capacity delivered within the window), ``median_time_to_meet``.
    filings : DataFrame
        One row per plan: ``filing``, ``actor``, ``credibility``, ``deadlocked``, ``p_fired``,
        ``p_honoured``, ``mean_decision_latency``.
    latency_spread : float
        The ``latency_spread`` of the exercise, in [0, 1].
    """

    _hidden = ("runs", "functions", "filings")

    scenario: str
    n_runs: int
    p_coordinated: float
    time_to_response_median: float
    time_to_response_p90: float
    residual_harm_mean: float
    residual_harm_p90: float
    harm: float
    runs: pd.DataFrame = field(repr=False)
    functions: pd.DataFrame = field(repr=False)
    filings: pd.DataFrame = field(repr=False)
    latency_spread: float = 0.5

    def to_frame(self) -> pd.DataFrame:
        """The per-run records (one row per run).

        Returns
        -------
        pandas.DataFrame
            :attr:`runs` itself (not a copy).
        """
        return self.runs

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable dictionary of the result, with the per-function and
        per-plan tables (the per-run records are left out).

        Returns
        -------
        dict
            The shown fields, ``functions`` and ``filings`` as lists of row records.
        """
        out = {name: to_plain(value) for name, value in self._fields()}
        out["functions"] = to_plain(self.functions.to_dict(orient="records"))
        out["filings"] = to_plain(self.filings.to_dict(orient="records"))
        return out


def _quantile(values: np.ndarray, q: float) -> float:
    # inverted CDF: an observed value, never an interpolation between inf and a number
    return float(np.quantile(values, q, method="inverted_cdf"))


def _passage_times(indicator, distances: np.ndarray, n_runs: int, rng) -> np.ndarray:
    """First-passage times (n_runs, len(distances)) of one indicator path to each distance.

    Distances ≤ 0 are reached at time 0; NaN marks a level never reached (inf).
    """
    out = np.zeros((n_runs, distances.size))
    out[:, np.isnan(distances)] = np.inf
    positive = np.nan_to_num(distances, nan=-1.0) > 0
    if not positive.any():
        return out
    levels, inverse = np.unique(distances[positive], return_inverse=True)
    step = np.diff(levels, prepend=0.0)
    mean = step / indicator.rate
    if indicator.volatility > 0:
        shape = (step / indicator.volatility) ** 2
        increments = rng.wald(mean, shape, size=(n_runs, levels.size))
    else:
        increments = np.broadcast_to(mean, (n_runs, levels.size))
    times = np.cumsum(increments, axis=1)
    out[:, np.flatnonzero(positive)] = times[:, inverse]
    return out


def tabletop(
    registry, scenario_id: str, n_runs: int = 1000, *, rng=None, latency_spread: float = 0.5
) -> TabletopResult:
    """Monte Carlo tabletop exercise of one scenario.

    Parameters
    ----------
    registry : Registry
        The registry whose plans are exercised.
    scenario_id : str
        Id of the scenario exercised.
    n_runs : int
        Number of simulated runs (≥ 1).
    rng : int, Generator or None
        Seed; the same seed gives the same result.
    latency_spread : float
        In [0, 1]: each decision latency is its maximum times (1 − spread·U), U uniform.

    Returns
    -------
    TabletopResult
        Coordination probability, time to response and residual harm, with per-run,
        per-function and per-plan tables.

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> ex = reg.tabletop("grid_intrusion", 2000, rng=1)
    >>> ex.n_runs, len(ex.to_frame()), 0.0 <= ex.p_coordinated <= 1.0
    (2000, 2000, True)
    >>> ex.residual_harm_mean == reg.tabletop("grid_intrusion", 2000, rng=1).residual_harm_mean
    True
    """
    draws = sample(registry, scenario_id, n_runs, rng=rng, latency_spread=latency_spread)
    decision = np.sum(draws.latency * draws.factors, axis=2)
    decision[:, draws.on_cycle] = np.inf
    return outcome(registry, draws, decision, draws.on_cycle)


@dataclass(slots=True)
class TabletopDraws:
    """The random draws of one tabletop exercise (steps 1-4), shared by its variants.

    Attributes
    ----------
    scenario : Scenario
    table : DataFrame
        :func:`~coordgap.registry.checks.response_table` rows of the scenario.
    filings : list of Filing
        The plans that address the scenario (one column each below).
    onset : ndarray (n_runs,)
    fire : ndarray (n_runs, n_plans)
        Firing times of the plans.
    latency : ndarray (n_plans, depth)
        Maximum latency of each step of each plan's decision process: the owner, then each
        escalated actor (0 where the path is shorter).
    n_steps : ndarray (n_plans,)
        Number of steps of each decision process (1 + length of the escalation path).
    factors : ndarray (n_runs, n_plans, depth)
        1 − spread·U: the drawn latency of a step is its maximum times this factor.
    on_cycle : ndarray of bool (n_plans,)
        Whether the plan's filer is on an escalation cycle.
    cycles : list of tuple
        The escalation cycles (groups of actor names).
    honour : ndarray of bool (n_runs, n_plans)
    credibility : ndarray (n_plans,)
    latency_spread : float
    rng : Generator
        The generator after these draws (variants draw more from it).
    """

    scenario: Any
    table: pd.DataFrame
    filings: list
    onset: np.ndarray
    fire: np.ndarray
    latency: np.ndarray
    n_steps: np.ndarray
    factors: np.ndarray
    on_cycle: np.ndarray
    cycles: list
    honour: np.ndarray
    credibility: np.ndarray
    latency_spread: float
    rng: Any

    @property
    def n_runs(self) -> int:
        """Number of simulated runs."""
        return int(self.onset.size)


def sample(
    registry, scenario_id: str, n_runs: int, *, rng=None, latency_spread: float = 0.5
) -> TabletopDraws:
    """Steps 1-4 of the exercise: indicator paths, firing, latency draws and honouring.

    Parameters
    ----------
    registry : Registry
        The registry whose plans are exercised.
    scenario_id : str
        Id of the scenario exercised.
    n_runs : int
        Number of simulated runs (≥ 1).
    rng : int, Generator or None
        Seed; the same seed gives the same draws.
    latency_spread : float
        In [0, 1]: each decision latency is its maximum times (1 − spread·U), U uniform.

    Returns
    -------
    TabletopDraws
        The draws, with the generator advanced past them.
    """
    scenario = registry.scenario(scenario_id)
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise InvalidParameterError("tabletop", "n_runs", "an integer >= 1", n_runs)
    if (
        isinstance(latency_spread, bool)
        or not isinstance(latency_spread, (int, float))
        or not 0 <= latency_spread <= 1
    ):
        raise InvalidParameterError(
            "tabletop", "latency_spread", "a finite float >= 0 and <= 1", latency_spread
        )
    rng = np.random.default_rng(rng)
    n_runs = int(n_runs)
    check_size("tabletop", "n_runs", n_runs, "tabletop_runs")
    table = response_table(registry, scenario_id)
    filing_ids = list(dict.fromkeys(table["filing"].tolist()))
    filings = [registry.filings[i] for i in filing_ids]
    n_plans = len(filings)

    # 1-2. indicator paths, onset and firing times
    onset = np.full(n_runs, np.inf)
    fire = np.full((n_runs, n_plans), np.inf)
    for indicator in scenario.indicators:
        owners, distances = [], [abs(indicator.threshold - indicator.start)]
        direction = indicator.direction
        for j, filing in enumerate(filings):
            for t in filing.triggers:
                if t.indicator != indicator.name:
                    continue
                rising = t.comparator in (">=", ">")
                if rising == (direction > 0):
                    distances.append(direction * (t.threshold - indicator.start))
                else:
                    holds = (
                        indicator.start >= t.threshold if rising else indicator.start <= t.threshold
                    )
                    distances.append(-1.0 if holds else np.nan)
                owners.append(j)
        times = _passage_times(indicator, np.asarray(distances, dtype=float), n_runs, rng)
        onset = np.minimum(onset, times[:, 0])
        for k, j in enumerate(owners):
            fire[:, j] = np.minimum(fire[:, j], times[:, k + 1])

    # 3. decision latencies (owner, then each escalated actor), escalation cycles
    depth = 1 + max((len(f.decision.escalation) for f in filings), default=0)
    latency = np.zeros((n_plans, depth))
    for j, filing in enumerate(filings):
        latency[j, 0] = filing.decision.max_latency
        for e, name in enumerate(filing.decision.escalation):
            latency[j, e + 1] = registry.actor(name).decision_latency
    factors = 1.0 - latency_spread * rng.random((n_runs, n_plans, depth))
    cycles = escalation_cycles(registry, filings)
    cycle_members = {a for group in cycles for a in group}
    on_cycle = np.array([f.actor in cycle_members for f in filings], dtype=bool)

    # 4. honouring (commitment model)
    credibility = table.groupby("filing", sort=False)["credibility"].first()
    credibility = credibility.reindex(filing_ids).to_numpy()
    honour = rng.random((n_runs, n_plans)) < credibility
    n_steps = np.array([1 + len(f.decision.escalation) for f in filings], dtype=int)
    return TabletopDraws(
        scenario=scenario,
        table=table,
        filings=filings,
        onset=onset,
        fire=fire,
        latency=latency,
        n_steps=n_steps,
        factors=factors,
        on_cycle=on_cycle,
        cycles=cycles,
        honour=honour,
        credibility=credibility,
        latency_spread=float(latency_spread),
        rng=rng,
    )


def outcome(
    registry,
    draws: TabletopDraws,
    decision: np.ndarray,
    deadlocked,
    no_block: np.ndarray | None = None,
) -> TabletopResult:
    """Steps 5-6: delivery, suspensions, functions met and harm, given decision times.

    Parameters
    ----------
    registry : Registry
        The registry the draws were taken from.
    draws : TabletopDraws
        The result of :func:`sample`.
    decision : ndarray (n_runs, n_plans)
        Time from firing to decision (inf: never decides).
    deadlocked : ndarray (n_plans,)
        Reported per plan in ``filings`` (bool, or the share of runs deadlocked).
    no_block : ndarray of bool (n_runs, n_plans), optional
        Plans whose conflicts with others' suspensions are resolved in advance: a response of
        such a plan is never blocked, and its suspensions block no one.

    Returns
    -------
    TabletopResult
        The exercise's result on these draws.
    """
    table, fire, honour = draws.table, draws.fire, draws.honour

    # 5. delivery, with suspensions of services that other responses require
    plan = _plan_of_rows(registry, draws)
    ready = fire + decision  # (runs, plans)
    arrival = ready[:, plan] + table["time_to_act"].to_numpy()  # (runs, rows)
    active = honour[:, plan] & np.isfinite(arrival)
    free = np.zeros_like(active) if no_block is None else no_block[:, plan]
    responses = [
        registry.filings[i].responses[j]
        for i, j in zip(table["filing"].to_numpy(), table["response"].to_numpy())
    ]
    suspended_at: dict[str, np.ndarray] = {}
    for r, resp in enumerate(responses):
        for service in resp.suspends:
            at = np.where(active[:, r] & ~free[:, r], arrival[:, r], np.inf)
            suspended_at[service] = np.minimum(suspended_at.get(service, np.inf), at)
    blocked = np.zeros_like(active)
    for r, resp in enumerate(responses):
        for service in resp.requires:
            if service in suspended_at:
                blocked[:, r] |= (arrival[:, r] >= suspended_at[service]) & ~free[:, r]
    active &= ~blocked

    # 6. functions met, time to coordinated response, residual harm
    return _score(draws, decision, deadlocked, arrival, active)


def _plan_of_rows(registry, draws: TabletopDraws) -> np.ndarray:
    """Column in ``draws.filings`` of the plan each row of ``draws.table`` belongs to."""
    column = {f.id: j for j, f in enumerate(draws.filings)}
    rows = draws.table["filing"].to_numpy()
    return np.array([column[registry.filings[i].id] for i in rows], dtype=int)


def _score(
    draws: TabletopDraws,
    decision: np.ndarray,
    deadlocked,
    arrival: np.ndarray,
    active: np.ndarray,
) -> TabletopResult:
    """Step 6: functions met, time to coordinated response and residual harm, given delivery.

    Shared by :func:`outcome` and the exchange exercise's conflict outcome, which differ only
    in how they deliver (step 5).

    Parameters
    ----------
    draws : TabletopDraws
        The exercise's draws.
    decision : ndarray (n_runs, n_plans)
        Time from firing to decision (inf: never decides).
    deadlocked : ndarray (n_plans,)
        Reported per plan (bool, or the share of runs deadlocked).
    arrival : ndarray (n_runs, n_rows)
        Arrival time of each response row of ``draws.table`` in each run.
    active : ndarray of bool (n_runs, n_rows)
        Whether the response arrives and acts (honoured, not blocked, finite arrival).

    Returns
    -------
    TabletopResult
        The exercise's result on these draws.
    """
    scenario, table, filings = draws.scenario, draws.table, draws.filings
    n_runs = draws.n_runs
    fire, onset, honour = draws.fire, draws.onset, draws.honour
    relative = np.where(active, arrival - onset[:, None], np.inf)
    capacity = table["capacity"].to_numpy()
    fn_col = table["function"].to_numpy()
    met_time = np.empty((n_runs, len(scenario.functions)))
    delivered = np.empty_like(met_time)
    for k, need in enumerate(scenario.functions):
        rows = np.flatnonzero(fn_col == need.function)
        if rows.size == 0:
            met_time[:, k] = np.inf
            delivered[:, k] = 0.0
            continue
        rel = relative[:, rows]
        order = np.argsort(rel, axis=1, kind="stable")
        rel_sorted = np.take_along_axis(rel, order, axis=1)
        cap_sorted = np.where(np.isfinite(rel_sorted), capacity[rows][order], 0.0)
        cumulative = np.cumsum(cap_sorted, axis=1)
        enough = cumulative >= need.capacity * (1 - 1e-12)
        first = np.argmax(enough, axis=1)
        reached = enough[np.arange(n_runs), first]
        met_time[:, k] = np.where(
            reached, np.maximum(rel_sorted[np.arange(n_runs), first], 0.0), np.inf
        )
        delivered[:, k] = np.sum(np.where(rel <= need.window, capacity[rows], 0.0), axis=1)
    windows = np.array([f.window for f in scenario.functions])
    required = np.array([f.capacity for f in scenario.functions])
    unmet = met_time > windows
    weights = np.asarray(scenario.weights)
    fraction = np.minimum(1.0, delivered / required)
    residual = scenario.harm * (1.0 - fraction @ weights)
    time_to_response = met_time.max(axis=1)

    runs = pd.DataFrame(
        {
            "run": np.arange(n_runs),
            "onset": onset,
            "n_fired": np.isfinite(fire).sum(axis=1),
            "n_honoured": honour.sum(axis=1),
            "time_to_response": time_to_response,
            "n_unmet": unmet.sum(axis=1),
            "residual_harm": residual,
            "coordinated": ~unmet.any(axis=1),
        }
    )
    for k, need in enumerate(scenario.functions):
        runs[f"unmet:{need.function}"] = unmet[:, k]
    functions = pd.DataFrame(
        {
            "function": [f.function for f in scenario.functions],
            "required": required,
            "window": windows,
            "p_unmet": unmet.mean(axis=0),
            "mean_delivered": delivered.mean(axis=0),
            "median_time_to_meet": np.quantile(met_time, 0.5, axis=0, method="inverted_cdf"),
        }
    )
    finite = np.isfinite(decision)
    with np.errstate(invalid="ignore"):
        mean_latency = np.where(
            finite.any(axis=0),
            np.sum(np.where(finite, decision, 0.0), axis=0) / np.maximum(finite.sum(axis=0), 1),
            np.inf,
        )
    plans = pd.DataFrame(
        {
            "filing": [f.id for f in filings],
            "actor": [f.actor for f in filings],
            "credibility": draws.credibility,
            "deadlocked": deadlocked,
            "p_fired": np.isfinite(fire).mean(axis=0),
            "p_honoured": honour.mean(axis=0),
            "mean_decision_latency": mean_latency,
        }
    )
    return TabletopResult(
        scenario=scenario.id,
        n_runs=n_runs,
        p_coordinated=float(np.mean(~unmet.any(axis=1))),
        time_to_response_median=_quantile(time_to_response, 0.5),
        time_to_response_p90=_quantile(time_to_response, 0.9),
        residual_harm_mean=float(residual.mean()),
        residual_harm_p90=_quantile(residual, 0.9),
        harm=scenario.harm,
        runs=runs,
        functions=functions,
        filings=plans,
        latency_spread=float(draws.latency_spread),
    )
