"""Checks of a registry: coverage, gaps, overlaps, conflicts and library diagnostics (M6).

Coverage is computed per (scenario, required function): the capacity **committed** by the
filings that address the scenario, the **credible** capacity (each response's capacity times the
credibility of its filing, P(honour) from :class:`~coordgap.CommitmentModel`, M3) and the
**required** capacity.

Findings, each naming the scenario, the function and the actors, with a plain sentence:

* ``gap`` — credible capacity below the requirement (including no provider at all);
* ``overlap`` — credible capacity above (1 + ``overlap_tolerance``) × required from two or more
  filings (redundant commitments);
* conflicts: ``contradictory_actions`` (one plan suspends a service another plan's response
  requires), ``incompatible_thresholds`` (triggers on one indicator so far apart that, on the
  scenario's nominal path, one actor acts more than ``threshold_tolerance`` × the scenario's
  shortest window after another), ``latency_beyond_window`` (decision latency plus escalation
  plus time to act exceeds the function's window) and ``circular_escalation`` (a cycle in the
  escalation graph of the plans addressing a scenario);
* library diagnostics: ``unaddressed_scenario`` (no plan addresses it: the library is too broad
  for the filers) and ``unmatched_trigger`` (a trigger watches an indicator of no scenario, or a
  plan names a scenario none of whose indicators it watches: the library is too narrow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import InvalidParameterError
from ..games.commitment import CommitmentModel
from ..results import Result, to_plain

__all__ = ["Finding", "RegistryReport", "check", "CATEGORIES"]

#: Finding kind → category.
CATEGORIES = {
    "gap": "gap",
    "overlap": "overlap",
    "contradictory_actions": "conflict",
    "incompatible_thresholds": "conflict",
    "latency_beyond_window": "conflict",
    "circular_escalation": "conflict",
    "unaddressed_scenario": "library",
    "unmatched_trigger": "library",
}
_TOL = 1e-9


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Finding(Result):
    """One finding of a registry check.

    Attributes
    ----------
    kind : str
        One of :data:`CATEGORIES`' keys.
    scenario : str
        Scenario id ("" for a trigger that matches no scenario).
    function : str
        Response function(s) concerned, comma-separated ("" when none applies).
    actors : tuple of str
        Actors concerned.
    message : str
        A plain-language sentence.
    value : float
        The number behind the finding (shortfall, excess, delay in hours, ...).
    """

    kind: str
    scenario: str
    function: str
    actors: tuple
    message: str
    value: float = math.nan

    @property
    def category(self) -> str:
        """``"gap"``, ``"overlap"``, ``"conflict"`` or ``"library"``."""
        return CATEGORIES[self.kind]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RegistryReport(Result):
    """Result of :func:`check`.

    Attributes
    ----------
    coverage : DataFrame
        One row per (scenario, required function): ``required``, ``window``, ``committed``,
        ``credible``, ``n_filings`` (plans providing the function), ``providers`` (their
        actors), ``ratio`` (credible / required) and
        ``status`` (``"gap"``, ``"ok"`` or ``"overlap"``).
    findings : tuple of Finding
        Every finding, of every category.
    credible_coverage : float
        Mean over (scenario, function) of min(1, credible / required): the headline metric.
    n_scenarios, n_filings, n_actors : int
        Size of the registry checked.
    n_gaps, n_overlaps, n_conflicts, n_library : int
        Number of findings per category.
    success, status, message
        ``success`` is True when there is no gap and no conflict.
    registry : Registry, optional
        The registry checked (not shown in the repr or the table).
    """

    _hidden = ("registry", "coverage", "findings")

    coverage: pd.DataFrame
    findings: tuple
    credible_coverage: float
    n_scenarios: int
    n_filings: int
    n_actors: int
    n_gaps: int
    n_overlaps: int
    n_conflicts: int
    n_library: int
    success: bool
    status: int
    message: str
    registry: Any = field(default=None, repr=False)

    def _of(self, category: str) -> tuple:
        return tuple(f for f in self.findings if f.category == category)

    @property
    def gaps(self) -> tuple:
        """Findings of kind ``gap``."""
        return self._of("gap")

    @property
    def overlaps(self) -> tuple:
        """Findings of kind ``overlap``."""
        return self._of("overlap")

    @property
    def conflicts(self) -> tuple:
        """Contradictory actions, incompatible thresholds, latency beyond window, cycles."""
        return self._of("conflict")

    @property
    def diagnostics(self) -> tuple:
        """Library diagnostics: unaddressed scenarios and unmatched triggers."""
        return self._of("library")

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: kind, category, scenario, function, actors, value, message.

        Returns
        -------
        pandas.DataFrame
            Those seven columns (``actors`` joined by commas); no rows without findings.
        """
        return pd.DataFrame(
            {
                "kind": [f.kind for f in self.findings],
                "category": [f.category for f in self.findings],
                "scenario": [f.scenario for f in self.findings],
                "function": [f.function for f in self.findings],
                "actors": [", ".join(f.actors) for f in self.findings],
                "value": [f.value for f in self.findings],
                "message": [f.message for f in self.findings],
            },
            columns=["kind", "category", "scenario", "function", "actors", "value", "message"],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable dictionary of the report, with findings and coverage.

        Returns
        -------
        dict
            The shown fields, ``findings`` as a list of dicts and ``coverage`` as a list of
            row records.
        """
        out = {name: to_plain(value) for name, value in self._fields()}
        out["findings"] = [f.to_dict() for f in self.findings]
        out["coverage"] = to_plain(self.coverage.to_dict(orient="records"))
        return out


# ---------------------------------------------------------------------------------------------
# Flat tables shared with the tabletop exercise


def response_table(registry, scenario_id: str | None = None) -> pd.DataFrame:
    """One row per (filing, addressed scenario, response) with the filing's credibility there.

    With ``scenario_id``, only the rows of that scenario.

    Columns: ``filing`` (index), ``scenario`` (index), ``response`` (index within the filing),
    ``function``, ``capacity``, ``time_to_act``, ``required`` (capacity the scenario needs of the
    function, NaN if it does not need it), ``window``, ``latency`` (owner's maximum decision
    latency plus the escalated actors' decision latencies), ``credibility``.
    """
    actors = registry._actor_index
    scen_pos = {s.id: k for k, s in enumerate(registry.scenarios)}
    _wgt: list[float]
    _harm: list[float]
    rows_f, rows_s, rows_r, fn, cap, act, req, win, _wgt, _harm = ([] for _ in range(10))
    latency_of, pair_f, pair_s, pair_benefit = [], [], [], []
    for i, filing in enumerate(registry.filings):
        d = filing.decision
        latency = d.max_latency + sum(actors[e].decision_latency for e in d.escalation)
        for sid in registry.addressed(filing):
            if scenario_id is not None and sid != scenario_id:
                continue
            k = scen_pos[sid]
            scenario = registry.scenarios[k]
            needs = {f.function: (f, w) for f, w in zip(scenario.functions, scenario.weights)}
            benefit = 0.0
            for j, r in enumerate(filing.responses):
                rows_f.append(i)
                rows_s.append(k)
                rows_r.append(j)
                fn.append(r.function)
                cap.append(r.capacity)
                act.append(r.time_to_act)
                latency_of.append(latency)
                if r.function in needs:
                    f, w = needs[r.function]
                    req.append(f.capacity)
                    win.append(f.window)
                    benefit += scenario.harm * w * min(1.0, r.capacity / f.capacity)
                else:
                    req.append(math.nan)
                    win.append(math.nan)
            pair_f.append(i)
            pair_s.append(k)
            pair_benefit.append(benefit)
    table = pd.DataFrame(
        {
            "filing": np.asarray(rows_f, dtype=int),
            "scenario": np.asarray(rows_s, dtype=int),
            "response": np.asarray(rows_r, dtype=int),
            "function": fn,
            "capacity": np.asarray(cap, dtype=float),
            "time_to_act": np.asarray(act, dtype=float),
            "required": np.asarray(req, dtype=float),
            "window": np.asarray(win, dtype=float),
            "latency": np.asarray(latency_of, dtype=float),
        }
    )
    credibility = pair_credibility(
        registry, np.asarray(pair_f, dtype=int), np.asarray(pair_benefit, dtype=float)
    )
    # rows of one (filing, scenario) pair are contiguous, in pair order
    sizes = np.array([len(registry.filings[i].responses) for i in pair_f], dtype=int)
    table["credibility"] = np.repeat(credibility, sizes)
    return table


def commitment_model(registry, filing_index: np.ndarray, benefit: np.ndarray) -> CommitmentModel:
    """The commitment model (M3) of filings (by index), one actor per filing.

    ``benefit`` is ΔB, the benefit of each filing's response in the scenario at hand; the
    capacity is the filing's total committed capacity.
    """
    filings = [registry.filings[i] for i in filing_index]
    actors = [registry._actor_index[f.actor] for f in filings]
    return CommitmentModel(
        capacity=np.array([sum(r.capacity for r in f.responses) for f in filings], dtype=float),
        bond=np.array([f.bond for f in filings], dtype=float),
        liability=np.array([a.liability for a in actors], dtype=float),
        incentive=np.array([a.incentive for a in actors], dtype=float),
        share=np.array([a.share for a in actors], dtype=float),
        response_benefit=np.asarray(benefit, dtype=float),
        response_cost_median=np.array([f.response_cost for f in filings], dtype=float),
        response_cost_sigma=np.array([f.cost_sigma for f in filings], dtype=float),
        discount=registry.discount,
        names=tuple(f.id for f in filings),
        roles=tuple(f.role for f in filings),
    )


def scenario_commitment_model(registry, scenario_id: str) -> CommitmentModel:
    """The commitment model (M3) of the plans addressing one scenario.

    One actor per plan: capacity q is the plan's capacity in the functions the scenario needs,
    ΔB the benefit of its response there, and the required capacity is the scenario's total, so
    that ``credible_coverage()`` is Σ q·c / Σ Q over the scenario's functions.
    """
    scenario = registry.scenario(scenario_id)
    table = response_table(registry, scenario_id)
    if table.empty:
        raise InvalidParameterError(
            "Registry.commitment_model",
            "scenario_id",
            "a scenario that some filing addresses",
            scenario_id,
        )
    used = table.assign(capacity=table["capacity"].where(table["required"].notna(), 0.0))
    per_plan = used.groupby("filing", sort=False)["capacity"].sum()
    filing_index = per_plan.index.to_numpy()
    needs = {f.function: (f, w) for f, w in zip(scenario.functions, scenario.weights)}
    benefit = np.array(
        [
            sum(
                scenario.harm
                * needs[r.function][1]
                * min(1.0, r.capacity / needs[r.function][0].capacity)
                for r in registry.filings[i].responses
                if r.function in needs
            )
            for i in filing_index
        ]
    )
    model = commitment_model(registry, filing_index, benefit)
    return model.replace(
        capacity=per_plan.to_numpy(), required=float(sum(f.capacity for f in scenario.functions))
    )


def pair_credibility(registry, filing_index: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Credibility of filings (by index) given the benefit ΔB of their response: P(honour)
    from :class:`~coordgap.CommitmentModel` (M3)."""
    if len(filing_index) == 0:
        return np.zeros(0)
    return commitment_model(registry, filing_index, benefit).credibility()


def trigger_time(indicator, comparator: str, threshold) -> tuple[np.ndarray, np.ndarray]:
    """Nominal time (h) at which a trigger holds on the indicator's drift path (0: at start,
    inf: never), and the distance along the path when it moves with the indicator.

    Returns ``(time, distance)``; ``distance`` is NaN for a trigger that points against the
    indicator's movement (it holds at the start or never).
    """
    threshold = np.asarray(threshold, dtype=float)
    rising = comparator in (">=", ">")
    direction = indicator.direction
    with_path = rising == (direction > 0)
    distance = direction * (threshold - indicator.start)
    if with_path:
        return np.maximum(distance, 0.0) / indicator.rate, np.maximum(distance, 0.0)
    holds_now = (indicator.start >= threshold) if rising else (indicator.start <= threshold)
    return np.where(holds_now, 0.0, np.inf), np.full(threshold.shape, np.nan)


# ---------------------------------------------------------------------------------------------


def _names(actors) -> str:
    names = list(dict.fromkeys(actors))
    if len(names) <= 2:
        return " and ".join(repr(n) for n in names)
    return ", ".join(repr(n) for n in names[:-1]) + f" and {names[-1]!r}"


def _coverage(registry, table: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (k, s.id, s.domain, s.severity, f.function, f.capacity, f.window)
        for k, s in enumerate(registry.scenarios)
        for f in s.functions
    ]
    need = pd.DataFrame(
        rows, columns=["s", "scenario", "domain", "severity", "function", "required", "window"]
    )
    used = table[table["required"].notna()]
    filing = used["filing"].to_numpy()
    capacity = used["capacity"].to_numpy(dtype=float)
    keys = list(zip(used["scenario"].tolist(), used["function"].tolist(), strict=True))
    # The sums by pandas' grouped sum (its compensated summation, as before); the filings and
    # providers of each (scenario, function) by one pass in table order, which is what the
    # grouped nunique and the ordered unique did, at a fraction of their cost per call.
    sums = (
        pd.DataFrame(
            {
                "scenario": used["scenario"].to_numpy(),
                "function": used["function"].to_numpy(),
                "committed": capacity,
                "credible": capacity * used["credibility"].to_numpy(dtype=float),
            }
        )
        .groupby(["scenario", "function"], sort=False)
        .sum()
    )
    totals = dict(
        zip(
            sums.index.tolist(),
            zip(sums["committed"].tolist(), sums["credible"].tolist(), strict=True),
            strict=True,
        )
    )
    filings_of: dict = {}
    providers_of: dict = {}
    for key, i in zip(keys, filing.tolist(), strict=True):
        filings_of.setdefault(key, set()).add(i)
        providers_of.setdefault(key, {}).setdefault(registry.filings[i].actor, None)
    out = need.copy()
    wanted = list(zip(out["s"].tolist(), out["function"].tolist(), strict=True))
    out["committed"] = [totals.get(k, (0.0, 0.0))[0] for k in wanted]
    out["credible"] = [totals.get(k, (0.0, 0.0))[1] for k in wanted]
    out["n_filings"] = [len(filings_of.get(k, ())) for k in wanted]
    out["providers"] = [tuple(providers_of.get(k, {})) for k in wanted]
    out["ratio"] = out["credible"] / out["required"]
    return out


def check(
    registry,
    *,
    gap_tolerance: float = 0.01,
    overlap_tolerance: float = 0.5,
    threshold_tolerance: float = 1.0,
):
    """Check a registry: coverage, gaps, overlaps, conflicts, library diagnostics.

    Parameters
    ----------
    registry : Registry
    gap_tolerance : float
        Credible capacity below (1 − tolerance) × required is a gap (default 0.01: plans whose
        credibility falls short of certainty by less than 1 % are not reported).
    overlap_tolerance : float
        Credible capacity above (1 + tolerance) × required from two or more filings is an
        overlap (default 0.5).
    threshold_tolerance : float
        Triggers on one indicator are incompatible when, on the scenario's nominal path, they
        fire more than tolerance × the scenario's shortest window apart (default 1).

    Returns
    -------
    RegistryReport

    Examples
    --------
    >>> import coordgap as cg
    >>> report = cg.load_registry().check()
    >>> report.n_scenarios, 0 < report.credible_coverage <= 1
    (12, True)
    >>> sorted(report.to_frame()["category"].unique())
    ['conflict', 'gap', 'library', 'overlap']
    """
    for name, value in (
        ("gap_tolerance", gap_tolerance),
        ("overlap_tolerance", overlap_tolerance),
        ("threshold_tolerance", threshold_tolerance),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise InvalidParameterError("check", name, "a finite float >= 0", value)
    table = response_table(registry)
    coverage = _coverage(registry, table)
    findings: list[Finding] = []
    findings += _gaps_and_overlaps(coverage, gap_tolerance, overlap_tolerance)
    findings += _contradictions(registry, table)
    findings += _thresholds(registry, threshold_tolerance)
    findings += _latencies(registry, table)
    findings += _cycles(registry)
    findings += _library(registry)
    status_col = np.where(
        coverage["credible"] < coverage["required"] * (1 - gap_tolerance) * (1 - _TOL),
        "gap",
        np.where(
            (coverage["credible"] > coverage["required"] * (1 + overlap_tolerance))
            & (coverage["n_filings"] >= 2),
            "overlap",
            "ok",
        ),
    )
    coverage["status"] = status_col
    coverage = coverage.drop(columns="s")
    counts = {
        c: sum(1 for f in findings if f.category == c)
        for c in ("gap", "overlap", "conflict", "library")
    }
    ok = counts["gap"] == 0 and counts["conflict"] == 0
    ratio = np.minimum(1.0, coverage["ratio"].to_numpy())
    message = (
        f"{counts['gap']} gaps, {counts['overlap']} overlaps, {counts['conflict']} "
        f"conflicts, {counts['library']} library diagnostics"
    )
    return RegistryReport(
        coverage=coverage,
        findings=tuple(findings),
        credible_coverage=float(ratio.mean()) if ratio.size else 1.0,
        n_scenarios=len(registry.scenarios),
        n_filings=len(registry.filings),
        n_actors=len(registry.actors),
        n_gaps=counts["gap"],
        n_overlaps=counts["overlap"],
        n_conflicts=counts["conflict"],
        n_library=counts["library"],
        success=ok,
        status=0 if ok else 1,
        message=message,
        registry=registry,
    )


def _units(x: float) -> str:
    """A capacity with its unit: ``"1 capacity unit"``, ``"2.5 capacity units"``."""
    shown = f"{x:.3g}"
    return f"{shown} capacity unit" if shown == "1" else f"{shown} capacity units"


def _gaps_and_overlaps(
    coverage: pd.DataFrame, gap_tolerance: float, tolerance: float
) -> list[Finding]:
    out = []
    req = coverage["required"].to_numpy()
    cred = coverage["credible"].to_numpy()
    gap = np.flatnonzero(cred < req * (1 - gap_tolerance) * (1 - _TOL))
    over = np.flatnonzero((cred > req * (1 + tolerance)) & (coverage["n_filings"] >= 2))
    sid, fn = coverage["scenario"].to_numpy(), coverage["function"].to_numpy()
    win, committed = coverage["window"].to_numpy(), coverage["committed"].to_numpy()
    providers = coverage["providers"].to_numpy()
    for k in gap:
        if committed[k] == 0:
            text = (
                f"Scenario {sid[k]!r} needs {_units(req[k])} of {fn[k]} within "
                f"{win[k]:g} h, and no filing provides it."
            )
        else:
            credible = _units(cred[k])
            commits = "commits" if len(set(providers[k])) == 1 else "commit"
            are = "are" if credible.endswith("units") else "is"
            text = (
                f"Scenario {sid[k]!r} needs {_units(req[k])} of {fn[k]} within {win[k]:g} h; "
                f"{_names(providers[k])} {commits} {_units(committed[k])}, of which "
                f"{credible} {are} credible (expected to be delivered): "
                f"{_units(req[k] - cred[k])} short."
            )
        out.append(Finding("gap", sid[k], fn[k], providers[k], text, float(req[k] - cred[k])))
    for k in over:
        text = (
            f"Scenario {sid[k]!r} needs {_units(req[k])} of {fn[k]}, and "
            f"{_names(providers[k])} credibly provide {_units(cred[k])} "
            f"({cred[k] / req[k]:.2g} times the requirement): redundant commitments."
        )
        out.append(Finding("overlap", sid[k], fn[k], providers[k], text, float(cred[k] - req[k])))
    return out


def _contradictions(registry, table: pd.DataFrame) -> list[Finding]:
    """A response suspending a service that another response in the same scenario requires."""
    out = []
    suspend: dict[tuple, list] = {}
    require: dict[tuple, list] = {}
    has = np.array(
        [
            bool(
                registry.filings[i].responses[j].suspends
                or registry.filings[i].responses[j].requires
            )
            for i, j in zip(table["filing"].to_numpy(), table["response"].to_numpy())
        ],
        dtype=bool,
    )
    for row in table[has].itertuples(index=False):
        r = registry.filings[row.filing].responses[row.response]
        for service in r.suspends:
            suspend.setdefault((row.scenario, service), []).append(row)
        for service in r.requires:
            require.setdefault((row.scenario, service), []).append(row)
    for key in sorted(set(suspend) & set(require)):
        k, service = key
        scenario = registry.scenarios[k].id
        for a in suspend[key]:
            for b in require[key]:
                if a.filing == b.filing and a.response == b.response:
                    continue
                fa, fb = registry.filings[a.filing], registry.filings[b.filing]
                text = (
                    f"In scenario {scenario!r}, {fa.actor!r} ({a.function}, filing "
                    f"{fa.id!r}) suspends {service!r}, which the {b.function} response of "
                    f"{fb.actor!r} (filing {fb.id!r}) requires."
                )
                out.append(
                    Finding(
                        "contradictory_actions", scenario, b.function, (fa.actor, fb.actor), text
                    )
                )
    return out


def _thresholds(registry, tolerance: float) -> list[Finding]:
    """Triggers on one indicator firing far apart on the scenario's nominal path."""
    out = []
    by_scenario: dict[str, list] = {}
    for filing in registry.filings:
        for sid in registry.addressed(filing):
            by_scenario.setdefault(sid, []).append(filing)
    for scenario in registry.scenarios:
        filings = by_scenario.get(scenario.id, [])
        if len(filings) < 2:
            continue
        shortest = min(f.window for f in scenario.functions)
        needed = {f.function for f in scenario.functions}
        for ind in scenario.indicators:
            times: dict[str, tuple[float, float, str, str]] = {}
            for filing in filings:
                for t in filing.triggers:
                    if t.indicator != ind.name:
                        continue
                    when = float(trigger_time(ind, t.comparator, t.threshold)[0])
                    key = filing.actor
                    if key not in times or when < times[key][0]:
                        fns = ", ".join(
                            r.function for r in filing.responses if r.function in needed
                        )
                        times[key] = (when, t.threshold, f"{t.comparator} {t.threshold:g}", fns)
            if len(times) < 2:
                continue
            early = min(times, key=lambda a: times[a][0])
            late = max(times, key=lambda a: times[a][0])
            delay = times[late][0] - times[early][0]
            if delay > tolerance * shortest * (1 + _TOL):
                when_late = (
                    "never" if math.isinf(times[late][0]) else f"about {times[late][0]:.3g} h in"
                )
                text = (
                    f"In scenario {scenario.id!r}, {early!r} triggers on {ind.name} "
                    f"{times[early][2]} (about {times[early][0]:.3g} h in) but {late!r} on "
                    f"{times[late][2]} ({when_late}): {late!r} acts "
                    f"{'never' if math.isinf(delay) else f'{delay:.3g} h later'}, beyond "
                    f"the scenario's shortest window of {shortest:g} h."
                )
                out.append(
                    Finding(
                        "incompatible_thresholds",
                        scenario.id,
                        times[late][3],
                        (early, late),
                        text,
                        float(delay),
                    )
                )
    return out


def _latencies(registry, table: pd.DataFrame) -> list[Finding]:
    total = table["latency"].to_numpy() + table["time_to_act"].to_numpy()
    window = table["window"].to_numpy()
    late = np.flatnonzero(np.nan_to_num(total - window, nan=-np.inf) > _TOL * window.clip(1))
    out = []
    filing_col, scenario_col = table["filing"].to_numpy(), table["scenario"].to_numpy()
    function_col, act_col = table["function"].to_numpy(), table["time_to_act"].to_numpy()
    for k in late:
        filing = registry.filings[filing_col[k]]
        scenario = registry.scenarios[scenario_col[k]]
        d = filing.decision
        chain = f" plus escalation to {_names(d.escalation)}" if d.escalation else ""
        text = (
            f"In scenario {scenario.id!r}, {filing.actor!r} (filing {filing.id!r}) delivers "
            f"{function_col[k]} only after {total[k]:.3g} h (decision up to "
            f"{d.max_latency:g} h{chain}, then {act_col[k]:g} h to act), beyond "
            f"the {window[k]:g} h window."
        )
        out.append(
            Finding(
                "latency_beyond_window",
                scenario.id,
                function_col[k],
                (filing.actor, *d.escalation),
                text,
                float(total[k] - window[k]),
            )
        )
    return out


def _escalation_components(names: list[str], edges: list[tuple[int, int]]):
    n = len(names)
    if not edges:
        return []
    src, dst = zip(*edges)
    graph = csr_matrix((np.ones(len(edges)), (src, dst)), shape=(n, n))
    n_comp, labels = connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=n_comp)
    return [np.flatnonzero(labels == c) for c in np.flatnonzero(sizes >= 2)]


def escalation_cycles(registry, filings) -> list[tuple[str, ...]]:
    """Groups of actors whose escalation paths (plans ``filings``) form a cycle.

    Edges run from a filer to its decision owner and to every actor on its escalation path;
    a strongly connected group of two or more actors is a cycle.
    """
    index: dict[str, int] = {}
    edges = []
    for filing in filings:
        a = index.setdefault(filing.actor, len(index))
        for other in (filing.decision.owner, *filing.decision.escalation):
            if other != filing.actor:
                edges.append((a, index.setdefault(other, len(index))))
    names = list(index)
    return [tuple(names[i] for i in comp) for comp in _escalation_components(names, edges)]


def _cycles(registry) -> list[Finding]:
    by_scenario: dict[str, list] = {}
    for filing in registry.filings:
        for sid in registry.addressed(filing):
            by_scenario.setdefault(sid, []).append(filing)
    out = []
    for scenario in registry.scenarios:
        filings = by_scenario.get(scenario.id, [])
        if not any(f.decision.escalation or f.decision.owner != f.actor for f in filings):
            continue
        for group in escalation_cycles(registry, filings):
            members = set(group)
            fns = ", ".join(
                dict.fromkeys(
                    r.function for f in filings if f.actor in members for r in f.responses
                )
            )
            text = (
                f"In scenario {scenario.id!r}, the escalation paths of {_names(group)} form "
                f"a cycle: each waits for another's decision, so none may decide."
            )
            out.append(
                Finding("circular_escalation", scenario.id, fns, group, text, float(len(group)))
            )
    return out


def _library(registry) -> list[Finding]:
    out = []
    addressed: set[str] = set()
    all_indicators = {i.name for s in registry.scenarios for i in s.indicators}
    for filing in registry.filings:
        ids = registry.addressed(filing)
        addressed.update(ids)
        for t in filing.triggers:
            if t.indicator not in all_indicators:
                text = (
                    f"{filing.actor!r} (filing {filing.id!r}) triggers on {t.indicator!r}, "
                    f"an indicator of no scenario in the library: the library may be too "
                    f"narrow."
                )
                fns = ", ".join(r.function for r in filing.responses)
                out.append(Finding("unmatched_trigger", "", fns, (filing.actor,), text))
        watched = {t.indicator for t in filing.triggers}
        for sid in filing.scenarios:
            scenario = registry.scenario(sid)
            if not any(i.name in watched for i in scenario.indicators):
                text = (
                    f"{filing.actor!r} (filing {filing.id!r}) names scenario {sid!r} but "
                    f"none of its triggers watches that scenario's indicators, so it never "
                    f"fires there."
                )
                fns = ", ".join(r.function for r in filing.responses)
                out.append(Finding("unmatched_trigger", sid, fns, (filing.actor,), text))
    for scenario in registry.scenarios:
        if scenario.id not in addressed:
            text = (
                f"No filing addresses scenario {scenario.id!r} ({scenario.domain}, "
                f"{scenario.severity}): the library may be too broad for the filers."
            )
            fns = ", ".join(f.function for f in scenario.functions)
            out.append(Finding("unaddressed_scenario", scenario.id, fns, (), text))
    return out
