"""Iterative review: the registry learns from tabletop exercises and incidents.

A review reads one exercise (:class:`~coordgap.registry.tabletop.TabletopResult`) or one
incident record (:class:`Incident`) and proposes revisions of the registry; the revised
registry is built at once (:attr:`Review.registry`, or :meth:`Review.apply`). The rules:

``add_scenario``
    An incident of a scenario the library does not hold (its after-action definition is
    added to the library).
``split_scenario``
    An incident whose observed indicator moved faster or slower than the library's scenario by
    more than a factor ``split_ratio``: a variant with the observed dynamics is added (same
    functions), and the plans that address the parent address the variant too.
``recalibrate_indicator``
    Otherwise the scenario's indicator takes the observed drift (mean rate toward the
    threshold), volatility (root mean square of the detrended increments per √h) and
    threshold (the level observed at onset).
``recalibrate_trigger``
    A trigger that would fire only after the observed onset level is moved to it.
``extend_filing``
    A required function whose committed capacity falls short: plans of other scenarios that
    already deliver that function are asked to cover this one too, largest capacity first,
    until the requirement is committed.
``flag_unmet_function``, ``flag_not_acted``
    The plans providing a function the exercise left unmet (in more than ``tolerance`` of
    runs), and plans that address an incident's scenario but did not act.
``delegate_decision``
    Latency beyond the response window, or an escalation cycle that deadlocked: the plan's
    escalation path is cut and its owner decides alone.
``carve_out_conflict``
    An unresolved conflict (a response suspending a service another response of the scenario
    requires): the suspension exempts that service.
``retire_scenario``, ``keep_uncovered``
    A scenario the caller reports stale is retired, unless the exercise under review found it
    uncovered: then it is kept (a review never removes a scenario an exercise found uncovered).

No rule lowers a plan's committed capacity or its credibility in any scenario, and only
``retire_scenario`` removes a requirement, so coverage of a fixed set of scenarios never falls
under review (the tests check this on random registries).
:func:`~coordgap.registry.cycles.review_cycles` runs reviews round after round.
"""

from __future__ import annotations

import collections
import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..results import Result
from .checks import response_table
from .schema import Registry, Scenario, Trigger
from .tabletop import TabletopResult

__all__ = [
    "Incident",
    "Revision",
    "Review",
    "review",
    "REVISION_KINDS",
    "coverage_table",
    "credible_coverage",
]

#: The kinds of revision a review proposes.
REVISION_KINDS = (
    "add_scenario",
    "split_scenario",
    "retire_scenario",
    "keep_uncovered",
    "recalibrate_indicator",
    "recalibrate_trigger",
    "extend_filing",
    "flag_unmet_function",
    "flag_not_acted",
    "delegate_decision",
    "carve_out_conflict",
)


@dataclass(frozen=True, slots=True, eq=False)
class Incident:
    """An incident record: what happened, who acted, how fast.

    Parameters
    ----------
    scenario : str
        Id of the scenario the incident belongs to (a new id if the library lacks it).
    path : mapping of str to (times, levels)
        Observed indicator paths: for each indicator, increasing times (h) and the levels
        observed then (default none).
    onset : float
        Time (h, on the paths' clock) at which the incident began (default 0).
    acted : sequence of str
        Ids of the filings that acted.
    latency : mapping of str to float
        Hours after onset at which each acting filing's response was delivered.
    definition : Scenario, optional
        The after-action definition of a scenario the library lacks.

    Examples
    --------
    >>> inc = Incident("grid_intrusion", path={"anomalous_ot_commands": ([0, 1, 2], [0, 4, 8])},
    ...                onset=2.0, acted=("grid_operator_isolation",))
    >>> inc.acted
    ('grid_operator_isolation',)
    """

    scenario: str
    path: Mapping = field(default_factory=dict)
    onset: float = 0.0
    acted: tuple = ()
    latency: Mapping = field(default_factory=dict)
    definition: Scenario | None = None

    def __post_init__(self):
        if not isinstance(self.scenario, str) or not self.scenario:
            raise InvalidParameterError("Incident", "scenario", "a non-empty string", self.scenario)
        if not isinstance(self.path, Mapping):
            raise InvalidParameterError("Incident", "path", "a mapping", self.path)
        paths = {}
        for name, pair in self.path.items():
            try:
                times, levels = (np.asarray(v, dtype=float) for v in pair)
            except (TypeError, ValueError):
                raise InvalidParameterError(
                    "Incident", f"path[{name!r}]", "a pair (times, levels)", pair
                ) from None
            if (
                times.ndim != 1
                or times.shape != levels.shape
                or times.size < 2
                or not np.all(np.isfinite(times))
                or not np.all(np.isfinite(levels))
                or np.any(np.diff(times) <= 0)
            ):
                raise InvalidParameterError(
                    "Incident",
                    f"path[{name!r}]",
                    "two finite arrays of equal length >= 2, times increasing",
                    pair,
                )
            paths[str(name)] = (times, levels)
        object.__setattr__(self, "path", paths)
        if isinstance(self.onset, bool) or not isinstance(self.onset, (int, float)):
            raise InvalidParameterError("Incident", "onset", "a finite float", self.onset)
        if not math.isfinite(self.onset):
            raise InvalidParameterError("Incident", "onset", "a finite float", self.onset)
        if isinstance(self.acted, str) or not all(isinstance(a, str) for a in self.acted):
            raise InvalidParameterError("Incident", "acted", "a sequence of filing ids", self.acted)
        object.__setattr__(self, "acted", tuple(self.acted))
        if not isinstance(self.latency, Mapping) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
            for v in self.latency.values()
        ):
            raise InvalidParameterError(
                "Incident", "latency", "a mapping of filing id to hours >= 0", self.latency
            )
        if self.definition is not None and not isinstance(self.definition, Scenario):
            raise InvalidParameterError(
                "Incident", "definition", "a Scenario or None", self.definition
            )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Revision(Result):
    """One proposed revision.

    Attributes
    ----------
    kind : str
        One of :data:`REVISION_KINDS`.
    scenario : str
        Scenario concerned.
    filing : str
        Filing concerned ("" when none).
    message : str
        A plain sentence.
    value : float
        The number behind it (shortfall, hours, new rate, ...; NaN when none).
    """

    kind: str
    scenario: str
    filing: str
    message: str
    value: float = math.nan


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Review(Result):
    """Result of :func:`review`: the revisions proposed and the revised registry.

    Attributes
    ----------
    source : str
        ``"tabletop"`` or ``"incident"``.
    scenario : str
        The scenario exercised or hit.
    uncovered : tuple of str
        Scenarios the exercise or incident found uncovered (a function unmet, or no plan).
    revisions : tuple of Revision
    n_revisions : int
    credible_coverage_before, credible_coverage_after : float
        :func:`~coordgap.registry.checks.check`'s headline metric of the registry before and
        after the revisions.
    original, registry : Registry
        The registry reviewed and the revised registry.
    """

    _hidden = ("revisions", "original", "registry")

    source: str
    scenario: str
    uncovered: tuple
    revisions: tuple
    n_revisions: int
    credible_coverage_before: float
    credible_coverage_after: float
    original: Any = field(repr=False)
    registry: Any = field(repr=False)

    def apply(self) -> Registry:
        """The revised registry.

        Returns
        -------
        Registry
            :attr:`registry`.
        """
        return self.registry

    def of_kind(self, kind: str) -> tuple:
        """The revisions of one kind.

        Parameters
        ----------
        kind : str
            One of :data:`REVISION_KINDS`.

        Returns
        -------
        tuple of Revision
        """
        return tuple(r for r in self.revisions if r.kind == kind)

    def to_frame(self) -> pd.DataFrame:
        """One row per revision: ``kind``, ``scenario``, ``filing``, ``value``, ``message``.

        Returns
        -------
        pandas.DataFrame
        """
        return pd.DataFrame(
            [
                {
                    "kind": r.kind,
                    "scenario": r.scenario,
                    "filing": r.filing,
                    "value": r.value,
                    "message": r.message,
                }
                for r in self.revisions
            ],
            columns=["kind", "scenario", "filing", "value", "message"],
        )


# ---------------------------------------------------------------------------------------------


def coverage_table(registry: Registry) -> pd.DataFrame:
    """Committed and credible capacity per (scenario, required function), as in
    :func:`~coordgap.registry.checks.check` (also when no plan addresses any scenario).

    Parameters
    ----------
    registry : Registry

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``function``, ``required``, ``committed``, ``credible``.

    Examples
    --------
    >>> import coordgap as cg
    >>> table = coverage_table(cg.load_registry())
    >>> bool((table["committed"] >= table["credible"]).all())
    True
    """
    for known, table in tuple(_RECENT):
        if known is registry:
            return table.copy()
    table = _coverage_table(registry)
    _RECENT.append((registry, table))
    return table.copy()


# The tables of the last few registries, by identity (registries are frozen): a review cycle
# asks for the same registry's table several times a round (the coverage of the world under
# each regime, and the credible coverage before and after each review).
_RECENT: collections.deque = collections.deque(maxlen=8)


def _coverage_table(registry: Registry) -> pd.DataFrame:
    from .checks import _coverage

    table = response_table(registry)
    columns = ["scenario", "function", "required", "committed", "credible"]
    if table.empty:
        rows = [
            (s.id, f.function, f.capacity, 0.0, 0.0)
            for s in registry.scenarios
            for f in s.functions
        ]
        return pd.DataFrame(rows, columns=columns)
    return _coverage(registry, table)[columns]


def credible_coverage(registry: Registry) -> float:
    """Mean over (scenario, function) of min(1, credible / required): the headline metric of
    :func:`~coordgap.registry.checks.check`.

    Parameters
    ----------
    registry : Registry

    Returns
    -------
    float
        1 for a registry without scenarios.
    """
    table = coverage_table(registry)
    if table.empty:
        return 1.0
    return float(np.minimum(1.0, table["credible"] / table["required"]).mean())


class _Draft:
    """A mutable copy of a registry's records while revisions are collected."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.scenarios = {s.id: s for s in registry.scenarios}
        self.filings = {f.id: f for f in registry.filings}
        self.revisions: list[Revision] = []

    def note(self, kind, scenario, filing, message, value=math.nan):
        self.revisions.append(Revision(kind, scenario, filing, message, float(value)))

    def addressed(self, filing) -> tuple:
        return self.registry.addressed(filing) if not filing.scenarios else filing.scenarios

    def extend(self, fid: str, sid: str, why: str, value: float) -> None:
        filing = self.filings[fid]
        listed = tuple(dict.fromkeys((*self.addressed(filing), sid)))
        if listed == filing.scenarios:
            return
        triggers = filing.triggers
        scenario = self.scenarios[sid]
        if not {t.indicator for t in triggers} & {i.name for i in scenario.indicators}:
            # the plan must watch the scenario: it fires at the scenario's onset
            ind = scenario.indicators[0]
            comparator = ">=" if ind.direction > 0 else "<="
            triggers = (*triggers, Trigger(ind.name, comparator, ind.threshold))
        self.filings[fid] = dataclasses.replace(filing, scenarios=listed, triggers=triggers)
        self.note("extend_filing", sid, fid, why, value)

    def delegate(self, fid: str, sid: str, why: str, value: float) -> None:
        filing = self.filings[fid]
        if filing.decision.escalation:
            decision = dataclasses.replace(filing.decision, escalation=())
            self.filings[fid] = dataclasses.replace(filing, decision=decision)
            self.note("delegate_decision", sid, fid, why, value)

    def build(self) -> Registry:
        reg = self.registry
        known = set(self.scenarios)
        filings = []
        for f in self.filings.values():
            if f.scenarios:
                kept = tuple(s for s in f.scenarios if s in known)
                if not kept:
                    continue  # the plan addressed only retired scenarios
                if kept != f.scenarios:
                    f = dataclasses.replace(f, scenarios=kept)
            filings.append(f)
        return dataclasses.replace(
            reg, scenarios=tuple(self.scenarios.values()), filings=tuple(filings)
        )


def _committed(draft: _Draft, sid: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for f in draft.filings.values():
        if sid in (f.scenarios or draft.registry.addressed(f)):
            for r in f.responses:
                out[r.function] = out.get(r.function, 0.0) + r.capacity
    return out


def _fill_gaps(draft: _Draft, sid: str) -> None:
    """Extend plans that deliver a function elsewhere to the scenario's capacity gaps."""
    scenario = draft.scenarios[sid]
    for need in scenario.functions:
        have = _committed(draft, sid).get(need.function, 0.0)
        if have >= need.capacity * (1 - 1e-12):
            continue
        candidates = sorted(
            (
                (-sum(r.capacity for r in f.responses if r.function == need.function), f.id)
                for f in draft.filings.values()
                if sid not in (f.scenarios or draft.registry.addressed(f))
                and any(r.function == need.function for r in f.responses)
            ),
        )
        for negcap, fid in candidates:
            if have >= need.capacity * (1 - 1e-12):
                break
            short = need.capacity - have
            draft.extend(
                fid,
                sid,
                f"{need.function} in {sid!r} has {have:.3g} of {need.capacity:.3g} committed: "
                f"filing {fid!r} delivers it elsewhere and is asked to cover {sid!r}",
                short,
            )
            have -= negcap


def _fit(times: np.ndarray, levels: np.ndarray, direction: int) -> tuple[float, float]:
    """Drift toward the threshold and volatility of an observed path (Brownian estimates)."""
    dt = np.diff(times)
    dx = direction * np.diff(levels)
    rate = float(dx.sum() / dt.sum())
    vol = float(np.sqrt(np.mean((dx - rate * dt) ** 2 / dt))) if dt.size > 1 else 0.0
    return rate, vol


def _from_incident(draft: _Draft, inc: Incident, split_ratio: float) -> set:
    uncovered: set[str] = set()
    sid = inc.scenario
    if sid not in draft.scenarios:
        if inc.definition is None:
            raise InvalidParameterError(
                "review",
                "result.definition",
                "the scenario's definition when the library lacks the scenario",
                sid,
            )
        new = dataclasses.replace(inc.definition, id=sid)
        draft.scenarios[sid] = new
        draft.note("add_scenario", sid, "", f"incident of {sid!r}, absent from the library")
        uncovered.add(sid)
        _fill_gaps(draft, sid)
        return uncovered
    scenario = draft.scenarios[sid]
    indicators = list(scenario.indicators)
    split = None
    for k, ind in enumerate(indicators):
        if ind.name not in inc.path:
            continue
        times, levels = inc.path[ind.name]
        rate, vol = _fit(times, levels, ind.direction)
        if rate <= 0:
            continue
        at_onset = float(np.interp(inc.onset, times, levels))
        moves = ind.direction * (at_onset - ind.start) > 0
        threshold = at_onset if moves else ind.threshold
        fitted = dataclasses.replace(ind, rate=rate, volatility=vol, threshold=threshold)
        if abs(math.log(rate / ind.rate)) > math.log(split_ratio):
            split = (k, fitted)
            continue
        indicators[k] = fitted
        draft.note(
            "recalibrate_indicator",
            sid,
            "",
            f"{ind.name}: observed rate {rate:.3g} (was {ind.rate:.3g}), volatility "
            f"{vol:.3g}, threshold {threshold:.3g}",
            rate,
        )
        for fid, f in list(draft.filings.items()):
            if sid not in (f.scenarios or draft.registry.addressed(f)):
                continue
            triggers = list(f.triggers)
            for j, t in enumerate(triggers):
                rising = t.comparator in (">=", ">")
                if t.indicator != ind.name or rising != (ind.direction > 0):
                    continue
                if ind.direction * (t.threshold - threshold) > 0:
                    triggers[j] = dataclasses.replace(t, threshold=threshold)
                    draft.note(
                        "recalibrate_trigger",
                        sid,
                        fid,
                        f"trigger on {ind.name} at {t.threshold:.3g} fires after the observed "
                        f"onset level {threshold:.3g}: moved to it",
                        threshold,
                    )
            if triggers != list(f.triggers):
                draft.filings[fid] = dataclasses.replace(draft.filings[fid], triggers=triggers)
    draft.scenarios[sid] = dataclasses.replace(scenario, indicators=tuple(indicators))
    if split is not None:
        k, fitted = split
        n = sum(1 for s in draft.scenarios if s.startswith(f"{sid}_variant"))
        vid = f"{sid}_variant{n + 1}"
        variant_inds = list(draft.scenarios[sid].indicators)
        variant_inds[k] = fitted
        draft.scenarios[vid] = dataclasses.replace(
            draft.scenarios[sid], id=vid, indicators=tuple(variant_inds)
        )
        draft.note(
            "split_scenario",
            sid,
            "",
            f"{fitted.name} moved at {fitted.rate:.3g}, beyond a factor {split_ratio:g} of "
            f"the library's {scenario.indicators[k].rate:.3g}: variant {vid!r} added",
            fitted.rate,
        )
        for fid, f in list(draft.filings.items()):
            if f.scenarios and sid in f.scenarios:
                draft.extend(fid, vid, f"{fid!r} addresses {sid!r}, so its variant too", 0.0)
    # who acted, how late
    table = response_table(draft.registry, sid)
    windows = {f.function: f.window for f in scenario.functions}
    delivered: dict[str, bool] = dict.fromkeys(windows, False)
    for i in dict.fromkeys(table["filing"].tolist()):
        filing = draft.registry.filings[i]
        fns = [r.function for r in filing.responses if r.function in windows]
        if filing.id not in inc.acted:
            draft.note("flag_not_acted", sid, filing.id, f"{filing.id!r} did not act")
            continue
        late = inc.latency.get(filing.id, 0.0)
        for fn in fns:
            if late <= windows[fn]:
                delivered[fn] = True
            else:
                draft.note(
                    "flag_unmet_function",
                    sid,
                    filing.id,
                    f"{filing.id!r} delivered {fn} {late:.3g} h after onset, beyond the "
                    f"{windows[fn]:.3g} h window",
                    late - windows[fn],
                )
                draft.delegate(filing.id, sid, "latency beyond the response window", late)
    if not all(delivered.values()):
        uncovered.add(sid)
    _fill_gaps(draft, sid)
    return uncovered


def _from_tabletop(draft: _Draft, result: TabletopResult, tolerance: float) -> set:
    sid = result.scenario
    if sid not in draft.scenarios:
        raise InvalidParameterError(
            "review", "result.scenario", "a scenario of the registry reviewed", sid
        )
    uncovered: set[str] = set()
    table = response_table(draft.registry, sid)
    unmet = result.functions.set_index("function")
    for need in draft.scenarios[sid].functions:
        p = float(unmet.loc[need.function, "p_unmet"])
        if p <= tolerance:
            continue
        uncovered.add(sid)
        rows = table[table["function"] == need.function]
        if rows.empty:
            draft.note(
                "flag_unmet_function",
                sid,
                "",
                f"{need.function} unmet in {p:.0%} of runs: no plan provides it",
                p,
            )
        for _, row in rows.iterrows():
            filing = draft.registry.filings[int(row["filing"])]
            draft.note(
                "flag_unmet_function",
                sid,
                filing.id,
                f"{need.function} unmet in {p:.0%} of runs; {filing.id!r} provides it",
                p,
            )
            delay = float(row["latency"] + row["time_to_act"])
            if delay > need.window:
                draft.delegate(
                    filing.id,
                    sid,
                    f"decision and action take {delay:.3g} h, beyond the {need.window:.3g} h "
                    f"window of {need.function}",
                    delay,
                )
    for _, row in result.filings.iterrows():
        if float(row["deadlocked"]) > 0:
            draft.delegate(str(row["filing"]), sid, "its escalation path deadlocked (a cycle)", 1.0)
    # unresolved conflicts: a suspension cutting off a service another response needs
    responses = [
        (draft.registry.filings[int(i)].id, int(j))
        for i, j in zip(table["filing"].to_numpy(), table["response"].to_numpy())
    ]
    required = {s for fid, j in responses for s in draft.filings[fid].responses[j].requires}
    for fid, j in responses:
        filing = draft.filings[fid]
        resp = filing.responses[j]
        cut = tuple(s for s in resp.suspends if s in required)
        if cut:
            new = list(filing.responses)
            new[j] = dataclasses.replace(
                resp, suspends=tuple(s for s in resp.suspends if s not in cut)
            )
            draft.filings[fid] = dataclasses.replace(filing, responses=tuple(new))
            draft.note(
                "carve_out_conflict",
                sid,
                fid,
                f"{fid!r} suspends {', '.join(cut)}, which another response in {sid!r} "
                "requires: the suspension exempts it",
            )
    _fill_gaps(draft, sid)
    return uncovered


def review(
    registry: Registry,
    result,
    *,
    stale=(),
    tolerance: float = 0.05,
    split_ratio: float = 4.0,
) -> Review:
    """Review a registry after a tabletop exercise or an incident; propose and apply revisions.

    Parameters
    ----------
    registry : Registry
        The registry reviewed.
    result : TabletopResult or Incident
        What is reviewed.
    stale : sequence of str
        Scenario ids reported no longer relevant: retired, unless the exercise or incident
        under review found them uncovered (then kept).
    tolerance : float
        In [0, 1]: a function unmet in more than this share of an exercise's runs is unmet
        (default 0.05).
    split_ratio : float
        > 1: an observed indicator rate beyond this factor of the library's splits the
        scenario (default 4).

    Returns
    -------
    Review
        The revisions and the revised registry.

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> rev = cg.review(reg, reg.tabletop("lab_systems_disruption", 500, rng=0))
    >>> rev.uncovered
    ('lab_systems_disruption',)
    >>> sorted({r.kind for r in rev.revisions})
    ['delegate_decision', 'flag_unmet_function']
    >>> after = rev.apply().tabletop("lab_systems_disruption", 500, rng=0)
    >>> after.p_coordinated > 0.9
    True
    """
    if not isinstance(registry, Registry):
        raise InvalidParameterError("review", "registry", "a Registry", registry)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise InvalidParameterError("review", "tolerance", "a float in [0, 1]", tolerance)
    if not 0 <= tolerance <= 1:
        raise InvalidParameterError("review", "tolerance", "a float in [0, 1]", tolerance)
    if (
        isinstance(split_ratio, bool)
        or not isinstance(split_ratio, (int, float))
        or not 1 < split_ratio < math.inf
    ):
        raise InvalidParameterError("review", "split_ratio", "a finite float > 1", split_ratio)
    if isinstance(stale, str) or not all(isinstance(s, str) for s in stale):
        raise InvalidParameterError("review", "stale", "a sequence of scenario ids", stale)
    draft = _Draft(registry)
    if isinstance(result, Incident):
        source = "incident"
        uncovered = _from_incident(draft, result, float(split_ratio))
    elif isinstance(result, TabletopResult):
        source = "tabletop"
        uncovered = _from_tabletop(draft, result, float(tolerance))
    else:
        raise InvalidParameterError(
            "review", "result", "a TabletopResult or an Incident", type(result).__name__
        )
    for sid in dict.fromkeys(stale):
        if sid not in draft.scenarios:
            continue
        if sid in uncovered:
            draft.note(
                "keep_uncovered",
                sid,
                "",
                f"{sid!r} was reported stale but this review found it uncovered: kept",
            )
            continue
        del draft.scenarios[sid]
        draft.note("retire_scenario", sid, "", f"{sid!r} is no longer relevant: retired")
    revised = draft.build()
    before = credible_coverage(registry)
    # No revision: the same scenarios and plans, so the same coverage.
    after = credible_coverage(revised) if draft.revisions else before
    return Review(
        source=source,
        scenario=result.scenario,
        uncovered=tuple(sorted(uncovered)),
        revisions=tuple(draft.revisions),
        n_revisions=len(draft.revisions),
        credible_coverage_before=before,
        credible_coverage_after=after,
        original=registry,
        registry=revised,
    )
