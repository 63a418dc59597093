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
from .problems import QUANTITY_KEYS, dimension, read_number
from .problems import Problems as _Problems

__all__ = ["ActorGroup", "ModelSpec", "load_model", "DEFAULT_MODEL"]

DEFAULT_MODEL = "default_model.toml"

_SECTIONS = {"model", "preparedness", "participation", "commitment", "actors", "designs",
             "figures"}
_FIGURE_KEYS = {"kind", "title", "design", "values", "fast_values", "n", "fast_n", "seed",
                "target", "distributions", "params", "scenario", "horizon"}
_MODEL_KEYS = {"name", "title", "description"}
_GAME_KEYS = ("prob", "harm", "efficacy", "cost_exponent", "aggregator", "ces_rho", "baseline")
_PARTICIPATION_KEYS = ("critical_mass", "threshold", "steepness")
_COMMITMENT_KEYS = ("discount", "carry_rate", "trigger_prob", "required")
_ACTOR_KEYS = ("count", "share", "cost", "weight", "names", "registry")
# Registry keys of an actor group → (model class, parameter name in that class).
_REGISTRY_KEYS = {"join_cost": ("participation", "cost"),
                  "capacity": ("participation", "capacity"),
                  "weight": ("participation", "weight"),
                  "incentive": ("participation", "incentive"),
                  "bond": ("commitment", "bond"),
                  "liability": ("commitment", "liability"),
                  "response_benefit": ("commitment", "response_benefit"),
                  "response_cost_median": ("commitment", "response_cost_median"),
                  "response_cost_sigma": ("commitment", "response_cost_sigma")}


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Actors of one role: ``count`` identical actors (per-actor values are scalars)."""

    role: str
    count: int
    share: float
    cost: float
    weight: float = 1.0
    names: tuple[str, ...] = ()
    registry: dict = field(default_factory=dict)


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
    participation: dict = field(default_factory=dict)
    commitment: dict = field(default_factory=dict)
    designs: tuple = ()
    figures: dict = field(default_factory=dict)

    @property
    def n_actors(self) -> int:
        return sum(g.count for g in self.actors)

    @property
    def has_registry(self) -> bool:
        """Whether every actor group declares its registry (participation) parameters."""
        return all(g.registry for g in self.actors)

    def _labels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names, roles = [], []
        for group in self.actors:
            roles += [group.role] * group.count
            names += list(group.names) if group.names else (
                [group.role] if group.count == 1 else
                [f"{group.role} {k + 1}" for k in range(group.count)])
        return tuple(names), tuple(roles)

    def _registry_arrays(self, component: str) -> dict:
        import dataclasses as dc

        from ..games.commitment import CommitmentModel
        from ..games.participation import ParticipationGame

        cls = ParticipationGame if component == "participation" else CommitmentModel
        defaults = {f.name: f.default for f in dc.fields(cls)}
        out: dict[str, list] = {}
        for key, (part, name) in _REGISTRY_KEYS.items():
            if part != component or not any(key in g.registry for g in self.actors):
                continue
            # A group that leaves a key out takes the parameter's declared default.
            for group in self.actors:
                out.setdefault(name, []).extend(
                    [group.registry.get(key, defaults.get(name))] * group.count)
        return {k: np.array(v, dtype=float) for k, v in out.items()}

    def participation_game(self, **overrides):
        """The registry participation game (M2): benefit as in ``[preparedness]``."""
        from ..games.participation import ParticipationGame

        self._need_registry()
        names, roles = self._labels()
        kwargs: dict[str, Any] = {k: self.preparedness[k] for k in
                                  ("prob", "harm", "efficacy", "baseline")
                                  if k in self.preparedness}
        kwargs.update(self.participation)
        kwargs.update(self._registry_arrays("participation"))
        kwargs.update(share=np.array([g.share for g in self.actors for _ in range(g.count)]),
                      names=names, roles=roles)
        kwargs.update(overrides)
        return ParticipationGame(**kwargs)

    def commitment_model(self, **overrides):
        """The commitment model (M3) of the registry's filers."""
        from ..games.commitment import CommitmentModel

        self._need_registry()
        names, roles = self._labels()
        kwargs: dict[str, Any] = dict(self.commitment)
        kwargs.update(self._registry_arrays("commitment"))
        arrays = self._registry_arrays("participation")
        kwargs.update(capacity=arrays.get("capacity", 1.0),
                      incentive=arrays.get("incentive", 0.0),
                      share=np.array([g.share for g in self.actors for _ in range(g.count)]),
                      names=names, roles=roles)
        kwargs.update(overrides)
        return CommitmentModel(**kwargs)

    def policy_model(self):
        """The :class:`~coordgap.PolicyModel` (M1 + M2 + M3) that designs are compared on."""
        from ..instruments.base import PolicyModel

        return PolicyModel(participation=self.participation_game(),
                           commitment=self.commitment_model(),
                           preparedness=self.preparedness_game(), name=self.name)

    def _need_registry(self) -> None:
        if not self.has_registry:
            missing = [g.role for g in self.actors if not g.registry]
            raise SpecError(self.source, [f"actors.{r}.registry: is required for the "
                                          "participation and commitment models" for r in missing])

    def preparedness_game(self, **overrides) -> PreparednessGame:
        """The preparedness game (M1) of this model; keyword overrides replace parameters."""
        share, cost, weight = [], [], []
        for group in self.actors:
            share += [group.share] * group.count
            cost += [group.cost] * group.count
            weight += [group.weight] * group.count
        kwargs: dict[str, Any] = dict(self.preparedness)
        names, roles = self._labels()
        kwargs.update(share=np.array(share), cost=np.array(cost), weight=np.array(weight),
                      names=tuple(names), roles=tuple(roles))
        kwargs.update(overrides)
        return PreparednessGame(**kwargs)


def _quantity(value: Any, path: str, problems: _Problems, units: dict, sources: dict,
              spec=None) -> Any:
    """The value of a number or a choice written plainly or as ``{ value, unit, source }``;
    a stated unit must have the dimension of the parameter's declared unit."""
    if isinstance(value, dict):
        problems.unknown(path, value.keys(), QUANTITY_KEYS)
        if "value" not in value:
            problems.add(path, "a quantity table needs a 'value' key")
            return None
        if "unit" in value:
            unit = value["unit"]
            if not isinstance(unit, str):
                problems.add(f"{path}.unit", f"must be a string such as 'USD m', got {unit!r}")
            elif spec is not None and dimension(unit) != dimension(spec.unit):
                problems.add(f"{path}.unit", f"{unit!r} does not match the parameter's unit "
                                             f"{spec.unit!r} ({dimension(spec.unit)})")
            units[path] = str(unit)
        if "source" in value:
            sources[path] = str(value["source"])
        return value["value"]
    return value


def _check_number(spec, value: Any, path: str, problems: _Problems) -> float | None:
    return read_number(spec, value, path, problems)


def _section(doc: dict, name: str, keys, declared, problems: _Problems, units: dict,
             sources: dict, rename: dict | None = None) -> dict:
    """Read the scalar parameters ``keys`` of one top-level table, checked by ``declared``."""
    section = doc.get(name, {})
    if not isinstance(section, dict):
        problems.add(name, "must be a table")
        return {}
    problems.unknown(name, section.keys(), keys)
    out: dict[str, Any] = {}
    for key in keys:
        if key not in section:
            continue
        path_ = f"{name}.{key}"
        spec = declared[(rename or {}).get(key, key)]
        value = _quantity(section[key], path_, problems, units, sources, spec)
        if value is None:
            continue
        if spec.kind == "choice":
            if value not in spec.choices:
                problems.add(path_, f"must be {spec.rule()}, got {value!r}. "
                                    f"{did_you_mean(str(value), spec.choices)}")
            else:
                out[(rename or {}).get(key, key)] = value
        else:
            checked = _check_number(spec, value, path_, problems)
            if checked is not None:
                out[(rename or {}).get(key, key)] = checked
    return out


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

    from ..games.commitment import CommitmentModel
    from ..games.participation import ParticipationGame

    declared = parameters(PreparednessGame)
    game = _section(doc, "preparedness", _GAME_KEYS, declared, problems, units, sources)
    participation = _section(doc, "participation", _PARTICIPATION_KEYS,
                             parameters(ParticipationGame), problems, units, sources)
    commitment = _section(doc, "commitment", _COMMITMENT_KEYS, parameters(CommitmentModel),
                          problems, units, sources)
    registry_specs = {key: parameters(ParticipationGame if part == "participation" else
                                      CommitmentModel)[name]
                      for key, (part, name) in _REGISTRY_KEYS.items()}

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
            value = _quantity(table[key], f"{base}.{key}", problems, units, sources,
                              declared[key])
            if value is not None:
                values[key] = _check_number(declared[key], value, f"{base}.{key}", problems)
        registry: dict[str, float] = {}
        if "registry" in table:
            sub = table["registry"]
            if not isinstance(sub, dict):
                problems.add(f"{base}.registry", "must be a table")
            else:
                problems.unknown(f"{base}.registry", sub.keys(), _REGISTRY_KEYS)
                for key in ("join_cost", "capacity"):
                    if key not in sub:
                        problems.add(f"{base}.registry.{key}", "is required")
                for key in _REGISTRY_KEYS:
                    if key in sub:
                        path_ = f"{base}.registry.{key}"
                        value = _quantity(sub[key], path_, problems, units, sources,
                                          registry_specs[key])
                        if value is not None:
                            checked = _check_number(registry_specs[key], value, path_, problems)
                            if checked is not None:
                                registry[key] = checked
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
                                 names=tuple(names), registry=registry))
    if total_share > 1.0 + 1e-12:
        problems.add("actors", "the benefit shares must sum to at most 1 over all actors "
                               f"(count × share), got {total_share:.6g}")
    roles = [g.role for g in groups]
    designs = _designs(doc.get("designs", {}), roles, problems)
    figures = _figures(doc.get("figures", {}), [d.name for d in designs], problems)
    if problems.items:
        raise SpecError(source, problems.items)
    return ModelSpec(source=source, sha256=hashlib.sha256(data).hexdigest(),
                     name=str(meta.get("name", Path(source).stem)),
                     title=str(meta.get("title", "")),
                     description=str(meta.get("description", "")).strip(),
                     preparedness=game, actors=tuple(groups), units=units, sources=sources,
                     participation=participation, commitment=commitment, designs=designs,
                     figures=figures)


def _figures(table: Any, design_names: list[str], problems: _Problems) -> dict:
    """``[figures.ID]`` blocks, checked for kinds, keys, references and value types."""
    from ..plots.recipes import FIGURE_KINDS

    if not isinstance(table, dict):
        problems.add("figures", "must be a table of figures")
        return {}
    out = {}
    for fig_id, block in table.items():
        base = f"figures.{fig_id}"
        if not isinstance(block, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, block.keys(), _FIGURE_KEYS)
        kind = block.get("kind")
        if kind not in FIGURE_KINDS:
            problems.add(f"{base}.kind", f"must be one of {', '.join(FIGURE_KINDS)}, got "
                                         f"{kind!r}. {did_you_mean(str(kind), FIGURE_KINDS)}")
            continue
        if "design" in block and block["design"] not in design_names:
            problems.add(f"{base}.design", f"unknown design {block['design']!r}. "
                                           f"{did_you_mean(str(block['design']), design_names)}")
        for key in ("values", "fast_values"):
            values = block.get(key)
            if values is not None and (not isinstance(values, list) or not values or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool)
                    and math.isfinite(v) and v >= 0 for v in values)):
                problems.add(f"{base}.{key}", "must be a non-empty list of finite floats >= 0")
        for key in ("n", "fast_n", "seed"):
            value = block.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < (0 if key == "seed" else 1)):
                problems.add(f"{base}.{key}", f"must be an integer >= "
                                              f"{0 if key == 'seed' else 1}, got {value!r}")
        if not isinstance(block.get("params", {}), dict):
            problems.add(f"{base}.params", "must be a table of model parameters")
        dists = block.get("distributions", {})
        if kind == "robustness":
            if not isinstance(dists, dict) or not dists:
                problems.add(f"{base}.distributions", "must be a table of parameter path → "
                                                      "{ dist = ..., ... }")
            else:
                from scipy import stats

                for path, d in dists.items():
                    if not isinstance(d, dict) or not hasattr(stats, str(d.get("dist", ""))):
                        problems.add(f"{base}.distributions.{path}",
                                     "must be { dist = <scipy.stats name>, ... }")
        out[str(fig_id)] = dict(block)
    return out


def _instrument(item: Any, path_: str, kinds: dict, roles: list[str], problems: _Problems):
    """One instrument table → an instrument, every problem of its parameters reported."""
    from ..errors import InvalidParameterError
    from ..params import parameters as declared_params

    if not isinstance(item, dict) or "type" not in item:
        problems.add(path_, "must be a table with a 'type' key, e.g. "
                            "{ type = \"PerformanceBond\", amount = 1.0 }")
        return None
    if not isinstance(item["type"], str):
        problems.add(f"{path_}.type", f"must be the name of an instrument (a string), got "
                                      f"{item['type']!r}")
        return None
    kind = item["type"]
    if kind not in kinds:
        problems.add(f"{path_}.type", f"unknown instrument {kind!r}. "
                                      f"{did_you_mean(kind, sorted(kinds))}")
        return None
    cls = kinds[kind]
    declared = declared_params(cls)
    allowed = set(declared) | {"type", "roles"} | (
        {"role_value"} if cls.__name__ == "ComputeAccess" else set())
    before = len(problems.items)
    problems.unknown(path_, item.keys(), allowed)
    kwargs = {k: v for k, v in item.items() if k != "type" and k in allowed}
    # Check every declared parameter first, so that all bad values are reported at once.
    for key, spec in declared.items():
        if key not in kwargs or (kwargs[key] is None and spec.optional):
            continue
        if spec.kind == "choice":
            if kwargs[key] not in spec.choices:
                problems.add(f"{path_}.{key}", f"must be {spec.rule()}, got {kwargs[key]!r}. "
                                               f"{did_you_mean(str(kwargs[key]), spec.choices)}")
        else:
            read_number(spec, kwargs[key], f"{path_}.{key}", problems)
    listed = kwargs.get("roles", [])
    if "roles" in kwargs and (not isinstance(listed, list)
                              or not all(isinstance(r, str) for r in listed)):
        problems.add(f"{path_}.roles", f"must be a list of role names, got {listed!r}")
        listed = []
    for role in listed or []:
        if role not in roles:
            problems.add(f"{path_}.roles", f"unknown role {role!r}. {did_you_mean(role, roles)}")
    for role in (kwargs.get("role_value") or {}) if isinstance(kwargs.get("role_value"),
                                                                dict) else ():
        if role not in roles:
            problems.add(f"{path_}.role_value", f"unknown role {role!r}. "
                                                f"{did_you_mean(str(role), roles)}")
    if len(problems.items) > before:
        return None
    try:
        return cls(**kwargs)
    except InvalidParameterError as exc:
        problems.add(f"{path_}.{exc.name}", f"must be {exc.rule}, got {exc.value!r}")
    except TypeError as exc:
        problems.add(path_, str(exc))
    return None


def _designs(table: Any, roles: list[str], problems: _Problems) -> tuple:
    """``[designs.NAME]`` tables → Design objects (a baseline is added if missing)."""
    from ..instruments import Design
    from ..instruments import __all__ as names
    from .. import instruments as module

    kinds = {n: getattr(module, n) for n in names if n not in ("Instrument", "PolicyModel",
                                                                "Design")}
    if not isinstance(table, dict):
        problems.add("designs", "must be a table of designs")
        return ()
    out = []
    for name, entry in table.items():
        base = f"designs.{name}"
        if not isinstance(entry, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, entry.keys(), {"description", "instruments"})
        items = entry.get("instruments", [])
        if not isinstance(items, list):
            problems.add(f"{base}.instruments", "must be a list of instrument tables")
            continue
        if not str(name).strip():
            problems.add("designs", "a design needs a non-empty name")
            continue
        built = []
        for k, item in enumerate(items):
            path_ = f"{base}.instruments[{k}]"
            instrument = _instrument(item, path_, kinds, roles, problems)
            if instrument is not None:
                built.append(instrument)
        out.append(Design(str(name), built))
    if out and not any(d.name == "baseline" for d in out):
        out.insert(0, Design("baseline"))
    return tuple(out)
