"""Load a TOML model file into a validated :class:`ModelSpec`.

A model file holds numbers, units and sources — never formulas. Validation runs in stages
(TOML syntax with line numbers; unknown keys with a did-you-mean; parameter rules taken from the
declared parameters of the model classes; cross-section rules) and collects **every** problem,
each with its dotted path, into one :class:`~coordgap.errors.SpecError`.

A number is written either plainly (``prob = 0.1``) or as a quantity with its unit and source
(``prob = { value = 0.1, unit = "1 per year", source = "illustrative" }``).
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SpecError, did_you_mean
from ..games.preparedness import PreparednessGame
from ..params import parameters

__all__ = ["ActorGroup", "ModelSpec", "load_model", "DEFAULT_MODEL"]

DEFAULT_MODEL = "default_model.toml"

_SECTIONS = {"model", "preparedness", "actors"}
_MODEL_KEYS = {"name", "title", "description"}
_GAME_KEYS = ("prob", "harm", "efficacy", "cost_exponent", "aggregator", "ces_rho", "baseline")
_ACTOR_KEYS = ("count", "share", "cost", "weight", "names")
_QUANTITY_KEYS = {"value", "unit", "source"}


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Actors of one role: ``count`` identical actors (per-actor values are scalars)."""

    role: str
    count: int
    share: float
    cost: float
    weight: float = 1.0
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class ModelSpec:
    """A validated model file.

    Attributes
    ----------
    source : str
        Where the model came from (file path, or ``"coordgap:default_model.toml"``).
    sha256 : str
        SHA-256 of the file's bytes (for figure provenance).
    name, title, description : str
    preparedness : dict
        Game-level parameters of the preparedness game (plain values).
    actors : tuple of ActorGroup
    units, sources : dict
        Dotted path → unit / source of every quantity that declared one.
    """

    source: str
    sha256: str
    name: str
    title: str
    description: str
    preparedness: dict
    actors: tuple[ActorGroup, ...]
    units: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    @property
    def n_actors(self) -> int:
        return sum(g.count for g in self.actors)

    def preparedness_game(self, **overrides) -> PreparednessGame:
        """The preparedness game (M1) of this model; keyword overrides replace parameters."""
        share, cost, weight, names, roles = [], [], [], [], []
        for group in self.actors:
            share += [group.share] * group.count
            cost += [group.cost] * group.count
            weight += [group.weight] * group.count
            roles += [group.role] * group.count
            names += list(group.names) if group.names else (
                [group.role] if group.count == 1 else
                [f"{group.role} {k + 1}" for k in range(group.count)])
        kwargs: dict[str, Any] = dict(self.preparedness)
        kwargs.update(share=np.array(share), cost=np.array(cost), weight=np.array(weight),
                      names=tuple(names), roles=tuple(roles))
        kwargs.update(overrides)
        return PreparednessGame(**kwargs)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, text: str) -> None:
        self.items.append(f"{path}: {text}")

    def unknown(self, path: str, keys, known) -> None:
        for key in keys:
            if key not in known:
                self.add(f"{path}.{key}" if path else key,
                         f"unknown key. {did_you_mean(key, sorted(known))}")


def _quantity(value: Any, path: str, problems: _Problems, units: dict, sources: dict) -> Any:
    if isinstance(value, dict):
        problems.unknown(path, value.keys(), _QUANTITY_KEYS)
        if "value" not in value:
            problems.add(path, "a quantity table needs a 'value' key")
            return None
        if "unit" in value:
            units[path] = str(value["unit"])
        if "source" in value:
            sources[path] = str(value["source"])
        return value["value"]
    return value


def _check_number(spec, value: Any, path: str, problems: _Problems) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(path, f"must be {spec.rule().replace(' for every actor', '')}, "
                           f"got {value!r}")
        return None
    if not spec.admits(np.array([float(value)]))[0]:
        problems.add(path, f"must be {spec.rule().replace(' for every actor', '')}, "
                           f"got {value!r}")
        return None
    return float(value)


def _read(path: str | Path | None) -> tuple[str, bytes]:
    if path is None:
        data = resources.files("coordgap.data").joinpath(DEFAULT_MODEL).read_bytes()
        return f"coordgap:{DEFAULT_MODEL}", data
    p = Path(path)
    try:
        return str(p), p.read_bytes()
    except OSError as exc:
        raise SpecError(str(p), [f"cannot read the file: {exc.strerror or exc}"]) from None


def load_model(path: str | Path | None = None) -> ModelSpec:
    """Read and validate a TOML model file (no path: the packaged default model).

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted path.

    Examples
    --------
    >>> import coordgap as cg
    >>> spec = cg.load_model()
    >>> spec.name, spec.n_actors
    ('default', 58)
    >>> spec.units["preparedness.harm"]
    'USD m'
    """
    source, data = _read(path)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SpecError(source, ["the file is not valid UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(source, [f"TOML syntax error: {exc}"]) from None
    problems = _Problems()
    units: dict[str, str] = {}
    sources: dict[str, str] = {}
    problems.unknown("", doc.keys(), _SECTIONS)

    meta = doc.get("model", {})
    if not isinstance(meta, dict):
        problems.add("model", "must be a table")
        meta = {}
    problems.unknown("model", meta.keys(), _MODEL_KEYS)

    declared = parameters(PreparednessGame)
    game: dict[str, Any] = {}
    section = doc.get("preparedness", {})
    if not isinstance(section, dict):
        problems.add("preparedness", "must be a table")
        section = {}
    problems.unknown("preparedness", section.keys(), _GAME_KEYS)
    for key in _GAME_KEYS:
        if key not in section:
            continue
        path_ = f"preparedness.{key}"
        value = _quantity(section[key], path_, problems, units, sources)
        spec = declared[key]
        if value is None:
            continue
        if spec.kind == "choice":
            if value not in spec.choices:
                problems.add(path_, f"must be {spec.rule()}, got {value!r}. "
                                    f"{did_you_mean(str(value), spec.choices)}")
            else:
                game[key] = value
        else:
            checked = _check_number(spec, value, path_, problems)
            if checked is not None:
                game[key] = checked

    groups: list[ActorGroup] = []
    actors = doc.get("actors", {})
    if not isinstance(actors, dict) or not actors:
        problems.add("actors", "must be a table with one sub-table per role")
        actors = {}
    total_share = 0.0
    for role, table in actors.items():
        base = f"actors.{role}"
        if not isinstance(table, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, table.keys(), _ACTOR_KEYS)
        values: dict[str, Any] = {}
        count = table.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            problems.add(f"{base}.count", f"must be an integer >= 1, got {count!r}")
            count = None
        for key in ("share", "cost", "weight"):
            if key not in table:
                if key != "weight":
                    problems.add(f"{base}.{key}", "is required")
                continue
            value = _quantity(table[key], f"{base}.{key}", problems, units, sources)
            if value is not None:
                values[key] = _check_number(declared[key], value, f"{base}.{key}", problems)
        names = table.get("names", ())
        if names and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)
                      or (count is not None and len(names) != count)):
            problems.add(f"{base}.names", f"must be a list of {count} strings, got {names!r}")
            names = ()
        if count is None or any(values.get(k) is None for k in ("share", "cost")) or \
                ("weight" in values and values["weight"] is None):
            continue
        total_share += count * values["share"]
        groups.append(ActorGroup(role=role, count=count, share=values["share"],
                                 cost=values["cost"], weight=values.get("weight", 1.0),
                                 names=tuple(names)))
    if total_share > 1.0 + 1e-12:
        problems.add("actors", "the benefit shares must sum to at most 1 over all actors "
                               f"(count × share), got {total_share:.6g}")
    if problems.items:
        raise SpecError(source, problems.items)
    return ModelSpec(source=source, sha256=hashlib.sha256(data).hexdigest(),
                     name=str(meta.get("name", Path(source).stem)),
                     title=str(meta.get("title", "")),
                     description=str(meta.get("description", "")).strip(),
                     preparedness=game, actors=tuple(groups), units=units, sources=sources)
