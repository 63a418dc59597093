"""Read a registry file (TOML or JSON) into a validated :class:`Registry`.

Validation runs in stages and collects **every** problem, each with its dotted path, into one
:class:`~coordgap.errors.SpecError`: syntax (with line numbers); the shape of each record
(unknown keys with a did-you-mean, required fields, numbers and choices checked against the
parameters declared on the record classes); then cross references (unknown actors, roles,
response functions and scenarios), which are checked even for records that had other problems.

The layout (JSON has the same nesting)::

    [registry]                      # name, title, description, discount δ;
    roles = ["standards_body"]      # extra roles and response functions
    [actors.<name>]                 # role, share, liability, incentive, decision_latency
    [scenarios.<id>]                # domain, severity, harm, title, description
    [scenarios.<id>.indicators.<name>]   # start, threshold, rate, volatility, unit
    [scenarios.<id>.functions.<function>] # capacity, window, weight
    [[filings]]                     # id, actor, scenarios, bond, response_cost, cost_sigma,
    triggers = [{ indicator = "...", comparator = ">=", threshold = 1.0 }]
    [[filings.responses]]           # function, capacity, time_to_act, suspends, requires
    [filings.decision]              # owner, escalation, max_latency
    [[filings.resources]]           # resource, amount, unit

A number may also be written as a quantity ``{ value = 2.0, unit = "h", source = "..." }``.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..errors import CoordgapError, SpecError, did_you_mean
from ..files import parse_document, read_input
from ..params import parameters
from ..spec.problems import Problems as _Problems
from ..spec.problems import read_number
from .schema import (
    FUNCTIONS,
    ROLES,
    Actor,
    DecisionProcess,
    Filing,
    Indicator,
    Registry,
    RequiredFunction,
    ResourceCommitment,
    Response,
    Scenario,
    Trigger,
    cross_reference_problems,
)

__all__ = ["load_registry", "registry_from_dict", "SAMPLE_REGISTRY"]

SAMPLE_REGISTRY = "sample_registry.toml"

_SECTIONS = ("registry", "actors", "scenarios", "filings")
_REGISTRY_KEYS = ("name", "title", "description", "roles", "functions", "discount")
_TEXT_LISTS = {"scenarios", "escalation", "suspends", "requires"}


def _number(spec, value: Any, path: str, problems: _Problems) -> float | None:
    return read_number(spec, value, path, problems)


def _record(
    cls,
    table: Any,
    path: str,
    problems: _Problems,
    *,
    implicit: tuple = (),
    nested: dict | None = None,
) -> dict | None:
    """Check one table against the fields of ``cls``; return constructor kwargs or None.

    ``implicit`` fields come from the table's key (e.g. a scenario's id); ``nested`` maps a
    field name to a reader ``(value, path) -> value or None`` for sub-records.
    """
    nested = nested or {}
    if not isinstance(table, dict):
        problems.add(path, f"must be a table, got {table!r}")
        return None
    before = len(problems.items)
    fields = [f for f in dataclasses.fields(cls) if f.init and f.name not in implicit]
    known = {f.name for f in fields}
    problems.unknown(path, table.keys(), known)
    declared = parameters(cls)
    kwargs: dict[str, Any] = {}
    for f in fields:
        where = f"{path}.{f.name}"
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.name not in table:
            if required:
                problems.add(where, "is required")
            continue
        value = table[f.name]
        if f.name in nested:
            kwargs[f.name] = nested[f.name](value, where)
        elif f.name in declared:
            spec = declared[f.name]
            if spec.kind == "choice":
                if isinstance(value, str) and value in spec.choices:
                    kwargs[f.name] = value
                else:
                    problems.add(
                        where,
                        f"must be {spec.rule()}, got {value!r}. "
                        f"{did_you_mean(str(value), spec.choices)}",
                    )
            else:
                kwargs[f.name] = _number(spec, value, where, problems)
        elif f.name in _TEXT_LISTS:
            if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
                kwargs[f.name] = tuple(value)
            else:
                problems.add(where, f"must be a list of non-empty strings, got {value!r}")
        elif isinstance(value, str):
            kwargs[f.name] = value
        else:
            problems.add(where, f"must be a string, got {value!r}")
    if len(problems.items) > before:
        return None
    return kwargs


def _build(cls, kwargs: dict | None, path: str, problems: _Problems):
    if kwargs is None:
        return None
    try:
        return cls(**kwargs)
    except CoordgapError as exc:  # record-level rules (weights, duplicates, non-empty lists)
        problems.add(path, str(exc))
        return None


def _list_of(cls, value: Any, path: str, problems: _Problems, *, required: bool):
    if not isinstance(value, list) or (required and not value):
        problems.add(
            path, "must be a non-empty list of tables" if required else "must be a list of tables"
        )
        return None
    items = [
        _build(cls, _record(cls, v, f"{path}[{j}]", problems), f"{path}[{j}]", problems)
        for j, v in enumerate(value)
    ]
    return None if any(i is None for i in items) else tuple(items)


def _keyed(cls, value: Any, path: str, problems: _Problems, key_field: str):
    if not isinstance(value, dict) or not value:
        problems.add(path, "must be a non-empty table with one sub-table per entry")
        return None
    items = []
    for key, table in value.items():
        kwargs = _record(cls, table, f"{path}.{key}", problems, implicit=(key_field,))
        if kwargs is not None:
            kwargs[key_field] = key
        items.append(_build(cls, kwargs, f"{path}.{key}", problems))
    return None if any(i is None for i in items) else tuple(items)


def _scenario(sid: str, table: Any, problems: _Problems) -> Scenario | None:
    base = f"scenarios.{sid}"
    nested = {
        "indicators": lambda v, p: _keyed(Indicator, v, p, problems, "name"),
        "functions": lambda v, p: _keyed(RequiredFunction, v, p, problems, "function"),
    }
    kwargs = _record(Scenario, table, base, problems, implicit=("id",), nested=nested)
    if kwargs is not None:
        kwargs["id"] = sid
    return _build(Scenario, kwargs, base, problems)


def _filing(k: int, table: Any, problems: _Problems) -> Filing | None:
    base = f"filings[{k}]"
    nested = {
        "triggers": lambda v, p: _list_of(Trigger, v, p, problems, required=True),
        "responses": lambda v, p: _list_of(Response, v, p, problems, required=True),
        "resources": lambda v, p: _list_of(ResourceCommitment, v, p, problems, required=False),
        "decision": lambda v, p: _build(
            DecisionProcess, _record(DecisionProcess, v, p, problems), p, problems
        ),
    }
    return _build(Filing, _record(Filing, table, base, problems, nested=nested), base, problems)


def _strings(value: Any) -> tuple:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _outline(doc: dict) -> dict:
    """Duck-typed outlines of every record, for cross-reference checks of invalid records too."""

    def table(x):
        return x if isinstance(x, dict) else {}

    def text(x):
        return x if isinstance(x, str) else None

    actors = table(doc.get("actors"))
    scenarios = table(doc.get("scenarios"))
    filings = doc.get("filings")
    if not isinstance(filings, list):
        filings = []
    out_filings = []
    for f in filings:
        f = table(f)
        decision = table(f.get("decision"))
        responses = f.get("responses") if isinstance(f.get("responses"), list) else []
        out_filings.append(
            SimpleNamespace(
                id=text(f.get("id")),
                actor=text(f.get("actor")),
                role=text(f.get("role")),
                scenarios=_strings(f.get("scenarios")),
                responses=[
                    SimpleNamespace(function=text(table(r).get("function"))) for r in responses
                ],
                decision=SimpleNamespace(
                    owner=text(decision.get("owner")),
                    escalation=_strings(decision.get("escalation")),
                ),
            )
        )
    return {
        "actors": [
            SimpleNamespace(name=n, role=text(table(a).get("role"))) for n, a in actors.items()
        ],
        "scenarios": [
            SimpleNamespace(
                id=sid,
                functions=[SimpleNamespace(function=fn) for fn in table(table(s).get("functions"))],
            )
            for sid, s in scenarios.items()
        ],
        "filings": out_filings,
        "actor_roles": {n: text(table(a).get("role")) for n, a in actors.items()},
        "scenario_ids": set(scenarios),
    }


def _read(path: str | Path | None) -> tuple[str, bytes, str]:
    if path is None:
        data = resources.files("coordgap.data").joinpath(SAMPLE_REGISTRY).read_bytes()
        return f"coordgap:{SAMPLE_REGISTRY}", data, "toml"
    source, data = read_input(path)
    return source, data, "json" if Path(path).suffix.lower() == ".json" else "toml"


def _parse(source: str, data: bytes, fmt: str) -> dict:
    return parse_document(source, data, fmt)


def registry_from_dict(doc: dict, source: str = "<dict>") -> Registry:
    """Validate a parsed registry document (the nesting of a registry file) into a Registry.

    Parameters
    ----------
    doc : dict
        The parsed document: ``registry``, ``actors``, ``scenarios`` and ``filings`` sections.
    source : str
        Name of the document's origin, prefixed to every problem (default ``"<dict>"``).

    Returns
    -------
    Registry
        The validated registry.

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted path.

    Examples
    --------
    >>> doc = {"actors": {"lab": {"role": "ai_developr"}}, "scenarios": {}, "filings": []}
    >>> registry_from_dict(doc)
    Traceback (most recent call last):
    ...
    coordgap.errors.SpecError: 2 problems found:
    <dict>: scenarios: must be a non-empty table with one sub-table per entry
    <dict>: actors.lab.role: unknown role 'ai_developr'. Did you mean 'ai_developer'?
    """
    problems = _Problems()
    problems.unknown("", doc.keys(), _SECTIONS)
    meta = doc.get("registry", {})
    if not isinstance(meta, dict):
        problems.add("registry", "must be a table")
        meta = {}
    problems.unknown("registry", meta.keys(), _REGISTRY_KEYS)
    for key in ("name", "title", "description"):
        if key in meta and not isinstance(meta[key], str):
            problems.add(f"registry.{key}", f"must be a string, got {meta[key]!r}")
    extra: dict[str, tuple] = {}
    for key in ("roles", "functions"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.add(f"registry.{key}", f"must be a list of non-empty strings, got {value!r}")
            value = []
        extra[key] = tuple(value)
    # A float once every problem is reported (None marks an invalid value).
    discount: Any = Registry.__dataclass_fields__["discount"].default

    if "discount" in meta:
        discount = _number(
            parameters(Registry)["discount"], meta["discount"], "registry.discount", problems
        )

    actors = _keyed(Actor, doc.get("actors"), "actors", problems, "name")
    scenarios_raw = doc.get("scenarios")
    scenarios: list = []
    if not isinstance(scenarios_raw, dict) or not scenarios_raw:
        problems.add("scenarios", "must be a non-empty table with one sub-table per entry")
    else:
        scenarios = [_scenario(sid, t, problems) for sid, t in scenarios_raw.items()]
    filings_raw = doc.get("filings", [])
    filings: list = []
    if not isinstance(filings_raw, list):
        problems.add("filings", "must be a list of tables ([[filings]])")
    else:
        filings = [_filing(k, t, problems) for k, t in enumerate(filings_raw)]

    outline = _outline(doc)
    roles = ROLES + tuple(r for r in extra["roles"] if r not in ROLES)
    functions = FUNCTIONS + tuple(f for f in extra["functions"] if f not in FUNCTIONS)
    problems.items += cross_reference_problems(
        outline["actors"],
        outline["scenarios"],
        outline["filings"],
        roles,
        functions,
        actor_roles=outline["actor_roles"],
        scenario_ids=outline["scenario_ids"],
    )
    if problems.items:
        raise SpecError(source, problems.items)
    return Registry(
        actors=actors,
        scenarios=tuple(scenarios),
        filings=tuple(filings),
        roles=extra["roles"],
        functions=extra["functions"],
        discount=discount,
        name=meta.get("name", Path(source).stem if source[0] != "<" else "registry"),
        title=meta.get("title", ""),
        description=meta.get("description", "").strip(),
        source=source,
    )


def load_registry(path: str | Path | None = None) -> Registry:
    """Read and validate a registry file, TOML or JSON (no path: the packaged sample registry).

    The format follows the suffix: ``.json`` is JSON, anything else TOML.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The registry file (default: the packaged sample registry).

    Returns
    -------
    Registry
        The validated registry.

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted path.

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> reg.name, len(reg.filings) > 20
    ('sample', True)
    """
    source, data, fmt = _read(path)
    return registry_from_dict(_parse(source, data, fmt), source)
