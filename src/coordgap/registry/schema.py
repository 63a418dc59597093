"""The registry's records: scenarios, actors, filings and the registry itself (docs/guide/m6-registry.md).

A **scenario** of the library says how an incident announces itself (indicators, each moving
toward the scenario's threshold at a rate, with volatility), how severe it is (a class on an
incident-classification ladder) and which **response functions** it needs, each with a required
capacity and a time window counted from the scenario's onset.

A **filing** is one actor's if-then plan: triggers ``(indicator, comparator, threshold)``,
responses ``(function, capacity, time to act)``, resource commitments, a decision process
(decision owner, escalation path naming other actors, maximum decision latency) and the bond
posted. Its credibility — the probability that the actor honours it when it fires — comes from
the commitment model (M3, :class:`~coordgap.CommitmentModel`): the actor honours iff its
realized response cost A (lognormal with median ``response_cost`` and log-scale ``cost_sigma``)
is at most its stake b + L + δ/(1−δ)·I + s·ΔB (bond, liability, discounted registry incentives,
own share of the benefit ΔB of its response in the scenario).

Every record is a frozen value validated on construction; the :class:`Registry` checks the cross
references (actors, roles, functions, scenarios, escalation paths) and reports every problem at
once in a :class:`~coordgap.errors.SpecError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvalidParameterError, SpecError, did_you_mean
from ..params import param, validate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DOMAINS",
    "ROLES",
    "SEVERITY",
    "FUNCTIONS",
    "COMPARATORS",
    "Indicator",
    "RequiredFunction",
    "Scenario",
    "Actor",
    "Trigger",
    "Response",
    "ResourceCommitment",
    "DecisionProcess",
    "Filing",
    "Registry",
]

DOMAINS = ("technical", "economic", "security", "cross_domain")
ROLES = (
    "ai_developer",
    "cloud_provider",
    "government_agency",
    "infrastructure_operator",
    "civil_society",
)
#: Incident-classification ladder, least to most severe (level 1 to 5).
SEVERITY = ("anomaly", "incident", "serious", "major", "critical")
#: Standard response functions; a registry file may declare more.
FUNCTIONS = (
    "model_rollback",
    "access_restriction",
    "compute_suspension",
    "infrastructure_isolation",
    "information_sharing",
    "public_communication",
    "incident_investigation",
    "service_continuity",
    "law_enforcement_referral",
    "user_support",
)
COMPARATORS = (">=", ">", "<=", "<")


def _text(owner: str, name: str, value, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise InvalidParameterError(
            owner, name, "a string" if empty else "a non-empty string", value
        )
    return value


def _texts(owner: str, name: str, value) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(v, str) and v for v in value):
        raise InvalidParameterError(owner, name, "a sequence of non-empty strings", value)
    return tuple(value)


def _records(owner: str, name: str, value, cls) -> tuple:
    items = tuple(value)
    if not all(isinstance(v, cls) for v in items):
        raise InvalidParameterError(owner, name, f"a sequence of {cls.__name__} records", value)
    return items


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, slots=True, eq=False)
class Indicator:
    """An observable that moves toward the scenario's threshold.

    In a tabletop exercise the indicator follows a Brownian motion with drift ``rate`` toward
    ``threshold`` and volatility ``volatility``; the scenario's onset is the first time any of
    its indicators reaches its threshold.

    Parameters
    ----------
    name : str
        Name of the observable, referred to by triggers.
    start : float
        Level at the start of an exercise (indicator unit).
    threshold : float
        Level at which the scenario begins (indicator unit).
    rate : float
        μ > 0, drift toward the threshold (indicator unit per h; default 1).
    volatility : float
        σ ≥ 0, volatility of the indicator path (indicator unit per √h; default 0).
    unit : str
        The indicator unit, for display (default ``""``).

    Examples
    --------
    >>> Indicator("egress_gb_per_hour", start=0.0, threshold=50.0, rate=10.0).direction
    1
    """

    name: str
    start: float = param(unit="indicator unit", doc="level at the start of an exercise")
    threshold: float = param(unit="indicator unit", doc="level at which the scenario begins")
    rate: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="indicator unit per h",
        symbol="μ",
        doc="drift toward the threshold",
    )
    volatility: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="indicator unit per √h",
        symbol="σ",
        doc="volatility of the indicator path",
    )
    unit: str = ""

    def __post_init__(self):
        _text("Indicator", "name", self.name)
        _text("Indicator", "unit", self.unit, empty=True)
        validate(self)

    @property
    def direction(self) -> int:
        """+1 if the indicator rises toward its threshold, −1 if it falls."""
        return 1 if self.threshold >= self.start else -1


@dataclass(frozen=True, slots=True, eq=False)
class RequiredFunction:
    """A response function a scenario needs: capacity, window after onset, share of harm averted.

    ``weight`` is the share of the scenario's harm the function averts when fully delivered in
    its window (``None``: an equal share of what the other functions leave).

    Parameters
    ----------
    function : str
        Name of the response function (standard or declared by the registry).
    capacity : float
        Q > 0, required capacity (capacity units).
    window : float
        W > 0, time window after the scenario's onset (h).
    weight : float, optional
        ω ∈ [0, 1], share of the scenario's harm averted (default None: an equal share of the
        rest).
    """

    function: str
    capacity: float = param(
        bounds=(0, math.inf),
        closed="neither",
        unit="capacity units",
        symbol="Q",
        doc="required capacity",
    )
    window: float = param(
        bounds=(0, math.inf), closed="neither", unit="h", symbol="W", doc="time window after onset"
    )
    weight: float | None = param(
        None, bounds=(0, 1), unit="1", symbol="ω", doc="share of the scenario harm averted"
    )

    def __post_init__(self):
        _text("RequiredFunction", "function", self.function)
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class Scenario:
    """One scenario of the library (docs/guide/m6-registry.md).

    Parameters
    ----------
    id : str
        Identifier used by filings.
    domain : {"technical", "economic", "security", "cross_domain"}
        Domain of the scenario.
    severity : {"anomaly", "incident", "serious", "major", "critical"}
        Class on the incident-classification ladder (levels 1 to 5).
    indicators : sequence of Indicator
        Observables that announce the scenario (non-empty, distinct names).
    functions : sequence of RequiredFunction
        Response functions it needs (non-empty, distinct).
    harm : float
        H ≥ 0, harm if no required function is delivered (USD m).
    title, description : str
        Free text for reports (default ``""``).

    Examples
    --------
    >>> s = Scenario("s1", "security", "major",
    ...              indicators=[Indicator("egress", start=0.0, threshold=10.0)],
    ...              functions=[RequiredFunction("infrastructure_isolation", capacity=1.0,
    ...                                          window=6.0)], harm=100.0)
    >>> s.severity_level, s.weights
    (4, (1.0,))
    """

    id: str
    domain: str = param(kind="choice", choices=DOMAINS, doc="domain of the scenario")
    severity: str = param(kind="choice", choices=SEVERITY, doc="incident classification")
    indicators: tuple = ()
    functions: tuple = ()
    harm: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="H",
        doc="harm if no required function is delivered",
    )
    title: str = ""
    description: str = ""
    weights: tuple = field(init=False, repr=False, default=())

    def __post_init__(self):
        _text("Scenario", "id", self.id)
        _set(self, "indicators", _records("Scenario", "indicators", self.indicators, Indicator))
        _set(self, "functions", _records("Scenario", "functions", self.functions, RequiredFunction))
        validate(self)
        if not self.indicators:
            raise InvalidParameterError("Scenario", "indicators", "non-empty", ())
        if not self.functions:
            raise InvalidParameterError("Scenario", "functions", "non-empty", ())
        for attr, names in (
            ("indicators", [i.name for i in self.indicators]),
            ("functions", [f.function for f in self.functions]),
        ):
            if len(set(names)) != len(names):
                raise InvalidParameterError("Scenario", attr, "free of duplicate names", names)
        given = [f.weight for f in self.functions if f.weight is not None]
        if sum(given) > 1 + 1e-9:
            raise InvalidParameterError(
                "Scenario",
                "functions",
                "weights summing to at most 1",
                f"a sum of {sum(given):.6g}",
            )
        missing = len(self.functions) - len(given)
        rest = max(0.0, 1.0 - sum(given)) / missing if missing else 0.0
        _set(
            self,
            "weights",
            tuple(f.weight if f.weight is not None else rest for f in self.functions),
        )

    @property
    def severity_level(self) -> int:
        """Level on the incident-classification ladder, 1 (anomaly) to 5 (critical)."""
        return SEVERITY.index(self.severity) + 1

    def function(self, name: str) -> RequiredFunction | None:
        """The required function called ``name`` (None if the scenario does not need it).

        Parameters
        ----------
        name : str
            Name of a response function.

        Returns
        -------
        RequiredFunction or None
            The scenario's requirement for that function.
        """
        return next((f for f in self.functions if f.function == name), None)


@dataclass(frozen=True, slots=True, eq=False)
class Actor:
    """An actor who may file plans, with the parameters of its commitment (M3).

    Parameters
    ----------
    name, role : str
        Role: one of the five standard roles or one declared by the registry.
    share : float
        s ∈ (0, 1], share of the benefit of its own response that the actor internalizes
        (default 1, as in :class:`~coordgap.CommitmentModel`).
    liability : float
        L ≥ 0, liability incurred by not honouring a filing (USD m).
    incentive : float
        I ≥ 0, registry incentives per period lost on expulsion (USD m per period); weighted
        by δ/(1−δ) with the registry's discount factor δ.
    decision_latency : float
        Hours the actor needs to decide when a plan escalates to it.
    description : str
        Free text for reports (default ``""``).
    """

    name: str
    role: str
    share: float = param(
        1.0, bounds=(0, 1), closed="right", unit="1", symbol="s", doc="benefit share internalized"
    )
    liability: float = param(
        0.0, bounds=(0, math.inf), unit="USD m", symbol="L", doc="liability for not honouring"
    )
    incentive: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m per period",
        symbol="I",
        doc="registry incentives lost on expulsion",
    )
    decision_latency: float = param(
        0.0, bounds=(0, math.inf), unit="h", doc="decision latency when escalated to"
    )
    description: str = ""

    def __post_init__(self):
        _text("Actor", "name", self.name)
        _text("Actor", "role", self.role)
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class Trigger:
    """``indicator comparator threshold``, e.g. ``egress >= 40``.

    Parameters
    ----------
    indicator : str
        Name of the watched indicator.
    comparator : {">=", ">", "<=", "<"}
        How the indicator's level is compared with ``threshold``.
    threshold : float
        Trigger level (indicator unit).
    """

    indicator: str
    comparator: str = param(kind="choice", choices=COMPARATORS, doc="comparison")
    threshold: float = param(unit="indicator unit", doc="trigger level")

    def __post_init__(self):
        _text("Trigger", "indicator", self.indicator)
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class Response:
    """One response of a filing: function, capacity, time to act, services suspended/required.

    Parameters
    ----------
    function : str
        Response function delivered.
    capacity : float
        q > 0, committed capacity (capacity units).
    time_to_act : float
        Time from decision to delivery (h, ≥ 0; default 0).
    suspends : sequence of str
        Services the response suspends (default none).
    requires : sequence of str
        Services the response needs to keep running (default none).
    """

    function: str
    capacity: float = param(
        bounds=(0, math.inf),
        closed="neither",
        unit="capacity units",
        symbol="q",
        doc="committed capacity",
    )
    time_to_act: float = param(
        0.0, bounds=(0, math.inf), unit="h", doc="time from decision to delivery"
    )
    suspends: tuple = ()
    requires: tuple = ()

    def __post_init__(self):
        _text("Response", "function", self.function)
        _set(self, "suspends", _texts("Response", "suspends", self.suspends))
        _set(self, "requires", _texts("Response", "requires", self.requires))
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class ResourceCommitment:
    """A resource the filer commits (staff, compute, funds), with amount and unit.

    Parameters
    ----------
    resource : str
        What is committed.
    amount : float
        Amount committed (≥ 0, in ``unit``).
    unit : str
        Unit of ``amount`` (default ``""``).
    """

    resource: str
    amount: float = param(bounds=(0, math.inf), doc="amount committed")
    unit: str = ""

    def __post_init__(self):
        _text("ResourceCommitment", "resource", self.resource)
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class DecisionProcess:
    """Who decides (``owner``), whom they escalate to (in order) and the maximum latency (h).

    Parameters
    ----------
    owner : str
        Who decides for the filer (a person or office; free text).
    escalation : sequence of str
        Names of the actors the decision escalates to, in order (default none).
    max_latency : float
        Maximum decision latency of the owner (h, ≥ 0; default 0).
    """

    owner: str
    escalation: tuple = ()
    max_latency: float = param(
        0.0, bounds=(0, math.inf), unit="h", doc="maximum decision latency of the owner"
    )

    def __post_init__(self):
        _text("DecisionProcess", "owner", self.owner)
        _set(self, "escalation", _texts("DecisionProcess", "escalation", self.escalation))
        validate(self)


@dataclass(frozen=True, slots=True, eq=False)
class Filing:
    """One actor's if-then response plan.

    Parameters
    ----------
    id, actor : str
        Identifier of the filing and name of the filing actor.
    triggers : sequence of Trigger
        The plan fires when any trigger holds.
    responses : sequence of Response
        What the actor does when the plan fires (non-empty).
    decision : DecisionProcess
        Who decides, and the escalation path.
    scenarios : sequence of str
        Scenarios the plan addresses; empty: every scenario with an indicator it triggers on.
    resources : sequence of ResourceCommitment
        Resources committed (default none).
    bond : float
        b ≥ 0, bond forfeited if the plan is not honoured (USD m).
    response_cost : float
        Median of the realized response cost A (USD m); A is lognormal.
    cost_sigma : float
        Log-scale σ > 0 of A.
    role : str, optional
        The actor's role; filled in from the actor by the registry.
    """

    id: str
    actor: str
    triggers: tuple
    responses: tuple
    decision: DecisionProcess
    scenarios: tuple = ()
    resources: tuple = ()
    bond: float = param(0.0, bounds=(0, math.inf), unit="USD m", symbol="b", doc="bond posted")
    response_cost: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="A",
        doc="median realized response cost",
    )
    cost_sigma: float = param(
        0.5,
        bounds=(0, math.inf),
        closed="neither",
        unit="1",
        symbol="σ_A",
        doc="log-scale of the response cost",
    )
    role: str | None = None

    def __post_init__(self):
        _text("Filing", "id", self.id)
        _text("Filing", "actor", self.actor)
        if self.role is not None:
            _text("Filing", "role", self.role)
        _set(self, "triggers", _records("Filing", "triggers", self.triggers, Trigger))
        _set(self, "responses", _records("Filing", "responses", self.responses, Response))
        _set(self, "resources", _records("Filing", "resources", self.resources, ResourceCommitment))
        _set(self, "scenarios", _texts("Filing", "scenarios", self.scenarios))
        if not isinstance(self.decision, DecisionProcess):
            raise InvalidParameterError("Filing", "decision", "a DecisionProcess", self.decision)
        validate(self)
        if not self.triggers:
            raise InvalidParameterError("Filing", "triggers", "non-empty", ())
        if not self.responses:
            raise InvalidParameterError("Filing", "responses", "non-empty", ())


def cross_reference_problems(
    actors,
    scenarios,
    filings,
    roles,
    functions,
    actor_roles: dict | None = None,
    scenario_ids: set | None = None,
) -> list[str]:
    """Every cross-reference problem, each with its dotted path (actors, roles, functions, ...).

    ``actor_roles`` and ``scenario_ids`` may name records that failed to load, so that their
    references are not reported a second time.
    """
    problems: list[str] = []
    roles = tuple(roles)
    functions = tuple(functions)
    if actor_roles is None:
        actor_roles = {}
        for a in actors:
            if a.name in actor_roles:
                problems.append(f"actors.{a.name}: duplicate actor name")
            actor_roles[a.name] = a.role
    if scenario_ids is None:
        scenario_ids = set()
        for s in scenarios:
            if s.id in scenario_ids:
                problems.append(f"scenarios.{s.id}: duplicate scenario id")
            scenario_ids.add(s.id)
    actor_names = sorted(actor_roles)
    function_set = set(functions)
    for a in actors:
        if a.role is not None and a.role not in roles:
            problems.append(
                f"actors.{a.name}.role: unknown role {a.role!r}. {did_you_mean(a.role, roles)}"
            )
    for s in scenarios:
        for f in s.functions:
            if f.function is not None and f.function not in function_set:
                problems.append(
                    f"scenarios.{s.id}.functions.{f.function}: unknown response "
                    f"function. {did_you_mean(f.function, functions)}"
                )
    seen: set[str] = set()
    for k, filing in enumerate(filings):
        base = f"filings[{k}]"
        if filing.id is not None and filing.id in seen:
            problems.append(f"{base}.id: duplicate filing id {filing.id!r}")
        seen.add(filing.id)
        if filing.actor is None:
            pass
        elif filing.actor not in actor_roles:
            problems.append(
                f"{base}.actor: unknown actor {filing.actor!r}. "
                f"{did_you_mean(filing.actor, actor_names)}"
            )
        elif (
            filing.role is not None
            and actor_roles[filing.actor] is not None
            and filing.role != actor_roles[filing.actor]
        ):
            problems.append(
                f"{base}.role: {filing.role!r} differs from the role of actor "
                f"{filing.actor!r} ({actor_roles[filing.actor]!r})"
            )
        for j, sid in enumerate(filing.scenarios):
            if sid not in scenario_ids:
                problems.append(
                    f"{base}.scenarios[{j}]: unknown scenario {sid!r}. "
                    f"{did_you_mean(sid, sorted(scenario_ids))}"
                )
        for j, r in enumerate(filing.responses):
            if r.function is not None and r.function not in function_set:
                problems.append(
                    f"{base}.responses[{j}].function: unknown response function "
                    f"{r.function!r}. {did_you_mean(r.function, functions)}"
                )
        d = filing.decision
        if d.owner is not None and d.owner not in actor_roles:
            problems.append(
                f"{base}.decision.owner: unknown actor {d.owner!r}. "
                f"{did_you_mean(d.owner, actor_names)}"
            )
        for j, name in enumerate(d.escalation):
            if name not in actor_roles:
                problems.append(
                    f"{base}.decision.escalation[{j}]: unknown actor {name!r}. "
                    f"{did_you_mean(name, actor_names)}"
                )
    return problems


@dataclass(frozen=True, slots=True, eq=False)
class Registry:
    """A scenario library with the filed response plans (docs/guide/m6-registry.md).

    Parameters
    ----------
    actors : sequence of Actor
        Actors who may file.
    scenarios : sequence of Scenario
        The scenario library.
    filings : sequence of Filing
        The filed response plans.
    roles : sequence of str
        User-defined roles, in addition to the five standard ones.
    functions : sequence of str
        User-defined response functions, in addition to the standard ones.
    discount : float
        δ ∈ [0, 1), the discount factor of the repeated relationship between the registry and
        its filers: registry incentives lost on expulsion weigh δ/(1−δ) (default 0.9).
    name, title, description, source : str
        Name (default ``"registry"``), free text, and where the registry was read from.

    Raises
    ------
    SpecError
        Listing every cross-reference problem (unknown actor, role, function or scenario).

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> len(reg.scenarios), len(reg.actors), sorted({s.domain for s in reg.scenarios})
    (12, 20, ['cross_domain', 'economic', 'security', 'technical'])
    >>> reg.actors_frame().columns.tolist()
    ['actor', 'role', 'n_filings', 'committed_capacity', 'bond', 'share', 'liability', 'incentive']
    """

    actors: tuple
    scenarios: tuple
    filings: tuple
    roles: tuple = ()
    functions: tuple = ()
    discount: float = param(
        0.9,
        bounds=(0, 1),
        closed="left",
        unit="1",
        symbol="δ",
        doc="discount factor of the repeated relationship",
    )
    name: str = "registry"
    title: str = ""
    description: str = ""
    source: str = "<python>"
    # Both indexes are set in __post_init__.
    _actor_index: dict = field(init=False, repr=False, default=None)  # type: ignore[arg-type]
    _scenario_index: dict = field(init=False, repr=False, default=None)  # type: ignore[arg-type]

    def __post_init__(self):
        _set(self, "actors", _records("Registry", "actors", self.actors, Actor))
        _set(self, "scenarios", _records("Registry", "scenarios", self.scenarios, Scenario))
        _set(self, "filings", _records("Registry", "filings", self.filings, Filing))
        _set(self, "roles", _texts("Registry", "roles", self.roles))
        _set(self, "functions", _texts("Registry", "functions", self.functions))
        validate(self)
        problems = cross_reference_problems(
            self.actors, self.scenarios, self.filings, self.all_roles, self.all_functions
        )
        if problems:
            raise SpecError(self.source, problems)
        actor_index = {a.name: a for a in self.actors}
        for filing in self.filings:
            if filing.role is None:
                _set(filing, "role", actor_index[filing.actor].role)
        _set(self, "_actor_index", actor_index)
        _set(self, "_scenario_index", {s.id: s for s in self.scenarios})

    @property
    def all_roles(self) -> tuple[str, ...]:
        """The five standard roles followed by the user-defined ones."""
        return ROLES + tuple(r for r in self.roles if r not in ROLES)

    @property
    def all_functions(self) -> tuple[str, ...]:
        """The standard response functions followed by the user-defined ones."""
        return FUNCTIONS + tuple(f for f in self.functions if f not in FUNCTIONS)

    def actor(self, name: str) -> Actor:
        """The actor called ``name``.

        Parameters
        ----------
        name : str
            Name of an actor of the registry.

        Returns
        -------
        Actor
            The actor (an unknown name raises InvalidParameterError).
        """
        try:
            return self._actor_index[name]
        except KeyError:
            raise InvalidParameterError(
                "Registry.actor",
                "name",
                "the name of an actor",
                name,
                did_you_mean(name, sorted(self._actor_index)),
            ) from None

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with id ``scenario_id``.

        Parameters
        ----------
        scenario_id : str
            Id of a scenario of the library.

        Returns
        -------
        Scenario
            The scenario (an unknown id raises InvalidParameterError).
        """
        try:
            return self._scenario_index[scenario_id]
        except KeyError:
            raise InvalidParameterError(
                "Registry",
                "scenario_id",
                "the id of a scenario in the library",
                scenario_id,
                did_you_mean(str(scenario_id), sorted(self._scenario_index)),
            ) from None

    def addressed(self, filing: Filing) -> tuple[str, ...]:
        """Ids of the scenarios a filing addresses.

        Its listed scenarios, or if it lists none, every scenario with an indicator one of
        its triggers watches.

        Parameters
        ----------
        filing : Filing
            A filing of the registry.

        Returns
        -------
        tuple of str
            Scenario ids.
        """
        if filing.scenarios:
            return filing.scenarios
        watched = {t.indicator for t in filing.triggers}
        return tuple(s.id for s in self.scenarios if any(i.name in watched for i in s.indicators))

    def responses(self, scenario_id: str | None = None):
        """One row per (filing, addressed scenario, response) with its credibility there.

        See :func:`coordgap.registry.checks.response_table` for the columns.

        Parameters
        ----------
        scenario_id : str, optional
            Only the rows of this scenario.

        Returns
        -------
        pandas.DataFrame
        """
        from .checks import response_table

        return response_table(self, scenario_id)

    def check(self, **tolerances):
        """Coverage, gaps, overlaps, conflicts and library diagnostics (see
        :func:`coordgap.registry.checks.check`).

        Parameters
        ----------
        **tolerances
            ``gap_tolerance``, ``overlap_tolerance`` and ``threshold_tolerance``, as in
            :func:`~coordgap.registry.checks.check`.

        Returns
        -------
        RegistryReport
            The findings and summary counts.
        """
        from .checks import check

        return check(self, **tolerances)

    def tabletop(self, scenario_id: str, n_runs: int = 1000, *, rng=None, **options):
        """Monte Carlo tabletop exercise of one scenario (see
        :func:`coordgap.registry.tabletop.tabletop`).

        Parameters
        ----------
        scenario_id : str
            Id of the scenario exercised.
        n_runs : int
            Number of simulated runs (default 1000).
        rng : int, Generator or None
            Seed; the same seed gives the same result.
        **options
            Further options of :func:`~coordgap.registry.tabletop.tabletop`
            (``latency_spread``).

        Returns
        -------
        TabletopResult
            Time to response, coordination probability and residual harm.
        """
        from .tabletop import tabletop

        return tabletop(self, scenario_id, n_runs, rng=rng, **options)

    def review(self, result, **options):
        """Review the registry after a tabletop exercise or an incident (see
        :func:`coordgap.registry.reviews.review`).

        Parameters
        ----------
        result : TabletopResult or Incident
            What is reviewed.
        **options
            Further options of :func:`~coordgap.registry.reviews.review` (``stale``,
            ``tolerance``, ``split_ratio``).

        Returns
        -------
        Review
            The proposed revisions and the revised registry.
        """
        from .reviews import review

        return review(self, result, **options)

    def commitment_model(self, scenario_id: str):
        """The commitment model (M3, :class:`~coordgap.CommitmentModel`) of the plans that
        address a scenario: one actor per plan, with its capacity in the functions the scenario
        needs, bond, liability, incentive, share, benefit ΔB and response-cost distribution;
        the required capacity is the scenario's total (see
        :func:`coordgap.registry.checks.scenario_commitment_model`).

        Parameters
        ----------
        scenario_id : str
            Id of a scenario of the library.

        Returns
        -------
        CommitmentModel
            One actor per plan that addresses the scenario.

        Examples
        --------
        >>> import coordgap as cg
        >>> m = cg.load_registry().commitment_model("grid_intrusion")
        >>> m.n_actors, m.required
        (4, 7.0)
        """
        from .checks import scenario_commitment_model

        return scenario_commitment_model(self, scenario_id)

    def policy_model(self, base=None):
        """A :class:`~coordgap.PolicyModel` of the registry's actors, so incentive designs can
        be compared on the registry (see :func:`coordgap.registry.incentives.registry_policy_model`).

        Parameters
        ----------
        base : ModelSpec, optional
            Role-level calibration (default: :func:`coordgap.load_model`).

        Returns
        -------
        PolicyModel
            One actor per registry actor.
        """
        from .incentives import registry_policy_model

        return registry_policy_model(self, base)

    def actors_frame(self) -> pd.DataFrame:
        """Per-actor table: role, number of filings, committed capacity, bond and the
        commitment parameters (share, liability, incentive).

        These are the per-actor inputs of the participation and credibility models: committed
        capacity q_i (summed over the actor's filings and responses), bond b_i and the terms of
        its stake.

        Returns
        -------
        pandas.DataFrame
            One row per actor; columns ``actor``, ``role``, ``n_filings``,
            ``committed_capacity`` (capacity units), ``bond`` (USD m), ``share``, ``liability``
            (USD m) and ``incentive`` (USD m per period).
        """
        names = [a.name for a in self.actors]
        position = {n: k for k, n in enumerate(names)}
        n_filings = np.zeros(len(names), dtype=int)
        capacity = np.zeros(len(names))
        bond = np.zeros(len(names))
        for filing in self.filings:
            k = position[filing.actor]
            n_filings[k] += 1
            capacity[k] += sum(r.capacity for r in filing.responses)
            bond[k] += filing.bond
        import pandas as pd  # pandas loads when a table is asked for

        return pd.DataFrame(
            {
                "actor": names,
                "role": [a.role for a in self.actors],
                "n_filings": n_filings,
                "committed_capacity": capacity,
                "bond": bond,
                "share": [a.share for a in self.actors],
                "liability": [a.liability for a in self.actors],
                "incentive": [a.incentive for a in self.actors],
            }
        )
